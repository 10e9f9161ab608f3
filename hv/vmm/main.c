// SPDX-License-Identifier: GPL-2.0-only
/* main.c: hv-vmm, one domain's VMM: set-up, readiness, life-cycle actions. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "xen/hvx/hvctl.h"
#include "vmm/vmm.h"

static struct vmm the_vmm;
static const char *log_name = "?";

void vmm_log(const char *fmt, ...)
{
	struct timespec ts;
	struct tm tm;
	char stamp[32];
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%F %T", &tm);
	fprintf(stderr, "%s.%03ld hv-vmm[%s]: ", stamp, ts.tv_nsec / 1000000, log_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

void vmm_guest_event(struct vmm *vmm, enum vmm_event ev, const char *why)
{
	char byte = (char)ev;

	pthread_mutex_lock(&vmm->event_lock);
	if (vmm->event == VMM_EVENT_NONE) {
		vmm->event = ev;
		snprintf(vmm->event_why, sizeof(vmm->event_why), "%s", why);
		if (write(vmm->event_pipe[1], &byte, 1) != 1)
			vmm_log("cannot post event: %s", strerror(errno));
	}
	pthread_mutex_unlock(&vmm->event_lock);
}

static void on_terminate(int sig)
{
	char byte = VMM_EVENT_TERMINATE;

	(void)sig;
	if (write(the_vmm.event_pipe[1], &byte, 1) != 1)
		_exit(1);
}

static void ready(int fd, const char *fmt, ...)
{
	char msg[VMM_ERR_MAX + 16];
	va_list ap;

	if (fd < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (write(fd, msg, strlen(msg)) < 0)
		vmm_log("cannot write to the ready pipe: %s", strerror(errno));
	close(fd);
}

static int hvctl_register(struct vmm *vmm, char *err, size_t errlen)
{
	struct hvctl_domain_create req = {
		.memory_kib = vmm->cfg.memory_mib << 10,
		.maxmem_kib = vmm->cfg.maxmem_mib << 10,
		.memfd = vmm->mem_fd,
		.vcpus = vmm->nr_vcpus,
	};

	vmm->hvctl_fd = open(HV_CTL_DEVICE, O_RDWR | O_CLOEXEC);
	if (vmm->hvctl_fd < 0) {
		snprintf(err, errlen, "%s: %s (is hv.ko loaded?)", HV_CTL_DEVICE,
			 strerror(errno));
		return -1;
	}
	snprintf(req.name, sizeof(req.name), "%s", vmm->cfg.name);
	if (ioctl(vmm->hvctl_fd, HVCTL_DOMAIN_CREATE, &req)) {
		if (errno == EEXIST)
			snprintf(err, errlen, "a domain named '%s' already exists",
				 vmm->cfg.name);
		else if (errno == ENOMEM)
			snprintf(err, errlen, "%llu MiB is more memory than the host has",
				 (unsigned long long)vmm->cfg.memory_mib);
		else
			snprintf(err, errlen, "registering with hv.ko: %s", strerror(errno));
		return -1;
	}
	vmm->domid = req.domid;
	return 0;
}

static void set_state(struct vmm *vmm, uint32_t state, uint32_t reason)
{
	struct hvctl_domain_set_state req = { .state = state, .reason = reason };

	if (ioctl(vmm->hvctl_fd, HVCTL_DOMAIN_SET_STATE, &req))
		vmm_log("cannot set domain state: %s", strerror(errno));
}

static int build(struct vmm *vmm, char *err, size_t errlen)
{
	if (pipe2(vmm->event_pipe, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	pthread_mutex_init(&vmm->event_lock, NULL);
	/* The RAM layout covers maxmem; the balloon driver takes the guest
	 * down to memory/target (memory) at boot (docs/balloon.md). */
	vmm->ram_size = vmm->cfg.maxmem_mib << 20;
	vmm->nr_vcpus = vmm->cfg.vcpus;
	if (machine_create(vmm, err, errlen) || hvctl_register(vmm, err, errlen))
		return -1;
	log_name = vmm->cfg.name;
	serial_init(&vmm->serial, console_output, machine_set_irq, vmm);
	if (machine_load(vmm, err, errlen) || vcpu_create_all(vmm, err, errlen) ||
	    platform_init(vmm, err, errlen) ||
	    console_open(vmm, err, errlen) || xencons_init(vmm, err, errlen))
		return -1;
	return 0;
}

/* Restart: a fresh process, a fresh registration (a new domid, as Xen). */
static void restart(struct vmm *vmm)
{
	char *args[8];
	int i, n = 0;

	for (i = 0; vmm->argv[i] && n < 7; i++) {
		if (!strcmp(vmm->argv[i], "--ready-fd") && vmm->argv[i + 1]) {
			i++;
			continue;
		}
		args[n++] = vmm->argv[i];
	}
	args[n] = NULL;
	execv("/proc/self/exe", args);
	vmm_log("restart failed: %s", strerror(errno));
	exit(1);
}

static enum hv_action action_for(const struct vmm *vmm, enum vmm_event ev)
{
	switch (ev) {
	case VMM_EVENT_POWEROFF:
		return vmm->cfg.on_poweroff;
	case VMM_EVENT_REBOOT:
		return vmm->cfg.on_reboot;
	case VMM_EVENT_CRASH:
		return vmm->cfg.on_crash;
	default:
		return HV_ACTION_DESTROY;
	}
}

static const char *event_name(enum vmm_event ev)
{
	static const char *const names[] = {
		[VMM_EVENT_POWEROFF] = "powered off",
		[VMM_EVENT_REBOOT] = "rebooted",
		[VMM_EVENT_CRASH] = "crashed",
		[VMM_EVENT_TERMINATE] = "terminated by signal",
	};

	return ev > VMM_EVENT_NONE && ev <= VMM_EVENT_TERMINATE ? names[ev] : "?";
}

static void usage(void)
{
	fprintf(stderr, "usage: hv-vmm [--ready-fd N] CONFIG\n"
		"  runs one domain; started by 'hv create'\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct vmm *vmm = &the_vmm;
	char err[VMM_ERR_MAX];
	const char *cfg_path = NULL;
	int ready_fd = -1, i;
	enum vmm_event ev;
	enum hv_action action;
	struct sigaction sa = { .sa_handler = on_terminate };

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ready-fd") && i + 1 < argc)
			ready_fd = atoi(argv[++i]);
		else if (argv[i][0] == '-' || cfg_path)
			usage();
		else
			cfg_path = argv[i];
	}
	if (!cfg_path)
		usage();
	if (ready_fd >= 0)
		fcntl(ready_fd, F_SETFD, FD_CLOEXEC);
	vmm->argv = argv;
	vmm->hvctl_fd = -1;
	signal(SIGPIPE, SIG_IGN);

	if (hv_config_load(cfg_path, &vmm->cfg, err, sizeof(err)) ||
	    build(vmm, err, sizeof(err))) {
		vmm_log("%s", err);
		ready(ready_fd, "ERR %s\n", err);
		console_close(vmm);
		return 1;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (vcpu_start_all(vmm, err, sizeof(err))) {
		vmm_log("%s", err);
		ready(ready_fd, "ERR %s\n", err);
		console_close(vmm);
		return 1;
	}
	/* A restart has no `hv create` waiting on --ready-fd to do this. */
	if (ready_fd < 0 && !vmm_store_introduce(vmm))
		vmm_devices_add(vmm, cfg_path);
	set_state(vmm, HVCTL_STATE_RUNNING, HVCTL_SHUTDOWN_NONE);
	vmm_log("domain %u started: %llu MiB, %u vCPU(s), kernel %s", vmm->domid,
		(unsigned long long)vmm->cfg.memory_mib, vmm->nr_vcpus, vmm->cfg.kernel);
	ready(ready_fd, "OK %u\n", vmm->domid);

	ev = console_serve(vmm, 1);
	action = action_for(vmm, ev);
	vcpu_stop_all(vmm);
	xencons_stop(vmm);
	serial_flush(&vmm->serial);
	vmm_log("domain %u %s%s%s; action: %s", vmm->domid, event_name(ev),
		vmm->event_why[0] && ev != VMM_EVENT_TERMINATE ? ": " : "",
		ev != VMM_EVENT_TERMINATE ? vmm->event_why : "", hv_action_name(action));

	if (action == HV_ACTION_RESTART) {
		vmm_store_forget(vmm);
		console_close(vmm);
		restart(vmm);
	}
	if (action == HV_ACTION_PRESERVE) {
		set_state(vmm, ev == VMM_EVENT_CRASH ? HVCTL_STATE_CRASHED : HVCTL_STATE_SHUTDOWN,
			  ev == VMM_EVENT_CRASH ? HVCTL_SHUTDOWN_CRASH :
			  ev == VMM_EVENT_REBOOT ? HVCTL_SHUTDOWN_REBOOT : HVCTL_SHUTDOWN_POWEROFF);
		console_serve(vmm, 0);
		vmm_log("domain %u destroyed", vmm->domid);
	}
	vmm_store_forget(vmm);
	console_close(vmm);
	return 0;
}
