// SPDX-License-Identifier: GPL-2.0-only
/*
 * grant.c: grant tables v1. A domain's table is made of its own pages,
 * registered frame by frame (XENMAPSPACE_grant_table); entries are
 * {flags, domid, frame} as Xen lays them out. dom0 backends map entries
 * (zero copy: they get the granter's page, referenced) and copy through
 * them in batches.
 *
 * In-use bits: while an entry is mapped, GTF_reading is set, and also
 * GTF_writing while a writable mapping exists, as Xen does. flags and domid
 * form one 32-bit word that is changed only by compare-and-exchange, so a
 * granter that revokes the entry concurrently either wins (the map fails)
 * or sees the in-use bits. A mapping holds a reference on the granter's
 * page and domain: the page outlives the granter until dom0 unmaps it.
 */
#define pr_fmt(fmt) "hv: " fmt

#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include "../../include/xen/hvx/core.h"
#include "../../include/xen/hvx/fastcopy.h"
#include "domain.h"
#include "grant.h"
#include "reservation.h"
#include "grant_entry.h"
#include "maptrack.h"

#define GRANT_CMPXCHG_TRIES 16

/* dom0's mappings (maptrack.c); taken before any granter's grant_lock. */
static DEFINE_MUTEX(maptrack_lock);

int xhv_grant_init(struct xhv_domain *d)
{
	mutex_init(&d->grant_lock);
	d->grant_frames = kcalloc(HVX_GNTTAB_DEFAULT_MAX_FRAMES,
				  sizeof(*d->grant_frames), GFP_KERNEL);
	d->grant_pins = kcalloc(HVX_GNTTAB_DEFAULT_MAX_FRAMES,
				sizeof(*d->grant_pins), GFP_KERNEL);
	if (d->grant_frames && d->grant_pins)
		return 0;
	xhv_grant_free(d);
	return -ENOMEM;
}

void xhv_grant_free(struct xhv_domain *d)
{
	u32 i;

	kfree(d->grant_frames);
	d->grant_frames = NULL;
	for (i = 0; d->grant_pins && i < HVX_GNTTAB_DEFAULT_MAX_FRAMES; i++)
		kfree(d->grant_pins[i]);
	kfree(d->grant_pins);
	d->grant_pins = NULL;
}

void xhv_grant_teardown(struct xhv_domain *d)
{
	u32 i;

	mutex_lock(&d->grant_lock);
	for (i = 0; i < d->nr_grant_frames; i++)
		xhv_unpin(&d->grant_frames[i]);
	d->nr_grant_frames = 0;
	mutex_unlock(&d->grant_lock);
}

int xhv_grant_add_frame(struct xhv_domain *d, u64 idx, u64 gfn)
{
	struct xhv_pinned pin, old = { 0 };
	u32 *pins = NULL;
	int err;

	if (idx >= HVX_GNTTAB_DEFAULT_MAX_FRAMES)
		return -EINVAL;
	err = xhv_pin(d, gfn, &pin);
	if (err)
		return err;
	mutex_lock(&d->grant_lock);
	if (!d->grant_pins[idx]) {
		/* The slot's first frame: its pin counts come with it. */
		mutex_unlock(&d->grant_lock);
		pins = kcalloc(HVX_GRANT_ENTRIES_PER_FRAME, sizeof(*pins), GFP_KERNEL);
		if (!pins) {
			xhv_unpin(&pin);
			return -ENOMEM;
		}
		mutex_lock(&d->grant_lock);
	}
	if (d->dead || idx > d->nr_grant_frames) {
		mutex_unlock(&d->grant_lock);
		xhv_unpin(&pin);
		kfree(pins);
		return d->dead ? -ESRCH : -EINVAL;
	}
	if (!d->grant_pins[idx]) {
		d->grant_pins[idx] = pins;
		pins = NULL;
	}
	if (idx < d->nr_grant_frames)
		old = d->grant_frames[idx];
	else
		d->nr_grant_frames++;
	d->grant_frames[idx] = pin;
	mutex_unlock(&d->grant_lock);
	xhv_unpin(&old);
	kfree(pins);	/* another call installed the slot's counts first */
	return 0;
}

int xhv_grant_query_size(struct xhv_domain *d, u32 *nr, u32 *max)
{
	mutex_lock(&d->grant_lock);
	*nr = d->nr_grant_frames;
	mutex_unlock(&d->grant_lock);
	*max = HVX_GNTTAB_DEFAULT_MAX_FRAMES;
	return 0;
}

/* The frames of the first @nr table frames; GNTST_* */
int xhv_grant_setup_table(struct xhv_domain *d, u32 nr, u64 *frames)
{
	int status = HVX_GNTST_okay;
	u32 i;

	if (nr > HVX_GNTTAB_DEFAULT_MAX_FRAMES)
		return HVX_GNTST_general_error;
	mutex_lock(&d->grant_lock);
	if (nr > d->nr_grant_frames)
		status = HVX_GNTST_general_error;
	else
		for (i = 0; i < nr; i++)
			frames[i] = d->grant_frames[i].gfn;
	mutex_unlock(&d->grant_lock);
	return status;
}

/*
 * The domain whose grant @domid names, referenced, or NULL: dom0 never
 * grants to itself through hv.ko, and reserved ids (DOMID_SELF...) name
 * no granter.
 */
static struct xhv_domain *granter_get(u16 domid)
{
	if (domid == 0 || domid >= HVX_DOMID_FIRST_RESERVED)
		return NULL;
	return xhv_domain_get(domid);
}

static u32 *entry_word(struct xhv_domain *d, u32 ref)
{
	struct hvx_grant_entry_v1 *e;

	e = d->grant_frames[ref / HVX_GRANT_ENTRIES_PER_FRAME].va;
	return (u32 *)&e[ref % HVX_GRANT_ENTRIES_PER_FRAME];
}

static u32 *entry_frame(struct xhv_domain *d, u32 ref)
{
	return entry_word(d, ref) + 1;
}

/*
 * Where @ref's mapping counts live (readers << 16 | writers), NULL past
 * every frame slot the table has had. Under grant_lock.
 */
static u32 *grant_pins_slot(struct xhv_domain *g, u32 ref)
{
	u32 frame = ref / HVX_GRANT_ENTRIES_PER_FRAME;

	if (frame >= HVX_GNTTAB_DEFAULT_MAX_FRAMES || !g->grant_pins[frame])
		return NULL;
	return &g->grant_pins[frame][ref % HVX_GRANT_ENTRIES_PER_FRAME];
}

/*
 * Set the in-use bits of entry @ref of @g for @mapper, if the entry lets
 * it: GNTST_okay with the bits this call added in *@added (if not NULL),
 * or Xen's status. Called with g->grant_lock held.
 */
static int entry_set_in_use(struct xhv_domain *g, u32 ref, u16 mapper,
			    bool readonly, u32 *added)
{
	u32 *word, old, new;
	int tries, status;

	if (g->dead)
		return HVX_GNTST_bad_domain;
	if (!xhv_grant_ref_in_table(ref, g->nr_grant_frames))
		return HVX_GNTST_bad_gntref;
	word = entry_word(g, ref);
	for (tries = 0; tries < GRANT_CMPXCHG_TRIES; tries++) {
		old = READ_ONCE(*word);
		status = xhv_grant_pin_word(old, mapper, readonly, &new);
		if (status != HVX_GNTST_okay)
			return status;
		if (cmpxchg(word, old, new) == old) {
			if (added)
				*added = new & ~old;
			return HVX_GNTST_okay;
		}
	}
	return HVX_GNTST_general_error;
}

/* Clear in-use bits @clear of entry @ref. Called with g->grant_lock held. */
static void entry_clear_in_use(struct xhv_domain *g, u32 ref, u32 clear)
{
	u32 *word, old;
	int tries;

	/* A dead granter's table pages are gone; nobody looks at its flags. */
	if (!clear || g->dead || !xhv_grant_ref_in_table(ref, g->nr_grant_frames))
		return;
	word = entry_word(g, ref);
	for (tries = 0; tries < GRANT_CMPXCHG_TRIES; tries++) {
		old = READ_ONCE(*word);
		if (cmpxchg(word, old, old & ~clear) == old)
			return;
	}
}

/*
 * Clear the in-use bits that no mapping of @ref left in the counts needs
 * (all of them once none is left). Called with g->grant_lock held.
 */
static void entry_clear_unneeded(struct xhv_domain *g, u32 ref)
{
	u32 *slot = grant_pins_slot(g, ref), pins = slot ? *slot : 0;

	entry_clear_in_use(g, ref, xhv_grant_unpin_bits(pins >> 16, pins & 0xffff));
}

/*
 * Take a pin on entry @ref of @g for domain @mapper; on success returns
 * GNTST_okay and the granted frame. Called with g->grant_lock held.
 */
static int grant_acquire(struct xhv_domain *g, u32 ref, u16 mapper,
			 bool readonly, u32 *frame)
{
	u32 added, readers, writers, *slot;
	int status;

	status = entry_set_in_use(g, ref, mapper, readonly, &added);
	if (status != HVX_GNTST_okay)
		return status;
	/* An entry inside the table has its slot's counts (add_frame). */
	slot = grant_pins_slot(g, ref);
	if (WARN_ON_ONCE(!slot) || (*slot >> 16) == 0xffff) {
		/* Undo the bits this pin set; pins only change under the lock. */
		entry_clear_in_use(g, ref, added);
		return HVX_GNTST_no_device_space;
	}
	/* A writer is a reader too, so writers stay below the cap. */
	readers = (*slot >> 16) + 1;
	writers = (*slot & 0xffff) + !readonly;
	*slot = readers << 16 | writers;
	*frame = READ_ONCE(*entry_frame(g, ref));
	return HVX_GNTST_okay;
}

/* Drop a pin taken by grant_acquire(). Called with g->grant_lock held. */
static void grant_release(struct xhv_domain *g, u32 ref, bool readonly)
{
	u32 *slot = grant_pins_slot(g, ref), readers, writers;

	readers = slot ? *slot >> 16 : 0;
	writers = slot ? *slot & 0xffff : 0;
	if (WARN_ON_ONCE(!readers || (!readonly && !writers)))
		return;
	readers--;
	writers -= !readonly;
	*slot = readers << 16 | writers;
	entry_clear_unneeded(g, ref);
}

/* Grants mapped or unmapped under one hold of the locks. */
#define MAP_BATCH 32

/*
 * Map @n (<= MAP_BATCH) ops that all name granter @g (referenced by the
 * caller), under one hold of the maptrack lock and of the granter's
 * lock. Each mapping takes a reference of its own on @g.
 */
static void map_batch(struct xhv_domain *g, struct hvx_grant_map_op *ops,
		      unsigned int n)
{
	unsigned int i;

	mutex_lock(&maptrack_lock);
	mutex_lock(&g->grant_lock);
	for (i = 0; i < n; i++) {
		bool readonly = ops[i].flags & HVX_GNTMAP_readonly;
		struct xhv_grant_mapping *m;
		struct page *page;
		u32 frame, handle;
		int status;

		m = xhv_maptrack_take(&handle);
		if (!m) {
			ops[i].status = HVX_GNTST_no_device_space;
			continue;
		}
		status = grant_acquire(g, ops[i].ref, 0, readonly, &frame);
		if (status == HVX_GNTST_okay) {
			page = xhv_frame_page(g, frame);
			if (IS_ERR(page)) {
				grant_release(g, ops[i].ref, readonly);
				status = HVX_GNTST_bad_page;
			} else if (xhv_reservation_frame_mapped(g, frame, true)) {
				/* The frame may not be given back while dom0 maps it. */
				grant_release(g, ops[i].ref, readonly);
				put_page(page);
				status = HVX_GNTST_no_device_space;
			}
		}
		ops[i].status = status;
		if (status != HVX_GNTST_okay) {
			xhv_maptrack_give_back(handle);
			continue;
		}
		m->granter = g;
		m->frame = frame;
		m->ref = ops[i].ref;
		m->readonly = readonly;
		m->page = page;
		ops[i].handle = handle;
		ops[i].page = page;
		kref_get(&g->ref);
		atomic64_inc(&xhv_nr_grant_maps);
	}
	mutex_unlock(&g->grant_lock);
	mutex_unlock(&maptrack_lock);
}

int xhv_grant_map(struct hvx_grant_map_op *ops, unsigned int count)
{
	unsigned int i, n;

	for (i = 0; i < count; i += n) {
		struct xhv_domain *g = NULL;
		u16 domid = ops[i].domid;

		/* A run of ops of one granter, at most MAP_BATCH. */
		for (n = 0; i + n < count && n < MAP_BATCH &&
		     ops[i + n].domid == domid; n++)
			ops[i + n].page = NULL;
		g = granter_get(domid);
		if (!g) {
			unsigned int j;

			for (j = 0; j < n; j++)
				ops[i + j].status = HVX_GNTST_bad_domain;
			continue;
		}
		map_batch(g, ops + i, n);
		xhv_domain_put(g);
	}
	return 0;
}

/*
 * Unmap @n (<= MAP_BATCH) ops under one hold of the maptrack lock, each
 * granter's lock once per run of ops of that granter. The pages and the
 * granters' references go after the locks.
 */
static void unmap_batch(struct hvx_grant_map_op *ops, unsigned int n)
{
	struct xhv_domain *granters[MAP_BATCH], *locked = NULL;
	struct page *pages[MAP_BATCH];
	unsigned int i;

	mutex_lock(&maptrack_lock);
	for (i = 0; i < n; i++) {
		struct xhv_grant_mapping *m = xhv_maptrack_find(ops[i].handle);

		granters[i] = NULL;
		ops[i].status = m ? HVX_GNTST_okay : HVX_GNTST_bad_handle;
		if (!m)
			continue;
		if (m->granter != locked) {
			if (locked)
				mutex_unlock(&locked->grant_lock);
			locked = m->granter;
			mutex_lock(&locked->grant_lock);
		}
		grant_release(m->granter, m->ref, m->readonly);
		xhv_reservation_frame_mapped(m->granter, m->frame, false);
		granters[i] = m->granter;
		pages[i] = m->page;
		xhv_maptrack_give_back(ops[i].handle);
	}
	if (locked)
		mutex_unlock(&locked->grant_lock);
	mutex_unlock(&maptrack_lock);
	for (i = 0; i < n; i++) {
		if (!granters[i])
			continue;
		put_page(pages[i]);
		xhv_domain_put(granters[i]);
		atomic64_dec(&xhv_nr_grant_maps);
		ops[i].page = NULL;
	}
}

int xhv_grant_unmap(struct hvx_grant_map_op *ops, unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i += MAP_BATCH)
		unmap_batch(ops + i, min_t(unsigned int, count - i, MAP_BATCH));
	return 0;
}

/* dom0's own frame @ptr names (DOMID_SELF or 0), referenced: GNTST_*. */
static int local_frame(const struct hvx_gnttab_copy_ptr *ptr,
		       struct page **page)
{
	if (ptr->domid != HVX_DOMID_SELF && ptr->domid != 0)
		return HVX_GNTST_permission_denied;
	*page = xhv_frame_page(&xhv_dom0, ptr->u.gmfn);
	if (IS_ERR(*page)) {
		*page = NULL;
		return HVX_GNTST_bad_page;
	}
	return HVX_GNTST_okay;
}

/*
 * Copies with at most one granted side (what backends send: dom0's frame
 * to or from a guest's grant) run under a hold of the granter's grant
 * lock that consecutive ops naming the same granter share, up to
 * MAP_BATCH ops. The entry is pinned for the copy alone: its in-use bits
 * are set, the bytes copied and the bits cleared again within the hold,
 * so no mapping count changes meanwhile and the counts are not touched.
 */
struct copy_hold {
	struct xhv_domain *g;	/* referenced, grant_lock held; or NULL */
};

static void copy_hold_end(struct copy_hold *h)
{
	if (!h->g)
		return;
	mutex_unlock(&h->g->grant_lock);
	xhv_domain_put(h->g);
	h->g = NULL;
}

/* Hold the grant lock of domain @domid: GNTST_okay or bad_domain. */
static int copy_hold_take(struct copy_hold *h, u16 domid)
{
	if (h->g && h->g->domid == domid)
		return HVX_GNTST_okay;
	copy_hold_end(h);
	h->g = granter_get(domid);
	if (!h->g)
		return HVX_GNTST_bad_domain;
	mutex_lock(&h->g->grant_lock);
	return HVX_GNTST_okay;
}

/*
 * How a grant copy moves its bytes (fastcopy.h): 1 through registers, 0
 * by memcpy(); -1 at load asks xhv_grant_copy_choose() to time both.
 */
static int copy_regs = -1;
module_param(copy_regs, int, 0644);
MODULE_PARM_DESC(copy_regs, "grant copies: 1 through registers, 0 by memcpy() (-1 at load: time both, keep the faster)");

void xhv_grant_copy_choose(void)
{
	u64 ns_memcpy, ns_regs;
	bool regs;

	if (copy_regs >= 0)
		return;
	regs = hvx_copy_choose(&ns_memcpy, &ns_regs);
	WRITE_ONCE(copy_regs, regs);
	pr_info("grant copies go by %s (a page: memcpy %llu ns, registers %llu ns)\n",
		regs ? "registers" : "memcpy", ns_memcpy, ns_regs);
}

static void copy_pages(const struct hvx_gnttab_copy *op, struct page *src,
		       struct page *dst)
{
	hvx_copy(READ_ONCE(copy_regs) > 0, page_address(dst) + op->dest.offset,
		 page_address(src) + op->source.offset, op->len);
	set_page_dirty(dst);
}

/*
 * Pin entry @ref of @g for one copy and get its page, referenced: GNTST_*.
 * Called with g->grant_lock held; entry_clear_unneeded() before letting
 * go of it.
 */
static int copy_pin(struct xhv_domain *g, u32 ref, bool writing,
		    struct page **page)
{
	int status;

	status = entry_set_in_use(g, ref, 0, !writing, NULL);
	if (status != HVX_GNTST_okay)
		return status;
	*page = xhv_frame_page(g, READ_ONCE(*entry_frame(g, ref)));
	if (!IS_ERR(*page))
		return HVX_GNTST_okay;
	*page = NULL;
	entry_clear_unneeded(g, ref);
	return HVX_GNTST_bad_page;
}

/* @op (arguments checked, at most one granted side) under hold @h. */
static int copy_held(struct copy_hold *h, const struct hvx_gnttab_copy *op)
{
	const struct hvx_gnttab_copy_ptr *side[2] = { &op->source, &op->dest };
	struct page *page[2] = { NULL, NULL };
	int granted = -1, status = HVX_GNTST_okay, i;

	if (op->flags & HVX_GNTCOPY_source_gref)
		granted = 0;
	else if (op->flags & HVX_GNTCOPY_dest_gref)
		granted = 1;
	for (i = 0; i < 2 && status == HVX_GNTST_okay; i++)
		if (i != granted)
			status = local_frame(side[i], &page[i]);
	if (status == HVX_GNTST_okay && granted >= 0) {
		status = copy_hold_take(h, side[granted]->domid);
		if (status == HVX_GNTST_okay)
			status = copy_pin(h->g, side[granted]->u.ref, granted == 1,
					  &page[granted]);
	}
	if (status == HVX_GNTST_okay) {
		copy_pages(op, page[0], page[1]);
		if (granted >= 0)
			entry_clear_unneeded(h->g, side[granted]->u.ref);
	}
	for (i = 0; i < 2; i++)
		if (page[i])
			put_page(page[i]);
	return status;
}

/*
 * An op with two granted sides: a counted pin on each (grant_acquire), one
 * granter's lock at a time, so two granters never lock each other.
 */
struct copy_side {
	struct xhv_domain *granter;
	u32 ref;
	bool readonly;
	struct page *page;
};

static int copy_side_get(const struct hvx_gnttab_copy_ptr *ptr, bool writing,
			 struct copy_side *side)
{
	u32 frame;
	int status;

	memset(side, 0, sizeof(*side));
	side->granter = granter_get(ptr->domid);
	if (!side->granter)
		return HVX_GNTST_bad_domain;
	side->ref = ptr->u.ref;
	side->readonly = !writing;
	mutex_lock(&side->granter->grant_lock);
	status = grant_acquire(side->granter, side->ref, 0, !writing, &frame);
	if (status == HVX_GNTST_okay) {
		side->page = xhv_frame_page(side->granter, frame);
		if (IS_ERR(side->page)) {
			side->page = NULL;
			grant_release(side->granter, side->ref, !writing);
			status = HVX_GNTST_bad_page;
		}
	}
	mutex_unlock(&side->granter->grant_lock);
	if (status != HVX_GNTST_okay) {
		xhv_domain_put(side->granter);
		side->granter = NULL;
	}
	return status;
}

static void copy_side_put(struct copy_side *side)
{
	if (!side->page)
		return;
	put_page(side->page);
	mutex_lock(&side->granter->grant_lock);
	grant_release(side->granter, side->ref, side->readonly);
	mutex_unlock(&side->granter->grant_lock);
	xhv_domain_put(side->granter);
}

static int copy_two_granted(const struct hvx_gnttab_copy *op)
{
	struct copy_side src, dst;
	int status;

	status = copy_side_get(&op->source, false, &src);
	if (status != HVX_GNTST_okay)
		return status;
	status = copy_side_get(&op->dest, true, &dst);
	if (status == HVX_GNTST_okay) {
		copy_pages(op, src.page, dst.page);
		copy_side_put(&dst);
	}
	copy_side_put(&src);
	return status;
}

int xhv_grant_copy(struct hvx_gnttab_copy *ops, unsigned int count)
{
	const u16 both = HVX_GNTCOPY_source_gref | HVX_GNTCOPY_dest_gref;
	struct copy_hold hold = { NULL };
	unsigned int i;
	int status;

	for (i = 0; i < count; i++) {
		struct hvx_gnttab_copy *op = &ops[i];

		if (i && i % MAP_BATCH == 0) {
			copy_hold_end(&hold);
			cond_resched();
		}
		status = xhv_grant_copy_args(op->flags, op->source.offset,
					     op->dest.offset, op->len);
		if (status == HVX_GNTST_okay && (op->flags & both) == both) {
			copy_hold_end(&hold);
			status = copy_two_granted(op);
		} else if (status == HVX_GNTST_okay) {
			status = copy_held(&hold, op);
		}
		op->status = status;
	}
	copy_hold_end(&hold);
	return 0;
}

/* Module exit: the core unregistered first, so no backend maps any more. */
void xhv_grant_exit(void)
{
	xhv_maptrack_exit();
}
