/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * netfront.h: what netfront's two halves share: the queue and device
 * structures, main.c's connection helpers the data path uses, and the data
 * path's entry points (datapath.c).
 */
#ifndef HVX_NETFRONT_H
#define HVX_NETFRONT_H

#include <linux/netdevice.h>
#include "../../../include/xen/hvx/netif.h"
#include "../../../include/xen/hvx/xenbus.h"

#define NF_RING		256			/* XEN_NETIF_{TX,RX}_RING_SIZE */
#define NF_MAX_SLOTS	XEN_NETIF_NR_SLOTS_MIN	/* per packet */
#define NF_RX_COPYBREAK	256			/* bytes copied into the head */
#define NF_MAX_QUEUES	8
#define NF_MCAST_MAX	64	/* addresses the backend keeps (upstream's limit) */
/* More headroom would spread a 64 KiB packet over more than NF_MAX_SLOTS + 1 pages. */
#define NF_MAX_XDP_HEADROOM	512

extern bool nf_zerocopy;

/* One pair of rings, its event channel(s), NAPI and buffers. */
struct nf_queue {
	struct netfront *nf;
	unsigned int id;
	char name[IFNAMSIZ + 8];		/* eth0-q0 */
	struct napi_struct napi;
	spinlock_t tx_lock;			/* the tx ring and free ids */

	struct xen_netif_tx_front_ring tx;
	struct xen_netif_rx_front_ring rx;
	int tx_ring_ref, rx_ring_ref;
	hvx_evtchn_port_t port;			/* tx, or both */
	int irq;
	hvx_evtchn_port_t rx_port;		/* split event channels: rx */
	int rx_irq;				/* == irq when not split */

	int tx_grefs[NF_RING];			/* reserved, granting nothing when free */
	struct sk_buff *tx_skbs[NF_RING];	/* one skb reference per data slot */
	struct page *tx_bounce[NF_RING];	/* a copy of the data, when not the skb's */
	u16 tx_free[NF_RING];			/* ids not in flight */
	unsigned int tx_nfree;
	DECLARE_BITMAP(tx_busy, NF_RING);
	struct page *rx_pages[NF_RING];
	int rx_grefs[NF_RING];

	/* tx side under tx_lock, rx side in NAPI: one writer each */
	struct u64_stats_sync tx_sync, rx_sync;
	u64 tx_packets, tx_bytes, tx_dropped, tx_errors, tx_copied;
	u64 rx_packets, rx_bytes, rx_dropped, rx_errors, rx_copied_slots;
	u64 rx_polls, rx_notify, rx_budget_full;	/* NAPI passes, events sent */
};

struct netfront {
	struct hvx_xenbus_device *dev;
	struct net_device *netdev;
	bool connected;
	struct nf_queue *queues;		/* NF_MAX_QUEUES of them */
	unsigned int nr_queues;			/* in use while set up */
	bool be_sg, be_gso_v4, be_gso_v6, be_ipv6_csum;

	/*
	 * Multicast filtering in the backend (feature-multicast-control with
	 * the dynamic variant): the addresses the backend has from us, and
	 * whether request-multicast-control is 1. Only mc_work touches them.
	 */
	bool be_mcast;
	bool mc_filter;
	unsigned int mc_nsent;
	u8 mc_sent[NF_MCAST_MAX][ETH_ALEN];
	struct work_struct mc_work;
};

/* Room on the tx ring and among the free ids for @slots more slots. */
static inline bool nf_tx_room(const struct nf_queue *q, unsigned int slots)
{
	return q->tx_nfree >= slots && HVX_RING_FREE_REQUESTS(&q->tx) >= slots;
}

/* main.c */
void nf_end_tx_slot(struct nf_queue *q, unsigned int id);

/* datapath.c */
netdev_tx_t nf_start_xmit(struct sk_buff *skb, struct net_device *dev);
void nf_tx_complete(struct nf_queue *q, int budget);
void nf_rx_post(struct nf_queue *q, u16 id);
int nf_poll(struct napi_struct *napi, int budget);
irqreturn_t nf_interrupt(int irq, void *dev_id);

#endif
