/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * netif.h: Xen's network split-driver protocol (io/netif.h), the layouts
 * byte for byte, written for this suite. netfront (domU) grants one tx
 * and one rx ring page per queue (ring.h layout); netback (dom0) answers.
 *
 *   tx ring: the guest sends. A packet is one request for the first slot
 *            (size = the whole packet), optional extra-info slots, then
 *            one request per further slot (size = that slot's bytes),
 *            chained with XEN_NETTXF_more_data. Every request gets a
 *            response with its id; extra-info slots get XEN_NETIF_RSP_NULL.
 *   rx ring: the guest posts empty granted pages (id, gref); the backend
 *            copies a packet into them and answers with offset, flags and
 *            status (> 0: bytes in this slot, < 0: an error).
 *   ctrl ring (feature-ctrl-ring): hash configuration, request/response.
 *
 * The same header builds in the kernel and in host unit tests.
 */
#ifndef XEN_HVX_NETIF_H
#define XEN_HVX_NETIF_H

#include "ring.h"

/* A backend takes packets of up to this many slots from any frontend. */
#define XEN_NETIF_NR_SLOTS_MIN		18

/* The largest packet the tx ring carries (size is a u16). */
#define XEN_NETIF_MAX_TX_SIZE		0xFFFF

/* The largest xdp headroom a frontend may ask for. */
#define XEN_NETIF_MAX_XDP_HEADROOM	0x7FFF

/* ---- tx ------------------------------------------------------------------- */

#define _XEN_NETTXF_csum_blank		0	/* checksum still to fill in */
#define XEN_NETTXF_csum_blank		(1U << _XEN_NETTXF_csum_blank)
#define _XEN_NETTXF_data_validated	1	/* checksum known good */
#define XEN_NETTXF_data_validated	(1U << _XEN_NETTXF_data_validated)
#define _XEN_NETTXF_more_data		2	/* another slot follows */
#define XEN_NETTXF_more_data		(1U << _XEN_NETTXF_more_data)
#define _XEN_NETTXF_extra_info		3	/* an extra-info slot follows */
#define XEN_NETTXF_extra_info		(1U << _XEN_NETTXF_extra_info)

struct xen_netif_tx_request {
	u32 gref;			/* the granted page holding the data */
	u16 offset;			/* where the data starts in it */
	u16 flags;			/* XEN_NETTXF_* */
	u16 id;				/* echoed in the response */
	u16 size;			/* first slot: the packet; others: the slot */
};

/* ---- extra info (in a tx or rx slot, after a request/response) ------------- */

#define XEN_NETIF_EXTRA_TYPE_NONE	0	/* never valid */
#define XEN_NETIF_EXTRA_TYPE_GSO	1	/* u.gso */
#define XEN_NETIF_EXTRA_TYPE_MCAST_ADD	2	/* u.mcast */
#define XEN_NETIF_EXTRA_TYPE_MCAST_DEL	3	/* u.mcast */
#define XEN_NETIF_EXTRA_TYPE_HASH	4	/* u.hash */
#define XEN_NETIF_EXTRA_TYPE_XDP	5	/* u.xdp */
#define XEN_NETIF_EXTRA_TYPE_MAX	6

#define _XEN_NETIF_EXTRA_FLAG_MORE	0	/* another extra slot follows */
#define XEN_NETIF_EXTRA_FLAG_MORE	(1U << _XEN_NETIF_EXTRA_FLAG_MORE)

#define XEN_NETIF_GSO_TYPE_NONE		0
#define XEN_NETIF_GSO_TYPE_TCPV4	1
#define XEN_NETIF_GSO_TYPE_TCPV6	2

struct xen_netif_extra_info {
	u8 type;			/* XEN_NETIF_EXTRA_TYPE_* */
	u8 flags;			/* XEN_NETIF_EXTRA_FLAG_* */
	union {
		struct {
			u16 size;	/* MSS: payload bytes per segment */
			u8 type;	/* XEN_NETIF_GSO_TYPE_* */
			u8 pad;
			u16 features;	/* none defined: 0 */
		} gso;
		struct {
			u8 addr[6];	/* a multicast MAC address */
		} mcast;
		struct {
			u8 type;	/* _XEN_NETIF_CTRL_HASH_TYPE_* (bit number) */
			u8 algorithm;	/* XEN_NETIF_CTRL_HASH_ALGORITHM_* */
			u8 value[4];	/* little endian */
		} hash;
		struct {
			u16 headroom;
			u16 pad[2];
		} xdp;
		u16 pad[3];
	} u;
};

/* ---- tx responses ---------------------------------------------------------- */

#define XEN_NETIF_RSP_DROPPED		-2
#define XEN_NETIF_RSP_ERROR		-1
#define XEN_NETIF_RSP_OKAY		0
#define XEN_NETIF_RSP_NULL		1	/* the answer to an extra slot */

struct xen_netif_tx_response {
	u16 id;
	s16 status;			/* XEN_NETIF_RSP_* */
};

/* ---- rx ------------------------------------------------------------------- */

struct xen_netif_rx_request {
	u16 id;				/* echoed in the response */
	u16 pad;
	u32 gref;			/* a whole page the backend may write */
};

#define _XEN_NETRXF_data_validated	0
#define XEN_NETRXF_data_validated	(1U << _XEN_NETRXF_data_validated)
#define _XEN_NETRXF_csum_blank		1
#define XEN_NETRXF_csum_blank		(1U << _XEN_NETRXF_csum_blank)
#define _XEN_NETRXF_more_data		2
#define XEN_NETRXF_more_data		(1U << _XEN_NETRXF_more_data)
#define _XEN_NETRXF_extra_info		3
#define XEN_NETRXF_extra_info		(1U << _XEN_NETRXF_extra_info)
#define _XEN_NETRXF_gso_prefix		4
#define XEN_NETRXF_gso_prefix		(1U << _XEN_NETRXF_gso_prefix)

struct xen_netif_rx_response {
	u16 id;
	u16 offset;			/* where the data starts in the page */
	u16 flags;			/* XEN_NETRXF_* */
	s16 status;			/* > 0: bytes; <= 0: XEN_NETIF_RSP_* */
};

/* ---- ctrl ring (feature-ctrl-ring) ------------------------------------------ */

/* Hash types: bit numbers (in extra info) and masks (in SET_HASH_FLAGS). */
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV4		0
#define XEN_NETIF_CTRL_HASH_TYPE_IPV4		(1U << _XEN_NETIF_CTRL_HASH_TYPE_IPV4)
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP	1
#define XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP	(1U << _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP)
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV6		2
#define XEN_NETIF_CTRL_HASH_TYPE_IPV6		(1U << _XEN_NETIF_CTRL_HASH_TYPE_IPV6)
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP	3
#define XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP	(1U << _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP)

#define XEN_NETIF_CTRL_HASH_ALGORITHM_NONE	0
#define XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ	1

#define XEN_NETIF_CTRL_TYPE_INVALID			0
#define XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS		1
#define XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS		2
#define XEN_NETIF_CTRL_TYPE_SET_HASH_KEY		3	/* gref, len */
#define XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE	4
#define XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE	5	/* entries */
#define XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING		6	/* gref, len, off */
#define XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM		7
#define XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE	8
#define XEN_NETIF_CTRL_TYPE_ADD_GREF_MAPPING		9
#define XEN_NETIF_CTRL_TYPE_DEL_GREF_MAPPING		10

#define XEN_NETIF_CTRL_STATUS_SUCCESS		0
#define XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED	1
#define XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER	2
#define XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW	3

struct xen_netif_ctrl_request {
	u16 id;
	u16 type;			/* XEN_NETIF_CTRL_TYPE_* */
	u32 data[3];
};

struct xen_netif_ctrl_response {
	u16 id;
	u16 type;
	u32 status;			/* XEN_NETIF_CTRL_STATUS_* */
	u32 data;
};

/* ---- rings ----------------------------------------------------------------- */

HVX_DEFINE_RING_TYPES(xen_netif_tx, struct xen_netif_tx_request,
		      struct xen_netif_tx_response);
HVX_DEFINE_RING_TYPES(xen_netif_rx, struct xen_netif_rx_request,
		      struct xen_netif_rx_response);
HVX_DEFINE_RING_TYPES(xen_netif_ctrl, struct xen_netif_ctrl_request,
		      struct xen_netif_ctrl_response);

/* One-page rings, as every netfront uses: 256, 256 and 128 entries. */
#define XEN_NETIF_PAGE_BYTES	4096
#define XEN_NETIF_TX_RING_SIZE	\
	HVX_RING_ENTRIES(struct xen_netif_tx_sring, XEN_NETIF_PAGE_BYTES)
#define XEN_NETIF_RX_RING_SIZE	\
	HVX_RING_ENTRIES(struct xen_netif_rx_sring, XEN_NETIF_PAGE_BYTES)
#define XEN_NETIF_CTRL_RING_SIZE	\
	HVX_RING_ENTRIES(struct xen_netif_ctrl_sring, XEN_NETIF_PAGE_BYTES)

/* Layout checks: these are the wire sizes. */
_Static_assert(sizeof(struct xen_netif_tx_request) == 12, "tx request");
_Static_assert(sizeof(struct xen_netif_extra_info) == 8, "extra info");
_Static_assert(sizeof(struct xen_netif_tx_response) == 4, "tx response");
_Static_assert(sizeof(struct xen_netif_rx_request) == 8, "rx request");
_Static_assert(sizeof(struct xen_netif_rx_response) == 8, "rx response");
_Static_assert(sizeof(struct xen_netif_ctrl_request) == 16, "ctrl request");
_Static_assert(sizeof(struct xen_netif_ctrl_response) == 12, "ctrl response");

#endif /* XEN_HVX_NETIF_H */
