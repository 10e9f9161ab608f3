/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * pciif.h: the PCI passthrough protocol between pcifront (domU) and pciback
 * (dom0): one shared page holding one operation at a time, an event channel
 * each way, and the store keys of the device pair.
 *
 * Layouts, numbers and key names are Xen's (io/pciif.h, magic "7"); names
 * carry an HVX_/hvx_ prefix so that this header sits beside <xen/...> in a
 * kernel built with CONFIG_XEN=y. Sizes are checked at the end.
 *
 * One request at a time: the frontend fills `op`, sets XEN_PCIF_active in
 * `flags` (a bit operation, after the op is written), and notifies; the
 * backend copies `op` out, carries it out, writes the result back into
 * `op`, clears the bit (after the result is written), and notifies.
 */
#ifndef XEN_HVX_PCIIF_H
#define XEN_HVX_PCIIF_H

#include <linux/types.h>

#define HVX_XEN_PCI_MAGIC		"7"

/* xen_pci_sharedinfo.flags: bit numbers and masks */
#define _HVX_XEN_PCIF_active		0	/* a frontend request waits */
#define HVX_XEN_PCIF_active		(1u << _HVX_XEN_PCIF_active)
#define _HVX_XEN_PCIB_AERHANDLER	1
#define HVX_XEN_PCIB_AERHANDLER		(1u << _HVX_XEN_PCIB_AERHANDLER)
#define _HVX_XEN_PCIB_active		2	/* a backend (AER) request waits */
#define HVX_XEN_PCIB_active		(1u << _HVX_XEN_PCIB_active)

/* xen_pci_op.cmd */
#define HVX_XEN_PCI_OP_conf_read	0
#define HVX_XEN_PCI_OP_conf_write	1
#define HVX_XEN_PCI_OP_enable_msi	2
#define HVX_XEN_PCI_OP_disable_msi	3
#define HVX_XEN_PCI_OP_enable_msix	4
#define HVX_XEN_PCI_OP_disable_msix	5
#define HVX_XEN_PCI_OP_aer_detected	6
#define HVX_XEN_PCI_OP_aer_resume	7
#define HVX_XEN_PCI_OP_aer_mmio		8
#define HVX_XEN_PCI_OP_aer_slotreset	9
#define HVX_XEN_PCI_OP_enable_multi_msi	10

/* xen_pci_op.err */
#define HVX_XEN_PCI_ERR_success		0
#define HVX_XEN_PCI_ERR_dev_not_found	(-1)
#define HVX_XEN_PCI_ERR_invalid_offset	(-2)
#define HVX_XEN_PCI_ERR_access_denied	(-3)
#define HVX_XEN_PCI_ERR_not_implemented	(-4)
#define HVX_XEN_PCI_ERR_op_failed	(-5)	/* the backend could not do it */

/* MSI-X entries one operation carries. */
#define HVX_SH_INFO_MAX_VEC		128

struct hvx_xen_msix_entry {
	__u16 vector;
	__u16 entry;
};

struct hvx_xen_pci_op {
	__u32 cmd;		/* in: HVX_XEN_PCI_OP_* */
	__s32 err;		/* out: HVX_XEN_PCI_ERR_* */
	__u32 domain;		/* in: the device, as the frontend names it */
	__u32 bus;
	__u32 devfn;
	__s32 offset;		/* in: config space register */
	__s32 size;		/* in: 1, 2 or 4 */
	__u32 value;		/* in/out: written, or read back */
	__u32 info;		/* in: extra argument (vectors for multi-MSI) */
	struct hvx_xen_msix_entry msix_entries[HVX_SH_INFO_MAX_VEC];	/* in/out */
};

struct hvx_xen_pcie_aer_op {
	__u32 cmd;
	__s32 err;
	__u32 domain;
	__u32 bus;
	__u32 devfn;
};

struct hvx_xen_pci_sharedinfo {
	__u32 flags;		/* HVX_XEN_PCIF_*, HVX_XEN_PCIB_* */
	struct hvx_xen_pci_op op;
	struct hvx_xen_pcie_aer_op aer_op;
};

/*
 * Store keys. Frontend directory (device/pci/0): pci-op-ref (grant of the
 * shared page), event-channel, magic (HVX_XEN_PCI_MAGIC). Backend directory
 * (backend/pci/DOMID/0): num_devs; per device N: dev-N ("DDDD:BB:SS.F" in
 * dom0), state-N (a XenbusState), opts-N, and, written by pciback, vdev-N
 * (the device as the frontend sees it); root_num and root-N ("DDDD:BB",
 * the frontend's root buses).
 */
#define HVX_PCIIF_KEY_OP_REF		"pci-op-ref"
#define HVX_PCIIF_KEY_EVTCHN		"event-channel"
#define HVX_PCIIF_KEY_MAGIC		"magic"
#define HVX_PCIIF_KEY_NUM_DEVS		"num_devs"
#define HVX_PCIIF_KEY_ROOT_NUM		"root_num"
/*
 * hv's own key (Xen maps a pirq instead): intx-evtchn-N in the backend
 * directory is the event channel (dom0's end, for an interdomain bind)
 * of device N's INTx, when it has a pin. dom0 signals it when the device
 * asserts the line (masked at the device meanwhile); the frontend signals
 * it back once the driver's handler has run, which unmasks the line.
 */
#define HVX_PCIIF_KEY_INTX_EVTCHN	"intx-evtchn"

#ifdef __KERNEL__
struct pci_dev;
/* pcifront: one raw operation on a device of its bus (for tests). */
int hvx_pcifront_op(struct pci_dev *pdev, struct hvx_xen_pci_op *op, unsigned int nent);
#endif

#ifndef __KERNEL__
_Static_assert(sizeof(struct hvx_xen_pci_op) == 548, "xen_pci_op layout");
_Static_assert(sizeof(struct hvx_xen_pcie_aer_op) == 20, "xen_pcie_aer_op layout");
_Static_assert(sizeof(struct hvx_xen_pci_sharedinfo) == 572, "xen_pci_sharedinfo layout");
#endif

#endif /* XEN_HVX_PCIIF_H */
