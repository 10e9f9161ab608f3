// SPDX-License-Identifier: GPL-2.0-only
/*
 * dom0.c: domain 0 inside hv.ko (the host kernel: its event channels and
 * grant table), and the transport through which the core module in dom0
 * reaches hv.ko: hypercalls with kernel pointers, sends, grant map/copy.
 */
#define pr_fmt(fmt) "hv: " fmt

#include <linux/cpumask.h>
#include <linux/module.h>
#include "../../include/xen/hvx/core.h"
#include "domain.h"
#include "evtchn.h"
#include "grant.h"
#include "hypercall.h"

struct xhv_domain xhv_dom0;

static long dom0_hypercall(unsigned int op, unsigned long a1, unsigned long a2,
			   unsigned long a3)
{
	return xhv_hypercall(&xhv_dom0, true, op, a1, a2, a3);
}

static void dom0_notify(hvx_evtchn_port_t port)
{
	xhv_evtchn_send(&xhv_dom0, port);
}

static const struct hvx_transport_ops dom0_transport = {
	.owner = THIS_MODULE,
	.name = "hv",
	.initial_domain = true,
	.hypercall = dom0_hypercall,
	.notify = dom0_notify,
	.grant_map = xhv_grant_map,
	.grant_unmap = xhv_grant_unmap,
	.grant_copy = xhv_grant_copy,
};

int xhv_dom0_init(void)
{
	struct xhv_domain *d = &xhv_dom0;
	int err;

	kref_init(&d->ref);	/* never dropped: dom0 lives as long as hv.ko */
	d->domid = 0;
	strscpy(d->name, "Domain-0", sizeof(d->name));
	d->vcpus = min_t(u32, num_possible_cpus(), HVCTL_VCPUS_MAX);
	d->state = HVCTL_STATE_RUNNING;
	d->shutdown_reason = HVCTL_SHUTDOWN_NONE;
	err = xhv_evtchn_init(d);
	if (err)
		return err;
	err = xhv_grant_init(d);
	if (err)
		goto free_evtchn;
	err = hvx_register_transport(&dom0_transport);
	if (err)
		goto free_grant;
	return 0;

free_grant:
	xhv_grant_free(d);
free_evtchn:
	xhv_evtchn_free(d);
	return err;
}

void xhv_dom0_exit(void)
{
	struct xhv_domain *d = &xhv_dom0;

	hvx_unregister_transport(&dom0_transport);
	xhv_evtchn_teardown(d);
	xhv_grant_teardown(d);
	xhv_grant_free(d);
	xhv_evtchn_free(d);
}
