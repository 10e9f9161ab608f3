/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * xen-abi.h: the parts of Xen's guest interface the suite speaks, for the
 * kernel and for userspace alike.
 *
 * Numbers and layouts are Xen's (they are the protocol); names carry an
 * HVX_/hvx_ prefix so that this header can sit in a kernel built with
 * CONFIG_XEN=y without colliding with <xen/interface/...>. Every struct is
 * laid out as on x86_64 Xen; sizes are checked at the end of the file.
 *
 * One deliberate difference from Xen, stated once: a "guest handle" (a
 * pointer inside a hypercall argument) is a guest-physical address when a
 * domU makes the call, and a kernel virtual address when dom0's kernel
 * makes it. See platform.h for how a domU passes arguments.
 */
#ifndef XEN_HVX_XEN_ABI_H
#define XEN_HVX_XEN_ABI_H

#include <linux/types.h>

typedef __u16 hvx_domid_t;
typedef __u32 hvx_evtchn_port_t;
typedef __u32 hvx_grant_ref_t;
typedef __u32 hvx_grant_handle_t;
typedef __u64 hvx_pfn_t;
typedef __u64 hvx_ulong_t;		/* xen_ulong_t on x86_64 */
typedef __u64 hvx_guest_handle_t;	/* see above */

#define HVX_PAGE_SHIFT		12
#define HVX_PAGE_SIZE		(1u << HVX_PAGE_SHIFT)

/* Domain ids. */
#define HVX_DOMID_FIRST_RESERVED 0x7ff0u
#define HVX_DOMID_SELF		0x7ff0u
#define HVX_DOMID_IO		0x7ff1u
#define HVX_DOMID_XEN		0x7ff2u
#define HVX_DOMID_INVALID	0x7ff4u

/* Hypercall numbers. */
#define HVX_HYPERVISOR_memory_op	12
#define HVX_HYPERVISOR_xen_version	17
#define HVX_HYPERVISOR_grant_table_op	20
#define HVX_HYPERVISOR_vcpu_op		24
#define HVX_HYPERVISOR_sched_op		29
#define HVX_HYPERVISOR_event_channel_op	32
#define HVX_HYPERVISOR_hvm_op		34
#define HVX_HYPERVISOR_arch_0		48	/* the suite's own: hvx_op, platform.h */

/* Xen's errno values are Linux's; hypercalls return -errno. */

/* ---- Event channels (2-level ABI) -------------------------------------- */

#define HVX_EVTCHNOP_bind_interdomain	0
#define HVX_EVTCHNOP_bind_virq		1
#define HVX_EVTCHNOP_bind_pirq		2
#define HVX_EVTCHNOP_close		3
#define HVX_EVTCHNOP_send		4
#define HVX_EVTCHNOP_status		5
#define HVX_EVTCHNOP_alloc_unbound	6
#define HVX_EVTCHNOP_bind_ipi		7
#define HVX_EVTCHNOP_bind_vcpu		8
#define HVX_EVTCHNOP_unmask		9
#define HVX_EVTCHNOP_reset		10
#define HVX_EVTCHNOP_init_control	11	/* FIFO ABI: not offered (-ENOSYS) */

/* 2-level: one bit per port in 64 words of 64 bits. */
#define HVX_EVTCHN_2L_NR_PORTS	4096
#define HVX_EVTCHN_DEFAULT_MAX	1023	/* per-domain default limit, as Xen */

struct hvx_evtchn_alloc_unbound {
	hvx_domid_t dom;		/* in: DOMID_SELF or own id */
	hvx_domid_t remote_dom;		/* in: who may bind to it */
	hvx_evtchn_port_t port;		/* out */
};

struct hvx_evtchn_bind_interdomain {
	hvx_domid_t remote_dom;		/* in */
	__u16 pad;
	hvx_evtchn_port_t remote_port;	/* in */
	hvx_evtchn_port_t local_port;	/* out */
};

struct hvx_evtchn_bind_virq {
	__u32 virq;			/* in */
	__u32 vcpu;			/* in */
	hvx_evtchn_port_t port;		/* out */
};

struct hvx_evtchn_bind_ipi {
	__u32 vcpu;			/* in */
	hvx_evtchn_port_t port;		/* out */
};

struct hvx_evtchn_close {
	hvx_evtchn_port_t port;
};

struct hvx_evtchn_send {
	hvx_evtchn_port_t port;
};

#define HVX_EVTCHNSTAT_closed		0
#define HVX_EVTCHNSTAT_unbound		1
#define HVX_EVTCHNSTAT_interdomain	2
#define HVX_EVTCHNSTAT_pirq		3
#define HVX_EVTCHNSTAT_virq		4
#define HVX_EVTCHNSTAT_ipi		5

struct hvx_evtchn_status {
	hvx_domid_t dom;		/* in */
	__u16 pad;
	hvx_evtchn_port_t port;		/* in */
	__u32 status;			/* out: HVX_EVTCHNSTAT_* */
	__u32 vcpu;			/* out */
	union {
		struct {
			hvx_domid_t dom;
		} unbound;
		struct {
			hvx_domid_t dom;
			__u16 pad;
			hvx_evtchn_port_t port;
		} interdomain;
		__u32 pirq;
		__u32 virq;
	} u;
};

struct hvx_evtchn_bind_vcpu {
	hvx_evtchn_port_t port;
	__u32 vcpu;
};

struct hvx_evtchn_unmask {
	hvx_evtchn_port_t port;
};

struct hvx_evtchn_reset {
	hvx_domid_t dom;
};

/* The argument size of each EVTCHNOP_* this ABI offers; 0 for others. */
static inline unsigned long hvx_evtchn_op_size(unsigned long cmd)
{
	switch (cmd) {
	case HVX_EVTCHNOP_bind_interdomain:
		return sizeof(struct hvx_evtchn_bind_interdomain);
	case HVX_EVTCHNOP_bind_virq:
		return sizeof(struct hvx_evtchn_bind_virq);
	case HVX_EVTCHNOP_close:
		return sizeof(struct hvx_evtchn_close);
	case HVX_EVTCHNOP_send:
		return sizeof(struct hvx_evtchn_send);
	case HVX_EVTCHNOP_status:
		return sizeof(struct hvx_evtchn_status);
	case HVX_EVTCHNOP_alloc_unbound:
		return sizeof(struct hvx_evtchn_alloc_unbound);
	case HVX_EVTCHNOP_bind_ipi:
		return sizeof(struct hvx_evtchn_bind_ipi);
	case HVX_EVTCHNOP_bind_vcpu:
		return sizeof(struct hvx_evtchn_bind_vcpu);
	case HVX_EVTCHNOP_unmask:
		return sizeof(struct hvx_evtchn_unmask);
	case HVX_EVTCHNOP_reset:
		return sizeof(struct hvx_evtchn_reset);
	default:
		return 0;
	}
}

/* Virtual IRQs. */
#define HVX_VIRQ_TIMER		0
#define HVX_VIRQ_DEBUG		1
#define HVX_VIRQ_CONSOLE	2
#define HVX_VIRQ_DOM_EXC	3	/* dom0: a domain died (xenstored) */
#define HVX_NR_VIRQS		24

/* ---- Shared info page ----------------------------------------------------- */

#define HVX_LEGACY_MAX_VCPUS	32

struct hvx_vcpu_time_info {		/* pvclock layout; unused by the suite */
	__u32 version;
	__u32 pad0;
	__u64 tsc_timestamp;
	__u64 system_time;
	__u32 tsc_to_system_mul;
	__s8 tsc_shift;
	__u8 flags;
	__u8 pad[2];
};

struct hvx_vcpu_info {
	__u8 evtchn_upcall_pending;
	__u8 evtchn_upcall_mask;
	__u8 pad0[6];
	hvx_ulong_t evtchn_pending_sel;
	__u64 arch_cr2;
	__u64 arch_pad;
	struct hvx_vcpu_time_info time;
};

struct hvx_shared_info {
	struct hvx_vcpu_info vcpu_info[HVX_LEGACY_MAX_VCPUS];
	hvx_ulong_t evtchn_pending[64];
	hvx_ulong_t evtchn_mask[64];
	__u32 wc_version;
	__u32 wc_sec;
	__u32 wc_nsec;
	__u32 wc_sec_hi;
	/* arch_shared_info follows in Xen; the suite leaves it zero. */
	__u64 arch_max_pfn;
	__u64 arch_pfn_to_mfn_frame_list_list;
	__u64 arch_nmi_reason;
	__u64 arch_p2m_cr3;
	__u64 arch_p2m_vaddr;
	__u64 arch_p2m_generation;
};

/* ---- Grant tables (v1) ----------------------------------------------------- */

#define HVX_GNTTABOP_map_grant_ref	0
#define HVX_GNTTABOP_unmap_grant_ref	1
#define HVX_GNTTABOP_setup_table	2
#define HVX_GNTTABOP_dump_table		3
#define HVX_GNTTABOP_transfer		4
#define HVX_GNTTABOP_copy		5
#define HVX_GNTTABOP_query_size		6
#define HVX_GNTTABOP_set_version	8
#define HVX_GNTTABOP_get_version	10

#define HVX_GNTTAB_DEFAULT_MAX_FRAMES	64	/* per domain, as Xen */

struct hvx_grant_entry_v1 {
	__u16 flags;		/* GTF_* */
	hvx_domid_t domid;	/* the domain allowed access */
	__u32 frame;		/* the granted frame (guest frame number) */
};

#define HVX_GRANT_ENTRIES_PER_FRAME (HVX_PAGE_SIZE / sizeof(struct hvx_grant_entry_v1))

/* First refs reserved by the toolstack, as Xen. */
#define HVX_GNTTAB_RESERVED_CONSOLE	0
#define HVX_GNTTAB_RESERVED_XENSTORE	1
#define HVX_GNTTAB_NR_RESERVED_ENTRIES	8

/*
 * Grant entry flags. The granter writes the type and GTF_readonly; the
 * hypervisor sets and clears GTF_reading/GTF_writing while mapped.
 */
#define HVX_GTF_invalid			0u
#define HVX_GTF_permit_access		1u
#define HVX_GTF_accept_transfer		2u
#define HVX_GTF_transitive		3u
#define HVX_GTF_type_mask		3u
#define HVX_GTF_readonly		(1u << 2)
#define HVX_GTF_reading			(1u << 3)
#define HVX_GTF_writing			(1u << 4)
#define HVX_GTF_PWT			(1u << 5)
#define HVX_GTF_PCD			(1u << 6)
#define HVX_GTF_PAT			(1u << 7)
#define HVX_GTF_sub_page		(1u << 8)

/* Mapping flags. */
#define HVX_GNTMAP_device_map		(1u << 0)
#define HVX_GNTMAP_host_map		(1u << 1)
#define HVX_GNTMAP_readonly		(1u << 2)
#define HVX_GNTMAP_application_map	(1u << 3)
#define HVX_GNTMAP_contains_pte		(1u << 4)

/* Per-operation status codes. */
#define HVX_GNTST_okay			0
#define HVX_GNTST_general_error		(-1)
#define HVX_GNTST_bad_domain		(-2)
#define HVX_GNTST_bad_gntref		(-3)
#define HVX_GNTST_bad_handle		(-4)
#define HVX_GNTST_bad_virt_addr		(-5)
#define HVX_GNTST_bad_dev_addr		(-6)
#define HVX_GNTST_no_device_space	(-7)
#define HVX_GNTST_permission_denied	(-8)
#define HVX_GNTST_bad_page		(-9)
#define HVX_GNTST_bad_copy_arg		(-10)
#define HVX_GNTST_address_too_big	(-11)
#define HVX_GNTST_eagain		(-12)

struct hvx_gnttab_map_grant_ref {
	__u64 host_addr;	/* in (unused by the suite's dom0 API) */
	__u32 flags;		/* in: GNTMAP_* */
	hvx_grant_ref_t ref;	/* in */
	hvx_domid_t dom;	/* in: the granting domain */
	__s16 status;		/* out: GNTST_* */
	hvx_grant_handle_t handle; /* out */
	__u64 dev_bus_addr;	/* out */
};

struct hvx_gnttab_unmap_grant_ref {
	__u64 host_addr;
	__u64 dev_bus_addr;
	hvx_grant_handle_t handle;
	__s16 status;
	__u16 pad;
};

struct hvx_gnttab_setup_table {
	hvx_domid_t dom;		/* in */
	__u16 pad;
	__u32 nr_frames;		/* in */
	__s16 status;			/* out */
	__u16 pad2[3];
	hvx_guest_handle_t frame_list;	/* out: hvx_pfn_t[nr_frames] */
};

struct hvx_gnttab_query_size {
	hvx_domid_t dom;		/* in */
	__u16 pad;
	__u32 nr_frames;		/* out */
	__u32 max_nr_frames;		/* out */
	__s16 status;			/* out */
};

#define HVX_GNTCOPY_source_gref		(1u << 0)
#define HVX_GNTCOPY_dest_gref		(1u << 1)

struct hvx_gnttab_copy_ptr {
	union {
		hvx_grant_ref_t ref;
		hvx_pfn_t gmfn;
	} u;
	hvx_domid_t domid;
	__u16 offset;
	__u32 pad;
};

struct hvx_gnttab_copy {
	struct hvx_gnttab_copy_ptr source;
	struct hvx_gnttab_copy_ptr dest;
	__u16 len;
	__u16 flags;		/* GNTCOPY_* */
	__s16 status;		/* out */
	__u16 pad;
};

/* ---- Memory ---------------------------------------------------------------- */

#define HVX_XENMEM_increase_reservation	0
#define HVX_XENMEM_decrease_reservation	1
#define HVX_XENMEM_maximum_ram_page	2
#define HVX_XENMEM_current_reservation	3	/* arg: hvx_domid_t *; returns pages */
#define HVX_XENMEM_maximum_reservation	4	/* arg: hvx_domid_t *; returns pages */
#define HVX_XENMEM_populate_physmap	6
#define HVX_XENMEM_add_to_physmap	7

/*
 * Largest extent_order a domU may ask for in a reservation op (Xen's
 * default for domUs, CONFIG_DOMU_MAX_ORDER), and the most extents hv.ko
 * handles in one call: a longer list is done in part and the call returns
 * the count done, as Xen does when it is preempted without a continuation.
 */
#define HVX_XENMEM_MAX_ORDER		9
#define HVX_XENMEM_MAX_EXTENTS_PER_CALL	4096

#define HVX_XENMAPSPACE_shared_info	0
#define HVX_XENMAPSPACE_grant_table	1

struct hvx_add_to_physmap {
	hvx_domid_t domid;
	__u16 size;		/* unused */
	__u32 space;		/* XENMAPSPACE_* */
	__u64 idx;		/* index in the space (grant frame number) */
	hvx_pfn_t gpfn;		/* where the frame lives */
};

struct hvx_memory_reservation {
	hvx_guest_handle_t extent_start;	/* hvx_pfn_t[nr_extents] */
	__u64 nr_extents;
	__u32 extent_order;
	__u32 mem_flags;
	hvx_domid_t domid;
	__u16 pad[3];
};

/* ---- HVM parameters (how a domU finds its store and console) ----------- */

#define HVX_HVMOP_set_param		0
#define HVX_HVMOP_get_param		1

#define HVX_HVM_PARAM_STORE_PFN		1
#define HVX_HVM_PARAM_STORE_EVTCHN	2
#define HVX_HVM_PARAM_CONSOLE_PFN	17
#define HVX_HVM_PARAM_CONSOLE_EVTCHN	18
#define HVX_HVM_NR_PARAMS		40

struct hvx_hvm_param {
	hvx_domid_t domid;
	__u16 pad;
	__u32 index;
	__u64 value;
};

/* ---- Scheduling ------------------------------------------------------------ */

#define HVX_SCHEDOP_yield		0
#define HVX_SCHEDOP_block		1
#define HVX_SCHEDOP_shutdown		2

struct hvx_sched_shutdown {
	__u32 reason;		/* SHUTDOWN_*, hvctl.h HVCTL_SHUTDOWN_* */
};

/* ---- Console ring ------------------------------------------------------------ */

typedef __u32 hvx_xencons_ring_idx;
#define HVX_XENCONS_IN_SIZE	1024
#define HVX_XENCONS_OUT_SIZE	2048
#define HVX_MASK_XENCONS_IDX(idx, size) ((idx) & ((size) - 1))

struct hvx_xencons_interface {
	char in[HVX_XENCONS_IN_SIZE];	/* to the guest */
	char out[HVX_XENCONS_OUT_SIZE];	/* from the guest */
	hvx_xencons_ring_idx in_cons, in_prod;
	hvx_xencons_ring_idx out_cons, out_prod;
};

/* ---- xenstore: wire protocol and ring ------------------------------------ */

enum hvx_xsd_sockmsg_type {
	HVX_XS_CONTROL = 0,		/* also XS_DEBUG */
	HVX_XS_DIRECTORY = 1,
	HVX_XS_READ = 2,
	HVX_XS_GET_PERMS = 3,
	HVX_XS_WATCH = 4,
	HVX_XS_UNWATCH = 5,
	HVX_XS_TRANSACTION_START = 6,
	HVX_XS_TRANSACTION_END = 7,
	HVX_XS_INTRODUCE = 8,
	HVX_XS_RELEASE = 9,
	HVX_XS_GET_DOMAIN_PATH = 10,
	HVX_XS_WRITE = 11,
	HVX_XS_MKDIR = 12,
	HVX_XS_RM = 13,
	HVX_XS_SET_PERMS = 14,
	HVX_XS_WATCH_EVENT = 15,
	HVX_XS_ERROR = 16,
	HVX_XS_IS_DOMAIN_INTRODUCED = 17,
	HVX_XS_RESUME = 18,
	HVX_XS_SET_TARGET = 19,
	HVX_XS_RESET_WATCHES = 21,	/* 20 was XS_RESTRICT */
	HVX_XS_DIRECTORY_PART = 22,
	HVX_XS_TYPE_COUNT,
	HVX_XS_INVALID = 0xffff,
};

struct hvx_xsd_sockmsg {
	__u32 type;
	__u32 req_id;	/* echoed in the reply */
	__u32 tx_id;	/* 0 outside a transaction */
	__u32 len;	/* payload bytes that follow */
};

#define HVX_XENSTORE_PAYLOAD_MAX	4096

/*
 * The store's error strings, in Xen's order (xsd_errors): an XS_ERROR
 * reply carries one of these names, NUL-terminated. X(name) once each, for
 * tables of errno values and names (errno.h must be included).
 */
#define HVX_XS_ERRORS(X) \
	X(EINVAL) X(EACCES) X(EEXIST) X(EISDIR) X(ENOENT) X(ENOMEM) \
	X(ENOSPC) X(EIO) X(ENOTEMPTY) X(ENOSYS) X(EROFS) X(EBUSY) \
	X(EAGAIN) X(EISCONN) X(E2BIG) X(EPERM)
#define HVX_XENSTORE_ABS_PATH_MAX	3072
#define HVX_XENSTORE_REL_PATH_MAX	2048

typedef __u32 hvx_xenstore_ring_idx;
#define HVX_XENSTORE_RING_SIZE		1024
#define HVX_MASK_XENSTORE_IDX(idx)	((idx) & (HVX_XENSTORE_RING_SIZE - 1))

struct hvx_xenstore_domain_interface {
	char req[HVX_XENSTORE_RING_SIZE];	/* guest -> xenstored */
	char rsp[HVX_XENSTORE_RING_SIZE];	/* xenstored -> guest */
	hvx_xenstore_ring_idx req_cons, req_prod;
	hvx_xenstore_ring_idx rsp_cons, rsp_prod;
	__u32 server_features;
	__u32 connection;
	__u32 error;
};

#define HVX_XENSTORE_SERVER_FEATURE_RECONNECTION 1
#define HVX_XENSTORE_CONNECTED		0
#define HVX_XENSTORE_RECONNECT		1

/* ---- xenbus states ---------------------------------------------------------- */

enum hvx_xenbus_state {
	HVX_XenbusStateUnknown = 0,
	HVX_XenbusStateInitialising = 1,
	HVX_XenbusStateInitWait = 2,
	HVX_XenbusStateInitialised = 3,
	HVX_XenbusStateConnected = 4,
	HVX_XenbusStateClosing = 5,
	HVX_XenbusStateClosed = 6,
	HVX_XenbusStateReconfiguring = 7,
	HVX_XenbusStateReconfigured = 8,
};

/* ---- Layout checks ------------------------------------------------------------ */

#ifdef __KERNEL__
#include <linux/build_bug.h>
#define HVX_ABI_ASSERT(e) static_assert(e, #e)
#else
#define HVX_ABI_ASSERT(e) _Static_assert(e, #e)
#endif

HVX_ABI_ASSERT(sizeof(struct hvx_vcpu_info) == 64);
HVX_ABI_ASSERT(__builtin_offsetof(struct hvx_shared_info, evtchn_pending) == 2048);
HVX_ABI_ASSERT(__builtin_offsetof(struct hvx_shared_info, evtchn_mask) == 2560);
HVX_ABI_ASSERT(sizeof(struct hvx_shared_info) <= HVX_PAGE_SIZE);
HVX_ABI_ASSERT(sizeof(struct hvx_grant_entry_v1) == 8);
HVX_ABI_ASSERT(sizeof(struct hvx_gnttab_map_grant_ref) == 32);
HVX_ABI_ASSERT(sizeof(struct hvx_gnttab_unmap_grant_ref) == 24);
HVX_ABI_ASSERT(sizeof(struct hvx_gnttab_copy) == 40);
HVX_ABI_ASSERT(sizeof(struct hvx_evtchn_status) == 24);
HVX_ABI_ASSERT(sizeof(struct hvx_xencons_interface) == 3088);
HVX_ABI_ASSERT(sizeof(struct hvx_xsd_sockmsg) == 16);
HVX_ABI_ASSERT(__builtin_offsetof(struct hvx_xenstore_domain_interface, req_cons) == 2048);

#endif /* XEN_HVX_XEN_ABI_H */
