// SPDX-License-Identifier: GPL-2.0-only
/*
 * events.c: event channels as Linux IRQs. The shared-info page (one of our
 * pages, handed to the hypervisor with XENMEM_add_to_physmap) holds the
 * 2-level pending and mask bitmaps; an upcall scans them and runs the IRQ
 * bound to each pending, unmasked port. Every bound port gets an IRQ
 * descriptor on the "hvx-evtchn" chip: mask/unmask are the mask bits, ack
 * clears the pending bit (edge semantics, as Xen's Linux port does).
 */
#define pr_fmt(fmt) "hvx_core: " fmt

#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irq_work.h>
#include <linux/irqdesc.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include "internal.h"

struct port_info {
	hvx_evtchn_port_t port;
	bool close_on_unbind;		/* we allocated or bound the port */
};

static struct hvx_shared_info *shinfo;
static struct page *shinfo_page;
static DEFINE_MUTEX(bind_lock);		/* binding and unbinding */
static DEFINE_SPINLOCK(map_lock);	/* port_to_irq updates vs the scan */
static int port_to_irq[HVX_EVTCHN_2L_NR_PORTS];
static struct irq_work upcall_work;

static unsigned long *pending_bits(void)
{
	return (unsigned long *)shinfo->evtchn_pending;
}

static unsigned long *mask_bits(void)
{
	return (unsigned long *)shinfo->evtchn_mask;
}

static hvx_evtchn_port_t irq_port(struct irq_data *data)
{
	struct port_info *info = irq_data_get_irq_chip_data(data);

	return info->port;
}

static void chip_mask(struct irq_data *data)
{
	set_bit(irq_port(data), mask_bits());
}

/* Clear the mask; an event that came while masked is delivered now. */
static void chip_unmask(struct irq_data *data)
{
	hvx_evtchn_port_t port = irq_port(data);

	clear_bit(port, mask_bits());
	if (test_bit(port, pending_bits()))
		irq_work_queue(&upcall_work);
}

static void chip_ack(struct irq_data *data)
{
	clear_bit(irq_port(data), pending_bits());
}

static int chip_set_affinity(struct irq_data *data, const struct cpumask *dest,
			     bool force)
{
	struct hvx_evtchn_bind_vcpu op = { .port = irq_port(data) };
	unsigned int cpu = cpumask_first_and(dest, cpu_online_mask);
	int err;

	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	op.vcpu = cpu;
	err = hvx_event_channel_op(HVX_EVTCHNOP_bind_vcpu, &op);
	if (err)
		return err;
	irq_data_update_effective_affinity(data, cpumask_of(cpu));
	return IRQ_SET_MASK_OK;
}

static struct irq_chip hvx_evtchn_chip = {
	.name = "hvx-evtchn",
	.irq_mask = chip_mask,
	.irq_unmask = chip_unmask,
	.irq_ack = chip_ack,
	.irq_set_affinity = chip_set_affinity,
};

/*
 * The scan for one vCPU, in hard-irq context: clear upcall_pending, take
 * the selector, handle each pending and unmasked port; again while new
 * events arrived meanwhile.
 */
void hvx_events_scan(unsigned int vcpu)
{
	struct hvx_vcpu_info *vi;
	unsigned long sel, bits;
	unsigned int word, bit;
	int irq;

	if (!shinfo)
		return;
	vi = &shinfo->vcpu_info[vcpu < HVX_LEGACY_MAX_VCPUS ? vcpu : 0];
	do {
		WRITE_ONCE(vi->evtchn_upcall_pending, 0);
		sel = xchg((unsigned long *)&vi->evtchn_pending_sel, 0);
		while (sel) {
			word = __ffs(sel);
			sel &= sel - 1;
			bits = READ_ONCE(pending_bits()[word]) &
			       ~READ_ONCE(mask_bits()[word]);
			while (bits) {
				hvx_evtchn_port_t port;

				bit = __ffs(bits);
				bits &= bits - 1;
				port = word * BITS_PER_LONG + bit;
				irq = READ_ONCE(port_to_irq[port]);
				if (irq > 0)
					generic_handle_irq(irq);
				else
					clear_bit(port, pending_bits());
			}
		}
	} while (READ_ONCE(vi->evtchn_upcall_pending));
}

static void upcall_work_fn(struct irq_work *work)
{
	unsigned int v;

	if (!READ_ONCE(shinfo))
		return;
	/* Ports of any vCPU may be waiting after an unmask: look at all. */
	for (v = 0; v < min_t(unsigned int, nr_cpu_ids, HVX_LEGACY_MAX_VCPUS); v++)
		if (READ_ONCE(shinfo->vcpu_info[v].evtchn_upcall_pending) ||
		    READ_ONCE(shinfo->vcpu_info[v].evtchn_pending_sel))
			hvx_events_scan(v);
	/* An unmasked port still pending whose selector bit was consumed. */
	for (v = 0; v < HVX_EVTCHN_2L_NR_PORTS / BITS_PER_LONG; v++)
		if (READ_ONCE(pending_bits()[v]) & ~READ_ONCE(mask_bits()[v]))
			set_bit(v, (unsigned long *)&shinfo->vcpu_info[0].evtchn_pending_sel);
	if (READ_ONCE(shinfo->vcpu_info[0].evtchn_pending_sel))
		hvx_events_scan(0);
}

void hvx_upcall(unsigned int vcpu)
{
	/* From the domU's MSI-X handler: scan now. From hv.ko: any context. */
	if (in_hardirq() && irqs_disabled())
		hvx_events_scan(vcpu);
	else
		irq_work_queue(&upcall_work);
}
EXPORT_SYMBOL_GPL(hvx_upcall);

int hvx_events_transport_up(void)
{
	struct hvx_add_to_physmap xatp = {
		.domid = HVX_DOMID_SELF,
		.space = HVX_XENMAPSPACE_shared_info,
		.idx = 0,
	};
	int err;

	shinfo_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!shinfo_page)
		return -ENOMEM;
	/* Every port starts masked; binding an IRQ unmasks it. */
	memset(((struct hvx_shared_info *)page_address(shinfo_page))->evtchn_mask,
	       0xff, sizeof(shinfo->evtchn_mask));
	xatp.gpfn = page_to_pfn(shinfo_page);
	err = hvx_memory_op(HVX_XENMEM_add_to_physmap, &xatp);
	if (err) {
		__free_page(shinfo_page);
		shinfo_page = NULL;
		return err;
	}
	WRITE_ONCE(shinfo, page_address(shinfo_page));
	return 0;
}

void hvx_events_transport_down(void)
{
	/* Drivers unbound their ports when xenbus went down. */
	irq_work_sync(&upcall_work);
	WRITE_ONCE(shinfo, NULL);
	/* The hypervisor drops its reference when the transport goes. */
	if (shinfo_page)
		__free_page(shinfo_page);
	shinfo_page = NULL;
}

/* Give @port an IRQ descriptor on our chip. Called under bind_lock. */
static int port_bind_irq(hvx_evtchn_port_t port, bool close_on_unbind)
{
	struct port_info *info;
	unsigned long flags;
	int irq;

	if (port == 0 || port >= HVX_EVTCHN_2L_NR_PORTS)
		return -EINVAL;
	if (port_to_irq[port] > 0)
		return -EBUSY;
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	info->port = port;
	info->close_on_unbind = close_on_unbind;
	irq = irq_alloc_desc(numa_node_id());
	if (irq < 0) {
		kfree(info);
		return irq;
	}
	irq_set_chip_and_handler_name(irq, &hvx_evtchn_chip, handle_edge_irq,
				      "event");
	irq_set_chip_data(irq, info);
	set_bit(port, mask_bits());
	spin_lock_irqsave(&map_lock, flags);
	WRITE_ONCE(port_to_irq[port], irq);
	spin_unlock_irqrestore(&map_lock, flags);
	return irq;
}

static void port_unbind_irq(int irq)
{
	struct port_info *info = irq_get_chip_data(irq);
	struct hvx_evtchn_close close = { .port = info->port };
	unsigned long flags;

	set_bit(info->port, mask_bits());
	spin_lock_irqsave(&map_lock, flags);
	WRITE_ONCE(port_to_irq[info->port], 0);
	spin_unlock_irqrestore(&map_lock, flags);
	/*
	 * A scan (hard-irq context, so an RCU reader) may have read the old
	 * mapping just before: let it finish before the descriptor can be
	 * freed and reused.
	 */
	synchronize_rcu();
	if (info->close_on_unbind)
		hvx_event_channel_op(HVX_EVTCHNOP_close, &close);
	irq_set_chip_data(irq, NULL);
	irq_free_desc(irq);
	kfree(info);
}

static int bind_and_request(hvx_evtchn_port_t port, bool close_on_unbind,
			    irq_handler_t handler, unsigned long flags,
			    const char *name, void *dev_id)
{
	int irq, err;

	if (!shinfo)
		return -ENODEV;
	mutex_lock(&bind_lock);
	irq = port_bind_irq(port, close_on_unbind);
	mutex_unlock(&bind_lock);
	if (irq < 0)
		return irq;
	err = request_irq(irq, handler, flags, name, dev_id);
	if (err) {
		mutex_lock(&bind_lock);
		port_unbind_irq(irq);
		mutex_unlock(&bind_lock);
		return err;
	}
	return irq;
}

int hvx_bind_evtchn_to_irqhandler(hvx_evtchn_port_t port,
				  irq_handler_t handler, unsigned long flags,
				  const char *name, void *dev_id)
{
	return bind_and_request(port, false, handler, flags, name, dev_id);
}
EXPORT_SYMBOL_GPL(hvx_bind_evtchn_to_irqhandler);

int hvx_bind_interdomain_evtchn_to_irqhandler(hvx_domid_t remote,
					      hvx_evtchn_port_t remote_port,
					      irq_handler_t handler,
					      unsigned long flags,
					      const char *name, void *dev_id)
{
	struct hvx_evtchn_bind_interdomain op = {
		.remote_dom = remote,
		.remote_port = remote_port,
	};
	struct hvx_evtchn_close close;
	int irq, err;

	err = hvx_event_channel_op(HVX_EVTCHNOP_bind_interdomain, &op);
	if (err)
		return err;
	irq = bind_and_request(op.local_port, true, handler, flags, name, dev_id);
	if (irq < 0) {
		close.port = op.local_port;
		hvx_event_channel_op(HVX_EVTCHNOP_close, &close);
	}
	return irq;
}
EXPORT_SYMBOL_GPL(hvx_bind_interdomain_evtchn_to_irqhandler);

int hvx_bind_virq_to_irqhandler(unsigned int virq, unsigned int cpu,
				irq_handler_t handler, unsigned long flags,
				const char *name, void *dev_id)
{
	struct hvx_evtchn_bind_virq op = { .virq = virq, .vcpu = cpu };
	struct hvx_evtchn_close close;
	int irq, err;

	err = hvx_event_channel_op(HVX_EVTCHNOP_bind_virq, &op);
	if (err)
		return err;
	irq = bind_and_request(op.port, true, handler, flags, name, dev_id);
	if (irq < 0) {
		close.port = op.port;
		hvx_event_channel_op(HVX_EVTCHNOP_close, &close);
	}
	return irq;
}
EXPORT_SYMBOL_GPL(hvx_bind_virq_to_irqhandler);

void hvx_unbind_from_irqhandler(unsigned int irq, void *dev_id)
{
	if (WARN_ON(irq_get_chip(irq) != &hvx_evtchn_chip))
		return;
	free_irq(irq, dev_id);
	mutex_lock(&bind_lock);
	port_unbind_irq(irq);
	mutex_unlock(&bind_lock);
}
EXPORT_SYMBOL_GPL(hvx_unbind_from_irqhandler);

hvx_evtchn_port_t hvx_evtchn_from_irq(unsigned int irq)
{
	struct port_info *info;

	if (irq_get_chip(irq) != &hvx_evtchn_chip)
		return 0;
	info = irq_get_chip_data(irq);
	return info ? info->port : 0;
}
EXPORT_SYMBOL_GPL(hvx_evtchn_from_irq);

void hvx_notify_remote_via_evtchn(hvx_evtchn_port_t port)
{
	const struct hvx_transport_ops *t;
	int idx;

	t = hvx_transport_enter(&idx);
	if (t)
		t->notify(port);
	hvx_transport_exit(idx);
}
EXPORT_SYMBOL_GPL(hvx_notify_remote_via_evtchn);

void hvx_notify_remote_via_irq(unsigned int irq)
{
	hvx_evtchn_port_t port = hvx_evtchn_from_irq(irq);

	if (port)
		hvx_notify_remote_via_evtchn(port);
}
EXPORT_SYMBOL_GPL(hvx_notify_remote_via_irq);

int hvx_evtchn_alloc_unbound(hvx_domid_t remote, hvx_evtchn_port_t *port)
{
	struct hvx_evtchn_alloc_unbound op = {
		.dom = HVX_DOMID_SELF,
		.remote_dom = remote,
	};
	int err = hvx_event_channel_op(HVX_EVTCHNOP_alloc_unbound, &op);

	if (!err)
		*port = op.port;
	return err;
}
EXPORT_SYMBOL_GPL(hvx_evtchn_alloc_unbound);

int hvx_evtchn_close(hvx_evtchn_port_t port)
{
	struct hvx_evtchn_close op = { .port = port };

	return hvx_event_channel_op(HVX_EVTCHNOP_close, &op);
}
EXPORT_SYMBOL_GPL(hvx_evtchn_close);

int hvx_events_init(void)
{
	init_irq_work(&upcall_work, upcall_work_fn);
	return 0;
}

void hvx_events_exit(void)
{
	irq_work_sync(&upcall_work);
}
