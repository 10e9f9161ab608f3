/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kernel_shim.h: the few kernel types and atomic bitops that hv.ko's pure
 * logic headers (hv/kernel/evtchn_2l.h, grant_entry.h) and the shared
 * ring macros (include/xen/hvx/ring.h) use, built on the
 * compiler's atomics, so host unit tests run that logic unchanged.
 */
#ifndef TESTS_UNIT_KERNEL_SHIM_H
#define TESTS_UNIT_KERNEL_SHIM_H

#include <stdbool.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define BITS_PER_LONG (8 * (int)sizeof(long))

static inline unsigned long bit_mask(unsigned long nr)
{
	return 1UL << (nr % BITS_PER_LONG);
}

static inline bool test_bit(unsigned long nr, const unsigned long *addr)
{
	return __atomic_load_n(&addr[nr / BITS_PER_LONG], __ATOMIC_SEQ_CST) & bit_mask(nr);
}

static inline bool test_and_set_bit(unsigned long nr, unsigned long *addr)
{
	return __atomic_fetch_or(&addr[nr / BITS_PER_LONG], bit_mask(nr),
				 __ATOMIC_SEQ_CST) & bit_mask(nr);
}

static inline bool test_and_clear_bit(unsigned long nr, unsigned long *addr)
{
	return __atomic_fetch_and(&addr[nr / BITS_PER_LONG], ~bit_mask(nr),
				  __ATOMIC_SEQ_CST) & bit_mask(nr);
}

#define xchg(ptr, v) __atomic_exchange_n((ptr), (v), __ATOMIC_SEQ_CST)

/* Shared-ring accessors (include/xen/hvx/ring.h). */
#define READ_ONCE(x) (*(volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile typeof(x) *)&(x) = (v))
#define virt_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define virt_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define virt_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)

#endif /* TESTS_UNIT_KERNEL_SHIM_H */
