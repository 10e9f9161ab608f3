// SPDX-License-Identifier: GPL-2.0-only
/*
 * xencons.c: the Xen console ring of a domU (hvc0 in the guest), bridged to
 * the same log, backlog and `hv console` client as the serial port, and to
 * a pty as Xen's console daemon offers one. The VMM is dom0 userspace here:
 * it binds the ring's event channel through /dev/xen/evtchn.
 *
 * The guest owns out_prod and in_cons: each is read once per pass and
 * bounded, so garbage from the guest resets our view of the ring instead of
 * reaching outside it. Output is flow-controlled: while the client cannot
 * take more, the ring is not consumed, and the guest waits.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "xen/hvx/evtchn-dev.h"
#include "xen/hvx/hvctl.h"
#include "xen/hvx/xen-abi.h"
#include "vmm/bootparams.h"
#include "vmm/vmm.h"

#define EVTCHN_DEVICE	"/dev/xen/evtchn"

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "console ring: %s: %s", what, strerror(errno));
	return -1;
}

static struct hvx_xencons_interface *ring(struct vmm *vmm)
{
	return (struct hvx_xencons_interface *)(vmm->ram + BOOT_XENCONS_PAGE);
}

static void notify(struct xencons *x)
{
	struct hvx_ioctl_evtchn_port n = { .port = x->local_port };

	ioctl(x->evtchn_fd, HVX_IOCTL_EVTCHN_NOTIFY, &n);
}

/*
 * Guest output: out_cons..out_prod, to everyone who watches the console.
 * The guest sends an event only when it finds we had caught up with it
 * (hvx_hvc), so after publishing out_cons we look at out_prod again, past
 * a full barrier, and go on while it moved. Returns 0 (nothing), 1 (some
 * output) or 2 (stopped after DRAIN_ROUNDS with more waiting).
 */
#define DRAIN_ROUNDS 64

static int drain_output(struct vmm *vmm, struct xencons *x)
{
	struct hvx_xencons_interface *r = ring(vmm);
	uint8_t buf[HVX_XENCONS_OUT_SIZE];
	uint32_t cons = r->out_cons, prod;
	int rounds;

	for (rounds = 0; rounds < DRAIN_ROUNDS; rounds++) {
		size_t n = 0;

		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		prod = __atomic_load_n(&r->out_prod, __ATOMIC_ACQUIRE);
		if (prod - cons > HVX_XENCONS_OUT_SIZE) {
			if (!x->warned) {
				vmm_log("console ring: guest index out of range, ring reset");
				x->warned = 1;
			}
			__atomic_store_n(&r->out_cons, prod, __ATOMIC_RELEASE);
			return rounds > 0;
		}
		if (cons == prod)
			return rounds > 0;
		while (cons != prod)
			buf[n++] = (uint8_t)r->out[HVX_MASK_XENCONS_IDX(cons++,
						HVX_XENCONS_OUT_SIZE)];
		/* The guest speaks on hvc0: typed input goes there from now on. */
		x->connected = 1;
		console_output_wait(vmm, buf, n);
		if (x->pty_fd >= 0 && write(x->pty_fd, buf, n) < 0) {
			/* Nobody on the pty: output is in the log and backlog anyway. */
		}
		__atomic_store_n(&r->out_cons, cons, __ATOMIC_RELEASE);
	}
	return 2;
}

/* Typed input waiting in x->in: into in_prod..in_cons as far as it fits. */
static int push_input(struct vmm *vmm, struct xencons *x)
{
	struct hvx_xencons_interface *r = ring(vmm);
	uint32_t prod = r->in_prod, cons = __atomic_load_n(&r->in_cons, __ATOMIC_ACQUIRE);
	size_t used = 0;

	pthread_mutex_lock(&x->lock);
	if (prod - cons > HVX_XENCONS_IN_SIZE)
		cons = prod - HVX_XENCONS_IN_SIZE;	/* treat as full */
	while (used < x->in_len && prod - cons < HVX_XENCONS_IN_SIZE)
		r->in[HVX_MASK_XENCONS_IDX(prod++, HVX_XENCONS_IN_SIZE)] = (char)x->in[used++];
	memmove(x->in, x->in + used, x->in_len - used);
	x->in_len -= used;
	pthread_mutex_unlock(&x->lock);
	if (!used)
		return 0;
	__atomic_store_n(&r->in_prod, prod, __ATOMIC_RELEASE);
	return 1;
}

static void *xencons_thread(void *arg)
{
	struct vmm *vmm = arg;
	struct xencons *x = &vmm->xencons;
	int more = 0;

	while (!vmm->stopping) {
		struct pollfd fds[3] = {
			{ .fd = x->evtchn_fd, .events = POLLIN },
			{ .fd = x->wake[0], .events = POLLIN },
			{ .fd = x->pty_fd, .events = POLLIN },
		};
		uint32_t ports[16];
		ssize_t n;
		int kick = 0;

		if (poll(fds, x->pty_fd >= 0 ? 3 : 2, more ? 0 : 200) < 0 && errno != EINTR)
			break;
		if (fds[0].revents & POLLIN) {
			n = read(x->evtchn_fd, ports, sizeof(ports));
			if (n > 0) {
				if (write(x->evtchn_fd, ports, (size_t)n) != n)
					vmm_log("console ring: unmask: %s", strerror(errno));
			}
		}
		if (fds[1].revents & POLLIN) {
			char c[64];

			if (read(x->wake[0], c, sizeof(c)) < 0) {
				/* Nothing: the pipe only wakes us. */
			}
		}
		if (x->pty_fd >= 0 && (fds[2].revents & POLLIN)) {
			uint8_t buf[256];

			n = read(x->pty_fd, buf, sizeof(buf));
			if (n > 0)
				xencons_input(vmm, buf, (size_t)n);
		}
		more = drain_output(vmm, x);
		kick |= more != 0;
		more = more == 2;
		kick |= push_input(vmm, x);
		if (kick)
			notify(x);
	}
	return NULL;
}

static void open_pty(struct xencons *x)
{
	x->pty_fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (x->pty_fd < 0 || grantpt(x->pty_fd) || unlockpt(x->pty_fd) ||
	    !ptsname(x->pty_fd)) {
		vmm_log("console ring: no pty: %s", strerror(errno));
		if (x->pty_fd >= 0)
			close(x->pty_fd);
		x->pty_fd = -1;
		return;
	}
	/* Raw, as Xen's console daemon sets it: without this the line
	 * discipline echoes guest output back as if it had been typed. */
	{
		struct termios t;

		if (!tcgetattr(x->pty_fd, &t)) {
			cfmakeraw(&t);
			tcsetattr(x->pty_fd, TCSANOW, &t);
		}
	}
	snprintf(x->pty_path, sizeof(x->pty_path), "%s", ptsname(x->pty_fd));
	/* Hold the slave open: with no slave the master polls as hung up,
	 * and the bridge would spin. */
	x->pty_slave_fd = open(x->pty_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (x->pty_slave_fd < 0) {
		vmm_log("console ring: %s: %s", x->pty_path, strerror(errno));
		close(x->pty_fd);
		x->pty_fd = -1;
		return;
	}
	vmm_log("console ring also on %s", x->pty_path);
}

int xencons_init(struct vmm *vmm, char *err, size_t errlen)
{
	struct xencons *x = &vmm->xencons;
	struct hvctl_evtchn_alloc alloc = { .remote_domid = 0 };
	struct hvctl_param param;
	struct hvx_ioctl_evtchn_bind_interdomain bind;
	int local;

	x->evtchn_fd = -1;
	x->pty_fd = -1;
	x->pty_slave_fd = -1;
	pthread_mutex_init(&x->lock, NULL);
	memset(ring(vmm), 0, HVX_PAGE_SIZE);
	memset(vmm->ram + BOOT_XENSTORE_PAGE, 0, HVX_PAGE_SIZE);

	/* The store ring: published for the toolstack and xenstored. */
	if (ioctl(vmm->hvctl_fd, HVCTL_EVTCHN_ALLOC, &alloc))
		return fail(err, errlen, "HVCTL_EVTCHN_ALLOC");
	param = (struct hvctl_param){ .index = HVX_HVM_PARAM_STORE_EVTCHN,
				      .value = alloc.port };
	if (ioctl(vmm->hvctl_fd, HVCTL_SET_PARAM, &param))
		return fail(err, errlen, "HVCTL_SET_PARAM");
	param = (struct hvctl_param){ .index = HVX_HVM_PARAM_STORE_PFN,
				      .value = BOOT_XENSTORE_PAGE >> HVX_PAGE_SHIFT };
	if (ioctl(vmm->hvctl_fd, HVCTL_SET_PARAM, &param))
		return fail(err, errlen, "HVCTL_SET_PARAM");

	/* The console ring: bridged here. */
	if (ioctl(vmm->hvctl_fd, HVCTL_EVTCHN_ALLOC, &alloc))
		return fail(err, errlen, "HVCTL_EVTCHN_ALLOC");
	x->remote_port = alloc.port;
	x->evtchn_fd = open(EVTCHN_DEVICE, O_RDWR | O_CLOEXEC);
	if (x->evtchn_fd < 0)
		return fail(err, errlen, EVTCHN_DEVICE " (is hvx_core loaded?)");
	bind.remote_domain = vmm->domid;
	bind.remote_port = x->remote_port;
	local = ioctl(x->evtchn_fd, HVX_IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
	if (local < 0)
		return fail(err, errlen, "IOCTL_EVTCHN_BIND_INTERDOMAIN");
	x->local_port = (uint32_t)local;
	param = (struct hvctl_param){ .index = HVX_HVM_PARAM_CONSOLE_EVTCHN,
				      .value = x->remote_port };
	if (ioctl(vmm->hvctl_fd, HVCTL_SET_PARAM, &param))
		return fail(err, errlen, "HVCTL_SET_PARAM");
	param = (struct hvctl_param){ .index = HVX_HVM_PARAM_CONSOLE_PFN,
				      .value = BOOT_XENCONS_PAGE >> HVX_PAGE_SHIFT };
	if (ioctl(vmm->hvctl_fd, HVCTL_SET_PARAM, &param))
		return fail(err, errlen, "HVCTL_SET_PARAM");
	if (pipe2(x->wake, O_CLOEXEC | O_NONBLOCK))
		return fail(err, errlen, "pipe");
	open_pty(x);
	if (pthread_create(&x->thread, NULL, xencons_thread, vmm)) {
		errno = EAGAIN;
		return fail(err, errlen, "thread");
	}
	x->running = 1;
	return 0;
}

/* Typed input: to the ring once the guest uses it; 0 if it does not yet. */
size_t xencons_input(struct vmm *vmm, const uint8_t *buf, size_t len)
{
	struct xencons *x = &vmm->xencons;
	size_t room;

	if (!x->running || !x->connected)
		return 0;
	pthread_mutex_lock(&x->lock);
	room = sizeof(x->in) - x->in_len;
	if (len > room)
		len = room;	/* typing faster than the guest reads: drop */
	memcpy(x->in + x->in_len, buf, len);
	x->in_len += len;
	pthread_mutex_unlock(&x->lock);
	if (write(x->wake[1], "", 1) < 0) {
		/* A full pipe already wakes the thread. */
	}
	return len ? len : 1;
}

void xencons_stop(struct vmm *vmm)
{
	struct xencons *x = &vmm->xencons;

	if (x->running) {
		if (write(x->wake[1], "", 1) < 0) {
			/* The thread also wakes on its poll timeout. */
		}
		pthread_join(x->thread, NULL);
		x->running = 0;
	}
	if (x->evtchn_fd >= 0)
		close(x->evtchn_fd);
	x->evtchn_fd = -1;
}
