/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * core.h: the kernel API of the guest core module (hvx_core.ko), the same in
 * dom0 and in a domU. Split drivers, xenfs, the hvc console and test modules
 * use only this (plus xenbus.h); hv.ko plugs into it as dom0's transport.
 *
 * Every exported symbol starts with hvx_: distro kernels export Xen's own
 * xenbus_*, gnttab_* and bind_evtchn_* names.
 */
#ifndef XEN_HVX_CORE_H
#define XEN_HVX_CORE_H

#include <linux/interrupt.h>
#include <linux/types.h>
#include "xen-abi.h"

struct page;
struct module;

/* ---- Transports ------------------------------------------------------------ */

/*
 * How the core reaches the hypervisor. In a domU the core's own PCI driver
 * for the platform device provides one; in dom0 hv.ko registers one when it
 * loads. Exactly one transport is active at a time.
 *
 * hypercall: Xen's hypercall op and args. Pointer args are kernel virtual
 *            addresses here; the domU transport copies them into its
 *            hypercall block and translates (platform.h). May sleep.
 * notify:    the data-path send on a local port; any context.
 * The grant_* ops exist only for dom0 (backends); NULL in a domU.
 */
struct hvx_grant_map_op;

struct hvx_transport_ops {
	struct module *owner;
	const char *name;
	bool initial_domain;			/* dom0 */
	long (*hypercall)(unsigned int op, unsigned long a1, unsigned long a2,
			  unsigned long a3);
	void (*notify)(hvx_evtchn_port_t port);
	int (*grant_map)(struct hvx_grant_map_op *ops, unsigned int count);
	int (*grant_unmap)(struct hvx_grant_map_op *ops, unsigned int count);
	int (*grant_copy)(struct hvx_gnttab_copy *ops, unsigned int count);
};

int hvx_register_transport(const struct hvx_transport_ops *ops);
void hvx_unregister_transport(const struct hvx_transport_ops *ops);

/*
 * Upcall entry: a transport calls this when vCPU @vcpu's upcall_pending went
 * from 0 to 1 in the shared-info page the core registered (XENMEM
 * add_to_physmap, shared_info). Any context, including hard irq; the core
 * scans the bitmaps and runs the bound handlers in hard-irq context.
 */
void hvx_upcall(unsigned int vcpu);

/* True once a transport is up; dom0 if it says so. */
bool hvx_hypervisor_present(void);
bool hvx_initial_domain(void);

/* Hypercalls through the active transport (-ENODEV without one). */
long hvx_hypercall(unsigned int op, unsigned long a1, unsigned long a2,
		   unsigned long a3);
int hvx_event_channel_op(int cmd, void *arg);
int hvx_grant_table_op(int cmd, void *arg, unsigned int count);
int hvx_memory_op(int cmd, void *arg);
int hvx_hvm_get_param(unsigned int index, u64 *value);

/* ---- Event channels ----------------------------------------------------------- */

/*
 * Each bound port is a Linux IRQ on the core's irq_chip ("hvx-evtchn"), with
 * the handler's name in /proc/interrupts. Unbinding closes the port unless
 * it was bound with hvx_bind_evtchn_to_irqhandler (the caller owns it).
 */
int hvx_evtchn_alloc_unbound(hvx_domid_t remote, hvx_evtchn_port_t *port);
int hvx_evtchn_close(hvx_evtchn_port_t port);
int hvx_bind_evtchn_to_irqhandler(hvx_evtchn_port_t port,
				  irq_handler_t handler, unsigned long flags,
				  const char *name, void *dev_id);
int hvx_bind_interdomain_evtchn_to_irqhandler(hvx_domid_t remote,
					      hvx_evtchn_port_t remote_port,
					      irq_handler_t handler,
					      unsigned long flags,
					      const char *name, void *dev_id);
int hvx_bind_virq_to_irqhandler(unsigned int virq, unsigned int cpu,
				irq_handler_t handler, unsigned long flags,
				const char *name, void *dev_id);
void hvx_unbind_from_irqhandler(unsigned int irq, void *dev_id);
hvx_evtchn_port_t hvx_evtchn_from_irq(unsigned int irq);
void hvx_notify_remote_via_evtchn(hvx_evtchn_port_t port);
void hvx_notify_remote_via_irq(unsigned int irq);

/* ---- Grant tables: the granting side (frontends) ---------------------------- */

/*
 * Returns a grant ref (>= 0) or -errno. @gfn: see hvx_page_to_gfn(). May
 * sleep (the table grows on demand). The calls that end a grant may be
 * made from any context, an event handler included.
 */
int hvx_gnttab_grant_foreign_access(hvx_domid_t domid, unsigned long gfn,
				    bool readonly);
/* 0 once the entry is invalid; -EBUSY while the peer still maps it. */
int hvx_gnttab_end_foreign_access_ref(hvx_grant_ref_t ref);
/*
 * End access and free @page (may be NULL) once the peer has let go; if it
 * still maps the page, the core retries later and never reuses the ref or
 * frees the page while it is mapped.
 */
void hvx_gnttab_end_foreign_access(hvx_grant_ref_t ref, struct page *page);
/*
 * End @count grants under one hold of the table's lock (a request's pages
 * at once); any the peer still maps are ended later, as
 * hvx_gnttab_end_foreign_access(ref, NULL) does.
 */
void hvx_gnttab_end_foreign_access_refs(const hvx_grant_ref_t *refs,
					unsigned int count);
unsigned long hvx_page_to_gfn(struct page *page);
/*
 * Reserved refs, for data paths that must not sleep or take the
 * allocator's lock (a driver's own pool), or that grant many pages at once:
 * reserve @count refs (one hold of the allocator's lock; may sleep, as the
 * table grows; the entries grant nothing yet), then point one at a frame
 * and end it again with one entry write each, from any context. Both fail with
 * -EBUSY while the peer still uses the entry (GTF_reading/GTF_writing),
 * leaving it as it was. A reserved ref goes back with
 * hvx_gnttab_end_foreign_access() like any other.
 */
int hvx_gnttab_reserve(unsigned int count, hvx_grant_ref_t *refs);
int hvx_gnttab_grant_reserved(hvx_grant_ref_t ref, hvx_domid_t domid,
			      unsigned long gfn, bool readonly);
int hvx_gnttab_end_reserved(hvx_grant_ref_t ref);
/* Entries free / in use, for tests and leak checks. */
unsigned int hvx_gnttab_refs_in_use(void);

/* ---- Grant tables: the mapping side (dom0 backends) ------------------------- */

struct hvx_grant_map_op {
	hvx_domid_t domid;		/* in: the granting domain */
	hvx_grant_ref_t ref;		/* in */
	u32 flags;			/* in: HVX_GNTMAP_readonly or 0 */
	s16 status;			/* out: HVX_GNTST_* */
	hvx_grant_handle_t handle;	/* out on map; in on unmap */
	struct page *page;		/* out: the granted page, referenced */
};

/*
 * Map @count grants (zero copy: ->page is the granter's page, held until
 * unmapped). Returns 0 when every op was tried; per-op ->status says which
 * worked. Domain destruction never frees a mapped page under the backend.
 */
int hvx_gnttab_map(struct hvx_grant_map_op *ops, unsigned int count);
int hvx_gnttab_unmap(struct hvx_grant_map_op *ops, unsigned int count);
/* Batched copy with Xen's struct; local frames are hvx_page_to_gfn() values. */
int hvx_gnttab_copy(struct hvx_gnttab_copy *ops, unsigned int count);

#endif /* XEN_HVX_CORE_H */
