/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * blkif_check.h: blkback's validation of one blkif request, pure logic
 * shared by blkback.ko and the host unit test (tests/unit/disk_spec_test.c).
 *
 * The request given here is the backend's private copy (taken once from
 * the ring); nothing here reads shared memory. A request passes when its
 * operation is known and enabled, its segment count is 1..11 (0 allowed
 * only for a flush or barrier), every segment has
 * first_sect <= last_sect <= 7, the sector range lies inside the disk
 * without wrapping, and no write reaches a read-only disk. Indirect
 * requests are checked in two steps: the header here, then each segment
 * once the backend has copied the indirect pages.
 */
#ifndef DRIVERS_XEN_BLKBACK_BLKIF_CHECK_H
#define DRIVERS_XEN_BLKBACK_BLKIF_CHECK_H

#include "../../../include/xen/hvx/blkif.h"

enum hvx_blkif_verdict {
	HVX_BLKIF_GOOD = 0,
	HVX_BLKIF_BAD_OP,		/* unknown operation, or indirect in indirect */
	HVX_BLKIF_UNSUPPORTED,		/* known but not offered: EOPNOTSUPP */
	HVX_BLKIF_BAD_NR_SEGS,
	HVX_BLKIF_BAD_SECT,		/* first_sect/last_sect outside the page */
	HVX_BLKIF_BAD_RANGE,		/* past the end of the disk, or wraps */
	HVX_BLKIF_READONLY,		/* a write to a read-only disk */
	HVX_BLKIF_NR_VERDICTS
};

static inline const char *hvx_blkif_verdict_name(enum hvx_blkif_verdict v)
{
	switch (v) {
	case HVX_BLKIF_GOOD:		return "good";
	case HVX_BLKIF_BAD_OP:		return "bad operation";
	case HVX_BLKIF_UNSUPPORTED:	return "operation not offered";
	case HVX_BLKIF_BAD_NR_SEGS:	return "bad segment count";
	case HVX_BLKIF_BAD_SECT:	return "segment sectors outside the page";
	case HVX_BLKIF_BAD_RANGE:	return "sectors outside the disk";
	case HVX_BLKIF_READONLY:	return "write to a read-only disk";
	default:			return "?";
	}
}

/* What the backend offers for one disk. */
struct hvx_blkif_limits {
	u64 nr_sectors;			/* disk size, 512-byte sectors */
	unsigned int max_indirect_segs;	/* 0: no indirect requests */
	bool readonly;
	bool flush;			/* FLUSH_DISKCACHE and WRITE_BARRIER */
	bool discard;
	bool secure_discard;
};

/* The request as the backend will carry it out. */
struct hvx_blkif_plan {
	u64 id;
	u8 operation;			/* echoed in the response */
	u8 op;				/* effective: READ, WRITE, FLUSH, DISCARD */
	bool indirect;
	bool write;
	bool flush;			/* a cache flush before the data */
	bool secure;			/* discard */
	unsigned int nr_segs;
	unsigned int nr_indirect_pages;
	u64 sector;
	u64 nr_sectors;			/* discard: from the request; rw: summed */
};

/* Is [sector, sector + nr) inside a disk of @size sectors? No wrap. */
static inline bool hvx_blkif_range_ok(u64 sector, u64 nr, u64 size)
{
	return sector <= size && nr <= size - sector;
}

/* One segment: 0 and its sector count in *nr, or BAD_SECT. */
static inline enum hvx_blkif_verdict
hvx_blkif_check_segment(const struct hvx_blkif_request_segment *seg,
			unsigned int *nr)
{
	if (seg->last_sect >= HVX_BLKIF_SECTORS_PER_PAGE ||
	    seg->last_sect < seg->first_sect)
		return HVX_BLKIF_BAD_SECT;
	*nr = seg->last_sect - seg->first_sect + 1;
	return HVX_BLKIF_GOOD;
}

/*
 * Segments of a read/write request (from the ring or from indirect pages,
 * already copied): sum their sectors into plan->nr_sectors and check the
 * range. Call after hvx_blkif_check_request() accepted the header.
 */
static inline enum hvx_blkif_verdict
hvx_blkif_check_segments(struct hvx_blkif_plan *plan,
			 const struct hvx_blkif_request_segment *segs,
			 const struct hvx_blkif_limits *lim)
{
	enum hvx_blkif_verdict v;
	unsigned int i, nr;
	u64 total = 0;

	for (i = 0; i < plan->nr_segs; i++) {
		v = hvx_blkif_check_segment(&segs[i], &nr);
		if (v)
			return v;
		total += nr;
	}
	plan->nr_sectors = total;
	if (!hvx_blkif_range_ok(plan->sector, total, lim->nr_sectors))
		return HVX_BLKIF_BAD_RANGE;
	return HVX_BLKIF_GOOD;
}

/*
 * The header of a request. For a direct read/write/flush also call
 * hvx_blkif_check_segments() with req->u.rw.seg; for an indirect one,
 * with the segments copied from plan->nr_indirect_pages pages.
 */
static inline enum hvx_blkif_verdict
hvx_blkif_check_request(const struct hvx_blkif_request *req,
			const struct hvx_blkif_limits *lim,
			struct hvx_blkif_plan *plan)
{
	u8 op = req->operation;

	*plan = (struct hvx_blkif_plan){ .operation = op, .op = op };
	switch (op) {
	case HVX_BLKIF_OP_READ:
	case HVX_BLKIF_OP_WRITE:
	case HVX_BLKIF_OP_WRITE_BARRIER:
	case HVX_BLKIF_OP_FLUSH_DISKCACHE:
		plan->id = req->u.rw.id;
		plan->sector = req->u.rw.sector_number;
		plan->nr_segs = req->u.rw.nr_segments;
		if (op == HVX_BLKIF_OP_WRITE_BARRIER ||
		    op == HVX_BLKIF_OP_FLUSH_DISKCACHE) {
			if (!lim->flush)
				return HVX_BLKIF_UNSUPPORTED;
			plan->op = HVX_BLKIF_OP_FLUSH_DISKCACHE;
			plan->flush = true;
			plan->write = plan->nr_segs != 0;
		} else {
			plan->write = op == HVX_BLKIF_OP_WRITE;
			if (!plan->nr_segs)
				return HVX_BLKIF_BAD_NR_SEGS;
		}
		if (plan->nr_segs > HVX_BLKIF_MAX_SEGMENTS_PER_REQUEST)
			return HVX_BLKIF_BAD_NR_SEGS;
		break;
	case HVX_BLKIF_OP_DISCARD:
		plan->id = req->u.discard.id;
		if (!lim->discard)
			return HVX_BLKIF_UNSUPPORTED;
		plan->secure = req->u.discard.flag & HVX_BLKIF_DISCARD_SECURE;
		if (plan->secure && !lim->secure_discard)
			return HVX_BLKIF_UNSUPPORTED;
		plan->write = true;
		plan->sector = req->u.discard.sector_number;
		plan->nr_sectors = req->u.discard.nr_sectors;
		if (!hvx_blkif_range_ok(plan->sector, plan->nr_sectors,
					lim->nr_sectors))
			return HVX_BLKIF_BAD_RANGE;
		break;
	case HVX_BLKIF_OP_INDIRECT:
		plan->id = req->u.indirect.id;
		plan->indirect = true;
		plan->op = req->u.indirect.indirect_op;
		if (!lim->max_indirect_segs)
			return HVX_BLKIF_UNSUPPORTED;
		if (plan->op != HVX_BLKIF_OP_READ &&
		    plan->op != HVX_BLKIF_OP_WRITE)
			return HVX_BLKIF_BAD_OP;
		plan->write = plan->op == HVX_BLKIF_OP_WRITE;
		plan->sector = req->u.indirect.sector_number;
		plan->nr_segs = req->u.indirect.nr_segments;
		if (!plan->nr_segs || plan->nr_segs > lim->max_indirect_segs)
			return HVX_BLKIF_BAD_NR_SEGS;
		plan->nr_indirect_pages =
			(plan->nr_segs + HVX_BLKIF_SEGS_PER_INDIRECT_FRAME - 1) /
			HVX_BLKIF_SEGS_PER_INDIRECT_FRAME;
		if (plan->nr_indirect_pages > HVX_BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST)
			return HVX_BLKIF_BAD_NR_SEGS;
		break;
	default:
		plan->id = req->u.other.id;
		return HVX_BLKIF_BAD_OP;
	}
	if (plan->write && lim->readonly)
		return HVX_BLKIF_READONLY;
	return HVX_BLKIF_GOOD;
}

/* The status a verdict answers with. */
static inline s16 hvx_blkif_verdict_status(enum hvx_blkif_verdict v)
{
	if (v == HVX_BLKIF_GOOD)
		return HVX_BLKIF_RSP_OKAY;
	return v == HVX_BLKIF_UNSUPPORTED ? HVX_BLKIF_RSP_EOPNOTSUPP :
					    HVX_BLKIF_RSP_ERROR;
}

#endif /* DRIVERS_XEN_BLKBACK_BLKIF_CHECK_H */
