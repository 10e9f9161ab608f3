// SPDX-License-Identifier: GPL-2.0-only
/*
 * grant_entry_test.c: the checks hv.ko makes on v1 grant entries and copy
 * requests (hv/kernel/grant_entry.h), with Xen's statuses.
 */
#include "kernel_shim.h"
#include "unit.h"
#include "xen/hvx/xen-abi.h"
#include "kernel/grant_entry.h"

#define DOM0 0
#define WORD(flags, domid) ((u32)(flags) | (u32)(domid) << 16)

static void ref_range(void)
{
	EXPECT(!xhv_grant_ref_in_table(0, 0));
	EXPECT(xhv_grant_ref_in_table(0, 1));
	EXPECT(xhv_grant_ref_in_table(511, 1));
	EXPECT(!xhv_grant_ref_in_table(512, 1));
	EXPECT(xhv_grant_ref_in_table(64 * 512 - 1, 64));
	EXPECT(!xhv_grant_ref_in_table(0xffffffffu, 64));
	/* No overflow in the product. */
	EXPECT(xhv_grant_ref_in_table(0xffffffffu, 0x01000000u));
}

static void writable_map_of_writable_entry(void)
{
	u32 new = 0;

	EXPECT(xhv_grant_pin_word(WORD(HVX_GTF_permit_access, DOM0), DOM0, false, &new) ==
	       HVX_GNTST_okay);
	EXPECT(new == WORD(HVX_GTF_permit_access | HVX_GTF_reading | HVX_GTF_writing, DOM0));
}

static void readonly_map_sets_only_reading(void)
{
	u32 new = 0;

	EXPECT(xhv_grant_pin_word(WORD(HVX_GTF_permit_access, DOM0), DOM0, true, &new) ==
	       HVX_GNTST_okay);
	EXPECT(new == WORD(HVX_GTF_permit_access | HVX_GTF_reading, DOM0));
}

static void readonly_entry(void)
{
	u32 w = WORD(HVX_GTF_permit_access | HVX_GTF_readonly, DOM0), new = 0;

	EXPECT(xhv_grant_pin_word(w, DOM0, false, &new) == HVX_GNTST_general_error);
	EXPECT(new == 0);
	EXPECT(xhv_grant_pin_word(w, DOM0, true, &new) == HVX_GNTST_okay);
}

static void wrong_domain(void)
{
	u32 new = 0;

	EXPECT(xhv_grant_pin_word(WORD(HVX_GTF_permit_access, 7), DOM0, true, &new) ==
	       HVX_GNTST_general_error);
	EXPECT(xhv_grant_pin_word(WORD(HVX_GTF_permit_access, DOM0), 7, true, &new) ==
	       HVX_GNTST_general_error);
}

static void invalid_and_other_types(void)
{
	u32 new = 0;

	/* Never granted, revoked (flags 0), or an entry of another type. */
	EXPECT(xhv_grant_pin_word(0, DOM0, true, &new) == HVX_GNTST_general_error);
	EXPECT(xhv_grant_pin_word(WORD(HVX_GTF_reading, DOM0), DOM0, true, &new) ==
	       HVX_GNTST_general_error);
	EXPECT(xhv_grant_pin_word(WORD(HVX_GTF_type_mask, DOM0), DOM0, true, &new) ==
	       HVX_GNTST_general_error);
}

static void already_pinned_entry(void)
{
	u32 w = WORD(HVX_GTF_permit_access | HVX_GTF_reading, DOM0), new = 0;

	/* A second mapper keeps the bits and may add writing. */
	EXPECT(xhv_grant_pin_word(w, DOM0, false, &new) == HVX_GNTST_okay);
	EXPECT(new == (w | HVX_GTF_writing));
}

static void unpin_bits(void)
{
	EXPECT(xhv_grant_unpin_bits(0, 0) == (HVX_GTF_reading | HVX_GTF_writing));
	EXPECT(xhv_grant_unpin_bits(1, 0) == HVX_GTF_writing);
	EXPECT(xhv_grant_unpin_bits(2, 1) == 0);
}

static void copy_arguments(void)
{
	const u16 both = HVX_GNTCOPY_source_gref | HVX_GNTCOPY_dest_gref;

	EXPECT(xhv_grant_copy_args(both, 0, 0, 4096) == HVX_GNTST_okay);
	EXPECT(xhv_grant_copy_args(0, 4095, 0, 1) == HVX_GNTST_okay);
	EXPECT(xhv_grant_copy_args(0, 0, 0, 0) == HVX_GNTST_okay);
	EXPECT(xhv_grant_copy_args(both, 4000, 0, 200) == HVX_GNTST_bad_copy_arg);
	EXPECT(xhv_grant_copy_args(both, 0, 4000, 200) == HVX_GNTST_bad_copy_arg);
	EXPECT(xhv_grant_copy_args(both, 0, 0, 4097) == HVX_GNTST_bad_copy_arg);
	EXPECT(xhv_grant_copy_args(both, 0xffff, 0xffff, 0xffff) == HVX_GNTST_bad_copy_arg);
	EXPECT(xhv_grant_copy_args(0x80, 0, 0, 8) == HVX_GNTST_bad_copy_arg);
	EXPECT(xhv_grant_copy_args(both | 4, 0, 0, 8) == HVX_GNTST_bad_copy_arg);
}

int main(void)
{
	RUN(ref_range);
	RUN(writable_map_of_writable_entry);
	RUN(readonly_map_sets_only_reading);
	RUN(readonly_entry);
	RUN(wrong_domain);
	RUN(invalid_and_other_types);
	RUN(already_pinned_entry);
	RUN(unpin_bits);
	RUN(copy_arguments);
	return UNIT_EXIT();
}
