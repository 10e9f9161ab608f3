/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/* hvctl.h: the ABI of /dev/hvctl, hv.ko's control device (VMM and toolstack). */
#ifndef XEN_HVCTL_H
#define XEN_HVCTL_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/ioctl.h>
#else
#include <linux/types.h>
#include <sys/ioctl.h>
#endif

#define HVCTL_DEVICE_NAME	"hvctl"		/* /dev/hvctl, misc device */
#define HVCTL_ABI_VERSION	2

#define HVCTL_NAME_MAX		64		/* bytes, NUL included */
#define HVCTL_DOMID_FIRST	1		/* domid 0 is dom0, never registered */
#define HVCTL_DOMID_LAST	0x7fef		/* DOMID_FIRST_RESERVED - 1, as Xen */
#define HVCTL_VCPUS_MAX		64
#define HVCTL_MEMORY_MIN_KIB	(16 * 1024)

/*
 * Guest RAM layout, shared by the VMM and hv.ko: memfd offset X holds guest
 * physical address X below HVCTL_RAM_HOLE_START; RAM beyond that continues
 * at HVCTL_RAM_HIGH_START (the PCI hole lies between).
 */
#define HVCTL_RAM_HOLE_START	0xc0000000ULL
#define HVCTL_RAM_HIGH_START	0x100000000ULL

/*
 * Domain life cycle. A VMM opens /dev/hvctl and registers exactly one domain
 * on that file with HVCTL_DOMAIN_CREATE; the domain lives as long as that
 * open file. Closing it (exit, crash or SIGKILL of the VMM) tears the domain
 * down. HVCTL_DOMAIN_DESTROY, from any opener, marks the domain dying and
 * kills its VMM; the entry disappears when the VMM's file is released.
 */
enum hvctl_domain_state {
	HVCTL_STATE_BUILDING = 0,	/* registered, vCPUs not started yet */
	HVCTL_STATE_RUNNING = 1,
	HVCTL_STATE_PAUSED = 2,
	HVCTL_STATE_SHUTDOWN = 3,	/* guest shut down, kept (preserve) */
	HVCTL_STATE_CRASHED = 4,	/* guest crashed, kept (preserve) */
	HVCTL_STATE_DYING = 5,		/* destroy requested, VMM going away */
	HVCTL_STATE_COUNT
};

/* Shutdown reasons: Xen's SHUTDOWN_* values (sched.h). */
#define HVCTL_SHUTDOWN_POWEROFF	0
#define HVCTL_SHUTDOWN_REBOOT	1
#define HVCTL_SHUTDOWN_SUSPEND	2
#define HVCTL_SHUTDOWN_CRASH	3
#define HVCTL_SHUTDOWN_WATCHDOG	4
#define HVCTL_SHUTDOWN_NONE	0xffffffffu

struct hvctl_domain_create {
	char name[HVCTL_NAME_MAX];	/* in: [A-Za-z0-9_.-]+, unique */
	__u64 memory_kib;		/* in: RAM the guest boots with */
	__u64 maxmem_kib;		/* in: ceiling, >= memory_kib */
	__s32 memfd;			/* in: memfd of guest RAM, >= memory */
	__u32 vcpus;			/* in: 1..HVCTL_VCPUS_MAX */
	__u32 flags;			/* in: must be 0 */
	__u32 domid;			/* out */
};

struct hvctl_domain_set_state {
	__u32 state;			/* enum hvctl_domain_state, not DYING */
	__u32 reason;			/* HVCTL_SHUTDOWN_* or _NONE */
};

struct hvctl_domain_info {
	__u32 domid;
	__u32 state;
	__u32 shutdown_reason;
	__u32 vcpus;
	__u64 memory_kib;
	__u64 maxmem_kib;
	__s32 vmm_pid;			/* in the opener's pid namespace */
	__u32 pad;
	__u64 created_ns;		/* CLOCK_REALTIME at registration */
	char name[HVCTL_NAME_MAX];
};

struct hvctl_domain_list {
	__u32 nr_entries;	/* in: capacity of entries; out: domains copied */
	__u32 nr_domains;	/* out: domains that exist */
	__u64 entries;		/* in: user pointer to hvctl_domain_info[] */
};

struct hvctl_info {
	__u32 abi_version;
	__u32 nr_domains;
	__u32 max_domains;
	__u32 pad;
	__u64 host_memory_kib;	/* totalram */
	char version[32];	/* module version string */
	/* Live counters, for tests and `hv info`: zero when nothing runs. */
	__u64 nr_evtchn_ports;	/* ports not closed, all domains, dom0 too */
	__u64 nr_grant_maps;	/* grant mappings held by dom0 */
	__u64 nr_pinned_pages;	/* guest pages hv.ko holds a reference on */
	__u64 nr_foreign_maps;	/* pages mapped into dom0 userspace */
};

/* A domU hypercall, forwarded by its VMM (see platform.h). */
struct hvctl_hypercall {
	__u32 vcpu;		/* in: the calling vCPU */
	__u32 pad;
	__u64 block_gfn;	/* in: frame of the hypercall block */
	__s64 result;		/* out: also written into the block */
};

/* The eventfd behind an upcall MSI-X vector (KVM irqfd) of one vCPU. */
struct hvctl_upcall {
	__u32 vcpu;
	__s32 eventfd;		/* -1 detaches */
};

/* HVM parameters of this file's domain (what HVMOP_get_param returns). */
struct hvctl_param {
	__u32 domid;		/* GET_PARAM: any domain; SET_PARAM: ignored */
	__u32 index;		/* HVX_HVM_PARAM_* */
	__u64 value;
};

/* An unbound event-channel port of this file's domain for remote_domid. */
struct hvctl_evtchn_alloc {
	__u32 remote_domid;	/* in */
	__u32 port;		/* out */
};

/* Select guest frames to map with mmap() on this same file. */
struct hvctl_foreign_map {
	__u32 domid;		/* in: a domU */
	__u32 nr_frames;	/* in: 1..HVCTL_FOREIGN_MAX_FRAMES */
	__u64 gfn;		/* in: first guest frame */
};
#define HVCTL_FOREIGN_MAX_FRAMES 16

/*
 * PCI passthrough (0x40-0x4f): a device pciback holds, given to this
 * file's domain for DMA. ASSIGN attaches it to the domain's IOMMU domain,
 * which maps every guest-physical RAM frame to the memfd's page (pinned
 * while any device is assigned), so the device's DMA sees exactly the
 * guest's memory. -EBUSY if pciback does not hold it or another domain
 * has it, -ENODEV without the device, -EPERM without an IOMMU unless
 * HVCTL_PCI_NO_IOMMU is set (then nothing is mapped and the device's DMA
 * reaches host-physical addresses: a trusted domain only).
 */
struct hvctl_pci_assign {
	__u32 segment;
	__u32 bus;
	__u32 devfn;
	__u32 flags;		/* HVCTL_PCI_* */
};
#define HVCTL_PCI_NO_IOMMU	0x1

#define HVCTL_IOC_MAGIC		'X'
/*
 * Register this file's domain. -EBUSY if the file already has one,
 * -EEXIST for a name in use, -EINVAL for bad fields, -ENOMEM for memory
 * beyond what the host has, -EBADF/-EINVAL for a memfd that is not shmem.
 */
#define HVCTL_DOMAIN_CREATE	_IOWR(HVCTL_IOC_MAGIC, 0x01, struct hvctl_domain_create)
/* Update the state of this file's domain; -ENOENT without one. */
#define HVCTL_DOMAIN_SET_STATE	_IOW(HVCTL_IOC_MAGIC, 0x02, struct hvctl_domain_set_state)
/* Snapshot of all domains, ordered by domid. */
#define HVCTL_DOMAIN_LIST	_IOWR(HVCTL_IOC_MAGIC, 0x03, struct hvctl_domain_list)
/* Destroy domain by domid (arg: pointer to __u32); -ESRCH if none. */
#define HVCTL_DOMAIN_DESTROY	_IOW(HVCTL_IOC_MAGIC, 0x04, __u32)
#define HVCTL_INFO		_IOR(HVCTL_IOC_MAGIC, 0x05, struct hvctl_info)

/*
 * Event channels, grants and memory (issue: core services).
 * HYPERCALL, SET_DOORBELL, SET_UPCALL, SET_PARAM and EVTCHN_ALLOC act on
 * this file's domain (-ENOENT without one). HYPERCALL returns 0 when the
 * hypercall was carried out (its own result is in .result), -EFAULT when
 * the block frame is outside guest RAM.
 */
#define HVCTL_HYPERCALL		_IOWR(HVCTL_IOC_MAGIC, 0x10, struct hvctl_hypercall)
/* arg: the eventfd of the DOORBELL ioeventfd (int); hv.ko polls it. */
#define HVCTL_SET_DOORBELL	_IOW(HVCTL_IOC_MAGIC, 0x11, __s32)
#define HVCTL_SET_UPCALL	_IOW(HVCTL_IOC_MAGIC, 0x12, struct hvctl_upcall)
#define HVCTL_SET_PARAM		_IOW(HVCTL_IOC_MAGIC, 0x13, struct hvctl_param)
/* Any opener with CAP_SYS_ADMIN: a domain's parameter, by domid. */
#define HVCTL_GET_PARAM		_IOWR(HVCTL_IOC_MAGIC, 0x14, struct hvctl_param)
#define HVCTL_EVTCHN_ALLOC	_IOWR(HVCTL_IOC_MAGIC, 0x15, struct hvctl_evtchn_alloc)
/*
 * Foreign mapping for dom0 userspace (xenstored, tests): choose frames,
 * then mmap(NULL, nr_frames * 4096, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0).
 * Only on a file without a domain, with CAP_SYS_ADMIN. The mapping holds
 * the pages, not the domain: a dead domain's pages stay readable until
 * munmap and are then freed.
 */
#define HVCTL_FOREIGN_MAP	_IOW(HVCTL_IOC_MAGIC, 0x16, struct hvctl_foreign_map)

#define HVCTL_PCI_ASSIGN	_IOW(HVCTL_IOC_MAGIC, 0x40, struct hvctl_pci_assign)
/* Detach it again (also done when the domain goes); -ENOENT if not assigned. */
#define HVCTL_PCI_DEASSIGN	_IOW(HVCTL_IOC_MAGIC, 0x41, struct hvctl_pci_assign)
/*
 * Memory of a domU (ballooning, docs/balloon.md), by domid, for any opener
 * with CAP_SYS_ADMIN. The target itself lives in the store
 * (memory/target); hv.ko keeps what the domain holds and its ceiling.
 * MEM_GET fills the out fields; MEM_SET_MAX sets the ceiling to max_kib
 * (-EINVAL below HVCTL_MEMORY_MIN_KIB or above ram_kib, the RAM layout the
 * domain was built with) and fills them too. -ESRCH for no such domU.
 */
struct hvctl_mem {
	__u32 domid;		/* in: a domU */
	__u32 pad;		/* in: 0 */
	__u64 max_kib;		/* in (SET_MAX); out: the ceiling for populate */
	__u64 current_kib;	/* out: what the domain holds now */
	__u64 ram_kib;		/* out: its RAM layout (maxmem at creation) */
};
#define HVCTL_MEM_GET		_IOWR(HVCTL_IOC_MAGIC, 0x30, struct hvctl_mem)
#define HVCTL_MEM_SET_MAX	_IOWR(HVCTL_IOC_MAGIC, 0x31, struct hvctl_mem)

#endif /* XEN_HVCTL_H */
