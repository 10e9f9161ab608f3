// SPDX-License-Identifier: GPL-2.0-only
/*
 * selftest.c: the core's self-tests, built only with CONFIG_HVX_DEBUG
 * (Kconfig HVX_DEBUG; out of tree "make modules HVX_DEBUG=1"). They run
 * once, when the store first answers, and exercise what every split
 * driver stands on, through the same calls the drivers make:
 *
 *   ring      the shared-ring macros of ring.h on one page: indices that
 *             wrap past 2^32, a full ring, impossible producers refused,
 *             notification only when the peer asked for it;
 *   grant     an entry written as the peer reads it (flags, domid,
 *             frame), ended, its ref reused; reserved and unknown refs
 *             refused;
 *   evtchn    a loopback pair (unbound port bound by ourselves), events
 *             both ways delivered to the handlers, the ports closed;
 *   store     a transaction that writes and reads back, a watch that
 *             fires for a write, the node removed.
 *
 * The log says "self-tests: N passed, M failed" and names each failed
 * check; the lab's in-tree run (scripts/check-kernel) requires M = 0.
 */
#define pr_fmt(fmt) "hvx_core: " fmt

#include <linux/completion.h>
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "internal.h"
#include "../../../include/xen/hvx/ring.h"
#include "../../../include/xen/hvx/xenbus.h"

#define SELFTEST_WAIT	(5 * HZ)
#define SELFTEST_NODE	"data/hvx-selftest"

static unsigned int checks_failed;

/* Count and name a failed check; evaluates to @cond. */
#define CHECK(cond, fmt, ...) ({					\
	bool __ok = (cond);						\
	if (!__ok) {							\
		checks_failed++;					\
		pr_err("self-test %s: %s: " fmt "\n", __func__, #cond,	\
		       ##__VA_ARGS__);					\
	}								\
	__ok;								\
})

/* ---- ring ------------------------------------------------------------- */

struct selftest_req {
	u64 id;
};

struct selftest_rsp {
	u64 id;
	u64 result;
};

HVX_DEFINE_RING_TYPES(selftest, struct selftest_req, struct selftest_rsp);

/* Start both ends at @start, as after 2^32 - n requests had gone by. */
static void ring_reset(struct selftest_sring *s, struct selftest_front_ring *f,
		       struct selftest_back_ring *b, u32 start)
{
	HVX_SHARED_RING_INIT(s);
	HVX_FRONT_RING_INIT(f, s, PAGE_SIZE);
	HVX_BACK_RING_INIT(b, s, PAGE_SIZE);
	s->req_prod = start;
	s->rsp_prod = start;
	s->req_event = start + 1;
	s->rsp_event = start + 1;
	f->req_prod_pvt = start;
	f->rsp_cons = start;
	b->req_cons = start;
	b->rsp_prod_pvt = start;
}

static unsigned int rsp_notifies;

/*
 * The backend answers everything pending with id * 3; returns how many.
 * rsp_notifies counts the pushes after which the frontend wanted an event.
 */
static unsigned int ring_serve(struct selftest_back_ring *b)
{
	hvx_ring_idx_t prod = hvx_ring_read_req_prod(b);
	unsigned int n = 0;
	int notify;

	if (!CHECK(HVX_RING_REQ_PROD_VALID(b, prod), "prod %u cons %u", prod, b->req_cons))
		return 0;
	virt_rmb(); /* the requests after the index that covers them */
	while (b->req_cons != prod) {
		struct selftest_req req;
		struct selftest_rsp *rsp;

		HVX_RING_COPY_REQUEST(b, b->req_cons, &req);
		b->req_cons++;
		rsp = HVX_RING_GET_RESPONSE(b, b->rsp_prod_pvt);
		rsp->id = req.id;
		rsp->result = req.id * 3;
		b->rsp_prod_pvt++;
		n++;
	}
	HVX_RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(b, notify);
	if (notify)
		rsp_notifies++;
	return n;
}

static void selftest_ring(void)
{
	struct selftest_front_ring f;
	struct selftest_back_ring b;
	struct selftest_sring *s;
	u64 next_id = 1, want = 1;
	unsigned int round, i, work;
	int notify;

	s = (struct selftest_sring *)get_zeroed_page(GFP_KERNEL);
	if (!CHECK(s, "no page"))
		return;
	ring_reset(s, &f, &b, 0xffffffffu - 40);
	rsp_notifies = 0;
	/* Xen's size for 8/16-byte entries in one page. */
	CHECK(HVX_RING_SIZE(&f) == 128, "%u entries", HVX_RING_SIZE(&f));
	CHECK(offsetof(struct selftest_sring, ring) == HVX_SRING_HEADER_BYTES, "header");

	/* Three full rings' worth, crossing the 2^32 wrap on the way. */
	for (round = 0; round < 3; round++) {
		for (i = 0; !HVX_RING_FULL(&f); i++) {
			HVX_RING_GET_REQUEST(&f, f.req_prod_pvt)->id = next_id++;
			f.req_prod_pvt++;
		}
		CHECK(i == HVX_RING_SIZE(&f), "round %u filled %u", round, i);
		HVX_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f, notify);
		CHECK(ring_serve(&b) == i, "round %u", round);
		while (HVX_RING_HAS_UNCONSUMED_RESPONSES(&f)) {
			struct selftest_rsp *rsp = HVX_RING_GET_RESPONSE(&f, f.rsp_cons);

			if (!CHECK(rsp->id == want && rsp->result == want * 3,
				   "response %llu: id %llu result %llu", want, rsp->id,
				   rsp->result))
				break;
			want++;
			f.rsp_cons++;
		}
	}
	CHECK(want == next_id, "%llu of %llu answered", want - 1, next_id - 1);
	/* rsp_event stayed at the first response: one event in three pushes. */
	CHECK(rsp_notifies == 1, "%u response notifications", rsp_notifies);
	CHECK(f.req_prod_pvt < 0xffff0000u, "indices did not wrap: %u", f.req_prod_pvt);

	/* A producer more than a ring ahead of the answers is impossible. */
	CHECK(!HVX_RING_REQ_PROD_VALID(&b, b.rsp_prod_pvt + HVX_RING_SIZE(&b) + 1), "ahead");
	CHECK(!HVX_RING_REQ_PROD_VALID(&b, b.rsp_prod_pvt - 1), "behind");
	CHECK(HVX_RING_REQ_PROD_VALID(&b, b.rsp_prod_pvt + HVX_RING_SIZE(&b)), "full");

	/* An idle backend asks for the next request: one notify, then none. */
	HVX_RING_FINAL_CHECK_FOR_REQUESTS(&b, work);
	CHECK(work == 0, "work %u on an empty ring", work);
	HVX_RING_GET_REQUEST(&f, f.req_prod_pvt)->id = next_id++;
	f.req_prod_pvt++;
	HVX_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f, notify);
	CHECK(notify, "first request after idle");
	HVX_RING_GET_REQUEST(&f, f.req_prod_pvt)->id = next_id++;
	f.req_prod_pvt++;
	HVX_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f, notify);
	CHECK(!notify, "second request while the backend is awake");
	HVX_RING_FINAL_CHECK_FOR_REQUESTS(&b, work);
	CHECK(work == 2, "final check saw %u", work);
	free_page((unsigned long)s);
}

/* ---- grant ------------------------------------------------------------ */

/* A request's worth of refs: reserved at once, granted, ended at once. */
static void selftest_grant_batch(struct page *page, unsigned int before)
{
	hvx_grant_ref_t refs[3];
	u16 flags, domid;
	unsigned int i;
	u32 frame;

	if (!CHECK(!hvx_gnttab_reserve(3, refs), "reserve 3"))
		return;
	CHECK(hvx_gnttab_refs_in_use() == before + 3, "in use %u after reserving 3, was %u",
	      hvx_gnttab_refs_in_use(), before);
	for (i = 0; i < 3; i++) {
		CHECK(refs[i] >= HVX_GNTTAB_NR_RESERVED_ENTRIES, "reserved ref %u", refs[i]);
		CHECK(!i || refs[i] != refs[i - 1], "ref %u twice", refs[i]);
		hvx_gnttab_peek(refs[i], &flags, &domid, &frame);
		CHECK(flags == HVX_GTF_invalid, "reserved ref %u grants (%#x)", refs[i], flags);
		CHECK(!hvx_gnttab_grant_reserved(refs[i], 0, hvx_page_to_gfn(page), i == 1),
		      "grant reserved ref %u", refs[i]);
	}
	hvx_gnttab_peek(refs[1], &flags, &domid, &frame);
	CHECK(flags == (HVX_GTF_permit_access | HVX_GTF_readonly) &&
	      frame == hvx_page_to_gfn(page), "batch entry flags %#x frame %#x", flags, frame);
	hvx_gnttab_end_foreign_access_refs(refs, 3);
	for (i = 0; i < 3; i++) {
		hvx_gnttab_peek(refs[i], &flags, &domid, &frame);
		CHECK(flags == HVX_GTF_invalid, "ref %u after the batch end: %#x", refs[i], flags);
	}
	CHECK(hvx_gnttab_refs_in_use() == before, "in use %u after the batch end, was %u",
	      hvx_gnttab_refs_in_use(), before);
	/* Ending them again frees nothing twice (it only warns). */
	hvx_gnttab_end_foreign_access_refs(refs, 3);
	CHECK(hvx_gnttab_refs_in_use() == before, "in use %u after a second batch end, was %u",
	      hvx_gnttab_refs_in_use(), before);
}

static void selftest_grant(void)
{
	unsigned int before = hvx_gnttab_refs_in_use();
	struct page *page = alloc_page(GFP_KERNEL);
	u16 flags, domid;
	u32 frame;
	int ref, ref2;

	if (!CHECK(page, "no page"))
		return;
	ref = hvx_gnttab_grant_foreign_access(0, hvx_page_to_gfn(page), true);
	if (!CHECK(ref >= HVX_GNTTAB_NR_RESERVED_ENTRIES, "grant: %d", ref))
		goto out;
	hvx_gnttab_peek(ref, &flags, &domid, &frame);
	CHECK(flags == (HVX_GTF_permit_access | HVX_GTF_readonly), "flags %#x", flags);
	CHECK(domid == 0 && frame == hvx_page_to_gfn(page), "domid %u frame %#x", domid, frame);
	CHECK(hvx_gnttab_refs_in_use() == before + 1, "in use %u, was %u",
	      hvx_gnttab_refs_in_use(), before);

	CHECK(!hvx_gnttab_end_foreign_access_ref(ref), "end");
	hvx_gnttab_peek(ref, &flags, &domid, &frame);
	CHECK(flags == HVX_GTF_invalid, "flags %#x after end", flags);
	CHECK(hvx_gnttab_end_foreign_access_ref(ref) == -EINVAL, "second end of one ref");
	CHECK(hvx_gnttab_end_foreign_access_ref(0) == -EINVAL, "reserved ref 0");
	CHECK(hvx_gnttab_end_foreign_access_ref(HVX_GNTTAB_NR_RESERVED_ENTRIES - 1) == -EINVAL,
	      "last reserved ref");
	CHECK(hvx_gnttab_end_foreign_access_ref(0x7fffffff) == -EINVAL, "ref past the table");

	/* The lowest free ref is handed out first: ours again. */
	ref2 = hvx_gnttab_grant_foreign_access(0, hvx_page_to_gfn(page), false);
	CHECK(ref2 == ref, "ref %d after ending %d", ref2, ref);
	if (ref2 >= 0) {
		hvx_gnttab_peek(ref2, &flags, &domid, &frame);
		CHECK(flags == HVX_GTF_permit_access, "writable flags %#x", flags);
		CHECK(!hvx_gnttab_end_foreign_access_ref(ref2), "end writable");
	}
	CHECK(hvx_gnttab_refs_in_use() == before, "in use %u, was %u",
	      hvx_gnttab_refs_in_use(), before);
	selftest_grant_batch(page, before);
out:
	__free_page(page);
}

/* ---- evtchn ----------------------------------------------------------- */

struct selftest_end {
	struct completion fired;
	atomic_t count;
};

static irqreturn_t selftest_evtchn_handler(int irq, void *dev_id)
{
	struct selftest_end *end = dev_id;

	atomic_inc(&end->count);
	complete(&end->fired);
	return IRQ_HANDLED;
}

static void selftest_evtchn(void)
{
	struct selftest_end a, b;
	hvx_evtchn_port_t port_a;
	int irq_a, irq_b, err;

	init_completion(&a.fired);
	init_completion(&b.fired);
	atomic_set(&a.count, 0);
	atomic_set(&b.count, 0);
	err = hvx_evtchn_alloc_unbound(HVX_DOMID_SELF, &port_a);
	if (!CHECK(!err, "alloc_unbound: %d", err))
		return;
	irq_a = hvx_bind_evtchn_to_irqhandler(port_a, selftest_evtchn_handler, 0,
					      "hvx-selftest-a", &a);
	if (!CHECK(irq_a >= 0, "bind a: %d", irq_a)) {
		hvx_evtchn_close(port_a);
		return;
	}
	irq_b = hvx_bind_interdomain_evtchn_to_irqhandler(HVX_DOMID_SELF, port_a,
							  selftest_evtchn_handler, 0,
							  "hvx-selftest-b", &b);
	if (!CHECK(irq_b >= 0, "bind_interdomain: %d", irq_b))
		goto unbind_a;
	/* Binding marks the new port pending, as Xen does: let that pass. */
	wait_for_completion_timeout(&b.fired, HZ);
	reinit_completion(&b.fired);
	atomic_set(&b.count, 0);
	CHECK(atomic_read(&a.count) == 0, "a saw %d events at b's bind", atomic_read(&a.count));
	CHECK(hvx_evtchn_from_irq(irq_a) == port_a, "port of irq a");
	CHECK(hvx_evtchn_from_irq(irq_b) != port_a, "the two ends share port %u", port_a);

	hvx_notify_remote_via_irq(irq_b);
	CHECK(wait_for_completion_timeout(&a.fired, SELFTEST_WAIT), "b -> a not delivered");
	hvx_notify_remote_via_irq(irq_a);
	CHECK(wait_for_completion_timeout(&b.fired, SELFTEST_WAIT), "a -> b not delivered");
	CHECK(atomic_read(&a.count) == 1 && atomic_read(&b.count) == 1,
	      "events: a %d b %d", atomic_read(&a.count), atomic_read(&b.count));
	hvx_unbind_from_irqhandler(irq_b, &b);
unbind_a:
	hvx_unbind_from_irqhandler(irq_a, &a);
	/* Bound with hvx_bind_evtchn_to_irqhandler: ours to close. */
	CHECK(!hvx_evtchn_close(port_a), "close a");
}

/* ---- store ------------------------------------------------------------ */

static struct completion watch_fired;
static char watch_path[64];

static void selftest_watch_cb(struct hvx_xenbus_watch *watch, const char *path,
			      const char *token)
{
	if (!strcmp(path, watch_path))
		complete(&watch_fired);
}

static void selftest_store(void)
{
	struct hvx_xenbus_watch watch = {
		.node = watch_path,
		.callback = selftest_watch_cb,
	};
	struct hvx_xenbus_transaction t;
	unsigned int value = 0, tries;
	int err;
	char *s;

	/* The watch's path is absolute, as the events are; dom0 is 0. */
	if (hvx_initial_domain()) {
		s = kstrdup("0", GFP_KERNEL);
		if (!CHECK(s, "no memory"))
			return;
	} else {
		s = hvx_xenbus_read(HVX_XBT_NIL, "domid", "", NULL);
		if (!CHECK(!IS_ERR(s), "reading domid: %d", PTR_ERR_OR_ZERO(s)))
			return;
	}
	snprintf(watch_path, sizeof(watch_path), "/local/domain/%s/%s/value", s,
		 SELFTEST_NODE);
	kfree(s);
	init_completion(&watch_fired);
	err = hvx_register_xenbus_watch(&watch);
	if (!CHECK(!err, "watch: %d", err))
		return;
	/* The first event says the watch is set, whatever the node holds. */
	wait_for_completion_timeout(&watch_fired, SELFTEST_WAIT);
	reinit_completion(&watch_fired);

	for (tries = 0; tries < 5; tries++) {
		err = hvx_xenbus_transaction_start(&t);
		if (!CHECK(!err, "transaction start: %d", err))
			goto unwatch;
		err = hvx_xenbus_printf(t, SELFTEST_NODE, "value", "%u", 4242);
		if (!err)
			err = hvx_xenbus_scanf(t, SELFTEST_NODE, "value", "%u", &value) == 1 ?
			      0 : -EIO;
		if (err) {
			hvx_xenbus_transaction_end(t, 1);
			CHECK(false, "write or read in the transaction: %d", err);
			goto unwatch;
		}
		CHECK(value == 4242, "read %u inside the transaction", value);
		err = hvx_xenbus_transaction_end(t, 0);
		if (err != -EAGAIN)
			break;
	}
	CHECK(!err, "transaction end: %d", err);
	CHECK(hvx_xenbus_read_unsigned(SELFTEST_NODE, "value", 0) == 4242, "read back");
	CHECK(wait_for_completion_timeout(&watch_fired, SELFTEST_WAIT), "no watch event");
	CHECK(!hvx_xenbus_rm(HVX_XBT_NIL, "data", "hvx-selftest"), "rm");
	CHECK(!hvx_xenbus_exists(HVX_XBT_NIL, "data", "hvx-selftest"), "still there after rm");
unwatch:
	hvx_unregister_xenbus_watch(&watch);
}

void hvx_selftest_run(void)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} tests[] = {
		{ "ring", selftest_ring },
		{ "grant", selftest_grant },
		{ "evtchn", selftest_evtchn },
		{ "store", selftest_store },
	};
	unsigned int i, passed = 0, failed = 0, before;

	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		before = checks_failed;
		tests[i].fn();
		if (checks_failed == before) {
			passed++;
		} else {
			failed++;
			pr_err("self-test %s failed\n", tests[i].name);
		}
	}
	pr_info("self-tests: %u passed, %u failed\n", passed, failed);
}
