// SPDX-License-Identifier: GPL-2.0-only
/*
 * store.c: a restarted domain (on_reboot/on_crash = "restart") comes back
 * as a new registration with a new domid, in a re-executed VMM; nobody
 * else knows it, so the VMM itself writes its store nodes and introduces
 * its ring, as `hv create` does for a first boot.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "xen/hvx/hvctl.h"
#include "xen/hvx/xen-abi.h"
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
