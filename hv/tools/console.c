// SPDX-License-Identifier: GPL-2.0-only
/* console.c: hv console: relay a terminal to a domain's serial console. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "common/runtime.h"
#include "tools/tools.h"

#define DRAIN_MS 1000	/* output still shown after stdin ends */

static volatile sig_atomic_t console_stop;

static void console_signal(int sig)
{
	console_stop = sig;
}

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

/*
 * Socket to stdout, stdin to socket, until the VMM closes (the domain is
 * gone), Ctrl-] arrives, or a signal. When stdin ends (a pipe), the output
 * is followed until it has been quiet for DRAIN_MS.
 */
static int relay(int sock)
{
	char buf[4096];
	int stdin_open = 1;

	while (!console_stop) {
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
			return 0;
		if (fds[0].revents) {
			r = recv(sock, buf, sizeof(buf), 0);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				return 0;
			if (write_all(STDOUT_FILENO, buf, (size_t)r))
				return 1;
		}
		if (stdin_open && fds[1].revents) {
			char *esc;

			r = read(STDIN_FILENO, buf, sizeof(buf));
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				stdin_open = 0;
				continue;
			}
			esc = memchr(buf, HV_CONSOLE_ESCAPE, (size_t)r);
			if (esc)
				r = esc - buf;
			if (r && send(sock, buf, (size_t)r, MSG_NOSIGNAL) != r)
				return 0;	/* the VMM went away meanwhile */
			if (esc)
				return 0;
		}
	}
	return 0;
}

int cmd_console(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = console_signal };
	struct hvctl_domain_info d;
	struct termios saved, raw;
	char reply[128];
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
			!strncmp(reply, "ERR ", 4) ? reply + 4 : "no answer from its VMM");
		close(sock);
		return 1;
	}
	/* A closed stdout must not kill us with the terminal still raw. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
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
	return console_stop ? 128 + console_stop : ret;
}
