// SPDX-License-Identifier: GPL-2.0-only
/*
 * super.c: the "xenfs" filesystem, mounted at /proc/xen, and the
 * capabilities file. Which files a mount shows is decided when its
 * superblock is made: the xsd_* files only in dom0, the store's files only
 * when the core has a store client.
 */
#define pr_fmt(fmt) "hvx_xenfs: " fmt

#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/proc_fs.h>
#include "xenfs.h"

#define XENFS_SUPER_MAGIC	0xabba1974	/* Xen's (Linux's) xenfs magic */

static bool made_proc_xen;

static ssize_t capabilities_read(struct file *file, char __user *buf,
				 size_t size, loff_t *off)
{
	static const char control_d[] = "control_d\n";

	if (!hvx_initial_domain())
		return 0;
	return simple_read_from_buffer(buf, size, off, control_d,
				       sizeof(control_d) - 1);
}

static const struct file_operations capabilities_fops = {
	.owner = THIS_MODULE,
	.read = capabilities_read,
	.llseek = default_llseek,
};

/* Inode numbers; 1 is the root's. */
enum {
	XENFS_CAPABILITIES = 2,
	XENFS_PRIVCMD,
	XENFS_XENBUS,
	XENFS_XSD_KVA,
	XENFS_XSD_PORT,
	XENFS_NR_FILES,
};

static int xenfs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	struct tree_descr files[XENFS_NR_FILES + 1] = {
		[XENFS_CAPABILITIES] = { "capabilities", &capabilities_fops, 0444 },
		[XENFS_PRIVCMD] = { "privcmd", &xenfs_privcmd_fops, 0600 },
		[XENFS_XENBUS] = { "xenbus", &xenfs_xenbus_fops, 0600 },
		[XENFS_XSD_KVA] = { "xsd_kva", &xenfs_xsd_kva_fops, 0600 },
		[XENFS_XSD_PORT] = { "xsd_port", &xenfs_xsd_port_fops, 0400 },
		[XENFS_NR_FILES] = { "" },
	};
	int err;

	/* A NULL name is a hole simple_fill_super skips. */
	if (!xenfs_have_store())
		files[XENFS_XENBUS].name = NULL;
	if (!xenfs_have_store() || !hvx_initial_domain()) {
		files[XENFS_XSD_KVA].name = NULL;
		files[XENFS_XSD_PORT].name = NULL;
	}
	err = simple_fill_super(sb, XENFS_SUPER_MAGIC, files);
	return err ? err : xenfs_extra_fill(sb);
}

static void xenfs_kill_sb(struct super_block *sb)
{
	xenfs_extra_kill(sb);
	kill_litter_super(sb);
}

static int xenfs_get_tree(struct fs_context *fc)
{
	return get_tree_single(fc, xenfs_fill_super);
}

static const struct fs_context_operations xenfs_context_ops = {
	.get_tree = xenfs_get_tree,
};

static int xenfs_init_fs_context(struct fs_context *fc)
{
	fc->ops = &xenfs_context_ops;
	return 0;
}

/*
 * Xen's name, so that "mount -t xenfs xenfs /proc/xen" works as under Xen.
 * A distro kernel ships its own xenfs.ko under the same name, which only
 * loads under Xen: this module must be loaded before any mount, and has no
 * fs-xenfs alias (modprobe would reach the distro module first).
 */
static struct file_system_type xenfs_type = {
	.owner = THIS_MODULE,
	.name = "xenfs",
	.init_fs_context = xenfs_init_fs_context,
	.kill_sb = xenfs_kill_sb,
};

/* /proc/xen exists only under Xen; outside it, make the mount point. */
static void make_proc_xen(void)
{
	struct path path;

	if (!kern_path("/proc/xen", 0, &path)) {
		path_put(&path);
		return;
	}
	made_proc_xen = !!proc_create_mount_point("xen");
	if (!made_proc_xen)
		pr_warn("cannot create /proc/xen; mount xenfs elsewhere\n");
}

int xenfs_super_init(void)
{
	int err;

	err = register_filesystem(&xenfs_type);
	if (err) {
		pr_err("cannot register filesystem \"xenfs\" (%d): is another xenfs loaded?\n",
		       err);
		return err;
	}
	make_proc_xen();
	return 0;
}

void xenfs_super_exit(void)
{
	if (made_proc_xen)
		remove_proc_entry("xen", NULL);
	unregister_filesystem(&xenfs_type);
}
