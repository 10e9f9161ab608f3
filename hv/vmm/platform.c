// SPDX-License-Identifier: GPL-2.0-only
/*
 * platform.c: the hv platform device wired to KVM and hv.ko. BAR0's
 * DOORBELL is a KVM ioeventfd whose eventfd hv.ko polls; HYPERCALL exits
 * here and goes to hv.ko in one ioctl; each vCPU's upcall is an eventfd
 * that hv.ko signals and KVM injects, through an irqfd, as the MSI-X
 * message the guest programmed (entry N for vCPU N, entry 0 for vCPUs
 * without an entry of their own).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "xen/hvx/hvctl.h"
#include "xen/hvx/platform.h"
#include "vmm/platform.h"
#include "vmm/vmm.h"

#define UPCALL_GSI_BASE		24	/* after the IOAPIC's pins */
#define IOAPIC_PINS		24
#define PIC_PINS		16
#define MSIX_ENTRY_SIZE		16
#define MSIX_VECTOR_MASKED	1u

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "platform device: %s: %s", what, strerror(errno));
	return -1;
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static int doorbell_register(struct vmm *vmm, uint32_t port, bool assign)
{
	struct kvm_ioeventfd ioev = {
		.addr = port + HVX_BAR0_DOORBELL,
		.len = 4,
		.fd = vmm->platform.doorbell_fd,
		.flags = KVM_IOEVENTFD_FLAG_PIO |
			 (assign ? 0 : KVM_IOEVENTFD_FLAG_DEASSIGN),
	};

	return ioctl(vmm->vm_fd, KVM_IOEVENTFD, &ioev);
}

/* The message vCPU @v's upcalls use, or false if none is usable. */
static bool upcall_message(struct platform *p, unsigned int v,
			   struct kvm_irq_routing_msi *msi)
{
	const uint8_t *e;

	if (!pci_platform_msix_enabled(&p->bus) || pci_platform_msix_masked(&p->bus))
		return false;
	if (v >= p->nr_vectors ||
	    get32(p->msix[v] + 12) & MSIX_VECTOR_MASKED || !get32(p->msix[v]))
		v = 0;
	e = p->msix[v];
	if (get32(e + 12) & MSIX_VECTOR_MASKED || !get32(e))
		return false;
	msi->address_lo = get32(e);
	msi->address_hi = get32(e + 4);
	msi->data = get32(e + 8);
	return true;
}

/*
 * KVM_SET_GSI_ROUTING replaces the whole table: the default irqchip routes
 * (PIC and IOAPIC pins) go in again, then one MSI route per vCPU upcall.
 */
static void routes_update(struct vmm *vmm)
{
	struct platform *p = &vmm->platform;
	struct kvm_irq_routing *r;
	unsigned int n = 0, i;
	bool any = false;

	r = calloc(1, sizeof(*r) + (IOAPIC_PINS + PIC_PINS + HV_CONFIG_VCPUS_MAX) *
		   sizeof(r->entries[0]));
	if (!r)
		return;
	for (i = 0; i < IOAPIC_PINS; i++) {
		r->entries[n].gsi = i;
		r->entries[n].type = KVM_IRQ_ROUTING_IRQCHIP;
		r->entries[n].u.irqchip.irqchip = KVM_IRQCHIP_IOAPIC;
		r->entries[n++].u.irqchip.pin = i;
	}
	for (i = 0; i < PIC_PINS; i++) {
		if (i == 2)
			continue;	/* the cascade */
		r->entries[n].gsi = i;
		r->entries[n].type = KVM_IRQ_ROUTING_IRQCHIP;
		r->entries[n].u.irqchip.irqchip = i < 8 ? KVM_IRQCHIP_PIC_MASTER
							: KVM_IRQCHIP_PIC_SLAVE;
		r->entries[n++].u.irqchip.pin = i % 8;
	}
	for (i = 0; i < vmm->nr_vcpus; i++) {
		struct kvm_irq_routing_msi msi = { 0 };

		if (!upcall_message(p, i, &msi))
			continue;
		r->entries[n].gsi = UPCALL_GSI_BASE + i;
		r->entries[n].type = KVM_IRQ_ROUTING_MSI;
		r->entries[n++].u.msi = msi;
		any = true;
	}
	r->nr = n;
	if (ioctl(vmm->vm_fd, KVM_SET_GSI_ROUTING, r))
		vmm_log("KVM_SET_GSI_ROUTING: %s", strerror(errno));
	free(r);
	/*
	 * An upcall raised while no message was usable is not lost: every
	 * vCPU gets one (possibly spurious) upcall whenever routes change.
	 */
	if (any) {
		uint64_t one = 1;

		for (i = 0; i < vmm->nr_vcpus; i++)
			if (write(p->upcall_fd[i], &one, sizeof(one)) < 0)
				vmm_log("upcall eventfd: %s", strerror(errno));
	}
}

int platform_init(struct vmm *vmm, char *err, size_t errlen)
{
	struct platform *p = &vmm->platform;
	unsigned int i;

	pthread_mutex_init(&p->lock, NULL);
	p->nr_vectors = vmm->nr_vcpus < HVX_MSIX_MAX_VECTORS ? vmm->nr_vcpus
							     : HVX_MSIX_MAX_VECTORS;
	pci_bus_init(&p->bus, p->nr_vectors);
	for (i = 0; i < HVX_MSIX_MAX_VECTORS; i++)
		p->msix[i][12] = MSIX_VECTOR_MASKED;
	p->bar0 = pci_platform_bar(&p->bus, 0);
	p->bar1 = pci_platform_bar(&p->bus, 1);

	p->doorbell_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (p->doorbell_fd < 0)
		return fail(err, errlen, "eventfd");
	if (doorbell_register(vmm, p->bar0, true))
		return fail(err, errlen, "KVM_IOEVENTFD");
	if (ioctl(vmm->hvctl_fd, HVCTL_SET_DOORBELL, &p->doorbell_fd))
		return fail(err, errlen, "HVCTL_SET_DOORBELL (is hv.ko current?)");
	for (i = 0; i < vmm->nr_vcpus; i++) {
		struct kvm_irqfd irqfd = { .gsi = UPCALL_GSI_BASE + i };
		struct hvctl_upcall up = { .vcpu = i };

		p->upcall_fd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (p->upcall_fd[i] < 0)
			return fail(err, errlen, "eventfd");
		irqfd.fd = (uint32_t)p->upcall_fd[i];
		if (ioctl(vmm->vm_fd, KVM_IRQFD, &irqfd))
			return fail(err, errlen, "KVM_IRQFD");
		up.eventfd = p->upcall_fd[i];
		if (ioctl(vmm->hvctl_fd, HVCTL_SET_UPCALL, &up))
			return fail(err, errlen, "HVCTL_SET_UPCALL");
	}
	routes_update(vmm);
	return 0;
}

static void bar0_io(struct vcpu *vcpu, uint16_t off, unsigned int size,
		    bool out, uint8_t *data)
{
	struct vmm *vmm = vcpu->vmm;
	uint32_t v = 0;

	if (size != 4 || off % 4) {
		if (!out)
			memset(data, 0xff, size);
		return;
	}
	if (!out) {
		if (off == HVX_BAR0_VERSION)
			v = HVX_PLATFORM_ABI_VERSION;
		else if (off == HVX_BAR0_VCPUS)
			v = vmm->nr_vcpus;
		else
			v = 0xffffffffu;
		memcpy(data, &v, 4);
		return;
	}
	memcpy(&v, data, 4);
	if (off == HVX_BAR0_HYPERCALL) {
		struct hvctl_hypercall hc = { .vcpu = (uint32_t)vcpu->id, .block_gfn = v };

		if (ioctl(vmm->hvctl_fd, HVCTL_HYPERCALL, &hc) && !vcpu->hypercall_warned) {
			vmm_log("vCPU %d: hypercall block at frame %#x refused: %s",
				vcpu->id, v, strerror(errno));
			vcpu->hypercall_warned = 1;
		}
	} else if (off == HVX_BAR0_DOORBELL) {
		/* Only while the ioeventfd moves with BAR0: pass it on. */
		uint64_t one = 1;

		if (write(vmm->platform.doorbell_fd, &one, sizeof(one)) < 0)
			vmm_log("doorbell: %s", strerror(errno));
	}
}

bool platform_io(struct vcpu *vcpu, uint16_t port, unsigned int size, bool out,
		 uint8_t *data)
{
	struct vmm *vmm = vcpu->vmm;
	struct platform *p = &vmm->platform;
	uint32_t v = 0;

	if (port >= PCI_CONFIG_ADDRESS && port < PCI_CONFIG_DATA + 4) {
		pthread_mutex_lock(&p->lock);
		if (out) {
			memcpy(&v, data, size);
			pci_conf1_write(&p->bus, port, size, v);
			/* BAR0 moved: the doorbell moves with it. */
			if (pci_platform_bar(&p->bus, 0) != p->bar0) {
				doorbell_register(vmm, p->bar0, false);
				p->bar0 = pci_platform_bar(&p->bus, 0);
				if (doorbell_register(vmm, p->bar0, true))
					vmm_log("doorbell at %#x: %s", p->bar0,
						strerror(errno));
			}
			p->bar1 = pci_platform_bar(&p->bus, 1);
			if (pci_platform_msix_enabled(&p->bus) != p->msix_enabled ||
			    pci_platform_msix_masked(&p->bus) != p->msix_masked) {
				p->msix_enabled = pci_platform_msix_enabled(&p->bus);
				p->msix_masked = pci_platform_msix_masked(&p->bus);
				routes_update(vmm);
			}
		} else {
			v = pci_conf1_read(&p->bus, port, size);
			memcpy(data, &v, size);
		}
		pthread_mutex_unlock(&p->lock);
		return true;
	}
	if (port >= p->bar0 && port < p->bar0 + HVX_BAR0_SIZE) {
		bar0_io(vcpu, (uint16_t)(port - p->bar0), size, out, data);
		return true;
	}
	return false;
}

bool platform_mmio(struct vcpu *vcpu, uint64_t addr, unsigned int len,
		   bool write, uint8_t *data)
{
	struct vmm *vmm = vcpu->vmm;
	struct platform *p = &vmm->platform;
	uint64_t off;

	if (addr < p->bar1 || addr >= (uint64_t)p->bar1 + HVX_BAR1_SIZE)
		return false;
	off = addr - p->bar1;
	if (len > 8 || off + len > HVX_BAR1_SIZE)
		return true;
	pthread_mutex_lock(&p->lock);
	if (off < HVX_BAR1_MSIX_TABLE + (uint64_t)p->nr_vectors * MSIX_ENTRY_SIZE) {
		unsigned int entry = (unsigned int)(off / MSIX_ENTRY_SIZE);
		unsigned int in = (unsigned int)(off % MSIX_ENTRY_SIZE);

		if (in + len <= MSIX_ENTRY_SIZE) {
			if (write) {
				memcpy(p->msix[entry] + in, data, len);
				routes_update(vmm);
			} else {
				memcpy(data, p->msix[entry] + in, len);
			}
		} else if (!write) {
			memset(data, 0xff, len);
		}
	} else if (!write) {
		memset(data, 0, len);	/* PBA: nothing pending */
	}
	pthread_mutex_unlock(&p->lock);
	return true;
}
