// SPDX-License-Identifier: GPL-2.0-only
/*
 * maptrack.c: handles of dom0's grant mappings (see maptrack.h). Record
 * i is record i % PER_PAGE of page i / PER_PAGE; its handle is i + 1 (0
 * is never a handle). Free records form a stack, so the one given back
 * last is taken first, still warm in the cache.
 */
#define pr_fmt(fmt) "hv: " fmt

#include <linux/bits.h>
#include <linux/bug.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "maptrack.h"

#define PER_PAGE	(PAGE_SIZE / sizeof(struct xhv_grant_mapping))
/* At most this many records (16 GiB of 4 KiB pages mapped at once). */
#define MAX_RECORDS	BIT(22)
#define NO_RECORD	U32_MAX

static struct xhv_grant_mapping **pages;
static u32 nr_pages, max_pages;	/* pages[] in use, and its room */
static u32 free_head = NO_RECORD;

static struct xhv_grant_mapping *record(u32 i)
{
	return &pages[i / PER_PAGE][i % PER_PAGE];
}

/* One more page of free records; false when out of memory or room. */
static bool grow(void)
{
	struct xhv_grant_mapping *page;
	u32 i, first;

	if ((u64)(nr_pages + 1) * PER_PAGE > MAX_RECORDS)
		return false;
	if (nr_pages == max_pages) {
		u32 room = max_pages ? max_pages * 2 : 8;
		struct xhv_grant_mapping **bigger;

		bigger = krealloc_array(pages, room, sizeof(*pages), GFP_KERNEL);
		if (!bigger)
			return false;
		pages = bigger;
		max_pages = room;
	}
	page = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!page)
		return false;
	pages[nr_pages] = page;
	first = nr_pages * PER_PAGE;
	nr_pages++;
	/* Pushed last to first: the lowest index is taken first. */
	for (i = PER_PAGE; i-- > 0;) {
		page[i].next_free = free_head;
		free_head = first + i;
	}
	return true;
}

struct xhv_grant_mapping *xhv_maptrack_take(u32 *handle)
{
	struct xhv_grant_mapping *m;
	u32 i;

	if (free_head == NO_RECORD && !grow())
		return NULL;
	i = free_head;
	m = record(i);
	free_head = m->next_free;
	*m = (struct xhv_grant_mapping){ .next_free = NO_RECORD };
	*handle = i + 1;
	return m;
}

struct xhv_grant_mapping *xhv_maptrack_find(u32 handle)
{
	struct xhv_grant_mapping *m;

	if (!handle || handle - 1 >= nr_pages * PER_PAGE)
		return NULL;
	m = record(handle - 1);
	return m->granter ? m : NULL;
}

void xhv_maptrack_give_back(u32 handle)
{
	struct xhv_grant_mapping *m = record(handle - 1);

	m->granter = NULL;
	m->page = NULL;
	m->next_free = free_head;
	free_head = handle - 1;
}

void xhv_maptrack_exit(void)
{
	u32 i, j;

	for (i = 0; i < nr_pages; i++) {
		for (j = 0; j < PER_PAGE; j++)
			WARN_ON_ONCE(pages[i][j].granter);
		kfree(pages[i]);
	}
	kfree(pages);
	pages = NULL;
	nr_pages = 0;
	max_pages = 0;
	free_head = NO_RECORD;
}
