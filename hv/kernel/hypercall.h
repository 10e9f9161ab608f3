/* SPDX-License-Identifier: GPL-2.0-only */
/* hypercall.h: Xen hypercall dispatch for domUs (via their VMM) and dom0. */
#ifndef HV_KERNEL_HYPERCALL_H
#define HV_KERNEL_HYPERCALL_H

#include <linux/types.h>

struct xhv_domain;

/* @kernel: addresses in the arguments are kernel pointers (dom0). */
long xhv_hypercall(struct xhv_domain *d, bool kernel, u64 op, u64 a1, u64 a2,
		   u64 a3);
/* Run the hypercall in the domU's block at @block_gfn (platform.h). */
int xhv_hypercall_block(struct xhv_domain *d, u64 block_gfn, s64 *result);

#endif /* HV_KERNEL_HYPERCALL_H */
