// SPDX-License-Identifier: GPL-2.0-only
/* pci.c: config space of bus 0 (host bridge, platform device) over conf1. */
#include <string.h>

#include "xen/hvx/platform.h"
#include "vmm/pci.h"

#define PCI_VENDOR_ID		0x00
#define PCI_COMMAND		0x04
#define PCI_STATUS		0x06
#define PCI_REVISION		0x08
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_SUBSYSTEM_VENDOR	0x2c
#define PCI_CAP_PTR		0x34
#define PCI_INTERRUPT_PIN	0x3d

#define PCI_COMMAND_IO		0x1
#define PCI_COMMAND_MEMORY	0x2
#define PCI_COMMAND_MASTER	0x4
#define PCI_COMMAND_INTX_OFF	0x400
#define PCI_STATUS_CAP_LIST	0x10
#define PCI_CAP_ID_MSIX		0x11
#define MSIX_CTRL_ENABLE	0x8000
#define MSIX_CTRL_MASKALL	0x4000

#define HOST_BRIDGE_DEVICE_ID	0x0000
#define PCI_CLASS_HOST_BRIDGE	0x060000

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void identity(struct pci_function *f, uint16_t device, uint32_t class,
		     uint8_t revision)
{
	memset(f, 0, sizeof(*f));
	put16(f->config + PCI_VENDOR_ID, HVX_PCI_VENDOR_ID);
	put16(f->config + PCI_VENDOR_ID + 2, device);
	f->config[PCI_REVISION] = revision;
	f->config[PCI_REVISION + 1] = (uint8_t)class;
	f->config[PCI_REVISION + 2] = (uint8_t)(class >> 8);
	f->config[PCI_REVISION + 3] = (uint8_t)(class >> 16);
	put16(f->config + PCI_SUBSYSTEM_VENDOR, HVX_PCI_VENDOR_ID);
	put16(f->config + PCI_SUBSYSTEM_VENDOR + 2, device);
	put16(f->wmask + PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
				      PCI_COMMAND_MASTER | PCI_COMMAND_INTX_OFF);
	f->wmask[0x0c] = 0xff;	/* cache line size */
	f->wmask[0x0d] = 0xff;	/* latency timer */
	f->wmask[0x3c] = 0xff;	/* interrupt line */
}

static void add_bar(struct pci_function *f, int bar, uint32_t size, bool io,
		    uint32_t base)
{
	uint8_t *reg = f->config + PCI_BAR0 + 4 * bar;

	f->bar_size[bar] = size;
	f->bar_io[bar] = io;
	put32(reg, base | (io ? 1u : 0u));
	put32(f->wmask + PCI_BAR0 + 4 * bar, ~(size - 1) & (io ? ~3u : ~0xfu));
}

void pci_bus_init(struct pci_bus *bus, unsigned int msix_vectors)
{
	struct pci_function *p = &bus->platform;
	uint8_t *cap = p->config + PCI_MSIX_CAP;

	memset(bus, 0, sizeof(*bus));
	identity(&bus->host, HOST_BRIDGE_DEVICE_ID, PCI_CLASS_HOST_BRIDGE, 1);
	identity(p, HVX_PCI_DEVICE_ID, HVX_PCI_CLASS, HVX_PCI_REVISION);
	put16(p->config + PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
	add_bar(p, 0, HVX_BAR0_SIZE, true, PCI_IO_WINDOW_BASE);
	add_bar(p, 1, HVX_BAR1_SIZE, false, PCI_MEM_WINDOW_BASE);
	p->config[PCI_INTERRUPT_PIN] = 0;	/* MSI-X only */
	put16(p->config + PCI_STATUS, PCI_STATUS_CAP_LIST);
	p->config[PCI_CAP_PTR] = PCI_MSIX_CAP;
	if (msix_vectors < 1)
		msix_vectors = 1;
	if (msix_vectors > HVX_MSIX_MAX_VECTORS)
		msix_vectors = HVX_MSIX_MAX_VECTORS;
	cap[0] = PCI_CAP_ID_MSIX;
	cap[1] = 0;
	put16(cap + 2, (uint16_t)(msix_vectors - 1));
	put32(cap + 4, HVX_BAR1_MSIX_TABLE | 1);	/* BIR 1 */
	put32(cap + 8, HVX_BAR1_MSIX_PBA | 1);
	put16(p->wmask + PCI_MSIX_CAP + 2, MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL);
}

/* The function the address register selects, or NULL (reads all ones). */
static struct pci_function *selected(struct pci_bus *bus)
{
	uint32_t a = bus->address;

	if (!(a & 0x80000000u) || ((a >> 16) & 0xff) || ((a >> 8) & 7))
		return NULL;
	switch ((a >> 11) & 0x1f) {
	case 0:
		return &bus->host;
	case PCI_PLATFORM_SLOT:
		return &bus->platform;
	default:
		return NULL;
	}
}

static bool valid_access(uint16_t port, unsigned int size)
{
	unsigned int off = port - PCI_CONFIG_DATA;

	return (size == 1 || size == 2 || size == 4) && off + size <= 4 &&
	       off % size == 0;
}

void pci_conf1_write(struct pci_bus *bus, uint16_t port, unsigned int size,
		     uint32_t value)
{
	struct pci_function *f;
	unsigned int reg, i;

	if (port == PCI_CONFIG_ADDRESS) {
		if (size == 4)
			bus->address = value;
		return;
	}
	if (port < PCI_CONFIG_DATA || port > PCI_CONFIG_DATA + 3 ||
	    !valid_access(port, size))
		return;
	f = selected(bus);
	if (!f)
		return;
	reg = (bus->address & 0xfc) + (port - PCI_CONFIG_DATA);
	for (i = 0; i < size; i++, value >>= 8) {
		uint8_t m = f->wmask[reg + i];

		f->config[reg + i] = (uint8_t)((f->config[reg + i] & ~m) |
					       ((uint8_t)value & m));
	}
}

uint32_t pci_conf1_read(struct pci_bus *bus, uint16_t port, unsigned int size)
{
	struct pci_function *f;
	uint32_t v = 0;
	unsigned int reg, i;

	if (port == PCI_CONFIG_ADDRESS)
		return size == 4 ? bus->address : 0xffffffffu;
	if (port < PCI_CONFIG_DATA || port > PCI_CONFIG_DATA + 3 ||
	    !valid_access(port, size))
		return 0xffffffffu;
	f = selected(bus);
	if (!f)
		return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
	reg = (bus->address & 0xfc) + (port - PCI_CONFIG_DATA);
	for (i = 0; i < size; i++)
		v |= (uint32_t)f->config[reg + i] << (8 * i);
	return v;
}

uint32_t pci_platform_bar(const struct pci_bus *bus, int bar)
{
	const struct pci_function *f = &bus->platform;
	uint32_t v = get32(f->config + PCI_BAR0 + 4 * bar);

	return f->bar_io[bar] ? v & ~3u : v & ~0xfu;
}

static uint16_t msix_control(const struct pci_bus *bus)
{
	const uint8_t *c = bus->platform.config + PCI_MSIX_CAP + 2;

	return (uint16_t)(c[0] | c[1] << 8);
}

bool pci_platform_msix_enabled(const struct pci_bus *bus)
{
	return msix_control(bus) & MSIX_CTRL_ENABLE;
}

bool pci_platform_msix_masked(const struct pci_bus *bus)
{
	return msix_control(bus) & MSIX_CTRL_MASKALL;
}
