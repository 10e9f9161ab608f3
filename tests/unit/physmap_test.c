// SPDX-License-Identifier: GPL-2.0-only
/*
 * physmap_test.c: hv.ko's guest-frame layout and reservation-extent checks
 * (hv/kernel/physmap.h): ranges, the PCI hole, alignment, orders, lists
 * that wrap.
 */
#include <errno.h>
#include "kernel_shim.h"
#include "unit.h"
#include "xen/hvx/hvctl.h"
#include "xen/hvx/xen-abi.h"
#include "kernel/physmap.h"

#define MIB_PAGES(m)	((u64)(m) << 8)
#define LOW		0xc0000ULL	/* first frame of the PCI hole */
#define HIGH		0x100000ULL	/* first frame above 4 GiB */

static void small_guest_layout(void)
{
	u64 idx = 7;

	EXPECT(xhv_physmap_index(MIB_PAGES(512), 0, &idx) && idx == 0);
	EXPECT(xhv_physmap_index(MIB_PAGES(512), MIB_PAGES(512) - 1, &idx) &&
	       idx == MIB_PAGES(512) - 1);
	EXPECT(!xhv_physmap_index(MIB_PAGES(512), MIB_PAGES(512), &idx));
	EXPECT(!xhv_physmap_index(MIB_PAGES(512), HIGH, &idx));
	EXPECT(!xhv_physmap_index(MIB_PAGES(512), ~0ULL, &idx));
	EXPECT(!xhv_physmap_index(0, 0, &idx));
}

static void large_guest_skips_the_hole(void)
{
	u64 ram = MIB_PAGES(4096), idx = 0;

	EXPECT(xhv_physmap_index(ram, LOW - 1, &idx) && idx == LOW - 1);
	EXPECT(!xhv_physmap_index(ram, LOW, &idx));
	EXPECT(!xhv_physmap_index(ram, HIGH - 1, &idx));
	EXPECT(xhv_physmap_index(ram, HIGH, &idx) && idx == LOW);
	EXPECT(xhv_physmap_index(ram, HIGH + (ram - LOW) - 1, &idx) && idx == ram - 1);
	EXPECT(!xhv_physmap_index(ram, HIGH + (ram - LOW), &idx));
}

static void extents_aligned_and_inside(void)
{
	u64 ram = MIB_PAGES(4096), idx = 0;

	EXPECT(xhv_physmap_extent(ram, 512, 9, &idx) && idx == 512);
	EXPECT(!xhv_physmap_extent(ram, 513, 9, &idx));
	EXPECT(!xhv_physmap_extent(ram, 1, 1, &idx));
	EXPECT(xhv_physmap_extent(ram, 3, 0, &idx) && idx == 3);
	/* The last low extent ends at the hole; the next starts above 4 GiB. */
	EXPECT(xhv_physmap_extent(ram, LOW - 512, 9, &idx) && idx == LOW - 512);
	EXPECT(!xhv_physmap_extent(ram, LOW, 9, &idx));
	EXPECT(xhv_physmap_extent(ram, HIGH, 9, &idx) && idx == LOW);
	/* An extent running past the end of RAM. */
	EXPECT(!xhv_physmap_extent(MIB_PAGES(1) + 1, MIB_PAGES(1), 1, &idx));
	EXPECT(!xhv_physmap_extent(MIB_PAGES(1) + 100, MIB_PAGES(1), 8, &idx));
}

static void orders_above_the_limit(void)
{
	u64 idx;

	EXPECT(!xhv_physmap_extent(MIB_PAGES(4096), 0, HVX_XENMEM_MAX_ORDER + 1, &idx));
	EXPECT(!xhv_physmap_extent(MIB_PAGES(4096), 0, 63, &idx));
	EXPECT(!xhv_physmap_extent(MIB_PAGES(4096), 0, 64, &idx));
	EXPECT(!xhv_physmap_extent(MIB_PAGES(4096), 0, 0xffffffffu, &idx));
	EXPECT(xhv_physmap_check_args(0x1000, 1, HVX_XENMEM_MAX_ORDER + 1) == -EINVAL);
}

static void frames_near_the_top_do_not_wrap(void)
{
	u64 idx;

	EXPECT(!xhv_physmap_extent(MIB_PAGES(4096), ~0ULL - 511, 9, &idx));
	EXPECT(!xhv_physmap_extent(MIB_PAGES(4096), ~0ULL, 0, &idx));
	EXPECT(!xhv_physmap_index(MIB_PAGES(4096), ~0ULL, &idx));
}

static void frame_lists_that_overflow(void)
{
	EXPECT(xhv_physmap_check_args(0x1000, 0, 0) == 0);
	EXPECT(xhv_physmap_check_args(0x1000, 4096, 0) == 0);
	EXPECT(xhv_physmap_check_args(0x1000, ~0ULL, 0) == -EFAULT);
	EXPECT(xhv_physmap_check_args(0x1000, 1ULL << 61, 0) == -EFAULT);
	EXPECT(xhv_physmap_check_args(~0ULL - 15, 1, 0) == 0);
	EXPECT(xhv_physmap_check_args(~0ULL - 15, 2, 0) == -EFAULT);
	EXPECT(xhv_physmap_check_args(~0ULL - 7, 1, 0) == -EFAULT);
	EXPECT(xhv_physmap_check_args(~0ULL, 1, 0) == -EFAULT);
}

int main(void)
{
	RUN(small_guest_layout);
	RUN(large_guest_skips_the_hole);
	RUN(extents_aligned_and_inside);
	RUN(orders_above_the_limit);
	RUN(frames_near_the_top_do_not_wrap);
	RUN(frame_lists_that_overflow);
	return UNIT_EXIT();
}
