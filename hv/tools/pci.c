// SPDX-License-Identifier: GPL-2.0-only
/*
 * pci.c: PCI passthrough in the toolstack, as xl has it:
 *   pci-assignable-add BDF       take the device from its dom0 driver and
 *                                give it to pciback (new_slot, bind)
 *   pci-assignable-remove [-r] BDF   give it back (-r: to its old driver)
 *   pci-assignable-list          what pciback holds
 *   pci-attach DOM BDF[,permissive=1]   pci-detach DOM BDF   pci-list DOM
 * and, for `hv create`, the devices of a config's pci = [ ... ] list.
 * The store layout is Xen's: backend/pci/DOMID/0 (num_devs, dev-N,
 * opts-N, state-N, key-N; pciback adds vdev-N, root_num, root-N) and the
 * frontend's device/pci/0.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/config.h"
#include "common/runtime.h"
#include "common/xs_client.h"
#include "tools/tools.h"
#include "../../drivers/xen/pciback/bdf.h"

#define SYS_DEVICES	"/sys/bus/pci/devices"
#define SYS_DRIVERS	"/sys/bus/pci/drivers"
#define PCIBACK_DIR	SYS_DRIVERS "/pciback"
#define SAVED_DRIVERS	HV_RUN_DIR "/pci"	/* BDF -> the driver it had */
#define PCI_DEVS_MAX	16			/* pciback's PCIBACK_MAX_DEVS */
#define STATE_CONNECTED	4

/* BDF as "DDDD:BB:SS.F" in OUT; -1 with a message if malformed. */
static int normalize(const char *arg, char out[PCIBACK_BDF_STRLEN])
{
	struct pciback_bdf b;

	if (pciback_parse_bdf_str(arg, strlen(arg), false, &b)) {
		fprintf(stderr, "hv: '%s' is not a PCI address (DDDD:BB:SS.F or BB:SS.F)\n", arg);
		return -1;
	}
	snprintf(out, PCIBACK_BDF_STRLEN, "%04x:%02x:%02x.%x", (unsigned int)b.domain & 0xffff,
		 (unsigned int)b.bus & 0xff, (unsigned int)b.slot & 0x1f, (unsigned int)b.func & 7);
	return 0;
}

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -1;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		ret = -1;
	if (close(fd))
		ret = -1;
	return ret;
}

/* The name of the driver BDF is bound to into OUT ("" if none). */
static void driver_of(const char *bdf, char *out, size_t len)
{
	char link[PATH_MAX], target[PATH_MAX];
	const char *name;
	ssize_t n;

	snprintf(link, sizeof(link), SYS_DEVICES "/%s/driver", bdf);
	n = readlink(link, target, sizeof(target) - 1);
	out[0] = '\0';
	if (n <= 0)
		return;
	target[n] = '\0';
	name = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
	if (strlen(name) < len)
		memcpy(out, name, strlen(name) + 1);
}

static int device_exists(const char *bdf)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), SYS_DEVICES "/%s", bdf);
	if (!access(path, F_OK))
		return 1;
	fprintf(stderr, "hv: no PCI device %s in dom0\n", bdf);
	return 0;
}

static int pciback_loaded(void)
{
	if (!access(PCIBACK_DIR, F_OK))
		return 1;
	fprintf(stderr, "hv: pciback is not loaded (modprobe pciback)\n");
	return 0;
}

static int has_iommu(const char *bdf)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), SYS_DEVICES "/%s/iommu_group", bdf);
	return !access(path, F_OK);
}

/* The domain pciback says uses BDF (its irq_handlers file), or -1. */
static int pciback_owner(const char *bdf)
{
	FILE *f = fopen(PCIBACK_DIR "/irq_handlers", "r");
	char line[256];
	int owner = -1, d;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *dom = strstr(line, ":domain ");

		if (!strncmp(line, bdf, strlen(bdf)) && dom && sscanf(dom, ":domain %d", &d) == 1)
			owner = d;
	}
	fclose(f);
	return owner;
}

int cmd_pci_assignable_add(int argc, char **argv)
{
	char bdf[PCIBACK_BDF_STRLEN], drv[256], path[PATH_MAX];

	if (argc != 2)
		die_usage("pci-assignable-add");
	if (normalize(argv[1], bdf) || !device_exists(bdf) || !pciback_loaded())
		return 1;
	driver_of(bdf, drv, sizeof(drv));
	if (!strcmp(drv, "pciback")) {
		printf("%s is already assignable\n", bdf);
		return 0;
	}
	if (drv[0]) {
		FILE *f;

		if (mkdir(HV_RUN_DIR, 0755) && errno != EEXIST)
			perror("hv: " HV_RUN_DIR);
		if (mkdir(SAVED_DRIVERS, 0755) && errno != EEXIST)
			perror("hv: " SAVED_DRIVERS);
		snprintf(path, sizeof(path), SAVED_DRIVERS "/%s", bdf);
		f = fopen(path, "w");
		if (f) {
			fprintf(f, "%s\n", drv);
			fclose(f);
		}
		snprintf(path, sizeof(path), SYS_DRIVERS "/%s/unbind", drv);
		if (write_file(path, bdf)) {
			fprintf(stderr, "hv: unbinding %s from %s: %s\n", bdf, drv, strerror(errno));
			return 1;
		}
	}
	if (write_file(PCIBACK_DIR "/new_slot", bdf) && errno != EEXIST) {
		fprintf(stderr, "hv: pciback new_slot %s: %s\n", bdf, strerror(errno));
		return 1;
	}
	if (write_file(PCIBACK_DIR "/bind", bdf)) {
		fprintf(stderr, "hv: pciback bind %s: %s (see dmesg)\n", bdf, strerror(errno));
		return 1;
	}
	if (!has_iommu(bdf))
		fprintf(stderr, "hv: warning: %s has no IOMMU: pci-attach will refuse it unless "
			"pciback's unsafe_no_iommu is set, and then its domain can DMA anywhere\n",
			bdf);
	return 0;
}

int cmd_pci_assignable_remove(int argc, char **argv)
{
	char bdf[PCIBACK_BDF_STRLEN], drv[256], path[PATH_MAX], old[256] = "";
	int rebind = 0, owner;
	const char *arg = NULL;
	FILE *f;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-r"))
			rebind = 1;
		else if (arg)
			die_usage("pci-assignable-remove");
		else
			arg = argv[i];
	}
	if (!arg)
		die_usage("pci-assignable-remove");
	if (normalize(arg, bdf) || !device_exists(bdf) || !pciback_loaded())
		return 1;
	driver_of(bdf, drv, sizeof(drv));
	if (strcmp(drv, "pciback")) {
		fprintf(stderr, "hv: %s is not assignable (bound to %s)\n", bdf,
			drv[0] ? drv : "no driver");
		return 1;
	}
	owner = pciback_owner(bdf);
	if (owner >= 0) {
		fprintf(stderr, "hv: %s is in use by domain %d (hv pci-detach %d %s first)\n",
			bdf, owner, owner, bdf);
		return 1;
	}
	if (write_file(PCIBACK_DIR "/unbind", bdf)) {
		fprintf(stderr, "hv: pciback unbind %s: %s\n", bdf, strerror(errno));
		return 1;
	}
	if (write_file(PCIBACK_DIR "/remove_slot", bdf) && errno != ENOENT)
		fprintf(stderr, "hv: pciback remove_slot %s: %s\n", bdf, strerror(errno));
	snprintf(path, sizeof(path), SAVED_DRIVERS "/%s", bdf);
	f = fopen(path, "r");
	if (f) {
		if (!fgets(old, sizeof(old), f))
			old[0] = '\0';
		old[strcspn(old, "\n")] = '\0';
		fclose(f);
	}
	if (rebind && old[0]) {
		char bind[PATH_MAX];

		snprintf(bind, sizeof(bind), SYS_DRIVERS "/%s/bind", old);
		if (write_file(bind, bdf)) {
			fprintf(stderr, "hv: binding %s back to %s: %s\n", bdf, old, strerror(errno));
			return 1;
		}
	} else if (rebind) {
		fprintf(stderr, "hv: %s had no dom0 driver to go back to\n", bdf);
	}
	unlink(path);
	return 0;
}

int cmd_pci_assignable_list(int argc, char **argv)
{
	struct dirent *e;
	DIR *dir;

	(void)argv;
	if (argc != 1)
		die_usage("pci-assignable-list");
	dir = opendir(PCIBACK_DIR);
	if (!dir)
		return 0;	/* pciback not loaded: nothing is assignable */
	while ((e = readdir(dir))) {
		struct pciback_bdf b;

		if (!pciback_parse_bdf_str(e->d_name, strlen(e->d_name), false, &b))
			printf("%s\n", e->d_name);
	}
	closedir(dir);
	return 0;
}

/* ---- Devices of a domain: the store ----------------------------------------- */

static struct xs_client *store(void)
{
	const char *env = getenv("XENSTORED_PATH");
	struct xs_client *h = xs_client_open(env && *env ? env : XS_CLIENT_SOCKET);

	if (!h)
		fprintf(stderr, "hv: cannot reach xenstored: %s\n", strerror(errno));
	return h;
}

static void be_path(char *out, size_t len, uint32_t domid, const char *key)
{
	snprintf(out, len, "/local/domain/0/backend/pci/%u/0%s%s", domid, key ? "/" : "",
		 key ? key : "");
}

static int xs_write_str(struct xs_client *h, uint32_t tx, const char *path, const char *val)
{
	int err = xs_client_write(h, tx, path, val, (unsigned int)strlen(val));

	if (err)
		fprintf(stderr, "hv: writing %s: %s\n", path, xs_client_strerror(err));
	return err;
}

static int xs_printf(struct xs_client *h, uint32_t tx, const char *dir, const char *key,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int xs_printf(struct xs_client *h, uint32_t tx, const char *dir, const char *key,
		     const char *fmt, ...)
{
	char path[256], val[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_write_str(h, tx, path, val);
}

/* The domain that has BDF in the store (a live one), or -1. */
static long store_owner(struct xs_client *h, const char *bdf)
{
	char **doms = NULL, path[256], *val;
	unsigned int n = 0, i, j, len;
	long owner = -1;

	if (xs_client_directory(h, 0, "/local/domain/0/backend/pci", &doms, &n))
		return -1;
	for (i = 0; i < n && owner < 0; i++) {
		uint32_t domid = (uint32_t)strtoul(doms[i], NULL, 10);

		for (j = 0; j < PCI_DEVS_MAX && owner < 0; j++) {
			char key[24];

			snprintf(key, sizeof(key), "dev-%u", j);
			be_path(path, sizeof(path), domid, key);
			if (xs_client_read(h, 0, path, &val, &len))
				continue;
			if (!strcmp(val, bdf))
				owner = domid;
			free(val);
		}
	}
	free(doms);
	return owner;
}

/* Remove backend/pci/D of domains that are gone (xl removes them when it
 * destroys a domain; a VMM killed outright leaves them). */
static void drop_stale(struct xs_client *h)
{
	static struct hvctl_domain_info all[HV_MAX_DOMAINS];
	char **doms = NULL, path[128];
	unsigned int n = 0, i;
	int nr = hvctl_list(all, HV_MAX_DOMAINS), k, live;

	if (nr < 0 || xs_client_directory(h, 0, "/local/domain/0/backend/pci", &doms, &n))
		return;
	for (i = 0; i < n; i++) {
		unsigned long domid = strtoul(doms[i], NULL, 10);

		for (live = 0, k = 0; k < nr; k++)
			live |= all[k].domid == domid;
		if (live)
			continue;
		snprintf(path, sizeof(path), "/local/domain/0/backend/pci/%lu", domid);
		xs_client_rm(h, 0, path);
	}
	free(doms);
}

/* Write the pci device pair of DOMID with its devices, as xl does. */
static int store_add_devices(struct xs_client *h, uint32_t domid, const char *name,
			     const struct hv_config_pci *devs, unsigned int nr)
{
	char be[128], fe[128], path[160], perm_fe[16], perm_be[16];
	const char *fe_perms[2] = { perm_fe, "r0" }, *be_perms[2] = { "n0", perm_be };
	unsigned int i;
	uint32_t tx;
	int err;

	be_path(be, sizeof(be), domid, NULL);
	snprintf(fe, sizeof(fe), "/local/domain/%u/device/pci/0", domid);
	snprintf(perm_fe, sizeof(perm_fe), "n%u", domid);
	snprintf(perm_be, sizeof(perm_be), "r%u", domid);
	for (;;) {
		err = xs_client_tx_start(h, &tx);
		if (err)
			break;
		err = xs_client_mkdir(h, tx, fe) || xs_client_mkdir(h, tx, be) ||
		      xs_client_set_perms(h, tx, fe, fe_perms, 2) ||
		      xs_client_set_perms(h, tx, be, be_perms, 2) ||
		      xs_printf(h, tx, fe, "backend", "%s", be) ||
		      xs_printf(h, tx, fe, "backend-id", "0") ||
		      xs_printf(h, tx, be, "frontend", "%s", fe) ||
		      xs_printf(h, tx, be, "frontend-id", "%u", domid) ||
		      xs_printf(h, tx, be, "online", "1") ||
		      xs_printf(h, tx, be, "domain", "%s", name) ||
		      xs_printf(h, tx, be, "num_devs", "%u", nr);
		for (i = 0; i < nr && !err; i++) {
			char key[24];

			snprintf(key, sizeof(key), "dev-%u", i);
			err = xs_printf(h, tx, be, key, "%s", devs[i].bdf);
			snprintf(key, sizeof(key), "key-%u", i);
			err = err || xs_printf(h, tx, be, key, "%s", devs[i].bdf);
			snprintf(key, sizeof(key), "opts-%u", i);
			err = err || xs_printf(h, tx, be, key, "permissive=%d", devs[i].permissive);
			snprintf(key, sizeof(key), "state-%u", i);
			err = err || xs_printf(h, tx, be, key, "1");
		}
		/* state last: the backend and frontend drivers probe on it. */
		err = err || xs_printf(h, tx, be, "state", "1") || xs_printf(h, tx, fe, "state", "1");
		if (err) {
			xs_client_tx_end(h, tx, false);
			break;
		}
		err = xs_client_tx_end(h, tx, true);
		if (err != EAGAIN)
			break;
	}
	if (err) {
		snprintf(path, sizeof(path), "%s", be);
		fprintf(stderr, "hv: writing %s: %s\n", path, xs_client_strerror(err));
		return -1;
	}
	return 0;
}

/* Checks before giving BDF to DOMID: pciback holds it, no one else has it,
 * an IOMMU (or the force) is there. */
static int assignable(struct xs_client *h, const char *bdf, uint32_t domid)
{
	char drv[256];
	long owner;

	if (!device_exists(bdf) || !pciback_loaded())
		return 0;
	driver_of(bdf, drv, sizeof(drv));
	if (strcmp(drv, "pciback")) {
		fprintf(stderr, "hv: %s is not assignable: %s (hv pci-assignable-add %s)\n", bdf,
			drv[0] ? "dom0's driver holds it" : "pciback does not hold it", bdf);
		if (drv[0])
			fprintf(stderr, "hv: %s is bound to %s\n", bdf, drv);
		return 0;
	}
	owner = pciback_owner(bdf);
	if (owner < 0)
		owner = store_owner(h, bdf);
	if (owner >= 0) {
		fprintf(stderr, "hv: %s is already assigned to domain %ld\n", bdf, owner);
		return 0;
	}
	if (!has_iommu(bdf)) {
		FILE *f = fopen("/sys/module/pciback/parameters/unsafe_no_iommu", "r");
		int forced = f && fgetc(f) == 'Y';

		if (f)
			fclose(f);
		if (!forced) {
			fprintf(stderr, "hv: %s has no IOMMU: refused. A domain given it could DMA "
				"anywhere in the host; load pciback with unsafe_no_iommu=1 to force it, "
				"for a fully trusted domain only\n", bdf);
			return 0;
		}
		fprintf(stderr, "hv: warning: %s has no IOMMU (forced): domain %u can DMA "
			"anywhere in the host and must be trusted\n", bdf, domid);
	}
	return 1;
}

/* Wait until pciback has taken the devices: backend Initialised or later
 * and no error; -1 with the backend's error printed. */
static int wait_backend(struct xs_client *h, uint32_t domid)
{
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	char path[160], *val;
	unsigned int len;
	int i, state = 0;

	for (i = 0; i < 100; i++) {
		snprintf(path, sizeof(path), "/local/domain/0/error/backend/pci/%u/0/error", domid);
		if (!xs_client_read(h, 0, path, &val, &len)) {
			fprintf(stderr, "hv: pciback: %s\n", val);
			free(val);
			return -1;
		}
		be_path(path, sizeof(path), domid, "state");
		if (!xs_client_read(h, 0, path, &val, &len)) {
			state = atoi(val);
			free(val);
			if (state >= 3 && state <= 4)
				return 0;
		}
		nanosleep(&tick, NULL);
	}
	fprintf(stderr, "hv: pciback did not take the devices of domain %u (backend state %d); "
		"is pciback loaded?\n", domid, state);
	return -1;
}

/* Ask DOMAIN's VMM to map (or unmap) BDF's memory BARs: "pci-map BDF". */
static int vmm_pci(const char *name, const char *verb, const char *bdf)
{
	char cmd[64], reply[600];
	int fd;

	snprintf(cmd, sizeof(cmd), "%s %s", verb, bdf);
	fd = vmmsock_connect(name, cmd);
	if (fd < 0)
		return -1;
	if (vmmsock_reply(fd, reply, sizeof(reply)) || strncmp(reply, "OK", 2)) {
		fprintf(stderr, "hv: domain '%s': %s %s: %s\n", name, verb, bdf,
			reply[0] ? reply : "no answer from its VMM");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static void remove_pair(struct xs_client *h, uint32_t domid)
{
	char path[128];

	snprintf(path, sizeof(path), "/local/domain/%u/device/pci/0", domid);
	xs_client_rm(h, 0, path);
	snprintf(path, sizeof(path), "/local/domain/0/backend/pci/%u", domid);
	xs_client_rm(h, 0, path);
	snprintf(path, sizeof(path), "/local/domain/0/error/backend/pci/%u", domid);
	xs_client_rm(h, 0, path);
}

int pci_attach_config(uint32_t domid, const struct hv_config *cfg)
{
	struct xs_client *h;
	unsigned int i, mapped = 0;
	int ret = -1;

	if (!cfg->nr_pci)
		return 0;
	h = store();
	if (!h)
		return -1;
	drop_stale(h);
	for (i = 0; i < cfg->nr_pci; i++)
		if (!assignable(h, cfg->pci[i].bdf, domid))
			goto out;
	/* BARs and DMA first: the guest's driver may probe as soon as pciback
	 * and pcifront connect. */
	for (mapped = 0; mapped < cfg->nr_pci; mapped++)
		if (vmm_pci(cfg->name, "pci-map", cfg->pci[mapped].bdf))
			goto unmap;
	if (store_add_devices(h, domid, cfg->name, cfg->pci, cfg->nr_pci))
		goto unmap;
	ret = wait_backend(h, domid);
	if (!ret)
		goto out;
	remove_pair(h, domid);
unmap:
	ret = -1;
	while (mapped--)
		vmm_pci(cfg->name, "pci-unmap", cfg->pci[mapped].bdf);
out:
	xs_client_close(h);
	return ret;
}

int cmd_pci_attach(int argc, char **argv)
{
	struct hvctl_domain_info d;
	struct hv_config_pci dev;
	struct xs_client *h;
	char path[160], *val, err[HV_CONFIG_ERR_MAX];
	unsigned int len;
	int ret = 1;

	if (argc != 3)
		die_usage("pci-attach");
	if (hvctl_find(argv[1], &d))
		return 1;
	if (hv_config_parse_pci(argv[2], &dev, err, sizeof(err))) {
		fprintf(stderr, "hv: %s\n", err);
		return 1;
	}
	h = store();
	if (!h)
		return 1;
	drop_stale(h);
	be_path(path, sizeof(path), d.domid, "num_devs");
	if (!xs_client_read(h, 0, path, &val, &len)) {
		free(val);
		fprintf(stderr, "hv: domain %u has PCI devices already; attaching more to a "
			"running frontend is not supported yet: give them all in its config\n",
			d.domid);
		goto out;
	}
	if (!assignable(h, dev.bdf, d.domid) || vmm_pci(d.name, "pci-map", dev.bdf))
		goto out;
	if (store_add_devices(h, d.domid, d.name, &dev, 1)) {
		vmm_pci(d.name, "pci-unmap", dev.bdf);
		goto out;
	}
	if (wait_backend(h, d.domid)) {
		remove_pair(h, d.domid);
		vmm_pci(d.name, "pci-unmap", dev.bdf);
		goto out;
	}
	ret = 0;
out:
	xs_client_close(h);
	return ret;
}

#define DETACH_WAIT_S	10
#define STATE_CLOSING	5
#define STATE_CLOSED	6

/* Ask DOMID's pcifront to close (the backend's state Closing) and wait
 * until it says Closed; true when it did. */
static bool guest_let_go(struct xs_client *h, uint32_t domid, const char *bdf)
{
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	char path[160], state[8], *val;
	unsigned int len;
	int i, fe = 0;

	be_path(path, sizeof(path), domid, "state");
	snprintf(state, sizeof(state), "%d", STATE_CLOSING);
	if (xs_write_str(h, 0, path, state))
		return false;
	snprintf(path, sizeof(path), "/local/domain/%u/device/pci/0/state", domid);
	for (i = 0; i < DETACH_WAIT_S * 20; i++) {
		if (!xs_client_read(h, 0, path, &val, &len)) {
			fe = atoi(val);
			free(val);
			if (fe == STATE_CLOSED)
				return true;
		}
		if (pciback_owner(bdf) < 0)
			return true;
		nanosleep(&tick, NULL);
	}
	return false;
}

int cmd_pci_detach(int argc, char **argv)
{
	struct hvctl_domain_info d;
	char bdf[PCIBACK_BDF_STRLEN], path[160], *val;
	struct xs_client *h;
	unsigned int len, num = 0, i, found = 0;
	int ret = 1;

	if (argc != 3)
		die_usage("pci-detach");
	if (hvctl_find(argv[1], &d) || normalize(argv[2], bdf))
		return 1;
	h = store();
	if (!h)
		return 1;
	be_path(path, sizeof(path), d.domid, "num_devs");
	if (!xs_client_read(h, 0, path, &val, &len)) {
		num = (unsigned int)atoi(val);
		free(val);
	}
	for (i = 0; i < num && i < PCI_DEVS_MAX; i++) {
		char key[24];

		snprintf(key, sizeof(key), "dev-%u", i);
		be_path(path, sizeof(path), d.domid, key);
		if (!xs_client_read(h, 0, path, &val, &len)) {
			found |= !strcmp(val, bdf);
			free(val);
		}
	}
	if (!found) {
		fprintf(stderr, "hv: %s is not attached to domain %u\n", bdf, d.domid);
		goto out;
	}
	if (num != 1) {
		fprintf(stderr, "hv: domain %u has %u PCI devices; detaching one of several is "
			"not supported yet\n", d.domid, num);
		goto out;
	}
	/* The guest's drivers go first, while the BARs are mapped and pciback
	 * still answers (a driver's remove resets its device through the BARs
	 * and may disable MSI-X): the backend's state says Closing, pcifront
	 * removes its bus and says Closed, and pciback lets the device go.
	 * Only then are the BARs unmapped. A guest that does not answer in
	 * time loses the BARs under its drivers. */
	if (!guest_let_go(h, d.domid, bdf))
		fprintf(stderr, "hv: domain %u did not release %s in %d s; taking it\n", d.domid,
			bdf, DETACH_WAIT_S);
	if (vmm_pci(d.name, "pci-unmap", bdf))
		goto out;
	/* The frontend goes first, while pciback still answers it (its driver's
	 * remove may disable MSI); pciback lets go when the frontend is gone. */
	snprintf(path, sizeof(path), "/local/domain/%u/device/pci/0", d.domid);
	xs_client_rm(h, 0, path);
	for (i = 0; i < 100 && pciback_owner(bdf) >= 0; i++) {
		struct timespec tick = { 0, 50 * 1000 * 1000 };

		nanosleep(&tick, NULL);
	}
	remove_pair(h, d.domid);
	if (pciback_owner(bdf) >= 0) {
		fprintf(stderr, "hv: pciback still gives %s to domain %d\n", bdf, pciback_owner(bdf));
		goto out;
	}
	ret = 0;
out:
	xs_client_close(h);
	return ret;
}

int cmd_pci_list(int argc, char **argv)
{
	struct hvctl_domain_info d;
	struct xs_client *h;
	char path[160], *dev, *vdev, *state;
	unsigned int len, num = 0, i;

	if (argc != 2)
		die_usage("pci-list");
	if (hvctl_find(argv[1], &d))
		return 1;
	h = store();
	if (!h)
		return 1;
	be_path(path, sizeof(path), d.domid, "num_devs");
	if (!xs_client_read(h, 0, path, &dev, &len)) {
		num = (unsigned int)atoi(dev);
		free(dev);
	}
	if (num)
		printf("%-14s %-14s %s\n", "Vdev", "Device", "State");
	for (i = 0; i < num && i < PCI_DEVS_MAX; i++) {
		char key[24];

		snprintf(key, sizeof(key), "dev-%u", i);
		be_path(path, sizeof(path), d.domid, key);
		if (xs_client_read(h, 0, path, &dev, &len))
			continue;
		snprintf(key, sizeof(key), "vdev-%u", i);
		be_path(path, sizeof(path), d.domid, key);
		if (xs_client_read(h, 0, path, &vdev, &len))
			vdev = NULL;
		snprintf(key, sizeof(key), "state-%u", i);
		be_path(path, sizeof(path), d.domid, key);
		if (xs_client_read(h, 0, path, &state, &len))
			state = NULL;
		printf("%-14s %-14s %s\n", vdev ? vdev : "-", dev,
		       state && atoi(state) == STATE_CONNECTED ? "connected" :
		       state ? state : "-");
		free(dev);
		free(vdev);
		free(state);
	}
	xs_client_close(h);
	return 0;
}

/*
 * hv debug-regs DOM: where each of the domain's vCPUs is (the VMM kicks
 * each out of the guest and prints its registers, interrupt flag and
 * local APIC state), for a domain that stopped answering.
 */
int cmd_debug_regs(int argc, char **argv)
{
	struct hvctl_domain_info d;
	char buf[512];
	ssize_t n;
	int fd, got = 0;

	if (argc != 2)
		die_usage("debug-regs");
	if (hvctl_find(argv[1], &d))
		return 1;
	fd = vmmsock_connect(d.name, "debug-regs");
	if (fd < 0)
		return 1;
	if (vmmsock_reply(fd, buf, sizeof(buf)) || strcmp(buf, "OK")) {
		fprintf(stderr, "hv: domain '%s': debug-regs: %s\n", d.name,
			buf[0] ? buf : "no answer from its VMM");
		close(fd);
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		fwrite(buf, 1, (size_t)n, stdout);
		got = 1;
	}
	close(fd);
	return got ? 0 : 1;
}

/* hv sysrq DOM KEY: the magic SysRq KEY on the domain's serial port (xl's). */
int cmd_sysrq(int argc, char **argv)
{
	struct hvctl_domain_info d;
	char cmd[16], reply[128];
	int fd;

	if (argc != 3 || strlen(argv[2]) != 1)
		die_usage("sysrq");
	if (hvctl_find(argv[1], &d))
		return 1;
	snprintf(cmd, sizeof(cmd), "sysrq %s", argv[2]);
	fd = vmmsock_connect(d.name, cmd);
	if (fd < 0)
		return 1;
	if (vmmsock_reply(fd, reply, sizeof(reply)) || strcmp(reply, "OK")) {
		fprintf(stderr, "hv: domain '%s': sysrq: %s\n", d.name,
			reply[0] ? reply : "no answer from its VMM");
		close(fd);
		return 1;
	}
	close(fd);
	return 0;
}
