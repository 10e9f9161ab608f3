/* SPDX-License-Identifier: GPL-2.0-only */
/* domain.h: the registry of domains that hv-vmm processes run under KVM. */
#ifndef HV_KERNEL_DOMAIN_H
#define HV_KERNEL_DOMAIN_H

#include <linux/kref.h>
#include <linux/types.h>
#include "../../include/xen/hvx/hvctl.h"
#include "../../include/xen/hvx/xen-abi.h"
#include "../../include/xen/hvx/platform.h"

struct file;
struct pid;

struct xhv_domain {
	struct kref ref;
	u32 domid;
	char name[HVCTL_NAME_MAX];
	u64 memory_kib;
	u64 maxmem_kib;
	u32 vcpus;
	u32 state;		/* enum hvctl_domain_state, under the registry lock */
	u32 shutdown_reason;
	u64 created_ns;
	struct file *ram;	/* the guest-RAM memfd, held until the last ref */
	struct pid *vmm;	/* thread group of the owning VMM */
};

int xhv_domain_create(const struct hvctl_domain_create *req,
		      struct xhv_domain **out);
void xhv_domain_release(struct xhv_domain *d);
struct xhv_domain *xhv_domain_get(u32 domid);
void xhv_domain_put(struct xhv_domain *d);
int xhv_domain_set_state(struct xhv_domain *d, u32 state, u32 reason);
int xhv_domain_destroy(u32 domid);
int xhv_domain_list(struct hvctl_domain_info *out, u32 capacity, u32 *total);
u32 xhv_domain_count(void);
void xhv_domain_exit(void);

#endif /* HV_KERNEL_DOMAIN_H */
