/* SPDX-License-Identifier: GPL-2.0-only */
/* reservation.h: a domU's memory reservation: give frames back, get them again. */
#ifndef HV_KERNEL_RESERVATION_H
#define HV_KERNEL_RESERVATION_H

#include "domain.h"

int xhv_reservation_init(struct xhv_domain *d, u64 ram_pages);
void xhv_reservation_free(struct xhv_domain *d);

/* XENMEM_decrease_reservation / populate_physmap for the domU @d itself. */
long xhv_reservation_op(struct xhv_domain *d, unsigned int cmd,
			const struct hvx_memory_reservation *r);
/* XENMEM_current_reservation / maximum_reservation: pages. */
long xhv_reservation_pages(struct xhv_domain *d, unsigned int cmd);

/* The ceiling (hv mem-max); -EINVAL beyond the RAM layout or below the minimum. */
int xhv_reservation_set_max(struct xhv_domain *d, u64 max_kib);

/*
 * Count (or uncount) one dom0 grant mapping of @frame of @g; called with
 * g->grant_lock held. Counting fails (-ENOSPC) only past 2^32 - 1
 * mappings of one frame; dom0's own frames are not counted.
 */
int xhv_reservation_frame_mapped(struct xhv_domain *g, u64 frame, bool mapped);

/* Host memory no guest may take (KiB): the dom0_mem parameter. */
u64 xhv_reservation_floor_kib(void);

#endif /* HV_KERNEL_RESERVATION_H */
