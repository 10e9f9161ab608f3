/* SPDX-License-Identifier: GPL-2.0-only */
/* linux/mm.h for host unit tests of hv.ko files: what they take from it. */
#ifndef TESTS_UNIT_LINUX_MM_H
#define TESTS_UNIT_LINUX_MM_H

#include <stdint.h>

#define PAGE_SIZE 4096UL
#define U32_MAX UINT32_MAX

#endif
