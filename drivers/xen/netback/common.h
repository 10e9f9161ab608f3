/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * common.h: netback's shared state. One struct netbk_vif per backend
 * device (backend/vif/D/N) and its net_device vifD.N; one or more queues
 * (a tx and an rx ring, one or two event channels), each served by its
 * own kernel thread, because grant copies through hv.ko may sleep.
 */
#ifndef NETBACK_COMMON_H
#define NETBACK_COMMON_H

#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/timer.h>
#include <linux/u64_stats_sync.h>
#include <linux/wait.h>
#include "../../../include/xen/hvx/netif.h"
#include "../../../include/xen/hvx/xenbus.h"
#include "txcheck.h"
#include "hash.h"

/* Grant copies per batch, and packets per tx batch. */
#define NETBK_COPY_OPS		512
#define NETBK_TX_BATCH		64
/* The most copy ops one tx packet needs: its slots plus its pages. */
#define NETBK_TX_PKT_OPS	(NETBK_MAX_SLOTS + 17 + 1)
/*
 * The most rx slots one packet fills: 64 KiB in the pages (each keeping
 * @headroom bytes free at its start), plus the extras.
 */
#define NETBK_RX_PKT_SLOTS(headroom) \
	(DIV_ROUND_UP(GSO_LEGACY_MAX_SIZE, PAGE_SIZE - (headroom)) + NETBK_RX_MAX_EXTRAS)
/* Bounce pages for rx data in pages hv.ko cannot take (compound tails). */
#define NETBK_RX_BOUNCE_PAGES	32

enum {
	NETBK_KICK_TX,		/* queue: the frontend sent tx requests */
	NETBK_KICK_RX,		/* queue: packets queued or rx slots posted */
	NETBK_DISABLED,		/* vif: a fatal error: the rings are left alone */
	NETBK_STALLED,		/* queue: the frontend posts no rx slots */
};

/* Queues netback offers (multi-queue-max-queues). */
#define NETBK_MAX_QUEUES	8

struct netbk_stats {
	u64 rx_packets, rx_bytes;	/* from the guest (tx ring) */
	u64 tx_packets, tx_bytes;	/* to the guest (rx ring) */
	u64 tx_dropped;			/* to the guest, dropped */
	u64 rx_errors;			/* malformed packets from the guest */
	u64 rx_dropped;			/* copy failures, no memory */
	u64 tx_fatal;			/* vif disabled for a fatal error */
	u64 rx_stalls;			/* times the frontend stalled */
	u64 copy_ops, copy_batches;	/* grant copies and the calls made */
	u64 rx_bounced;			/* pieces memcpy'd into a bounce page first */
	u64 tx_credit_waits;		/* rate limit hit */
	u64 notify_in, notify_out;	/* events received and sent */
	u64 mcast_filtered;		/* multicast to the guest it did not list */
	u64 mcast_ctrl;			/* MCAST_ADD/DEL messages from the guest */
	/* the rx path alone (dom0 -> guest), for measuring it */
	u64 rx_copy_ops, rx_copy_batches;	/* grant copies into rx slots, calls */
	u64 rx_events_out;		/* events sent for rx responses */
	u64 rx_slot_waits;		/* idle with packets queued: too few slots */
	u64 rx_queue_stops;		/* start_xmit stopped the queue (full) */
	u64 thread_loops;		/* thread passes through its loop */
	u64 copy_ns;			/* time spent in hv.ko's grant copy */
	u64 tx_poll_hits;		/* looks at the tx ring that found work */
	struct u64_stats_sync sync;
};

/* One tx packet in a batch: its skb (NULL when dropped) and its requests. */
struct netbk_tx_pending {
	struct sk_buff *skb;
	u16 ids[NETBK_FATAL_SLOTS];	/* first then further data slots */
	u8 nr_ids;
	u8 nr_extras;			/* answered RSP_NULL after the first */
	s16 status;
	u16 first_op, nr_ops;
	u16 txflags;			/* the first request's XEN_NETTXF_* */
	bool has_gso;
	struct xen_netif_extra_info gso;
};

/* Extra-info slots an rx packet may carry: GSO, hash and XDP. */
#define NETBK_RX_MAX_EXTRAS	3
/* The most xdp-headroom we grant: half a page stays for the data. */
#define NETBK_XDP_HEADROOM_MAX	2048

/* One rx slot filled in a batch. */
struct netbk_rx_slot {
	u16 id;
	u16 len;
	u16 flags;
	u16 first_op, nr_ops;
	bool is_extra;
	struct xen_netif_extra_info extra;
};

/* One pair of rings with its event channel(s) and thread. */
struct netbk_queue {
	struct netbk_vif *vif;
	unsigned int id;
	char name[IFNAMSIZ + 8];		/* vifD.N-qK */
	struct xen_netif_tx_back_ring tx;
	struct xen_netif_rx_back_ring rx;
	void *tx_addr, *rx_addr;
	int tx_irq, rx_irq;			/* equal without split channels */
	struct task_struct *task;
	wait_queue_head_t wq;
	unsigned long flags;			/* NETBK_KICK_*, NETBK_STALLED */

	/* dom0 -> guest: skbs waiting for rx slots */
	struct sk_buff_head rx_queue;
	atomic_t rx_queued_bytes;
	unsigned long rx_last_progress;		/* jiffies */
	bool tx_polling;			/* the frontend streams: look before an event */
	unsigned int rx_headroom;		/* the thread's copy of xdp_headroom */

	/* the rate limit on the guest's sending, per queue as upstream */
	u64 remaining_credit;
	u64 credit_stamp;			/* ns: credit counted up to here; 0: restart */
	struct timer_list credit_timer;

	struct netbk_stats stats;

	/* batch state (the thread only) */
	struct hvx_gnttab_copy ops[NETBK_COPY_OPS];
	struct netbk_tx_pending tx_pend[NETBK_TX_BATCH];
	struct netbk_rx_slot rx_slots[NETBK_COPY_OPS / 2];
	struct sk_buff_head rx_done;
	struct page *bounce[NETBK_RX_BOUNCE_PAGES];
};

/* The control ring and the hash it sets (ctrl.c). */
struct netbk_ctrl {
	struct xen_netif_ctrl_back_ring ring;
	void *addr;				/* NULL: no control ring */
	int irq;
	struct work_struct work;
	struct mutex lock;			/* the ring */
	struct page *page;			/* grant copies land here */
	bool broken;
	u32 alg, flags, size;
	u8 key[NETBK_HASH_KEY_MAX];
	u32 mapping[NETBK_HASH_MAP_MAX];
	u64 handled;
};

/* The frontend's multicast filter (mcast.c). */
#define NETBK_MCAST_MAX		64	/* addresses, as upstream */
struct netbk_mcast {
	spinlock_t lock;			/* count and addr */
	bool enabled;				/* request-multicast-control */
	unsigned int count;
	u8 addr[NETBK_MCAST_MAX][ETH_ALEN];
	struct hvx_xenbus_watch watch;		/* the frontend's request-multicast-control */
};

struct netbk_vif {
	struct hvx_xenbus_device *dev;
	struct net_device *netdev;
	hvx_domid_t domid;
	unsigned int handle;
	struct mutex lock;			/* connect/disconnect, state */
	unsigned long flags;			/* NETBK_DISABLED */
	bool connected;
	struct netbk_queue *queues;
	unsigned int nr_queues;			/* connected queues */
	unsigned int rx_queue_max;		/* bytes per queue */

	/* what the frontend takes */
	bool fe_sg, fe_gso_v4, fe_gso_v6, fe_csum, fe_ipv6_csum;
	/* xdp-headroom: bytes left free at the start of each rx data slot */
	u16 xdp_headroom;

	/* the rate limit (store node rate), applied per queue */
	u64 credit_bytes;			/* per interval; 0: none */
	u32 credit_usec;

	/* hotplug-status and rate, watched in the backend directory */
	struct hvx_xenbus_watch hotplug_watch, rate_watch;
	bool hotplug_connected;

	struct netbk_ctrl ctrl;
	struct netbk_mcast mcast;
};

/* One queue's rings, as the frontend wrote them. */
struct netbk_queue_refs {
	hvx_grant_ref_t tx_ref, rx_ref;
	hvx_evtchn_port_t tx_port, rx_port;
};

/* interface.c */
struct netbk_vif *netbk_vif_create(struct hvx_xenbus_device *dev, hvx_domid_t domid,
				   unsigned int handle);
void netbk_vif_free(struct netbk_vif *vif);
int netbk_vif_connect(struct netbk_vif *vif, const struct netbk_queue_refs *refs,
		      unsigned int nr_queues);
void netbk_vif_disconnect(struct netbk_vif *vif);
void netbk_vif_set_rate(struct netbk_vif *vif, u64 bytes, u32 usec);
void netbk_vif_carrier(struct netbk_vif *vif);

/* ctrl.c: the control ring */
void netbk_ctrl_init(struct netbk_vif *vif);
int netbk_ctrl_connect(struct netbk_vif *vif, hvx_grant_ref_t ref, hvx_evtchn_port_t port);
void netbk_ctrl_disconnect(struct netbk_vif *vif);
int netbk_ctrl_pick_queue(struct netbk_vif *vif, struct sk_buff *skb);
bool netbk_ctrl_hash(struct netbk_vif *vif, const struct sk_buff *skb, u32 *hash, bool *l4);

/*
 * What start_xmit notes in an skb it queues for the guest (skb->cb is the
 * driver's once the qdisc is done with it): the frontend's hash, which the
 * rx path passes as a XEN_NETIF_EXTRA_TYPE_HASH extra.
 */
struct netbk_rx_cb {
	u32 hash;
	bool has_hash;
	bool hash_l4;
};

#define NETBK_RX_CB(skb) ((struct netbk_rx_cb *)(skb)->cb)

/* mcast.c: the multicast filter */
void netbk_mcast_init(struct netbk_vif *vif);
int netbk_mcast_add(struct netbk_vif *vif, const u8 *addr);
void netbk_mcast_del(struct netbk_vif *vif, const u8 *addr);
bool netbk_mcast_pass(struct netbk_vif *vif, const struct sk_buff *skb);
int netbk_mcast_connect(struct netbk_vif *vif);
void netbk_mcast_disconnect(struct netbk_vif *vif);

/* datapath.c: the data path */
int netbk_thread(void *data);
void netbk_kick(struct netbk_queue *q, int what);
void netbk_fatal(struct netbk_queue *q, const char *why);
void netbk_credit_timer(struct timer_list *t);

#endif /* NETBACK_COMMON_H */
