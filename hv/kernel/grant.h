/* SPDX-License-Identifier: GPL-2.0-only */
/* grant.h: grant tables v1 of hv.ko's domains, and dom0's mappings. */
#ifndef HV_KERNEL_GRANT_H
#define HV_KERNEL_GRANT_H

#include <linux/types.h>

struct hvx_gnttab_copy;
struct hvx_grant_map_op;
struct xhv_domain;

int xhv_grant_init(struct xhv_domain *d);
void xhv_grant_free(struct xhv_domain *d);
void xhv_grant_teardown(struct xhv_domain *d);
int xhv_grant_add_frame(struct xhv_domain *d, u64 idx, u64 gfn);
int xhv_grant_query_size(struct xhv_domain *d, u32 *nr, u32 *max);
int xhv_grant_setup_table(struct xhv_domain *d, u32 nr, u64 *frames);
/* dom0's backend operations (the transport's grant_map/unmap/copy). */
int xhv_grant_map(struct hvx_grant_map_op *ops, unsigned int count);
int xhv_grant_unmap(struct hvx_grant_map_op *ops, unsigned int count);
int xhv_grant_copy(struct hvx_gnttab_copy *ops, unsigned int count);
void xhv_grant_exit(void);
/* Settle how grant copies move bytes (module load). */
void xhv_grant_copy_choose(void);

#endif /* HV_KERNEL_GRANT_H */
