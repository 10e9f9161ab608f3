// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus_xs.c: store requests over the ring: each request gets a req_id
 * and waits for the reply with that id, so any number may be outstanding;
 * transactions; errors from the store's strings to errno; the raw request
 * xenfs's xenbus file uses; and readiness (the store has answered once).
 */
#define pr_fmt(fmt) "hvx_core: " fmt

#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>
#include "../../../include/xen/hvx/xenbus.h"
#include "internal.h"

/* While going down, a request waits this long for a store that may be gone. */
#define STOPPING_WAIT	(5 * HZ)

struct xs_req {
	struct list_head list;
	u32 req_id;
	u32 type;
	bool done;
	int err;
	u32 reply_type;
	u32 reply_len;
	char *reply;
};

static DEFINE_SPINLOCK(req_lock);
static LIST_HEAD(pending);
static u32 next_req_id;
static DECLARE_WAIT_QUEUE_HEAD(req_waitq);
static bool xs_down = true;		/* no ring: requests fail at once */
static bool xs_stopping;		/* going down: waits are bounded */
static unsigned long stopping_since;	/* jiffies when that began */
static bool xs_ready;
static DECLARE_WAIT_QUEUE_HEAD(ready_waitq);

/* The store's error strings (Xen's xsd_errors), as -errno. */
static const struct {
	const char *name;
	int err;
} xs_errors[] = {
#define XS_ERROR_ENTRY(e) { #e, -(e) },
	HVX_XS_ERRORS(XS_ERROR_ENTRY)
#undef XS_ERROR_ENTRY
};

static int xs_error_to_errno(const char *s)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(xs_errors); i++)
		if (!strcmp(s, xs_errors[i].name))
			return xs_errors[i].err;
	pr_warn_ratelimited("store error \"%.16s\" unknown; taken as EINVAL\n", s);
	return -EINVAL;
}

bool hvx_xs_is_down(void)
{
	return READ_ONCE(xs_down);
}

void hvx_xs_up(void)
{
	WRITE_ONCE(xs_stopping, false);
	WRITE_ONCE(xs_down, false);
}

void hvx_xs_stopping(void)
{
	WRITE_ONCE(stopping_since, jiffies);
	WRITE_ONCE(xs_stopping, true);
	wake_up_all(&req_waitq);
}

/* Every request still waiting fails with -ENODEV. */
void hvx_xs_down(void)
{
	struct xs_req *req;

	spin_lock(&req_lock);
	WRITE_ONCE(xs_down, true);
	WRITE_ONCE(xs_ready, false);
	list_for_each_entry(req, &pending, list) {
		if (!req->done) {
			req->err = -ENODEV;
			req->done = true;
		}
	}
	spin_unlock(&req_lock);
	wake_up_all(&req_waitq);
	wake_up_all(&ready_waitq);
}

void hvx_xs_set_ready(void)
{
	WRITE_ONCE(xs_ready, true);
	wake_up_all(&ready_waitq);
}

bool hvx_xenstore_ready(void)
{
	return READ_ONCE(xs_ready);
}
EXPORT_SYMBOL_GPL(hvx_xenstore_ready);

int hvx_xenstore_wait_ready(unsigned long timeout_jiffies)
{
	long left;

	left = wait_event_interruptible_timeout(ready_waitq,
						READ_ONCE(xs_ready),
						timeout_jiffies);
	if (left < 0)
		return left;
	return READ_ONCE(xs_ready) ? 0 : -ETIMEDOUT;
}
EXPORT_SYMBOL_GPL(hvx_xenstore_wait_ready);

/* From the reader thread: a reply for a waiting request, or a watch event. */
void hvx_xs_msg_received(const struct hvx_xsd_sockmsg *hdr, const char *body)
{
	struct xs_req *req;
	char *copy;

	if (hdr->type == HVX_XS_WATCH_EVENT) {
		hvx_xs_watch_event(body, hdr->len);
		return;
	}
	copy = kmemdup(body, hdr->len + 1, GFP_KERNEL);
	spin_lock(&req_lock);
	list_for_each_entry(req, &pending, list) {
		if (req->req_id != hdr->req_id || req->done)
			continue;
		req->reply_type = hdr->type;
		req->reply_len = hdr->len;
		req->reply = copy;
		req->err = copy ? 0 : -ENOMEM;
		req->done = true;
		copy = NULL;
		break;
	}
	spin_unlock(&req_lock);
	if (copy)	/* nobody waits for it (an interrupted raw request) */
		pr_debug("reply %u of type %u without a request\n", hdr->req_id,
			 hdr->type);
	kfree(copy);
	wake_up_all(&req_waitq);
}

static bool req_done(struct xs_req *req)
{
	bool done;

	spin_lock(&req_lock);
	done = req->done;
	spin_unlock(&req_lock);
	return done;
}

/*
 * Send one request and wait for its reply. @killable: a fatal signal ends
 * the wait (the reply, if it comes, is dropped). Returns the reply body or
 * ERR_PTR; *reply_type says what the store answered.
 */
static char *xs_request(u32 type, u32 tx_id, const void *const *parts,
			const unsigned int *lens, unsigned int nparts,
			bool killable, u32 *reply_type, u32 *reply_len)
{
	struct hvx_xsd_sockmsg hdr = { .type = type, .tx_id = tx_id };
	unsigned long start = jiffies;
	struct xs_req req = { .type = type };
	unsigned int i;
	char *reply;
	int err;

	for (i = 0; i < nparts; i++)
		hdr.len += lens[i];
	if (hdr.len > HVX_XENSTORE_PAYLOAD_MAX)
		return ERR_PTR(-E2BIG);
	spin_lock(&req_lock);
	if (READ_ONCE(xs_down)) {
		spin_unlock(&req_lock);
		return ERR_PTR(-ENODEV);
	}
	req.req_id = next_req_id++;
	hdr.req_id = req.req_id;
	list_add_tail(&req.list, &pending);
	spin_unlock(&req_lock);

	err = hvx_xb_write_msg(&hdr, parts, lens, nparts);
	while (!err && !req_done(&req)) {
		long left;

		if (killable)
			left = wait_event_killable_timeout(req_waitq, req_done(&req) ||
							   READ_ONCE(xs_stopping), HZ);
		else
			left = wait_event_timeout(req_waitq, req_done(&req) ||
						  READ_ONCE(xs_stopping), HZ);
		if (left < 0)
			err = -EINTR;
		else if (READ_ONCE(xs_stopping) && !req_done(&req) &&
			 time_after(jiffies, max(start, READ_ONCE(stopping_since)) +
				    STOPPING_WAIT))
			err = -ETIMEDOUT;
		else if (READ_ONCE(xs_stopping) && !req_done(&req))
			schedule_timeout_uninterruptible(HZ / 10);
	}
	spin_lock(&req_lock);
	list_del(&req.list);
	spin_unlock(&req_lock);
	if (!err)
		err = req.err;
	if (err) {
		kfree(req.reply);
		return ERR_PTR(err);
	}
	*reply_type = req.reply_type;
	if (reply_len)
		*reply_len = req.reply_len;
	reply = req.reply;
	return reply;
}

void *hvx_xs_talk(u32 type, u32 tx_id, const void *const *parts,
		  const unsigned int *lens, unsigned int nparts, u32 *reply_len)
{
	u32 rtype = 0;
	char *reply;
	int err;

	reply = xs_request(type, tx_id, parts, lens, nparts, false, &rtype,
			   reply_len);
	if (IS_ERR(reply))
		return reply;
	if (rtype == HVX_XS_ERROR) {
		err = xs_error_to_errno(reply);
		kfree(reply);
		return ERR_PTR(err);
	}
	if (rtype != type) {
		pr_err_ratelimited("store answered type %u to a request of type %u\n",
				   rtype, type);
		kfree(reply);
		return ERR_PTR(-EIO);
	}
	return reply;
}

void *hvx_xenbus_raw_request(u32 type, u32 tx_id, const void *payload,
			     u32 len, u32 *reply_type, u32 *reply_len)
{
	const void *parts[] = { payload };
	unsigned int lens[] = { len };

	if (type == HVX_XS_WATCH || type == HVX_XS_UNWATCH ||
	    type == HVX_XS_WATCH_EVENT || type == HVX_XS_ERROR ||
	    type >= HVX_XS_TYPE_COUNT)
		return ERR_PTR(-EINVAL);
	return xs_request(type, tx_id, parts, lens, len ? 1 : 0, true,
			  reply_type, reply_len);
}
EXPORT_SYMBOL_GPL(hvx_xenbus_raw_request);

/* dir/node as one NUL-terminated path (node "" means dir itself). */
static char *join(const char *dir, const char *node)
{
	if (!node || !*node)
		return kstrdup(dir, GFP_KERNEL);
	return kasprintf(GFP_KERNEL, "%s/%s", dir, node);
}

/* One request whose payload is the path of dir/node. */
static void *path_request(u32 type, struct hvx_xenbus_transaction t,
			  const char *dir, const char *node, unsigned int *len)
{
	const void *parts[1];
	unsigned int lens[1];
	char *path;
	void *reply;
	u32 rlen = 0;

	path = join(dir, node);
	if (!path)
		return ERR_PTR(-ENOMEM);
	parts[0] = path;
	lens[0] = strlen(path) + 1;
	reply = hvx_xs_talk(type, t.id, parts, lens, 1, &rlen);
	kfree(path);
	if (len && !IS_ERR(reply))
		*len = rlen;
	return reply;
}

void *hvx_xenbus_read(struct hvx_xenbus_transaction t, const char *dir,
		      const char *node, unsigned int *len)
{
	return path_request(HVX_XS_READ, t, dir, node, len);
}
EXPORT_SYMBOL_GPL(hvx_xenbus_read);

/*
 * "a\0b\0c\0" as one allocation: the pointer array, then the strings.
 * Bytes after the last NUL are not a name and are dropped.
 */
static char **split_names(const char *strings, unsigned int len,
			  unsigned int *num)
{
	unsigned int i, n = 0, end = 0;
	char **ret, *p;

	for (i = 0; i < len; i++) {
		if (!strings[i]) {
			n++;
			end = i + 1;
		}
	}
	ret = kmalloc(n * sizeof(char *) + end + 1, GFP_KERNEL);
	if (!ret)
		return ERR_PTR(-ENOMEM);
	p = (char *)(ret + n);
	memcpy(p, strings, end);
	p[end] = '\0';
	for (i = 0; i < n; i++, p += strlen(p) + 1)
		ret[i] = p;
	*num = n;
	return ret;
}

char **hvx_xenbus_directory(struct hvx_xenbus_transaction t, const char *dir,
			    const char *node, unsigned int *num)
{
	unsigned int len = 0;
	char *strings, **ret;

	strings = path_request(HVX_XS_DIRECTORY, t, dir, node, &len);
	if (IS_ERR(strings))
		return ERR_CAST(strings);
	ret = split_names(strings, len, num);
	kfree(strings);
	return ret;
}
EXPORT_SYMBOL_GPL(hvx_xenbus_directory);

int hvx_xenbus_exists(struct hvx_xenbus_transaction t, const char *dir,
		      const char *node)
{
	unsigned int n;
	char **names;

	names = hvx_xenbus_directory(t, dir, node, &n);
	if (IS_ERR(names))
		return 0;
	kfree(names);
	return 1;
}
EXPORT_SYMBOL_GPL(hvx_xenbus_exists);

int hvx_xenbus_write(struct hvx_xenbus_transaction t, const char *dir,
		     const char *node, const char *string)
{
	const void *parts[2];
	unsigned int lens[2];
	char *path;
	void *reply;

	path = join(dir, node);
	if (!path)
		return -ENOMEM;
	parts[0] = path;
	lens[0] = strlen(path) + 1;
	parts[1] = string;
	lens[1] = strlen(string);
	reply = hvx_xs_talk(HVX_XS_WRITE, t.id, parts, lens, 2, NULL);
	kfree(path);
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	kfree(reply);
	return 0;
}
EXPORT_SYMBOL_GPL(hvx_xenbus_write);

static int path_op(u32 type, struct hvx_xenbus_transaction t,
		   const char *dir, const char *node)
{
	void *reply = path_request(type, t, dir, node, NULL);

	if (IS_ERR(reply))
		return PTR_ERR(reply);
	kfree(reply);
	return 0;
}

int hvx_xenbus_mkdir(struct hvx_xenbus_transaction t, const char *dir,
		     const char *node)
{
	return path_op(HVX_XS_MKDIR, t, dir, node);
}
EXPORT_SYMBOL_GPL(hvx_xenbus_mkdir);

int hvx_xenbus_rm(struct hvx_xenbus_transaction t, const char *dir,
		  const char *node)
{
	return path_op(HVX_XS_RM, t, dir, node);
}
EXPORT_SYMBOL_GPL(hvx_xenbus_rm);

int hvx_xenbus_transaction_start(struct hvx_xenbus_transaction *t)
{
	const void *parts[] = { "" };
	unsigned int lens[] = { 1 };
	char *reply;
	int err;

	reply = hvx_xs_talk(HVX_XS_TRANSACTION_START, 0, parts, lens, 1, NULL);
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	err = kstrtou32(reply, 10, &t->id);
	kfree(reply);
	if (!err && !t->id)
		err = -EIO;
	return err;
}
EXPORT_SYMBOL_GPL(hvx_xenbus_transaction_start);

int hvx_xenbus_transaction_end(struct hvx_xenbus_transaction t, int abort)
{
	const void *parts[] = { abort ? "F" : "T" };
	unsigned int lens[] = { 2 };
	void *reply;

	reply = hvx_xs_talk(HVX_XS_TRANSACTION_END, t.id, parts, lens, 1, NULL);
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	kfree(reply);
	return 0;
}
EXPORT_SYMBOL_GPL(hvx_xenbus_transaction_end);

int hvx_xenbus_printf(struct hvx_xenbus_transaction t, const char *dir,
		      const char *node, const char *fmt, ...)
{
	va_list ap;
	char *buf;
	int err;

	va_start(ap, fmt);
	buf = kvasprintf(GFP_KERNEL, fmt, ap);
	va_end(ap);
	if (!buf)
		return -ENOMEM;
	err = hvx_xenbus_write(t, dir, node, buf);
	kfree(buf);
	return err;
}
EXPORT_SYMBOL_GPL(hvx_xenbus_printf);

/* The number of items converted (> 0), or -errno (-ERANGE: none). */
int hvx_xenbus_scanf(struct hvx_xenbus_transaction t, const char *dir,
		     const char *node, const char *fmt, ...)
{
	va_list ap;
	char *val;
	int ret;

	val = hvx_xenbus_read(t, dir, node, NULL);
	if (IS_ERR(val))
		return PTR_ERR(val);
	va_start(ap, fmt);
	ret = vsscanf(val, fmt, ap);
	va_end(ap);
	kfree(val);
	return ret > 0 ? ret : -ERANGE;
}
EXPORT_SYMBOL_GPL(hvx_xenbus_scanf);

unsigned int hvx_xenbus_read_unsigned(const char *dir, const char *node,
				      unsigned int default_val)
{
	unsigned int val;

	if (hvx_xenbus_scanf(HVX_XBT_NIL, dir, node, "%u", &val) != 1)
		return default_val;
	return val;
}
EXPORT_SYMBOL_GPL(hvx_xenbus_read_unsigned);
