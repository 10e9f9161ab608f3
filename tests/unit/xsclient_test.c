// SPDX-License-Identifier: GPL-2.0-only
/* xsclient_test.c: xenstored end to end on a temporary unix socket, driven
 * through the client library: every request type a dom0 tool uses, watch
 * events while a request waits, transactions, and hostile clients (an
 * oversized payload closes only that connection). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "common/xs_client.h"
#include "xenstored/io.h"

static char sock[64];
static pid_t daemon_pid;

static void start_daemon(void)
{
	struct xsd_opts o = { .foreground = true, .ready_fd = -1 };
	int pipefd[2];
	char buf[4];

	snprintf(sock, sizeof(sock), "/tmp/xsclient-test-%d/socket", (int)getpid());
	if (pipe(pipefd))
		exit(1);
	daemon_pid = fork();
	if (daemon_pid == 0) {
		close(pipefd[0]);
		o.socket = sock;
		o.ready_fd = pipefd[1];
		xsd_log_open("/dev/null");
		_exit(xsd_serve(&o));
	}
	close(pipefd[1]);
	if (read(pipefd[0], buf, sizeof(buf)) < 2)
		printf("  the daemon did not start\n");
	close(pipefd[0]);
}

static int stop_daemon(void)
{
	int status = -1;
	char dir[64];

	kill(daemon_pid, SIGTERM);
	waitpid(daemon_pid, &status, 0);
	snprintf(dir, sizeof(dir), "/tmp/xsclient-test-%d", (int)getpid());
	rmdir(dir);
	return status;
}

static void test_basic(void)
{
	struct xs_client *h = xs_client_open(sock);
	unsigned int n, len;
	char **v, *s;
	bool yes;

	EXPECT(h != NULL);
	if (!h)
		return;
	EXPECT(!xs_client_write(h, 0, "/t/a", "one", 3));
	EXPECT(!xs_client_read(h, 0, "/t/a", &s, &len) && len == 3 && !strcmp(s, "one"));
	free(s);
	EXPECT(!xs_client_mkdir(h, 0, "/t/b"));
	EXPECT(!xs_client_directory(h, 0, "/t", &v, &n) && n == 2 && !strcmp(v[0], "a") &&
	       !strcmp(v[1], "b") && !v[2]);
	free(v);
	EXPECT(xs_client_read(h, 0, "/t/none", &s, &len) == ENOENT);
	EXPECT(xs_client_read(h, 0, "/t//bad", &s, &len) == EINVAL);
	{
		const char *p[] = { "n0", "r3", "b4" };

		EXPECT(!xs_client_set_perms(h, 0, "/t/a", p, 3));
	}
	EXPECT(!xs_client_get_perms(h, 0, "/t/a", &v, &n) && n == 3 && !strcmp(v[2], "b4"));
	free(v);
	EXPECT(!xs_client_get_domain_path(h, 12, &s) && !strcmp(s, "/local/domain/12"));
	free(s);
	EXPECT(!xs_client_is_domain_introduced(h, 12, &yes) && !yes);
	/* No event channel device on the host: the ring cannot attach. */
	EXPECT(xs_client_introduce(h, 12, 0xfeff, 3) != 0);
	EXPECT(xs_client_release(h, 12) == ENOENT);
	EXPECT(!xs_client_rm(h, 0, "/t"));
	EXPECT(xs_client_read(h, 0, "/t/a", &s, &len) == ENOENT);
	xs_client_close(h);
}

static void test_watch_and_tx(void)
{
	struct xs_client *a = xs_client_open(sock), *b = xs_client_open(sock);
	char *path, *token, *s;
	uint32_t tx;

	EXPECT(a && b);
	if (!a || !b)
		return;
	EXPECT(!xs_client_watch(a, "/w", "tok"));
	EXPECT(!xs_client_read_watch(a, 2000, &path, &token) && !strcmp(path, "/w") &&
	       !strcmp(token, "tok"));
	free(path);
	EXPECT(xs_client_read_watch(a, 50, &path, &token) == ETIMEDOUT);
	EXPECT(!xs_client_write(b, 0, "/w/x", "1", 1));
	/* The event is kept while a reply is awaited. */
	EXPECT(!xs_client_read(a, 0, "/w/x", &s, NULL) && !strcmp(s, "1"));
	free(s);
	EXPECT(!xs_client_read_watch(a, 2000, &path, &token) && !strcmp(path, "/w/x"));
	free(path);
	EXPECT(!xs_client_tx_start(a, &tx) && tx);
	EXPECT(!xs_client_read(a, tx, "/w/x", &s, NULL));
	free(s);
	EXPECT(!xs_client_write(a, tx, "/w/y", "2", 1));
	EXPECT(!xs_client_write(b, 0, "/w/x", "3", 1));
	EXPECT(xs_client_tx_end(a, tx, true) == EAGAIN);
	EXPECT(xs_client_read(b, 0, "/w/y", &s, NULL) == ENOENT);
	EXPECT(!xs_client_tx_start(a, &tx));
	EXPECT(!xs_client_write(a, tx, "/w/y", "2", 1));
	EXPECT(xs_client_read(b, tx, "/w/y", &s, NULL) == ENOENT);	/* not b's tx */
	EXPECT(!xs_client_tx_end(a, tx, true));
	EXPECT(!xs_client_read(b, 0, "/w/y", &s, NULL) && !strcmp(s, "2"));
	free(s);
	EXPECT(!xs_client_unwatch(a, "/w", "tok"));
	EXPECT(!xs_client_rm(b, 0, "/w"));
	xs_client_close(a);
	xs_client_close(b);
}

/* The toolstack's domain set-up: nodes and permissions as xl writes them.
 * The INTRODUCE at its end fails here (no hv.ko on the host). */
static void test_domain_setup(void)
{
	struct xs_client_domain d = {
		.domid = 12, .name = "guest", .memory_kib = 131072, .maxmem_kib = 262144,
		.vcpus = 2, .store_gfn = 0xfeffc, .store_port = 3, .console_gfn = 0xfeffd,
		.console_port = 4,
	};
	struct xs_client *h = xs_client_open(sock);
	unsigned int n;
	char **v, *s;

	EXPECT(h != NULL);
	if (!h)
		return;
	EXPECT(!xs_client_write(h, 0, "/local/domain/12/stale", "x", 1));
	EXPECT(!xs_client_write(h, 0, "/vm/dead-one/name", "old", 3));
	EXPECT(!xs_client_write(h, 0, "/vm/live-one/name", "live", 4));
	EXPECT(!xs_client_write(h, 0, "/local/domain/13/vm", "/vm/live-one", 12));
	EXPECT(xs_client_domain_setup(h, &d) != 0);
	EXPECT(!xs_client_read(h, 0, "/local/domain/12/name", &s, NULL) && !strcmp(s, "guest"));
	free(s);
	EXPECT(xs_client_read(h, 0, "/local/domain/12/stale", &s, NULL) == ENOENT);
	EXPECT(xs_client_read(h, 0, "/vm/dead-one/name", &s, NULL) == ENOENT);
	EXPECT(!xs_client_read(h, 0, "/vm/live-one/name", &s, NULL) && !strcmp(s, "live"));
	free(s);
	EXPECT(!xs_client_read(h, 0, "/local/domain/12/memory/static-max", &s, NULL) &&
	       !strcmp(s, "262144"));
	free(s);
	EXPECT(!xs_client_read(h, 0, "/local/domain/12/cpu/1/availability", &s, NULL) &&
	       !strcmp(s, "online"));
	free(s);
	EXPECT(!xs_client_read(h, 0, "/local/domain/12/store/ring-ref", &s, NULL) &&
	       !strcmp(s, "1044476"));
	free(s);
	EXPECT(!xs_client_get_perms(h, 0, "/local/domain/12", &v, &n) && n == 2 &&
	       !strcmp(v[0], "n0") && !strcmp(v[1], "r12"));
	free(v);
	EXPECT(!xs_client_get_perms(h, 0, "/local/domain/12/name", &v, &n) && n == 2 &&
	       !strcmp(v[1], "r12"));
	free(v);
	EXPECT(!xs_client_get_perms(h, 0, "/local/domain/12/control/shutdown", &v, &n) &&
	       n == 1 && !strcmp(v[0], "n12"));
	free(v);
	EXPECT(!xs_client_read(h, 0, "/local/domain/12/vm", &s, NULL) && !strncmp(s, "/vm/", 4));
	if (!strncmp(s, "/vm/", 4)) {
		char p[128], *name;

		snprintf(p, sizeof(p), "%s/name", s);
		EXPECT(!xs_client_read(h, 0, p, &name, NULL) && !strcmp(name, "guest"));
		free(name);
	}
	free(s);
	xs_client_close(h);
}

static int raw_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	strcpy(sa.sun_path, sock);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static void test_hostile(void)
{
	struct hvx_xsd_sockmsg h = { .type = HVX_XS_WRITE, .len = 5000 };
	struct xs_client *c;
	char buf[64];
	int fd = raw_connect(), i;
	ssize_t n;
	char *s;

	EXPECT(fd >= 0);
	if (fd < 0)
		return;
	/* An oversized payload: closed without a reply. */
	EXPECT(write(fd, &h, sizeof(h)) == sizeof(h));
	n = read(fd, buf, sizeof(buf));
	EXPECT(n == 0);
	close(fd);
	/* Garbage then hang up, many times, and half a message. */
	for (i = 0; i < 50; i++) {
		fd = raw_connect();
		if (fd < 0)
			break;
		if (write(fd, "garbage-garbage-garbage", 23) < 0)
			break;
		close(fd);
	}
	EXPECT(i == 50);
	/* An unknown type gets ENOSYS; the daemon still serves. */
	c = xs_client_open(sock);
	EXPECT(c && xs_client_request(c, 4242, 0, "x", 2, NULL, NULL) == ENOSYS);
	EXPECT(c && xs_client_request(c, HVX_XS_READ, 0, "/vm", 3, NULL, NULL) == EINVAL);
	EXPECT(c && !xs_client_read(c, 0, "/vm", &s, NULL));
	if (c)
		free(s);
	xs_client_close(c);
}

/* A guest's ring served by rings.c (no event channel device: notifies
 * are no-ops): a request and its reply cross the page; impossible indices
 * drop the connection and nothing else. */
static void test_ring_service(void)
{
	static struct hvx_xenstore_domain_interface intf;
	static struct xsd_io io = { .evtchn_fd = -1, .hvctl_fd = -1 };
	static struct xsd d;
	struct hvx_xsd_sockmsg h = { .type = HVX_XS_GET_DOMAIN_PATH, .req_id = 9, .len = 2 };
	struct xsd_ring r = { .intf = &intf, .domid = 5 };
	char buf[64];
	int n;

	EXPECT(!xsd_init(&d));
	d.io = &io;
	r.conn = xs_conn_new(&d, 5, false);
	io.rings = &r;
	intf.req_cons = intf.req_prod = 0xfffffff0u;	/* about to wrap */
	EXPECT(xs_ring_client_write(&intf, &h, sizeof(h)) == sizeof(h));
	EXPECT(xs_ring_client_write(&intf, "5", 2) == 2);
	xsd_rings_service(&d);
	n = xs_ring_client_read(&intf, buf, sizeof(buf));
	memcpy(&h, buf, sizeof(h));
	EXPECT(n == (int)sizeof(h) + 16 && h.req_id == 9 && h.type == HVX_XS_GET_DOMAIN_PATH &&
	       !strcmp(buf + sizeof(h), "/local/domain/5"));
	/* A guest write with no permission: an error, the ring goes on. */
	h = (struct hvx_xsd_sockmsg){ .type = HVX_XS_WRITE, .req_id = 10, .len = 6 };
	xs_ring_client_write(&intf, &h, sizeof(h));
	xs_ring_client_write(&intf, "/x\0abc", 6);
	xsd_rings_service(&d);
	n = xs_ring_client_read(&intf, buf, sizeof(buf));
	EXPECT(n == (int)sizeof(h) + 7 && !strcmp(buf + sizeof(h), "EACCES"));
	/* Hostile: the producer claims 4 KiB in a 1 KiB ring. */
	intf.req_prod = intf.req_cons + 4096;
	xsd_rings_service(&d);
	EXPECT(r.broken && !r.conn && !d.conns);
	xsd_rings_service(&d);	/* a broken ring is left alone */
	io.rings = NULL;
	xsd_fini(&d);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	start_daemon();
	RUN(test_basic);
	RUN(test_watch_and_tx);
	RUN(test_hostile);
	RUN(test_domain_setup);
	RUN(test_ring_service);
	{
		int status = stop_daemon();

		unit_case_failed = !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		printf("%s daemon_stopped_cleanly\n", unit_case_failed ? "FAIL" : "PASS");
		unit_failed_cases += unit_case_failed;
	}
	return UNIT_EXIT();
}
