// SPDX-License-Identifier: GPL-2.0-only
/* create.c: hv create: check the config, start its VMM, wait until it runs. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/config.h"
#include "common/runtime.h"
#include "tools/tools.h"
#include "vmm/bootparams.h"

#define READY_TIMEOUT_MS 60000

/* The kernel must be a bzImage the VMM can boot: say why not, now. */
static int check_kernel(const struct hv_config *cfg)
{
	FILE *f = fopen(cfg->kernel, "r");
	struct boot_image bi;
	uint8_t *img;
	size_t len;
	char why[256];
	int ret;

	if (!f) {
		fprintf(stderr, "hv: %s: %s\n", cfg->kernel, strerror(errno));
		return -1;
	}
	img = malloc(64 << 20);
	len = img ? fread(img, 1, 64 << 20, f) : 0;
	fclose(f);
	ret = boot_image_parse(img, len, &bi, why, sizeof(why));
	if (ret)
		fprintf(stderr, "hv: %s: %s\n", cfg->kernel, why);
	else if (bi.pref_address + bi.init_size > cfg->memory_mib << 20) {
		fprintf(stderr, "hv: memory = %llu MiB is too small: the kernel %s needs "
			"%llu MiB to decompress\n", (unsigned long long)cfg->memory_mib,
			cfg->kernel,
			(unsigned long long)((bi.pref_address + bi.init_size) >> 20) + 1);
		ret = -1;
	}
	free(img);
	return ret;
}

static void vmm_path(char *out, size_t len)
{
	char self[PATH_MAX];
	ssize_t n;
	const char *env = getenv("HV_VMM");

	if (env && *env) {
		snprintf(out, len, "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		snprintf(out, len, "%s/" HV_VMM_NAME, dirname(self));
		if (!access(out, X_OK))
			return;
	}
	snprintf(out, len, "%s", HV_VMM_FALLBACK);
}

static void start_vmm(const char *vmm, const char *cfg_path, const char *name, int ready_fd)
{
	char log[PATH_MAX], fdstr[16];
	int fd;

	setsid();
	mkdir(HV_LOG_DIR, 0755);
	snprintf(log, sizeof(log), HV_LOG_DIR "/vmm-%s.log", name);
	fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0640);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	snprintf(fdstr, sizeof(fdstr), "%d", ready_fd);
	execl(vmm, HV_VMM_NAME, "--ready-fd", fdstr, cfg_path, (char *)NULL);
	dprintf(ready_fd, "ERR cannot run %s: %s\n", vmm, strerror(errno));
	_exit(127);
}

/* Wait for "OK <domid>" or "ERR ..." from the VMM. */
static int wait_ready(int fd, pid_t child, const char *name)
{
	char buf[600];
	size_t n = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (n < sizeof(buf) - 1) {
		ssize_t r;

		if (poll(&p, 1, READY_TIMEOUT_MS) <= 0) {
			fprintf(stderr, "hv: domain '%s' did not start within %d s\n",
				name, READY_TIMEOUT_MS / 1000);
			kill(child, SIGKILL);
			return -1;
		}
		r = read(fd, buf + n, sizeof(buf) - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		if (memchr(buf, '\n', n))
			break;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (!strncmp(buf, "OK ", 3)) {
		printf("Started domain %s (id=%s)\n", name, buf + 3);
		fflush(stdout);
		return 0;
	}
	fprintf(stderr, "hv: domain '%s' failed to start: %s\n", name,
		!strncmp(buf, "ERR ", 4) ? buf + 4 : "the VMM exited");
	fprintf(stderr, "hv: see " HV_LOG_DIR "/vmm-%s.log\n", name);
	waitpid(child, NULL, WNOHANG);
	return -1;
}

int cmd_create(int argc, char **argv)
{
	struct hvctl_domain_info existing;
	struct hv_config cfg;
	char err[HV_CONFIG_ERR_MAX], path[PATH_MAX], vmm[PATH_MAX];
	const char *cfg_arg = NULL;
	uint64_t host_kib;
	int console = 0, pipefd[2], i;
	pid_t pid;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-c"))
			console = 1;
		else if (argv[i][0] == '-' || cfg_arg)
			die_usage("create");
		else
			cfg_arg = argv[i];
	}
	if (!cfg_arg)
		die_usage("create");
	printf("Parsing config from %s\n", cfg_arg);
	if (!realpath(cfg_arg, path)) {
		fprintf(stderr, "hv: %s: %s\n", cfg_arg, strerror(errno));
		return 1;
	}
	if (hv_config_load(path, &cfg, err, sizeof(err))) {
		fprintf(stderr, "hv: %s\n", err);
		return 1;
	}
	host_kib = host_meminfo_kib("MemTotal");
	if (host_kib && cfg.memory_mib << 10 > host_kib) {
		fprintf(stderr, "hv: %s: memory = %llu MiB is more than the host has "
			"(%llu MiB)\n", path, (unsigned long long)cfg.memory_mib,
			(unsigned long long)(host_kib >> 10));
		return 1;
	}
	if (check_kernel(&cfg))
		return 1;
	/* hv.ko refuses a taken name atomically; this only says it sooner. */
	switch (hvctl_name_exists(cfg.name, &existing)) {
	case -1:
		return 1;
	case 1:
		fprintf(stderr, "hv: a domain named '%s' already exists (id %u)\n",
			cfg.name, existing.domid);
		return 1;
	}
	vmm_path(vmm, sizeof(vmm));
	if (pipe(pipefd)) {
		perror("hv: pipe");
		return 1;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("hv: fork");
		return 1;
	}
	if (pid == 0) {
		close(pipefd[0]);
		start_vmm(vmm, path, cfg.name, pipefd[1]);
	}
	close(pipefd[1]);
	if (wait_ready(pipefd[0], pid, cfg.name))
		return 1;
	close(pipefd[0]);
	if (console) {
		char *args[] = { "console", cfg.name, NULL };

		return cmd_console(2, args);
	}
	return 0;
}
