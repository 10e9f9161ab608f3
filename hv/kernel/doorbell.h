/* SPDX-License-Identifier: GPL-2.0-only */
/* doorbell.h: the DOORBELL ioeventfd of a domU, polled in the kernel. */
#ifndef HV_KERNEL_DOORBELL_H
#define HV_KERNEL_DOORBELL_H

struct xhv_domain;

void xhv_doorbell_init(struct xhv_domain *d);
/* Listen on eventfd @fd (a negative fd detaches). */
int xhv_doorbell_set(struct xhv_domain *d, int fd);
void xhv_doorbell_teardown(struct xhv_domain *d);

#endif /* HV_KERNEL_DOORBELL_H */
