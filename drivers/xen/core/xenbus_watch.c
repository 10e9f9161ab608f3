// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus_watch.c: store watches. Registering sends XS_WATCH with the
 * watch's token; the reader thread queues each XS_WATCH_EVENT for a known
 * token, and one thread ("xenwatch") runs the callbacks in order, so a
 * callback may itself make store requests. Unregistering sends XS_UNWATCH,
 * drops the events still queued for the watch, and waits for its callback
 * if one is running (unless called from that very callback).
 */
#define pr_fmt(fmt) "hvx_core: " fmt

#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>
#include "../../../include/xen/hvx/xenbus.h"
#include "internal.h"

#define TOKEN_LEN	24

struct watch_event {
	struct list_head list;
	struct hvx_xenbus_watch *watch;
	const char *path;
	const char *token;
	unsigned int len;
	char body[];
};

static DEFINE_SPINLOCK(watches_lock);
static LIST_HEAD(watches);
static DEFINE_SPINLOCK(events_lock);
static LIST_HEAD(events);
static struct hvx_xenbus_watch *running;	/* whose callback runs now */
static DECLARE_WAIT_QUEUE_HEAD(events_waitq);
static DECLARE_WAIT_QUEUE_HEAD(running_waitq);
static struct task_struct *watch_task;

/* The watch's token: its own, or one made from its address. */
static const char *watch_token(struct hvx_xenbus_watch *watch, char *buf)
{
	if (watch->token)
		return watch->token;
	snprintf(buf, TOKEN_LEN, "hvx%lx", (unsigned long)watch);
	return buf;
}

/* Called with watches_lock held. */
static struct hvx_xenbus_watch *find_watch(const char *token)
{
	struct hvx_xenbus_watch *w;
	char buf[TOKEN_LEN];

	list_for_each_entry(w, &watches, list)
		if (!strcmp(watch_token(w, buf), token))
			return w;
	return NULL;
}

/* From the reader thread: "path\0token\0". */
void hvx_xs_watch_event(const char *body, unsigned int len)
{
	struct watch_event *ev;
	unsigned int plen, rest;

	/* Both strings must end inside the payload. */
	plen = strnlen(body, len);
	rest = plen < len ? len - plen - 1 : 0;
	if (!rest || strnlen(body + plen + 1, rest) == rest) {
		pr_err_ratelimited("malformed watch event (%u bytes) dropped\n", len);
		return;
	}
	ev = kmalloc(sizeof(*ev) + len, GFP_KERNEL);
	if (!ev)
		return;
	memcpy(ev->body, body, len);
	ev->len = len;
	ev->path = ev->body;
	ev->token = ev->body + plen + 1;

	spin_lock(&watches_lock);
	ev->watch = find_watch(ev->token);
	if (ev->watch) {
		spin_lock(&events_lock);
		list_add_tail(&ev->list, &events);
		ev->watch->nr_pending++;
		spin_unlock(&events_lock);
	}
	spin_unlock(&watches_lock);
	if (!ev->watch) {
		kfree(ev);
		return;
	}
	wake_up(&events_waitq);
}

static bool events_queued(void)
{
	bool queued;

	spin_lock(&events_lock);
	queued = !list_empty(&events);
	spin_unlock(&events_lock);
	return queued;
}

static int xenwatch_thread(void *unused)
{
	struct watch_event *ev;

	while (!kthread_should_stop()) {
		wait_event_interruptible(events_waitq, events_queued() ||
					 kthread_should_stop());
		spin_lock(&events_lock);
		ev = list_first_entry_or_null(&events, struct watch_event, list);
		if (ev) {
			list_del(&ev->list);
			ev->watch->nr_pending--;
			/*
			 * Taken off the queue and marked running at once:
			 * unregistering sees one or the other.
			 */
			running = ev->watch;
		}
		spin_unlock(&events_lock);
		if (!ev)
			continue;
		ev->watch->callback(ev->watch, ev->path, ev->token);
		spin_lock(&events_lock);
		running = NULL;
		spin_unlock(&events_lock);
		wake_up_all(&running_waitq);
		kfree(ev);
	}
	return 0;
}

static int watch_request(u32 type, struct hvx_xenbus_watch *watch)
{
	char buf[TOKEN_LEN];
	const char *token = watch_token(watch, buf);
	const void *parts[] = { watch->node, token };
	unsigned int lens[] = { strlen(watch->node) + 1, strlen(token) + 1 };
	void *reply;

	reply = hvx_xs_talk(type, 0, parts, lens, 2, NULL);
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	kfree(reply);
	return 0;
}

/* Drop @watch's queued events and wait for its running callback. */
static void purge_watch(struct hvx_xenbus_watch *watch)
{
	struct watch_event *ev, *tmp;
	LIST_HEAD(dropped);

	spin_lock(&events_lock);
	list_for_each_entry_safe(ev, tmp, &events, list) {
		if (ev->watch == watch) {
			list_move(&ev->list, &dropped);
			watch->nr_pending--;
		}
	}
	spin_unlock(&events_lock);
	list_for_each_entry_safe(ev, tmp, &dropped, list)
		kfree(ev);
	if (current == watch_task)
		return;
	wait_event(running_waitq, ({
		bool busy;

		spin_lock(&events_lock);
		busy = running == watch;
		spin_unlock(&events_lock);
		!busy;
	}));
}

int hvx_register_xenbus_watch(struct hvx_xenbus_watch *watch)
{
	char buf[TOKEN_LEN];
	int err;

	if (!watch->node || !watch->callback)
		return -EINVAL;
	watch->nr_pending = 0;
	spin_lock(&watches_lock);
	if (find_watch(watch_token(watch, buf))) {
		spin_unlock(&watches_lock);
		return -EEXIST;
	}
	/* Listed first: the store fires a new watch at once. */
	list_add(&watch->list, &watches);
	spin_unlock(&watches_lock);

	err = watch_request(HVX_XS_WATCH, watch);
	if (err) {
		spin_lock(&watches_lock);
		list_del(&watch->list);
		spin_unlock(&watches_lock);
		purge_watch(watch);
	}
	return err;
}
EXPORT_SYMBOL_GPL(hvx_register_xenbus_watch);

void hvx_unregister_xenbus_watch(struct hvx_xenbus_watch *watch)
{
	int err;

	spin_lock(&watches_lock);
	list_del(&watch->list);
	spin_unlock(&watches_lock);
	/* No new event reaches it now; the store may still have some. */
	err = watch_request(HVX_XS_UNWATCH, watch);
	if (err && err != -ENODEV && err != -ENOENT)
		pr_warn("unwatching %s failed: %d\n", watch->node, err);
	purge_watch(watch);
}
EXPORT_SYMBOL_GPL(hvx_unregister_xenbus_watch);

int hvx_xs_watch_init(void)
{
	watch_task = kthread_run(xenwatch_thread, NULL, "xenwatch");
	if (IS_ERR(watch_task)) {
		int err = PTR_ERR(watch_task);

		watch_task = NULL;
		return err;
	}
	return 0;
}

void hvx_xs_watch_exit(void)
{
	if (watch_task)
		kthread_stop(watch_task);
	watch_task = NULL;
	if (!list_empty(&watches))
		pr_warn("watches still registered at unload\n");
}
