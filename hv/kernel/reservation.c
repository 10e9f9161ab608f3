// SPDX-License-Identifier: GPL-2.0-only
/*
 * reservation.c: a domU's memory reservation. A frame the guest gives back
 * (XENMEM_decrease_reservation) is marked in its given_back bitmap and
 * punched out of the RAM memfd, so the host gets the memory back; hv.ko then
 * refuses to reach it, and the guest itself finds a zero page there if it
 * touches it anyway. XENMEM_populate_physmap gives given-back frames back
 * (zeroed: they are holes), within the domain's ceiling and above the host
 * floor (dom0_mem).
 */
#define pr_fmt(fmt) "hv: " fmt

#include <linux/bitmap.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include "reservation.h"
#include "physmap.h"

#define FRAME_BATCH	512	/* frame-list entries read at a time */

/*
 * Xen's dom0_mem= gives dom0 a fixed amount and keeps the rest for guests;
 * here dom0 is the host and never balloons (Xen's "enable-dom0-ballooning
 * no"), so the same name is the floor of host memory guests cannot take:
 * no domain is created whose memory would eat into it, and populate stops
 * while the host's available memory is at or below it.
 */
static unsigned int dom0_mem = 128;
module_param(dom0_mem, uint, 0644);
MODULE_PARM_DESC(dom0_mem,
		 "MiB of host memory kept for dom0: guests never populate into it (default 128)");

u64 xhv_reservation_floor_kib(void)
{
	return (u64)READ_ONCE(dom0_mem) << 10;
}

int xhv_reservation_init(struct xhv_domain *d, u64 ram_pages)
{
	mutex_init(&d->mem_lock);
	/* The bitmap helpers take unsigned int sizes. */
	if (!ram_pages || ram_pages > UINT_MAX)
		return -EINVAL;
	d->given_back = kvcalloc(BITS_TO_LONGS(ram_pages), sizeof(long), GFP_KERNEL);
	d->map_counts = kvcalloc(ram_pages, sizeof(*d->map_counts), GFP_KERNEL);
	if (!d->given_back || !d->map_counts) {
		xhv_reservation_free(d);
		return -ENOMEM;
	}
	d->ram_pages = ram_pages;
	d->tot_pages = ram_pages;
	d->max_pages = ram_pages;
	return 0;
}

void xhv_reservation_free(struct xhv_domain *d)
{
	kvfree(d->given_back);
	d->given_back = NULL;
	kvfree(d->map_counts);
	d->map_counts = NULL;
}

int xhv_reservation_frame_mapped(struct xhv_domain *g, u64 frame, bool mapped)
{
	u32 *count;
	u64 i;

	lockdep_assert_held(&g->grant_lock);
	/* dom0 grants its own frames: it has no reservation here to guard. */
	if (!g->map_counts)
		return 0;
	if (WARN_ON_ONCE(!xhv_physmap_index(g->ram_pages, frame, &i)))
		return -EFAULT;
	count = &g->map_counts[i];
	if (mapped) {
		if (*count == U32_MAX)
			return -ENOSPC;
		(*count)++;
	} else if (!WARN_ON_ONCE(!*count)) {
		(*count)--;
	}
	return 0;
}

static bool pin_in(const struct xhv_pinned *pin, u64 gfn, u64 n)
{
	return pin->page && pin->gfn >= gfn && pin->gfn - gfn < n;
}

/*
 * Frames hv.ko or dom0 hold now: grant-mapped by dom0, or registered with
 * hv.ko (shared info, send bitmap, grant-table frames). Under grant_lock.
 */
static bool frames_busy(struct xhv_domain *d, u64 gfn, u64 idx, u64 n)
{
	unsigned long flags;
	bool busy;
	u64 j;
	u32 i;

	for (j = 0; j < n; j++)
		if (d->map_counts[idx + j])
			return true;
	for (i = 0; i < d->nr_grant_frames; i++)
		if (pin_in(&d->grant_frames[i], gfn, n))
			return true;
	spin_lock_irqsave(&d->evtchn_lock, flags);
	busy = pin_in(&d->shinfo, gfn, n) || pin_in(&d->send, gfn, n);
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	return busy;
}

struct run {
	u64 first;	/* memfd page index */
	u64 len;
};

/* Add pages [@first, @first + @len) to the runs to punch; returns the count. */
static unsigned int run_add(struct run *runs, unsigned int nr, u64 first, u64 len)
{
	if (nr && runs[nr - 1].first + runs[nr - 1].len == first) {
		runs[nr - 1].len += len;
		return nr;
	}
	runs[nr].first = first;
	runs[nr].len = len;
	return nr + 1;
}

static void punch(struct xhv_domain *d, const struct run *runs, unsigned int nr)
{
	unsigned int i;
	int err;

	for (i = 0; i < nr; i++) {
		err = vfs_fallocate(d->ram, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				    runs[i].first << PAGE_SHIFT, runs[i].len << PAGE_SHIFT);
		if (err)
			pr_warn_ratelimited("domain %u: cannot release %llu pages at %#llx: %d\n",
					    d->domid, runs[i].len, runs[i].first, err);
	}
}

static bool range_is(const unsigned long *map, u64 first, u64 n, bool set)
{
	unsigned long next = set ? find_next_zero_bit(map, first + n, first)
				 : find_next_bit(map, first + n, first);

	return next >= first + n;
}

/* One chunk of extents; returns how many were done. Under mem_lock. */
static u32 decrease_chunk(struct xhv_domain *d, const u64 *list, u32 nr,
			  u32 order, struct run *runs)
{
	u64 n = 1ULL << order, idx;
	unsigned int nr_runs = 0;
	u32 i;

	mutex_lock(&d->grant_lock);
	for (i = 0; i < nr; i++) {
		if (!xhv_physmap_extent(d->ram_pages, list[i], order, &idx) ||
		    !range_is(d->given_back, idx, n, false) ||
		    frames_busy(d, list[i], idx, n))
			break;
		bitmap_set(d->given_back, idx, n);
		WRITE_ONCE(d->tot_pages, d->tot_pages - n);
		nr_runs = run_add(runs, nr_runs, idx, n);
	}
	mutex_unlock(&d->grant_lock);
	/* Marked first: from here hv.ko never faults these pages back in. */
	punch(d, runs, nr_runs);
	return i;
}

static u32 populate_chunk(struct xhv_domain *d, const u64 *list, u32 nr, u32 order)
{
	u64 n = 1ULL << order, idx;
	u64 floor = xhv_reservation_floor_kib() >> (PAGE_SHIFT - 10);
	long avail = si_mem_available();
	u32 i;

	mutex_lock(&d->grant_lock);
	for (i = 0; i < nr; i++) {
		if (!xhv_physmap_extent(d->ram_pages, list[i], order, &idx) ||
		    !range_is(d->given_back, idx, n, true) ||
		    d->tot_pages + n > d->max_pages ||
		    avail < 0 || (u64)avail < floor + n)
			break;
		bitmap_clear(d->given_back, idx, n);
		WRITE_ONCE(d->tot_pages, d->tot_pages + n);
		avail -= n;
	}
	mutex_unlock(&d->grant_lock);
	return i;
}

long xhv_reservation_op(struct xhv_domain *d, unsigned int cmd,
			const struct hvx_memory_reservation *r)
{
	bool decrease = cmd == HVX_XENMEM_decrease_reservation;
	struct run *runs = NULL;
	u64 nr, done = 0;
	u64 *list;
	long err;
	u32 chunk, got;

	if (!d->given_back)
		return -EPERM;	/* dom0 does not balloon */
	if (r->domid != HVX_DOMID_SELF && r->domid != d->domid)
		return -EPERM;
	err = xhv_physmap_check_args(r->extent_start, r->nr_extents, r->extent_order);
	if (err)
		return err;
	nr = min_t(u64, r->nr_extents, HVX_XENMEM_MAX_EXTENTS_PER_CALL);
	if (!nr)
		return 0;
	list = kmalloc_array(FRAME_BATCH, sizeof(*list), GFP_KERNEL);
	if (decrease)
		runs = kmalloc_array(FRAME_BATCH, sizeof(*runs), GFP_KERNEL);
	if (!list || (decrease && !runs)) {
		err = -ENOMEM;
		goto out;
	}
	mutex_lock(&d->mem_lock);
	while (done < nr) {
		chunk = min_t(u64, nr - done, FRAME_BATCH);
		if (xhv_guest_read(d, list, r->extent_start + done * sizeof(*list),
				   chunk * sizeof(*list))) {
			if (!done)
				err = -EFAULT;
			break;
		}
		got = decrease ? decrease_chunk(d, list, chunk, r->extent_order, runs)
			       : populate_chunk(d, list, chunk, r->extent_order);
		done += got;
		if (got < chunk)
			break;
	}
	mutex_unlock(&d->mem_lock);
out:
	kfree(runs);
	kfree(list);
	/* As Xen: the number of extents done; a bad extent ends the call. */
	return err ? err : (long)done;
}

long xhv_reservation_pages(struct xhv_domain *d, unsigned int cmd)
{
	if (!d->given_back)	/* dom0: the host's memory */
		return totalram_pages();
	return cmd == HVX_XENMEM_current_reservation ? READ_ONCE(d->tot_pages)
						     : READ_ONCE(d->max_pages);
}

int xhv_reservation_set_max(struct xhv_domain *d, u64 max_kib)
{
	u64 pages = max_kib >> (PAGE_SHIFT - 10);

	if (!d->given_back)
		return -EPERM;
	if (max_kib < HVCTL_MEMORY_MIN_KIB || pages > d->ram_pages)
		return -EINVAL;
	mutex_lock(&d->mem_lock);
	WRITE_ONCE(d->max_pages, pages);
	mutex_unlock(&d->mem_lock);
	return 0;
}
