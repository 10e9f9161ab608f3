/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * common.h: blkback's objects. One struct blkback per vbd backend device
 * (the xenbus side: xenbus.c), one struct blkback_ring per queue the
 * frontend set up (the I/O side: ring.c), each served by its own kernel
 * thread that takes requests off the ring, maps their grants, submits
 * bios and answers. Completions come back on a list the thread drains,
 * because grant unmapping sleeps.
 */
#ifndef DRIVERS_XEN_BLKBACK_COMMON_H
#define DRIVERS_XEN_BLKBACK_COMMON_H

#include <linux/blkdev.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include "../../../include/xen/hvx/blkif.h"
#include "../../../include/xen/hvx/xenbus.h"
#include "blkif_check.h"

#define BLKBACK_MAX_QUEUES		4
#define BLKBACK_MAX_INDIRECT_SEGS	256
/* Grants one request may map: its segments and its indirect pages. */
#define BLKBACK_MAX_GRANTS \
	(BLKBACK_MAX_INDIRECT_SEGS + HVX_BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST)

struct blkback;
struct blkback_ring;

/*
 * A persistent grant (feature-persistent): a frontend's ref that stays
 * mapped from its first use until the ring disconnects or the grant is
 * evicted (the least recently used idle one goes when the ring holds
 * max_persistent_grants).
 */
struct blkback_pgrant {
	struct list_head idle;		/* on ring->pgrant_idle while users == 0 */
	unsigned int users;		/* requests in flight on it */
	bool dirty;			/* read into: dirtied when unmapped */
	struct hvx_grant_map_op map;
};

/* One request taken off the ring, from the copy to the response. */
struct blkback_req {
	struct list_head list;		/* free list, or the ring's done list */
	struct blkback_ring *ring;
	struct hvx_blkif_plan plan;
	atomic_t pending_bios;
	blk_status_t status;
	unsigned int nr_maps;		/* grants mapped for this request (to unmap) */
	struct hvx_grant_map_op *maps;	/* [BLKBACK_MAX_GRANTS] */
	unsigned int nr_pgs;		/* persistent grants held (to release) */
	struct blkback_pgrant **pgs;	/* [BLKBACK_MAX_INDIRECT_SEGS] */
	struct page **pages;		/* [BLKBACK_MAX_INDIRECT_SEGS]: segment i's page */
	struct hvx_blkif_request_segment *segs;	/* [BLKBACK_MAX_INDIRECT_SEGS] */
};

struct blkback_stats {
	atomic64_t oo_req, rd_req, wr_req, f_req, ds_req, rd_sect, wr_sect;
};

struct blkback_ring {
	struct blkback *be;
	unsigned int index;
	struct hvx_blkif_back_ring back;
	void *sring;			/* mapped ring pages */
	int irq;
	struct task_struct *thread;
	wait_queue_head_t wq;
	bool work;			/* an event came */
	bool broken;			/* impossible indices: no more requests */
	spinlock_t done_lock;		/* done list; taken in bio completion */
	struct list_head done;
	struct list_head free;		/* the thread's own */
	unsigned int inflight;		/* requests not answered (thread only) */
	bool polling;			/* looking at the ring before asking (thread only) */
	struct blkback_req *reqs;	/* the pool: one per ring slot */
	unsigned int nr_reqs;
	/* feature-persistent: the thread's own, like the free list. */
	bool persistent;
	struct xarray pgrants;		/* ref -> struct blkback_pgrant */
	unsigned int nr_pgrants, max_pgrants;
	struct list_head pgrant_idle;	/* least recently used first */
};

struct blkback {
	struct hvx_xenbus_device *dev;
	struct mutex lock;		/* the state machine and the bdev */
	struct hvx_xenbus_watch phys_watch;
	bool phys_watched;
	dev_t devt;
	struct block_device *bdev;
	fmode_t mode;
	struct hvx_blkif_limits limits;	/* read by ring threads */
	bool cdrom;
	u64 handle;
	struct blkback_ring *rings;
	unsigned int nr_rings;
	bool connected;
	bool persistent;		/* both ends offered feature-persistent */
	struct blkback_stats stats;
};

/* ring.c */
extern unsigned int blkback_max_pgrants;
int blkback_ring_start(struct blkback_ring *ring, const hvx_grant_ref_t *refs,
		       unsigned int nr_refs, hvx_evtchn_port_t port);
/* Stop the thread, finish every outstanding request, unmap, unbind. */
void blkback_ring_stop(struct blkback_ring *ring);

/* xenbus.c: the size changed under a connected disk. */
void blkback_resized(struct blkback *be);

#endif /* DRIVERS_XEN_BLKBACK_COMMON_H */
