// SPDX-License-Identifier: GPL-2.0-only
/* ops.c: one handler per xenstore message type, dispatched from a table.
 * Each checks its arguments, the caller's permissions and quotas, and
 * returns 0 with a reply or an errno sent back as Xen's error string. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xs_client.h"
#include "xenstored/xsd.h"

struct req {
	const struct hvx_xsd_sockmsg *hdr;
	const char *payload;
	unsigned int len;
	struct xs_tx *tx;		/* NULL outside a transaction */
	struct xs_tree *tree;		/* the live tree or the transaction's */
	char out[HVX_XENSTORE_PAYLOAD_MAX];
	unsigned int outlen;
	/* Fired after the reply is queued (WATCH's first event). */
	const char *watch_path, *watch_token;
};

const char *xs_errno_name(int err)
{
	const char *name = xs_error_name(err);

	return name ? name : "EINVAL";	/* as Xen does for an errno it cannot name */
}

/* Up to MAX NUL-terminated strings at the start of the payload. */
static unsigned int args(const struct req *r, const char **v, unsigned int max)
{
	unsigned int n = 0, off = 0;

	while (n < max && off < r->len) {
		const char *nul = memchr(r->payload + off, '\0', r->len - off);

		if (!nul)
			break;
		v[n++] = r->payload + off;
		off = (unsigned int)(nul - r->payload) + 1;
	}
	return n;
}

static int reply_str(struct req *r, const char *s)
{
	size_t len = strlen(s) + 1;

	if (len > sizeof(r->out))
		return E2BIG;
	memcpy(r->out, s, len);
	r->outlen = (unsigned int)len;
	return 0;
}

static int reply_ok(struct req *r)
{
	return reply_str(r, "OK");
}

/* An absolute, valid path for what the client named (relative paths are
 * below its home, /local/domain/<domid>). */
static int resolve(const struct xs_conn *c, const char *in, char *out)
{
	size_t len = strlen(in), home = strlen(c->home);

	if (len > HVX_XENSTORE_ABS_PATH_MAX)
		return EINVAL;
	if (in[0] == '/') {
		memcpy(out, in, len + 1);
	} else {
		if (len > HVX_XENSTORE_REL_PATH_MAX)
			return EINVAL;
		if (home + 1 + len > HVX_XENSTORE_ABS_PATH_MAX)
			return EINVAL;
		memcpy(out, c->home, home);
		out[home] = '/';
		memcpy(out + home + 1, in, len + 1);
		len += home + 1;
	}
	if (!xs_path_valid(out))
		return EINVAL;
	if (!c->privileged) {
		size_t rel = xs_path_is_under(out, c->home) ? len - home : len;

		if (rel > HVX_XENSTORE_REL_PATH_MAX)
			return EINVAL;
	}
	return 0;
}

static unsigned int mode_of(const struct xs_conn *c, const struct xs_node *n)
{
	return xs_perms_mode(n->perms, n->nperms, c->domid, c->privileged);
}

/* The node at PATH if C may access it with MODE. */
static int get_node(struct xs_conn *c, struct req *r, const char *path,
		    unsigned int mode, struct xs_node **out)
{
	struct xs_node *n;
	int err;

	if (r->tx && (err = xs_tx_touch(c, r->tx, path, mode & XS_PERM_WRITE)))
		return err;
	n = xs_tree_lookup(r->tree, path);
	if (!n)
		return ENOENT;
	if ((mode_of(c, n) & mode) != mode)
		return EACCES;
	*out = n;
	return 0;
}

/* The first DEPTH components of PATH into OUT. */
static void path_prefix(const char *path, unsigned int depth, char *out)
{
	const char *p = path;
	unsigned int i;

	for (i = 0; i < depth; i++) {
		p = strchr(p + 1, '/');
		if (!p) {
			p = path + strlen(path);
			break;
		}
	}
	if (p == path) {
		strcpy(out, "/");
		return;
	}
	memcpy(out, path, (size_t)(p - path));
	out[p - path] = '\0';
}

static unsigned int node_depth(const struct xs_node *n)
{
	unsigned int d = 0;

	for (; n->parent; n = n->parent)
		d++;
	return d;
}

/* The node at PATH for writing; created with missing parents (inheriting
 * the nearest existing ancestor's permissions, owned by an unprivileged
 * creator) if C may write that ancestor. *CREATED says so. */
static int get_or_create(struct xs_conn *c, struct req *r, const char *path,
			 struct xs_node **out, bool *created)
{
	char prefix[HVX_XENSTORE_ABS_PATH_MAX + 1];
	struct xs_perm *perms;
	struct xs_node *anc, *n;
	unsigned int depth, d0, i;
	int err;

	*created = false;
	n = xs_tree_lookup(r->tree, path);
	if (n) {
		if (!(mode_of(c, n) & XS_PERM_WRITE))
			return EACCES;
		if (r->tx && (err = xs_tx_touch(c, r->tx, path, true)))
			return err;
		*out = n;
		return 0;
	}
	anc = xs_tree_nearest(r->tree, path);
	if (!(mode_of(c, anc) & XS_PERM_WRITE))
		return EACCES;
	d0 = node_depth(anc);
	depth = xs_path_depth(path);
	if (!c->privileged &&
	    xs_tree_count_owned(r->tree->root, c->domid) + (depth - d0) > XSD_QUOTA_NODES)
		return ENOSPC;
	if (r->tx) {
		for (i = d0; i <= depth; i++) {
			path_prefix(path, i, prefix);
			if ((err = xs_tx_touch(c, r->tx, prefix, true)))
				return err;
		}
	}
	perms = malloc(sizeof(*perms) * anc->nperms);
	if (!perms)
		return ENOMEM;
	memcpy(perms, anc->perms, sizeof(*perms) * anc->nperms);
	if (!c->privileged)
		perms[0].id = (uint16_t)c->domid;
	n = xs_tree_create(r->tree, path, perms, anc->nperms);
	free(perms);
	if (!n)
		return ENOMEM;
	*created = true;
	*out = n;
	return 0;
}

static void changed(struct xs_conn *c, struct req *r, const char *path, const struct xs_node *n)
{
	if (!r->tx)
		xs_watch_fire(c->xsd, path, n->perms, n->nperms, false);
}

static int op_read(struct xs_conn *c, struct req *r)
{
	char path[HVX_XENSTORE_ABS_PATH_MAX + 1];
	const char *v[1];
	struct xs_node *n;
	int err;

	if (args(r, v, 1) != 1)
		return EINVAL;
	if ((err = resolve(c, v[0], path)) || (err = get_node(c, r, path, XS_PERM_READ, &n)))
		return err;
	if (n->vlen > sizeof(r->out))
		return E2BIG;
	memcpy(r->out, n->value, n->vlen);
	r->outlen = n->vlen;
	return 0;
}

static int op_write(struct xs_conn *c, struct req *r)
{
	char path[HVX_XENSTORE_ABS_PATH_MAX + 1];
	const char *v[1];
	struct xs_node *n;
	unsigned int vlen;
	bool created;
	int err;

	if (args(r, v, 1) != 1)
		return EINVAL;
	vlen = r->len - (unsigned int)strlen(v[0]) - 1;
	if (!c->privileged && vlen > XSD_QUOTA_VALUE)
		return ENOSPC;
	if ((err = resolve(c, v[0], path)) || (err = get_or_create(c, r, path, &n, &created)))
		return err;
	if ((err = xs_node_set_value(r->tree, n, r->payload + strlen(v[0]) + 1, vlen)))
		return err;
	changed(c, r, path, n);
	return reply_ok(r);
}

static int op_mkdir(struct xs_conn *c, struct req *r)
{
	char path[HVX_XENSTORE_ABS_PATH_MAX + 1];
	const char *v[1];
	struct xs_node *n;
	bool created;
	int err;

	if (args(r, v, 1) != 1)
		return EINVAL;
	if ((err = resolve(c, v[0], path)) || (err = get_or_create(c, r, path, &n, &created)))
		return err;
	if (created)
		changed(c, r, path, n);
	return reply_ok(r);
}

static int op_rm(struct xs_conn *c, struct req *r)
{
	char path[HVX_XENSTORE_ABS_PATH_MAX + 1], parent[HVX_XENSTORE_ABS_PATH_MAX + 1];
	const char *v[1];
	struct xs_node *n;
	int err;

	if (args(r, v, 1) != 1)
		return EINVAL;
	if ((err = resolve(c, v[0], path)))
		return err;
	if (!strcmp(path, "/"))
		return EINVAL;
	path_prefix(path, xs_path_depth(path) - 1, parent);
	if (r->tx && (err = xs_tx_touch(c, r->tx, path, true)))
		return err;
	n = xs_tree_lookup(r->tree, path);
	if (!n) {
		/* As Xen: removing what is already gone is fine if the
		 * parent is there. */
		return xs_tree_lookup(r->tree, parent) ? reply_ok(r) : ENOENT;
	}
	if (!(mode_of(c, n) & XS_PERM_WRITE))
		return EACCES;
	if (r->tx) {
		if ((err = xs_tx_touch(c, r->tx, parent, true)))
			return err;
		xs_tree_remove(r->tree, n);
	} else {
		xsd_remove_node(c->xsd, n, path);
	}
	return reply_ok(r);
}

/* The child names of N, each NUL-terminated, into a new buffer. */
static char *kid_names(const struct xs_node *n, size_t *len)
{
	size_t total = 0, off = 0;
	unsigned int i;
	char *buf;

	for (i = 0; i < n->nkids; i++)
		total += strlen(n->kids[i]->name) + 1;
	buf = malloc(total + 1);
	if (!buf)
		return NULL;
	for (i = 0; i < n->nkids; i++) {
		size_t l = strlen(n->kids[i]->name) + 1;

		memcpy(buf + off, n->kids[i]->name, l);
		off += l;
	}
	*len = total;
	return buf;
}

static int op_directory(struct xs_conn *c, struct req *r)
{
	char path[HVX_XENSTORE_ABS_PATH_MAX + 1];
	const char *v[1];
	struct xs_node *n;
	size_t len;
	char *names;
	int err;

	if (args(r, v, 1) != 1)
		return EINVAL;
	if ((err = resolve(c, v[0], path)) || (err = get_node(c, r, path, XS_PERM_READ, &n)))
		return err;
	names = kid_names(n, &len);
	if (!names)
		return ENOMEM;
	err = len > sizeof(r->out) ? E2BIG : 0;
	if (!err) {
		memcpy(r->out, names, len);
		r->outlen = (unsigned int)len;
	}
	free(names);
	return err;
}

/* Reply: "<generation>\0" then whole names from OFFSET; a final extra
 * "\0" once the list is complete. */
static int op_directory_part(struct xs_conn *c, struct req *r)
{
	char path[HVX_XENSTORE_ABS_PATH_MAX + 1];
	const char *v[2];
	struct xs_node *n;
	size_t len, off, used;
	unsigned long start;
	char *names, *end;
	int err, w;

	if (args(r, v, 2) != 2)
		return EINVAL;
	errno = 0;
	start = strtoul(v[1], &end, 10);
	if (errno || end == v[1] || *end)
		return EINVAL;
	if ((err = resolve(c, v[0], path)) || (err = get_node(c, r, path, XS_PERM_READ, &n)))
		return err;
	names = kid_names(n, &len);
	if (!names)
		return ENOMEM;
	if (start > len) {
		free(names);
		return EINVAL;
	}
	w = snprintf(r->out, sizeof(r->out), "%llu", (unsigned long long)n->gen);
	used = (size_t)w + 1;
	for (off = start; off < len;) {
		size_t l = strlen(names + off) + 1;

		if (used + l + 1 > sizeof(r->out))
			break;
		memcpy(r->out + used, names + off, l);
		used += l;
		off += l;
	}
	if (off >= len)
		r->out[used++] = '\0';
	r->outlen = (unsigned int)used;
	free(names);
	return 0;
}

static int op_get_perms(struct xs_conn *c, struct req *r)
{
	char path[HVX_XENSTORE_ABS_PATH_MAX + 1];
	const char *v[1];
	struct xs_node *n;
	int err, len;

	if (args(r, v, 1) != 1)
		return EINVAL;
	if ((err = resolve(c, v[0], path)) || (err = get_node(c, r, path, XS_PERM_READ, &n)))
		return err;
	len = xs_perms_format(n->perms, n->nperms, r->out, sizeof(r->out));
	if (len < 0)
		return E2BIG;
	r->outlen = (unsigned int)len;
	return 0;
}

static int op_set_perms(struct xs_conn *c, struct req *r)
{
	char path[HVX_XENSTORE_ABS_PATH_MAX + 1];
	const char *v[HVX_XENSTORE_PAYLOAD_MAX / 2];
	struct xs_perm *perms;
	struct xs_node *n;
	unsigned int nv, np;
	int err;

	nv = args(r, v, sizeof(v) / sizeof(v[0]));
	if (nv < 2)
		return EINVAL;
	np = nv - 1;
	if (!c->privileged && np > XSD_QUOTA_PERMS)
		return ENOSPC;
	perms = malloc(sizeof(*perms) * np);
	if (!perms)
		return ENOMEM;
	err = xs_perms_parse(v[1], np, perms);
	if (!err)
		err = resolve(c, v[0], path);
	if (!err)
		err = get_node(c, r, path, XS_PERM_WRITE, &n);
	if (!err && !c->privileged && perms[0].id != n->perms[0].id)
		err = EPERM;	/* only dom0 gives nodes away */
	if (!err)
		err = xs_node_set_perms(r->tree, n, perms, np);
	free(perms);
	if (err)
		return err;
	changed(c, r, path, n);
	return reply_ok(r);
}

static int watch_path(const struct xs_conn *c, const char *in, char *out, bool *relative)
{
	*relative = false;
	if (in[0] == '@') {
		if (strlen(in) > HVX_XENSTORE_REL_PATH_MAX)
			return EINVAL;
		strcpy(out, in);
		return 0;
	}
	*relative = in[0] != '/';
	return resolve(c, in, out);
}

static int op_watch(struct xs_conn *c, struct req *r)
{
	static char path[HVX_XENSTORE_ABS_PATH_MAX + 1];
	const char *v[2];
	bool relative;
	int err;

	if (args(r, v, 2) != 2)
		return EINVAL;
	if ((err = watch_path(c, v[0], path, &relative)) ||
	    (err = xs_watch_add(c, path, v[1], relative)))
		return err;
	r->watch_path = path;
	r->watch_token = v[1];
	return reply_ok(r);
}

static int op_unwatch(struct xs_conn *c, struct req *r)
{
	char path[HVX_XENSTORE_ABS_PATH_MAX + 1];
	const char *v[2];
	bool relative;
	int err;

	if (args(r, v, 2) != 2)
		return EINVAL;
	if ((err = watch_path(c, v[0], path, &relative)) ||
	    (err = xs_watch_remove(c, path, v[1])))
		return err;
	return reply_ok(r);
}

static int op_transaction_start(struct xs_conn *c, struct req *r)
{
	uint32_t id;
	char buf[16];
	int err;

	if (r->hdr->tx_id)
		return EBUSY;	/* no nesting */
	if ((err = xs_tx_start(c, &id)))
		return err;
	snprintf(buf, sizeof(buf), "%u", id);
	return reply_str(r, buf);
}

static int op_transaction_end(struct xs_conn *c, struct req *r)
{
	const char *v[1];
	int err;

	if (!r->tx)
		return ENOENT;
	if (args(r, v, 1) != 1 || (strcmp(v[0], "T") && strcmp(v[0], "F")))
		return EINVAL;
	err = xs_tx_end(c, r->tx, v[0][0] == 'T');
	r->tx = NULL;
	return err ? err : reply_ok(r);
}

static int parse_u(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end || *out > max ? EINVAL : 0;
}

static int domid_arg(struct req *r, unsigned long long *domid)
{
	const char *v[1];

	if (args(r, v, 1) != 1)
		return EINVAL;
	return parse_u(v[0], XSD_DOMID_MAX, domid);
}

static int op_introduce(struct xs_conn *c, struct req *r)
{
	unsigned long long domid, gfn, port;
	const char *v[3];
	int err;

	if (!c->privileged)
		return EACCES;
	if (args(r, v, 3) != 3 || parse_u(v[0], XSD_DOMID_MAX, &domid) ||
	    parse_u(v[1], UINT64_MAX, &gfn) || parse_u(v[2], UINT32_MAX, &port) ||
	    domid == 0 || domid > 0x7fef)
		return EINVAL;
	if ((err = xs_domain_introduce(c->xsd, (unsigned int)domid, gfn, (unsigned int)port)))
		return err;
	return reply_ok(r);
}

static int op_release(struct xs_conn *c, struct req *r)
{
	unsigned long long domid;
	int err;

	if (!c->privileged)
		return EACCES;
	if ((err = domid_arg(r, &domid)))
		return err;
	if (!domid)
		return EINVAL;
	if ((err = xs_domain_release(c->xsd, (unsigned int)domid)))
		return err;
	return reply_ok(r);
}

static int op_resume(struct xs_conn *c, struct req *r)
{
	unsigned long long domid;
	int err;

	if (!c->privileged)
		return EACCES;
	if ((err = domid_arg(r, &domid)))
		return err;
	return xs_domain_find(c->xsd, (unsigned int)domid) ? reply_ok(r) : ENOENT;
}

static int op_get_domain_path(struct xs_conn *c, struct req *r)
{
	unsigned long long domid;
	char buf[XSD_HOME_MAX];
	int err;

	(void)c;
	if ((err = domid_arg(r, &domid)))
		return err;
	snprintf(buf, sizeof(buf), "/local/domain/%llu", domid);
	return reply_str(r, buf);
}

static int op_is_domain_introduced(struct xs_conn *c, struct req *r)
{
	unsigned long long domid;
	int err;

	if ((err = domid_arg(r, &domid)))
		return err;
	return reply_str(r, !domid || xs_domain_find(c->xsd, (unsigned int)domid) ? "T" : "F");
}

static int op_reset_watches(struct xs_conn *c, struct req *r)
{
	xs_watch_reset(c);
	xs_tx_free_all(c);
	return reply_ok(r);
}

/* CONTROL (XS_DEBUG in old Xen): "print TEXT", "log on|off", "help". */
static int op_control(struct xs_conn *c, struct req *r)
{
	const char *v[2];
	unsigned int n;

	if (!c->privileged)
		return EACCES;
	n = args(r, v, 2);
	if (n < 1)
		return EINVAL;
	if (!strcmp(v[0], "print") && n == 2) {
		xsd_log(c->xsd, "print: %s", v[1]);
		return reply_ok(r);
	}
	if (!strcmp(v[0], "log") && n == 2 && (!strcmp(v[1], "on") || !strcmp(v[1], "off"))) {
		c->xsd->log_requests = !strcmp(v[1], "on");
		return reply_ok(r);
	}
	if (!strcmp(v[0], "help"))
		return reply_str(r, "print TEXT: write TEXT to the log\n"
				    "log on|off: log every request\n"
				    "help: this text\n");
	return EINVAL;
}

static const struct {
	int (*fn)(struct xs_conn *c, struct req *r);
	bool in_tx;		/* honours tx_id */
	const char *name;
} ops[HVX_XS_TYPE_COUNT] = {
	[HVX_XS_CONTROL] = { op_control, false, "CONTROL" },
	[HVX_XS_DIRECTORY] = { op_directory, true, "DIRECTORY" },
	[HVX_XS_READ] = { op_read, true, "READ" },
	[HVX_XS_GET_PERMS] = { op_get_perms, true, "GET_PERMS" },
	[HVX_XS_WATCH] = { op_watch, false, "WATCH" },
	[HVX_XS_UNWATCH] = { op_unwatch, false, "UNWATCH" },
	[HVX_XS_TRANSACTION_START] = { op_transaction_start, false, "TRANSACTION_START" },
	[HVX_XS_TRANSACTION_END] = { op_transaction_end, true, "TRANSACTION_END" },
	[HVX_XS_INTRODUCE] = { op_introduce, false, "INTRODUCE" },
	[HVX_XS_RELEASE] = { op_release, false, "RELEASE" },
	[HVX_XS_GET_DOMAIN_PATH] = { op_get_domain_path, false, "GET_DOMAIN_PATH" },
	[HVX_XS_WRITE] = { op_write, true, "WRITE" },
	[HVX_XS_MKDIR] = { op_mkdir, true, "MKDIR" },
	[HVX_XS_RM] = { op_rm, true, "RM" },
	[HVX_XS_SET_PERMS] = { op_set_perms, true, "SET_PERMS" },
	[HVX_XS_IS_DOMAIN_INTRODUCED] = { op_is_domain_introduced, false, "IS_DOMAIN_INTRODUCED" },
	[HVX_XS_RESUME] = { op_resume, false, "RESUME" },
	[HVX_XS_RESET_WATCHES] = { op_reset_watches, false, "RESET_WATCHES" },
	[HVX_XS_DIRECTORY_PART] = { op_directory_part, true, "DIRECTORY_PART" },
};

void xs_ops_handle(struct xs_conn *c, const struct hvx_xsd_sockmsg *hdr, const char *payload)
{
	static struct req r;	/* 4 KiB of reply: not on the stack */
	int err = ENOSYS;

	memset(&r, 0, offsetof(struct req, out));
	r.watch_path = r.watch_token = NULL;
	r.hdr = hdr;
	r.payload = payload;
	r.len = hdr->len;
	r.tree = &c->xsd->tree;
	if (hdr->type < HVX_XS_TYPE_COUNT && ops[hdr->type].fn) {
		if (c->xsd->log_requests)
			xsd_log(c->xsd, "dom%u %s tx %u: %.64s", c->domid,
				ops[hdr->type].name, hdr->tx_id, payload);
		err = 0;
		if (ops[hdr->type].in_tx && hdr->tx_id) {
			r.tx = xs_tx_find(c, hdr->tx_id);
			if (!r.tx)
				err = ENOENT;	/* not one of this connection's */
			else
				r.tree = &r.tx->tree;
		}
		if (!err)
			err = ops[hdr->type].fn(c, &r);
	}
	if (err) {
		const char *name = xs_errno_name(err);

		xs_conn_queue(c, HVX_XS_ERROR, hdr->req_id, hdr->tx_id, name,
			      (unsigned int)strlen(name) + 1, false);
		return;
	}
	xs_conn_queue(c, hdr->type, hdr->req_id, hdr->tx_id, r.out, r.outlen, false);
	if (r.watch_path)
		xs_watch_fire_initial(c, r.watch_path, r.watch_token);
}
