/* SPDX-License-Identifier: GPL-2.0-only */
/* linux/bits.h for host unit tests of hv.ko files. */
#ifndef TESTS_UNIT_LINUX_BITS_H
#define TESTS_UNIT_LINUX_BITS_H

#define BIT(nr) (1UL << (nr))

#endif
