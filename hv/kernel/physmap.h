/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * physmap.h: where a domU's guest frames live in its RAM memfd, and the
 * checks on a reservation op's extents: pure, no locks, no domain.
 * guestmem.c and reservation.c use them; tests/unit/physmap_test.c runs
 * them on the host.
 *
 * Layout (hvctl.h): memfd page i is guest frame i below the PCI hole
 * (HVCTL_RAM_HOLE_START); the rest continues at HVCTL_RAM_HIGH_START.
 */
#ifndef HV_KERNEL_PHYSMAP_H
#define HV_KERNEL_PHYSMAP_H

#define XHV_PAGE_SHIFT		12
#define XHV_LOW_FRAMES		(HVCTL_RAM_HOLE_START >> XHV_PAGE_SHIFT)
#define XHV_HIGH_FIRST		(HVCTL_RAM_HIGH_START >> XHV_PAGE_SHIFT)

/* Guest frame @gfn of a domain with @ram_pages memfd pages: its page index. */
static inline bool xhv_physmap_index(u64 ram_pages, u64 gfn, u64 *index)
{
	u64 low = ram_pages < XHV_LOW_FRAMES ? ram_pages : XHV_LOW_FRAMES;

	if (gfn < low) {
		*index = gfn;
		return true;
	}
	if (gfn >= XHV_HIGH_FIRST && gfn - XHV_HIGH_FIRST < ram_pages - low) {
		*index = low + (gfn - XHV_HIGH_FIRST);
		return true;
	}
	return false;
}

/*
 * An extent of 2^@order frames from @gfn: aligned, at most
 * HVX_XENMEM_MAX_ORDER, wholly inside RAM and contiguous in the memfd
 * (never across the PCI hole). Its first page index in *@index.
 */
static inline bool xhv_physmap_extent(u64 ram_pages, u64 gfn, u32 order,
				      u64 *index)
{
	u64 n, last;

	if (order > HVX_XENMEM_MAX_ORDER)
		return false;
	n = 1ULL << order;
	if (gfn & (n - 1) || gfn > ~0ULL - (n - 1))
		return false;
	if (!xhv_physmap_index(ram_pages, gfn, index) ||
	    !xhv_physmap_index(ram_pages, gfn + n - 1, &last))
		return false;
	return last == *index + n - 1;
}

/*
 * The header of a reservation op: an order within the limit, and a frame
 * list of @nr_extents 8-byte entries from @start that does not wrap.
 * Returns 0 or a negative errno (-EINVAL, -EFAULT).
 */
static inline int xhv_physmap_check_args(u64 start, u64 nr_extents, u32 order)
{
	if (order > HVX_XENMEM_MAX_ORDER)
		return -EINVAL;
	if (nr_extents > (~0ULL >> 3) || start > ~0ULL - (nr_extents << 3))
		return -EFAULT;
	return 0;
}

#endif /* HV_KERNEL_PHYSMAP_H */
