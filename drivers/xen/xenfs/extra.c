// SPDX-License-Identifier: GPL-2.0-only
/*
 * extra.c: files other modules add to xenfs (include/xen/hvx/xenfs.h), such
 * as /proc/xen/balloon. They show in the mounted filesystem at once and in
 * every later mount. extra_lock guards the table and the superblock
 * pointer; a superblock is unlisted (under the lock) before it dies.
 */
#define pr_fmt(fmt) "hvx_xenfs: " fmt

#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/string.h>
#include "../../../include/xen/hvx/xenfs.h"
#include "xenfs.h"

struct extra_file {
	char name[32];
	const struct file_operations *fops;
	umode_t mode;
};

static DEFINE_MUTEX(extra_lock);
static struct extra_file extra[HVX_XENFS_EXTRA_MAX];
static struct super_block *mounted;

/* Inode numbers after the fixed files' (super.c uses 1 to a few). */
#define EXTRA_FIRST_INO	64

static int add_dentry(struct super_block *sb, const struct extra_file *e)
{
	struct dentry *root = sb->s_root, *dentry;
	struct inode *inode;
	int err = 0;

	inode_lock(d_inode(root));
	dentry = d_alloc_name(root, e->name);
	inode = dentry ? new_inode(sb) : NULL;
	if (!inode) {
		err = -ENOMEM;
		goto out;
	}
	inode->i_ino = EXTRA_FIRST_INO + (e - extra);
	inode->i_mode = S_IFREG | e->mode;
	inode->i_ctime = current_time(inode);
	inode->i_atime = inode->i_ctime;
	inode->i_mtime = inode->i_ctime;
	inode->i_fop = e->fops;
	/* The dentry's reference pins it until removal or kill_litter_super. */
	d_add(dentry, inode);
	dentry = NULL;
out:
	if (dentry)
		dput(dentry);
	inode_unlock(d_inode(root));
	return err;
}

static void remove_dentry(struct super_block *sb, const char *name)
{
	struct dentry *root = sb->s_root, *dentry;

	inode_lock(d_inode(root));
	dentry = lookup_one_len(name, root, strlen(name));
	if (!IS_ERR(dentry)) {
		if (simple_positive(dentry)) {
			/* Drops the pinning reference; ours keeps it for d_delete. */
			simple_unlink(d_inode(root), dentry);
			d_delete(dentry);
		}
		dput(dentry);
	}
	inode_unlock(d_inode(root));
}

int hvx_xenfs_add_file(const char *name, const struct file_operations *fops,
		       umode_t mode)
{
	struct extra_file *slot = NULL;
	int i, err = 0;

	if (!name[0] || strlen(name) >= sizeof(extra[0].name) || strchr(name, '/'))
		return -EINVAL;
	mutex_lock(&extra_lock);
	for (i = 0; i < HVX_XENFS_EXTRA_MAX; i++) {
		if (!strcmp(extra[i].name, name)) {
			err = -EEXIST;
			goto out;
		}
		if (!slot && !extra[i].name[0])
			slot = &extra[i];
	}
	if (!slot) {
		err = -ENOSPC;
		goto out;
	}
	strscpy(slot->name, name, sizeof(slot->name));
	slot->fops = fops;
	slot->mode = mode & 0777;
	if (mounted) {
		err = add_dentry(mounted, slot);
		if (err)
			memset(slot, 0, sizeof(*slot));
	}
out:
	mutex_unlock(&extra_lock);
	return err;
}
EXPORT_SYMBOL_GPL(hvx_xenfs_add_file);

void hvx_xenfs_remove_file(const char *name)
{
	int i;

	mutex_lock(&extra_lock);
	for (i = 0; i < HVX_XENFS_EXTRA_MAX; i++) {
		if (strcmp(extra[i].name, name))
			continue;
		if (mounted)
			remove_dentry(mounted, name);
		memset(&extra[i], 0, sizeof(extra[i]));
	}
	mutex_unlock(&extra_lock);
}
EXPORT_SYMBOL_GPL(hvx_xenfs_remove_file);

/* A new superblock: it shows the files added so far. */
int xenfs_extra_fill(struct super_block *sb)
{
	int i, err = 0;

	mutex_lock(&extra_lock);
	for (i = 0; i < HVX_XENFS_EXTRA_MAX && !err; i++)
		if (extra[i].name[0])
			err = add_dentry(sb, &extra[i]);
	if (!err)
		mounted = sb;
	mutex_unlock(&extra_lock);
	return err;
}

void xenfs_extra_kill(struct super_block *sb)
{
	mutex_lock(&extra_lock);
	if (mounted == sb)
		mounted = NULL;
	mutex_unlock(&extra_lock);
}
