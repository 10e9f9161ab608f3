// SPDX-License-Identifier: GPL-2.0-only
/* destroy.c: hv destroy: end a domain at once, whatever its guest does. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "common/runtime.h"
#include "common/xs_client.h"
#include "tools/tools.h"

#define DESTROY_WAIT_MS 10000

static int still_there(uint32_t domid)
{
	static struct hvctl_domain_info all[HV_MAX_DOMAINS];
	int n = hvctl_list(all, HV_MAX_DOMAINS), i;

	for (i = 0; i < n; i++)
		if (all[i].domid == domid)
			return 1;
	return 0;
}

/* xenstored sees the death itself (VIRQ_DOM_EXC); telling it too makes
 * the domain's store nodes, ring mapping and port go before we return. */
static void store_release(uint32_t domid)
{
	const char *env = getenv("XENSTORED_PATH");
	struct xs_client *h = xs_client_open(env && *env ? env : XS_CLIENT_SOCKET);
	int err;

	if (!h)
		return;
	err = xs_client_release(h, domid);
	if (err && err != ENOENT)
		fprintf(stderr, "hv: xenstored: releasing domain %u: %s\n", domid,
			xs_client_strerror(err));
	xs_client_close(h);
}

int cmd_destroy(int argc, char **argv)
{
	struct hvctl_domain_info d;
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	char sock[128];
	int fd, waited;

	if (argc != 2)
		die_usage("destroy");
	if (hvctl_find(argv[1], &d))
		return 1;
	fd = hvctl_open();
	if (fd < 0)
		return 1;
	if (ioctl(fd, HVCTL_DOMAIN_DESTROY, &d.domid)) {
		fprintf(stderr, "hv: destroying domain '%s': %s\n", argv[1],
			errno == ESRCH ? "it does not exist" : strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	/* hv.ko killed the VMM; the domain is gone once its file is closed. */
	for (waited = 0; still_there(d.domid); waited += 20) {
		if (waited >= DESTROY_WAIT_MS) {
			fprintf(stderr, "hv: domain '%s' is still dying after %d s\n",
				d.name, DESTROY_WAIT_MS / 1000);
			return 1;
		}
		nanosleep(&tick, NULL);
	}
	store_release(d.domid);
	devices_remove_domain(d.domid);
	/* A killed VMM cannot remove its socket: do it for it. */
	snprintf(sock, sizeof(sock), HV_RUN_DIR "/%s.sock", d.name);
	if (!hvctl_name_exists(d.name, NULL))
		unlink(sock);
	return 0;
}
