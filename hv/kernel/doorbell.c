// SPDX-License-Identifier: GPL-2.0-only
/*
 * doorbell.c: a domU's DOORBELL, a KVM ioeventfd that hv.ko polls the way
 * KVM polls an irqfd: a wait-queue entry on the eventfd. Its wakeup runs
 * inside eventfd_signal(), where another eventfd may not be signalled, so it
 * only queues an irq_work; the irq_work takes the send bitmap and sends.
 * No exit to the VMM on this path.
 *
 * Throttling: each domain may have hv.ko scan its send bitmap at most
 * doorbell_rate times a second, counted in windows of 10 ms. Past the
 * budget the scan waits for the next window (a timer); nothing is lost,
 * since the bits stay in the send page until a scan takes them, but a
 * guest ringing in a tight loop costs dom0 a bounded amount of work.
 */
#define pr_fmt(fmt) "hv: " fmt

#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/moduleparam.h>
#include <linux/poll.h>
#include <linux/sysfs.h>
#include "doorbell.h"
#include "domain.h"
#include "evtchn.h"

static unsigned int doorbell_rate = 50000;
module_param(doorbell_rate, uint, 0644);
MODULE_PARM_DESC(doorbell_rate,
		 "send-bitmap scans per second allowed to each domU (0: no limit)");

static atomic_long_t doorbell_throttled = ATOMIC_LONG_INIT(0);

static int throttled_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&doorbell_throttled));
}

static const struct kernel_param_ops throttled_ops = {
	.get = throttled_get,
};
module_param_cb(doorbell_throttled, &throttled_ops, NULL, 0444);
MODULE_PARM_DESC(doorbell_throttled,
		 "times a domU's doorbell waited for its next window (all domains)");

#define WINDOW_MS 10

/* Runs in the irq_work only, so the window needs no lock. */
static bool doorbell_over_budget(struct xhv_doorbell *db)
{
	unsigned long window = max(msecs_to_jiffies(WINDOW_MS), 1UL);
	unsigned int rate = READ_ONCE(doorbell_rate), budget;

	if (!rate)
		return false;
	budget = max_t(unsigned int, 1,
		       div_u64((u64)rate * jiffies_to_msecs(window), MSEC_PER_SEC));
	if (time_after_eq(jiffies, db->window_start + window)) {
		db->window_start = jiffies;
		db->window_scans = 0;
	}
	if (db->window_scans < budget) {
		db->window_scans++;
		return false;
	}
	if (!READ_ONCE(db->stopping) && !timer_pending(&db->resume))
		mod_timer(&db->resume, db->window_start + window);
	atomic_long_inc(&doorbell_throttled);
	return true;
}

static void doorbell_work(struct irq_work *work)
{
	struct xhv_doorbell *db = container_of(work, struct xhv_doorbell, work);
	struct xhv_domain *d = container_of(db, struct xhv_domain, doorbell);

	if (!doorbell_over_budget(db))
		xhv_evtchn_doorbell(d);
}

static void doorbell_resume(struct timer_list *t)
{
	struct xhv_doorbell *db = from_timer(db, t, resume);

	if (!READ_ONCE(db->stopping))
		irq_work_queue(&db->work);
}

static int doorbell_wakeup(wait_queue_entry_t *wait, unsigned int mode,
			   int sync, void *key)
{
	struct xhv_doorbell *db = container_of(wait, struct xhv_doorbell, wait);
	__poll_t flags = key_to_poll(key);
	u64 count;

	if (flags & EPOLLIN) {
		/* Called with the eventfd's wait-queue lock held. */
		eventfd_ctx_do_read(db->ctx, &count);
		irq_work_queue(&db->work);
	}
	return 0;
}

static void doorbell_queue_proc(struct file *file, wait_queue_head_t *wqh,
				poll_table *pt)
{
	struct xhv_doorbell *db = container_of(pt, struct xhv_doorbell, pt);

	db->wqh = wqh;
	add_wait_queue(wqh, &db->wait);
}

void xhv_doorbell_init(struct xhv_domain *d)
{
	init_irq_work(&d->doorbell.work, doorbell_work);
	timer_setup(&d->doorbell.resume, doorbell_resume, 0);
}

static void doorbell_detach(struct xhv_doorbell *db)
{
	u64 count;

	if (!db->ctx)
		return;
	eventfd_ctx_remove_wait_queue(db->ctx, &db->wait, &count);
	/* No new work from the eventfd; then none from the timer either. */
	WRITE_ONCE(db->stopping, true);
	del_timer_sync(&db->resume);
	irq_work_sync(&db->work);
	del_timer_sync(&db->resume);
	eventfd_ctx_put(db->ctx);
	db->ctx = NULL;
	db->wqh = NULL;
}

int xhv_doorbell_set(struct xhv_domain *d, int fd)
{
	struct xhv_doorbell *db = &d->doorbell;
	struct eventfd_ctx *ctx;
	struct fd f;
	__poll_t events;

	doorbell_detach(db);
	if (fd < 0)
		return 0;
	f = fdget(fd);
	if (!f.file)
		return -EBADF;
	ctx = eventfd_ctx_fileget(f.file);
	if (IS_ERR(ctx)) {
		fdput(f);
		return PTR_ERR(ctx);
	}
	db->ctx = ctx;
	WRITE_ONCE(db->stopping, false);
	init_waitqueue_func_entry(&db->wait, doorbell_wakeup);
	init_poll_funcptr(&db->pt, doorbell_queue_proc);
	events = vfs_poll(f.file, &db->pt);
	fdput(f);
	if (!db->wqh) {
		eventfd_ctx_put(ctx);
		db->ctx = NULL;
		return -EINVAL;
	}
	/* A ring that came before we listened. */
	if (events & EPOLLIN)
		irq_work_queue(&db->work);
	return 0;
}

void xhv_doorbell_teardown(struct xhv_domain *d)
{
	doorbell_detach(&d->doorbell);
}
