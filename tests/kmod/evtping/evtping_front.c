// SPDX-License-Identifier: GPL-2.0-only
/*
 * evtping_front.c: the domU half of the event-channel and grant test. It
 * grants dom0 one page filled with a known pattern, offers an unbound port,
 * shows both as module parameters (ref, port), answers every event with an
 * event (ping-pong), and reading its `verdict` parameter checks that dom0
 * wrote its own pattern into the page ("ok" or "bad"). It also times its
 * own hypercalls (hcall_median_ns, hcall_p99_ns).
 *
 * For the hostile-grant test (grant_hostile.ko in dom0) it also offers
 * entries dom0 must not be able to use as asked: ro_ref (a second page,
 * granted read-only), revoked_ref (granted, then access ended) and
 * other_ref (granted to a domain that is not dom0).
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
static unsigned int ping_port;
static int ping_irq = -1;
module_param_named(ref, ping_ref, int, 0444);
module_param_named(port, ping_port, uint, 0444);

#define EVTPING_OTHER_DOMID 42	/* a domain that is not dom0 */
static struct page *ro_page;
static int ro_ref = -1, revoked_ref = -1, other_ref = -1;
module_param(ro_ref, int, 0444);
module_param(revoked_ref, int, 0444);
module_param(other_ref, int, 0444);

static irqreturn_t evtping_front_event(int irq, void *dev_id)
{
	pongs++;
	hvx_notify_remote_via_evtchn(ping_port);
	return IRQ_HANDLED;
}

/* Reading the `verdict` parameter checks the page dom0 wrote. */
static int evtping_front_verdict(char *buf, const struct kernel_param *kp)
{
	const u8 *p = page_address(ping_page);
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i++) {
		if (p[i] != evtping_back_byte(i))
			return sysfs_emit(buf, "bad: byte %u is %#x, not %#x\n", i,
					  p[i], evtping_back_byte(i));
	}
	return sysfs_emit(buf, "ok\n");
}

static const struct kernel_param_ops verdict_ops = {
	.get = evtping_front_verdict,
};
module_param_cb(verdict, &verdict_ops, NULL, 0444);

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

/*
 * End @ref's access and free @page. The scenarios that unload this module
 * have had dom0 let go of every grant first, so an entry still in use (a
 * pin hv.ko failed to drop) is reported; its page is left to the core's
 * deferred end.
 */
static void evtping_front_end_grant(int ref, struct page *page)
{
	if (!hvx_gnttab_end_foreign_access_ref(ref)) {
		if (page)
			__free_page(page);
		return;
	}
	pr_err("grant %d still in use at unload\n", ref);
	hvx_gnttab_end_foreign_access(ref, page);
}

static void evtping_front_end_hostile_grants(void)
{
	if (other_ref >= 0)
		evtping_front_end_grant(other_ref, NULL);
	if (ro_ref >= 0)
		evtping_front_end_grant(ro_ref, ro_page);
	else if (ro_page)
		__free_page(ro_page);
	other_ref = -1;
	ro_ref = -1;
	ro_page = NULL;
}

/*
 * The entries of the hostile-grant test. revoked_ref's number stays
 * unused afterwards only as long as nothing else grants: the test runs
 * with nothing else granting in this guest.
 */
static int evtping_front_hostile_grants(void)
{
	unsigned long gfn = hvx_page_to_gfn(ping_page);
	int ref, err;

	ro_page = alloc_page(GFP_KERNEL);
	if (!ro_page)
		return -ENOMEM;
	memcpy(page_address(ro_page), page_address(ping_page), PAGE_SIZE);
	ro_ref = hvx_gnttab_grant_foreign_access(0, hvx_page_to_gfn(ro_page),
						 true);
	if (ro_ref < 0) {
		err = ro_ref;
		goto fail;
	}
	other_ref = hvx_gnttab_grant_foreign_access(EVTPING_OTHER_DOMID, gfn,
						    false);
	if (other_ref < 0) {
		err = other_ref;
		goto fail;
	}
	ref = hvx_gnttab_grant_foreign_access(0, gfn, false);
	if (ref < 0) {
		err = ref;
		goto fail;
	}
	err = hvx_gnttab_end_foreign_access_ref(ref);
	if (err) {
		hvx_gnttab_end_foreign_access(ref, NULL);
		goto fail;
	}
	/* The core freed the ref; its entry is invalid from now on. */
	revoked_ref = ref;
	return 0;
fail:
	evtping_front_end_hostile_grants();
	return err;
}

static int __init evtping_front_init(void)
{
	unsigned int i;
	u8 *p;
	int err;

	if (!hvx_hypervisor_present() || hvx_initial_domain())
		return -ENODEV;
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
	err = evtping_front_hostile_grants();
	if (err)
		goto unbind;
	evtping_front_time_hypercalls();

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
	evtping_front_end_hostile_grants();
	hvx_unbind_from_irqhandler(ping_irq, NULL);
	hvx_evtchn_close(ping_port);
	evtping_front_end_grant(ping_ref, ping_page);
}

module_init(evtping_front_init);
module_exit(evtping_front_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx test: domU half of the event-channel and grant ping-pong");
