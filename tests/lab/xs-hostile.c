// SPDX-License-Identifier: GPL-2.0-only
/* xs-hostile: bad messages to xenstored's socket: a payload over 4096
 * bytes (the connection must close), no NUL, an unknown type, an over-long
 * path, another connection's transaction id, a transaction conflict, and a
 * burst of garbage connections. Each must get its error (or the close),
 * and xenstored must keep serving. Prints one line per check; status 1 if
 * any failed. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "xen/hvx/xen-abi.h"

static const char *sock_path;
static int failures;

static int conn(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("xs-hostile: connect");
		exit(1);
	}
	return fd;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Send a message; the reply's type and payload (NUL-terminated) in OUT,
 * or -1 if the connection closed. */
static int req(int fd, uint32_t type, uint32_t tx, const void *payload, uint32_t len,
	       char *out, size_t outlen)
{
	struct hvx_xsd_sockmsg h = { .type = type, .req_id = 7, .tx_id = tx, .len = len };
	char buf[sizeof(h) + HVX_XENSTORE_PAYLOAD_MAX + 16];
	size_t send_len = sizeof(h) + (len <= HVX_XENSTORE_PAYLOAD_MAX + 16 ? len : 0);

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), payload, send_len - sizeof(h));
	if (write(fd, buf, send_len) != (ssize_t)send_len)
		return -1;
	if (read_all(fd, &h, sizeof(h)) || h.len >= outlen || read_all(fd, out, h.len))
		return -1;
	out[h.len] = '\0';
	return (int)h.type;
}

static void check(const char *what, int ok)
{
	printf("%s %s\n", ok ? "ok" : "FAILED", what);
	if (!ok)
		failures++;
}

int main(void)
{
	static char big[HVX_XENSTORE_PAYLOAD_MAX + 16], out[HVX_XENSTORE_PAYLOAD_MAX + 1];
	const char *env = getenv("XENSTORED_PATH");
	uint32_t tx;
	int a, b, t, i;

	signal(SIGPIPE, SIG_IGN);	/* the daemon closes on us on purpose */
	sock_path = env && *env ? env : "/run/xenstored/socket";
	a = conn();
	b = conn();

	t = req(a, 4242, 0, "x", 2, out, sizeof(out));
	check("unknown type: ENOSYS", t == HVX_XS_ERROR && !strcmp(out, "ENOSYS"));
	t = req(a, HVX_XS_READ, 0, "/vm", 3, out, sizeof(out));
	check("no NUL: EINVAL", t == HVX_XS_ERROR && !strcmp(out, "EINVAL"));
	big[0] = '/';
	memset(big + 1, 'p', HVX_XENSTORE_ABS_PATH_MAX + 10);
	big[HVX_XENSTORE_ABS_PATH_MAX + 11] = '\0';
	t = req(a, HVX_XS_READ, 0, big, HVX_XENSTORE_ABS_PATH_MAX + 12, out, sizeof(out));
	check("over-long path: EINVAL", t == HVX_XS_ERROR && !strcmp(out, "EINVAL"));
	t = req(a, HVX_XS_WRITE, 0, "/hostile/x\0" "0", 12, out, sizeof(out));
	check("write /hostile/x", t == HVX_XS_WRITE);
	t = req(a, HVX_XS_TRANSACTION_START, 0, "", 1, out, sizeof(out));
	tx = (uint32_t)strtoul(out, NULL, 10);
	check("transaction start", t == HVX_XS_TRANSACTION_START && tx);
	t = req(b, HVX_XS_READ, tx, "/hostile/x", 11, out, sizeof(out));
	check("another connection's transaction id: ENOENT",
	      t == HVX_XS_ERROR && !strcmp(out, "ENOENT"));
	t = req(a, HVX_XS_READ, tx, "/hostile/x", 11, out, sizeof(out));
	check("read in the transaction", t == HVX_XS_READ && !strcmp(out, "0"));
	t = req(b, HVX_XS_WRITE, 0, "/hostile/x\0" "1", 12, out, sizeof(out));
	check("concurrent write", t == HVX_XS_WRITE);
	t = req(a, HVX_XS_WRITE, tx, "/hostile/y\0" "2", 12, out, sizeof(out));
	check("write in the transaction", t == HVX_XS_WRITE);
	t = req(a, HVX_XS_TRANSACTION_END, tx, "T", 2, out, sizeof(out));
	check("conflicting commit: EAGAIN", t == HVX_XS_ERROR && !strcmp(out, "EAGAIN"));
	t = req(b, HVX_XS_READ, 0, "/hostile/y", 11, out, sizeof(out));
	check("the failed transaction left nothing", t == HVX_XS_ERROR && !strcmp(out, "ENOENT"));

	t = req(a, HVX_XS_WRITE, 0, big, HVX_XENSTORE_PAYLOAD_MAX + 1, out, sizeof(out));
	check("payload over 4096: connection closed", t == -1);
	close(a);
	for (i = 0; i < 200; i++) {
		int fd = conn();

		if (write(fd, "\x01\x00\x00\x00garbage", 11) < 0)
			break;
		close(fd);
	}
	check("200 garbage connections sent", i == 200);
	t = req(b, HVX_XS_RM, 0, "/hostile", 9, out, sizeof(out));
	check("the other connection still served", t == HVX_XS_RM);
	close(b);
	a = conn();
	t = req(a, HVX_XS_DIRECTORY, 0, "/", 2, out, sizeof(out));
	check("a new connection served", t == HVX_XS_DIRECTORY);
	close(a);
	return failures ? 1 : 0;
}
