// SPDX-License-Identifier: GPL-2.0-only
/* ring.c: copying through Xen's store ring page, for both ends. Indices are
 * free-running and masked; each side reads the other's index once, bounds
 * it, then copies. A peer whose indices are impossible gets -1, never a
 * crash or a copy out of bounds. */
#include <string.h>

#include "xenstored/xsd.h"

#define RING HVX_XENSTORE_RING_SIZE

static uint32_t load(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void store(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

/* Take up to LEN bytes from RING between *CONS and *PROD (the other side
 * produces). */
static int take(char *ring, uint32_t *consp, uint32_t *prodp, void *buf, size_t len)
{
	uint32_t cons = load(consp), prod = load(prodp), avail, n, off, first;

	/* Read the producer's index before the bytes it covers. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	avail = prod - cons;
	if (avail > RING)
		return -1;
	n = avail < len ? avail : (uint32_t)len;
	off = HVX_MASK_XENSTORE_IDX(cons);
	first = RING - off < n ? RING - off : n;
	memcpy(buf, ring + off, first);
	memcpy((char *)buf + first, ring, n - first);
	if (!n)
		return 0;	/* nothing taken: leave the page alone */
	/* The bytes are copied out before the producer may reuse them. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	store(consp, cons + n);
	return (int)n;
}

/* Put up to LEN bytes into RING after *PROD (the other side consumes). */
static int put(char *ring, uint32_t *consp, uint32_t *prodp, const void *buf, size_t len)
{
	uint32_t cons = load(consp), prod = load(prodp), used, n, off, first;

	/* The consumer's index before we overwrite what it released. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	used = prod - cons;
	if (used > RING)
		return -1;
	n = RING - used < len ? RING - used : (uint32_t)len;
	if (!n)
		return 0;
	off = HVX_MASK_XENSTORE_IDX(prod);
	first = RING - off < n ? RING - off : n;
	memcpy(ring + off, buf, first);
	memcpy(ring, (const char *)buf + first, n - first);
	/* The bytes are visible before the index that publishes them. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	store(prodp, prod + n);
	return (int)n;
}

int xs_ring_read(struct hvx_xenstore_domain_interface *intf, void *buf, size_t len)
{
	return take(intf->req, &intf->req_cons, &intf->req_prod, buf, len);
}

int xs_ring_write(struct hvx_xenstore_domain_interface *intf, const void *buf, size_t len)
{
	return put(intf->rsp, &intf->rsp_cons, &intf->rsp_prod, buf, len);
}

int xs_ring_client_write(struct hvx_xenstore_domain_interface *intf, const void *buf, size_t len)
{
	return put(intf->req, &intf->req_cons, &intf->req_prod, buf, len);
}

int xs_ring_client_read(struct hvx_xenstore_domain_interface *intf, void *buf, size_t len)
{
	return take(intf->rsp, &intf->rsp_cons, &intf->rsp_prod, buf, len);
}
