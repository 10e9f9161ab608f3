/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/slab.h for host unit tests of hv.ko files: the allocator on
 * malloc, with a switch that makes allocations fail (unit_alloc_fails).
 */
#ifndef TESTS_UNIT_LINUX_SLAB_H
#define TESTS_UNIT_LINUX_SLAB_H

#include <stdbool.h>
#include <stdlib.h>

#define GFP_KERNEL 0

static bool unit_alloc_fails;

static inline void *kzalloc(size_t size, int gfp)
{
	(void)gfp;
	return unit_alloc_fails ? NULL : calloc(1, size);
}

static inline void *krealloc_array(void *p, size_t n, size_t size, int gfp)
{
	(void)gfp;
	if (unit_alloc_fails || (size && n > SIZE_MAX / size))
		return NULL;
	return realloc(p, n * size);
}

static inline void kfree(const void *p)
{
	free((void *)p);
}

#endif
