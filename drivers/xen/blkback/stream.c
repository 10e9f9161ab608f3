// SPDX-License-Identifier: GPL-2.0-only
/*
 * stream.c: blkback's pipelined zero copy. A large request of a ring
 * without persistent grants is mapped and submitted in parts of
 * stream_segs segments, one bio each, outside the plug:
 *
 *   thread: map part 0 ──► bio 0 to the device
 *           map part 1 ──► bio 1          (the device works on bio 0)
 *           ...
 *   bio k ends ──► part k joins the ring's parts_done list (any context)
 *   thread: unmap part k  (the device works on the parts after it)
 *   last bio ends ──► the request joins the done list after its parts,
 *                     under the same lock: answered once all are unmapped
 *
 * Mapping all 256 grants of a 1 MiB request before the device starts,
 * and unmapping all of them after it ends, puts every map and unmap on
 * the request's latency; in parts, only the first part's maps and the
 * last part's unmaps are.
 */
#define pr_fmt(fmt) "blkback: " fmt

#include <linux/bio.h>
#include <linux/sched.h>
#include "common.h"

static unsigned int blkback_stream_segs = 32;
module_param_named(stream_segs, blkback_stream_segs, uint, 0644);
MODULE_PARM_DESC(stream_segs, "zero copy: requests larger than this many segments are mapped and submitted in parts of this size (0: whole)");

static void part_bio_end(struct bio *bio)
{
	struct blkback_part *part = bio->bi_private;
	struct blkback_req *req = part->req;
	struct blkback_ring *ring = req->ring;
	unsigned long flags;

	part->status = bio->bi_status;
	if (bio->bi_status)
		WRITE_ONCE(req->status, bio->bi_status);
	bio_put(bio);
	/* The part goes on its list before the request can go on its own. */
	spin_lock_irqsave(&ring->done_lock, flags);
	list_add_tail(&part->list, &ring->parts_done);
	if (atomic_dec_and_test(&req->pending_bios))
		list_add_tail(&req->list, &ring->done);
	spin_unlock_irqrestore(&ring->done_lock, flags);
	wake_up(&ring->wq);
}

void blkback_stream_drain(struct list_head *parts)
{
	struct blkback_part *part, *next;

	list_for_each_entry_safe(part, next, parts, list) {
		struct blkback_req *req = part->req;

		list_del(&part->list);
		blkback_unmap_ops(req->maps + part->first, part->n,
				  !req->plan.write && part->status == BLK_STS_OK);
	}
}

/* Map segments [@seg, @seg + @n) as @part and submit them as one bio. */
static int stream_part(struct blkback_req *req, struct blkback_part *part,
		       unsigned int seg, unsigned int n, sector_t *sector)
{
	const struct hvx_blkif_plan *p = &req->plan;
	struct blkback *be = req->ring->be;
	struct hvx_grant_map_op *ops = req->maps + req->nr_maps;
	struct bio *bio;
	unsigned int i;
	int err;

	for (i = 0; i < n; i++) {
		ops[i] = (struct hvx_grant_map_op){
			.domid = be->dev->otherend_id,
			.ref = req->segs[seg + i].gref,
			/* No persistent grants here: a write only reads. */
			.flags = p->write ? HVX_GNTMAP_readonly : 0,
		};
	}
	part->req = req;
	part->first = req->nr_maps;
	part->status = BLK_STS_OK;
	err = blkback_map_ops(req, n);
	part->n = req->nr_maps - part->first;
	if (err)
		goto unmap;
	bio = bio_alloc(be->bdev, n, p->write ? REQ_OP_WRITE | REQ_SYNC : REQ_OP_READ,
			GFP_KERNEL);
	bio->bi_iter.bi_sector = *sector;
	bio->bi_private = part;
	bio->bi_end_io = part_bio_end;
	for (i = 0; i < n; i++) {
		const struct hvx_blkif_request_segment *s = &req->segs[seg + i];
		unsigned int off = s->first_sect << HVX_BLKIF_SECTOR_SHIFT;
		unsigned int len = (s->last_sect - s->first_sect + 1) <<
				   HVX_BLKIF_SECTOR_SHIFT;

		/* A bio of n vectors takes n pages of a request's size. */
		if (WARN_ON_ONCE(bio_add_page(bio, ops[i].page, len, off) != len)) {
			bio_put(bio);
			err = -EIO;
			goto unmap;
		}
		*sector += len >> HVX_BLKIF_SECTOR_SHIFT;
	}
	atomic_inc(&req->pending_bios);
	submit_bio(bio);
	return 0;
unmap:
	blkback_unmap_ops(req->maps + part->first, part->n, false);
	return err;
}

/*
 * Carry out a validated read or write in parts, when it is a large one on
 * a ring without persistent grants; false (nothing done) otherwise.
 */
bool blkback_stream(struct blkback_req *req)
{
	const struct hvx_blkif_plan *p = &req->plan;
	unsigned int per = READ_ONCE(blkback_stream_segs), seg, n;
	struct blk_plug *plug = current->plug;
	sector_t sector = p->sector;
	struct blkback_part *part = req->parts;

	if (!per || req->ring->persistent || p->flush || p->nr_segs <= per)
		return false;
	per = max(per, DIV_ROUND_UP(p->nr_segs, BLKBACK_MAX_PARTS));
	/* One count held while submitting, so no bio can end the request. */
	atomic_set(&req->pending_bios, 1);
	req->nr_maps = 0;
	for (seg = 0; seg < p->nr_segs; seg += n, part++) {
		n = min(per, p->nr_segs - seg);
		if (stream_part(req, part, seg, n, &sector)) {
			/* The parts submitted end as usual; the answer is an error. */
			req->status = BLK_STS_IOERR;
			break;
		}
		/* To the device now, not at the end of the thread's pass. */
		if (plug) {
			blk_finish_plug(plug);
			blk_start_plug(plug);
		}
	}
	/* Each part unmaps its own grants. */
	req->nr_maps = 0;
	if (atomic_dec_and_test(&req->pending_bios))
		blkback_req_done(req);
	return true;
}
