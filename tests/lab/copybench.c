// SPDX-License-Identifier: GPL-2.0-only
/*
 * copybench: what copying memory costs per KiB with each way of copying,
 * where it runs (dom0 under the lab's TCG, or a nested guest). A
 * diagnostic for choosing how drivers copy pages, not a test.
 *
 * Usage: copybench [KIB [ROUNDS]] (default 1024 KiB, 64 rounds): copies
 * KIB from one buffer to another ROUNDS times per method and prints
 * "@@COPY method=M ns_per_kib=N" for each.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../../include/xen/hvx/copy_regs64.h"

typedef void (*copy_fn)(void *to, const void *from, size_t len);

static void copy_libc(void *to, const void *from, size_t len)
{
	memcpy(to, from, len);
}

static void copy_rep_movsb(void *to, const void *from, size_t len)
{
	__asm__ volatile("rep movsb" : "+D"(to), "+S"(from), "+c"(len) : : "memory");
}

static void copy_rep_movsq(void *to, const void *from, size_t len)
{
	size_t n = len / 8;

	__asm__ volatile("rep movsq" : "+D"(to), "+S"(from), "+c"(n) : : "memory");
}

/* The modules' copy through registers (fastcopy.h), 64 bytes a turn. */
static void copy_regs64(void *to, const void *from, size_t len)
{
	hvx_copy_regs64(to, from, len / 64);
}

/* 64 bytes per iteration through four SSE registers. */
static void copy_sse64(void *to, const void *from, size_t len)
{
	size_t n = len / 64;

	__asm__ volatile(
		"1:\n\t"
		"movdqu 0(%1), %%xmm0\n\t"
		"movdqu 16(%1), %%xmm1\n\t"
		"movdqu 32(%1), %%xmm2\n\t"
		"movdqu 48(%1), %%xmm3\n\t"
		"movdqu %%xmm0, 0(%0)\n\t"
		"movdqu %%xmm1, 16(%0)\n\t"
		"movdqu %%xmm2, 32(%0)\n\t"
		"movdqu %%xmm3, 48(%0)\n\t"
		"leaq 64(%1), %1\n\t"
		"leaq 64(%0), %0\n\t"
		"decq %2\n\t"
		"jnz 1b"
		: "+r"(to), "+r"(from), "+r"(n)
		: : "xmm0", "xmm1", "xmm2", "xmm3", "memory", "cc");
}

static const struct {
	const char *name;
	copy_fn fn;
} methods[] = {
	{ "libc-memcpy", copy_libc },
	{ "rep-movsb", copy_rep_movsb },
	{ "rep-movsq", copy_rep_movsq },
	{ "regs-64", copy_regs64 },
	{ "sse-64", copy_sse64 },
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	unsigned long kib = argc > 1 ? strtoul(argv[1], NULL, 0) : 1024;
	unsigned long rounds = argc > 2 ? strtoul(argv[2], NULL, 0) : 64;
	size_t len = kib * 1024, i, m, r;
	unsigned char *a, *b;

	if (!kib || !rounds || kib > (1ul << 20)) {
		fprintf(stderr, "usage: copybench [KIB (1..1048576) [ROUNDS]]\n");
		return 2;
	}
	if (posix_memalign((void **)&a, 4096, len) || posix_memalign((void **)&b, 4096, len)) {
		fprintf(stderr, "copybench: no memory for 2 x %lu KiB\n", kib);
		return 1;
	}
	for (i = 0; i < len; i++)
		a[i] = (unsigned char)(i * 131 + 7);
	memset(b, 0, len);
	for (m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
		uint64_t t0, t;

		methods[m].fn(b, a, len);	/* warm: the pages are faulted in */
		t0 = now_ns();
		for (r = 0; r < rounds; r++)
			methods[m].fn(b, a, len);
		t = now_ns() - t0;
		if (memcmp(a, b, len)) {
			fprintf(stderr, "copybench: %s copied wrong bytes\n", methods[m].name);
			return 1;
		}
		memset(b, 0, len);
		printf("@@COPY method=%s ns_per_kib=%.0f\n", methods[m].name,
		       (double)t / ((double)rounds * kib));
	}
	return 0;
}
