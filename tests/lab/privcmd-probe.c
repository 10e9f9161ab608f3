// SPDX-License-Identifier: GPL-2.0-only
/*
 * privcmd-probe.c: hypercalls from userspace through xenfs's privcmd file
 * (include/xen/hvx/privcmd.h), in dom0 or in a domU: xen_version, the
 * domain's own info, an event channel allocated, inspected and closed, a
 * grant-table size query, an HVM parameter, and the requests a process may
 * not make (bad ops and pointers, the kernel's ports, other domains from a
 * domU, add_to_physmap, a restricted file). Ports left open are closed
 * when the file is. Prints PASS/FAIL lines; exit status 1 if any failed.
 *
 *   privcmd-probe [FILE]     FILE defaults to /proc/xen/privcmd
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "xen/hvx/platform.h"
#include "xen/hvx/privcmd.h"
#include "xen/hvx/xen-abi.h"

static int failures;

static void check(int ok, const char *what)
{
	printf("%s %s\n", ok ? "PASS" : "FAIL", what);
	failures += !ok;
}

/* The hypercall's result, or -errno. */
static long hcall(int fd, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct hvx_privcmd_hypercall c = { .op = op, .arg = { a0, a1, a2 } };
	long r = ioctl(fd, HVX_IOCTL_PRIVCMD_HYPERCALL, &c);

	return r < 0 ? -errno : r;
}

static long evtchn(int fd, int cmd, void *arg)
{
	return hcall(fd, HVX_HYPERVISOR_event_channel_op, cmd,
		     (uint64_t)(uintptr_t)arg, 0);
}

static long port_status(int fd, uint32_t port, struct hvx_evtchn_status *st)
{
	memset(st, 0, sizeof(*st));
	st->dom = HVX_DOMID_SELF;
	st->port = port;
	return evtchn(fd, HVX_EVTCHNOP_status, st);
}

static void check_errno(long got, long want, const char *what)
{
	char line[160];

	snprintf(line, sizeof(line), "%s (got %ld, want %ld)", what, got, want);
	check(got == want, line);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/proc/xen/privcmd";
	struct hvx_evtchn_alloc_unbound au;
	struct hvx_evtchn_status st;
	struct hvx_evtchn_close cl;
	struct hvx_gnttab_query_size qs;
	struct hvx_hvm_param hp;
	struct hvx_op_info info;
	struct hvx_evtchn_reset rs;
	hvx_domid_t dom;
	uint32_t port;
	int fd, fd2, dom0;
	long r;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("FAIL open %s: %s\n", path, strerror(errno));
		return 1;
	}

	r = hcall(fd, HVX_HYPERVISOR_xen_version, HVX_XENVER_version, 0, 0);
	printf("-- xen_version 0x%lx\n", r);
	check(r > 0 && (r >> 16) == 4, "xen_version: Xen 4.x");
	r = hcall(fd, HVX_HYPERVISOR_arch_0, HVXOP_get_info,
		  (uint64_t)(uintptr_t)&info, 0);
	check(r == 0, "hvx_op get_info");
	dom0 = r == 0 && info.domid == 0;
	printf("-- domid %u (%s)\n", info.domid, dom0 ? "dom0" : "domU");

	/* An event channel of our own: allocate, inspect, close. */
	memset(&au, 0, sizeof(au));
	au.dom = HVX_DOMID_SELF;
	au.remote_dom = 0;
	r = evtchn(fd, HVX_EVTCHNOP_alloc_unbound, &au);
	check(r == 0 && au.port > 0, "alloc_unbound: a port comes back");
	port = au.port;
	r = port_status(fd, port, &st);
	check(r == 0 && st.status == HVX_EVTCHNSTAT_unbound && st.u.unbound.dom == 0,
	      "status: the new port is unbound, for dom0");
	cl.port = port;
	check_errno(evtchn(fd, HVX_EVTCHNOP_close, &cl), 0, "close our port");
	r = port_status(fd, port, &st);
	check(r == 0 && st.status == HVX_EVTCHNSTAT_closed, "status: closed now");
	check_errno(evtchn(fd, HVX_EVTCHNOP_close, &cl), -EPERM,
		    "close it again: no longer ours");

	/* The kernel's ports are not the process's. */
	cl.port = 1;
	check_errno(evtchn(fd, HVX_EVTCHNOP_close, &cl), -EPERM,
		    "close a port this file did not bind");
	rs.dom = HVX_DOMID_SELF;
	check_errno(evtchn(fd, HVX_EVTCHNOP_reset, &rs), -EPERM,
		    "reset our own domain's ports");

	/* A port left open is closed with the file. */
	fd2 = open(path, O_RDWR | O_CLOEXEC);
	memset(&au, 0, sizeof(au));
	au.dom = HVX_DOMID_SELF;
	r = fd2 < 0 ? -errno : evtchn(fd2, HVX_EVTCHNOP_alloc_unbound, &au);
	check(r == 0, "alloc_unbound on a second file");
	if (fd2 >= 0)
		close(fd2);
	r = port_status(fd, au.port, &st);
	check(r == 0 && st.status == HVX_EVTCHNSTAT_closed,
	      "the second file's port was closed with it");

	/* Bad requests. */
	check_errno(hcall(fd, 999, 0, 0, 0), -ENOSYS, "unknown hypercall");
	check_errno(hcall(fd, HVX_HYPERVISOR_event_channel_op, 99, 0, 0), -ENOSYS,
		    "unknown event-channel op");
	check_errno(hcall(fd, HVX_HYPERVISOR_event_channel_op,
			  HVX_EVTCHNOP_alloc_unbound, 16, 0), -EFAULT,
		    "argument at a bad address");
	check_errno(hcall(fd, HVX_HYPERVISOR_xen_version, 1, 0, 0), -ENOSYS,
		    "xen_version with a buffer (extraversion)");
	check_errno(hcall(fd, HVX_HYPERVISOR_memory_op, HVX_XENMEM_add_to_physmap,
			  0, 0), -EPERM, "add_to_physmap: the kernel's layout");
	check_errno(hcall(fd, HVX_HYPERVISOR_memory_op, HVX_XENMEM_populate_physmap,
			  0, 0), -ENOSYS, "populate_physmap");
	check_errno(hcall(fd, HVX_HYPERVISOR_grant_table_op, HVX_GNTTABOP_copy,
			  0, 1), -ENOSYS, "grant copy");
	check_errno(ioctl(fd, HVX_IOCTL_PRIVCMD_HYPERCALL, NULL) < 0 ? -errno : 0,
		    -EFAULT, "ioctl with a NULL argument");
	check_errno(ioctl(fd, HVX_IOCTL_PRIVCMD_MMAPBATCH_V2, NULL) < 0 ? -errno : 0,
		    -ENOSYS, "MMAPBATCH_V2 is not offered");
	check_errno(ioctl(fd, _IO('P', 99), NULL) < 0 ? -errno : 0, -ENOTTY,
		    "unknown ioctl");

	/* Grant table and HVM parameters of our own domain. */
	memset(&qs, 0, sizeof(qs));
	qs.dom = HVX_DOMID_SELF;
	r = hcall(fd, HVX_HYPERVISOR_grant_table_op, HVX_GNTTABOP_query_size,
		  (uint64_t)(uintptr_t)&qs, 1);
	check(r == 0 && qs.status == HVX_GNTST_okay && qs.nr_frames >= 1 &&
	      qs.max_nr_frames == HVX_GNTTAB_DEFAULT_MAX_FRAMES,
	      "grant query_size of our domain");
	check_errno(hcall(fd, HVX_HYPERVISOR_grant_table_op, HVX_GNTTABOP_query_size,
			  (uint64_t)(uintptr_t)&qs, 2), -EINVAL, "query_size, count 2");
	memset(&hp, 0, sizeof(hp));
	hp.domid = HVX_DOMID_SELF;
	hp.index = HVX_HVM_PARAM_STORE_EVTCHN;
	r = hcall(fd, HVX_HYPERVISOR_hvm_op, HVX_HVMOP_get_param,
		  (uint64_t)(uintptr_t)&hp, 0);
	check(r == 0, "hvm get_param STORE_EVTCHN");
	printf("-- store event channel %llu\n", (unsigned long long)hp.value);
	hp.index = HVX_HVM_NR_PARAMS;
	check_errno(hcall(fd, HVX_HYPERVISOR_hvm_op, HVX_HVMOP_get_param,
			  (uint64_t)(uintptr_t)&hp, 0), -EINVAL,
		    "hvm get_param out of range");

	if (!dom0) {
		/* What only dom0 may do. */
		memset(&au, 0, sizeof(au));
		au.dom = 0;
		au.remote_dom = 0;
		check_errno(evtchn(fd, HVX_EVTCHNOP_alloc_unbound, &au), -EPERM,
			    "domU: alloc_unbound for dom0");
		memset(&st, 0, sizeof(st));
		st.dom = 0;
		st.port = 1;
		check_errno(evtchn(fd, HVX_EVTCHNOP_status, &st), -EPERM,
			    "domU: status of a dom0 port");
		hp.domid = 0;
		hp.index = HVX_HVM_PARAM_STORE_EVTCHN;
		check_errno(hcall(fd, HVX_HYPERVISOR_hvm_op, HVX_HVMOP_get_param,
				  (uint64_t)(uintptr_t)&hp, 0), -EPERM,
			    "domU: dom0's HVM parameter");
		hp.domid = HVX_DOMID_SELF;
		check_errno(hcall(fd, HVX_HYPERVISOR_hvm_op, HVX_HVMOP_set_param,
				  (uint64_t)(uintptr_t)&hp, 0), -EPERM,
			    "domU: set_param");
		qs.dom = 0;
		check_errno(hcall(fd, HVX_HYPERVISOR_grant_table_op,
				  HVX_GNTTABOP_query_size,
				  (uint64_t)(uintptr_t)&qs, 1), -EPERM,
			    "domU: dom0's grant table size");
	} else {
		/* dom0 names other domains; the hypervisor answers for them. */
		memset(&st, 0, sizeof(st));
		st.dom = 0x7000;	/* no such domain */
		st.port = 1;
		r = evtchn(fd, HVX_EVTCHNOP_status, &st);
		check(r < 0 && r != -EPERM, "dom0: status in a missing domain fails in hv");
	}

	/* A restricted file makes no hypercall (as Xen's, which allows dm_op). */
	fd2 = open(path, O_RDWR | O_CLOEXEC);
	dom = 1;
	check(fd2 >= 0 && ioctl(fd2, HVX_IOCTL_PRIVCMD_RESTRICT, &dom) == 0,
	      "restrict a file to domain 1");
	check_errno(hcall(fd2, HVX_HYPERVISOR_xen_version, 0, 0, 0), -EPERM,
		    "hypercall on a restricted file");
	dom = 2;
	check_errno(ioctl(fd2, HVX_IOCTL_PRIVCMD_RESTRICT, &dom) < 0 ? -errno : 0,
		    -EINVAL, "restrict it to another domain");
	if (fd2 >= 0)
		close(fd2);
	close(fd);
	printf("%s\n", failures ? "privcmd-probe: FAILED" : "privcmd-probe: all passed");
	return failures ? 1 : 0;
}
