/* SPDX-License-Identifier: GPL-2.0-only */
/* domain.h: the registry of domains that hv-vmm processes run under KVM. */
#ifndef HV_KERNEL_DOMAIN_H
#define HV_KERNEL_DOMAIN_H

#include <linux/irq_work.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include "../../include/xen/hvx/hvctl.h"
#include "../../include/xen/hvx/xen-abi.h"
#include "../../include/xen/hvx/platform.h"

struct eventfd_ctx;
struct file;
struct page;
struct pid;
struct xhv_port;
struct xhv_passthrough;

/* A guest page hv.ko holds while the guest has it registered. */
struct xhv_pinned {
	struct page *page;
	void *va;
	u64 gfn;
};

/*
 * The DOORBELL ioeventfd of a domU, polled from a wait-queue entry, with a
 * per-window budget of bitmap scans (doorbell.c) so a flooding guest is
 * slowed down rather than allowed to keep dom0 busy.
 */
struct xhv_doorbell {
	struct eventfd_ctx *ctx;
	wait_queue_entry_t wait;
	wait_queue_head_t *wqh;
	poll_table pt;
	struct irq_work work;
	struct timer_list resume;	/* the next window, when throttled */
	unsigned long window_start;	/* jiffies */
	unsigned int window_scans;
	bool stopping;
};

struct xhv_domain {
	struct kref ref;
	u32 domid;
	char name[HVCTL_NAME_MAX];
	u64 memory_kib;
	u64 maxmem_kib;
	u32 vcpus;
	u32 state;		/* enum hvctl_domain_state, under the registry lock */
	u32 shutdown_reason;
	u64 created_ns;
	struct file *ram;	/* the guest-RAM memfd, held until the last ref; NULL for dom0 */
	struct pid *vmm;	/* thread group of the owning VMM */
	bool dead;		/* torn down: services refuse it, refs may remain */

	/* Event channels (evtchn.c), under evtchn_lock. */
	spinlock_t evtchn_lock;
	struct xhv_port *ports;	/* [max_ports + 1], port 0 never used */
	u32 max_ports;
	u32 virq_port[HVX_NR_VIRQS];
	struct xhv_pinned shinfo;	/* shared-info page */
	struct xhv_pinned send;		/* send bitmap page (domU) */
	struct eventfd_ctx *upcall[HVCTL_VCPUS_MAX];
	struct xhv_doorbell doorbell;

	/* Grant table (grant.c), under grant_lock. */
	struct mutex grant_lock;
	struct xhv_pinned *grant_frames;	/* [HVX_GNTTAB_DEFAULT_MAX_FRAMES] */
	u32 nr_grant_frames;
	/*
	 * dom0's mappings of each entry, readers << 16 | writers: one array
	 * per table frame slot, allocated with the slot's first frame and
	 * kept until the domain is freed (mappings outlive the table).
	 */
	u32 **grant_pins;		/* [HVX_GNTTAB_DEFAULT_MAX_FRAMES] */

	u64 params[HVX_HVM_NR_PARAMS];	/* under evtchn_lock */

	/*
	 * Memory reservation (reservation.c). ram_pages is the memfd's
	 * layout, fixed at creation; a set bit in given_back is a frame the
	 * guest returned (punched out of the memfd; hv.ko refuses to reach
	 * it). tot_pages and given_back change under mem_lock, and under
	 * grant_lock as well so grant mapping sees a consistent view;
	 * map_counts (dom0's grant mappings of each memfd page, under
	 * grant_lock; 4 bytes per page, plain adds on the map path) says
	 * which frames may not be given back now.
	 */
	struct mutex mem_lock;
	unsigned long *given_back;
	u64 ram_pages;
	u64 tot_pages;
	u64 max_pages;
	u32 *map_counts;		/* [ram_pages] */
	struct xhv_passthrough *pt;	/* passed-through devices (passthrough.c) */
};

/* Pinning guest frames (guestmem.c). dom0's frames are host page frames. */
int xhv_pin(struct xhv_domain *d, u64 gfn, struct xhv_pinned *pin);
void xhv_unpin(struct xhv_pinned *pin);
struct page *xhv_frame_page(struct xhv_domain *d, u64 gfn);
int xhv_guest_read(struct xhv_domain *d, void *dst, u64 gpa, size_t len);
int xhv_guest_write(struct xhv_domain *d, u64 gpa, const void *src, size_t len);

/* Live counters for HVCTL_INFO. */
extern atomic64_t xhv_nr_ports, xhv_nr_grant_maps, xhv_nr_pinned, xhv_nr_foreign;

/* dom0 (dom0.c): always present while hv.ko is loaded. */
extern struct xhv_domain xhv_dom0;
int xhv_dom0_init(void);
void xhv_dom0_exit(void);

struct xhv_domain *xhv_domain_get_any(u32 domid);
int xhv_domain_create(const struct hvctl_domain_create *req,
		      struct xhv_domain **out);
void xhv_domain_release(struct xhv_domain *d);
struct xhv_domain *xhv_domain_get(u32 domid);
void xhv_domain_put(struct xhv_domain *d);
int xhv_domain_set_state(struct xhv_domain *d, u32 state, u32 reason);
int xhv_domain_destroy(u32 domid);
int xhv_domain_list(struct hvctl_domain_info *out, u32 capacity, u32 *total);
u32 xhv_domain_count(void);
void xhv_domain_exit(void);

#endif /* HV_KERNEL_DOMAIN_H */
