/* SPDX-License-Identifier: GPL-2.0-only */
/* io.h: xenstored's I/O side: the unix socket, the store rings, the event
 * loop and the log. Everything here talks to the kernel; xsd.h does not. */
#ifndef HV_XENSTORED_IO_H
#define HV_XENSTORED_IO_H

#include <stdbool.h>
#include <stdint.h>

#include "xenstored/xsd.h"

#define XSD_DEFAULT_SOCKET	"/run/xenstored/socket"
#define XSD_DEFAULT_PIDFILE	"/run/xenstored.pid"
#define XSD_EVTCHN_DEVICE	"/dev/xen/evtchn"
#define XSD_HVCTL_DEVICE	"/dev/hvctl"
#define XSD_KVA_FILE		"/proc/xen/xsd_kva"
#define XSD_PORT_FILE		"/proc/xen/xsd_port"
#define XSD_SOCKET_CONNS_MAX	1000	/* below the poll set's 1024 */

struct xsd_opts {
	const char *socket;
	const char *pid_file;	/* NULL: none */
	const char *log_file;	/* NULL: stderr */
	bool foreground;
	int ready_fd;		/* written "OK\n" once serving, or -1 */
};

/* One ring: dom0's kernel ring or a domU's. */
struct xsd_ring {
	struct hvx_xenstore_domain_interface *intf;
	struct xs_conn *conn;
	unsigned int domid;
	uint32_t local_port;
	bool broken;
	struct xsd_ring *next;
};

struct xsd_io {
	int listen_fd;
	int evtchn_fd;		/* -1 without /dev/xen/evtchn */
	int hvctl_fd;		/* -1 without /dev/hvctl */
	uint32_t virq_port;	/* VIRQ_DOM_EXC, or ~0 */
	struct xsd_ring *rings;
	bool kernel_ring;	/* dom0's kernel ring is served */
	bool kernel_quiet;	/* why not has been logged */
	volatile int stop;
};

/* log.c */
int xsd_log_open(const char *path);
void xsd_log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* socket.c */
int xsd_socket_listen(const char *path);
void xsd_socket_accept(struct xsd *d, int listen_fd);
/* Move bytes for a socket connection (REVENTS from poll); false: closed. */
bool xsd_socket_service(struct xs_conn *c, short revents);
bool xsd_is_socket_conn(const struct xs_conn *c);
int xsd_socket_fd(const struct xs_conn *c);
void xsd_socket_close(struct xs_conn *c);

/* rings.c */
extern const struct xsd_ring_ops xsd_rings_ops;
int xsd_rings_init(struct xsd *d);
void xsd_rings_fini(struct xsd *d);
/* Handle pending ports on the event channel device. */
void xsd_rings_events(struct xsd *d);
/* Move bytes on every ring; notify where indices moved. */
void xsd_rings_service(struct xsd *d);
/* Try dom0's kernel ring again if it is not served yet. */
void xsd_rings_kernel_retry(struct xsd *d);
/* Release introduced domains that died. */
void xsd_rings_reap(struct xsd *d);

/* loop.c */
int xsd_serve(const struct xsd_opts *o);

#endif /* HV_XENSTORED_IO_H */
