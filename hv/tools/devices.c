// SPDX-License-Identifier: GPL-2.0-only
/*
 * devices.c: a domain's devices as a whole. hv create writes them after the
 * VMM is up; a VMM restarting its domain (on_reboot=restart) runs
 * "hv devices-add" for the new domid, as xl re-creates a rebooted domain's
 * devices; when a domain is gone its backend directories go.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/backends.h"
#include "common/config.h"
#include "common/runtime.h"
#include "common/xs_client.h"
#include "tools/tools.h"

int devices_add(struct xs_client *h, uint32_t domid, struct hv_config *cfg)
{
	unsigned int i;

	if (block_add_all(h, domid, cfg->disks, cfg->nr_disks) ||
	    pci_attach_config(domid, cfg))
		return -1;
	for (i = 0; i < cfg->nr_vifs; i++)
		if (network_add(h, domid, &cfg->vifs[i], NULL))
			return -1;
	return 0;
}

void devices_remove_domain(uint32_t domid)
{
	const char *env = getenv("XENSTORED_PATH");
	struct xs_client *h;
	int err;

	/* Quietly: without a store there is nothing to remove. */
	h = xs_client_open(env && *env ? env : XS_CLIENT_SOCKET);
	if (!h)
		return;
	err = xs_backends_remove(h, domid);
	if (err)
		fprintf(stderr, "hv: removing domain %u's backend directories: %s\n", domid,
			xs_client_strerror(err));
	xs_client_close(h);
}

int cmd_devices_add(int argc, char **argv)
{
	char err[HV_CONFIG_ERR_MAX];
	struct hvctl_domain_info info;
	const char *env = getenv("XENSTORED_PATH");
	struct hv_config cfg;
	struct xs_client *h;
	int ret;

	if (argc != 3)
		die_usage("devices-add");
	if (hv_config_load(argv[2], &cfg, err, sizeof(err))) {
		fprintf(stderr, "hv: %s\n", err);
		return 1;
	}
	if (hvctl_find(argv[1], &info))
		return 1;
	h = xs_client_open(env && *env ? env : XS_CLIENT_SOCKET);
	if (!h) {
		fprintf(stderr, "hv: no store: %s\n", xs_client_strerror(errno));
		return 1;
	}
	ret = devices_add(h, info.domid, &cfg);
	xs_client_close(h);
	return ret ? 1 : 0;
}
