// SPDX-License-Identifier: GPL-2.0-only
/*
 * xsd.c: dom0's own store ring, for xenstored. xsd_kva maps the ring page
 * (one page, shared, at offset 0); xsd_port reads as the ring's event
 * channel in decimal, without a newline, as under Xen.
 */
#define pr_fmt(fmt) "hvx_xenfs: " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include "xenfs.h"

static int xsd_kva_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return 0;
}

static int xsd_kva_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct page *ring = xenfs_store.dom0_ring();

	if (!ring)
		return -ENODEV;
	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != PAGE_SIZE)
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
	vma->vm_flags &= ~VM_MAYEXEC;
	/* The mapping holds its own reference on the page. */
	return vm_insert_page(vma, vma->vm_start, ring);
}

const struct file_operations xenfs_xsd_kva_fops = {
	.owner = THIS_MODULE,
	.open = xsd_kva_open,
	.mmap = xsd_kva_mmap,
	.llseek = no_llseek,
};

static ssize_t xsd_port_read(struct file *file, char __user *buf, size_t size,
			     loff_t *off)
{
	char text[16];
	int len;

	len = scnprintf(text, sizeof(text), "%u", xenfs_store.dom0_port());
	return simple_read_from_buffer(buf, size, off, text, len);
}

const struct file_operations xenfs_xsd_port_fops = {
	.owner = THIS_MODULE,
	.read = xsd_port_read,
	.llseek = default_llseek,
};
