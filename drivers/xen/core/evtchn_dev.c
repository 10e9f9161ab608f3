// SPDX-License-Identifier: GPL-2.0-only
/*
 * evtchn_dev.c: /dev/xen/evtchn, event channels for userspace (the VMM's
 * console bridge and xenstored in dom0), with Xen's device ABI
 * (include/xen/hvx/evtchn-dev.h). An event masks its port and queues it for
 * read(); writing the port back unmasks it. Each open file has a bounded
 * queue; ports it bound are closed when it is released.
 */
#define pr_fmt(fmt) "hvx_core: " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/miscdevice.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include "../../../include/xen/hvx/evtchn-dev.h"
#include "internal.h"

#define QUEUE_SIZE	1024	/* a power of two */
#define MAX_BINDINGS	1024	/* per open file */

struct evtchn_file;

struct evtchn_binding {
	struct evtchn_file *file;
	hvx_evtchn_port_t port;
	int irq;
	bool enabled;
};

struct evtchn_file {
	struct mutex lock;		/* bindings */
	struct xarray bindings;		/* port -> binding */
	unsigned int nr_bindings;
	spinlock_t queue_lock;
	u32 queue[QUEUE_SIZE];
	unsigned int prod, cons;
	bool overflow;
	wait_queue_head_t wait;
	int restrict_domid;		/* -1: any */
	char name[32];
};

static irqreturn_t evtchn_dev_interrupt(int irq, void *data)
{
	struct evtchn_binding *b = data;
	struct evtchn_file *f = b->file;

	/* Masked until userspace writes the port back. */
	disable_irq_nosync(irq);
	b->enabled = false;
	spin_lock(&f->queue_lock);
	if (f->prod - f->cons < QUEUE_SIZE)
		f->queue[f->prod++ & (QUEUE_SIZE - 1)] = b->port;
	else
		f->overflow = true;
	spin_unlock(&f->queue_lock);
	wake_up_interruptible(&f->wait);
	return IRQ_HANDLED;
}

/* Take over a port of ours: @close_on_unbind if we created it here. */
static int bind_port(struct evtchn_file *f, hvx_evtchn_port_t port)
{
	struct evtchn_binding *b;
	int irq, err;

	if (f->nr_bindings >= MAX_BINDINGS)
		return -ENOSPC;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->file = f;
	b->port = port;
	/* Before the IRQ exists: its first event may come at once. */
	b->enabled = true;
	err = xa_insert(&f->bindings, port, b, GFP_KERNEL);
	if (err) {
		kfree(b);
		return err;
	}
	irq = hvx_bind_evtchn_to_irqhandler(port, evtchn_dev_interrupt, 0,
					    f->name, b);
	if (irq < 0) {
		xa_erase(&f->bindings, port);
		kfree(b);
		return irq;
	}
	b->irq = irq;
	f->nr_bindings++;
	return 0;
}

static void unbind_port(struct evtchn_file *f, struct evtchn_binding *b)
{
	xa_erase(&f->bindings, b->port);
	if (!b->enabled)
		enable_irq(b->irq);
	hvx_unbind_from_irqhandler(b->irq, b);
	hvx_evtchn_close(b->port);
	f->nr_bindings--;
	kfree(b);
}

static long bind_new(struct evtchn_file *f, int err, hvx_evtchn_port_t port)
{
	if (err)
		return err;
	err = bind_port(f, port);
	if (err) {
		hvx_evtchn_close(port);
		return err;
	}
	return port;
}

static bool domid_allowed(struct evtchn_file *f, unsigned int domid)
{
	return f->restrict_domid < 0 || (unsigned int)f->restrict_domid == domid;
}

static long evtchn_dev_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	struct evtchn_file *f = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct evtchn_binding *b;
	long ret;

	mutex_lock(&f->lock);
	switch (cmd) {
	case HVX_IOCTL_EVTCHN_BIND_VIRQ: {
		struct hvx_ioctl_evtchn_bind_virq op;
		struct hvx_evtchn_bind_virq bind = { .vcpu = 0 };

		ret = -EFAULT;
		if (copy_from_user(&op, uarg, sizeof(op)))
			break;
		ret = -EPERM;
		if (f->restrict_domid >= 0)
			break;
		bind.virq = op.virq;
		ret = hvx_event_channel_op(HVX_EVTCHNOP_bind_virq, &bind);
		ret = bind_new(f, ret, bind.port);
		break;
	}
	case HVX_IOCTL_EVTCHN_BIND_INTERDOMAIN: {
		struct hvx_ioctl_evtchn_bind_interdomain op;
		struct hvx_evtchn_bind_interdomain bind = { 0 };

		ret = -EFAULT;
		if (copy_from_user(&op, uarg, sizeof(op)))
			break;
		ret = -EINVAL;
		if (op.remote_domain >= HVX_DOMID_FIRST_RESERVED)
			break;
		ret = -EPERM;
		if (!domid_allowed(f, op.remote_domain))
			break;
		bind.remote_dom = op.remote_domain;
		bind.remote_port = op.remote_port;
		ret = hvx_event_channel_op(HVX_EVTCHNOP_bind_interdomain, &bind);
		ret = bind_new(f, ret, bind.local_port);
		break;
	}
	case HVX_IOCTL_EVTCHN_BIND_UNBOUND_PORT: {
		struct hvx_ioctl_evtchn_bind_unbound_port op;
		hvx_evtchn_port_t port = 0;

		ret = -EFAULT;
		if (copy_from_user(&op, uarg, sizeof(op)))
			break;
		ret = -EINVAL;
		if (op.remote_domain >= HVX_DOMID_FIRST_RESERVED)
			break;
		ret = -EPERM;
		if (!domid_allowed(f, op.remote_domain))
			break;
		ret = hvx_evtchn_alloc_unbound(op.remote_domain, &port);
		ret = bind_new(f, ret, port);
		break;
	}
	case HVX_IOCTL_EVTCHN_UNBIND:
	case HVX_IOCTL_EVTCHN_NOTIFY: {
		struct hvx_ioctl_evtchn_port op;

		ret = -EFAULT;
		if (copy_from_user(&op, uarg, sizeof(op)))
			break;
		b = xa_load(&f->bindings, op.port);
		ret = -ENOTCONN;
		if (!b)
			break;
		if (cmd == HVX_IOCTL_EVTCHN_UNBIND)
			unbind_port(f, b);
		else
			hvx_notify_remote_via_evtchn(op.port);
		ret = 0;
		break;
	}
	case HVX_IOCTL_EVTCHN_RESET:
		spin_lock_irq(&f->queue_lock);
		f->prod = 0;
		f->cons = 0;
		f->overflow = false;
		spin_unlock_irq(&f->queue_lock);
		ret = 0;
		break;
	case HVX_IOCTL_EVTCHN_RESTRICT_DOMID: {
		struct hvx_ioctl_evtchn_restrict_domid op;

		ret = -EFAULT;
		if (copy_from_user(&op, uarg, sizeof(op)))
			break;
		ret = -EINVAL;
		if (op.domid >= HVX_DOMID_FIRST_RESERVED)
			break;
		ret = -EACCES;
		if (f->restrict_domid >= 0)
			break;
		f->restrict_domid = op.domid;
		ret = 0;
		break;
	}
	default:
		ret = -ENOTTY;
	}
	mutex_unlock(&f->lock);
	return ret;
}

static ssize_t evtchn_dev_read(struct file *file, char __user *buf,
			       size_t count, loff_t *ppos)
{
	struct evtchn_file *f = file->private_data;
	u32 ports[64];
	unsigned int n = 0;
	int err;

	count = min_t(size_t, count, sizeof(ports)) / sizeof(u32);
	if (!count)
		return -EINVAL;
	for (;;) {
		spin_lock_irq(&f->queue_lock);
		if (f->overflow) {
			spin_unlock_irq(&f->queue_lock);
			return -EFBIG;
		}
		while (n < count && f->cons != f->prod)
			ports[n++] = f->queue[f->cons++ & (QUEUE_SIZE - 1)];
		spin_unlock_irq(&f->queue_lock);
		if (n)
			break;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(f->wait,
					       READ_ONCE(f->cons) != READ_ONCE(f->prod) ||
					       READ_ONCE(f->overflow));
		if (err)
			return err;
	}
	if (copy_to_user(buf, ports, n * sizeof(u32)))
		return -EFAULT;
	return n * sizeof(u32);
}

/* Writing ports back unmasks them. */
static ssize_t evtchn_dev_write(struct file *file, const char __user *buf,
				size_t count, loff_t *ppos)
{
	struct evtchn_file *f = file->private_data;
	struct evtchn_binding *b;
	u32 ports[64];
	unsigned int i, n;

	count = min_t(size_t, count, sizeof(ports));
	n = count / sizeof(u32);
	if (!n)
		return 0;
	if (copy_from_user(ports, buf, n * sizeof(u32)))
		return -EFAULT;
	mutex_lock(&f->lock);
	for (i = 0; i < n; i++) {
		b = xa_load(&f->bindings, ports[i]);
		if (b && !b->enabled) {
			b->enabled = true;
			enable_irq(b->irq);
		}
	}
	mutex_unlock(&f->lock);
	return n * sizeof(u32);
}

static __poll_t evtchn_dev_poll(struct file *file, poll_table *wait)
{
	struct evtchn_file *f = file->private_data;
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;

	poll_wait(file, &f->wait, wait);
	if (READ_ONCE(f->cons) != READ_ONCE(f->prod))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(f->overflow))
		mask |= EPOLLERR;
	return mask;
}

static int evtchn_dev_open(struct inode *inode, struct file *file)
{
	struct evtchn_file *f;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	xa_init(&f->bindings);
	spin_lock_init(&f->queue_lock);
	init_waitqueue_head(&f->wait);
	f->restrict_domid = -1;
	snprintf(f->name, sizeof(f->name), "evtchn:%s", current->comm);
	file->private_data = f;
	return 0;
}

static int evtchn_dev_release(struct inode *inode, struct file *file)
{
	struct evtchn_file *f = file->private_data;
	struct evtchn_binding *b;
	unsigned long port;

	mutex_lock(&f->lock);
	xa_for_each(&f->bindings, port, b)
		unbind_port(f, b);
	mutex_unlock(&f->lock);
	xa_destroy(&f->bindings);
	kfree(f);
	return 0;
}

static const struct file_operations evtchn_dev_fops = {
	.owner = THIS_MODULE,
	.open = evtchn_dev_open,
	.release = evtchn_dev_release,
	.read = evtchn_dev_read,
	.write = evtchn_dev_write,
	.poll = evtchn_dev_poll,
	.unlocked_ioctl = evtchn_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = no_llseek,
};

static struct miscdevice evtchn_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xen/evtchn",
	.fops = &evtchn_dev_fops,
	.mode = 0600,
};

int hvx_evtchn_dev_init(void)
{
	return misc_register(&evtchn_dev);
}

void hvx_evtchn_dev_exit(void)
{
	misc_deregister(&evtchn_dev);
}
