/* SPDX-License-Identifier: GPL-2.0-only */
/* passthrough.h: devices' DMA into a domU's memory through the IOMMU. */
#ifndef HV_KERNEL_PASSTHROUGH_H
#define HV_KERNEL_PASSTHROUGH_H

struct xhv_domain;
struct hvctl_pci_assign;

int xhv_pci_assign(struct xhv_domain *d, const struct hvctl_pci_assign *req);
int xhv_pci_deassign(struct xhv_domain *d, const struct hvctl_pci_assign *req);
/* The domain goes: every device leaves its IOMMU domain, pages released. */
void xhv_pci_teardown(struct xhv_domain *d);

#endif /* HV_KERNEL_PASSTHROUGH_H */
