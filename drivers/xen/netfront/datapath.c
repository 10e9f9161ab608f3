// SPDX-License-Identifier: GPL-2.0-only
/*
 * datapath.c: netfront's data path: tx grants a packet's own pages (or a
 * copy when it is too scattered), rx hands filled pages to the stack and
 * re-points the slot's ref at a fresh page; NAPI polls both.
 */
#define pr_fmt(fmt) "netfront: " fmt

#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/unaligned.h>
#include "../../../include/xen/hvx/netif.h"
#include "../../../include/xen/hvx/xenbus.h"
#include "netfront.h"

bool nf_zerocopy = true;
module_param_named(zerocopy, nf_zerocopy, bool, 0644);
MODULE_PARM_DESC(zerocopy, "grant the packets' own pages (0: copy each packet, as before; for measuring)");

/* ---- tx ---------------------------------------------------------------- */

/* Slots for @len bytes at @off (which may run past the first page of a compound page). */
static unsigned int nf_pieces(unsigned int off, unsigned int len)
{
	return len ? DIV_ROUND_UP(offset_in_page(off) + len, PAGE_SIZE) : 0;
}

/* Data slots for @skb: one per piece of a page, in the head and each frag. */
static unsigned int nf_tx_data_slots(const struct sk_buff *skb)
{
	const struct skb_shared_info *sh = skb_shinfo(skb);
	unsigned int n = nf_pieces(offset_in_page(skb->data), skb_headlen(skb)), i;

	for (i = 0; i < sh->nr_frags; i++)
		n += nf_pieces(skb_frag_off(&sh->frags[i]), skb_frag_size(&sh->frags[i]));
	return n;
}

/* A packet's requests as they are written (under tx_lock). */
struct nf_tx_build {
	struct nf_queue *q;
	struct sk_buff *skb;
	struct xen_netif_tx_request *last;	/* the last data request */
	unsigned int n;
	u16 ids[NF_MAX_SLOTS];
	bool copy;				/* into bounce pages */
};

/* The first request: the packet's size and offloads, then its GSO extra. */
static void nf_tx_first(struct nf_tx_build *b, struct xen_netif_tx_request *req)
{
	struct sk_buff *skb = b->skb;
	struct xen_netif_extra_info *x;

	req->size = skb->len;
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		req->flags |= XEN_NETTXF_csum_blank | XEN_NETTXF_data_validated;
	else if (skb->ip_summed == CHECKSUM_UNNECESSARY)
		req->flags |= XEN_NETTXF_data_validated;
	if (!skb_is_gso(skb))
		return;
	x = (struct xen_netif_extra_info *)HVX_RING_GET_REQUEST(&b->q->tx,
								 b->q->tx.req_prod_pvt++);
	req->flags |= XEN_NETTXF_extra_info;
	memset(x, 0, sizeof(*x));
	x->type = XEN_NETIF_EXTRA_TYPE_GSO;
	x->u.gso.size = skb_shinfo(skb)->gso_size;
	x->u.gso.type = (skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6) ?
			XEN_NETIF_GSO_TYPE_TCPV6 : XEN_NETIF_GSO_TYPE_TCPV4;
}

/* Grant @len bytes at @off from @page (read-only), one request per page piece. */
static int nf_tx_add(struct nf_tx_build *b, struct page *page, unsigned int off,
		     unsigned int len)
{
	struct nf_queue *q = b->q;

	while (len) {
		struct page *p = nth_page(page, off >> PAGE_SHIFT);
		unsigned int o = offset_in_page(off);
		unsigned int chunk = min_t(unsigned int, len, PAGE_SIZE - o);
		struct xen_netif_tx_request *req;
		u16 id;

		if (WARN_ON_ONCE(b->n >= NF_MAX_SLOTS))
			return -EINVAL;	/* nf_tx_data_slots counted fewer */
		id = q->tx_free[--q->tx_nfree];
		if (hvx_gnttab_grant_reserved(q->tx_grefs[id], q->nf->dev->otherend_id,
					      hvx_page_to_gfn(p), true)) {
			q->tx_free[q->tx_nfree++] = id;
			return -EBUSY;
		}
		b->ids[b->n] = id;
		__set_bit(id, q->tx_busy);
		q->tx_skbs[id] = b->copy ? NULL : b->skb;
		req = HVX_RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt++);
		req->gref = q->tx_grefs[id];
		req->offset = o;
		req->id = id;
		req->size = chunk;
		req->flags = 0;
		if (b->last)
			b->last->flags |= XEN_NETTXF_more_data;
		b->last = req;
		if (!b->n++)
			nf_tx_first(b, req);
		off += chunk;
		len -= chunk;
	}
	return 0;
}

/* Undo a packet not pushed yet: its refs grant nothing again, its ids are free. */
static void nf_tx_unbuild(struct nf_tx_build *b, hvx_ring_idx_t prod)
{
	struct nf_queue *q = b->q;

	while (b->n) {
		u16 id = b->ids[--b->n];

		if (!hvx_gnttab_end_reserved(q->tx_grefs[id]) && q->tx_bounce[id])
			__free_page(q->tx_bounce[id]);
		q->tx_bounce[id] = NULL;
		__clear_bit(id, q->tx_busy);
		q->tx_skbs[id] = NULL;
		q->tx_free[q->tx_nfree++] = id;
	}
	q->tx.req_prod_pvt = prod;
}

/* The copy path: the packet copied into fresh pages, one slot each. */
static int nf_tx_build_copy(struct nf_tx_build *b)
{
	unsigned int off, chunk;
	struct page *page;
	int err;

	for (off = 0; off < b->skb->len; off += chunk) {
		chunk = min_t(unsigned int, b->skb->len - off, PAGE_SIZE);
		page = alloc_page(GFP_ATOMIC | __GFP_NOWARN);
		if (!page)
			return -ENOMEM;
		if (skb_copy_bits(b->skb, off, page_address(page), chunk))
			WARN_ON_ONCE(1);	/* cannot happen: off + chunk <= len */
		err = nf_tx_add(b, page, 0, chunk);
		if (err) {
			__free_page(page);
			return err;
		}
		b->q->tx_bounce[b->ids[b->n - 1]] = page;
	}
	return 0;
}

static int nf_tx_build(struct nf_tx_build *b)
{
	const struct skb_shared_info *sh = skb_shinfo(b->skb);
	unsigned int i;
	int err;

	if (b->copy)
		return nf_tx_build_copy(b);
	err = nf_tx_add(b, virt_to_page(b->skb->data), offset_in_page(b->skb->data),
			skb_headlen(b->skb));
	for (i = 0; i < sh->nr_frags && !err; i++)
		err = nf_tx_add(b, skb_frag_page(&sh->frags[i]), skb_frag_off(&sh->frags[i]),
				skb_frag_size(&sh->frags[i]));
	return err;
}

netdev_tx_t nf_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct netfront *nf = netdev_priv(dev);
	unsigned int len = skb->len, slots, qid;
	struct nf_tx_build b = { .skb = skb };
	hvx_ring_idx_t prod;
	struct nf_queue *q;
	bool notify;

	if (!READ_ONCE(nf->connected) || len > XEN_NETIF_MAX_TX_SIZE || len < ETH_HLEN)
		goto drop;
	qid = skb_get_queue_mapping(skb);
	if (qid >= READ_ONCE(nf->nr_queues))
		qid = 0;
	q = &nf->queues[qid];
	b.q = q;
	if (skb->ip_summed == CHECKSUM_PARTIAL && !skb_is_gso(skb) &&
	    skb->protocol == htons(ETH_P_IPV6) && !q->nf->be_ipv6_csum &&
	    skb_checksum_help(skb))
		goto drop;
	slots = nf_tx_data_slots(skb);
	if (slots > NF_MAX_SLOTS || !READ_ONCE(nf_zerocopy)) {
		/* too scattered for the backend (or asked): copied, packed in pages */
		b.copy = true;
		slots = max_t(unsigned int, DIV_ROUND_UP(len, PAGE_SIZE), 1);
	}
	slots += skb_is_gso(skb) ? 1 : 0;
	spin_lock(&q->tx_lock);
	if (!nf_tx_room(q, slots)) {
		netif_stop_subqueue(dev, qid);
		spin_unlock(&q->tx_lock);
		return NETDEV_TX_BUSY;
	}
	prod = q->tx.req_prod_pvt;
	if (nf_tx_build(&b)) {
		nf_tx_unbuild(&b, prod);
		spin_unlock(&q->tx_lock);
		goto drop;
	}
	/* each data slot holds the skb until its response (a copied one goes now) */
	if (!b.copy && b.n > 1)
		refcount_add(b.n - 1, &skb->users);
	HVX_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->tx, notify);
	if (!nf_tx_room(q, NF_MAX_SLOTS + 1))
		netif_stop_subqueue(dev, qid);
	u64_stats_update_begin(&q->tx_sync);
	q->tx_packets++;
	q->tx_bytes += len;
	q->tx_copied += b.copy;
	u64_stats_update_end(&q->tx_sync);
	spin_unlock(&q->tx_lock);
	if (notify)
		hvx_notify_remote_via_irq(q->irq);
	if (b.copy)
		dev_consume_skb_any(skb);
	return NETDEV_TX_OK;
drop:
	dev_core_stats_tx_dropped_inc(dev);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/*
 * Responses free their slots: the ref stops granting the skb's page, then
 * the slot's skb reference goes. A ref the backend still uses after its
 * response (a broken backend) keeps its slot and skb until disconnect.
 */
void nf_tx_complete(struct nf_queue *q, int budget)
{
	hvx_ring_idx_t prod, cons;
	int more;

	spin_lock(&q->tx_lock);
	do {
		prod = READ_ONCE(q->tx.sring->rsp_prod);
		virt_rmb();	/* responses after rsp_prod */
		if ((hvx_ring_idx_t)(prod - q->tx.rsp_cons) >
		    (hvx_ring_idx_t)(q->tx.req_prod_pvt - q->tx.rsp_cons)) {
			netdev_err(q->nf->netdev, "backend's tx rsp_prod %u is beyond our requests\n",
				   prod);
			break;
		}
		for (cons = q->tx.rsp_cons; cons != prod; cons++) {
			/* one read of the shared slot (4 bytes) */
			struct xen_netif_tx_response rsp =
				READ_ONCE(*HVX_RING_GET_RESPONSE(&q->tx, cons));

			if (rsp.status == XEN_NETIF_RSP_NULL)
				continue;
			if (rsp.id >= NF_RING || !__test_and_clear_bit(rsp.id, q->tx_busy)) {
				q->tx_errors++;
				continue;
			}
			if (rsp.status != XEN_NETIF_RSP_OKAY)
				q->tx_errors++;
			if (hvx_gnttab_end_reserved(q->tx_grefs[rsp.id])) {
				netdev_warn_once(q->nf->netdev,
						 "backend still uses tx grant %d after its response\n",
						 q->tx_grefs[rsp.id]);
				q->tx_errors++;
				continue;
			}
			if (q->tx_skbs[rsp.id]) {
				napi_consume_skb(q->tx_skbs[rsp.id], budget);
				q->tx_skbs[rsp.id] = NULL;
			}
			if (q->tx_bounce[rsp.id]) {
				__free_page(q->tx_bounce[rsp.id]);
				q->tx_bounce[rsp.id] = NULL;
			}
			q->tx_free[q->tx_nfree++] = rsp.id;
		}
		q->tx.rsp_cons = prod;
		HVX_RING_FINAL_CHECK_FOR_RESPONSES(&q->tx, more);
	} while (more);
	if (__netif_subqueue_stopped(q->nf->netdev, q->id) &&
	    nf_tx_room(q, NF_MAX_SLOTS + 1) && READ_ONCE(q->nf->connected))
		netif_wake_subqueue(q->nf->netdev, q->id);
	spin_unlock(&q->tx_lock);
}

/* ---- rx ---------------------------------------------------------------- */

void nf_rx_post(struct nf_queue *q, u16 id)
{
	struct xen_netif_rx_request *req =
		HVX_RING_GET_REQUEST(&q->rx, q->rx.req_prod_pvt++);

	req->id = id;
	req->gref = q->rx_grefs[id];
}

/*
 * Hand slot @id's page (@len bytes at @off) to @skb as a frag and re-point
 * the slot's ref at a fresh page. False (nothing changed) when no page can
 * be had or the backend still uses the ref: the caller copies instead.
 */
static bool nf_rx_take(struct nf_queue *q, u16 id, struct sk_buff *skb, unsigned int off,
		       unsigned int len)
{
	hvx_domid_t be = q->nf->dev->otherend_id;
	struct page *fresh, *old = q->rx_pages[id];

	fresh = alloc_page(GFP_ATOMIC | __GFP_NOWARN);
	if (!fresh)
		return false;
	if (hvx_gnttab_grant_reserved(q->rx_grefs[id], be, hvx_page_to_gfn(fresh), false)) {
		__free_page(fresh);
		return false;
	}
	skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, old, off, len, PAGE_SIZE);
	q->rx_pages[id] = fresh;
	return true;
}

/* Copy @len bytes to the end of @skb's frags, filling the last one's page first. */
static int nf_rx_copy(struct sk_buff *skb, const u8 *src, unsigned int len)
{
	struct skb_shared_info *sh = skb_shinfo(skb);

	while (len) {
		skb_frag_t *f = sh->nr_frags ? &sh->frags[sh->nr_frags - 1] : NULL;
		unsigned int room = f ? PAGE_SIZE - skb_frag_off(f) - skb_frag_size(f) : 0;
		unsigned int chunk;

		if (!room) {
			struct page *page;

			if (sh->nr_frags >= MAX_SKB_FRAGS)
				return -E2BIG;
			page = alloc_page(GFP_ATOMIC | __GFP_NOWARN);
			if (!page)
				return -ENOMEM;
			skb_add_rx_frag(skb, sh->nr_frags, page, 0, 0, PAGE_SIZE);
			f = &sh->frags[sh->nr_frags - 1];
			room = PAGE_SIZE;
		}
		chunk = min(len, room);
		memcpy(page_address(skb_frag_page(f)) + skb_frag_off(f) + skb_frag_size(f),
		       src, chunk);
		skb_frag_size_add(f, chunk);
		skb->len += chunk;
		skb->data_len += chunk;
		src += chunk;
		len -= chunk;
	}
	return 0;
}

/*
 * One packet from @cons: its responses are checked (ids, offsets, sizes),
 * the first bytes copied into the skb's head and the slots' pages handed
 * over as frags (or copied when that cannot be). Returns the slots used, 0 if the
 * packet is not all there yet; *skbp is NULL for a bad packet.
 */
static unsigned int nf_rx_one(struct nf_queue *q, hvx_ring_idx_t cons, hvx_ring_idx_t prod,
			      struct sk_buff **skbp)
{
	struct xen_netif_rx_response rsps[NF_MAX_SLOTS + 1];
	struct xen_netif_extra_info gso = { 0 }, hash = { 0 };
	unsigned int n = 0, nd = 0, nx = 0, total = 0, i, copied, headroom = 0;
	bool more = true, has_gso = false, has_hash = false, bad = false, extra_next;
	DECLARE_BITMAP(seen, NF_RING);	/* a page can be handed over once */
	struct sk_buff *skb;
	u16 flags0;

	*skbp = NULL;
	bitmap_zero(seen, NF_RING);
	while (more) {
		if (cons + n == prod)
			return 0;	/* the rest is not published yet */
		if (nd >= ARRAY_SIZE(rsps)) {
			bad = true;
			break;
		}
		rsps[nd] = READ_ONCE(*HVX_RING_GET_RESPONSE(&q->rx, cons + n));
		n++;
		extra_next = nd == 0 && (rsps[0].flags & XEN_NETRXF_extra_info);
		more = rsps[nd].flags & XEN_NETRXF_more_data;
		if (rsps[nd].status <= 0 || rsps[nd].id >= NF_RING ||
		    rsps[nd].offset + rsps[nd].status > PAGE_SIZE ||
		    __test_and_set_bit(rsps[nd].id, seen))
			bad = true;
		else
			total += rsps[nd].status;
		nd++;
		/* extras follow the first slot, chained with FLAG_MORE; unknown ones are skipped */
		while (extra_next) {
			struct xen_netif_extra_info x;

			if (cons + n == prod)
				return 0;
			if (++nx >= XEN_NETIF_EXTRA_TYPE_MAX) {
				bad = true;
				more = false;
				break;
			}
			x = READ_ONCE(*(struct xen_netif_extra_info *)
				      HVX_RING_GET_RESPONSE(&q->rx, cons + n));
			n++;
			if (x.type == XEN_NETIF_EXTRA_TYPE_GSO) {
				gso = x;
				has_gso = true;
			} else if (x.type == XEN_NETIF_EXTRA_TYPE_HASH) {
				hash = x;
				has_hash = true;
			} else if (x.type == XEN_NETIF_EXTRA_TYPE_XDP) {
				headroom = x.u.xdp.headroom;
			}
			extra_next = x.flags & XEN_NETIF_EXTRA_FLAG_MORE;
		}
	}
	/*
	 * xdp-headroom: each data slot's bytes start that far into its page,
	 * and its status counts the headroom too (upstream netback's answer).
	 */
	if (headroom && !bad) {
		for (i = 0; i < nd && !bad; i++)
			bad = rsps[i].status <= headroom || rsps[i].offset;
		total -= nd * headroom;
	}
	if (bad || total < ETH_HLEN) {
		q->rx_errors++;
		return n;
	}
	flags0 = rsps[0].flags;
	skb = napi_alloc_skb(&q->napi, min_t(unsigned int, total, NF_RX_COPYBREAK));
	if (!skb) {
		q->rx_dropped++;
		return n;
	}
	copied = 0;
	for (i = 0; i < nd; i++) {
		u16 id = rsps[i].id;
		unsigned int off = rsps[i].offset + headroom;
		unsigned int left = rsps[i].status - headroom, rest;

		/* the first bytes (the headers) go into the linear part */
		if (copied < NF_RX_COPYBREAK && skb_tailroom(skb)) {
			unsigned int head = min_t(unsigned int, left, skb_tailroom(skb));

			head = min_t(unsigned int, head, NF_RX_COPYBREAK - copied);

			skb_put_data(skb, page_address(q->rx_pages[id]) + off, head);
			off += head;
			left -= head;
			copied += head;
		}
		if (!left)
			continue;
		/* the page itself, if the frags after it still fit */
		rest = total - copied - left;
		if (skb_shinfo(skb)->nr_frags + 1 + DIV_ROUND_UP(rest, PAGE_SIZE) <= MAX_SKB_FRAGS &&
		    READ_ONCE(nf_zerocopy) && nf_rx_take(q, id, skb, off, left)) {
			copied += left;
			continue;
		}
		q->rx_copied_slots++;
		if (nf_rx_copy(skb, page_address(q->rx_pages[id]) + off, left))
			goto drop;
		copied += left;
	}
	skb->protocol = eth_type_trans(skb, q->nf->netdev);
	skb_reset_network_header(skb);	/* skb_checksum_setup reads it */
	/* the backend's hash (our control ring's Toeplitz) saves the stack one */
	if (has_hash && hash.u.hash.algorithm == XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ)
		skb_set_hash(skb, get_unaligned_le32(hash.u.hash.value),
			     hash.u.hash.type == _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP ||
			     hash.u.hash.type == _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP ?
			     PKT_HASH_TYPE_L4 : PKT_HASH_TYPE_L3);
	if (has_gso && gso.u.gso.size &&
	    (gso.u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4 ||
	     gso.u.gso.type == XEN_NETIF_GSO_TYPE_TCPV6)) {
		skb_shinfo(skb)->gso_size = gso.u.gso.size;
		skb_shinfo(skb)->gso_type = (gso.u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4 ?
					     SKB_GSO_TCPV4 : SKB_GSO_TCPV6) | SKB_GSO_DODGY;
		skb_shinfo(skb)->gso_segs = 0;
	}
	if ((flags0 & XEN_NETRXF_csum_blank) || has_gso) {
		if (skb_checksum_setup(skb, true))
			goto drop;
	} else if (flags0 & XEN_NETRXF_data_validated) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	*skbp = skb;
	return n;
drop:
	q->rx_errors++;
	kfree_skb(skb);
	return n;
}

static int nf_rx(struct nf_queue *q, int budget)
{
	hvx_ring_idx_t prod, cons = q->rx.rsp_cons;
	int done = 0;
	bool notify;

	prod = READ_ONCE(q->rx.sring->rsp_prod);
	virt_rmb();	/* responses after rsp_prod */
	if ((hvx_ring_idx_t)(prod - cons) > (hvx_ring_idx_t)(q->rx.req_prod_pvt - cons)) {
		netdev_err(q->nf->netdev, "backend's rx rsp_prod %u is beyond our requests\n", prod);
		return 0;
	}
	while (cons != prod && done < budget) {
		struct sk_buff *skb;
		unsigned int n = nf_rx_one(q, cons, prod, &skb), i;

		if (!n)
			break;
		/* every slot's page goes back: the slot at ring index i owns page i */
		for (i = 0; i < n; i++)
			nf_rx_post(q, (cons + i) & (NF_RING - 1));
		cons += n;
		done++;
		if (skb) {
			u64_stats_update_begin(&q->rx_sync);
			q->rx_packets++;
			q->rx_bytes += skb->len + ETH_HLEN;
			u64_stats_update_end(&q->rx_sync);
			napi_gro_receive(&q->napi, skb);
		}
	}
	q->rx.rsp_cons = cons;
	HVX_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->rx, notify);
	if (notify)
		hvx_notify_remote_via_irq(q->rx_irq);
	u64_stats_update_begin(&q->rx_sync);
	q->rx_polls++;
	q->rx_notify += notify;
	q->rx_budget_full += done >= budget;
	u64_stats_update_end(&q->rx_sync);
	return done;
}

int nf_poll(struct napi_struct *napi, int budget)
{
	struct nf_queue *q = container_of(napi, struct nf_queue, napi);
	int done, more;

	nf_tx_complete(q, budget);
	done = nf_rx(q, budget);
	if (done < budget && napi_complete_done(napi, done)) {
		HVX_RING_FINAL_CHECK_FOR_RESPONSES(&q->rx, more);
		if (more)
			napi_schedule(napi);
	}
	return done;
}

irqreturn_t nf_interrupt(int irq, void *dev_id)
{
	struct nf_queue *q = dev_id;

	if (likely(READ_ONCE(q->nf->connected)))
		napi_schedule(&q->napi);
	return IRQ_HANDLED;
}

