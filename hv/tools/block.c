// SPDX-License-Identifier: GPL-2.0-only
/*
 * block.c: virtual disks: hv block-attach, block-detach, block-list, and
 * the store nodes hv create writes for each `disk = [...]` entry.
 *
 * A disk is two store directories, written in one transaction as libxl
 * does:
 *   /local/domain/0/backend/vbd/D/DEVID   (dom0 owns it, D reads it)
 *     frontend, frontend-id, params, type (phy|file), mode (r|w),
 *     device-type, removable, bootable, online, dev, script,
 *     discard-enable, state = 1
 *   /local/domain/D/device/vbd/DEVID      (D owns it, dom0 reads it)
 *     backend, backend-id, virtual-device, device-type, state = 1
 * dom0's udev then runs the hotplug script (scripts/dom0/block) on the
 * backend device, which sets up a loop device for a file and writes
 * physical-device and hotplug-status; blkback and the guest's blkfront
 * take it from there.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "common/disk_spec.h"
#include "common/xs_client.h"
#include "tools/tools.h"

#define HOTPLUG_WAIT_MS	10000
#define DETACH_WAIT_MS	10000
#define TX_RETRIES	8

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static struct xs_client *store(void)
{
	const char *env = getenv("XENSTORED_PATH");
	struct xs_client *h = xs_client_open(env && *env ? env : XS_CLIENT_SOCKET);

	if (!h)
		fprintf(stderr, "hv: no xenstored at %s: %s\n",
			env && *env ? env : XS_CLIENT_SOCKET, strerror(errno));
	return h;
}

static void paths(uint32_t domid, uint32_t devid, char *be, char *fe, size_t len)
{
	snprintf(be, len, "/local/domain/0/backend/vbd/%u/%u", domid, devid);
	snprintf(fe, len, "/local/domain/%u/device/vbd/%u", domid, devid);
}

static int put(struct xs_client *h, uint32_t tx, const char *dir, const char *key,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int put(struct xs_client *h, uint32_t tx, const char *dir, const char *key,
	       const char *fmt, ...)
{
	char path[PATH_MAX], val[DISK_SPEC_TARGET_MAX + 16];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(val))
		return ENAMETOOLONG;
	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_client_write(h, tx, path, val, (unsigned int)n);
}

static int perms(struct xs_client *h, uint32_t tx, const char *dir, unsigned int owner,
		 unsigned int reader)
{
	char p0[16], p1[16];
	const char *p[2] = { p0, p1 };

	snprintf(p0, sizeof(p0), "n%u", owner);
	snprintf(p1, sizeof(p1), "r%u", reader);
	return xs_client_set_perms(h, tx, dir, p, 2);
}

/* Resolve the target: an absolute path, and phy or file from what it is. */
static int resolve(struct disk_spec *d)
{
	char abs[PATH_MAX];
	struct stat st;

	if (!realpath(d->target, abs) || stat(abs, &st)) {
		fprintf(stderr, "hv: disk %s: target %s: %s\n", d->vdev, d->target,
			strerror(errno));
		return -1;
	}
	if (d->kind == DISK_KIND_AUTO)
		d->kind = S_ISBLK(st.st_mode) ? DISK_KIND_PHY : DISK_KIND_FILE;
	if (d->kind == DISK_KIND_PHY && !S_ISBLK(st.st_mode)) {
		fprintf(stderr, "hv: disk %s: phy:%s is not a block device\n", d->vdev, abs);
		return -1;
	}
	if (d->kind == DISK_KIND_FILE && !S_ISREG(st.st_mode)) {
		fprintf(stderr, "hv: disk %s: file:%s is not a regular file\n", d->vdev, abs);
		return -1;
	}
	if (strlen(abs) >= sizeof(d->target)) {
		fprintf(stderr, "hv: disk %s: target path too long\n", d->vdev);
		return -1;
	}
	strcpy(d->target, abs);
	return 0;
}

static int write_tx(struct xs_client *h, uint32_t tx, uint32_t domid,
		    const struct disk_spec *d, const char *be, const char *fe)
{
	const char *devtype = d->cdrom ? "cdrom" : "disk";
	int err;

	err = xs_client_mkdir(h, tx, be);
	err = err ? err : perms(h, tx, be, 0, domid);
	err = err ? err : put(h, tx, be, "frontend", "%s", fe);
	err = err ? err : put(h, tx, be, "frontend-id", "%u", domid);
	err = err ? err : put(h, tx, be, "params", "%s", d->target);
	err = err ? err : put(h, tx, be, "type", "%s",
			      d->kind == DISK_KIND_PHY ? "phy" : "file");
	err = err ? err : put(h, tx, be, "mode", "%s", d->readonly ? "r" : "w");
	err = err ? err : put(h, tx, be, "device-type", "%s", devtype);
	err = err ? err : put(h, tx, be, "removable", "%d", d->cdrom);
	err = err ? err : put(h, tx, be, "bootable", "1");
	err = err ? err : put(h, tx, be, "online", "1");
	err = err ? err : put(h, tx, be, "dev", "%s", d->vdev);
	err = err ? err : put(h, tx, be, "script", "%s", d->script[0] ? d->script : "block");
	err = err ? err : put(h, tx, be, "discard-enable", "%d", d->discard != 0);
	err = err ? err : put(h, tx, be, "state", "1");
	err = err ? err : xs_client_mkdir(h, tx, fe);
	err = err ? err : perms(h, tx, fe, domid, 0);
	err = err ? err : put(h, tx, fe, "backend", "%s", be);
	err = err ? err : put(h, tx, fe, "backend-id", "0");
	err = err ? err : put(h, tx, fe, "virtual-device", "%u", d->devid);
	err = err ? err : put(h, tx, fe, "device-type", "%s", devtype);
	err = err ? err : put(h, tx, fe, "state", "1");
	return err;
}

int block_add(struct xs_client *h, uint32_t domid, struct disk_spec *d)
{
	char be[256], fe[256], *val;
	unsigned int len;
	int err = EAGAIN, i;

	if (resolve(d))
		return -1;
	paths(domid, d->devid, be, fe, sizeof(be));
	for (i = 0; i < TX_RETRIES && err == EAGAIN; i++) {
		uint32_t tx;

		err = xs_client_tx_start(h, &tx);
		if (err)
			break;
		if (!xs_client_read(h, tx, fe, &val, &len) ||
		    !xs_client_read(h, tx, be, &val, &len)) {
			free(val);
			xs_client_tx_end(h, tx, false);
			fprintf(stderr, "hv: domain %u already has a disk %s (%u)\n", domid,
				d->vdev, d->devid);
			return -1;
		}
		err = write_tx(h, tx, domid, d, be, fe);
		if (err) {
			xs_client_tx_end(h, tx, false);
			break;
		}
		err = xs_client_tx_end(h, tx, true);
	}
	if (err) {
		fprintf(stderr, "hv: writing disk %s of domain %u: %s\n", d->vdev, domid,
			xs_client_strerror(err));
		return -1;
	}
	return 0;
}

/* Wait for the hotplug script's word: 0 connected, -1 error or silence. */
static int wait_hotplug(struct xs_client *h, uint32_t domid, const struct disk_spec *d)
{
	long long deadline = now_ms() + HOTPLUG_WAIT_MS;
	char be[256], fe[256], path[300], *val;
	unsigned int len;

	paths(domid, d->devid, be, fe, sizeof(be));
	snprintf(path, sizeof(path), "%s/hotplug-status", be);
	do {
		if (!xs_client_read(h, 0, path, &val, &len)) {
			int ok = !strcmp(val, "connected");

			if (!ok) {
				char *why = NULL;

				snprintf(path, sizeof(path), "%s/hotplug-error", be);
				if (xs_client_read(h, 0, path, &why, &len))
					why = NULL;
				fprintf(stderr, "hv: disk %s: hotplug script: %s%s%s\n", d->vdev,
					val, why ? ": " : "", why ? why : "");
				free(why);
			}
			free(val);
			return ok ? 0 : -1;
		}
		sleep_ms(20);
	} while (now_ms() < deadline);
	fprintf(stderr, "hv: disk %s: no hotplug-status in %s after %d s (is udev running "
		"the block script?)\n", d->vdev, be, HOTPLUG_WAIT_MS / 1000);
	return -1;
}

static void remove_dirs(struct xs_client *h, const char *be, const char *fe)
{
	xs_client_rm(h, 0, fe);
	xs_client_rm(h, 0, be);
}

int block_add_all(struct xs_client *h, uint32_t domid, struct disk_spec *disks,
		  unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (block_add(h, domid, &disks[i]))
			return -1;
	for (i = 0; i < n; i++)
		if (wait_hotplug(h, domid, &disks[i]))
			return -1;
	return 0;
}

int cmd_block_attach(int argc, char **argv)
{
	struct hvctl_domain_info info;
	char err[DISK_SPEC_ERR_MAX], be[256], fe[256];
	struct disk_spec d;
	struct xs_client *h;
	int ret;

	if (argc != 3)
		die_usage("block-attach");
	if (disk_spec_parse(argv[2], &d, err, sizeof(err))) {
		fprintf(stderr, "hv: disk '%s': %s\n", argv[2], err);
		return 1;
	}
	if (hvctl_find(argv[1], &info))
		return 1;
	h = store();
	if (!h)
		return 1;
	ret = block_add(h, info.domid, &d);
	if (!ret) {
		ret = wait_hotplug(h, info.domid, &d);
		if (ret) {
			paths(info.domid, d.devid, be, fe, sizeof(be));
			remove_dirs(h, be, fe);
		}
	}
	xs_client_close(h);
	return ret ? 1 : 0;
}

static int read_state(struct xs_client *h, const char *dir)
{
	char path[300], *val;
	unsigned int len;
	int state;

	snprintf(path, sizeof(path), "%s/state", dir);
	if (xs_client_read(h, 0, path, &val, &len))
		return 0;
	state = atoi(val);
	free(val);
	return state;
}

int cmd_block_detach(int argc, char **argv)
{
	struct hvctl_domain_info info;
	char be[256], fe[256];
	struct xs_client *h;
	long long deadline;
	uint32_t devid;
	int err, state;

	if (argc != 3)
		die_usage("block-detach");
	if (disk_vdev_to_devid(argv[2], &devid)) {
		fprintf(stderr, "hv: '%s' is not a disk name (xvda, xvdb, 51712...)\n", argv[2]);
		return 1;
	}
	if (hvctl_find(argv[1], &info))
		return 1;
	h = store();
	if (!h)
		return 1;
	paths(info.domid, devid, be, fe, sizeof(be));
	if (!read_state(h, be)) {
		fprintf(stderr, "hv: domain '%s' has no disk %s\n", argv[1], argv[2]);
		xs_client_close(h);
		return 1;
	}
	/* As libxl: offline, Closing; the frontend closes, then the backend. */
	err = put(h, 0, be, "online", "0");
	err = err ? err : put(h, 0, be, "state", "5");
	if (err) {
		fprintf(stderr, "hv: closing %s: %s\n", be, xs_client_strerror(err));
		xs_client_close(h);
		return 1;
	}
	deadline = now_ms() + DETACH_WAIT_MS;
	while ((state = read_state(h, be)) != 6 && state && now_ms() < deadline)
		sleep_ms(20);
	if (state && state != 6)
		fprintf(stderr, "hv: disk %s of domain '%s' did not close in %d s (state %d); "
			"removing it anyway\n", argv[2], argv[1], DETACH_WAIT_MS / 1000, state);
	remove_dirs(h, be, fe);
	xs_client_close(h);
	return 0;
}

int cmd_block_list(int argc, char **argv)
{
	struct hvctl_domain_info info;
	char dir[64], fe[256], path[300], **ids;
	unsigned int n, i;
	struct xs_client *h;

	if (argc != 2)
		die_usage("block-list");
	if (hvctl_find(argv[1], &info))
		return 1;
	h = store();
	if (!h)
		return 1;
	printf("%-10s %-3s %-6s %-5s %-6s %-8s %s\n", "Vdev", "BE", "handle", "state",
	       "evt-ch", "ring-ref", "BE-path");
	snprintf(dir, sizeof(dir), "/local/domain/%u/device/vbd", info.domid);
	if (!xs_client_directory(h, 0, dir, &ids, &n)) {
		for (i = 0; i < n; i++) {
			static const char *const keys[] = { "backend-id", "state",
				"event-channel", "ring-ref", "backend" };
			char *v[5];
			unsigned int k, len;

			snprintf(fe, sizeof(fe), "%s/%s", dir, ids[i]);
			for (k = 0; k < 5; k++) {
				snprintf(path, sizeof(path), "%s/%s", fe, keys[k]);
				if (xs_client_read(h, 0, path, &v[k], &len))
					v[k] = NULL;
			}
			printf("%-10s %-3s %-6s %-5s %-6s %-8s %s\n", ids[i],
			       v[0] ? v[0] : "-", ids[i], v[1] ? v[1] : "-",
			       v[2] ? v[2] : "-", v[3] ? v[3] : "-", v[4] ? v[4] : "-");
			for (k = 0; k < 5; k++)
				free(v[k]);
		}
		free(ids);
	}
	xs_client_close(h);
	return 0;
}
