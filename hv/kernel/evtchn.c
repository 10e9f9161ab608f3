// SPDX-License-Identifier: GPL-2.0-only
/*
 * evtchn.c: Xen's 2-level event channels. Each domain has a port table
 * (port 0 is never used) and a shared-info page holding the pending and
 * mask bitmaps. Sending sets the far end's pending bit, then its vCPU's
 * pending_sel bit and upcall_pending; the 0->1 edge of upcall_pending
 * signals the vCPU's upcall eventfd (a KVM irqfd), or for dom0 calls the
 * core's hvx_upcall().
 *
 * Locking: a domain's evtchn_lock (irq-safe: sends arrive from irq_work)
 * guards its ports, shared-info pointer, VIRQ table and upcall eventfds.
 * Two domains are locked lower domid first. An interdomain port holds a
 * reference on the far domain, dropped outside the locks.
 */
#define pr_fmt(fmt) "hv: " fmt

#include <linux/eventfd.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include "../../include/xen/hvx/core.h"
#include "domain.h"
#include "evtchn.h"
#include "evtchn_2l.h"

static unsigned int max_evtchn_ports = HVX_EVTCHN_DEFAULT_MAX;
module_param(max_evtchn_ports, uint, 0644);
MODULE_PARM_DESC(max_evtchn_ports,
		 "highest event-channel port a new domain may use (default 1023, at most 4095)");

enum xhv_port_state {
	PORT_FREE = 0,
	PORT_UNBOUND,
	PORT_INTERDOMAIN,
	PORT_VIRQ,
	PORT_IPI,
};

struct xhv_port {
	u8 state;
	u16 remote_domid;		/* UNBOUND: who may bind; INTERDOMAIN: peer */
	u32 remote_port;		/* INTERDOMAIN */
	u32 vcpu;			/* where its upcalls go */
	u32 virq;			/* VIRQ */
	struct xhv_domain *remote;	/* INTERDOMAIN: referenced */
};

int xhv_evtchn_init(struct xhv_domain *d)
{
	u32 max = clamp_t(u32, max_evtchn_ports, 1, HVX_EVTCHN_2L_NR_PORTS - 1);

	spin_lock_init(&d->evtchn_lock);
	d->ports = kvcalloc(max + 1, sizeof(*d->ports), GFP_KERNEL);
	if (!d->ports)
		return -ENOMEM;
	d->max_ports = max;
	return 0;
}

void xhv_evtchn_free(struct xhv_domain *d)
{
	kvfree(d->ports);
	d->ports = NULL;
}

static void lock_two(struct xhv_domain *a, struct xhv_domain *b,
		     unsigned long *flags)
	__acquires(&a->evtchn_lock) __acquires(&b->evtchn_lock)
{
	if (a == b) {
		spin_lock_irqsave(&a->evtchn_lock, *flags);
		__acquire(&b->evtchn_lock);	/* the same lock: count it twice */
	} else if (a->domid < b->domid) {
		spin_lock_irqsave(&a->evtchn_lock, *flags);
		spin_lock_nested(&b->evtchn_lock, SINGLE_DEPTH_NESTING);
	} else {
		spin_lock_irqsave(&b->evtchn_lock, *flags);
		spin_lock_nested(&a->evtchn_lock, SINGLE_DEPTH_NESTING);
	}
}

static void unlock_two(struct xhv_domain *a, struct xhv_domain *b,
		       unsigned long flags)
	__releases(&a->evtchn_lock) __releases(&b->evtchn_lock)
{
	if (a != b)
		spin_unlock(a->domid < b->domid ? &b->evtchn_lock : &a->evtchn_lock);
	else
		__release(&b->evtchn_lock);	/* as lock_two counted it */
	spin_unlock_irqrestore(a == b || a->domid < b->domid ?
			       &a->evtchn_lock : &b->evtchn_lock, flags);
}

static struct xhv_port *port_get(struct xhv_domain *d, u32 port)
{
	if (port == 0 || port > d->max_ports)
		return NULL;
	return &d->ports[port];
}

static int port_alloc(struct xhv_domain *d)
{
	u32 p;

	lockdep_assert_held(&d->evtchn_lock);
	if (d->dead)
		return -ESRCH;
	for (p = 1; p <= d->max_ports; p++) {
		if (d->ports[p].state == PORT_FREE) {
			memset(&d->ports[p], 0, sizeof(d->ports[p]));
			atomic64_inc(&xhv_nr_ports);
			return p;
		}
	}
	return -ENOSPC;
}

static void port_free(struct xhv_domain *d, u32 port)
{
	struct hvx_shared_info *si = d->shinfo.va;

	memset(&d->ports[port], 0, sizeof(d->ports[port]));
	/* A reused port must not inherit a stale pending bit. */
	if (si)
		clear_bit(port, (unsigned long *)si->evtchn_pending);
	atomic64_dec(&xhv_nr_ports);
}

/*
 * Mark @port pending; returns the vCPU to kick, or -1. Called with the
 * domain's lock held; the kick is done by the caller after unlocking.
 */
static int set_pending(struct xhv_domain *d, u32 port)
{
	struct hvx_shared_info *si = d->shinfo.va;
	struct hvx_vcpu_info *vi;
	u32 vcpu = d->ports[port].vcpu;

	if (!si)
		return -1;
	if (vcpu >= HVX_LEGACY_MAX_VCPUS || vcpu >= d->vcpus)
		vcpu = 0;
	vi = &si->vcpu_info[vcpu];
	if (!xhv_2l_set_pending((unsigned long *)si->evtchn_pending,
				(unsigned long *)si->evtchn_mask,
				(unsigned long *)&vi->evtchn_pending_sel,
				&vi->evtchn_upcall_pending, port))
		return -1;
	return vcpu;
}

static void kick(struct xhv_domain *d, int vcpu)
{
	struct eventfd_ctx *ctx;
	unsigned long flags;

	if (vcpu < 0)
		return;
	if (!d->ram) {
		hvx_upcall(vcpu);
		return;
	}
	spin_lock_irqsave(&d->evtchn_lock, flags);
	ctx = d->upcall[vcpu] ?: d->upcall[0];
	if (ctx)
		eventfd_signal(ctx, 1);
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
}

/* Deliver an event on @port of @d (any context). */
static void deliver(struct xhv_domain *d, u32 port)
{
	unsigned long flags;
	int vcpu = -1;

	spin_lock_irqsave(&d->evtchn_lock, flags);
	if (port_get(d, port) && d->ports[port].state != PORT_FREE)
		vcpu = set_pending(d, port);
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	kick(d, vcpu);
}

int xhv_evtchn_send(struct xhv_domain *d, u32 port)
{
	struct xhv_domain *rd = NULL;
	struct xhv_port *p;
	unsigned long flags;
	u32 rport = 0;
	int err = 0;

	spin_lock_irqsave(&d->evtchn_lock, flags);
	p = port_get(d, port);
	if (!p || p->state == PORT_FREE) {
		err = -EINVAL;
	} else if (p->state == PORT_INTERDOMAIN) {
		rd = p->remote;
		rport = p->remote_port;
		kref_get(&rd->ref);
	} else if (p->state == PORT_IPI) {
		rd = d;
		rport = port;
		kref_get(&rd->ref);
	} else if (p->state == PORT_VIRQ) {
		err = -EINVAL;
	}
	/* Sending on an unbound port is not an error (Xen drops it). */
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	if (rd) {
		deliver(rd, rport);
		xhv_domain_put(rd);
	}
	return err;
}

void xhv_evtchn_raise_virq(struct xhv_domain *d, u32 virq)
{
	unsigned long flags;
	int vcpu = -1;
	u32 port;

	if (virq >= HVX_NR_VIRQS)
		return;
	spin_lock_irqsave(&d->evtchn_lock, flags);
	port = d->virq_port[virq];
	if (port)
		vcpu = set_pending(d, port);
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	kick(d, vcpu);
}

int xhv_evtchn_alloc_unbound(struct xhv_domain *d, u32 remote_domid, u32 *port)
{
	unsigned long flags;
	int p;

	if (remote_domid == HVX_DOMID_SELF)
		remote_domid = d->domid;
	if (remote_domid > HVCTL_DOMID_LAST)
		return -EINVAL;
	spin_lock_irqsave(&d->evtchn_lock, flags);
	p = port_alloc(d);
	if (p > 0) {
		d->ports[p].state = PORT_UNBOUND;
		d->ports[p].remote_domid = remote_domid;
		*port = p;
	}
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	return p < 0 ? p : 0;
}

static int bind_interdomain(struct xhv_domain *ld,
			    struct hvx_evtchn_bind_interdomain *op)
{
	struct xhv_domain *rd;
	struct xhv_port *rp;
	unsigned long flags;
	u32 rdomid = op->remote_dom;
	int lport, vcpu = -1;

	if (rdomid == HVX_DOMID_SELF)
		rdomid = ld->domid;
	rd = xhv_domain_get_any(rdomid);
	if (!rd)
		return -ESRCH;
	lock_two(ld, rd, &flags);
	rp = port_get(rd, op->remote_port);
	if (rd->dead || !rp || rp->state != PORT_UNBOUND ||
	    rp->remote_domid != ld->domid) {
		lport = -EINVAL;
		goto out;
	}
	lport = port_alloc(ld);
	if (lport < 0)
		goto out;
	/* Each end references the other domain until it is closed. */
	ld->ports[lport].state = PORT_INTERDOMAIN;
	ld->ports[lport].remote = rd;
	ld->ports[lport].remote_domid = rd->domid;
	ld->ports[lport].remote_port = op->remote_port;
	kref_get(&rd->ref);
	rp->state = PORT_INTERDOMAIN;
	rp->remote = ld;
	rp->remote_port = lport;
	kref_get(&ld->ref);
	op->local_port = lport;
	/* As Xen: the binder gets an event, so it looks at what is there. */
	vcpu = set_pending(ld, lport);
out:
	unlock_two(ld, rd, flags);
	kick(ld, vcpu);
	xhv_domain_put(rd);
	return lport < 0 ? lport : 0;
}

static int bind_virq(struct xhv_domain *d, struct hvx_evtchn_bind_virq *op)
{
	unsigned long flags;
	int p;

	if (op->virq >= HVX_NR_VIRQS || op->vcpu >= d->vcpus)
		return -EINVAL;
	spin_lock_irqsave(&d->evtchn_lock, flags);
	if (d->virq_port[op->virq]) {
		p = -EEXIST;
	} else {
		p = port_alloc(d);
		if (p > 0) {
			d->ports[p].state = PORT_VIRQ;
			d->ports[p].virq = op->virq;
			d->ports[p].vcpu = op->vcpu;
			d->virq_port[op->virq] = p;
			op->port = p;
		}
	}
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	return p < 0 ? p : 0;
}

static int bind_ipi(struct xhv_domain *d, struct hvx_evtchn_bind_ipi *op)
{
	unsigned long flags;
	int p;

	if (op->vcpu >= d->vcpus)
		return -EINVAL;
	spin_lock_irqsave(&d->evtchn_lock, flags);
	p = port_alloc(d);
	if (p > 0) {
		d->ports[p].state = PORT_IPI;
		d->ports[p].vcpu = op->vcpu;
		op->port = p;
	}
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	return p < 0 ? p : 0;
}

int xhv_evtchn_close(struct xhv_domain *d, u32 port)
{
	struct xhv_domain *rd = NULL, *drop_local = NULL, *drop_remote = NULL;
	struct xhv_port *p;
	unsigned long flags;
	int vcpu = -1, err = 0;
	u32 rport;

	spin_lock_irqsave(&d->evtchn_lock, flags);
	p = port_get(d, port);
	if (!p || p->state == PORT_FREE) {
		spin_unlock_irqrestore(&d->evtchn_lock, flags);
		return -EINVAL;
	}
	if (p->state != PORT_INTERDOMAIN) {
		if (p->state == PORT_VIRQ && d->virq_port[p->virq] == port)
			d->virq_port[p->virq] = 0;
		port_free(d, port);
		spin_unlock_irqrestore(&d->evtchn_lock, flags);
		return 0;
	}
	rd = p->remote;
	kref_get(&rd->ref);
	spin_unlock_irqrestore(&d->evtchn_lock, flags);

	lock_two(d, rd, &flags);
	p = &d->ports[port];
	if (p->state != PORT_INTERDOMAIN || p->remote != rd) {
		/* Closed under us by the other side: only the local end is left. */
		if (p->state == PORT_FREE)
			err = -EINVAL;
		else if (p->state != PORT_INTERDOMAIN)
			port_free(d, port);
		goto out;
	}
	rport = p->remote_port;
	drop_local = rd;		/* our port's reference on rd */
	port_free(d, port);
	if (rd->ports[rport].state == PORT_INTERDOMAIN &&
	    rd->ports[rport].remote == d) {
		/* The far end becomes unbound (re-bindable by us) and is told. */
		drop_remote = d;	/* its reference on us */
		rd->ports[rport].state = PORT_UNBOUND;
		rd->ports[rport].remote = NULL;
		rd->ports[rport].remote_domid = d->domid;
		vcpu = set_pending(rd, rport);
	}
out:
	unlock_two(d, rd, flags);
	kick(rd, vcpu);
	if (drop_local)
		xhv_domain_put(drop_local);
	if (drop_remote)
		xhv_domain_put(drop_remote);
	xhv_domain_put(rd);
	return err;
}

static int status(struct xhv_domain *d, struct hvx_evtchn_status *op)
{
	struct xhv_port *p;
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&d->evtchn_lock, flags);
	p = port_get(d, op->port);
	if (!p) {
		err = -EINVAL;
		goto out;
	}
	op->vcpu = p->vcpu;
	memset(&op->u, 0, sizeof(op->u));
	switch (p->state) {
	case PORT_FREE:
		op->status = HVX_EVTCHNSTAT_closed;
		break;
	case PORT_UNBOUND:
		op->status = HVX_EVTCHNSTAT_unbound;
		op->u.unbound.dom = p->remote_domid;
		break;
	case PORT_INTERDOMAIN:
		op->status = HVX_EVTCHNSTAT_interdomain;
		op->u.interdomain.dom = p->remote_domid;
		op->u.interdomain.port = p->remote_port;
		break;
	case PORT_VIRQ:
		op->status = HVX_EVTCHNSTAT_virq;
		op->u.virq = p->virq;
		break;
	case PORT_IPI:
		op->status = HVX_EVTCHNSTAT_ipi;
		break;
	}
out:
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	return err;
}

static int unmask(struct xhv_domain *d, u32 port)
{
	struct hvx_shared_info *si;
	struct hvx_vcpu_info *vi;
	unsigned long flags;
	int vcpu = -1, err = 0;
	u32 v;

	spin_lock_irqsave(&d->evtchn_lock, flags);
	si = d->shinfo.va;
	if (!port_get(d, port)) {
		err = -EINVAL;
	} else if (si) {
		v = d->ports[port].vcpu;
		if (v >= HVX_LEGACY_MAX_VCPUS || v >= d->vcpus)
			v = 0;
		vi = &si->vcpu_info[v];
		if (xhv_2l_unmask((unsigned long *)si->evtchn_pending,
				  (unsigned long *)si->evtchn_mask,
				  (unsigned long *)&vi->evtchn_pending_sel,
				  &vi->evtchn_upcall_pending, port))
			vcpu = v;
	}
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	kick(d, vcpu);
	return err;
}

static int bind_vcpu(struct xhv_domain *d, struct hvx_evtchn_bind_vcpu *op)
{
	struct xhv_port *p;
	unsigned long flags;
	int err = 0;

	if (op->vcpu >= d->vcpus)
		return -ENOENT;
	spin_lock_irqsave(&d->evtchn_lock, flags);
	p = port_get(d, op->port);
	if (!p || p->state == PORT_FREE)
		err = -EINVAL;
	else
		p->vcpu = op->vcpu;
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	return err;
}

/* Close every port of @d: EVTCHNOP_reset and domain teardown. */
void xhv_evtchn_reset(struct xhv_domain *d)
{
	u32 p;

	for (p = 1; p <= d->max_ports; p++)
		if (READ_ONCE(d->ports[p].state) != PORT_FREE)
			xhv_evtchn_close(d, p);
}

/* The domain may only name itself (dom0 may name any domain). */
static struct xhv_domain *target(struct xhv_domain *d, u32 domid)
{
	if (domid == HVX_DOMID_SELF || domid == d->domid) {
		kref_get(&d->ref);
		return d;
	}
	if (d->domid != 0)
		return ERR_PTR(-EPERM);
	return xhv_domain_get_any(domid) ?: ERR_PTR(-ESRCH);
}

long xhv_evtchn_op(struct xhv_domain *d, int cmd, void *arg)
{
	struct xhv_domain *t;
	long err;

	switch (cmd) {
	case HVX_EVTCHNOP_alloc_unbound: {
		struct hvx_evtchn_alloc_unbound *op = arg;

		t = target(d, op->dom);
		if (IS_ERR(t))
			return PTR_ERR(t);
		err = xhv_evtchn_alloc_unbound(t, op->remote_dom, &op->port);
		xhv_domain_put(t);
		return err;
	}
	case HVX_EVTCHNOP_bind_interdomain:
		return bind_interdomain(d, arg);
	case HVX_EVTCHNOP_bind_virq:
		return bind_virq(d, arg);
	case HVX_EVTCHNOP_bind_ipi:
		return bind_ipi(d, arg);
	case HVX_EVTCHNOP_close:
		return xhv_evtchn_close(d, ((struct hvx_evtchn_close *)arg)->port);
	case HVX_EVTCHNOP_send:
		return xhv_evtchn_send(d, ((struct hvx_evtchn_send *)arg)->port);
	case HVX_EVTCHNOP_status: {
		struct hvx_evtchn_status *op = arg;

		t = target(d, op->dom);
		if (IS_ERR(t))
			return PTR_ERR(t);
		err = status(t, op);
		xhv_domain_put(t);
		return err;
	}
	case HVX_EVTCHNOP_unmask:
		return unmask(d, ((struct hvx_evtchn_unmask *)arg)->port);
	case HVX_EVTCHNOP_bind_vcpu:
		return bind_vcpu(d, arg);
	case HVX_EVTCHNOP_reset: {
		struct hvx_evtchn_reset *op = arg;

		t = target(d, op->dom);
		if (IS_ERR(t))
			return PTR_ERR(t);
		xhv_evtchn_reset(t);
		xhv_domain_put(t);
		return 0;
	}
	default:
		return -ENOSYS;
	}
}

/* Register the shared-info page (XENMAPSPACE_shared_info). */
int xhv_evtchn_set_shinfo(struct xhv_domain *d, u64 gfn)
{
	struct xhv_pinned pin, old;
	unsigned long flags;
	int err = xhv_pin(d, gfn, &pin);

	if (err)
		return err;
	spin_lock_irqsave(&d->evtchn_lock, flags);
	old = d->shinfo;
	d->shinfo = pin;
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	xhv_unpin(&old);
	return 0;
}

int xhv_evtchn_set_send_page(struct xhv_domain *d, u64 gfn)
{
	struct xhv_pinned pin, old;
	unsigned long flags;
	int err = xhv_pin(d, gfn, &pin);

	if (err)
		return err;
	spin_lock_irqsave(&d->evtchn_lock, flags);
	old = d->send;
	d->send = pin;
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	xhv_unpin(&old);
	return 0;
}

/*
 * Doorbell: take every bit of the send bitmap and send each port. The
 * bitmap is guest memory: each word is taken with one atomic exchange, and
 * only ports within the table are looked at.
 */
void xhv_evtchn_doorbell(struct xhv_domain *d)
{
	unsigned long *bitmap, word;
	unsigned long flags;
	u32 i, nwords = d->max_ports / BITS_PER_LONG + 1;
	struct page *page;

	spin_lock_irqsave(&d->evtchn_lock, flags);
	page = d->send.page;
	if (page)
		get_page(page);
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	if (!page)
		return;
	bitmap = page_address(page);
	for (i = 0; i < nwords; i++) {
		word = xchg(&bitmap[i], 0);
		while (word) {
			u32 bit = __ffs(word);

			word &= word - 1;
			xhv_evtchn_send(d, i * BITS_PER_LONG + bit);
		}
	}
	put_page(page);
}

int xhv_evtchn_set_upcall(struct xhv_domain *d, u32 vcpu, struct eventfd_ctx *ctx)
{
	struct eventfd_ctx *old;
	unsigned long flags;
	bool pending = false;

	if (vcpu >= d->vcpus) {
		if (ctx)
			eventfd_ctx_put(ctx);
		return -EINVAL;
	}
	spin_lock_irqsave(&d->evtchn_lock, flags);
	old = d->upcall[vcpu];
	d->upcall[vcpu] = ctx;
	if (ctx && d->shinfo.va && vcpu < HVX_LEGACY_MAX_VCPUS)
		pending = READ_ONCE(((struct hvx_shared_info *)d->shinfo.va)
				    ->vcpu_info[vcpu].evtchn_upcall_pending);
	if (pending)
		eventfd_signal(ctx, 1);
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	if (old)
		eventfd_ctx_put(old);
	return 0;
}

void xhv_evtchn_teardown(struct xhv_domain *d)
{
	struct xhv_pinned shinfo, send;
	unsigned long flags;
	u32 v;

	spin_lock_irqsave(&d->evtchn_lock, flags);
	d->dead = true;
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	xhv_evtchn_reset(d);
	spin_lock_irqsave(&d->evtchn_lock, flags);
	for (v = 0; v < HVCTL_VCPUS_MAX; v++) {
		if (d->upcall[v])
			eventfd_ctx_put(d->upcall[v]);
		d->upcall[v] = NULL;
	}
	/* Nobody reaches the pages once the pointers are gone. */
	shinfo = d->shinfo;
	send = d->send;
	memset(&d->shinfo, 0, sizeof(d->shinfo));
	memset(&d->send, 0, sizeof(d->send));
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	xhv_unpin(&shinfo);
	xhv_unpin(&send);
}
