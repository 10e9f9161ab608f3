// SPDX-License-Identifier: GPL-2.0-only
/*
 * doorbell.c: a domU's DOORBELL, a KVM ioeventfd that hv.ko polls the way
 * KVM polls an irqfd: a wait-queue entry on the eventfd. Its wakeup runs
 * inside eventfd_signal(), where another eventfd may not be signalled, so it
 * only queues an irq_work; the irq_work takes the send bitmap and sends.
 * No exit to the VMM on this path.
 */
#define pr_fmt(fmt) "hv: " fmt

#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/poll.h>
#include "doorbell.h"
#include "domain.h"
#include "evtchn.h"

static void doorbell_work(struct irq_work *work)
{
	struct xhv_doorbell *db = container_of(work, struct xhv_doorbell, work);
	struct xhv_domain *d = container_of(db, struct xhv_domain, doorbell);

	xhv_evtchn_doorbell(d);
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
}

static void doorbell_detach(struct xhv_doorbell *db)
{
	u64 count;

	if (!db->ctx)
		return;
	eventfd_ctx_remove_wait_queue(db->ctx, &db->wait, &count);
	irq_work_sync(&db->work);
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
