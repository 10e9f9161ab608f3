/* SPDX-License-Identifier: GPL-2.0-only */
/* xs_client.h: a small blocking xenstore client speaking Xen's wire
 * protocol over xenstored's unix socket or a xenbus character file
 * (/dev/xen/xenbus, /proc/xen/xenbus). Calls return 0 or a positive errno:
 * the store's own error (ENOENT, EACCES, EAGAIN...) or EIO when the
 * connection failed. */
#ifndef HV_COMMON_XS_CLIENT_H
#define HV_COMMON_XS_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#define XS_CLIENT_SOCKET	"/run/xenstored/socket"
#define XS_CLIENT_DEV_XENBUS	"/dev/xen/xenbus"
#define XS_CLIENT_PROC_XENBUS	"/proc/xen/xenbus"

struct xs_client;

/* PATH: a socket or character file; NULL: $XENSTORED_PATH, else the
 * socket if it exists, else /dev/xen/xenbus, else /proc/xen/xenbus.
 * NULL with errno set on failure. */
struct xs_client *xs_client_open(const char *path);
void xs_client_close(struct xs_client *h);
/* What xs_client_open() chose. */
const char *xs_client_path(const struct xs_client *h);
/* Xen's name of a store error ("ENOENT"), NULL when it has none. */
const char *xs_error_name(int err);
/* The name of a store error ("ENOENT"), or strerror()'s text. */
const char *xs_client_strerror(int err);

/* Any request: PAYLOAD of LEN bytes; the reply in a new NUL-terminated
 * buffer *REPLY (*RLEN bytes, NUL not counted). */
int xs_client_request(struct xs_client *h, uint32_t type, uint32_t tx,
		      const void *payload, unsigned int len, char **reply, unsigned int *rlen);

int xs_client_read(struct xs_client *h, uint32_t tx, const char *path,
		   char **value, unsigned int *len);
int xs_client_write(struct xs_client *h, uint32_t tx, const char *path,
		    const void *value, unsigned int len);
int xs_client_mkdir(struct xs_client *h, uint32_t tx, const char *path);
int xs_client_rm(struct xs_client *h, uint32_t tx, const char *path);
/* *NAMES: an array of *N strings in one allocation: free(*NAMES). */
int xs_client_directory(struct xs_client *h, uint32_t tx, const char *path,
			char ***names, unsigned int *n);
/* Permissions as Xen's strings ("n0", "r5"): same shape as directory. */
int xs_client_get_perms(struct xs_client *h, uint32_t tx, const char *path,
			char ***perms, unsigned int *n);
int xs_client_set_perms(struct xs_client *h, uint32_t tx, const char *path,
			const char *const *perms, unsigned int n);
int xs_client_tx_start(struct xs_client *h, uint32_t *tx);
int xs_client_tx_end(struct xs_client *h, uint32_t tx, bool commit);
int xs_client_watch(struct xs_client *h, const char *path, const char *token);
int xs_client_unwatch(struct xs_client *h, const char *path, const char *token);
/* The next watch event (TIMEOUT_MS < 0: wait for ever; ETIMEDOUT); free
 * *PATH only (the token shares its buffer). */
int xs_client_read_watch(struct xs_client *h, int timeout_ms, char **path, char **token);
int xs_client_introduce(struct xs_client *h, unsigned int domid, uint64_t gfn,
			unsigned int port);
int xs_client_release(struct xs_client *h, unsigned int domid);
int xs_client_get_domain_path(struct xs_client *h, unsigned int domid, char **path);
int xs_client_is_domain_introduced(struct xs_client *h, unsigned int domid, bool *yes);

/* A new domain as the toolstack describes it to the store. */
struct xs_client_domain {
	unsigned int domid;
	const char *name;
	uint64_t memory_kib, maxmem_kib;
	unsigned int vcpus;
	uint64_t store_gfn;
	unsigned int store_port;
	uint64_t console_gfn;		/* 0: no console ring */
	unsigned int console_port;
};

/* Write the domain's nodes as xl does (/local/domain/<domid> readable by
 * the guest; control/shutdown, data, device... under it; /vm/<uuid>) in one
 * transaction, then INTRODUCE it. A stale entry for the same domid (a dead
 * domain whose death the store has not seen yet) is released first. */
int xs_client_domain_setup(struct xs_client *h, const struct xs_client_domain *d);

#endif /* HV_COMMON_XS_CLIENT_H */
