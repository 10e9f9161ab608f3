// SPDX-License-Identifier: GPL-2.0-only
/*
 * maptrack_test.c: hv.ko's table of dom0's grant mappings
 * (hv/kernel/maptrack.c) on the host: handles are never 0 and name
 * only live records, the table grows a page at a time past its first
 * page, a freed record is the next one taken, a failed allocation
 * leaves the table as it was, and unknown or freed handles find nothing.
 */
#include "kernel_shim.h"
#include "unit.h"
#include "../../hv/kernel/maptrack.c"

/* Any non-NULL domain pointer: the table never looks inside. */
static struct xhv_domain *const dom = (struct xhv_domain *)&free_head;

static struct xhv_grant_mapping *take_live(u32 *handle)
{
	struct xhv_grant_mapping *m = xhv_maptrack_take(handle);

	if (m)
		m->granter = dom;
	return m;
}

static void handles_start_at_one_and_name_live_records(void)
{
	struct xhv_grant_mapping *m;
	u32 h, h2;

	m = xhv_maptrack_take(&h);
	EXPECT(m && h == 1);
	/* Taken, not live yet: a guessed handle finds nothing. */
	EXPECT(!xhv_maptrack_find(h));
	m->granter = dom;
	m->ref = 7;
	EXPECT(xhv_maptrack_find(h) == m && xhv_maptrack_find(h)->ref == 7);
	EXPECT(take_live(&h2) && h2 == 2);
	EXPECT(!xhv_maptrack_find(0));
	EXPECT(!xhv_maptrack_find(3));
	EXPECT(!xhv_maptrack_find(U32_MAX));
	xhv_maptrack_give_back(h);
	xhv_maptrack_give_back(h2);
	EXPECT(!xhv_maptrack_find(h) && !xhv_maptrack_find(h2));
	xhv_maptrack_exit();
}

static void freed_records_are_taken_first_and_zeroed(void)
{
	struct xhv_grant_mapping *m;
	u32 h[4], again;
	int i;

	for (i = 0; i < 4; i++)
		EXPECT(take_live(&h[i]));
	xhv_maptrack_find(h[2])->frame = 99;
	xhv_maptrack_give_back(h[2]);
	xhv_maptrack_give_back(h[0]);
	m = xhv_maptrack_take(&again);
	EXPECT(m && again == h[0]);
	m = xhv_maptrack_take(&again);
	EXPECT(m && again == h[2] && m->frame == 0 && !m->granter && !m->page);
	/* Still live: the ones never given back. */
	EXPECT(xhv_maptrack_find(h[1]) && xhv_maptrack_find(h[3]));
	xhv_maptrack_give_back(h[1]);
	xhv_maptrack_give_back(h[3]);
	xhv_maptrack_exit();
}

static void the_table_grows_past_a_page(void)
{
	enum { N = 3 * PER_PAGE + 5 };
	static u32 h[N];
	u32 i;
	int wrong = 0;

	for (i = 0; i < N; i++) {
		struct xhv_grant_mapping *m = take_live(&h[i]);

		if (!m || h[i] != i + 1)
			wrong++;
		else
			m->ref = i;
	}
	EXPECT(!wrong);
	EXPECT(nr_pages == 4);
	for (i = 0; i < N; i++)
		if (!xhv_maptrack_find(h[i]) || xhv_maptrack_find(h[i])->ref != i)
			wrong++;
	EXPECT(!wrong);
	EXPECT(!xhv_maptrack_find(4 * PER_PAGE + 1));
	for (i = 0; i < N; i++)
		xhv_maptrack_give_back(h[i]);
	for (i = 0; i < N; i++)
		if (xhv_maptrack_find(h[i]))
			wrong++;
	EXPECT(!wrong);
	xhv_maptrack_exit();
	EXPECT(!pages && !nr_pages);
}

static void out_of_memory_leaves_the_table_as_it_was(void)
{
	u32 h, i, first = 0;
	int wrong = 0;

	unit_alloc_fails = true;
	EXPECT(!xhv_maptrack_take(&h));
	unit_alloc_fails = false;
	EXPECT(take_live(&first) && first == 1);
	/* Fill the first page, then fail to grow a second. */
	for (i = 1; i < PER_PAGE; i++)
		if (!take_live(&h) || h != i + 1)
			wrong++;
	EXPECT(!wrong);
	unit_alloc_fails = true;
	EXPECT(!xhv_maptrack_take(&h));
	EXPECT(nr_pages == 1);
	unit_alloc_fails = false;
	EXPECT(take_live(&h) && h == PER_PAGE + 1);
	xhv_maptrack_give_back(h);
	for (i = 1; i <= PER_PAGE; i++)
		xhv_maptrack_give_back(i);
	xhv_maptrack_exit();
}

static void exit_warns_about_live_records(void)
{
	u32 h;
	int before = unit_warnings;

	EXPECT(take_live(&h));
	xhv_maptrack_exit();
	EXPECT(unit_warnings == before + 1);
}

int main(void)
{
	RUN(handles_start_at_one_and_name_live_records);
	RUN(freed_records_are_taken_first_and_zeroed);
	RUN(the_table_grows_past_a_page);
	RUN(out_of_memory_leaves_the_table_as_it_was);
	RUN(exit_warns_about_live_records);
	return UNIT_EXIT();
}
