// SPDX-License-Identifier: GPL-2.0-only
/*
 * grant.c: the grant-table API. Granting side: our table is made of pages
 * we hand to the hypervisor (XENMEM_add_to_physmap, grant_table), grown a
 * frame at a time up to the limit query_size reports; refs 0..7 stay
 * reserved for the toolstack, as Xen reserves them. An entry still mapped
 * by the peer (GTF_reading/GTF_writing) is never ended, and its page is
 * freed only after the peer lets go. Mapping side: dom0 backends go
 * through the transport (hv.ko).
 *
 * grant_lock is irq-safe: ending a grant (the _end_ calls) may come from
 * an event handler, as a zero-copy blkfront ends a request's grants when
 * its answer arrives. Granting may sleep (the table grows on demand).
 */
#define pr_fmt(fmt) "hvx_core: " fmt

#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "internal.h"

#define RETRY_DELAY	(HZ / 10)

struct deferred_end {
	struct list_head list;
	hvx_grant_ref_t ref;
	struct page *page;
	unsigned int tries;
};

static DEFINE_SPINLOCK(grant_lock);
static struct page *frames[HVX_GNTTAB_DEFAULT_MAX_FRAMES];
static unsigned int nr_frames, max_frames;
static unsigned long *free_refs;	/* bitmap: set = free; under grant_lock */
static unsigned int refs_in_use;
static LIST_HEAD(deferred);
static void deferred_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(deferred_work, deferred_work_fn);

static struct hvx_grant_entry_v1 *entry(hvx_grant_ref_t ref)
{
	struct hvx_grant_entry_v1 *e =
		page_address(frames[ref / HVX_GRANT_ENTRIES_PER_FRAME]);

	return &e[ref % HVX_GRANT_ENTRIES_PER_FRAME];
}

/*
 * Add one table frame; called without grant_lock (it may sleep). One
 * grower at a time: two CPUs adding frame N with two pages would leave the
 * hypervisor reading the second while the entries go to the first (every
 * ref in that frame broken; seen with blkfront's queues granting at once).
 * @seen is the frame count the caller found full: someone else may have
 * grown the table meanwhile, and then there is nothing to do.
 */
static int grow_table(unsigned int seen)
{
	static DEFINE_MUTEX(grow_mutex);
	struct hvx_add_to_physmap xatp = {
		.domid = HVX_DOMID_SELF,
		.space = HVX_XENMAPSPACE_grant_table,
	};
	struct page *page;
	unsigned long flags;
	unsigned int idx;
	int err = 0;

	mutex_lock(&grow_mutex);
	spin_lock_irqsave(&grant_lock, flags);
	idx = nr_frames;
	spin_unlock_irqrestore(&grant_lock, flags);
	if (idx != seen)
		goto out;
	err = -ENOSPC;
	if (idx >= max_frames)
		goto out;
	err = -ENOMEM;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		goto out;
	xatp.idx = idx;
	xatp.gpfn = page_to_pfn(page);
	err = hvx_memory_op(HVX_XENMEM_add_to_physmap, &xatp);
	if (err) {
		__free_page(page);
		goto out;
	}
	spin_lock_irqsave(&grant_lock, flags);
	frames[idx] = page;
	bitmap_set(free_refs, idx * HVX_GRANT_ENTRIES_PER_FRAME,
		   HVX_GRANT_ENTRIES_PER_FRAME);
	if (idx == 0)
		bitmap_clear(free_refs, 0, HVX_GNTTAB_NR_RESERVED_ENTRIES);
	nr_frames++;
	spin_unlock_irqrestore(&grant_lock, flags);
out:
	mutex_unlock(&grow_mutex);
	return err;
}

/* The lowest free ref, the table grown if it is full; or -errno. */
static int ref_alloc(void)
{
	hvx_grant_ref_t ref;
	int err = hvx_gnttab_reserve(1, &ref);

	return err ?: ref;
}

static void ref_free_locked(hvx_grant_ref_t ref)
{
	__set_bit(ref, free_refs);
	refs_in_use--;
}

static void ref_free(hvx_grant_ref_t ref)
{
	unsigned long flags;

	spin_lock_irqsave(&grant_lock, flags);
	ref_free_locked(ref);
	spin_unlock_irqrestore(&grant_lock, flags);
}

int hvx_gnttab_grant_foreign_access(hvx_domid_t domid, unsigned long gfn,
				    bool readonly)
{
	struct hvx_grant_entry_v1 *e;
	int ref;

	if (gfn > U32_MAX)
		return -EINVAL;
	ref = ref_alloc();
	if (ref < 0)
		return ref;
	e = entry(ref);
	e->frame = gfn;
	e->domid = domid;
	/* The peer may use the entry as soon as flags say so: fields first. */
	wmb();
	WRITE_ONCE(e->flags, HVX_GTF_permit_access | (readonly ? HVX_GTF_readonly : 0));
	return ref;
}
EXPORT_SYMBOL_GPL(hvx_gnttab_grant_foreign_access);

static bool ref_valid(hvx_grant_ref_t ref)
{
	return ref >= HVX_GNTTAB_NR_RESERVED_ENTRIES &&
	       ref < READ_ONCE(nr_frames) * HVX_GRANT_ENTRIES_PER_FRAME;
}

/* Clear the entry unless the peer has it mapped; 0 or -EBUSY. */
static int end_access(hvx_grant_ref_t ref)
{
	struct hvx_grant_entry_v1 *e = entry(ref);
	u16 flags;

	do {
		flags = READ_ONCE(e->flags);
		if (flags & (HVX_GTF_reading | HVX_GTF_writing))
			return -EBUSY;
	} while (cmpxchg(&e->flags, flags, 0) != flags);
	return 0;
}

/* A ref handed out and not yet ended (a second end must not free it twice). */
static bool ref_in_use(hvx_grant_ref_t ref)
{
	bool used;
	unsigned long flags;

	spin_lock_irqsave(&grant_lock, flags);
	used = !test_bit(ref, free_refs);
	spin_unlock_irqrestore(&grant_lock, flags);
	return used;
}

int hvx_gnttab_end_foreign_access_ref(hvx_grant_ref_t ref)
{
	int err;

	if (!ref_valid(ref) || !ref_in_use(ref))
		return -EINVAL;
	err = end_access(ref);
	if (!err)
		ref_free(ref);
	return err;
}
EXPORT_SYMBOL_GPL(hvx_gnttab_end_foreign_access_ref);

/*
 * @ref (and @page) for the retry work, the peer still mapping it: neither
 * may be reused yet. Called with grant_lock held; false if out of memory
 * (the ref and its page are then leaked, never reused).
 */
static bool defer_end_locked(hvx_grant_ref_t ref, struct page *page)
{
	struct deferred_end *d = kzalloc(sizeof(*d), GFP_ATOMIC);

	if (!d) {
		pr_warn_ratelimited("leaking grant ref %u and its page: no memory to defer\n",
				    ref);
		return false;
	}
	d->ref = ref;
	d->page = page;
	list_add_tail(&d->list, &deferred);
	return true;
}

void hvx_gnttab_end_foreign_access(hvx_grant_ref_t ref, struct page *page)
{
	unsigned long flags;
	bool deferred_one;

	if (!ref_valid(ref) || !ref_in_use(ref)) {
		pr_warn("ending grant ref %u, which is not in use\n", ref);
		return;
	}
	if (!end_access(ref)) {
		ref_free(ref);
		if (page)
			__free_page(page);
		return;
	}
	spin_lock_irqsave(&grant_lock, flags);
	deferred_one = defer_end_locked(ref, page);
	spin_unlock_irqrestore(&grant_lock, flags);
	if (deferred_one)
		schedule_delayed_work(&deferred_work, RETRY_DELAY);
}
EXPORT_SYMBOL_GPL(hvx_gnttab_end_foreign_access);

void hvx_gnttab_end_foreign_access_refs(const hvx_grant_ref_t *refs,
					unsigned int count)
{
	unsigned int i, bad = 0;
	bool deferred_any = false;
	unsigned long flags;

	spin_lock_irqsave(&grant_lock, flags);
	for (i = 0; i < count; i++) {
		hvx_grant_ref_t ref = refs[i];

		if (!ref_valid(ref) || test_bit(ref, free_refs)) {
			bad++;
			continue;
		}
		if (!end_access(ref))
			ref_free_locked(ref);
		else if (defer_end_locked(ref, NULL))
			deferred_any = true;
	}
	spin_unlock_irqrestore(&grant_lock, flags);
	if (bad)
		pr_warn_ratelimited("ending %u of %u grant refs that are not in use\n",
				    bad, count);
	if (deferred_any)
		schedule_delayed_work(&deferred_work, RETRY_DELAY);
}
EXPORT_SYMBOL_GPL(hvx_gnttab_end_foreign_access_refs);

static void deferred_work_fn(struct work_struct *work)
{
	struct deferred_end *d, *tmp;
	LIST_HEAD(todo);
	bool again = false;
	unsigned long flags;

	spin_lock_irqsave(&grant_lock, flags);
	list_splice_init(&deferred, &todo);
	spin_unlock_irqrestore(&grant_lock, flags);
	list_for_each_entry_safe(d, tmp, &todo, list) {
		if (end_access(d->ref)) {
			if (++d->tries % 100 == 0)
				pr_warn("grant ref %u still in use by its peer\n", d->ref);
			again = true;
			continue;
		}
		list_del(&d->list);
		ref_free(d->ref);
		if (d->page)
			__free_page(d->page);
		kfree(d);
	}
	spin_lock_irqsave(&grant_lock, flags);
	list_splice(&todo, &deferred);
	spin_unlock_irqrestore(&grant_lock, flags);
	if (again)
		schedule_delayed_work(&deferred_work, RETRY_DELAY);
}

int hvx_gnttab_reserve(unsigned int count, hvx_grant_ref_t *refs)
{
	unsigned int got = 0, seen, limit;
	unsigned long flags, ref;
	int err;

	while (got < count) {
		/* As many as the table holds, under one hold of the lock. */
		spin_lock_irqsave(&grant_lock, flags);
		seen = nr_frames;
		limit = seen * HVX_GRANT_ENTRIES_PER_FRAME;
		for (ref = find_first_bit(free_refs, limit); got < count && ref < limit;
		     ref = find_next_bit(free_refs, limit, ref + 1)) {
			__clear_bit(ref, free_refs);
			refs_in_use++;
			/* a ref freed by end_access has flags 0: it grants nothing */
			refs[got++] = ref;
		}
		spin_unlock_irqrestore(&grant_lock, flags);
		if (got == count)
			break;
		err = grow_table(seen);
		if (err) {
			spin_lock_irqsave(&grant_lock, flags);
			while (got--)
				ref_free_locked(refs[got]);
			spin_unlock_irqrestore(&grant_lock, flags);
			return err;
		}
	}
	return 0;
}
EXPORT_SYMBOL_GPL(hvx_gnttab_reserve);

/* No lock: the caller owns the ref; end_access's cmpxchg races only the peer. */
int hvx_gnttab_grant_reserved(hvx_grant_ref_t ref, hvx_domid_t domid,
			      unsigned long gfn, bool readonly)
{
	struct hvx_grant_entry_v1 *e;

	if (!ref_valid(ref) || gfn > U32_MAX)
		return -EINVAL;
	if (end_access(ref))
		return -EBUSY;
	e = entry(ref);
	e->frame = gfn;
	e->domid = domid;
	/* The peer may use the entry as soon as flags say so: fields first. */
	wmb();
	WRITE_ONCE(e->flags, HVX_GTF_permit_access | (readonly ? HVX_GTF_readonly : 0));
	return 0;
}
EXPORT_SYMBOL_GPL(hvx_gnttab_grant_reserved);

int hvx_gnttab_end_reserved(hvx_grant_ref_t ref)
{
	if (!ref_valid(ref))
		return -EINVAL;
	return end_access(ref);
}
EXPORT_SYMBOL_GPL(hvx_gnttab_end_reserved);

unsigned long hvx_page_to_gfn(struct page *page)
{
	return page_to_pfn(page);
}
EXPORT_SYMBOL_GPL(hvx_page_to_gfn);

unsigned int hvx_gnttab_refs_in_use(void)
{
	return READ_ONCE(refs_in_use);
}
EXPORT_SYMBOL_GPL(hvx_gnttab_refs_in_use);

#define TRANSPORT_CALL(op, ...)						\
	({								\
		const struct hvx_transport_ops *t;			\
		int idx, ret;						\
									\
		t = hvx_transport_enter(&idx);				\
		ret = t && t->op ? t->op(__VA_ARGS__) : -ENODEV;	\
		hvx_transport_exit(idx);				\
		ret;							\
	})

int hvx_gnttab_map(struct hvx_grant_map_op *ops, unsigned int count)
{
	return TRANSPORT_CALL(grant_map, ops, count);
}
EXPORT_SYMBOL_GPL(hvx_gnttab_map);

int hvx_gnttab_unmap(struct hvx_grant_map_op *ops, unsigned int count)
{
	return TRANSPORT_CALL(grant_unmap, ops, count);
}
EXPORT_SYMBOL_GPL(hvx_gnttab_unmap);

int hvx_gnttab_copy(struct hvx_gnttab_copy *ops, unsigned int count)
{
	return TRANSPORT_CALL(grant_copy, ops, count);
}
EXPORT_SYMBOL_GPL(hvx_gnttab_copy);

int hvx_grant_transport_up(void)
{
	struct hvx_gnttab_query_size q = { .dom = HVX_DOMID_SELF };
	int err;

	err = hvx_grant_table_op(HVX_GNTTABOP_query_size, &q, 1);
	if (err || q.status != HVX_GNTST_okay)
		return err ?: -EIO;
	max_frames = min_t(u32, q.max_nr_frames, HVX_GNTTAB_DEFAULT_MAX_FRAMES);
	free_refs = bitmap_zalloc(max_frames * HVX_GRANT_ENTRIES_PER_FRAME, GFP_KERNEL);
	if (!free_refs)
		return -ENOMEM;
	nr_frames = 0;
	refs_in_use = 0;
	err = grow_table(0);
	if (err) {
		bitmap_free(free_refs);
		free_refs = NULL;
	}
	return err;
}

void hvx_grant_transport_down(void)
{
	unsigned int i;

	cancel_delayed_work_sync(&deferred_work);
	if (!list_empty(&deferred) || refs_in_use)
		pr_warn("%u grant refs still in use as the transport goes\n",
			refs_in_use);
	/* The hypervisor drops its references on our frames with the transport. */
	for (i = 0; i < nr_frames; i++)
		__free_page(frames[i]);
	nr_frames = 0;
	bitmap_free(free_refs);
	free_refs = NULL;
}

#if IS_ENABLED(CONFIG_HVX_DEBUG)
/* For the self-tests: entry @ref as the peer reads it. */
void hvx_gnttab_peek(hvx_grant_ref_t ref, u16 *flags, u16 *domid, u32 *frame)
{
	struct hvx_grant_entry_v1 *e;

	*flags = 0;
	*domid = 0;
	*frame = 0;
	if (!ref_valid(ref))
		return;
	e = entry(ref);
	*flags = READ_ONCE(e->flags);
	*domid = READ_ONCE(e->domid);
	*frame = READ_ONCE(e->frame);
}
#endif
