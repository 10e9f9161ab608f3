// SPDX-License-Identifier: GPL-2.0-only
/*
 * passthrough.c: the memory BARs of a device passed to this domain, mapped
 * into its physical address space as KVM memory slots (an mmap of
 * /sys/bus/pci/devices/BDF/resourceN), so that the guest's MMIO reaches
 * the device without an exit.
 *
 * Identity placement: a BAR appears at the guest-physical address equal
 * to its host address, so the BAR values pciback lets the guest read are
 * where the device really answers, and nothing is re-programmed. A BAR
 * that would overlap guest RAM or the VMM's own windows is refused.
 * The toolstack asks for a device's BARs (pci-map) before it tells pciback
 * and the guest about the device, so that they are in place before the
 * guest's driver can probe; the device must be held by pciback and not
 * given to another domain (hv.ko's DMA assignment is exclusive too). It
 * takes them away (pci-unmap) before the device goes back.
 *
 * I/O-port BARs are forwarded, also at the host's ports: a guest IN or OUT
 * there exits to the VMM (KVM_EXIT_IO), which does it on the device
 * through /sys/bus/pci/devices/BDF/resourceN (an access of 1, 2 or 4
 * bytes at the port's offset): only the device's own ports, with no
 * ioperm() and no access to anything else.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xen/hvx/hvctl.h"
#include "xen/hvx/platform.h"
#include "vmm/acpi.h"
#include "vmm/bootparams.h"
#include "vmm/pci.h"
#include "vmm/vmm.h"
#include "../../drivers/xen/pciback/bdf.h"

#define PT_SLOT_BASE	16		/* KVM slots 0, 1 are RAM */
#define PT_MAX_BARS	(HV_CONFIG_PCI_MAX * 6)
#define PT_MAX_IO	(HV_CONFIG_PCI_MAX * 6)
#define IORESOURCE_IO	0x00000100ull
#define IORESOURCE_MEM	0x00000200ull
#define PT_IO_LOW	0x1000u		/* below: the VMM's own legacy ports */
#define PAGE_MASK_4K	0xfffull

struct pt_bar {
	char bdf[HV_CONFIG_BDF_LEN];
	int bar;
	uint64_t gpa, size;
	void *map;
};

/* An I/O-port BAR: ports [base, base + size) go to the device. */
struct pt_io {
	char bdf[HV_CONFIG_BDF_LEN];
	int bar;
	uint32_t base, size;
	int fd;				/* its resourceN file */
};

static struct pt_bar bars[PT_MAX_BARS];
static unsigned int nr_bars;
static struct pt_io ios[PT_MAX_IO];
static unsigned int nr_ios;
static pthread_mutex_t pt_lock = PTHREAD_MUTEX_INITIALIZER;

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* Why [gpa, gpa + size) cannot hold a BAR, or NULL. */
static const char *conflict(const struct vmm *vmm, uint64_t gpa, uint64_t size)
{
	uint64_t low = boot_low_ram(vmm->ram_size), high = boot_high_ram(vmm->ram_size);
	unsigned int i;

	if (overlaps(gpa, size, 0, low) || (high && overlaps(gpa, size, BOOT_4G, high)))
		return "guest RAM";
	if (overlaps(gpa, size, PCI_MEM_WINDOW_BASE, PCI_MEM_WINDOW_SIZE))
		return "the VMM's PCI window";
	if (overlaps(gpa, size, ACPI_IOAPIC_ADDR, 0x1000) ||
	    overlaps(gpa, size, ACPI_LAPIC_ADDR, 0x100000))
		return "the interrupt controllers";
	if (overlaps(gpa, size, 0xfffbc000ull, 0x44000))
		return "KVM's TSS and identity map";
	for (i = 0; i < nr_bars; i++)
		if (overlaps(gpa, size, bars[i].gpa, bars[i].size))
			return "another device's BAR";
	return NULL;
}

/* The domain pciback gives BDF to (its irq_handlers file), -1 if none,
 * -2 if pciback does not hold it. */
static long pciback_owner(const char *bdf)
{
	FILE *f = fopen("/sys/bus/pci/drivers/pciback/irq_handlers", "r");
	char line[256];
	long owner = -2, d;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *dom = strstr(line, ":domain ");

		if (!strncmp(line, bdf, strlen(bdf)) && dom && sscanf(dom, ":domain %ld", &d) == 1)
			owner = d;
	}
	fclose(f);
	return owner;
}

static int map_bar(struct vmm *vmm, const char *bdf, int bar, uint64_t start,
		   uint64_t size, char *err, size_t errlen)
{
	struct kvm_userspace_memory_region region;
	struct pt_bar *b = &bars[nr_bars];
	const char *why;
	char path[128];
	void *map;
	int fd;

	if ((start | size) & PAGE_MASK_4K) {
		snprintf(err, errlen, "%s BAR %d (%#" PRIx64 ", %#" PRIx64 " bytes) is not page-aligned; "
			 "it cannot be mapped into a guest", bdf, bar, start, size);
		return -1;
	}
	why = conflict(vmm, start, size);
	if (why) {
		snprintf(err, errlen, "%s BAR %d at %#" PRIx64 " overlaps %s of domain %u",
			 bdf, bar, start, why, vmm->domid);
		return -1;
	}
	if (nr_bars >= PT_MAX_BARS) {
		snprintf(err, errlen, "too many BARs");
		return -1;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%d", bdf, bar);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		snprintf(err, errlen, "mmap of %s: %s", path, strerror(errno));
		return -1;
	}
	region = (struct kvm_userspace_memory_region){
		.slot = PT_SLOT_BASE + nr_bars,
		.guest_phys_addr = start,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)map,
	};
	if (ioctl(vmm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region)) {
		snprintf(err, errlen, "KVM memory slot for %s BAR %d: %s", bdf, bar,
			 strerror(errno));
		munmap(map, size);
		return -1;
	}
	snprintf(b->bdf, sizeof(b->bdf), "%s", bdf);
	b->bar = bar;
	b->gpa = start;
	b->size = size;
	b->map = map;
	nr_bars++;
	vmm_log("%s BAR %d: %#" PRIx64 "+%#" PRIx64 " mapped at the same guest address",
		bdf, bar, start, size);
	return 0;
}

static int map_io(struct vmm *vmm, const char *bdf, int bar, uint64_t start,
		  uint64_t size, char *err, size_t errlen)
{
	uint16_t pbar0 = vmm->platform.bar0;
	char path[128];
	unsigned int i;
	int fd;

	if (start < PT_IO_LOW || start + size > 0x10000) {
		snprintf(err, errlen, "%s BAR %d: ports %#" PRIx64 "+%#" PRIx64 " are outside "
			 "%#x-0xffff; they cannot be forwarded", bdf, bar, start, size, PT_IO_LOW);
		return -1;
	}
	if (overlaps(start, size, pbar0, HVX_BAR0_SIZE)) {
		snprintf(err, errlen, "%s BAR %d: ports %#" PRIx64 "+%#" PRIx64 " overlap the "
			 "platform device's of domain %u", bdf, bar, start, size, vmm->domid);
		return -1;
	}
	for (i = 0; i < nr_ios; i++) {
		if (overlaps(start, size, ios[i].base, ios[i].size)) {
			snprintf(err, errlen, "%s BAR %d overlaps %s's ports", bdf, bar, ios[i].bdf);
			return -1;
		}
	}
	if (nr_ios >= PT_MAX_IO) {
		snprintf(err, errlen, "too many I/O BARs");
		return -1;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%d", bdf, bar);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	snprintf(ios[nr_ios].bdf, sizeof(ios[nr_ios].bdf), "%s", bdf);
	ios[nr_ios].bar = bar;
	ios[nr_ios].base = (uint32_t)start;
	ios[nr_ios].size = (uint32_t)size;
	ios[nr_ios].fd = fd;
	nr_ios++;
	vmm_log("%s BAR %d: ports %#" PRIx64 "+%#" PRIx64 " forwarded at the same ports",
		bdf, bar, start, size);
	return 0;
}

bool passthrough_io(struct vmm *vmm, uint16_t port, unsigned int size, bool out,
		    uint8_t *data)
{
	unsigned int i;
	bool found = false;
	ssize_t n = 0;

	(void)vmm;
	if (!__atomic_load_n(&nr_ios, __ATOMIC_ACQUIRE))
		return false;
	pthread_mutex_lock(&pt_lock);
	for (i = 0; i < nr_ios && !found; i++) {
		struct pt_io *io = &ios[i];

		if (port < io->base || port + size > io->base + io->size)
			continue;
		found = true;
		if (out)
			n = pwrite(io->fd, data, size, port - io->base);
		else
			n = pread(io->fd, data, size, port - io->base);
	}
	pthread_mutex_unlock(&pt_lock);
	if (found && n != (ssize_t)size && !out)
		memset(data, 0xff, size);
	return found;
}

/* Attach (or detach) the device to the domain's IOMMU domain in hv.ko. */
static int dma_assign(struct vmm *vmm, const char *bdf, int assign, char *err, size_t errlen)
{
	struct pciback_bdf b;
	struct hvctl_pci_assign req = { 0 };
	char path[128];

	if (pciback_parse_bdf_str(bdf, strlen(bdf), false, &b))
		return -1;
	req.segment = (uint32_t)b.domain;
	req.bus = (uint32_t)b.bus;
	req.devfn = (uint32_t)(b.slot << 3 | b.func);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	if (access(path, F_OK)) {
		FILE *f = fopen("/sys/module/pciback/parameters/unsafe_no_iommu", "r");

		if (f && fgetc(f) == 'Y')
			req.flags = HVCTL_PCI_NO_IOMMU;
		if (f)
			fclose(f);
	}
	if (!ioctl(vmm->hvctl_fd, assign ? HVCTL_PCI_ASSIGN : HVCTL_PCI_DEASSIGN, &req))
		return 0;
	snprintf(err, errlen, "%s DMA for %s: %s", assign ? "setting up" : "ending", bdf,
		 strerror(errno));
	return -1;
}

int passthrough_map(struct vmm *vmm, const char *spec, char *err, size_t errlen)
{
	struct hv_config_pci dev;
	char path[128], line[256];
	FILE *f;
	int bar, ret = 0;
	unsigned int i;
	long owner;

	if (hv_config_parse_pci(spec, &dev, err, errlen))
		return -1;
	owner = pciback_owner(dev.bdf);
	if (owner != -1 && owner != (long)vmm->domid) {
		snprintf(err, errlen, "%s is %s", dev.bdf,
			 owner == -2 ? "not held by pciback" : "given to another domain");
		return -1;
	}
	pthread_mutex_lock(&pt_lock);
	for (i = 0; i < nr_bars + nr_ios; i++) {
		if (!strcmp(i < nr_bars ? bars[i].bdf : ios[i - nr_bars].bdf, dev.bdf)) {
			pthread_mutex_unlock(&pt_lock);
			return 0;	/* mapped already (a reattached device) */
		}
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", dev.bdf);
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		pthread_mutex_unlock(&pt_lock);
		return -1;
	}
	for (bar = 0; bar < 6 && fgets(line, sizeof(line), f) && !ret; bar++) {
		unsigned long long start, end, flags;

		if (sscanf(line, "%llx %llx %llx", &start, &end, &flags) != 3 || !end)
			continue;
		if (flags & IORESOURCE_MEM)
			ret = map_bar(vmm, dev.bdf, bar, start, end - start + 1, err, errlen);
		else if (flags & IORESOURCE_IO)
			ret = map_io(vmm, dev.bdf, bar, start, end - start + 1, err, errlen);
	}
	fclose(f);
	if (!ret && !dma_assign(vmm, dev.bdf, 1, err, errlen))
		vmm_log("%s: DMA reaches this domain's memory", dev.bdf);
	else if (!ret)
		ret = -1;
	pthread_mutex_unlock(&pt_lock);
	if (ret)
		passthrough_unmap(vmm, dev.bdf);
	return ret;
}

void passthrough_unmap(struct vmm *vmm, const char *bdf)
{
	char err[VMM_ERR_MAX];
	unsigned int i, j;

	if (dma_assign(vmm, bdf, 0, err, sizeof(err)) && errno != ENOENT)
		vmm_log("%s", err);
	pthread_mutex_lock(&pt_lock);
	for (i = 0; i < nr_ios;) {
		if (strcmp(ios[i].bdf, bdf)) {
			i++;
			continue;
		}
		close(ios[i].fd);
		vmm_log("%s BAR %d: ports no longer forwarded", bdf, ios[i].bar);
		ios[i] = ios[--nr_ios];
	}
	for (i = 0; i < nr_bars;) {
		struct kvm_userspace_memory_region region;

		if (strcmp(bars[i].bdf, bdf)) {
			i++;
			continue;
		}
		region = (struct kvm_userspace_memory_region){ .slot = PT_SLOT_BASE + i };
		if (ioctl(vmm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region))
			vmm_log("removing %s BAR %d: %s", bdf, bars[i].bar, strerror(errno));
		munmap(bars[i].map, bars[i].size);
		vmm_log("%s BAR %d unmapped", bdf, bars[i].bar);
		/* Slots follow the table: move the last BAR into this hole. */
		j = --nr_bars;
		if (i != j) {
			region = (struct kvm_userspace_memory_region){ .slot = PT_SLOT_BASE + j };
			ioctl(vmm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region);
			bars[i] = bars[j];
			region = (struct kvm_userspace_memory_region){
				.slot = PT_SLOT_BASE + i, .guest_phys_addr = bars[i].gpa,
				.memory_size = bars[i].size,
				.userspace_addr = (uint64_t)(uintptr_t)bars[i].map,
			};
			if (ioctl(vmm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region))
				vmm_log("moving %s BAR %d: %s", bars[i].bdf, bars[i].bar,
					strerror(errno));
		}
	}
	pthread_mutex_unlock(&pt_lock);
}

/* "pci-map BDF" / "pci-unmap BDF" on the domain's socket (hv pci-attach,
 * hv create with a pci list, hv pci-detach). */
void passthrough_command(struct vmm *vmm, int fd, const char *cmd)
{
	char err[VMM_ERR_MAX], reply[VMM_ERR_MAX + 8];
	int n;

	if (!strncmp(cmd, "pci-unmap ", 10)) {
		struct hv_config_pci dev;

		if (hv_config_parse_pci(cmd + 10, &dev, err, sizeof(err))) {
			n = snprintf(reply, sizeof(reply), "ERR %s\n", err);
		} else {
			passthrough_unmap(vmm, dev.bdf);
			n = snprintf(reply, sizeof(reply), "OK\n");
		}
	} else if (passthrough_map(vmm, cmd + 8, err, sizeof(err)))
		n = snprintf(reply, sizeof(reply), "ERR %s\n", err);
	else
		n = snprintf(reply, sizeof(reply), "OK\n");
	if (n > 0 && write(fd, reply, (size_t)n) < 0)
		vmm_log("pci-map reply: %s", strerror(errno));
}
