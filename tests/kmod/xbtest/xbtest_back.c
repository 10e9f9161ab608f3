// SPDX-License-Identifier: GPL-2.0-only
/*
 * xbtest_back.c: the backend half of the xenbus test (dom0), for devices
 * of type "xbtest" (alias hvx-backend:xbtest). It says InitWait at probe;
 * when the frontend is Initialised it maps the granted page, binds the
 * frontend's event channel, checks the frontend's pattern, writes its own,
 * says Connected and sends one event. Writing 1 to the `close` parameter
 * makes every device let go of the page and port and say Closing; when
 * the frontend is Closed the backend is too. Counters are module
 * parameters under /sys/module/xbtest_back/parameters/.
 */
#define pr_fmt(fmt) "xbtest_back: " fmt

#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
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
MODULE_PARM_DESC(closed, "devices that reached Closed");

struct xbback {
	struct list_head list;
	struct hvx_xenbus_device *dev;
	void *ring;			/* the frontend's page, mapped */
	int irq;			/* -1: not bound */
};

/* Devices, and every step of their state machine (watch thread, sysfs). */
static DEFINE_MUTEX(xbback_lock);
static LIST_HEAD(xbbacks);

static irqreturn_t xbback_event(int irq, void *dev_id)
{
	WRITE_ONCE(events, events + 1);
	return IRQ_HANDLED;
}

static void xbback_disconnect(struct xbback *be)
{
	if (be->irq >= 0)
		hvx_unbind_from_irqhandler(be->irq, be);
	be->irq = -1;
	if (be->ring)
		hvx_xenbus_unmap_ring_vfree(be->dev, be->ring);
	be->ring = NULL;
}

static int xbback_exchange(struct xbback *be)
{
	u8 *p = be->ring;
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i++) {
		if (p[i] != xbtest_front_byte(i)) {
			bad_pattern++;
			hvx_xenbus_dev_fatal(be->dev, -EIO,
					     "byte %u is %#x, not the frontend's %#x",
					     i, p[i], xbtest_front_byte(i));
			return -EIO;
		}
	}
	for (i = 0; i < PAGE_SIZE; i++)
		p[i] = xbtest_back_byte(i);
	return 0;
}

static void xbback_connect(struct xbback *be)
{
	struct hvx_xenbus_device *dev = be->dev;
	unsigned int ref, port;
	int err;

	if (hvx_xenbus_scanf(HVX_XBT_NIL, dev->otherend, XBTEST_RING_REF, "%u",
			     &ref) != 1 ||
	    hvx_xenbus_scanf(HVX_XBT_NIL, dev->otherend, XBTEST_EVENT_CHANNEL,
			     "%u", &port) != 1) {
		hvx_xenbus_dev_fatal(dev, -EINVAL, "reading %s/%s and %s",
				     dev->otherend, XBTEST_RING_REF,
				     XBTEST_EVENT_CHANNEL);
		return;
	}
	err = hvx_xenbus_map_ring_valloc(dev, &ref, 1, &be->ring);
	if (err)
		return;		/* reported fatal by the helper */
	be->irq = hvx_bind_interdomain_evtchn_to_irqhandler(dev->otherend_id, port,
							    xbback_event, 0,
							    "xbtest-back", be);
	if (be->irq < 0) {
		hvx_xenbus_dev_fatal(dev, be->irq, "binding port %u of domain %d",
				     port, dev->otherend_id);
		goto disconnect;
	}
	if (xbback_exchange(be))
		goto disconnect;
	err = hvx_xenbus_switch_state(dev, HVX_XenbusStateConnected);
	if (err)
		goto disconnect;
	connected++;
	dev_info(&dev->dev, "connected to domain %d (ref %u, port %u)\n",
		 dev->otherend_id, ref, port);
	hvx_notify_remote_via_irq(be->irq);
	return;

disconnect:
	xbback_disconnect(be);
}

static void xbback_frontend_changed(struct hvx_xenbus_device *dev,
				    enum hvx_xenbus_state state)
{
	struct xbback *be = dev_get_drvdata(&dev->dev);

	mutex_lock(&xbback_lock);
	switch (state) {
	case HVX_XenbusStateInitialised:
	case HVX_XenbusStateConnected:
		if (dev->state == HVX_XenbusStateInitWait)
			xbback_connect(be);
		break;
	case HVX_XenbusStateClosing:
		xbback_disconnect(be);
		hvx_xenbus_switch_state(dev, HVX_XenbusStateClosing);
		break;
	case HVX_XenbusStateClosed:
	case HVX_XenbusStateUnknown:
		/* Unknown: the frontend's directory went with its domain. */
		xbback_disconnect(be);
		if (dev->state != HVX_XenbusStateClosed &&
		    !hvx_xenbus_switch_state(dev, HVX_XenbusStateClosed))
			closed++;
		break;
	default:
		break;
	}
	mutex_unlock(&xbback_lock);
}

/* Writing 1 to `close`: every device lets go and says Closing. */
static int set_close(const char *val, const struct kernel_param *kp)
{
	struct xbback *be;
	bool close;
	int err;

	err = kstrtobool(val, &close);
	if (err || !close)
		return err;
	mutex_lock(&xbback_lock);
	list_for_each_entry(be, &xbbacks, list) {
		xbback_disconnect(be);
		hvx_xenbus_switch_state(be->dev, HVX_XenbusStateClosing);
	}
	mutex_unlock(&xbback_lock);
	return 0;
}

static const struct kernel_param_ops close_ops = { .set = set_close };
module_param_cb(close, &close_ops, NULL, 0200);
MODULE_PARM_DESC(close, "write 1: every device closes from the backend side");

static int xbback_probe(struct hvx_xenbus_device *dev,
			const struct hvx_xenbus_device_id *id)
{
	struct xbback *be;
	int err;

	be = kzalloc(sizeof(*be), GFP_KERNEL);
	if (!be)
		return -ENOMEM;
	be->dev = dev;
	be->irq = -1;
	dev_set_drvdata(&dev->dev, be);
	mutex_lock(&xbback_lock);
	list_add(&be->list, &xbbacks);
	err = hvx_xenbus_switch_state(dev, HVX_XenbusStateInitWait);
	if (err)
		list_del(&be->list);
	mutex_unlock(&xbback_lock);
	if (err) {
		kfree(be);
		return err;
	}
	probed++;
	return 0;
}

static void xbback_remove(struct hvx_xenbus_device *dev)
{
	struct xbback *be = dev_get_drvdata(&dev->dev);

	mutex_lock(&xbback_lock);
	list_del(&be->list);
	xbback_disconnect(be);
	mutex_unlock(&xbback_lock);
	kfree(be);
}

static const struct hvx_xenbus_device_id xbback_ids[] = {
	{ XBTEST_TYPE },
	{ "" }
};

static struct hvx_xenbus_driver xbback_driver = {
	.ids = xbback_ids,
	.probe = xbback_probe,
	.otherend_changed = xbback_frontend_changed,
	.remove = xbback_remove,
};

module_hvx_xenbus_backend(xbback_driver);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx test: a xenbus backend driver");
HVX_XENBUS_BACKEND_ALIAS(XBTEST_TYPE);
