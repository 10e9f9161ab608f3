// SPDX-License-Identifier: GPL-2.0-only
/*
 * mem.c: hv mem-set (the balloon target, memory/target in the store) and
 * hv mem-max (the ceiling hv.ko enforces, and memory/static-max), as xl's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/xs_client.h"
#include "tools/memsize.h"
#include "tools/tools.h"

static int mem_get(int fd, uint32_t domid, struct hvctl_mem *m)
{
	memset(m, 0, sizeof(*m));
	m->domid = domid;
	return ioctl(fd, HVCTL_MEM_GET, m);
}

static int store_write_kib(const struct hvctl_domain_info *d, const char *node,
			   uint64_t kib)
{
	const char *env = getenv("XENSTORED_PATH");
	char path[96], value[32];
	struct xs_client *h;
	int err;

	h = xs_client_open(env && *env ? env : XS_CLIENT_SOCKET);
	if (!h) {
		fprintf(stderr, "hv: no xenstored at %s: %s\n",
			env && *env ? env : XS_CLIENT_SOCKET, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "/local/domain/%u/%s", d->domid, node);
	snprintf(value, sizeof(value), "%" PRIu64, kib);
	err = xs_client_write(h, 0, path, value, (unsigned int)strlen(value));
	xs_client_close(h);
	if (err) {
		fprintf(stderr, "hv: domain '%s': writing %s: %s\n", d->name, path,
			xs_client_strerror(err));
		return -1;
	}
	return 0;
}

/* DOM and SIZE from argv, the domain's memory facts in *M; fd or -1. */
static int setup(int argc, char **argv, struct hvctl_domain_info *d,
		 uint64_t *kib, struct hvctl_mem *m)
{
	const char *why;
	int fd;

	if (argc != 3)
		die_usage(argv[0]);
	if (memsize_parse_kib(argv[2], kib, &why)) {
		fprintf(stderr, "hv: %s: '%s': %s\n", argv[0], argv[2], why);
		return -1;
	}
	if (hvctl_find(argv[1], d))
		return -1;
	fd = hvctl_open();
	if (fd < 0)
		return -1;
	if (mem_get(fd, d->domid, m)) {
		fprintf(stderr, "hv: %s: domain '%s': %s\n", argv[0], d->name,
			strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int cmd_mem_set(int argc, char **argv)
{
	struct hvctl_domain_info d;
	struct hvctl_mem m;
	uint64_t kib, floor;
	int fd = setup(argc, argv, &d, &kib, &m);

	if (fd < 0)
		return 1;
	close(fd);
	if (kib > m.max_kib) {
		fprintf(stderr, "hv: mem-set: %" PRIu64 " MiB is above the maxmem of domain '%s' "
			"(%" PRIu64 " MiB); raise it first with hv mem-max\n",
			kib >> 10, d.name, (uint64_t)m.max_kib >> 10);
		return 1;
	}
	floor = memsize_safe_floor_kib(m.ram_kib);
	if (kib < floor)
		fprintf(stderr, "hv: warning: %" PRIu64 " MiB is below the safe floor of "
			"%" PRIu64 " MiB for domain '%s': the guest may stop working\n",
			kib >> 10, (floor + 1023) >> 10, d.name);
	return store_write_kib(&d, "memory/target", kib) ? 1 : 0;
}

int cmd_mem_max(int argc, char **argv)
{
	struct hvctl_domain_info d;
	struct hvctl_mem m;
	uint64_t kib;
	int fd = setup(argc, argv, &d, &kib, &m), err;

	if (fd < 0)
		return 1;
	m.max_kib = kib;
	err = ioctl(fd, HVCTL_MEM_SET_MAX, &m);
	close(fd);
	if (err) {
		if (errno == EINVAL)
			fprintf(stderr, "hv: mem-max: %" PRIu64 " MiB for domain '%s': the ceiling "
				"must be between %u MiB and its RAM layout, %" PRIu64 " MiB "
				"(its maxmem at creation)\n", kib >> 10, d.name,
				HVCTL_MEMORY_MIN_KIB >> 10, (uint64_t)m.ram_kib >> 10);
		else
			fprintf(stderr, "hv: mem-max: domain '%s': %s\n", d.name, strerror(errno));
		return 1;
	}
	return store_write_kib(&d, "memory/static-max", kib) ? 1 : 0;
}
