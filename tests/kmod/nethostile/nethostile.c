// SPDX-License-Identifier: GPL-2.0-only
/*
 * nethostile.c: a hostile network frontend for the lab (scenario 81). It
 * binds to a guest's vif device in netfront's place (unbind netfront,
 * bind this), connects as a frontend would, then on demand sends one
 * malformed thing to netback: write a case name to the `run` parameter.
 * Results: `last_status` (the first response's status, or -100 when
 * none came within 2 s), `responses` (responses seen), `ok` (1 when the
 * outcome is the one the case expects: an error response for a dropped
 * packet, silence for a vif that disabled itself, OKAY for a good one).
 *
 * Cases: good short zero-frag frag-larger slots19 slots21 cross
 * bad-extra gso-size gso-type extra-chain flood prod-far rewrite,
 * mcast-bad (MCAST_ADD of a unicast or the broadcast address), mcast-full
 * (a 65th address; a DEL of an absent one), hash-rx (the control ring's
 * hash comes back as an rx extra: dom0 must send us IPv4 meanwhile), and on
 * the control ring (feature-ctrl-ring): ctrl-good, ctrl-wrap (table
 * offsets that wrap, a key too long, an unknown type), ctrl-prod-far.
 */
#define pr_fmt(fmt) "nethostile: " fmt

#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "../../../include/xen/hvx/netif.h"
#include "../../../include/xen/hvx/xenbus.h"

static int last_status, responses, ok;
module_param(last_status, int, 0444);
module_param(responses, int, 0444);
module_param(ok, int, 0444);
static bool connected;
module_param(connected, bool, 0444);

struct hostile {
	struct hvx_xenbus_device *dev;
	struct xen_netif_ctrl_front_ring ctrl;	/* when the backend offers one */
	int ctrl_ref;
	hvx_evtchn_port_t ctrl_port;
	int ctrl_irq;
	struct xen_netif_tx_front_ring tx;
	struct xen_netif_rx_front_ring rx;
	int tx_ref, rx_ref, data_ref;
	struct page *data;
	hvx_evtchn_port_t port;
	int irq;
};

static DEFINE_MUTEX(hostile_lock);
static struct hostile *the;		/* one device at a time */

static irqreturn_t hostile_event(int irq, void *dev_id)
{
	return IRQ_HANDLED;
}

static void hostile_release(struct hostile *h)
{
	connected = false;
	if (h->irq >= 0)
		hvx_unbind_from_irqhandler(h->irq, h);
	h->irq = -1;
	if (h->port)
		hvx_xenbus_free_evtchn(h->dev, h->port);
	h->port = 0;
	if (h->data_ref >= 0)
		hvx_gnttab_end_foreign_access(h->data_ref, h->data);
	else if (h->data)
		__free_page(h->data);
	h->data = NULL;
	if (h->tx_ref >= 0)
		hvx_gnttab_end_foreign_access(h->tx_ref, virt_to_page(h->tx.sring));
	if (h->rx_ref >= 0)
		hvx_gnttab_end_foreign_access(h->rx_ref, virt_to_page(h->rx.sring));
	h->tx_ref = h->rx_ref = h->data_ref = -1;
	h->tx.sring = NULL;
	h->rx.sring = NULL;
	if (h->ctrl_irq >= 0)
		hvx_unbind_from_irqhandler(h->ctrl_irq, h);
	h->ctrl_irq = -1;
	if (h->ctrl_port)
		hvx_xenbus_free_evtchn(h->dev, h->ctrl_port);
	h->ctrl_port = 0;
	if (h->ctrl_ref >= 0)
		hvx_gnttab_end_foreign_access(h->ctrl_ref, virt_to_page(h->ctrl.sring));
	h->ctrl_ref = -1;
	h->ctrl.sring = NULL;
}

/* The control ring, if the backend has feature-ctrl-ring; 0 or -errno. */
static int hostile_setup_ctrl(struct hostile *h)
{
	hvx_grant_ref_t ref;
	void *p;
	int err;

	if (!hvx_xenbus_read_unsigned(h->dev->otherend, "feature-ctrl-ring", 0))
		return 0;
	p = (void *)get_zeroed_page(GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	HVX_SHARED_RING_INIT((struct xen_netif_ctrl_sring *)p);
	HVX_FRONT_RING_INIT(&h->ctrl, (struct xen_netif_ctrl_sring *)p, PAGE_SIZE);
	err = hvx_xenbus_grant_ring(h->dev, p, 1, &ref);
	if (err) {
		free_page((unsigned long)p);
		h->ctrl.sring = NULL;
		return err;
	}
	h->ctrl_ref = ref;
	err = hvx_xenbus_alloc_evtchn(h->dev, &h->ctrl_port);
	if (err)
		return err;
	h->ctrl_irq = hvx_bind_evtchn_to_irqhandler(h->ctrl_port, hostile_event, 0,
						    "nethostile-ctrl", h);
	return h->ctrl_irq < 0 ? h->ctrl_irq : 0;
}

static void hostile_setup(struct hostile *h)
{
	struct hvx_xenbus_device *dev = h->dev;
	struct hvx_xenbus_transaction t;
	hvx_grant_ref_t ref;
	u8 *frame;
	void *p;
	int err;

	p = (void *)get_zeroed_page(GFP_KERNEL);
	if (!p)
		return;
	HVX_SHARED_RING_INIT((struct xen_netif_tx_sring *)p);
	HVX_FRONT_RING_INIT(&h->tx, (struct xen_netif_tx_sring *)p, PAGE_SIZE);
	if (hvx_xenbus_grant_ring(dev, p, 1, &ref)) {
		free_page((unsigned long)p);
		h->tx.sring = NULL;
		return;
	}
	h->tx_ref = ref;
	p = (void *)get_zeroed_page(GFP_KERNEL);
	if (!p)
		goto fail;
	HVX_SHARED_RING_INIT((struct xen_netif_rx_sring *)p);
	HVX_FRONT_RING_INIT(&h->rx, (struct xen_netif_rx_sring *)p, PAGE_SIZE);
	if (hvx_xenbus_grant_ring(dev, p, 1, &ref)) {
		free_page((unsigned long)p);
		h->rx.sring = NULL;
		goto fail;
	}
	h->rx_ref = ref;
	/* a broadcast frame of an experimental ethertype: harmless if delivered */
	h->data = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!h->data)
		goto fail;
	frame = page_address(h->data);
	eth_broadcast_addr(frame);
	frame[6] = 0x02;
	frame[12] = 0x88;
	frame[13] = 0xb5;
	memset(frame + 14, 0x5a, PAGE_SIZE - 14);
	err = hvx_gnttab_grant_foreign_access(dev->otherend_id, hvx_page_to_gfn(h->data), true);
	if (err < 0)
		goto fail;
	h->data_ref = err;
	if (hvx_xenbus_alloc_evtchn(dev, &h->port))
		goto fail;
	h->irq = hvx_bind_evtchn_to_irqhandler(h->port, hostile_event, 0, "nethostile", h);
	if (h->irq < 0)
		goto fail;
	if (hostile_setup_ctrl(h))
		goto fail;
	do {
		err = hvx_xenbus_transaction_start(&t);
		if (err)
			goto fail;
		err = hvx_xenbus_printf(t, dev->nodename, "tx-ring-ref", "%d", h->tx_ref) ?:
		      hvx_xenbus_printf(t, dev->nodename, "rx-ring-ref", "%d", h->rx_ref) ?:
		      hvx_xenbus_printf(t, dev->nodename, "event-channel", "%u", h->port) ?:
		      hvx_xenbus_write(t, dev->nodename, "request-rx-copy", "1") ?:
		      hvx_xenbus_write(t, dev->nodename, "feature-rx-notify", "1") ?:
		      hvx_xenbus_write(t, dev->nodename, "feature-sg", "1") ?:
		      (h->ctrl_ref >= 0 ?
		       hvx_xenbus_printf(t, dev->nodename, "ctrl-ring-ref", "%d", h->ctrl_ref) ?:
		       hvx_xenbus_printf(t, dev->nodename, "event-channel-ctrl", "%u",
					 h->ctrl_port) : 0);
		if (err) {
			hvx_xenbus_transaction_end(t, 1);
			goto fail;
		}
		err = hvx_xenbus_transaction_end(t, 0);
	} while (err == -EAGAIN);
	if (!err && !hvx_xenbus_switch_state(dev, HVX_XenbusStateConnected))
		return;
fail:
	hvx_xenbus_dev_fatal(dev, -EIO, "hostile frontend setup");
	hostile_release(h);
}

static void hostile_backend_changed(struct hvx_xenbus_device *dev,
				    enum hvx_xenbus_state state)
{
	struct hostile *h = dev_get_drvdata(&dev->dev);

	mutex_lock(&hostile_lock);
	switch (state) {
	case HVX_XenbusStateInitWait:
		if (dev->state == HVX_XenbusStateInitialising)
			hostile_setup(h);
		break;
	case HVX_XenbusStateConnected:
		connected = h->irq >= 0;
		break;
	case HVX_XenbusStateClosing:
	case HVX_XenbusStateClosed:
	case HVX_XenbusStateUnknown:
		if (dev->state != HVX_XenbusStateClosed &&
		    dev->state != HVX_XenbusStateInitialising) {
			hostile_release(h);
			hvx_xenbus_frontend_closed(dev);
		}
		break;
	default:
		break;
	}
	mutex_unlock(&hostile_lock);
}

/* ---- the cases ---------------------------------------------------------- */

static struct xen_netif_tx_request *next_req(struct hostile *h)
{
	return HVX_RING_GET_REQUEST(&h->tx, h->tx.req_prod_pvt++);
}

static void put_req(struct hostile *h, u16 off, u16 flags, u16 id, u16 size)
{
	struct xen_netif_tx_request *r = next_req(h);

	r->gref = h->data_ref;
	r->offset = off;
	r->flags = flags;
	r->id = id;
	r->size = size;
}

static void put_extra(struct hostile *h, u8 type, u8 flags, u16 gso_size, u8 gso_type)
{
	struct xen_netif_extra_info *x = (struct xen_netif_extra_info *)next_req(h);

	memset(x, 0, sizeof(*x));
	x->type = type;
	x->flags = flags;
	x->u.gso.size = gso_size;
	x->u.gso.type = gso_type;
}

/* A multicast control message: a dataless request and its extra slot. */
static void put_mcast(struct hostile *h, u16 id, u8 type, const u8 *addr)
{
	struct xen_netif_extra_info *x;

	put_req(h, 0, XEN_NETTXF_extra_info, id, 0);
	x = (struct xen_netif_extra_info *)next_req(h);
	memset(x, 0, sizeof(*x));
	x->type = type;
	ether_addr_copy(x->u.mcast.addr, addr);
}

static void push(struct hostile *h)
{
	bool notify;

	/* always notify: a hostile frontend ignores req_event */
	HVX_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&h->tx, notify);
	(void)notify;
	hvx_notify_remote_via_irq(h->irq);
}

/* Wait up to 2 s for responses; the first one's status goes to last_status. */
static void collect(struct hostile *h, unsigned int want)
{
	unsigned int waited = 0;
	bool first = true;

	last_status = -100;
	responses = 0;
	while (waited < 2000) {
		hvx_ring_idx_t prod = READ_ONCE(h->tx.sring->rsp_prod);

		virt_rmb();	/* responses after rsp_prod */
		while (h->tx.rsp_cons != prod) {
			struct xen_netif_tx_response *r =
				HVX_RING_GET_RESPONSE(&h->tx, h->tx.rsp_cons++);

			if (first) {
				last_status = r->status;
				first = false;
			}
			responses++;
		}
		if (responses >= want)
			return;
		msleep(20);
		waited += 20;
	}
}

struct rewrite_arg {
	struct hostile *h;
	struct xen_netif_tx_request *req;
};

static int rewriter(void *data)
{
	struct rewrite_arg *a = data;
	unsigned int i = 0;

	while (!kthread_should_stop()) {
		WRITE_ONCE(a->req->size, (i & 1) ? 0xffff : 60);
		WRITE_ONCE(a->req->flags, (i & 2) ? XEN_NETTXF_more_data : 0);
		WRITE_ONCE(a->req->offset, (i & 4) ? 4095 : 0);
		i++;
		cond_resched();
	}
	return 0;
}

/* One control message; its response status (-100: none within 2 s). */
static int ctrl_msg(struct hostile *h, u16 type, u32 d0, u32 d1, u32 d2)
{
	struct xen_netif_ctrl_request *r;
	unsigned int waited = 0;
	bool notify;

	if (!h->ctrl.sring)
		return -101;
	r = HVX_RING_GET_REQUEST(&h->ctrl, h->ctrl.req_prod_pvt++);
	r->id = (u16)h->ctrl.req_prod_pvt;
	r->type = type;
	r->data[0] = d0;
	r->data[1] = d1;
	r->data[2] = d2;
	HVX_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&h->ctrl, notify);
	(void)notify;
	hvx_notify_remote_via_irq(h->ctrl_irq);
	while (waited < 2000) {
		if (READ_ONCE(h->ctrl.sring->rsp_prod) != h->ctrl.rsp_cons) {
			struct xen_netif_ctrl_response *rsp;

			virt_rmb();	/* the response after rsp_prod */
			rsp = HVX_RING_GET_RESPONSE(&h->ctrl, h->ctrl.rsp_cons++);
			return rsp->status;
		}
		msleep(20);
		waited += 20;
	}
	return -100;
}

/*
 * hash-rx: set a Toeplitz hash on the control ring, post rx slots in a
 * page of our own, and wait up to 4 s for a packet (dom0 sends some)
 * whose first slot is followed by a HASH extra. last_status: the hash
 * type of that extra; responses: rx slots answered.
 */
static int hash_rx(struct hostile *h)
{
	struct page *pg;
	unsigned int i, waited = 0;
	bool found = false, notify;
	int ref, good;

	good = ctrl_msg(h, XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM,
			XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ, 0, 0) == XEN_NETIF_CTRL_STATUS_SUCCESS &&
	       ctrl_msg(h, XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS, XEN_NETIF_CTRL_HASH_TYPE_IPV4 |
			XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, 0, 0) == XEN_NETIF_CTRL_STATUS_SUCCESS &&
	       ctrl_msg(h, XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, h->data_ref, 40, 0) ==
			XEN_NETIF_CTRL_STATUS_SUCCESS;
	pg = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!pg)
		return -ENOMEM;
	ref = hvx_gnttab_grant_foreign_access(h->dev->otherend_id, hvx_page_to_gfn(pg), false);
	if (ref < 0) {
		__free_page(pg);
		return ref;
	}
	for (i = 0; i < 16; i++) {
		struct xen_netif_rx_request *r = HVX_RING_GET_REQUEST(&h->rx, h->rx.req_prod_pvt++);

		r->id = i;
		r->gref = ref;
	}
	HVX_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&h->rx, notify);
	(void)notify;
	hvx_notify_remote_via_irq(h->irq);
	last_status = -100;
	responses = 0;
	while (!found && waited < 4000) {
		hvx_ring_idx_t prod = READ_ONCE(h->rx.sring->rsp_prod);

		virt_rmb();	/* responses after rsp_prod */
		while (h->rx.rsp_cons != prod && !found) {
			struct xen_netif_rx_response r =
				READ_ONCE(*HVX_RING_GET_RESPONSE(&h->rx, h->rx.rsp_cons++));

			responses++;
			while ((r.flags & XEN_NETRXF_extra_info) && h->rx.rsp_cons != prod) {
				struct xen_netif_extra_info x = READ_ONCE(
					*(struct xen_netif_extra_info *)
					HVX_RING_GET_RESPONSE(&h->rx, h->rx.rsp_cons++));

				if (x.type == XEN_NETIF_EXTRA_TYPE_HASH &&
				    x.u.hash.algorithm == XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ) {
					last_status = x.u.hash.type;
					found = true;
				}
				if (!(x.flags & XEN_NETIF_EXTRA_FLAG_MORE))
					break;
			}
		}
		msleep(20);
		waited += 20;
	}
	hvx_gnttab_end_foreign_access(ref, pg);
	ok = good && found;
	return 0;
}

static int run_case(struct hostile *h, const char *c)
{
	unsigned int i;

	ok = 0;
	if (!strcmp(c, "good")) {
		put_req(h, 0, 0, 1, 60);
		push(h);
		collect(h, 1);
		ok = last_status == XEN_NETIF_RSP_OKAY;
	} else if (!strcmp(c, "short")) {
		put_req(h, 0, 0, 2, 10);
		push(h);
		collect(h, 1);
		ok = last_status == XEN_NETIF_RSP_ERROR;
	} else if (!strcmp(c, "zero-frag")) {
		put_req(h, 0, XEN_NETTXF_more_data, 3, 60);
		put_req(h, 0, 0, 4, 0);
		push(h);
		collect(h, 2);
		ok = last_status == XEN_NETIF_RSP_ERROR && responses == 2;
	} else if (!strcmp(c, "frag-larger")) {
		put_req(h, 0, XEN_NETTXF_more_data, 5, 100);
		put_req(h, 0, 0, 6, 200);
		push(h);
		collect(h, 2);
		ok = last_status == XEN_NETIF_RSP_ERROR && responses == 2;
	} else if (!strcmp(c, "slots19")) {
		put_req(h, 0, XEN_NETTXF_more_data, 7, 19 * 100);
		for (i = 1; i < 19; i++)
			put_req(h, 0, i < 18 ? XEN_NETTXF_more_data : 0, 7 + i, 100);
		push(h);
		collect(h, 19);
		ok = last_status == XEN_NETIF_RSP_ERROR && responses == 19;
	} else if (!strcmp(c, "slots21")) {
		put_req(h, 0, XEN_NETTXF_more_data, 30, 21 * 100);
		for (i = 1; i < 21; i++)
			put_req(h, 0, i < 20 ? XEN_NETTXF_more_data : 0, 30 + i, 100);
		push(h);
		collect(h, 1);
		ok = responses == 0;
	} else if (!strcmp(c, "cross")) {
		put_req(h, 4000, 0, 60, 200);
		push(h);
		collect(h, 1);
		ok = responses == 0;
	} else if (!strcmp(c, "bad-extra")) {
		put_req(h, 0, XEN_NETTXF_extra_info, 61, 60);
		put_extra(h, 9, 0, 0, 0);
		push(h);
		collect(h, 1);
		ok = responses == 0;
	} else if (!strcmp(c, "gso-size")) {
		put_req(h, 0, XEN_NETTXF_extra_info, 62, 60);
		put_extra(h, XEN_NETIF_EXTRA_TYPE_GSO, 0, 0, XEN_NETIF_GSO_TYPE_TCPV4);
		push(h);
		collect(h, 1);
		ok = responses == 0;
	} else if (!strcmp(c, "gso-type")) {
		put_req(h, 0, XEN_NETTXF_extra_info, 63, 60);
		put_extra(h, XEN_NETIF_EXTRA_TYPE_GSO, 0, 1400, 7);
		push(h);
		collect(h, 1);
		ok = responses == 0;
	} else if (!strcmp(c, "extra-chain")) {
		put_req(h, 0, XEN_NETTXF_extra_info, 64, 60);
		for (i = 0; i < 8; i++)
			put_extra(h, XEN_NETIF_EXTRA_TYPE_HASH, XEN_NETIF_EXTRA_FLAG_MORE, 0, 0);
		push(h);
		collect(h, 1);
		ok = responses == 0;
	} else if (!strcmp(c, "flood")) {
		/* events with nothing new on the ring, then one good packet */
		for (i = 0; i < 100000; i++) {
			hvx_notify_remote_via_irq(h->irq);
			if (!(i % 1000))
				cond_resched();
		}
		put_req(h, 0, 0, 65, 60);
		push(h);
		collect(h, 1);
		ok = last_status == XEN_NETIF_RSP_OKAY;
	} else if (!strcmp(c, "prod-far")) {
		WRITE_ONCE(h->tx.sring->req_prod, h->tx.req_prod_pvt + 10000);
		hvx_notify_remote_via_irq(h->irq);
		collect(h, 1);
		ok = responses == 0;
	} else if (!strcmp(c, "rewrite")) {
		struct rewrite_arg a = { .h = h };
		struct task_struct *t;

		/* a good request, published, then rewritten over and over */
		a.req = next_req(h);
		a.req->gref = h->data_ref;
		a.req->id = 66;
		a.req->size = 60;
		a.req->flags = 0;
		a.req->offset = 0;
		t = kthread_run(rewriter, &a, "nethostile-rw");
		if (IS_ERR(t))
			return PTR_ERR(t);
		for (i = 0; i < 50; i++) {
			push(h);
			usleep_range(10000, 12000);
		}
		kthread_stop(t);
		collect(h, 1);
		/* any single answer, or a disabled vif: what matters is dom0 */
		ok = 1;
	} else if (!strcmp(c, "mcast-bad")) {
		/* a unicast and a broadcast address cannot be listed */
		static const u8 uni[ETH_ALEN] = { 0x00, 0x16, 0x3e, 1, 2, 3 };
		u8 bcast[ETH_ALEN];

		put_mcast(h, 70, XEN_NETIF_EXTRA_TYPE_MCAST_ADD, uni);
		push(h);
		collect(h, 2);
		ok = last_status == XEN_NETIF_RSP_ERROR && responses == 2;
		eth_broadcast_addr(bcast);
		put_mcast(h, 71, XEN_NETIF_EXTRA_TYPE_MCAST_ADD, bcast);
		push(h);
		collect(h, 2);
		ok = ok && last_status == XEN_NETIF_RSP_ERROR && responses == 2;
	} else if (!strcmp(c, "mcast-full")) {
		/* 64 addresses fit, the 65th does not; a DEL of an absent one is fine */
		u8 addr[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x7f, 0x00, 0x00 };
		int first_bad = 0;

		for (i = 0; i < 64; i++) {
			addr[5] = i;
			put_mcast(h, 100 + i, XEN_NETIF_EXTRA_TYPE_MCAST_ADD, addr);
			push(h);
			collect(h, 2);
			if (last_status != XEN_NETIF_RSP_OKAY && !first_bad)
				first_bad = i + 1;
		}
		addr[5] = 64;
		put_mcast(h, 170, XEN_NETIF_EXTRA_TYPE_MCAST_ADD, addr);
		push(h);
		collect(h, 2);
		ok = !first_bad && last_status == XEN_NETIF_RSP_ERROR;
		addr[4] = 1;
		put_mcast(h, 171, XEN_NETIF_EXTRA_TYPE_MCAST_DEL, addr);
		push(h);
		collect(h, 2);
		ok = ok && last_status == XEN_NETIF_RSP_OKAY;
	} else if (!strcmp(c, "hash-rx")) {
		int err = hash_rx(h);

		if (err)
			return err;
	} else if (!strcmp(c, "ctrl-good")) {
		last_status = ctrl_msg(h, XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM,
				       XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ, 0, 0);
		responses = ctrl_msg(h, XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE, 0, 0, 0);
		ok = last_status == XEN_NETIF_CTRL_STATUS_SUCCESS &&
		     responses == XEN_NETIF_CTRL_STATUS_SUCCESS;
	} else if (!strcmp(c, "ctrl-wrap")) {
		/* a table of 128, then sub-tables whose offset + length wraps */
		last_status = ctrl_msg(h, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE, 128, 0, 0);
		ok = last_status == XEN_NETIF_CTRL_STATUS_SUCCESS &&
		     ctrl_msg(h, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, h->data_ref, 2,
			      0xffffffff) == XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER &&
		     ctrl_msg(h, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, h->data_ref,
			      0xffffffff, 1) == XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER &&
		     ctrl_msg(h, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, h->data_ref, 0x40000001,
			      0xc0000000) == XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER &&
		     ctrl_msg(h, XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, h->data_ref, 41, 0) ==
			XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW &&
		     ctrl_msg(h, 77, 0, 0, 0) == XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
	} else if (!strcmp(c, "ctrl-prod-far")) {
		if (!h->ctrl.sring)
			return -ENODEV;
		WRITE_ONCE(h->ctrl.sring->req_prod, h->ctrl.req_prod_pvt + 5000);
		hvx_notify_remote_via_irq(h->ctrl_irq);
		msleep(500);
		/* the ring is stopped; the data path still answers */
		put_req(h, 0, 0, 67, 60);
		push(h);
		collect(h, 1);
		ok = last_status == XEN_NETIF_RSP_OKAY;
	} else {
		return -EINVAL;
	}
	pr_info("case %s: first status %d, %d responses, %s\n", c, last_status, responses,
		ok ? "as expected" : "NOT as expected");
	return 0;
}

static int set_run(const char *val, const struct kernel_param *kp)
{
	char c[32];
	int err;

	strscpy(c, val, sizeof(c));
	strim(c);
	mutex_lock(&hostile_lock);
	if (!the || !connected)
		err = -ENOTCONN;
	else
		err = run_case(the, c);
	mutex_unlock(&hostile_lock);
	return err;
}

static const struct kernel_param_ops run_ops = { .set = set_run };
module_param_cb(run, &run_ops, NULL, 0200);
MODULE_PARM_DESC(run, "write a case name to send it");

static int hostile_probe(struct hvx_xenbus_device *dev, const struct hvx_xenbus_device_id *id)
{
	struct hostile *h;

	mutex_lock(&hostile_lock);
	if (the) {
		mutex_unlock(&hostile_lock);
		return -EBUSY;
	}
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h) {
		mutex_unlock(&hostile_lock);
		return -ENOMEM;
	}
	h->dev = dev;
	h->irq = -1;
	h->ctrl_irq = -1;
	h->ctrl_ref = -1;
	h->tx_ref = h->rx_ref = h->data_ref = -1;
	dev_set_drvdata(&dev->dev, h);
	the = h;
	mutex_unlock(&hostile_lock);
	if (dev->state != HVX_XenbusStateInitialising)
		hvx_xenbus_switch_state(dev, HVX_XenbusStateInitialising);
	return 0;
}

static void hostile_remove(struct hvx_xenbus_device *dev)
{
	struct hostile *h = dev_get_drvdata(&dev->dev);

	mutex_lock(&hostile_lock);
	hostile_release(h);
	the = NULL;
	mutex_unlock(&hostile_lock);
	kfree(h);
}

static const struct hvx_xenbus_device_id hostile_ids[] = {
	{ "vif" },
	{ "" }
};

static struct hvx_xenbus_driver hostile_driver = {
	.ids = hostile_ids,
	.probe = hostile_probe,
	.otherend_changed = hostile_backend_changed,
	.remove = hostile_remove,
};

static int __init hostile_init(void)
{
	return hvx_xenbus_register_frontend(&hostile_driver);
}

static void __exit hostile_exit(void)
{
	hvx_xenbus_unregister_driver(&hostile_driver);
}

module_init(hostile_init);
module_exit(hostile_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx test: a hostile network frontend");
