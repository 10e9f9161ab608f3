/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * blkfront.h: what blkfront's two halves share: the per-disk, per-ring
 * and per-request structures, main.c's grant mutex, and the
 * data path's entry points (datapath.c).
 */
#ifndef HVX_BLKFRONT_H
#define HVX_BLKFRONT_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include "../../../include/xen/hvx/blkif.h"
#include "../../../include/xen/hvx/xenbus.h"

/*
 * Every grant blkfront takes is taken under this mutex, so that one CPU at
 * a time grants. hvx_core no longer needs it (it grows its table under a
 * mutex of its own since 0f24d19), but removing it set off the lab's dom0
 * panic in scenario 71 (2 vCPUs granting at once) three boots in a row
 * (docs/lab.md); it stays until that panic is understood. Uncontended, it
 * costs one lock and unlock per request.
 */
extern struct mutex blkfront_grant_mutex;

struct blkfront_info;

/* A page granted once and kept (feature-persistent). */
struct blkfront_pgrant {
	struct list_head all;		/* ring->pg_all */
	struct list_head free;		/* ring->pg_free while no request has it */
	struct page *page;
	hvx_grant_ref_t ref;
};

struct blkfront_cmd {
	struct list_head done;		/* answered, to end outside the lock */
	blk_status_t status;
	unsigned int nr_refs;
	struct scatterlist *sg;		/* [max_segs] */
	u32 *refs;			/* [max_segs] */
	unsigned int nr_pgs;		/* persistent: sg[i]'s data is in pgs[i] */
	struct blkfront_pgrant **pgs;	/* [max_segs] */
	bool copy_out;			/* a read: copy pgs to sg on success */
};

struct blkfront_ring {
	struct blkfront_info *info;
	unsigned int index;
	spinlock_t lock;		/* the ring, shadow and dead */
	struct hvx_blkif_front_ring front;
	void *sring;
	hvx_grant_ref_t refs[HVX_BLKIF_MAX_RING_PAGES];
	unsigned int nr_refs;
	hvx_evtchn_port_t port;
	int irq;
	bool dead;
	bool closing;			/* no new requests; answers still come */
	unsigned int inflight;		/* requests in the ring, not answered */
	bool stalled;			/* a request waited for ring space */
	struct request **shadow;	/* [nr_ents], by tag */
	struct page **indirect;		/* [nr_ents]: one page of segments */
	int *indirect_ref;
	/* Persistent grants; pg_free and nr_pgrants under the lock. */
	struct list_head pg_all, pg_free;
	unsigned int nr_pgrants;
};

struct blkfront_info {
	struct hvx_xenbus_device *dev;
	struct mutex lock;		/* state changes against removal */
	u32 vdevice;
	unsigned int order, nr_rings;
	bool persistent;		/* both ends offered feature-persistent */
	bool blocking;			/* queue_rq may sleep (BLK_MQ_F_BLOCKING) */
	struct blkfront_ring *rings;
	struct blk_mq_tag_set tag_set;
	bool tag_set_ready;
	wait_queue_head_t idle;		/* a closing ring's last answer */
	struct gendisk *disk;
	bool connected;
	/* From the backend at Connected. */
	u64 sectors;
	unsigned int info, sector_size, physical_sector_size, max_segs;
	bool flush, discard, secure_discard;
	unsigned int discard_granularity, discard_alignment;
};

/* datapath.c */
extern const struct blk_mq_ops blkfront_mq_ops;
irqreturn_t blkfront_event(int irq, void *dev_id);
/* Fail what is outstanding; the ring takes no more requests. */
/* Settle how persistent pages are copied (module load). */
void blkfront_copy_choose(void);
void blkfront_ring_kill(struct blkfront_ring *ring);
void blkfront_pgrant_free_all(struct blkfront_ring *ring);
int blkfront_pgrant_fill(struct blkfront_ring *ring);

#endif /* HVX_BLKFRONT_H */
