/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fastcopy.h: bulk copies through general registers, 64 bytes a turn, and
 * the choice between them and memcpy(), made once, at module load, by
 * timing both (as the kernel's RAID code times its xor routines).
 *
 * Why: memcpy() and copy_page() copy by string instructions where the
 * CPU says they are fast (rep movsb, rep movsq). On hardware that is as
 * fast as anything; on an emulated CPU (the lab's TCG) each step of a
 * string instruction costs about what a whole 64-byte turn through
 * registers does: tests/lab/copybench in the lab (2 Dec 2026), per KiB,
 * rep movsb 1581-1854 ns, rep movsq 220-248, registers 163-182, in dom0
 * and in a domU alike. The kernel's own memcpy() there took 823 ns a
 * page against 632 through registers (hv.ko's timing at load). The timing
 * picks whichever is faster where the module runs.
 */
#ifndef HVX_FASTCOPY_H
#define HVX_FASTCOPY_H

#include <linux/gfp.h>
#include <linux/kasan-checks.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/string.h>
#ifdef CONFIG_X86_64
#include "copy_regs64.h"
#endif

/* Copy @len bytes: 64-byte blocks through r8-r11, the tail by memcpy(). */
static inline void hvx_copy_regs(void *dst, const void *src, size_t len)
{
#ifdef CONFIG_X86_64
	size_t blocks = len / 64, done = len & ~(size_t)63;

	kasan_check_read(src, len);
	kasan_check_write(dst, len);
	if (blocks)
		hvx_copy_regs64(dst, src, blocks);
	if (len > done)
		memcpy((u8 *)dst + done, (const u8 *)src + done, len - done);
#else
	memcpy(dst, src, len);
#endif
}

/* The copy @use_regs chose (see hvx_copy_choose()). */
static inline void hvx_copy(bool use_regs, void *dst, const void *src, size_t len)
{
	if (use_regs)
		hvx_copy_regs(dst, src, len);
	else
		memcpy(dst, src, len);
}

/* Page copies timed per way at load. */
#define HVX_COPY_ROUNDS 16

/* Nanoseconds for @rounds page copies by one way, the best of three tries. */
static inline u64 hvx_copy_time(bool use_regs, void *dst, const void *src,
				unsigned int rounds)
{
	u64 best = U64_MAX, t;
	unsigned int try, i;

	for (try = 0; try < 3; try++) {
		preempt_disable();
		t = ktime_get_ns();
		for (i = 0; i < rounds; i++)
			hvx_copy(use_regs, dst, src, PAGE_SIZE);
		t = ktime_get_ns() - t;
		preempt_enable();
		best = min(best, t);
	}
	return best;
}

/*
 * True if copying through registers beat memcpy() here: HVX_COPY_ROUNDS
 * page copies each way, timed; @ns_memcpy/@ns_regs get the figures per
 * page (0 if the two pages could not be had, and then memcpy() is the
 * answer).
 */
static inline bool hvx_copy_choose(u64 *ns_memcpy, u64 *ns_regs)
{
	struct page *pages = alloc_pages(GFP_KERNEL, 1);
	void *src, *dst;

	*ns_memcpy = 0;
	*ns_regs = 0;
	if (!IS_ENABLED(CONFIG_X86_64) || !pages)
		goto out;
	src = page_address(pages);
	dst = src + PAGE_SIZE;
	memset(src, 0x5a, PAGE_SIZE);
	*ns_memcpy = hvx_copy_time(false, dst, src, HVX_COPY_ROUNDS) / HVX_COPY_ROUNDS;
	*ns_regs = hvx_copy_time(true, dst, src, HVX_COPY_ROUNDS) / HVX_COPY_ROUNDS;
out:
	if (pages)
		__free_pages(pages, 1);
	return *ns_regs && *ns_regs < *ns_memcpy;
}

#endif /* HVX_FASTCOPY_H */
