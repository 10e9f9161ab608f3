/* SPDX-License-Identifier: GPL-2.0-only */
/* memsize.h: memory sizes as hv mem-set and mem-max take them, and the safe floor. */
#ifndef HV_TOOLS_MEMSIZE_H
#define HV_TOOLS_MEMSIZE_H

#include <stdint.h>

/* The largest size accepted: 1 PiB, far above any host, far below overflow. */
#define MEMSIZE_MAX_KIB (1ULL << 40)

/*
 * "112" and "112m" are MiB, "1g" GiB, "4096k" KiB (suffixes in either
 * case, an optional trailing "b" or "ib": "1GiB"). Digits only before the
 * suffix: no sign, no space, no fraction. 0 with *kib set, or -1 with a
 * reason in *why.
 */
int memsize_parse_kib(const char *s, uint64_t *kib, const char **why);

/*
 * Below this target a guest is likely to stop working (the kernel, page
 * tables and a little free memory): 64 MiB plus 1/32 of maxmem. hv mem-set
 * warns below it, as xl warns before taking a guest down that far.
 */
uint64_t memsize_safe_floor_kib(uint64_t maxmem_kib);

#endif /* HV_TOOLS_MEMSIZE_H */
