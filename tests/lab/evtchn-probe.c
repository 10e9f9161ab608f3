// SPDX-License-Identifier: GPL-2.0-only
/*
 * evtchn-probe.c: event channels and hypercalls of hv.ko driven from dom0
 * userspace, with a "domU" that is only a memfd and this process: it
 * registers a domain, writes hypercall blocks into its RAM and passes them
 * with HVCTL_HYPERCALL, as a VMM does. Checks delivery both ways (upcall
 * eventfd, shared-info bits, /dev/xen/evtchn, doorbell + send bitmap) and
 * every bad request a hostile guest can make. Prints PASS/FAIL lines; exit
 * status 1 if any failed. Needs hv.ko and hvx_core.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xen/hvx/evtchn-dev.h"
#include "xen/hvx/hvctl.h"
#include "xen/hvx/platform.h"
#include "xen/hvx/xen-abi.h"

#define RAM_MIB		16
#define BLOCK_GFN	0x10
#define SHINFO_GFN	0x11
#define SEND_GFN	0x12
#define GRANT_GFN	0x13

static int failures;
static int ctl_fd, evtchn_fd, upcall_fd, doorbell_fd;
static uint8_t *ram;
static uint32_t domid;

static void check(int ok, const char *what)
{
	printf("%s %s\n", ok ? "PASS" : "FAIL", what);
	failures += !ok;
}

static void *gpa(uint64_t addr)
{
	return ram + addr;
}

/* One hypercall with an argument struct, as the guest core makes it. */
static long hcall(uint64_t op, uint64_t a1, const void *arg, size_t len,
		  uint64_t a3, void *out)
{
	struct hvx_hypercall_block *b = gpa(BLOCK_GFN << 12);
	struct hvctl_hypercall hc = { .vcpu = 0, .block_gfn = BLOCK_GFN };

	memset(b, 0, 64);
	b->op = op;
	b->args[0] = a1;
	b->args[1] = arg ? (BLOCK_GFN << 12) + 64 : 0;
	b->args[2] = a3;
	if (arg)
		memcpy(b->data, arg, len);
	if (ioctl(ctl_fd, HVCTL_HYPERCALL, &hc))
		return -1000 - errno;
	if (out)
		memcpy(out, b->data, len);
	if (hc.result != b->result)
		return -2000;
	return hc.result;
}

static long evtchn_op(int cmd, void *arg, size_t len)
{
	return hcall(HVX_HYPERVISOR_event_channel_op, (uint64_t)cmd, arg, len, 0, arg);
}

static uint64_t counter(int fd)
{
	uint64_t v = 0;

	if (read(fd, &v, sizeof(v)) != sizeof(v))
		return 0;
	return v;
}

static int dom0_event(int timeout_ms, uint32_t *port)
{
	struct pollfd p = { .fd = evtchn_fd, .events = POLLIN };

	if (poll(&p, 1, timeout_ms) != 1 || read(evtchn_fd, port, 4) != 4)
		return 0;
	return write(evtchn_fd, port, 4) == 4;	/* unmask */
}

#define DOORBELL_RATE_PARAM "/sys/module/hv/parameters/doorbell_rate"
#define DOORBELL_THROTTLED_PARAM "/sys/module/hv/parameters/doorbell_throttled"
#define FLOOD_RINGS 20000

static long read_param(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

static int write_param(const char *path, long value)
{
	char buf[32];
	int fd = open(path, O_WRONLY | O_CLOEXEC), ok;

	snprintf(buf, sizeof(buf), "%ld", value);
	ok = fd >= 0 && write(fd, buf, strlen(buf)) == (ssize_t)strlen(buf);
	if (fd >= 0)
		close(fd);
	return ok;
}

/*
 * A guest ringing its doorbell in a tight loop: hv.ko scans the send
 * bitmap at most doorbell_rate times a second (lowered here so that even
 * the slow lab floods it), counts the rings it deferred, and still
 * delivers: the next ring after the flood reaches dom0.
 */
static void doorbell_flood(uint32_t port, uint32_t dom0_port, unsigned long *send_bits)
{
	long rate = read_param(DOORBELL_RATE_PARAM);
	long before = read_param(DOORBELL_THROTTLED_PARAM);
	uint64_t one = 1;
	uint32_t got;
	int i, seen = 0;

	check(rate > 0 && before >= 0, "hv.ko shows doorbell_rate and doorbell_throttled");
	check(write_param(DOORBELL_RATE_PARAM, 1000), "doorbell_rate can be lowered");
	for (i = 0; i < FLOOD_RINGS; i++) {
		__atomic_or_fetch(&send_bits[port / 64], 1UL << (port % 64), __ATOMIC_SEQ_CST);
		if (write(doorbell_fd, &one, sizeof(one)) != 8)
			break;
	}
	check(i == FLOOD_RINGS, "20000 doorbell rings");
	check(read_param(DOORBELL_THROTTLED_PARAM) > before, "the flood was throttled");
	while (dom0_event(300, &got))
		seen += got == dom0_port;
	check(seen >= 1, "the flood's events reached dom0");
	__atomic_or_fetch(&send_bits[port / 64], 1UL << (port % 64), __ATOMIC_SEQ_CST);
	check(write(doorbell_fd, &one, sizeof(one)) == 8 && dom0_event(2000, &got) &&
	      got == dom0_port, "after the flood, a ring still reaches dom0");
	check(write_param(DOORBELL_RATE_PARAM, rate), "doorbell_rate restored");
}

static void setup(void)
{
	struct hvctl_domain_create r = {
		.name = "evtchn-probe", .memory_kib = RAM_MIB << 10,
		.maxmem_kib = RAM_MIB << 10, .vcpus = 1,
	};
	struct hvctl_upcall up = { .vcpu = 0 };
	int mem = memfd_create("probe-ram", MFD_CLOEXEC);

	if (mem < 0 || ftruncate(mem, RAM_MIB << 20))
		exit(1);
	ram = mmap(NULL, RAM_MIB << 20, PROT_READ | PROT_WRITE, MAP_SHARED, mem, 0);
	ctl_fd = open("/dev/hvctl", O_RDWR | O_CLOEXEC);
	evtchn_fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	if (ram == MAP_FAILED || ctl_fd < 0 || evtchn_fd < 0) {
		perror("evtchn-probe: setup");
		exit(1);
	}
	r.memfd = mem;
	if (ioctl(ctl_fd, HVCTL_DOMAIN_CREATE, &r)) {
		perror("evtchn-probe: HVCTL_DOMAIN_CREATE");
		exit(1);
	}
	domid = r.domid;
	upcall_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	doorbell_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	up.eventfd = upcall_fd;
	check(ioctl(ctl_fd, HVCTL_SET_UPCALL, &up) == 0, "upcall eventfd accepted");
	check(ioctl(ctl_fd, HVCTL_SET_DOORBELL, &doorbell_fd) == 0, "doorbell accepted");
	up.vcpu = 1;
	check(ioctl(ctl_fd, HVCTL_SET_UPCALL, &up) == -1 && errno == EINVAL,
	      "upcall for a vCPU the domain lacks refused");
}

static void memory_ops(void)
{
	struct hvx_add_to_physmap x = {
		.domid = HVX_DOMID_SELF, .space = HVX_XENMAPSPACE_shared_info,
		.gpfn = SHINFO_GFN,
	};
	struct hvctl_hypercall hc = { .block_gfn = (RAM_MIB << 20) >> 12 };

	check(ioctl(ctl_fd, HVCTL_HYPERCALL, &hc) == -1 && errno == EFAULT,
	      "hypercall block outside RAM faults");
	hc.block_gfn = ~0ULL;
	check(ioctl(ctl_fd, HVCTL_HYPERCALL, &hc) == -1 && errno == EFAULT,
	      "hypercall block at an absurd frame faults");
	check(hcall(12345, 0, NULL, 0, 0, NULL) == -ENOSYS, "unknown hypercall: ENOSYS");
	x.gpfn = (RAM_MIB << 20) >> 12;
	check(hcall(HVX_HYPERVISOR_memory_op, HVX_XENMEM_add_to_physmap, &x,
		    sizeof(x), 0, NULL) == -EFAULT, "shared info outside RAM refused");
	x.gpfn = SHINFO_GFN;
	x.idx = 1;
	check(hcall(HVX_HYPERVISOR_memory_op, HVX_XENMEM_add_to_physmap, &x,
		    sizeof(x), 0, NULL) == -EINVAL, "shared info idx 1 refused");
	x.idx = 0;
	x.domid = 0;
	check(hcall(HVX_HYPERVISOR_memory_op, HVX_XENMEM_add_to_physmap, &x, sizeof(x),
		    0, NULL) == -EPERM, "add_to_physmap for dom0 refused");
	x.domid = HVX_DOMID_SELF;
	check(hcall(HVX_HYPERVISOR_memory_op, HVX_XENMEM_add_to_physmap, &x,
		    sizeof(x), 0, NULL) == 0, "shared info registered");
	{
		struct hvx_hypercall_block *b = gpa(BLOCK_GFN << 12);
		struct hvctl_hypercall h = { .block_gfn = BLOCK_GFN };

		memset(b, 0, 64);
		b->op = HVX_HYPERVISOR_arch_0;
		b->args[0] = HVXOP_set_send_page;
		b->args[1] = SEND_GFN;
		check(ioctl(ctl_fd, HVCTL_HYPERCALL, &h) == 0 && h.result == 0,
		      "send bitmap page registered");
	}
}

static void event_channels(void)
{
	struct hvx_shared_info *si = gpa(SHINFO_GFN << 12);
	struct hvx_evtchn_alloc_unbound au = { .dom = HVX_DOMID_SELF, .remote_dom = 0 };
	struct hvx_ioctl_evtchn_bind_interdomain bind;
	struct hvx_evtchn_status st = { .dom = HVX_DOMID_SELF };
	struct hvx_evtchn_send send;
	struct hvx_evtchn_close cl;
	struct hvx_evtchn_bind_vcpu bv;
	unsigned long *send_bits = gpa(SEND_GFN << 12);
	uint32_t port, dom0_port, got = 0;
	uint64_t one = 1;
	int n;

	check(evtchn_op(HVX_EVTCHNOP_alloc_unbound, &au, sizeof(au)) == 0 && au.port > 0,
	      "alloc_unbound for dom0");
	port = au.port;
	st.port = port;
	check(evtchn_op(HVX_EVTCHNOP_status, &st, sizeof(st)) == 0 &&
	      st.status == HVX_EVTCHNSTAT_unbound && st.u.unbound.dom == 0,
	      "status: unbound for dom0");
	bind.remote_domain = domid;
	bind.remote_port = port + 1;
	check(ioctl(evtchn_fd, HVX_IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind) == -1,
	      "dom0 cannot bind a port that was never offered");
	bind.remote_port = port;
	n = ioctl(evtchn_fd, HVX_IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
	check(n > 0, "dom0 binds the offered port");
	dom0_port = (uint32_t)n;
	check(ioctl(evtchn_fd, HVX_IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind) == -1,
	      "a bound port cannot be bound twice");
	dom0_event(200, &got);	/* the bind itself raises one, as Xen */
	check(evtchn_op(HVX_EVTCHNOP_status, &st, sizeof(st)) == 0 &&
	      st.status == HVX_EVTCHNSTAT_interdomain && st.u.interdomain.dom == 0 &&
	      st.u.interdomain.port == dom0_port, "status: interdomain with dom0");

	/* dom0 -> domU: pending bit, selector, upcall_pending, eventfd. */
	counter(upcall_fd);
	si->evtchn_pending[port / 64] = 0;
	si->vcpu_info[0].evtchn_pending_sel = 0;
	si->vcpu_info[0].evtchn_upcall_pending = 0;
	{
		struct hvx_ioctl_evtchn_port np = { .port = dom0_port };

		check(ioctl(evtchn_fd, HVX_IOCTL_EVTCHN_NOTIFY, &np) == 0, "dom0 notifies");
	}
	check(si->evtchn_pending[port / 64] & (1ULL << (port % 64)), "pending bit set");
	check(si->vcpu_info[0].evtchn_pending_sel & (1ULL << (port / 64)), "selector bit set");
	check(si->vcpu_info[0].evtchn_upcall_pending == 1, "upcall_pending set");
	check(counter(upcall_fd) == 1, "upcall eventfd signalled once");

	/* Masked: the bit is set, no upcall; unmask delivers it. */
	si->evtchn_pending[port / 64] = 0;
	si->vcpu_info[0].evtchn_pending_sel = 0;
	si->vcpu_info[0].evtchn_upcall_pending = 0;
	si->evtchn_mask[port / 64] |= 1ULL << (port % 64);
	{
		struct hvx_ioctl_evtchn_port np = { .port = dom0_port };
		struct hvx_evtchn_unmask um = { .port = port };

		ioctl(evtchn_fd, HVX_IOCTL_EVTCHN_NOTIFY, &np);
		check(counter(upcall_fd) == 0 && si->vcpu_info[0].evtchn_upcall_pending == 0,
		      "masked port: no upcall");
		check(evtchn_op(HVX_EVTCHNOP_unmask, &um, sizeof(um)) == 0 &&
		      counter(upcall_fd) == 1, "unmask delivers the pending event");
	}

	/* domU -> dom0 by hypercall and by doorbell + send bitmap. */
	send.port = port;
	check(evtchn_op(HVX_EVTCHNOP_send, &send, sizeof(send)) == 0 &&
	      dom0_event(2000, &got) && got == dom0_port, "domU send reaches dom0");
	__atomic_or_fetch(&send_bits[port / 64], 1UL << (port % 64), __ATOMIC_SEQ_CST);
	check(write(doorbell_fd, &one, sizeof(one)) == 8 && dom0_event(2000, &got) &&
	      got == dom0_port, "doorbell + send bitmap reach dom0");
	check(send_bits[port / 64] == 0, "hv.ko took the send bitmap");
	/* Garbage in the bitmap: bits of ports past the limit, unbound ports. */
	memset(send_bits, 0xff, 4096);
	check(write(doorbell_fd, &one, sizeof(one)) == 8, "doorbell with a full bitmap");
	usleep(200000);
	check(dom0_event(1000, &got) && got == dom0_port, "the bound port still works");
	doorbell_flood(port, dom0_port, send_bits);

	/* Bad requests. */
	send.port = 5000;
	check(evtchn_op(HVX_EVTCHNOP_send, &send, sizeof(send)) == -EINVAL,
	      "send on a port past the table");
	send.port = 0;
	check(evtchn_op(HVX_EVTCHNOP_send, &send, sizeof(send)) == -EINVAL, "send on port 0");
	cl.port = port + 7;
	check(evtchn_op(HVX_EVTCHNOP_close, &cl, sizeof(cl)) == -EINVAL,
	      "close of an unbound port number");
	st.dom = 0;
	check(evtchn_op(HVX_EVTCHNOP_status, &st, sizeof(st)) == -EPERM,
	      "status of dom0's ports refused to a domU");
	st.dom = HVX_DOMID_SELF;
	au.dom = 0;
	check(evtchn_op(HVX_EVTCHNOP_alloc_unbound, &au, sizeof(au)) == -EPERM,
	      "alloc_unbound in another domain refused");
	au.dom = HVX_DOMID_SELF;
	au.remote_dom = 0x7ff5;
	check(evtchn_op(HVX_EVTCHNOP_alloc_unbound, &au, sizeof(au)) == -EINVAL,
	      "alloc_unbound for a reserved domid refused");
	bv.port = port;
	bv.vcpu = 3;
	check(evtchn_op(HVX_EVTCHNOP_bind_vcpu, &bv, sizeof(bv)) == -ENOENT,
	      "bind_vcpu to a missing vCPU refused");
	check(evtchn_op(99, &bv, sizeof(bv)) == -ENOSYS, "unknown event-channel op");
	{
		struct hvx_evtchn_bind_interdomain bi = { .remote_dom = 0, .remote_port = 1 };

		check(evtchn_op(HVX_EVTCHNOP_bind_interdomain, &bi, sizeof(bi)) == -EINVAL,
		      "binding a dom0 port not offered to us refused");
		bi.remote_dom = 0x7ff7;
		check(evtchn_op(HVX_EVTCHNOP_bind_interdomain, &bi, sizeof(bi)) == -ESRCH,
		      "binding to a missing domain refused");
	}
	{
		struct hvx_evtchn_bind_virq bvq = { .virq = 99, .vcpu = 0 };

		check(evtchn_op(HVX_EVTCHNOP_bind_virq, &bvq, sizeof(bvq)) == -EINVAL,
		      "bind_virq of an unknown VIRQ refused");
	}
	/* The port limit: at most 1023 ports, then ENOSPC. */
	au.remote_dom = 0;
	for (n = 0; n < 5000; n++)
		if (evtchn_op(HVX_EVTCHNOP_alloc_unbound, &au, sizeof(au)))
			break;
	check(au.port <= HVX_EVTCHN_DEFAULT_MAX &&
	      evtchn_op(HVX_EVTCHNOP_alloc_unbound, &au, sizeof(au)) == -ENOSPC,
	      "ports stop at the limit with ENOSPC");

	/* domU closes: dom0's end becomes unbound and hears of it. */
	cl.port = port;
	check(evtchn_op(HVX_EVTCHNOP_close, &cl, sizeof(cl)) == 0, "domU closes its end");
	check(dom0_event(2000, &got) && got == dom0_port, "dom0 is told of the close");
}

static void grants(void)
{
	struct hvx_add_to_physmap x = {
		.domid = HVX_DOMID_SELF, .space = HVX_XENMAPSPACE_grant_table,
		.gpfn = GRANT_GFN, .idx = 0,
	};
	struct hvx_gnttab_query_size q = { .dom = HVX_DOMID_SELF };
	struct hvx_gnttab_setup_table t = { .dom = HVX_DOMID_SELF, .nr_frames = 2 };
	struct hvx_hypercall_block *b = gpa(BLOCK_GFN << 12);
	uint64_t frames_gpa = (BLOCK_GFN << 12) + 64 + 256;

	x.idx = 3;
	check(hcall(HVX_HYPERVISOR_memory_op, HVX_XENMEM_add_to_physmap, &x, sizeof(x),
		    0, NULL) == -EINVAL, "grant frame with a gap refused");
	x.idx = HVX_GNTTAB_DEFAULT_MAX_FRAMES;
	check(hcall(HVX_HYPERVISOR_memory_op, HVX_XENMEM_add_to_physmap, &x, sizeof(x),
		    0, NULL) == -EINVAL, "grant frame past the limit refused");
	x.idx = 0;
	check(hcall(HVX_HYPERVISOR_memory_op, HVX_XENMEM_add_to_physmap, &x, sizeof(x),
		    0, NULL) == 0, "grant frame 0 registered");
	check(hcall(HVX_HYPERVISOR_grant_table_op, HVX_GNTTABOP_query_size, &q, sizeof(q),
		    1, &q) == 0 && q.status == 0 && q.nr_frames == 1 &&
	      q.max_nr_frames == HVX_GNTTAB_DEFAULT_MAX_FRAMES, "query_size: 1 of 64");
	t.frame_list = frames_gpa;
	check(hcall(HVX_HYPERVISOR_grant_table_op, HVX_GNTTABOP_setup_table, &t, sizeof(t),
		    1, &t) == 0 && t.status == HVX_GNTST_general_error,
	      "setup_table beyond the registered frames fails");
	t.nr_frames = 1;
	check(hcall(HVX_HYPERVISOR_grant_table_op, HVX_GNTTABOP_setup_table, &t, sizeof(t),
		    1, &t) == 0 && t.status == 0 &&
	      *(uint64_t *)((uint8_t *)b + 64 + 256) == GRANT_GFN,
	      "setup_table reports the frame");
	t.frame_list = (RAM_MIB << 20) + 8;
	check(hcall(HVX_HYPERVISOR_grant_table_op, HVX_GNTTABOP_setup_table, &t, sizeof(t),
		    1, &t) == 0 && t.status == HVX_GNTST_bad_virt_addr,
	      "setup_table into a frame list outside RAM fails");
	check(hcall(HVX_HYPERVISOR_grant_table_op, HVX_GNTTABOP_copy, &t, sizeof(t),
		    1, NULL) == -EPERM, "grant copy from a domU refused");
	check(hcall(HVX_HYPERVISOR_grant_table_op, HVX_GNTTABOP_map_grant_ref, &t,
		    sizeof(t), 1, NULL) == -ENOSYS, "grant map by hypercall refused");
}

static void params(void)
{
	struct hvctl_param p = { .index = HVX_HVM_PARAM_STORE_EVTCHN, .value = 42 };
	struct hvx_hvm_param hp = { .domid = HVX_DOMID_SELF,
				    .index = HVX_HVM_PARAM_STORE_EVTCHN };

	check(ioctl(ctl_fd, HVCTL_SET_PARAM, &p) == 0, "VMM sets a param");
	check(hcall(HVX_HYPERVISOR_hvm_op, HVX_HVMOP_get_param, &hp, sizeof(hp), 0,
		    &hp) == 0 && hp.value == 42, "guest reads it");
	check(hcall(HVX_HYPERVISOR_hvm_op, HVX_HVMOP_set_param, &hp, sizeof(hp), 0,
		    NULL) == -EPERM, "guest cannot set params");
	hp.index = 1000;
	check(hcall(HVX_HYPERVISOR_hvm_op, HVX_HVMOP_get_param, &hp, sizeof(hp), 0,
		    NULL) == -EINVAL, "param index out of range");
	hp.index = HVX_HVM_PARAM_STORE_EVTCHN;
	hp.domid = 0;
	check(hcall(HVX_HYPERVISOR_hvm_op, HVX_HVMOP_get_param, &hp, sizeof(hp), 0,
		    NULL) == -EPERM, "dom0's params refused to a domU");
	p.domid = domid;
	p.value = 0;
	check(ioctl(evtchn_fd, HVCTL_GET_PARAM, &p) == -1, "GET_PARAM is not on evtchn");
	{
		int fd = open("/dev/hvctl", O_RDWR | O_CLOEXEC);

		check(ioctl(fd, HVCTL_GET_PARAM, &p) == 0 && p.value == 42,
		      "toolstack reads the param by domid");
		check(ioctl(fd, HVCTL_HYPERCALL, &p) == -1 && errno == ENOENT,
		      "hypercall on a file without a domain refused");
		close(fd);
	}
}

int main(void)
{
	struct hvctl_info info;
	int fd;

	setup();
	memory_ops();
	event_channels();
	grants();
	params();
	close(ctl_fd);	/* the domain goes: ports closed, pages dropped */
	close(evtchn_fd);
	fd = open("/dev/hvctl", O_RDWR | O_CLOEXEC);
	usleep(100000);
	check(fd >= 0 && ioctl(fd, HVCTL_INFO, &info) == 0 && info.nr_grant_maps == 0 &&
	      info.nr_foreign_maps == 0, "nothing mapped once the domain is gone");
	return failures ? 1 : 0;
}
