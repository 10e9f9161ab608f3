// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c: balloon.ko, the memory balloon of a domU. It follows the target
 * the toolstack writes in the store (memory/target, KiB) and is also
 * driven from /sys/devices/system/xen_memory/xen_memory0 and
 * /proc/xen/balloon, as Xen's Linux balloon is.
 */
#define pr_fmt(fmt) "balloon: " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/workqueue.h>
#include <linux/slab.h>
#include "../../../include/xen/hvx/platform.h"
#include "../../../include/xen/hvx/xenbus.h"
#include "balloon.h"

#define TARGET_NODE	"memory/target"

/*
 * The store's target, in KiB: digits only (no sign, no suffix); anything
 * else, or a value that does not fit, is ignored with a message.
 */
static void target_changed(struct hvx_xenbus_watch *watch, const char *path,
			   const char *token)
{
	unsigned long long kib;
	char *s;
	int err;

	s = hvx_xenbus_read(HVX_XBT_NIL, "memory", "target", NULL);
	if (IS_ERR(s))
		return;	/* not written (yet) */
	err = kstrtoull(s, 10, &kib);
	if (err || kib > (ULONG_MAX >> (PAGE_SHIFT - 10)) >> 1)
		pr_warn_ratelimited("ignoring memory/target \"%.32s\": not a size in KiB\n", s);
	else
		hvx_balloon_set_target(kib >> (PAGE_SHIFT - 10));
	kfree(s);
}

static struct hvx_xenbus_watch target_watch = {
	.node = TARGET_NODE,
	.callback = target_changed,
};

/*
 * The module loads with the core, at boot, before the store may answer
 * (udev loads both by the platform device's modalias): the watch is set
 * from a work item once the store is ready, polled with a growing delay.
 */
#define CONNECT_DELAY_MAX	(5 * HZ)
#define CONNECT_NAG		(30 * HZ)	/* say so once after this long */

static void connect_store(struct work_struct *work);
static DECLARE_DELAYED_WORK(connect_work, connect_store);
static unsigned long connect_delay, connect_start;
static bool watching, nagged;

static void connect_store(struct work_struct *work)
{
	int err;

	if (!hvx_xenstore_ready()) {
		if (!nagged && time_after(jiffies, connect_start + CONNECT_NAG)) {
			nagged = true;
			pr_info("the store is not ready yet; still waiting for %s\n",
				TARGET_NODE);
		}
		connect_delay = min_t(unsigned long, connect_delay * 2, CONNECT_DELAY_MAX);
		schedule_delayed_work(&connect_work, connect_delay);
		return;
	}
	err = hvx_register_xenbus_watch(&target_watch);
	if (err) {
		pr_err("cannot watch %s: %d; the target is only set from this guest\n",
		       TARGET_NODE, err);
		return;
	}
	watching = true;
	/* The watch fires once when set; read it now too, whatever the store does. */
	target_changed(&target_watch, TARGET_NODE, NULL);
	pr_info("following %s\n", TARGET_NODE);
}

/*
 * Loaded by udev with the core, by the platform device's modalias, as a
 * Xen guest has its balloon from boot; it binds nothing. xenfs first, so
 * that /proc/xen/balloon is there from boot.
 */
static const struct pci_device_id balloon_platform_ids[] = {
	{ PCI_DEVICE(HVX_PCI_VENDOR_ID, HVX_PCI_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, balloon_platform_ids);
MODULE_SOFTDEP("pre: hvx_xenfs");

static int __init hvx_balloon_init(void)
{
	int err;

	if (!hvx_hypervisor_present() || hvx_initial_domain())
		return -ENODEV;	/* a domU's module */
	err = hvx_balloon_worker_init();
	if (err)
		return err;
	err = hvx_balloon_sysfs_init();
	if (err) {
		hvx_balloon_worker_exit();
		return err;
	}
	hvx_balloon_proc_init();
	connect_start = jiffies;
	connect_delay = HZ / 20;
	schedule_delayed_work(&connect_work, 0);
	pr_info("initialised: %lu kB\n",
		hvx_balloon_stats.current_pages << (PAGE_SHIFT - 10));
	return 0;
}

static void __exit hvx_balloon_exit(void)
{
	cancel_delayed_work_sync(&connect_work);
	if (watching)
		hvx_unregister_xenbus_watch(&target_watch);
	hvx_balloon_proc_exit();
	hvx_balloon_sysfs_exit();
	hvx_balloon_worker_exit();
}

module_init(hvx_balloon_init);
module_exit(hvx_balloon_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx memory balloon: memory/target, xen_memory0, /proc/xen/balloon");
