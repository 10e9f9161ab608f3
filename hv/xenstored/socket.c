// SPDX-License-Identifier: GPL-2.0-only
/* socket.c: the unix socket (Xen's /run/xenstored/socket): dom0's tools
 * connect here and are privileged. Non-blocking; a connection is read only
 * as far as it has room for replies. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "xenstored/io.h"

struct xsd_sock {
	int fd;
};

static int mkdir_parent(const char *path)
{
	char dir[PATH_MAX];
	char *p;

	if (strlen(path) >= sizeof(dir))
		return -1;
	strcpy(dir, path);
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(dir, 0755) && errno != EEXIST ? -1 : 0;
}

int xsd_socket_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		xsd_log_msg("socket path %s is too long", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	if (mkdir_parent(path)) {
		xsd_log_msg("cannot create the directory of %s: %s", path, strerror(errno));
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* Someone answering there is another xenstored; silence is a stale
	 * socket left by one that died. */
	if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		xsd_log_msg("another xenstored already serves %s", path);
		close(fd);
		return -1;
	}
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(path, 0600) ||
	    listen(fd, 64) || fcntl(fd, F_SETFL, O_NONBLOCK)) {
		xsd_log_msg("cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

void xsd_socket_accept(struct xsd *d, int listen_fd)
{
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	unsigned int count = 0;
	struct xsd_sock *s;
	struct xs_conn *c;
	int fd;

	fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0) {
		/* Out of descriptors: the listener stays readable; do not spin. */
		if (errno == EMFILE || errno == ENFILE)
			nanosleep(&pause, NULL);
		return;
	}
	for (c = d->conns; c; c = c->next)
		count += xsd_is_socket_conn(c);
	if (count >= XSD_SOCKET_CONNS_MAX) {
		xsd_log_msg("%u socket clients already: refusing one more", count);
		close(fd);
		return;
	}
	s = malloc(sizeof(*s));
	c = s ? xs_conn_new(d, 0, true) : NULL;
	if (!c) {
		free(s);
		close(fd);
		return;
	}
	s->fd = fd;
	c->transport = s;
}

bool xsd_is_socket_conn(const struct xs_conn *c)
{
	return c->transport != NULL;
}

int xsd_socket_fd(const struct xs_conn *c)
{
	return ((const struct xsd_sock *)c->transport)->fd;
}

void xsd_socket_close(struct xs_conn *c)
{
	struct xsd_sock *s = c->transport;

	close(s->fd);
	free(s);
	c->transport = NULL;
	xs_conn_free(c);
}

static bool flush(struct xs_conn *c, int fd)
{
	const void *buf;
	size_t n;

	while ((n = xs_conn_out_peek(c, &buf))) {
		ssize_t w = send(fd, buf, n, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w < 0)
			return errno == EAGAIN || errno == EINTR;
		xs_conn_out_done(c, (size_t)w);
	}
	return true;
}

bool xsd_socket_service(struct xs_conn *c, short revents)
{
	int fd = xsd_socket_fd(c);
	char buf[HVX_XENSTORE_PAYLOAD_MAX + sizeof(struct hvx_xsd_sockmsg)];
	size_t want;

	if (revents & (POLLERR | POLLNVAL))
		return false;
	while ((revents & (POLLIN | POLLHUP)) && (want = xs_conn_want(c))) {
		ssize_t r = recv(fd, buf, want < sizeof(buf) ? want : sizeof(buf), MSG_DONTWAIT);

		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (r <= 0)
			return false;
		if (xs_conn_input(c, buf, (size_t)r))
			return false;
		if (!flush(c, fd))
			return false;
	}
	return flush(c, fd);
}
