// SPDX-License-Identifier: GPL-2.0-only
/* rings.c: the store rings. dom0's kernel ring comes from xenfs
 * (/proc/xen/xsd_kva, xsd_port); a domU's is mapped through /dev/hvctl at
 * INTRODUCE. Every ring's port is bound on one /dev/xen/evtchn file, which
 * also carries VIRQ_DOM_EXC, the signal that some domain died. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xen/hvx/evtchn-dev.h"
#include "xen/hvx/hvctl.h"
#include "xenstored/io.h"

#define NO_PORT 0xffffffffu

static struct xsd_io *io_of(struct xsd *d)
{
	return d->io;
}

static int bind_interdomain(struct xsd_io *io, unsigned int domid, unsigned int port,
			    uint32_t *local)
{
	struct hvx_ioctl_evtchn_bind_interdomain b = { .remote_domain = domid,
						       .remote_port = port };
	int ret;

	if (io->evtchn_fd < 0)
		return ENODEV;
	ret = ioctl(io->evtchn_fd, HVX_IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);
	if (ret < 0)
		return errno;
	*local = (uint32_t)ret;
	return 0;
}

static void unbind(struct xsd_io *io, uint32_t port)
{
	struct hvx_ioctl_evtchn_port p = { .port = port };

	if (io->evtchn_fd >= 0 && port != NO_PORT)
		ioctl(io->evtchn_fd, HVX_IOCTL_EVTCHN_UNBIND, &p);
}

static void notify(struct xsd_io *io, uint32_t port)
{
	struct hvx_ioctl_evtchn_port p = { .port = port };

	if (io->evtchn_fd >= 0)
		ioctl(io->evtchn_fd, HVX_IOCTL_EVTCHN_NOTIFY, &p);
}

static void ring_link(struct xsd_io *io, struct xsd_ring *r)
{
	r->next = io->rings;
	io->rings = r;
}

static void ring_unlink(struct xsd_io *io, struct xsd_ring *r)
{
	struct xsd_ring **pp;

	for (pp = &io->rings; *pp; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			return;
		}
	}
}

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* Say why dom0's kernel ring is not served, once. */
#define KLOG(io, ...)						\
	do {							\
		if (!(io)->kernel_quiet)			\
			xsd_log_msg(__VA_ARGS__);		\
		(io)->kernel_quiet = true;			\
	} while (0)

/* dom0's own kernel ring, served as domid 0 (privileged). xenfs may be
 * mounted after we start: this runs again every second until it works,
 * saying why it did not only the first time. */
static void kernel_ring_init(struct xsd *d)
{
	struct xsd_io *io = io_of(d);
	struct xsd_ring *r;
	char buf[32], *end;
	unsigned long port;
	void *map;
	int fd, err;

	fd = open(XSD_KVA_FILE, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		KLOG(io, "no %s (%s): serving the socket only, not dom0's kernel",
			    XSD_KVA_FILE, strerror(errno));
		return;
	}
	map = mmap(NULL, HVX_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		KLOG(io, "cannot map %s: %s", XSD_KVA_FILE, strerror(errno));
		return;
	}
	errno = 0;
	if (read_file(XSD_PORT_FILE, buf, sizeof(buf)) ||
	    (port = strtoul(buf, &end, 10), errno || end == buf || port > UINT32_MAX)) {
		KLOG(io, "cannot read a port from %s", XSD_PORT_FILE);
		munmap(map, HVX_PAGE_SIZE);
		return;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		munmap(map, HVX_PAGE_SIZE);
		io->kernel_quiet = true;
		return;
	}
	err = bind_interdomain(io, 0, (unsigned int)port, &r->local_port);
	if (err) {
		KLOG(io, "cannot bind dom0's store port %lu: %s", port, strerror(err));
		munmap(map, HVX_PAGE_SIZE);
		free(r);
		return;
	}
	r->intf = map;
	r->domid = 0;
	r->conn = xs_conn_new(d, 0, true);
	if (!r->conn) {
		unbind(io, r->local_port);
		munmap(map, HVX_PAGE_SIZE);
		free(r);
		io->kernel_quiet = true;
		return;
	}
	r->intf->server_features = 0;
	ring_link(io, r);
	/* The kernel may have written before we came: look now. */
	notify(io, r->local_port);
	io->kernel_ring = true;
	xsd_log_msg("serving dom0's kernel ring (port %lu, local %u)", port, r->local_port);
}

void xsd_rings_kernel_retry(struct xsd *d)
{
	struct xsd_io *io = io_of(d);

	if (!io->kernel_ring && io->evtchn_fd >= 0)
		kernel_ring_init(d);
}

static int ring_attach(struct xsd *d, struct xs_domain *dom)
{
	struct hvctl_foreign_map fm = { .domid = dom->domid, .nr_frames = 1, .gfn = dom->gfn };
	struct xsd_io *io = io_of(d);
	struct xsd_ring *r;
	void *map;
	int fd, err;

	fd = open(XSD_HVCTL_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? ENOSYS : EACCES;
	if (ioctl(fd, HVCTL_FOREIGN_MAP, &fm)) {
		err = errno;
		close(fd);
		return err == ESRCH ? ENOENT : EINVAL;
	}
	map = mmap(NULL, HVX_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	err = errno;
	close(fd);
	if (map == MAP_FAILED)
		return err == ENOMEM ? ENOMEM : EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r) {
		munmap(map, HVX_PAGE_SIZE);
		return ENOMEM;
	}
	err = bind_interdomain(io, dom->domid, dom->port, &r->local_port);
	if (err) {
		xsd_log_msg("dom%u: cannot bind port %u: %s", dom->domid, dom->port,
			    strerror(err));
		munmap(map, HVX_PAGE_SIZE);
		free(r);
		return err == ENODEV ? ENOSYS : EINVAL;
	}
	r->intf = map;
	r->domid = dom->domid;
	r->conn = xs_conn_new(d, dom->domid, false);
	if (!r->conn) {
		unbind(io, r->local_port);
		munmap(map, HVX_PAGE_SIZE);
		free(r);
		return ENOMEM;
	}
	dom->conn = r->conn;
	dom->transport = r;
	ring_link(io, r);
	notify(io, r->local_port);
	return 0;
}

static void ring_free(struct xsd_io *io, struct xsd_ring *r)
{
	ring_unlink(io, r);
	unbind(io, r->local_port);
	munmap(r->intf, HVX_PAGE_SIZE);
	free(r);
}

/* domain.c frees the connection after this. */
static void ring_detach(struct xsd *d, struct xs_domain *dom)
{
	struct xsd_ring *r = dom->transport;

	if (!r)
		return;
	if (r->broken)
		dom->conn = NULL;	/* already freed when it broke */
	ring_free(io_of(d), r);
	dom->transport = NULL;
}

const struct xsd_ring_ops xsd_rings_ops = {
	.attach = ring_attach,
	.detach = ring_detach,
};

int xsd_rings_init(struct xsd *d)
{
	struct hvx_ioctl_evtchn_bind_virq v = { .virq = HVX_VIRQ_DOM_EXC };
	struct xsd_io *io = io_of(d);
	int ret;

	io->virq_port = NO_PORT;
	io->hvctl_fd = open(XSD_HVCTL_DEVICE, O_RDWR | O_CLOEXEC);
	io->evtchn_fd = open(XSD_EVTCHN_DEVICE, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (io->evtchn_fd < 0) {
		xsd_log_msg("no %s (%s): no store rings, socket only", XSD_EVTCHN_DEVICE,
			    strerror(errno));
		return 0;
	}
	ret = ioctl(io->evtchn_fd, HVX_IOCTL_EVTCHN_BIND_VIRQ, &v);
	if (ret < 0)
		xsd_log_msg("cannot bind VIRQ_DOM_EXC (%s): polling for dead domains",
			    strerror(errno));
	else
		io->virq_port = (uint32_t)ret;
	kernel_ring_init(d);
	return 0;
}

void xsd_rings_fini(struct xsd *d)
{
	struct xsd_io *io = io_of(d);

	while (d->domains)
		xs_domain_release(d, d->domains->domid);
	while (io->rings) {
		struct xsd_ring *r = io->rings;

		if (!r->broken)
			xs_conn_free(r->conn);
		ring_free(io, r);
	}
	unbind(io, io->virq_port);
	if (io->evtchn_fd >= 0)
		close(io->evtchn_fd);
	if (io->hvctl_fd >= 0)
		close(io->hvctl_fd);
}

static bool domain_alive(void *ctx, unsigned int domid)
{
	static struct hvctl_domain_info all[1024];
	struct xsd_io *io = ctx;
	struct hvctl_domain_list l = { .nr_entries = 1024, .entries = (uintptr_t)all };
	unsigned int i;

	if (io->hvctl_fd < 0 || ioctl(io->hvctl_fd, HVCTL_DOMAIN_LIST, &l))
		return true;	/* cannot tell: keep it */
	for (i = 0; i < l.nr_entries && i < 1024; i++)
		if (all[i].domid == domid)
			return all[i].state != HVCTL_STATE_DYING;
	return false;
}

void xsd_rings_reap(struct xsd *d)
{
	if (d->domains)
		xs_domain_reap(d, domain_alive, io_of(d));
}

void xsd_rings_events(struct xsd *d)
{
	struct xsd_io *io = io_of(d);
	uint32_t ports[64];
	ssize_t n;

	if (io->evtchn_fd < 0)
		return;
	while ((n = read(io->evtchn_fd, ports, sizeof(ports))) > 0) {
		size_t i, count = (size_t)n / sizeof(ports[0]);

		for (i = 0; i < count; i++)
			if (ports[i] == io->virq_port)
				xsd_rings_reap(d);
		/* Unmask: later events come through again. */
		if (write(io->evtchn_fd, ports, count * sizeof(ports[0])) < 0)
			xsd_log_msg("cannot unmask ports: %s", strerror(errno));
	}
}

static void ring_broken(struct xsd *d, struct xsd_ring *r)
{
	struct xs_domain *dom = r->domid ? xs_domain_find(d, r->domid) : NULL;

	xsd_log_msg("dom%u: impossible ring indices, dropping its connection", r->domid);
	r->broken = true;
	if (dom)
		dom->conn = NULL;
	xs_conn_free(r->conn);
	r->conn = NULL;
}

/* Move what can move on ring R; true if it moved anything. */
static bool ring_service(struct xsd *d, struct xsd_ring *r)
{
	char buf[HVX_XENSTORE_RING_SIZE];
	bool moved = false;

	for (;;) {
		const void *out;
		size_t want = xs_conn_want(r->conn), n;
		int got, put;

		if (want > sizeof(buf))
			want = sizeof(buf);
		got = want ? xs_ring_read(r->intf, buf, want) : 0;
		if (got < 0)
			goto broken;
		if (got && xs_conn_input(r->conn, buf, (size_t)got))
			goto broken;
		put = 0;
		n = xs_conn_out_peek(r->conn, &out);
		if (n) {
			put = xs_ring_write(r->intf, out, n);
			if (put < 0)
				goto broken;
			xs_conn_out_done(r->conn, (size_t)put);
		}
		if (!got && !put)
			return moved;
		moved = true;
	}
broken:
	ring_broken(d, r);
	return moved;
}

void xsd_rings_service(struct xsd *d)
{
	struct xsd_io *io = io_of(d);
	struct xsd_ring *r;

	/* A dead domain's ring is released before we touch its page again. */
	xsd_rings_reap(d);

restart:
	for (r = io->rings; r; r = r->next) {
		unsigned int epoch = d->conns_epoch;

		if (r->broken)
			continue;
		if (ring_service(d, r))
			notify(io, r->local_port);
		/* A connection went (a RELEASE from dom0's ring, or this one
		 * broke): the list may have changed under us. */
		if (epoch != d->conns_epoch)
			goto restart;
	}
}
