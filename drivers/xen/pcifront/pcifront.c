// SPDX-License-Identifier: GPL-2.0-only
/*
 * pcifront.c: the domU half of PCI passthrough. For the "pci" device
 * (device/pci/0) it shares one page and an event channel with pciback,
 * and when the backend is Connected it adds one PCI root bus per root-N
 * the backend published ("DDDD:BB"), whose config accessors are pciif
 * operations, with an MSI domain whose vectors are event channels. The
 * devices' native drivers then bind as on any bus. The
 * bus goes away when the backend closes or its directory is removed.
 *
 * Config accessors run under the PCI core's raw spinlock, so an operation
 * cannot sleep: it is posted, the backend is notified, and the caller
 * spins (bounded) until the backend clears the active flag.
 */
#define pr_fmt(fmt) "pcifront: " fmt

#include <linux/ktime.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "../../../include/xen/hvx/pciif.h"
#include "../../../include/xen/hvx/xenbus.h"

#define PCIFRONT_MAX_ROOTS	4
#define PCIFRONT_OP_TIMEOUT_MS	2000	/* real time, by the clock */
#define PCIFRONT_MAX_MSI	16	/* devices with MSI on at once */
#define PCIFRONT_MAX_INTX	32	/* one per slot of the virtual bus */

static unsigned long ops, op_errors, op_timeouts;
module_param(ops, ulong, 0444);
module_param(op_errors, ulong, 0444);
module_param(op_timeouts, ulong, 0444);
MODULE_PARM_DESC(ops, "pciif operations sent");
MODULE_PARM_DESC(op_errors, "operations the backend answered with an error");
MODULE_PARM_DESC(op_timeouts, "operations the backend did not answer in time");

struct pcifront_root {
	struct pci_sysdata sd;		/* first: the x86 PCI code's sysdata */
	struct pci_bus *bus;
	struct resource busn;
};

/* One vector: the event channel pciback gave for it, and its IRQs. */
struct pcifront_vec {
	unsigned int virq;		/* in the MSI domain, 0 until allocated */
	int evtchn_irq;			/* the bound port's IRQ, or -1 */
	u16 entry;			/* MSI-X table entry (0 for MSI) */
};

/* One device's MSI or MSI-X vectors. */
struct pcifront_msi {
	struct pci_dev *pdev;		/* NULL: free slot */
	bool msix;
	unsigned int nvec;
	struct pcifront_vec *vec;	/* [nvec] */
	struct pcifront *pf;
};

/*
 * One device's INTx: the port pciback published (intx-evtchn-N), bound
 * here; its handler runs the device's IRQ (a plain one, pdev->irq), then
 * signals the port back so that dom0 unmasks the line.
 */
struct pcifront_intx {
	unsigned int virq;		/* pdev->irq; 0: slot unused */
	int evtchn_irq;
	bool held;			/* left masked in dom0: no handler yet */
	unsigned long count;
};

struct pcifront {
	struct hvx_xenbus_device *dev;
	struct pcifront_intx intx[PCIFRONT_MAX_INTX];
	struct irq_domain *msi_domain;	/* the root buses' MSI */
	struct fwnode_handle *msi_fwnode;
	struct msi_domain_info msi_info;
	struct mutex msi_lock;		/* msi[], msi_op */
	struct pcifront_msi msi[PCIFRONT_MAX_MSI];
	/* An MSI operation (over 1 KiB with its MSI-X table: not on the stack). */
	struct hvx_xen_pci_op msi_op;
	struct hvx_xen_pci_sharedinfo *sh;
	int ref;			/* -1: not granted */
	hvx_evtchn_port_t port;		/* 0: none */
	int irq;			/* -1: not bound */
	raw_spinlock_t op_lock;		/* one operation at a time */
	bool broken;			/* the backend stopped answering */
	unsigned int nr_roots;
	struct pcifront_root *roots[PCIFRONT_MAX_ROOTS];
};

static irqreturn_t pcifront_event(int irq, void *dev_id)
{
	return IRQ_HANDLED;	/* the operation's caller polls the flag */
}

/*
 * Post @op with its first @nent MSI-X entries, wait for the answer, copy
 * value and the entries back; an HVX_XEN_PCI_ERR_*.
 */
static int do_op_ents(struct pcifront *pf, struct hvx_xen_pci_op *op, unsigned int nent)
{
	struct hvx_xen_pci_sharedinfo *sh = pf->sh;
	unsigned long flags;
	ktime_t deadline;
	int err;

	raw_spin_lock_irqsave(&pf->op_lock, flags);
	if (pf->broken) {
		raw_spin_unlock_irqrestore(&pf->op_lock, flags);
		return HVX_XEN_PCI_ERR_op_failed;
	}
	memcpy(&sh->op, op, offsetof(struct hvx_xen_pci_op, msix_entries) +
	       nent * sizeof(op->msix_entries[0]));
	/* The request is in the page before the backend can see the flag. */
	smp_mb__before_atomic();
	set_bit(_HVX_XEN_PCIF_active, (unsigned long *)&sh->flags);
	hvx_notify_remote_via_evtchn(pf->port);
	/*
	 * Bounded by the clock, not by counting delays: under nested
	 * emulation a udelay(1) may last far longer than a microsecond.
	 */
	deadline = ktime_add_ms(ktime_get(), PCIFRONT_OP_TIMEOUT_MS);
	while (test_bit(_HVX_XEN_PCIF_active, (unsigned long *)&sh->flags)) {
		if (ktime_after(ktime_get(), deadline)) {
			pf->broken = true;
			op_timeouts++;
			raw_spin_unlock_irqrestore(&pf->op_lock, flags);
			dev_err(&pf->dev->dev, "the backend did not answer operation %u in %u ms; giving up on it\n",
				op->cmd, PCIFRONT_OP_TIMEOUT_MS);
			return HVX_XEN_PCI_ERR_op_failed;
		}
		cpu_relax();
	}
	/* The flag is seen clear before the answer is read. */
	smp_rmb();
	op->value = READ_ONCE(sh->op.value);
	err = READ_ONCE(sh->op.err);
	if (!err)
		memcpy(op->msix_entries, sh->op.msix_entries, nent * sizeof(op->msix_entries[0]));
	ops++;
	if (err)
		op_errors++;
	raw_spin_unlock_irqrestore(&pf->op_lock, flags);
	return err;
}

static int do_op(struct pcifront *pf, struct hvx_xen_pci_op *op)
{
	return do_op_ents(pf, op, 0);
}

static int errno_of(int err)
{
	switch (err) {
	case HVX_XEN_PCI_ERR_success:
		return PCIBIOS_SUCCESSFUL;
	case HVX_XEN_PCI_ERR_dev_not_found:
		return PCIBIOS_DEVICE_NOT_FOUND;
	case HVX_XEN_PCI_ERR_invalid_offset:
	case HVX_XEN_PCI_ERR_op_failed:
		return PCIBIOS_BAD_REGISTER_NUMBER;
	case HVX_XEN_PCI_ERR_not_implemented:
		return PCIBIOS_FUNC_NOT_SUPPORTED;
	case HVX_XEN_PCI_ERR_access_denied:
		return PCIBIOS_SET_FAILED;
	default:
		return PCIBIOS_SET_FAILED;
	}
}

static struct pcifront *bus_front(struct pci_bus *bus)
{
	return dev_get_drvdata(pci_find_host_bridge(bus)->dev.parent);
}

static int pcifront_read(struct pci_bus *bus, unsigned int devfn, int where,
			 int size, u32 *val)
{
	struct hvx_xen_pci_op op = {
		.cmd = HVX_XEN_PCI_OP_conf_read,
		.domain = pci_domain_nr(bus),
		.bus = bus->number,
		.devfn = devfn,
		.offset = where,
		.size = size,
	};
	int err = do_op(bus_front(bus), &op);

	*val = err ? ~0u : op.value;
	return errno_of(err);
}

static int pcifront_write(struct pci_bus *bus, unsigned int devfn, int where,
			  int size, u32 val)
{
	struct hvx_xen_pci_op op = {
		.cmd = HVX_XEN_PCI_OP_conf_write,
		.domain = pci_domain_nr(bus),
		.bus = bus->number,
		.devfn = devfn,
		.offset = where,
		.size = size,
		.value = val,
	};

	return errno_of(do_op(bus_front(bus), &op));
}

static struct pci_ops pcifront_bus_ops = {
	.read = pcifront_read,
	.write = pcifront_write,
};

/*
 * hvx_pcifront_op: send one pciif operation for @pdev, a device on a
 * pcifront bus, with its first @nent MSI-X entries (in and out), and
 * return the backend's HVX_XEN_PCI_ERR_*, or -ENODEV for a device on
 * another bus. For tests that send what a well-behaved pcifront never
 * would (tests/kmod/edu/pciif_hostile.c); the caller owns the device (no
 * driver bound), so that the PCI core's MSI state is not changed under it.
 */
int hvx_pcifront_op(struct pci_dev *pdev, struct hvx_xen_pci_op *op, unsigned int nent)
{
	struct pcifront *pf;
	int err;

	if (pdev->bus->ops != &pcifront_bus_ops || nent > HVX_SH_INFO_MAX_VEC)
		return -ENODEV;
	pf = bus_front(pdev->bus);
	mutex_lock(&pf->msi_lock);
	op->domain = pci_domain_nr(pdev->bus);
	op->bus = pdev->bus->number;
	op->devfn = pdev->devfn;
	err = do_op_ents(pf, op, nent);
	mutex_unlock(&pf->msi_lock);
	return err;
}
EXPORT_SYMBOL_GPL(hvx_pcifront_op);

/* ---- MSI ------------------------------------------------------------------------ */

/*
 * The root buses get an MSI domain of their own, with no parent: an MSI
 * "vector" is an event channel. Allocating one asks pciback
 * (XEN_PCI_OP_enable_msi), which enables MSI on the device in dom0 and
 * answers with a port; the port's interrupt runs the MSI's handler here.
 * The MSI capability itself is never written from the domU.
 */
static struct pcifront *domain_front(struct irq_domain *domain)
{
	struct msi_domain_info *info = domain->host_data;

	return info->data;
}

static irqreturn_t pcifront_msi_event(int irq, void *data)
{
	struct pcifront_vec *v = data;
	unsigned int virq = READ_ONCE(v->virq);

	if (virq)
		generic_handle_irq(virq);
	return IRQ_HANDLED;
}

static struct pcifront_msi *msi_slot(struct pcifront *pf, struct pci_dev *pdev)
{
	unsigned int i;

	for (i = 0; i < PCIFRONT_MAX_MSI; i++)
		if (pf->msi[i].pdev == pdev)
			return &pf->msi[i];
	return NULL;
}

/* Fill pf->msi_op (under msi_lock) for @cmd on @pdev. */
static struct hvx_xen_pci_op *msi_op(struct pcifront *pf, struct pci_dev *pdev, u32 cmd)
{
	struct hvx_xen_pci_op *op = &pf->msi_op;

	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->domain = pci_domain_nr(pdev->bus);
	op->bus = pdev->bus->number;
	op->devfn = pdev->devfn;
	return op;
}

/* Unbind @m's ports, tell pciback, free the slot (under msi_lock). */
static void msi_release(struct pcifront *pf, struct pcifront_msi *m)
{
	unsigned int i;

	for (i = 0; i < m->nvec; i++)
		if (m->vec[i].evtchn_irq >= 0)
			hvx_unbind_from_irqhandler(m->vec[i].evtchn_irq, &m->vec[i]);
	do_op(pf, msi_op(pf, m->pdev, m->msix ? HVX_XEN_PCI_OP_disable_msix :
					      HVX_XEN_PCI_OP_disable_msi));
	kfree(m->vec);
	memset(m, 0, sizeof(*m));
}

/*
 * Ask pciback for @nvec vectors of @pdev: one MSI (enable_msi answers its
 * port in value) or the MSI-X entries of @pdev's descriptors (enable_msix
 * answers each entry's port in its vector field); bind every port.
 */
static int msi_enable(struct pcifront *pf, struct pcifront_msi *m, struct pci_dev *pdev,
		      bool msix, unsigned int nvec)
{
	struct hvx_xen_pci_op *op;
	struct msi_desc *desc;
	unsigned int i = 0;
	int err;

	m->vec = kcalloc(nvec, sizeof(*m->vec), GFP_KERNEL);
	if (!m->vec)
		return -ENOMEM;
	for (i = 0; i < nvec; i++)
		m->vec[i].evtchn_irq = -1;
	i = 0;
	m->pdev = pdev;
	m->msix = msix;
	m->pf = pf;
	op = msi_op(pf, pdev, msix ? HVX_XEN_PCI_OP_enable_msix : HVX_XEN_PCI_OP_enable_msi);
	if (msix) {
		msi_for_each_desc(desc, &pdev->dev, MSI_DESC_ALL) {
			if (i == nvec)
				break;
			op->msix_entries[i++].entry = desc->msi_index;
		}
		if (i != nvec) {
			err = -EINVAL;
			goto free;
		}
		op->value = nvec;
	}
	err = do_op_ents(pf, op, msix ? nvec : 0);
	if (err) {
		dev_warn(&pdev->dev, "pciback refused %s (%d)\n", msix ? "MSI-X" : "MSI", err);
		err = -EIO;
		goto free;
	}
	for (i = 0; i < nvec; i++) {
		u32 port = msix ? op->msix_entries[i].vector : op->value;

		m->vec[i].entry = msix ? op->msix_entries[i].entry : 0;
		if (!port) {
			err = -EIO;
			break;
		}
		err = hvx_bind_interdomain_evtchn_to_irqhandler(pf->dev->otherend_id, port,
								pcifront_msi_event, 0,
								msix ? "pcifront-msix" :
								"pcifront-msi", &m->vec[i]);
		if (err < 0)
			break;
		m->vec[i].evtchn_irq = err;
		err = 0;
	}
	m->nvec = nvec;
	if (err)
		msi_release(pf, m);	/* unbinds what was bound; disables */
	return err;
free:
	kfree(m->vec);
	memset(m, 0, sizeof(*m));
	return err;
}

static int pcifront_msi_prepare(struct irq_domain *domain, struct device *dev,
				int nvec, msi_alloc_info_t *arg)
{
	struct pcifront *pf = domain_front(domain);
	struct pci_dev *pdev = to_pci_dev(dev);
	struct msi_desc *first = msi_first_desc(dev, MSI_DESC_ALL);
	bool msix = first && first->pci.msi_attrib.is_msix;
	struct pcifront_msi *m;
	int err;

	memset(arg, 0, sizeof(*arg));
	if (nvec < 1 || (!msix && nvec != 1) || nvec > HVX_SH_INFO_MAX_VEC)
		return -ENOSPC;		/* no multi-MSI; MSI-X up to one operation's */
	mutex_lock(&pf->msi_lock);
	err = -EBUSY;
	if (msi_slot(pf, pdev))
		goto out;
	err = -ENOSPC;
	m = msi_slot(pf, NULL);
	if (!m)
		goto out;
	err = msi_enable(pf, m, pdev, msix, nvec);
out:
	mutex_unlock(&pf->msi_lock);
	return err;
}

static int pcifront_msi_init(struct irq_domain *domain, struct msi_domain_info *info,
			     unsigned int virq, irq_hw_number_t hwirq,
			     msi_alloc_info_t *arg)
{
	struct pcifront *pf = domain_front(domain);
	struct pcifront_msi *m;
	unsigned int i;
	int err;

	err = irq_domain_set_hwirq_and_chip(domain, virq, hwirq, info->chip, info->chip_data);
	if (err)
		return err;
	__irq_set_handler(virq, handle_simple_irq, 0, "simple");
	err = -ENODEV;
	mutex_lock(&pf->msi_lock);
	m = arg->desc ? msi_slot(pf, msi_desc_to_pci_dev(arg->desc)) : NULL;
	for (i = 0; m && i < m->nvec; i++) {
		if (m->vec[i].entry == (m->msix ? arg->desc->msi_index : 0) &&
		    !m->vec[i].virq) {
			WRITE_ONCE(m->vec[i].virq, virq);
			err = 0;
			break;
		}
	}
	mutex_unlock(&pf->msi_lock);
	return err;
}

/* A vector goes; with the device's last one, pciback turns it all off. */
static void pcifront_msi_free(struct irq_domain *domain, struct msi_domain_info *info,
			      unsigned int virq)
{
	struct pcifront *pf = domain_front(domain);
	unsigned int i, j, live;
	bool found;

	mutex_lock(&pf->msi_lock);
	for (i = 0; i < PCIFRONT_MAX_MSI; i++) {
		struct pcifront_msi *m = &pf->msi[i];

		if (!m->pdev)
			continue;
		live = 0;
		found = false;
		for (j = 0; j < m->nvec; j++) {
			if (m->vec[j].virq == virq) {
				found = true;
				WRITE_ONCE(m->vec[j].virq, 0);
				if (m->vec[j].evtchn_irq >= 0)
					hvx_unbind_from_irqhandler(m->vec[j].evtchn_irq,
								   &m->vec[j]);
				m->vec[j].evtchn_irq = -1;
			}
			live += m->vec[j].virq != 0;
		}
		if (found && !live)
			msi_release(pf, m);
	}
	mutex_unlock(&pf->msi_lock);
}

static void pcifront_msi_nop(struct irq_data *data)
{
}

static void pcifront_msi_compose(struct irq_data *data, struct msi_msg *msg)
{
	/* Never written to the device: the event channel is the vector. */
	memset(msg, 0, sizeof(*msg));
}

static void pcifront_msi_write(struct irq_data *data, struct msi_msg *msg)
{
}

static struct irq_chip pcifront_msi_chip = {
	.name = "pcifront-msi",
	.irq_mask = pcifront_msi_nop,
	.irq_unmask = pcifront_msi_nop,
	.irq_compose_msi_msg = pcifront_msi_compose,
	.irq_write_msi_msg = pcifront_msi_write,
	.flags = IRQCHIP_SKIP_SET_WAKE,
};

static struct msi_domain_ops pcifront_msi_ops = {
	.msi_prepare = pcifront_msi_prepare,
	.msi_init = pcifront_msi_init,
	.msi_free = pcifront_msi_free,
};

static int msi_domain_create(struct pcifront *pf)
{
	pf->msi_fwnode = irq_domain_alloc_named_fwnode(dev_name(&pf->dev->dev));
	if (!pf->msi_fwnode)
		return -ENOMEM;
	pf->msi_info = (struct msi_domain_info){
		.flags = MSI_FLAG_USE_DEF_DOM_OPS | MSI_FLAG_PCI_MSIX,
		.ops = &pcifront_msi_ops,
		.chip = &pcifront_msi_chip,
		.data = pf,
	};
	pf->msi_domain = pci_msi_create_irq_domain(pf->msi_fwnode, &pf->msi_info, NULL);
	if (!pf->msi_domain) {
		irq_domain_free_fwnode(pf->msi_fwnode);
		pf->msi_fwnode = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void msi_domain_destroy(struct pcifront *pf)
{
	if (pf->msi_domain)
		irq_domain_remove(pf->msi_domain);
	if (pf->msi_fwnode)
		irq_domain_free_fwnode(pf->msi_fwnode);
	pf->msi_domain = NULL;
	pf->msi_fwnode = NULL;
}

/* ---- INTx ------------------------------------------------------------------------ */

static irqreturn_t pcifront_intx_event(int irq, void *data)
{
	struct pcifront_intx *x = data;

	x->count++;
	/*
	 * With no handler (or the IRQ disabled) the line stays masked in dom0
	 * until the IRQ is unmasked here: unmasking it in dom0 now would only
	 * bring the same assertion back, again and again.
	 */
	if (!irq_has_action(x->virq) || irqd_irq_disabled(irq_get_irq_data(x->virq))) {
		WRITE_ONCE(x->held, true);
		/* Held before the handler is looked at again; pairs with the unmask's xchg. */
		smp_mb();
		/* A handler came meanwhile and its unmask did not see it held. */
		if (!irq_has_action(x->virq) ||
		    irqd_irq_disabled(irq_get_irq_data(x->virq)) || !xchg(&x->held, false))
			return IRQ_HANDLED;
	}
	generic_handle_irq(x->virq);
	/* Handled (the device's status cleared by its driver): unmask in dom0. */
	hvx_notify_remote_via_irq(x->evtchn_irq);
	return IRQ_HANDLED;
}

/* The IRQ gets a handler or is enabled again: release a held assertion. */
static void pcifront_intx_unmask(struct irq_data *data)
{
	struct pcifront_intx *x = irq_data_get_irq_chip_data(data);

	if (x && x->evtchn_irq > 0 && xchg(&x->held, false))
		hvx_notify_remote_via_irq(x->evtchn_irq);
}

static void pcifront_intx_mask(struct irq_data *data)
{
	/* dom0 masks the line at the device on every assertion. */
}

static struct irq_chip pcifront_intx_chip = {
	.name = "pcifront-intx",
	.irq_enable = pcifront_intx_unmask,	/* also after a lazy disable_irq */
	.irq_mask = pcifront_intx_mask,
	.irq_unmask = pcifront_intx_unmask,
	.flags = IRQCHIP_SKIP_SET_WAKE,
};

static void intx_free(struct pcifront_intx *x)
{
	if (!x->virq)
		return;
	hvx_unbind_from_irqhandler(x->evtchn_irq, x);
	irq_free_desc(x->virq);
	memset(x, 0, sizeof(*x));
}

/* Give @pdev (slot N of the virtual bus) the INTx port of intx-evtchn-N. */
static void intx_setup(struct pcifront *pf, struct pci_dev *pdev)
{
	unsigned int slot = PCI_SLOT(pdev->devfn), port;
	struct pcifront_intx *x;
	char key[24];
	int virq, irq;

	pdev->irq = 0;
	if (!pdev->pin || slot >= PCIFRONT_MAX_INTX || PCI_FUNC(pdev->devfn))
		return;
	x = &pf->intx[slot];
	intx_free(x);
	snprintf(key, sizeof(key), HVX_PCIIF_KEY_INTX_EVTCHN "-%u", slot);
	if (hvx_xenbus_scanf(HVX_XBT_NIL, pf->dev->otherend, key, "%u", &port) != 1) {
		dev_info(&pdev->dev, "no %s/%s: no INTx\n", pf->dev->otherend, key);
		return;
	}
	virq = irq_alloc_desc(NUMA_NO_NODE);
	if (virq < 0)
		goto fail;
	irq_set_chip_and_handler_name(virq, &pcifront_intx_chip, handle_simple_irq, "simple");
	irq_set_chip_data(virq, x);
	x->virq = virq;
	x->held = false;
	irq = hvx_bind_interdomain_evtchn_to_irqhandler(pf->dev->otherend_id, port,
							pcifront_intx_event, 0,
							"pcifront-intx", x);
	if (irq < 0) {
		irq_free_desc(virq);
		x->virq = 0;
		virq = irq;
		goto fail;
	}
	x->evtchn_irq = irq;
	pdev->irq = virq;
	return;
fail:
	dev_warn(&pdev->dev, "INTx on port %u: %d\n", port, virq);
}

/* ---- Root buses ------------------------------------------------------------- */

/* The BARs are where dom0 put them (hv maps them there): claim, not assign. */
static void claim_resources(struct pcifront *pf, struct pci_bus *bus)
{
	struct pci_dev *pdev;
	int i;

	list_for_each_entry(pdev, &bus->devices, bus_list) {
		for (i = 0; i < PCI_NUM_RESOURCES; i++) {
			struct resource *r = &pdev->resource[i];

			if (!r->flags || !r->start || r->parent)
				continue;
			if (!pci_claim_resource(pdev, i))
				continue;
			/*
			 * Inside a window of this domain's own host bridge
			 * (its I/O window 0xc000-0xcfff holds the host's I/O
			 * BARs too): nest it there, as long as nothing else
			 * in that window overlaps it. The failed claim marked
			 * it unassigned; its address is still the host's.
			 */
			r->flags &= ~IORESOURCE_UNSET;
			if (insert_resource(r->flags & IORESOURCE_IO ? &ioport_resource :
					    &iomem_resource, r)) {
				r->flags |= IORESOURCE_UNSET;
				dev_warn(&pf->dev->dev, "%s: BAR %d %pR not claimed\n",
					 pci_name(pdev), i, r);
			}
		}
	}
}

static int add_root(struct pcifront *pf, unsigned int domain, unsigned int busnr)
{
	struct pcifront_root *root;
	struct pci_dev *pdev;
	struct pci_bus *bus;
	LIST_HEAD(resources);

	if (pci_find_bus(domain, busnr)) {
		hvx_xenbus_dev_error(pf->dev, -EEXIST, "bus %04x:%02x exists in this domain",
				     domain, busnr);
		return -EEXIST;
	}
	root = kzalloc(sizeof(*root), GFP_KERNEL);
	if (!root)
		return -ENOMEM;
	root->sd.domain = domain;
	root->sd.node = NUMA_NO_NODE;
	root->busn.name = "pcifront bus numbers";
	root->busn.start = busnr;
	root->busn.end = 0xff;
	root->busn.flags = IORESOURCE_BUS;
	pci_add_resource(&resources, &ioport_resource);
	pci_add_resource(&resources, &iomem_resource);
	pci_add_resource(&resources, &root->busn);
	pci_lock_rescan_remove();
	bus = pci_create_root_bus(&pf->dev->dev, busnr, &pcifront_bus_ops, &root->sd,
				  &resources);
	if (!bus) {
		pci_unlock_rescan_remove();
		pci_free_resource_list(&resources);
		kfree(root);
		return -ENODEV;
	}
	/* Devices found on the bus take its MSI domain when they are added. */
	if (pf->msi_domain)
		dev_set_msi_domain(&bus->dev, pf->msi_domain);
	pci_scan_child_bus(bus);
	list_for_each_entry(pdev, &bus->devices, bus_list)
		intx_setup(pf, pdev);
	claim_resources(pf, bus);
	pci_bus_add_devices(bus);
	pci_unlock_rescan_remove();
	root->bus = bus;
	pf->roots[pf->nr_roots++] = root;
	dev_info(&pf->dev->dev, "root bus %04x:%02x added\n", domain, busnr);
	return 0;
}

static void remove_roots(struct pcifront *pf)
{
	unsigned int i;

	while (pf->nr_roots) {
		struct pcifront_root *root = pf->roots[--pf->nr_roots];

		pci_lock_rescan_remove();
		pci_stop_root_bus(root->bus);
		pci_remove_root_bus(root->bus);
		pci_unlock_rescan_remove();
		kfree(root);
	}
	/* The devices are gone, their drivers' handlers freed: the ports go. */
	for (i = 0; i < PCIFRONT_MAX_INTX; i++)
		intx_free(&pf->intx[i]);
	msi_domain_destroy(pf);
}

static void pcifront_connect(struct pcifront *pf)
{
	struct hvx_xenbus_device *dev = pf->dev;
	unsigned int num, i, domain, busnr;
	char key[16];
	int err;

	if (hvx_xenbus_scanf(HVX_XBT_NIL, dev->otherend, HVX_PCIIF_KEY_ROOT_NUM, "%u",
			     &num) != 1) {
		hvx_xenbus_dev_fatal(dev, -EINVAL, "reading %s/%s", dev->otherend,
				     HVX_PCIIF_KEY_ROOT_NUM);
		return;
	}
	if (num > PCIFRONT_MAX_ROOTS) {
		hvx_xenbus_dev_fatal(dev, -E2BIG, "%u root buses, at most %u", num,
				     PCIFRONT_MAX_ROOTS);
		return;
	}
	if (msi_domain_create(pf))
		dev_warn(&dev->dev, "no MSI domain: devices will have no MSI\n");
	for (i = 0; i < num; i++) {
		snprintf(key, sizeof(key), "root-%u", i);
		if (hvx_xenbus_scanf(HVX_XBT_NIL, dev->otherend, key, "%x:%x", &domain,
				     &busnr) != 2 || domain > 0xffff || busnr > 0xff) {
			hvx_xenbus_dev_fatal(dev, -EINVAL, "%s/%s is not DDDD:BB", dev->otherend,
					     key);
			remove_roots(pf);
			return;
		}
		err = add_root(pf, domain, busnr);
		if (err) {
			hvx_xenbus_dev_fatal(dev, err, "adding root bus %04x:%02x", domain, busnr);
			remove_roots(pf);
			return;
		}
	}
	hvx_xenbus_switch_state(dev, HVX_XenbusStateConnected);
}

/* ---- Connection ------------------------------------------------------------- */

static void pcifront_release(struct pcifront *pf)
{
	if (pf->irq >= 0)
		hvx_unbind_from_irqhandler(pf->irq, pf);
	pf->irq = -1;
	if (pf->port)
		hvx_xenbus_free_evtchn(pf->dev, pf->port);
	pf->port = 0;
	if (pf->ref >= 0)
		hvx_gnttab_end_foreign_access(pf->ref, virt_to_page(pf->sh));
	else if (pf->sh)
		free_page((unsigned long)pf->sh);
	pf->ref = -1;
	pf->sh = NULL;
}

static int pcifront_publish(struct pcifront *pf)
{
	struct hvx_xenbus_device *dev = pf->dev;
	struct hvx_xenbus_transaction t;
	int err;

	do {
		err = hvx_xenbus_transaction_start(&t);
		if (err)
			return err;
		err = hvx_xenbus_printf(t, dev->nodename, HVX_PCIIF_KEY_OP_REF, "%d", pf->ref);
		if (!err)
			err = hvx_xenbus_printf(t, dev->nodename, HVX_PCIIF_KEY_EVTCHN, "%u",
						pf->port);
		if (!err)
			err = hvx_xenbus_printf(t, dev->nodename, HVX_PCIIF_KEY_MAGIC, "%s",
						HVX_XEN_PCI_MAGIC);
		if (err) {
			hvx_xenbus_transaction_end(t, 1);
			return err;
		}
		err = hvx_xenbus_transaction_end(t, 0);
	} while (err == -EAGAIN);
	return err;
}

static int pcifront_setup(struct pcifront *pf)
{
	struct hvx_xenbus_device *dev = pf->dev;
	hvx_grant_ref_t ref;
	int err;

	err = hvx_xenbus_grant_ring(dev, pf->sh, 1, &ref);
	if (err)
		return err;
	pf->ref = ref;
	err = hvx_xenbus_alloc_evtchn(dev, &pf->port);
	if (err)
		return err;
	pf->irq = hvx_bind_evtchn_to_irqhandler(pf->port, pcifront_event, 0, "pcifront", pf);
	if (pf->irq < 0) {
		hvx_xenbus_dev_fatal(dev, pf->irq, "binding event channel %u", pf->port);
		return pf->irq;
	}
	err = pcifront_publish(pf);
	if (err) {
		hvx_xenbus_dev_fatal(dev, err, "writing %s, %s and %s", HVX_PCIIF_KEY_OP_REF,
				     HVX_PCIIF_KEY_EVTCHN, HVX_PCIIF_KEY_MAGIC);
		return err;
	}
	return hvx_xenbus_switch_state(dev, HVX_XenbusStateInitialised);
}

static void pcifront_closed(struct pcifront *pf)
{
	if (pf->dev->state == HVX_XenbusStateClosed)
		return;
	remove_roots(pf);
	pcifront_release(pf);
	hvx_xenbus_frontend_closed(pf->dev);
}

static void pcifront_backend_changed(struct hvx_xenbus_device *dev,
				     enum hvx_xenbus_state state)
{
	struct pcifront *pf = dev_get_drvdata(&dev->dev);

	switch (state) {
	case HVX_XenbusStateConnected:
		if (dev->state == HVX_XenbusStateInitialised && pf->sh)
			pcifront_connect(pf);
		break;
	case HVX_XenbusStateClosing:
	case HVX_XenbusStateClosed:
		pcifront_closed(pf);
		break;
	case HVX_XenbusStateUnknown:
		if (dev->state != HVX_XenbusStateInitialising)
			pcifront_closed(pf);
		break;
	default:
		break;
	}
}

static int pcifront_probe(struct hvx_xenbus_device *dev,
			  const struct hvx_xenbus_device_id *id)
{
	struct pcifront *pf;
	int err;

	pf = kzalloc(sizeof(*pf), GFP_KERNEL);
	if (!pf)
		return -ENOMEM;
	pf->dev = dev;
	pf->ref = -1;
	pf->irq = -1;
	raw_spin_lock_init(&pf->op_lock);
	mutex_init(&pf->msi_lock);
	pf->sh = (void *)get_zeroed_page(GFP_KERNEL);
	if (!pf->sh) {
		kfree(pf);
		return -ENOMEM;
	}
	dev_set_drvdata(&dev->dev, pf);
	err = pcifront_setup(pf);
	if (err) {
		pcifront_release(pf);
		kfree(pf);
		return err;
	}
	return 0;
}

static void pcifront_remove(struct hvx_xenbus_device *dev)
{
	struct pcifront *pf = dev_get_drvdata(&dev->dev);

	remove_roots(pf);
	pcifront_release(pf);
	kfree(pf);
}

static const struct hvx_xenbus_device_id pcifront_ids[] = {
	{ "pci" },
	{ "" }
};

static struct hvx_xenbus_driver pcifront_driver = {
	.ids = pcifront_ids,
	.probe = pcifront_probe,
	.otherend_changed = pcifront_backend_changed,
	.remove = pcifront_remove,
};

module_hvx_xenbus_frontend(pcifront_driver);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx: PCI passthrough frontend (pcifront)");
HVX_XENBUS_FRONTEND_ALIAS("pci");
