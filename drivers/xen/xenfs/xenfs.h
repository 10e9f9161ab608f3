/* SPDX-License-Identifier: GPL-2.0-only */
/* xenfs.h: what the parts of hvx_xenfs.ko share. */
#ifndef HVX_XENFS_H
#define HVX_XENFS_H

#include <linux/fs.h>
#include <linux/mm_types.h>
#include "../../../include/xen/hvx/xenbus.h"

/* super.c: the "xenfs" filesystem and the /proc/xen mount point. */
int xenfs_super_init(void);
void xenfs_super_exit(void);

/* extra.c: files other modules add (hvx_xenfs_add_file). */
int xenfs_extra_fill(struct super_block *sb);
void xenfs_extra_kill(struct super_block *sb);

/* privcmd.c: hypercalls from userspace. */
extern const struct file_operations xenfs_privcmd_fops;
int xenfs_privcmd_init(void);
void xenfs_privcmd_exit(void);

/* xenbus_file.c: the store's wire protocol for userspace. */
extern const struct file_operations xenfs_xenbus_fops;
int xenfs_xenbus_init(void);
void xenfs_xenbus_exit(void);

/* xsd.c: dom0's store ring and port, for xenstored. */
extern const struct file_operations xenfs_xsd_kva_fops;
extern const struct file_operations xenfs_xsd_port_fops;

/*
 * store.c: the core's store client, looked up when the module loads. A
 * core built without one still gives capabilities and privcmd; the
 * xenbus, xsd_kva and xsd_port files then do not exist.
 */
struct xenfs_store {
	void *(*raw_request)(u32 type, u32 tx_id, const void *payload, u32 len,
			     u32 *reply_type, u32 *reply_len);
	int (*register_watch)(struct hvx_xenbus_watch *watch);
	void (*unregister_watch)(struct hvx_xenbus_watch *watch);
	struct page *(*dom0_ring)(void);
	hvx_evtchn_port_t (*dom0_port)(void);
};

extern struct xenfs_store xenfs_store;
bool xenfs_store_init(void);
void xenfs_store_exit(void);
static inline bool xenfs_have_store(void)
{
	return !!xenfs_store.raw_request;
}

#endif /* HVX_XENFS_H */
