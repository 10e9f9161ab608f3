// SPDX-License-Identifier: GPL-2.0-only
/*
 * rawping.c: the limit of the mechanisms hv's event channels and hypercalls
 * are built on, measured in the same lab boot as hv's own figures.
 *
 *   rawping evt N   a real-mode guest rings a KVM ioeventfd (PIO), a host
 *                   thread answers each ring through a KVM irqfd (PIC IRQ 5),
 *                   the guest's interrupt handler returns to the loop that
 *                   rings again: N round trips, no hv involved.
 *   rawping exit N  the guest does N port writes that exit to this process
 *                   (KVM_EXIT_IO) and resume: a VMM round trip, the first
 *                   half of every hv hypercall.
 *
 * Prints "rawping MODE rounds=N median_ns=M p99_ns=P".
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define GUEST_MEM	0x10000
#define CODE_ADDR	0x1000
#define HANDLER_ADDR	0x1100
#define DOORBELL_PORT	0x510
#define EXIT_PORT	0x511
#define IRQ_LINE	5

/* Real mode: PIC at vector 0x20, IRQ 5 unmasked; cli; out; sti; hlt loop.
 * "sti; hlt" closes the race between the answer and the halt. */
static const uint8_t evt_code[] = {
	0xfa,				/* cli */
	0x31, 0xc0,			/* xor ax,ax */
	0x8e, 0xd8,			/* mov ds,ax */
	0x8e, 0xd0,			/* mov ss,ax */
	0xbc, 0x00, 0x80,		/* mov sp,0x8000 */
	0xc7, 0x06, 0x94, 0x00, 0x00, 0x11, /* IVT[0x25].ip = 0x1100 */
	0xc7, 0x06, 0x96, 0x00, 0x00, 0x00, /* IVT[0x25].cs = 0 */
	0xb0, 0x11, 0xe6, 0x20,		/* ICW1 */
	0xb0, 0x20, 0xe6, 0x21,		/* ICW2: vector base 0x20 */
	0xb0, 0x04, 0xe6, 0x21,		/* ICW3 */
	0xb0, 0x01, 0xe6, 0x21,		/* ICW4: 8086 mode */
	0xb0, 0xdf, 0xe6, 0x21,		/* OCW1: only IRQ 5 */
	0xb0, 0xff, 0xe6, 0xa1,		/* slave: all masked */
	0xba, DOORBELL_PORT & 0xff, DOORBELL_PORT >> 8, /* mov dx,port */
	/* loop: */
	0xfa,				/* cli */
	0xee,				/* out dx,al: the doorbell */
	0xfb,				/* sti */
	0xf4,				/* hlt */
	0xeb, 0xfa,			/* jmp loop */
};

static const uint8_t evt_handler[] = {
	0x50,				/* push ax */
	0xb0, 0x20, 0xe6, 0x20,		/* EOI */
	0x58,				/* pop ax */
	0xcf,				/* iret */
};

static const uint8_t exit_code[] = {
	0xba, EXIT_PORT & 0xff, EXIT_PORT >> 8, /* mov dx,port */
	0xee,				/* loop: out dx,al */
	0xeb, 0xfd,			/* jmp loop */
};

struct rawping {
	int kvm, vm, vcpu;
	struct kvm_run *run;
	uint8_t *mem;
	int doorbell, irq;
	unsigned long rounds;
	uint64_t *stamp;
	volatile unsigned long answered;
};

static void die(const char *what)
{
	fprintf(stderr, "rawping: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void vm_create(struct rawping *rp, const uint8_t *code, size_t len)
{
	struct kvm_userspace_memory_region region = { 0 };
	struct kvm_sregs sregs;
	struct kvm_regs regs = { .rip = CODE_ADDR, .rflags = 2 };
	long run_size;

	rp->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (rp->kvm < 0)
		die("/dev/kvm");
	rp->vm = ioctl(rp->kvm, KVM_CREATE_VM, 0);
	if (rp->vm < 0)
		die("KVM_CREATE_VM");
	if (ioctl(rp->vm, KVM_CREATE_IRQCHIP, 0))
		die("KVM_CREATE_IRQCHIP");
	rp->mem = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (rp->mem == MAP_FAILED)
		die("mmap");
	memcpy(rp->mem + CODE_ADDR, code, len);
	memcpy(rp->mem + HANDLER_ADDR, evt_handler, sizeof(evt_handler));
	region.memory_size = GUEST_MEM;
	region.userspace_addr = (uintptr_t)rp->mem;
	if (ioctl(rp->vm, KVM_SET_USER_MEMORY_REGION, &region))
		die("KVM_SET_USER_MEMORY_REGION");
	rp->vcpu = ioctl(rp->vm, KVM_CREATE_VCPU, 0);
	if (rp->vcpu < 0)
		die("KVM_CREATE_VCPU");
	run_size = ioctl(rp->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size <= 0)
		die("KVM_GET_VCPU_MMAP_SIZE");
	rp->run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE,
		       MAP_SHARED, rp->vcpu, 0);
	if (rp->run == MAP_FAILED)
		die("mmap kvm_run");
	if (ioctl(rp->vcpu, KVM_GET_SREGS, &sregs))
		die("KVM_GET_SREGS");
	sregs.cs.selector = 0;
	sregs.cs.base = 0;
	if (ioctl(rp->vcpu, KVM_SET_SREGS, &sregs) ||
	    ioctl(rp->vcpu, KVM_SET_REGS, &regs))
		die("KVM_SET_REGS");
}

/* The host half of `evt`: each doorbell is answered with an interrupt. */
static void *answer_doorbells(void *arg)
{
	struct rawping *rp = arg;
	uint64_t one = 1, v;
	unsigned long i;

	for (i = 0; i <= rp->rounds; i++) {
		if (read(rp->doorbell, &v, sizeof(v)) != sizeof(v))
			die("read doorbell");
		rp->stamp[i] = now_ns();
		if (write(rp->irq, &one, sizeof(one)) != sizeof(one))
			die("write irqfd");
		rp->answered = i + 1;
	}
	return NULL;
}

static void *run_vcpu(void *arg)
{
	struct rawping *rp = arg;

	for (;;) {
		if (ioctl(rp->vcpu, KVM_RUN, 0) && errno != EINTR)
			die("KVM_RUN");
		if (rp->run->exit_reason != KVM_EXIT_INTR) {
			fprintf(stderr, "rawping: unexpected exit %u\n",
				rp->run->exit_reason);
			exit(1);
		}
	}
	return NULL;
}

static void measure_evt(struct rawping *rp)
{
	struct kvm_ioeventfd ioev = {
		.addr = DOORBELL_PORT, .len = 1, .flags = KVM_IOEVENTFD_FLAG_PIO,
	};
	struct kvm_irqfd irqfd = { .gsi = IRQ_LINE };
	pthread_t answerer, vcpu;

	vm_create(rp, evt_code, sizeof(evt_code));
	rp->doorbell = eventfd(0, EFD_CLOEXEC);
	rp->irq = eventfd(0, EFD_CLOEXEC);
	if (rp->doorbell < 0 || rp->irq < 0)
		die("eventfd");
	ioev.fd = rp->doorbell;
	irqfd.fd = (uint32_t)rp->irq;
	if (ioctl(rp->vm, KVM_IOEVENTFD, &ioev))
		die("KVM_IOEVENTFD");
	if (ioctl(rp->vm, KVM_IRQFD, &irqfd))
		die("KVM_IRQFD");
	if (pthread_create(&answerer, NULL, answer_doorbells, rp) ||
	    pthread_create(&vcpu, NULL, run_vcpu, rp))
		die("pthread_create");
	/* The vCPU thread halts forever at the end; exit() ends it. */
	for (int waited = 0; rp->answered <= rp->rounds; waited++) {
		if (waited == 600) {
			struct kvm_regs regs;

			ioctl(rp->vcpu, KVM_GET_REGS, &regs);
			fprintf(stderr, "rawping: stuck after %lu doorbells (rip %#llx)\n",
				rp->answered, (unsigned long long)regs.rip);
			exit(1);
		}
		usleep(50000);
	}
	pthread_join(answerer, NULL);
}

static void measure_exit(struct rawping *rp)
{
	unsigned long i;

	vm_create(rp, exit_code, sizeof(exit_code));
	for (i = 0; i <= rp->rounds; i++) {
		if (ioctl(rp->vcpu, KVM_RUN, 0))
			die("KVM_RUN");
		if (rp->run->exit_reason != KVM_EXIT_IO ||
		    rp->run->io.port != EXIT_PORT) {
			fprintf(stderr, "rawping: unexpected exit %u\n",
				rp->run->exit_reason);
			exit(1);
		}
		rp->stamp[i] = now_ns();
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct rawping rp = { 0 };
	unsigned long i;
	char *end;

	if (argc != 3 || (strcmp(argv[1], "evt") && strcmp(argv[1], "exit"))) {
		fprintf(stderr, "usage: rawping evt|exit ROUNDS\n");
		return 2;
	}
	rp.rounds = strtoul(argv[2], &end, 10);
	if (*end || rp.rounds < 10 || rp.rounds > 10000000) {
		fprintf(stderr, "rawping: ROUNDS must be 10..10000000\n");
		return 2;
	}
	rp.stamp = calloc(rp.rounds + 1, sizeof(*rp.stamp));
	if (!rp.stamp)
		die("calloc");
	if (!strcmp(argv[1], "evt"))
		measure_evt(&rp);
	else
		measure_exit(&rp);
	/* Round i is the time between the (i)th and (i+1)th stamp. */
	for (i = 0; i < rp.rounds; i++)
		rp.stamp[i] = rp.stamp[i + 1] - rp.stamp[i];
	qsort(rp.stamp, rp.rounds, sizeof(*rp.stamp), cmp_u64);
	printf("rawping %s rounds=%lu median_ns=%llu p99_ns=%llu\n", argv[1],
	       rp.rounds, (unsigned long long)rp.stamp[rp.rounds / 2],
	       (unsigned long long)rp.stamp[rp.rounds - 1 - rp.rounds / 100]);
	return 0;
}
