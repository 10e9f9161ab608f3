// SPDX-License-Identifier: GPL-2.0-only
/*
 * worker.c: moves the guest towards its target. Inflating takes pages from
 * the guest's allocator (never pushing it into reclaim or OOM), scrubs
 * them if asked, and gives their frames back with
 * XENMEM_decrease_reservation; deflating asks for frames back with
 * XENMEM_populate_physmap and frees the pages to the guest. Work goes in
 * batches of one hypercall; when the guest cannot spare memory or the
 * hypervisor says no, the worker stops short, says so, and tries again
 * later with a growing delay.
 */
#define pr_fmt(fmt) "balloon: " fmt

#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/workqueue.h>
#include "../../../include/xen/hvx/core.h"
#include "balloon.h"

#define BATCH		256		/* frames per hypercall (the block holds ~500) */
#define PASS_BATCHES	64		/* batches per worker run before yielding */
#define RESERVE_MIN_MIB	32		/* free memory the guest always keeps */

struct hvx_balloon_stats hvx_balloon_stats = {
	.schedule_delay = 1,
	.max_schedule_delay = 32,
	.retry_count = 1,
	.max_retry_count = 16,
};

bool hvx_balloon_scrub = true;

enum pass_result { PASS_OK, PASS_RETRY, PASS_STOP };

static void balloon_process(struct work_struct *work);
static DECLARE_DELAYED_WORK(balloon_work, balloon_process);

/* Guards the stats, the list and the batch arrays. */
static DEFINE_MUTEX(balloon_lock);
static LIST_HEAD(ballooned);		/* pages given back, linked by ->lru */
static u64 frames[BATCH];
static struct page *batch[BATCH];
static bool stopping;

/*
 * Memory the guest keeps free whatever the target: the larger of
 * RESERVE_MIN_MIB and 1/32 of its memory. Below it, inflating stops.
 */
static unsigned long reserve_pages(void)
{
	return max_t(unsigned long, totalram_pages() / 32,
		     RESERVE_MIN_MIB << (20 - PAGE_SHIFT));
}

static long reservation_op(unsigned int cmd, unsigned int nr)
{
	struct hvx_memory_reservation r = {
		.extent_start = (u64)(uintptr_t)frames,
		.nr_extents = nr,
		.extent_order = 0,
		.domid = HVX_DOMID_SELF,
	};

	return hvx_memory_op(cmd, &r);
}

static enum pass_result inflate(unsigned long want)
{
	unsigned int n = min_t(unsigned long, want, BATCH), i, k;
	long avail = si_mem_available() - (long)reserve_pages();
	long done;

	for (i = 0; i < n && avail > 0; i++, avail--) {
		struct page *page = alloc_page(GFP_HIGHUSER | __GFP_NORETRY |
					       __GFP_NOWARN | __GFP_NOMEMALLOC);

		if (!page)
			break;
		if (hvx_balloon_scrub)
			clear_highpage(page);
		batch[i] = page;
		frames[i] = hvx_page_to_gfn(page);
	}
	if (!i)
		return PASS_RETRY;
	done = reservation_op(HVX_XENMEM_decrease_reservation, i);
	if (done < 0 || done > i) {
		pr_warn_ratelimited("decrease_reservation of %u pages: %ld\n", i, done);
		done = 0;
	}
	for (k = 0; k < done; k++) {
		adjust_managed_page_count(batch[k], -1);
		list_add(&batch[k]->lru, &ballooned);
	}
	for (; k < i; k++)
		__free_page(batch[k]);
	hvx_balloon_stats.current_pages -= done;
	hvx_balloon_stats.balloon_low += done;
	return done == n ? PASS_OK : PASS_RETRY;
}

static enum pass_result deflate(unsigned long want)
{
	unsigned int n = min_t(unsigned long, min_t(unsigned long, want, BATCH),
			       hvx_balloon_stats.balloon_low);
	struct page *page;
	unsigned int i = 0;
	long done;

	if (!n)
		return PASS_STOP;	/* nothing given back to take again */
	list_for_each_entry(page, &ballooned, lru) {
		batch[i] = page;
		frames[i] = hvx_page_to_gfn(page);
		if (++i == n)
			break;
	}
	done = reservation_op(HVX_XENMEM_populate_physmap, n);
	if (done < 0 || done > n) {
		pr_warn_ratelimited("populate_physmap of %u pages: %ld\n", n, done);
		done = 0;
	}
	for (i = 0; i < done; i++) {
		page = batch[i];
		list_del(&page->lru);
		adjust_managed_page_count(page, 1);
		__free_page(page);
	}
	hvx_balloon_stats.current_pages += done;
	hvx_balloon_stats.balloon_low -= done;
	return done == n ? PASS_OK : PASS_RETRY;
}

static void balloon_process(struct work_struct *work)
{
	struct hvx_balloon_stats *st = &hvx_balloon_stats;
	enum pass_result res = PASS_OK;
	unsigned int passes = 0;
	long credit;

	mutex_lock(&balloon_lock);
	for (;;) {
		credit = (long)st->target_pages - (long)st->current_pages;
		if (!credit || stopping)
			break;
		res = credit > 0 ? deflate(credit) : inflate(-credit);
		if (res != PASS_OK)
			break;
		if (++passes == PASS_BATCHES) {
			/* Let others run; carry on at once. */
			queue_delayed_work(system_freezable_wq, &balloon_work, 0);
			goto out;
		}
		cond_resched();
	}
	st->short_pages = abs(credit);
	if (!credit || stopping) {
		st->retry_count = 1;
		st->schedule_delay = 1;
	} else if (res == PASS_STOP) {
		pr_info("target is %lu kB above what this guest gave back: it stays at %lu kB\n",
			st->short_pages << (PAGE_SHIFT - 10),
			st->current_pages << (PAGE_SHIFT - 10));
	} else if (st->max_retry_count && st->retry_count >= st->max_retry_count) {
		pr_warn("gave up %lu kB short of the target after %lu tries\n",
			st->short_pages << (PAGE_SHIFT - 10), st->retry_count);
	} else {
		if (st->retry_count == 1)
			pr_info("%s stopped %lu kB short of the target; retrying\n",
				credit < 0 ? "guest cannot spare memory:" :
					     "hypervisor refused memory:",
				st->short_pages << (PAGE_SHIFT - 10));
		queue_delayed_work(system_freezable_wq, &balloon_work,
				   st->schedule_delay * HZ);
		st->retry_count++;
		st->schedule_delay = min(st->schedule_delay * 2, st->max_schedule_delay);
	}
out:
	mutex_unlock(&balloon_lock);
}

void hvx_balloon_set_target(unsigned long pages)
{
	mutex_lock(&balloon_lock);
	hvx_balloon_stats.target_pages = pages;
	hvx_balloon_stats.retry_count = 1;
	hvx_balloon_stats.schedule_delay = 1;
	mutex_unlock(&balloon_lock);
	mod_delayed_work(system_freezable_wq, &balloon_work, 0);
}

void hvx_balloon_get_stats(struct hvx_balloon_stats *out)
{
	mutex_lock(&balloon_lock);
	*out = hvx_balloon_stats;
	mutex_unlock(&balloon_lock);
}

void hvx_balloon_set_tunable(unsigned long *field, unsigned long value)
{
	mutex_lock(&balloon_lock);
	*field = value;
	mutex_unlock(&balloon_lock);
}

int hvx_balloon_worker_init(void)
{
	hvx_domid_t self = HVX_DOMID_SELF;
	long cur, max;

	cur = hvx_memory_op(HVX_XENMEM_current_reservation, &self);
	max = hvx_memory_op(HVX_XENMEM_maximum_reservation, &self);
	if (cur <= 0 || max <= 0) {
		pr_err("the hypervisor gives no reservation (%ld, %ld)\n", cur, max);
		return cur < 0 ? (int)cur : -ENODEV;
	}
	hvx_balloon_stats.current_pages = cur;
	hvx_balloon_stats.target_pages = cur;
	hvx_balloon_stats.hard_limit = max;
	return 0;
}

/*
 * Unload: every page given back is asked for again and freed to the guest;
 * pages the hypervisor will not return are kept (leaked), never freed
 * without a frame behind them.
 */
void hvx_balloon_worker_exit(void)
{
	mutex_lock(&balloon_lock);
	stopping = true;
	mutex_unlock(&balloon_lock);
	cancel_delayed_work_sync(&balloon_work);
	mutex_lock(&balloon_lock);
	while (hvx_balloon_stats.balloon_low &&
	       deflate(hvx_balloon_stats.balloon_low) == PASS_OK)
		cond_resched();
	if (hvx_balloon_stats.balloon_low)
		pr_warn("%lu pages stay with the hypervisor: they are not freed\n",
			hvx_balloon_stats.balloon_low);
	mutex_unlock(&balloon_lock);
}
