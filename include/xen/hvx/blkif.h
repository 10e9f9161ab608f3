/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * blkif.h: the block split-driver protocol, byte for byte Xen's io/blkif.h
 * as laid out on x86_64 (facts: operation codes, struct offsets, status
 * codes, VDISK_* bits, store key names), written for this suite.
 *
 *   request (112 bytes, packed):
 *     0 operation  1 nr_segments  2 handle  4 pad  8 id  16 sector_number
 *     24 seg[11] (8 bytes each: gref, first_sect, last_sect, 2 pad)
 *   indirect request (64 bytes used):
 *     0 operation=INDIRECT  1 indirect_op  2 nr_segments (u16)  8 id
 *     16 sector_number  24 handle  28 indirect_grefs[8]
 *   discard: 0 operation  1 flag  8 id  16 sector_number  24 nr_sectors
 *   response (16 bytes): 0 id  8 operation  10 status
 *
 * A page holds 32 ring slots; an indirect page holds 512 segments.
 * Builds in the kernel and in host unit tests (which supply u8..u64).
 */
#ifndef XEN_HVX_BLKIF_H
#define XEN_HVX_BLKIF_H

#ifdef __KERNEL__
#include <linux/types.h>
#elif !defined(__packed)
#define __packed __attribute__((__packed__))
#endif
#include "ring.h"

typedef u16 hvx_blkif_vdev_t;
typedef u64 hvx_blkif_sector_t;

/* Operations. */
#define HVX_BLKIF_OP_READ		0
#define HVX_BLKIF_OP_WRITE		1
#define HVX_BLKIF_OP_WRITE_BARRIER	2
#define HVX_BLKIF_OP_FLUSH_DISKCACHE	3
#define HVX_BLKIF_OP_RESERVED_1		4
#define HVX_BLKIF_OP_DISCARD		5
#define HVX_BLKIF_OP_INDIRECT		6

/* Segments in a direct request; grant refs of indirect pages. */
#define HVX_BLKIF_MAX_SEGMENTS_PER_REQUEST	11
#define HVX_BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST 8

/* Sectors are 512 bytes on the wire, whatever the disk's sector size. */
#define HVX_BLKIF_SECTOR_SHIFT		9
#define HVX_BLKIF_SECTOR_SIZE		512
#define HVX_BLKIF_SECTORS_PER_PAGE	8	/* 4 KiB pages */

/* Discard flag. */
#define HVX_BLKIF_DISCARD_SECURE	(1 << 0)

/* Response status. */
#define HVX_BLKIF_RSP_EOPNOTSUPP	(-2)
#define HVX_BLKIF_RSP_ERROR		(-1)
#define HVX_BLKIF_RSP_OKAY		0

/* The backend's "info" bits. */
#define HVX_VDISK_CDROM		0x1
#define HVX_VDISK_REMOVABLE	0x2
#define HVX_VDISK_READONLY	0x4

struct hvx_blkif_request_segment {
	u32 gref;
	u8 first_sect;			/* 0..7, within the page */
	u8 last_sect;			/* first_sect..7, inclusive */
};

/* Segments in one indirect page (4 KiB / 8). */
#define HVX_BLKIF_SEGS_PER_INDIRECT_FRAME \
	(4096 / sizeof(struct hvx_blkif_request_segment))

struct hvx_blkif_request_rw {
	u8 nr_segments;
	hvx_blkif_vdev_t handle;
	u32 _pad1;
	u64 id;
	hvx_blkif_sector_t sector_number;
	struct hvx_blkif_request_segment seg[HVX_BLKIF_MAX_SEGMENTS_PER_REQUEST];
} __packed;

struct hvx_blkif_request_discard {
	u8 flag;			/* HVX_BLKIF_DISCARD_SECURE or 0 */
	hvx_blkif_vdev_t _pad1;
	u32 _pad2;
	u64 id;
	hvx_blkif_sector_t sector_number;
	u64 nr_sectors;
	u8 _pad3;
} __packed;

struct hvx_blkif_request_other {
	u8 _pad1;
	hvx_blkif_vdev_t _pad2;
	u32 _pad3;
	u64 id;
} __packed;

struct hvx_blkif_request_indirect {
	u8 indirect_op;
	u16 nr_segments;
	u32 _pad1;
	u64 id;
	hvx_blkif_sector_t sector_number;
	hvx_blkif_vdev_t handle;
	u16 _pad2;
	u32 indirect_grefs[HVX_BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	u32 _pad3;
} __packed;

struct hvx_blkif_request {
	u8 operation;
	union {
		struct hvx_blkif_request_rw rw;
		struct hvx_blkif_request_discard discard;
		struct hvx_blkif_request_other other;
		struct hvx_blkif_request_indirect indirect;
	} u;
} __packed;

struct hvx_blkif_response {
	u64 id;
	u8 operation;
	s16 status;
};

HVX_DEFINE_RING_TYPES(hvx_blkif, struct hvx_blkif_request,
		      struct hvx_blkif_response);

/* Ring pages: max-ring-page-order up to 4 (16 pages, 512 slots). */
#define HVX_BLKIF_MAX_RING_PAGE_ORDER	4
#define HVX_BLKIF_MAX_RING_PAGES	(1U << HVX_BLKIF_MAX_RING_PAGE_ORDER)
#define HVX_BLKIF_RING_SIZE(pages) \
	HVX_RING_ENTRIES(struct hvx_blkif_sring, (pages) * 4096)

/* Xen's virtual device numbers (xvd: major 202, 16 minors per disk). */
#define HVX_XEN_IDE0_MAJOR	3
#define HVX_XEN_IDE1_MAJOR	22
#define HVX_XEN_SCSI_DISK0_MAJOR 8
#define HVX_XEN_XVD_MAJOR	202
#define HVX_XEN_EXT_FLAG	(1U << 28)	/* extended: disk << 8 | part */

/* The protocol string this suite's frontends write (Xen's x86_64 ABI). */
#define HVX_BLKIF_PROTOCOL_X86_64	"x86_64-abi"

#endif /* XEN_HVX_BLKIF_H */
