/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * privcmd.h: the ioctl ABI of /proc/xen/privcmd and /dev/xen/privcmd, for
 * the kernel (hvx_xenfs.ko) and for userspace.
 *
 * Struct layouts and ioctl numbers are Xen's (Linux's privcmd device), so a
 * program built against Xen's header issues the same numbers; the names
 * carry an HVX_/hvx_ prefix. Which requests hvx_xenfs serves, and how, is
 * in docs/xenfs.md: IOCTL_PRIVCMD_HYPERCALL and IOCTL_PRIVCMD_RESTRICT;
 * the mapping and device-model requests answer -ENOSYS.
 */
#ifndef XEN_HVX_PRIVCMD_H
#define XEN_HVX_PRIVCMD_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/ioctl.h>
#else
#include <linux/types.h>
#include <sys/ioctl.h>
#endif
#include "xen-abi.h"

/* A hypercall: op is HVX_HYPERVISOR_*, the result is ioctl's return value. */
struct hvx_privcmd_hypercall {
	__u64 op;
	__u64 arg[5];
};

struct hvx_privcmd_mmap_entry {
	__u64 va;
	__u64 mfn;
	__u64 npages;
};

struct hvx_privcmd_mmap {
	int num;
	hvx_domid_t dom;
	__u64 entry;			/* struct hvx_privcmd_mmap_entry * */
};

struct hvx_privcmd_mmapbatch {
	int num;
	hvx_domid_t dom;
	__u64 addr;
	__u64 arr;			/* hvx_pfn_t * */
};

struct hvx_privcmd_mmapbatch_v2 {
	unsigned int num;
	hvx_domid_t dom;
	__u64 addr;
	__u64 arr;			/* const hvx_pfn_t * */
	__u64 err;			/* int * */
};

struct hvx_privcmd_dm_op_buf {
	__u64 uptr;			/* void * */
	__u64 size;			/* size_t */
};

struct hvx_privcmd_dm_op {
	hvx_domid_t dom;
	__u16 num;
	__u64 ubufs;			/* const struct hvx_privcmd_dm_op_buf * */
};

struct hvx_privcmd_mmap_resource {
	hvx_domid_t dom;
	__u32 type;
	__u32 id;
	__u32 idx;
	__u64 num;
	__u64 addr;
};

#define HVX_IOCTL_PRIVCMD_HYPERCALL \
	_IOC(_IOC_NONE, 'P', 0, sizeof(struct hvx_privcmd_hypercall))
#define HVX_IOCTL_PRIVCMD_MMAP \
	_IOC(_IOC_NONE, 'P', 2, sizeof(struct hvx_privcmd_mmap))
#define HVX_IOCTL_PRIVCMD_MMAPBATCH \
	_IOC(_IOC_NONE, 'P', 3, sizeof(struct hvx_privcmd_mmapbatch))
#define HVX_IOCTL_PRIVCMD_MMAPBATCH_V2 \
	_IOC(_IOC_NONE, 'P', 4, sizeof(struct hvx_privcmd_mmapbatch_v2))
#define HVX_IOCTL_PRIVCMD_DM_OP \
	_IOC(_IOC_NONE, 'P', 5, sizeof(struct hvx_privcmd_dm_op))
#define HVX_IOCTL_PRIVCMD_RESTRICT \
	_IOC(_IOC_NONE, 'P', 6, sizeof(hvx_domid_t))
#define HVX_IOCTL_PRIVCMD_MMAP_RESOURCE \
	_IOC(_IOC_NONE, 'P', 7, sizeof(struct hvx_privcmd_mmap_resource))

/* xen_version sub-ops (Xen's numbers); the ones without an argument. */
#define HVX_XENVER_version		0
#define HVX_XENVER_pagesize		7

/* memory_op sub-ops that take no pointer beyond a domid (Xen's numbers). */
#define HVX_XENMEM_maximum_ram_page	2
#define HVX_XENMEM_current_reservation	3
#define HVX_XENMEM_maximum_reservation	4
#define HVX_XENMEM_maximum_gpfn		14

HVX_ABI_ASSERT(sizeof(struct hvx_privcmd_hypercall) == 48);
HVX_ABI_ASSERT(sizeof(struct hvx_privcmd_mmap) == 16);
HVX_ABI_ASSERT(sizeof(struct hvx_privcmd_mmapbatch) == 24);
HVX_ABI_ASSERT(sizeof(struct hvx_privcmd_mmapbatch_v2) == 32);
HVX_ABI_ASSERT(sizeof(struct hvx_privcmd_dm_op) == 16);
HVX_ABI_ASSERT(sizeof(struct hvx_privcmd_mmap_resource) == 32);

#endif /* XEN_HVX_PRIVCMD_H */
