// SPDX-License-Identifier: GPL-2.0-only
/* machine.c: the KVM VM: irqchip, PIT, memfd RAM, kernel, initrd, tables. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmm/acpi.h"
#include "vmm/bootparams.h"
#include "vmm/vmm.h"

#define KVM_TSS_ADDR		0xfffbd000ULL
#define KVM_IDENTITY_MAP_ADDR	0xfffbc000ULL

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, strerror(errno));
	return -1;
}

static uint8_t *gpa(struct vmm *vmm, uint64_t addr)
{
	uint64_t low = boot_low_ram(vmm->ram_size);

	return addr < low ? vmm->ram + addr : vmm->ram + low + (addr - BOOT_4G);
}

void machine_set_irq(void *opaque, int irq, int level)
{
	struct vmm *vmm = opaque;
	struct kvm_irq_level line = { .irq = (uint32_t)irq, .level = (uint32_t)level };

	ioctl(vmm->vm_fd, KVM_IRQ_LINE, &line);
}

static int add_ram_slot(struct vmm *vmm, uint32_t slot, uint64_t guest,
			uint64_t size, uint8_t *host, char *err, size_t errlen)
{
	struct kvm_userspace_memory_region region = {
		.slot = slot,
		.guest_phys_addr = guest,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)host,
	};

	if (ioctl(vmm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region))
		return fail(err, errlen, "KVM_SET_USER_MEMORY_REGION");
	return 0;
}

int machine_create(struct vmm *vmm, char *err, size_t errlen)
{
	struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
	uint64_t identity = KVM_IDENTITY_MAP_ADDR;
	uint64_t low;

	vmm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vmm->kvm_fd < 0)
		return fail(err, errlen, "/dev/kvm");
	if (ioctl(vmm->kvm_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		snprintf(err, errlen, "/dev/kvm: unexpected KVM API version");
		return -1;
	}
	vmm->vm_fd = ioctl(vmm->kvm_fd, KVM_CREATE_VM, 0);
	if (vmm->vm_fd < 0)
		return fail(err, errlen, "KVM_CREATE_VM");
	if (ioctl(vmm->vm_fd, KVM_SET_TSS_ADDR, KVM_TSS_ADDR) ||
	    ioctl(vmm->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &identity))
		return fail(err, errlen, "KVM TSS/identity map");
	if (ioctl(vmm->vm_fd, KVM_CREATE_IRQCHIP, 0))
		return fail(err, errlen, "KVM_CREATE_IRQCHIP");
	if (ioctl(vmm->vm_fd, KVM_CREATE_PIT2, &pit))
		return fail(err, errlen, "KVM_CREATE_PIT2");

	/* Guest RAM: hv.ko holds the same memfd to reach guest frames. */
	vmm->mem_fd = memfd_create("hv-guest-ram", MFD_CLOEXEC);
	if (vmm->mem_fd < 0)
		return fail(err, errlen, "memfd_create");
	if (ftruncate(vmm->mem_fd, (off_t)vmm->ram_size))
		return fail(err, errlen, "guest RAM memfd");
	vmm->ram = mmap(NULL, vmm->ram_size, PROT_READ | PROT_WRITE, MAP_SHARED,
			vmm->mem_fd, 0);
	if (vmm->ram == MAP_FAILED)
		return fail(err, errlen, "mmap of guest RAM");
	madvise(vmm->ram, vmm->ram_size, MADV_MERGEABLE);
	low = boot_low_ram(vmm->ram_size);
	if (add_ram_slot(vmm, 0, 0, low, vmm->ram, err, errlen))
		return -1;
	if (boot_high_ram(vmm->ram_size) &&
	    add_ram_slot(vmm, 1, BOOT_4G, boot_high_ram(vmm->ram_size),
			 vmm->ram + low, err, errlen))
		return -1;
	return 0;
}

/* Read a whole file into DST (at most MAX bytes); returns its size. */
static long read_file_into(const char *path, uint8_t *dst, uint64_t max,
			   char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	uint64_t done = 0;

	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if ((uint64_t)st.st_size > max) {
		snprintf(err, errlen, "%s: %lld bytes do not fit in guest memory",
			 path, (long long)st.st_size);
		close(fd);
		return -1;
	}
	while (done < (uint64_t)st.st_size) {
		ssize_t n = read(fd, dst + done, (size_t)((uint64_t)st.st_size - done));

		if (n <= 0) {
			snprintf(err, errlen, "%s: %s", path, n ? strerror(errno) : "short read");
			close(fd);
			return -1;
		}
		done += (uint64_t)n;
	}
	close(fd);
	return (long)done;
}

static long file_size(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return (long)st.st_size;
}

/*
 * There is no firmware, but a guest that reboots through the BIOS (Linux
 * falls back to a real-mode jump to F000:FFF0) must still reset: the reset
 * vector writes the ACPI reset register.
 *   mov al, ACPI_RESET_VALUE; mov dx, ACPI_RESET_PORT; out dx, al; hlt; jmp $-1
 */
static void build_reset_vector(struct vmm *vmm)
{
	const uint8_t stub[] = {
		0xb0, ACPI_RESET_VALUE,
		0xba, ACPI_RESET_PORT & 0xff, ACPI_RESET_PORT >> 8,
		0xee, 0xf4, 0xeb, 0xfd,
	};

	memcpy(gpa(vmm, BOOT_RESET_VECTOR), stub, sizeof(stub));
}

/* Identity map of the first 4 GiB with 2 MiB pages, and a flat GDT. */
static void build_page_tables(struct vmm *vmm)
{
	uint64_t *pml4 = (uint64_t *)gpa(vmm, BOOT_PAGE_TABLE_ADDR);
	uint64_t *pdpt = pml4 + 512;
	uint64_t *pd = pdpt + 512;
	uint64_t *gdt = (uint64_t *)gpa(vmm, BOOT_GDT_ADDR);
	int i;

	memset(pml4, 0, 6 * 4096);
	pml4[0] = (BOOT_PAGE_TABLE_ADDR + 0x1000) | 0x3;
	for (i = 0; i < 4; i++)
		pdpt[i] = (BOOT_PAGE_TABLE_ADDR + 0x2000 + (uint64_t)i * 0x1000) | 0x3;
	for (i = 0; i < 4 * 512; i++)
		pd[i] = ((uint64_t)i << 21) | 0x83;	/* present, rw, 2 MiB */
	gdt[0] = 0;
	gdt[1] = 0;
	gdt[2] = 0x00af9b000000ffffULL;		/* 0x10: 64-bit code */
	gdt[3] = 0x00cf93000000ffffULL;		/* 0x18: data */
}

int machine_load(struct vmm *vmm, char *err, size_t errlen)
{
	struct boot_layout layout = { .ram_size = vmm->ram_size };
	struct boot_image bi;
	size_t cmdlen = strlen(vmm->cfg.cmdline);
	uint64_t low = boot_low_ram(vmm->ram_size);
	uint8_t *scratch;
	long size, initrd = 0;
	char why[256];

	/* Read the bzImage into the top of guest RAM (no copy in the VMM's
	 * own memory), check it, then move the kernel proper to 1 MiB. */
	size = file_size(vmm->cfg.kernel, err, errlen);
	if (size < 0)
		return -1;
	if ((uint64_t)size + BOOT_KERNEL_ADDR >= low) {
		snprintf(err, errlen, "%s: kernel larger than the domain's memory",
			 vmm->cfg.kernel);
		return -1;
	}
	scratch = vmm->ram + low - (((uint64_t)size + 0xfff) & ~0xfffULL);
	if (read_file_into(vmm->cfg.kernel, scratch, (uint64_t)size, err, errlen) < 0)
		return -1;
	if (boot_image_parse(scratch, (size_t)size, &bi, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", vmm->cfg.kernel, why);
		return -1;
	}
	if (vmm->cfg.ramdisk[0]) {
		initrd = file_size(vmm->cfg.ramdisk, err, errlen);
		if (initrd < 0)
			return -1;
	}
	if (boot_layout_place(&bi, &layout, (uint64_t)initrd, why, sizeof(why)) ||
	    boot_params_build(gpa(vmm, BOOT_ZERO_PAGE_ADDR), scratch, &bi, &layout,
			      cmdlen, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", vmm->cfg.kernel, why);
		return -1;
	}
	memmove(gpa(vmm, BOOT_KERNEL_ADDR), scratch + bi.setup_size, bi.kernel_size);
	/* The top of RAM held the file; the guest must find it zeroed, and
	 * punching the pages out gives the memory back to the host. */
	{
		uint64_t end = BOOT_KERNEL_ADDR + bi.kernel_size;
		uint64_t hole = (end + 0xfff) & ~0xfffULL;

		memset(gpa(vmm, end), 0, (size_t)(hole - end));
		if (fallocate(vmm->mem_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      (off_t)hole, (off_t)(low - hole)))
			memset(gpa(vmm, hole), 0, (size_t)(low - hole));
	}
	if (initrd && read_file_into(vmm->cfg.ramdisk, gpa(vmm, layout.initrd_addr),
				     (uint64_t)initrd, err, errlen) < 0)
		return -1;
	memcpy(gpa(vmm, BOOT_CMDLINE_ADDR), vmm->cfg.cmdline, cmdlen + 1);
	if (acpi_tables_build(gpa(vmm, BOOT_ACPI_ADDR), ACPI_TABLES_MAX,
			      BOOT_ACPI_ADDR, vmm->nr_vcpus) < 0) {
		snprintf(err, errlen, "cannot build ACPI tables for %u vCPUs", vmm->nr_vcpus);
		return -1;
	}
	build_page_tables(vmm);
	build_reset_vector(vmm);
	return 0;
}
