// SPDX-License-Identifier: GPL-2.0-only
/*
 * network.c: hv network-attach / network-detach / network-list, and the
 * vif nodes hv create writes. The nodes are libxl's:
 *
 *   /local/domain/0/backend/vif/D/N   (owner dom0, domain D may read)
 *     frontend frontend-id online state=1 script mac bridge handle type
 *     [rate = "BYTES,USECS"] [vifname] [ip] [mtu]
 *   /local/domain/D/device/vif/N      (owner D, dom0 may read)
 *     backend backend-id state=1 handle mac [mtu]
 *
 * Detach is libxl's too: online=0 and state=5 (Closing) in the backend,
 * wait for the backend's Closed, then both directories go.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/vif_spec.h"
#include "common/xs_client.h"
#include "tools/tools.h"

#define DETACH_TIMEOUT_MS	10000
#define SCRIPT_DIR		"/etc/xen/scripts"

static const char *store_path(void)
{
	const char *env = getenv("XENSTORED_PATH");

	return env && *env ? env : XS_CLIENT_SOCKET;
}

static int write_str(struct xs_client *h, uint32_t tx, const char *dir, const char *key,
		     const char *val)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_client_write(h, tx, path, val, (unsigned int)strlen(val));
}

static int write_u(struct xs_client *h, uint32_t tx, const char *dir, const char *key,
		   unsigned long long v)
{
	char s[32];

	snprintf(s, sizeof(s), "%llu", v);
	return write_str(h, tx, dir, key, s);
}

/* The next free device id: one past the highest under device/vif. */
static int next_devid(struct xs_client *h, uint32_t domid)
{
	char path[128], **names = NULL;
	unsigned int n = 0, i;
	int next = 0;

	snprintf(path, sizeof(path), "/local/domain/%u/device/vif", domid);
	if (xs_client_directory(h, 0, path, &names, &n))
		return 0;
	for (i = 0; i < n; i++) {
		int id = atoi(names[i]);

		if (id >= next)
			next = id + 1;
	}
	free(names);
	return next;
}

static int write_nodes(struct xs_client *h, uint32_t tx, uint32_t domid,
		       const struct vif_spec *v, int devid)
{
	char fe[128], be[128], mac[18], dperm[16], rperm[16], script[VIF_SPEC_SCRIPT_MAX + 32];
	const char *fe_perms[] = { dperm, "r0" }, *be_perms[] = { "n0", rperm };
	int err;

	snprintf(fe, sizeof(fe), "/local/domain/%u/device/vif/%d", domid, devid);
	snprintf(be, sizeof(be), "/local/domain/0/backend/vif/%u/%d", domid, devid);
	snprintf(dperm, sizeof(dperm), "n%u", domid);
	snprintf(rperm, sizeof(rperm), "r%u", domid);
	vif_mac_format(v->mac, mac);
	if (v->script[0] == '/')
		snprintf(script, sizeof(script), "%s", v->script);
	else
		snprintf(script, sizeof(script), SCRIPT_DIR "/%s", v->script);

	err = xs_client_mkdir(h, tx, fe);
	if (!err)
		err = xs_client_set_perms(h, tx, fe, fe_perms, 2);
	if (!err)
		err = xs_client_mkdir(h, tx, be);
	if (!err)
		err = xs_client_set_perms(h, tx, be, be_perms, 2);
	if (err)
		return err;
	err = write_str(h, tx, be, "frontend", fe) ?:
	      write_u(h, tx, be, "frontend-id", domid) ?:
	      write_str(h, tx, be, "online", "1") ?:
	      write_str(h, tx, be, "script", script) ?:
	      write_str(h, tx, be, "mac", mac) ?:
	      write_str(h, tx, be, "bridge", v->bridge) ?:
	      write_u(h, tx, be, "handle", (unsigned int)devid) ?:
	      write_str(h, tx, be, "type", "vif") ?:
	      write_str(h, tx, fe, "backend", be) ?:
	      write_str(h, tx, fe, "backend-id", "0") ?:
	      write_u(h, tx, fe, "handle", (unsigned int)devid) ?:
	      write_str(h, tx, fe, "mac", mac);
	if (!err && v->has_rate) {
		char rate[64];

		snprintf(rate, sizeof(rate), "%llu,%u", (unsigned long long)v->rate_bytes,
			 v->rate_usecs);
		err = write_str(h, tx, be, "rate", rate);
	}
	if (!err && v->vifname[0])
		err = write_str(h, tx, be, "vifname", v->vifname);
	if (!err && v->ip[0])
		err = write_str(h, tx, be, "ip", v->ip);
	if (!err && v->mtu)
		err = write_u(h, tx, be, "mtu", v->mtu) ?: write_u(h, tx, fe, "mtu", v->mtu);
	/* state last: the drivers start on it */
	if (!err)
		err = write_str(h, tx, be, "state", "1") ?: write_str(h, tx, fe, "state", "1");
	return err;
}

int network_add(struct xs_client *h, uint32_t domid, struct vif_spec *v, int *devid_out)
{
	char path[128], *val = NULL;
	unsigned int len;
	int devid, err;
	uint32_t tx;

	if (vif_spec_fill_mac(v)) {
		fprintf(stderr, "hv: cannot read /dev/urandom for a MAC address\n");
		return -1;
	}
	do {
		devid = v->devid >= 0 ? v->devid : next_devid(h, domid);
		snprintf(path, sizeof(path), "/local/domain/%u/device/vif/%d", domid, devid);
		if (!xs_client_read(h, 0, path, &val, &len)) {
			free(val);
			fprintf(stderr, "hv: domain %u already has vif %d\n", domid, devid);
			return -1;
		}
		err = xs_client_tx_start(h, &tx);
		if (err)
			break;
		err = write_nodes(h, tx, domid, v, devid);
		if (err) {
			xs_client_tx_end(h, tx, false);
			break;
		}
		err = xs_client_tx_end(h, tx, true);
	} while (err == EAGAIN);
	if (err) {
		fprintf(stderr, "hv: writing vif %d of domain %u: %s\n", devid, domid,
			xs_client_strerror(err));
		return -1;
	}
	if (devid_out)
		*devid_out = devid;
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int read_state(struct xs_client *h, const char *dir)
{
	char path[160], *val = NULL;
	unsigned int len;
	int state;

	snprintf(path, sizeof(path), "%s/state", dir);
	if (xs_client_read(h, 0, path, &val, &len))
		return -1;
	state = atoi(val);
	free(val);
	return state;
}

int network_remove(struct xs_client *h, uint32_t domid, int devid, int wait_ms)
{
	char fe[128], be[128];
	long long deadline = now_ms() + wait_ms;
	int state, err;
	uint32_t tx;

	snprintf(fe, sizeof(fe), "/local/domain/%u/device/vif/%d", domid, devid);
	snprintf(be, sizeof(be), "/local/domain/0/backend/vif/%u/%d", domid, devid);
	state = read_state(h, be);
	if (state < 0 && read_state(h, fe) < 0) {
		fprintf(stderr, "hv: domain %u has no vif %d\n", domid, devid);
		return -1;
	}
	if (state >= 0 && state != 6) {
		do {
			err = xs_client_tx_start(h, &tx);
			if (err)
				break;
			err = write_str(h, tx, be, "online", "0") ?:
			      write_str(h, tx, be, "state", "5");
			if (err) {
				xs_client_tx_end(h, tx, false);
				break;
			}
			err = xs_client_tx_end(h, tx, true);
		} while (err == EAGAIN);
		while (now_ms() < deadline) {
			struct timespec tick = { 0, 50 * 1000 * 1000 };

			state = read_state(h, be);
			if (state == 6 || state < 0)
				break;
			nanosleep(&tick, NULL);
		}
		if (state != 6 && state >= 0)
			fprintf(stderr, "hv: vif %d of domain %u did not close in %d s; "
				"removing it anyway\n", devid, domid, wait_ms / 1000);
	}
	err = xs_client_rm(h, 0, fe);
	if (err && err != ENOENT)
		fprintf(stderr, "hv: removing %s: %s\n", fe, xs_client_strerror(err));
	err = xs_client_rm(h, 0, be);
	if (err && err != ENOENT) {
		fprintf(stderr, "hv: removing %s: %s\n", be, xs_client_strerror(err));
		return -1;
	}
	return 0;
}

int cmd_network_attach(int argc, char **argv)
{
	struct hvctl_domain_info info;
	struct vif_spec v;
	struct xs_client *h;
	char err[VIF_SPEC_ERR_MAX], spec[1024] = "";
	int i, devid, ret;

	if (argc < 2)
		die_usage("network-attach");
	/* xl takes the spec as one or several arguments */
	for (i = 2; i < argc; i++) {
		if (strlen(spec) + strlen(argv[i]) + 2 > sizeof(spec)) {
			fprintf(stderr, "hv: network-attach: spec too long\n");
			return 1;
		}
		if (spec[0])
			strcat(spec, ",");
		strcat(spec, argv[i]);
	}
	if (vif_spec_parse(spec, &v, err, sizeof(err))) {
		fprintf(stderr, "hv: network-attach: %s\n", err);
		return 1;
	}
	if (hvctl_find(argv[1], &info))
		return 1;
	h = xs_client_open(store_path());
	if (!h) {
		fprintf(stderr, "hv: xenstored at %s: %s\n", store_path(), strerror(errno));
		return 1;
	}
	ret = network_add(h, info.domid, &v, &devid) ? 1 : 0;
	xs_client_close(h);
	if (!ret)
		printf("%d\n", devid);
	return ret;
}

int cmd_network_detach(int argc, char **argv)
{
	struct hvctl_domain_info info;
	struct xs_client *h;
	char *end;
	long devid;
	int ret;

	if (argc != 3)
		die_usage("network-detach");
	errno = 0;
	devid = strtol(argv[2], &end, 10);
	if (errno || *end || end == argv[2] || devid < 0 || devid > 65535) {
		fprintf(stderr, "hv: network-detach: '%s' is not a device id\n", argv[2]);
		return 1;
	}
	if (hvctl_find(argv[1], &info))
		return 1;
	h = xs_client_open(store_path());
	if (!h) {
		fprintf(stderr, "hv: xenstored at %s: %s\n", store_path(), strerror(errno));
		return 1;
	}
	ret = network_remove(h, info.domid, (int)devid, DETACH_TIMEOUT_MS) ? 1 : 0;
	xs_client_close(h);
	return ret;
}

static void show_field(struct xs_client *h, const char *dir, const char *key, int width)
{
	char path[192], *val = NULL;
	unsigned int len;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	if (xs_client_read(h, 0, path, &val, &len))
		printf("%-*s ", width, "-");
	else
		printf("%-*s ", width, val);
	free(val);
}

int cmd_network_list(int argc, char **argv)
{
	struct hvctl_domain_info info;
	struct xs_client *h;
	char path[128], **names = NULL;
	unsigned int n = 0, i;

	if (argc != 2)
		die_usage("network-list");
	if (hvctl_find(argv[1], &info))
		return 1;
	h = xs_client_open(store_path());
	if (!h) {
		fprintf(stderr, "hv: xenstored at %s: %s\n", store_path(), strerror(errno));
		return 1;
	}
	printf("Idx BE Mac Addr.         handle state evt-ch tx-/rx-ring-ref BE-path\n");
	snprintf(path, sizeof(path), "/local/domain/%u/device/vif", info.domid);
	if (!xs_client_directory(h, 0, path, &names, &n)) {
		for (i = 0; i < n; i++) {
			char fe[160], be[160];

			snprintf(fe, sizeof(fe), "%s/%s", path, names[i]);
			snprintf(be, sizeof(be), "/local/domain/0/backend/vif/%u/%s", info.domid,
				 names[i]);
			printf("%-3s 0  ", names[i]);
			show_field(h, fe, "mac", 17);
			show_field(h, fe, "handle", 6);
			show_field(h, fe, "state", 5);
			show_field(h, fe, "event-channel", 6);
			show_field(h, fe, "tx-ring-ref", 7);
			show_field(h, fe, "rx-ring-ref", 7);
			printf("%s\n", be);
		}
		free(names);
	}
	xs_client_close(h);
	return 0;
}
