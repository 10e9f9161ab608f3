// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus.c: blkback's devices (vbd on the hvx-backend bus, dom0): the
 * backing device named by the hotplug script's physical-device, the
 * connection steps, the features offered and the statistics.
 *
 *   probe: offer max-ring-page-order, multi-queue-max-queues,
 *          feature-max-indirect-segments, feature-persistent; watch
 *          physical-device; InitWait
 *   physical-device written: open the device (read-only for mode "r")
 *   frontend Initialised (and the device open): map its rings, bind its
 *          ports, start one thread per ring; write sectors, info,
 *          sector-size, physical-sector-size, feature-flush-cache,
 *          feature-barrier, the discard keys; Connected
 *   frontend Closing/Closed/gone: every ring stops (in-flight requests
 *          end first), then Closing/Closed
 *   remove: the device is closed, everything freed
 */
#define pr_fmt(fmt) "blkback: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include "common.h"

static unsigned int max_ring_page_order = HVX_BLKIF_MAX_RING_PAGE_ORDER;
module_param(max_ring_page_order, uint, 0444);
MODULE_PARM_DESC(max_ring_page_order, "largest ring offered, log2 pages (0..4)");
static unsigned int max_queues = BLKBACK_MAX_QUEUES;
module_param(max_queues, uint, 0444);
MODULE_PARM_DESC(max_queues, "rings per disk offered (1..4)");
static unsigned int max_indirect_segments = BLKBACK_MAX_INDIRECT_SEGS;
module_param(max_indirect_segments, uint, 0444);
MODULE_PARM_DESC(max_indirect_segments, "segments per indirect request (0: none, up to 256)");
static bool feature_persistent = true;
module_param(feature_persistent, bool, 0644);
MODULE_PARM_DESC(feature_persistent, "offer persistent grants to new frontends");

/* ---- statistics, named as upstream's ------------------------------------ */

#define BLKBACK_STAT(name)						\
static ssize_t name##_show(struct device *d, struct device_attribute *attr, \
			   char *buf)					\
{									\
	struct blkback *be = dev_get_drvdata(d);			\
									\
	return sysfs_emit(buf, "%lld\n",				\
			  (long long)atomic64_read(&be->stats.name));	\
}									\
static DEVICE_ATTR_RO(name)

BLKBACK_STAT(oo_req);
BLKBACK_STAT(rd_req);
BLKBACK_STAT(wr_req);
BLKBACK_STAT(f_req);
BLKBACK_STAT(ds_req);
BLKBACK_STAT(rd_sect);
BLKBACK_STAT(wr_sect);

static struct attribute *blkback_stat_attrs[] = {
	&dev_attr_oo_req.attr, &dev_attr_rd_req.attr, &dev_attr_wr_req.attr,
	&dev_attr_f_req.attr, &dev_attr_ds_req.attr, &dev_attr_rd_sect.attr,
	&dev_attr_wr_sect.attr, NULL
};

static const struct attribute_group blkback_stat_group = {
	.name = "statistics",
	.attrs = blkback_stat_attrs,
};

/* ---- the backing device ---------------------------------------------------- */

static void close_bdev(struct blkback *be)
{
	if (be->bdev)
		blkdev_put(be->bdev, be->mode);
	be->bdev = NULL;
}

static int open_bdev(struct blkback *be, dev_t devt)
{
	struct hvx_xenbus_device *dev = be->dev;
	struct hvx_blkif_limits *lim = &be->limits;
	struct block_device *bdev;
	char *mode, *type;
	bool discard_ok;

	mode = hvx_xenbus_read(HVX_XBT_NIL, dev->nodename, "mode", NULL);
	if (IS_ERR(mode)) {
		hvx_xenbus_dev_fatal(dev, PTR_ERR(mode), "reading %s/mode", dev->nodename);
		return PTR_ERR(mode);
	}
	lim->readonly = !strchr(mode, 'w');
	kfree(mode);
	type = hvx_xenbus_read(HVX_XBT_NIL, dev->nodename, "device-type", NULL);
	be->cdrom = !IS_ERR(type) && !strcmp(type, "cdrom");
	if (!IS_ERR(type))
		kfree(type);
	if (be->cdrom)
		lim->readonly = true;
	discard_ok = hvx_xenbus_read_unsigned(dev->nodename, "discard-enable", 1);

	be->mode = FMODE_READ | FMODE_EXCL | (lim->readonly ? 0 : FMODE_WRITE);
	bdev = blkdev_get_by_dev(devt, be->mode, be);
	if (IS_ERR(bdev)) {
		hvx_xenbus_dev_fatal(dev, PTR_ERR(bdev), "opening device %u:%u",
				     MAJOR(devt), MINOR(devt));
		return PTR_ERR(bdev);
	}
	be->bdev = bdev;
	be->devt = devt;
	lim->nr_sectors = bdev_nr_sectors(bdev);
	lim->flush = !lim->readonly && bdev_write_cache(bdev);
	lim->discard = discard_ok && !lim->readonly && bdev_max_discard_sectors(bdev);
	lim->secure_discard = lim->discard && bdev_max_secure_erase_sectors(bdev);
	lim->max_indirect_segs = min_t(unsigned int, max_indirect_segments,
				       BLKBACK_MAX_INDIRECT_SEGS);
	dev_info(&dev->dev, "device %u:%u, %llu sectors%s%s%s\n", MAJOR(devt),
		 MINOR(devt), (unsigned long long)lim->nr_sectors,
		 lim->readonly ? ", read-only" : "", lim->flush ? ", flush" : "",
		 lim->discard ? ", discard" : "");
	return 0;
}

/* ---- connecting ------------------------------------------------------------- */

static void disconnect(struct blkback *be)
{
	unsigned int i;

	for (i = 0; i < be->nr_rings; i++)
		blkback_ring_stop(&be->rings[i]);
	kfree(be->rings);
	be->rings = NULL;
	be->nr_rings = 0;
	be->connected = false;
}

/* The refs and port of one queue (@dir: the frontend's dir or queue-N). */
static int connect_ring(struct blkback *be, struct blkback_ring *ring,
			const char *dir, unsigned int order)
{
	struct hvx_xenbus_device *dev = be->dev;
	hvx_grant_ref_t refs[HVX_BLKIF_MAX_RING_PAGES];
	unsigned int i, nr = 1U << order, port;
	char node[16];

	for (i = 0; i < nr; i++) {
		if (order)
			snprintf(node, sizeof(node), "ring-ref%u", i);
		else
			strscpy(node, "ring-ref", sizeof(node));
		if (hvx_xenbus_scanf(HVX_XBT_NIL, dir, node, "%u", &refs[i]) != 1) {
			hvx_xenbus_dev_fatal(dev, -EINVAL, "reading %s/%s", dir, node);
			return -EINVAL;
		}
	}
	if (hvx_xenbus_scanf(HVX_XBT_NIL, dir, "event-channel", "%u", &port) != 1) {
		hvx_xenbus_dev_fatal(dev, -EINVAL, "reading %s/event-channel", dir);
		return -EINVAL;
	}
	return blkback_ring_start(ring, refs, nr, port);
}

static int write_disk_nodes(struct blkback *be, struct hvx_xenbus_transaction t)
{
	const struct hvx_blkif_limits *lim = &be->limits;
	const char *dir = be->dev->nodename;
	unsigned int info = 0;
	int err;

	if (lim->readonly)
		info |= HVX_VDISK_READONLY;
	if (be->cdrom)
		info |= HVX_VDISK_CDROM | HVX_VDISK_REMOVABLE;
	err = hvx_xenbus_printf(t, dir, "feature-flush-cache", "%d", lim->flush);
	err = err ?: hvx_xenbus_printf(t, dir, "feature-barrier", "%d", lim->flush);
	err = err ?: hvx_xenbus_printf(t, dir, "feature-discard", "%d", lim->discard);
	if (!err && lim->discard) {
		err = hvx_xenbus_printf(t, dir, "discard-granularity", "%u",
					bdev_discard_granularity(be->bdev));
		err = err ?: hvx_xenbus_printf(t, dir, "discard-alignment", "%u",
					       bdev_discard_alignment(be->bdev));
		err = err ?: hvx_xenbus_printf(t, dir, "discard-secure", "%d",
					       lim->secure_discard);
	}
	err = err ?: hvx_xenbus_printf(t, dir, "sectors", "%llu",
				       (unsigned long long)lim->nr_sectors);
	err = err ?: hvx_xenbus_printf(t, dir, "info", "%u", info);
	err = err ?: hvx_xenbus_printf(t, dir, "sector-size", "%u",
				       bdev_logical_block_size(be->bdev));
	err = err ?: hvx_xenbus_printf(t, dir, "physical-sector-size", "%u",
				       bdev_physical_block_size(be->bdev));
	return err;
}

static void connect(struct blkback *be)
{
	struct hvx_xenbus_device *dev = be->dev;
	struct hvx_xenbus_transaction t;
	unsigned int nr_queues, order, i;
	char *protocol, *dir;
	int err;

	if (be->connected || !be->bdev)
		return;
	protocol = hvx_xenbus_read(HVX_XBT_NIL, dev->otherend, "protocol", NULL);
	if (!IS_ERR(protocol)) {
		err = strcmp(protocol, HVX_BLKIF_PROTOCOL_X86_64) ? -EPROTONOSUPPORT : 0;
		if (err)
			hvx_xenbus_dev_fatal(dev, err, "protocol %s is not supported",
					     protocol);
		kfree(protocol);
		if (err)
			return;
	}
	nr_queues = hvx_xenbus_read_unsigned(dev->otherend, "multi-queue-num-queues", 1);
	order = hvx_xenbus_read_unsigned(dev->otherend, "ring-page-order", 0);
	if (!nr_queues || nr_queues > max_queues || order > max_ring_page_order) {
		hvx_xenbus_dev_fatal(dev, -EINVAL, "%u queues of order %u: at most %u of %u",
				     nr_queues, order, max_queues, max_ring_page_order);
		return;
	}
	/* What this backend offered at probe, and the frontend asks for. */
	be->persistent = hvx_xenbus_read_unsigned(dev->nodename, "feature-persistent", 0) &&
			 hvx_xenbus_read_unsigned(dev->otherend, "feature-persistent", 0);
	be->rings = kcalloc(nr_queues, sizeof(*be->rings), GFP_KERNEL);
	if (!be->rings) {
		hvx_xenbus_dev_fatal(dev, -ENOMEM, "allocating %u rings", nr_queues);
		return;
	}
	for (i = 0; i < nr_queues; i++) {
		be->rings[i].be = be;
		be->rings[i].index = i;
		be->rings[i].persistent = be->persistent;
		if (nr_queues == 1) {
			err = connect_ring(be, &be->rings[i], dev->otherend, order);
		} else {
			dir = kasprintf(GFP_KERNEL, "%s/queue-%u", dev->otherend, i);
			err = dir ? connect_ring(be, &be->rings[i], dir, order) : -ENOMEM;
			kfree(dir);
		}
		if (err)
			goto fail;
		be->nr_rings = i + 1;
	}
	do {
		err = hvx_xenbus_transaction_start(&t);
		if (err)
			break;
		err = write_disk_nodes(be, t);
		if (err) {
			hvx_xenbus_transaction_end(t, 1);
			break;
		}
		err = hvx_xenbus_transaction_end(t, 0);
	} while (err == -EAGAIN);
	if (err) {
		hvx_xenbus_dev_fatal(dev, err, "writing the disk's nodes");
		goto fail;
	}
	err = hvx_xenbus_switch_state(dev, HVX_XenbusStateConnected);
	if (err)
		goto fail;
	be->connected = true;
	dev_info(&dev->dev, "connected to domain %d: %u ring%s of %u pages%s\n",
		 dev->otherend_id, nr_queues, nr_queues > 1 ? "s" : "", 1U << order,
		 be->persistent ? ", persistent grants" : "");
	return;
fail:
	disconnect(be);
}

/* Ring thread 0 saw a new size: tell the frontend (sectors, then state). */
void blkback_resized(struct blkback *be)
{
	struct hvx_xenbus_device *dev = be->dev;
	struct hvx_xenbus_transaction t;
	u64 size = bdev_nr_sectors(be->bdev);
	int err;

	WRITE_ONCE(be->limits.nr_sectors, size);
	dev_info(&dev->dev, "size now %llu sectors\n", (unsigned long long)size);
	do {
		err = hvx_xenbus_transaction_start(&t);
		if (err)
			return;
		err = hvx_xenbus_printf(t, dev->nodename, "sectors", "%llu",
					(unsigned long long)size);
		/* Rewriting the same state fires the frontend's watch. */
		err = err ?: hvx_xenbus_printf(t, dev->nodename, "state", "%d",
					       HVX_XenbusStateConnected);
		if (err) {
			hvx_xenbus_transaction_end(t, 1);
			return;
		}
		err = hvx_xenbus_transaction_end(t, 0);
	} while (err == -EAGAIN);
}

/* ---- the device's life ------------------------------------------------------ */

static void phys_changed(struct hvx_xenbus_watch *watch, const char *path,
			 const char *token)
{
	struct blkback *be = container_of(watch, struct blkback, phys_watch);
	struct hvx_xenbus_device *dev = be->dev;
	unsigned int major, minor;
	enum hvx_xenbus_state fstate;

	if (hvx_xenbus_scanf(HVX_XBT_NIL, dev->nodename, "physical-device", "%x:%x",
			     &major, &minor) != 2)
		return;		/* not written yet */
	mutex_lock(&be->lock);
	if (be->bdev) {
		if (be->devt != MKDEV(major, minor))
			dev_warn(&dev->dev, "physical-device changed to %x:%x: ignored\n",
				 major, minor);
		goto out;
	}
	if (open_bdev(be, MKDEV(major, minor)))
		goto out;
	fstate = hvx_xenbus_read_driver_state(dev->otherend);
	if (fstate == HVX_XenbusStateInitialised || fstate == HVX_XenbusStateConnected)
		connect(be);
out:
	mutex_unlock(&be->lock);
}

static void blkback_frontend_changed(struct hvx_xenbus_device *dev,
				     enum hvx_xenbus_state state)
{
	struct blkback *be = dev_get_drvdata(&dev->dev);

	mutex_lock(&be->lock);
	switch (state) {
	case HVX_XenbusStateInitialising:
		/* A frontend starting over after it closed. */
		if (dev->state == HVX_XenbusStateClosed)
			hvx_xenbus_switch_state(dev, HVX_XenbusStateInitWait);
		break;
	case HVX_XenbusStateInitialised:
	case HVX_XenbusStateConnected:
		if (dev->state != HVX_XenbusStateConnected &&
		    dev->state != HVX_XenbusStateClosing)
			connect(be);
		break;
	case HVX_XenbusStateClosing:
		disconnect(be);
		hvx_xenbus_switch_state(dev, HVX_XenbusStateClosing);
		break;
	case HVX_XenbusStateClosed:
	case HVX_XenbusStateUnknown:
		/* Unknown: the frontend's directory went with its domain. */
		disconnect(be);
		hvx_xenbus_switch_state(dev, HVX_XenbusStateClosed);
		break;
	default:
		break;
	}
	mutex_unlock(&be->lock);
}

static int write_offers(struct hvx_xenbus_device *dev)
{
	struct hvx_xenbus_transaction t;
	int err;

	do {
		err = hvx_xenbus_transaction_start(&t);
		if (err)
			return err;
		err = hvx_xenbus_printf(t, dev->nodename, "max-ring-page-order", "%u",
					min_t(unsigned int, max_ring_page_order,
					      HVX_BLKIF_MAX_RING_PAGE_ORDER));
		err = err ?: hvx_xenbus_printf(t, dev->nodename, "multi-queue-max-queues",
					       "%u", clamp_t(unsigned int, max_queues, 1,
							     BLKBACK_MAX_QUEUES));
		err = err ?: hvx_xenbus_printf(t, dev->nodename,
					       "feature-max-indirect-segments", "%u",
					       min_t(unsigned int, max_indirect_segments,
						     BLKBACK_MAX_INDIRECT_SEGS));
		err = err ?: hvx_xenbus_printf(t, dev->nodename, "feature-persistent",
					       "%u", feature_persistent ? 1 : 0);
		if (err) {
			hvx_xenbus_transaction_end(t, 1);
			return err;
		}
		err = hvx_xenbus_transaction_end(t, 0);
	} while (err == -EAGAIN);
	return err;
}

static int blkback_probe(struct hvx_xenbus_device *dev,
			 const struct hvx_xenbus_device_id *id)
{
	struct blkback *be;
	const char *slash;
	int err;

	be = kzalloc(sizeof(*be), GFP_KERNEL);
	if (!be)
		return -ENOMEM;
	be->dev = dev;
	mutex_init(&be->lock);
	slash = strrchr(dev->nodename, '/');
	if (!slash || kstrtou64(slash + 1, 10, &be->handle))
		be->handle = 0;
	dev_set_drvdata(&dev->dev, be);
	err = sysfs_create_group(&dev->dev.kobj, &blkback_stat_group);
	if (err)
		goto free;
	err = write_offers(dev);
	if (err) {
		hvx_xenbus_dev_fatal(dev, err, "writing the features offered");
		goto sysfs;
	}
	err = hvx_xenbus_watch_pathfmt(dev, &be->phys_watch, phys_changed,
				       "%s/physical-device", dev->nodename);
	if (err)
		goto sysfs;
	be->phys_watched = true;
	err = hvx_xenbus_switch_state(dev, HVX_XenbusStateInitWait);
	if (err)
		goto unwatch;
	return 0;
unwatch:
	hvx_unregister_xenbus_watch(&be->phys_watch);
	kfree(be->phys_watch.node);
sysfs:
	sysfs_remove_group(&dev->dev.kobj, &blkback_stat_group);
free:
	dev_set_drvdata(&dev->dev, NULL);
	kfree(be);
	return err;
}

static void blkback_remove(struct hvx_xenbus_device *dev)
{
	struct blkback *be = dev_get_drvdata(&dev->dev);

	if (be->phys_watched) {
		hvx_unregister_xenbus_watch(&be->phys_watch);
		kfree(be->phys_watch.node);
	}
	mutex_lock(&be->lock);
	disconnect(be);
	close_bdev(be);
	mutex_unlock(&be->lock);
	sysfs_remove_group(&dev->dev.kobj, &blkback_stat_group);
	dev_set_drvdata(&dev->dev, NULL);
	kfree(be);
}

static const struct hvx_xenbus_device_id blkback_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct hvx_xenbus_driver blkback_driver = {
	.ids = blkback_ids,
	.probe = blkback_probe,
	.otherend_changed = blkback_frontend_changed,
	.remove = blkback_remove,
};

module_hvx_xenbus_backend(blkback_driver);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx: the block backend (blkif over grant-mapped bios)");
HVX_XENBUS_BACKEND_ALIAS("vbd");
