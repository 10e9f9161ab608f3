// SPDX-License-Identifier: GPL-2.0-only
/* pci_test.c: conf1 config space of the VMM's bus 0 (hv/vmm/pci.c). */
#include <string.h>

#include "unit.h"
#include "vmm/pci.h"
#include "xen/hvx/platform.h"

static uint32_t cfg_read(struct pci_bus *bus, int slot, int reg, unsigned int size)
{
	pci_conf1_write(bus, PCI_CONFIG_ADDRESS, 4,
			0x80000000u | (uint32_t)slot << 11 | (uint32_t)(reg & 0xfc));
	return pci_conf1_read(bus, (uint16_t)(PCI_CONFIG_DATA + (reg & 3)), size);
}

static void cfg_write(struct pci_bus *bus, int slot, int reg, unsigned int size,
		      uint32_t v)
{
	pci_conf1_write(bus, PCI_CONFIG_ADDRESS, 4,
			0x80000000u | (uint32_t)slot << 11 | (uint32_t)(reg & 0xfc));
	pci_conf1_write(bus, (uint16_t)(PCI_CONFIG_DATA + (reg & 3)), size, v);
}

static void identities(void)
{
	struct pci_bus bus;

	pci_bus_init(&bus, 2);
	/* conf1 probing reads back the address register. */
	pci_conf1_write(&bus, PCI_CONFIG_ADDRESS, 4, 0x80000000u);
	EXPECT(pci_conf1_read(&bus, PCI_CONFIG_ADDRESS, 4) == 0x80000000u);
	EXPECT(cfg_read(&bus, 0, 0x08, 4) >> 8 == 0x060000);	/* host bridge */
	EXPECT(cfg_read(&bus, 1, 0, 4) ==
	       ((uint32_t)HVX_PCI_DEVICE_ID << 16 | HVX_PCI_VENDOR_ID));
	EXPECT(cfg_read(&bus, 1, 0x08, 4) >> 8 == HVX_PCI_CLASS);
	EXPECT(cfg_read(&bus, 1, 0x0a, 2) == (HVX_PCI_CLASS >> 8));
	EXPECT(cfg_read(&bus, 2, 0, 4) == 0xffffffffu);		/* empty slot */
	EXPECT(cfg_read(&bus, 1, 0x3d, 1) == 0);		/* no INTx */
}

static void bar_sizing(void)
{
	struct pci_bus bus;

	pci_bus_init(&bus, 1);
	EXPECT(pci_platform_bar(&bus, 0) == PCI_IO_WINDOW_BASE);
	EXPECT(pci_platform_bar(&bus, 1) == PCI_MEM_WINDOW_BASE);
	cfg_write(&bus, 1, 0x10, 4, 0xffffffffu);
	EXPECT((cfg_read(&bus, 1, 0x10, 4) & 0xfffc) == (uint32_t)(0x10000 - HVX_BAR0_SIZE));
	EXPECT(cfg_read(&bus, 1, 0x10, 4) & 1);			/* I/O BAR */
	cfg_write(&bus, 1, 0x14, 4, 0xffffffffu);
	EXPECT(cfg_read(&bus, 1, 0x14, 4) == (uint32_t)~(HVX_BAR1_SIZE - 1));
	cfg_write(&bus, 1, 0x10, 4, 0xc100);
	cfg_write(&bus, 1, 0x14, 4, 0xe0001000u);
	EXPECT(pci_platform_bar(&bus, 0) == 0xc100);
	EXPECT(pci_platform_bar(&bus, 1) == 0xe0001000u);
	/* Read-only registers stay put. */
	cfg_write(&bus, 1, 0, 4, 0);
	EXPECT((cfg_read(&bus, 1, 0, 4) & 0xffff) == HVX_PCI_VENDOR_ID);
}

static void msix_capability(void)
{
	struct pci_bus bus;
	int cap;

	pci_bus_init(&bus, 4);
	EXPECT(cfg_read(&bus, 1, 0x06, 2) & 0x10);		/* capability list */
	cap = (int)cfg_read(&bus, 1, 0x34, 1);
	EXPECT(cap == PCI_MSIX_CAP);
	EXPECT(cfg_read(&bus, 1, cap, 1) == 0x11);
	EXPECT((cfg_read(&bus, 1, cap + 2, 2) & 0x7ff) == 3);	/* 4 entries */
	EXPECT(cfg_read(&bus, 1, cap + 4, 4) == (HVX_BAR1_MSIX_TABLE | 1));
	EXPECT(cfg_read(&bus, 1, cap + 8, 4) == (HVX_BAR1_MSIX_PBA | 1));
	EXPECT(!pci_platform_msix_enabled(&bus));
	cfg_write(&bus, 1, cap + 2, 2, 0xc000 | 0x7ff);
	EXPECT(pci_platform_msix_enabled(&bus) && pci_platform_msix_masked(&bus));
	EXPECT((cfg_read(&bus, 1, cap + 2, 2) & 0x7ff) == 3);	/* size read-only */
	cfg_write(&bus, 1, cap + 2, 2, 0x8000);
	EXPECT(pci_platform_msix_enabled(&bus) && !pci_platform_msix_masked(&bus));
}

static void bad_accesses(void)
{
	struct pci_bus bus;

	pci_bus_init(&bus, 1);
	/* Disabled address, other buses, misaligned or odd sizes: all ones. */
	pci_conf1_write(&bus, PCI_CONFIG_ADDRESS, 4, 0x00000800u);
	EXPECT(pci_conf1_read(&bus, PCI_CONFIG_DATA, 4) == 0xffffffffu);
	pci_conf1_write(&bus, PCI_CONFIG_ADDRESS, 4, 0x80010800u);
	EXPECT(pci_conf1_read(&bus, PCI_CONFIG_DATA, 4) == 0xffffffffu);
	pci_conf1_write(&bus, PCI_CONFIG_ADDRESS, 4, 0x80000800u);
	EXPECT(pci_conf1_read(&bus, PCI_CONFIG_DATA + 1, 2) == 0xffffffffu);
	EXPECT(pci_conf1_read(&bus, PCI_CONFIG_DATA + 3, 4) == 0xffffffffu);
	EXPECT(pci_conf1_read(&bus, PCI_CONFIG_DATA, 3) == 0xffffffffu);
	pci_conf1_write(&bus, PCI_CONFIG_DATA + 2, 4, 0);	/* ignored */
	EXPECT(pci_conf1_read(&bus, PCI_CONFIG_DATA, 2) == HVX_PCI_VENDOR_ID);
}

int main(void)
{
	RUN(identities);
	RUN(bar_sizing);
	RUN(msix_capability);
	RUN(bad_accesses);
	return UNIT_EXIT();
}
