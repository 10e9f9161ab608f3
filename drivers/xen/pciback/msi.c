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

/* The device goes back: MSI off, and dom0's enable count as it was. */
void pciback_msi_release(struct pciback_dev *d)
{
	pciback_disable_msi(d);
	if (d->enabled)
		pci_disable_device(d->pdev);
	d->enabled = false;
}
