// SPDX-License-Identifier: GPL-2.0-only
/* vmmsock.c: talk to a domain's VMM over its socket in HV_RUN_DIR. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/runtime.h"
#include "tools/tools.h"

int vmmsock_connect(const char *name, const char *command)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	size_t len = strlen(command);
	int fd;

	snprintf(addr.sun_path, sizeof(addr.sun_path), HV_RUN_DIR "/%s.sock", name);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		fprintf(stderr, "hv: domain '%s': cannot reach its VMM at %s: %s\n",
			name, addr.sun_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (send(fd, command, len, MSG_NOSIGNAL) != (ssize_t)len ||
	    send(fd, "\n", 1, MSG_NOSIGNAL) != 1) {
		fprintf(stderr, "hv: domain '%s': %s\n", name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int vmmsock_reply(int fd, char *buf, size_t len)
{
	size_t n = 0;

	while (n + 1 < len) {
		ssize_t r = recv(fd, buf + n, 1, 0);

		if (r <= 0)
			break;
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	return n ? 0 : -1;
}
