/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * copy_regs64.h: the loop of fastcopy.h's copy through registers, 64 bytes
 * a turn through r8-r11, on its own so that tests/lab/copybench (user
 * space) times the very code the modules run. x86-64 only; the includer
 * provides size_t.
 */
#ifndef HVX_COPY_REGS64_H
#define HVX_COPY_REGS64_H

/* Copy @blocks (at least 1) blocks of 64 bytes from @src to @dst. */
static inline void hvx_copy_regs64(void *dst, const void *src, size_t blocks)
{
	asm volatile("1:\n\t"
		     "movq 0(%1), %%r8\n\t"
		     "movq 8(%1), %%r9\n\t"
		     "movq 16(%1), %%r10\n\t"
		     "movq 24(%1), %%r11\n\t"
		     "movq %%r8, 0(%0)\n\t"
		     "movq %%r9, 8(%0)\n\t"
		     "movq %%r10, 16(%0)\n\t"
		     "movq %%r11, 24(%0)\n\t"
		     "movq 32(%1), %%r8\n\t"
		     "movq 40(%1), %%r9\n\t"
		     "movq 48(%1), %%r10\n\t"
		     "movq 56(%1), %%r11\n\t"
		     "movq %%r8, 32(%0)\n\t"
		     "movq %%r9, 40(%0)\n\t"
		     "movq %%r10, 48(%0)\n\t"
		     "movq %%r11, 56(%0)\n\t"
		     "leaq 64(%1), %1\n\t"
		     "leaq 64(%0), %0\n\t"
		     "decq %2\n\t"
		     "jnz 1b"
		     : "+r" (dst), "+r" (src), "+r" (blocks)
		     : : "r8", "r9", "r10", "r11", "memory", "cc");
}

#endif /* HVX_COPY_REGS64_H */
