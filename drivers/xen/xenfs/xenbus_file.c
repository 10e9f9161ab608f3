// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus_file.c: the store for userspace (/proc/xen/xenbus and
 * /dev/xen/xenbus), as Xen's xenbus device file: a process writes whole
 * xsd_sockmsg messages (header and payload, in as many writes as it likes)
 * and reads the replies, in order, with the watch events it asked for
 * queued among them.
 *
 * Requests go to the store through the core (hvx_xenbus_raw_request).
 * WATCH and UNWATCH become kernel watches of this file, whose events are
 * queued as XS_WATCH_EVENT messages with the process's own token.
 * Transactions started here are this file's: a request may name only
 * those, and those still open at release are aborted.
 *
 * Bounds per open file: QUEUE_LIMIT bytes waiting for read() (a writer
 * waits, or gets -EAGAIN, while the reader lags; watch events beyond it
 * are dropped and counted), MAX_WATCHES watches, MAX_TRANSACTIONS open
 * transactions.
 */
#define pr_fmt(fmt) "hvx_xenfs: " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include "xenfs.h"

#define HDR_SIZE		sizeof(struct hvx_xsd_sockmsg)
#define QUEUE_LIMIT		(128 * 1024)
#define MAX_WATCHES		128	/* Xen's default per-connection quota */
#define MAX_TRANSACTIONS	10	/* likewise */

/* One message waiting for read(): header and payload, @off bytes read. */
struct xb_msg {
	struct list_head list;
	u32 size;
	u32 off;
	u8 data[];
};

struct xb_file;

struct xb_watch {
	struct hvx_xenbus_watch watch;	/* .node is @path */
	struct list_head list;		/* in xb_file.watches */
	struct xb_file *file;
	char *path;
	char *token;			/* the process's token */
	bool live;			/* its WATCH reply is queued */
	struct list_head early;		/* events that beat the reply */
};

struct xb_transaction {
	struct list_head list;
	u32 id;
};

struct xb_file {
	struct mutex write_lock;	/* in, watches, transactions */
	u8 in[HDR_SIZE + HVX_XENSTORE_PAYLOAD_MAX];
	u32 in_len;
	struct list_head watches;
	unsigned int nr_watches;
	struct list_head transactions;
	unsigned int nr_transactions;

	struct mutex read_lock;		/* one reader at a time */
	spinlock_t queue_lock;		/* queue, queued, watch->live/early */
	struct list_head queue;
	size_t queued;
	unsigned long dropped;
	wait_queue_head_t wait;
};

static struct xb_msg *msg_new(u32 type, u32 req_id, u32 tx_id,
			      const void *p1, u32 l1, const void *p2, u32 l2)
{
	struct hvx_xsd_sockmsg hdr = {
		.type = type,
		.req_id = req_id,
		.tx_id = tx_id,
		.len = l1 + l2,
	};
	struct xb_msg *m;

	m = kmalloc(struct_size(m, data, HDR_SIZE + l1 + l2), GFP_KERNEL);
	if (!m)
		return NULL;
	m->size = HDR_SIZE + l1 + l2;
	m->off = 0;
	memcpy(m->data, &hdr, HDR_SIZE);
	if (l1)
		memcpy(m->data + HDR_SIZE, p1, l1);
	if (l2)
		memcpy(m->data + HDR_SIZE + l1, p2, l2);
	return m;
}

/* Caller holds queue_lock. */
static void enqueue_locked(struct xb_file *f, struct xb_msg *m)
{
	list_add_tail(&m->list, &f->queue);
	f->queued += m->size;
}

static int queue_reply(struct xb_file *f, u32 type, const struct hvx_xsd_sockmsg *req,
		       const void *payload, u32 len)
{
	struct xb_msg *m = msg_new(type, req->req_id, req->tx_id, payload, len,
				   NULL, 0);

	if (!m)
		return -ENOMEM;
	spin_lock(&f->queue_lock);
	enqueue_locked(f, m);
	spin_unlock(&f->queue_lock);
	wake_up_interruptible(&f->wait);
	return 0;
}

/* Xen's names for the errors the store reports (they are the protocol). */
static const char *err_name(int err)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
#define XS_ERROR_ENTRY(e) { e, #e },
		HVX_XS_ERRORS(XS_ERROR_ENTRY)
#undef XS_ERROR_ENTRY
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].err == -err)
			return names[i].name;
	return "EIO";
}

/* An error reply: the payload is Xen's name for the error, NUL included. */
static int queue_error(struct xb_file *f, const struct hvx_xsd_sockmsg *req,
		       const char *name)
{
	return queue_reply(f, HVX_XS_ERROR, req, name, strlen(name) + 1);
}

static int queue_ok(struct xb_file *f, u32 type, const struct hvx_xsd_sockmsg *req)
{
	return queue_reply(f, type, req, "OK", 3);
}

/* ---- Watches --------------------------------------------------------- */

/* The core's watch thread: queue the event with the process's token. */
static void watch_fired(struct hvx_xenbus_watch *watch, const char *path,
			const char *token)
{
	struct xb_watch *w = container_of(watch, struct xb_watch, watch);
	struct xb_file *f = w->file;
	u32 plen = strlen(path) + 1, tlen = strlen(w->token) + 1;
	struct xb_msg *m;
	bool drop;

	if (plen + tlen > HVX_XENSTORE_PAYLOAD_MAX)
		return;
	m = msg_new(HVX_XS_WATCH_EVENT, 0, 0, path, plen, w->token, tlen);
	spin_lock(&f->queue_lock);
	drop = !m || f->queued + m->size > QUEUE_LIMIT;
	if (drop) {
		f->dropped++;
	} else if (!w->live) {
		list_add_tail(&m->list, &w->early);
		f->queued += m->size;	/* counted already, queued soon */
	} else {
		enqueue_locked(f, m);
	}
	spin_unlock(&f->queue_lock);
	if (drop) {
		kfree(m);
		pr_warn_ratelimited("a reader of the xenbus file lags: watch event on %s dropped\n",
				    path);
		return;
	}
	wake_up_interruptible(&f->wait);
}

/* Split "path\0token\0"; false unless both strings end inside @len. */
static bool parse_watch(const char *p, u32 len, const char **path,
			const char **token)
{
	size_t pl = strnlen(p, len), tl;

	if (pl == len || !pl)
		return false;
	tl = strnlen(p + pl + 1, len - pl - 1);
	if (tl == len - pl - 1)
		return false;
	*path = p;
	*token = p + pl + 1;
	return true;
}

static struct xb_watch *find_watch(struct xb_file *f, const char *path,
				   const char *token)
{
	struct xb_watch *w;

	list_for_each_entry(w, &f->watches, list)
		if (!strcmp(w->path, path) && !strcmp(w->token, token))
			return w;
	return NULL;
}

static void free_watch(struct xb_watch *w)
{
	struct xb_file *f = w->file;
	struct xb_msg *m, *tmp;

	list_for_each_entry_safe(m, tmp, &w->early, list) {
		spin_lock(&f->queue_lock);
		f->queued -= m->size;
		spin_unlock(&f->queue_lock);
		kfree(m);
	}
	kfree(w->path);
	kfree(w->token);
	kfree(w);
}

static int do_watch(struct xb_file *f, const struct hvx_xsd_sockmsg *req,
		    const char *payload)
{
	const char *path, *token;
	struct xb_watch *w;
	int err;

	if (!parse_watch(payload, req->len, &path, &token))
		return queue_error(f, req, "EINVAL");
	if (find_watch(f, path, token))
		return queue_error(f, req, "EEXIST");
	if (f->nr_watches >= MAX_WATCHES)
		return queue_error(f, req, "E2BIG");
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	INIT_LIST_HEAD(&w->early);
	w->file = f;
	w->path = kstrdup(path, GFP_KERNEL);
	w->token = kstrdup(token, GFP_KERNEL);
	if (!w->path || !w->token) {
		free_watch(w);
		return -ENOMEM;
	}
	w->watch.node = w->path;
	w->watch.token = NULL;		/* the core's own, unique on the wire */
	w->watch.callback = watch_fired;
	err = xenfs_store.register_watch(&w->watch);
	if (err) {
		free_watch(w);
		return err == -ENOMEM ? err : queue_error(f, req, err_name(err));
	}
	list_add_tail(&w->list, &f->watches);
	f->nr_watches++;
	err = queue_ok(f, HVX_XS_WATCH, req);
	/* The reply first, then any event that came meanwhile (as Xen). */
	spin_lock(&f->queue_lock);
	list_splice_tail_init(&w->early, &f->queue);
	w->live = true;
	spin_unlock(&f->queue_lock);
	wake_up_interruptible(&f->wait);
	return err;
}

static void drop_watch(struct xb_file *f, struct xb_watch *w)
{
	/* Returns once the callback can no longer run for it. */
	xenfs_store.unregister_watch(&w->watch);
	list_del(&w->list);
	f->nr_watches--;
	free_watch(w);
}

static int do_unwatch(struct xb_file *f, const struct hvx_xsd_sockmsg *req,
		      const char *payload)
{
	const char *path, *token;
	struct xb_watch *w;

	if (!parse_watch(payload, req->len, &path, &token))
		return queue_error(f, req, "EINVAL");
	w = find_watch(f, path, token);
	if (!w)
		return queue_error(f, req, "ENOENT");
	drop_watch(f, w);
	return queue_ok(f, HVX_XS_UNWATCH, req);
}

/* ---- Transactions and plain requests ---------------------------------- */

static struct xb_transaction *find_transaction(struct xb_file *f, u32 id)
{
	struct xb_transaction *t;

	list_for_each_entry(t, &f->transactions, list)
		if (t->id == id)
			return t;
	return NULL;
}

static void forget_transaction(struct xb_file *f, struct xb_transaction *t)
{
	list_del(&t->list);
	f->nr_transactions--;
	kfree(t);
}

/* Did this reply end transaction @req->tx_id (committed, or a conflict)? */
static bool transaction_ended(u32 rtype, const char *reply, u32 rlen)
{
	if (rtype == HVX_XS_TRANSACTION_END)
		return true;
	return rtype == HVX_XS_ERROR && rlen >= 6 && !memcmp(reply, "EAGAIN", 6);
}

/* A new transaction's id, from a TRANSACTION_START reply ("123\0"). */
static int parse_tx_id(const char *reply, u32 rlen, u32 *id)
{
	char buf[16];

	if (!rlen || rlen >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, reply, rlen);
	buf[rlen] = '\0';
	return kstrtou32(buf, 10, id);
}

static int do_request(struct xb_file *f, const struct hvx_xsd_sockmsg *req,
		      const char *payload)
{
	struct xb_transaction *t = NULL;
	u32 rtype, rlen, id;
	void *reply;
	int err;

	if (req->type == HVX_XS_TRANSACTION_START) {
		if (f->nr_transactions >= MAX_TRANSACTIONS)
			return queue_error(f, req, "ENOSPC");	/* as the store's quota */
	} else if (req->tx_id) {
		t = find_transaction(f, req->tx_id);
		if (!t)
			return queue_error(f, req, "ENOENT");
	}
	reply = xenfs_store.raw_request(req->type, req->tx_id, payload,
					req->len, &rtype, &rlen);
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	if (rlen > HVX_XENSTORE_PAYLOAD_MAX) {
		kfree(reply);
		return -EIO;
	}
	err = 0;
	if (req->type == HVX_XS_TRANSACTION_START &&
	    rtype == HVX_XS_TRANSACTION_START) {
		t = kzalloc(sizeof(*t), GFP_KERNEL);
		if (!t || parse_tx_id(reply, rlen, &id)) {
			/* The store has it, we cannot track it: end it. */
			kfree(t);
			if (!parse_tx_id(reply, rlen, &id))
				kfree(xenfs_store.raw_request(HVX_XS_TRANSACTION_END,
							      id, "F", 2, &rtype,
							      &rlen));
			kfree(reply);
			return -ENOMEM;
		}
		t->id = id;
		list_add_tail(&t->list, &f->transactions);
		f->nr_transactions++;
	} else if (req->type == HVX_XS_TRANSACTION_END && t &&
		   transaction_ended(rtype, reply, rlen)) {
		forget_transaction(f, t);
	}
	err = queue_reply(f, rtype, req, reply, rlen);
	kfree(reply);
	return err;
}

/* The types a process may send; the rest are replies or the kernel's. */
static bool type_allowed(u32 type)
{
	switch (type) {
	case HVX_XS_CONTROL:
	case HVX_XS_DIRECTORY:
	case HVX_XS_DIRECTORY_PART:
	case HVX_XS_READ:
	case HVX_XS_GET_PERMS:
	case HVX_XS_SET_PERMS:
	case HVX_XS_WRITE:
	case HVX_XS_MKDIR:
	case HVX_XS_RM:
	case HVX_XS_TRANSACTION_START:
	case HVX_XS_TRANSACTION_END:
	case HVX_XS_INTRODUCE:
	case HVX_XS_RELEASE:
	case HVX_XS_GET_DOMAIN_PATH:
	case HVX_XS_IS_DOMAIN_INTRODUCED:
	case HVX_XS_RESUME:
	case HVX_XS_SET_TARGET:
	case HVX_XS_WATCH:
	case HVX_XS_UNWATCH:
		return true;
	default:
		/* WATCH_EVENT, ERROR: replies; RESET_WATCHES: the kernel's. */
		return false;
	}
}

/* A whole message is in f->in. */
static int process_msg(struct xb_file *f)
{
	struct hvx_xsd_sockmsg req;
	const char *payload = (const char *)f->in + HDR_SIZE;

	memcpy(&req, f->in, HDR_SIZE);
	if (!type_allowed(req.type))
		return -EINVAL;
	switch (req.type) {
	case HVX_XS_WATCH:
		return do_watch(f, &req, payload);
	case HVX_XS_UNWATCH:
		return do_unwatch(f, &req, payload);
	default:
		return do_request(f, &req, payload);
	}
}

/* ---- The file ---------------------------------------------------------- */

static bool queue_has_room(struct xb_file *f)
{
	return READ_ONCE(f->queued) < QUEUE_LIMIT;
}

static ssize_t xenbus_file_write(struct file *file, const char __user *buf,
				 size_t count, loff_t *ppos)
{
	struct xb_file *f = file->private_data;
	size_t done = 0, n;
	u32 want, len;
	int err = 0;

	if (mutex_lock_interruptible(&f->write_lock))
		return -ERESTARTSYS;
	while (done < count) {
		/* Take no new message while the reader is QUEUE_LIMIT behind. */
		if (!f->in_len && !queue_has_room(f)) {
			if (done)
				break;
			if (file->f_flags & O_NONBLOCK) {
				err = -EAGAIN;
				break;
			}
			mutex_unlock(&f->write_lock);
			if (wait_event_interruptible(f->wait, queue_has_room(f)))
				return -ERESTARTSYS;
			if (mutex_lock_interruptible(&f->write_lock))
				return -ERESTARTSYS;
			continue;
		}
		if (f->in_len < HDR_SIZE) {
			want = HDR_SIZE;
		} else {
			memcpy(&len, f->in + offsetof(struct hvx_xsd_sockmsg, len),
			       sizeof(len));
			want = HDR_SIZE + len;
		}
		n = min_t(size_t, want - f->in_len, count - done);
		if (copy_from_user(f->in + f->in_len, buf + done, n)) {
			err = -EFAULT;
			break;
		}
		f->in_len += n;
		done += n;
		if (f->in_len < HDR_SIZE)
			continue;
		memcpy(&len, f->in + offsetof(struct hvx_xsd_sockmsg, len),
		       sizeof(len));
		if (len > HVX_XENSTORE_PAYLOAD_MAX) {
			/* What follows cannot be framed: drop this write. */
			f->in_len = 0;
			err = -EINVAL;
			break;
		}
		if (f->in_len < HDR_SIZE + len)
			continue;
		err = process_msg(f);
		f->in_len = 0;
		if (err)
			break;
	}
	mutex_unlock(&f->write_lock);
	return err ? err : done;
}

static ssize_t xenbus_file_read(struct file *file, char __user *buf,
				size_t count, loff_t *ppos)
{
	struct xb_file *f = file->private_data;
	struct xb_msg *m;
	size_t done = 0, n;
	int err = 0;

	if (!count)
		return 0;
	if (mutex_lock_interruptible(&f->read_lock))
		return -ERESTARTSYS;
	while (done < count) {
		spin_lock(&f->queue_lock);
		m = list_first_entry_or_null(&f->queue, struct xb_msg, list);
		spin_unlock(&f->queue_lock);
		if (!m) {
			if (done)
				break;
			if (file->f_flags & O_NONBLOCK) {
				err = -EAGAIN;
				break;
			}
			mutex_unlock(&f->read_lock);
			if (wait_event_interruptible(f->wait,
						     !list_empty_careful(&f->queue)))
				return -ERESTARTSYS;
			if (mutex_lock_interruptible(&f->read_lock))
				return -ERESTARTSYS;
			continue;
		}
		/* Only readers take messages off, and we are the one. */
		n = min_t(size_t, m->size - m->off, count - done);
		if (copy_to_user(buf + done, m->data + m->off, n)) {
			err = -EFAULT;
			break;
		}
		m->off += n;
		done += n;
		if (m->off == m->size) {
			spin_lock(&f->queue_lock);
			list_del(&m->list);
			f->queued -= m->size;
			spin_unlock(&f->queue_lock);
			kfree(m);
			wake_up_interruptible(&f->wait);	/* writers */
		}
	}
	mutex_unlock(&f->read_lock);
	return done ? done : err;
}

static __poll_t xenbus_file_poll(struct file *file, poll_table *wait)
{
	struct xb_file *f = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &f->wait, wait);
	if (!list_empty_careful(&f->queue))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (queue_has_room(f))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

static int xenbus_file_open(struct inode *inode, struct file *file)
{
	struct xb_file *f;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	f = kvzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	mutex_init(&f->write_lock);
	mutex_init(&f->read_lock);
	spin_lock_init(&f->queue_lock);
	INIT_LIST_HEAD(&f->watches);
	INIT_LIST_HEAD(&f->transactions);
	INIT_LIST_HEAD(&f->queue);
	init_waitqueue_head(&f->wait);
	file->private_data = f;
	return nonseekable_open(inode, file);
}

static int xenbus_file_release(struct inode *inode, struct file *file)
{
	struct xb_file *f = file->private_data;
	struct xb_transaction *t, *tt;
	struct xb_watch *w, *tw;
	struct xb_msg *m, *tm;
	u32 rtype, rlen;

	/* Watches first: no callback may queue into a freed file. */
	list_for_each_entry_safe(w, tw, &f->watches, list)
		drop_watch(f, w);
	list_for_each_entry_safe(t, tt, &f->transactions, list) {
		void *reply = xenfs_store.raw_request(HVX_XS_TRANSACTION_END,
						      t->id, "F", 2, &rtype,
						      &rlen);

		if (IS_ERR(reply))
			pr_warn("cannot abort transaction %u at release: %ld\n",
				t->id, PTR_ERR(reply));
		else
			kfree(reply);
		forget_transaction(f, t);
	}
	list_for_each_entry_safe(m, tm, &f->queue, list)
		kfree(m);
	if (f->dropped)
		pr_debug("released a xenbus file that dropped %lu watch events\n",
			 f->dropped);
	kvfree(f);
	return 0;
}

const struct file_operations xenfs_xenbus_fops = {
	.owner = THIS_MODULE,
	.open = xenbus_file_open,
	.release = xenbus_file_release,
	.read = xenbus_file_read,
	.write = xenbus_file_write,
	.poll = xenbus_file_poll,
	.llseek = no_llseek,
};

/* Linux's name for it; hvx_core's event device is xen/evtchn. */
static struct miscdevice xenbus_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xen/xenbus",
	.fops = &xenfs_xenbus_fops,
	.mode = 0600,
};

int xenfs_xenbus_init(void)
{
	return misc_register(&xenbus_dev);
}

void xenfs_xenbus_exit(void)
{
	misc_deregister(&xenbus_dev);
}
