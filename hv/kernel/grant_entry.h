/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * grant_entry.h: the checks hv.ko makes on a v1 grant entry and on a copy
 * request, with Xen's statuses: pure, no locks, no domain. grant.c uses
 * them; tests/unit/grant_entry_test.c runs them on the host.
 */
#ifndef HV_KERNEL_GRANT_ENTRY_H
#define HV_KERNEL_GRANT_ENTRY_H

/* Is @ref inside a table of @nr_frames frames? */
static inline bool xhv_grant_ref_in_table(u32 ref, u32 nr_frames)
{
	return (u64)ref < (u64)nr_frames * HVX_GRANT_ENTRIES_PER_FRAME;
}

/*
 * May @mapper pin the entry whose first word (flags | domid << 16) is
 * @old, read-only or not? GNTST_okay with the word to install (the in-use
 * bits added) in *@new, or Xen's status: an entry that is not
 * permit_access, is granted to someone else, or is read-only and asked
 * for writing is general_error.
 */
static inline int xhv_grant_pin_word(u32 old, u16 mapper, bool readonly,
				     u32 *new)
{
	u16 flags = old & 0xffff;

	if ((flags & HVX_GTF_type_mask) != HVX_GTF_permit_access)
		return HVX_GNTST_general_error;
	if ((old >> 16) != mapper)
		return HVX_GNTST_general_error;
	if (!readonly && (flags & HVX_GTF_readonly))
		return HVX_GNTST_general_error;
	*new = old | HVX_GTF_reading | (readonly ? 0 : HVX_GTF_writing);
	return HVX_GNTST_okay;
}

/*
 * The in-use bits to clear once a pin is dropped and @readers readers and
 * @writers writers remain.
 */
static inline u32 xhv_grant_unpin_bits(u32 readers, u32 writers)
{
	return (writers ? 0 : HVX_GTF_writing) | (readers ? 0 : HVX_GTF_reading);
}

/* A copy's flags, offsets and length: GNTST_okay or bad_copy_arg. */
static inline int xhv_grant_copy_args(u16 flags, u16 src_offset,
				      u16 dst_offset, u16 len)
{
	if (flags & ~(HVX_GNTCOPY_source_gref | HVX_GNTCOPY_dest_gref))
		return HVX_GNTST_bad_copy_arg;
	if ((u32)src_offset + len > HVX_PAGE_SIZE ||
	    (u32)dst_offset + len > HVX_PAGE_SIZE)
		return HVX_GNTST_bad_copy_arg;
	return HVX_GNTST_okay;
}

#endif /* HV_KERNEL_GRANT_ENTRY_H */
