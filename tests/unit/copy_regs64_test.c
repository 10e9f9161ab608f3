// SPDX-License-Identifier: GPL-2.0-only
/*
 * copy_regs64_test.c: the register copy loop (include/xen/hvx/
 * copy_regs64.h) that hv.ko's grant copies and blkfront's persistent
 * copies may use: every byte of every block lands where it should, at
 * every alignment, and not one byte past the last block is written.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "unit.h"
#include "xen/hvx/copy_regs64.h"

#define AREA 4352	/* a page and four blocks: room for offsets */

static unsigned char src[AREA], dst[AREA];

static void fill(void)
{
	size_t i;

	for (i = 0; i < AREA; i++) {
		src[i] = (unsigned char)(i * 37 + 11);
		dst[i] = 0xee;
	}
}

/* One copy of @blocks blocks from src + @so to dst + @d_off. */
static int copies_exactly(size_t blocks, size_t so, size_t d_off)
{
	size_t len = blocks * 64, i;

	fill();
	hvx_copy_regs64(dst + d_off, src + so, blocks);
	if (memcmp(dst + d_off, src + so, len))
		return 0;
	for (i = 0; i < AREA; i++)
		if ((i < d_off || i >= d_off + len) && dst[i] != 0xee)
			return 0;
	return 1;
}

static void one_block(void)
{
	EXPECT(copies_exactly(1, 0, 0));
}

static void a_page(void)
{
	EXPECT(copies_exactly(64, 0, 0));
}

static void every_alignment(void)
{
	size_t so, d_off;

	for (so = 0; so < 16; so++)
		for (d_off = 0; d_off < 16; d_off++)
			EXPECT(copies_exactly(3, so, d_off));
	EXPECT(copies_exactly(63, 63, 1));
	EXPECT(copies_exactly(64, 200, 7));
}

int main(void)
{
	RUN(one_block);
	RUN(a_page);
	RUN(every_alignment);
	return UNIT_EXIT();
}
