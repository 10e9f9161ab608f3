// SPDX-License-Identifier: GPL-2.0-only
/* xs-ring-probe DOMID GFN NAME: play a domU's part on its store ring from
 * dom0 (the guest itself must not use the ring meanwhile): map the page
 * as xenstored does, send requests as that guest, and check what
 * xenstored answers a guest: its own home, relative paths, its data/
 * writable, everything of dom0's refused, a watch with its first event.
 * Last, it writes impossible ring indices, which must make xenstored drop
 * the ring (and nothing else). xenstored services rings whenever it wakes;
 * a request on its socket wakes it at once. Status 1 if a check failed. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "xen/hvx/hvctl.h"
#include "xen/hvx/xen-abi.h"
#include "xenstored/xsd.h"

static struct hvx_xenstore_domain_interface *intf;
static int sock_fd = -1, failures;

/* Wake xenstored: one request on its socket, reply read and dropped. */
static void poke(void)
{
	struct hvx_xsd_sockmsg h = { .type = HVX_XS_GET_DOMAIN_PATH, .len = 2 };
	char buf[64];

	if (write(sock_fd, &h, sizeof(h)) != sizeof(h) || write(sock_fd, "0", 2) != 2 ||
	    read(sock_fd, buf, sizeof(buf)) <= 0) {
		fprintf(stderr, "xs-ring-probe: xenstored's socket: %s\n", strerror(errno));
		exit(1);
	}
}

static int ring_get(void *buf, size_t len, int ms)
{
	size_t got = 0;

	while (got < len && ms > 0) {
		struct timespec tick = { 0, 10 * 1000 * 1000 };
		int n = xs_ring_client_read(intf, (char *)buf + got, len - got);

		if (n < 0)
			return -1;
		got += (size_t)n;
		if (got < len) {
			nanosleep(&tick, NULL);
			ms -= 10;
			if (ms % 500 == 0)
				poke();
		}
	}
	return got == len ? 0 : -1;
}

/* One request; the reply's type (-1: none in time) and payload in OUT. */
static int req(uint32_t type, const char *payload, uint32_t len, char *out, size_t outlen)
{
	static uint32_t id = 100;
	struct hvx_xsd_sockmsg h = { .type = type, .req_id = ++id, .len = len };

	if (xs_ring_client_write(intf, &h, sizeof(h)) != sizeof(h) ||
	    xs_ring_client_write(intf, payload, len) != (int)len)
		return -1;
	poke();
	if (ring_get(&h, sizeof(h), 3000) || h.len >= outlen || ring_get(out, h.len, 3000))
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

static void connect_socket(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *env = getenv("XENSTORED_PATH");

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s",
		 env && *env ? env : "/run/xenstored/socket");
	sock_fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (sock_fd < 0 || connect(sock_fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("xs-ring-probe: connect");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	struct hvctl_foreign_map fm = { .nr_frames = 1 };
	char out[HVX_XENSTORE_PAYLOAD_MAX + 1], want[64];
	unsigned int domid;
	int fd, t;

	if (argc != 4) {
		fprintf(stderr, "usage: xs-ring-probe DOMID GFN NAME\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	domid = (unsigned int)strtoul(argv[1], NULL, 10);
	fm.domid = domid;
	fm.gfn = strtoull(argv[2], NULL, 0);
	fd = open("/dev/hvctl", O_RDWR | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, HVCTL_FOREIGN_MAP, &fm)) {
		perror("xs-ring-probe: HVCTL_FOREIGN_MAP");
		return 1;
	}
	intf = mmap(NULL, HVX_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (intf == MAP_FAILED) {
		perror("xs-ring-probe: mmap");
		return 1;
	}
	connect_socket();

	t = req(HVX_XS_GET_DOMAIN_PATH, argv[1], (uint32_t)strlen(argv[1]) + 1, out, sizeof(out));
	snprintf(want, sizeof(want), "/local/domain/%u", domid);
	check("GET_DOMAIN_PATH: the guest's home", t == HVX_XS_GET_DOMAIN_PATH && !strcmp(out, want));
	t = req(HVX_XS_READ, "name", 5, out, sizeof(out));
	check("READ name (relative)", t == HVX_XS_READ && !strcmp(out, argv[3]));
	t = req(HVX_XS_WRITE, "data/probe\0hello", 16, out, sizeof(out));
	check("WRITE data/probe", t == HVX_XS_WRITE && !strcmp(out, "OK"));
	t = req(HVX_XS_WRITE, "name\0evil", 9, out, sizeof(out));
	check("WRITE name: EACCES", t == HVX_XS_ERROR && !strcmp(out, "EACCES"));
	t = req(HVX_XS_WRITE, "/local/domain/0/x\0" "1", 20, out, sizeof(out));
	check("WRITE into dom0's home: EACCES", t == HVX_XS_ERROR && !strcmp(out, "EACCES"));
	t = req(HVX_XS_DIRECTORY, "/tool", 6, out, sizeof(out));
	check("DIRECTORY /tool: EACCES", t == HVX_XS_ERROR && !strcmp(out, "EACCES"));
	t = req(HVX_XS_INTRODUCE, "99\0" "1\0" "1", 8, out, sizeof(out));
	check("INTRODUCE: EACCES", t == HVX_XS_ERROR && !strcmp(out, "EACCES"));
	t = req(HVX_XS_RELEASE, argv[1], (uint32_t)strlen(argv[1]) + 1, out, sizeof(out));
	check("RELEASE: EACCES", t == HVX_XS_ERROR && !strcmp(out, "EACCES"));
	t = req(HVX_XS_WATCH, "data\0tok", 9, out, sizeof(out));
	check("WATCH data", t == HVX_XS_WATCH);
	t = ring_get(out, sizeof(struct hvx_xsd_sockmsg) + 9, 3000);
	check("the watch's first event, relative",
	      !t && !memcmp(out + sizeof(struct hvx_xsd_sockmsg), "data\0tok", 9));

	/* Hostile: the guest claims 4 KiB of requests in a 1 KiB ring. */
	intf->req_prod = intf->req_cons + 4096;
	poke();
	munmap(intf, HVX_PAGE_SIZE);
	close(sock_fd);
	return failures ? 1 : 0;
}
