// SPDX-License-Identifier: GPL-2.0-only
/*
 * hypercall.c: Xen hypercalls, for a domU (forwarded by its VMM with
 * HVCTL_HYPERCALL; every address is guest-physical and read through the
 * domain's memfd) and for dom0's kernel (the core's transport; addresses
 * are kernel pointers). Argument structs are copied in once, checked, acted
 * on, and copied back.
 */
#define pr_fmt(fmt) "hv: " fmt

#include <linux/slab.h>
#include "domain.h"
#include "evtchn.h"
#include "grant.h"
#include "hypercall.h"
#include "reservation.h"

#define XENVER_version		0
#define HV_XEN_VERSION		((4u << 16) | 17u)	/* what guests are told */
#define GRANT_COPY_BATCH	64

struct xhv_call {
	struct xhv_domain *d;
	bool kernel;		/* dom0: addresses are kernel pointers */
};

static int arg_in(struct xhv_call *c, void *dst, u64 addr, size_t len)
{
	if (c->kernel) {
		memcpy(dst, (const void *)(uintptr_t)addr, len);
		return 0;
	}
	return xhv_guest_read(c->d, dst, addr, len);
}

static int arg_out(struct xhv_call *c, u64 addr, const void *src, size_t len)
{
	if (c->kernel) {
		memcpy((void *)(uintptr_t)addr, src, len);
		return 0;
	}
	return xhv_guest_write(c->d, addr, src, len);
}

static long event_channel_op(struct xhv_call *c, u64 cmd, u64 arg)
{
	union {
		struct hvx_evtchn_status status;
		struct hvx_evtchn_bind_interdomain bind;
		u8 bytes[32];
	} buf;
	size_t len = hvx_evtchn_op_size(cmd);
	long err;

	if (!len)
		return -ENOSYS;
	if (arg_in(c, &buf, arg, len))
		return -EFAULT;
	err = xhv_evtchn_op(c->d, (int)cmd, &buf);
	if (!err && arg_out(c, arg, &buf, len))
		return -EFAULT;
	return err;
}

/* The domain a grant or memory op names: itself, or (dom0) any domain. */
static struct xhv_domain *op_target(struct xhv_call *c, u32 domid)
{
	if (domid == HVX_DOMID_SELF || domid == c->d->domid) {
		kref_get(&c->d->ref);
		return c->d;
	}
	if (c->d->domid != 0)
		return NULL;
	return xhv_domain_get_any(domid);
}

static long setup_table(struct xhv_call *c, u64 arg)
{
	struct hvx_gnttab_setup_table op;
	struct xhv_domain *t;
	u64 *frames = NULL;

	if (arg_in(c, &op, arg, sizeof(op)))
		return -EFAULT;
	t = op_target(c, op.dom);
	if (!t) {
		op.status = HVX_GNTST_bad_domain;
	} else if (op.nr_frames > HVX_GNTTAB_DEFAULT_MAX_FRAMES) {
		op.status = HVX_GNTST_general_error;
	} else {
		frames = kcalloc(max(op.nr_frames, 1u), sizeof(*frames), GFP_KERNEL);
		op.status = frames ? xhv_grant_setup_table(t, op.nr_frames, frames)
				   : HVX_GNTST_no_device_space;
		if (op.status == HVX_GNTST_okay && op.nr_frames &&
		    arg_out(c, op.frame_list, frames, op.nr_frames * sizeof(*frames)))
			op.status = HVX_GNTST_bad_virt_addr;
	}
	kfree(frames);
	if (t)
		xhv_domain_put(t);
	return arg_out(c, arg, &op, sizeof(op)) ? -EFAULT : 0;
}

static long query_size(struct xhv_call *c, u64 arg)
{
	struct hvx_gnttab_query_size op;
	struct xhv_domain *t;

	if (arg_in(c, &op, arg, sizeof(op)))
		return -EFAULT;
	t = op_target(c, op.dom);
	if (t) {
		xhv_grant_query_size(t, &op.nr_frames, &op.max_nr_frames);
		op.status = HVX_GNTST_okay;
		xhv_domain_put(t);
	} else {
		op.status = HVX_GNTST_bad_domain;
	}
	return arg_out(c, arg, &op, sizeof(op)) ? -EFAULT : 0;
}

/* Grant copy from dom0's kernel, in batches (domUs may not copy yet). */
static long grant_copy(struct xhv_call *c, u64 arg, u64 count)
{
	struct hvx_gnttab_copy *ops;
	u64 done;
	u32 n;

	if (c->d->domid != 0)
		return -EPERM;
	ops = kmalloc_array(GRANT_COPY_BATCH, sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	for (done = 0; done < count; done += n) {
		n = min_t(u64, count - done, GRANT_COPY_BATCH);
		if (arg_in(c, ops, arg + done * sizeof(*ops), n * sizeof(*ops)))
			break;
		xhv_grant_copy(ops, n);
		if (arg_out(c, arg + done * sizeof(*ops), ops, n * sizeof(*ops)))
			break;
	}
	kfree(ops);
	return done == count ? 0 : -EFAULT;
}

static long grant_table_op(struct xhv_call *c, u64 cmd, u64 arg, u64 count)
{
	switch (cmd) {
	case HVX_GNTTABOP_setup_table:
		return count == 1 ? setup_table(c, arg) : -EINVAL;
	case HVX_GNTTABOP_query_size:
		return count == 1 ? query_size(c, arg) : -EINVAL;
	case HVX_GNTTABOP_copy:
		return grant_copy(c, arg, count);
	case HVX_GNTTABOP_get_version:
		return 1;
	default:
		/* Mapping is for dom0 backends, through the core's API. */
		return -ENOSYS;
	}
}

/* XENMEM_current/maximum_reservation: the domain's pages, by domid. */
static long reservation_pages(struct xhv_call *c, u64 cmd, u64 arg)
{
	struct xhv_domain *t;
	hvx_domid_t domid;
	long pages;

	if (arg_in(c, &domid, arg, sizeof(domid)))
		return -EFAULT;
	t = op_target(c, domid);
	if (!t)
		return c->d->domid ? -EPERM : -ESRCH;
	pages = xhv_reservation_pages(t, cmd);
	xhv_domain_put(t);
	return pages;
}

static long reservation_op(struct xhv_call *c, u64 cmd, u64 arg)
{
	struct hvx_memory_reservation r;

	if (c->kernel)
		return -EPERM;	/* dom0 does not balloon */
	if (arg_in(c, &r, arg, sizeof(r)))
		return -EFAULT;
	return xhv_reservation_op(c->d, cmd, &r);
}

static long memory_op(struct xhv_call *c, u64 cmd, u64 arg)
{
	struct hvx_add_to_physmap op;

	switch (cmd) {
	case HVX_XENMEM_decrease_reservation:
	case HVX_XENMEM_populate_physmap:
		return reservation_op(c, cmd, arg);
	case HVX_XENMEM_current_reservation:
	case HVX_XENMEM_maximum_reservation:
		return reservation_pages(c, cmd, arg);
	case HVX_XENMEM_add_to_physmap:
		break;
	default:
		return -ENOSYS;
	}
	if (arg_in(c, &op, arg, sizeof(op)))
		return -EFAULT;
	if (op.domid != HVX_DOMID_SELF && op.domid != c->d->domid)
		return -EPERM;
	switch (op.space) {
	case HVX_XENMAPSPACE_shared_info:
		return op.idx ? -EINVAL : xhv_evtchn_set_shinfo(c->d, op.gpfn);
	case HVX_XENMAPSPACE_grant_table:
		return xhv_grant_add_frame(c->d, op.idx, op.gpfn);
	default:
		return -EINVAL;
	}
}

static long hvm_op(struct xhv_call *c, u64 cmd, u64 arg)
{
	struct hvx_hvm_param op;
	struct xhv_domain *t;
	unsigned long flags;
	long err = 0;

	if (cmd != HVX_HVMOP_get_param && cmd != HVX_HVMOP_set_param)
		return -ENOSYS;
	if (arg_in(c, &op, arg, sizeof(op)))
		return -EFAULT;
	if (op.index >= HVX_HVM_NR_PARAMS)
		return -EINVAL;
	t = op_target(c, op.domid);
	if (!t)
		return -EPERM;
	if (cmd == HVX_HVMOP_set_param && c->d->domid != 0) {
		err = -EPERM;
	} else {
		spin_lock_irqsave(&t->evtchn_lock, flags);
		if (cmd == HVX_HVMOP_set_param)
			t->params[op.index] = op.value;
		else
			op.value = t->params[op.index];
		spin_unlock_irqrestore(&t->evtchn_lock, flags);
	}
	xhv_domain_put(t);
	if (!err && cmd == HVX_HVMOP_get_param && arg_out(c, arg, &op, sizeof(op)))
		err = -EFAULT;
	return err;
}

static long hvx_op(struct xhv_call *c, u64 cmd, u64 arg)
{
	struct hvx_op_info info = {
		.domid = c->d->domid,
		.nr_vcpus = c->d->vcpus,
		.max_evtchn_port = c->d->max_ports,
		.max_grant_frames = HVX_GNTTAB_DEFAULT_MAX_FRAMES,
	};

	switch (cmd) {
	case HVXOP_set_send_page:
		if (c->kernel)
			return -EINVAL;	/* dom0 sends through the transport */
		return xhv_evtchn_set_send_page(c->d, arg);
	case HVXOP_get_info:
		return arg_out(c, arg, &info, sizeof(info)) ? -EFAULT : 0;
	default:
		return -ENOSYS;
	}
}

long xhv_hypercall(struct xhv_domain *d, bool kernel, u64 op, u64 a1, u64 a2,
		   u64 a3)
{
	struct xhv_call c = { .d = d, .kernel = kernel };

	if (d->dead)
		return -ESRCH;
	switch (op) {
	case HVX_HYPERVISOR_event_channel_op:
		return event_channel_op(&c, a1, a2);
	case HVX_HYPERVISOR_grant_table_op:
		return grant_table_op(&c, a1, a2, a3);
	case HVX_HYPERVISOR_memory_op:
		return memory_op(&c, a1, a2);
	case HVX_HYPERVISOR_hvm_op:
		return hvm_op(&c, a1, a2);
	case HVX_HYPERVISOR_arch_0:
		return hvx_op(&c, a1, a2);
	case HVX_HYPERVISOR_xen_version:
		return a1 == XENVER_version ? HV_XEN_VERSION : -ENOSYS;
	default:
		return -ENOSYS;
	}
}

/* HVCTL_HYPERCALL: the block is a page of the domU; results go back in it. */
int xhv_hypercall_block(struct xhv_domain *d, u64 block_gfn, s64 *result)
{
	struct {
		u64 op;
		u64 args[5];
		s64 result;
		u64 reserved;
	} hdr;
	u64 gpa;

	if (block_gfn > (U64_MAX >> PAGE_SHIFT))
		return -EFAULT;
	gpa = block_gfn << PAGE_SHIFT;
	if (xhv_guest_read(d, &hdr, gpa, sizeof(hdr)))
		return -EFAULT;
	hdr.result = xhv_hypercall(d, false, hdr.op, hdr.args[0], hdr.args[1],
				   hdr.args[2]);
	*result = hdr.result;
	return xhv_guest_write(d, gpa + offsetof(typeof(hdr), result),
			       &hdr.result, sizeof(hdr.result));
}
