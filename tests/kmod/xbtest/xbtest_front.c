// SPDX-License-Identifier: GPL-2.0-only
/*
 * xbtest_front.c: the frontend half of the xenbus test, for devices of
 * type "xbtest" (udev loads it by the alias hvx:xbtest). It follows the
 * usual frontend steps: when the backend is InitWait it grants one page
 * holding its pattern, offers an event channel, writes ring-ref and
 * event-channel and says Initialised; when the backend is Connected it
 * checks the backend's pattern in the page and says Connected. When the
 * backend closes it releases everything and says Closed. Counters are
 * module parameters under /sys/module/xbtest_front/parameters/.
 */
#define pr_fmt(fmt) "xbtest_front: " fmt

#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "../../../include/xen/hvx/xenbus.h"
#include "xbtest.h"

static unsigned int probed, connected, closed, bad_pattern;
static unsigned long events;
module_param(probed, uint, 0444);
module_param(connected, uint, 0444);
module_param(closed, uint, 0444);
module_param(bad_pattern, uint, 0444);
module_param(events, ulong, 0444);
MODULE_PARM_DESC(connected, "devices that reached Connected");
MODULE_PARM_DESC(closed, "devices that closed after the backend did");
MODULE_PARM_DESC(events, "events received from backends");

/* The core's count of grant refs in use: 0 once every device let go. */
static int get_refs_in_use(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%u\n", hvx_gnttab_refs_in_use());
}

static const struct kernel_param_ops refs_ops = { .get = get_refs_in_use };
module_param_cb(refs_in_use, &refs_ops, NULL, 0444);

struct xbfront {
	struct hvx_xenbus_device *dev;
	struct page *page;
	int ref;			/* -1: not granted */
	hvx_evtchn_port_t port;		/* 0: none */
	int irq;			/* -1: not bound */
};

static irqreturn_t xbfront_event(int irq, void *dev_id)
{
	WRITE_ONCE(events, events + 1);
	return IRQ_HANDLED;
}

/* Give back the port and the grant; the page goes once the backend let go. */
static void xbfront_release(struct xbfront *fr)
{
	if (fr->irq >= 0)
		hvx_unbind_from_irqhandler(fr->irq, fr);
	fr->irq = -1;
	if (fr->port)
		hvx_xenbus_free_evtchn(fr->dev, fr->port);
	fr->port = 0;
	if (fr->ref >= 0) {
		hvx_gnttab_end_foreign_access(fr->ref, fr->page);
		fr->page = NULL;
	}
	fr->ref = -1;
}

static int xbfront_publish(struct xbfront *fr)
{
	struct hvx_xenbus_device *dev = fr->dev;
	struct hvx_xenbus_transaction t;
	int err;

	do {
		err = hvx_xenbus_transaction_start(&t);
		if (err)
			return err;
		err = hvx_xenbus_printf(t, dev->nodename, XBTEST_RING_REF, "%d",
					fr->ref);
		if (!err)
			err = hvx_xenbus_printf(t, dev->nodename,
						XBTEST_EVENT_CHANNEL, "%u", fr->port);
		if (err) {
			hvx_xenbus_transaction_end(t, 1);
			return err;
		}
		err = hvx_xenbus_transaction_end(t, 0);
	} while (err == -EAGAIN);
	return err;
}

static void xbfront_setup(struct xbfront *fr)
{
	struct hvx_xenbus_device *dev = fr->dev;
	hvx_grant_ref_t ref;
	unsigned int i;
	u8 *p;
	int err;

	p = page_address(fr->page);
	for (i = 0; i < PAGE_SIZE; i++)
		p[i] = xbtest_front_byte(i);
	err = hvx_xenbus_grant_ring(dev, p, 1, &ref);
	if (err)
		return;		/* reported fatal by the helper */
	fr->ref = ref;
	err = hvx_xenbus_alloc_evtchn(dev, &fr->port);
	if (err)
		goto release;
	fr->irq = hvx_bind_evtchn_to_irqhandler(fr->port, xbfront_event, 0,
						"xbtest-front", fr);
	if (fr->irq < 0) {
		err = fr->irq;
		hvx_xenbus_dev_fatal(dev, err, "binding event channel %u", fr->port);
		goto release;
	}
	err = xbfront_publish(fr);
	if (err) {
		hvx_xenbus_dev_fatal(dev, err, "writing ring-ref and event-channel");
		goto release;
	}
	hvx_xenbus_switch_state(dev, HVX_XenbusStateInitialised);
	return;

release:
	xbfront_release(fr);
}

static void xbfront_check(struct xbfront *fr)
{
	const u8 *p = page_address(fr->page);
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i++) {
		if (p[i] != xbtest_back_byte(i)) {
			bad_pattern++;
			hvx_xenbus_dev_fatal(fr->dev, -EIO,
					     "byte %u is %#x, not the backend's %#x",
					     i, p[i], xbtest_back_byte(i));
			return;
		}
	}
	if (!hvx_xenbus_switch_state(fr->dev, HVX_XenbusStateConnected)) {
		connected++;
		dev_info(&fr->dev->dev, "connected to domain %d\n",
			 fr->dev->otherend_id);
	}
}

static void xbfront_closed(struct xbfront *fr)
{
	if (fr->dev->state == HVX_XenbusStateClosed)
		return;
	xbfront_release(fr);
	hvx_xenbus_frontend_closed(fr->dev);
	closed++;
}

static void xbfront_backend_changed(struct hvx_xenbus_device *dev,
				    enum hvx_xenbus_state state)
{
	struct xbfront *fr = dev_get_drvdata(&dev->dev);

	switch (state) {
	case HVX_XenbusStateInitWait:
		if (dev->state == HVX_XenbusStateInitialising)
			xbfront_setup(fr);
		break;
	case HVX_XenbusStateConnected:
		if (dev->state == HVX_XenbusStateInitialised && fr->page)
			xbfront_check(fr);
		break;
	case HVX_XenbusStateClosing:
	case HVX_XenbusStateClosed:
		xbfront_closed(fr);
		break;
	case HVX_XenbusStateUnknown:
		/* The backend's directory went: nothing to talk to. */
		if (dev->state != HVX_XenbusStateInitialising)
			xbfront_closed(fr);
		break;
	default:
		break;
	}
}

static int xbfront_probe(struct hvx_xenbus_device *dev,
			 const struct hvx_xenbus_device_id *id)
{
	struct xbfront *fr;

	fr = kzalloc(sizeof(*fr), GFP_KERNEL);
	if (!fr)
		return -ENOMEM;
	fr->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!fr->page) {
		kfree(fr);
		return -ENOMEM;
	}
	fr->dev = dev;
	fr->ref = -1;
	fr->irq = -1;
	dev_set_drvdata(&dev->dev, fr);
	probed++;
	return 0;
}

static void xbfront_remove(struct hvx_xenbus_device *dev)
{
	struct xbfront *fr = dev_get_drvdata(&dev->dev);

	xbfront_release(fr);
	if (fr->page)
		__free_page(fr->page);
	kfree(fr);
}

static const struct hvx_xenbus_device_id xbfront_ids[] = {
	{ XBTEST_TYPE },
	{ "" }
};

static struct hvx_xenbus_driver xbfront_driver = {
	.ids = xbfront_ids,
	.probe = xbfront_probe,
	.otherend_changed = xbfront_backend_changed,
	.remove = xbfront_remove,
};

module_hvx_xenbus_frontend(xbfront_driver);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx test: a xenbus frontend driver");
HVX_XENBUS_FRONTEND_ALIAS(XBTEST_TYPE);
