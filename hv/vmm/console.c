// SPDX-License-Identifier: GPL-2.0-only
/* console.c: guest console log and backlog, and the per-domain socket. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "vmm/vmm.h"

#define COMMAND_MAX	64
#define FLUSH_MS	100
#define SYSRQ_GAP_NS	300000000L

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, strerror(errno));
	return -1;
}

int console_open(struct vmm *vmm, char *err, size_t errlen)
{
	struct console *c = &vmm->console;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char path[256];

	pthread_mutex_init(&c->lock, NULL);
	c->client_fd = -1;
	mkdir(HV_LOG_DIR, 0755);
	mkdir(HV_RUN_DIR, 0700);
	snprintf(path, sizeof(path), HV_LOG_DIR "/guest-%s.log", vmm->cfg.name);
	c->log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (c->log_fd < 0)
		return fail(err, errlen, path);

	snprintf(c->sock_path, sizeof(c->sock_path), HV_RUN_DIR "/%s.sock", vmm->cfg.name);
	if (strlen(c->sock_path) >= sizeof(addr.sun_path)) {
		snprintf(err, errlen, "%s: socket path too long", c->sock_path);
		return -1;
	}
	strcpy(addr.sun_path, c->sock_path);
	c->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->listen_fd < 0)
		return fail(err, errlen, "socket");
	/* hv.ko gave us the name, so a socket by that name is stale. */
	unlink(c->sock_path);
	if (bind(c->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(c->listen_fd, 4))
		return fail(err, errlen, c->sock_path);
	return 0;
}

void console_close(struct vmm *vmm)
{
	if (vmm->console.sock_path[0])
		unlink(vmm->console.sock_path);
}

/*
 * Guest output: to the log, the backlog ring and the attached client. The
 * serial port (a vCPU waits on it) never blocks: a client that does not
 * keep up loses output. The console ring (@wait) waits for the client, up
 * to a few seconds per chunk, so hvc0 output arrives whole.
 */
static void console_emit(struct vmm *vmm, const uint8_t *buf, size_t len, int wait)
{
	struct console *c = &vmm->console;
	size_t i, sent = 0;
	int waited = 0;

	pthread_mutex_lock(&c->lock);
	if (write(c->log_fd, buf, len) < 0) {
		/* A full disk must not stop the guest: the backlog still has it. */
	}
	for (i = 0; i < len; i++) {
		size_t at = (c->backlog_start + c->backlog_len) % HV_CONSOLE_BACKLOG;

		c->backlog[at] = buf[i];
		if (c->backlog_len < HV_CONSOLE_BACKLOG)
			c->backlog_len++;
		else
			c->backlog_start = (c->backlog_start + 1) % HV_CONSOLE_BACKLOG;
	}
	while (c->client_fd >= 0 && sent < len) {
		ssize_t n = send(c->client_fd, buf + sent, len - sent,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n > 0) {
			sent += (size_t)n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd p = { .fd = c->client_fd, .events = POLLOUT };

			if (!wait || waited++ >= 50)
				break;
			pthread_mutex_unlock(&c->lock);
			poll(&p, 1, 100);
			pthread_mutex_lock(&c->lock);
			continue;
		}
		close(c->client_fd);
		c->client_fd = -1;
	}
	pthread_mutex_unlock(&c->lock);
}

void console_output(void *opaque, const uint8_t *buf, size_t len)
{
	console_emit(opaque, buf, len, 0);
}

void console_output_wait(struct vmm *vmm, const uint8_t *buf, size_t len)
{
	console_emit(vmm, buf, len, 1);
}

static void send_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

static void attach_client(struct vmm *vmm, int fd)
{
	struct console *c = &vmm->console;
	size_t first;

	pthread_mutex_lock(&c->lock);
	if (c->client_fd >= 0) {
		pthread_mutex_unlock(&c->lock);
		send_all(fd, "ERR busy\n", 9);
		close(fd);
		return;
	}
	send_all(fd, "OK\n", 3);
	first = HV_CONSOLE_BACKLOG - c->backlog_start;
	if (first > c->backlog_len)
		first = c->backlog_len;
	send_all(fd, c->backlog + c->backlog_start, first);
	send_all(fd, c->backlog, c->backlog_len - first);
	c->client_fd = fd;
	pthread_mutex_unlock(&c->lock);
}

/*
 * Until the store's control/shutdown node exists (the core services), a
 * shutdown or reboot request reaches the guest as serial magic SysRq:
 * BREAK then s (sync), u (remount read-only), o (power off) or b (reboot).
 * A stock kernel with its console on ttyS0 honours it.
 */
static void *sysrq_thread(void *arg)
{
	struct vmm *vmm = arg;
	const char *keys = vmm->sysrq_keys;
	struct timespec gap = { 0, SYSRQ_GAP_NS };

	for (; *keys; keys++) {
		serial_break(&vmm->serial);
		serial_input(&vmm->serial, (const uint8_t *)keys, 1);
		nanosleep(&gap, NULL);
	}
	return NULL;
}

static void request_power(struct vmm *vmm, int fd, int reboot)
{
	pthread_t t;

	pthread_mutex_lock(&vmm->event_lock);
	if (vmm->stopping || vmm->event != VMM_EVENT_NONE) {
		pthread_mutex_unlock(&vmm->event_lock);
		send_all(fd, "ERR the domain is not running\n", 30);
		return;
	}
	vmm->sysrq_keys = reboot ? "sub" : "suo";
	pthread_mutex_unlock(&vmm->event_lock);
	if (pthread_create(&t, NULL, sysrq_thread, vmm)) {
		send_all(fd, "ERR cannot start the request\n", 29);
		return;
	}
	pthread_detach(t);
	send_all(fd, "OK\n", 3);
}

/* "sysrq K" (hv sysrq DOM K, xl's): BREAK then K on the serial port. */
static void request_sysrq(struct vmm *vmm, int fd, const char *key)
{
	if (strlen(key) != 1 || key[0] < '0' || key[0] > 'z') {
		send_all(fd, "ERR a SysRq key is one letter or digit\n", 39);
		return;
	}
	serial_break(&vmm->serial);
	serial_input(&vmm->serial, (const uint8_t *)key, 1);
	send_all(fd, "OK\n", 3);
}

static void handle_connection(struct vmm *vmm, int fd)
{
	struct timeval tv = { .tv_sec = 2 };
	char cmd[COMMAND_MAX];
	size_t len = 0;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (len < sizeof(cmd) - 1) {
		ssize_t n = recv(fd, cmd + len, 1, 0);

		if (n <= 0)
			break;
		if (cmd[len] == '\n')
			break;
		len++;
	}
	cmd[len] = '\0';
	if (!strcmp(cmd, "console")) {
		tv.tv_sec = 0;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		attach_client(vmm, fd);
		return;
	}
	if (!strcmp(cmd, "shutdown"))
		request_power(vmm, fd, 0);
	else if (!strcmp(cmd, "reboot"))
		request_power(vmm, fd, 1);
	else if (!strcmp(cmd, "debug-regs"))
		vcpu_debug_regs(vmm, fd);
	else if (!strncmp(cmd, "sysrq ", 6))
		request_sysrq(vmm, fd, cmd + 6);
	else if (!strncmp(cmd, "pci-map ", 8) || !strncmp(cmd, "pci-unmap ", 10))
		passthrough_command(vmm, fd, cmd);
	else
		send_all(fd, "ERR unknown command\n", 20);
	close(fd);
}

static void client_input(struct vmm *vmm)
{
	struct console *c = &vmm->console;
	uint8_t buf[256];
	ssize_t n = recv(c->client_fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n > 0) {
		/* hvc0 once the guest uses its console ring, ttyS0 before. */
		if (!xencons_input(vmm, buf, (size_t)n))
			serial_input(&vmm->serial, buf, (size_t)n);
		return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	pthread_mutex_lock(&c->lock);
	close(c->client_fd);
	c->client_fd = -1;
	pthread_mutex_unlock(&c->lock);
}

enum vmm_event console_serve(struct vmm *vmm, int until_event)
{
	struct console *c = &vmm->console;

	for (;;) {
		struct pollfd fds[3] = {
			{ .fd = c->listen_fd, .events = POLLIN },
			{ .fd = vmm->event_pipe[0], .events = POLLIN },
			{ .fd = c->client_fd, .events = POLLIN },
		};
		int n = poll(fds, c->client_fd >= 0 ? 3 : 2, FLUSH_MS);

		serial_flush(&vmm->serial);
		if (n < 0 && errno != EINTR)
			return VMM_EVENT_CRASH;
		if (n <= 0)
			continue;
		if (fds[1].revents & POLLIN) {
			char ev;

			if (read(vmm->event_pipe[0], &ev, 1) == 1 &&
			    (until_event || ev == VMM_EVENT_TERMINATE))
				return (enum vmm_event)ev;
		}
		if (fds[0].revents & POLLIN) {
			int fd = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC);

			if (fd >= 0)
				handle_connection(vmm, fd);
		}
		if (c->client_fd >= 0 && (fds[2].revents & (POLLIN | POLLHUP | POLLERR)))
			client_input(vmm);
	}
}
