// SPDX-License-Identifier: GPL-2.0-only
/*
 * balloon-probe.c: hostile reservation ops against hv.ko. The probe plays a
 * domU's VMM: it registers a 64 MiB domain on its own memfd and issues the
 * domain's hypercalls with HVCTL_HYPERCALL, so it can send what no
 * well-behaved guest kernel would: frames out of range, duplicates, frames
 * dom0 has grant-mapped (with balloon_mapper.ko, path in argv[1]), orders
 * above the limit, counts and lists that overflow, other domains' ids.
 * One PASS/FAIL line per check; exit status 1 if any failed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memfd_create */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xen/hvx/hvctl.h"
#include "xen/hvx/xen-abi.h"

#define RAM_MIB		64
#define RAM_PAGES	(RAM_MIB << 8)
#define PAGE		4096ULL
#define BLOCK_GFN	0x100ULL	/* the hypercall block */
#define LIST_GFN	0x101ULL	/* frame lists (up to 4 pages) */
#define GNT_GFN		0x105ULL	/* grant-table frame 0 */
#define GRANTED_GFN	0x180ULL	/* the frame dom0 maps */
#define DATA_OFF	64		/* the block's data area */

struct block {
	uint64_t op;
	uint64_t args[5];
	int64_t result;
	uint64_t reserved;
};

static int failures, ctl_fd, mem_fd;
static uint8_t *ram;
static uint32_t domid;

static void check(int ok, const char *what, long got)
{
	printf("%s %s (got %ld)\n", ok ? "PASS" : "FAIL", what, got);
	failures += !ok;
}

/* One hypercall; the ioctl's own errno as -errno if it failed. */
static long hypercall_at(uint64_t block_gfn, uint64_t op, uint64_t a1, uint64_t a2)
{
	struct block b = { .op = op, .args = { a1, a2 } };
	struct hvctl_hypercall h = { .vcpu = 0, .block_gfn = block_gfn };

	if (block_gfn < RAM_PAGES)
		memcpy(ram + block_gfn * PAGE, &b, sizeof(b));
	if (ioctl(ctl_fd, HVCTL_HYPERCALL, &h))
		return -errno - 1000;	/* told apart from the hypercall's result */
	return h.result;
}

static long hypercall(uint64_t op, uint64_t a1, uint64_t a2)
{
	return hypercall_at(BLOCK_GFN, op, a1, a2);
}

/* A reservation op with @nr frames from @frames (NULL: the list is not written). */
static long reservation(unsigned int cmd, const uint64_t *frames, uint64_t nr,
			uint32_t order, uint16_t dom, uint64_t list_gpa)
{
	struct hvx_memory_reservation r = {
		.extent_start = list_gpa, .nr_extents = nr,
		.extent_order = order, .domid = dom,
	};

	if (frames)
		memcpy(ram + LIST_GFN * PAGE, frames, nr * sizeof(*frames));
	memcpy(ram + BLOCK_GFN * PAGE + DATA_OFF, &r, sizeof(r));
	return hypercall(HVX_HYPERVISOR_memory_op, cmd, BLOCK_GFN * PAGE + DATA_OFF);
}

static long decrease(const uint64_t *frames, uint64_t nr, uint32_t order)
{
	return reservation(HVX_XENMEM_decrease_reservation, frames, nr, order,
			   HVX_DOMID_SELF, LIST_GFN * PAGE);
}

static long populate(const uint64_t *frames, uint64_t nr, uint32_t order)
{
	return reservation(HVX_XENMEM_populate_physmap, frames, nr, order,
			   HVX_DOMID_SELF, LIST_GFN * PAGE);
}

static long pages(unsigned int cmd, uint16_t dom)
{
	memcpy(ram + BLOCK_GFN * PAGE + DATA_OFF, &dom, sizeof(dom));
	return hypercall(HVX_HYPERVISOR_memory_op, cmd, BLOCK_GFN * PAGE + DATA_OFF);
}

static long current_pages(void)
{
	return pages(HVX_XENMEM_current_reservation, HVX_DOMID_SELF);
}

static long allocated_kib(void)
{
	struct stat st;

	return fstat(mem_fd, &st) ? -1 : (long)st.st_blocks / 2;
}

static void setup(void)
{
	struct hvctl_domain_create r = {
		.memory_kib = RAM_MIB << 10, .maxmem_kib = RAM_MIB << 10, .vcpus = 1,
	};

	ctl_fd = open("/dev/hvctl", O_RDWR | O_CLOEXEC);
	mem_fd = memfd_create("hv-guest-ram", MFD_CLOEXEC);
	if (ctl_fd < 0 || mem_fd < 0 || ftruncate(mem_fd, (off_t)RAM_MIB << 20)) {
		perror("balloon-probe: setup");
		exit(1);
	}
	ram = mmap(NULL, (size_t)RAM_MIB << 20, PROT_READ | PROT_WRITE, MAP_SHARED, mem_fd, 0);
	if (ram == MAP_FAILED) {
		perror("balloon-probe: mmap");
		exit(1);
	}
	r.memfd = mem_fd;
	snprintf(r.name, sizeof(r.name), "balloon-probe");
	if (ioctl(ctl_fd, HVCTL_DOMAIN_CREATE, &r)) {
		perror("balloon-probe: HVCTL_DOMAIN_CREATE");
		exit(1);
	}
	domid = r.domid;
}

static void give_back_and_take_again(void)
{
	uint64_t f[4] = { 0x200, 0x201, 0x202, 0x203 };
	long before, after, got;

	memset(ram + 0x200 * PAGE, 0xa5, 4 * PAGE);
	check(current_pages() == RAM_PAGES, "current reservation is the whole RAM", current_pages());
	check(pages(HVX_XENMEM_maximum_reservation, HVX_DOMID_SELF) == RAM_PAGES,
	      "maximum reservation is maxmem", pages(HVX_XENMEM_maximum_reservation, HVX_DOMID_SELF));
	memset(ram + LIST_GFN * PAGE, 0, PAGE);	/* the list page, backed before we count */
	before = allocated_kib();
	got = decrease(f, 4, 0);
	check(got == 4, "4 frames given back", got);
	check(current_pages() == RAM_PAGES - 4, "current reservation fell by 4", current_pages());
	after = allocated_kib();
	check(before - after == 16, "the memfd gave back 16 KiB", before - after);
	/* hv.ko no longer reaches a given-back frame. */
	got = hypercall_at(0x201, HVX_HYPERVISOR_xen_version, 0, 0);
	check(got == -EFAULT - 1000, "a hypercall block in a given-back frame is refused", got);
	/* The guest (the VMM's mapping) finds zeroes there, never old data. */
	check(ram[0x202 * PAGE] == 0 && ram[0x202 * PAGE + 4095] == 0,
	      "a given-back frame reads zeroes", ram[0x202 * PAGE]);
	got = populate(f, 4, 0);
	check(got == 4, "4 frames populated again", got);
	check(current_pages() == RAM_PAGES, "current reservation back to the whole RAM", current_pages());
	check(ram[0x200 * PAGE] == 0 && ram[0x203 * PAGE + 100] == 0,
	      "populated frames are zeroed", ram[0x200 * PAGE]);
	check(hypercall_at(0x201, HVX_HYPERVISOR_xen_version, 0, 0) > 0,
	      "a populated frame is reachable again", 0);
}

static void bad_frames(void)
{
	uint64_t dup[2] = { 0x300, 0x300 };
	uint64_t range[1] = { RAM_PAGES };
	uint64_t top[1] = { ~0ULL };
	uint64_t high[1] = { 0x100000 };
	uint64_t again[1] = { 0x300 };
	long got, cur = current_pages();

	got = decrease(dup, 2, 0);
	check(got == 1, "a duplicate frame ends the list after the first", got);
	got = decrease(again, 1, 0);
	check(got == 0, "a frame already given back is refused", got);
	got = populate(dup, 2, 0);
	check(got == 1, "a duplicate in populate ends the list after the first", got);
	got = populate(again, 1, 0);
	check(got == 0, "populating a frame the domain holds is refused", got);
	got = decrease(range, 1, 0);
	check(got == 0, "a frame past the end of RAM is refused", got);
	got = decrease(top, 1, 0);
	check(got == 0, "frame ~0 is refused", got);
	got = decrease(high, 1, 0);
	check(got == 0, "a frame above 4 GiB of a small guest is refused", got);
	got = populate(range, 1, 0);
	check(got == 0, "populate past the end of RAM is refused", got);
	check(current_pages() == cur, "nothing changed", current_pages());
}

static void bad_orders_and_counts(void)
{
	uint64_t big[1] = { 0x400 }, odd[1] = { 0x401 };
	long got, cur = current_pages();

	got = decrease(big, 1, HVX_XENMEM_MAX_ORDER + 1);
	check(got == -EINVAL, "order above the limit refused", got);
	got = decrease(big, 1, 0xffffffffu);
	check(got == -EINVAL, "order 2^32-1 refused", got);
	got = decrease(odd, 1, 1);
	check(got == 0, "an unaligned extent is refused", got);
	got = decrease(NULL, 1ULL << 62, 0);
	check(got == -EFAULT, "a count that overflows the list refused", got);
	got = decrease(NULL, ~0ULL, 0);
	check(got == -EFAULT, "count ~0 refused", got);
	got = reservation(HVX_XENMEM_populate_physmap, NULL, 1ULL << 61, 0,
			  HVX_DOMID_SELF, LIST_GFN * PAGE);
	check(got == -EFAULT, "populate count that overflows refused", got);
	got = reservation(HVX_XENMEM_decrease_reservation, NULL, 2, 0, HVX_DOMID_SELF, ~0ULL - 7);
	check(got == -EFAULT, "a list that wraps the address space refused", got);
	got = reservation(HVX_XENMEM_decrease_reservation, NULL, 1, 0, HVX_DOMID_SELF,
			  (uint64_t)RAM_MIB << 20);
	check(got == -EFAULT, "a list outside the guest's RAM refused", got);
	check(current_pages() == cur, "nothing changed", current_pages());
	/* A whole order-9 extent, aligned, is fine, and comes back. */
	got = decrease(big, 1, 9);
	check(got == 1 && current_pages() == cur - 512, "an aligned order-9 extent given back", got);
	got = populate(big, 1, 9);
	check(got == 1 && current_pages() == cur, "and populated again", got);
}

static void other_domains(void)
{
	uint64_t f[1] = { 0x500 };
	long got;

	got = reservation(HVX_XENMEM_decrease_reservation, f, 1, 0, 0, LIST_GFN * PAGE);
	check(got == -EPERM, "decrease for dom0 refused", got);
	got = reservation(HVX_XENMEM_decrease_reservation, f, 1, 0, 1, LIST_GFN * PAGE);
	check(got == -EPERM || domid == 1, "decrease for another domU refused", got);
	got = reservation(HVX_XENMEM_populate_physmap, f, 1, 0, 0x7fef, LIST_GFN * PAGE);
	check(got == -EPERM, "populate for another domain refused", got);
	got = pages(HVX_XENMEM_current_reservation, 0);
	check(got == -EPERM, "a domU cannot read dom0's reservation", got);
	got = pages(HVX_XENMEM_current_reservation, (uint16_t)domid);
	check(got == current_pages(), "its own reservation by domid", got);
}

static void ceiling(void)
{
	struct hvctl_mem m = { .domid = domid };
	uint64_t f[2] = { 0x600, 0x601 };
	long got, cur = current_pages();

	check(decrease(f, 2, 0) == 2, "2 frames given back before lowering the ceiling", 0);
	m.max_kib = (uint64_t)(cur - 1) * 4;
	check(ioctl(ctl_fd, HVCTL_MEM_SET_MAX, &m) == 0 && m.current_kib == (uint64_t)(cur - 2) * 4,
	      "ceiling lowered to current + 1 page", (long)m.max_kib);
	got = populate(f, 2, 0);
	check(got == 1, "populate stops at the ceiling", got);
	m.max_kib = (uint64_t)RAM_MIB << 10;
	check(ioctl(ctl_fd, HVCTL_MEM_SET_MAX, &m) == 0, "ceiling raised to maxmem", 0);
	got = populate(f + 1, 1, 0);
	check(got == 1 && current_pages() == cur, "the last frame comes back", got);
	m.max_kib = ((uint64_t)RAM_MIB << 10) + 4;
	errno = 0;
	check(ioctl(ctl_fd, HVCTL_MEM_SET_MAX, &m) == -1 && errno == EINVAL,
	      "a ceiling above the RAM layout refused", errno);
	m.max_kib = 1024;
	errno = 0;
	check(ioctl(ctl_fd, HVCTL_MEM_SET_MAX, &m) == -1 && errno == EINVAL,
	      "a ceiling below the minimum refused", errno);
	m.domid = 0;
	errno = 0;
	check(ioctl(ctl_fd, HVCTL_MEM_GET, &m) == -1 && errno == ESRCH,
	      "MEM_GET of dom0 is ESRCH", errno);
	m.domid = domid;
	m.pad = 1;
	errno = 0;
	check(ioctl(ctl_fd, HVCTL_MEM_GET, &m) == -1 && errno == EINVAL,
	      "MEM_GET with padding set refused", errno);
}

/* dom0 maps GRANTED_GFN through a grant; meanwhile it cannot be given back. */
static void grant_mapped(const char *mapper)
{
	struct hvx_add_to_physmap a = {
		.domid = HVX_DOMID_SELF, .space = HVX_XENMAPSPACE_grant_table,
		.idx = 0, .gpfn = GNT_GFN,
	};
	struct hvx_grant_entry_v1 *e = (void *)(ram + GNT_GFN * PAGE);
	uint64_t f[1] = { GRANTED_GFN }, gnt[1] = { GNT_GFN };
	char cmd[256];
	long got;

	memcpy(ram + BLOCK_GFN * PAGE + DATA_OFF, &a, sizeof(a));
	got = hypercall(HVX_HYPERVISOR_memory_op, HVX_XENMEM_add_to_physmap,
			BLOCK_GFN * PAGE + DATA_OFF);
	check(got == 0, "grant-table frame registered", got);
	got = decrease(gnt, 1, 0);
	check(got == 0, "the grant-table frame itself cannot be given back", got);
	e[1].domid = 0;
	e[1].frame = GRANTED_GFN;
	__atomic_store_n(&e[1].flags, HVX_GTF_permit_access, __ATOMIC_SEQ_CST);
	snprintf(cmd, sizeof(cmd), "insmod %s domid=%u ref=1", mapper, domid);
	check(system(cmd) == 0, "dom0 maps the granted frame", 0);
	got = decrease(f, 1, 0);
	check(got == 0, "a frame dom0 has mapped cannot be given back", got);
	check(ram[GRANTED_GFN * PAGE] == 0x5a, "dom0's writes land in the domain's frame",
	      ram[GRANTED_GFN * PAGE]);
	check(system("rmmod balloon_mapper") == 0, "dom0 unmaps it", 0);
	got = decrease(f, 1, 0);
	check(got == 1, "once unmapped it can be given back", got);
	snprintf(cmd, sizeof(cmd), "insmod %s domid=%u ref=1 2>/dev/null", mapper, domid);
	check(system(cmd) != 0, "dom0 cannot map a given-back frame through a grant", 0);
	e[1].flags = 0;
	check(populate(f, 1, 0) == 1, "and it comes back", 0);
}

int main(int argc, char **argv)
{
	setup();
	give_back_and_take_again();
	bad_frames();
	bad_orders_and_counts();
	other_domains();
	ceiling();
	if (argc > 1)
		grant_mapped(argv[1]);
	printf("balloon-probe: %d failed\n", failures);
	return failures ? 1 : 0;
}
