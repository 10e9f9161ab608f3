// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus_probe.c: when the xenbus layer starts and stops. At load: the
 * watch thread and the two buses. When a transport comes up: the store
 * ring, then (from a work item, never blocking the caller: dom0's
 * xenstored may start much later) one request whose answer, whatever it
 * is, makes the store ready; only then do device discovery and the
 * control node start. Going down undoes it in reverse, with store waits
 * bounded so that a vanished xenstored cannot hang an unload.
 */
#define pr_fmt(fmt) "hvx_core: " fmt

#include <linux/slab.h>
#include <linux/workqueue.h>
#include "internal.h"

static bool comms_up, started;
static void ready_work_fn(struct work_struct *work);
static DECLARE_WORK(ready_work, ready_work_fn);

static void ready_work_fn(struct work_struct *work)
{
	const void *parts[] = { "domid" };
	unsigned int lens[] = { sizeof("domid") };
	void *reply;

	/* Any answer, an error string included, proves the store serves us. */
	reply = hvx_xs_talk(HVX_XS_READ, 0, parts, lens, 1, NULL);
	if (reply == ERR_PTR(-ENODEV) || reply == ERR_PTR(-ETIMEDOUT))
		return;
	if (!IS_ERR(reply))
		kfree(reply);
	hvx_xs_set_ready();
	pr_info("store ready\n");
	if (hvx_initial_domain()) {
		hvx_xb_bus_start(&hvx_xb_backend);
	} else {
		hvx_xb_bus_start(&hvx_xb_frontend);
		hvx_xb_control_start();
	}
	WRITE_ONCE(started, true);
	hvx_selftest_run();
}

void hvx_xenbus_transport_up(void)
{
	int err;

	err = hvx_xb_comms_up();
	if (err) {
		pr_err("no store ring: %d; xenbus stays down\n", err);
		return;
	}
	comms_up = true;
	hvx_xs_up();
	/* It may wait for xenstored for as long as that takes. */
	queue_work(system_long_wq, &ready_work);
}

void hvx_xenbus_transport_down(void)
{
	if (!comms_up)
		return;
	hvx_xs_stopping();
	/* Not answered yet: the store never came, nothing was started. */
	if (!hvx_xenstore_ready())
		hvx_xs_down();
	cancel_work_sync(&ready_work);
	if (started) {
		hvx_xb_control_stop();
		hvx_xb_bus_stop(&hvx_xb_frontend);
		hvx_xb_bus_stop(&hvx_xb_backend);
	}
	started = false;
	hvx_xs_down();
	hvx_xb_comms_down();
	comms_up = false;
}

int hvx_xenbus_init(void)
{
	int err;

	err = hvx_xs_watch_init();
	if (err)
		return err;
	err = hvx_xb_bus_register(&hvx_xb_frontend);
	if (err)
		goto watch;
	err = hvx_xb_bus_register(&hvx_xb_backend);
	if (err)
		goto frontend;
	return 0;

frontend:
	hvx_xb_bus_unregister(&hvx_xb_frontend);
watch:
	hvx_xs_watch_exit();
	return err;
}

void hvx_xenbus_exit(void)
{
	hvx_xb_bus_unregister(&hvx_xb_backend);
	hvx_xb_bus_unregister(&hvx_xb_frontend);
	hvx_xs_watch_exit();
}
