/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * internal.h: seams inside hvx_core.ko between its parts: the transport and
 * event/grant layer (main.c, transport.c, hypercall.c, events.c, grant.c,
 * evtchn_dev.c, platform_pci.c) and the xenbus layer (xenbus_*.c).
 */
#ifndef HVX_CORE_INTERNAL_H
#define HVX_CORE_INTERNAL_H

#include "../../../include/xen/hvx/core.h"

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

#endif /* HVX_CORE_INTERNAL_H */
