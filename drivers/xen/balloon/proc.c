// SPDX-License-Identifier: GPL-2.0-only
/*
 * proc.c: /proc/xen/balloon, the classic report (in kB) and a target
 * written in bytes (K/M/G suffixes allowed). The file lives in xenfs
 * (hvx_xenfs.ko), found at load time; without xenfs there is no file and
 * sysfs does the same job. balloon.ko asks modprobe for xenfs first
 * (MODULE_SOFTDEP), so the file is there from boot.
 */
#define pr_fmt(fmt) "balloon: " fmt

#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "../../../include/xen/hvx/core.h"
#include "../../../include/xen/hvx/xenfs.h"
#include "balloon.h"

#define REPORT_MAX	256
#define PAGES_TO_KB(p)	((p) << (PAGE_SHIFT - 10))

static bool added;

int hvx_balloon_report(char *buf, size_t len)
{
	struct hvx_balloon_stats st;
	hvx_domid_t self = HVX_DOMID_SELF;
	long max = hvx_memory_op(HVX_XENMEM_maximum_reservation, &self);

	hvx_balloon_get_stats(&st);
	if (max > 0)
		st.hard_limit = max;
	return scnprintf(buf, len,
			 "%-20s%8lu kB\n%-20s%8lu kB\n%-20s%8lu kB\n"
			 "%-20s%8lu kB\n%-20s%8lu kB\n%-20s%8lu kB\n",
			 "Current allocation:", PAGES_TO_KB(st.current_pages),
			 "Requested target:", PAGES_TO_KB(st.target_pages),
			 "Low-mem balloon:", PAGES_TO_KB(st.balloon_low),
			 "High-mem balloon:", PAGES_TO_KB(st.balloon_high),
			 "Driver pages:", PAGES_TO_KB(st.driver_pages),
			 "Xen hard limit:", PAGES_TO_KB(st.hard_limit));
}

static ssize_t balloon_read(struct file *file, char __user *ubuf, size_t size,
			    loff_t *off)
{
	char buf[REPORT_MAX];
	int len = hvx_balloon_report(buf, sizeof(buf));

	return simple_read_from_buffer(ubuf, size, off, buf, len);
}

static ssize_t balloon_write(struct file *file, const char __user *ubuf,
			     size_t size, loff_t *off)
{
	unsigned long long bytes;
	char buf[32], *end;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (!size || size >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, size))
		return -EFAULT;
	buf[size] = 0;
	if (!isdigit(buf[0]))
		return -EINVAL;
	bytes = memparse(buf, &end);
	if (*end == '\n')
		end++;
	if (*end || bytes > (ULONG_MAX >> 1))
		return -EINVAL;
	hvx_balloon_set_target(bytes >> PAGE_SHIFT);
	return size;
}

static const struct file_operations balloon_fops = {
	.owner = THIS_MODULE,
	.read = balloon_read,
	.write = balloon_write,
	.llseek = default_llseek,
};

/*
 * xenfs is not held: while the guest has it unmounted it may be unloaded
 * (its table of added files goes with it) and loaded again, without this
 * file until the balloon is loaded again. Each call looks it up anew.
 */
void hvx_balloon_proc_init(void)
{
	typeof(hvx_xenfs_add_file) *add = symbol_get(hvx_xenfs_add_file);
	int err;

	if (!add)
		return;	/* no xenfs: sysfs only */
	err = add("balloon", &balloon_fops, 0644);
	symbol_put(hvx_xenfs_add_file);
	if (err) {
		pr_warn("cannot add /proc/xen/balloon: %d\n", err);
		return;
	}
	added = true;
}

void hvx_balloon_proc_exit(void)
{
	typeof(hvx_xenfs_remove_file) *remove;

	if (!added)
		return;
	added = false;
	remove = symbol_get(hvx_xenfs_remove_file);
	if (!remove)
		return;	/* xenfs went, and our file with it */
	/* A xenfs loaded again since has no "balloon": then this does nothing. */
	remove("balloon");
	symbol_put(hvx_xenfs_remove_file);
}
