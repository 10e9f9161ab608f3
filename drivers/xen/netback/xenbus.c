// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus.c: netback's xenbus driver (devices backend/vif/D/N on the
 * hvx-backend bus, alias hvx-backend:vif). At probe it makes vifD.N,
 * offers its features and says InitWait; the hotplug script (udev, on
 * the device's "online" uevent) puts vifD.N on its bridge and writes
 * hotplug-status = connected. When the frontend has written its rings
 * and ports (Initialised or Connected), netback maps and binds them, and
 * says Connected once the hotplug script is done too.
 */
#define pr_fmt(fmt) "netback: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include "common.h"

static unsigned int max_queues = NETBK_MAX_QUEUES;
module_param(max_queues, uint, 0644);
MODULE_PARM_DESC(max_queues, "queues offered to a frontend (multi-queue-max-queues), at most 8");

static unsigned int netbk_max_queues(void)
{
	return clamp_t(unsigned int, READ_ONCE(max_queues), 1, NETBK_MAX_QUEUES);
}

static void netbk_write_features(struct hvx_xenbus_device *dev)
{
	static const char *const on[] = {
		"feature-sg", "feature-gso-tcpv4", "feature-gso-tcpv6",
		"feature-ipv6-csum-offload", "feature-rx-copy",
		"feature-split-event-channels", "feature-multicast-control",
		"feature-dynamic-multicast-control", "feature-ctrl-ring",
		"feature-xdp-headroom",
	};
	struct hvx_xenbus_transaction t;
	unsigned int i;
	int err;

	do {
		err = hvx_xenbus_transaction_start(&t);
		if (err)
			goto fail;
		for (i = 0; i < ARRAY_SIZE(on) && !err; i++)
			err = hvx_xenbus_write(t, dev->nodename, on[i], "1");
		if (!err)
			err = hvx_xenbus_write(t, dev->nodename, "feature-rx-flip", "0");
		if (!err)
			err = hvx_xenbus_printf(t, dev->nodename, "multi-queue-max-queues", "%u",
						netbk_max_queues());
		if (err) {
			hvx_xenbus_transaction_end(t, 1);
			goto fail;
		}
		err = hvx_xenbus_transaction_end(t, 0);
	} while (err == -EAGAIN);
	if (!err)
		return;
fail:
	hvx_xenbus_dev_error(dev, err, "writing the backend's features");
}

/* rate = "BYTES,USECS" (libxl's node); absent: no limit. */
static void netbk_read_rate(struct netbk_vif *vif)
{
	unsigned long long bytes = 0;
	unsigned int usec = 0;
	char *s;

	s = hvx_xenbus_read(HVX_XBT_NIL, vif->dev->nodename, "rate", NULL);
	if (IS_ERR(s)) {
		netbk_vif_set_rate(vif, 0, 0);
		return;
	}
	if (sscanf(s, "%llu,%u", &bytes, &usec) != 2 || !bytes || !usec) {
		netdev_warn(vif->netdev, "rate '%s' is not BYTES,USECS: no limit\n", s);
		bytes = 0;
		usec = 0;
	}
	kfree(s);
	netbk_vif_set_rate(vif, bytes, usec);
}

static void netbk_rate_changed(struct hvx_xenbus_watch *w, const char *path,
			       const char *token)
{
	struct netbk_vif *vif = container_of(w, struct netbk_vif, rate_watch);

	netbk_read_rate(vif);
}

/* Connected: rings up and the hotplug script done. */
static void netbk_maybe_connected(struct netbk_vif *vif)
{
	struct hvx_xenbus_device *dev = vif->dev;

	if (vif->connected && vif->hotplug_connected &&
	    dev->state != HVX_XenbusStateConnected &&
	    !hvx_xenbus_switch_state(dev, HVX_XenbusStateConnected))
		netdev_info(vif->netdev, "connected to domain %u, %u queue(s)\n", vif->domid,
			    vif->nr_queues);
}

static void netbk_hotplug_changed(struct hvx_xenbus_watch *w, const char *path,
				  const char *token)
{
	struct netbk_vif *vif = container_of(w, struct netbk_vif, hotplug_watch);
	char *s;

	s = hvx_xenbus_read(HVX_XBT_NIL, vif->dev->nodename, "hotplug-status", NULL);
	if (IS_ERR(s))
		return;
	mutex_lock(&vif->lock);
	vif->hotplug_connected = !strcmp(s, "connected");
	netbk_maybe_connected(vif);
	mutex_unlock(&vif->lock);
	kfree(s);
}

/*
 * xdp-headroom: bytes the frontend wants free at the start of each rx data
 * slot (for an XDP program). Read at connect and when the frontend says
 * Reconfiguring. Absent or unreadable: none. Above what leaves half a page
 * for data: refused (none, and an error in the store) rather than clamped
 * to the protocol's 0x7FFF as upstream does, which would put the data
 * past the page.
 */
static void netbk_read_xdp(struct netbk_vif *vif)
{
	struct hvx_xenbus_device *dev = vif->dev;
	unsigned int headroom;

	if (hvx_xenbus_scanf(HVX_XBT_NIL, dev->otherend, "xdp-headroom", "%u", &headroom) != 1)
		headroom = 0;
	if (headroom > NETBK_XDP_HEADROOM_MAX) {
		hvx_xenbus_dev_error(dev, -EINVAL, "xdp-headroom %u: at most %u", headroom,
				     NETBK_XDP_HEADROOM_MAX);
		headroom = 0;
	}
	if (headroom != vif->xdp_headroom)
		netdev_info(vif->netdev, "xdp-headroom %u\n", headroom);
	WRITE_ONCE(vif->xdp_headroom, headroom);
}

/* One queue's rings and ports under @dir (the frontend's, or its queue-N). */
static int netbk_read_queue(struct hvx_xenbus_device *dev, const char *dir,
			    struct netbk_queue_refs *r)
{
	if (hvx_xenbus_scanf(HVX_XBT_NIL, dir, "tx-ring-ref", "%u", &r->tx_ref) != 1 ||
	    hvx_xenbus_scanf(HVX_XBT_NIL, dir, "rx-ring-ref", "%u", &r->rx_ref) != 1) {
		hvx_xenbus_dev_fatal(dev, -EINVAL, "reading %s/tx-ring-ref and rx-ring-ref", dir);
		return -EINVAL;
	}
	if (hvx_xenbus_scanf(HVX_XBT_NIL, dir, "event-channel", "%u", &r->tx_port) == 1) {
		r->rx_port = r->tx_port;
		return 0;
	}
	if (hvx_xenbus_scanf(HVX_XBT_NIL, dir, "event-channel-tx", "%u", &r->tx_port) == 1 &&
	    hvx_xenbus_scanf(HVX_XBT_NIL, dir, "event-channel-rx", "%u", &r->rx_port) == 1)
		return 0;
	hvx_xenbus_dev_fatal(dev, -EINVAL, "reading %s/event-channel(-tx/-rx)", dir);
	return -EINVAL;
}

static void netbk_connect(struct netbk_vif *vif)
{
	struct hvx_xenbus_device *dev = vif->dev;
	const char *fe = dev->otherend;
	struct netbk_queue_refs refs[NETBK_MAX_QUEUES];
	unsigned int nr, i;
	int err;

	nr = hvx_xenbus_read_unsigned(fe, "multi-queue-num-queues", 1);
	if (!nr || nr > netbk_max_queues()) {
		hvx_xenbus_dev_fatal(dev, -EINVAL, "multi-queue-num-queues %u: 1 to %u", nr,
				     netbk_max_queues());
		return;
	}
	if (nr == 1) {
		if (netbk_read_queue(dev, fe, &refs[0]))
			return;
	} else {
		for (i = 0; i < nr; i++) {
			char *dir = kasprintf(GFP_KERNEL, "%s/queue-%u", fe, i);

			if (!dir)
				return;
			err = netbk_read_queue(dev, dir, &refs[i]);
			kfree(dir);
			if (err)
				return;
		}
	}
	if (!hvx_xenbus_read_unsigned(fe, "request-rx-copy", 0)) {
		hvx_xenbus_dev_fatal(dev, -EOPNOTSUPP, "the frontend must use request-rx-copy");
		return;
	}
	if (!hvx_xenbus_read_unsigned(fe, "feature-rx-notify", 0)) {
		hvx_xenbus_dev_fatal(dev, -EOPNOTSUPP, "the frontend must offer feature-rx-notify");
		return;
	}
	vif->fe_sg = hvx_xenbus_read_unsigned(fe, "feature-sg", 0);
	vif->fe_gso_v4 = vif->fe_sg && hvx_xenbus_read_unsigned(fe, "feature-gso-tcpv4", 0);
	vif->fe_gso_v6 = vif->fe_sg && hvx_xenbus_read_unsigned(fe, "feature-gso-tcpv6", 0);
	vif->fe_csum = !hvx_xenbus_read_unsigned(fe, "feature-no-csum-offload", 0);
	vif->fe_ipv6_csum = hvx_xenbus_read_unsigned(fe, "feature-ipv6-csum-offload", 0);
	netbk_read_xdp(vif);
	err = netbk_vif_connect(vif, refs, nr);
	if (err)
		return;
	/* the control ring, when the frontend made one */
	if (hvx_xenbus_scanf(HVX_XBT_NIL, fe, "ctrl-ring-ref", "%u", &i) == 1) {
		hvx_evtchn_port_t port;

		if (hvx_xenbus_scanf(HVX_XBT_NIL, fe, "event-channel-ctrl", "%u", &port) != 1) {
			hvx_xenbus_dev_fatal(dev, -EINVAL, "ctrl-ring-ref without event-channel-ctrl");
			netbk_vif_disconnect(vif);
			return;
		}
		err = netbk_ctrl_connect(vif, i, port);
		if (err) {
			netbk_vif_disconnect(vif);
			return;
		}
	}
	if (netbk_mcast_connect(vif)) {
		netbk_vif_disconnect(vif);
		return;
	}
	netdev_dbg(vif->netdev, "%u queue(s), sg %d gso %d/%d csum %d/%d\n", nr,
		   vif->fe_sg, vif->fe_gso_v4, vif->fe_gso_v6, vif->fe_csum, vif->fe_ipv6_csum);
	netbk_maybe_connected(vif);
}

/*
 * The frontend says Initialising: a driver loaded again after closing, as
 * upstream's netback prepares for (Closed -> InitWait). If we never saw
 * its Closed (a reload faster than our watch: both events read the new
 * state), from Closing or even Connected, the old connection goes first.
 * Not while the toolstack takes the device away (online = 0).
 */
static void netbk_frontend_restarted(struct netbk_vif *vif)
{
	struct hvx_xenbus_device *dev = vif->dev;

	if (dev->state == HVX_XenbusStateInitWait && !vif->connected)
		return;		/* already waiting for it */
	if (!hvx_xenbus_read_unsigned(dev->nodename, "online", 0))
		return;
	if (dev->state != HVX_XenbusStateClosed)
		netdev_info(vif->netdev, "frontend restarted while %s: reconnecting\n",
			    hvx_xenbus_strstate(dev->state));
	netbk_vif_disconnect(vif);
	netbk_write_features(dev);
	hvx_xenbus_switch_state(dev, HVX_XenbusStateInitWait);
}

static void netbk_frontend_changed(struct hvx_xenbus_device *dev,
				   enum hvx_xenbus_state state)
{
	struct netbk_vif *vif = dev_get_drvdata(&dev->dev);

	mutex_lock(&vif->lock);
	switch (state) {
	case HVX_XenbusStateInitialising:
		netbk_frontend_restarted(vif);
		break;
	case HVX_XenbusStateInitialised:
	case HVX_XenbusStateConnected:
		if (dev->state == HVX_XenbusStateInitWait && !vif->connected)
			netbk_connect(vif);
		else if (dev->state == HVX_XenbusStateReconfigured && vif->connected)
			hvx_xenbus_switch_state(dev, HVX_XenbusStateConnected);
		break;
	case HVX_XenbusStateReconfiguring:
		/* a new xdp-headroom while connected (upstream's handshake) */
		if (dev->state == HVX_XenbusStateConnected && vif->connected) {
			netbk_read_xdp(vif);
			hvx_xenbus_switch_state(dev, HVX_XenbusStateReconfigured);
		}
		break;
	case HVX_XenbusStateClosing:
		netbk_vif_disconnect(vif);
		hvx_xenbus_switch_state(dev, HVX_XenbusStateClosing);
		break;
	case HVX_XenbusStateClosed:
	case HVX_XenbusStateUnknown:
		netbk_vif_disconnect(vif);
		if (dev->state != HVX_XenbusStateClosed)
			hvx_xenbus_switch_state(dev, HVX_XenbusStateClosed);
		break;
	default:
		break;
	}
	mutex_unlock(&vif->lock);
}

static int netbk_uevent(struct hvx_xenbus_device *dev, struct kobj_uevent_env *env)
{
	struct netbk_vif *vif = dev_get_drvdata(&dev->dev);

	if (!vif)
		return 0;
	return add_uevent_var(env, "vif=%s", vif->netdev->name);
}

static int netbk_probe(struct hvx_xenbus_device *dev,
		       const struct hvx_xenbus_device_id *id)
{
	unsigned int handle = hvx_xenbus_read_unsigned(dev->nodename, "handle", 0);
	struct netbk_vif *vif;
	int err;

	vif = netbk_vif_create(dev, dev->otherend_id, handle);
	if (IS_ERR(vif)) {
		hvx_xenbus_dev_error(dev, PTR_ERR(vif), "creating vif%d.%u",
				     dev->otherend_id, handle);
		return PTR_ERR(vif);
	}
	dev_set_drvdata(&dev->dev, vif);
	netbk_write_features(dev);
	netbk_read_rate(vif);
	err = hvx_xenbus_watch_pathfmt(dev, &vif->hotplug_watch, netbk_hotplug_changed,
				       "%s/hotplug-status", dev->nodename);
	if (err)
		goto free;
	err = hvx_xenbus_watch_pathfmt(dev, &vif->rate_watch, netbk_rate_changed,
				       "%s/rate", dev->nodename);
	if (err)
		goto unwatch;
	err = hvx_xenbus_switch_state(dev, HVX_XenbusStateInitWait);
	if (err)
		goto unwatch_rate;
	/* the hotplug script's cue (Xen's udev rules run vif-bridge online) */
	kobject_uevent(&dev->dev.kobj, KOBJ_ONLINE);
	return 0;

unwatch_rate:
	hvx_unregister_xenbus_watch(&vif->rate_watch);
	kfree(vif->rate_watch.node);
unwatch:
	hvx_unregister_xenbus_watch(&vif->hotplug_watch);
	kfree(vif->hotplug_watch.node);
free:
	dev_set_drvdata(&dev->dev, NULL);
	netbk_vif_free(vif);
	return err;
}

static void netbk_remove(struct hvx_xenbus_device *dev)
{
	struct netbk_vif *vif = dev_get_drvdata(&dev->dev);

	hvx_unregister_xenbus_watch(&vif->rate_watch);
	kfree(vif->rate_watch.node);
	hvx_unregister_xenbus_watch(&vif->hotplug_watch);
	kfree(vif->hotplug_watch.node);
	kobject_uevent(&dev->dev.kobj, KOBJ_OFFLINE);
	mutex_lock(&vif->lock);
	netbk_vif_disconnect(vif);
	mutex_unlock(&vif->lock);
	dev_set_drvdata(&dev->dev, NULL);
	netbk_vif_free(vif);
}

static const struct hvx_xenbus_device_id netbk_ids[] = {
	{ "vif" },
	{ "" }
};

static struct hvx_xenbus_driver netbk_driver = {
	.ids = netbk_ids,
	.probe = netbk_probe,
	.otherend_changed = netbk_frontend_changed,
	.remove = netbk_remove,
	.uevent = netbk_uevent,
};

module_hvx_xenbus_backend(netbk_driver);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx netback: the dom0 half of Xen's network split driver (vifD.N)");
HVX_XENBUS_BACKEND_ALIAS("vif");
