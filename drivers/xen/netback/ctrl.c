// SPDX-License-Identifier: GPL-2.0-only
/*
 * ctrl.c: netif's control ring (feature-ctrl-ring): the frontend sets the
 * hash netback uses to spread dom0's packets over the guest's queues
 * (algorithm Toeplitz, hash types, key, mapping table). Requests are
 * handled in a work item (grant copies sleep), each copied out of the
 * ring once, then checked; an impossible req_prod stops the ring.
 */
#define pr_fmt(fmt) "netback: " fmt

#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include "common.h"

static const u32 netbk_hash_types = XEN_NETIF_CTRL_HASH_TYPE_IPV4 |
				    XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP;

/* Copy @len bytes at offset 0 of the frontend's @gref into ctrl->page. */
static bool ctrl_copy_in(struct netbk_vif *vif, u32 gref, u32 len)
{
	struct netbk_ctrl *c = &vif->ctrl;
	struct hvx_gnttab_copy op = {
		.source.u.ref = gref,
		.source.domid = vif->domid,
		.dest.u.gmfn = hvx_page_to_gfn(c->page),
		.dest.domid = HVX_DOMID_SELF,
		.len = len,
		.flags = HVX_GNTCOPY_source_gref,
	};

	if (!len)
		return true;
	return !hvx_gnttab_copy(&op, 1) && op.status == HVX_GNTST_okay;
}

static u32 ctrl_handle(struct netbk_vif *vif, const struct xen_netif_ctrl_request *req,
		       u32 *data)
{
	struct netbk_ctrl *c = &vif->ctrl;
	u32 i, n;

	*data = 0;
	switch (req->type) {
	case XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM:
		if (req->data[0] != XEN_NETIF_CTRL_HASH_ALGORITHM_NONE &&
		    req->data[0] != XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ)
			return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
		WRITE_ONCE(c->flags, 0);
		WRITE_ONCE(c->alg, req->data[0]);
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	case XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS:
		if (c->alg == XEN_NETIF_CTRL_HASH_ALGORITHM_NONE)
			return XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
		*data = netbk_hash_types;
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS:
		if (c->alg == XEN_NETIF_CTRL_HASH_ALGORITHM_NONE)
			return XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
		if (req->data[0] & ~netbk_hash_types)
			return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
		WRITE_ONCE(c->flags, req->data[0]);
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_KEY:
		if (req->data[1] > NETBK_HASH_KEY_MAX)
			return XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW;
		if (!ctrl_copy_in(vif, req->data[0], req->data[1]))
			return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
		/* octets not given are zero; the copy may race a hash: harmless */
		memset(c->key, 0, sizeof(c->key));
		memcpy(c->key, page_address(c->page), req->data[1]);
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	case XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE:
		*data = NETBK_HASH_MAP_MAX;
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE:
		if (req->data[0] > NETBK_HASH_MAP_MAX)
			return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
		WRITE_ONCE(c->size, 0);
		for (i = 0; i < NETBK_HASH_MAP_MAX; i++)
			WRITE_ONCE(c->mapping[i], 0);
		WRITE_ONCE(c->size, req->data[0]);
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING:
		n = req->data[1];
		if (!netbk_mapping_fits(req->data[2], n, c->size, PAGE_SIZE))
			return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
		if (!ctrl_copy_in(vif, req->data[0], n * sizeof(u32)))
			return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
		for (i = 0; i < n; i++)
			if (((u32 *)page_address(c->page))[i] >= vif->nr_queues)
				return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
		for (i = 0; i < n; i++)
			WRITE_ONCE(c->mapping[req->data[2] + i],
				   ((u32 *)page_address(c->page))[i]);
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	default:
		return XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
	}
}

static void ctrl_work(struct work_struct *work)
{
	struct netbk_vif *vif = container_of(work, struct netbk_vif, ctrl.work);
	struct netbk_ctrl *c = &vif->ctrl;
	hvx_ring_idx_t prod;
	bool notify;
	int more;

	mutex_lock(&c->lock);
	if (!c->addr || c->broken)
		goto out;
	do {
		prod = hvx_ring_read_req_prod(&c->ring);
		if (!HVX_RING_REQ_PROD_VALID(&c->ring, prod)) {
			netdev_err(vif->netdev, "ctrl ring: req_prod %u impossible; ring stopped\n",
				   prod);
			c->broken = true;
			goto out;
		}
		virt_rmb();	/* requests after req_prod */
		while (c->ring.req_cons != prod) {
			struct xen_netif_ctrl_request req;
			struct xen_netif_ctrl_response *rsp;
			u32 status, data;

			HVX_RING_COPY_REQUEST(&c->ring, c->ring.req_cons, &req);
			c->ring.req_cons++;
			status = ctrl_handle(vif, &req, &data);
			rsp = HVX_RING_GET_RESPONSE(&c->ring, c->ring.rsp_prod_pvt);
			rsp->id = req.id;
			rsp->type = req.type;
			rsp->status = status;
			rsp->data = data;
			c->ring.rsp_prod_pvt++;
			c->handled++;
		}
		HVX_RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&c->ring, notify);
		if (notify)
			hvx_notify_remote_via_irq(c->irq);
		HVX_RING_FINAL_CHECK_FOR_REQUESTS(&c->ring, more);
	} while (more);
out:
	mutex_unlock(&c->lock);
}

static irqreturn_t ctrl_interrupt(int irq, void *dev_id)
{
	struct netbk_vif *vif = dev_id;

	schedule_work(&vif->ctrl.work);
	return IRQ_HANDLED;
}

void netbk_ctrl_init(struct netbk_vif *vif)
{
	mutex_init(&vif->ctrl.lock);
	INIT_WORK(&vif->ctrl.work, ctrl_work);
	vif->ctrl.irq = -1;
}

int netbk_ctrl_connect(struct netbk_vif *vif, hvx_grant_ref_t ref, hvx_evtchn_port_t port)
{
	struct netbk_ctrl *c = &vif->ctrl;
	int err;

	c->page = alloc_page(GFP_KERNEL);
	if (!c->page)
		return -ENOMEM;
	err = hvx_xenbus_map_ring_valloc(vif->dev, &ref, 1, &c->addr);
	if (err)
		goto fail;
	HVX_BACK_RING_INIT(&c->ring, (struct xen_netif_ctrl_sring *)c->addr, PAGE_SIZE);
	c->broken = false;
	c->alg = XEN_NETIF_CTRL_HASH_ALGORITHM_NONE;
	c->flags = 0;
	c->size = 0;
	memset(c->key, 0, sizeof(c->key));
	err = hvx_bind_interdomain_evtchn_to_irqhandler(vif->domid, port, ctrl_interrupt, 0,
							"vif-ctrl", vif);
	if (err < 0) {
		hvx_xenbus_dev_fatal(vif->dev, err, "binding ctrl event channel %u", port);
		goto fail;
	}
	c->irq = err;
	schedule_work(&c->work);
	return 0;
fail:
	netbk_ctrl_disconnect(vif);
	return err;
}

void netbk_ctrl_disconnect(struct netbk_vif *vif)
{
	struct netbk_ctrl *c = &vif->ctrl;

	if (c->irq >= 0)
		hvx_unbind_from_irqhandler(c->irq, vif);
	c->irq = -1;
	cancel_work_sync(&c->work);
	mutex_lock(&c->lock);
	if (c->addr)
		hvx_xenbus_unmap_ring_vfree(vif->dev, c->addr);
	c->addr = NULL;
	if (c->page)
		__free_page(c->page);
	c->page = NULL;
	WRITE_ONCE(c->alg, XEN_NETIF_CTRL_HASH_ALGORITHM_NONE);
	mutex_unlock(&c->lock);
}

/*
 * The frontend's hash of @skb (Toeplitz over the IPv4 addresses, and the
 * TCP ports when its flags ask), when it set one: true, with *l4 saying
 * whether the ports were in it.
 */
bool netbk_ctrl_hash(struct netbk_vif *vif, const struct sk_buff *skb, u32 *hashp, bool *l4)
{
	struct netbk_ctrl *c = &vif->ctrl;
	u32 flags = READ_ONCE(c->flags);
	u8 in[12];
	unsigned int len = 0;
	const struct iphdr *iph;
	struct iphdr ihbuf;

	if (READ_ONCE(c->alg) != XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ || !flags ||
	    skb->protocol != htons(ETH_P_IP))
		return false;
	iph = skb_header_pointer(skb, skb_network_offset(skb), sizeof(ihbuf), &ihbuf);
	if (!iph || iph->ihl < 5)
		return false;
	memcpy(in, &iph->saddr, 4);
	memcpy(in + 4, &iph->daddr, 4);
	len = 8;
	if ((flags & XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP) && iph->protocol == IPPROTO_TCP &&
	    !ip_is_fragment(iph)) {
		__be16 ports[2], *pp;

		pp = skb_header_pointer(skb, skb_network_offset(skb) + iph->ihl * 4,
					sizeof(ports), ports);
		if (pp) {
			memcpy(in + 8, pp, 4);
			len = 12;
		}
	}
	if (len == 8 && !(flags & XEN_NETIF_CTRL_HASH_TYPE_IPV4))
		return false;
	*hashp = netbk_toeplitz(c->key, NETBK_HASH_KEY_MAX, in, len);
	*l4 = len == 12;
	return true;
}

/* dom0 -> guest: the queue the frontend's hash picks, or -1 for the default. */
int netbk_ctrl_pick_queue(struct netbk_vif *vif, struct sk_buff *skb)
{
	struct netbk_ctrl *c = &vif->ctrl;
	u32 size, hash, nr = READ_ONCE(vif->nr_queues);
	bool l4;

	if (!nr || !netbk_ctrl_hash(vif, skb, &hash, &l4))
		return -1;
	skb_set_hash(skb, hash, l4 ? PKT_HASH_TYPE_L4 : PKT_HASH_TYPE_L3);
	size = READ_ONCE(c->size);
	if (size)
		return READ_ONCE(c->mapping[hash % size]) % nr;
	return hash % nr;
}
