// SPDX-License-Identifier: GPL-2.0-only
/*
 * intx.c: a guest's legacy (INTx) interrupt, delivered without userspace.
 *
 * When a domain takes a device that has an interrupt pin, pciback binds
 * the device's host IRQ (shared, level) and allocates one event channel
 * for the domain, published as intx-evtchn-N beside vdev-N (hv's key:
 * Xen maps a pirq instead). The port works both ways, as Xen's pirq EOI
 * does:
 *
 *   device asserts INTx ─► dom0 handler: the device's INTx-disable bit
 *     set (only if this device asserted: the line may be shared) ─► port
 *   domU: the driver's handler runs, then the domU signals the port ─►
 *     dom0: unmask; if the device still asserts, signal the domU again.
 *
 * While forwarding, the command register's INTx-disable bit the guest
 * sees and writes is virtual (conf.c): the real one is pciback's mask.
 */
#define pr_fmt(fmt) "pciback: " fmt

#include <linux/interrupt.h>
#include "pciback.h"
#include "../../../include/xen/hvx/core.h"

/* The device's line: ours if it asserted, masked at the device. */
static irqreturn_t intx_host(int irq, void *data)
{
	struct pciback_dev *d = data;

	if (!pci_check_and_mask_intx(d->pdev))
		return IRQ_NONE;
	d->intx_count++;
	hvx_notify_remote_via_evtchn(READ_ONCE(d->intx_port));
	return IRQ_HANDLED;
}

/* The guest has handled it (or writes its virtual mask bit off): unmask. */
static void intx_unmask(struct pciback_dev *d)
{
	if (READ_ONCE(d->intx_guest_masked))
		return;
	if (!pci_check_and_unmask_intx(d->pdev)) {
		/* Still asserted: the guest's handler runs again. */
		hvx_notify_remote_via_evtchn(READ_ONCE(d->intx_port));
	}
}

static irqreturn_t intx_eoi(int irq, void *data)
{
	struct pciback_dev *d = data;

	d->intx_eois++;
	intx_unmask(d);
	return IRQ_HANDLED;
}

int pciback_intx_start(struct pciback_dev *d)
{
	struct pci_dev *pdev = d->pdev;
	hvx_evtchn_port_t p;
	int err, irq;

	/* Already forwarded (claimed again): a second handler would be left. */
	if (!pdev->pin || d->intx_on)
		return 0;
	if (!pci_intx_mask_supported(pdev)) {
		dev_warn(&pdev->dev, "INTx cannot be masked at the device: domain %d gets no INTx\n",
			 d->owner);
		return 0;
	}
	/* The line is routed (ACPI _PRT) when the device is enabled in dom0. */
	if (!pci_is_enabled(pdev)) {
		err = pci_enable_device(pdev);
		if (err) {
			dev_warn(&pdev->dev, "cannot enable it for domain %d's INTx (%d)\n",
				 d->owner, err);
			return err;
		}
		d->enabled = true;
	}
	if (pdev->irq <= 0 || pdev->irq == IRQ_NOTCONNECTED) {
		dev_warn(&pdev->dev, "pin %c has no IRQ in dom0: domain %d gets no INTx\n",
			 'A' + pdev->pin - 1, d->owner);
		return 0;
	}
	err = hvx_evtchn_alloc_unbound(d->owner, &p);
	if (err)
		return err;
	irq = hvx_bind_evtchn_to_irqhandler(p, intx_eoi, 0, "pciback-intx-eoi", d);
	if (irq < 0) {
		err = irq;
		goto close;
	}
	d->intx_port = p;
	d->intx_eoi_irq = irq;
	d->intx_guest_masked = false;
	pci_intx(pdev, 1);
	err = request_irq(pdev->irq, intx_host, IRQF_SHARED, "pciback-intx", d);
	if (err)
		goto unbind;
	d->intx_irq = pdev->irq;
	d->intx_on = true;
	dev_dbg(&pdev->dev, "INTx (IRQ %d) of domain %d on port %u\n", pdev->irq, d->owner, p);
	return 0;
unbind:
	hvx_unbind_from_irqhandler(irq, d);
	d->intx_port = 0;
	d->intx_eoi_irq = 0;
close:
	hvx_evtchn_close(p);
	dev_warn(&pdev->dev, "INTx for domain %d failed (%d)\n", d->owner, err);
	return err;
}

void pciback_intx_stop(struct pciback_dev *d)
{
	if (!d->intx_on)
		return;
	/*
	 * Not pdev->irq: while the guest has MSI enabled that names the MSI
	 * vector's IRQ, and freeing it would leave this handler on the line.
	 */
	free_irq(d->intx_irq, d);
	hvx_unbind_from_irqhandler(d->intx_eoi_irq, d);
	hvx_evtchn_close(d->intx_port);
	/* Masked: nobody handles the line for the device now. */
	pci_intx(d->pdev, 0);
	d->intx_on = false;
	d->intx_port = 0;
	d->intx_eoi_irq = 0;
	d->intx_irq = 0;
}

/* The guest wrote the command register's INTx-disable bit (@masked). */
void pciback_intx_guest_mask(struct pciback_dev *d, bool masked)
{
	bool was = d->intx_guest_masked;

	WRITE_ONCE(d->intx_guest_masked, masked);
	if (was && !masked)
		intx_unmask(d);
}
