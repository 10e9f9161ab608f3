// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c: hvx_core, the guest-side core of the suite, the same module in
 * dom0 and in a domU: init and exit order.
 */
#define pr_fmt(fmt) "hvx_core: " fmt

#include <linux/module.h>
#include "internal.h"

/*
 * The xenbus layer (xenbus_*.c) provides these; until it is linked in, a
 * core without a store still gives events, grants and /dev/xen/evtchn.
 */
int __weak hvx_xenbus_init(void)
{
	return 0;
}

void __weak hvx_xenbus_transport_up(void)
{
}

void __weak hvx_xenbus_transport_down(void)
{
}

void __weak hvx_xenbus_exit(void)
{
}

static int __init hvx_core_init(void)
{
	int err;

	err = hvx_events_init();
	if (err)
		return err;
	err = hvx_xenbus_init();
	if (err)
		goto events;
	err = hvx_evtchn_dev_init();
	if (err)
		goto xenbus;
	/* In a domU the platform device's probe registers the transport. */
	err = hvx_platform_init();
	if (err)
		goto evtchn_dev;
	return 0;

evtchn_dev:
	hvx_evtchn_dev_exit();
xenbus:
	hvx_xenbus_exit();
events:
	hvx_events_exit();
	return err;
}

static void __exit hvx_core_exit(void)
{
	hvx_platform_exit();
	hvx_evtchn_dev_exit();
	hvx_xenbus_exit();
	hvx_events_exit();
}

module_init(hvx_core_init);
module_exit(hvx_core_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx core: event channels, grant tables and xenbus on hv");
