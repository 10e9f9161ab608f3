// SPDX-License-Identifier: GPL-2.0-only
/*
 * ring.c: blkback's data path. One kernel thread per ring:
 *
 *   event ──► thread: read req_prod once, refuse an impossible one,
 *             copy each request out, validate the copy, map its grants
 *             (zero copy: the guest's pages go into the bios as they
 *             are), submit under one plug
 *   bio end ──► the request joins the ring's done list (any context)
 *   thread: unmap, answer, publish every answer of the pass at once and
 *           notify only if the frontend asked (rsp_event)
 *
 * Only the thread touches the ring, the free list and the grants, so the
 * ring needs no lock; the done list has a spinlock for bio completions.
 *
 * feature-persistent: a data grant, once mapped (writable: the frontend
 * reuses its pages for reads and writes), stays mapped in the ring's
 * table (an xarray by ref) for later requests, up to max_persistent_grants
 * per ring; beyond that the least recently used idle one is unmapped, and
 * when every one is busy the new grant is mapped for this request only.
 * A ref found in the table is the page mapped when it was first seen: a
 * frontend cannot end or re-point a grant that is mapped, and an evicted
 * ref is mapped afresh the next time. Disconnecting unmaps them all.
 */
#define pr_fmt(fmt) "blkback: " fmt

#include <linux/bio.h>
#include <linux/highmem.h>
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "common.h"

/* Requests in flight per ring at most; more wait (oo_req counts them). */
#define BLKBACK_POOL_MAX 64
/* Requests of this many segments or more are not held in the plug. */
#define BLKBACK_UNPLUG_SEGS 32

unsigned int blkback_max_pgrants = 1056;
module_param_named(max_persistent_grants, blkback_max_pgrants, uint, 0644);
MODULE_PARM_DESC(max_persistent_grants, "persistent grants kept mapped per ring");

/*
 * Once the frontend queues faster than one request per pass, the thread
 * looks at the ring every poll_us for up to poll_tries times before it
 * asks for an event again: each event is an exit of the guest's vCPU.
 */
static unsigned int blkback_poll_us = 200;
module_param_named(poll_us, blkback_poll_us, uint, 0644);
MODULE_PARM_DESC(poll_us, "while the frontend queues, look at the ring this often (us) before asking for an event (0: never look)");
static unsigned int blkback_poll_tries = 8;
module_param_named(poll_tries, blkback_poll_tries, uint, 0644);
MODULE_PARM_DESC(poll_tries, "looks at the ring before asking for an event");

static irqreturn_t blkback_event(int irq, void *dev_id)
{
	struct blkback_ring *ring = dev_id;

	WRITE_ONCE(ring->work, true);
	wake_up(&ring->wq);
	return IRQ_HANDLED;
}

/* Answer into the next response slot; published later by push(). */
static void respond(struct blkback_ring *ring, u64 id, u8 op, s16 status)
{
	struct hvx_blkif_response rsp;

	/* Whole-struct copy: the padding goes out as zeroes, never stale. */
	memset(&rsp, 0, sizeof(rsp));
	rsp.id = id;
	rsp.operation = op;
	rsp.status = status;
	memcpy(HVX_RING_GET_RESPONSE(&ring->back, ring->back.rsp_prod_pvt), &rsp,
	       sizeof(rsp));
	ring->back.rsp_prod_pvt++;
}

static void push(struct blkback_ring *ring)
{
	bool notify;

	if (ring->back.rsp_prod_pvt == ring->back.sring->rsp_prod)
		return;
	HVX_RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&ring->back, notify);
	if (notify)
		hvx_notify_remote_via_irq(ring->irq);
}

static void pgrant_put(struct blkback_ring *ring, struct blkback_pgrant *pg)
{
	if (!--pg->users)
		list_add_tail(&pg->idle, &ring->pgrant_idle);
}

static void unmap_req(struct blkback_req *req)
{
	bool dirty = !req->plan.write && req->status == BLK_STS_OK;
	unsigned int i;

	/*
	 * A persistent page stays referenced while it is in the table: it
	 * cannot go before pgrant_unmap(), which dirties it if it was read
	 * into (one page lock per grant, not one per read).
	 */
	for (i = 0; i < req->nr_pgs; i++) {
		req->pgs[i]->dirty |= dirty;
		pgrant_put(req->ring, req->pgs[i]);
	}
	req->nr_pgs = 0;
	if (!req->nr_maps)
		return;
	/*
	 * A guest's page is nearly always dirty already (it wrote it once):
	 * the page lock is taken only for one that is not, as
	 * unpin_user_pages_dirty_lock() does.
	 */
	if (dirty)
		for (i = 0; i < req->nr_maps; i++)
			if (req->maps[i].page && !PageDirty(req->maps[i].page))
				set_page_dirty_lock(req->maps[i].page);
	if (hvx_gnttab_unmap(req->maps, req->nr_maps))
		pr_err_ratelimited("unmapping %u grants failed\n", req->nr_maps);
	req->nr_maps = 0;
}

static void finish_req(struct blkback_ring *ring, struct blkback_req *req,
		       s16 status)
{
	unmap_req(req);
	respond(ring, req->plan.id, req->plan.operation, status);
	list_add(&req->list, &ring->free);
	ring->inflight--;
}

/* Answer every request whose bios ended. */
static void drain_done(struct blkback_ring *ring)
{
	struct blkback_req *req, *next;
	LIST_HEAD(done);

	spin_lock_irq(&ring->done_lock);
	list_splice_init(&ring->done, &done);
	spin_unlock_irq(&ring->done_lock);
	list_for_each_entry_safe(req, next, &done, list) {
		list_del(&req->list);
		if (req->status != BLK_STS_OK)
			pr_debug("request %llu: I/O error %d\n", req->plan.id,
				 blk_status_to_errno(req->status));
		finish_req(ring, req, req->status == BLK_STS_OK ?
			   HVX_BLKIF_RSP_OKAY :
			   req->status == BLK_STS_NOTSUPP ?
			   HVX_BLKIF_RSP_EOPNOTSUPP : HVX_BLKIF_RSP_ERROR);
	}
}

static void req_done(struct blkback_req *req)
{
	struct blkback_ring *ring = req->ring;
	unsigned long flags;

	spin_lock_irqsave(&ring->done_lock, flags);
	list_add_tail(&req->list, &ring->done);
	spin_unlock_irqrestore(&ring->done_lock, flags);
	wake_up(&ring->wq);
}

static void blkback_bio_end(struct bio *bio)
{
	struct blkback_req *req = bio->bi_private;

	if (bio->bi_status)
		WRITE_ONCE(req->status, bio->bi_status);
	bio_put(bio);
	if (atomic_dec_and_test(&req->pending_bios))
		req_done(req);
}

/*
 * Map the @n grants whose ops are filled in at req->maps[req->nr_maps...],
 * in one call. The ones that worked are kept together at the front, for
 * unmapping; -EFAULT unless every one worked.
 */
static int map_ops(struct blkback_req *req, unsigned int n)
{
	struct hvx_grant_map_op *ops = req->maps + req->nr_maps;
	unsigned int i;
	int err = 0;

	if (hvx_gnttab_map(ops, n))
		return -EFAULT;
	for (i = 0; i < n; i++) {
		if (ops[i].status == HVX_GNTST_okay) {
			req->maps[req->nr_maps++] = ops[i];
			continue;
		}
		pr_debug("domain %d: grant %u: status %d\n", ops[i].domid,
			 ops[i].ref, ops[i].status);
		err = -EFAULT;
	}
	return err;
}

/* Map @n grants of the frontend at req->maps[req->nr_maps...]. */
static int map_grants(struct blkback_req *req, const u32 *refs,
		      unsigned int n, bool readonly)
{
	struct blkback *be = req->ring->be;
	struct hvx_grant_map_op *ops = req->maps + req->nr_maps;
	unsigned int i;

	for (i = 0; i < n; i++) {
		ops[i] = (struct hvx_grant_map_op){
			.domid = be->dev->otherend_id,
			.ref = refs[i],
			.flags = readonly ? HVX_GNTMAP_readonly : 0,
		};
	}
	return map_ops(req, n);
}

/* Indirect: map the pages of segments, copy the segments out, unmap. */
static int read_indirect(struct blkback_req *req,
			 const struct hvx_blkif_request *copy)
{
	unsigned int pages = req->plan.nr_indirect_pages, i, n, left;
	u32 refs[HVX_BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	int err;

	for (i = 0; i < pages; i++)
		refs[i] = copy->u.indirect.indirect_grefs[i];
	err = map_grants(req, refs, pages, true);
	if (!err) {
		/* Every page mapped: maps[i] is indirect page i. */
		left = req->plan.nr_segs;
		for (i = 0; i < pages; i++) {
			n = min_t(unsigned int, left, HVX_BLKIF_SEGS_PER_INDIRECT_FRAME);
			/* One copy; the frontend may rewrite the page meanwhile. */
			memcpy(req->segs + i * HVX_BLKIF_SEGS_PER_INDIRECT_FRAME,
			       page_address(req->maps[i].page), n * sizeof(*req->segs));
			left -= n;
		}
	}
	if (req->nr_maps && hvx_gnttab_unmap(req->maps, req->nr_maps))
		pr_err_ratelimited("unmapping indirect pages failed\n");
	req->nr_maps = 0;
	return err;
}

/* ---- persistent grants ---------------------------------------------------- */

static void pgrant_unmap(struct blkback_ring *ring, struct blkback_pgrant *pg)
{
	xa_erase(&ring->pgrants, pg->map.ref);
	if (pg->dirty)
		set_page_dirty_lock(pg->map.page);
	if (hvx_gnttab_unmap(&pg->map, 1) || pg->map.status != HVX_GNTST_okay)
		pr_err_ratelimited("unmapping persistent grant %u failed\n", pg->map.ref);
	ring->nr_pgrants--;
	kfree(pg);
}

/* Make room for one more: unmap the least recently used idle grant. */
static bool pgrant_room(struct blkback_ring *ring)
{
	struct blkback_pgrant *pg;

	if (ring->nr_pgrants < ring->max_pgrants)
		return true;
	pg = list_first_entry_or_null(&ring->pgrant_idle, struct blkback_pgrant, idle);
	if (!pg)
		return false;
	list_del(&pg->idle);
	pgrant_unmap(ring, pg);
	return ring->nr_pgrants < ring->max_pgrants;
}

/*
 * The grants req->maps[first..] just mapped for this request: keep each
 * in the ring's table if there is room (the request then holds it as a
 * persistent grant, not as a mapping of its own).
 */
static void pgrant_keep(struct blkback_req *req, unsigned int first)
{
	struct blkback_ring *ring = req->ring;
	unsigned int i, w = first;

	for (i = first; i < req->nr_maps; i++) {
		struct blkback_pgrant *pg = NULL;

		if (pgrant_room(ring))
			pg = kmalloc(sizeof(*pg), GFP_KERNEL);
		if (pg) {
			pg->map = req->maps[i];
			pg->users = 1;
			pg->dirty = false;
			/* -EBUSY: the same ref twice in one request; keep one. */
			if (xa_insert(&ring->pgrants, pg->map.ref, pg, GFP_KERNEL)) {
				kfree(pg);
				pg = NULL;
			}
		}
		if (!pg) {
			req->maps[w++] = req->maps[i];
			continue;
		}
		ring->nr_pgrants++;
		req->pgs[req->nr_pgs++] = pg;
	}
	req->nr_maps = w;
}

static void pgrant_free_all(struct blkback_ring *ring)
{
	struct blkback_pgrant *pg;
	unsigned long ref;

	xa_for_each(&ring->pgrants, ref, pg) {
		if (pg->users)
			pr_err("persistent grant %lu still used at disconnect\n", ref);
		pgrant_unmap(ring, pg);
	}
	INIT_LIST_HEAD(&ring->pgrant_idle);
	xa_destroy(&ring->pgrants);
}

/*
 * Map the data grants of a validated request: req->pages[i] is segment
 * i's page. Refs already in the persistent table are taken from it; the
 * others are mapped in one call for the whole request.
 */
static int map_segments(struct blkback_req *req)
{
	struct blkback_ring *ring = req->ring;
	struct hvx_blkif_plan *p = &req->plan;
	struct hvx_grant_map_op *ops = req->maps + req->nr_maps;
	unsigned int i, n = 0, j, first = req->nr_maps;
	/* Persistent pages serve reads and writes: mapped writable. */
	bool readonly = p->write && !ring->persistent;

	for (i = 0; i < p->nr_segs; i++) {
		u32 ref = req->segs[i].gref;
		struct blkback_pgrant *pg;

		pg = ring->persistent ? xa_load(&ring->pgrants, ref) : NULL;
		if (pg) {
			if (!pg->users++)
				list_del(&pg->idle);
			req->pgs[req->nr_pgs++] = pg;
			req->pages[i] = pg->map.page;
			continue;
		}
		req->pages[i] = NULL;
		ops[n++] = (struct hvx_grant_map_op){
			.domid = ring->be->dev->otherend_id,
			.ref = ref,
			.flags = readonly ? HVX_GNTMAP_readonly : 0,
		};
	}
	if (!n)
		return 0;
	if (map_ops(req, n))
		return -EFAULT;
	/* Every one mapped, in order: the pages of the segments left NULL. */
	for (i = 0, j = first; i < p->nr_segs; i++)
		if (!req->pages[i])
			req->pages[i] = req->maps[j++].page;
	if (ring->persistent)
		pgrant_keep(req, first);
	return 0;
}

static void count(struct blkback *be, const struct hvx_blkif_plan *plan)
{
	struct blkback_stats *s = &be->stats;

	switch (plan->op) {
	case HVX_BLKIF_OP_READ:
		atomic64_inc(&s->rd_req);
		atomic64_add(plan->nr_sectors, &s->rd_sect);
		break;
	case HVX_BLKIF_OP_WRITE:
		atomic64_inc(&s->wr_req);
		atomic64_add(plan->nr_sectors, &s->wr_sect);
		break;
	case HVX_BLKIF_OP_FLUSH_DISKCACHE:
		atomic64_inc(&s->f_req);
		if (plan->write) {
			atomic64_inc(&s->wr_req);
			atomic64_add(plan->nr_sectors, &s->wr_sect);
		}
		break;
	case HVX_BLKIF_OP_DISCARD:
		atomic64_inc(&s->ds_req);
		break;
	}
}

static blk_status_t do_discard(struct blkback *be, const struct hvx_blkif_plan *p)
{
	int err;

	if (p->secure)
		err = blkdev_issue_secure_erase(be->bdev, p->sector, p->nr_sectors,
						GFP_KERNEL);
	else
		err = blkdev_issue_discard(be->bdev, p->sector, p->nr_sectors,
					   GFP_KERNEL);
	return errno_to_blk_status(err);
}

/* Build and submit the bios of a mapped read/write/flush. */
static void submit(struct blkback_req *req)
{
	struct hvx_blkif_plan *p = &req->plan;
	struct blkback *be = req->ring->be;
	blk_opf_t opf;
	struct bio *bio = NULL;
	sector_t sector = p->sector;
	unsigned int i;

	opf = p->write ? REQ_OP_WRITE | REQ_SYNC : REQ_OP_READ;
	if (p->flush)
		opf = REQ_OP_WRITE | REQ_PREFLUSH | REQ_SYNC |
		      (p->operation == HVX_BLKIF_OP_WRITE_BARRIER ? REQ_FUA : 0);
	/* One count held while building, so no bio can finish the request. */
	atomic_set(&req->pending_bios, 1);
	if (!p->nr_segs) {
		bio = bio_alloc(be->bdev, 0, opf, GFP_KERNEL);
		bio->bi_private = req;
		bio->bi_end_io = blkback_bio_end;
		atomic_inc(&req->pending_bios);
		submit_bio(bio);
		goto out;
	}
	for (i = 0; i < p->nr_segs; i++) {
		const struct hvx_blkif_request_segment *seg = &req->segs[i];
		unsigned int off = seg->first_sect << HVX_BLKIF_SECTOR_SHIFT;
		unsigned int len = (seg->last_sect - seg->first_sect + 1) <<
				   HVX_BLKIF_SECTOR_SHIFT;
		struct page *page = req->pages[i];

		while (!bio || bio_add_page(bio, page, len, off) != len) {
			if (bio) {
				atomic_inc(&req->pending_bios);
				submit_bio(bio);
				/* Later bios carry data only. */
				opf &= ~REQ_PREFLUSH;
			}
			bio = bio_alloc(be->bdev,
					min_t(unsigned int, p->nr_segs - i, BIO_MAX_VECS),
					opf, GFP_KERNEL);
			bio->bi_iter.bi_sector = sector;
			bio->bi_private = req;
			bio->bi_end_io = blkback_bio_end;
		}
		sector += len >> HVX_BLKIF_SECTOR_SHIFT;
	}
	atomic_inc(&req->pending_bios);
	submit_bio(bio);
out:
	if (atomic_dec_and_test(&req->pending_bios))
		req_done(req);
}

/* Carry out one validated copy; answers at once when it cannot start. */
static void dispatch(struct blkback_ring *ring, struct blkback_req *req,
		     const struct hvx_blkif_request *copy)
{
	struct blkback *be = ring->be;
	struct hvx_blkif_plan *p = &req->plan;
	enum hvx_blkif_verdict v;

	req->status = BLK_STS_OK;
	req->nr_maps = 0;
	req->nr_pgs = 0;
	v = hvx_blkif_check_request(copy, &be->limits, p);
	if (v)
		goto bad;
	if (p->op == HVX_BLKIF_OP_DISCARD) {
		count(be, p);
		req->status = do_discard(be, p);
		req_done(req);
		return;
	}
	if (p->indirect) {
		if (read_indirect(req, copy)) {
			finish_req(ring, req, HVX_BLKIF_RSP_ERROR);
			return;
		}
	} else {
		memcpy(req->segs, (const void *)copy->u.rw.seg,
		       p->nr_segs * sizeof(*req->segs));
	}
	if (p->nr_segs) {
		v = hvx_blkif_check_segments(p, req->segs, &be->limits);
		if (v)
			goto bad;
	}
	count(be, p);
	if (map_segments(req)) {
		finish_req(ring, req, HVX_BLKIF_RSP_ERROR);
		return;
	}
	submit(req);
	return;
bad:
	pr_debug("domain %d: request %llu refused: %s\n", be->dev->otherend_id,
		 p->id, hvx_blkif_verdict_name(v));
	finish_req(ring, req, hvx_blkif_verdict_status(v));
}

/*
 * Take what the frontend published. Returns true when requests remain
 * that wait for a free request slot.
 */
static bool take_requests(struct blkback_ring *ring)
{
	struct hvx_blkif_back_ring *r = &ring->back;
	struct hvx_blkif_request copy;
	struct blk_plug plug;
	hvx_ring_idx_t prod;
	bool more = false;

	if (ring->broken)
		return false;
	prod = hvx_ring_read_req_prod(r);
	if (!HVX_RING_REQ_PROD_VALID(r, prod)) {
		ring->broken = true;
		pr_warn("domain %d: ring %u: req_prod %u with req_cons %u and %u slots: disconnecting\n",
			ring->be->dev->otherend_id, ring->index, prod, r->req_cons,
			r->nr_ents);
		hvx_xenbus_dev_fatal(ring->be->dev, -EPROTO,
				     "ring %u: impossible req_prod %u", ring->index, prod);
		return false;
	}
	/* The requests before req_prod are written before we read them. */
	virt_rmb();
	blk_start_plug(&plug);
	while (r->req_cons != prod) {
		struct blkback_req *req;

		if (list_empty(&ring->free)) {
			atomic64_inc(&ring->be->stats.oo_req);
			more = true;
			break;
		}
		req = list_first_entry(&ring->free, struct blkback_req, list);
		list_del(&req->list);
		ring->inflight++;
		HVX_RING_COPY_REQUEST(r, r->req_cons, &copy);
		r->req_cons++;
		dispatch(ring, req, &copy);
		/*
		 * A large request goes to the device now, so that it works on
		 * it while the next ones are mapped (the plug is for merging
		 * small ones).
		 */
		if (req->plan.nr_segs >= BLKBACK_UNPLUG_SEGS) {
			blk_finish_plug(&plug);
			blk_start_plug(&plug);
		}
	}
	blk_finish_plug(&plug);
	return more;
}

/* Look at the ring a few times, poll_us apart, before asking for events. */
static bool poll_ring(struct blkback_ring *ring)
{
	unsigned int us = READ_ONCE(blkback_poll_us), i;

	for (i = 0; us && i < READ_ONCE(blkback_poll_tries); i++) {
		/* Completions end the wait early; the frontend does not ring. */
		wait_event_interruptible_hrtimeout(ring->wq,
						   !list_empty(&ring->done) ||
						   READ_ONCE(ring->work) ||
						   kthread_should_stop(),
						   ns_to_ktime((u64)us * NSEC_PER_USEC));
		if (hvx_ring_read_req_prod(&ring->back) != ring->back.req_cons ||
		    !list_empty(&ring->done))
			return true;
	}
	return false;
}

static int blkback_thread(void *data)
{
	struct blkback_ring *ring = data;
	bool starved = false;
	int work;

	while (!kthread_should_stop()) {
		/* Woken by events and completions; once a second for resizes. */
		wait_event_interruptible_timeout(ring->wq, READ_ONCE(ring->work) ||
						 !list_empty(&ring->done) ||
						 kthread_should_stop(), HZ);
		WRITE_ONCE(ring->work, false);
		do {
			hvx_ring_idx_t cons = ring->back.req_cons;

			drain_done(ring);
			starved = take_requests(ring);
			drain_done(ring);
			push(ring);
			if (starved || ring->broken)
				break;
			/*
			 * Two requests in one pass: the frontend queues faster
			 * than one at a time, so look again shortly instead of
			 * costing it an event per request; stop at a miss.
			 */
			if ((hvx_ring_idx_t)(ring->back.req_cons - cons) >= 2)
				ring->polling = true;
			work = ring->polling && poll_ring(ring);
			if (!work) {
				ring->polling = false;
				HVX_RING_FINAL_CHECK_FOR_REQUESTS(&ring->back, work);
			}
		} while (work && !kthread_should_stop());
		if (ring->index == 0 && !ring->broken &&
		    READ_ONCE(ring->be->limits.nr_sectors) !=
		    bdev_nr_sectors(ring->be->bdev))
			blkback_resized(ring->be);
	}
	/* Nothing new; finish what is in flight (bios cannot be called back). */
	while (ring->inflight) {
		wait_event(ring->wq, !list_empty(&ring->done));
		drain_done(ring);
	}
	push(ring);
	return 0;
}

static void free_pool(struct blkback_ring *ring)
{
	unsigned int i;

	for (i = 0; ring->reqs && i < ring->nr_reqs; i++) {
		kvfree(ring->reqs[i].maps);
		kvfree(ring->reqs[i].segs);
		kvfree(ring->reqs[i].pgs);
		kvfree(ring->reqs[i].pages);
	}
	kvfree(ring->reqs);
	ring->reqs = NULL;
}

static int alloc_pool(struct blkback_ring *ring)
{
	unsigned int i;

	ring->nr_reqs = min_t(unsigned int, ring->back.nr_ents, BLKBACK_POOL_MAX);
	ring->reqs = kvcalloc(ring->nr_reqs, sizeof(*ring->reqs), GFP_KERNEL);
	if (!ring->reqs)
		return -ENOMEM;
	INIT_LIST_HEAD(&ring->free);
	for (i = 0; i < ring->nr_reqs; i++) {
		struct blkback_req *req = &ring->reqs[i];

		req->ring = ring;
		req->maps = kvcalloc(BLKBACK_MAX_GRANTS, sizeof(*req->maps), GFP_KERNEL);
		req->segs = kvcalloc(BLKBACK_MAX_INDIRECT_SEGS, sizeof(*req->segs),
				     GFP_KERNEL);
		req->pgs = kvcalloc(BLKBACK_MAX_INDIRECT_SEGS, sizeof(*req->pgs),
				    GFP_KERNEL);
		req->pages = kvcalloc(BLKBACK_MAX_INDIRECT_SEGS, sizeof(*req->pages),
				      GFP_KERNEL);
		if (!req->maps || !req->segs || !req->pgs || !req->pages) {
			free_pool(ring);
			return -ENOMEM;
		}
		list_add_tail(&req->list, &ring->free);
	}
	return 0;
}

int blkback_ring_start(struct blkback_ring *ring, const hvx_grant_ref_t *refs,
		       unsigned int nr_refs, hvx_evtchn_port_t port)
{
	struct hvx_xenbus_device *dev = ring->be->dev;
	struct hvx_blkif_sring *sring;
	int err;

	init_waitqueue_head(&ring->wq);
	spin_lock_init(&ring->done_lock);
	INIT_LIST_HEAD(&ring->done);
	xa_init(&ring->pgrants);
	INIT_LIST_HEAD(&ring->pgrant_idle);
	ring->nr_pgrants = 0;
	/* A copy: the parameter may change while the ring runs. */
	ring->max_pgrants = READ_ONCE(blkback_max_pgrants);
	ring->irq = -1;
	err = hvx_xenbus_map_ring_valloc(dev, refs, nr_refs, &ring->sring);
	if (err)
		return err;
	sring = ring->sring;
	HVX_BACK_RING_INIT(&ring->back, sring, nr_refs * PAGE_SIZE);
	err = alloc_pool(ring);
	if (err)
		goto unmap;
	ring->irq = hvx_bind_interdomain_evtchn_to_irqhandler(dev->otherend_id, port,
							      blkback_event, 0,
							      "blkif-backend", ring);
	if (ring->irq < 0) {
		err = ring->irq;
		hvx_xenbus_dev_fatal(dev, err, "binding port %u of domain %d", port,
				     dev->otherend_id);
		goto pool;
	}
	ring->thread = kthread_run(blkback_thread, ring, "blkback.%d.%u.%u",
				   dev->otherend_id, (unsigned int)ring->be->handle,
				   ring->index);
	if (IS_ERR(ring->thread)) {
		err = PTR_ERR(ring->thread);
		ring->thread = NULL;
		goto unbind;
	}
	return 0;
unbind:
	hvx_unbind_from_irqhandler(ring->irq, ring);
	ring->irq = -1;
pool:
	free_pool(ring);
unmap:
	hvx_xenbus_unmap_ring_vfree(dev, ring->sring);
	ring->sring = NULL;
	return err;
}

void blkback_ring_stop(struct blkback_ring *ring)
{
	if (!ring->sring)
		return;
	/* The thread answers what is in flight, then the port goes. */
	if (ring->thread)
		kthread_stop(ring->thread);
	ring->thread = NULL;
	if (ring->irq >= 0)
		hvx_unbind_from_irqhandler(ring->irq, ring);
	ring->irq = -1;
	/* Every request ended: no persistent grant is in use. */
	pgrant_free_all(ring);
	free_pool(ring);
	hvx_xenbus_unmap_ring_vfree(ring->be->dev, ring->sring);
	ring->sring = NULL;
}
