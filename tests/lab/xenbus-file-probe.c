// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus-file-probe.c: the store's wire protocol through xenfs's xenbus file
 * (/proc/xen/xenbus), as a Xen client speaks it, in dom0 or in a domU.
 *
 *   xenbus-file-probe run BASE       requests, replies in order, messages
 *                                    in pieces, watches, transactions (and
 *                                    their abort when the file closes)
 *   xenbus-file-probe hostile BASE   bad messages: each gets an error reply
 *                                    or a failed write, never more
 *   xenbus-file-probe xsd            dom0: xsd_kva maps the ring the kernel
 *                                    talks through, xsd_port is its port
 *   xenbus-file-probe give DOMID PATH    mkdir PATH owned by DOMID (dom0)
 *   xenbus-file-probe write PATH VALUE
 *   xenbus-file-probe read PATH
 *   xenbus-file-probe waitwatch PATH VALUE SECONDS
 *                                    watch PATH; print "watching" once the
 *                                    first event came, then wait for an
 *                                    event after which PATH reads VALUE
 *
 * BASE is a store directory the caller may write (relative paths are below
 * the domain's home). Prints PASS/FAIL lines; exit status 1 if any failed.
 * XENBUS_FILE (environment) names another file, e.g. /dev/xen/xenbus.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "xen/hvx/xen-abi.h"

#define HDR	sizeof(struct hvx_xsd_sockmsg)
#define MAX_STASH 64

struct msg {
	struct hvx_xsd_sockmsg h;
	char body[HVX_XENSTORE_PAYLOAD_MAX + 1];	/* NUL-terminated copy */
};

static const char *file_path = "/proc/xen/xenbus";
static int failures;
static uint32_t next_req = 1;
static struct msg stash[MAX_STASH];	/* watch events seen while waiting */
static int nstash;

static void check(int ok, const char *what)
{
	printf("%s %s\n", ok ? "PASS" : "FAIL", what);
	failures += !ok;
}

static int open_file(void)
{
	int fd = open(file_path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		printf("FAIL open %s: %s\n", file_path, strerror(errno));
		exit(1);
	}
	return fd;
}

/* One write() of a whole message; the write's result. */
static ssize_t send_msg(int fd, uint32_t type, uint32_t req, uint32_t tx,
			const void *payload, uint32_t len)
{
	static char buf[HDR + 65536];
	struct hvx_xsd_sockmsg h = { type, req, tx, len };

	if (len > sizeof(buf) - HDR)
		len = sizeof(buf) - HDR;
	memcpy(buf, &h, HDR);
	memcpy(buf + HDR, payload, len);
	return write(fd, buf, HDR + len);
}

/* Read exactly @n bytes, waiting at most @ms for each piece; 0 or -1. */
static int read_full(int fd, void *buf, size_t n, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		if (poll(&p, 1, ms) != 1)
			return -1;
		r = read(fd, (char *)buf + got, n - got);
		if (r <= 0)
			return -1;
		got += r;
	}
	return 0;
}

static int recv_msg(int fd, struct msg *m, int ms)
{
	if (read_full(fd, &m->h, HDR, ms))
		return -1;
	if (m->h.len > HVX_XENSTORE_PAYLOAD_MAX)
		return -1;
	if (read_full(fd, m->body, m->h.len, ms))
		return -1;
	m->body[m->h.len] = '\0';
	return 0;
}

/* The reply to request @req; watch events met on the way are stashed. */
static int recv_reply(int fd, uint32_t req, struct msg *m)
{
	for (;;) {
		if (recv_msg(fd, m, 5000))
			return -1;
		if (m->h.type != HVX_XS_WATCH_EVENT)
			return m->h.req_id == req ? 0 : -1;
		if (nstash < MAX_STASH)
			stash[nstash++] = *m;
	}
}

/* A request and its reply; -1 if none came or it did not match. */
static int request(int fd, uint32_t type, uint32_t tx, const void *payload,
		   uint32_t len, struct msg *m)
{
	uint32_t req = next_req++;

	if (send_msg(fd, type, req, tx, payload, len) != (ssize_t)(HDR + len))
		return -1;
	return recv_reply(fd, req, m);
}

static int request_str(int fd, uint32_t type, uint32_t tx, const char *s,
		       struct msg *m)
{
	return request(fd, type, tx, s, strlen(s) + 1, m);
}

/* "path\0value" (no NUL after the value), as Xen's WRITE. */
static int do_write(int fd, uint32_t tx, const char *path, const char *value,
		    struct msg *m)
{
	char buf[HVX_XENSTORE_PAYLOAD_MAX];
	size_t pl = strlen(path) + 1, vl = strlen(value);

	if (pl + vl > sizeof(buf))
		return -1;
	memcpy(buf, path, pl);
	memcpy(buf + pl, value, vl);
	return request(fd, HVX_XS_WRITE, tx, buf, pl + vl, m);
}

static int two_strings(char *buf, size_t size, const char *a, const char *b)
{
	size_t al = strlen(a) + 1, bl = strlen(b) + 1;

	if (al + bl > size)
		return -1;
	memcpy(buf, a, al);
	memcpy(buf + al, b, bl);
	return al + bl;
}

static int watch_op(int fd, uint32_t type, const char *path, const char *token,
		    struct msg *m)
{
	char buf[HVX_XENSTORE_PAYLOAD_MAX];
	int n = two_strings(buf, sizeof(buf), path, token);

	return n < 0 ? -1 : request(fd, type, 0, buf, n, m);
}

static int is_ok(const struct msg *m, uint32_t type)
{
	return m->h.type == type && m->h.len == 3 && !strcmp(m->body, "OK");
}

static int is_error(const struct msg *m, const char *name)
{
	return m->h.type == HVX_XS_ERROR && m->h.len == strlen(name) + 1 &&
	       !strcmp(m->body, name);
}

/* A watch event for (path, token) within @ms, stashed ones first. */
static int wait_event(int fd, const char *path, const char *token, int ms)
{
	struct msg m;
	int i;

	for (i = 0; i < nstash; i++) {
		size_t pl = strlen(stash[i].body);

		if (!strcmp(stash[i].body, path) &&
		    !strcmp(stash[i].body + pl + 1, token)) {
			memmove(&stash[i], &stash[i + 1],
				(nstash - i - 1) * sizeof(stash[0]));
			nstash--;
			return 0;
		}
	}
	while (!recv_msg(fd, &m, ms)) {
		if (m.h.type != HVX_XS_WATCH_EVENT)
			continue;
		if (!strcmp(m.body, path) && !strcmp(m.body + strlen(m.body) + 1, token))
			return 0;
		if (nstash < MAX_STASH)
			stash[nstash++] = m;
	}
	return -1;
}

/* Did an event with @token come (and wait in the stash)? */
static int stashed_token(const char *token)
{
	int i;

	for (i = 0; i < nstash; i++)
		if (!strcmp(stash[i].body + strlen(stash[i].body) + 1, token))
			return 1;
	return 0;
}

static int readable_within(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

/* BASE/NAME in one of four rotating buffers: keep no result for long. */
static char *join(const char *base, const char *name)
{
	static char bufs[4][512];
	static int n;
	char *b = bufs[n++ & 3];

	snprintf(b, sizeof(bufs[0]), "%s/%s", base, name);
	return b;
}

/* ---- run ------------------------------------------------------------- */

static void run_basic(int fd, const char *base)
{
	struct msg m;
	uint32_t req;
	char buf[HDR + 64];
	size_t i, n;
	ssize_t w;

	check(!request_str(fd, HVX_XS_MKDIR, 0, base, &m) && is_ok(&m, HVX_XS_MKDIR),
	      "mkdir BASE");
	check(!do_write(fd, 0, join(base, "a"), "hello", &m) && is_ok(&m, HVX_XS_WRITE),
	      "write BASE/a");
	check(!request_str(fd, HVX_XS_READ, 0, join(base, "a"), &m) &&
	      m.h.type == HVX_XS_READ && m.h.len == 5 && !memcmp(m.body, "hello", 5),
	      "read BASE/a gives hello");
	check(!do_write(fd, 0, join(base, "d/x"), "1", &m) && is_ok(&m, HVX_XS_WRITE),
	      "write BASE/d/x (parents made)");
	check(!request_str(fd, HVX_XS_DIRECTORY, 0, join(base, "d"), &m) &&
	      m.h.type == HVX_XS_DIRECTORY && m.h.len == 2 && !strcmp(m.body, "x"),
	      "directory BASE/d lists x");
	check(!request_str(fd, HVX_XS_READ, 0, join(base, "missing"), &m) &&
	      is_error(&m, "ENOENT"), "read a missing node: ENOENT");
	check(!request_str(fd, HVX_XS_GET_PERMS, 0, join(base, "a"), &m) &&
	      m.h.type == HVX_XS_GET_PERMS && m.h.len > 1, "get_perms BASE/a");

	/* A message in pieces: the header three bytes at a time, then the
	 * payload one byte at a time. */
	req = next_req++;
	n = strlen(join(base, "a")) + 1;
	{
		struct hvx_xsd_sockmsg h = { HVX_XS_READ, req, 0, n };

		memcpy(buf, &h, HDR);
		memcpy(buf + HDR, join(base, "a"), n);
	}
	w = 0;
	for (i = 0; i < HDR; i += 3)
		w += write(fd, buf + i, i + 3 <= HDR ? 3 : HDR - i);
	for (i = 0; i < n; i++)
		w += write(fd, buf + HDR + i, 1);
	check(w == (ssize_t)(HDR + n) && !recv_reply(fd, req, &m) &&
	      m.h.type == HVX_XS_READ && m.h.len == 5,
	      "a request written in pieces is answered once");

	/* Two requests in one write: two replies, in order, ids echoed. */
	{
		char two[2 * (HDR + 256)];
		const char *p = join(base, "a");
		struct hvx_xsd_sockmsg h1 = { HVX_XS_READ, 1000, 0, strlen(p) + 1 };
		struct hvx_xsd_sockmsg h2 = { HVX_XS_DIRECTORY, 1001, 0, strlen(base) + 1 };
		size_t off = 0;
		struct msg r1, r2;

		memcpy(two + off, &h1, HDR);
		off += HDR;
		memcpy(two + off, p, h1.len);
		off += h1.len;
		memcpy(two + off, &h2, HDR);
		off += HDR;
		memcpy(two + off, base, h2.len);
		off += h2.len;
		check(write(fd, two, off) == (ssize_t)off && !recv_msg(fd, &r1, 5000) &&
		      !recv_msg(fd, &r2, 5000) && r1.h.req_id == 1000 &&
		      r1.h.type == HVX_XS_READ && r2.h.req_id == 1001 &&
		      r2.h.type == HVX_XS_DIRECTORY,
		      "two requests in one write: both answered, in order");
	}
	check(!readable_within(fd, 100), "nothing more to read");
}

static void run_watches(int fd, const char *base)
{
	char w[512];
	struct msg m;
	int i;

	snprintf(w, sizeof(w), "%s/w", base);	/* join()'s buffers rotate */

	check(!do_write(fd, 0, w, "", &m) && is_ok(&m, HVX_XS_WRITE), "write BASE/w");
	check(!watch_op(fd, HVX_XS_WATCH, w, "tok-1", &m) && is_ok(&m, HVX_XS_WATCH),
	      "watch BASE/w: OK");
	check(!wait_event(fd, w, "tok-1", 3000), "the watch fires once when set");
	check(!do_write(fd, 0, join(w, "z"), "2", &m) && is_ok(&m, HVX_XS_WRITE),
	      "write BASE/w/z");
	check(!wait_event(fd, join(w, "z"), "tok-1", 3000),
	      "the watch fires for BASE/w/z with our token");
	check(!watch_op(fd, HVX_XS_WATCH, w, "tok-1", &m) && is_error(&m, "EEXIST"),
	      "the same watch again: EEXIST");
	check(!watch_op(fd, HVX_XS_WATCH, w, "tok-2", &m) && is_ok(&m, HVX_XS_WATCH),
	      "a second token on the same path: OK");
	check(!wait_event(fd, w, "tok-2", 3000), "it fires once when set");
	check(!watch_op(fd, HVX_XS_UNWATCH, w, "tok-1", &m) && is_ok(&m, HVX_XS_UNWATCH),
	      "unwatch tok-1");
	check(!watch_op(fd, HVX_XS_UNWATCH, w, "tok-1", &m) && is_error(&m, "ENOENT"),
	      "unwatch it again: ENOENT");
	nstash = 0;
	check(!do_write(fd, 0, join(w, "z"), "3", &m) && is_ok(&m, HVX_XS_WRITE),
	      "write BASE/w/z again");
	check(!wait_event(fd, join(w, "z"), "tok-2", 3000), "tok-2 still fires");
	check(!stashed_token("tok-1") && !readable_within(fd, 300), "tok-1 fires no more");
	/* Watches of a file go with it: a new file sees none of them. */
	for (i = 0; i < 3; i++) {
		int fd2 = open_file();
		char tok[16];

		snprintf(tok, sizeof(tok), "gone-%d", i);
		check(!watch_op(fd2, HVX_XS_WATCH, w, tok, &m) && is_ok(&m, HVX_XS_WATCH),
		      "watch on a short-lived file");
		close(fd2);
	}
	check(!watch_op(fd, HVX_XS_UNWATCH, w, "tok-2", &m) && is_ok(&m, HVX_XS_UNWATCH),
	      "unwatch tok-2");
}

static int start_tx(int fd, uint32_t *id)
{
	struct msg m;

	if (request(fd, HVX_XS_TRANSACTION_START, 0, "", 1, &m) ||
	    m.h.type != HVX_XS_TRANSACTION_START)
		return -1;
	*id = strtoul(m.body, NULL, 10);
	return *id ? 0 : -1;
}

static void run_transactions(int fd, const char *base)
{
	char t[512];
	struct msg m;
	uint32_t id, ids[11];
	int i, n;

	snprintf(t, sizeof(t), "%s/t", base);

	check(!start_tx(fd, &id), "transaction_start gives an id");
	check(!do_write(fd, id, t, "in", &m) && is_ok(&m, HVX_XS_WRITE),
	      "write BASE/t inside it");
	check(!request_str(fd, HVX_XS_READ, 0, t, &m) && is_error(&m, "ENOENT"),
	      "outside, BASE/t does not exist yet");
	check(!request_str(fd, HVX_XS_TRANSACTION_END, id, "T", &m) &&
	      is_ok(&m, HVX_XS_TRANSACTION_END), "transaction_end T: OK");
	check(!request_str(fd, HVX_XS_READ, 0, t, &m) && m.h.type == HVX_XS_READ &&
	      m.h.len == 2 && !memcmp(m.body, "in", 2), "committed: BASE/t reads in");
	check(!request_str(fd, HVX_XS_READ, id, t, &m) && is_error(&m, "ENOENT"),
	      "the ended transaction's id: ENOENT");
	check(!request_str(fd, HVX_XS_READ, 0x7777, t, &m) && is_error(&m, "ENOENT"),
	      "a transaction id this file never had: ENOENT");

	/* A transaction of another file is not ours to use. */
	{
		int fd2 = open_file();
		uint32_t other;

		check(!start_tx(fd2, &other), "a second file starts a transaction");
		check(!request_str(fd, HVX_XS_READ, other, t, &m) && is_error(&m, "ENOENT"),
		      "the first file may not use it");
		check(!request_str(fd2, HVX_XS_TRANSACTION_END, other, "F", &m) &&
		      is_ok(&m, HVX_XS_TRANSACTION_END), "its owner aborts it");
		close(fd2);
	}

	/* Per-file limit, and transactions left open are aborted at close:
	 * twelve files each leaving one open, then more still start. */
	for (n = 0; n < 11 && !start_tx(fd, &ids[n]); n++)
		;
	/* Ten per file; fewer if the kernel's own use the connection's quota. */
	printf("-- %d transactions open on one file\n", n);
	check(n >= 5 && n <= 10, "at most ten open transactions per file");
	check(n == 11 || (!request(fd, HVX_XS_TRANSACTION_START, 0, "", 1, &m) &&
			  is_error(&m, "ENOSPC")), "the next one: ENOSPC");
	for (i = 0; i < n; i++)
		request_str(fd, HVX_XS_TRANSACTION_END, ids[i], "F", &m);
	for (i = 0; i < 12; i++) {
		int fd2 = open_file();
		uint32_t left;

		if (start_tx(fd2, &left) ||
		    do_write(fd2, left, join(base, "left"), "x", &m)) {
			check(0, "a transaction left open on close");
			close(fd2);
			break;
		}
		close(fd2);
	}
	check(!start_tx(fd, &id), "after twelve files closed mid-transaction, one starts");
	request_str(fd, HVX_XS_TRANSACTION_END, id, "F", &m);
	check(!request_str(fd, HVX_XS_READ, 0, join(base, "left"), &m) &&
	      is_error(&m, "ENOENT"), "and none of their writes was committed");
}

static int cmd_run(const char *base)
{
	int fd = open_file();
	struct msg m;

	run_basic(fd, base);
	run_watches(fd, base);
	run_transactions(fd, base);
	check(!request_str(fd, HVX_XS_RM, 0, base, &m) && is_ok(&m, HVX_XS_RM),
	      "rm BASE");
	close(fd);
	printf("%s\n", failures ? "xenbus-file-probe: FAILED" : "xenbus-file-probe: all passed");
	return failures ? 1 : 0;
}

/* ---- hostile ---------------------------------------------------------- */

/* After a bad message, the file still answers a plain request. */
static int still_works(int fd, const char *base)
{
	struct msg m;

	return !request_str(fd, HVX_XS_READ, 0, base, &m) &&
	       (m.h.type == HVX_XS_READ || m.h.type == HVX_XS_ERROR);
}

static void expect_write_error(int fd, const char *base, uint32_t type,
			       uint32_t len, const char *what)
{
	char line[128];
	ssize_t r;

	if (len > 4) {
		/* Only the header: its length alone is wrong. */
		struct hvx_xsd_sockmsg h = { type, next_req++, 0, len };

		r = write(fd, &h, HDR);
	} else {
		r = send_msg(fd, type, next_req++, 0, "xxxx", len);
	}
	snprintf(line, sizeof(line), "%s: write fails with EINVAL", what);
	check(r < 0 && errno == EINVAL, line);
	snprintf(line, sizeof(line), "%s: the file still answers", what);
	check(still_works(fd, base), line);
}

static int cmd_hostile(const char *base)
{
	static char big[HVX_XENSTORE_PAYLOAD_MAX + 64];
	int fd = open_file(), i, n;
	struct msg m;
	struct pollfd p;
	ssize_t r;

	check(!request_str(fd, HVX_XS_MKDIR, 0, base, &m) && is_ok(&m, HVX_XS_MKDIR),
	      "mkdir BASE");
	expect_write_error(fd, base, HVX_XS_READ, HVX_XENSTORE_PAYLOAD_MAX + 1,
			   "payload length 4097");
	expect_write_error(fd, base, HVX_XS_READ, 0xffffffffu, "payload length 2^32-1");
	expect_write_error(fd, base, 99, 4, "unknown type 99");
	expect_write_error(fd, base, HVX_XS_TYPE_COUNT, 4, "type past the last");
	expect_write_error(fd, base, HVX_XS_WATCH_EVENT, 4, "a WATCH_EVENT from the client");
	expect_write_error(fd, base, HVX_XS_ERROR, 4, "an ERROR from the client");
	expect_write_error(fd, base, HVX_XS_RESET_WATCHES, 0, "RESET_WATCHES (the kernel's)");

	/* Payloads the store must refuse: an error reply, nothing worse. */
	check(!request(fd, HVX_XS_READ, 0, "abc", 3, &m) && m.h.type == HVX_XS_ERROR,
	      "a path without its NUL: error reply");
	check(!request(fd, HVX_XS_READ, 0, "", 0, &m) && m.h.type == HVX_XS_ERROR,
	      "an empty READ: error reply");
	check(!request(fd, HVX_XS_WATCH, 0, "abc", 3, &m) && is_error(&m, "EINVAL"),
	      "a WATCH without NULs: EINVAL");
	check(!request(fd, HVX_XS_WATCH, 0, "abc\0tok", 7, &m) && is_error(&m, "EINVAL"),
	      "a WATCH whose token has no NUL: EINVAL");
	check(!request(fd, HVX_XS_UNWATCH, 0, "\0tok", 5, &m) && is_error(&m, "EINVAL"),
	      "an UNWATCH with an empty path: EINVAL");
	memset(big, 'a', sizeof(big));
	big[0] = '/';
	big[HVX_XENSTORE_PAYLOAD_MAX - 1] = '\0';
	check(!request(fd, HVX_XS_READ, 0, big, HVX_XENSTORE_PAYLOAD_MAX, &m) &&
	      m.h.type == HVX_XS_ERROR, "a 4095-byte path: error reply");
	check(!request(fd, HVX_XS_TRANSACTION_END, 0x12345, "T", 2, &m) &&
	      is_error(&m, "ENOENT"), "ending a foreign transaction: ENOENT");
	check(write(fd, big, 0) == 0, "an empty write: 0");
	check(still_works(fd, base), "the file still answers");

	/* Too many watches on one file. */
	for (n = 0; n < 130; n++) {
		char tok[16];

		snprintf(tok, sizeof(tok), "t%d", n);
		if (watch_op(fd, HVX_XS_WATCH, base, tok, &m) || !is_ok(&m, HVX_XS_WATCH))
			break;
	}
	printf("-- %d watches accepted\n", n);
	check(n >= 1 && n <= 128 && (is_error(&m, "E2BIG") || m.h.type == HVX_XS_ERROR),
	      "watches beyond the limit are refused");
	close(fd);

	/* A reader that never reads: writes stop, nothing is lost. */
	fd = open(file_path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	{
		const char *path = base;
		uint32_t len = strlen(path) + 1;

		for (n = 0; n < 100000; n++) {
			r = send_msg(fd, HVX_XS_DIRECTORY, 5000 + n, 0, path, len);
			if (r < 0)
				break;
		}
		printf("-- %d requests queued before the file pushed back\n", n);
		check(r < 0 && errno == EAGAIN && n > 0 && n < 100000,
		      "a lagging reader: write gives EAGAIN");
		p.fd = fd;
		p.events = POLLOUT;
		check(poll(&p, 1, 0) == 0, "poll: not writable while full");
		for (i = 0; i < n; i++) {
			if (read_full(fd, &m.h, HDR, 5000) || m.h.req_id != (uint32_t)(5000 + i) ||
			    read_full(fd, m.body, m.h.len, 5000))
				break;
		}
		check(i == n, "every queued reply comes back, in order");
		check(poll(&p, 1, 0) == 1 && (p.revents & POLLOUT), "poll: writable again");
	}
	close(fd);

	/* Half a message, then close. */
	fd = open_file();
	{
		struct hvx_xsd_sockmsg h = { HVX_XS_WRITE, 1, 0, 100 };

		check(write(fd, &h, HDR) == (ssize_t)HDR && write(fd, "abc", 3) == 3,
		      "half a message written");
	}
	close(fd);
	fd = open_file();
	check(!request_str(fd, HVX_XS_RM, 0, base, &m) && is_ok(&m, HVX_XS_RM), "rm BASE");
	close(fd);
	printf("%s\n", failures ? "xenbus-file-probe: FAILED" : "xenbus-file-probe: all passed");
	return failures ? 1 : 0;
}

/* ---- xsd (dom0) ------------------------------------------------------- */

static int cmd_xsd(void)
{
	struct hvx_xenstore_domain_interface *ring;
	uint32_t before, after;
	char text[32] = "";
	int fd, kfd, n;
	struct msg m;
	void *p;

	fd = open("/proc/xen/xsd_port", O_RDONLY);
	n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);
	if (fd >= 0)
		close(fd);
	text[n > 0 ? n : 0] = '\0';
	printf("-- xsd_port [%s]\n", text);
	check(n > 0 && strspn(text, "0123456789") == (size_t)n && atoi(text) > 0,
	      "xsd_port: a port number in decimal, no newline");

	kfd = open("/proc/xen/xsd_kva", O_RDWR);
	check(kfd >= 0, "open xsd_kva");
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, kfd, 0);
	check(p == MAP_FAILED, "a private mapping is refused");
	if (p != MAP_FAILED)
		munmap(p, 4096);
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, kfd, 0);
	check(p == MAP_FAILED, "two pages are refused");
	if (p != MAP_FAILED)
		munmap(p, 8192);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, kfd, 4096);
	check(p == MAP_FAILED, "offset 4096 is refused");
	if (p != MAP_FAILED)
		munmap(p, 4096);
	ring = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, kfd, 0);
	check(ring != MAP_FAILED, "one shared page maps");
	if (ring == MAP_FAILED)
		return 1;
	before = __atomic_load_n(&ring->req_prod, __ATOMIC_ACQUIRE);
	fd = open_file();
	check(!request_str(fd, HVX_XS_READ, 0, "/local", &m), "a request through the xenbus file");
	close(fd);
	after = __atomic_load_n(&ring->req_prod, __ATOMIC_ACQUIRE);
	printf("-- ring req_prod %u -> %u\n", before, after);
	check(after - before >= HDR + 7, "it went through the mapped ring");
	munmap(ring, 4096);
	close(kfd);
	printf("%s\n", failures ? "xenbus-file-probe: FAILED" : "xenbus-file-probe: all passed");
	return failures ? 1 : 0;
}

/* ---- small commands ------------------------------------------------------ */

static int cmd_give(const char *domid, const char *path)
{
	char buf[512];
	int fd = open_file(), n;
	struct msg m;

	if (request_str(fd, HVX_XS_MKDIR, 0, path, &m) || !is_ok(&m, HVX_XS_MKDIR)) {
		fprintf(stderr, "mkdir %s: %s\n", path, m.body);
		return 1;
	}
	snprintf(buf, sizeof(buf) - 16, "%s", path);
	n = strlen(buf) + 1;
	n += snprintf(buf + n, sizeof(buf) - n, "n%s", domid) + 1;
	if (request(fd, HVX_XS_SET_PERMS, 0, buf, n, &m) || !is_ok(&m, HVX_XS_SET_PERMS)) {
		fprintf(stderr, "set_perms %s: %s\n", path, m.body);
		return 1;
	}
	return 0;
}

static int cmd_write(const char *path, const char *value)
{
	int fd = open_file();
	struct msg m;

	if (do_write(fd, 0, path, value, &m) || !is_ok(&m, HVX_XS_WRITE)) {
		fprintf(stderr, "write %s: %s\n", path, m.body);
		return 1;
	}
	return 0;
}

static int cmd_read(const char *path)
{
	int fd = open_file();
	struct msg m;

	if (request_str(fd, HVX_XS_READ, 0, path, &m) || m.h.type != HVX_XS_READ) {
		fprintf(stderr, "read %s: %s\n", path, m.body);
		return 1;
	}
	printf("%s\n", m.body);
	return 0;
}

static int cmd_waitwatch(const char *path, const char *value, int secs)
{
	int fd = open_file(), fd2 = open_file();
	time_t end = time(NULL) + secs;
	struct msg m;

	if (watch_op(fd, HVX_XS_WATCH, path, "waitwatch", &m) || !is_ok(&m, HVX_XS_WATCH)) {
		fprintf(stderr, "watch %s: %s\n", path, m.body);
		return 1;
	}
	if (recv_msg(fd, &m, 5000) || m.h.type != HVX_XS_WATCH_EVENT) {
		fprintf(stderr, "the watch did not fire when set\n");
		return 1;
	}
	printf("watching\n");
	fflush(stdout);
	while (time(NULL) < end) {
		struct msg r;

		if (recv_msg(fd, &m, 1000))
			continue;
		if (m.h.type != HVX_XS_WATCH_EVENT)
			continue;
		printf("event %s\n", m.body);
		if (!request_str(fd2, HVX_XS_READ, 0, path, &r) && r.h.type == HVX_XS_READ &&
		    !strcmp(r.body, value)) {
			printf("%s reads %s\n", path, value);
			return 0;
		}
	}
	printf("no event made %s read %s\n", path, value);
	return 1;
}

int main(int argc, char **argv)
{
	const char *env = getenv("XENBUS_FILE");

	if (env && *env)
		file_path = env;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "run"))
		return cmd_run(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "hostile"))
		return cmd_hostile(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "xsd"))
		return cmd_xsd();
	if (argc == 4 && !strcmp(argv[1], "give"))
		return cmd_give(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "write"))
		return cmd_write(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "read"))
		return cmd_read(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "waitwatch"))
		return cmd_waitwatch(argv[2], argv[3], atoi(argv[4]));
	fprintf(stderr, "usage: see the comment at the top of xenbus-file-probe.c\n");
	return 2;
}
