// SPDX-License-Identifier: GPL-2.0-only
/* create.c: hv create: check the config, start its VMM, wait until it runs. */
#include <errno.h>
#include <fcntl.h>
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

#define READY_TIMEOUT_MS	60000
#define KERNEL_READ_MAX		(64 << 20)	/* enough for any bzImage */

/* The kernel must be a bzImage the VMM can boot in this much memory, with
 * this command line and initrd: say why not before anything starts. */
static int check_kernel(const struct hv_config *cfg)
{
	struct boot_layout layout = { .ram_size = cfg->memory_mib << 20 };
	FILE *f = fopen(cfg->kernel, "r");
	uint64_t initrd_size = 0;
	struct boot_image bi;
	struct stat st;
	char why[256];
	uint8_t *img;
	size_t len;
	int ret = -1;

	if (!f) {
		fprintf(stderr, "hv: kernel %s: %s\n", cfg->kernel, strerror(errno));
		return -1;
	}
	img = malloc(KERNEL_READ_MAX);
	if (!img) {
		fclose(f);
		fprintf(stderr, "hv: out of memory reading %s\n", cfg->kernel);
		return -1;
	}
	len = fread(img, 1, KERNEL_READ_MAX, f);
	fclose(f);
	if (cfg->ramdisk[0] && !stat(cfg->ramdisk, &st))
		initrd_size = (uint64_t)st.st_size;
	if (boot_image_parse(img, len, &bi, why, sizeof(why)))
		fprintf(stderr, "hv: kernel %s: %s\n", cfg->kernel, why);
	else if (strlen(cfg->cmdline) > bi.cmdline_size)
		fprintf(stderr, "hv: the command line is %zu bytes, kernel %s takes at most %u\n",
			strlen(cfg->cmdline), cfg->kernel, bi.cmdline_size);
	else if (boot_layout_place(&bi, &layout, initrd_size, why, sizeof(why)))
		fprintf(stderr, "hv: memory = %llu MiB is too small: %s\n",
			(unsigned long long)cfg->memory_mib, why);
	else
		ret = 0;
	free(img);
	return ret;
}

/* $HV_VMM, else hv-vmm next to this executable, else the installed one. */
static void vmm_path(char *out, size_t len)
{
	const char *env = getenv("HV_VMM");
	char self[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		snprintf(out, len, "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		char *slash;

		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			if (snprintf(out, len, "%s/" HV_VMM_NAME, self) < (int)len &&
			    !access(out, X_OK))
				return;
		}
	}
	snprintf(out, len, "%s", HV_VMM_FALLBACK);
}

/* mkdir -p DIR; 0, or -1 with errno set. */
static int mkdir_p(const char *dir, mode_t mode)
{
	char path[PATH_MAX];
	char *p;

	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(path, mode) && errno != EEXIST)
		return -1;
	return 0;
}

/* In the child: become a daemon logging to HV_LOG_DIR, then be the VMM.
 * Any failure goes back through the ready pipe. */
static void start_vmm(const char *vmm, const char *cfg_path, const char *name, int ready_fd)
{
	char log[PATH_MAX], fdstr[16];
	int fd;

	setsid();
	fcntl(ready_fd, F_SETFD, 0);	/* the one descriptor the VMM inherits */
	snprintf(log, sizeof(log), HV_LOG_DIR "/vmm-%s.log", name);
	if (mkdir_p(HV_LOG_DIR, 0755) ||
	    (fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640)) < 0) {
		dprintf(ready_fd, "ERR cannot open %s: %s\n", log, strerror(errno));
		_exit(126);
	}
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		dup2(fd, STDIN_FILENO);
	signal(SIGPIPE, SIG_DFL);
	snprintf(fdstr, sizeof(fdstr), "%d", ready_fd);
	execl(vmm, HV_VMM_NAME, "--ready-fd", fdstr, cfg_path, (char *)NULL);
	dprintf(ready_fd, "ERR cannot run %s: %s\n", vmm, strerror(errno));
	_exit(127);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Why the child exited, if it has within a second; "" if it has not. */
static void child_status(pid_t child, char *buf, size_t len)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	int status, i;

	buf[0] = '\0';
	for (i = 0; i < 50; i++) {
		if (waitpid(child, &status, WNOHANG) == child) {
			if (WIFEXITED(status))
				snprintf(buf, len, " (exit status %d)", WEXITSTATUS(status));
			else if (WIFSIGNALED(status))
				snprintf(buf, len, " (killed by signal %d)", WTERMSIG(status));
			return;
		}
		nanosleep(&tick, NULL);
	}
}

/* Wait for "OK <domid>" or "ERR <message>" from the VMM. Prints the
 * outcome; returns 0 once the domain runs. */
static int wait_ready(int fd, pid_t child, const char *name)
{
	long long deadline = now_ms() + READY_TIMEOUT_MS;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[HV_CONFIG_ERR_MAX + 128];
	size_t n = 0;

	while (n < sizeof(buf) - 1) {
		long long left = deadline - now_ms();
		ssize_t r;
		int ready;

		ready = left > 0 ? poll(&p, 1, (int)left) : 0;
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0) {
			fprintf(stderr, "hv: domain '%s' did not start within %d s; "
				"its VMM was killed\n", name, READY_TIMEOUT_MS / 1000);
			fprintf(stderr, "hv: see " HV_LOG_DIR "/vmm-%s.log\n", name);
			kill(child, SIGKILL);
			waitpid(child, NULL, 0);
			return -1;
		}
		r = read(fd, buf + n, sizeof(buf) - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		if (memchr(buf, '\n', n))
			break;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (!strncmp(buf, "OK ", 3)) {
		unsigned long domid;
		char *end;

		errno = 0;
		domid = strtoul(buf + 3, &end, 10);
		if (!errno && end != buf + 3 && !*end) {
			printf("Started domain %s (id=%lu)\n", name, domid);
			fflush(stdout);
			return 0;
		}
	}
	if (!strncmp(buf, "ERR ", 4)) {
		fprintf(stderr, "hv: domain '%s' failed to start: %s\n", name, buf + 4);
	} else {
		char status[64];

		child_status(child, status, sizeof(status));
		fprintf(stderr, "hv: domain '%s' failed to start: %s%s\n", name,
			n ? "unexpected answer from the VMM" : "the VMM exited without a word",
			status);
	}
	fprintf(stderr, "hv: see " HV_LOG_DIR "/vmm-%s.log\n", name);
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
	fprintf(stderr, "Parsing config from %s\n", cfg_arg);
	/* The VMM gets an absolute path: it does not share our cwd's meaning. */
	if (!realpath(cfg_arg, path)) {
		fprintf(stderr, "hv: %s: %s\n", cfg_arg, strerror(errno));
		return 1;
	}
	if (hv_config_load(path, &cfg, err, sizeof(err))) {
		fprintf(stderr, "hv: %s\n", err);
		return 1;
	}
	host_kib = host_meminfo_kib("MemTotal");
	if (host_kib && cfg.memory_mib > host_kib >> 10) {
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
	if (pipe2(pipefd, O_CLOEXEC)) {
		perror("hv: pipe");
		return 1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("hv: fork");
		return 1;
	}
	if (pid == 0)
		start_vmm(vmm, path, cfg.name, pipefd[1]);
	close(pipefd[1]);
	i = wait_ready(pipefd[0], pid, cfg.name);
	close(pipefd[0]);
	if (i)
		return 1;
	if (console) {
		char *args[] = { "console", cfg.name, NULL };

		return cmd_console(2, args);
	}
	return 0;
}
