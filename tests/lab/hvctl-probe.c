// SPDX-License-Identifier: GPL-2.0-only
/* hvctl-probe.c: hostile and edge-case calls on /dev/hvctl; PASS/FAIL lines. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memfd_create */
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xen/hvx/hvctl.h"

static int failures;

static void check(int ok, const char *what)
{
	printf("%s %s\n", ok ? "PASS" : "FAIL", what);
	failures += !ok;
}

static int ctl(void)
{
	int fd = open("/dev/hvctl", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		perror("/dev/hvctl");
		exit(1);
	}
	return fd;
}

static int ram(unsigned long long mib)
{
	int fd = memfd_create("probe-ram", MFD_CLOEXEC);

	if (fd < 0 || ftruncate(fd, (off_t)(mib << 20)))
		exit(1);
	return fd;
}

static struct hvctl_domain_create req(const char *name, int memfd)
{
	struct hvctl_domain_create r = {
		.memory_kib = 64 << 10, .maxmem_kib = 64 << 10,
		.memfd = memfd, .vcpus = 1,
	};

	snprintf(r.name, sizeof(r.name), "%s", name);
	return r;
}

/* CREATE with R on a fresh file fails with errno E; the file is closed. */
static void refused(struct hvctl_domain_create r, int e, const char *what)
{
	int fd = ctl();
	int ret = ioctl(fd, HVCTL_DOMAIN_CREATE, &r);

	check(ret == -1 && errno == e, what);
	close(fd);
}

static int count_domains(void)
{
	struct hvctl_domain_list l = { 0 };
	int fd = ctl();

	if (ioctl(fd, HVCTL_DOMAIN_LIST, &l))
		l.nr_domains = 9999;
	close(fd);
	return (int)l.nr_domains;
}

/* LIST into INFO (capacity N): the number copied, or -1. */
static int list(struct hvctl_domain_info *info, unsigned int n, unsigned int *total)
{
	struct hvctl_domain_list l = { .nr_entries = n, .entries = (uintptr_t)info };
	int fd = ctl(), ret = ioctl(fd, HVCTL_DOMAIN_LIST, &l);

	close(fd);
	if (ret)
		return -1;
	if (total)
		*total = l.nr_domains;
	return (int)l.nr_entries;
}

/* The listed entry of DOMID, or NULL; INFO must hold 64 entries. */
static struct hvctl_domain_info *find(struct hvctl_domain_info *info, uint32_t domid)
{
	int n = list(info, 64, NULL), i;

	for (i = 0; i < n; i++)
		if (info[i].domid == domid)
			return &info[i];
	return NULL;
}

/* Register NAME on a fresh file; the file (owner) or -1. */
static int owner(const char *name, int memfd, uint32_t *domid)
{
	struct hvctl_domain_create r = req(name, memfd);
	int fd = ctl();

	if (ioctl(fd, HVCTL_DOMAIN_CREATE, &r)) {
		close(fd);
		return -1;
	}
	*domid = r.domid;
	return fd;
}

/* Opening /dev/hvctl needs CAP_SYS_ADMIN, not just the file mode. */
static void privileges(void)
{
	pid_t child = fork();
	int status = 0;

	if (child == 0) {
		struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct data[2];
		int fd;

		if (syscall(SYS_capget, &hdr, data))
			_exit(2);
		data[CAP_SYS_ADMIN / 32].effective &= ~(1u << (CAP_SYS_ADMIN % 32));
		if (syscall(SYS_capset, &hdr, data))
			_exit(2);
		fd = open("/dev/hvctl", O_RDWR | O_CLOEXEC);
		_exit(fd < 0 && errno == EPERM ? 0 : 1);
	}
	waitpid(child, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "open without CAP_SYS_ADMIN refused (EPERM)");
}

/* Domids: distinct, ascending in lists, not reused at once (cyclic). */
static void domids(int mem)
{
	struct hvctl_domain_info info[64];
	uint32_t a, b, c, d;
	unsigned int total = 0;
	int fa = owner("probe-a", mem, &a), fb = owner("probe-b", mem, &b);
	int fc = owner("probe-c", mem, &c), fd, n, i, sorted = 1;

	check(fa >= 0 && fb >= 0 && fc >= 0 && a != b && b != c && a != c,
	      "three domains get distinct domids");
	n = list(info, 64, &total);
	for (i = 1; i < n; i++)
		sorted &= info[i - 1].domid < info[i].domid;
	check(n >= 3 && sorted && total == (unsigned int)n, "list is ordered by domid");
	n = list(info, 1, &total);
	check(n == 1 && total >= 3, "list truncated to its capacity counts all domains");
	close(fb);
	fd = owner("probe-b", mem, &d);
	check(fd >= 0 && d != b && d > c, "a freed domid is not reused at once");
	check(fd >= 0, "a name is free again once its domain is gone");
	if (fd >= 0)
		close(fd);
	if (fa >= 0)
		close(fa);
	if (fc >= 0)
		close(fc);
}

/* Limits that are allowed, state and timestamps as listed, HVCTL_INFO. */
static void accepted(int mem)
{
	struct hvctl_domain_info info[64], *e;
	struct hvctl_domain_set_state st = { HVCTL_STATE_SHUTDOWN, HVCTL_SHUTDOWN_POWEROFF };
	struct hvctl_domain_create r = req("", mem);
	struct hvctl_info hi;
	struct timespec now;
	int fd = ctl(), ok;

	memset(r.name, 'N', sizeof(r.name) - 1);
	r.name[sizeof(r.name) - 1] = 0;
	r.memory_kib = HVCTL_MEMORY_MIN_KIB;
	r.maxmem_kib = 1ULL << 40;
	r.vcpus = HVCTL_VCPUS_MAX;
	ok = ioctl(fd, HVCTL_DOMAIN_CREATE, &r) == 0;
	check(ok, "longest name, least memory, most vCPUs accepted");
	clock_gettime(CLOCK_REALTIME, &now);
	e = ok ? find(info, r.domid) : NULL;
	check(e && !strcmp(e->name, r.name) && e->vcpus == HVCTL_VCPUS_MAX &&
	      e->memory_kib == HVCTL_MEMORY_MIN_KIB && e->maxmem_kib == 1ULL << 40 &&
	      e->state == HVCTL_STATE_BUILDING && e->shutdown_reason == HVCTL_SHUTDOWN_NONE,
	      "new domain listed BUILDING with its fields");
	check(e && e->created_ns <= (uint64_t)now.tv_sec * 1000000000ull + now.tv_nsec &&
	      e->created_ns + 60000000000ull > (uint64_t)now.tv_sec * 1000000000ull,
	      "created_ns is the registration time");
	check(ioctl(fd, HVCTL_DOMAIN_SET_STATE, &st) == 0 &&
	      (e = find(info, r.domid)) && e->state == HVCTL_STATE_SHUTDOWN &&
	      e->shutdown_reason == HVCTL_SHUTDOWN_POWEROFF, "shutdown state and reason listed");
	check(ioctl(fd, HVCTL_INFO, &hi) == 0 && hi.abi_version == HVCTL_ABI_VERSION &&
	      hi.nr_domains == (uint32_t)list(info, 64, NULL) && hi.host_memory_kib > 0 &&
	      hi.max_domains == HVCTL_DOMID_LAST - HVCTL_DOMID_FIRST + 1 &&
	      hi.version[0] && memchr(hi.version, 0, sizeof(hi.version)),
	      "info: ABI version, domain count, host memory, version string");
	close(fd);
}

/*
 * The owner's file outlives the VMM when a grandchild inherited it: the
 * domain stays listed DYING, destroying it again is fine, and it goes only
 * when the last copy of the file is closed.
 */
static void dying(int mem)
{
	struct hvctl_domain_info info[64], *e;
	int pipefd[2], fd = ctl(), status = 0;
	pid_t child, grandchild = 0;
	uint32_t id = 0;

	if (pipe(pipefd) || prctl(PR_SET_CHILD_SUBREAPER, 1))
		exit(1);
	child = fork();
	if (child == 0) {
		struct hvctl_domain_create r = req("holder", mem);
		int cfd = open("/dev/hvctl", O_RDWR);	/* inherited by the grandchild */
		pid_t g;

		if (cfd < 0 || ioctl(cfd, HVCTL_DOMAIN_CREATE, &r))
			_exit(1);
		g = fork();
		if (g == 0) {
			for (;;)
				pause();
		}
		if (write(pipefd[1], &r.domid, sizeof(r.domid)) != sizeof(r.domid) ||
		    write(pipefd[1], &g, sizeof(g)) != sizeof(g))
			_exit(1);
		for (;;)
			pause();
	}
	if (read(pipefd[0], &id, sizeof(id)) != sizeof(id) ||
	    read(pipefd[0], &grandchild, sizeof(grandchild)) != sizeof(grandchild))
		exit(1);
	e = find(info, id);
	check(e && e->vmm_pid == child, "vmm_pid is the creating process");
	check(ioctl(fd, HVCTL_DOMAIN_DESTROY, &id) == 0, "destroy while the file is shared");
	waitpid(child, &status, 0);
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the VMM is killed");
	e = find(info, id);
	check(e && e->state == HVCTL_STATE_DYING, "listed DYING while its file lives on");
	check(ioctl(fd, HVCTL_DOMAIN_DESTROY, &id) == 0, "destroying a dying domain is fine");
	kill(grandchild, SIGKILL);
	waitpid(grandchild, &status, 0);
	check(!find(info, id), "gone once the last copy of its file is closed");
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	close(pipefd[0]);
	close(pipefd[1]);
	close(fd);
}

int main(void)
{
	int mem = ram(64), small = ram(1), fd, fd2, before = count_domains();
	struct hvctl_domain_create r;
	struct hvctl_domain_set_state st;
	struct hvctl_domain_info info[4];
	struct hvctl_domain_list l;
	uint32_t id;
	pid_t child;
	int pipefd[2], devnull = open("/dev/null", O_RDONLY);

	r = req("", mem);
	refused(r, EINVAL, "empty name refused");
	r = req("a/b", mem);
	refused(r, EINVAL, "name with '/' refused");
	r = req("caf\xe9", mem);
	refused(r, EINVAL, "name with a Latin-1 letter refused");
	r = req("a b", mem);
	refused(r, EINVAL, "name with a space refused");
	r = req("x", mem);
	memset(r.name, 'a', sizeof(r.name));
	refused(r, EINVAL, "name without NUL refused");
	r = req("p", mem);
	r.vcpus = 0;
	refused(r, EINVAL, "0 vCPUs refused");
	r.vcpus = HVCTL_VCPUS_MAX + 1;
	refused(r, EINVAL, "too many vCPUs refused");
	r = req("p", mem);
	r.memory_kib = 1024;
	refused(r, EINVAL, "memory below the minimum refused");
	r = req("p", mem);
	r.maxmem_kib = r.memory_kib - 1;
	refused(r, EINVAL, "maxmem below memory refused");
	r = req("p", mem);
	r.memory_kib = r.maxmem_kib = 1ULL << 50;
	refused(r, ENOMEM, "memory beyond the host refused");
	r = req("p", mem);
	r.memory_kib = r.maxmem_kib = ~0ULL;
	refused(r, EINVAL, "memory that overflows refused");
	r = req("p", mem);
	r.flags = 1;
	refused(r, EINVAL, "unknown flags refused");
	r = req("p", -1);
	refused(r, EBADF, "bad memfd refused");
	r = req("p", devnull);
	refused(r, EINVAL, "a memfd that is not shmem refused");
	r = req("p", small);
	refused(r, EINVAL, "a memfd smaller than memory refused");
	{
		char path[64];
		int ro;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", mem);
		ro = open(path, O_RDONLY | O_CLOEXEC);
		r = req("p", ro);
		refused(r, EINVAL, "a memfd open read-only refused");
		close(ro);
	}
	check(count_domains() == before, "no domain left by refused requests");

	fd = ctl();
	r = req("probe", mem);
	check(ioctl(fd, HVCTL_DOMAIN_CREATE, &r) == 0 && r.domid >= HVCTL_DOMID_FIRST,
	      "good domain registered");
	id = r.domid;
	check(ioctl(fd, HVCTL_DOMAIN_CREATE, &r) == -1 && errno == EBUSY,
	      "second domain on one file refused");
	fd2 = ctl();
	r = req("probe", mem);
	check(ioctl(fd2, HVCTL_DOMAIN_CREATE, &r) == -1 && errno == EEXIST,
	      "duplicate name refused");
	st = (struct hvctl_domain_set_state){ HVCTL_STATE_DYING, HVCTL_SHUTDOWN_NONE };
	check(ioctl(fd, HVCTL_DOMAIN_SET_STATE, &st) == -1 && errno == EINVAL,
	      "userspace cannot set DYING");
	st.state = 77;
	check(ioctl(fd, HVCTL_DOMAIN_SET_STATE, &st) == -1 && errno == EINVAL,
	      "unknown state refused");
	st = (struct hvctl_domain_set_state){ HVCTL_STATE_RUNNING, 99 };
	check(ioctl(fd, HVCTL_DOMAIN_SET_STATE, &st) == -1 && errno == EINVAL,
	      "unknown shutdown reason refused");
	st = (struct hvctl_domain_set_state){ HVCTL_STATE_RUNNING, HVCTL_SHUTDOWN_NONE };
	check(ioctl(fd2, HVCTL_DOMAIN_SET_STATE, &st) == -1 && errno == ENOENT,
	      "set_state on a file without a domain refused");
	check(ioctl(fd, HVCTL_DOMAIN_SET_STATE, &st) == 0, "owner sets RUNNING");

	l = (struct hvctl_domain_list){ .nr_entries = 0 };
	check(ioctl(fd2, HVCTL_DOMAIN_LIST, &l) == 0 && l.nr_entries == 0 &&
	      (int)l.nr_domains == before + 1, "list with no room counts domains");
	l = (struct hvctl_domain_list){ .nr_entries = 1000000, .entries = 8 };
	check(ioctl(fd2, HVCTL_DOMAIN_LIST, &l) == -1 && errno == EFAULT,
	      "list into a bad pointer faults, huge capacity is bounded");
	l = (struct hvctl_domain_list){ .nr_entries = 4, .entries = (uintptr_t)info };
	check(ioctl(fd2, HVCTL_DOMAIN_LIST, &l) == 0 && l.nr_entries >= 1, "list");
	check(l.nr_entries >= 1 && !strcmp(info[l.nr_entries - 1].name, "probe") &&
	      info[l.nr_entries - 1].state == HVCTL_STATE_RUNNING &&
	      info[l.nr_entries - 1].vmm_pid == getpid(), "listed as registered");
	id = 0x7ff0;
	check(ioctl(fd2, HVCTL_DOMAIN_DESTROY, &id) == -1 && errno == ESRCH,
	      "destroy of a missing domid refused");
	check(ioctl(fd2, 0x12345678, 0) == -1 && errno == ENOTTY, "unknown ioctl refused");
	close(fd);
	check(count_domains() == before, "closing the owner's file removes the domain");

	/* Destroy from another file kills the owner and the entry goes. */
	if (pipe(pipefd))
		return 1;
	child = fork();
	if (child == 0) {
		int cfd = ctl();

		r = req("victim", mem);
		if (ioctl(cfd, HVCTL_DOMAIN_CREATE, &r))
			_exit(1);
		if (write(pipefd[1], &r.domid, sizeof(r.domid)) != sizeof(r.domid))
			_exit(1);
		for (;;)
			pause();
	}
	if (read(pipefd[0], &id, sizeof(id)) != sizeof(id))
		return 1;
	check(ioctl(fd2, HVCTL_DOMAIN_DESTROY, &id) == 0, "destroy of a live domain");
	{
		int status = 0;

		waitpid(child, &status, 0);
		check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		      "destroy SIGKILLs the owning VMM");
	}
	check(count_domains() == before, "destroyed domain is gone");
	close(fd2);

	privileges();
	domids(mem);
	accepted(mem);
	dying(mem);
	check(count_domains() == before, "no domain left at the end");
	return failures ? 1 : 0;
}
