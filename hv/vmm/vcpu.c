// SPDX-License-Identifier: GPL-2.0-only
/* vcpu.c: vCPU threads: CPUID, long-mode entry, exits and port I/O. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>

#include "vmm/acpi.h"
#include "vmm/bootparams.h"
#include "vmm/vmm.h"

#define CPUID_MAX_ENTRIES	256
#define CPUID_HYPERVISOR	(1u << 31)
#define KICK_SIGNAL		SIGUSR1

#define I8042_COMMAND		0x64
#define I8042_RESET		0xfe
#define RESET_CONTROL		0xcf9
#define RESET_CONTROL_RST	0x04

static int fail(char *err, size_t errlen, const char *what, int id)
{
	snprintf(err, errlen, "vCPU %d: %s: %s", id, what, strerror(errno));
	return -1;
}

static int setup_cpuid(struct vcpu *vcpu, char *err, size_t errlen)
{
	struct kvm_cpuid2 *cpuid;
	unsigned int i;
	int ret = 0;

	cpuid = calloc(1, sizeof(*cpuid) + CPUID_MAX_ENTRIES * sizeof(cpuid->entries[0]));
	if (!cpuid)
		return fail(err, errlen, "CPUID", vcpu->id);
	cpuid->nent = CPUID_MAX_ENTRIES;
	if (ioctl(vcpu->vmm->kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid)) {
		free(cpuid);
		return fail(err, errlen, "KVM_GET_SUPPORTED_CPUID", vcpu->id);
	}
	for (i = 0; i < cpuid->nent; i++) {
		struct kvm_cpuid_entry2 *e = &cpuid->entries[i];

		switch (e->function) {
		case 1:
			/* Initial APIC ID; say a hypervisor runs us (kvmclock). */
			e->ebx = (e->ebx & 0x00ffffff) | ((uint32_t)vcpu->id << 24);
			e->ecx |= CPUID_HYPERVISOR;
			break;
		case 0xb:
		case 0x1f:
			e->edx = (uint32_t)vcpu->id;	/* x2APIC ID */
			break;
		}
	}
	if (ioctl(vcpu->fd, KVM_SET_CPUID2, cpuid))
		ret = fail(err, errlen, "KVM_SET_CPUID2", vcpu->id);
	free(cpuid);
	return ret;
}

/* The boot vCPU enters the kernel's 64-bit entry with paging on. */
static int setup_boot_vcpu(struct vcpu *vcpu, char *err, size_t errlen)
{
	struct kvm_segment code = {
		.limit = 0xffffffff, .selector = 0x10, .type = 11,
		.present = 1, .s = 1, .l = 1, .g = 1,
	};
	struct kvm_segment data = {
		.limit = 0xffffffff, .selector = 0x18, .type = 3,
		.present = 1, .s = 1, .db = 1, .g = 1,
	};
	struct kvm_regs regs = {
		.rip = BOOT_KERNEL_ADDR + 0x200,	/* startup_64 */
		.rsi = BOOT_ZERO_PAGE_ADDR,
		.rflags = 0x2,
	};
	struct kvm_sregs sregs;

	if (ioctl(vcpu->fd, KVM_GET_SREGS, &sregs))
		return fail(err, errlen, "KVM_GET_SREGS", vcpu->id);
	sregs.cs = code;
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
	sregs.gdt.base = BOOT_GDT_ADDR;
	sregs.gdt.limit = 4 * 8 - 1;
	sregs.cr3 = BOOT_PAGE_TABLE_ADDR;
	sregs.cr4 = 1u << 5;				/* PAE */
	sregs.cr0 = 0x80000000u | 0x10u | 0x1u;		/* PG, ET, PE */
	sregs.efer = (1u << 8) | (1u << 10);		/* LME, LMA */
	if (ioctl(vcpu->fd, KVM_SET_SREGS, &sregs))
		return fail(err, errlen, "KVM_SET_SREGS", vcpu->id);
	if (ioctl(vcpu->fd, KVM_SET_REGS, &regs))
		return fail(err, errlen, "KVM_SET_REGS", vcpu->id);
	return 0;
}

int vcpu_create_all(struct vmm *vmm, char *err, size_t errlen)
{
	int mmap_size = ioctl(vmm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	unsigned int i;

	if (mmap_size <= 0)
		return fail(err, errlen, "KVM_GET_VCPU_MMAP_SIZE", 0);
	for (i = 0; i < vmm->nr_vcpus; i++) {
		struct vcpu *vcpu = &vmm->vcpus[i];

		vcpu->vmm = vmm;
		vcpu->id = (int)i;
		vcpu->fd = ioctl(vmm->vm_fd, KVM_CREATE_VCPU, i);
		if (vcpu->fd < 0)
			return fail(err, errlen, "KVM_CREATE_VCPU", vcpu->id);
		vcpu->run = mmap(NULL, (size_t)mmap_size, PROT_READ | PROT_WRITE,
				 MAP_SHARED, vcpu->fd, 0);
		if (vcpu->run == MAP_FAILED)
			return fail(err, errlen, "mmap of kvm_run", vcpu->id);
		if (setup_cpuid(vcpu, err, errlen))
			return -1;
		/* Application processors wait for INIT/SIPI from the guest. */
		if (i == 0 && setup_boot_vcpu(vcpu, err, errlen))
			return -1;
	}
	return 0;
}

static void port_out(struct vcpu *vcpu, uint16_t port, uint8_t v)
{
	struct vmm *vmm = vcpu->vmm;

	if (port >= SERIAL_BASE && port < SERIAL_BASE + 8) {
		serial_io(&vmm->serial, port - SERIAL_BASE, 1, &v);
	} else if (port == ACPI_SLEEP_CONTROL_PORT) {
		if ((v & ACPI_SLP_EN) &&
		    ((v & ACPI_SLP_TYP_MASK) >> ACPI_SLP_TYP_SHIFT) == ACPI_S5_TYPE)
			vmm_guest_event(vmm, VMM_EVENT_POWEROFF, "ACPI S5 (power off)");
	} else if (port == ACPI_RESET_PORT && v == ACPI_RESET_VALUE) {
		vmm_guest_event(vmm, VMM_EVENT_REBOOT, "ACPI reset register");
	} else if (port == I8042_COMMAND && v == I8042_RESET) {
		vmm_guest_event(vmm, VMM_EVENT_REBOOT, "keyboard controller reset");
	} else if (port == RESET_CONTROL && (v & RESET_CONTROL_RST)) {
		vmm_guest_event(vmm, VMM_EVENT_REBOOT, "reset control register 0xcf9");
	}
	/* Anything else (POST codes, absent devices) is ignored. */
}

static uint8_t port_in(struct vcpu *vcpu, uint16_t port)
{
	uint8_t v = 0xff;

	if (port >= SERIAL_BASE && port < SERIAL_BASE + 8)
		serial_io(&vcpu->vmm->serial, port - SERIAL_BASE, 0, &v);
	else if (port == ACPI_SLEEP_STATUS_PORT)
		v = ACPI_WAK_STS;
	else if (port == I8042_COMMAND)
		v = 0;	/* never busy: a reboot through it must not spin */
	return v;
}

static void handle_io(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	uint32_t i;

	for (i = 0; i < run->io.count; i++, data += run->io.size) {
		if (platform_io(vcpu, run->io.port, run->io.size,
				run->io.direction == KVM_EXIT_IO_OUT, data) ||
		    passthrough_io(vcpu->vmm, run->io.port, run->io.size,
				   run->io.direction == KVM_EXIT_IO_OUT, data))
			continue;
		/* The other devices have byte registers only. */
		if (run->io.size != 1) {
			if (run->io.direction == KVM_EXIT_IO_IN)
				memset(data, 0xff, run->io.size);
		} else if (run->io.direction == KVM_EXIT_IO_OUT) {
			port_out(vcpu, run->io.port, *data);
		} else {
			*data = port_in(vcpu, run->io.port);
		}
	}
}

/* Where a crashed vCPU was, for the VMM log (as Xen prints on a crash).
 * On AMD hosts KVM has already reset the vCPU after a shutdown intercept,
 * so a triple fault there shows the reset state. */
static void log_registers(struct vcpu *vcpu)
{
	struct kvm_sregs s;
	struct kvm_regs r;

	if (ioctl(vcpu->fd, KVM_GET_REGS, &r) || ioctl(vcpu->fd, KVM_GET_SREGS, &s))
		return;
	vmm_log("vCPU %d: rip %#llx rsp %#llx rflags %#llx cr0 %#llx cr2 %#llx "
		"cr3 %#llx cr4 %#llx efer %#llx cs %#x", vcpu->id,
		(unsigned long long)r.rip, (unsigned long long)r.rsp,
		(unsigned long long)r.rflags, (unsigned long long)s.cr0,
		(unsigned long long)s.cr2, (unsigned long long)s.cr3,
		(unsigned long long)s.cr4, (unsigned long long)s.efer, s.cs.selector);
}

/* Highest vector set in a LAPIC 256-bit register at @off, or -1. */
static int apic_top(const struct kvm_lapic_state *l, unsigned int off)
{
	int i, b;

	for (i = 7; i >= 0; i--) {
		uint32_t w;

		memcpy(&w, l->regs + off + i * 0x10, sizeof(w));
		for (b = 31; w && b >= 0; b--)
			if (w & (1u << b))
				return i * 32 + b;
	}
	return -1;
}

/* debug-regs, in the vCPU's own thread (KVM's vCPU ioctls are its). */
static void fill_dump(struct vcpu *vcpu)
{
	struct kvm_vcpu_events ev;
	struct kvm_lapic_state l;
	struct kvm_mp_state mp;
	struct kvm_sregs s;
	struct kvm_regs r;
	uint32_t tpr = 0;
	int n;

	if (ioctl(vcpu->fd, KVM_GET_REGS, &r) || ioctl(vcpu->fd, KVM_GET_SREGS, &s)) {
		snprintf(vcpu->dump, sizeof(vcpu->dump), "vCPU %d: registers: %s\n", vcpu->id,
			 strerror(errno));
		return;
	}
	n = snprintf(vcpu->dump, sizeof(vcpu->dump),
		     "vCPU %d: rip %#llx rsp %#llx rbp %#llx rflags %#llx (IF %d) cr3 %#llx cr2 %#llx cs %#x\n"
		     "vCPU %d: rax %#llx rbx %#llx rcx %#llx rdx %#llx rsi %#llx rdi %#llx\n",
		     vcpu->id, (unsigned long long)r.rip, (unsigned long long)r.rsp,
		     (unsigned long long)r.rbp, (unsigned long long)r.rflags,
		     !!(r.rflags & 0x200), (unsigned long long)s.cr3,
		     (unsigned long long)s.cr2, s.cs.selector, vcpu->id,
		     (unsigned long long)r.rax, (unsigned long long)r.rbx,
		     (unsigned long long)r.rcx, (unsigned long long)r.rdx,
		     (unsigned long long)r.rsi, (unsigned long long)r.rdi);
	if (n < 0 || (size_t)n >= sizeof(vcpu->dump))
		return;
	if (!ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, &ev) && !ioctl(vcpu->fd, KVM_GET_LAPIC, &l) &&
	    !ioctl(vcpu->fd, KVM_GET_MP_STATE, &mp)) {
		memcpy(&tpr, l.regs + 0x80, sizeof(tpr));
		snprintf(vcpu->dump + n, sizeof(vcpu->dump) - (size_t)n,
			 "vCPU %d: mp_state %u interrupt injected %u nr %u shadow %u nmi pending %u "
			 "masked %u; lapic tpr %#x isr top %d irr top %d\n",
			 vcpu->id, mp.mp_state, ev.interrupt.injected, ev.interrupt.nr,
			 ev.interrupt.shadow, ev.nmi.pending, ev.nmi.masked, tpr,
			 apic_top(&l, 0x100), apic_top(&l, 0x200));
	}
}

static void send_text(int fd, const char *s)
{
	size_t len = strlen(s);

	while (len) {
		ssize_t n = send(fd, s, len, MSG_NOSIGNAL);

		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

/*
 * "debug-regs" on the domain's socket: where each vCPU is (registers,
 * interrupt state, the local APIC's highest in-service and requested
 * vectors), for a domain that stopped answering. Each vCPU is kicked out
 * of KVM_RUN and reads its own state; one busy in the VMM (an exit being
 * handled) is named with that exit instead.
 */
void vcpu_debug_regs(struct vmm *vmm, int fd)
{
	const struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };
	unsigned int i, t;
	char line[160];

	send_text(fd, "OK\n");
	for (i = 0; i < vmm->nr_vcpus; i++) {
		struct vcpu *v = &vmm->vcpus[i];

		__atomic_store_n(&v->dump_state, 1, __ATOMIC_SEQ_CST);
		v->run->immediate_exit = 1;
		pthread_kill(v->thread, KICK_SIGNAL);
	}
	for (i = 0; i < vmm->nr_vcpus; i++) {
		struct vcpu *v = &vmm->vcpus[i];

		for (t = 0; t < 100 && __atomic_load_n(&v->dump_state, __ATOMIC_SEQ_CST) != 2; t++)
			nanosleep(&tick, NULL);
		if (__atomic_load_n(&v->dump_state, __ATOMIC_SEQ_CST) == 2) {
			send_text(fd, v->dump);
		} else {
			snprintf(line, sizeof(line),
				 "vCPU %d: no answer in 1 s; busy in the VMM with exit %u (address %#llx)\n",
				 v->id, v->in_exit, (unsigned long long)v->exit_addr);
			send_text(fd, line);
		}
		__atomic_store_n(&v->dump_state, 0, __ATOMIC_SEQ_CST);
	}
}

static void handle_exit(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	struct vmm *vmm = vcpu->vmm;
	char why[96];

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		handle_io(vcpu);
		break;
	case KVM_EXIT_MMIO:
		if (platform_mmio(vcpu, run->mmio.phys_addr, run->mmio.len,
				  run->mmio.is_write, run->mmio.data) ||
		    passthrough_mmio(vcpu->vmm, run->mmio.phys_addr, run->mmio.len,
				     run->mmio.is_write, run->mmio.data))
			break;
		if (!run->mmio.is_write)
			memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
		break;
	case KVM_EXIT_HLT:
	case KVM_EXIT_IRQ_WINDOW_OPEN:
	case KVM_EXIT_INTR:
		break;
	case KVM_EXIT_SHUTDOWN:
		log_registers(vcpu);
		vmm_guest_event(vmm, VMM_EVENT_CRASH, "triple fault");
		break;
	case KVM_EXIT_SYSTEM_EVENT:
		if (run->system_event.type == KVM_SYSTEM_EVENT_RESET)
			vmm_guest_event(vmm, VMM_EVENT_REBOOT, "system reset");
		else if (run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN)
			vmm_guest_event(vmm, VMM_EVENT_POWEROFF, "system shutdown");
		else
			vmm_guest_event(vmm, VMM_EVENT_CRASH, "system event");
		break;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(why, sizeof(why), "vCPU %d failed to enter (reason %#llx)", vcpu->id,
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		vmm_guest_event(vmm, VMM_EVENT_CRASH, why);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		snprintf(why, sizeof(why), "KVM internal error %u on vCPU %d",
			 run->internal.suberror, vcpu->id);
		vmm_guest_event(vmm, VMM_EVENT_CRASH, why);
		break;
	default:
		snprintf(why, sizeof(why), "unexpected exit %u on vCPU %d",
			 run->exit_reason, vcpu->id);
		vmm_guest_event(vmm, VMM_EVENT_CRASH, why);
		break;
	}
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *vcpu = arg;
	struct vmm *vmm = vcpu->vmm;

	while (!vmm->stopping) {
		int ret = ioctl(vcpu->fd, KVM_RUN, 0);

		if (__atomic_load_n(&vcpu->dump_state, __ATOMIC_SEQ_CST) == 1) {
			fill_dump(vcpu);
			__atomic_store_n(&vcpu->dump_state, 2, __ATOMIC_SEQ_CST);
		}
		/*
		 * A debug-regs kick is over (answered, or given up on while this
		 * vCPU was busy in an exit): run the guest again. Only a stop
		 * keeps immediate_exit set.
		 */
		if (vcpu->run->immediate_exit && !vmm->stopping)
			vcpu->run->immediate_exit = 0;
		if (ret < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			vmm_guest_event(vmm, VMM_EVENT_CRASH, "KVM_RUN failed");
			break;
		}
		vcpu->in_exit = vcpu->run->exit_reason;
		vcpu->exit_addr = vcpu->run->exit_reason == KVM_EXIT_MMIO ? vcpu->run->mmio.phys_addr :
				  vcpu->run->exit_reason == KVM_EXIT_IO ? vcpu->run->io.port : 0;
		handle_exit(vcpu);
		vcpu->in_exit = 0;
	}
	return NULL;
}

static void kick_handler(int sig)
{
	(void)sig;
}

int vcpu_start_all(struct vmm *vmm, char *err, size_t errlen)
{
	struct sigaction sa = { .sa_handler = kick_handler };
	unsigned int i;

	/* No SA_RESTART: the kick makes KVM_RUN return EINTR. */
	sigemptyset(&sa.sa_mask);
	sigaction(KICK_SIGNAL, &sa, NULL);
	for (i = 0; i < vmm->nr_vcpus; i++) {
		errno = pthread_create(&vmm->vcpus[i].thread, NULL, vcpu_thread,
				       &vmm->vcpus[i]);
		if (errno)
			return fail(err, errlen, "pthread_create", (int)i);
	}
	return 0;
}

/* Stop every vCPU: immediate_exit covers a kick that lands before KVM_RUN. */
void vcpu_stop_all(struct vmm *vmm)
{
	unsigned int i;

	vmm->stopping = 1;
	for (i = 0; i < vmm->nr_vcpus; i++) {
		vmm->vcpus[i].run->immediate_exit = 1;
		pthread_kill(vmm->vcpus[i].thread, KICK_SIGNAL);
	}
	for (i = 0; i < vmm->nr_vcpus; i++)
		pthread_join(vmm->vcpus[i].thread, NULL);
}
