// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c (netfront.ko): the guest's network device (eth0) over Xen's netif rings,
 * for devices device/vif/N on the hvx bus (alias hvx:vif).
 *
 * Buffers, zero copy: each ring slot owns a grant ref taken at connect
 * (hvx_gnttab_reserve; the rx ones granted on a page of their own), and the
 * data path only re-points refs, with one entry write each: tx grants the
 * skb's own pages (head and frags, one slot per piece of a page) and holds
 * the skb until its responses are back; rx hands a filled slot's page to
 * the skb as a frag and re-points the slot's ref at a fresh page. Neither
 * sleeps nor takes the grant allocator's lock. Up to 8 queues
 * (as many as the backend offers and CPUs exist; XPS maps CPU i to queue
 * i), each with one or two event channels; NAPI per queue does rx and tx
 * completions.
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

static bool split_events = true;
module_param(split_events, bool, 0644);
MODULE_PARM_DESC(split_events, "use a tx and an rx event channel when the backend offers it");

/* ---- multicast control -------------------------------------------------- */

static unsigned int xdp_headroom;
module_param(xdp_headroom, uint, 0644);
MODULE_PARM_DESC(xdp_headroom, "bytes (at most 512) netback leaves free before rx data (xdp-headroom), if offered; read at connect");

static bool mcast_filter = true;
module_param(mcast_filter, bool, 0644);
MODULE_PARM_DESC(mcast_filter, "let the backend filter multicast by our list (feature-multicast-control)");

/* An MCAST_ADD or MCAST_DEL message: a dataless request and its extra slot, on queue 0. */
static bool nf_send_mcast(struct netfront *nf, u8 type, const u8 *addr)
{
	struct nf_queue *q = &nf->queues[0];
	struct xen_netif_tx_request *req;
	struct xen_netif_extra_info *x;
	bool notify;
	u16 id;

	spin_lock_bh(&q->tx_lock);
	if (!READ_ONCE(nf->connected) || !nf_tx_room(q, 2)) {
		spin_unlock_bh(&q->tx_lock);
		return false;
	}
	id = q->tx_free[--q->tx_nfree];
	__set_bit(id, q->tx_busy);
	req = HVX_RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt++);
	req->gref = q->tx_grefs[id];
	req->offset = 0;
	req->id = id;
	req->size = 0;
	req->flags = XEN_NETTXF_extra_info;
	x = (struct xen_netif_extra_info *)HVX_RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt++);
	memset(x, 0, sizeof(*x));
	x->type = type;
	ether_addr_copy(x->u.mcast.addr, addr);
	HVX_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->tx, notify);
	spin_unlock_bh(&q->tx_lock);
	if (notify)
		hvx_notify_remote_via_irq(q->irq);
	return true;
}

static bool nf_mc_listed(u8 (*list)[ETH_ALEN], unsigned int n, const u8 *addr)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ether_addr_equal(list[i], addr))
			return true;
	return false;
}

static void nf_mc_set_filter(struct netfront *nf, bool on)
{
	if (on == nf->mc_filter)
		return;
	if (hvx_xenbus_write(HVX_XBT_NIL, nf->dev->nodename, "request-multicast-control",
			     on ? "1" : "0"))
		return;
	nf->mc_filter = on;
}

/*
 * Bring the backend's list to the device's multicast list. Filtering is
 * off while the device is promiscuous or all-multicast, or lists more than
 * the backend keeps; it goes off before addresses are removed and on only
 * after they are all sent, so no wanted frame is filtered meanwhile.
 */
static void nf_mc_work(struct work_struct *work)
{
	struct netfront *nf = container_of(work, struct netfront, mc_work);
	struct net_device *dev = nf->netdev;
	struct netdev_hw_addr *ha;
	u8 (*want)[ETH_ALEN];
	unsigned int n = 0, i;
	bool filter;

	if (!READ_ONCE(nf->connected) || !nf->be_mcast)
		return;
	want = kmalloc_array(NF_MCAST_MAX, ETH_ALEN, GFP_KERNEL);
	if (!want)
		return;
	netif_addr_lock_bh(dev);
	filter = !(dev->flags & (IFF_PROMISC | IFF_ALLMULTI)) &&
		 netdev_mc_count(dev) <= NF_MCAST_MAX;
	if (filter)
		netdev_for_each_mc_addr(ha, dev)
			ether_addr_copy(want[n++], ha->addr);
	netif_addr_unlock_bh(dev);
	if (!filter)
		nf_mc_set_filter(nf, false);
	for (i = 0; i < nf->mc_nsent;) {
		if (nf_mc_listed(want, n, nf->mc_sent[i]) ||
		    !nf_send_mcast(nf, XEN_NETIF_EXTRA_TYPE_MCAST_DEL, nf->mc_sent[i])) {
			i++;
			continue;
		}
		ether_addr_copy(nf->mc_sent[i], nf->mc_sent[--nf->mc_nsent]);
	}
	for (i = 0; i < n; i++) {
		if (nf_mc_listed(nf->mc_sent, nf->mc_nsent, want[i]))
			continue;
		if (nf->mc_nsent == NF_MCAST_MAX ||
		    !nf_send_mcast(nf, XEN_NETIF_EXTRA_TYPE_MCAST_ADD, want[i])) {
			filter = false;	/* the backend cannot have it all */
			break;
		}
		ether_addr_copy(nf->mc_sent[nf->mc_nsent++], want[i]);
	}
	nf_mc_set_filter(nf, filter);
	kfree(want);
}

static void nf_set_rx_mode(struct net_device *dev)
{
	struct netfront *nf = netdev_priv(dev);

	if (READ_ONCE(nf->connected) && nf->be_mcast)
		schedule_work(&nf->mc_work);
}

/* ---- connection -------------------------------------------------------- */

static unsigned int max_queues = NF_MAX_QUEUES;
module_param(max_queues, uint, 0644);
MODULE_PARM_DESC(max_queues, "queues to ask for (at most the backend's offer and the CPUs), at most 8");

static int nf_grant_page(struct nf_queue *q, struct page **page, int *ref, bool readonly)
{
	*page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!*page)
		return -ENOMEM;
	*ref = hvx_gnttab_grant_foreign_access(q->nf->dev->otherend_id,
					       hvx_page_to_gfn(*page), readonly);
	if (*ref < 0) {
		int err = *ref;

		__free_page(*page);
		*page = NULL;
		return err;
	}
	return 0;
}

static void nf_end_page(struct page **page, int *ref)
{
	if (*ref >= 0)
		hvx_gnttab_end_foreign_access(*ref, *page);
	else if (*page)
		__free_page(*page);
	*page = NULL;
	*ref = -1;
}

/*
 * A tx slot at disconnect: its skb reference goes once the ref grants
 * nothing; an skb whose page the backend still uses is left alone (leaked)
 * and the ref goes back to the core, which waits for the backend.
 */
void nf_end_tx_slot(struct nf_queue *q, unsigned int id)
{
	struct sk_buff *skb = q->tx_skbs[id];
	struct page *bounce = q->tx_bounce[id];

	if (skb || bounce) {
		if (!hvx_gnttab_end_reserved(q->tx_grefs[id])) {
			if (skb)
				dev_kfree_skb_any(skb);
			if (bounce)
				__free_page(bounce);
		} else {
			netdev_warn(q->nf->netdev, "tx grant %d still in use: its pages are kept\n",
				    q->tx_grefs[id]);
		}
		q->tx_skbs[id] = NULL;
		q->tx_bounce[id] = NULL;
	}
	if (q->tx_grefs[id] >= 0)
		hvx_gnttab_end_foreign_access(q->tx_grefs[id], NULL);
	q->tx_grefs[id] = -1;
}

static void nf_end_ring(int *ref, void **sring)
{
	if (*ref >= 0)
		hvx_gnttab_end_foreign_access(*ref, virt_to_page(*sring));
	else if (*sring)
		free_page((unsigned long)*sring);
	*ref = -1;
	*sring = NULL;
}

/* Give back a queue's ports and grants: the backend may still map pages. */
static void nf_queue_release(struct nf_queue *q)
{
	struct hvx_xenbus_device *dev = q->nf->dev;
	unsigned int i;

	if (q->rx_irq >= 0 && q->rx_irq != q->irq)
		hvx_unbind_from_irqhandler(q->rx_irq, q);
	q->rx_irq = -1;
	if (q->irq >= 0) {
		hvx_unbind_from_irqhandler(q->irq, q);
		q->irq = -1;
		napi_disable(&q->napi);
	}
	if (q->rx_port) {
		hvx_xenbus_free_evtchn(dev, q->rx_port);
		q->rx_port = 0;
	}
	if (q->port) {
		hvx_xenbus_free_evtchn(dev, q->port);
		q->port = 0;
	}
	for (i = 0; i < NF_RING; i++) {
		nf_end_tx_slot(q, i);
		nf_end_page(&q->rx_pages[i], &q->rx_grefs[i]);
	}
	nf_end_ring(&q->tx_ring_ref, (void **)&q->tx.sring);
	nf_end_ring(&q->rx_ring_ref, (void **)&q->rx.sring);
}

static void nf_release(struct netfront *nf)
{
	unsigned int i;

	if (READ_ONCE(nf->connected)) {
		WRITE_ONCE(nf->connected, false);
		netif_carrier_off(nf->netdev);
		netif_tx_disable(nf->netdev);
	}
	/* after connected goes false: no new run, and a running one ends first */
	cancel_work_sync(&nf->mc_work);
	for (i = 0; i < nf->nr_queues; i++)
		nf_queue_release(&nf->queues[i]);
	nf->nr_queues = 0;
}

/* A queue's rings, buffers and ports; its store nodes go under @dir. */
static int nf_queue_setup(struct nf_queue *q, bool split)
{
	struct hvx_xenbus_device *dev = q->nf->dev;
	hvx_grant_ref_t ref;
	unsigned int i;
	void *p;
	int err;

	p = (void *)get_zeroed_page(GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	HVX_SHARED_RING_INIT((struct xen_netif_tx_sring *)p);
	HVX_FRONT_RING_INIT(&q->tx, (struct xen_netif_tx_sring *)p, PAGE_SIZE);
	err = hvx_xenbus_grant_ring(dev, p, 1, &ref);
	if (err)
		return err;
	q->tx_ring_ref = ref;
	p = (void *)get_zeroed_page(GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	HVX_SHARED_RING_INIT((struct xen_netif_rx_sring *)p);
	HVX_FRONT_RING_INIT(&q->rx, (struct xen_netif_rx_sring *)p, PAGE_SIZE);
	err = hvx_xenbus_grant_ring(dev, p, 1, &ref);
	if (err)
		return err;
	q->rx_ring_ref = ref;
	for (i = 0; i < NF_RING; i++) {
		hvx_grant_ref_t txref;

		err = hvx_gnttab_reserve(1, &txref);
		if (!err) {
			q->tx_grefs[i] = txref;
			err = nf_grant_page(q, &q->rx_pages[i], &q->rx_grefs[i], false);
		}
		if (err) {
			hvx_xenbus_dev_fatal(dev, err, "granting buffer pages");
			return err;
		}
		q->tx_free[i] = NF_RING - 1 - i;
	}
	q->tx_nfree = NF_RING;
	bitmap_zero(q->tx_busy, NF_RING);
	for (i = 0; i < NF_RING; i++)
		nf_rx_post(q, i);
	/* the backend reads them once connected: published now */
	virt_wmb();
	WRITE_ONCE(q->rx.sring->req_prod, q->rx.req_prod_pvt);
	err = hvx_xenbus_alloc_evtchn(dev, &q->port);
	if (err)
		return err;
	napi_enable(&q->napi);
	q->irq = hvx_bind_evtchn_to_irqhandler(q->port, nf_interrupt, 0, q->name, q);
	if (q->irq < 0) {
		err = q->irq;
		q->irq = -1;
		napi_disable(&q->napi);
		hvx_xenbus_dev_fatal(dev, err, "binding event channel %u", q->port);
		return err;
	}
	q->rx_irq = q->irq;
	if (!split)
		return 0;
	/* split event channels: tx and rx apart */
	err = hvx_xenbus_alloc_evtchn(dev, &q->rx_port);
	if (err)
		return err;
	err = hvx_bind_evtchn_to_irqhandler(q->rx_port, nf_interrupt, 0, q->name, q);
	if (err < 0) {
		hvx_xenbus_dev_fatal(dev, err, "binding event channel %u", q->rx_port);
		return err;
	}
	q->rx_irq = err;
	return 0;
}

static int nf_publish_queue(struct hvx_xenbus_transaction t, const char *dir,
			    const struct nf_queue *q)
{
	return hvx_xenbus_printf(t, dir, "tx-ring-ref", "%d", q->tx_ring_ref) ?:
	       hvx_xenbus_printf(t, dir, "rx-ring-ref", "%d", q->rx_ring_ref) ?:
	       (q->rx_port ?
		hvx_xenbus_printf(t, dir, "event-channel-tx", "%u", q->port) ?:
		hvx_xenbus_printf(t, dir, "event-channel-rx", "%u", q->rx_port) :
		hvx_xenbus_printf(t, dir, "event-channel", "%u", q->port));
}

static int nf_publish(struct netfront *nf)
{
	static const char *const on[] = {
		"request-rx-copy", "feature-rx-notify", "feature-sg", "feature-gso-tcpv4",
		"feature-gso-tcpv6", "feature-ipv6-csum-offload",
	};
	struct hvx_xenbus_device *dev = nf->dev;
	struct hvx_xenbus_transaction t;
	unsigned int i;
	int err;

	do {
		err = hvx_xenbus_transaction_start(&t);
		if (err)
			return err;
		if (nf->nr_queues == 1) {
			err = nf_publish_queue(t, dev->nodename, &nf->queues[0]);
		} else {
			err = hvx_xenbus_printf(t, dev->nodename, "multi-queue-num-queues",
						"%u", nf->nr_queues);
			for (i = 0; i < nf->nr_queues && !err; i++) {
				char *dir = kasprintf(GFP_KERNEL, "%s/queue-%u", dev->nodename, i);

				err = dir ? nf_publish_queue(t, dir, &nf->queues[i]) : -ENOMEM;
				kfree(dir);
			}
		}
		for (i = 0; i < ARRAY_SIZE(on) && !err; i++)
			err = hvx_xenbus_write(t, dev->nodename, on[i], "1");
		/* filtering starts off: mc_work turns it on once the list is sent */
		if (!err && nf->be_mcast)
			err = hvx_xenbus_write(t, dev->nodename, "request-multicast-control", "0");
		if (!err && READ_ONCE(xdp_headroom) &&
		    hvx_xenbus_read_unsigned(dev->otherend, "feature-xdp-headroom", 0))
			err = hvx_xenbus_printf(t, dev->nodename, "xdp-headroom", "%u",
						min_t(unsigned int, READ_ONCE(xdp_headroom),
						      NF_MAX_XDP_HEADROOM));
		if (err) {
			hvx_xenbus_transaction_end(t, 1);
			return err;
		}
		err = hvx_xenbus_transaction_end(t, 0);
	} while (err == -EAGAIN);
	return err;
}

static void nf_setup(struct netfront *nf)
{
	struct hvx_xenbus_device *dev = nf->dev;
	unsigned int n, i;
	bool split;
	int err;

	n = min3(hvx_xenbus_read_unsigned(dev->otherend, "multi-queue-max-queues", 1),
		 num_online_cpus(), clamp_t(unsigned int, READ_ONCE(max_queues), 1,
					    NF_MAX_QUEUES));
	n = clamp_t(unsigned int, n, 1, NF_MAX_QUEUES);
	split = split_events &&
		hvx_xenbus_read_unsigned(dev->otherend, "feature-split-event-channels", 0);
	nf->be_mcast = mcast_filter &&
		hvx_xenbus_read_unsigned(dev->otherend, "feature-multicast-control", 0) &&
		hvx_xenbus_read_unsigned(dev->otherend, "feature-dynamic-multicast-control", 0);
	nf->mc_filter = false;
	nf->mc_nsent = 0;
	nf->nr_queues = n;
	for (i = 0; i < n; i++) {
		err = nf_queue_setup(&nf->queues[i], split);
		if (err) {
			hvx_xenbus_dev_fatal(dev, err, "setting up queue %u", i);
			goto fail;
		}
	}
	rtnl_lock();
	err = netif_set_real_num_tx_queues(nf->netdev, n) ?:
	      netif_set_real_num_rx_queues(nf->netdev, n);
	rtnl_unlock();
	if (err)
		goto fail;
	/* XPS: each CPU sends on its own queue */
	for (i = 0; i < n; i++)
		netif_set_xps_queue(nf->netdev, cpumask_of(i), i);
	err = nf_publish(nf);
	if (err) {
		hvx_xenbus_dev_fatal(dev, err, "writing rings and features");
		goto fail;
	}
	hvx_xenbus_switch_state(dev, HVX_XenbusStateConnected);
	return;
fail:
	nf_release(nf);
}

/* The backend is Connected: read what it takes, and go. */
static void nf_backend_connected(struct netfront *nf)
{
	const char *be = nf->dev->otherend;
	unsigned int i;

	nf->be_sg = hvx_xenbus_read_unsigned(be, "feature-sg", 0);
	nf->be_gso_v4 = nf->be_sg && hvx_xenbus_read_unsigned(be, "feature-gso-tcpv4", 0);
	nf->be_gso_v6 = nf->be_sg && hvx_xenbus_read_unsigned(be, "feature-gso-tcpv6", 0);
	nf->be_ipv6_csum = hvx_xenbus_read_unsigned(be, "feature-ipv6-csum-offload", 0);
	rtnl_lock();
	netdev_update_features(nf->netdev);
	if (!nf->be_sg && nf->netdev->mtu > ETH_DATA_LEN)
		dev_set_mtu(nf->netdev, ETH_DATA_LEN);
	rtnl_unlock();
	WRITE_ONCE(nf->connected, true);
	netif_carrier_on(nf->netdev);
	netif_tx_wake_all_queues(nf->netdev);
	for (i = 0; i < nf->nr_queues; i++)
		napi_schedule(&nf->queues[i].napi);
	if (nf->be_mcast)
		schedule_work(&nf->mc_work);
	netdev_info(nf->netdev, "connected to domain %d (%u queue(s), sg %d, tso %d/%d)\n",
		    nf->dev->otherend_id, nf->nr_queues, nf->be_sg, nf->be_gso_v4,
		    nf->be_gso_v6);
}

static void nf_backend_changed(struct hvx_xenbus_device *dev, enum hvx_xenbus_state state)
{
	struct netfront *nf = dev_get_drvdata(&dev->dev);

	switch (state) {
	case HVX_XenbusStateInitWait:
		if (dev->state == HVX_XenbusStateClosed)
			hvx_xenbus_switch_state(dev, HVX_XenbusStateInitialising);
		if (dev->state == HVX_XenbusStateInitialising)
			nf_setup(nf);
		break;
	case HVX_XenbusStateConnected:
		if (dev->state == HVX_XenbusStateConnected && !nf->connected && nf->nr_queues)
			nf_backend_connected(nf);
		break;
	case HVX_XenbusStateClosing:
	case HVX_XenbusStateClosed:
		/*
		 * Still Initialising: unless the toolstack is taking the
		 * device away (online = 0), the backend has not seen our new
		 * start yet and shows the end of the previous connection. Its
		 * InitWait follows; closing now would leave both ends Closed.
		 */
		if (dev->state == HVX_XenbusStateInitialising &&
		    hvx_xenbus_read_unsigned(dev->otherend, "online", 1))
			break;
		if (dev->state == HVX_XenbusStateClosed)
			break;
		nf_release(nf);
		hvx_xenbus_frontend_closed(dev);
		break;
	case HVX_XenbusStateUnknown:
		if (dev->state != HVX_XenbusStateInitialising &&
		    dev->state != HVX_XenbusStateClosed) {
			nf_release(nf);
			hvx_xenbus_frontend_closed(dev);
		}
		break;
	default:
		break;
	}
}

/* ---- net_device --------------------------------------------------------- */

static int nf_open(struct net_device *dev)
{
	struct netfront *nf = netdev_priv(dev);

	if (READ_ONCE(nf->connected))
		netif_tx_start_all_queues(dev);
	return 0;
}

static int nf_close(struct net_device *dev)
{
	netif_tx_stop_all_queues(dev);
	return 0;
}

static netdev_features_t nf_fix_features(struct net_device *dev, netdev_features_t features)
{
	struct netfront *nf = netdev_priv(dev);

	if (!nf->be_sg)
		features &= ~NETIF_F_SG;
	if (!nf->be_gso_v4)
		features &= ~NETIF_F_TSO;
	if (!nf->be_gso_v6)
		features &= ~NETIF_F_TSO6;
	if (!nf->be_ipv6_csum)
		features &= ~(NETIF_F_IPV6_CSUM | NETIF_F_TSO6);
	return features;
}

static int nf_change_mtu(struct net_device *dev, int mtu)
{
	struct netfront *nf = netdev_priv(dev);

	if (mtu > ETH_DATA_LEN && !nf->be_sg)
		return -EINVAL;
	dev->mtu = mtu;
	return 0;
}

static void nf_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *st)
{
	struct netfront *nf = netdev_priv(dev);
	unsigned int i, start;

	for (i = 0; i < NF_MAX_QUEUES; i++) {
		struct nf_queue *q = &nf->queues[i];
		u64 a, b, c;

		do {
			start = u64_stats_fetch_begin(&q->tx_sync);
			a = q->tx_packets;
			b = q->tx_bytes;
			c = q->tx_errors;
		} while (u64_stats_fetch_retry(&q->tx_sync, start));
		st->tx_packets += a;
		st->tx_bytes += b;
		st->tx_errors += c;
		do {
			start = u64_stats_fetch_begin(&q->rx_sync);
			a = q->rx_packets;
			b = q->rx_bytes;
			c = q->rx_errors + q->rx_dropped;
		} while (u64_stats_fetch_retry(&q->rx_sync, start));
		st->rx_packets += a;
		st->rx_bytes += b;
		st->rx_errors += c;
	}
}

static const struct net_device_ops nf_netdev_ops = {
	.ndo_get_stats64 = nf_get_stats64,
	.ndo_open = nf_open,
	.ndo_stop = nf_close,
	.ndo_start_xmit = nf_start_xmit,
	.ndo_fix_features = nf_fix_features,
	.ndo_change_mtu = nf_change_mtu,
	.ndo_set_rx_mode = nf_set_rx_mode,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

static void nf_get_drvinfo(struct net_device *dev, struct ethtool_drvinfo *info)
{
	struct netfront *nf = netdev_priv(dev);

	strscpy(info->driver, "netfront", sizeof(info->driver));
	strscpy(info->bus_info, dev_name(&nf->dev->dev), sizeof(info->bus_info));
}

/*
 * How often the data path fell back to a copy (it is zero copy otherwise),
 * and how the rx side runs: NAPI passes, events to the backend, passes that
 * used their whole budget.
 */
static const char nf_stat_names[][ETH_GSTRING_LEN] = {
	"tx_copied", "rx_copied_slots", "rx_polls", "rx_notify", "rx_budget_full",
};

static int nf_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? ARRAY_SIZE(nf_stat_names) : -EOPNOTSUPP;
}

static void nf_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	if (sset == ETH_SS_STATS)
		memcpy(data, nf_stat_names, sizeof(nf_stat_names));
}

static void nf_get_ethtool_stats(struct net_device *dev, struct ethtool_stats *stats, u64 *data)
{
	struct netfront *nf = netdev_priv(dev);
	unsigned int i, start;

	memset(data, 0, sizeof(u64) * ARRAY_SIZE(nf_stat_names));
	for (i = 0; i < NF_MAX_QUEUES; i++) {
		struct nf_queue *q = &nf->queues[i];
		u64 a, b, c, d, e;

		do {
			start = u64_stats_fetch_begin(&q->tx_sync);
			a = q->tx_copied;
		} while (u64_stats_fetch_retry(&q->tx_sync, start));
		do {
			start = u64_stats_fetch_begin(&q->rx_sync);
			b = q->rx_copied_slots;
			c = q->rx_polls;
			d = q->rx_notify;
			e = q->rx_budget_full;
		} while (u64_stats_fetch_retry(&q->rx_sync, start));
		data[0] += a;
		data[1] += b;
		data[2] += c;
		data[3] += d;
		data[4] += e;
	}
}

static const struct ethtool_ops nf_ethtool_ops = {
	.get_drvinfo = nf_get_drvinfo,
	.get_sset_count = nf_get_sset_count,
	.get_strings = nf_get_strings,
	.get_ethtool_stats = nf_get_ethtool_stats,
	.get_link = ethtool_op_get_link,
};

static int nf_read_mac(struct hvx_xenbus_device *dev, u8 mac[ETH_ALEN])
{
	char *s;
	int n;

	s = hvx_xenbus_read(HVX_XBT_NIL, dev->nodename, "mac", NULL);
	if (IS_ERR(s))
		return PTR_ERR(s);
	n = sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2], &mac[3],
		   &mac[4], &mac[5]);
	kfree(s);
	return n == ETH_ALEN && is_valid_ether_addr(mac) ? 0 : -EINVAL;
}

static void nf_queue_init(struct netfront *nf, struct nf_queue *q, unsigned int id)
{
	unsigned int i;

	q->nf = nf;
	q->id = id;
	q->irq = -1;
	q->rx_irq = -1;
	q->tx_ring_ref = -1;
	q->rx_ring_ref = -1;
	for (i = 0; i < NF_RING; i++) {
		q->tx_grefs[i] = -1;
		q->rx_grefs[i] = -1;
	}
	spin_lock_init(&q->tx_lock);
	u64_stats_init(&q->tx_sync);
	u64_stats_init(&q->rx_sync);
	netif_napi_add(nf->netdev, &q->napi, nf_poll);
}

static int nf_probe(struct hvx_xenbus_device *dev, const struct hvx_xenbus_device_id *id)
{
	struct net_device *netdev;
	struct netfront *nf;
	u8 mac[ETH_ALEN];
	unsigned int i;
	int err;

	err = nf_read_mac(dev, mac);
	if (err) {
		hvx_xenbus_dev_fatal(dev, err, "reading %s/mac", dev->nodename);
		return err;
	}
	netdev = alloc_etherdev_mqs(sizeof(*nf), NF_MAX_QUEUES, NF_MAX_QUEUES);
	if (!netdev)
		return -ENOMEM;
	nf = netdev_priv(netdev);
	nf->dev = dev;
	nf->netdev = netdev;
	nf->queues = vzalloc(array_size(NF_MAX_QUEUES, sizeof(*nf->queues)));
	if (!nf->queues) {
		free_netdev(netdev);
		return -ENOMEM;
	}
	for (i = 0; i < NF_MAX_QUEUES; i++)
		nf_queue_init(nf, &nf->queues[i], i);
	INIT_WORK(&nf->mc_work, nf_mc_work);
	netdev->netdev_ops = &nf_netdev_ops;
	netdev->ethtool_ops = &nf_ethtool_ops;
	netdev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			      NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_RXCSUM;
	netdev->features = netdev->hw_features;
	netdev->min_mtu = ETH_MIN_MTU;
	netdev->max_mtu = XEN_NETIF_MAX_TX_SIZE - VLAN_ETH_HLEN;
	netif_set_tso_max_size(netdev, XEN_NETIF_MAX_TX_SIZE - VLAN_ETH_HLEN - 1);
	netif_set_real_num_tx_queues(netdev, 1);
	netif_set_real_num_rx_queues(netdev, 1);
	eth_hw_addr_set(netdev, mac);
	SET_NETDEV_DEV(netdev, &dev->dev);
	netif_carrier_off(netdev);
	dev_set_drvdata(&dev->dev, nf);
	err = register_netdev(netdev);
	if (err) {
		dev_set_drvdata(&dev->dev, NULL);
		for (i = 0; i < NF_MAX_QUEUES; i++)
			netif_napi_del(&nf->queues[i].napi);
		vfree(nf->queues);
		free_netdev(netdev);
		return err;
	}
	for (i = 0; i < NF_MAX_QUEUES; i++)
		snprintf(nf->queues[i].name, sizeof(nf->queues[i].name), "%s-q%u",
			 netdev->name, i);
	/* back after a reload: the core said Initialising again (xb_probe) */
	return 0;
}

/*
 * Unloading while connected: say Closing and give the backend up to 5 s
 * to stop using the rings (Closing or Closed) before their pages go, as
 * upstream's netfront does. The core's watch on the backend is already
 * gone here, so the backend's state is polled.
 */
static void nf_close_handshake(struct hvx_xenbus_device *dev)
{
	unsigned long deadline = jiffies + 5 * HZ;
	enum hvx_xenbus_state be;

	if (dev->state != HVX_XenbusStateConnected &&
	    dev->state != HVX_XenbusStateInitialised)
		return;
	if (hvx_xenbus_switch_state(dev, HVX_XenbusStateClosing))
		return;
	do {
		be = hvx_xenbus_read_driver_state(dev->otherend);
		if (be == HVX_XenbusStateClosing || be == HVX_XenbusStateClosed ||
		    be == HVX_XenbusStateUnknown)
			return;
		msleep(20);
	} while (time_before(jiffies, deadline));
	dev_info(&dev->dev, "the backend did not close in 5 s\n");
}

static void nf_remove(struct hvx_xenbus_device *dev)
{
	struct netfront *nf = dev_get_drvdata(&dev->dev);
	unsigned int i;

	unregister_netdev(nf->netdev);
	nf_close_handshake(dev);
	nf_release(nf);
	for (i = 0; i < NF_MAX_QUEUES; i++)
		netif_napi_del(&nf->queues[i].napi);
	dev_set_drvdata(&dev->dev, NULL);
	vfree(nf->queues);
	free_netdev(nf->netdev);
}

static const struct hvx_xenbus_device_id nf_ids[] = {
	{ "vif" },
	{ "" }
};

static struct hvx_xenbus_driver nf_driver = {
	.ids = nf_ids,
	.probe = nf_probe,
	.otherend_changed = nf_backend_changed,
	.remove = nf_remove,
};

module_hvx_xenbus_frontend(nf_driver);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx netfront: the guest half of Xen's network split driver");
HVX_XENBUS_FRONTEND_ALIAS("vif");
