/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * evtchn_2l.h: the bit logic of Xen's 2-level event channels, on one
 * domain's shared-info bitmaps and one vCPU's selector and upcall flag:
 * pure, no locks, no domain. evtchn.c uses it under the domain's lock;
 * tests/unit/evtchn_2l_test.c runs it on the host, supplying the kernel's
 * bitops (test_bit, test_and_set_bit, test_and_clear_bit, xchg).
 */
#ifndef HV_KERNEL_EVTCHN_2L_H
#define HV_KERNEL_EVTCHN_2L_H

/*
 * Mark @port pending. True when the vCPU's upcall_pending went from 0 to
 * 1: the caller must kick it. An already pending or masked port, or a
 * selector bit already set, needs no kick (the guest has yet to scan).
 */
static inline bool xhv_2l_set_pending(unsigned long *pending,
				      const unsigned long *mask,
				      unsigned long *sel, u8 *upcall_pending,
				      u32 port)
{
	if (test_and_set_bit(port, pending))
		return false;
	if (test_bit(port, mask))
		return false;
	if (test_and_set_bit(port / BITS_PER_LONG, sel))
		return false;
	return !xchg(upcall_pending, 1);
}

/*
 * Unmask @port. True when that delivers an event held back by the mask
 * (pending, and the selector and upcall flag newly set): kick the vCPU.
 */
static inline bool xhv_2l_unmask(const unsigned long *pending,
				 unsigned long *mask, unsigned long *sel,
				 u8 *upcall_pending, u32 port)
{
	if (!test_and_clear_bit(port, mask) || !test_bit(port, pending))
		return false;
	if (test_and_set_bit(port / BITS_PER_LONG, sel))
		return false;
	return !xchg(upcall_pending, 1);
}

#endif /* HV_KERNEL_EVTCHN_2L_H */
