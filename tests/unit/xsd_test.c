// SPDX-License-Identifier: GPL-2.0-only
/* xsd_test.c: xenstored's pure core: tree, permissions, watches,
 * transactions and conflicts, quotas, the wire parser with hostile
 * messages, domains, the ring copy, and a bounded fuzz run. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "xenstored/xsd.h"

static struct xsd D;

struct reply {
	uint32_t type, req_id, tx_id, len;
	char data[HVX_XENSTORE_PAYLOAD_MAX + 1];
};

static struct reply R;		/* last reply */
static char events[64][256];	/* "path token" of events, in order */
static int nevents;

static void setup(void)
{
	xsd_fini(&D);
	xsd_init(&D);
}

/* Take everything queued on C: the (last) reply into R, events appended. */
static void drain(struct xs_conn *c)
{
	static char buf[sizeof(struct hvx_xsd_sockmsg) + HVX_XENSTORE_PAYLOAD_MAX];
	size_t got = 0;
	const void *p;
	size_t n;

	while ((n = xs_conn_out_peek(c, &p))) {
		memcpy(buf + got, p, n);
		got += n;
		xs_conn_out_done(c, n);
		if (got >= 16) {
			struct hvx_xsd_sockmsg h;

			memcpy(&h, buf, 16);
			if (got < 16 + h.len)
				continue;
			if (h.type == HVX_XS_WATCH_EVENT) {
				if (nevents < 64) {
					const char *ep = buf + 16;
					int w = snprintf(events[nevents++], 256, "%.120s %.120s",
							 ep, ep + strlen(ep) + 1);
					(void)w;
				}
			} else {
				R.type = h.type;
				R.req_id = h.req_id;
				R.tx_id = h.tx_id;
				R.len = h.len;
				memcpy(R.data, buf + 16, h.len);
				R.data[h.len] = '\0';
			}
			got = 0;
		}
	}
}

/* Send one request; 0 and the reply in R, or -1 if the connection broke. */
static int msg(struct xs_conn *c, uint32_t type, uint32_t tx, const void *payload, uint32_t len)
{
	static uint32_t req_id = 100;
	struct hvx_xsd_sockmsg h = { .type = type, .req_id = ++req_id, .tx_id = tx, .len = len };
	int ret;

	memset(&R, 0, sizeof(R));
	R.type = 0xdead;
	ret = xs_conn_input(c, &h, sizeof(h));
	if (!ret && len)
		ret = xs_conn_input(c, payload, len);
	drain(c);
	if (!ret && R.type != 0xdead && R.req_id != req_id)
		return -2;
	return ret;
}

/* A request of NUL-separated strings given as one C string with '|' for
 * each NUL ("a|b|" is "a\0b\0"). */
static int req(struct xs_conn *c, uint32_t type, uint32_t tx, const char *s)
{
	char buf[HVX_XENSTORE_PAYLOAD_MAX];
	size_t len = strlen(s), i;

	memcpy(buf, s, len);
	for (i = 0; i < len; i++)
		if (buf[i] == '|')
			buf[i] = '\0';
	return msg(c, type, tx, buf, (uint32_t)len);
}

static bool is_err(const char *name)
{
	return R.type == HVX_XS_ERROR && !strcmp(R.data, name);
}

static bool is_ok(void)
{
	return R.type != HVX_XS_ERROR && R.type != 0xdead;
}

static bool wr(struct xs_conn *c, const char *path, const char *value)
{
	char buf[HVX_XENSTORE_PAYLOAD_MAX];
	size_t pl = strlen(path), vl = strlen(value);

	memcpy(buf, path, pl + 1);
	memcpy(buf + pl + 1, value, vl);
	return !msg(c, HVX_XS_WRITE, 0, buf, (uint32_t)(pl + 1 + vl)) && is_ok();
}

static bool rd(struct xs_conn *c, const char *path, const char *want)
{
	char p[HVX_XENSTORE_PAYLOAD_MAX];

	snprintf(p, sizeof(p), "%s|", path);
	return !req(c, HVX_XS_READ, 0, p) && is_ok() && !strcmp(R.data, want);
}

static bool has_event(const char *ev)
{
	int i;

	for (i = 0; i < nevents; i++)
		if (!strcmp(events[i], ev))
			return true;
	return false;
}

static void test_initial_tree(void)
{
	struct xs_conn *c;

	setup();
	c = xs_conn_new(&D, 0, true);
	EXPECT(!req(c, HVX_XS_DIRECTORY, 0, "/|") && is_ok());
	EXPECT(R.len == 14 && !memcmp(R.data, "local\0tool\0vm\0", 14));
	EXPECT(!req(c, HVX_XS_DIRECTORY, 0, "/local|") && R.len == 7 && !strcmp(R.data, "domain"));
	EXPECT(!req(c, HVX_XS_GET_PERMS, 0, "/|") && R.len == 3 && !strcmp(R.data, "n0"));
	EXPECT(rd(c, "/vm", ""));
}

static void test_read_write_rm(void)
{
	struct xs_conn *c;

	setup();
	c = xs_conn_new(&D, 0, true);
	EXPECT(wr(c, "/a/b/c", "hello"));
	EXPECT(!strcmp(R.data, "OK") && R.len == 3);
	EXPECT(rd(c, "/a/b/c", "hello"));
	EXPECT(rd(c, "/a/b", ""));
	EXPECT(wr(c, "/a/b/c", ""));
	EXPECT(rd(c, "/a/b/c", ""));
	EXPECT(!req(c, HVX_XS_READ, 0, "/nope|") && is_err("ENOENT"));
	EXPECT(!req(c, HVX_XS_MKDIR, 0, "/a/d|") && is_ok());
	EXPECT(!req(c, HVX_XS_MKDIR, 0, "/a/d|") && is_ok());
	EXPECT(!req(c, HVX_XS_DIRECTORY, 0, "/a|") && R.len == 4 && !memcmp(R.data, "b\0d", 4));
	EXPECT(!req(c, HVX_XS_RM, 0, "/a/b|") && is_ok());
	EXPECT(!req(c, HVX_XS_READ, 0, "/a/b/c|") && is_err("ENOENT"));
	EXPECT(!req(c, HVX_XS_RM, 0, "/a/b|") && is_ok());	/* parent there */
	EXPECT(!req(c, HVX_XS_RM, 0, "/x/y|") && is_err("ENOENT"));
	EXPECT(!req(c, HVX_XS_RM, 0, "/|") && is_err("EINVAL"));
	/* Binary values survive. */
	EXPECT(!msg(c, HVX_XS_WRITE, 0, "/bin\0a\0b", 8) && is_ok());
	EXPECT(!req(c, HVX_XS_READ, 0, "/bin|") && R.len == 3 && !memcmp(R.data, "a\0b", 3));
	/* Relative paths are below dom0's home. */
	EXPECT(wr(c, "rel", "1"));
	EXPECT(rd(c, "/local/domain/0/rel", "1"));
}

static void test_paths(void)
{
	char big[HVX_XENSTORE_PAYLOAD_MAX];
	struct xs_conn *c;

	setup();
	c = xs_conn_new(&D, 0, true);
	EXPECT(!req(c, HVX_XS_READ, 0, "/a//b|") && is_err("EINVAL"));
	EXPECT(!req(c, HVX_XS_READ, 0, "/a/|") && is_err("EINVAL"));
	EXPECT(!req(c, HVX_XS_READ, 0, "/a b|") && is_err("EINVAL"));
	EXPECT(!req(c, HVX_XS_READ, 0, "/a/../b|") && is_err("EINVAL"));
	EXPECT(xs_path_valid("/") && xs_path_valid("/a-b_c@d/0") && !xs_path_valid(""));
	EXPECT(xs_path_is_under("/a/b", "/a") && !xs_path_is_under("/ab", "/a"));
	EXPECT(xs_path_is_under("/a", "/") && xs_path_depth("/a/b") == 2 && xs_path_depth("/") == 0);
	/* Over-long paths: EINVAL, the connection stays. */
	memset(big, 'x', sizeof(big));
	big[0] = '/';
	big[HVX_XENSTORE_ABS_PATH_MAX + 1] = '\0';
	EXPECT(!msg(c, HVX_XS_READ, 0, big, HVX_XENSTORE_ABS_PATH_MAX + 2) && is_err("EINVAL"));
	big[0] = 'x';
	big[HVX_XENSTORE_REL_PATH_MAX + 1] = '\0';
	EXPECT(!msg(c, HVX_XS_WRITE, 0, big, HVX_XENSTORE_REL_PATH_MAX + 2) && is_err("EINVAL"));
	EXPECT(rd(c, "/vm", ""));
}

static void test_perms(void)
{
	struct xs_conn *d0, *u5, *u6;

	setup();
	d0 = xs_conn_new(&D, 0, true);
	u5 = xs_conn_new(&D, 5, false);
	u6 = xs_conn_new(&D, 6, false);
	EXPECT(wr(d0, "/local/domain/5/data/x", "1"));
	EXPECT(!req(d0, HVX_XS_SET_PERMS, 0, "/local/domain/5|n0|r5|") && is_ok());
	EXPECT(!req(d0, HVX_XS_SET_PERMS, 0, "/local/domain/5/data|n5|") && is_ok());
	EXPECT(!req(d0, HVX_XS_GET_PERMS, 0, "/local/domain/5|") && R.len == 6 &&
	       !memcmp(R.data, "n0\0r5", 6));
	/* The guest reads its home, cannot write it, owns data/. */
	EXPECT(!req(u5, HVX_XS_DIRECTORY, 0, "/local/domain/5|") && is_ok());
	EXPECT(!req(u5, HVX_XS_WRITE, 0, "name|evil") && is_err("EACCES"));
	EXPECT(wr(u5, "data/y", "2"));
	EXPECT(!req(d0, HVX_XS_GET_PERMS, 0, "/local/domain/5/data/y|") && !strcmp(R.data, "n5"));
	EXPECT(rd(u5, "/local/domain/5/data/y", "2"));
	/* data/x was created by dom0 with the parent's perms at the time (n0):
	 * the guest does not see it. */
	EXPECT(!req(u5, HVX_XS_READ, 0, "data/x|") && is_err("EACCES"));
	/* Another guest sees nothing of dom5's, and no root. */
	EXPECT(!req(u6, HVX_XS_READ, 0, "/local/domain/5/data/y|") && is_err("EACCES"));
	EXPECT(!req(u6, HVX_XS_DIRECTORY, 0, "/|") && is_err("EACCES"));
	EXPECT(!req(u6, HVX_XS_WRITE, 0, "/tool/x|1") && is_err("EACCES"));
	EXPECT(!req(u6, HVX_XS_RM, 0, "/local/domain/5/data|") && is_err("EACCES"));
	/* A guest grants another read, not ownership. */
	EXPECT(!req(u5, HVX_XS_SET_PERMS, 0, "data/y|n5|r6|") && is_ok());
	EXPECT(rd(u6, "/local/domain/5/data/y", "2"));
	EXPECT(!req(u6, HVX_XS_WRITE, 0, "/local/domain/5/data/y|3") && is_err("EACCES"));
	EXPECT(!req(u5, HVX_XS_SET_PERMS, 0, "data/y|n6|") && is_err("EPERM"));
	EXPECT(!req(u5, HVX_XS_SET_PERMS, 0, "data/y|x5|") && is_err("EINVAL"));
	EXPECT(!req(u5, HVX_XS_SET_PERMS, 0, "data/y|n|") && is_err("EINVAL"));
	EXPECT(!req(u5, HVX_XS_SET_PERMS, 0, "data/y|") && is_err("EINVAL"));
	EXPECT(!req(u5, HVX_XS_SET_PERMS, 0, "data/y|n5|r1|r2|r3|r4|r6|") && is_err("ENOSPC"));
	EXPECT(!req(u5, HVX_XS_SET_PERMS, 0, "data/y|n5|b6|") && is_ok());
	EXPECT(wr(u6, "/local/domain/5/data/y", "3"));
	/* Only dom0 introduces, releases, controls. */
	EXPECT(!req(u5, HVX_XS_INTRODUCE, 0, "7|1|2|") && is_err("EACCES"));
	EXPECT(!req(u5, HVX_XS_RELEASE, 0, "5|") && is_err("EACCES"));
	EXPECT(!req(u5, HVX_XS_CONTROL, 0, "print|x|") && is_err("EACCES"));
	EXPECT(!req(u5, HVX_XS_GET_DOMAIN_PATH, 0, "5|") && !strcmp(R.data, "/local/domain/5"));
	/* The perms strings themselves. */
	{
		struct xs_perm p[3];
		char buf[32];

		EXPECT(!xs_perms_parse("b3\0r65535\0w0", 3, p));
		EXPECT(p[0].id == 3 && p[0].mode == 3 && p[1].id == 65535 && p[2].mode == 2);
		EXPECT(xs_perms_parse("r65536", 1, p) == EINVAL);
		EXPECT(xs_perms_parse("r-1", 1, p) == EINVAL);
		EXPECT(xs_perms_format(p, 3, buf, sizeof(buf)) == 13);
		EXPECT(xs_perms_format(p, 3, buf, 5) < 0);
		EXPECT(xs_perms_mode(p, 3, 3, false) == 3 && xs_perms_mode(p, 3, 0, false) == 2);
		EXPECT(xs_perms_mode(p, 3, 9, false) == 3 && xs_perms_mode(p, 3, 9, true) == 3);
		p[0].mode = 0;
		EXPECT(xs_perms_mode(p, 3, 9, false) == 0 && xs_perms_mode(p, 3, 65535, false) == 1);
	}
}

static void test_watches(void)
{
	struct xs_conn *d0, *u5;

	setup();
	d0 = xs_conn_new(&D, 0, true);
	u5 = xs_conn_new(&D, 5, false);
	EXPECT(wr(d0, "/local/domain/5/data", ""));
	EXPECT(!req(d0, HVX_XS_SET_PERMS, 0, "/local/domain/5|n5|") && is_ok());
	EXPECT(!req(d0, HVX_XS_SET_PERMS, 0, "/local/domain/5/data|n5|") && is_ok());
	nevents = 0;
	EXPECT(!req(d0, HVX_XS_WATCH, 0, "/local/domain/5|tok|") && is_ok());
	EXPECT(nevents == 1 && has_event("/local/domain/5 tok"));
	EXPECT(!req(d0, HVX_XS_WATCH, 0, "/local/domain/5|tok|") && is_err("EEXIST"));
	nevents = 0;
	EXPECT(!req(u5, HVX_XS_WATCH, 0, "data|rel|") && is_ok());
	EXPECT(nevents == 1 && has_event("data rel"));
	nevents = 0;
	EXPECT(wr(u5, "data/k", "v"));
	drain(d0);
	EXPECT(has_event("data/k rel") && has_event("/local/domain/5/data/k tok"));
	/* The same guest's absolute watch hears absolute paths. */
	EXPECT(!req(u5, HVX_XS_WATCH, 0, "/local/domain/5/data|abs|") && is_ok());
	nevents = 0;
	EXPECT(wr(u5, "data/q", "v"));
	EXPECT(has_event("/local/domain/5/data/q abs") && has_event("data/q rel"));
	EXPECT(!req(u5, HVX_XS_UNWATCH, 0, "/local/domain/5/data|abs|") && is_ok());
	/* Removing a parent fires watches on nodes inside it. */
	nevents = 0;
	EXPECT(!req(u5, HVX_XS_WATCH, 0, "data/k/deep|deep|") && is_ok());
	nevents = 0;
	EXPECT(!req(u5, HVX_XS_RM, 0, "data|") && is_ok());
	drain(d0);
	EXPECT(has_event("data rel") && has_event("data/k/deep deep") &&
	       has_event("/local/domain/5/data tok"));
	/* An unreadable node's change is not shown to the guest. */
	EXPECT(!req(u5, HVX_XS_WATCH, 0, "/tool|t|") && is_ok());
	nevents = 0;
	EXPECT(wr(d0, "/tool/secret", "1"));
	drain(u5);
	EXPECT(nevents == 0);
	/* Unwatch. */
	EXPECT(!req(u5, HVX_XS_UNWATCH, 0, "/tool|t|") && is_ok());
	EXPECT(!req(u5, HVX_XS_UNWATCH, 0, "/tool|t|") && is_err("ENOENT"));
	/* Special watches: dom0 only. */
	nevents = 0;
	EXPECT(!req(d0, HVX_XS_WATCH, 0, "@introduceDomain|in|") && is_ok());
	EXPECT(!req(d0, HVX_XS_WATCH, 0, "@releaseDomain|out|") && is_ok());
	EXPECT(!req(u5, HVX_XS_WATCH, 0, "@releaseDomain|gout|") && is_ok());
	EXPECT(has_event("@introduceDomain in") && has_event("@releaseDomain out"));
	nevents = 0;
	EXPECT(!req(d0, HVX_XS_INTRODUCE, 0, "9|1234|7|") && is_ok());
	EXPECT(has_event("@introduceDomain in"));
	EXPECT(!req(d0, HVX_XS_IS_DOMAIN_INTRODUCED, 0, "9|") && !strcmp(R.data, "T"));
	nevents = 0;
	EXPECT(!req(d0, HVX_XS_RELEASE, 0, "9|") && is_ok());
	drain(u5);
	EXPECT(has_event("@releaseDomain out") && !has_event("@releaseDomain gout"));
	/* Watch quota for guests. */
	{
		char p[64];
		int i, ok = 1;

		EXPECT(!req(u5, HVX_XS_RESET_WATCHES, 0, "") && is_ok());
		for (i = 0; i < XSD_QUOTA_WATCHES; i++) {
			snprintf(p, sizeof(p), "w%d|t|", i);
			ok &= !req(u5, HVX_XS_WATCH, 0, p) && is_ok();
		}
		EXPECT(ok);
		EXPECT(!req(u5, HVX_XS_WATCH, 0, "over|t|") && is_err("E2BIG"));
		EXPECT(!req(u5, HVX_XS_RESET_WATCHES, 0, "") && is_ok() && u5->nwatches == 0);
	}
}

static uint32_t tx_start(struct xs_conn *c)
{
	if (req(c, HVX_XS_TRANSACTION_START, 0, "|") || !is_ok())
		return 0;
	return (uint32_t)strtoul(R.data, NULL, 10);
}

static bool txw(struct xs_conn *c, uint32_t tx, const char *path, const char *value)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s|%s", path, value);
	return !req(c, HVX_XS_WRITE, tx, buf) && is_ok();
}

static void test_transactions(void)
{
	struct xs_conn *a, *b, *u5;
	uint32_t t1, t2;

	setup();
	a = xs_conn_new(&D, 0, true);
	b = xs_conn_new(&D, 0, true);
	EXPECT(wr(a, "/t/x", "0"));
	/* Isolation and commit. */
	t1 = tx_start(a);
	EXPECT(t1 != 0);
	EXPECT(txw(a, t1, "/t/x", "1") && txw(a, t1, "/t/new/deep", "d"));
	EXPECT(rd(b, "/t/x", "0"));
	EXPECT(!req(b, HVX_XS_READ, 0, "/t/new/deep|") && is_err("ENOENT"));
	EXPECT(!req(a, HVX_XS_READ, t1, "/t/new/deep|") && !strcmp(R.data, "d") && R.tx_id == t1);
	nevents = 0;
	EXPECT(!req(b, HVX_XS_WATCH, 0, "/t|w|") && is_ok());
	nevents = 0;
	EXPECT(!req(a, HVX_XS_TRANSACTION_END, t1, "T|") && is_ok());
	drain(b);
	EXPECT(rd(b, "/t/x", "1") && rd(b, "/t/new/deep", "d"));
	EXPECT(has_event("/t/x w") && has_event("/t/new/deep w"));
	/* The id is gone after the end. */
	EXPECT(!req(a, HVX_XS_READ, t1, "/t/x|") && is_err("ENOENT"));
	/* Conflict: both read x, the other writes it first. */
	t1 = tx_start(a);
	EXPECT(!req(a, HVX_XS_READ, t1, "/t/x|") && is_ok());
	EXPECT(wr(b, "/t/x", "2"));
	EXPECT(txw(a, t1, "/t/y", "from-tx"));
	EXPECT(!req(a, HVX_XS_TRANSACTION_END, t1, "T|") && is_err("EAGAIN"));
	EXPECT(!req(a, HVX_XS_READ, 0, "/t/y|") && is_err("ENOENT"));
	EXPECT(rd(a, "/t/x", "2"));
	/* A directory listing conflicts with a new child. */
	t1 = tx_start(a);
	EXPECT(!req(a, HVX_XS_DIRECTORY, t1, "/t|") && is_ok());
	EXPECT(wr(b, "/t/z", "1"));
	EXPECT(!req(a, HVX_XS_TRANSACTION_END, t1, "T|") && is_err("EAGAIN"));
	/* No conflict on unrelated nodes. */
	t1 = tx_start(a);
	EXPECT(txw(a, t1, "/t/x", "3"));
	EXPECT(wr(b, "/other", "1"));
	EXPECT(!req(a, HVX_XS_TRANSACTION_END, t1, "T|") && is_ok());
	EXPECT(rd(b, "/t/x", "3"));
	/* Removal inside a transaction, then abort. */
	t1 = tx_start(a);
	EXPECT(!req(a, HVX_XS_RM, t1, "/t|") && is_ok());
	EXPECT(!req(a, HVX_XS_READ, t1, "/t/x|") && is_err("ENOENT"));
	EXPECT(!req(a, HVX_XS_TRANSACTION_END, t1, "F|") && is_ok());
	EXPECT(rd(b, "/t/x", "3"));
	/* Removal and re-creation committed: old children gone. */
	t1 = tx_start(a);
	EXPECT(!req(a, HVX_XS_RM, t1, "/t|") && is_ok());
	EXPECT(txw(a, t1, "/t/only", "1"));
	EXPECT(!req(a, HVX_XS_TRANSACTION_END, t1, "T|") && is_ok());
	EXPECT(!req(b, HVX_XS_DIRECTORY, 0, "/t|") && R.len == 5 && !strcmp(R.data, "only"));
	/* Two transactions on one connection; foreign and bad ids and ends. */
	t1 = tx_start(a);
	t2 = tx_start(a);
	EXPECT(t1 && t2 && t1 != t2);
	EXPECT(!req(b, HVX_XS_READ, t1, "/t/only|") && is_err("ENOENT"));
	EXPECT(!req(b, HVX_XS_TRANSACTION_END, t1, "T|") && is_err("ENOENT"));
	EXPECT(!req(a, HVX_XS_READ, 0xfffffff0u, "/t/only|") && is_err("ENOENT"));
	EXPECT(!req(a, HVX_XS_TRANSACTION_END, t1, "X|") && is_err("EINVAL"));
	EXPECT(!req(a, HVX_XS_TRANSACTION_END, 0, "T|") && is_err("ENOENT"));
	EXPECT(!req(a, HVX_XS_TRANSACTION_START, t1, "|") && is_err("EBUSY"));
	EXPECT(!req(a, HVX_XS_TRANSACTION_END, t2, "T|") && is_ok());
	EXPECT(!req(a, HVX_XS_TRANSACTION_END, t1, "T|") && is_ok());
	/* Quota: 10 open transactions, 1024 nodes each, for a guest. */
	u5 = xs_conn_new(&D, 5, false);
	EXPECT(!req(a, HVX_XS_SET_PERMS, 0, "/local/domain|n0|b5|") && is_ok());
	{
		uint32_t ids[XSD_QUOTA_TRANSACTIONS];
		char p[64];
		int i, ok = 1;

		for (i = 0; i < XSD_QUOTA_TRANSACTIONS; i++)
			ok &= (ids[i] = tx_start(u5)) != 0;
		EXPECT(ok);
		EXPECT(!req(u5, HVX_XS_TRANSACTION_START, 0, "|") && is_err("ENOSPC"));
		for (i = 1; i < XSD_QUOTA_TRANSACTIONS; i++)
			req(u5, HVX_XS_TRANSACTION_END, ids[i], "F|");
		for (i = 0; i < XSD_QUOTA_TX_NODES; i++) {
			snprintf(p, sizeof(p), "n%d|", i);
			ok &= !req(u5, HVX_XS_READ, ids[0], p) && is_err("ENOENT");
		}
		EXPECT(ok);
		EXPECT(!req(u5, HVX_XS_READ, ids[0], "one-more|") && is_err("ENOSPC"));
	}
	/* Closing a connection drops its transactions. */
	xs_conn_free(u5);
}

static void test_quotas(void)
{
	char big[XSD_QUOTA_VALUE + 64];
	struct xs_conn *d0, *u5;
	int i, ok = 1;

	setup();
	d0 = xs_conn_new(&D, 0, true);
	u5 = xs_conn_new(&D, 5, false);
	EXPECT(wr(d0, "/local/domain/5", ""));
	EXPECT(!req(d0, HVX_XS_SET_PERMS, 0, "/local/domain/5|n5|") && is_ok());
	/* Value size. */
	memcpy(big, "v\0", 2);
	memset(big + 2, 'a', XSD_QUOTA_VALUE + 1);
	EXPECT(!msg(u5, HVX_XS_WRITE, 0, big, 2 + XSD_QUOTA_VALUE) && is_ok());
	EXPECT(!msg(u5, HVX_XS_WRITE, 0, big, 2 + XSD_QUOTA_VALUE + 1) && is_err("ENOSPC"));
	EXPECT(!msg(d0, HVX_XS_WRITE, 0, "/big\0", 5) && is_ok());
	/* Nodes: /local/domain/5 and v count; up to 1000. */
	for (i = 2; i < XSD_QUOTA_NODES; i++) {
		char p[32];

		snprintf(p, sizeof(p), "n%d|", i);
		ok &= !req(u5, HVX_XS_MKDIR, 0, p) && is_ok();
	}
	EXPECT(ok);
	EXPECT(xs_tree_count_owned(D.tree.root, 5) == XSD_QUOTA_NODES);
	EXPECT(!req(u5, HVX_XS_MKDIR, 0, "over|") && is_err("ENOSPC"));
	EXPECT(!req(u5, HVX_XS_RM, 0, "n2|") && is_ok());
	EXPECT(!req(u5, HVX_XS_MKDIR, 0, "a/b|") && is_err("ENOSPC"));
	EXPECT(!req(u5, HVX_XS_MKDIR, 0, "a|") && is_ok());
	/* Outstanding replies: a client that never reads stops being read. */
	for (i = 0; i < XSD_QUOTA_OUTSTANDING; i++) {
		struct hvx_xsd_sockmsg h = { .type = HVX_XS_READ, .req_id = (uint32_t)i, .len = 2 };

		xs_conn_input(u5, &h, sizeof(h));
		xs_conn_input(u5, "a", 2);
	}
	EXPECT(u5->replies_queued == XSD_QUOTA_OUTSTANDING && xs_conn_want(u5) == 0);
	drain(u5);
	EXPECT(xs_conn_want(u5) == sizeof(struct hvx_xsd_sockmsg));
}

static void test_hostile(void)
{
	struct hvx_xsd_sockmsg h = { .type = HVX_XS_READ, .len = HVX_XENSTORE_PAYLOAD_MAX + 1 };
	struct xs_conn *c, *u5;

	setup();
	c = xs_conn_new(&D, 0, true);
	/* Unknown types and replies-as-requests: ENOSYS, connection kept. */
	EXPECT(!req(c, 9999, 0, "x|") && is_err("ENOSYS"));
	EXPECT(!req(c, HVX_XS_TYPE_COUNT, 0, "") && is_err("ENOSYS"));
	EXPECT(!req(c, 20, 0, "") && is_err("ENOSYS"));
	EXPECT(!req(c, HVX_XS_WATCH_EVENT, 0, "a|b|") && is_err("ENOSYS"));
	EXPECT(!req(c, HVX_XS_ERROR, 0, "EINVAL|") && is_err("ENOSYS"));
	EXPECT(!req(c, HVX_XS_SET_TARGET, 0, "1|2|") && is_err("ENOSYS"));
	/* Missing NULs. */
	EXPECT(!msg(c, HVX_XS_READ, 0, "/vm", 3) && is_err("EINVAL"));
	EXPECT(!msg(c, HVX_XS_WRITE, 0, "/vm", 3) && is_err("EINVAL"));
	EXPECT(!msg(c, HVX_XS_WATCH, 0, "/vm\0tok", 7) && is_err("EINVAL"));
	EXPECT(!msg(c, HVX_XS_READ, 0, "", 0) && is_err("EINVAL"));
	EXPECT(!req(c, HVX_XS_INTRODUCE, 0, "1|2|") && is_err("EINVAL"));
	EXPECT(!req(c, HVX_XS_INTRODUCE, 0, "x|2|3|") && is_err("EINVAL"));
	EXPECT(!req(c, HVX_XS_INTRODUCE, 0, "0|2|3|") && is_err("EINVAL"));
	EXPECT(!req(c, HVX_XS_INTRODUCE, 0, "99999|2|3|") && is_err("EINVAL"));
	EXPECT(!req(c, HVX_XS_RELEASE, 0, "42|") && is_err("ENOENT"));
	EXPECT(!req(c, HVX_XS_GET_DOMAIN_PATH, 0, "-1|") && is_err("EINVAL"));
	EXPECT(!req(c, HVX_XS_DIRECTORY_PART, 0, "/|99|") && is_err("EINVAL"));
	EXPECT(!req(c, HVX_XS_DIRECTORY_PART, 0, "/|x|") && is_err("EINVAL"));
	EXPECT(!req(c, HVX_XS_CONTROL, 0, "bogus|") && is_err("EINVAL"));
	EXPECT(!req(c, HVX_XS_CONTROL, 0, "print|hello|") && is_ok());
	EXPECT(rd(c, "/vm", ""));
	/* A forbidden path from a guest. */
	u5 = xs_conn_new(&D, 5, false);
	EXPECT(!req(u5, HVX_XS_WRITE, 0, "/local/domain/0/x|1") && is_err("EACCES"));
	EXPECT(!req(u5, HVX_XS_SET_PERMS, 0, "/|b5|") && is_err("EACCES"));
	/* Payload over 4096: the connection ends, nothing is answered. */
	memset(&R, 0, sizeof(R));
	EXPECT(xs_conn_input(u5, &h, sizeof(h)) == -1);
	EXPECT(u5->broken && xs_conn_want(u5) == 0 && !xs_conn_out_peek(u5, (const void **)&c));
	xs_conn_free(u5);
}

static void test_directory_part(void)
{
	struct xs_conn *c;
	char name[64], all[8192];
	size_t allen = 0, got = 0;
	int i, rounds = 0;

	setup();
	c = xs_conn_new(&D, 0, true);
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "/d/child-with-a-long-name-%d", i);
		wr(c, name, "");
		allen += strlen(name) - 3 + 1;
	}
	EXPECT(!req(c, HVX_XS_DIRECTORY, 0, "/d|") && is_err("E2BIG"));
	for (;;) {
		char q[64];
		size_t genlen, body;

		snprintf(q, sizeof(q), "/d|%zu|", got);
		if (req(c, HVX_XS_DIRECTORY_PART, 0, q) || !is_ok() || ++rounds > 10)
			break;
		genlen = strlen(R.data) + 1;
		body = R.len - genlen;
		if (body && R.data[R.len - 1] == '\0' && R.data[R.len - 2] == '\0' &&
		    got + body - 1 == allen) {
			memcpy(all + got, R.data + genlen, body - 1);
			got += body - 1;
			break;
		}
		memcpy(all + got, R.data + genlen, body);
		got += body;
	}
	EXPECT(rounds >= 2 && rounds <= 10 && got == allen);
	EXPECT(!strcmp(all, "child-with-a-long-name-0"));
	EXPECT(!strcmp(all + allen - strlen("child-with-a-long-name-299") - 1,
		       "child-with-a-long-name-299"));
}

static int attach_calls, detach_calls;

static int fake_attach(struct xsd *d, struct xs_domain *dom)
{
	attach_calls++;
	if (dom->port == 666)
		return EIO;
	dom->conn = xs_conn_new(d, dom->domid, false);
	return dom->conn ? 0 : ENOMEM;
}

static void fake_detach(struct xsd *d, struct xs_domain *dom)
{
	(void)d;
	(void)dom;
	detach_calls++;
}

static bool alive_none(void *ctx, unsigned int domid)
{
	return domid == *(unsigned int *)ctx;
}

static void test_domains(void)
{
	static const struct xsd_ring_ops ops = { fake_attach, fake_detach };
	struct xs_conn *d0;
	unsigned int keep = 7;

	setup();
	D.ring_ops = &ops;
	d0 = xs_conn_new(&D, 0, true);
	EXPECT(!req(d0, HVX_XS_INTRODUCE, 0, "6|100|5|") && is_ok());
	EXPECT(!req(d0, HVX_XS_INTRODUCE, 0, "6|100|5|") && is_ok());
	EXPECT(!req(d0, HVX_XS_INTRODUCE, 0, "6|101|5|") && is_err("EEXIST"));
	EXPECT(!req(d0, HVX_XS_INTRODUCE, 0, "7|100|6|") && is_ok());
	EXPECT(!req(d0, HVX_XS_INTRODUCE, 0, "8|100|666|") && is_err("EIO"));
	EXPECT(attach_calls == 3 && !xs_domain_find(&D, 8));
	EXPECT(!req(d0, HVX_XS_IS_DOMAIN_INTRODUCED, 0, "8|") && !strcmp(R.data, "F"));
	EXPECT(!req(d0, HVX_XS_IS_DOMAIN_INTRODUCED, 0, "0|") && !strcmp(R.data, "T"));
	EXPECT(wr(d0, "/local/domain/6/name", "six") && wr(d0, "/local/domain/7/name", "seven"));
	EXPECT(!req(d0, HVX_XS_SET_PERMS, 0, "/local/domain/6|n6|") && is_ok());
	EXPECT(wr(xs_domain_find(&D, 6)->conn, "data", "x"));
	EXPECT(wr(d0, "/tool/owned-by-6", ""));
	EXPECT(!req(d0, HVX_XS_SET_PERMS, 0, "/tool/owned-by-6|n6|") && is_ok());
	/* Death of 6 (not in the live list): its home goes, its other
	 * nodes pass to dom0, 7 stays. */
	xs_domain_reap(&D, alive_none, &keep);
	EXPECT(detach_calls == 1 && !xs_domain_find(&D, 6) && xs_domain_find(&D, 7));
	EXPECT(!req(d0, HVX_XS_READ, 0, "/local/domain/6/name|") && is_err("ENOENT"));
	EXPECT(rd(d0, "/local/domain/7/name", "seven"));
	EXPECT(!req(d0, HVX_XS_GET_PERMS, 0, "/tool/owned-by-6|") && !strcmp(R.data, "n0"));
	EXPECT(!req(d0, HVX_XS_RELEASE, 0, "7|") && is_ok() && detach_calls == 2);
	EXPECT(!req(d0, HVX_XS_RESUME, 0, "7|") && is_err("ENOENT"));
	D.ring_ops = NULL;
}

static void test_ring(void)
{
	static struct hvx_xenstore_domain_interface intf;
	char in[3000], out[3000];
	int i, n, got, sent;

	for (i = 0; i < (int)sizeof(in); i++)
		in[i] = (char)(i * 7);
	/* Start near the index wrap to cover it. */
	intf.req_cons = intf.req_prod = 0xfffffe00u;
	intf.rsp_cons = intf.rsp_prod = 0xffffff00u;
	EXPECT(xs_ring_client_write(&intf, in, sizeof(in)) == HVX_XENSTORE_RING_SIZE);
	EXPECT(xs_ring_client_write(&intf, in, 1) == 0);
	EXPECT(xs_ring_read(&intf, out, 100) == 100);
	EXPECT(xs_ring_read(&intf, out + 100, sizeof(out)) == HVX_XENSTORE_RING_SIZE - 100);
	EXPECT(!memcmp(in, out, HVX_XENSTORE_RING_SIZE));
	EXPECT(xs_ring_read(&intf, out, 10) == 0);
	for (sent = got = 0; got < (int)sizeof(in);) {
		n = xs_ring_write(&intf, in + sent, sizeof(in) - (size_t)sent);
		EXPECT(n >= 0);
		sent += n;
		n = xs_ring_client_read(&intf, out + got, 333);
		EXPECT(n >= 0);
		got += n;
		if (n <= 0 && sent == (int)sizeof(in))
			break;
	}
	EXPECT(got == (int)sizeof(in) && !memcmp(in, out, sizeof(in)));
	/* A hostile producer index: refused, nothing copied. */
	intf.req_prod = intf.req_cons + HVX_XENSTORE_RING_SIZE + 1;
	EXPECT(xs_ring_read(&intf, out, sizeof(out)) == -1);
	intf.req_prod = intf.req_cons - 1;
	EXPECT(xs_ring_read(&intf, out, sizeof(out)) == -1);
	intf.rsp_cons = intf.rsp_prod + 5;	/* consumer ahead of us */
	EXPECT(xs_ring_write(&intf, in, 10) == -1);
}

/* Feed header H and LEN bytes of BODY to C in random pieces, never more
 * than it wants (draining its replies when it wants nothing); -1 if it
 * closed. */
static int feed(struct xs_conn *c, const struct hvx_xsd_sockmsg *h, const char *body,
		size_t len, uint32_t *x)
{
	char all[sizeof(*h) + 600];
	size_t total = sizeof(*h) + len, off = 0;

	memcpy(all, h, sizeof(*h));
	memcpy(all + sizeof(*h), body, len);
	while (off < total) {
		size_t want = xs_conn_want(c), n;

		if (c->broken)
			return -1;
		if (!want) {
			drain(c);
			continue;
		}
		*x = *x * 1103515245u + 12345u;
		n = (*x >> 16) % 64 + 1;
		n = n < want ? n : want;
		n = n < total - off ? n : total - off;
		if (xs_conn_input(c, all + off, n))
			return -1;
		off += n;
	}
	return 0;
}

/* Random and mutated messages against a guest and dom0 connection; the
 * store must stay consistent and every connection either answer or close.
 * 2 s with a fixed seed; XSD_FUZZ_SECONDS and XSD_FUZZ_SEED for longer runs. */
static void test_fuzz(void)
{
	static const char *const seeds[] = {
		"/local/domain/5/data|v", "data/x|", "|", "/|", "@releaseDomain|t|",
		"/local/domain/5|n5|r0|", "T|", "5|1|2|", "data|0|", "print|x|",
	};
	const char *secs_env = getenv("XSD_FUZZ_SECONDS"), *seed_env = getenv("XSD_FUZZ_SEED");
	long secs = secs_env ? atol(secs_env) : 2;
	struct timespec t0, t1;
	uint32_t x = seed_env ? (uint32_t)strtoul(seed_env, NULL, 0) : 12345;
	long iters = 0, closed = 0;

	setup();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct xs_conn *c = xs_conn_new(&D, (x & 1) ? 5 : 0, !(x & 1));
		int k;

		for (k = 0; k < 200; k++) {
			char buf[600];
			struct hvx_xsd_sockmsg h;
			size_t len, i;
			const char *s;

			x = x * 1103515245u + 12345u;
			s = seeds[(x >> 8) % (sizeof(seeds) / sizeof(seeds[0]))];
			len = strlen(s);
			memcpy(buf, s, len);
			for (i = 0; i < len; i++)
				if (buf[i] == '|')
					buf[i] = '\0';
			for (i = 0; i < (x >> 20) % 4; i++) {
				x = x * 1103515245u + 12345u;
				if (len < sizeof(buf) - 1 && (x & 3) == 0)
					buf[len++] = (char)(x >> 16);
				else if (len)
					buf[(x >> 16) % len] = (char)(x >> 8);
			}
			x = x * 1103515245u + 12345u;
			h.type = (x >> 24) % (HVX_XS_TYPE_COUNT + 2);
			h.req_id = x;
			h.tx_id = (x & 0x30) ? 0 : (x >> 4) % 8;
			h.len = (x & 0x3ff) == 1 ? 5000 : (uint32_t)len;
			/* In pieces of random size, as a ring or socket delivers
			 * them; replies are taken only now and then. */
			if (feed(c, &h, buf, h.len <= len ? h.len : 0, &x)) {
				closed++;
				break;
			}
			if ((x >> 12) % 4 == 0)
				drain(c);
			iters++;
		}
		xs_conn_free(c);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (t1.tv_sec - t0.tv_sec >= secs || (!secs_env && iters > 2000000))
			break;
	}
	EXPECT(iters > 1000 && closed > 0);
	EXPECT(xs_tree_lookup(&D.tree, "/local/domain") != NULL);
	{
		struct xs_conn *c = xs_conn_new(&D, 0, true);

		EXPECT(rd(c, "/vm", "") && wr(c, "/after/fuzz", "ok") && rd(c, "/after/fuzz", "ok"));
	}
	printf("  fuzz: %ld messages, %ld connections closed\n", iters, closed);
}

int main(void)
{
	xsd_init(&D);
	RUN(test_initial_tree);
	RUN(test_read_write_rm);
	RUN(test_paths);
	RUN(test_perms);
	RUN(test_watches);
	RUN(test_transactions);
	RUN(test_quotas);
	RUN(test_hostile);
	RUN(test_directory_part);
	RUN(test_domains);
	RUN(test_ring);
	RUN(test_fuzz);
	xsd_fini(&D);
	return UNIT_EXIT();
}
