// SPDX-License-Identifier: GPL-2.0-only
/* hvctl.c: the toolstack's side of /dev/hvctl: list and find domains. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/runtime.h"
#include "tools/tools.h"

int hvctl_open(void)
{
	int fd = open(HV_CTL_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "hv: %s: %s (is hv.ko loaded?)\n", HV_CTL_DEVICE,
			strerror(errno));
	return fd;
}

int hvctl_list(struct hvctl_domain_info *out, int max)
{
	struct hvctl_domain_list req = {
		.nr_entries = (uint32_t)max,
		.entries = (uint64_t)(uintptr_t)out,
	};
	int fd = hvctl_open();

	if (fd < 0)
		return -1;
	if (ioctl(fd, HVCTL_DOMAIN_LIST, &req)) {
		fprintf(stderr, "hv: listing domains: %s\n", strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return (int)req.nr_entries;
}

int hvctl_find(const char *dom, struct hvctl_domain_info *info)
{
	static struct hvctl_domain_info all[HV_MAX_DOMAINS];
	char *end;
	unsigned long id = strtoul(dom, &end, 10);
	int numeric = *dom && !*end;
	int n = hvctl_list(all, HV_MAX_DOMAINS), i;

	if (n < 0)
		return -1;
	if ((numeric && id == 0) || !strcmp(dom, "Domain-0")) {
		fprintf(stderr, "hv: domain '%s' is Domain-0, this host: not a guest\n", dom);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((numeric && all[i].domid == id) || !strcmp(all[i].name, dom)) {
			*info = all[i];
			return 0;
		}
	}
	fprintf(stderr, "hv: domain '%s' does not exist\n", dom);
	return -1;
}

int hvctl_name_exists(const char *name, struct hvctl_domain_info *info)
{
	static struct hvctl_domain_info all[HV_MAX_DOMAINS];
	int n = hvctl_list(all, HV_MAX_DOMAINS), i;

	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (!strcmp(all[i].name, name)) {
			if (info)
				*info = all[i];
			return 1;
		}
	}
	return 0;
}

const char *hvctl_state_letters(uint32_t state)
{
	switch (state) {
	case HVCTL_STATE_BUILDING:
		return "------";
	case HVCTL_STATE_RUNNING:
		return "r-----";
	case HVCTL_STATE_PAUSED:
		return "--p---";
	case HVCTL_STATE_SHUTDOWN:
		return "---s--";
	case HVCTL_STATE_CRASHED:
		return "----c-";
	case HVCTL_STATE_DYING:
		return "-----d";
	}
	return "??????";
}
