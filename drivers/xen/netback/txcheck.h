/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * txcheck.h: netback's checks on a packet the frontend put on its tx ring,
 * pure logic over requests already copied out of the ring (the kernel
 * copies each request once, when the parser asks for it). Host unit tests
 * (tests/unit/vif_spec_test.c) run it unchanged.
 *
 * A packet: the first request (size = the whole packet), extra-info slots
 * while the previous one says so (XEN_NETTXF_extra_info, then
 * XEN_NETIF_EXTRA_FLAG_MORE), then a request per further data slot while
 * the previous data slot has XEN_NETTXF_more_data.
 *
 * Verdicts, as upstream netback decides them:
 *   drop  (answer XEN_NETIF_RSP_ERROR, keep the vif): packet under
 *         ETH_HLEN, more than NETBK_MAX_SLOTS data slots, a slot larger
 *         than what is left of the packet, an empty further slot;
 *   fatal (disable the vif): more than NETBK_FATAL_SLOTS data slots, a
 *         slot crossing its page, an extra-info type that does not exist,
 *         too many extra slots, a GSO extra with size 0 or an unknown type.
 */
#ifndef NETBACK_TXCHECK_H
#define NETBACK_TXCHECK_H

#include "../../../include/xen/hvx/netif.h"

#define NETBK_PAGE_SIZE		4096u
#define NETBK_ETH_HLEN		14u
#define NETBK_MAX_SLOTS		XEN_NETIF_NR_SLOTS_MIN	/* more: dropped */
#define NETBK_FATAL_SLOTS	20			/* more: vif disabled */
#define NETBK_MAX_EXTRAS	(XEN_NETIF_EXTRA_TYPE_MAX - 1)

enum netbk_tx_verdict {
	NETBK_TX_OK = 0,
	NETBK_TX_DROP,
	NETBK_TX_FATAL,
};

enum netbk_txp_want {
	NETBK_WANT_NOTHING = 0,		/* the packet is complete */
	NETBK_WANT_EXTRA,		/* copy the next slot as extra info */
	NETBK_WANT_FRAG,		/* copy the next slot as a tx request */
};

struct netbk_txp {
	struct xen_netif_tx_request first;
	/* extras[type - 1], valid when extra_mask has bit (type - 1) */
	struct xen_netif_extra_info extras[NETBK_MAX_EXTRAS];
	unsigned int extra_mask;
	/* further data slots; at most NETBK_MAX_SLOTS - 1 are kept */
	struct xen_netif_tx_request frags[NETBK_MAX_SLOTS - 1];
	unsigned int nr_frags;		/* data slots after the first, counted */
	unsigned int nr_extras;
	unsigned int nr_reqs;		/* ring slots the packet used */
	u32 first_len;			/* bytes in the first slot (at finish) */
	u32 left;			/* bytes not yet placed in a further slot */
	enum netbk_txp_want want;
	enum netbk_tx_verdict verdict;
	const char *why;		/* the first reason for the verdict */
};

static inline void netbk_txp_set(struct netbk_txp *p, enum netbk_tx_verdict v,
				 const char *why)
{
	if (v > p->verdict) {
		p->verdict = v;
		p->why = why;
	}
}

static inline bool netbk_txp_has(const struct netbk_txp *p, unsigned int type)
{
	return type >= 1 && type <= NETBK_MAX_EXTRAS &&
	       (p->extra_mask & (1u << (type - 1)));
}

static inline const struct xen_netif_extra_info *
netbk_txp_extra_of(const struct netbk_txp *p, unsigned int type)
{
	return netbk_txp_has(p, type) ? &p->extras[type - 1] : NULL;
}

static inline void netbk_txp_start(struct netbk_txp *p,
				   const struct xen_netif_tx_request *first)
{
	p->first = *first;
	p->extra_mask = 0;
	p->nr_frags = 0;
	p->nr_extras = 0;
	p->nr_reqs = 1;
	p->first_len = 0;
	p->left = first->size;
	p->verdict = NETBK_TX_OK;
	p->why = NULL;
	if (first->flags & XEN_NETTXF_extra_info)
		p->want = NETBK_WANT_EXTRA;
	else if (first->flags & XEN_NETTXF_more_data)
		p->want = NETBK_WANT_FRAG;
	else
		p->want = NETBK_WANT_NOTHING;
}

/* After an extra slot: more extras, the data slots, or the end. */
static inline void netbk_txp_after_extras(struct netbk_txp *p)
{
	p->want = (p->first.flags & XEN_NETTXF_more_data) ? NETBK_WANT_FRAG :
		  NETBK_WANT_NOTHING;
}

static inline void netbk_txp_extra(struct netbk_txp *p,
				   const struct xen_netif_extra_info *x)
{
	p->nr_reqs++;
	p->nr_extras++;
	if (x->type == XEN_NETIF_EXTRA_TYPE_NONE ||
	    x->type >= XEN_NETIF_EXTRA_TYPE_MAX) {
		netbk_txp_set(p, NETBK_TX_FATAL, "unknown extra-info type");
		p->want = NETBK_WANT_NOTHING;
		return;
	}
	if (x->type == XEN_NETIF_EXTRA_TYPE_GSO) {
		if (!x->u.gso.size)
			netbk_txp_set(p, NETBK_TX_FATAL, "GSO size 0");
		else if (x->u.gso.type != XEN_NETIF_GSO_TYPE_TCPV4 &&
			 x->u.gso.type != XEN_NETIF_GSO_TYPE_TCPV6)
			netbk_txp_set(p, NETBK_TX_FATAL, "unknown GSO type");
	}
	p->extras[x->type - 1] = *x;
	p->extra_mask |= 1u << (x->type - 1);
	if (p->verdict == NETBK_TX_FATAL) {
		p->want = NETBK_WANT_NOTHING;
	} else if (x->flags & XEN_NETIF_EXTRA_FLAG_MORE) {
		if (p->nr_extras >= NETBK_MAX_EXTRAS) {
			netbk_txp_set(p, NETBK_TX_FATAL, "too many extra-info slots");
			p->want = NETBK_WANT_NOTHING;
		}
	} else {
		netbk_txp_after_extras(p);
	}
}

static inline void netbk_txp_frag(struct netbk_txp *p,
				  const struct xen_netif_tx_request *r)
{
	p->nr_reqs++;
	p->nr_frags++;
	if (1 + p->nr_frags > NETBK_FATAL_SLOTS) {
		netbk_txp_set(p, NETBK_TX_FATAL, "too many slots in one packet");
		p->want = NETBK_WANT_NOTHING;
		return;
	}
	if ((u32)r->offset + r->size > NETBK_PAGE_SIZE) {
		netbk_txp_set(p, NETBK_TX_FATAL, "a slot crosses its page");
		p->want = NETBK_WANT_NOTHING;
		return;
	}
	if (1 + p->nr_frags > NETBK_MAX_SLOTS)
		netbk_txp_set(p, NETBK_TX_DROP, "more slots than a packet may use");
	else
		p->frags[p->nr_frags - 1] = *r;
	if (!r->size)
		netbk_txp_set(p, NETBK_TX_DROP, "an empty slot");
	if (r->size > p->left) {
		netbk_txp_set(p, NETBK_TX_DROP, "a slot larger than the rest of the packet");
		p->left = 0;
	} else {
		p->left -= r->size;
	}
	if (!(r->flags & XEN_NETTXF_more_data))
		p->want = NETBK_WANT_NOTHING;
}

/* The packet is complete: the checks that need all of it. */
static inline enum netbk_tx_verdict netbk_txp_finish(struct netbk_txp *p)
{
	p->first_len = p->left;
	if (p->verdict == NETBK_TX_FATAL)
		return p->verdict;
	if ((u32)p->first.offset + p->first_len > NETBK_PAGE_SIZE) {
		netbk_txp_set(p, NETBK_TX_FATAL, "the first slot crosses its page");
		return p->verdict;
	}
	/* A multicast control message carries no packet. */
	if (netbk_txp_has(p, XEN_NETIF_EXTRA_TYPE_MCAST_ADD) ||
	    netbk_txp_has(p, XEN_NETIF_EXTRA_TYPE_MCAST_DEL))
		return p->verdict;
	if (p->first.size < NETBK_ETH_HLEN)
		netbk_txp_set(p, NETBK_TX_DROP, "a packet shorter than an Ethernet header");
	return p->verdict;
}

#endif /* NETBACK_TXCHECK_H */
