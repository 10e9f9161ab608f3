// SPDX-License-Identifier: GPL-2.0-only
/*
 * msi.c: a guest's MSI. The guest never programs the device's MSI
 * capability (the config filter keeps it read-only); it asks with
 * XEN_PCI_OP_enable_msi. pciback then enables MSI on the device in dom0,
 * allocates an event channel for the domU and answers with that port in
 * `value` (where Xen answers a pirq); the device's interrupt handler in
 * dom0 only signals the port, so the interrupt reaches the guest without
 * a trip through userspace. disable_msi, the device's release and its
 * unbinding undo it.
 *
 * MSI-X the same way, one event channel per vector: enable_msix names
 * `value` table entries (each below the table's size, none twice, at
 * most HVX_SH_INFO_MAX_VEC); pciback enables exactly those in dom0 and
 * answers each entry's port in its `vector`. MSI and MSI-X exclude each
 * other; a second enable fails, a disable when off is ignored (as Xen).
 */
#define pr_fmt(fmt) "pciback: " fmt

#include <linux/interrupt.h>
#include "pciback.h"
#include "../../../include/xen/hvx/core.h"
#include "../../../include/xen/hvx/pciif.h"

static irqreturn_t msi_forward(int irq, void *data)
{
	struct pciback_dev *d = data;

	hvx_notify_remote_via_evtchn(READ_ONCE(d->msi_port));
	d->msi_count++;
	return IRQ_HANDLED;
}

int pciback_enable_msi(struct pciback_dev *d, u32 *port)
{
	struct pci_dev *pdev = d->pdev;
	hvx_evtchn_port_t p;
	int err;

	if (d->msi_port || pdev->msi_enabled || pdev->msix_enabled)
		return HVX_XEN_PCI_ERR_op_failed;	/* Xen: -EALREADY */
	if (!pdev->msi_cap)
		return HVX_XEN_PCI_ERR_not_implemented;
	/* MSI wants the device enabled (in D0) in dom0's PCI core. */
	if (!pci_is_enabled(pdev)) {
		err = pci_enable_device(pdev);
		if (err) {
			dev_warn(&pdev->dev, "cannot enable it for domain %d's MSI (%d)\n",
				 d->owner, err);
			return HVX_XEN_PCI_ERR_op_failed;
		}
		d->enabled = true;
	}
	err = hvx_evtchn_alloc_unbound(d->owner, &p);
	if (err)
		return HVX_XEN_PCI_ERR_op_failed;
	err = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (err != 1)
		goto close;
	d->msi_port = p;
	err = request_irq(pci_irq_vector(pdev, 0), msi_forward, 0, "pciback-msi", d);
	if (err) {
		d->msi_port = 0;
		pci_free_irq_vectors(pdev);
		goto close;
	}
	*port = p;
	dev_dbg(&pdev->dev, "MSI of domain %d on port %u\n", d->owner, p);
	return HVX_XEN_PCI_ERR_success;
close:
	hvx_evtchn_close(p);
	dev_warn(&pdev->dev, "enabling MSI for domain %d failed (%d)\n", d->owner, err);
	return HVX_XEN_PCI_ERR_op_failed;
}

int pciback_disable_msi(struct pciback_dev *d)
{
	struct pci_dev *pdev = d->pdev;

	if (!d->msi_port)
		return HVX_XEN_PCI_ERR_success;	/* Xen ignores it too */
	free_irq(pci_irq_vector(pdev, 0), d);
	pci_free_irq_vectors(pdev);
	hvx_evtchn_close(d->msi_port);
	d->msi_port = 0;
	return HVX_XEN_PCI_ERR_success;
}

static irqreturn_t msix_forward(int irq, void *data)
{
	struct pciback_msix_vec *v = data;

	hvx_notify_remote_via_evtchn(READ_ONCE(v->port));
	v->d->msix_count++;
	return IRQ_HANDLED;
}

/* Vectors [0, @n) of @d->msix: handlers and ports off; then MSI-X off. */
static void msix_free(struct pciback_dev *d, unsigned int n)
{
	while (n--) {
		struct pciback_msix_vec *v = &d->msix[n];

		if (v->irq)
			free_irq(v->irq, v);
		if (v->port)
			hvx_evtchn_close(v->port);
	}
	pci_disable_msix(d->pdev);
	kfree(d->msix);
	d->msix = NULL;
	d->msix_nvec = 0;
}

int pciback_enable_msix(struct pciback_dev *d, u32 nvec, struct hvx_xen_msix_entry *ents)
{
	struct pci_dev *pdev = d->pdev;
	struct msix_entry *me;
	hvx_evtchn_port_t p;
	unsigned int i, j;
	int tsize, err;

	if (d->msi_port || d->msix_nvec || pdev->msi_enabled || pdev->msix_enabled)
		return HVX_XEN_PCI_ERR_op_failed;	/* Xen: -EALREADY / -ENXIO */
	if (!pdev->msix_cap)
		return HVX_XEN_PCI_ERR_not_implemented;
	tsize = pci_msix_vec_count(pdev);
	if (!nvec || nvec > HVX_SH_INFO_MAX_VEC || tsize <= 0 || nvec > (u32)tsize)
		return HVX_XEN_PCI_ERR_op_failed;	/* Xen: -EINVAL */
	for (i = 0; i < nvec; i++) {
		if (ents[i].entry >= tsize)
			return HVX_XEN_PCI_ERR_op_failed;
		for (j = 0; j < i; j++)
			if (ents[j].entry == ents[i].entry)
				return HVX_XEN_PCI_ERR_op_failed;
	}
	if (!pci_is_enabled(pdev)) {
		err = pci_enable_device(pdev);
		if (err)
			return HVX_XEN_PCI_ERR_op_failed;
		d->enabled = true;
	}
	me = kcalloc(nvec, sizeof(*me), GFP_KERNEL);
	d->msix = kcalloc(nvec, sizeof(*d->msix), GFP_KERNEL);
	if (!me || !d->msix) {
		kfree(me);
		kfree(d->msix);
		d->msix = NULL;
		return HVX_XEN_PCI_ERR_op_failed;
	}
	for (i = 0; i < nvec; i++)
		me[i].entry = ents[i].entry;
	err = pci_enable_msix_range(pdev, me, nvec, nvec);
	if (err != (int)nvec) {
		kfree(me);
		kfree(d->msix);
		d->msix = NULL;
		dev_warn(&pdev->dev, "MSI-X with %u vectors for domain %d: %d\n", nvec,
			 d->owner, err);
		return HVX_XEN_PCI_ERR_op_failed;
	}
	d->msix_nvec = nvec;
	for (i = 0; i < nvec; i++) {
		struct pciback_msix_vec *v = &d->msix[i];

		v->d = d;
		v->entry = me[i].entry;
		err = hvx_evtchn_alloc_unbound(d->owner, &p);
		if (err)
			goto fail;
		v->port = p;
		if (p > 0xffff)	/* the answer's vector field is 16 bits */
			goto fail;
		err = request_irq(me[i].vector, msix_forward, 0, "pciback-msix", v);
		if (err)
			goto fail;
		v->irq = me[i].vector;
	}
	for (i = 0; i < nvec; i++)
		ents[i].vector = (u16)d->msix[i].port;
	kfree(me);
	dev_dbg(&pdev->dev, "MSI-X: %u vectors for domain %d\n", nvec, d->owner);
	return HVX_XEN_PCI_ERR_success;
fail:
	msix_free(d, nvec);
	kfree(me);
	dev_warn(&pdev->dev, "MSI-X for domain %d failed at vector %u\n", d->owner, i);
	return HVX_XEN_PCI_ERR_op_failed;
}

int pciback_disable_msix(struct pciback_dev *d)
{
	if (d->msix_nvec)
		msix_free(d, d->msix_nvec);
	return HVX_XEN_PCI_ERR_success;
}

/* The device goes back: MSI off, and dom0's enable count as it was. */
void pciback_msi_release(struct pciback_dev *d)
{
	pciback_disable_msi(d);
	pciback_disable_msix(d);
	if (d->enabled)
		pci_disable_device(d->pdev);
	d->enabled = false;
}
