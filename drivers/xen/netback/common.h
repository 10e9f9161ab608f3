/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * common.h: netback's shared state. One struct netbk_vif per backend
 * device (backend/vif/D/N) and its net_device vifD.N; one queue (a tx and
 * an rx ring, one or two event channels) served by one kernel thread,
 * because grant copies through hv.ko may sleep.
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

/* Grant copies per batch, and packets per tx batch. */
#define NETBK_COPY_OPS		512
#define NETBK_TX_BATCH		64
/* The most copy ops one tx packet needs: its slots plus its pages. */
#define NETBK_TX_PKT_OPS	(NETBK_MAX_SLOTS + 17 + 1)
/* The most rx slots one packet fills: 64 KiB of pages plus a GSO extra. */
#define NETBK_RX_PKT_SLOTS	(DIV_ROUND_UP(GSO_LEGACY_MAX_SIZE, PAGE_SIZE) + 2)
/* Bounce pages for rx data in pages hv.ko cannot take (compound tails). */
#define NETBK_RX_BOUNCE_PAGES	32

enum {
	NETBK_KICK_TX,		/* the frontend sent tx requests */
	NETBK_KICK_RX,		/* rx work: packets queued or rx slots posted */
	NETBK_DISABLED,		/* a fatal error: the rings are left alone */
	NETBK_STALLED,		/* the frontend posts no rx slots */
};

struct netbk_stats {
	u64 rx_packets, rx_bytes;	/* from the guest (tx ring) */
	u64 tx_packets, tx_bytes;	/* to the guest (rx ring) */
	u64 tx_dropped;			/* to the guest, dropped */
	u64 rx_errors;			/* malformed packets from the guest */
	u64 rx_dropped;			/* copy failures, no memory */
	u64 tx_fatal;			/* vif disabled for a fatal error */
	u64 rx_stalls;			/* times the frontend stalled */
	u64 copy_ops, copy_batches;	/* grant copies and the calls made */
	u64 tx_credit_waits;		/* rate limit hit */
	u64 notify_in, notify_out;	/* events received and sent */
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

/* One rx slot filled in a batch. */
struct netbk_rx_slot {
	u16 id;
	u16 len;
	u16 flags;
	u16 first_op, nr_ops;
	bool is_extra;
	struct xen_netif_extra_info extra;
};

struct netbk_vif {
	struct hvx_xenbus_device *dev;
	struct net_device *netdev;
	hvx_domid_t domid;
	unsigned int handle;
	struct mutex lock;			/* connect/disconnect, state */

	/* the queue */
	struct xen_netif_tx_back_ring tx;
	struct xen_netif_rx_back_ring rx;
	void *tx_addr, *rx_addr;
	int tx_irq, rx_irq;			/* equal without split channels */
	struct task_struct *task;
	wait_queue_head_t wq;
	unsigned long flags;			/* NETBK_* bits */
	bool connected;

	/* dom0 -> guest: skbs waiting for rx slots */
	struct sk_buff_head rx_queue;
	unsigned int rx_queue_max;		/* bytes */
	atomic_t rx_queued_bytes;
	unsigned long rx_last_progress;		/* jiffies */

	/* what the frontend takes */
	bool fe_sg, fe_gso_v4, fe_gso_v6, fe_csum, fe_ipv6_csum;

	/* the rate limit on the guest's sending (tx ring) */
	u64 credit_bytes;			/* per interval; 0: none */
	u32 credit_usec;
	u64 remaining_credit;
	unsigned long credit_next;		/* jiffies of the next refill */
	struct timer_list credit_timer;

	/* hotplug-status and rate, watched in the backend directory */
	struct hvx_xenbus_watch hotplug_watch, rate_watch;
	bool hotplug_connected;

	struct netbk_stats stats;

	/* batch state (the thread only) */
	struct hvx_gnttab_copy ops[NETBK_COPY_OPS];
	struct netbk_tx_pending tx_pend[NETBK_TX_BATCH];
	struct netbk_rx_slot rx_slots[NETBK_COPY_OPS / 2];
	struct sk_buff_head rx_done;
	struct page *bounce[NETBK_RX_BOUNCE_PAGES];
};

/* interface.c */
struct netbk_vif *netbk_vif_create(struct hvx_xenbus_device *dev, hvx_domid_t domid,
				   unsigned int handle);
void netbk_vif_free(struct netbk_vif *vif);
int netbk_vif_connect(struct netbk_vif *vif, hvx_grant_ref_t tx_ref,
		      hvx_grant_ref_t rx_ref, hvx_evtchn_port_t tx_port,
		      hvx_evtchn_port_t rx_port);
void netbk_vif_disconnect(struct netbk_vif *vif);
void netbk_vif_set_rate(struct netbk_vif *vif, u64 bytes, u32 usec);
void netbk_vif_carrier(struct netbk_vif *vif);

/* datapath.c: the data path */
int netbk_thread(void *data);
void netbk_kick(struct netbk_vif *vif, int what);
void netbk_fatal(struct netbk_vif *vif, const char *why);
void netbk_credit_timer(struct timer_list *t);

#endif /* NETBACK_COMMON_H */
