// SPDX-License-Identifier: GPL-2.0-only
/*
 * store.c: a restarted domain (on_reboot/on_crash = "restart") comes back
 * as a new registration with a new domid, in a re-executed VMM; nobody
 * else knows it, so the VMM itself writes its store nodes and introduces
 * its ring, as `hv create` does for a first boot, and has `hv devices-add`
 * write its devices again. When a domain ends, its backend directories
 * go with it (a VMM killed by hv destroy leaves that to hv destroy).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xen/hvx/hvctl.h"
#include "xen/hvx/xen-abi.h"
#include "common/backends.h"
#include "common/xs_client.h"
#include "vmm/bootparams.h"
#include "vmm/vmm.h"

int vmm_store_introduce(struct vmm *vmm)
{
	struct hvctl_param port = { .domid = vmm->domid,
				    .index = HVX_HVM_PARAM_STORE_EVTCHN };
	struct xs_client_domain d = {
		.domid = vmm->domid, .name = vmm->cfg.name, .vcpus = vmm->nr_vcpus,
		.memory_kib = vmm->cfg.memory_mib << 10,
		.maxmem_kib = vmm->cfg.maxmem_mib << 10,
		.store_gfn = BOOT_XENSTORE_PAGE >> HVX_PAGE_SHIFT,
		.console_gfn = BOOT_XENCONS_PAGE >> HVX_PAGE_SHIFT,
		.console_port = vmm->xencons.remote_port,
	};
	const char *env = getenv("XENSTORED_PATH");
	const char *path = env && *env ? env : XS_CLIENT_SOCKET;
	struct xs_client *h;
	int err;

	if (ioctl(vmm->hvctl_fd, HVCTL_GET_PARAM, &port) || !port.value) {
		vmm_log("store: no store port for domain %u: %s", vmm->domid,
			strerror(errno));
		return -1;
	}
	d.store_port = (unsigned int)port.value;
	h = xs_client_open(path);
	if (!h) {
		vmm_log("store: %s: %s; domain %u runs without the store", path,
			strerror(errno), vmm->domid);
		return -1;
	}
	err = xs_client_domain_setup(h, &d);
	xs_client_close(h);
	if (err) {
		vmm_log("store: introducing domain %u: %s; it runs without the store",
			vmm->domid, xs_client_strerror(err));
		return -1;
	}
	vmm_log("store: domain %u introduced", vmm->domid);
	return 0;
}

static struct xs_client *store_open(void)
{
	const char *env = getenv("XENSTORED_PATH");

	return xs_client_open(env && *env ? env : XS_CLIENT_SOCKET);
}

void vmm_store_forget(struct vmm *vmm)
{
	struct xs_client *h = store_open();
	int err;

	if (!h)
		return;
	err = xs_backends_remove(h, vmm->domid);
	if (err)
		vmm_log("store: removing domain %u's backend directories: %s", vmm->domid,
			xs_client_strerror(err));
	xs_client_close(h);
}

/* hv next to this executable, else the one on PATH. */
static void hv_tool(char *out, size_t len)
{
	char self[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			if (snprintf(out, len, "%s/hv", self) < (int)len && !access(out, X_OK))
				return;
		}
	}
	snprintf(out, len, "hv");
}

/*
 * Run "hv devices-add DOMID CFG" detached (its messages go to our log, its
 * hotplug waits never hold up the console): a child whose own child runs
 * it, reaped here at once.
 */
void vmm_devices_add(struct vmm *vmm, const char *cfg_path)
{
	char tool[PATH_MAX], domid[16];
	pid_t pid;
	int status;

	if (!vmm->cfg.nr_disks && !vmm->cfg.nr_vifs && !vmm->cfg.nr_pci)
		return;
	hv_tool(tool, sizeof(tool));
	snprintf(domid, sizeof(domid), "%u", vmm->domid);
	pid = fork();
	if (pid < 0) {
		vmm_log("devices: fork: %s; domain %u has none", strerror(errno), vmm->domid);
		return;
	}
	if (pid == 0) {
		if (fork() == 0) {
			execlp(tool, "hv", "devices-add", domid, cfg_path, (char *)NULL);
			vmm_log("devices: %s: %s", tool, strerror(errno));
		}
		_exit(0);
	}
	waitpid(pid, &status, 0);
	vmm_log("devices: %s devices-add %s %s started", tool, domid, cfg_path);
}
