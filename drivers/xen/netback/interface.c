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
#include "common.h"

static unsigned int rx_queue_kib = 512;
module_param(rx_queue_kib, uint, 0644);
MODULE_PARM_DESC(rx_queue_kib, "bytes (KiB) queued for a guest before vifD.N stops taking more");

static bool vif_up(const struct netbk_vif *vif)
{
	return READ_ONCE(vif->connected) && !test_bit(NETBK_DISABLED, &vif->flags) &&
	       !test_bit(NETBK_STALLED, &vif->flags);
}

/* The carrier follows the frontend: on while connected and served. */
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
	unsigned int len = skb->len;

	if (!vif_up(vif) || len > GSO_LEGACY_MAX_SIZE ||
	    (skb_is_gso(skb) && !(skb_shinfo(skb)->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6))))
		goto drop;
	if (skb->ip_summed == CHECKSUM_PARTIAL && !vif->fe_csum &&
	    skb_checksum_help(skb))
		goto drop;
	skb_queue_tail(&vif->rx_queue, skb);
	if (atomic_add_return(len, &vif->rx_queued_bytes) >= vif->rx_queue_max)
		netif_stop_queue(dev);
	netbk_kick(vif, NETBK_KICK_RX);
	return NETDEV_TX_OK;
drop:
	u64_stats_update_begin(&vif->stats.sync);
	vif->stats.tx_dropped++;
	u64_stats_update_end(&vif->stats.sync);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static void netbk_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	struct netbk_vif *vif = netdev_priv(dev);
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&vif->stats.sync);
		s->rx_packets = vif->stats.rx_packets;
		s->rx_bytes = vif->stats.rx_bytes;
		s->tx_packets = vif->stats.tx_packets;
		s->tx_bytes = vif->stats.tx_bytes;
		s->tx_dropped = vif->stats.tx_dropped;
		s->rx_errors = vif->stats.rx_errors;
		s->rx_dropped = vif->stats.rx_dropped;
	} while (u64_stats_fetch_retry(&vif->stats.sync, start));
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
	netif_start_queue(dev);
	return 0;
}

static int netbk_stop(struct net_device *dev)
{
	netif_stop_queue(dev);
	return 0;
}

static const struct net_device_ops netbk_netdev_ops = {
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
	{ "credit_waits", offsetof(struct netbk_stats, tx_credit_waits) },
	{ "events_in", offsetof(struct netbk_stats, notify_in) },
	{ "events_out", offsetof(struct netbk_stats, notify_out) },
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
	struct netbk_vif *vif = netdev_priv(dev);
	unsigned int start, i;

	do {
		start = u64_stats_fetch_begin(&vif->stats.sync);
		for (i = 0; i < ARRAY_SIZE(netbk_estats); i++)
			data[i] = *(u64 *)((u8 *)&vif->stats + netbk_estats[i].off);
	} while (u64_stats_fetch_retry(&vif->stats.sync, start));
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

struct netbk_vif *netbk_vif_create(struct hvx_xenbus_device *dev, hvx_domid_t domid,
				   unsigned int handle)
{
	static const u8 dummy_mac[ETH_ALEN] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct net_device *netdev;
	struct netbk_vif *vif;
	char name[IFNAMSIZ];
	int err;

	snprintf(name, sizeof(name), "vif%u.%u", domid, handle);
	netdev = alloc_netdev(sizeof(*vif), name, NET_NAME_PREDICTABLE, ether_setup);
	if (!netdev)
		return ERR_PTR(-ENOMEM);
	SET_NETDEV_DEV(netdev, &dev->dev);
	vif = netdev_priv(netdev);
	vif->dev = dev;
	vif->netdev = netdev;
	vif->domid = domid;
	vif->handle = handle;
	vif->tx_irq = -1;
	vif->rx_irq = -1;
	mutex_init(&vif->lock);
	init_waitqueue_head(&vif->wq);
	skb_queue_head_init(&vif->rx_queue);
	__skb_queue_head_init(&vif->rx_done);
	u64_stats_init(&vif->stats.sync);
	timer_setup(&vif->credit_timer, netbk_credit_timer, 0);
	vif->rx_queue_max = max(rx_queue_kib, 128u) * 1024;

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
		free_netdev(netdev);
		return ERR_PTR(err);
	}
	netdev_dbg(netdev, "created for domain %u\n", domid);
	return vif;
}

static irqreturn_t netbk_tx_interrupt(int irq, void *dev_id)
{
	struct netbk_vif *vif = dev_id;

	vif->stats.notify_in++;	/* racy by design: a rough count */
	netbk_kick(vif, NETBK_KICK_TX);
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
	/* the thread reads these between packets; a torn pair is one odd interval */
	WRITE_ONCE(vif->credit_usec, usec);
	WRITE_ONCE(vif->credit_bytes, bytes);
	vif->remaining_credit = bytes;
	vif->credit_next = jiffies;
	netbk_kick(vif, NETBK_KICK_TX);
}

static void netbk_free_bounce(struct netbk_vif *vif)
{
	unsigned int i;

	for (i = 0; i < NETBK_RX_BOUNCE_PAGES; i++) {
		if (vif->bounce[i])
			__free_page(vif->bounce[i]);
		vif->bounce[i] = NULL;
	}
}

int netbk_vif_connect(struct netbk_vif *vif, hvx_grant_ref_t tx_ref,
		      hvx_grant_ref_t rx_ref, hvx_evtchn_port_t tx_port,
		      hvx_evtchn_port_t rx_port)
{
	struct hvx_xenbus_device *dev = vif->dev;
	struct task_struct *task;
	unsigned int i;
	int err;

	if (vif->connected)
		return 0;
	for (i = 0; i < NETBK_RX_BOUNCE_PAGES; i++) {
		vif->bounce[i] = alloc_page(GFP_KERNEL);
		if (!vif->bounce[i]) {
			err = -ENOMEM;
			goto fail;
		}
	}
	err = hvx_xenbus_map_ring_valloc(dev, &tx_ref, 1, &vif->tx_addr);
	if (err)
		goto fail;
	HVX_BACK_RING_INIT(&vif->tx, (struct xen_netif_tx_sring *)vif->tx_addr, PAGE_SIZE);
	err = hvx_xenbus_map_ring_valloc(dev, &rx_ref, 1, &vif->rx_addr);
	if (err)
		goto fail;
	HVX_BACK_RING_INIT(&vif->rx, (struct xen_netif_rx_sring *)vif->rx_addr, PAGE_SIZE);

	if (tx_port == rx_port) {
		err = hvx_bind_interdomain_evtchn_to_irqhandler(vif->domid, tx_port,
								netbk_interrupt, 0,
								vif->netdev->name, vif);
		if (err < 0)
			goto fail_bind;
		vif->tx_irq = err;
		vif->rx_irq = err;
	} else {
		err = hvx_bind_interdomain_evtchn_to_irqhandler(vif->domid, tx_port,
								netbk_tx_interrupt, 0,
								"vif-tx", vif);
		if (err < 0)
			goto fail_bind;
		vif->tx_irq = err;
		err = hvx_bind_interdomain_evtchn_to_irqhandler(vif->domid, rx_port,
								netbk_rx_interrupt, 0,
								"vif-rx", vif);
		if (err < 0)
			goto fail_bind;
		vif->rx_irq = err;
	}
	vif->flags = 0;
	vif->remaining_credit = vif->credit_bytes;
	vif->credit_next = jiffies;
	atomic_set(&vif->rx_queued_bytes, 0);
	task = kthread_run(netbk_thread, vif, "%s", vif->netdev->name);
	if (IS_ERR(task)) {
		err = PTR_ERR(task);
		goto fail;
	}
	vif->task = task;
	WRITE_ONCE(vif->connected, true);
	rtnl_lock();
	netdev_update_features(vif->netdev);
	if (vif->netdev->mtu > ETH_DATA_LEN && !vif->fe_sg)
		dev_set_mtu(vif->netdev, ETH_DATA_LEN);
	rtnl_unlock();
	netbk_vif_carrier(vif);
	netif_wake_queue(vif->netdev);
	return 0;

fail_bind:
	hvx_xenbus_dev_fatal(dev, err, "binding event channel %u/%u of domain %u",
			     tx_port, rx_port, vif->domid);
fail:
	netbk_vif_disconnect(vif);
	return err;
}

void netbk_vif_disconnect(struct netbk_vif *vif)
{
	WRITE_ONCE(vif->connected, false);
	netif_carrier_off(vif->netdev);
	netif_tx_disable(vif->netdev);
	if (vif->task) {
		kthread_stop(vif->task);
		vif->task = NULL;
	}
	del_timer_sync(&vif->credit_timer);
	if (vif->rx_irq >= 0 && vif->rx_irq != vif->tx_irq)
		hvx_unbind_from_irqhandler(vif->rx_irq, vif);
	if (vif->tx_irq >= 0)
		hvx_unbind_from_irqhandler(vif->tx_irq, vif);
	vif->tx_irq = -1;
	vif->rx_irq = -1;
	if (vif->tx_addr)
		hvx_xenbus_unmap_ring_vfree(vif->dev, vif->tx_addr);
	if (vif->rx_addr)
		hvx_xenbus_unmap_ring_vfree(vif->dev, vif->rx_addr);
	vif->tx_addr = NULL;
	vif->rx_addr = NULL;
	skb_queue_purge(&vif->rx_queue);
	atomic_set(&vif->rx_queued_bytes, 0);
	netbk_free_bounce(vif);
}

void netbk_vif_free(struct netbk_vif *vif)
{
	netbk_vif_disconnect(vif);
	netdev_dbg(vif->netdev, "destroyed\n");
	unregister_netdev(vif->netdev);
	free_netdev(vif->netdev);
}
