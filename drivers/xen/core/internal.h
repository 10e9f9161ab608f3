/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * internal.h: seams inside hvx_core.ko between its parts: the transport and
 * event/grant layer (main.c, transport.c, hypercall.c, events.c, grant.c,
 * evtchn_dev.c, platform_pci.c) and the xenbus layer (xenbus_*.c).
 */
#ifndef HVX_CORE_INTERNAL_H
#define HVX_CORE_INTERNAL_H

#include <linux/device.h>
#include <linux/mutex.h>
#include "../../../include/xen/hvx/xenbus.h"

#define HVX_CORE_PREFIX "hvx_core: "

/*
 * Called by main.c in this order. init at module load (register the buses,
 * nothing else); transport_up once a transport has registered and the
 * shared-info page and grant table are set up (domU: find the store ring
 * through HVM params; dom0: create the kernel's own store ring and port and
 * wait for xenstored); transport_down before the transport goes away;
 * exit at module unload.
 */
int hvx_xenbus_init(void);
void hvx_xenbus_transport_up(void);
void hvx_xenbus_transport_down(void);
void hvx_xenbus_exit(void);

/* transport.c */
const struct hvx_transport_ops *hvx_transport_enter(int *srcu_idx);
void hvx_transport_exit(int srcu_idx);

/* events.c: shared info, the irq_chip, the scan. */
int hvx_events_init(void);
void hvx_events_exit(void);
int hvx_events_transport_up(void);
void hvx_events_transport_down(void);
void hvx_events_scan(unsigned int vcpu);

/* grant.c */
int hvx_grant_transport_up(void);
void hvx_grant_transport_down(void);

/* evtchn_dev.c */
int hvx_evtchn_dev_init(void);
void hvx_evtchn_dev_exit(void);

/* platform_pci.c */
int hvx_platform_init(void);
void hvx_platform_exit(void);

/* ---- xenbus (xenbus_*.c) ---------------------------------------------------- */

/*
 * xenbus_comms.c: the store ring. comms_up maps the ring (domU) or creates
 * it (dom0), binds its port and starts the reader thread, which hands every
 * well-formed message to hvx_xs_msg_received() (@body NUL-terminated, owned
 * by the callee only for the call). write_msg sends one whole message;
 * writers are serialised.
 */
int hvx_xb_comms_up(void);
void hvx_xb_comms_down(void);
int hvx_xb_write_msg(const struct hvx_xsd_sockmsg *hdr, const void *const *parts,
		     const unsigned int *lens, unsigned int nparts);

/* xenbus_xs.c: requests, replies, readiness. */
void hvx_xs_msg_received(const struct hvx_xsd_sockmsg *hdr, const char *body);
void hvx_xs_up(void);
void hvx_xs_stopping(void);
void hvx_xs_down(void);
void hvx_xs_set_ready(void);
bool hvx_xs_is_down(void);
/* One request from parts; reply body kmalloc'ed (NUL-terminated) or ERR_PTR. */
void *hvx_xs_talk(u32 type, u32 tx_id, const void *const *parts,
		  const unsigned int *lens, unsigned int nparts, u32 *reply_len);

/* xenbus_watch.c: watch events and the watch thread. */
int hvx_xs_watch_init(void);
void hvx_xs_watch_exit(void);
void hvx_xs_watch_event(const char *body, unsigned int len);

/*
 * xenbus_bus.c: the two buses and their devices; xenbus_probe_frontend.c
 * and xenbus_probe_backend.c fill one struct each with what differs.
 */
struct hvx_xb_bus {
	struct bus_type bus;
	const char *root;		/* store directory listing the devices */
	unsigned int depth;		/* components naming one device under it */
	const char *alias_prefix;	/* MODALIAS=prefix:devicetype */
	const char *otherend_node;	/* "backend" or "frontend" */
	const char *otherend_id_node;	/* "backend-id" or "frontend-id" */
	bool frontend;
	struct hvx_xenbus_watch watch;	/* on root */
	struct mutex probe_lock;	/* device creation and removal */
	bool registered, watching;
};

extern struct hvx_xb_bus hvx_xb_frontend, hvx_xb_backend;
int hvx_xb_bus_register(struct hvx_xb_bus *bus);
void hvx_xb_bus_unregister(struct hvx_xb_bus *bus);
/* Discovery: enumerate the bus's store root and watch it; and undo that. */
void hvx_xb_bus_start(struct hvx_xb_bus *bus);
void hvx_xb_bus_stop(struct hvx_xb_bus *bus);

/* xenbus_control.c: control/shutdown in a domU. */
void hvx_xb_control_start(void);
void hvx_xb_control_stop(void);

/* selftest.c (CONFIG_HVX_DEBUG): run once when the store first answers. */
#if IS_ENABLED(CONFIG_HVX_DEBUG)
void hvx_selftest_run(void);
void hvx_gnttab_peek(hvx_grant_ref_t ref, u16 *flags, u16 *domid, u32 *frame);
#else
static inline void hvx_selftest_run(void)
{
}
#endif

#endif /* HVX_CORE_INTERNAL_H */
