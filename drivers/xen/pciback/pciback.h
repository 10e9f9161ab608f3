/* SPDX-License-Identifier: GPL-2.0-only */
/* pciback.h: pciback's devices, slots and backend, shared by its files. */
#ifndef PCIBACK_PCIBACK_H
#define PCIBACK_PCIBACK_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include "bdf.h"
#include "conf_filter.h"
#include "../../../include/xen/hvx/pciif.h"

struct pciback_dev;

/* One MSI-X vector forwarded to a domU: its host IRQ and event channel. */
struct pciback_msix_vec {
	struct pciback_dev *d;
	u32 port;			/* dom0's end; the domU binds it */
	unsigned int irq;		/* dom0's IRQ of the vector */
	u16 entry;			/* index in the device's MSI-X table */
};

/*
 * A device pciback owns (bound to the "pciback" driver). Lives from probe
 * to remove; everything in it is under pciback_lock.
 */
struct pciback_dev {
	struct list_head list;
	struct pci_dev *pdev;
	struct pci_saved_state *saved;	/* config state when pciback took it */
	bool permissive;		/* set through the permissive file */
	int owner;			/* the domU using it, or -1 */
	struct pciback_cfg_state cfg;	/* the guest's view, while owned */
	unsigned int nr_quirks;
	struct pciback_cfg_quirk quirk[PCIBACK_MAX_QUIRKS];
	unsigned long conf_ops;		/* config operations served */
	u32 msi_port;			/* dom0's event channel for the MSI, 0 if off */
	unsigned long msi_count;	/* interrupts forwarded */
	bool enabled;			/* pciback enabled it in dom0 (MSI, INTx) */
	struct pciback_msix_vec *msix;	/* [msix_nvec] while MSI-X is on */
	unsigned int msix_nvec;
	unsigned long msix_count;	/* MSI-X interrupts forwarded */
	bool intx_on;			/* INTx forwarded (intx.c) */
	bool intx_guest_masked;		/* the guest's INTx-disable bit */
	u32 intx_port;			/* dom0's end of the INTx port */
	int intx_eoi_irq;		/* that port's IRQ in dom0 */
	int intx_irq;			/* the line's IRQ (pdev->irq is MSI's while MSI is on) */
	unsigned long intx_count, intx_eois;	/* forwarded, acknowledged */
};

extern struct mutex pciback_lock;
extern bool pciback_permissive;		/* module parameter: every device */
extern bool pciback_unsafe_no_iommu;	/* module parameter */

/* stub.c: the PCI driver, its slot list and sysfs files */
int pciback_stub_init(const char *hide);
void pciback_stub_exit(void);
struct pciback_dev *pciback_find(int domain, int bus, int slot, int func);
/*
 * Give the device @bdf to domain @domid (under pciback_lock): -ENODEV if
 * pciback does not own it, -EBUSY if a domain has it, -EPERM without an
 * IOMMU (unless unsafe_no_iommu). Resets it and sets up the guest's view.
 */
int pciback_claim(struct pciback_dev *d, int domid, bool permissive);
/* Take it back (under pciback_lock): reset, saved state, bus master off. */
void pciback_release(struct pciback_dev *d);

/* conf.c: the guest's config-space accesses (under pciback_lock) */
void pciback_conf_init(struct pciback_dev *d, bool permissive);
int pciback_conf_read(struct pciback_dev *d, int off, int size, u32 *val);
int pciback_conf_write(struct pciback_dev *d, int off, int size, u32 val);

/* msi.c: MSI through the protocol's operations (under pciback_lock) */
int pciback_enable_msi(struct pciback_dev *d, u32 *port);
int pciback_disable_msi(struct pciback_dev *d);
/* @nvec entries of @ents: in, .entry; out, .vector = the event channel. */
int pciback_enable_msix(struct pciback_dev *d, u32 nvec, struct hvx_xen_msix_entry *ents);
int pciback_disable_msix(struct pciback_dev *d);
void pciback_msi_release(struct pciback_dev *d);

/* intx.c: INTx through an event channel (under pciback_lock) */
int pciback_intx_start(struct pciback_dev *d);
void pciback_intx_stop(struct pciback_dev *d);
void pciback_intx_guest_mask(struct pciback_dev *d, bool masked);

/* xenbus.c: the "pci" backend */
int pciback_xenbus_init(void);
void pciback_xenbus_exit(void);

#endif /* PCIBACK_PCIBACK_H */
