/* SPDX-License-Identifier: GPL-2.0-only */
/* evtchn.h: Xen 2-level event channels of hv.ko's domains. */
#ifndef HV_KERNEL_EVTCHN_H
#define HV_KERNEL_EVTCHN_H

#include <linux/types.h>

struct eventfd_ctx;
struct xhv_domain;

int xhv_evtchn_init(struct xhv_domain *d);
void xhv_evtchn_free(struct xhv_domain *d);
/* Domain going away: close every port (far ends notified), drop pages. */
void xhv_evtchn_teardown(struct xhv_domain *d);
/* EVTCHNOP_* on a kernel copy of the argument struct. */
long xhv_evtchn_op(struct xhv_domain *d, int cmd, void *arg);
int xhv_evtchn_send(struct xhv_domain *d, u32 port);
int xhv_evtchn_close(struct xhv_domain *d, u32 port);
int xhv_evtchn_alloc_unbound(struct xhv_domain *d, u32 remote_domid, u32 *port);
void xhv_evtchn_reset(struct xhv_domain *d);
void xhv_evtchn_raise_virq(struct xhv_domain *d, u32 virq);
int xhv_evtchn_set_shinfo(struct xhv_domain *d, u64 gfn);
int xhv_evtchn_set_send_page(struct xhv_domain *d, u64 gfn);
/* Takes the reference on @ctx (NULL detaches). */
int xhv_evtchn_set_upcall(struct xhv_domain *d, u32 vcpu, struct eventfd_ctx *ctx);
void xhv_evtchn_doorbell(struct xhv_domain *d);

#endif /* HV_KERNEL_EVTCHN_H */
