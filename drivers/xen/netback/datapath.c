// SPDX-License-Identifier: GPL-2.0-only
/*
 * datapath.c: netback's data path, one kernel thread per queue.
 *
 * tx (the guest sends): each request is copied out of the ring once and
 * checked (txcheck.h); a good packet's bytes are grant-copied, in batches,
 * into fresh pages that become the skb's frags; then the responses go out
 * and the skbs up the stack. rx (the guest receives): skbs queued by
 * start_xmit wait for enough posted rx slots, are grant-copied into them
 * in batches, and answered. Events are asked for (req_event) only when a
 * ring runs dry, and sent only when the frontend asked (rsp_event).
 */
#define pr_fmt(fmt) "netback: " fmt

#include <linux/etherdevice.h>
#include <asm/unaligned.h>
#include <linux/if_vlan.h>
#include <linux/ipv6.h>
#include <linux/highmem.h>
#include <linux/math64.h>
#include <net/ip.h>
#include "common.h"

static unsigned int rx_stall_ms = 5000;
module_param(rx_stall_ms, uint, 0644);
MODULE_PARM_DESC(rx_stall_ms, "a frontend posting no rx slots this long is stalled: its queue is dropped and the carrier goes off");

/*
 * The thread takes one batch of each direction in turn: a long stream one
 * way must not hold back the other way's packets (its ACKs) for the whole
 * queue or ring.
 */
static bool interleave = true;
module_param(interleave, bool, 0644);
MODULE_PARM_DESC(interleave, "one batch of each direction in turn (N: each direction until its queue or ring is empty)");

/*
 * A frontend that streams (a pass took two tx packets or more) is looked
 * at every tx_poll_us, up to tx_poll_tries times, before the thread asks
 * it for an event: each event is an exit of the guest's vCPU, dearer in
 * the nested lab than a look at the ring. A look that finds requests (or
 * a kick) keeps the looking on; a miss stops it until the next pass of
 * two. A frontend sending one packet at a time never starts it.
 */
static unsigned int tx_poll_us = 200;
module_param(tx_poll_us, uint, 0644);
MODULE_PARM_DESC(tx_poll_us, "while the frontend streams, look at its tx ring this often (us) before asking for an event (0: never look)");
static unsigned int tx_poll_tries = 4;
module_param(tx_poll_tries, uint, 0644);
MODULE_PARM_DESC(tx_poll_tries, "looks at the tx ring before asking for an event");

void netbk_kick(struct netbk_queue *q, int what)
{
	set_bit(what, &q->flags);
	wake_up(&q->wq);
}

void netbk_fatal(struct netbk_queue *q, const char *why)
{
	if (test_and_set_bit(NETBK_DISABLED, &q->vif->flags))
		return;
	u64_stats_update_begin(&q->stats.sync);
	q->stats.tx_fatal++;
	u64_stats_update_end(&q->stats.sync);
	netdev_err(q->vif->netdev, "frontend of domain %u: %s; vif disabled\n",
		   q->vif->domid, why);
	netbk_vif_carrier(q->vif);
}

void netbk_credit_timer(struct timer_list *t)
{
	struct netbk_queue *q = from_timer(q, t, credit_timer);

	netbk_kick(q, NETBK_KICK_TX);
}

static void stat_add(struct netbk_queue *q, u64 *counter, u64 n)
{
	u64_stats_update_begin(&q->stats.sync);
	*counter += n;
	u64_stats_update_end(&q->stats.sync);
}

#define STAT_ADD(q, field, n) stat_add(q, &(q)->stats.field, n)

static void netbk_copy(struct netbk_queue *q, unsigned int nr)
{
	u64 t0;

	if (!nr)
		return;
	t0 = ktime_get_ns();
	hvx_gnttab_copy(q->ops, nr);
	u64_stats_update_begin(&q->stats.sync);
	q->stats.copy_ns += ktime_get_ns() - t0;
	q->stats.copy_ops += nr;
	q->stats.copy_batches++;
	u64_stats_update_end(&q->stats.sync);
}

static bool ops_ok(const struct netbk_queue *q, unsigned int first, unsigned int nr)
{
	unsigned int i;

	for (i = first; i < first + nr; i++)
		if (q->ops[i].status != HVX_GNTST_okay)
			return false;
	return true;
}

/* ---- tx: the guest sends ------------------------------------------------ */

static void tx_response(struct netbk_queue *q, u16 id, s16 status)
{
	struct xen_netif_tx_response *rsp;

	rsp = HVX_RING_GET_RESPONSE(&q->tx, q->tx.rsp_prod_pvt);
	rsp->id = id;
	rsp->status = status;
	q->tx.rsp_prod_pvt++;
}

/*
 * Rate limit: may a packet of @size go now? Credit accrues with the time
 * elapsed (credit_bytes per credit_usec), up to a burst of
 * max(credit_bytes, 128 KiB); when it falls short, a timer wakes the
 * thread when enough will have accrued. Counting time rather than timer
 * ticks keeps the average exact however late the timer fires.
 */
static bool tx_credit_ok(struct netbk_queue *q, unsigned int size)
{
	u64 bytes = READ_ONCE(q->vif->credit_bytes), now, elapsed, add, period, max_burst;
	u32 usec = READ_ONCE(q->vif->credit_usec);

	if (!bytes || !usec)
		return true;
	if (size <= q->remaining_credit)
		goto take;
	now = ktime_get_ns();
	period = (u64)usec * NSEC_PER_USEC;
	max_burst = max_t(u64, bytes, 131072);
	if (!q->credit_stamp || q->credit_stamp > now) {
		q->credit_stamp = now;
		q->remaining_credit = min(max_burst, bytes);
	}
	elapsed = min(now - q->credit_stamp, 4 * period);
	add = mul_u64_u64_div_u64(bytes, elapsed, period);
	if (add) {
		q->remaining_credit = min(q->remaining_credit + add, max_burst);
		q->credit_stamp = now;
	}
	if (size <= q->remaining_credit)
		goto take;
	/* wake when the missing bytes will have accrued (at least a tick on) */
	add = mul_u64_u64_div_u64(size - q->remaining_credit, period, bytes);
	mod_timer(&q->credit_timer, jiffies + 1 + nsecs_to_jiffies(add));
	STAT_ADD(q, tx_credit_waits, 1);
	return false;
take:
	q->remaining_credit -= size;
	return true;
}

/* Add copy ops moving @len bytes of (gref, off) into the packet's pages. */
static unsigned int tx_add_copy(struct netbk_queue *q, unsigned int nr_ops,
				struct sk_buff *skb, u32 *pos, u32 gref, u16 off, u32 len)
{
	while (len) {
		unsigned int pg = *pos / PAGE_SIZE, poff = *pos % PAGE_SIZE;
		unsigned int chunk = min_t(u32, len, PAGE_SIZE - poff);
		struct hvx_gnttab_copy *op = &q->ops[nr_ops++];

		op->source.u.ref = gref;
		op->source.domid = q->vif->domid;
		op->source.offset = off;
		op->dest.u.gmfn = hvx_page_to_gfn(skb_frag_page(&skb_shinfo(skb)->frags[pg]));
		op->dest.domid = HVX_DOMID_SELF;
		op->dest.offset = poff;
		op->len = chunk;
		op->flags = HVX_GNTCOPY_source_gref;
		op->status = HVX_GNTST_general_error;
		off += chunk;
		len -= chunk;
		*pos += chunk;
	}
	return nr_ops;
}

/* An skb with page frags for @len bytes (no linear data yet). */
static struct sk_buff *tx_alloc_skb(struct netbk_queue *q, unsigned int len)
{
	unsigned int i, nr = DIV_ROUND_UP(len, PAGE_SIZE);
	struct sk_buff *skb;

	if (nr > MAX_SKB_FRAGS)
		return NULL;
	skb = alloc_skb(NET_SKB_PAD + NET_IP_ALIGN + 128, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD + NET_IP_ALIGN);
	for (i = 0; i < nr; i++) {
		struct page *page = alloc_page(GFP_KERNEL);
		unsigned int sz = min_t(unsigned int, PAGE_SIZE, len - i * PAGE_SIZE);

		if (!page) {
			kfree_skb(skb);
			return NULL;
		}
		skb_add_rx_frag(skb, i, page, 0, sz, PAGE_SIZE);
	}
	return skb;
}

/* The skb's metadata from the frontend's flags and extras, once copied. */
static int tx_finish_skb(struct netbk_queue *q, struct sk_buff *skb,
			 const struct netbk_tx_pending *pend)
{
	unsigned int pull = min_t(unsigned int, skb->len, 128);

	if (!__pskb_pull_tail(skb, pull))
		return -ENOMEM;
	skb->protocol = eth_type_trans(skb, q->vif->netdev);
	skb_reset_network_header(skb);
	if (pend->has_gso) {
		skb_shinfo(skb)->gso_size = pend->gso.u.gso.size;
		skb_shinfo(skb)->gso_type =
			(pend->gso.u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4 ?
			 SKB_GSO_TCPV4 : SKB_GSO_TCPV6) | SKB_GSO_DODGY;
		skb_shinfo(skb)->gso_segs = 0;
	}
	/* GSO needs checksum offsets too, whatever the flags say */
	if ((pend->txflags & XEN_NETTXF_csum_blank) || pend->has_gso) {
		if (skb_checksum_setup(skb, true))
			return -EPROTO;
	} else if (pend->txflags & XEN_NETTXF_data_validated) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	return 0;
}

/*
 * Take packets off the tx ring into a batch: returns the packets taken
 * (with their copy ops in q->ops); stops at the batch's limits, when
 * the ring is empty, when the rate limit says wait, or on a fatal error.
 */
static unsigned int tx_build(struct netbk_queue *q, unsigned int *nr_ops_out)
{
	unsigned int nr_pkts = 0, nr_ops = 0;
	struct netbk_txp p;

	while (nr_pkts < NETBK_TX_BATCH && nr_ops + NETBK_TX_PKT_OPS <= NETBK_COPY_OPS) {
		struct netbk_tx_pending *pend = &q->tx_pend[nr_pkts];
		struct xen_netif_tx_request first;
		hvx_ring_idx_t prod, cons = q->tx.req_cons, avail;
		unsigned int i;
		u32 pos;

		prod = hvx_ring_read_req_prod(&q->tx);
		if (!HVX_RING_REQ_PROD_VALID(&q->tx, prod)) {
			netbk_fatal(q, "tx req_prod beyond the ring");
			break;
		}
		virt_rmb();	/* requests are read after req_prod */
		avail = HVX_RING_PENDING_REQUESTS(&q->tx, prod);
		if (!avail)
			break;
		HVX_RING_COPY_REQUEST(&q->tx, cons, &first);
		if (!tx_credit_ok(q, first.size))
			break;
		netbk_txp_start(&p, &first);
		while (p.want != NETBK_WANT_NOTHING) {
			if (p.nr_reqs >= avail) {
				netbk_fatal(q, "a packet's slots are not all published");
				goto out;
			}
			if (p.want == NETBK_WANT_EXTRA) {
				struct xen_netif_tx_request raw;
				struct xen_netif_extra_info x;

				/* the whole slot, once; the extra is its first 8 bytes */
				BUILD_BUG_ON(sizeof(x) > sizeof(raw));
				HVX_RING_COPY_REQUEST(&q->tx, cons + p.nr_reqs, &raw);
				memcpy(&x, &raw, sizeof(x));
				netbk_txp_extra(&p, &x);
			} else {
				struct xen_netif_tx_request r;

				HVX_RING_COPY_REQUEST(&q->tx, cons + p.nr_reqs, &r);
				if (p.nr_frags < NETBK_FATAL_SLOTS - 1)
					pend->ids[1 + p.nr_frags] = r.id;
				netbk_txp_frag(&p, &r);
			}
		}
		if (netbk_txp_finish(&p) == NETBK_TX_FATAL) {
			netbk_fatal(q, p.why);
			break;
		}
		q->tx.req_cons = cons + p.nr_reqs;
		pend->ids[0] = first.id;
		pend->nr_ids = 1 + min_t(unsigned int, p.nr_frags, NETBK_FATAL_SLOTS - 1);
		pend->nr_extras = p.nr_extras;
		pend->skb = NULL;
		pend->first_op = nr_ops;
		pend->nr_ops = 0;
		pend->status = XEN_NETIF_RSP_OKAY;
		pend->txflags = first.flags;
		pend->has_gso = netbk_txp_has(&p, XEN_NETIF_EXTRA_TYPE_GSO);
		if (pend->has_gso)
			pend->gso = *netbk_txp_extra_of(&p, XEN_NETIF_EXTRA_TYPE_GSO);
		nr_pkts++;
		if (p.verdict == NETBK_TX_DROP) {
			net_dbg_ratelimited("%s: dropped a packet: %s\n",
					    q->vif->netdev->name, p.why);
			pend->status = XEN_NETIF_RSP_ERROR;
			STAT_ADD(q, rx_errors, 1);
			continue;
		}
		/* a multicast control message: no packet; ADD wins over DEL (upstream) */
		if (netbk_txp_has(&p, XEN_NETIF_EXTRA_TYPE_MCAST_ADD)) {
			if (netbk_mcast_add(q->vif, p.extras[XEN_NETIF_EXTRA_TYPE_MCAST_ADD - 1]
						    .u.mcast.addr))
				pend->status = XEN_NETIF_RSP_ERROR;
			STAT_ADD(q, mcast_ctrl, 1);
			continue;
		}
		if (netbk_txp_has(&p, XEN_NETIF_EXTRA_TYPE_MCAST_DEL)) {
			netbk_mcast_del(q->vif, p.extras[XEN_NETIF_EXTRA_TYPE_MCAST_DEL - 1]
					.u.mcast.addr);
			STAT_ADD(q, mcast_ctrl, 1);
			continue;
		}
		pend->skb = tx_alloc_skb(q, first.size);
		if (!pend->skb) {
			pend->status = XEN_NETIF_RSP_DROPPED;
			STAT_ADD(q, rx_dropped, 1);
			continue;
		}
		pos = 0;
		nr_ops = tx_add_copy(q, nr_ops, pend->skb, &pos, first.gref,
				     first.offset, p.first_len);
		for (i = 0; i < p.nr_frags; i++)
			nr_ops = tx_add_copy(q, nr_ops, pend->skb, &pos, p.frags[i].gref,
					     p.frags[i].offset, p.frags[i].size);
		pend->nr_ops = nr_ops - pend->first_op;
	}
out:
	*nr_ops_out = nr_ops;
	return nr_pkts;
}

/*
 * After the batch's copy: answer every request in order, and finish the
 * skbs (headers and checksum offsets need the copied bytes).
 */
static void tx_complete(struct netbk_queue *q, unsigned int nr_pkts,
			struct list_head *deliver)
{
	unsigned int i, j;
	bool notify;

	for (i = 0; i < nr_pkts; i++) {
		struct netbk_tx_pending *pend = &q->tx_pend[i];

		if (pend->skb && !ops_ok(q, pend->first_op, pend->nr_ops)) {
			pend->status = XEN_NETIF_RSP_ERROR;
			STAT_ADD(q, rx_errors, 1);
		} else if (pend->skb && tx_finish_skb(q, pend->skb, pend)) {
			/* the bytes arrived but make no packet the stack takes */
			pend->status = XEN_NETIF_RSP_ERROR;
			STAT_ADD(q, rx_errors, 1);
		}
		tx_response(q, pend->ids[0], pend->status);
		for (j = 0; j < pend->nr_extras; j++)
			tx_response(q, 0, XEN_NETIF_RSP_NULL);
		for (j = 1; j < pend->nr_ids; j++)
			tx_response(q, pend->ids[j], pend->status);
		if (!pend->skb)
			continue;
		if (pend->status != XEN_NETIF_RSP_OKAY) {
			kfree_skb(pend->skb);
			continue;
		}
		list_add_tail(&pend->skb->list, deliver);
	}
	HVX_RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&q->tx, notify);
	if (notify) {
		hvx_notify_remote_via_irq(q->tx_irq);
		STAT_ADD(q, notify_out, 1);
	}
}

static int tx_action(struct netbk_queue *q)
{
	unsigned int nr_pkts, nr_ops, done = 0;
	struct sk_buff *skb, *tmp;
	LIST_HEAD(deliver);

	while (!test_bit(NETBK_DISABLED, &q->vif->flags)) {
		nr_pkts = tx_build(q, &nr_ops);
		if (!nr_pkts)
			break;
		netbk_copy(q, nr_ops);
		tx_complete(q, nr_pkts, &deliver);
		done += nr_pkts;
		local_bh_disable();
		list_for_each_entry_safe(skb, tmp, &deliver, list) {
			skb_list_del_init(skb);
			u64_stats_update_begin(&q->stats.sync);
			q->stats.rx_packets++;
			q->stats.rx_bytes += skb->len;
			u64_stats_update_end(&q->stats.sync);
			netif_receive_skb(skb);
		}
		local_bh_enable();
		cond_resched();
		if (READ_ONCE(interleave))
			break;
	}
	return done;
}

/* ---- rx: the guest receives -------------------------------------------- */

/*
 * The extra-info slots @skb gets (GSO, the frontend's hash, the XDP
 * headroom: upstream's order), in @x; how many.
 */
static unsigned int rx_extras(const struct netbk_queue *q, const struct sk_buff *skb,
			      struct xen_netif_extra_info *x)
{
	const struct netbk_rx_cb *cb = NETBK_RX_CB(skb);
	unsigned int n = 0;

	if (skb_is_gso(skb)) {
		memset(&x[n], 0, sizeof(x[n]));
		x[n].type = XEN_NETIF_EXTRA_TYPE_GSO;
		x[n].u.gso.size = skb_shinfo(skb)->gso_size;
		x[n].u.gso.type = (skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6) ?
				  XEN_NETIF_GSO_TYPE_TCPV6 : XEN_NETIF_GSO_TYPE_TCPV4;
		n++;
	}
	if (cb->has_hash) {
		memset(&x[n], 0, sizeof(x[n]));
		x[n].type = XEN_NETIF_EXTRA_TYPE_HASH;
		x[n].u.hash.algorithm = XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;
		x[n].u.hash.type = cb->hash_l4 ? _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP :
				   _XEN_NETIF_CTRL_HASH_TYPE_IPV4;
		put_unaligned_le32(cb->hash, x[n].u.hash.value);
		n++;
	}
	if (q->rx_headroom) {
		memset(&x[n], 0, sizeof(x[n]));
		x[n].type = XEN_NETIF_EXTRA_TYPE_XDP;
		x[n].u.xdp.headroom = q->rx_headroom;
		n++;
	}
	return n;
}

/* Slots @skb needs: its bytes in pages (less the headroom), plus its extras. */
static unsigned int rx_slots_needed(const struct netbk_queue *q, const struct sk_buff *skb)
{
	unsigned int n = DIV_ROUND_UP(skb->len, PAGE_SIZE - q->rx_headroom);

	n = max(n, 1u);
	if (skb_is_gso(skb))
		n++;
	if (NETBK_RX_CB(skb)->has_hash)
		n++;
	if (q->rx_headroom)
		n++;
	return n;
}

struct rx_cursor {
	unsigned int nr_ops;
	/* extras still to place after the first data slot */
	struct xen_netif_extra_info extras[NETBK_RX_MAX_EXTRAS];
	unsigned int nr_extras;
	unsigned int bounce_used;	/* bytes of the bounce pages used */
	unsigned int bounced;		/* pieces that went through them */
	struct netbk_rx_slot *slot;	/* the data slot being filled */
	u32 gref;
};

/*
 * A source piece for hv.ko: the frame itself (hv.ko references a tail page
 * of a compound page through its folio); data in a slab page (a kmalloc'd
 * head) goes through a bounce page first: a page reference on slab memory
 * is not something to rely on (later kernels refuse it).
 */
static bool rx_source(struct netbk_queue *q, struct rx_cursor *c, struct page *page,
		      unsigned int off, unsigned int len, unsigned long *gmfn,
		      unsigned int *src_off)
{
	if (!PageSlab(page)) {
		*gmfn = hvx_page_to_gfn(page);
		*src_off = off;
		return true;
	}
	if (c->bounce_used / PAGE_SIZE != (c->bounce_used + len - 1) / PAGE_SIZE)
		c->bounce_used = round_up(c->bounce_used, PAGE_SIZE);
	if (c->bounce_used + len > NETBK_RX_BOUNCE_PAGES * PAGE_SIZE)
		return false;
	memcpy_from_page(page_address(q->bounce[c->bounce_used / PAGE_SIZE]) +
			 c->bounce_used % PAGE_SIZE, page, off, len);
	*gmfn = hvx_page_to_gfn(q->bounce[c->bounce_used / PAGE_SIZE]);
	*src_off = c->bounce_used % PAGE_SIZE;
	c->bounce_used += len;
	c->bounced++;
	return true;
}

/*
 * The extras take the slots right after the first (as upstream lays them
 * out: frontends find slots by ring index), chained with FLAG_MORE, each
 * consuming a request.
 */
static void rx_add_extras(struct netbk_queue *q, struct rx_cursor *c,
			  hvx_ring_idx_t *cons, unsigned int *nr_slots)
{
	struct xen_netif_rx_request req;
	struct netbk_rx_slot *x;
	unsigned int i;

	for (i = 0; i < c->nr_extras; i++) {
		HVX_RING_COPY_REQUEST(&q->rx, *cons, &req);	/* consumed, unused */
		(*cons)++;
		x = &q->rx_slots[(*nr_slots)++];
		memset(x, 0, sizeof(*x));
		x->is_extra = true;
		x->extra = c->extras[i];
		if (i + 1 < c->nr_extras)
			x->extra.flags |= XEN_NETIF_EXTRA_FLAG_MORE;
	}
	c->nr_extras = 0;
}

/* Copy @len bytes at (@page, @off) into the packet's slots. */
static bool rx_add_piece(struct netbk_queue *q, struct rx_cursor *c, struct page *page,
			 unsigned int off, unsigned int len, hvx_ring_idx_t *cons,
			 unsigned int *nr_slots)
{
	page += off / PAGE_SIZE;
	off %= PAGE_SIZE;
	while (len) {
		unsigned int chunk = min_t(unsigned int, len, PAGE_SIZE - off);
		struct hvx_gnttab_copy *op;
		unsigned long gmfn;
		unsigned int src_off;

		if (!c->slot || c->slot->len == PAGE_SIZE - q->rx_headroom) {
			struct xen_netif_rx_request req;

			if (c->slot && c->nr_extras)
				rx_add_extras(q, c, cons, nr_slots);
			HVX_RING_COPY_REQUEST(&q->rx, *cons, &req);
			(*cons)++;
			c->slot = &q->rx_slots[(*nr_slots)++];
			c->slot->id = req.id;
			c->slot->len = 0;
			c->slot->flags = 0;
			c->slot->is_extra = false;
			c->slot->first_op = c->nr_ops;
			c->slot->nr_ops = 0;
			c->gref = req.gref;
		}
		chunk = min_t(unsigned int, chunk, PAGE_SIZE - q->rx_headroom - c->slot->len);
		if (!rx_source(q, c, page, off, chunk, &gmfn, &src_off))
			return false;
		op = &q->ops[c->nr_ops++];
		op->source.u.gmfn = gmfn;
		op->source.domid = HVX_DOMID_SELF;
		op->source.offset = src_off;
		op->dest.u.ref = c->gref;
		op->dest.domid = q->vif->domid;
		op->dest.offset = q->rx_headroom + c->slot->len;
		op->len = chunk;
		op->flags = HVX_GNTCOPY_dest_gref;
		op->status = HVX_GNTST_general_error;
		c->slot->len += chunk;
		c->slot->nr_ops++;
		off += chunk;
		len -= chunk;
		if (off == PAGE_SIZE) {
			page++;
			off = 0;
		}
	}
	return true;
}

/* Lay @skb out in rx slots; false if the batch has no room for it. */
static bool rx_build_one(struct netbk_queue *q, struct rx_cursor *c, struct sk_buff *skb,
			 hvx_ring_idx_t *cons, unsigned int *nr_slots)
{
	struct netbk_rx_slot *first, *last = NULL;
	unsigned int i, first_idx = *nr_slots, nr_extras;
	hvx_ring_idx_t cons0 = *cons;
	unsigned int ops0 = c->nr_ops, bounce0 = c->bounce_used;

	c->slot = NULL;
	c->nr_extras = rx_extras(q, skb, c->extras);
	nr_extras = c->nr_extras;
	if (!rx_add_piece(q, c, virt_to_page(skb->data), offset_in_page(skb->data),
			  skb_headlen(skb), cons, nr_slots))
		goto undo;
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *f = &skb_shinfo(skb)->frags[i];

		if (!rx_add_piece(q, c, skb_frag_page(f), skb_frag_off(f),
				  skb_frag_size(f), cons, nr_slots))
			goto undo;
	}
	if (c->nr_extras)	/* all in one slot: the extras go last */
		rx_add_extras(q, c, cons, nr_slots);
	first = &q->rx_slots[first_idx];
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		first->flags |= XEN_NETRXF_csum_blank | XEN_NETRXF_data_validated;
	else if (skb->ip_summed == CHECKSUM_UNNECESSARY)
		first->flags |= XEN_NETRXF_data_validated;
	if (nr_extras)
		first->flags |= XEN_NETRXF_extra_info;
	/* more_data on every data slot but the last */
	for (i = first_idx; i < *nr_slots; i++) {
		if (q->rx_slots[i].is_extra)
			continue;
		if (last)
			last->flags |= XEN_NETRXF_more_data;
		last = &q->rx_slots[i];
	}
	return true;
undo:
	*cons = cons0;
	*nr_slots = first_idx;
	c->nr_ops = ops0;
	c->bounce_used = bounce0;
	c->nr_extras = 0;
	return false;
}

static void rx_respond(struct netbk_queue *q, unsigned int nr_slots)
{
	unsigned int i;

	for (i = 0; i < nr_slots; i++) {
		const struct netbk_rx_slot *s = &q->rx_slots[i];
		hvx_ring_idx_t idx = q->rx.rsp_prod_pvt++;

		if (s->is_extra) {
			struct xen_netif_extra_info *x =
				(struct xen_netif_extra_info *)HVX_RING_GET_RESPONSE(&q->rx, idx);
			*x = s->extra;
		} else {
			struct xen_netif_rx_response *rsp = HVX_RING_GET_RESPONSE(&q->rx, idx);

			/*
			 * With xdp-headroom the data starts that far into the
			 * page and, as upstream answers, the status counts the
			 * headroom too (the frontend learns it from the XDP extra).
			 */
			rsp->id = s->id;
			rsp->offset = 0;
			rsp->flags = s->flags;
			rsp->status = ops_ok(q, s->first_op, s->nr_ops) ?
				      (s16)(q->rx_headroom + s->len) : XEN_NETIF_RSP_ERROR;
		}
	}
}

/* Move queued skbs into the frontend's rx slots; true if any moved. */
static bool rx_action(struct netbk_queue *q)
{
	bool progress = false, notify;
	struct sk_buff *skb;

	q->rx_headroom = READ_ONCE(q->vif->xdp_headroom);
	while (!test_bit(NETBK_DISABLED, &q->vif->flags) && !skb_queue_empty(&q->rx_queue)) {
		struct rx_cursor c = { 0 };
		unsigned int nr_slots = 0, bytes = 0;
		hvx_ring_idx_t prod, cons = q->rx.req_cons;

		prod = hvx_ring_read_req_prod(&q->rx);
		if (!HVX_RING_REQ_PROD_VALID(&q->rx, prod)) {
			netbk_fatal(q, "rx req_prod beyond the ring");
			break;
		}
		virt_rmb();	/* requests after req_prod */
		while ((skb = skb_peek(&q->rx_queue))) {
			unsigned int need = rx_slots_needed(q, skb);

			if ((hvx_ring_idx_t)(prod - cons) < need)
				break;
			if (nr_slots + need > ARRAY_SIZE(q->rx_slots) ||
			    c.nr_ops + need * 4 > NETBK_COPY_OPS)
				break;
			if (!rx_build_one(q, &c, skb, &cons, &nr_slots))
				break;
			skb_unlink(skb, &q->rx_queue);
			bytes += skb->len;
			__skb_queue_tail(&q->rx_done, skb);
		}
		if (!nr_slots)
			break;
		q->rx.req_cons = cons;
		netbk_copy(q, c.nr_ops);
		rx_respond(q, nr_slots);
		HVX_RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&q->rx, notify);
		if (notify)
			hvx_notify_remote_via_irq(q->rx_irq);
		u64_stats_update_begin(&q->stats.sync);
		q->stats.notify_out += notify;
		q->stats.rx_events_out += notify;
		q->stats.rx_copy_ops += c.nr_ops;
		q->stats.rx_copy_batches += !!c.nr_ops;
		q->stats.tx_packets += skb_queue_len(&q->rx_done);
		q->stats.tx_bytes += bytes;
		q->stats.rx_bounced += c.bounced;
		u64_stats_update_end(&q->stats.sync);
		atomic_sub(bytes, &q->rx_queued_bytes);
		__skb_queue_purge(&q->rx_done);
		progress = true;
		if (READ_ONCE(interleave))
			break;
	}
	return progress;
}

/* Ask for an event when enough rx slots for the head packet are posted. */
static bool rx_slots_ready(struct netbk_queue *q)
{
	struct sk_buff *skb = skb_peek(&q->rx_queue);
	hvx_ring_idx_t prod, need;

	if (!skb)
		return false;
	q->rx_headroom = READ_ONCE(q->vif->xdp_headroom);
	need = rx_slots_needed(q, skb);
	WRITE_ONCE(q->rx.sring->req_event, q->rx.req_cons + need);
	virt_mb();	/* req_event before req_prod is read again */
	prod = hvx_ring_read_req_prod(&q->rx);
	return (hvx_ring_idx_t)(prod - q->rx.req_cons) >= need &&
	       HVX_RING_REQ_PROD_VALID(&q->rx, prod);
}

static void rx_check_stall(struct netbk_queue *q, bool progress)
{
	if (test_bit(NETBK_STALLED, &q->flags)) {
		hvx_ring_idx_t prod = hvx_ring_read_req_prod(&q->rx);

		/* back when a packet of any size fits again */
		if (HVX_RING_REQ_PROD_VALID(&q->rx, prod) &&
		    (hvx_ring_idx_t)(prod - q->rx.req_cons) >= NETBK_RX_PKT_SLOTS(q->rx_headroom)) {
			clear_bit(NETBK_STALLED, &q->flags);
			q->rx_last_progress = jiffies;
			netdev_info(q->vif->netdev, "frontend posts rx slots again\n");
			netbk_vif_carrier(q->vif);
			netif_wake_subqueue(q->vif->netdev, q->id);
		} else {
			WRITE_ONCE(q->rx.sring->req_event,
				   q->rx.req_cons + NETBK_RX_PKT_SLOTS(q->rx_headroom));
		}
		return;
	}
	if (progress || skb_queue_empty(&q->rx_queue)) {
		q->rx_last_progress = jiffies;
		if (netif_tx_queue_stopped(netdev_get_tx_queue(q->vif->netdev, q->id)) &&
		    atomic_read(&q->rx_queued_bytes) < q->vif->rx_queue_max / 2)
			netif_wake_subqueue(q->vif->netdev, q->id);
		return;
	}
	if (time_after(jiffies, q->rx_last_progress + msecs_to_jiffies(rx_stall_ms))) {
		unsigned int n = skb_queue_len(&q->rx_queue);

		set_bit(NETBK_STALLED, &q->flags);
		netdev_warn(q->vif->netdev, "frontend posts no rx slots: stalled, %u packets dropped\n",
			    n);
		skb_queue_purge(&q->rx_queue);
		atomic_set(&q->rx_queued_bytes, 0);
		u64_stats_update_begin(&q->stats.sync);
		q->stats.tx_dropped += n;
		q->stats.rx_stalls++;
		u64_stats_update_end(&q->stats.sync);
		netbk_vif_carrier(q->vif);
		netif_wake_subqueue(q->vif->netdev, q->id);	/* start_xmit drops while stalled */
	}
}

/* True if a look at the tx ring (or a kick) found work within the tries. */
static bool tx_poll(struct netbk_queue *q)
{
	unsigned int us = READ_ONCE(tx_poll_us), i;

	for (i = 0; us && i < READ_ONCE(tx_poll_tries); i++) {
		/* rate-limited: the credit timer wakes us, not the ring */
		if (timer_pending(&q->credit_timer))
			return false;
		wait_event_interruptible_hrtimeout(q->wq,
			kthread_should_stop() ||
			test_bit(NETBK_KICK_RX, &q->flags) ||
			test_bit(NETBK_KICK_TX, &q->flags),
			ns_to_ktime((u64)us * NSEC_PER_USEC));
		if (kthread_should_stop() || test_bit(NETBK_KICK_RX, &q->flags) ||
		    test_bit(NETBK_KICK_TX, &q->flags) ||
		    hvx_ring_read_req_prod(&q->tx) != q->tx.req_cons)
			return true;
	}
	return false;
}

static bool tx_work(struct netbk_queue *q)
{
	int work;

	if (test_bit(NETBK_DISABLED, &q->vif->flags))
		return false;
	HVX_RING_FINAL_CHECK_FOR_REQUESTS(&q->tx, work);
	return work != 0;
}

int netbk_thread(void *data)
{
	struct netbk_queue *q = data;

	q->rx_last_progress = jiffies;
	while (!kthread_should_stop()) {
		bool progress;
		int sent;

		if (test_bit(NETBK_DISABLED, &q->vif->flags)) {
			skb_queue_purge(&q->rx_queue);
			atomic_set(&q->rx_queued_bytes, 0);
			wait_event_interruptible(q->wq, kthread_should_stop());
			continue;
		}

		STAT_ADD(q, thread_loops, 1);
		clear_bit(NETBK_KICK_RX, &q->flags);
		clear_bit(NETBK_KICK_TX, &q->flags);
		progress = rx_action(q);
		rx_check_stall(q, progress);
		sent = tx_action(q);
		if (sent >= 2)
			q->tx_polling = true;
		if (sent || progress)
			continue;
		/* idle: ask for events, then look once more before sleeping */
		if (!test_bit(NETBK_STALLED, &q->flags) && rx_slots_ready(q))
			continue;
		if (!skb_queue_empty(&q->rx_queue))
			STAT_ADD(q, rx_slot_waits, 1);
		if (q->tx_polling && tx_poll(q)) {
			STAT_ADD(q, tx_poll_hits, 1);
			continue;
		}
		q->tx_polling = false;
		if (tx_work(q) && !timer_pending(&q->credit_timer))
			continue;
		wait_event_interruptible_timeout(q->wq,
			kthread_should_stop() ||
			test_bit(NETBK_KICK_RX, &q->flags) ||
			test_bit(NETBK_KICK_TX, &q->flags),
			skb_queue_empty(&q->rx_queue) ? MAX_SCHEDULE_TIMEOUT :
			msecs_to_jiffies(max(rx_stall_ms / 4, 10u)));
	}
	return 0;
}
