// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus_client.c: what split drivers call to step through the XenbusState
 * machine: this end's "state" node, error reports in the store, watches on
 * paths, ring pages granted (frontends) or mapped (backends), and event
 * channels offered to the other end.
 */
#define pr_fmt(fmt) "hvx_core: " fmt

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include "internal.h"

#define ERR_MSG_MAX	1024
#define MAX_RING_PAGES	16

static const char *const state_names[] = {
	[HVX_XenbusStateUnknown] = "Unknown",
	[HVX_XenbusStateInitialising] = "Initialising",
	[HVX_XenbusStateInitWait] = "InitWait",
	[HVX_XenbusStateInitialised] = "Initialised",
	[HVX_XenbusStateConnected] = "Connected",
	[HVX_XenbusStateClosing] = "Closing",
	[HVX_XenbusStateClosed] = "Closed",
	[HVX_XenbusStateReconfiguring] = "Reconfiguring",
	[HVX_XenbusStateReconfigured] = "Reconfigured",
};

const char *hvx_xenbus_strstate(enum hvx_xenbus_state state)
{
	return (unsigned int)state < ARRAY_SIZE(state_names) ?
	       state_names[state] : "INVALID";
}
EXPORT_SYMBOL_GPL(hvx_xenbus_strstate);

/*
 * In a transaction: read "state" (a directory that went stays gone: no
 * write recreates it), then write the new one.
 */
int hvx_xenbus_switch_state(struct hvx_xenbus_device *dev,
			    enum hvx_xenbus_state new_state)
{
	struct hvx_xenbus_transaction t;
	int err, cur, abort;

	if (new_state == dev->state)
		return 0;
	do {
		err = hvx_xenbus_transaction_start(&t);
		if (err)
			break;
		abort = 1;
		err = hvx_xenbus_scanf(t, dev->nodename, "state", "%d", &cur);
		if (err == 1) {
			err = hvx_xenbus_printf(t, dev->nodename, "state", "%d",
						new_state);
			abort = err != 0;
		} else {
			err = 0;	/* gone: nothing to tell */
		}
		if (abort) {
			hvx_xenbus_transaction_end(t, 1);
			break;
		}
		err = hvx_xenbus_transaction_end(t, 0);
	} while (err == -EAGAIN);
	if (err) {
		/* Not dev_fatal: that would switch state again. */
		hvx_xenbus_dev_error(dev, err, "writing state %s",
				     hvx_xenbus_strstate(new_state));
		return err;
	}
	dev_dbg(&dev->dev, "%s -> %s\n", hvx_xenbus_strstate(dev->state),
		hvx_xenbus_strstate(new_state));
	dev->state = new_state;
	if (new_state == HVX_XenbusStateClosed)
		complete_all(&dev->down);
	return 0;
}
EXPORT_SYMBOL_GPL(hvx_xenbus_switch_state);

int hvx_xenbus_frontend_closed(struct hvx_xenbus_device *dev)
{
	int err = hvx_xenbus_switch_state(dev, HVX_XenbusStateClosed);

	complete_all(&dev->down);
	return err;
}
EXPORT_SYMBOL_GPL(hvx_xenbus_frontend_closed);

enum hvx_xenbus_state hvx_xenbus_read_driver_state(const char *path)
{
	unsigned int state;

	if (hvx_xenbus_scanf(HVX_XBT_NIL, path, "state", "%u", &state) != 1 ||
	    state > HVX_XenbusStateReconfigured)
		return HVX_XenbusStateUnknown;
	return state;
}
EXPORT_SYMBOL_GPL(hvx_xenbus_read_driver_state);

/* "errno message" into error/NODENAME/error, and the kernel log. */
static __printf(3, 0) void dev_report(struct hvx_xenbus_device *dev, int err, const char *fmt,
		       va_list ap)
{
	char *msg, *path;
	int n;

	msg = kmalloc(ERR_MSG_MAX, GFP_KERNEL);
	if (!msg)
		return;
	n = scnprintf(msg, ERR_MSG_MAX, "%i ", -err);
	vscnprintf(msg + n, ERR_MSG_MAX - n, fmt, ap);
	dev_err(&dev->dev, "%s\n", msg);
	path = kasprintf(GFP_KERNEL, "error/%s", dev->nodename);
	if (path && hvx_xenbus_write(HVX_XBT_NIL, path, "error", msg))
		dev_err(&dev->dev, "cannot write %s/error\n", path);
	kfree(path);
	kfree(msg);
}

void hvx_xenbus_dev_error(struct hvx_xenbus_device *dev, int err,
			  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dev_report(dev, err, fmt, ap);
	va_end(ap);
}
EXPORT_SYMBOL_GPL(hvx_xenbus_dev_error);

void hvx_xenbus_dev_fatal(struct hvx_xenbus_device *dev, int err,
			  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dev_report(dev, err, fmt, ap);
	va_end(ap);
	hvx_xenbus_switch_state(dev, HVX_XenbusStateClosing);
}
EXPORT_SYMBOL_GPL(hvx_xenbus_dev_fatal);

int hvx_xenbus_watch_pathfmt(struct hvx_xenbus_device *dev,
			     struct hvx_xenbus_watch *watch,
			     void (*callback)(struct hvx_xenbus_watch *,
					      const char *, const char *),
			     const char *fmt, ...)
{
	va_list ap;
	char *path;
	int err;

	va_start(ap, fmt);
	path = kvasprintf(GFP_KERNEL, fmt, ap);
	va_end(ap);
	if (!path) {
		hvx_xenbus_dev_fatal(dev, -ENOMEM, "allocating a watch path");
		return -ENOMEM;
	}
	watch->node = path;
	watch->callback = callback;
	err = hvx_register_xenbus_watch(watch);
	if (err) {
		watch->node = NULL;
		watch->callback = NULL;
		hvx_xenbus_dev_fatal(dev, err, "watching %s", path);
		kfree(path);
	}
	return err;
}
EXPORT_SYMBOL_GPL(hvx_xenbus_watch_pathfmt);

static struct page *ring_page(void *addr)
{
	return is_vmalloc_addr(addr) ? vmalloc_to_page(addr) : virt_to_page(addr);
}

int hvx_xenbus_grant_ring(struct hvx_xenbus_device *dev, void *vaddr,
			  unsigned int nr_pages, hvx_grant_ref_t *grefs)
{
	unsigned int i;
	int ref;

	if (dev->otherend_id < 0 || !nr_pages || nr_pages > MAX_RING_PAGES)
		return -EINVAL;
	for (i = 0; i < nr_pages; i++) {
		unsigned long gfn = hvx_page_to_gfn(ring_page(vaddr + i * PAGE_SIZE));

		ref = hvx_gnttab_grant_foreign_access(dev->otherend_id, gfn, false);
		if (ref < 0) {
			hvx_xenbus_dev_fatal(dev, ref, "granting ring page %u", i);
			while (i--)
				hvx_gnttab_end_foreign_access_ref(grefs[i]);
			return ref;
		}
		grefs[i] = ref;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(hvx_xenbus_grant_ring);

/* A backend's mapped ring: found again by its address to unmap it. */
struct mapped_ring {
	struct list_head list;
	void *vaddr;
	unsigned int nr;
	struct hvx_grant_map_op ops[];
};

static DEFINE_SPINLOCK(rings_lock);
static LIST_HEAD(rings);

static void unmap_ops(struct hvx_grant_map_op *ops, unsigned int nr)
{
	unsigned int i, n = 0;

	/* Only the ops that mapped go back; failed ones hold nothing. */
	for (i = 0; i < nr; i++)
		if (ops[i].status == HVX_GNTST_okay)
			ops[n++] = ops[i];
	if (!n)
		return;
	if (hvx_gnttab_unmap(ops, n))
		pr_err("unmapping %u ring grants failed\n", n);
	for (i = 0; i < n; i++)
		if (ops[i].status != HVX_GNTST_okay)
			pr_err("unmapping ring grant %u: status %d\n", ops[i].ref,
			       ops[i].status);
}

int hvx_xenbus_map_ring_valloc(struct hvx_xenbus_device *dev,
			       const hvx_grant_ref_t *grefs,
			       unsigned int nr_grefs, void **vaddr)
{
	struct page *pages[MAX_RING_PAGES];
	struct mapped_ring *ring;
	unsigned int i;
	int err;

	*vaddr = NULL;
	if (dev->otherend_id < 0 || !nr_grefs || nr_grefs > MAX_RING_PAGES)
		return -EINVAL;
	ring = kzalloc(struct_size(ring, ops, nr_grefs), GFP_KERNEL);
	if (!ring)
		return -ENOMEM;
	ring->nr = nr_grefs;
	for (i = 0; i < nr_grefs; i++) {
		ring->ops[i].domid = dev->otherend_id;
		ring->ops[i].ref = grefs[i];
		ring->ops[i].status = HVX_GNTST_general_error;
	}
	err = hvx_gnttab_map(ring->ops, nr_grefs);
	for (i = 0; !err && i < nr_grefs; i++) {
		if (ring->ops[i].status != HVX_GNTST_okay) {
			err = -EINVAL;
			hvx_xenbus_dev_fatal(dev, err, "mapping ring-ref %u: status %d",
					     grefs[i], ring->ops[i].status);
		}
		pages[i] = ring->ops[i].page;
	}
	if (err) {
		if (err != -EINVAL)
			hvx_xenbus_dev_fatal(dev, err, "mapping %u ring grants",
					     nr_grefs);
		goto unmap;
	}
	ring->vaddr = vmap(pages, nr_grefs, VM_MAP, PAGE_KERNEL);
	if (!ring->vaddr) {
		err = -ENOMEM;
		hvx_xenbus_dev_fatal(dev, err, "vmap of %u ring pages", nr_grefs);
		goto unmap;
	}
	spin_lock(&rings_lock);
	list_add(&ring->list, &rings);
	spin_unlock(&rings_lock);
	*vaddr = ring->vaddr;
	return 0;

unmap:
	unmap_ops(ring->ops, nr_grefs);
	kfree(ring);
	return err;
}
EXPORT_SYMBOL_GPL(hvx_xenbus_map_ring_valloc);

void hvx_xenbus_unmap_ring_vfree(struct hvx_xenbus_device *dev, void *vaddr)
{
	struct mapped_ring *ring, *found = NULL;

	if (!vaddr)
		return;
	spin_lock(&rings_lock);
	list_for_each_entry(ring, &rings, list) {
		if (ring->vaddr == vaddr) {
			list_del(&ring->list);
			found = ring;
			break;
		}
	}
	spin_unlock(&rings_lock);
	if (!found) {
		hvx_xenbus_dev_error(dev, -ENOENT, "no ring mapped at %p", vaddr);
		return;
	}
	vunmap(found->vaddr);
	unmap_ops(found->ops, found->nr);
	kfree(found);
}
EXPORT_SYMBOL_GPL(hvx_xenbus_unmap_ring_vfree);

int hvx_xenbus_alloc_evtchn(struct hvx_xenbus_device *dev,
			    hvx_evtchn_port_t *port)
{
	int err;

	if (dev->otherend_id < 0)
		return -EINVAL;
	err = hvx_evtchn_alloc_unbound(dev->otherend_id, port);
	if (err)
		hvx_xenbus_dev_fatal(dev, err, "allocating an event channel");
	return err;
}
EXPORT_SYMBOL_GPL(hvx_xenbus_alloc_evtchn);

int hvx_xenbus_free_evtchn(struct hvx_xenbus_device *dev,
			   hvx_evtchn_port_t port)
{
	int err = hvx_evtchn_close(port);

	if (err)
		hvx_xenbus_dev_error(dev, err, "closing event channel %u", port);
	return err;
}
EXPORT_SYMBOL_GPL(hvx_xenbus_free_evtchn);
