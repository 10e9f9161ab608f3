// SPDX-License-Identifier: GPL-2.0-only
/* hvctl-probe.c: hostile and edge-case calls on /dev/hvctl; PASS/FAIL lines. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xen/hvctl.h"

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
	return failures ? 1 : 0;
}
