/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * platform.h: the guest-visible platform device the VMM gives every domU,
 * and how a domU's core reaches hv through it.
 *
 * The device sits on PCI bus 0 behind the VMM's host bridge (an ACPI
 * PNP0A03 root with conf1 config access). It carries everything the guest
 * core needs to find; guest code uses no other fixed address.
 *
 *   BAR0 (I/O, 16 ports)
 *     +0x0  HYPERCALL  32-bit OUT: guest frame number of this vCPU's
 *                      hypercall block. Handled by the VMM, which passes it
 *                      to hv.ko in one ioctl (HVCTL_HYPERCALL). When the
 *                      OUT instruction retires, the block holds the result.
 *     +0x4  DOORBELL   32-bit OUT, any value: "scan my send bitmap". A KVM
 *                      ioeventfd polled by hv.ko: no exit to userspace.
 *     +0x8  VERSION    32-bit IN: HVX_PLATFORM_ABI_VERSION.
 *     +0xc  VCPUS      32-bit IN: number of vCPUs the VMM created.
 *   BAR1 (memory, 4 KiB): the MSI-X table at 0x000 (one entry per vCPU,
 *                      at most 64) and its PBA at 0x800.
 *
 * Upcalls: MSI-X entry N is raised when vCPU N's evtchn_upcall_pending goes
 * from 0 to 1. A guest that enables fewer vectors than it has vCPUs gets
 * the upcalls of the missing entries on entry 0.
 *
 * Hypercall block: one page of guest RAM per vCPU (page aligned). The
 * guest writes op and args, copies argument structs into data[], passes
 * their guest-physical addresses as the args, and writes the block's frame
 * number to HYPERCALL. Every guest handle inside an argument struct is a
 * guest-physical address too.
 *
 * Sending on an event channel (the data path): set bit `port` in the send
 * bitmap page (registered once with HVXOP_set_send_page), then write
 * DOORBELL. hv.ko atomically takes the whole bitmap and sends every port
 * found, so several sends may share one doorbell.
 *
 * The shared-info page and grant-table frames are pages of guest RAM the
 * guest picks and hands over with XENMEM_add_to_physmap (shared_info idx 0;
 * grant_table idx 0..nr-1). The store and console rings are pages the VMM
 * reserves in the e820 map; their frame numbers and event channels come
 * from HVMOP_get_param (STORE_PFN/EVTCHN, CONSOLE_PFN/EVTCHN), as under Xen
 * HVM.
 */
#ifndef XEN_HVX_PLATFORM_H
#define XEN_HVX_PLATFORM_H

#include <linux/types.h>

/* Not assigned by the PCI-SIG to anyone we know of; the project's own. */
#define HVX_PCI_VENDOR_ID		0x6878	/* "hx" */
#define HVX_PCI_DEVICE_ID		0x0001
#define HVX_PCI_CLASS			0x088000 /* system peripheral, other */
#define HVX_PCI_REVISION		1

#define HVX_PLATFORM_ABI_VERSION	1

#define HVX_BAR0_HYPERCALL		0x0
#define HVX_BAR0_DOORBELL		0x4
#define HVX_BAR0_VERSION		0x8
#define HVX_BAR0_VCPUS			0xc
#define HVX_BAR0_SIZE			16

#define HVX_BAR1_MSIX_TABLE		0x000
#define HVX_BAR1_MSIX_PBA		0x800
#define HVX_BAR1_SIZE			4096
#define HVX_MSIX_MAX_VECTORS		64

struct hvx_hypercall_block {
	__u64 op;		/* HVX_HYPERVISOR_* */
	__u64 args[5];
	__s64 result;		/* out: >= 0 or -errno */
	__u64 reserved;		/* must be 0 */
	__u8 data[4096 - 64];	/* argument structs, at the guest's choice */
};

/* The suite's own hypercall, number HVX_HYPERVISOR_arch_0: hvx_op(cmd, arg). */
#define HVXOP_set_send_page	1	/* arg: guest frame of the send bitmap */
#define HVXOP_get_info		2	/* arg: GPA of struct hvx_op_info (out) */

struct hvx_op_info {
	__u32 domid;
	__u32 nr_vcpus;
	__u32 max_evtchn_port;		/* highest usable port number */
	__u32 max_grant_frames;
};

#ifdef __KERNEL__
#include <linux/build_bug.h>
static_assert(sizeof(struct hvx_hypercall_block) == 4096);
#else
_Static_assert(sizeof(struct hvx_hypercall_block) == 4096, "hypercall block");
#endif

#endif /* XEN_HVX_PLATFORM_H */
