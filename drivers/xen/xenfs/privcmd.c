// SPDX-License-Identifier: GPL-2.0-only
/*
 * privcmd.c: hypercalls from userspace (/proc/xen/privcmd and
 * /dev/xen/privcmd) with Xen's ioctl ABI (include/xen/hvx/privcmd.h).
 *
 * Pointer arguments are user pointers: each op this file knows has its
 * argument struct copied in, checked, passed to the core as a kernel
 * pointer, and copied back. Ops whose structs hold further pointers, and
 * ops that would change the kernel's own layout (add_to_physmap), are not
 * forwarded. In a domU a caller may name only its own domain, as Xen lets
 * a domU's kernel do; dom0 may name any. Ports this file bound are its own:
 * only they may be closed, unmasked or moved through it, and they are
 * closed when it is released, so no process can take the kernel's ports.
 */
#define pr_fmt(fmt) "hvx_xenfs: " fmt

#include <linux/bitmap.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "../../../include/xen/hvx/platform.h"
#include "../../../include/xen/hvx/privcmd.h"
#include "xenfs.h"

struct privcmd_file {
	struct mutex lock;		/* ports */
	unsigned long *ports;		/* bound through this file */
	u32 self_domid;			/* HVX_DOMID_SELF if unknown */
	int restrict_domid;		/* -1: not restricted */
};

static void __user *uptr(u64 addr)
{
	return u64_to_user_ptr(addr);
}

/* May this caller name domain @dom? dom0 any; a domU only itself. */
static bool may_name(struct privcmd_file *f, hvx_domid_t dom)
{
	return hvx_initial_domain() || dom == HVX_DOMID_SELF ||
	       dom == f->self_domid;
}

static bool is_self(struct privcmd_file *f, hvx_domid_t dom)
{
	return dom == HVX_DOMID_SELF || dom == f->self_domid;
}

static bool port_ours(struct privcmd_file *f, hvx_evtchn_port_t port)
{
	return port < HVX_EVTCHN_2L_NR_PORTS && test_bit(port, f->ports);
}

static void port_take(struct privcmd_file *f, hvx_evtchn_port_t port)
{
	if (port < HVX_EVTCHN_2L_NR_PORTS)
		set_bit(port, f->ports);
}

union evtchn_args {
	struct hvx_evtchn_alloc_unbound alloc_unbound;
	struct hvx_evtchn_bind_interdomain bind_interdomain;
	struct hvx_evtchn_bind_virq bind_virq;
	struct hvx_evtchn_bind_ipi bind_ipi;
	struct hvx_evtchn_close close;
	struct hvx_evtchn_send send;
	struct hvx_evtchn_status status;
	struct hvx_evtchn_bind_vcpu bind_vcpu;
	struct hvx_evtchn_unmask unmask;
	struct hvx_evtchn_reset reset;
};

/* -EPERM for what this caller may not do, 0 for what it may. */
static int evtchn_check(struct privcmd_file *f, u64 cmd, union evtchn_args *a)
{
	switch (cmd) {
	case HVX_EVTCHNOP_alloc_unbound:
		return may_name(f, a->alloc_unbound.dom) ? 0 : -EPERM;
	case HVX_EVTCHNOP_status:
		return may_name(f, a->status.dom) ? 0 : -EPERM;
	case HVX_EVTCHNOP_close:
		return port_ours(f, a->close.port) ? 0 : -EPERM;
	case HVX_EVTCHNOP_bind_vcpu:
		return port_ours(f, a->bind_vcpu.port) ? 0 : -EPERM;
	case HVX_EVTCHNOP_unmask:
		return port_ours(f, a->unmask.port) ? 0 : -EPERM;
	case HVX_EVTCHNOP_reset:
		/* Never our own ports (the kernel's): dom0 resets a domU. */
		return hvx_initial_domain() && !is_self(f, a->reset.dom) &&
		       a->reset.dom != 0 ? 0 : -EPERM;
	default:
		return 0;
	}
}

/* After a successful op: which ports this file now owns or gave up. */
static void evtchn_account(struct privcmd_file *f, u64 cmd,
			   union evtchn_args *a)
{
	switch (cmd) {
	case HVX_EVTCHNOP_alloc_unbound:
		if (is_self(f, a->alloc_unbound.dom))
			port_take(f, a->alloc_unbound.port);
		break;
	case HVX_EVTCHNOP_bind_interdomain:
		port_take(f, a->bind_interdomain.local_port);
		break;
	case HVX_EVTCHNOP_bind_virq:
		port_take(f, a->bind_virq.port);
		break;
	case HVX_EVTCHNOP_bind_ipi:
		port_take(f, a->bind_ipi.port);
		break;
	case HVX_EVTCHNOP_close:
		clear_bit(a->close.port, f->ports);
		break;
	}
}

static long do_evtchn_op(struct privcmd_file *f, u64 cmd, u64 arg)
{
	union evtchn_args a;
	size_t len = hvx_evtchn_op_size(cmd);
	long ret;

	if (!len)
		return -ENOSYS;
	if (len > sizeof(a))
		return -EINVAL;
	if (copy_from_user(&a, uptr(arg), len))
		return -EFAULT;
	mutex_lock(&f->lock);
	ret = evtchn_check(f, cmd, &a);
	if (!ret)
		ret = hvx_event_channel_op(cmd, &a);
	if (!ret)
		evtchn_account(f, cmd, &a);
	mutex_unlock(&f->lock);
	if (!ret && copy_to_user(uptr(arg), &a, len))
		return -EFAULT;
	return ret;
}

static long do_grant_table_op(struct privcmd_file *f, u64 cmd, u64 arg,
			      u64 count)
{
	struct hvx_gnttab_query_size q;
	long ret;

	/* The others carry frame lists or are for the kernel's backends. */
	if (cmd != HVX_GNTTABOP_query_size)
		return -ENOSYS;
	if (count != 1)
		return -EINVAL;
	if (copy_from_user(&q, uptr(arg), sizeof(q)))
		return -EFAULT;
	if (!may_name(f, q.dom))
		return -EPERM;
	ret = hvx_grant_table_op(cmd, &q, 1);
	if (!ret && copy_to_user(uptr(arg), &q, sizeof(q)))
		return -EFAULT;
	return ret;
}

static long do_memory_op(struct privcmd_file *f, u64 cmd, u64 arg)
{
	hvx_domid_t dom;

	switch (cmd) {
	case HVX_XENMEM_maximum_ram_page:
		return hvx_memory_op(cmd, NULL);
	case HVX_XENMEM_current_reservation:
	case HVX_XENMEM_maximum_reservation:
	case HVX_XENMEM_maximum_gpfn:
		if (copy_from_user(&dom, uptr(arg), sizeof(dom)))
			return -EFAULT;
		if (!may_name(f, dom))
			return -EPERM;
		return hvx_memory_op(cmd, &dom);
	case HVX_XENMEM_add_to_physmap:
		/* Would move the kernel's own shared-info or grant frames. */
		return -EPERM;
	default:
		return -ENOSYS;
	}
}

static long do_hvm_op(struct privcmd_file *f, u64 cmd, u64 arg)
{
	struct hvx_hvm_param p;
	long ret;

	if (cmd != HVX_HVMOP_get_param && cmd != HVX_HVMOP_set_param)
		return -ENOSYS;
	if (copy_from_user(&p, uptr(arg), sizeof(p)))
		return -EFAULT;
	if (!may_name(f, p.domid))
		return -EPERM;
	if (cmd == HVX_HVMOP_set_param && !hvx_initial_domain())
		return -EPERM;
	ret = hvx_hypercall(HVX_HYPERVISOR_hvm_op, cmd, (unsigned long)&p, 0);
	if (!ret && cmd == HVX_HVMOP_get_param &&
	    copy_to_user(uptr(arg), &p, sizeof(p)))
		return -EFAULT;
	return ret;
}

static long do_hvx_op(u64 cmd, u64 arg)
{
	struct hvx_op_info info;
	long ret;

	/* The suite's own op: only the read-only one makes sense here. */
	if (cmd != HVXOP_get_info)
		return -ENOSYS;
	ret = hvx_hypercall(HVX_HYPERVISOR_arch_0, cmd, (unsigned long)&info, 0);
	if (!ret && copy_to_user(uptr(arg), &info, sizeof(info)))
		return -EFAULT;
	return ret;
}

static long privcmd_hypercall(struct privcmd_file *f, void __user *udata)
{
	struct hvx_privcmd_hypercall call;

	if (copy_from_user(&call, udata, sizeof(call)))
		return -EFAULT;
	/* A file restricted to one domain may only make dm_ops (as Xen). */
	if (READ_ONCE(f->restrict_domid) >= 0)
		return -EPERM;
	switch (call.op) {
	case HVX_HYPERVISOR_event_channel_op:
		return do_evtchn_op(f, call.arg[0], call.arg[1]);
	case HVX_HYPERVISOR_grant_table_op:
		return do_grant_table_op(f, call.arg[0], call.arg[1], call.arg[2]);
	case HVX_HYPERVISOR_memory_op:
		return do_memory_op(f, call.arg[0], call.arg[1]);
	case HVX_HYPERVISOR_hvm_op:
		return do_hvm_op(f, call.arg[0], call.arg[1]);
	case HVX_HYPERVISOR_xen_version:
		if (call.arg[0] != HVX_XENVER_version &&
		    call.arg[0] != HVX_XENVER_pagesize)
			return -ENOSYS;
		return hvx_hypercall(call.op, call.arg[0], 0, 0);
	case HVX_HYPERVISOR_arch_0:
		return do_hvx_op(call.arg[0], call.arg[1]);
	default:
		return -ENOSYS;
	}
}

static long privcmd_restrict(struct privcmd_file *f, void __user *udata)
{
	hvx_domid_t dom;
	long ret = 0;

	if (copy_from_user(&dom, udata, sizeof(dom)))
		return -EFAULT;
	mutex_lock(&f->lock);
	if (f->restrict_domid < 0)
		WRITE_ONCE(f->restrict_domid, dom);
	else if (f->restrict_domid != dom)
		ret = -EINVAL;
	mutex_unlock(&f->lock);
	return ret;
}

static long privcmd_ioctl(struct file *file, unsigned int cmd,
			  unsigned long data)
{
	struct privcmd_file *f = file->private_data;
	void __user *udata = (void __user *)data;

	switch (cmd) {
	case HVX_IOCTL_PRIVCMD_HYPERCALL:
		return privcmd_hypercall(f, udata);
	case HVX_IOCTL_PRIVCMD_RESTRICT:
		return privcmd_restrict(f, udata);
	case HVX_IOCTL_PRIVCMD_MMAP:
	case HVX_IOCTL_PRIVCMD_MMAPBATCH:
	case HVX_IOCTL_PRIVCMD_MMAPBATCH_V2:
	case HVX_IOCTL_PRIVCMD_DM_OP:
	case HVX_IOCTL_PRIVCMD_MMAP_RESOURCE:
		/* Foreign mapping goes through hv's own interfaces (docs/xenfs.md). */
		return -ENOSYS;
	default:
		return -ENOTTY;
	}
}

static int privcmd_open(struct inode *inode, struct file *file)
{
	struct privcmd_file *f;
	struct hvx_op_info info;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->ports = bitmap_zalloc(HVX_EVTCHN_2L_NR_PORTS, GFP_KERNEL);
	if (!f->ports) {
		kfree(f);
		return -ENOMEM;
	}
	mutex_init(&f->lock);
	f->restrict_domid = -1;
	f->self_domid = HVX_DOMID_SELF;
	if (!hvx_hypercall(HVX_HYPERVISOR_arch_0, HVXOP_get_info,
			   (unsigned long)&info, 0))
		f->self_domid = info.domid;
	file->private_data = f;
	return 0;
}

static int privcmd_release(struct inode *inode, struct file *file)
{
	struct privcmd_file *f = file->private_data;
	unsigned int port;
	int err;

	for_each_set_bit(port, f->ports, HVX_EVTCHN_2L_NR_PORTS) {
		err = hvx_evtchn_close(port);
		if (err)
			pr_debug("closing port %u at release: %d\n", port, err);
	}
	bitmap_free(f->ports);
	kfree(f);
	return 0;
}

const struct file_operations xenfs_privcmd_fops = {
	.owner = THIS_MODULE,
	.open = privcmd_open,
	.release = privcmd_release,
	.unlocked_ioctl = privcmd_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = no_llseek,
};

static struct miscdevice privcmd_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xen/privcmd",
	.fops = &xenfs_privcmd_fops,
	.mode = 0600,
};

int xenfs_privcmd_init(void)
{
	return misc_register(&privcmd_dev);
}

void xenfs_privcmd_exit(void)
{
	misc_deregister(&privcmd_dev);
}
