/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ring.h: Xen's shared request/response rings (the layout of io/ring.h),
 * written for this suite. blkif, netif and the other split-driver
 * protocols put one of these in pages the frontend grants:
 *
 *   offset 0   req_prod, req_event, rsp_prod, rsp_event   (4 x u32)
 *   offset 16  48 bytes of padding
 *   offset 64  the entries: a union of request and response, as many as
 *              fit in the pages, rounded down to a power of two
 *
 * Indices are free-running u32 counters; an index becomes a slot with
 * "& (nr_ents - 1)". Each side keeps a private copy of what it produces
 * (req_prod_pvt / rsp_prod_pvt) and publishes it with a barrier. The
 * *_event fields say "notify me when the producer passes this index".
 *
 * Rules for a backend facing a frontend it does not trust:
 * - read sring->req_prod once (hvx_ring_read_req_prod), and check it with
 *   HVX_RING_REQ_PROD_VALID before consuming: a frontend may never have
 *   more requests outstanding than the ring has slots;
 * - copy each request out with HVX_RING_COPY_REQUEST and validate the
 *   copy, never the shared slot.
 *
 * The same header builds in the kernel and in host unit tests (which
 * provide u8/u32, the barriers and READ_ONCE/WRITE_ONCE).
 */
#ifndef XEN_HVX_RING_H
#define XEN_HVX_RING_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <asm/barrier.h>
#endif

typedef u32 hvx_ring_idx_t;

/* The header before the entries: 64 bytes, as Xen's. */
#define HVX_SRING_HEADER_BYTES 64

/* The largest power of two <= @n (0 for 0). */
static inline u32 hvx_ring_pow2_floor(u32 n)
{
	u32 p = 1;

	if (!n)
		return 0;
	while (p <= n / 2)
		p <<= 1;
	return p;
}

/*
 * HVX_DEFINE_RING_TYPES(name, req_type, rsp_type) declares
 *   union  name_sring_entry   one slot
 *   struct name_sring         the shared page(s)
 *   struct name_front_ring    the frontend's private view
 *   struct name_back_ring     the backend's private view
 */
#define HVX_DEFINE_RING_TYPES(name, req_type, rsp_type)			\
union name##_sring_entry {						\
	req_type req;							\
	rsp_type rsp;							\
};									\
struct name##_sring {							\
	hvx_ring_idx_t req_prod, req_event;				\
	hvx_ring_idx_t rsp_prod, rsp_event;				\
	u8 __pad[48];							\
	union name##_sring_entry ring[];				\
};									\
struct name##_front_ring {						\
	hvx_ring_idx_t req_prod_pvt;					\
	hvx_ring_idx_t rsp_cons;					\
	unsigned int nr_ents;						\
	struct name##_sring *sring;					\
};									\
struct name##_back_ring {						\
	hvx_ring_idx_t rsp_prod_pvt;					\
	hvx_ring_idx_t req_cons;					\
	unsigned int nr_ents;						\
	struct name##_sring *sring;					\
}

/* Entries of a ring of type @stype (struct X_sring) in @bytes bytes. */
#define HVX_RING_ENTRIES(stype, bytes)					\
	hvx_ring_pow2_floor((u32)(((bytes) - offsetof(stype, ring)) /	\
				  sizeof(((stype *)0)->ring[0])))

/* Initialise the shared part (the frontend does this, once). */
#define HVX_SHARED_RING_INIT(s) do {					\
	(s)->req_prod = 0;						\
	(s)->rsp_prod = 0;						\
	(s)->req_event = 1;						\
	(s)->rsp_event = 1;						\
	memset((s)->__pad, 0, sizeof((s)->__pad));			\
} while (0)

#define HVX_FRONT_RING_INIT(r, s, bytes) do {				\
	(r)->req_prod_pvt = 0;						\
	(r)->rsp_cons = 0;						\
	(r)->nr_ents = HVX_RING_ENTRIES(typeof(*(s)), bytes);		\
	(r)->sring = (s);						\
} while (0)

#define HVX_BACK_RING_INIT(r, s, bytes) do {				\
	(r)->rsp_prod_pvt = 0;						\
	(r)->req_cons = 0;						\
	(r)->nr_ents = HVX_RING_ENTRIES(typeof(*(s)), bytes);		\
	(r)->sring = (s);						\
} while (0)

#define HVX_RING_SIZE(r) ((r)->nr_ents)

/* Slot pointers: for a backend, only ever through HVX_RING_COPY_REQUEST. */
#define HVX_RING_GET_REQUEST(r, idx)					\
	(&(r)->sring->ring[(idx) & ((r)->nr_ents - 1)].req)
#define HVX_RING_GET_RESPONSE(r, idx)					\
	(&(r)->sring->ring[(idx) & ((r)->nr_ents - 1)].rsp)

/*
 * Copy request @idx into *@dst in one pass through a volatile pointer, so
 * that the compiler can neither skip the copy nor re-read the shared slot
 * later: the frontend may rewrite it at any moment.
 */
#define HVX_RING_COPY_REQUEST(r, idx, dst)				\
	(*(dst) = *(volatile typeof(dst))HVX_RING_GET_REQUEST(r, idx))

/* Frontend: free request slots; the ring is full when this is 0. */
#define HVX_RING_FREE_REQUESTS(r)					\
	((r)->nr_ents - ((r)->req_prod_pvt - (r)->rsp_cons))
#define HVX_RING_FULL(r) (HVX_RING_FREE_REQUESTS(r) == 0)

/* Frontend: responses published and not yet consumed. */
#define HVX_RING_HAS_UNCONSUMED_RESPONSES(r)				\
	(READ_ONCE((r)->sring->rsp_prod) - (r)->rsp_cons)

/* Backend: read the producer index once; validate before use. */
#define hvx_ring_read_req_prod(r) READ_ONCE((r)->sring->req_prod)

/*
 * Backend: is @prod possible? Requests not yet answered can never exceed
 * the ring: prod - rsp_prod_pvt <= nr_ents (u32 arithmetic, wraps).
 * A frontend that says otherwise is broken or hostile: disconnect it.
 */
#define HVX_RING_REQ_PROD_VALID(r, prod)				\
	((hvx_ring_idx_t)((prod) - (r)->rsp_prod_pvt) <= (r)->nr_ents)

/* Backend: requests between req_cons and a validated @prod. */
#define HVX_RING_PENDING_REQUESTS(r, prod)				\
	((hvx_ring_idx_t)((prod) - (r)->req_cons))

/*
 * Publish privately produced entries and say whether the peer asked to be
 * notified (its *_event index lies in (old, new]).
 */
#define HVX_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(r, notify) do {	\
	hvx_ring_idx_t __old = (r)->sring->req_prod;			\
	hvx_ring_idx_t __new = (r)->req_prod_pvt;			\
	virt_wmb(); /* the entries before the index */			\
	WRITE_ONCE((r)->sring->req_prod, __new);			\
	virt_mb(); /* the index before reading req_event */		\
	(notify) = (hvx_ring_idx_t)(__new -				\
			READ_ONCE((r)->sring->req_event)) <		\
		   (hvx_ring_idx_t)(__new - __old);			\
} while (0)

#define HVX_RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(r, notify) do {	\
	hvx_ring_idx_t __old = (r)->sring->rsp_prod;			\
	hvx_ring_idx_t __new = (r)->rsp_prod_pvt;			\
	virt_wmb(); /* the entries before the index */			\
	WRITE_ONCE((r)->sring->rsp_prod, __new);			\
	virt_mb(); /* the index before reading rsp_event */		\
	(notify) = (hvx_ring_idx_t)(__new -				\
			READ_ONCE((r)->sring->rsp_event)) <		\
		   (hvx_ring_idx_t)(__new - __old);			\
} while (0)

/*
 * Before going idle: ask for an event at the next request and look once
 * more, so a request published meanwhile is not missed. @work is the
 * number of requests seen (the raw difference: validate it with
 * HVX_RING_REQ_PROD_VALID on the index read again).
 */
#define HVX_RING_FINAL_CHECK_FOR_REQUESTS(r, work) do {		\
	(work) = hvx_ring_read_req_prod(r) - (r)->req_cons;		\
	if (work)							\
		break;							\
	WRITE_ONCE((r)->sring->req_event, (r)->req_cons + 1);		\
	virt_mb(); /* req_event before looking at req_prod again */	\
	(work) = hvx_ring_read_req_prod(r) - (r)->req_cons;		\
} while (0)

#define HVX_RING_FINAL_CHECK_FOR_RESPONSES(r, work) do {		\
	(work) = HVX_RING_HAS_UNCONSUMED_RESPONSES(r);			\
	if (work)							\
		break;							\
	WRITE_ONCE((r)->sring->rsp_event, (r)->rsp_cons + 1);		\
	virt_mb(); /* rsp_event before looking at rsp_prod again */	\
	(work) = HVX_RING_HAS_UNCONSUMED_RESPONSES(r);			\
} while (0)

#endif /* XEN_HVX_RING_H */
