// SPDX-License-Identifier: GPL-2.0-only
/* control.c: /dev/hvctl, the control device VMMs and the toolstack use. */
#define pr_fmt(fmt) "hv: " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "control.h"
#include "domain.h"

/* One open file; it owns at most one domain, for the file's lifetime. */
struct ctl_file {
	struct mutex lock;	/* serialises create and set_state on this file */
	struct xhv_domain *domain;
};

static int ctl_open(struct inode *inode, struct file *file)
{
	struct ctl_file *cf;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	cf = kzalloc(sizeof(*cf), GFP_KERNEL);
	if (!cf)
		return -ENOMEM;
	mutex_init(&cf->lock);
	file->private_data = cf;
	return 0;
}

static int ctl_release(struct inode *inode, struct file *file)
{
	struct ctl_file *cf = file->private_data;

	if (cf->domain)
		xhv_domain_release(cf->domain);
	kfree(cf);
	return 0;
}

static long ctl_create(struct ctl_file *cf, void __user *arg)
{
	struct hvctl_domain_create req;
	struct xhv_domain *d;
	int err;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	mutex_lock(&cf->lock);
	if (cf->domain) {
		err = -EBUSY;
		goto out;
	}
	err = xhv_domain_create(&req, &d);
	if (err)
		goto out;
	req.domid = d->domid;
	if (copy_to_user(arg, &req, sizeof(req))) {
		xhv_domain_release(d);
		err = -EFAULT;
		goto out;
	}
	cf->domain = d;
out:
	mutex_unlock(&cf->lock);
	return err;
}

static long ctl_set_state(struct ctl_file *cf, void __user *arg)
{
	struct hvctl_domain_set_state req;
	long err;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	mutex_lock(&cf->lock);
	err = cf->domain ? xhv_domain_set_state(cf->domain, req.state, req.reason)
			 : -ENOENT;
	mutex_unlock(&cf->lock);
	return err;
}

static long ctl_list(void __user *arg)
{
	struct hvctl_domain_list req;
	struct hvctl_domain_info *buf;
	u32 capacity, total;
	long n;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	/* Never trust the caller's size: at most one entry per domain. */
	capacity = min(req.nr_entries, xhv_domain_count());
	buf = kvcalloc(max(capacity, 1U), sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	n = xhv_domain_list(buf, capacity, &total);
	req.nr_entries = n;
	req.nr_domains = total;
	if ((n && copy_to_user(u64_to_user_ptr(req.entries), buf, n * sizeof(*buf))) ||
	    copy_to_user(arg, &req, sizeof(req)))
		n = -EFAULT;
	kvfree(buf);
	return n < 0 ? n : 0;
}

static long ctl_destroy(void __user *arg)
{
	u32 domid;

	if (copy_from_user(&domid, arg, sizeof(domid)))
		return -EFAULT;
	return xhv_domain_destroy(domid);
}

static long ctl_info(void __user *arg)
{
	struct hvctl_info info = {
		.abi_version = HVCTL_ABI_VERSION,
		.nr_domains = xhv_domain_count(),
		.max_domains = HVCTL_DOMID_LAST - HVCTL_DOMID_FIRST + 1,
		.host_memory_kib = (u64)totalram_pages() << (PAGE_SHIFT - 10),
	};

	strscpy(info.version, XHV_VERSION, sizeof(info.version));
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct ctl_file *cf = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case HVCTL_DOMAIN_CREATE:
		return ctl_create(cf, uarg);
	case HVCTL_DOMAIN_SET_STATE:
		return ctl_set_state(cf, uarg);
	case HVCTL_DOMAIN_LIST:
		return ctl_list(uarg);
	case HVCTL_DOMAIN_DESTROY:
		return ctl_destroy(uarg);
	case HVCTL_INFO:
		return ctl_info(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.open = ctl_open,
	.release = ctl_release,
	.unlocked_ioctl = ctl_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice ctl_device = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = HVCTL_DEVICE_NAME,
	.fops = &ctl_fops,
	.mode = 0600,
};

int xhv_control_init(void)
{
	return misc_register(&ctl_device);
}

void xhv_control_exit(void)
{
	misc_deregister(&ctl_device);
}
