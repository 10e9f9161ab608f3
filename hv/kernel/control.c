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
#include <linux/eventfd.h>
#include "control.h"
#include "domain.h"
#include "doorbell.h"
#include "evtchn.h"
#include "hypercall.h"
#include "reservation.h"
#include "passthrough.h"

/* One open file; it owns at most one domain, for the file's lifetime. */
struct ctl_file {
	struct mutex lock;	/* serialises create and set_state on this file */
	struct xhv_domain *domain;
	struct hvctl_foreign_map foreign;	/* what mmap() maps, if set */
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
	info.nr_evtchn_ports = atomic64_read(&xhv_nr_ports);
	info.nr_grant_maps = atomic64_read(&xhv_nr_grant_maps);
	info.nr_pinned_pages = atomic64_read(&xhv_nr_pinned);
	info.nr_foreign_maps = atomic64_read(&xhv_nr_foreign);
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long ctl_hypercall(struct xhv_domain *d, void __user *arg)
{
	struct hvctl_hypercall req;
	int err;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.vcpu >= d->vcpus || req.pad)
		return -EINVAL;
	err = xhv_hypercall_block(d, req.block_gfn, &req.result);
	if (err)
		return err;
	return copy_to_user(arg, &req, sizeof(req)) ? -EFAULT : 0;
}

static long ctl_set_upcall(struct xhv_domain *d, void __user *arg)
{
	struct hvctl_upcall req;
	struct eventfd_ctx *ctx = NULL;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.eventfd >= 0) {
		ctx = eventfd_ctx_fdget(req.eventfd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	}
	return xhv_evtchn_set_upcall(d, req.vcpu, ctx);
}

static long ctl_param(struct xhv_domain *own, void __user *arg, bool set)
{
	struct hvctl_param req;
	struct xhv_domain *d;
	unsigned long flags;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.index >= HVX_HVM_NR_PARAMS)
		return -EINVAL;
	if (set) {
		d = own;
		kref_get(&d->ref);
	} else {
		d = xhv_domain_get_any(req.domid);
		if (!d)
			return -ESRCH;
	}
	spin_lock_irqsave(&d->evtchn_lock, flags);
	if (set)
		d->params[req.index] = req.value;
	else
		req.value = d->params[req.index];
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	xhv_domain_put(d);
	if (!set && copy_to_user(arg, &req, sizeof(req)))
		return -EFAULT;
	return 0;
}

static long ctl_evtchn_alloc(struct xhv_domain *d, void __user *arg)
{
	struct hvctl_evtchn_alloc req;
	long err;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	err = xhv_evtchn_alloc_unbound(d, req.remote_domid, &req.port);
	if (err)
		return err;
	return copy_to_user(arg, &req, sizeof(req)) ? -EFAULT : 0;
}

static long ctl_foreign_map(struct ctl_file *cf, void __user *arg)
{
	struct hvctl_foreign_map req;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.domid == 0 || req.domid > HVCTL_DOMID_LAST ||
	    req.nr_frames == 0 || req.nr_frames > HVCTL_FOREIGN_MAX_FRAMES)
		return -EINVAL;
	mutex_lock(&cf->lock);
	cf->foreign = req;
	mutex_unlock(&cf->lock);
	return 0;
}

static long ctl_mem(void __user *arg, bool set)
{
	struct hvctl_mem req;
	struct xhv_domain *d;
	long err = 0;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.pad)
		return -EINVAL;
	d = xhv_domain_get(req.domid);
	if (!d)
		return -ESRCH;
	if (set)
		err = xhv_reservation_set_max(d, req.max_kib);
	if (!err) {
		req.max_kib = READ_ONCE(d->max_pages) << (PAGE_SHIFT - 10);
		req.current_kib = READ_ONCE(d->tot_pages) << (PAGE_SHIFT - 10);
		req.ram_kib = d->ram_pages << (PAGE_SHIFT - 10);
	}
	xhv_domain_put(d);
	if (!err && copy_to_user(arg, &req, sizeof(req)))
		err = -EFAULT;
	return err;
}

/* Domain services: only on the file that registered the domain. */
static long ctl_domain_ioctl(struct ctl_file *cf, unsigned int cmd,
			     void __user *uarg)
{
	struct xhv_domain *d;
	long err;

	mutex_lock(&cf->lock);
	d = cf->domain;
	if (d)
		kref_get(&d->ref);
	mutex_unlock(&cf->lock);
	if (!d)
		return -ENOENT;
	switch (cmd) {
	case HVCTL_HYPERCALL:
		err = ctl_hypercall(d, uarg);
		break;
	case HVCTL_SET_DOORBELL: {
		s32 fd;

		err = get_user(fd, (s32 __user *)uarg) ? -EFAULT
						       : xhv_doorbell_set(d, fd);
		break;
	}
	case HVCTL_SET_UPCALL:
		err = ctl_set_upcall(d, uarg);
		break;
	case HVCTL_SET_PARAM:
		err = ctl_param(d, uarg, true);
		break;
	case HVCTL_EVTCHN_ALLOC:
		err = ctl_evtchn_alloc(d, uarg);
		break;
	case HVCTL_PCI_ASSIGN:
	case HVCTL_PCI_DEASSIGN: {
		struct hvctl_pci_assign req;

		if (copy_from_user(&req, uarg, sizeof(req)))
			err = -EFAULT;
		else if (cmd == HVCTL_PCI_ASSIGN)
			err = xhv_pci_assign(d, &req);
		else
			err = xhv_pci_deassign(d, &req);
		break;
	}
	default:
		err = -ENOTTY;
	}
	xhv_domain_put(d);
	return err;
}

struct foreign_vma {
	u32 nr_pages;
	struct page *pages[];	/* referenced until munmap */
};

static void foreign_vma_put(struct foreign_vma *fv, u32 nr)
{
	u32 i;

	for (i = 0; i < nr; i++)
		put_page(fv->pages[i]);
	kvfree(fv);
}

static void foreign_vma_close(struct vm_area_struct *vma)
{
	struct foreign_vma *fv = vma->vm_private_data;

	atomic64_sub(fv->nr_pages, &xhv_nr_foreign);
	foreign_vma_put(fv, fv->nr_pages);
}

static const struct vm_operations_struct foreign_vm_ops = {
	.close = foreign_vma_close,
};

/*
 * mmap() of the frames chosen with HVCTL_FOREIGN_MAP. The mapping holds
 * its pages (not the domain): they stay valid until munmap. The pages
 * belong to the domain's RAM memfd, so they go in as raw frames
 * (VM_PFNMAP), outside the page's reverse map: counted there, a domain's
 * memfd truncated (destroyed, or a frame ballooned out) while a process
 * still maps the page would find a page cache page mapped by a vma that
 * is not the memfd's.
 */
static int ctl_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ctl_file *cf = file->private_data;
	struct hvctl_foreign_map req;
	struct foreign_vma *fv;
	struct xhv_domain *d;
	unsigned long len = vma->vm_end - vma->vm_start;
	u32 i, held = 0;
	int err = 0;

	mutex_lock(&cf->lock);
	req = cf->foreign;
	err = cf->domain ? -EBUSY : 0;
	mutex_unlock(&cf->lock);
	if (err)
		return err;
	if (!req.nr_frames || req.nr_frames > HVCTL_FOREIGN_MAX_FRAMES ||
	    vma->vm_pgoff || len != (unsigned long)req.nr_frames << PAGE_SHIFT ||
	    !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	d = xhv_domain_get(req.domid);
	if (!d)
		return -ESRCH;
	fv = kvzalloc(struct_size(fv, pages, req.nr_frames), GFP_KERNEL);
	if (!fv) {
		xhv_domain_put(d);
		return -ENOMEM;
	}
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTCOPY | VM_DONTDUMP;
	for (i = 0; i < req.nr_frames; i++) {
		struct page *page = xhv_frame_page(d, req.gfn + i);

		if (IS_ERR(page)) {
			err = PTR_ERR(page);
			break;
		}
		fv->pages[held++] = page;
		err = remap_pfn_range(vma, vma->vm_start + ((unsigned long)i << PAGE_SHIFT),
				      page_to_pfn(page), PAGE_SIZE, vma->vm_page_prot);
		if (err)
			break;
	}
	xhv_domain_put(d);
	if (err) {
		/* What was mapped so far goes with the failed vma. */
		foreign_vma_put(fv, held);
		return err;
	}
	fv->nr_pages = req.nr_frames;
	vma->vm_private_data = fv;
	vma->vm_ops = &foreign_vm_ops;
	atomic64_add(fv->nr_pages, &xhv_nr_foreign);
	return 0;
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
	case HVCTL_GET_PARAM:
		return ctl_param(NULL, uarg, false);
	case HVCTL_FOREIGN_MAP:
		return ctl_foreign_map(cf, uarg);
	case HVCTL_MEM_GET:
		return ctl_mem(uarg, false);
	case HVCTL_MEM_SET_MAX:
		return ctl_mem(uarg, true);
	case HVCTL_HYPERCALL:
	case HVCTL_SET_DOORBELL:
	case HVCTL_SET_UPCALL:
	case HVCTL_SET_PARAM:
	case HVCTL_EVTCHN_ALLOC:
	case HVCTL_PCI_ASSIGN:
	case HVCTL_PCI_DEASSIGN:
		return ctl_domain_ioctl(cf, cmd, uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.open = ctl_open,
	.release = ctl_release,
	.unlocked_ioctl = ctl_ioctl,
	.mmap = ctl_mmap,
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
