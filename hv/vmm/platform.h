/* SPDX-License-Identifier: GPL-2.0-only */
/* platform.h: the hv platform PCI device of a domU (include/xen/hvx/platform.h). */
#ifndef HV_VMM_PLATFORM_H
#define HV_VMM_PLATFORM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "vmm/pci.h"

struct vcpu;
struct vmm;

struct platform {
	pthread_mutex_t lock;		/* config space and the MSI-X table */
	struct pci_bus bus;
	uint32_t bar0, bar1;		/* where the BARs are now */
	unsigned int nr_vectors;
	uint8_t msix[64][16];		/* the MSI-X table, as the guest wrote it */
	bool msix_enabled, msix_masked;
	int doorbell_fd;
	int upcall_fd[HV_CONFIG_VCPUS_MAX];
};

/* Build bus 0, hand the doorbell and upcall eventfds to KVM and hv.ko. */
int platform_init(struct vmm *vmm, char *err, size_t errlen);
/* Port I/O for conf1 and BAR0; false if @port is not ours. */
bool platform_io(struct vcpu *vcpu, uint16_t port, unsigned int size, bool out,
		 uint8_t *data);
/* MMIO for BAR1 (MSI-X table and PBA); false if @addr is not ours. */
bool platform_mmio(struct vcpu *vcpu, uint64_t addr, unsigned int len,
		   bool write, uint8_t *data);

#endif /* HV_VMM_PLATFORM_H */
