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

/*
 * The pages of a BAR that hold the MSI-X table or PBA are not given to
 * the guest: its accesses exit to the VMM, which drops writes to the
 * table and PBA (dom0 programs them, through pciback's enable_msix) and
 * passes everything else in those pages to the device.
 */
struct pt_trap {
	char bdf[HV_CONFIG_BDF_LEN];
	uint64_t gpa, size;
	void *map;
	uint64_t lo[2], hi[2];		/* table, PBA: [lo, hi) guest addresses */
	unsigned long dropped;
};

#define PT_MAX_TRAPS	(HV_CONFIG_PCI_MAX * 2)

static struct pt_trap traps[PT_MAX_TRAPS];
static unsigned int nr_traps;
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

/* Bytes [off, off + size) of @bdf's resource @bar mapped here; NULL with
 * @err set on failure. */
static void *map_resource(const char *bdf, int bar, uint64_t off, uint64_t size,
			  char *err, size_t errlen)
{
	char path[128];
	void *map;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%d", bdf, bar);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)off);
	close(fd);
	if (map == MAP_FAILED) {
		snprintf(err, errlen, "mmap of %s: %s", path, strerror(errno));
		return NULL;
	}
	return map;
}

/* Bytes [off, off + size) of memory BAR @bar at guest address @start. */
static int map_bar(struct vmm *vmm, const char *bdf, int bar, uint64_t start,
		   uint64_t size, uint64_t off, char *err, size_t errlen)
{
	struct kvm_userspace_memory_region region;
	struct pt_bar *b = &bars[nr_bars];
	const char *why;
	void *map;

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
	map = map_resource(bdf, bar, off, size, err, errlen);
	if (!map)
		return -1;
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

/* Where the MSI-X table and PBA of @bdf are: BIR and [off, off + len). */
struct msix_where {
	int bir[2];
	uint64_t off[2], len[2];
};

static int find_msix(const char *bdf, struct msix_where *w)
{
	uint8_t cfg[256];
	char path[128];
	unsigned int ptr, n = 0, i;
	uint32_t v[2];
	uint16_t ctrl, nvec;
	FILE *f;

	w->bir[0] = w->bir[1] = -1;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	f = fopen(path, "r");
	if (!f)
		return -1;
	i = (unsigned int)fread(cfg, 1, sizeof(cfg), f);
	fclose(f);
	if (i < 0x40 || !(cfg[6] & 0x10))
		return 0;
	for (ptr = cfg[0x34] & 0xfc; ptr >= 0x40 && ptr + 12 <= i && n < 48;
	     ptr = cfg[ptr + 1] & 0xfc, n++) {
		if (cfg[ptr] != 0x11)
			continue;
		ctrl = (uint16_t)(cfg[ptr + 2] | cfg[ptr + 3] << 8);
		nvec = (ctrl & 0x7ff) + 1;
		memcpy(v, cfg + ptr + 4, 8);
		for (i = 0; i < 2; i++) {
			w->bir[i] = (int)(v[i] & 7);
			w->off[i] = v[i] & ~7u;
			w->len[i] = i ? (nvec + 63u) / 64 * 8 : nvec * 16u;
		}
		return 1;
	}
	return 0;
}

static int map_trap(const char *bdf, int bar, uint64_t start, uint64_t off, uint64_t size,
		    const struct msix_where *w, char *err, size_t errlen)
{
	struct pt_trap *t = &traps[nr_traps];
	unsigned int i;
	void *map;

	if (nr_traps >= PT_MAX_TRAPS) {
		snprintf(err, errlen, "too many MSI-X pages");
		return -1;
	}
	map = map_resource(bdf, bar, off, size, err, errlen);
	if (!map)
		return -1;
	memset(t, 0, sizeof(*t));
	snprintf(t->bdf, sizeof(t->bdf), "%s", bdf);
	t->gpa = start + off;
	t->size = size;
	t->map = map;
	for (i = 0; i < 2; i++) {
		if (w->bir[i] != bar)
			continue;
		t->lo[i] = start + w->off[i];
		t->hi[i] = start + w->off[i] + w->len[i];
	}
	nr_traps++;
	vmm_log("%s BAR %d: %#" PRIx64 "+%#" PRIx64 " (MSI-X table/PBA) trapped", bdf, bar,
		t->gpa, size);
	return 0;
}

/* A memory BAR: mapped, but for the pages of its MSI-X table and PBA. */
static int map_mem_bar(struct vmm *vmm, const char *bdf, int bar, uint64_t start,
		       uint64_t size, const struct msix_where *w, char *err, size_t errlen)
{
	uint64_t lo[2], hi[2], pos = 0;
	unsigned int n = 0, i;

	for (i = 0; i < 2; i++) {
		if (w->bir[i] != bar || w->off[i] >= size)
			continue;
		lo[n] = w->off[i] & ~PAGE_MASK_4K;
		hi[n] = (w->off[i] + w->len[i] + PAGE_MASK_4K) & ~PAGE_MASK_4K;
		if (hi[n] > size)
			hi[n] = size;
		n++;
	}
	if (n == 2 && lo[1] < lo[0]) {
		uint64_t t;

		t = lo[0], lo[0] = lo[1], lo[1] = t;
		t = hi[0], hi[0] = hi[1], hi[1] = t;
	}
	if (n == 2 && lo[1] <= hi[0]) {		/* one run of pages */
		hi[0] = hi[1] > hi[0] ? hi[1] : hi[0];
		n = 1;
	}
	if (!n || (start | size) & PAGE_MASK_4K)
		return map_bar(vmm, bdf, bar, start, size, 0, err, errlen);
	for (i = 0; i < n; i++) {
		if (lo[i] > pos && map_bar(vmm, bdf, bar, start + pos, lo[i] - pos, pos, err, errlen))
			return -1;
		if (map_trap(bdf, bar, start, lo[i], hi[i] - lo[i], w, err, errlen))
			return -1;
		pos = hi[i];
	}
	if (pos < size)
		return map_bar(vmm, bdf, bar, start + pos, size - pos, pos, err, errlen);
	return 0;
}

static void mmio_copy(volatile void *dev, void *data, unsigned int len, bool write)
{
	switch (len) {
	case 1:
		if (write)
			*(volatile uint8_t *)dev = *(uint8_t *)data;
		else
			*(uint8_t *)data = *(volatile uint8_t *)dev;
		break;
	case 2:
		if (write)
			*(volatile uint16_t *)dev = *(uint16_t *)data;
		else
			*(uint16_t *)data = *(volatile uint16_t *)dev;
		break;
	case 4:
		if (write)
			*(volatile uint32_t *)dev = *(uint32_t *)data;
		else
			*(uint32_t *)data = *(volatile uint32_t *)dev;
		break;
	case 8:
		if (write)
			*(volatile uint64_t *)dev = *(uint64_t *)data;
		else
			*(uint64_t *)data = *(volatile uint64_t *)dev;
		break;
	default:
		if (!write)
			memset(data, 0xff, len);
		break;
	}
}

bool passthrough_mmio(struct vmm *vmm, uint64_t addr, unsigned int len, bool write,
		      uint8_t *data)
{
	bool found = false;
	unsigned int i, j;

	(void)vmm;
	if (!__atomic_load_n(&nr_traps, __ATOMIC_ACQUIRE))
		return false;
	pthread_mutex_lock(&pt_lock);
	for (i = 0; i < nr_traps && !found; i++) {
		struct pt_trap *t = &traps[i];
		bool msix = false;

		if (addr < t->gpa || addr + len > t->gpa + t->size)
			continue;
		found = true;
		for (j = 0; j < 2; j++)
			msix |= addr < t->hi[j] && addr + len > t->lo[j];
		if (write && msix)
			t->dropped++;	/* the table and PBA are dom0's */
		else if (len && (addr & (len - 1)) == 0)
			mmio_copy((uint8_t *)t->map + (addr - t->gpa), data, len, write);
		else if (!write)
			memset(data, 0xff, len);
	}
	pthread_mutex_unlock(&pt_lock);
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
	struct msix_where msix;
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
	for (i = 0; i < nr_bars + nr_ios + nr_traps; i++) {
		if (!strcmp(i < nr_bars ? bars[i].bdf : i < nr_bars + nr_ios ?
			    ios[i - nr_bars].bdf : traps[i - nr_bars - nr_ios].bdf, dev.bdf)) {
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
	if (find_msix(dev.bdf, &msix) < 0)
		msix.bir[0] = msix.bir[1] = -1;
	for (bar = 0; bar < 6 && fgets(line, sizeof(line), f) && !ret; bar++) {
		unsigned long long start, end, flags;

		if (sscanf(line, "%llx %llx %llx", &start, &end, &flags) != 3 || !end)
			continue;
		if (flags & IORESOURCE_MEM)
			ret = map_mem_bar(vmm, dev.bdf, bar, start, end - start + 1, &msix,
					  err, errlen);
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
	for (i = 0; i < nr_traps;) {
		if (strcmp(traps[i].bdf, bdf)) {
			i++;
			continue;
		}
		munmap(traps[i].map, traps[i].size);
		vmm_log("%s: MSI-X page %#" PRIx64 " no longer trapped (%lu writes dropped)", bdf,
			traps[i].gpa, traps[i].dropped);
		traps[i] = traps[--nr_traps];
	}
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
