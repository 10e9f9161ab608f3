// SPDX-License-Identifier: GPL-2.0-only
/* list.c: hv list: the domains, as xl list shows them. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/runtime.h"
#include "tools/tools.h"

/* CPU time of the VMM process (all its vCPU threads), in seconds. */
static double cpu_seconds(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long long utime, stime;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');	/* the command name may hold spaces */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &utime, &stime) != 2)
		return -1;
	return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

/* CPU time the host spent outside its idle loop: dom0's Time(s). */
static double host_busy_seconds(void)
{
	unsigned long long user, nice, sys, idle, iowait, irq, softirq, steal;
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user, &nice,
		   &sys, &idle, &iowait, &irq, &softirq, &steal);
	fclose(f);
	if (n != 8)
		return -1;
	return (double)(user + nice + sys + irq + softirq + steal) /
	       (double)sysconf(_SC_CLK_TCK);
}

static void row(const char *name, unsigned int id, unsigned long long mib,
		unsigned int vcpus, const char *state, double secs)
{
	printf("%-40s %5u %5llu %5u     %s ", name, id, mib, vcpus, state);
	if (secs >= 0)
		printf("%10.1f\n", secs);
	else
		printf("%10s\n", "");
}

/* What the domain holds now (ballooning), or its memory if hv.ko cannot say. */
static unsigned long long current_mib(const struct hvctl_domain_info *d)
{
	static int fd = -2;
	struct hvctl_mem m = { .domid = d->domid };

	if (fd == -2)
		fd = open(HV_CTL_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd >= 0 && !ioctl(fd, HVCTL_MEM_GET, &m))
		return (unsigned long long)(m.current_kib >> 10);
	return (unsigned long long)(d->memory_kib >> 10);
}

int cmd_list(int argc, char **argv)
{
	static struct hvctl_domain_info all[HV_MAX_DOMAINS];
	const char *only = argc > 1 ? argv[1] : NULL;
	int n, i, shown = 0;

	if (argc > 2)
		die_usage("list");
	n = hvctl_list(all, HV_MAX_DOMAINS);
	if (n < 0)
		return 1;
	printf("%-40s %5s %5s %5s %10s %10s\n", "Name", "ID", "Mem", "VCPUs", "State", "Time(s)");
	if (!only || !strcmp(only, "0") || !strcmp(only, "Domain-0")) {
		row("Domain-0", 0, host_meminfo_kib("MemTotal") >> 10,
		    (unsigned int)host_cpus(), "r-----", host_busy_seconds());
		shown++;
	}
	for (i = 0; i < n; i++) {
		char id[16];

		snprintf(id, sizeof(id), "%u", all[i].domid);
		if (only && strcmp(only, all[i].name) && strcmp(only, id))
			continue;
		row(all[i].name, all[i].domid, current_mib(&all[i]),
		    all[i].vcpus, hvctl_state_letters(all[i].state), cpu_seconds(all[i].vmm_pid));
		shown++;
	}
	if (only && !shown) {
		fprintf(stderr, "hv: domain '%s' does not exist\n", only);
		return 1;
	}
	return 0;
}
