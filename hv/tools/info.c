// SPDX-License-Identifier: GPL-2.0-only
/* info.c: hv info: the host and the hypervisor, as key : value lines. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "common/runtime.h"
#include "tools/tools.h"

static void line(const char *key, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void line(const char *key, const char *fmt, ...)
{
	va_list ap;

	printf("%-23s: ", key);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static const char *kvm_state(void)
{
	if (!access("/dev/kvm", R_OK | W_OK))
		return "available";
	return errno == ENOENT ? "absent (no /dev/kvm)" : "present, not accessible";
}

int cmd_info(int argc, char **argv)
{
	struct hvctl_info info;
	struct utsname u;
	int fd, ret = 0;

	(void)argv;
	if (argc != 1)
		die_usage("info");
	/* The host's facts first: they are worth showing without hv.ko. */
	uname(&u);
	line("host", "%s", u.nodename);
	line("release", "%s", u.release);
	line("version", "%s", u.version);
	line("machine", "%s", u.machine);
	line("nr_cpus", "%d", host_cpus());
	line("total_memory", "%llu", (unsigned long long)(host_meminfo_kib("MemTotal") >> 10));
	line("free_memory", "%llu", (unsigned long long)(host_meminfo_kib("MemAvailable") >> 10));
	line("kvm", "%s", kvm_state());
	fflush(stdout);

	fd = hvctl_open();
	if (fd < 0)
		return 1;
	if (ioctl(fd, HVCTL_INFO, &info)) {
		fprintf(stderr, "hv: " HV_CTL_DEVICE ": reading hypervisor info: %s\n",
			strerror(errno));
		ret = 1;
	} else {
		info.version[sizeof(info.version) - 1] = '\0';
		line("hv_version", "%s", info.version);
		if (info.abi_version == HVCTL_ABI_VERSION)
			line("hv_abi", "%u", info.abi_version);
		else
			line("hv_abi", "%u (this hv tool speaks %d)", info.abi_version,
			     HVCTL_ABI_VERSION);
		line("hv_memory", "%llu", (unsigned long long)(info.host_memory_kib >> 10));
		line("nr_domains", "%u", info.nr_domains);
		line("max_domains", "%u", info.max_domains);
		line("nr_evtchn_ports", "%llu", (unsigned long long)info.nr_evtchn_ports);
		line("nr_grant_maps", "%llu", (unsigned long long)info.nr_grant_maps);
		line("nr_pinned_pages", "%llu", (unsigned long long)info.nr_pinned_pages);
		line("nr_foreign_maps", "%llu", (unsigned long long)info.nr_foreign_maps);
	}
	close(fd);
	return ret;
}
