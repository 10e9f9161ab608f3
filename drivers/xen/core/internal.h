/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * internal.h: seams inside hvx_core.ko between its parts: the transport and
 * event/grant layer (main.c, transport.c, hypercall.c, events.c, grant.c,
 * evtchn_dev.c, platform_pci.c) and the xenbus layer (xenbus_*.c).
 */
#ifndef HVX_CORE_INTERNAL_H
#define HVX_CORE_INTERNAL_H

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

#endif /* HVX_CORE_INTERNAL_H */
