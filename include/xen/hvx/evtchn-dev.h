/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * evtchn-dev.h: the ABI of /dev/xen/evtchn, identical to Xen's Linux evtchn
 * device (numbers and structs), so that Xen's userspace works unchanged.
 * read() returns pending ports as 32-bit values, each masked until it is
 * written back with write().
 */
#ifndef XEN_HVX_EVTCHN_DEV_H
#define XEN_HVX_EVTCHN_DEV_H

#include <linux/ioctl.h>
#include <linux/types.h>

struct hvx_ioctl_evtchn_bind_virq {
	unsigned int virq;
};

struct hvx_ioctl_evtchn_bind_interdomain {
	unsigned int remote_domain, remote_port;
};

struct hvx_ioctl_evtchn_bind_unbound_port {
	unsigned int remote_domain;
};

struct hvx_ioctl_evtchn_port {		/* UNBIND and NOTIFY */
	unsigned int port;
};

struct hvx_ioctl_evtchn_restrict_domid {
	__u16 domid;
};

#define HVX_IOCTL_EVTCHN_BIND_VIRQ \
	_IOC(_IOC_NONE, 'E', 0, sizeof(struct hvx_ioctl_evtchn_bind_virq))
#define HVX_IOCTL_EVTCHN_BIND_INTERDOMAIN \
	_IOC(_IOC_NONE, 'E', 1, sizeof(struct hvx_ioctl_evtchn_bind_interdomain))
#define HVX_IOCTL_EVTCHN_BIND_UNBOUND_PORT \
	_IOC(_IOC_NONE, 'E', 2, sizeof(struct hvx_ioctl_evtchn_bind_unbound_port))
#define HVX_IOCTL_EVTCHN_UNBIND \
	_IOC(_IOC_NONE, 'E', 3, sizeof(struct hvx_ioctl_evtchn_port))
#define HVX_IOCTL_EVTCHN_NOTIFY \
	_IOC(_IOC_NONE, 'E', 4, sizeof(struct hvx_ioctl_evtchn_port))
#define HVX_IOCTL_EVTCHN_RESET \
	_IOC(_IOC_NONE, 'E', 5, 0)
#define HVX_IOCTL_EVTCHN_RESTRICT_DOMID \
	_IOC(_IOC_NONE, 'E', 6, sizeof(struct hvx_ioctl_evtchn_restrict_domid))

#endif /* XEN_HVX_EVTCHN_DEV_H */
