// SPDX-License-Identifier: GPL-2.0-only
/*
 * evtchn_2l_test.c: hv.ko's 2-level event-channel bit logic
 * (hv/kernel/evtchn_2l.h) on a real shared-info page: which sends and
 * unmasks must kick the vCPU, and which must only leave bits for the
 * guest's next scan.
 */
#include <string.h>

#include "kernel_shim.h"
#include "unit.h"
#include "xen/hvx/xen-abi.h"
#include "kernel/evtchn_2l.h"

static struct hvx_shared_info si;

#define PENDING ((unsigned long *)si.evtchn_pending)
#define MASK ((unsigned long *)si.evtchn_mask)
#define SEL(v) ((unsigned long *)&si.vcpu_info[v].evtchn_pending_sel)
#define UPCALL(v) (&si.vcpu_info[v].evtchn_upcall_pending)

static bool send(u32 port)
{
	return xhv_2l_set_pending(PENDING, MASK, SEL(0), UPCALL(0), port);
}

static void first_send_kicks(void)
{
	memset(&si, 0, sizeof(si));
	EXPECT(send(5));
	EXPECT(test_bit(5, PENDING));
	EXPECT(si.vcpu_info[0].evtchn_pending_sel == 1UL);
	EXPECT(*UPCALL(0) == 1);
}

static void second_send_same_port_no_kick(void)
{
	memset(&si, 0, sizeof(si));
	EXPECT(send(5));
	EXPECT(!send(5));
}

static void other_port_same_word_no_kick(void)
{
	memset(&si, 0, sizeof(si));
	EXPECT(send(5));
	EXPECT(!send(6));		/* selector bit 0 already set */
	EXPECT(test_bit(6, PENDING));
}

static void other_word_while_upcall_pending_no_kick(void)
{
	memset(&si, 0, sizeof(si));
	EXPECT(send(5));
	EXPECT(!send(200));		/* upcall_pending already 1 */
	EXPECT(test_bit(200 / BITS_PER_LONG, SEL(0)));
}

static void after_guest_scan_kicks_again(void)
{
	memset(&si, 0, sizeof(si));
	EXPECT(send(5));
	/* The guest scans: clears upcall, selector and the pending bit. */
	*UPCALL(0) = 0;
	si.vcpu_info[0].evtchn_pending_sel = 0;
	test_and_clear_bit(5, PENDING);
	EXPECT(send(5));
}

static void masked_port_stays_pending(void)
{
	memset(&si, 0, sizeof(si));
	test_and_set_bit(9, MASK);
	EXPECT(!send(9));
	EXPECT(test_bit(9, PENDING));
	EXPECT(si.vcpu_info[0].evtchn_pending_sel == 0 && *UPCALL(0) == 0);
}

static void unmask_delivers_pending(void)
{
	memset(&si, 0, sizeof(si));
	test_and_set_bit(9, MASK);
	send(9);
	EXPECT(xhv_2l_unmask(PENDING, MASK, SEL(0), UPCALL(0), 9));
	EXPECT(!test_bit(9, MASK));
	EXPECT(*UPCALL(0) == 1);
}

static void unmask_without_pending_no_kick(void)
{
	memset(&si, 0, sizeof(si));
	test_and_set_bit(9, MASK);
	EXPECT(!xhv_2l_unmask(PENDING, MASK, SEL(0), UPCALL(0), 9));
	EXPECT(!test_bit(9, MASK));
	EXPECT(*UPCALL(0) == 0);
}

static void unmask_of_unmasked_port_no_kick(void)
{
	memset(&si, 0, sizeof(si));
	test_and_set_bit(9, PENDING);	/* pending, never masked */
	EXPECT(!xhv_2l_unmask(PENDING, MASK, SEL(0), UPCALL(0), 9));
}

static void last_port_of_the_table(void)
{
	u32 last = HVX_EVTCHN_2L_NR_PORTS - 1;

	memset(&si, 0, sizeof(si));
	EXPECT(send(last));
	EXPECT(test_bit(last, PENDING));
	EXPECT(test_bit(last / BITS_PER_LONG, SEL(0)));
}

static void vcpus_are_independent(void)
{
	memset(&si, 0, sizeof(si));
	EXPECT(xhv_2l_set_pending(PENDING, MASK, SEL(1), UPCALL(1), 70));
	EXPECT(*UPCALL(0) == 0 && si.vcpu_info[0].evtchn_pending_sel == 0);
	EXPECT(xhv_2l_set_pending(PENDING, MASK, SEL(0), UPCALL(0), 3));
}

int main(void)
{
	RUN(first_send_kicks);
	RUN(second_send_same_port_no_kick);
	RUN(other_port_same_word_no_kick);
	RUN(other_word_while_upcall_pending_no_kick);
	RUN(after_guest_scan_kicks_again);
	RUN(masked_port_stays_pending);
	RUN(unmask_delivers_pending);
	RUN(unmask_without_pending_no_kick);
	RUN(unmask_of_unmasked_port_no_kick);
	RUN(last_port_of_the_table);
	RUN(vcpus_are_independent);
	return UNIT_EXIT();
}
