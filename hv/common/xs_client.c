// SPDX-License-Identifier: GPL-2.0-only
/* xs_client.c: the xenstore client library (see xs_client.h). One request
 * at a time; watch events that arrive while waiting for a reply are kept
 * for xs_client_read_watch(). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/xs_client.h"
#include "xen/hvx/xen-abi.h"

struct xs_event {
	struct xs_event *next;
	char *path, *token;
};

struct xs_client {
	int fd;
	uint32_t req_id;
	struct xs_event *events, *events_tail;
	char path[PATH_MAX];
};

static const struct {
	int err;
	const char *name;
} errnames[] = {
#define XS_ERROR_ENTRY(e) { e, #e },
	HVX_XS_ERRORS(XS_ERROR_ENTRY)
#undef XS_ERROR_ENTRY
};

const char *xs_error_name(int err)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].err == err)
			return errnames[i].name;
	return NULL;
}

const char *xs_client_strerror(int err)
{
	const char *name = xs_error_name(err);

	return name ? name : strerror(err);
}

static int errno_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (!strcmp(errnames[i].name, name))
			return errnames[i].err;
	return EIO;
}

static int open_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

struct xs_client *xs_client_open(const char *path)
{
	const char *env = getenv("XENSTORED_PATH");
	struct xs_client *h;
	struct stat st;
	int e;

	if (!path) {
		if (env && *env)
			path = env;
		else if (!stat(XS_CLIENT_SOCKET, &st))
			path = XS_CLIENT_SOCKET;
		else if (!stat(XS_CLIENT_DEV_XENBUS, &st))
			path = XS_CLIENT_DEV_XENBUS;
		else
			path = XS_CLIENT_PROC_XENBUS;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	snprintf(h->path, sizeof(h->path), "%s", path);
	if (!stat(path, &st) && S_ISSOCK(st.st_mode))
		h->fd = open_socket(path);
	else
		h->fd = open(path, O_RDWR | O_CLOEXEC);
	if (h->fd < 0) {
		e = errno;
		free(h);
		errno = e;
		return NULL;
	}
	return h;
}

void xs_client_close(struct xs_client *h)
{
	struct xs_event *ev;

	if (!h)
		return;
	while ((ev = h->events)) {
		h->events = ev->next;
		free(ev->path);
		free(ev);
	}
	close(h->fd);
	free(h);
}

const char *xs_client_path(const struct xs_client *h)
{
	return h->path;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One message from the store: header and a NUL-terminated copy of the
 * payload. */
static int read_msg(struct xs_client *h, struct hvx_xsd_sockmsg *hdr, char **payload)
{
	if (read_all(h->fd, hdr, sizeof(*hdr)) || hdr->len > HVX_XENSTORE_PAYLOAD_MAX)
		return EIO;
	*payload = malloc(hdr->len + 1);
	if (!*payload)
		return ENOMEM;
	if (read_all(h->fd, *payload, hdr->len)) {
		free(*payload);
		return EIO;
	}
	(*payload)[hdr->len] = '\0';
	return 0;
}

static void keep_event(struct xs_client *h, char *payload, unsigned int len)
{
	struct xs_event *ev = calloc(1, sizeof(*ev));
	size_t plen = strnlen(payload, len);

	if (!ev || plen + 1 >= len + 1) {
		free(ev);
		free(payload);
		return;
	}
	ev->path = payload;
	ev->token = payload + plen + 1;
	if (h->events_tail)
		h->events_tail->next = ev;
	else
		h->events = ev;
	h->events_tail = ev;
}

int xs_client_request(struct xs_client *h, uint32_t type, uint32_t tx,
		      const void *payload, unsigned int len, char **reply, unsigned int *rlen)
{
	struct hvx_xsd_sockmsg hdr = { .type = type, .req_id = ++h->req_id, .tx_id = tx,
				       .len = len };
	char msg[sizeof(hdr) + HVX_XENSTORE_PAYLOAD_MAX];
	char *data;
	int err;

	if (len > HVX_XENSTORE_PAYLOAD_MAX)
		return E2BIG;
	/* One write: a xenbus file wants the message whole. */
	memcpy(msg, &hdr, sizeof(hdr));
	memcpy(msg + sizeof(hdr), payload, len);
	if (write_all(h->fd, msg, sizeof(hdr) + len))
		return EIO;
	for (;;) {
		err = read_msg(h, &hdr, &data);
		if (err)
			return err;
		if (hdr.type == HVX_XS_WATCH_EVENT) {
			keep_event(h, data, hdr.len);
			continue;
		}
		break;
	}
	if (hdr.type == HVX_XS_ERROR) {
		err = errno_of(data);
		free(data);
		return err;
	}
	if (hdr.type != type) {
		free(data);
		return EIO;
	}
	if (reply) {
		*reply = data;
		if (rlen)
			*rlen = hdr.len;
	} else {
		free(data);
	}
	return 0;
}

/* Concatenate NUL-terminated strings into BUF; bytes used or -1. */
static int pack(char *buf, size_t size, const char *const *s, unsigned int n)
{
	size_t used = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		size_t l = strlen(s[i]) + 1;

		if (used + l > size)
			return -1;
		memcpy(buf + used, s[i], l);
		used += l;
	}
	return (int)used;
}

static int simple(struct xs_client *h, uint32_t type, uint32_t tx, const char *const *s,
		  unsigned int n, char **reply, unsigned int *rlen)
{
	char buf[HVX_XENSTORE_PAYLOAD_MAX];
	int len = pack(buf, sizeof(buf), s, n);

	if (len < 0)
		return E2BIG;
	return xs_client_request(h, type, tx, buf, (unsigned int)len, reply, rlen);
}

int xs_client_read(struct xs_client *h, uint32_t tx, const char *path,
		   char **value, unsigned int *len)
{
	return simple(h, HVX_XS_READ, tx, &path, 1, value, len);
}

int xs_client_write(struct xs_client *h, uint32_t tx, const char *path,
		    const void *value, unsigned int len)
{
	char buf[HVX_XENSTORE_PAYLOAD_MAX];
	size_t plen = strlen(path) + 1;

	if (plen + len > sizeof(buf))
		return E2BIG;
	memcpy(buf, path, plen);
	memcpy(buf + plen, value, len);
	return xs_client_request(h, HVX_XS_WRITE, tx, buf, (unsigned int)(plen + len), NULL, NULL);
}

int xs_client_mkdir(struct xs_client *h, uint32_t tx, const char *path)
{
	return simple(h, HVX_XS_MKDIR, tx, &path, 1, NULL, NULL);
}

int xs_client_rm(struct xs_client *h, uint32_t tx, const char *path)
{
	return simple(h, HVX_XS_RM, tx, &path, 1, NULL, NULL);
}

/* Split a reply of NUL-terminated strings into an array sharing one
 * allocation with the strings. */
static int split(char *data, unsigned int len, char ***out, unsigned int *n)
{
	unsigned int count = 0, i;
	char **v, *copy;

	for (i = 0; i < len; i++)
		if (!data[i])
			count++;
	v = malloc(sizeof(*v) * (count + 1) + len + 1);
	if (!v) {
		free(data);
		return ENOMEM;
	}
	copy = (char *)(v + count + 1);
	memcpy(copy, data, len);
	copy[len] = '\0';
	free(data);
	for (i = 0; i < count; i++) {
		v[i] = copy;
		copy += strlen(copy) + 1;
	}
	v[count] = NULL;
	*out = v;
	*n = count;
	return 0;
}

int xs_client_directory(struct xs_client *h, uint32_t tx, const char *path,
			char ***names, unsigned int *n)
{
	unsigned int len;
	char *data;
	int err = simple(h, HVX_XS_DIRECTORY, tx, &path, 1, &data, &len);

	return err ? err : split(data, len, names, n);
}

int xs_client_get_perms(struct xs_client *h, uint32_t tx, const char *path,
			char ***perms, unsigned int *n)
{
	unsigned int len;
	char *data;
	int err = simple(h, HVX_XS_GET_PERMS, tx, &path, 1, &data, &len);

	return err ? err : split(data, len, perms, n);
}

int xs_client_set_perms(struct xs_client *h, uint32_t tx, const char *path,
			const char *const *perms, unsigned int n)
{
	char buf[HVX_XENSTORE_PAYLOAD_MAX];
	int used = pack(buf, sizeof(buf), &path, 1), more;

	if (used < 0)
		return E2BIG;
	more = pack(buf + used, sizeof(buf) - (size_t)used, perms, n);
	if (more < 0)
		return E2BIG;
	return xs_client_request(h, HVX_XS_SET_PERMS, tx, buf, (unsigned int)(used + more),
				 NULL, NULL);
}

int xs_client_tx_start(struct xs_client *h, uint32_t *tx)
{
	const char *empty = "";
	unsigned long v;
	char *data, *end;
	int err = simple(h, HVX_XS_TRANSACTION_START, 0, &empty, 1, &data, NULL);

	if (err)
		return err;
	errno = 0;
	v = strtoul(data, &end, 10);
	err = errno || end == data || !v || v > UINT32_MAX ? EIO : 0;
	free(data);
	if (!err)
		*tx = (uint32_t)v;
	return err;
}

int xs_client_tx_end(struct xs_client *h, uint32_t tx, bool commit)
{
	const char *arg = commit ? "T" : "F";

	return simple(h, HVX_XS_TRANSACTION_END, tx, &arg, 1, NULL, NULL);
}

int xs_client_watch(struct xs_client *h, const char *path, const char *token)
{
	const char *s[2] = { path, token };

	return simple(h, HVX_XS_WATCH, 0, s, 2, NULL, NULL);
}

int xs_client_unwatch(struct xs_client *h, const char *path, const char *token)
{
	const char *s[2] = { path, token };

	return simple(h, HVX_XS_UNWATCH, 0, s, 2, NULL, NULL);
}

int xs_client_read_watch(struct xs_client *h, int timeout_ms, char **path, char **token)
{
	while (!h->events) {
		struct pollfd p = { .fd = h->fd, .events = POLLIN };
		struct hvx_xsd_sockmsg hdr;
		char *data;
		int r, err;

		r = poll(&p, 1, timeout_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return EIO;
		if (r == 0)
			return ETIMEDOUT;
		err = read_msg(h, &hdr, &data);
		if (err)
			return err;
		if (hdr.type == HVX_XS_WATCH_EVENT)
			keep_event(h, data, hdr.len);
		else
			free(data);	/* a reply nobody waits for */
	}
	{
		struct xs_event *ev = h->events;

		h->events = ev->next;
		if (!h->events)
			h->events_tail = NULL;
		*path = ev->path;
		*token = ev->token;
		free(ev);
	}
	return 0;
}

static int domid_request(struct xs_client *h, uint32_t type, unsigned int domid,
			 char **reply)
{
	char buf[16];
	const char *s = buf;

	snprintf(buf, sizeof(buf), "%u", domid);
	return simple(h, type, 0, &s, 1, reply, NULL);
}

int xs_client_introduce(struct xs_client *h, unsigned int domid, uint64_t gfn,
			unsigned int port)
{
	char d[16], g[24], p[16];
	const char *s[3] = { d, g, p };

	snprintf(d, sizeof(d), "%u", domid);
	snprintf(g, sizeof(g), "%llu", (unsigned long long)gfn);
	snprintf(p, sizeof(p), "%u", port);
	return simple(h, HVX_XS_INTRODUCE, 0, s, 3, NULL, NULL);
}

int xs_client_release(struct xs_client *h, unsigned int domid)
{
	return domid_request(h, HVX_XS_RELEASE, domid, NULL);
}

int xs_client_get_domain_path(struct xs_client *h, unsigned int domid, char **path)
{
	return domid_request(h, HVX_XS_GET_DOMAIN_PATH, domid, path);
}

int xs_client_is_domain_introduced(struct xs_client *h, unsigned int domid, bool *yes)
{
	char *data;
	int err = domid_request(h, HVX_XS_IS_DOMAIN_INTRODUCED, domid, &data);

	if (err)
		return err;
	*yes = data[0] == 'T';
	free(data);
	return 0;
}

/* ---- Domain set-up (the toolstack's part of creating a domain) --------- */

#define SETUP_RETRIES 10

struct setup {
	const struct xs_client_domain *d;
	char dom[32], vm[64], uuid[40];
};

static int setup_write(struct xs_client *h, uint32_t tx, const char *base, const char *rel,
		       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int setup_write(struct xs_client *h, uint32_t tx, const char *base, const char *rel,
		       const char *fmt, ...)
{
	char path[256], value[256];
	va_list ap;

	snprintf(path, sizeof(path), "%s%s%s", base, *rel ? "/" : "", rel);
	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	return xs_client_write(h, tx, path, value, (unsigned int)strlen(value));
}

/* BASE/REL owned by dom0 and readable by the guest, or owned by the guest. */
static int setup_perms(struct xs_client *h, uint32_t tx, const char *base, const char *rel,
		       unsigned int domid, bool guest_owns)
{
	char path[256], p0[16], p1[16];
	const char *perms[2] = { p0, p1 };

	snprintf(path, sizeof(path), "%s%s%s", base, *rel ? "/" : "", rel);
	if (guest_owns) {
		snprintf(p0, sizeof(p0), "n%u", domid);
		return xs_client_set_perms(h, tx, path, perms, 1);
	}
	snprintf(p0, sizeof(p0), "n0");
	snprintf(p1, sizeof(p1), "r%u", domid);
	return xs_client_set_perms(h, tx, path, perms, 2);
}

/* /vm/<uuid> of domains that are gone: no /local/domain/<id>/vm names it
 * (xenstored removes a dead domain's home, not its /vm entry). */
static void forget_dead_vms(struct xs_client *h, uint32_t tx)
{
	unsigned int nv, nd, i, j;
	char **vms, **doms, **used;

	if (xs_client_directory(h, tx, "/vm", &vms, &nv))
		return;
	if (xs_client_directory(h, tx, "/local/domain", &doms, &nd)) {
		free(vms);
		return;
	}
	used = calloc(nd + 1, sizeof(*used));
	for (j = 0; used && j < nd; j++) {
		char path[64];

		snprintf(path, sizeof(path), "/local/domain/%s/vm", doms[j]);
		if (xs_client_read(h, tx, path, &used[j], NULL))
			used[j] = NULL;
	}
	for (i = 0; used && i < nv; i++) {
		char path[128];
		bool live = false;

		snprintf(path, sizeof(path), "/vm/%s", vms[i]);
		for (j = 0; j < nd && !live; j++)
			live = used[j] && !strcmp(used[j], path);
		if (!live)
			xs_client_rm(h, tx, path);
	}
	for (j = 0; used && j < nd; j++)
		free(used[j]);
	free(used);
	free(doms);
	free(vms);
}

static int setup_tx(struct xs_client *h, uint32_t tx, struct setup *s)
{
	static const char *const guest_dirs[] = {
		"data", "drivers", "feature", "attr", "error", "control/shutdown",
		"control/feature-poweroff", "control/feature-reboot",
	};
	const struct xs_client_domain *d = s->d;
	unsigned int i;
	int err = 0;

	/* A stale tree from an earlier domain of this domid goes first. */
	xs_client_rm(h, tx, s->dom);
	forget_dead_vms(h, tx);
	err = xs_client_mkdir(h, tx, s->dom);
	err = err ? err : setup_perms(h, tx, s->dom, "", d->domid, false);
	err = err ? err : xs_client_mkdir(h, tx, s->vm);
	err = err ? err : setup_perms(h, tx, s->vm, "", d->domid, false);
	err = err ? err : setup_write(h, tx, s->vm, "name", "%s", d->name);
	err = err ? err : setup_write(h, tx, s->vm, "uuid", "%s", s->uuid);
	err = err ? err : setup_write(h, tx, s->dom, "vm", "%s", s->vm);
	err = err ? err : setup_write(h, tx, s->dom, "name", "%s", d->name);
	err = err ? err : setup_write(h, tx, s->dom, "domid", "%u", d->domid);
	err = err ? err : setup_write(h, tx, s->dom, "memory/static-max", "%llu",
				      (unsigned long long)d->maxmem_kib);
	err = err ? err : setup_write(h, tx, s->dom, "memory/target", "%llu",
				      (unsigned long long)d->memory_kib);
	for (i = 0; !err && i < d->vcpus; i++) {
		char rel[32];

		snprintf(rel, sizeof(rel), "cpu/%u/availability", i);
		err = setup_write(h, tx, s->dom, rel, "online");
	}
	err = err ? err : setup_write(h, tx, s->dom, "store/port", "%u", d->store_port);
	err = err ? err : setup_write(h, tx, s->dom, "store/ring-ref", "%llu",
				      (unsigned long long)d->store_gfn);
	if (d->console_gfn) {
		err = err ? err : setup_write(h, tx, s->dom, "console/port", "%u",
					      d->console_port);
		err = err ? err : setup_write(h, tx, s->dom, "console/ring-ref", "%llu",
					      (unsigned long long)d->console_gfn);
	}
	err = err ? err : setup_write(h, tx, s->dom, "device", "%s", "");
	for (i = 0; !err && i < sizeof(guest_dirs) / sizeof(guest_dirs[0]); i++) {
		err = setup_write(h, tx, s->dom, guest_dirs[i], "%s", "");
		err = err ? err : setup_perms(h, tx, s->dom, guest_dirs[i], d->domid, true);
	}
	return err;
}

static void make_uuid(char *out, size_t len, unsigned int domid)
{
	int fd = open("/proc/sys/kernel/random/uuid", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, out, len - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n >= 36) {
		out[36] = '\0';
		return;
	}
	snprintf(out, len, "00000000-0000-0000-0000-%012x", domid);
}

int xs_client_domain_setup(struct xs_client *h, const struct xs_client_domain *d)
{
	struct setup s = { .d = d };
	bool introduced = false;
	int err = EAGAIN, i;

	snprintf(s.dom, sizeof(s.dom), "/local/domain/%u", d->domid);
	make_uuid(s.uuid, sizeof(s.uuid), d->domid);
	snprintf(s.vm, sizeof(s.vm), "/vm/%s", s.uuid);
	if (!xs_client_is_domain_introduced(h, d->domid, &introduced) && introduced)
		xs_client_release(h, d->domid);
	for (i = 0; i < SETUP_RETRIES && err == EAGAIN; i++) {
		uint32_t tx;

		err = xs_client_tx_start(h, &tx);
		if (err)
			return err;
		err = setup_tx(h, tx, &s);
		if (err) {
			xs_client_tx_end(h, tx, false);
			return err;
		}
		err = xs_client_tx_end(h, tx, true);
	}
	if (err)
		return err;
	return xs_client_introduce(h, d->domid, d->store_gfn, d->store_port);
}
