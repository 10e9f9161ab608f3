/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xenfs.h: files other modules add to xenfs (/proc/xen), such as the
 * balloon's /proc/xen/balloon. Once xenfs is mounted over /proc/xen, plain
 * proc entries under /proc/xen are hidden by the mount, so a module that
 * wants a file there registers it with hvx_xenfs.ko, which shows it in the
 * mounted filesystem at once and in every later mount. Callers look the
 * functions up with symbol_get() so that they load without xenfs.
 */
#ifndef XEN_HVX_XENFS_H
#define XEN_HVX_XENFS_H

#include <linux/fs.h>

#define HVX_XENFS_EXTRA_MAX	4	/* files added by other modules */

/* 0, -EEXIST for a name in use, -ENOSPC when HVX_XENFS_EXTRA_MAX are in use. */
int hvx_xenfs_add_file(const char *name, const struct file_operations *fops,
		       umode_t mode);
/* Removes the file; open files keep working until closed (fops->owner). */
void hvx_xenfs_remove_file(const char *name);

#endif /* XEN_HVX_XENFS_H */
