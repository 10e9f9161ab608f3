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
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/config.h"
#include "common/xs_client.h"
#include "common/runtime.h"
#include "tools/tools.h"
#include "vmm/bootparams.h"
#include "xen/hvx/xen-abi.h"

#define READY_TIMEOUT_MS	60000
#define KERNEL_READ_MAX		(64 << 20)	/* enough for any bzImage */
#define STORE_START_MS		5000	/* for a xenstored we started to answer */
#define STORE_PARAMS_MS		5000	/* for the VMM to publish the store ring */
#define XENSTORED_NAME		"xenstored"
#define XENSTORED_LOG		"/var/log/xenstored.log"

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
 * outcome; returns 0 once the domain runs, its id in *DOMID. */
static int wait_ready(int fd, pid_t child, const char *name, uint32_t *domid_out)
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
			*domid_out = (uint32_t)domid;
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

/* The store's socket: $XENSTORED_PATH, else Xen's path. */
static const char *store_socket(void)
{
	const char *env = getenv("XENSTORED_PATH");

	return env && *env ? env : XS_CLIENT_SOCKET;
}

/* xenstored next to this executable, else from PATH: started as a daemon
 * (it returns once it serves). 0 if it said it serves. */
static int start_xenstored(void)
{
	char self[PATH_MAX], prog[PATH_MAX + 16];
	const char *run = XENSTORED_NAME;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int status;
	pid_t pid;

	if (n > 0) {
		char *slash;

		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(prog, sizeof(prog), "%s/" XENSTORED_NAME, self);
			if (!access(prog, X_OK))
				run = prog;
		}
	}
	if (mkdir_p("/var/log", 0755))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execlp(run, XENSTORED_NAME, "--socket", store_socket(), "--log", XENSTORED_LOG,
		       (char *)NULL);
		fprintf(stderr, "hv: cannot run %s: %s\n", run, strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	return 0;
}

/* A connection to xenstored, started if nobody answers. Every domain gets
 * its store nodes and ring: without a store, no domain. */
static struct xs_client *store_open(void)
{
	long long deadline;
	struct xs_client *h = xs_client_open(store_socket());

	if (h)
		return h;
	fprintf(stderr, "hv: no xenstored at %s (%s); starting one\n", store_socket(),
		strerror(errno));
	if (start_xenstored()) {
		fprintf(stderr, "hv: could not start xenstored (see " XENSTORED_LOG "); "
			"a domain needs the store at %s\n", store_socket());
		return NULL;
	}
	deadline = now_ms() + STORE_START_MS;
	do {
		struct timespec tick = { 0, 50 * 1000 * 1000 };

		h = xs_client_open(store_socket());
		if (h)
			return h;
		nanosleep(&tick, NULL);
	} while (now_ms() < deadline);
	fprintf(stderr, "hv: xenstored does not answer at %s: %s\n", store_socket(),
		strerror(errno));
	return NULL;
}

static int get_param(int fd, uint32_t domid, uint32_t index, uint64_t *value)
{
	struct hvctl_param p = { .domid = domid, .index = index };

	if (ioctl(fd, HVCTL_GET_PARAM, &p))
		return -1;
	*value = p.value;
	return 0;
}

/* Write DOMID's store nodes as xl does and introduce its store ring,
 * once its VMM has published the ring (HVM params). */
static int store_introduce(struct xs_client *h, const struct hv_config *cfg, uint32_t domid)
{
	struct xs_client_domain d = {
		.domid = domid, .name = cfg->name, .vcpus = cfg->vcpus,
		.memory_kib = cfg->memory_mib << 10, .maxmem_kib = cfg->maxmem_mib << 10,
	};
	long long deadline = now_ms() + STORE_PARAMS_MS;
	uint64_t pfn = 0, port = 0, cpfn = 0, cport = 0;
	int fd = hvctl_open(), err;

	if (fd < 0)
		return -1;
	for (;;) {
		struct timespec tick = { 0, 20 * 1000 * 1000 };

		if (get_param(fd, domid, HVX_HVM_PARAM_STORE_PFN, &pfn) ||
		    get_param(fd, domid, HVX_HVM_PARAM_STORE_EVTCHN, &port)) {
			fprintf(stderr, "hv: domain %u's store parameters: %s\n", domid,
				strerror(errno));
			close(fd);
			return -1;
		}
		if ((pfn && port) || now_ms() >= deadline)
			break;
		nanosleep(&tick, NULL);
	}
	if (get_param(fd, domid, HVX_HVM_PARAM_CONSOLE_PFN, &cpfn) ||
	    get_param(fd, domid, HVX_HVM_PARAM_CONSOLE_EVTCHN, &cport))
		cpfn = cport = 0;
	close(fd);
	if (!pfn || !port) {
		fprintf(stderr, "hv: domain %u's VMM did not publish its store ring\n", domid);
		return -1;
	}
	d.store_gfn = pfn;
	d.store_port = (unsigned int)port;
	d.console_gfn = cpfn;
	d.console_port = (unsigned int)cport;
	err = xs_client_domain_setup(h, &d);
	if (err) {
		fprintf(stderr, "hv: introducing domain %u to xenstored at %s: %s\n", domid,
			xs_client_path(h), xs_client_strerror(err));
		return -1;
	}
	return 0;
}

/* Undo a domain that could not join the store. */
static void destroy_now(uint32_t domid)
{
	int fd = hvctl_open();

	if (fd < 0)
		return;
	if (ioctl(fd, HVCTL_DOMAIN_DESTROY, &domid))
		fprintf(stderr, "hv: destroying domain %u: %s\n", domid, strerror(errno));
	else
		fprintf(stderr, "hv: domain %u destroyed\n", domid);
	close(fd);
}

int cmd_create(int argc, char **argv)
{
	struct hvctl_domain_info existing;
	struct hv_config cfg;
	struct xs_client *store;
	char err[HV_CONFIG_ERR_MAX], path[PATH_MAX], vmm[PATH_MAX];
	uint32_t domid = 0;
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
	store = store_open();
	if (!store)
		return 1;
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
	i = wait_ready(pipefd[0], pid, cfg.name, &domid);
	close(pipefd[0]);
	if (i)
		return 1;
	if (store_introduce(store, &cfg, domid) || devices_add(store, domid, &cfg)) {
		destroy_now(domid);
		devices_remove_domain(domid);
		xs_client_close(store);
		return 1;
	}
	xs_client_close(store);
	if (console) {
		char *args[] = { "console", cfg.name, NULL };

		return cmd_console(2, args);
	}
	return 0;
}
