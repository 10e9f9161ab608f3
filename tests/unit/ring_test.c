// SPDX-License-Identifier: GPL-2.0-only
/*
 * ring_test.c: the shared-ring macros (include/xen/hvx/ring.h): sizes as
 * Xen computes them, index wrap-around, event suppression on both sides,
 * and the backend's check that refuses impossible producer indices.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "kernel_shim.h"
#include "unit.h"
#include "xen/hvx/ring.h"

/* Entries of the sizes blkif (112 bytes) and netif tx (12 bytes) use. */
struct big_req { u8 b[112]; };
struct big_rsp { u8 b[12]; };
struct small_req { u32 id; u32 v; u32 w; };
struct small_rsp { u32 id; u32 status; };

HVX_DEFINE_RING_TYPES(big, struct big_req, struct big_rsp);
HVX_DEFINE_RING_TYPES(small, struct small_req, struct small_rsp);

#define PAGE 4096

static void header_layout(void)
{
	EXPECT(offsetof(struct big_sring, ring) == HVX_SRING_HEADER_BYTES);
	EXPECT(offsetof(struct small_sring, ring) == HVX_SRING_HEADER_BYTES);
	EXPECT(offsetof(struct small_sring, rsp_event) == 12);
}

static void sizes_match_xen(void)
{
	/* Xen: 32 blkif slots per page, 256 netif tx slots per page. */
	EXPECT(HVX_RING_ENTRIES(struct big_sring, PAGE) == 32);
	EXPECT(HVX_RING_ENTRIES(struct small_sring, PAGE) == 256);
	/* A 16-page blkif ring (max-ring-page-order 4). */
	EXPECT(HVX_RING_ENTRIES(struct big_sring, 16 * PAGE) == 512);
	EXPECT(hvx_ring_pow2_floor(0) == 0);
	EXPECT(hvx_ring_pow2_floor(1) == 1);
	EXPECT(hvx_ring_pow2_floor(0x80000001u) == 0x80000000u);
}

struct pair {
	struct small_sring *s;
	struct small_front_ring f;
	struct small_back_ring b;
};

static void pair_init(struct pair *p, hvx_ring_idx_t start)
{
	p->s = aligned_alloc(PAGE, PAGE);
	memset(p->s, 0xa5, PAGE);
	HVX_SHARED_RING_INIT(p->s);
	HVX_FRONT_RING_INIT(&p->f, p->s, PAGE);
	HVX_BACK_RING_INIT(&p->b, p->s, PAGE);
	/* Start anywhere: counters are free-running. */
	p->s->req_prod = p->s->rsp_prod = start;
	p->s->req_event = p->s->rsp_event = start + 1;
	p->f.req_prod_pvt = p->f.rsp_cons = start;
	p->b.rsp_prod_pvt = p->b.req_cons = start;
}

/* Frontend posts @n requests; returns whether it must notify. */
static int post(struct pair *p, unsigned int n)
{
	int notify;

	while (n--) {
		struct small_req *r = HVX_RING_GET_REQUEST(&p->f, p->f.req_prod_pvt);

		r->id = p->f.req_prod_pvt;
		p->f.req_prod_pvt++;
	}
	HVX_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&p->f, notify);
	return notify;
}

/* Backend answers everything pending; returns whether it must notify. */
static int serve(struct pair *p, unsigned int *served)
{
	hvx_ring_idx_t prod = hvx_ring_read_req_prod(&p->b);
	int notify;

	*served = 0;
	if (!HVX_RING_REQ_PROD_VALID(&p->b, prod))
		return -1;
	while (p->b.req_cons != prod) {
		struct small_req copy;
		struct small_rsp *rsp;

		HVX_RING_COPY_REQUEST(&p->b, p->b.req_cons, &copy);
		p->b.req_cons++;
		rsp = HVX_RING_GET_RESPONSE(&p->b, p->b.rsp_prod_pvt);
		rsp->id = copy.id;
		rsp->status = 0;
		p->b.rsp_prod_pvt++;
		(*served)++;
	}
	HVX_RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&p->b, notify);
	return notify;
}

static void round_trip_across_wrap(void)
{
	struct pair p;
	unsigned int served, got = 0;
	int work;

	pair_init(&p, 0xffffff80u);	/* wraps during the test */
	for (int round = 0; round < 4; round++) {
		EXPECT(post(&p, 100) == 1);	/* both sides re-armed */
		EXPECT(serve(&p, &served) == 1);
		EXPECT(served == 100);
		while (HVX_RING_HAS_UNCONSUMED_RESPONSES(&p.f)) {
			struct small_rsp *r = HVX_RING_GET_RESPONSE(&p.f, p.f.rsp_cons);

			EXPECT(r->id == p.f.rsp_cons);
			p.f.rsp_cons++;
			got++;
		}
		/* The backend goes idle: it asks for the next request. */
		HVX_RING_FINAL_CHECK_FOR_REQUESTS(&p.b, work);
		EXPECT(work == 0);
		EXPECT(p.s->req_event == p.b.req_cons + 1);
		/* The frontend re-arms its response event. */
		HVX_RING_FINAL_CHECK_FOR_RESPONSES(&p.f, work);
		EXPECT(work == 0);
	}
	EXPECT(got == 400);
	EXPECT(p.f.req_prod_pvt < 0x200u);	/* it did wrap */
	free(p.s);
}

static void notify_suppressed_while_busy(void)
{
	struct pair p;

	pair_init(&p, 7);
	EXPECT(post(&p, 1) == 1);	/* req_event = 8: notify */
	EXPECT(post(&p, 3) == 0);	/* backend has not re-armed */
	/* The backend re-arms past what it has; the next post notifies. */
	p.b.req_cons = p.s->req_prod;
	p.b.rsp_prod_pvt = p.b.req_cons;
	p.s->req_event = p.b.req_cons + 1;
	EXPECT(post(&p, 2) == 1);
	free(p.s);
}

static void final_check_sees_late_request(void)
{
	struct pair p;
	int work;

	pair_init(&p, 0);
	post(&p, 5);
	HVX_RING_FINAL_CHECK_FOR_REQUESTS(&p.b, work);
	EXPECT(work == 5);
	/* The event index is left alone while there is work. */
	EXPECT(p.s->req_event == 1);
	free(p.s);
}

static void ring_full(void)
{
	struct pair p;
	unsigned int served;

	pair_init(&p, 0xfffffff0u);
	EXPECT(HVX_RING_FREE_REQUESTS(&p.f) == 256);
	post(&p, 256);
	EXPECT(HVX_RING_FULL(&p.f));
	EXPECT(serve(&p, &served) >= 0 && served == 256);
	p.f.rsp_cons += 256;
	EXPECT(HVX_RING_FREE_REQUESTS(&p.f) == 256);
	free(p.s);
}

static void impossible_producer_refused(void)
{
	struct pair p;
	unsigned int served = 99;

	pair_init(&p, 1000);
	/* One slot more than the ring holds. */
	p.s->req_prod = 1000 + 257;
	EXPECT(serve(&p, &served) == -1);
	EXPECT(served == 0);
	/* Behind the consumer ("negative" outstanding). */
	p.s->req_prod = 999;
	EXPECT(serve(&p, &served) == -1);
	/* Far past, and wrapped past. */
	p.s->req_prod = 1000 + 0x80000000u;
	EXPECT(!HVX_RING_REQ_PROD_VALID(&p.b, p.s->req_prod));
	p.s->req_prod = 1000 + 256;
	EXPECT(HVX_RING_REQ_PROD_VALID(&p.b, p.s->req_prod));
	/*
	 * Requests consumed but not yet answered count: with 200 in flight
	 * the frontend may publish at most 56 more.
	 */
	p.b.req_cons = 1200;
	EXPECT(HVX_RING_REQ_PROD_VALID(&p.b, 1256));
	EXPECT(!HVX_RING_REQ_PROD_VALID(&p.b, 1257));
	EXPECT(HVX_RING_PENDING_REQUESTS(&p.b, 1256) == 56);
	free(p.s);
}

static void copy_is_a_snapshot(void)
{
	struct pair p;
	struct small_req copy;

	pair_init(&p, 0);
	post(&p, 1);
	HVX_RING_COPY_REQUEST(&p.b, 0, &copy);
	HVX_RING_GET_REQUEST(&p.f, 0)->id = 12345;
	EXPECT(copy.id == 0);
	free(p.s);
}

int main(void)
{
	RUN(header_layout);
	RUN(sizes_match_xen);
	RUN(round_trip_across_wrap);
	RUN(notify_suppressed_while_busy);
	RUN(final_check_sees_late_request);
	RUN(ring_full);
	RUN(impossible_producer_refused);
	RUN(copy_is_a_snapshot);
	return UNIT_EXIT();
}
