// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkhostile.c: a blkif frontend that misbehaves on purpose, for the lab
 * (scenario 75). It binds only the vbd whose virtual-device is `devid`
 * (other vbds are left to blkfront), connects with one ring page, and
 * when `run` is written publishes, one at a time, requests blkback must
 * refuse with BLKIF_RSP_ERROR (or EOPNOTSUPP), between good ones it must
 * serve:
 *   nr_segments 12 and 255, a read with 0 segments, last_sect < first_sect,
 *   last_sect 8, a sector past the end, a range that wraps, a grant ref
 *   out of range, a revoked grant, an unknown operation, an indirect
 *   request inside an indirect one, indirect reads of 64 segments with
 *   a bad grant ref early, late or last (the grants mapped before it
 *   must be unmapped), a write when the disk is read-only;
 *   then a good read whose slot a second thread keeps rewriting with bad
 *   values after it was published (any answer is fine, dom0 must live).
 * Writing 1 to `flood` then publishes a req_prod far past what the ring
 * holds: blkback must disconnect the ring (its state goes Closing).
 *
 * With `persistent` set before the disk connects, the module asks for
 * feature-persistent, and writing `run_persistent` checks blkback's table
 * of persistent grants against a frontend that uses `npgrants` distinct
 * refs (more than blkback's max_persistent_grants, `pcap`): every write
 * and read back is right; afterwards at most pcap refs are still mapped
 * (ending a grant fails only while the backend maps it); the refs that
 * could be ended are granted again for other pages with other data (the
 * core hands the same ref numbers back), and blkback must write those new
 * pages, not the pages it mapped before.
 * Results in /sys/module/blkhostile/parameters: passed, failed, verdict.
 */
#define pr_fmt(fmt) "blkhostile: " fmt

#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include "../../../include/xen/hvx/blkif.h"
#include "../../../include/xen/hvx/xenbus.h"

static unsigned int devid = 51728;
module_param(devid, uint, 0444);
MODULE_PARM_DESC(devid, "the virtual-device this module takes");
static unsigned int passed, failed;
module_param(passed, uint, 0444);
module_param(failed, uint, 0444);
static char verdict[128] = "not run";
module_param_string(verdict, verdict, sizeof(verdict), 0444);
static bool persistent;
module_param(persistent, bool, 0644);
MODULE_PARM_DESC(persistent, "ask for feature-persistent at the next connection");
static unsigned int npgrants = 48, pcap = 16;
module_param(npgrants, uint, 0644);
module_param(pcap, uint, 0644);
MODULE_PARM_DESC(pcap, "the backend's max_persistent_grants, as the scenario set it");

struct hostile {
	struct hvx_xenbus_device *dev;
	struct hvx_blkif_front_ring front;
	struct page *ring_page;
	int ring_ref;
	struct page *data;
	int data_ref;			/* granted writable: reads land here */
	hvx_evtchn_port_t port;
	int irq;
	wait_queue_head_t wq;
	bool connected, readonly;
	u64 sectors;
};

static struct hostile *the_one;
static DEFINE_MUTEX(hostile_lock);

static irqreturn_t hostile_event(int irq, void *dev_id)
{
	struct hostile *h = dev_id;

	wake_up(&h->wq);
	return IRQ_HANDLED;
}

static void publish(struct hostile *h, const struct hvx_blkif_request *req)
{
	bool notify;

	memcpy(HVX_RING_GET_REQUEST(&h->front, h->front.req_prod_pvt), req, sizeof(*req));
	h->front.req_prod_pvt++;
	HVX_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&h->front, notify);
	/* Always: a hostile frontend need not honour req_event. */
	(void)notify;
	hvx_notify_remote_via_irq(h->irq);
}

/* The next response's status, or 1 when none came within 5 s. */
static int wait_response(struct hostile *h, u64 id)
{
	struct hvx_blkif_response rsp;

	/* Ask for an event at the next response (else each wait is 5 s). */
	WRITE_ONCE(h->front.sring->rsp_event, h->front.rsp_cons + 1);
	virt_mb();
	if (!wait_event_timeout(h->wq, HVX_RING_HAS_UNCONSUMED_RESPONSES(&h->front),
				5 * HZ))
		return 1;
	virt_rmb();
	memcpy(&rsp, HVX_RING_GET_RESPONSE(&h->front, h->front.rsp_cons), sizeof(rsp));
	h->front.rsp_cons++;
	if (rsp.id != id) {
		pr_err("response id %llu, expected %llu\n", rsp.id, id);
		return 2;
	}
	return rsp.status;
}

static void rw(struct hvx_blkif_request *r, u8 op, u8 nseg, u64 sector, u32 ref)
{
	unsigned int i;

	memset(r, 0, sizeof(*r));
	r->operation = op;
	r->u.rw.nr_segments = nseg;
	r->u.rw.sector_number = sector;
	for (i = 0; i < HVX_BLKIF_MAX_SEGMENTS_PER_REQUEST; i++) {
		r->u.rw.seg[i].gref = ref;
		r->u.rw.seg[i].first_sect = 0;
		r->u.rw.seg[i].last_sect = 7;
	}
}

static void expect(struct hostile *h, const char *name, struct hvx_blkif_request *r,
		   int want)
{
	static u64 next_id = 1;
	u64 id = next_id++;
	int got;

	r->u.other.id = id;
	publish(h, r);
	got = wait_response(h, id);
	if (got == want) {
		passed++;
		return;
	}
	failed++;
	pr_err("%s: status %d, expected %d\n", name, got, want);
	if (!strcmp(verdict, "ok") || !strcmp(verdict, "running"))
		snprintf(verdict, sizeof(verdict), "%s: status %d, expected %d", name, got,
			 want);
}

/*
 * An indirect read of @nseg segments, all of the data page but segment
 * @bad (none when >= @nseg), which names a ref out of range: blkback maps
 * a request's grants in one call and must unmap those that worked.
 */
static void indirect_case(struct hostile *h, const char *name, unsigned int nseg,
			  unsigned int bad, int want)
{
	struct hvx_blkif_request_segment *segs;
	struct hvx_blkif_request r;
	struct page *ind;
	unsigned int i;
	int ind_ref;

	ind = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!ind) {
		failed++;
		strscpy(verdict, "no memory for an indirect page", sizeof(verdict));
		return;
	}
	segs = page_address(ind);
	for (i = 0; i < nseg; i++) {
		segs[i].gref = i == bad ? 0xffffff : h->data_ref;
		segs[i].first_sect = 0;
		segs[i].last_sect = 7;
	}
	ind_ref = hvx_gnttab_grant_foreign_access(h->dev->otherend_id,
						  hvx_page_to_gfn(ind), true);
	if (ind_ref < 0) {
		__free_page(ind);
		failed++;
		strscpy(verdict, "granting an indirect page", sizeof(verdict));
		return;
	}
	memset(&r, 0, sizeof(r));
	r.operation = HVX_BLKIF_OP_INDIRECT;
	r.u.indirect.indirect_op = HVX_BLKIF_OP_READ;
	r.u.indirect.nr_segments = nseg;
	r.u.indirect.indirect_grefs[0] = ind_ref;
	expect(h, name, &r, want);
	hvx_gnttab_end_foreign_access(ind_ref, ind);
}

struct rewriter {
	struct hostile *h;
	hvx_ring_idx_t slot;
};

/* Keep rewriting a published slot with bad values for a quarter second. */
static int rewrite_thread(void *data)
{
	struct rewriter *rw_ = data;
	struct hvx_blkif_request *slot = HVX_RING_GET_REQUEST(&rw_->h->front, rw_->slot);
	unsigned long end = jiffies + HZ / 4;
	unsigned int i;

	for (i = 0; time_before(jiffies, end) && !kthread_should_stop(); i++) {
		WRITE_ONCE(slot->u.rw.nr_segments, (i & 1) ? 255 : 1);
		WRITE_ONCE(slot->u.rw.seg[0].last_sect, (i & 2) ? 200 : 7);
		WRITE_ONCE(slot->u.rw.seg[0].gref, (i & 4) ? 0xfffffff : rw_->h->data_ref);
		WRITE_ONCE(slot->operation, (i & 8) ? HVX_BLKIF_OP_INDIRECT : 0);
		if (!(i & 1023))
			cond_resched();
	}
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

static void run_cases(struct hostile *h)
{
	const int E = HVX_BLKIF_RSP_ERROR, OK = HVX_BLKIF_RSP_OKAY;
	u32 ref = h->data_ref;
	struct hvx_blkif_request r;
	struct task_struct *t;
	struct rewriter rwr;
	unsigned int max_indirect;
	int revoked, status;
	long got;

	strscpy(verdict, "running", sizeof(verdict));
	passed = failed = 0;
	rw(&r, HVX_BLKIF_OP_READ, 1, 0, ref);
	expect(h, "good read", &r, OK);
	rw(&r, HVX_BLKIF_OP_READ, 12, 0, ref);
	expect(h, "12 segments", &r, E);
	rw(&r, HVX_BLKIF_OP_READ, 255, 0, ref);
	expect(h, "255 segments", &r, E);
	rw(&r, HVX_BLKIF_OP_READ, 0, 0, ref);
	expect(h, "read with 0 segments", &r, E);
	rw(&r, HVX_BLKIF_OP_READ, 1, 0, ref);
	r.u.rw.seg[0].first_sect = 5;
	r.u.rw.seg[0].last_sect = 4;
	expect(h, "last_sect < first_sect", &r, E);
	rw(&r, HVX_BLKIF_OP_READ, 1, 0, ref);
	r.u.rw.seg[0].last_sect = 8;
	expect(h, "last_sect 8", &r, E);
	rw(&r, HVX_BLKIF_OP_READ, 1, h->sectors - 7, ref);
	expect(h, "past the end", &r, E);
	rw(&r, HVX_BLKIF_OP_READ, 1, U64_MAX - 3, ref);
	expect(h, "wrapping range", &r, E);
	rw(&r, HVX_BLKIF_OP_READ, 1, 0, 0xffffff);
	expect(h, "grant ref out of range", &r, E);
	revoked = hvx_gnttab_grant_foreign_access(h->dev->otherend_id,
						  hvx_page_to_gfn(h->data), false);
	if (revoked >= 0) {
		hvx_gnttab_end_foreign_access_ref(revoked);
		rw(&r, HVX_BLKIF_OP_READ, 1, 0, revoked);
		expect(h, "revoked grant", &r, E);
	}
	rw(&r, 77, 1, 0, ref);
	expect(h, "unknown operation", &r, E);
	memset(&r, 0, sizeof(r));
	r.operation = HVX_BLKIF_OP_INDIRECT;
	r.u.indirect.indirect_op = HVX_BLKIF_OP_INDIRECT;
	r.u.indirect.nr_segments = 4;
	r.u.indirect.indirect_grefs[0] = ref;
	max_indirect = hvx_xenbus_read_unsigned(h->dev->otherend,
						"feature-max-indirect-segments", 0);
	status = max_indirect ? E : HVX_BLKIF_RSP_EOPNOTSUPP;
	expect(h, "indirect inside indirect", &r, status);
	if (max_indirect >= 64) {
		indirect_case(h, "indirect, 64 segments", 64, 64, OK);
		indirect_case(h, "indirect, bad grant early", 64, 3, E);
		indirect_case(h, "indirect, bad grant late", 64, 40, E);
		indirect_case(h, "indirect, bad grant in the last segment", 64, 63, E);
	}
	rw(&r, HVX_BLKIF_OP_WRITE, 1, 0, ref);
	expect(h, h->readonly ? "write to a read-only disk" : "good write", &r,
	       h->readonly ? E : OK);
	rw(&r, HVX_BLKIF_OP_READ, 1, 8, ref);
	expect(h, "good read after the bad ones", &r, OK);

	/* A request rewritten after publishing: any answer, but an answer. */
	rw(&r, HVX_BLKIF_OP_READ, 1, 0, ref);
	r.u.rw.id = 424242;
	rwr.h = h;
	rwr.slot = h->front.req_prod_pvt;
	memcpy(HVX_RING_GET_REQUEST(&h->front, rwr.slot), &r, sizeof(r));
	t = kthread_run(rewrite_thread, &rwr, "blkhostile-rw");
	if (!IS_ERR(t)) {
		bool notify;

		h->front.req_prod_pvt++;
		HVX_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&h->front, notify);
		(void)notify;
		hvx_notify_remote_via_irq(h->irq);
		/*
		 * The response lands in the slot the thread keeps rewriting, so
		 * its content proves nothing: that one came is what counts, and
		 * that the ring still serves afterwards.
		 */
		got = wait_event_timeout(h->wq,
					 HVX_RING_HAS_UNCONSUMED_RESPONSES(&h->front),
					 5 * HZ);
		kthread_stop(t);
		h->front.rsp_cons++;
		if (got) {
			passed++;
		} else {
			failed++;
			strscpy(verdict, "rewritten request: no response", sizeof(verdict));
		}
		rw(&r, HVX_BLKIF_OP_READ, 1, 16, ref);
		expect(h, "good read after the rewritten one", &r, OK);
	}
	if (!strcmp(verdict, "running"))
		strscpy(verdict, "ok", sizeof(verdict));
	pr_info("%u passed, %u failed: %s\n", passed, failed, verdict);
}

#define PG_MAX 128

static void fail_case(const char *what, unsigned int i)
{
	failed++;
	pr_err("%s (page %u)\n", what, i);
	if (!strcmp(verdict, "running"))
		snprintf(verdict, sizeof(verdict), "%s (page %u)", what, i);
}

/* Write page @pg (ref @ref) to @sector, wipe it, read it back, compare. */
static void pg_roundtrip(struct hostile *h, struct page *pg, u32 ref, u64 sector,
			 u8 fill, unsigned int i)
{
	struct hvx_blkif_request r;
	u8 *p = page_address(pg);
	unsigned int j;

	memset(p, fill, PAGE_SIZE);
	rw(&r, HVX_BLKIF_OP_WRITE, 1, sector, ref);
	expect(h, "persistent write", &r, HVX_BLKIF_RSP_OKAY);
	memset(p, 0, PAGE_SIZE);
	rw(&r, HVX_BLKIF_OP_READ, 1, sector, ref);
	expect(h, "persistent read", &r, HVX_BLKIF_RSP_OKAY);
	for (j = 0; j < PAGE_SIZE; j++)
		if (p[j] != fill)
			break;
	if (j < PAGE_SIZE)
		fail_case("read back other data than written", i);
	else
		passed++;
}

static void run_persistent_cases(struct hostile *h)
{
	unsigned int n = min_t(unsigned int, npgrants, PG_MAX), i, busy = 0;
	struct page **pages;
	int *refs;
	bool *ended;

	strscpy(verdict, "running", sizeof(verdict));
	passed = 0;
	failed = 0;
	pages = kcalloc(n, sizeof(*pages), GFP_KERNEL);
	refs = kcalloc(n, sizeof(*refs), GFP_KERNEL);
	ended = kcalloc(n, sizeof(*ended), GFP_KERNEL);
	if (!pages || !refs || !ended || h->sectors < 8ULL * n) {
		fail_case("no memory, or the disk is too small", 0);
		goto out;
	}
	for (i = 0; i < n; i++) {
		refs[i] = -1;
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i])
			break;
		refs[i] = hvx_gnttab_grant_foreign_access(h->dev->otherend_id,
							  hvx_page_to_gfn(pages[i]), false);
		if (refs[i] < 0)
			break;
	}
	if (i < n) {
		fail_case("granting the pages", i);
		goto free;
	}
	/* More distinct refs than the backend keeps: it must evict. */
	for (i = 0; i < n; i++)
		pg_roundtrip(h, pages[i], refs[i], 8ULL * i, 0x40 + i, i);
	/* The backend may hold at most pcap of them now. */
	for (i = 0; i < n; i++) {
		ended[i] = !hvx_gnttab_end_foreign_access_ref(refs[i]);
		busy += !ended[i];
	}
	if (busy > pcap)
		fail_case("more refs still mapped than the cap", busy);
	else if (busy == 0)
		fail_case("no ref kept mapped: persistent grants not in use", 0);
	else
		passed++;
	/*
	 * Grant the ended refs again, each for another page with other data
	 * (fresh pages, granted in the same order: the core gives the lowest
	 * free refs, the ones just ended). A backend that kept an old
	 * mapping for such a ref would write the old page.
	 */
	for (i = 0; i < n; i++) {
		struct page *fresh;

		if (!ended[i])
			continue;
		fresh = alloc_page(GFP_KERNEL);
		if (!fresh) {
			refs[i] = -1;
			continue;
		}
		__free_page(pages[i]);
		pages[i] = fresh;
		refs[i] = hvx_gnttab_grant_foreign_access(h->dev->otherend_id,
							  hvx_page_to_gfn(fresh), false);
		if (refs[i] < 0) {
			fail_case("granting again", i);
			continue;
		}
		pg_roundtrip(h, pages[i], refs[i], 8ULL * i, 0xa0 + (i & 0x1f), i);
	}
	/* And the ones still mapped keep working with their own page. */
	for (i = 0; i < n; i++)
		if (!ended[i])
			pg_roundtrip(h, pages[i], refs[i], 8ULL * i, 0x20 + i, i);
free:
	for (i = 0; i < n; i++) {
		if (refs[i] >= 0)
			hvx_gnttab_end_foreign_access(refs[i], pages[i]);
		else if (pages[i])
			__free_page(pages[i]);
	}
out:
	kfree(pages);
	kfree(refs);
	kfree(ended);
	if (!strcmp(verdict, "running"))
		strscpy(verdict, "ok", sizeof(verdict));
	pr_info("persistent: %u passed, %u failed, %u of %u refs kept mapped: %s\n",
		passed, failed, busy, n, verdict);
}

static int set_run_persistent(const char *val, const struct kernel_param *kp)
{
	int err = -ENODEV;

	mutex_lock(&hostile_lock);
	if (the_one && the_one->connected) {
		run_persistent_cases(the_one);
		err = 0;
	}
	mutex_unlock(&hostile_lock);
	return err;
}

static const struct kernel_param_ops run_persistent_ops = { .set = set_run_persistent };
module_param_cb(run_persistent, &run_persistent_ops, NULL, 0200);

static int set_run(const char *val, const struct kernel_param *kp)
{
	int err = -ENODEV;

	mutex_lock(&hostile_lock);
	if (the_one && the_one->connected) {
		run_cases(the_one);
		err = 0;
	}
	mutex_unlock(&hostile_lock);
	return err;
}

static const struct kernel_param_ops run_ops = { .set = set_run };
module_param_cb(run, &run_ops, NULL, 0200);

static int set_flood(const char *val, const struct kernel_param *kp)
{
	struct hostile *h;
	int err = -ENODEV;

	mutex_lock(&hostile_lock);
	h = the_one;
	if (h && h->connected) {
		/* Far more outstanding requests than the ring has slots. */
		WRITE_ONCE(h->front.sring->req_prod, h->front.req_prod_pvt + 1000);
		hvx_notify_remote_via_irq(h->irq);
		err = 0;
	}
	mutex_unlock(&hostile_lock);
	return err;
}

static const struct kernel_param_ops flood_ops = { .set = set_flood };
module_param_cb(flood, &flood_ops, NULL, 0200);

static void release(struct hostile *h)
{
	h->connected = false;
	if (h->irq >= 0)
		hvx_unbind_from_irqhandler(h->irq, h);
	h->irq = -1;
	if (h->port)
		hvx_xenbus_free_evtchn(h->dev, h->port);
	h->port = 0;
	if (h->ring_ref >= 0)
		hvx_gnttab_end_foreign_access(h->ring_ref, h->ring_page);
	else if (h->ring_page)
		__free_page(h->ring_page);
	h->ring_ref = -1;
	h->ring_page = NULL;
	if (h->data_ref >= 0)
		hvx_gnttab_end_foreign_access(h->data_ref, h->data);
	else if (h->data)
		__free_page(h->data);
	h->data_ref = -1;
	h->data = NULL;
}

static int setup(struct hostile *h)
{
	struct hvx_xenbus_device *dev = h->dev;
	struct hvx_blkif_sring *sring;
	hvx_grant_ref_t ref;
	int err;

	h->ring_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	h->data = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!h->ring_page || !h->data)
		return -ENOMEM;
	sring = page_address(h->ring_page);
	HVX_SHARED_RING_INIT(sring);
	HVX_FRONT_RING_INIT(&h->front, sring, PAGE_SIZE);
	err = hvx_xenbus_grant_ring(dev, sring, 1, &ref);
	if (err)
		return err;
	h->ring_ref = ref;
	h->data_ref = hvx_gnttab_grant_foreign_access(dev->otherend_id,
						      hvx_page_to_gfn(h->data), false);
	if (h->data_ref < 0)
		return h->data_ref;
	err = hvx_xenbus_alloc_evtchn(dev, &h->port);
	if (err)
		return err;
	h->irq = hvx_bind_evtchn_to_irqhandler(h->port, hostile_event, 0, "blkhostile", h);
	if (h->irq < 0)
		return h->irq;
	err = hvx_xenbus_printf(HVX_XBT_NIL, dev->nodename, "ring-ref", "%d", h->ring_ref);
	err = err ?: hvx_xenbus_printf(HVX_XBT_NIL, dev->nodename, "event-channel", "%u",
				       h->port);
	err = err ?: hvx_xenbus_printf(HVX_XBT_NIL, dev->nodename, "protocol", "%s",
				       HVX_BLKIF_PROTOCOL_X86_64);
	err = err ?: hvx_xenbus_printf(HVX_XBT_NIL, dev->nodename, "feature-persistent",
				       "%d", READ_ONCE(persistent) ? 1 : 0);
	if (err)
		return err;
	return hvx_xenbus_switch_state(dev, HVX_XenbusStateInitialised);
}

static void hostile_backend_changed(struct hvx_xenbus_device *dev,
				    enum hvx_xenbus_state state)
{
	struct hostile *h = dev_get_drvdata(&dev->dev);
	unsigned long long sectors;
	unsigned int info;

	mutex_lock(&hostile_lock);
	switch (state) {
	case HVX_XenbusStateInitWait:
		if (dev->state == HVX_XenbusStateInitialising && setup(h)) {
			release(h);
			hvx_xenbus_dev_fatal(dev, -EIO, "setting up");
		}
		break;
	case HVX_XenbusStateConnected:
		if (dev->state != HVX_XenbusStateInitialised)
			break;
		if (hvx_xenbus_scanf(HVX_XBT_NIL, dev->otherend, "sectors", "%llu",
				     &sectors) != 1 ||
		    hvx_xenbus_scanf(HVX_XBT_NIL, dev->otherend, "info", "%u", &info) != 1)
			break;
		h->sectors = sectors;
		h->readonly = info & HVX_VDISK_READONLY;
		h->connected = true;
		hvx_xenbus_switch_state(dev, HVX_XenbusStateConnected);
		break;
	case HVX_XenbusStateClosing:
	case HVX_XenbusStateClosed:
	case HVX_XenbusStateUnknown:
		if (dev->state != HVX_XenbusStateClosed &&
		    dev->state != HVX_XenbusStateInitialising) {
			release(h);
			hvx_xenbus_frontend_closed(dev);
		}
		break;
	default:
		break;
	}
	mutex_unlock(&hostile_lock);
}

static int hostile_probe(struct hvx_xenbus_device *dev,
			 const struct hvx_xenbus_device_id *id)
{
	struct hostile *h;
	unsigned int vdev;

	if (hvx_xenbus_scanf(HVX_XBT_NIL, dev->nodename, "virtual-device", "%u",
			     &vdev) != 1 || vdev != devid)
		return -ENODEV;		/* blkfront's */
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->dev = dev;
	h->ring_ref = -1;
	h->data_ref = -1;
	h->irq = -1;
	init_waitqueue_head(&h->wq);
	dev_set_drvdata(&dev->dev, h);
	mutex_lock(&hostile_lock);
	the_one = h;
	mutex_unlock(&hostile_lock);
	return 0;
}

static void hostile_remove(struct hvx_xenbus_device *dev)
{
	struct hostile *h = dev_get_drvdata(&dev->dev);

	mutex_lock(&hostile_lock);
	release(h);
	if (the_one == h)
		the_one = NULL;
	mutex_unlock(&hostile_lock);
	kfree(h);
}

static const struct hvx_xenbus_device_id hostile_ids[] = {
	{ "vbd" },
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
MODULE_DESCRIPTION("hvx test: a hostile blkif frontend");
