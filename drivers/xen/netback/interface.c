// SPDX-License-Identifier: GPL-2.0-only
/*
 * interface.c: vifD.N, the net_device netback gives each vif in dom0, and
 * connecting and disconnecting its queue. What dom0 sends on vifD.N goes
 * to the guest (the rx ring); what the guest sends comes up from it.
 */
#define pr_fmt(fmt) "netback: " fmt

#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/interrupt.h>
#include <linux/rtnetlink.h>
#include <linux/vmalloc.h>
#include "common.h"

static unsigned int rx_queue_kib = 512;
module_param(rx_queue_kib, uint, 0644);
MODULE_PARM_DESC(rx_queue_kib, "bytes (KiB) queued for a guest before vifD.N stops taking more");

static bool vif_up(const struct netbk_vif *vif)
{
	unsigned int i;

	if (!READ_ONCE(vif->connected) || test_bit(NETBK_DISABLED, &vif->flags))
		return false;
	for (i = 0; i < vif->nr_queues; i++)
		if (test_bit(NETBK_STALLED, &vif->queues[i].flags))
			return false;
	return true;
}

/* The carrier follows the frontend: on while connected and every queue served. */
void netbk_vif_carrier(struct netbk_vif *vif)
{
	if (vif_up(vif))
		netif_carrier_on(vif->netdev);
	else
		netif_carrier_off(vif->netdev);
}

static netdev_tx_t netbk_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct netbk_vif *vif = netdev_priv(dev);
	unsigned int len = skb->len, n = READ_ONCE(vif->nr_queues), qid;
	struct netbk_queue *q;

	if (!READ_ONCE(vif->connected) || !n || test_bit(NETBK_DISABLED, &vif->flags))
		goto drop_noq;
	qid = skb_get_queue_mapping(skb);
	if (qid >= n)
		qid %= n;
	q = &vif->queues[qid];
	if (test_bit(NETBK_STALLED, &q->flags) || len > GSO_LEGACY_MAX_SIZE ||
	    (skb_is_gso(skb) && !(skb_shinfo(skb)->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6))))
		goto drop;
	if (!netbk_mcast_pass(vif, skb)) {
		u64_stats_update_begin(&q->stats.sync);
		q->stats.mcast_filtered++;
		u64_stats_update_end(&q->stats.sync);
		goto drop_noq;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL && !vif->fe_csum &&
	    skb_checksum_help(skb))
		goto drop;
	BUILD_BUG_ON(sizeof(struct netbk_rx_cb) > sizeof(skb->cb));
	NETBK_RX_CB(skb)->has_hash = netbk_ctrl_hash(vif, skb, &NETBK_RX_CB(skb)->hash,
						     &NETBK_RX_CB(skb)->hash_l4);
	skb_queue_tail(&q->rx_queue, skb);
	if (atomic_add_return(len, &q->rx_queued_bytes) >= vif->rx_queue_max) {
		netif_stop_subqueue(dev, qid);
		u64_stats_update_begin(&q->stats.sync);
		q->stats.rx_queue_stops++;
		u64_stats_update_end(&q->stats.sync);
	}
	netbk_kick(q, NETBK_KICK_RX);
	return NETDEV_TX_OK;
drop:
	u64_stats_update_begin(&q->stats.sync);
	q->stats.tx_dropped++;
	u64_stats_update_end(&q->stats.sync);
drop_noq:
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/* A queue's counters, read consistently. */
static void netbk_queue_stats(struct netbk_queue *q, struct netbk_stats *out)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&q->stats.sync);
		memcpy(out, &q->stats, offsetof(struct netbk_stats, sync));
	} while (u64_stats_fetch_retry(&q->stats.sync, start));
}

/* Every queue's counters summed (queues that ever ran keep theirs). */
static void netbk_sum_stats(struct netbk_vif *vif, struct netbk_stats *sum)
{
	const unsigned int n = offsetof(struct netbk_stats, sync) / sizeof(u64);
	struct netbk_stats one;
	unsigned int i, j;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < NETBK_MAX_QUEUES; i++) {
		netbk_queue_stats(&vif->queues[i], &one);
		for (j = 0; j < n; j++)
			((u64 *)sum)[j] += ((u64 *)&one)[j];
	}
}

static void netbk_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	struct netbk_stats sum;

	netbk_sum_stats(netdev_priv(dev), &sum);
	s->rx_packets = sum.rx_packets;
	s->rx_bytes = sum.rx_bytes;
	s->tx_packets = sum.tx_packets;
	s->tx_bytes = sum.tx_bytes;
	s->tx_dropped = sum.tx_dropped;
	s->rx_errors = sum.rx_errors;
	s->rx_dropped = sum.rx_dropped;
}

static netdev_features_t netbk_fix_features(struct net_device *dev,
					    netdev_features_t features)
{
	struct netbk_vif *vif = netdev_priv(dev);

	if (!vif->fe_sg)
		features &= ~NETIF_F_SG;
	if (!vif->fe_gso_v4)
		features &= ~NETIF_F_TSO;
	if (!vif->fe_gso_v6)
		features &= ~NETIF_F_TSO6;
	if (!vif->fe_csum)
		features &= ~NETIF_F_IP_CSUM;
	if (!vif->fe_ipv6_csum)
		features &= ~NETIF_F_IPV6_CSUM;
	return features;
}

static int netbk_change_mtu(struct net_device *dev, int mtu)
{
	struct netbk_vif *vif = netdev_priv(dev);
	int max = vif->fe_sg ? 65535 - VLAN_ETH_HLEN : ETH_DATA_LEN;

	if (mtu > max)
		return -EINVAL;
	dev->mtu = mtu;
	return 0;
}

static int netbk_open(struct net_device *dev)
{
	netbk_vif_carrier(netdev_priv(dev));
	netif_tx_start_all_queues(dev);
	return 0;
}

static int netbk_stop(struct net_device *dev)
{
	netif_tx_stop_all_queues(dev);
	return 0;
}

/* The frontend's hash (control ring) picks the queue when it set one. */
static u16 netbk_select_queue(struct net_device *dev, struct sk_buff *skb,
			      struct net_device *sb_dev)
{
	int q = netbk_ctrl_pick_queue(netdev_priv(dev), skb);

	return q >= 0 ? q : netdev_pick_tx(dev, skb, sb_dev);
}

static const struct net_device_ops netbk_netdev_ops = {
	.ndo_select_queue = netbk_select_queue,
	.ndo_open = netbk_open,
	.ndo_stop = netbk_stop,
	.ndo_start_xmit = netbk_start_xmit,
	.ndo_get_stats64 = netbk_get_stats64,
	.ndo_fix_features = netbk_fix_features,
	.ndo_change_mtu = netbk_change_mtu,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

/* ethtool -S vifD.N */
static const struct {
	const char name[ETH_GSTRING_LEN];
	size_t off;
} netbk_estats[] = {
	{ "rx_errors_malformed", offsetof(struct netbk_stats, rx_errors) },
	{ "rx_dropped_nomem", offsetof(struct netbk_stats, rx_dropped) },
	{ "tx_dropped", offsetof(struct netbk_stats, tx_dropped) },
	{ "fatal_errors", offsetof(struct netbk_stats, tx_fatal) },
	{ "rx_stalls", offsetof(struct netbk_stats, rx_stalls) },
	{ "copy_ops", offsetof(struct netbk_stats, copy_ops) },
	{ "copy_batches", offsetof(struct netbk_stats, copy_batches) },
	{ "rx_bounced", offsetof(struct netbk_stats, rx_bounced) },
	{ "credit_waits", offsetof(struct netbk_stats, tx_credit_waits) },
	{ "events_in", offsetof(struct netbk_stats, notify_in) },
	{ "events_out", offsetof(struct netbk_stats, notify_out) },
	{ "mcast_filtered", offsetof(struct netbk_stats, mcast_filtered) },
	{ "mcast_ctrl", offsetof(struct netbk_stats, mcast_ctrl) },
	{ "rx_copy_ops", offsetof(struct netbk_stats, rx_copy_ops) },
	{ "rx_copy_batches", offsetof(struct netbk_stats, rx_copy_batches) },
	{ "rx_events_out", offsetof(struct netbk_stats, rx_events_out) },
	{ "rx_slot_waits", offsetof(struct netbk_stats, rx_slot_waits) },
	{ "rx_queue_stops", offsetof(struct netbk_stats, rx_queue_stops) },
	{ "thread_loops", offsetof(struct netbk_stats, thread_loops) },
	{ "copy_ns", offsetof(struct netbk_stats, copy_ns) },
	{ "tx_poll_hits", offsetof(struct netbk_stats, tx_poll_hits) },
};

static int netbk_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? ARRAY_SIZE(netbk_estats) : -EOPNOTSUPP;
}

static void netbk_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < ARRAY_SIZE(netbk_estats); i++)
		memcpy(data + i * ETH_GSTRING_LEN, netbk_estats[i].name, ETH_GSTRING_LEN);
}

static void netbk_get_ethtool_stats(struct net_device *dev, struct ethtool_stats *st,
				    u64 *data)
{
	struct netbk_stats sum;
	unsigned int i;

	netbk_sum_stats(netdev_priv(dev), &sum);
	for (i = 0; i < ARRAY_SIZE(netbk_estats); i++)
		data[i] = *(u64 *)((u8 *)&sum + netbk_estats[i].off);
}

static void netbk_get_drvinfo(struct net_device *dev, struct ethtool_drvinfo *info)
{
	strscpy(info->driver, "netback", sizeof(info->driver));
	strscpy(info->bus_info, dev_name(&((struct netbk_vif *)netdev_priv(dev))->dev->dev),
		sizeof(info->bus_info));
}

static const struct ethtool_ops netbk_ethtool_ops = {
	.get_drvinfo = netbk_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_sset_count = netbk_get_sset_count,
	.get_strings = netbk_get_strings,
	.get_ethtool_stats = netbk_get_ethtool_stats,
};

static void netbk_queue_init(struct netbk_vif *vif, struct netbk_queue *q, unsigned int id)
{
	q->vif = vif;
	q->id = id;
	snprintf(q->name, sizeof(q->name), "%s-q%u", vif->netdev->name, id);
	q->tx_irq = -1;
	q->rx_irq = -1;
	init_waitqueue_head(&q->wq);
	skb_queue_head_init(&q->rx_queue);
	__skb_queue_head_init(&q->rx_done);
	u64_stats_init(&q->stats.sync);
	timer_setup(&q->credit_timer, netbk_credit_timer, 0);
}

struct netbk_vif *netbk_vif_create(struct hvx_xenbus_device *dev, hvx_domid_t domid,
				   unsigned int handle)
{
	static const u8 dummy_mac[ETH_ALEN] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct net_device *netdev;
	struct netbk_vif *vif;
	char name[IFNAMSIZ];
	unsigned int i;
	int err;

	snprintf(name, sizeof(name), "vif%u.%u", domid, handle);
	netdev = alloc_netdev_mqs(sizeof(*vif), name, NET_NAME_PREDICTABLE, ether_setup,
				  NETBK_MAX_QUEUES, 1);
	if (!netdev)
		return ERR_PTR(-ENOMEM);
	SET_NETDEV_DEV(netdev, &dev->dev);
	vif = netdev_priv(netdev);
	vif->dev = dev;
	vif->netdev = netdev;
	vif->domid = domid;
	vif->handle = handle;
	mutex_init(&vif->lock);
	netbk_ctrl_init(vif);
	netbk_mcast_init(vif);
	vif->rx_queue_max = max(rx_queue_kib, 128u) * 1024;
	/* every queue's state exists from the start: stats and timers outlive connections */
	vif->queues = vzalloc(array_size(NETBK_MAX_QUEUES, sizeof(*vif->queues)));
	if (!vif->queues) {
		free_netdev(netdev);
		return ERR_PTR(-ENOMEM);
	}
	for (i = 0; i < NETBK_MAX_QUEUES; i++)
		netbk_queue_init(vif, &vif->queues[i], i);

	netdev->netdev_ops = &netbk_netdev_ops;
	netdev->ethtool_ops = &netbk_ethtool_ops;
	netdev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			      NETIF_F_TSO | NETIF_F_TSO6;
	netdev->features = netdev->hw_features | NETIF_F_RXCSUM;
	netdev->min_mtu = ETH_MIN_MTU;
	netdev->max_mtu = 65535 - VLAN_ETH_HLEN;
	netdev->tx_queue_len = 1000;
	/* the guest's MAC is its own; dom0's side gets Xen's dummy address */
	eth_hw_addr_set(netdev, dummy_mac);
	netif_carrier_off(netdev);
	err = register_netdev(netdev);
	if (err) {
		vfree(vif->queues);
		free_netdev(netdev);
		return ERR_PTR(err);
	}
	netdev_dbg(netdev, "created for domain %u\n", domid);
	return vif;
}

static irqreturn_t netbk_tx_interrupt(int irq, void *dev_id)
{
	struct netbk_queue *q = dev_id;

	q->stats.notify_in++;	/* racy by design: a rough count */
	netbk_kick(q, NETBK_KICK_TX);
	return IRQ_HANDLED;
}

static irqreturn_t netbk_rx_interrupt(int irq, void *dev_id)
{
	netbk_kick(dev_id, NETBK_KICK_RX);
	return IRQ_HANDLED;
}

static irqreturn_t netbk_interrupt(int irq, void *dev_id)
{
	netbk_tx_interrupt(irq, dev_id);
	return netbk_rx_interrupt(irq, dev_id);
}

void netbk_vif_set_rate(struct netbk_vif *vif, u64 bytes, u32 usec)
{
	unsigned int i;

	/* the threads read these between packets; a torn pair is one odd interval */
	WRITE_ONCE(vif->credit_usec, usec);
	WRITE_ONCE(vif->credit_bytes, bytes);
	for (i = 0; i < READ_ONCE(vif->nr_queues); i++) {
		struct netbk_queue *q = &vif->queues[i];

		WRITE_ONCE(q->credit_stamp, 0);
		netbk_kick(q, NETBK_KICK_TX);
	}
}

static void netbk_queue_free_bounce(struct netbk_queue *q)
{
	unsigned int i;

	for (i = 0; i < NETBK_RX_BOUNCE_PAGES; i++) {
		if (q->bounce[i])
			__free_page(q->bounce[i]);
		q->bounce[i] = NULL;
	}
}

static void netbk_queue_disconnect(struct netbk_queue *q)
{
	struct netbk_vif *vif = q->vif;

	if (q->task) {
		kthread_stop(q->task);
		q->task = NULL;
	}
	del_timer_sync(&q->credit_timer);
	if (q->rx_irq >= 0 && q->rx_irq != q->tx_irq)
		hvx_unbind_from_irqhandler(q->rx_irq, q);
	if (q->tx_irq >= 0)
		hvx_unbind_from_irqhandler(q->tx_irq, q);
	q->tx_irq = -1;
	q->rx_irq = -1;
	if (q->tx_addr)
		hvx_xenbus_unmap_ring_vfree(vif->dev, q->tx_addr);
	if (q->rx_addr)
		hvx_xenbus_unmap_ring_vfree(vif->dev, q->rx_addr);
	q->tx_addr = NULL;
	q->rx_addr = NULL;
	skb_queue_purge(&q->rx_queue);
	atomic_set(&q->rx_queued_bytes, 0);
	netbk_queue_free_bounce(q);
	q->flags = 0;
}

static int netbk_queue_connect(struct netbk_queue *q, const struct netbk_queue_refs *r)
{
	struct netbk_vif *vif = q->vif;
	struct hvx_xenbus_device *dev = vif->dev;
	hvx_grant_ref_t ref;
	unsigned int i;
	int err;

	for (i = 0; i < NETBK_RX_BOUNCE_PAGES; i++) {
		q->bounce[i] = alloc_page(GFP_KERNEL);
		if (!q->bounce[i])
			return -ENOMEM;
	}
	ref = r->tx_ref;
	err = hvx_xenbus_map_ring_valloc(dev, &ref, 1, &q->tx_addr);
	if (err)
		return err;
	HVX_BACK_RING_INIT(&q->tx, (struct xen_netif_tx_sring *)q->tx_addr, PAGE_SIZE);
	ref = r->rx_ref;
	err = hvx_xenbus_map_ring_valloc(dev, &ref, 1, &q->rx_addr);
	if (err)
		return err;
	HVX_BACK_RING_INIT(&q->rx, (struct xen_netif_rx_sring *)q->rx_addr, PAGE_SIZE);

	if (r->tx_port == r->rx_port) {
		err = hvx_bind_interdomain_evtchn_to_irqhandler(vif->domid, r->tx_port,
								netbk_interrupt, 0, q->name, q);
		if (err < 0)
			goto fail_bind;
		q->tx_irq = err;
		q->rx_irq = err;
	} else {
		err = hvx_bind_interdomain_evtchn_to_irqhandler(vif->domid, r->tx_port,
								netbk_tx_interrupt, 0,
								q->name, q);
		if (err < 0)
			goto fail_bind;
		q->tx_irq = err;
		err = hvx_bind_interdomain_evtchn_to_irqhandler(vif->domid, r->rx_port,
								netbk_rx_interrupt, 0,
								q->name, q);
		if (err < 0)
			goto fail_bind;
		q->rx_irq = err;
	}
	q->flags = 0;
	q->remaining_credit = 0;
	q->credit_stamp = 0;
	atomic_set(&q->rx_queued_bytes, 0);
	q->task = kthread_run(netbk_thread, q, "%s", q->name);
	if (IS_ERR(q->task)) {
		err = PTR_ERR(q->task);
		q->task = NULL;
		return err;
	}
	return 0;

fail_bind:
	hvx_xenbus_dev_fatal(dev, err, "binding event channel %u/%u of domain %u",
			     r->tx_port, r->rx_port, vif->domid);
	return err;
}

int netbk_vif_connect(struct netbk_vif *vif, const struct netbk_queue_refs *refs,
		      unsigned int nr_queues)
{
	unsigned int i;
	int err = 0;

	if (vif->connected)
		return 0;
	if (!nr_queues || nr_queues > NETBK_MAX_QUEUES)
		return -EINVAL;
	clear_bit(NETBK_DISABLED, &vif->flags);
	rtnl_lock();
	err = netif_set_real_num_tx_queues(vif->netdev, nr_queues);
	rtnl_unlock();
	if (err)
		return err;
	for (i = 0; i < nr_queues; i++) {
		err = netbk_queue_connect(&vif->queues[i], &refs[i]);
		if (err) {
			WRITE_ONCE(vif->nr_queues, i + 1);
			netbk_vif_disconnect(vif);
			return err;
		}
	}
	WRITE_ONCE(vif->nr_queues, nr_queues);
	WRITE_ONCE(vif->connected, true);
	rtnl_lock();
	netdev_update_features(vif->netdev);
	if (vif->netdev->mtu > ETH_DATA_LEN && !vif->fe_sg)
		dev_set_mtu(vif->netdev, ETH_DATA_LEN);
	rtnl_unlock();
	netbk_vif_carrier(vif);
	netif_tx_wake_all_queues(vif->netdev);
	return 0;
}

void netbk_vif_disconnect(struct netbk_vif *vif)
{
	unsigned int i;

	WRITE_ONCE(vif->connected, false);
	netif_carrier_off(vif->netdev);
	netif_tx_disable(vif->netdev);
	netbk_ctrl_disconnect(vif);
	netbk_mcast_disconnect(vif);
	for (i = 0; i < vif->nr_queues; i++)
		netbk_queue_disconnect(&vif->queues[i]);
	WRITE_ONCE(vif->nr_queues, 0);
}

void netbk_vif_free(struct netbk_vif *vif)
{
	struct net_device *netdev = vif->netdev;

	netbk_vif_disconnect(vif);
	netdev_dbg(netdev, "destroyed\n");
	unregister_netdev(netdev);
	vfree(vif->queues);
	free_netdev(netdev);
}
