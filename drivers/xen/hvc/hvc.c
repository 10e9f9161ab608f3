// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvc.c: hvx_hvc, the console frontend of a domU: hvc0 over the Xen console
 * ring (struct hvx_xencons_interface) whose page and event channel the VMM
 * publishes as HVM params. The VMM bridges the ring to "hv console".
 *
 * Our indices (out_prod, in_cons) are ours; the other two are read once
 * per call and bounded, so a confused backend can stall the console but
 * never make us read or write outside the ring.
 */
#define pr_fmt(fmt) "hvx_hvc: " fmt

#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include "../../../include/xen/hvx/core.h"
#include "hvc_api.h"

#define HVX_HVC_COOKIE	0x687678	/* "hvx": our vterm number */
#define HVX_HVC_OUTBUF	256

static struct hvx_xencons_interface *intf;
static hvx_evtchn_port_t cons_port;
static int cons_irq = -1;
static struct hvc_struct *hvc;

static int hvx_hvc_put_chars(u32 vtermno, const char *data, int len)
{
	hvx_xencons_ring_idx cons, prod, start;
	int sent = 0;

	cons = READ_ONCE(intf->out_cons);
	prod = intf->out_prod;
	start = prod;
	/* Read the consumer index before reusing the space it frees. */
	mb();
	if (prod - cons > HVX_XENCONS_OUT_SIZE)
		return len;	/* the backend broke the ring: drop, don't spin */
	while (sent < len && prod - cons < HVX_XENCONS_OUT_SIZE)
		intf->out[HVX_MASK_XENCONS_IDX(prod++, HVX_XENCONS_OUT_SIZE)] =
			data[sent++];
	/* The bytes before the index that publishes them. */
	wmb();
	WRITE_ONCE(intf->out_prod, prod);
	if (!sent)
		return 0;
	/*
	 * The tty layer writes a line at a time (and "\r\n" on its own), so
	 * an event per call would cost a VM exit per few bytes. The backend
	 * re-reads out_prod after each out_cons it publishes (with a full
	 * barrier), so it needs an event only if it had caught up with
	 * everything before this call: then it may be asleep. Our barrier
	 * pairs with its: it sees our out_prod, or we see its out_cons.
	 */
	mb();
	if (READ_ONCE(intf->out_cons) == start)
		hvx_notify_remote_via_evtchn(cons_port);
	return sent;
}

static int hvx_hvc_get_chars(u32 vtermno, char *buf, int len)
{
	hvx_xencons_ring_idx cons, prod;
	int recv = 0;

	cons = intf->in_cons;
	prod = READ_ONCE(intf->in_prod);
	/* The index before the bytes it covers. */
	rmb();
	if (prod - cons > HVX_XENCONS_IN_SIZE)
		cons = prod;	/* nonsense from the backend: skip it */
	while (cons != prod && recv < len)
		buf[recv++] = intf->in[HVX_MASK_XENCONS_IDX(cons++, HVX_XENCONS_IN_SIZE)];
	/* Done reading before the space is handed back. */
	mb();
	WRITE_ONCE(intf->in_cons, cons);
	if (recv)
		hvx_notify_remote_via_evtchn(cons_port);
	return recv;
}

static const struct hv_ops hvx_hvc_ops = {
	.get_chars = hvx_hvc_get_chars,
	.put_chars = hvx_hvc_put_chars,
};

static irqreturn_t hvx_hvc_event(int irq, void *dev_id)
{
	hvc_kick();
	return IRQ_HANDLED;
}

static int __init hvx_hvc_init(void)
{
	u64 pfn, port;
	int err;

	if (!hvx_hypervisor_present())
		return -ENODEV;
	if (hvx_initial_domain()) {
		pr_info("dom0 has no console ring; nothing to do\n");
		return -ENODEV;
	}
	err = hvx_hvm_get_param(HVX_HVM_PARAM_CONSOLE_PFN, &pfn);
	if (!err)
		err = hvx_hvm_get_param(HVX_HVM_PARAM_CONSOLE_EVTCHN, &port);
	if (err || !pfn || !port || port >= HVX_EVTCHN_2L_NR_PORTS) {
		pr_info("no console ring offered\n");
		return -ENODEV;
	}
	intf = memremap(pfn << PAGE_SHIFT, PAGE_SIZE, MEMREMAP_WB);
	if (!intf)
		return -ENOMEM;
	cons_port = port;
	cons_irq = hvx_bind_evtchn_to_irqhandler(cons_port, hvx_hvc_event, 0,
						 "hvc_console", NULL);
	if (cons_irq < 0) {
		err = cons_irq;
		goto unmap;
	}
	/* hvc0 as a console (console=hvc0), then as a tty. */
	err = hvc_instantiate(HVX_HVC_COOKIE, 0, &hvx_hvc_ops);
	if (err)
		goto unbind;
	hvc = hvc_alloc(HVX_HVC_COOKIE, cons_irq, &hvx_hvc_ops, HVX_HVC_OUTBUF);
	if (IS_ERR(hvc)) {
		err = PTR_ERR(hvc);
		goto unbind;
	}
	pr_info("hvc0 on the console ring (port %u)\n", cons_port);
	return 0;

unbind:
	hvx_unbind_from_irqhandler(cons_irq, NULL);
unmap:
	memunmap(intf);
	return err;
}

static void __exit hvx_hvc_exit(void)
{
	hvc_remove(hvc);
	hvx_unbind_from_irqhandler(cons_irq, NULL);
	memunmap(intf);
}

module_init(hvx_hvc_init);
module_exit(hvx_hvc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx: hvc0 over the Xen console ring");
MODULE_ALIAS("hvx:console");
