// SPDX-License-Identifier: GPL-2.0-only
/* loop.c: xenstored's event loop: poll() on the listening socket, the
 * socket connections and the event channel device; after every wake-up
 * each ring is serviced and every pending reply or event flushed. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xenstored/io.h"

#define MAX_POLL	1024
#define REAP_EVERY_MS	1000	/* dead domains (should VIRQ_DOM_EXC be missed),
				 * and dom0's kernel ring until it is served */

static struct xsd_io *the_io;

static void on_signal(int sig)
{
	(void)sig;
	if (the_io)
		the_io->stop = 1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Service socket connections that poll() reported on (or all, REVENTS
 * NULL, to flush what other connections queued for them). */
static void sockets(struct xsd *d, struct pollfd *p, struct xs_conn **who, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct xs_conn *c;
		unsigned int epoch = d->conns_epoch;

		if (!who[i] || !p[i].revents)
			continue;
		c = who[i];
		if (!xsd_socket_service(c, p[i].revents))
			xsd_socket_close(c);
		if (epoch != d->conns_epoch) {
			int j;

			/* Entries may point at freed connections: keep the
			 * ones still linked. */
			for (j = i + 1; j < n; j++) {
				struct xs_conn *k;

				for (k = d->conns; k && k != who[j]; k = k->next)
					;
				who[j] = k;
			}
		}
	}
}

static void flush_sockets(struct xsd *d)
{
	struct xs_conn *c;

restart:
	for (c = d->conns; c; c = c->next) {
		const void *buf;

		if (!xsd_is_socket_conn(c) || !xs_conn_out_peek(c, &buf))
			continue;
		if (!xsd_socket_service(c, 0)) {
			xsd_socket_close(c);
			goto restart;
		}
	}
}

static int write_pid_file(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "%d\n", (int)getpid());
	return fclose(f);
}

int xsd_serve(const struct xsd_opts *o)
{
	static struct pollfd p[MAX_POLL];
	static struct xs_conn *who[MAX_POLL];
	static struct xsd_io io;
	static struct xsd d;
	struct sigaction sa = { .sa_handler = on_signal };
	long long last_reap = now_ms();

	if (xsd_init(&d)) {
		xsd_log_msg("out of memory");
		return 1;
	}
	d.log = xsd_log_msg;
	d.io = &io;
	d.ring_ops = &xsd_rings_ops;
	io.listen_fd = xsd_socket_listen(o->socket);
	if (io.listen_fd < 0)
		return 1;
	the_io = &io;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	xsd_rings_init(&d);
	/* Only now: a second xenstored must not take the first one's file. */
	if (o->pid_file && write_pid_file(o->pid_file))
		xsd_log_msg("cannot write %s: %s", o->pid_file, strerror(errno));
	xsd_log_msg("serving %s", o->socket);
	if (o->ready_fd >= 0) {
		if (write(o->ready_fd, "OK\n", 3) < 0) {
			/* The parent went: nothing to tell. */
		}
		close(o->ready_fd);
	}

	while (!io.stop) {
		struct xs_conn *c;
		int n = 0, i, ready;

		p[n] = (struct pollfd){ .fd = io.listen_fd, .events = POLLIN };
		who[n++] = NULL;
		if (io.evtchn_fd >= 0) {
			p[n] = (struct pollfd){ .fd = io.evtchn_fd, .events = POLLIN };
			who[n++] = NULL;
		}
		for (c = d.conns; c && n < MAX_POLL; c = c->next) {
			const void *buf;
			short ev = 0;

			if (!xsd_is_socket_conn(c))
				continue;
			if (xs_conn_want(c))
				ev |= POLLIN;
			if (xs_conn_out_peek(c, &buf))
				ev |= POLLOUT;
			p[n] = (struct pollfd){ .fd = xsd_socket_fd(c), .events = ev };
			who[n++] = c;
		}
		ready = poll(p, (nfds_t)n,
			     d.domains || (!io.kernel_ring && io.evtchn_fd >= 0) ?
			     REAP_EVERY_MS : -1);
		if (ready < 0 && errno != EINTR) {
			xsd_log_msg("poll: %s", strerror(errno));
			break;
		}
		if (ready > 0) {
			if (p[0].revents & POLLIN)
				xsd_socket_accept(&d, io.listen_fd);
			if (io.evtchn_fd >= 0 && p[1].revents)
				xsd_rings_events(&d);
			sockets(&d, p, who, n);
		}
		if (now_ms() - last_reap >= REAP_EVERY_MS) {
			xsd_rings_reap(&d);
			xsd_rings_kernel_retry(&d);
			last_reap = now_ms();
		}
		for (i = 0; i < 4; i++) {
			/* Rings and sockets feed each other's watch events. */
			xsd_rings_service(&d);
			flush_sockets(&d);
		}
	}
	xsd_log_msg("stopping");
	unlink(o->socket);
	if (o->pid_file)
		unlink(o->pid_file);
	for (;;) {
		struct xs_conn *c;

		for (c = d.conns; c && !xsd_is_socket_conn(c); c = c->next)
			;
		if (!c)
			break;
		xsd_socket_close(c);
	}
	xsd_rings_fini(&d);
	xsd_fini(&d);
	close(io.listen_fd);
	return 0;
}
