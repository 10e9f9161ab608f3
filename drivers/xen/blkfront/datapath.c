// SPDX-License-Identifier: GPL-2.0-only
/*
 * datapath.c: blkfront's data path.
 *
 * queue_rq grants each page of the request (read-only for a
 * write), copies the request into the ring and publishes a batch at
 * bd->last (or commit_rqs), notifying only if the backend asked
 * (req_event). Requests are identified by their tag. Granting may sleep
 * (the table grows on demand), so queue_rq is BLK_MQ_F_BLOCKING when it
 * grants (zero copy, or a persistent pool that grows on demand); the
 * event handler takes the answers and ends their grants itself.
 *
 * feature-persistent (both ends offer it): each ring keeps a pool of pages
 * granted once, writable, for as long as the ring lives (at most
 * max_persistent_grants; more requests wait for pages to come back).
 * A write copies its data into pool pages, a read copies out of them when
 * the answer comes; the backend keeps those grants mapped, so no request
 * grants, maps or unmaps anything.
 */
#define pr_fmt(fmt) "blkfront: " fmt

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include "blkfront.h"
#include "../../../include/xen/hvx/fastcopy.h"

static unsigned int max_persistent_grants = 512;
module_param(max_persistent_grants, uint, 0444);
MODULE_PARM_DESC(max_persistent_grants, "granted pages kept per ring (at least the segments of one request)");

/* ---- grants of one request -------------------------------------------- */

static void end_grants(struct blkfront_info *info, struct blkfront_cmd *cmd)
{
	/* Any still mapped by a misbehaving backend: the core frees those later. */
	hvx_gnttab_end_foreign_access_refs(cmd->refs, cmd->nr_refs);
	cmd->nr_refs = 0;
}

/*
 * Grant every page of @rq; fills @segs (up to max_segs). The refs come
 * from the core in one go, then each entry is one write: a 1 MiB request
 * takes the core's lock twice (here and in end_grants), not 3 times a page.
 */
static int grant_request(struct blkfront_info *info, struct request *rq,
			 struct blkfront_cmd *cmd,
			 struct hvx_blkif_request_segment *segs)
{
	bool write = rq_data_dir(rq) == WRITE;
	struct scatterlist *sg;
	unsigned int n, i;
	int err;

	cmd->nr_refs = 0;
	sg_init_table(cmd->sg, info->max_segs);
	n = blk_rq_map_sg(rq->q, rq, cmd->sg);
	mutex_lock(&blkfront_grant_mutex);
	err = hvx_gnttab_reserve(n, cmd->refs);
	if (err)
		goto out;
	cmd->nr_refs = n;
	for_each_sg(cmd->sg, sg, n, i) {
		unsigned int off = sg->offset & ~PAGE_MASK;
		struct page *page = nth_page(sg_page(sg), sg->offset >> PAGE_SHIFT);

		err = hvx_gnttab_grant_reserved(cmd->refs[i], info->dev->otherend_id,
						hvx_page_to_gfn(page), write);
		if (err) {
			end_grants(info, cmd);
			goto out;
		}
		segs[i].gref = cmd->refs[i];
		segs[i].first_sect = off >> HVX_BLKIF_SECTOR_SHIFT;
		segs[i].last_sect = (off + sg->length - 1) >> HVX_BLKIF_SECTOR_SHIFT;
	}
out:
	mutex_unlock(&blkfront_grant_mutex);
	return err ?: n;
}

/* ---- persistent grants ---------------------------------------------------- */

static unsigned int pgrant_cap(struct blkfront_info *info)
{
	return max(max_persistent_grants, info->max_segs);
}

/* A new pool page, granted writable; counted in ring->nr_pgrants already. */
static struct blkfront_pgrant *pgrant_new(struct blkfront_ring *ring)
{
	struct blkfront_pgrant *pg;
	int ref;

	pg = kzalloc(sizeof(*pg), GFP_NOIO);
	if (!pg)
		return NULL;
	pg->page = alloc_page(GFP_NOIO);
	if (!pg->page)
		goto free;
	mutex_lock(&blkfront_grant_mutex);
	ref = hvx_gnttab_grant_foreign_access(ring->info->dev->otherend_id,
					      hvx_page_to_gfn(pg->page), false);
	mutex_unlock(&blkfront_grant_mutex);
	if (ref < 0)
		goto page;
	pg->ref = ref;
	return pg;
page:
	__free_page(pg->page);
free:
	kfree(pg);
	return NULL;
}

/* Give @cmd's pool pages back; called with the ring lock held. */
static void pgrant_return(struct blkfront_ring *ring, struct blkfront_cmd *cmd)
{
	unsigned int i;

	for (i = 0; i < cmd->nr_pgs; i++)
		list_add(&cmd->pgs[i]->free, &ring->pg_free);
	cmd->nr_pgs = 0;
}

/*
 * Take @n pool pages for @cmd, growing the pool up to its cap. -EBUSY
 * when the pool is exhausted (the ring is then marked stalled: an answer
 * brings pages back and runs the queue again).
 */
static int pgrant_take(struct blkfront_ring *ring, struct blkfront_cmd *cmd,
		       unsigned int n)
{
	unsigned int cap = pgrant_cap(ring->info);
	struct blkfront_pgrant *pg;

	cmd->nr_pgs = 0;
	while (cmd->nr_pgs < n) {
		spin_lock_irq(&ring->lock);
		/* As many free ones as there are, under one hold of the lock. */
		while (cmd->nr_pgs < n &&
		       (pg = list_first_entry_or_null(&ring->pg_free,
						      struct blkfront_pgrant, free))) {
			list_del(&pg->free);
			cmd->pgs[cmd->nr_pgs++] = pg;
		}
		if (cmd->nr_pgs == n) {
			spin_unlock_irq(&ring->lock);
			break;
		}
		if (ring->nr_pgrants >= cap) {
			pgrant_return(ring, cmd);
			ring->stalled = true;
			spin_unlock_irq(&ring->lock);
			return -EBUSY;
		}
		ring->nr_pgrants++;
		spin_unlock_irq(&ring->lock);
		pg = pgrant_new(ring);
		spin_lock_irq(&ring->lock);
		if (!pg) {
			ring->nr_pgrants--;
			pgrant_return(ring, cmd);
			spin_unlock_irq(&ring->lock);
			return -ENOMEM;
		}
		list_add(&pg->all, &ring->pg_all);
		spin_unlock_irq(&ring->lock);
		cmd->pgs[cmd->nr_pgs++] = pg;
	}
	return 0;
}

/*
 * Grow @ring's pool to its cap now (at connect), so that no request has to
 * grant a page: queue_rq then never sleeps. -ENOMEM if it could not.
 */
int blkfront_pgrant_fill(struct blkfront_ring *ring)
{
	unsigned int cap = pgrant_cap(ring->info);
	struct blkfront_pgrant *pg;

	while (ring->nr_pgrants < cap) {
		pg = pgrant_new(ring);
		if (!pg)
			return -ENOMEM;
		spin_lock_irq(&ring->lock);
		ring->nr_pgrants++;
		list_add(&pg->all, &ring->pg_all);
		list_add(&pg->free, &ring->pg_free);
		spin_unlock_irq(&ring->lock);
	}
	return 0;
}

void blkfront_pgrant_free_all(struct blkfront_ring *ring)
{
	struct blkfront_pgrant *pg, *next;

	list_for_each_entry_safe(pg, next, &ring->pg_all, all) {
		/* The backend unmaps them as it disconnects; freed after that. */
		hvx_gnttab_end_foreign_access(pg->ref, pg->page);
		kfree(pg);
	}
	INIT_LIST_HEAD(&ring->pg_all);
	INIT_LIST_HEAD(&ring->pg_free);
	ring->nr_pgrants = 0;
}

/*
 * How persistent pages are copied: 1 through registers (fastcopy.h), 0
 * whole pages by copy_page() and the rest by memcpy(); -1 at load asks
 * blkfront_copy_choose() to time registers against memcpy(). On an
 * emulated CPU memcpy() (rep movsb) copies a byte a step, copy_page()
 * (rep movsq) eight, the registers 64 a turn: the fewer steps the better.
 */
static int copy_regs = -1;
module_param(copy_regs, int, 0644);
MODULE_PARM_DESC(copy_regs, "persistent copies: 1 through registers, 0 by copy_page()/memcpy() (-1 at load: time them)");

void blkfront_copy_choose(void)
{
	u64 ns_memcpy, ns_regs;

	if (copy_regs < 0)
		WRITE_ONCE(copy_regs, hvx_copy_choose(&ns_memcpy, &ns_regs));
}

static void pgrant_copy(void *dst, const void *src, unsigned int len)
{
	if (READ_ONCE(copy_regs) > 0)
		hvx_copy_regs(dst, src, len);
	else if (len == PAGE_SIZE && PAGE_ALIGNED(dst) && PAGE_ALIGNED(src))
		copy_page(dst, (void *)src);
	else
		memcpy(dst, src, len);
}

/* Persistent: the segments of @rq are pool pages; a write's data goes in. */
static int pgrant_request(struct blkfront_ring *ring, struct request *rq,
			  struct blkfront_cmd *cmd,
			  struct hvx_blkif_request_segment *segs)
{
	bool write = rq_data_dir(rq) == WRITE;
	struct scatterlist *sg;
	unsigned int n, i;
	int err;

	cmd->nr_refs = 0;
	sg_init_table(cmd->sg, ring->info->max_segs);
	n = blk_rq_map_sg(rq->q, rq, cmd->sg);
	err = pgrant_take(ring, cmd, n);
	if (err)
		return err;
	cmd->copy_out = !write;
	for_each_sg(cmd->sg, sg, n, i) {
		unsigned int off = sg->offset & ~PAGE_MASK;

		if (write)
			pgrant_copy(page_address(cmd->pgs[i]->page) + off, sg_virt(sg),
				    sg->length);
		segs[i].gref = cmd->pgs[i]->ref;
		segs[i].first_sect = off >> HVX_BLKIF_SECTOR_SHIFT;
		segs[i].last_sect = (off + sg->length - 1) >> HVX_BLKIF_SECTOR_SHIFT;
	}
	return n;
}

/* A persistent read answered: its data comes out of the pool pages. */
static void pgrant_copy_out(struct blkfront_cmd *cmd)
{
	struct scatterlist *sg;
	unsigned int i;

	for_each_sg(cmd->sg, sg, cmd->nr_pgs, i)
		pgrant_copy(sg_virt(sg), page_address(cmd->pgs[i]->page) +
			    (sg->offset & ~PAGE_MASK), sg->length);
}

static void ring_push(struct blkfront_ring *ring)
{
	bool notify;

	HVX_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&ring->front, notify);
	if (notify)
		hvx_notify_remote_via_irq(ring->irq);
}

static blk_status_t blkfront_queue_rq(struct blk_mq_hw_ctx *hctx,
				      const struct blk_mq_queue_data *bd)
{
	struct blkfront_info *info = hctx->queue->queuedata;
	struct blkfront_ring *ring = hctx->driver_data;
	struct request *rq = bd->rq;
	struct blkfront_cmd *cmd = blk_mq_rq_to_pdu(rq);
	struct hvx_blkif_request_segment segs[HVX_BLKIF_MAX_SEGMENTS_PER_REQUEST];
	struct hvx_blkif_request_segment *seg = segs;
	struct hvx_blkif_request req;
	unsigned int tag = rq->tag;
	int n = 0;

	blk_mq_start_request(rq);
	memset(&req, 0, sizeof(req));
	cmd->nr_refs = 0;
	cmd->nr_pgs = 0;
	cmd->copy_out = false;
	switch (req_op(rq)) {
	case REQ_OP_FLUSH:
		req.operation = HVX_BLKIF_OP_FLUSH_DISKCACHE;
		req.u.rw.id = tag;
		break;
	case REQ_OP_DISCARD:
	case REQ_OP_SECURE_ERASE:
		req.operation = HVX_BLKIF_OP_DISCARD;
		req.u.discard.id = tag;
		req.u.discard.flag = req_op(rq) == REQ_OP_SECURE_ERASE ?
				     HVX_BLKIF_DISCARD_SECURE : 0;
		req.u.discard.sector_number = blk_rq_pos(rq);
		req.u.discard.nr_sectors = blk_rq_sectors(rq);
		break;
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		if (info->max_segs > HVX_BLKIF_MAX_SEGMENTS_PER_REQUEST)
			seg = page_address(ring->indirect[tag]);
		n = info->persistent ? pgrant_request(ring, rq, cmd, seg) :
				       grant_request(info, rq, cmd, seg);
		if (n < 0)
			return BLK_STS_RESOURCE;
		if (n > HVX_BLKIF_MAX_SEGMENTS_PER_REQUEST) {
			req.operation = HVX_BLKIF_OP_INDIRECT;
			req.u.indirect.indirect_op = rq_data_dir(rq) == WRITE ?
				HVX_BLKIF_OP_WRITE : HVX_BLKIF_OP_READ;
			req.u.indirect.nr_segments = n;
			req.u.indirect.id = tag;
			req.u.indirect.sector_number = blk_rq_pos(rq);
			req.u.indirect.handle = (u16)info->vdevice;
			req.u.indirect.indirect_grefs[0] = ring->indirect_ref[tag];
		} else {
			req.operation = rq_data_dir(rq) == WRITE ?
				HVX_BLKIF_OP_WRITE : HVX_BLKIF_OP_READ;
			req.u.rw.nr_segments = n;
			req.u.rw.id = tag;
			req.u.rw.sector_number = blk_rq_pos(rq);
			req.u.rw.handle = (u16)info->vdevice;
			memcpy((void *)req.u.rw.seg, seg, n * sizeof(*seg));
		}
		break;
	default:
		return BLK_STS_NOTSUPP;
	}

	spin_lock_irq(&ring->lock);
	if (ring->dead || ring->closing || HVX_RING_FULL(&ring->front) ||
	    tag >= ring->front.nr_ents || ring->shadow[tag]) {
		bool dead = ring->dead || ring->closing;

		ring->stalled = !dead;
		pgrant_return(ring, cmd);
		spin_unlock_irq(&ring->lock);
		end_grants(info, cmd);
		return dead ? BLK_STS_IOERR : BLK_STS_DEV_RESOURCE;
	}
	ring->shadow[tag] = rq;
	ring->inflight++;
	memcpy(HVX_RING_GET_REQUEST(&ring->front, ring->front.req_prod_pvt), &req,
	       sizeof(req));
	ring->front.req_prod_pvt++;
	/*
	 * A large request is published at once, so that the backend works
	 * on it while the next ones of the batch are copied and granted.
	 */
	if (bd->last || n > HVX_BLKIF_MAX_SEGMENTS_PER_REQUEST)
		ring_push(ring);
	spin_unlock_irq(&ring->lock);
	return BLK_STS_OK;
}

static void blkfront_commit_rqs(struct blk_mq_hw_ctx *hctx)
{
	struct blkfront_ring *ring = hctx->driver_data;

	spin_lock_irq(&ring->lock);
	if (!ring->dead)
		ring_push(ring);
	spin_unlock_irq(&ring->lock);
}

static int blkfront_init_hctx(struct blk_mq_hw_ctx *hctx, void *data,
			      unsigned int index)
{
	struct blkfront_info *info = data;

	hctx->driver_data = &info->rings[index];
	return 0;
}

static int blkfront_init_request(struct blk_mq_tag_set *set, struct request *rq,
				 unsigned int hctx_idx, unsigned int numa_node)
{
	struct blkfront_info *info = set->driver_data;
	struct blkfront_cmd *cmd = blk_mq_rq_to_pdu(rq);

	cmd->sg = (struct scatterlist *)(cmd + 1);
	cmd->pgs = (struct blkfront_pgrant **)(cmd->sg + info->max_segs);
	cmd->refs = (u32 *)(cmd->pgs + info->max_segs);
	return 0;
}

const struct blk_mq_ops blkfront_mq_ops = {
	.queue_rq = blkfront_queue_rq,
	.commit_rqs = blkfront_commit_rqs,
	.init_hctx = blkfront_init_hctx,
	.init_request = blkfront_init_request,
};

/* ---- responses ----------------------------------------------------------- */

static blk_status_t rsp_status(struct blkfront_info *info, u8 op, s16 status)
{
	if (status == HVX_BLKIF_RSP_OKAY)
		return BLK_STS_OK;
	if (status == HVX_BLKIF_RSP_EOPNOTSUPP) {
		pr_warn_ratelimited("%s: operation %u not supported by the backend\n",
				    info->disk ? info->disk->disk_name : "?", op);
		return BLK_STS_NOTSUPP;
	}
	return BLK_STS_IOERR;
}

/*
 * Take the answers, end their requests, from the event itself: a request's
 * own grants (zero copy) end there (the core's end of access is irq-safe),
 * persistent pool pages go back under the ring lock, so no answer costs
 * the guest a switch to a worker.
 */
static void blkfront_complete(struct blkfront_ring *ring)
{
	struct blkfront_info *info = ring->info;
	struct hvx_blkif_response rsp;
	struct blkfront_cmd *cmd, *next;
	unsigned long flags;
	LIST_HEAD(done);
	hvx_ring_idx_t prod;
	bool stalled;
	int more;

	spin_lock_irqsave(&ring->lock, flags);
	if (ring->dead)
		goto out;
	do {
		prod = READ_ONCE(ring->front.sring->rsp_prod);
		/* Responses are written before rsp_prod; read them after. */
		virt_rmb();
		if ((hvx_ring_idx_t)(prod - ring->front.rsp_cons) >
		    (hvx_ring_idx_t)(ring->front.req_prod_pvt - ring->front.rsp_cons)) {
			pr_err("ring %u: rsp_prod %u past what was asked: ring stopped\n",
			       ring->index, prod);
			ring->dead = true;
			break;
		}
		for (; ring->front.rsp_cons != prod; ring->front.rsp_cons++) {
			struct request *rq;

			memcpy(&rsp, HVX_RING_GET_RESPONSE(&ring->front, ring->front.rsp_cons),
			       sizeof(rsp));
			if (rsp.id >= ring->front.nr_ents || !ring->shadow[rsp.id]) {
				pr_err_ratelimited("ring %u: response for unknown id %llu\n",
						   ring->index, rsp.id);
				continue;
			}
			rq = ring->shadow[rsp.id];
			ring->shadow[rsp.id] = NULL;
			ring->inflight--;
			cmd = blk_mq_rq_to_pdu(rq);
			end_grants(info, cmd);
			cmd->status = rsp_status(info, rsp.operation, rsp.status);
			list_add_tail(&cmd->done, &done);
		}
		HVX_RING_FINAL_CHECK_FOR_RESPONSES(&ring->front, more);
	} while (more);
out:
	if (ring->closing && !ring->inflight)
		wake_up(&info->idle);
	spin_unlock_irqrestore(&ring->lock, flags);
	/* Persistent reads: the data out of the pool, then the pages back. */
	list_for_each_entry(cmd, &done, done)
		if (cmd->nr_pgs && cmd->copy_out && cmd->status == BLK_STS_OK)
			pgrant_copy_out(cmd);
	spin_lock_irqsave(&ring->lock, flags);
	list_for_each_entry(cmd, &done, done)
		pgrant_return(ring, cmd);
	stalled = ring->stalled;
	ring->stalled = false;
	spin_unlock_irqrestore(&ring->lock, flags);
	/* Ending a request may run the queue, which takes the ring lock. */
	list_for_each_entry_safe(cmd, next, &done, done)
		blk_mq_end_request(blk_mq_rq_from_pdu(cmd), cmd->status);
	if (stalled && info->disk)
		blk_mq_run_hw_queues(info->disk->queue, true);
}

irqreturn_t blkfront_event(int irq, void *dev_id)
{
	struct blkfront_ring *ring = dev_id;

	blkfront_complete(ring);
	return IRQ_HANDLED;
}

/* Fail what is outstanding; the ring takes no more requests. */
void blkfront_ring_kill(struct blkfront_ring *ring)
{
	struct blkfront_cmd *cmd, *next;
	LIST_HEAD(done);
	unsigned int i;

	if (ring->irq >= 0)
		hvx_unbind_from_irqhandler(ring->irq, ring);
	ring->irq = -1;
	spin_lock_irq(&ring->lock);
	ring->dead = true;
	for (i = 0; ring->shadow && i < ring->front.nr_ents; i++) {
		struct request *rq = ring->shadow[i];

		if (!rq)
			continue;
		ring->shadow[i] = NULL;
		ring->inflight--;
		cmd = blk_mq_rq_to_pdu(rq);
		end_grants(ring->info, cmd);
		pgrant_return(ring, cmd);
		list_add_tail(&cmd->done, &done);
	}
	spin_unlock_irq(&ring->lock);
	list_for_each_entry_safe(cmd, next, &done, done)
		blk_mq_end_request(blk_mq_rq_from_pdu(cmd), BLK_STS_IOERR);
}
