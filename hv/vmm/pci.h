/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pci.h: PCI bus 0 of the VMM: a host bridge at 00:00.0 and the hv platform
 * device at 00:01.0, reached through conf1 (ports 0xcf8/0xcfc). Config
 * space, BAR sizing and the MSI-X capability are plain logic, tested on the
 * host; platform.c connects them to KVM.
 */
#ifndef HV_VMM_PCI_H
#define HV_VMM_PCI_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_CONFIG_ADDRESS	0xcf8
#define PCI_CONFIG_DATA		0xcfc

/* Windows the DSDT gives the root bridge, and where the VMM puts the BARs. */
#define PCI_IO_WINDOW_BASE	0xc000u
#define PCI_IO_WINDOW_SIZE	0x1000u
#define PCI_MEM_WINDOW_BASE	0xe0000000u
#define PCI_MEM_WINDOW_SIZE	0x10000000u

#define PCI_PLATFORM_SLOT	1
#define PCI_MSIX_CAP		0x40

struct pci_function {
	uint8_t config[256];
	uint8_t wmask[256];	/* bits the guest may change */
	uint32_t bar_size[6];	/* 0: no BAR */
	bool bar_io[6];
};

struct pci_bus {
	uint32_t address;	/* the last value written to 0xcf8 */
	struct pci_function host;
	struct pci_function platform;
};

void pci_bus_init(struct pci_bus *bus, unsigned int msix_vectors);
/* A conf1 access at @port (0xcf8..0xcff) of @size bytes. */
void pci_conf1_write(struct pci_bus *bus, uint16_t port, unsigned int size,
		     uint32_t value);
uint32_t pci_conf1_read(struct pci_bus *bus, uint16_t port, unsigned int size);

/* The current base address of BAR @bar of the platform device. */
uint32_t pci_platform_bar(const struct pci_bus *bus, int bar);
/* MSI-X control word of the platform device. */
bool pci_platform_msix_enabled(const struct pci_bus *bus);
bool pci_platform_msix_masked(const struct pci_bus *bus);

#endif /* HV_VMM_PCI_H */
