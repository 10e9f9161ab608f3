// SPDX-License-Identifier: GPL-2.0-only
/*
 * evtping_front.c: the domU half of the event-channel and grant test. It
 * grants dom0 one page filled with a known pattern, offers an unbound port,
 * publishes both under data/evtping/ in its store home, answers every event
 * with an event (ping-pong), and when dom0 writes data/evtping/done checks
 * that dom0 wrote its own pattern into the page, answering in
 * data/evtping/result. It also times its own hypercalls (hcall_ns).
 */
#define pr_fmt(fmt) "evtping_front: " fmt

#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include "../../../include/xen/hvx/core.h"
#include "../../../include/xen/hvx/xenbus.h"
#include "evtping.h"

static unsigned int hcall_rounds = 2000;
module_param(hcall_rounds, uint, 0444);
MODULE_PARM_DESC(hcall_rounds, "hypercall round trips timed at load");

static unsigned long pongs;
module_param(pongs, ulong, 0444);
MODULE_PARM_DESC(pongs, "events answered");

static unsigned int hcall_median_ns, hcall_p99_ns;
module_param(hcall_median_ns, uint, 0444);
module_param(hcall_p99_ns, uint, 0444);

static struct page *ping_page;
static int ping_ref = -1;
static hvx_evtchn_port_t ping_port;
static int ping_irq = -1;
static struct hvx_xenbus_watch done_watch;

static irqreturn_t evtping_front_event(int irq, void *dev_id)
{
	pongs++;
	hvx_notify_remote_via_evtchn(ping_port);
	return IRQ_HANDLED;
}

static void evtping_front_done(struct hvx_xenbus_watch *watch,
			       const char *path, const char *token)
{
	const u8 *p = page_address(ping_page);
	unsigned int i;
	int done = 0;

	if (hvx_xenbus_scanf(HVX_XBT_NIL, EVTPING_DIR, "done", "%d", &done) != 1 ||
	    !done)
		return;
	for (i = 0; i < PAGE_SIZE; i++) {
		if (p[i] != evtping_back_byte(i)) {
			pr_err("page byte %u is %#x, dom0 should have written %#x\n",
			       i, p[i], evtping_back_byte(i));
			hvx_xenbus_write(HVX_XBT_NIL, EVTPING_DIR, "result", "bad");
			return;
		}
	}
	hvx_xenbus_write(HVX_XBT_NIL, EVTPING_DIR, "result", "ok");
}

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* Hypercall round trips: EVTCHNOP_status on our own port, the cheapest op. */
static void evtping_front_time_hypercalls(void)
{
	struct hvx_evtchn_status st;
	unsigned int i, n = hcall_rounds;
	u32 *ns;

	if (!n)
		return;
	ns = vmalloc_array(n, sizeof(*ns));
	if (!ns)
		return;
	for (i = 0; i < n; i++) {
		u64 t0 = ktime_get_ns();

		memset(&st, 0, sizeof(st));
		st.dom = HVX_DOMID_SELF;
		st.port = ping_port;
		if (hvx_event_channel_op(HVX_EVTCHNOP_status, &st)) {
			pr_err("EVTCHNOP_status failed at round %u\n", i);
			break;
		}
		ns[i] = (u32)min_t(u64, ktime_get_ns() - t0, U32_MAX);
	}
	if (i == n) {
		sort(ns, n, sizeof(*ns), cmp_u32, NULL);
		hcall_median_ns = ns[n / 2];
		hcall_p99_ns = ns[n - 1 - n / 100];
		pr_info("hypercall round trip: median %u ns, p99 %u ns (%u rounds)\n",
			hcall_median_ns, hcall_p99_ns, n);
	}
	vfree(ns);
}

static int __init evtping_front_init(void)
{
	unsigned int i;
	u8 *p;
	int err;

	if (hvx_initial_domain())
		return -ENODEV;
	err = hvx_xenstore_wait_ready(30 * HZ);
	if (err)
		return err;
	ping_page = alloc_page(GFP_KERNEL);
	if (!ping_page)
		return -ENOMEM;
	p = page_address(ping_page);
	for (i = 0; i < PAGE_SIZE; i++)
		p[i] = evtping_front_byte(i);

	ping_ref = hvx_gnttab_grant_foreign_access(0, hvx_page_to_gfn(ping_page),
						   false);
	if (ping_ref < 0) {
		err = ping_ref;
		goto free_page;
	}
	err = hvx_evtchn_alloc_unbound(0, &ping_port);
	if (err)
		goto end_grant;
	ping_irq = hvx_bind_evtchn_to_irqhandler(ping_port, evtping_front_event,
						 0, "evtping-front", NULL);
	if (ping_irq < 0) {
		err = ping_irq;
		goto close_port;
	}
	evtping_front_time_hypercalls();

	hvx_xenbus_rm(HVX_XBT_NIL, EVTPING_DIR, "done");
	hvx_xenbus_rm(HVX_XBT_NIL, EVTPING_DIR, "result");
	err = hvx_xenbus_printf(HVX_XBT_NIL, EVTPING_DIR, "ref", "%d", ping_ref);
	if (!err)
		err = hvx_xenbus_printf(HVX_XBT_NIL, EVTPING_DIR, "port", "%u",
					ping_port);
	if (err)
		goto unbind;
	done_watch.node = EVTPING_DIR "/done";
	done_watch.callback = evtping_front_done;
	err = hvx_register_xenbus_watch(&done_watch);
	if (err)
		goto unbind;
	pr_info("granted ref %d, port %u\n", ping_ref, ping_port);
	return 0;

unbind:
	hvx_unbind_from_irqhandler(ping_irq, NULL);
close_port:
	hvx_evtchn_close(ping_port);
end_grant:
	/* The page goes with the grant, once dom0 lets go of it. */
	hvx_gnttab_end_foreign_access(ping_ref, ping_page);
	return err;
free_page:
	__free_page(ping_page);
	return err;
}

static void __exit evtping_front_exit(void)
{
	hvx_unregister_xenbus_watch(&done_watch);
	hvx_unbind_from_irqhandler(ping_irq, NULL);
	hvx_evtchn_close(ping_port);
	hvx_xenbus_rm(HVX_XBT_NIL, "data", "evtping");
	hvx_gnttab_end_foreign_access(ping_ref, ping_page);
}

module_init(evtping_front_init);
module_exit(evtping_front_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx test: domU half of the event-channel and grant ping-pong");
