// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus_comms.c: the byte stream to the store over Xen's xenstore ring
 * (struct hvx_xenstore_domain_interface): one writer at a time puts whole
 * requests into req[], the reader thread takes messages out of rsp[] and
 * hands them to xenbus_xs.c. In a domU the ring is the guest page the VMM
 * published (HVM params STORE_PFN, STORE_EVTCHN); in dom0 it is a kernel
 * page and an unbound port made here, which xenstored maps through xenfs
 * (xsd_kva, xsd_port) and binds.
 *
 * The other end owns req_cons and rsp_prod; we own req_prod and rsp_cons
 * and keep our own copies of them, so a store that scribbles on our
 * indices cannot steer where we read or write. Each index of theirs is
 * read once per step and checked against ours before use.
 */
#define pr_fmt(fmt) "hvx_core: " fmt

#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include "../../../include/xen/hvx/xenbus.h"
#include "internal.h"

#define RING_SIZE HVX_XENSTORE_RING_SIZE

static struct hvx_xenstore_domain_interface *intf;
static void *domu_map;			/* domU: memremap of the guest page */
static struct page *dom0_page;		/* dom0: our own ring page */
static hvx_evtchn_port_t xs_port;
static int xs_irq = -1;
static u32 req_prod, rsp_cons;		/* ours; mirrored into the page */
static bool comms_dead;			/* set while going down */
static DECLARE_WAIT_QUEUE_HEAD(xb_waitq);
static DEFINE_MUTEX(xb_write_mutex);
static struct task_struct *reader;
/* The reader's buffer: one message's payload plus our NUL. */
static char rx_body[HVX_XENSTORE_PAYLOAD_MAX + 1];

static irqreturn_t xb_interrupt(int irq, void *dev_id)
{
	wake_up(&xb_waitq);
	return IRQ_HANDLED;
}

/* Their index against ours: how far apart, or -1 if it cannot be. */
static int ring_distance(u32 ahead, u32 behind)
{
	u32 d = ahead - behind;

	return d <= RING_SIZE ? (int)d : -1;
}

static void ring_broken(const char *which, u32 theirs, u32 ours)
{
	pr_err_once("store ring: bad %s index %u (ours %u); ignoring it until it makes sense\n",
		    which, theirs, ours);
}

static bool rsp_ready(void)
{
	return ring_distance(READ_ONCE(intf->rsp_prod), rsp_cons) > 0;
}

static bool req_space(void)
{
	return ring_distance(req_prod, READ_ONCE(intf->req_cons)) < RING_SIZE;
}

/* Copy @len bytes out of rsp[]; 0, or -ENODEV when stopped. */
static int ring_read(void *buf, unsigned int len)
{
	u8 *dst = buf;

	while (len) {
		u32 prod, chunk;
		int avail;

		wait_event_interruptible(xb_waitq, rsp_ready() ||
					 kthread_should_stop());
		if (kthread_should_stop())
			return -ENODEV;
		prod = READ_ONCE(intf->rsp_prod);
		avail = ring_distance(prod, rsp_cons);
		if (avail < 0) {
			ring_broken("rsp_prod", prod, rsp_cons);
			continue;
		}
		if (!avail)
			continue;
		/* The bytes up to prod were written before prod was. */
		virt_rmb();
		chunk = min3((u32)avail, len,
			     RING_SIZE - HVX_MASK_XENSTORE_IDX(rsp_cons));
		memcpy(dst, intf->rsp + HVX_MASK_XENSTORE_IDX(rsp_cons), chunk);
		dst += chunk;
		len -= chunk;
		/* Finish copying out before the store may reuse the space. */
		virt_mb();
		WRITE_ONCE(intf->rsp_cons, rsp_cons + chunk);
		/*
		 * cons is published (full barrier) before prod is looked at
		 * again: a store that filled the ring waits for this event.
		 */
		virt_mb();
		if (ring_distance(READ_ONCE(intf->rsp_prod), rsp_cons) == RING_SIZE)
			hvx_notify_remote_via_evtchn(xs_port);
		rsp_cons += chunk;
	}
	return 0;
}

/* Copy @len bytes into req[]; called with xb_write_mutex held. */
static int ring_write(const void *buf, unsigned int len)
{
	const u8 *src = buf;

	while (len) {
		u32 cons, chunk;
		int used;

		/* A message must go out whole: no signal may cut it short. */
		wait_event(xb_waitq, req_space() || READ_ONCE(comms_dead));
		if (READ_ONCE(comms_dead))
			return -ENODEV;
		cons = READ_ONCE(intf->req_cons);
		used = ring_distance(req_prod, cons);
		if (used < 0) {
			ring_broken("req_cons", cons, req_prod);
			schedule_timeout_uninterruptible(HZ / 10);
			continue;
		}
		if (used == RING_SIZE)
			continue;
		/* The store's read of the freed space precedes our writes. */
		virt_mb();
		chunk = min3((u32)(RING_SIZE - used), len,
			     RING_SIZE - HVX_MASK_XENSTORE_IDX(req_prod));
		memcpy(intf->req + HVX_MASK_XENSTORE_IDX(req_prod), src, chunk);
		src += chunk;
		len -= chunk;
		/* The bytes are in the ring before prod says so. */
		virt_wmb();
		req_prod += chunk;
		WRITE_ONCE(intf->req_prod, req_prod);
		hvx_notify_remote_via_evtchn(xs_port);
	}
	return 0;
}

int hvx_xb_write_msg(const struct hvx_xsd_sockmsg *hdr, const void *const *parts,
		     const unsigned int *lens, unsigned int nparts)
{
	unsigned int i;
	int err;

	mutex_lock(&xb_write_mutex);
	if (!intf || READ_ONCE(comms_dead)) {
		mutex_unlock(&xb_write_mutex);
		return -ENODEV;
	}
	err = ring_write(hdr, sizeof(*hdr));
	for (i = 0; !err && i < nparts; i++)
		err = ring_write(parts[i], lens[i]);
	mutex_unlock(&xb_write_mutex);
	return err;
}

static int xb_reader(void *unused)
{
	struct hvx_xsd_sockmsg hdr;

	while (!kthread_should_stop()) {
		if (ring_read(&hdr, sizeof(hdr)))
			break;
		if (hdr.len > HVX_XENSTORE_PAYLOAD_MAX) {
			/*
			 * The stream has no other framing: drop this header
			 * and read on, as the store's next reply will show
			 * whether it recovered.
			 */
			pr_err_once("store sent a %u-byte payload (type %u); dropped\n",
				    hdr.len, hdr.type);
			continue;
		}
		if (ring_read(rx_body, hdr.len))
			break;
		rx_body[hdr.len] = '\0';
		hvx_xs_msg_received(&hdr, rx_body);
	}
	return 0;
}

static int map_ring(void)
{
	u64 pfn = 0, port = 0;
	int err;

	if (hvx_initial_domain()) {
		dom0_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!dom0_page)
			return -ENOMEM;
		err = hvx_evtchn_alloc_unbound(0, &xs_port);
		if (err) {
			__free_page(dom0_page);
			dom0_page = NULL;
			return err;
		}
		intf = page_address(dom0_page);
		return 0;
	}
	err = hvx_hvm_get_param(HVX_HVM_PARAM_STORE_PFN, &pfn);
	if (!err)
		err = hvx_hvm_get_param(HVX_HVM_PARAM_STORE_EVTCHN, &port);
	if (err)
		return err;
	if (!pfn || !port || port >= HVX_EVTCHN_2L_NR_PORTS) {
		pr_err("no store ring (pfn %#llx, port %llu)\n", pfn, port);
		return -ENODEV;
	}
	/* Guest RAM the e820 map reserves, not a device: map it cacheable. */
	domu_map = memremap(PFN_PHYS(pfn), PAGE_SIZE, MEMREMAP_WB);
	if (!domu_map)
		return -ENOMEM;
	xs_port = port;
	intf = domu_map;
	return 0;
}

static void unmap_ring(void)
{
	intf = NULL;
	if (dom0_page) {
		hvx_evtchn_close(xs_port);
		/* xenstored may still map it (xsd_kva): drop only our ref. */
		put_page(dom0_page);
		dom0_page = NULL;
	}
	if (domu_map)
		memunmap(domu_map);
	domu_map = NULL;
	xs_port = 0;
}

int hvx_xb_comms_up(void)
{
	int err;

	err = map_ring();
	if (err)
		return err;
	/* Carry on from where the ring is (a reloaded core in a domU). */
	req_prod = READ_ONCE(intf->req_prod);
	rsp_cons = READ_ONCE(intf->rsp_cons);
	WRITE_ONCE(comms_dead, false);
	xs_irq = hvx_bind_evtchn_to_irqhandler(xs_port, xb_interrupt, 0,
					       "xenbus", &xb_waitq);
	if (xs_irq < 0) {
		err = xs_irq;
		goto unmap;
	}
	reader = kthread_run(xb_reader, NULL, "xenbus");
	if (IS_ERR(reader)) {
		err = PTR_ERR(reader);
		reader = NULL;
		goto unbind;
	}
	pr_debug("store ring up, port %u\n", xs_port);
	return 0;

unbind:
	hvx_unbind_from_irqhandler(xs_irq, &xb_waitq);
	xs_irq = -1;
unmap:
	unmap_ring();
	return err;
}

void hvx_xb_comms_down(void)
{
	WRITE_ONCE(comms_dead, true);
	wake_up_all(&xb_waitq);
	/* No writer is left inside the ring once we hold the mutex. */
	mutex_lock(&xb_write_mutex);
	mutex_unlock(&xb_write_mutex);
	if (reader)
		kthread_stop(reader);
	reader = NULL;
	if (xs_irq >= 0)
		hvx_unbind_from_irqhandler(xs_irq, &xb_waitq);
	xs_irq = -1;
	mutex_lock(&xb_write_mutex);
	unmap_ring();
	mutex_unlock(&xb_write_mutex);
	pr_debug("store ring down\n");
}

struct page *hvx_xenstore_dom0_ring(void)
{
	return READ_ONCE(dom0_page);
}
EXPORT_SYMBOL_GPL(hvx_xenstore_dom0_ring);

hvx_evtchn_port_t hvx_xenstore_dom0_port(void)
{
	return READ_ONCE(dom0_page) ? READ_ONCE(xs_port) : 0;
}
EXPORT_SYMBOL_GPL(hvx_xenstore_dom0_port);
