// SPDX-License-Identifier: GPL-2.0-only
/* console.c: hv console: relay a terminal to a domain's serial console. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "common/runtime.h"
#include "tools/tools.h"

#define DRAIN_MS 1000	/* output still shown after stdin ends */

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int relay(int sock)
{
	char buf[4096];
	int stdin_open = 1;

	for (;;) {
		struct pollfd fds[2] = {
			{ .fd = sock, .events = POLLIN },
			{ .fd = STDIN_FILENO, .events = POLLIN },
		};
		int n = poll(fds, stdin_open ? 2 : 1, stdin_open ? -1 : DRAIN_MS);
		ssize_t r;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return 1;
		if (n == 0)
			return 0;	/* stdin ended and the output went quiet */
		if (fds[0].revents) {
			r = recv(sock, buf, sizeof(buf), 0);
			if (r <= 0)
				return 0;	/* the domain went away */
			if (write_all(STDOUT_FILENO, buf, (size_t)r))
				return 1;
		}
		if (stdin_open && fds[1].revents) {
			char *esc;

			r = read(STDIN_FILENO, buf, sizeof(buf));
			if (r <= 0) {
				stdin_open = 0;
				continue;
			}
			esc = memchr(buf, HV_CONSOLE_ESCAPE, (size_t)r);
			if (esc)
				r = esc - buf;
			if (r && send(sock, buf, (size_t)r, MSG_NOSIGNAL) != r)
				return 1;
			if (esc)
				return 0;
		}
	}
}

int cmd_console(int argc, char **argv)
{
	struct hvctl_domain_info d;
	struct termios saved, raw;
	char reply[64];
	int sock, tty, ret;

	if (argc != 2)
		die_usage("console");
	if (hvctl_find(argv[1], &d))
		return 1;
	sock = vmmsock_connect(d.name, "console");
	if (sock < 0)
		return 1;
	if (vmmsock_reply(sock, reply, sizeof(reply)) || strcmp(reply, "OK")) {
		fprintf(stderr, "hv: domain '%s': %s\n", d.name,
			!strcmp(reply, "ERR busy") ? "another console is attached" :
			"its VMM refused the console");
		close(sock);
		return 1;
	}
	tty = isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &saved);
	if (tty) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	ret = relay(sock);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
		fputs("\r\n", stdout);
	}
	close(sock);
	return ret;
}
