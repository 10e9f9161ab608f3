/* SPDX-License-Identifier: GPL-2.0-only */
/* xsd.h: xenstored's pure core (tree, permissions, watches, transactions,
 * connections, quotas), shared by its files and its host unit tests. */
#ifndef HV_XENSTORED_XSD_H
#define HV_XENSTORED_XSD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xen/hvx/xen-abi.h"

/* Xen's default quotas (for unprivileged connections). */
#define XSD_QUOTA_NODES		1000	/* nodes owned per domain */
#define XSD_QUOTA_WATCHES	128	/* watches per connection */
#define XSD_QUOTA_OUTSTANDING	20	/* replies not yet taken */
#define XSD_QUOTA_TRANSACTIONS	10	/* open per connection */
#define XSD_QUOTA_TX_NODES	1024	/* nodes one transaction touches */
#define XSD_QUOTA_PERMS		5	/* entries per node */
#define XSD_QUOTA_VALUE		2048	/* bytes of a node's value */
#define XSD_EVENTS_MAX_BYTES	(256 * 1024)	/* queued watch events */

#define XSD_DOMID_MAX		0xffff
#define XSD_HOME_MAX		32	/* "/local/domain/65535" + NUL */

/* Letters of Xen's permission strings: n(one) r(ead) w(rite) b(oth). */
#define XS_PERM_READ		1
#define XS_PERM_WRITE		2

struct xs_perm {
	uint16_t id;
	uint8_t mode;		/* XS_PERM_* bits */
};

struct xs_node {
	char *name;		/* last component; "" for the root */
	char *value;
	unsigned int vlen;
	struct xs_perm *perms;	/* [0]: owner, and everyone else's mode */
	unsigned int nperms;
	uint64_t gen;		/* changes on any change of this node */
	struct xs_node *parent;
	struct xs_node **kids;	/* in creation order, as Xen lists them */
	unsigned int nkids, capkids;
};

struct xs_tree {
	struct xs_node *root;
	uint64_t gen;
};

/* ---- tree.c: nodes and paths, no permission checks ---------------------- */
int xs_tree_init(struct xs_tree *t);
int xs_tree_copy(struct xs_tree *dst, const struct xs_tree *src);
void xs_tree_free(struct xs_tree *t);
struct xs_node *xs_tree_lookup(const struct xs_tree *t, const char *path);
/* The deepest existing node on PATH (at least the root). */
struct xs_node *xs_tree_nearest(const struct xs_tree *t, const char *path);
/* Create PATH and missing parents with PERMS; the node, or NULL (ENOMEM). */
struct xs_node *xs_tree_create(struct xs_tree *t, const char *path,
			       const struct xs_perm *perms, unsigned int nperms);
int xs_node_set_value(struct xs_tree *t, struct xs_node *n, const char *v, unsigned int len);
int xs_node_set_perms(struct xs_tree *t, struct xs_node *n,
		      const struct xs_perm *p, unsigned int np);
/* Unlink and free N and its subtree (not the root). */
void xs_tree_remove(struct xs_tree *t, struct xs_node *n);
/* Nodes in the subtree of N (N included) owned by DOMID. */
unsigned int xs_tree_count_owned(const struct xs_node *n, unsigned int domid);
/* Give every node of DOMID outside its home to dom0. */
void xs_tree_chown_all(struct xs_tree *t, unsigned int from, unsigned int to);
/* Number of path components after the root ("/" 0, "/a/b" 2). */
unsigned int xs_path_depth(const char *path);
/* A canonical absolute path: /, or /name(/name)* of [A-Za-z0-9_@-]. */
bool xs_path_valid(const char *path);
/* 1 if CHILD is PARENT or below it. */
bool xs_path_is_under(const char *child, const char *parent);

/* ---- perms.c -------------------------------------------------------------- */
/* Parse COUNT NUL-terminated strings like "r5"; 0 or EINVAL. */
int xs_perms_parse(const char *buf, unsigned int count, struct xs_perm *out);
/* "n0\0r5\0" into BUF; bytes written, or -1 when it does not fit. */
int xs_perms_format(const struct xs_perm *p, unsigned int n, char *buf, size_t len);
/* The XS_PERM_* bits DOMID has on a node with these perms. */
unsigned int xs_perms_mode(const struct xs_perm *p, unsigned int n,
			   unsigned int domid, bool privileged);

/* ---- conn.c: one client (socket or ring), its framing and queues --------- */
struct xsd;
struct xs_tx;
struct xs_watch;

struct xs_msg {
	struct xs_msg *next;
	struct hvx_xsd_sockmsg hdr;
	unsigned int off;	/* bytes of hdr+payload already sent */
	bool event;
	char payload[];
};

struct xs_conn {
	struct xs_conn *next;
	struct xsd *xsd;
	unsigned int domid;
	bool privileged;
	bool broken;		/* close it: hostile or dead peer */
	char home[XSD_HOME_MAX];	/* /local/domain/<domid> */
	/* Input: a header, then its payload. */
	struct hvx_xsd_sockmsg in_hdr;
	unsigned int in_got;	/* bytes of header+payload received */
	char in_buf[HVX_XENSTORE_PAYLOAD_MAX + 1];
	/* Output queue. */
	struct xs_msg *out_head, *out_tail;
	unsigned int replies_queued;
	size_t event_bytes;
	struct xs_watch *watches;
	unsigned int nwatches;
	struct xs_tx *txs;
	unsigned int ntxs;
	void *transport;	/* the I/O side's state */
};

struct xs_conn *xs_conn_new(struct xsd *d, unsigned int domid, bool privileged);
/* Aborts its transactions, drops its watches, unlinks it from D. */
void xs_conn_free(struct xs_conn *c);
/* How many bytes the connection takes now (0 while replies back up). */
size_t xs_conn_want(const struct xs_conn *c);
/* Feed up to xs_conn_want() bytes; -1 if the connection must close. */
int xs_conn_input(struct xs_conn *c, const void *buf, size_t len);
/* The next bytes to send (0 if none) and their consumption. */
size_t xs_conn_out_peek(const struct xs_conn *c, const void **buf);
void xs_conn_out_done(struct xs_conn *c, size_t n);
int xs_conn_queue(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
		  const void *payload, unsigned int len, bool event);

/* ---- ops.c: one handler per message type -------------------------------- */
/* Handle one whole message; the reply goes to C's queue. */
void xs_ops_handle(struct xs_conn *c, const struct hvx_xsd_sockmsg *hdr, const char *payload);
const char *xs_errno_name(int err);

/* ---- watch.c -------------------------------------------------------------- */
struct xs_watch {
	struct xs_watch *next;
	char *path;		/* absolute, or @special */
	char *token;
	bool relative;		/* events strip the connection's home */
};

int xs_watch_add(struct xs_conn *c, const char *path, const char *token, bool relative);
int xs_watch_remove(struct xs_conn *c, const char *path, const char *token);
void xs_watch_reset(struct xs_conn *c);
/* The event Xen sends right after the reply to WATCH. */
void xs_watch_fire_initial(struct xs_conn *c, const char *path, const char *token);
/* PATH changed (RECURSE: removed with its subtree); tell every watcher
 * allowed to read a node with PERMS. */
void xs_watch_fire(struct xsd *d, const char *path, const struct xs_perm *perms,
		   unsigned int nperms, bool recurse);
void xs_watch_fire_special(struct xsd *d, const char *name);

/* ---- trans.c -------------------------------------------------------------- */
struct xs_access {
	char *path;
	uint64_t gen;		/* when first touched; 0: did not exist */
	bool written;
};

struct xs_tx {
	struct xs_tx *next;
	uint32_t id;
	struct xs_tree tree;	/* private copy, taken at start */
	struct xs_access *acc;
	unsigned int nacc, capacc;
};

int xs_tx_start(struct xs_conn *c, uint32_t *id);
struct xs_tx *xs_tx_find(struct xs_conn *c, uint32_t id);
/* Note that TX touched PATH (before changing it); ENOSPC past the quota. */
int xs_tx_touch(struct xs_conn *c, struct xs_tx *tx, const char *path, bool write);
/* End TX: commit (0 or EAGAIN on conflict) or abort; TX is freed. */
int xs_tx_end(struct xs_conn *c, struct xs_tx *tx, bool commit);
void xs_tx_free_all(struct xs_conn *c);

/* ---- domain.c: introduced domains ---------------------------------------- */
struct xs_domain {
	struct xs_domain *next;
	unsigned int domid;
	uint64_t gfn;
	unsigned int port;
	struct xs_conn *conn;	/* NULL when no transport serves it */
	void *transport;
};

/* What the I/O side does for a domain's ring; all optional (tests). */
struct xsd_ring_ops {
	/* Map the ring and bind the port; make DOM->conn. 0 or an errno. */
	int (*attach)(struct xsd *d, struct xs_domain *dom);
	void (*detach)(struct xsd *d, struct xs_domain *dom);
};

int xs_domain_introduce(struct xsd *d, unsigned int domid, uint64_t gfn, unsigned int port);
int xs_domain_release(struct xsd *d, unsigned int domid);
struct xs_domain *xs_domain_find(struct xsd *d, unsigned int domid);
/* Release every introduced domain for which ALIVE(domid) is false. */
void xs_domain_reap(struct xsd *d, bool (*alive)(void *ctx, unsigned int domid), void *ctx);

/* ---- core.c: the daemon's state ------------------------------------------ */
struct xsd {
	struct xs_tree tree;
	struct xs_conn *conns;
	struct xs_domain *domains;
	uint32_t next_tx_id;
	unsigned int conns_epoch;	/* bumped when a connection goes */
	const struct xsd_ring_ops *ring_ops;
	void *io;		/* the I/O side's state */
	void (*log)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
	bool log_requests;
};

int xsd_init(struct xsd *d);
void xsd_fini(struct xsd *d);
/* Remove live node N (at PATH) with its subtree and fire the watches. */
void xsd_remove_node(struct xsd *d, struct xs_node *n, const char *path);
void xsd_log(struct xsd *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- ring.c: Xen's store ring, both directions, pure ---------------------- */
/* Copy up to LEN request bytes out of the ring; -1 if its indices are
 * impossible (hostile peer). */
int xs_ring_read(struct hvx_xenstore_domain_interface *intf, void *buf, size_t len);
/* Copy up to LEN reply bytes into the ring; bytes copied or -1. */
int xs_ring_write(struct hvx_xenstore_domain_interface *intf, const void *buf, size_t len);
/* The same for the other end (a client: requests in, replies out). */
int xs_ring_client_write(struct hvx_xenstore_domain_interface *intf, const void *buf, size_t len);
int xs_ring_client_read(struct hvx_xenstore_domain_interface *intf, void *buf, size_t len);

#endif /* HV_XENSTORED_XSD_H */
