/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * maptrack.h: the records of dom0's grant mappings, found by handle.
 * Handles index a table that grows a page of records at a time and keeps
 * its free records on a list, as Xen's maptrack does: taking and giving
 * back a handle is a pop and a push under the caller's lock, with no
 * allocation once the table has grown to the mappings in use.
 */
#ifndef HV_KERNEL_MAPTRACK_H
#define HV_KERNEL_MAPTRACK_H

#include <linux/types.h>

struct page;
struct xhv_domain;

struct xhv_grant_mapping {
	struct xhv_domain *granter;	/* referenced; NULL while free */
	struct page *page;		/* referenced */
	u32 ref;
	u32 frame;			/* the granted frame, as mapped */
	u32 next_free;			/* the free list's next index */
	bool readonly;
};

/*
 * All under one lock the caller holds (grant.c's maptrack_lock).
 * xhv_maptrack_take: a free record (zeroed but for its index) and its
 * handle (>= 1), or NULL when out of memory or past the table's limit.
 * A record is live from the caller setting granter until
 * xhv_maptrack_give_back(), which the caller calls once it is done
 * with it.
 */
struct xhv_grant_mapping *xhv_maptrack_take(u32 *handle);
/* A live record by handle, or NULL for a handle that names none. */
struct xhv_grant_mapping *xhv_maptrack_find(u32 handle);
void xhv_maptrack_give_back(u32 handle);
/* Module exit: every record is free; the table goes. */
void xhv_maptrack_exit(void);

#endif /* HV_KERNEL_MAPTRACK_H */
