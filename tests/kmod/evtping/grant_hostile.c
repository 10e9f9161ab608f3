// SPDX-License-Identifier: GPL-2.0-only
/*
 * grant_hostile.c: dom0 tries every grant operation a backend must not get
 * away with, against a domU running evtping_front, and checks that hv.ko
 * answers each with Xen's status: refs past the table, bad domids,
 * never-granted and revoked entries, entries granted to another domain,
 * writable use of a read-only entry, bad copy arguments, bad handles. The
 * operations that must work (a read-only map of the read-only entry, a
 * copy out of it) are checked too, so a status that is always "error"
 * cannot pass. Loading fails with -EIO if any check failed; `checks` and
 * `failures` show the counts, the kernel log names each failure.
 */
#define pr_fmt(fmt) "grant_hostile: " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "../../../include/xen/hvx/core.h"
#include "evtping.h"

static int domid = -1;
module_param(domid, int, 0444);
MODULE_PARM_DESC(domid, "the domU running evtping_front (required)");

static int ref = -1, ro_ref = -1, revoked_ref = -1, other_ref = -1;
module_param(ref, int, 0444);
module_param(ro_ref, int, 0444);
module_param(revoked_ref, int, 0444);
module_param(other_ref, int, 0444);
MODULE_PARM_DESC(ref, "evtping_front's refs, as its parameters show them");

static unsigned int checks, failures;
module_param(checks, uint, 0444);
module_param(failures, uint, 0444);

/* The first table frame holds 512 v1 entries; the test grants far fewer. */
#define NEVER_GRANTED_REF 511
#define PAST_THE_TABLE_REF 0x7fffffff
#define NO_SUCH_DOMID 0x7fe0

static void expect(const char *what, int got, int want)
{
	checks++;
	if (got == want)
		return;
	failures++;
	pr_err("%s: status %d, expected %d\n", what, got, want);
}

static int map_status(u16 dom, u32 gref, u32 flags,
		      struct hvx_grant_map_op *op)
{
	memset(op, 0, sizeof(*op));
	op->domid = dom;
	op->ref = gref;
	op->flags = flags;
	if (hvx_gnttab_map(op, 1))
		return INT_MIN;
	return op->status;
}

static int unmap_status(hvx_grant_handle_t handle)
{
	struct hvx_grant_map_op op = { .handle = handle };

	if (hvx_gnttab_unmap(&op, 1))
		return INT_MIN;
	return op.status;
}

/* A map that must fail: if it worked after all, do not leak it. */
static void expect_map_fails(const char *what, u16 dom, u32 gref, u32 flags,
			     int want)
{
	struct hvx_grant_map_op op;
	int status = map_status(dom, gref, flags, &op);

	expect(what, status, want);
	if (status == HVX_GNTST_okay)
		unmap_status(op.handle);
}

static void check_maps(void)
{
	const u16 d = domid;
	struct hvx_grant_map_op op, batch[2];
	const u8 *p;
	unsigned int i;
	int status;

	expect_map_fails("ref past the table", d, PAST_THE_TABLE_REF, 0,
			 HVX_GNTST_bad_gntref);
	expect_map_fails("domid 0 (dom0 itself)", 0, ref, 0,
			 HVX_GNTST_bad_domain);
	expect_map_fails("DOMID_SELF", HVX_DOMID_SELF, ref, 0,
			 HVX_GNTST_bad_domain);
	expect_map_fails("a domid that does not exist", NO_SUCH_DOMID, ref, 0,
			 HVX_GNTST_bad_domain);
	expect_map_fails("never-granted entry", d, NEVER_GRANTED_REF, 0,
			 HVX_GNTST_general_error);
	expect_map_fails("revoked entry", d, revoked_ref, HVX_GNTMAP_readonly,
			 HVX_GNTST_general_error);
	expect_map_fails("entry granted to another domain", d, other_ref, 0,
			 HVX_GNTST_general_error);
	expect_map_fails("writable map of a read-only entry", d, ro_ref, 0,
			 HVX_GNTST_general_error);

	/* What the guest allowed works, and shows the guest's page. */
	status = map_status(d, ro_ref, HVX_GNTMAP_readonly, &op);
	expect("read-only map of the read-only entry", status, HVX_GNTST_okay);
	if (status == HVX_GNTST_okay) {
		p = page_address(op.page);
		for (i = 0; i < PAGE_SIZE && p[i] == evtping_front_byte(i); i++)
			;
		expect("the read-only page holds the guest's pattern",
		       i == PAGE_SIZE ? 0 : -1, 0);
		expect("unmap", unmap_status(op.handle), HVX_GNTST_okay);
		expect("second unmap of the same handle",
		       unmap_status(op.handle), HVX_GNTST_bad_handle);
	}
	expect("unmap of handle 0", unmap_status(0), HVX_GNTST_bad_handle);
	expect("unmap of a huge handle", unmap_status(U32_MAX),
	       HVX_GNTST_bad_handle);

	/* One bad op in a batch fails alone. */
	memset(batch, 0, sizeof(batch));
	batch[0] = (struct hvx_grant_map_op){ .domid = d, .ref = ro_ref,
					      .flags = HVX_GNTMAP_readonly };
	batch[1] = (struct hvx_grant_map_op){ .domid = d,
					      .ref = PAST_THE_TABLE_REF };
	if (hvx_gnttab_map(batch, 2)) {
		expect("batched map", -1, 0);
		return;
	}
	expect("batch: the good op", batch[0].status, HVX_GNTST_okay);
	expect("batch: the bad op", batch[1].status, HVX_GNTST_bad_gntref);
	for (i = 0; i < 2; i++)
		if (batch[i].status == HVX_GNTST_okay)
			unmap_status(batch[i].handle);
}

static int copy_status(struct hvx_gnttab_copy *op)
{
	if (hvx_gnttab_copy(op, 1))
		return INT_MIN;
	return op->status;
}

static void check_copies(struct page *local)
{
	const u16 d = domid;
	unsigned long gfn = hvx_page_to_gfn(local);
	struct hvx_gnttab_copy op;
	const u8 *p = page_address(local);
	unsigned int i;

	/* Out of the read-only entry into dom0's page: allowed. */
	memset(&op, 0, sizeof(op));
	op.source.domid = d;
	op.source.u.ref = ro_ref;
	op.dest.domid = HVX_DOMID_SELF;
	op.dest.u.gmfn = gfn;
	op.len = PAGE_SIZE;
	op.flags = HVX_GNTCOPY_source_gref;
	expect("copy out of the read-only entry", copy_status(&op),
	       HVX_GNTST_okay);
	for (i = 0; i < PAGE_SIZE && p[i] == evtping_front_byte(i); i++)
		;
	expect("the copy holds the guest's pattern", i == PAGE_SIZE ? 0 : -1, 0);

	/* Into the read-only entry: refused. */
	memset(&op, 0, sizeof(op));
	op.source.domid = HVX_DOMID_SELF;
	op.source.u.gmfn = gfn;
	op.dest.domid = d;
	op.dest.u.ref = ro_ref;
	op.len = 64;
	op.flags = HVX_GNTCOPY_dest_gref;
	expect("copy into the read-only entry", copy_status(&op),
	       HVX_GNTST_general_error);

	op.dest.u.ref = revoked_ref;
	expect("copy into the revoked entry", copy_status(&op),
	       HVX_GNTST_general_error);
	op.dest.u.ref = PAST_THE_TABLE_REF;
	expect("copy into a ref past the table", copy_status(&op),
	       HVX_GNTST_bad_gntref);
	op.dest.u.ref = ref;
	op.dest.domid = NO_SUCH_DOMID;
	expect("copy into a domain that does not exist", copy_status(&op),
	       HVX_GNTST_bad_domain);
	op.dest.domid = d;
	op.dest.offset = 4000;
	op.len = 200;
	expect("copy crossing the end of the page", copy_status(&op),
	       HVX_GNTST_bad_copy_arg);
	op.dest.offset = 0;
	op.len = 64;
	op.flags = HVX_GNTCOPY_dest_gref | 0x80;
	expect("copy with unknown flags", copy_status(&op),
	       HVX_GNTST_bad_copy_arg);
}

static struct hvx_gnttab_copy copy_op(u16 src_dom, u32 src, u16 src_off,
				      u16 dst_dom, u32 dst, u16 dst_off,
				      u16 len, u16 flags)
{
	struct hvx_gnttab_copy op;

	memset(&op, 0, sizeof(op));
	op.source.domid = src_dom;
	op.source.u.ref = src;
	op.source.offset = src_off;
	op.dest.domid = dst_dom;
	op.dest.u.ref = dst;
	op.dest.offset = dst_off;
	op.len = len;
	op.flags = flags;
	return op;
}

/* Bytes [from, from + len) of dom0's page hold the guest's pattern. */
static bool holds_pattern(struct page *local, unsigned int from,
			  unsigned int len)
{
	const u8 *p = page_address(local);
	unsigned int i;

	for (i = from; i < from + len; i++)
		if (p[i] != evtping_front_byte(i))
			return false;
	return true;
}

#define COPY_RUN 40	/* more ops of one granter than hv.ko does per hold */

/*
 * Batches: good and bad ops mixed, granters changing within the batch,
 * and a long run of one granter. Each op gets its own status, the good
 * ones copy, and nothing stays in use (the guest checks the last part
 * when it ends its grants: scenario 44 reads its log).
 */
static void check_copy_batches(struct page *local)
{
	const u16 self = HVX_DOMID_SELF, d = domid;
	const u16 in = HVX_GNTCOPY_source_gref, out = HVX_GNTCOPY_dest_gref;
	unsigned long gfn = hvx_page_to_gfn(local);
	struct hvx_gnttab_copy *ops;
	struct hvx_grant_map_op map;
	unsigned int i;
	int status;

	ops = kcalloc(COPY_RUN, sizeof(*ops), GFP_KERNEL);
	if (!ops) {
		expect("allocating the batch", -ENOMEM, 0);
		return;
	}
	memset(page_address(local), 0, PAGE_SIZE);
	ops[0] = copy_op(d, ref, 0, self, gfn, 0, 2048, in);
	ops[1] = copy_op(self, gfn, 0, d, ref, 0, 2048, out);
	ops[2] = copy_op(self, gfn, 0, d, ro_ref, 0, 64, out);
	ops[3] = copy_op(self, gfn, 0, NO_SUCH_DOMID, ref, 0, 64, out);
	ops[4] = copy_op(d, ro_ref, 2048, self, gfn, 2048, 2048, in);
	ops[5] = copy_op(self, gfn, 0, d, revoked_ref, 0, 64, out);
	ops[6] = copy_op(d, other_ref, 0, self, gfn, 0, 64, in);
	ops[7] = copy_op(d, ro_ref, 0, d, ref, 0, 64, in | out);
	if (hvx_gnttab_copy(ops, 8)) {
		expect("batched copy", -1, 0);
		goto out;
	}
	expect("batch: out of the writable entry", ops[0].status, HVX_GNTST_okay);
	expect("batch: back into it", ops[1].status, HVX_GNTST_okay);
	expect("batch: into the read-only entry", ops[2].status,
	       HVX_GNTST_general_error);
	expect("batch: into a domain that does not exist", ops[3].status,
	       HVX_GNTST_bad_domain);
	expect("batch: out of the read-only entry after a bad domain",
	       ops[4].status, HVX_GNTST_okay);
	expect("batch: into the revoked entry", ops[5].status,
	       HVX_GNTST_general_error);
	expect("batch: out of another domain's entry", ops[6].status,
	       HVX_GNTST_general_error);
	expect("batch: between two entries of the guest", ops[7].status,
	       HVX_GNTST_okay);
	expect("batch: both halves hold the guest's pattern",
	       holds_pattern(local, 0, PAGE_SIZE) ? 0 : -1, 0);

	/* The guest's writable page still holds its pattern. */
	status = map_status(d, ref, HVX_GNTMAP_readonly, &map);
	expect("map of the writable entry after the copies", status,
	       HVX_GNTST_okay);
	if (status == HVX_GNTST_okay) {
		const u8 *p = page_address(map.page);

		for (i = 0; i < PAGE_SIZE && p[i] == evtping_front_byte(i); i++)
			;
		expect("the writable page holds the guest's pattern",
		       i == PAGE_SIZE ? 0 : -1, 0);
		/* A copy into an entry dom0 maps works, and the map still unmaps. */
		ops[0] = copy_op(self, gfn, 0, d, ref, 0, 64, out);
		expect("copy into a mapped entry",
		       copy_status(&ops[0]), HVX_GNTST_okay);
		expect("unmap after it", unmap_status(map.handle), HVX_GNTST_okay);
	}

	/* One granter for longer than a hold, 100 bytes an op. */
	memset(page_address(local), 0, PAGE_SIZE);
	for (i = 0; i < COPY_RUN; i++)
		ops[i] = copy_op(d, ro_ref, i * 100, self, gfn, i * 100, 100, in);
	if (hvx_gnttab_copy(ops, COPY_RUN)) {
		expect("long batch", -1, 0);
		goto out;
	}
	for (i = 0; i < COPY_RUN && ops[i].status == HVX_GNTST_okay; i++)
		;
	expect("long batch: every op", i, COPY_RUN);
	expect("long batch: the copies hold the guest's pattern",
	       holds_pattern(local, 0, COPY_RUN * 100) ? 0 : -1, 0);
out:
	kfree(ops);
}

static int __init grant_hostile_init(void)
{
	struct page *local;

	if (!hvx_initial_domain())
		return -ENODEV;
	if (domid <= 0 || ref < 0 || ro_ref < 0 || revoked_ref < 0 ||
	    other_ref < 0) {
		pr_err("domid, ref, ro_ref, revoked_ref and other_ref are required\n");
		return -EINVAL;
	}
	local = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!local)
		return -ENOMEM;
	check_maps();
	check_copies(local);
	check_copy_batches(local);
	__free_page(local);
	pr_info("%u checks, %u failed\n", checks, failures);
	return failures ? -EIO : 0;
}

static void __exit grant_hostile_exit(void)
{
}

module_init(grant_hostile_init);
module_exit(grant_hostile_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx test: grant operations dom0 must be refused");
