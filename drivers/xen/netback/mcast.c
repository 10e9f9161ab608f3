// SPDX-License-Identifier: GPL-2.0-only
/*
 * mcast.c: the frontend's multicast filter (feature-multicast-control and
 * feature-dynamic-multicast-control). The frontend adds and removes
 * addresses with XEN_NETIF_EXTRA_TYPE_MCAST_ADD/DEL extra slots on its tx
 * ring (the data path calls netbk_mcast_add/del with the copied extra);
 * while its request-multicast-control is 1, vifD.N passes the guest only
 * the multicast frames whose destination is listed (broadcast always
 * passes). The dynamic variant: request-multicast-control is watched, so
 * the frontend switches filtering on and off while connected (promiscuous
 * or all-multicast mode in the guest).
 */
#define pr_fmt(fmt) "netback: " fmt

#include <linux/etherdevice.h>
#include "common.h"

void netbk_mcast_init(struct netbk_vif *vif)
{
	spin_lock_init(&vif->mcast.lock);
}

/* 0; -EINVAL for an address that is not multicast; -ENOSPC when full. */
int netbk_mcast_add(struct netbk_vif *vif, const u8 *addr)
{
	struct netbk_mcast *m = &vif->mcast;
	unsigned int i;
	int err = 0;

	if (!is_multicast_ether_addr(addr) || is_broadcast_ether_addr(addr))
		return -EINVAL;
	spin_lock_bh(&m->lock);
	for (i = 0; i < m->count; i++)
		if (ether_addr_equal(m->addr[i], addr))
			goto out;	/* listed already */
	if (m->count == NETBK_MCAST_MAX) {
		err = -ENOSPC;
		goto out;
	}
	ether_addr_copy(m->addr[m->count++], addr);
out:
	spin_unlock_bh(&m->lock);
	return err;
}

/* Removing an address that is not listed is not an error (as upstream). */
void netbk_mcast_del(struct netbk_vif *vif, const u8 *addr)
{
	struct netbk_mcast *m = &vif->mcast;
	unsigned int i;

	spin_lock_bh(&m->lock);
	for (i = 0; i < m->count; i++) {
		if (!ether_addr_equal(m->addr[i], addr))
			continue;
		m->count--;
		if (i != m->count)
			ether_addr_copy(m->addr[i], m->addr[m->count]);
		break;
	}
	spin_unlock_bh(&m->lock);
}

/* From start_xmit (BH off): may this frame go to the guest? */
bool netbk_mcast_pass(struct netbk_vif *vif, const struct sk_buff *skb)
{
	struct netbk_mcast *m = &vif->mcast;
	const u8 *dest = skb->data;
	unsigned int i;
	bool pass = false;

	if (!READ_ONCE(m->enabled) || skb_headlen(skb) < ETH_HLEN ||
	    !is_multicast_ether_addr(dest) || is_broadcast_ether_addr(dest))
		return true;
	spin_lock(&m->lock);
	for (i = 0; i < m->count && !pass; i++)
		pass = ether_addr_equal(m->addr[i], dest);
	spin_unlock(&m->lock);
	return pass;
}

static void netbk_mcast_read(struct netbk_vif *vif)
{
	bool on = hvx_xenbus_read_unsigned(vif->dev->otherend, "request-multicast-control", 0);

	if (on != READ_ONCE(vif->mcast.enabled))
		netdev_dbg(vif->netdev, "multicast filter %s\n", on ? "on" : "off");
	WRITE_ONCE(vif->mcast.enabled, on);
}

/* Runs in the watch thread; takes only the filter's own lock. */
static void netbk_mcast_changed(struct hvx_xenbus_watch *w, const char *path,
				const char *token)
{
	netbk_mcast_read(container_of(w, struct netbk_vif, mcast.watch));
}

/* At connect: the frontend's wish now, and watched from here on. */
int netbk_mcast_connect(struct netbk_vif *vif)
{
	netbk_mcast_read(vif);
	return hvx_xenbus_watch_pathfmt(vif->dev, &vif->mcast.watch, netbk_mcast_changed,
					"%s/request-multicast-control", vif->dev->otherend);
}

/* A new connection starts with no filter and an empty list. */
void netbk_mcast_disconnect(struct netbk_vif *vif)
{
	struct netbk_mcast *m = &vif->mcast;

	if (m->watch.node) {
		hvx_unregister_xenbus_watch(&m->watch);
		kfree(m->watch.node);
		m->watch.node = NULL;
	}
	WRITE_ONCE(m->enabled, false);
	spin_lock_bh(&m->lock);
	m->count = 0;
	spin_unlock_bh(&m->lock);
}
