// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c: the block frontend (domU): each vbd device becomes a blk-mq
 * disk /dev/xvdX (Xen's major 202 and minors: 16 per disk, 256 per disk
 * in the extended form), one hardware queue per ring.
 *
 *   backend InitWait: allocate the rings (2^order pages, order and queue
 *     count as the backend offers, capped by module parameters), grant
 *     them, allocate ports; write ring-ref[N], event-channel (queue-N/ for
 *     several queues), protocol; Initialised
 *   backend Connected: read sectors, info, sector sizes, flush, discard,
 *     indirect segments; create and add the disk (or, when already
 *     connected, take the new size); Connected
 *   backend Closing/Closed/gone: fail what is outstanding, remove the
 *     disk, release rings and grants; Closed
 *
 * The data path (requests, grants, answers) is in datapath.c.
 */
#define pr_fmt(fmt) "blkfront: " fmt

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include "../../../include/xen/hvx/blkif.h"
#include "../../../include/xen/hvx/xenbus.h"
#include "blkfront.h"

#define BLKFRONT_MAX_QUEUES	4
#define BLKFRONT_MAX_INDIRECT	256
#define XVD_PARTS		16
#define XVD_EXT_PARTS		256

static unsigned int max_ring_page_order;
module_param(max_ring_page_order, uint, 0444);
MODULE_PARM_DESC(max_ring_page_order, "ring size asked for, log2 pages (0..4)");
static unsigned int max_queues = BLKFRONT_MAX_QUEUES;
module_param(max_queues, uint, 0444);
MODULE_PARM_DESC(max_queues, "rings per disk asked for (1..4; one per vCPU at most)");
static unsigned int max_indirect_segments = 256;
module_param(max_indirect_segments, uint, 0444);
MODULE_PARM_DESC(max_indirect_segments, "segments per indirect request used (11: none, up to 256)");
/*
 * Zero copy by default (upstream's blkfront asks for persistent grants):
 * with hv.ko's grant maps cheap, granting each page beat copying through
 * the pool at 1 MiB in the lab and was level with it on small requests
 * (docs/blkif.md), and dom0 keeps no guest pages mapped between requests.
 */
static bool feature_persistent;
module_param(feature_persistent, bool, 0444);
MODULE_PARM_DESC(feature_persistent, "use persistent grants when the backend offers them (default: zero copy)");
static bool dispatch_blocking = true;
module_param(dispatch_blocking, bool, 0444);
MODULE_PARM_DESC(dispatch_blocking, "1: queue_rq may sleep (dispatched from kblockd); 0 (with persistent grants): the pool is filled at connect and queue_rq never sleeps");

/* Every grant blkfront takes is taken under it (blkfront.h says why). */
DEFINE_MUTEX(blkfront_grant_mutex);

static const struct block_device_operations blkfront_fops = {
	.owner = THIS_MODULE,
};

/* ---- rings ---------------------------------------------------------------- */

static void ring_free_indirect(struct blkfront_ring *ring)
{
	unsigned int i;

	for (i = 0; ring->indirect && i < ring->front.nr_ents; i++) {
		if (ring->indirect_ref[i] >= 0)
			hvx_gnttab_end_foreign_access(ring->indirect_ref[i],
						      ring->indirect[i]);
		else if (ring->indirect[i])
			__free_page(ring->indirect[i]);
	}
	kfree(ring->indirect);
	kfree(ring->indirect_ref);
	ring->indirect = NULL;
	ring->indirect_ref = NULL;
}

static void ring_free(struct blkfront_ring *ring)
{
	unsigned int i;

	blkfront_ring_kill(ring);
	if (ring->port)
		hvx_xenbus_free_evtchn(ring->info->dev, ring->port);
	ring->port = 0;
	ring_free_indirect(ring);
	blkfront_pgrant_free_all(ring);
	for (i = 0; i < ring->nr_refs; i++)
		hvx_gnttab_end_foreign_access(ring->refs[i],
					      virt_to_page(ring->sring + i * PAGE_SIZE));
	/* Pages never granted (a failed setup) go directly. */
	for (; ring->sring && i < (1U << ring->info->order); i++)
		__free_page(virt_to_page(ring->sring + i * PAGE_SIZE));
	ring->nr_refs = 0;
	ring->sring = NULL;
	kfree(ring->shadow);
	ring->shadow = NULL;
}

static int ring_alloc_indirect(struct blkfront_ring *ring)
{
	unsigned int i, n = ring->front.nr_ents;

	ring->indirect = kcalloc(n, sizeof(*ring->indirect), GFP_KERNEL);
	ring->indirect_ref = kcalloc(n, sizeof(*ring->indirect_ref), GFP_KERNEL);
	if (!ring->indirect || !ring->indirect_ref)
		goto fail;
	for (i = 0; i < n; i++)
		ring->indirect_ref[i] = -1;
	for (i = 0; i < n; i++) {
		int ref;

		ring->indirect[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!ring->indirect[i])
			goto fail;
		mutex_lock(&blkfront_grant_mutex);
		ref = hvx_gnttab_grant_foreign_access(ring->info->dev->otherend_id,
						      hvx_page_to_gfn(ring->indirect[i]),
						      true);
		mutex_unlock(&blkfront_grant_mutex);
		if (ref < 0)
			goto fail;
		ring->indirect_ref[i] = ref;
	}
	return 0;
fail:
	ring_free_indirect(ring);
	return -ENOMEM;
}

static int ring_setup(struct blkfront_info *info, struct blkfront_ring *ring)
{
	struct hvx_xenbus_device *dev = info->dev;
	unsigned int nr = 1U << info->order;
	struct hvx_blkif_sring *sring;
	struct page *pages;
	int err;

	spin_lock_init(&ring->lock);
	INIT_LIST_HEAD(&ring->pg_all);
	INIT_LIST_HEAD(&ring->pg_free);
	ring->nr_pgrants = 0;
	ring->info = info;
	ring->irq = -1;
	ring->dead = false;
	ring->closing = false;
	ring->inflight = 0;
	pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, info->order);
	if (!pages)
		return -ENOMEM;
	/* Each page is ended (and freed) on its own once the backend lets go. */
	split_page(pages, info->order);
	ring->sring = page_address(pages);
	sring = ring->sring;
	HVX_SHARED_RING_INIT(sring);
	HVX_FRONT_RING_INIT(&ring->front, sring, nr * PAGE_SIZE);
	ring->shadow = kcalloc(ring->front.nr_ents, sizeof(*ring->shadow), GFP_KERNEL);
	if (!ring->shadow)
		return -ENOMEM;
	mutex_lock(&blkfront_grant_mutex);
	err = hvx_xenbus_grant_ring(dev, ring->sring, nr, ring->refs);
	mutex_unlock(&blkfront_grant_mutex);
	if (err)
		return err;
	ring->nr_refs = nr;
	err = hvx_xenbus_alloc_evtchn(dev, &ring->port);
	if (err)
		return err;
	ring->irq = hvx_bind_evtchn_to_irqhandler(ring->port, blkfront_event, 0,
						  "blkif", ring);
	if (ring->irq < 0) {
		err = ring->irq;
		hvx_xenbus_dev_fatal(dev, err, "binding event channel %u", ring->port);
		return err;
	}
	return 0;
}

static void free_rings(struct blkfront_info *info)
{
	unsigned int i;

	for (i = 0; info->rings && i < info->nr_rings; i++)
		ring_free(&info->rings[i]);
	kfree(info->rings);
	info->rings = NULL;
	info->nr_rings = 0;
}

static int write_ring(struct blkfront_info *info, struct hvx_xenbus_transaction t,
		      struct blkfront_ring *ring, const char *dir)
{
	unsigned int i;
	char node[16];
	int err = 0;

	for (i = 0; !err && i < ring->nr_refs; i++) {
		if (info->order)
			snprintf(node, sizeof(node), "ring-ref%u", i);
		else
			strscpy(node, "ring-ref", sizeof(node));
		err = hvx_xenbus_printf(t, dir, node, "%u", ring->refs[i]);
	}
	return err ?: hvx_xenbus_printf(t, dir, "event-channel", "%u", ring->port);
}

static int write_rings(struct blkfront_info *info)
{
	struct hvx_xenbus_device *dev = info->dev;
	struct hvx_xenbus_transaction t;
	unsigned int i;
	char *dir;
	int err;

again:
	err = hvx_xenbus_transaction_start(&t);
	if (err)
		return err;
	if (info->order)
		err = hvx_xenbus_printf(t, dev->nodename, "ring-page-order", "%u",
					info->order);
	if (!err && info->nr_rings == 1) {
		err = write_ring(info, t, &info->rings[0], dev->nodename);
	} else if (!err) {
		err = hvx_xenbus_printf(t, dev->nodename, "multi-queue-num-queues",
					"%u", info->nr_rings);
		for (i = 0; !err && i < info->nr_rings; i++) {
			dir = kasprintf(GFP_KERNEL, "%s/queue-%u", dev->nodename, i);
			err = dir ? write_ring(info, t, &info->rings[i], dir) : -ENOMEM;
			kfree(dir);
		}
	}
	err = err ?: hvx_xenbus_printf(t, dev->nodename, "protocol", "%s",
				       HVX_BLKIF_PROTOCOL_X86_64);
	err = err ?: hvx_xenbus_printf(t, dev->nodename, "feature-persistent", "%u",
				       info->persistent ? 1 : 0);
	if (err) {
		hvx_xenbus_transaction_end(t, 1);
		return err;
	}
	err = hvx_xenbus_transaction_end(t, 0);
	if (err == -EAGAIN)
		goto again;
	return err;
}

static void talk_to_backend(struct blkfront_info *info)
{
	struct hvx_xenbus_device *dev = info->dev;
	unsigned int i, order, queues;
	int err;

	order = min3(hvx_xenbus_read_unsigned(dev->otherend, "max-ring-page-order", 0),
		     max_ring_page_order, (unsigned int)HVX_BLKIF_MAX_RING_PAGE_ORDER);
	queues = min3(hvx_xenbus_read_unsigned(dev->otherend, "multi-queue-max-queues", 1),
		      max_queues, (unsigned int)BLKFRONT_MAX_QUEUES);
	queues = clamp_t(unsigned int, min(queues, num_online_cpus()), 1,
			 BLKFRONT_MAX_QUEUES);
	info->order = order;
	info->persistent = feature_persistent &&
			   hvx_xenbus_read_unsigned(dev->otherend, "feature-persistent", 0);
	info->rings = kcalloc(queues, sizeof(*info->rings), GFP_KERNEL);
	if (!info->rings) {
		hvx_xenbus_dev_fatal(dev, -ENOMEM, "allocating %u rings", queues);
		return;
	}
	for (i = 0; i < queues; i++) {
		info->rings[i].index = i;
		/* Counted first: free_rings() undoes a half set-up ring too. */
		info->nr_rings = i + 1;
		err = ring_setup(info, &info->rings[i]);
		if (err)
			goto fail;
	}
	err = write_rings(info);
	if (err) {
		hvx_xenbus_dev_fatal(dev, err, "writing the rings");
		goto fail;
	}
	hvx_xenbus_switch_state(dev, HVX_XenbusStateInitialised);
	return;
fail:
	if (err == -ENOMEM)
		hvx_xenbus_dev_fatal(dev, err, "setting up the rings");
	free_rings(info);
}

/* ---- the disk --------------------------------------------------------------- */

/* Xen's minor and name for @vdevice: 0, or -EINVAL if it names no disk. */
static int vdevice_name(u32 vdevice, int *first_minor, int *minors, char *name,
			size_t len)
{
	unsigned int disk, part, parts;
	char letters[8], *l = letters + sizeof(letters) - 1;
	unsigned int n;

	if (vdevice & HVX_XEN_EXT_FLAG) {
		disk = (vdevice & ~HVX_XEN_EXT_FLAG) >> 8;
		part = vdevice & 0xff;
		parts = XVD_EXT_PARTS;
	} else {
		unsigned int major = vdevice >> 8, minor = vdevice & 0xff;

		parts = XVD_PARTS;
		switch (major) {
		case HVX_XEN_XVD_MAJOR:
			disk = minor >> 4;
			part = minor & 0xf;
			break;
		case HVX_XEN_SCSI_DISK0_MAJOR:
			disk = minor >> 4;
			part = minor & 0xf;
			break;
		case HVX_XEN_IDE0_MAJOR:
		case HVX_XEN_IDE1_MAJOR:
			disk = (major == HVX_XEN_IDE1_MAJOR ? 2 : 0) + (minor >> 6);
			part = minor & 0x3f;
			if (part >= XVD_PARTS)
				return -EINVAL;
			break;
		default:
			return -EINVAL;
		}
	}
	if (disk >= (1U << MINORBITS) / parts)
		return -EINVAL;
	*l = '\0';
	for (n = disk + 1; n > 0; n = (n - 1) / 26) {
		if (l == letters)
			return -EINVAL;
		*--l = 'a' + (n - 1) % 26;
	}
	*first_minor = disk * parts + part;
	/* A vdev naming a partition is a disk of its own, without partitions. */
	*minors = part ? 1 : parts;
	if (part)
		snprintf(name, len, "xvd%s%u", l, part);
	else
		snprintf(name, len, "xvd%s", l);
	return 0;
}

static void set_limits(struct blkfront_info *info, struct request_queue *q)
{
	blk_queue_logical_block_size(q, info->sector_size);
	blk_queue_physical_block_size(q, info->physical_sector_size);
	blk_queue_max_hw_sectors(q, info->max_segs * HVX_BLKIF_SECTORS_PER_PAGE);
	blk_queue_max_segments(q, info->max_segs);
	blk_queue_max_segment_size(q, PAGE_SIZE);
	blk_queue_segment_boundary(q, PAGE_SIZE - 1);
	blk_queue_dma_alignment(q, 511);
	blk_queue_write_cache(q, info->flush, false);
	if (info->discard) {
		blk_queue_max_discard_sectors(q, UINT_MAX >> 9);
		q->limits.discard_granularity = info->discard_granularity ?:
						info->physical_sector_size;
		q->limits.discard_alignment = info->discard_alignment;
		if (info->secure_discard)
			blk_queue_max_secure_erase_sectors(q, UINT_MAX >> 9);
	}
}

static int create_disk(struct blkfront_info *info)
{
	struct hvx_xenbus_device *dev = info->dev;
	struct blk_mq_tag_set *set = &info->tag_set;
	int first_minor, minors, err;
	struct gendisk *disk;
	char name[DISK_NAME_LEN];

	err = vdevice_name(info->vdevice, &first_minor, &minors, name, sizeof(name));
	if (err) {
		hvx_xenbus_dev_fatal(dev, err, "virtual-device %u names no xvd disk",
				     info->vdevice);
		return err;
	}
	memset(set, 0, sizeof(*set));
	set->ops = &blkfront_mq_ops;
	set->nr_hw_queues = info->nr_rings;
	set->queue_depth = info->rings[0].front.nr_ents;
	set->numa_node = NUMA_NO_NODE;
	set->flags = BLK_MQ_F_SHOULD_MERGE | (info->blocking ? BLK_MQ_F_BLOCKING : 0);
	set->cmd_size = sizeof(struct blkfront_cmd) +
			info->max_segs * (sizeof(struct scatterlist) +
					  sizeof(struct blkfront_pgrant *) + sizeof(u32));
	set->driver_data = info;
	err = blk_mq_alloc_tag_set(set);
	if (err)
		return err;
	info->tag_set_ready = true;
	disk = blk_mq_alloc_disk(set, info);
	if (IS_ERR(disk)) {
		err = PTR_ERR(disk);
		goto tags;
	}
	disk->major = HVX_XEN_XVD_MAJOR;
	disk->first_minor = first_minor;
	disk->minors = minors;
	disk->fops = &blkfront_fops;
	disk->private_data = info;
	strscpy(disk->disk_name, name, sizeof(disk->disk_name));
	set_limits(info, disk->queue);
	set_capacity(disk, info->sectors);
	set_disk_ro(disk, info->info & HVX_VDISK_READONLY);
	if (info->info & HVX_VDISK_REMOVABLE)
		disk->flags |= GENHD_FL_REMOVABLE;
	info->disk = disk;
	err = device_add_disk(&dev->dev, disk, NULL);
	if (err) {
		info->disk = NULL;
		put_disk(disk);
		goto tags;
	}
	return 0;
tags:
	blk_mq_free_tag_set(set);
	info->tag_set_ready = false;
	return err;
}

static void remove_disk(struct blkfront_info *info)
{
	unsigned int i;

	/* No request waits for a backend that is going: fail them first. */
	for (i = 0; info->rings && i < info->nr_rings; i++)
		blkfront_ring_kill(&info->rings[i]);
	if (info->disk) {
		del_gendisk(info->disk);
		put_disk(info->disk);
		info->disk = NULL;
	}
	if (info->tag_set_ready)
		blk_mq_free_tag_set(&info->tag_set);
	info->tag_set_ready = false;
}

static int read_backend(struct blkfront_info *info)
{
	const char *be = info->dev->otherend;
	unsigned long long sectors;
	unsigned int indirect, i;

	if (hvx_xenbus_scanf(HVX_XBT_NIL, be, "sectors", "%llu", &sectors) != 1 ||
	    hvx_xenbus_scanf(HVX_XBT_NIL, be, "info", "%u", &info->info) != 1) {
		hvx_xenbus_dev_fatal(info->dev, -EINVAL, "reading %s/sectors and info", be);
		return -EINVAL;
	}
	info->sectors = sectors;
	info->sector_size = hvx_xenbus_read_unsigned(be, "sector-size", 512);
	info->physical_sector_size =
		hvx_xenbus_read_unsigned(be, "physical-sector-size", info->sector_size);
	if (info->sector_size < 512 || info->sector_size > PAGE_SIZE ||
	    !is_power_of_2(info->sector_size) ||
	    info->physical_sector_size < info->sector_size ||
	    !is_power_of_2(info->physical_sector_size)) {
		hvx_xenbus_dev_fatal(info->dev, -EINVAL, "sector sizes %u/%u",
				     info->sector_size, info->physical_sector_size);
		return -EINVAL;
	}
	info->flush = hvx_xenbus_read_unsigned(be, "feature-flush-cache", 0);
	info->discard = hvx_xenbus_read_unsigned(be, "feature-discard", 0);
	info->secure_discard = info->discard &&
			       hvx_xenbus_read_unsigned(be, "discard-secure", 0);
	info->discard_granularity = hvx_xenbus_read_unsigned(be, "discard-granularity", 0);
	info->discard_alignment = hvx_xenbus_read_unsigned(be, "discard-alignment", 0);
	indirect = min3(hvx_xenbus_read_unsigned(be, "feature-max-indirect-segments", 0),
			max_indirect_segments, (unsigned int)BLKFRONT_MAX_INDIRECT);
	info->max_segs = HVX_BLKIF_MAX_SEGMENTS_PER_REQUEST;
	if (indirect > HVX_BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		for (i = 0; i < info->nr_rings; i++)
			if (ring_alloc_indirect(&info->rings[i]))
				break;
		if (i == info->nr_rings)
			info->max_segs = indirect;
		else
			while (i--)
				ring_free_indirect(&info->rings[i]);
	}
	return 0;
}

static void blkfront_connect(struct blkfront_info *info)
{
	struct hvx_xenbus_device *dev = info->dev;
	unsigned long long sectors;
	unsigned int i;

	if (info->connected) {
		/* Connected again: the backend says the size changed. */
		if (hvx_xenbus_scanf(HVX_XBT_NIL, dev->otherend, "sectors", "%llu",
				     &sectors) == 1 && sectors != info->sectors) {
			info->sectors = sectors;
			dev_info(&dev->dev, "%s: new size %llu sectors\n",
				 info->disk->disk_name, sectors);
			set_capacity_and_notify(info->disk, sectors);
		}
		return;
	}
	if (!info->rings || read_backend(info))
		return;
	/*
	 * A queue_rq that may sleep (granting, growing the pool) makes blk-mq
	 * dispatch from kblockd, a switch per dispatch. With persistent grants
	 * and the pool filled now, queue_rq never sleeps.
	 */
	info->blocking = !info->persistent || dispatch_blocking;
	for (i = 0; !info->blocking && i < info->nr_rings; i++)
		if (blkfront_pgrant_fill(&info->rings[i]))
			info->blocking = true;
	if (create_disk(info)) {
		hvx_xenbus_dev_fatal(dev, -ENOMEM, "creating the disk");
		return;
	}
	info->connected = true;
	hvx_xenbus_switch_state(dev, HVX_XenbusStateConnected);
	dev_info(&dev->dev, "%s: %llu sectors of %u bytes, %u ring%s of %u pages, %u segments%s%s%s%s%s\n",
		 info->disk->disk_name, info->sectors, info->sector_size, info->nr_rings,
		 info->nr_rings > 1 ? "s" : "", 1U << info->order, info->max_segs,
		 info->info & HVX_VDISK_READONLY ? ", read-only" : "",
		 info->flush ? ", flush" : "", info->discard ? ", discard" : "",
		 info->persistent ? ", persistent grants" : "",
		 info->blocking ? "" : ", dispatch without sleeping");
}

static bool rings_idle(struct blkfront_info *info)
{
	unsigned int i, busy = 0;

	for (i = 0; i < info->nr_rings; i++) {
		spin_lock_irq(&info->rings[i].lock);
		busy += info->rings[i].inflight;
		spin_unlock_irq(&info->rings[i].lock);
	}
	return !busy;
}

/*
 * @graceful: the backend is Closing and still answers; take no new
 * requests and give those in its hands up to 5 s, so that their pages
 * are not released while it may still write them.
 */
static void blkfront_close(struct blkfront_info *info, bool graceful)
{
	unsigned int i;

	if (info->dev->state == HVX_XenbusStateClosed)
		return;
	if (graceful && info->rings) {
		for (i = 0; i < info->nr_rings; i++) {
			spin_lock_irq(&info->rings[i].lock);
			info->rings[i].closing = true;
			spin_unlock_irq(&info->rings[i].lock);
		}
		if (!wait_event_timeout(info->idle, rings_idle(info), 5 * HZ))
			dev_warn(&info->dev->dev, "the backend left requests unanswered\n");
	}
	remove_disk(info);
	free_rings(info);
	info->connected = false;
	hvx_xenbus_frontend_closed(info->dev);
}

static void blkfront_backend_changed(struct hvx_xenbus_device *dev,
				     enum hvx_xenbus_state state)
{
	struct blkfront_info *info = dev_get_drvdata(&dev->dev);

	mutex_lock(&info->lock);
	switch (state) {
	case HVX_XenbusStateInitWait:
		if (dev->state == HVX_XenbusStateInitialising)
			talk_to_backend(info);
		break;
	case HVX_XenbusStateConnected:
		if (dev->state == HVX_XenbusStateInitialised ||
		    dev->state == HVX_XenbusStateConnected)
			blkfront_connect(info);
		break;
	case HVX_XenbusStateClosing:
		blkfront_close(info, true);
		break;
	case HVX_XenbusStateClosed:
		blkfront_close(info, false);
		break;
	case HVX_XenbusStateUnknown:
		if (dev->state != HVX_XenbusStateInitialising)
			blkfront_close(info, false);
		break;
	default:
		break;
	}
	mutex_unlock(&info->lock);
}

static int blkfront_probe(struct hvx_xenbus_device *dev,
			  const struct hvx_xenbus_device_id *id)
{
	struct blkfront_info *info;
	unsigned int vdevice;

	if (hvx_xenbus_scanf(HVX_XBT_NIL, dev->nodename, "virtual-device", "%u",
			     &vdevice) != 1) {
		hvx_xenbus_dev_fatal(dev, -ENOENT, "reading virtual-device");
		return -ENOENT;
	}
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	info->dev = dev;
	info->vdevice = vdevice;
	mutex_init(&info->lock);
	init_waitqueue_head(&info->idle);
	dev_set_drvdata(&dev->dev, info);
	return 0;
}

static void blkfront_remove(struct hvx_xenbus_device *dev)
{
	struct blkfront_info *info = dev_get_drvdata(&dev->dev);

	mutex_lock(&info->lock);
	remove_disk(info);
	free_rings(info);
	mutex_unlock(&info->lock);
	dev_set_drvdata(&dev->dev, NULL);
	kfree(info);
}

static const struct hvx_xenbus_device_id blkfront_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct hvx_xenbus_driver blkfront_driver = {
	.ids = blkfront_ids,
	.probe = blkfront_probe,
	.otherend_changed = blkfront_backend_changed,
	.remove = blkfront_remove,
};

static int __init blkfront_init(void)
{
	int err;

	blkfront_copy_choose();
	err = register_blkdev(HVX_XEN_XVD_MAJOR, "xvd");
	if (err) {
		pr_err("major %d is taken\n", HVX_XEN_XVD_MAJOR);
		return err;
	}
	err = hvx_xenbus_register_frontend(&blkfront_driver);
	if (err)
		unregister_blkdev(HVX_XEN_XVD_MAJOR, "xvd");
	return err;
}

static void __exit blkfront_exit(void)
{
	hvx_xenbus_unregister_driver(&blkfront_driver);
	unregister_blkdev(HVX_XEN_XVD_MAJOR, "xvd");
}

module_init(blkfront_init);
module_exit(blkfront_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx: the block frontend (/dev/xvdX over blkif)");
HVX_XENBUS_FRONTEND_ALIAS("vbd");
MODULE_ALIAS_BLOCKDEV_MAJOR(HVX_XEN_XVD_MAJOR);
