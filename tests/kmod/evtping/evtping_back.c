// SPDX-License-Identifier: GPL-2.0-only
/*
 * evtping_back.c: the dom0 half of the event-channel and grant test. Given
 * a domU running evtping_front and the ref and port it shows, it binds the
 * port, maps the grant (zero copy), checks the domU's pattern and writes
 * its own, and times `rounds` event round trips. With hold=1 it keeps the
 * grant mapped until it is unloaded (the "granter dies first" test).
 * Results are module parameters under /sys/module/evtping_back/parameters/.
 */
#define pr_fmt(fmt) "evtping_back: " fmt

#include <linux/completion.h>
#include <linux/highmem.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include "../../../include/xen/hvx/core.h"
#include "evtping.h"

static int domid = -1;
module_param(domid, int, 0444);
MODULE_PARM_DESC(domid, "the domU running evtping_front (required)");

static int ref = -1;
module_param(ref, int, 0444);
MODULE_PARM_DESC(ref, "the grant ref evtping_front shows (required)");

static unsigned int port;
module_param(port, uint, 0444);
MODULE_PARM_DESC(port, "the port evtping_front shows (required)");

static unsigned int rounds = 2000;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "event round trips to time");

static bool hold;
module_param(hold, bool, 0444);
MODULE_PARM_DESC(hold, "keep the grant mapped until unload");

static unsigned int median_ns, p99_ns, completed;
module_param(median_ns, uint, 0444);
module_param(p99_ns, uint, 0444);
module_param(completed, uint, 0444);

static DECLARE_COMPLETION(pong);
static int back_irq = -1;
static struct hvx_grant_map_op map_op;
static bool mapped;

static irqreturn_t evtping_back_event(int irq, void *dev_id)
{
	complete(&pong);
	return IRQ_HANDLED;
}

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static int evtping_back_check_and_write(void)
{
	unsigned int i;
	u8 *p;
	int err = 0;

	p = kmap_local_page(map_op.page);
	for (i = 0; i < PAGE_SIZE; i++) {
		if (p[i] != evtping_front_byte(i)) {
			pr_err("granted byte %u is %#x, expected %#x\n", i, p[i],
			       evtping_front_byte(i));
			err = -EIO;
			break;
		}
	}
	if (!err)
		for (i = 0; i < PAGE_SIZE; i++)
			p[i] = evtping_back_byte(i);
	kunmap_local(p);
	return err;
}

static int evtping_back_ping(void)
{
	unsigned int i;
	u32 *ns;

	if (!rounds)
		return 0;
	ns = vmalloc_array(rounds, sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	for (i = 0; i < rounds; i++) {
		u64 t0 = ktime_get_ns();

		reinit_completion(&pong);
		hvx_notify_remote_via_irq(back_irq);
		if (!wait_for_completion_timeout(&pong, 5 * HZ)) {
			pr_err("no answer to event %u\n", i);
			break;
		}
		ns[i] = (u32)min_t(u64, ktime_get_ns() - t0, U32_MAX);
	}
	completed = i;
	if (i == rounds) {
		sort(ns, rounds, sizeof(*ns), cmp_u32, NULL);
		median_ns = ns[rounds / 2];
		p99_ns = ns[rounds - 1 - rounds / 100];
		pr_info("event round trip with domain %d: median %u ns, p99 %u ns (%u rounds)\n",
			domid, median_ns, p99_ns, rounds);
	}
	vfree(ns);
	return i == rounds ? 0 : -ETIMEDOUT;
}

static void evtping_back_unmap(void)
{
	if (!mapped)
		return;
	if (hvx_gnttab_unmap(&map_op, 1) || map_op.status != HVX_GNTST_okay)
		pr_err("unmap of ref %u failed: %d\n", map_op.ref, map_op.status);
	mapped = false;
}

static int __init evtping_back_init(void)
{
	int err;

	if (domid <= 0 || domid >= HVX_DOMID_FIRST_RESERVED || ref < 0 || !port) {
		pr_err("give domid=, ref= and port= of the domU's evtping_front\n");
		return -EINVAL;
	}
	back_irq = hvx_bind_interdomain_evtchn_to_irqhandler(domid, port,
							     evtping_back_event,
							     0, "evtping-back",
							     NULL);
	if (back_irq < 0)
		return back_irq;

	map_op.domid = domid;
	map_op.ref = ref;
	map_op.flags = 0;
	err = hvx_gnttab_map(&map_op, 1);
	if (err || map_op.status != HVX_GNTST_okay) {
		pr_err("map of ref %u failed: %d/%d\n", ref, err, map_op.status);
		err = err ?: -EACCES;
		goto unbind;
	}
	mapped = true;
	err = evtping_back_check_and_write();
	if (err)
		goto unmap;
	err = evtping_back_ping();
	if (err)
		goto unmap;
	if (!hold)
		evtping_back_unmap();
	return 0;

unmap:
	evtping_back_unmap();
unbind:
	hvx_unbind_from_irqhandler(back_irq, NULL);
	return err;
}

static void __exit evtping_back_exit(void)
{
	evtping_back_unmap();
	hvx_unbind_from_irqhandler(back_irq, NULL);
}

module_init(evtping_back_init);
module_exit(evtping_back_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx test: dom0 half of the event-channel and grant ping-pong");
