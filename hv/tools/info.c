// SPDX-License-Identifier: GPL-2.0-only
/* info.c: hv info: the hypervisor and the host, as key : value lines. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "tools/tools.h"

int cmd_info(int argc, char **argv)
{
	struct hvctl_info info;
	struct utsname u;
	int fd;

	(void)argv;
	if (argc != 1)
		die_usage("info");
	fd = hvctl_open();
	if (fd < 0)
		return 1;
	if (ioctl(fd, HVCTL_INFO, &info)) {
		fprintf(stderr, "hv: reading hypervisor info: %s\n", strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	uname(&u);
	info.version[sizeof(info.version) - 1] = '\0';
	printf("host                   : %s\n", u.nodename);
	printf("release                : %s\n", u.release);
	printf("machine                : %s\n", u.machine);
	printf("nr_cpus                : %d\n", host_cpus());
	printf("total_memory           : %llu\n",
	       (unsigned long long)(host_meminfo_kib("MemTotal") >> 10));
	printf("free_memory            : %llu\n",
	       (unsigned long long)(host_meminfo_kib("MemAvailable") >> 10));
	printf("kvm                    : %s\n", access("/dev/kvm", R_OK | W_OK) ? "unavailable" : "available");
	printf("hv_version             : %s\n", info.version);
	printf("hv_abi                 : %u\n", info.abi_version);
	printf("nr_domains             : %u\n", info.nr_domains);
	printf("max_domains            : %u\n", info.max_domains);
	return 0;
}
