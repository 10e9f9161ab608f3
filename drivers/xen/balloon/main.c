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
#include <linux/slab.h>
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

static int __init hvx_balloon_init(void)
{
	int err;

	if (!hvx_hypervisor_present() || hvx_initial_domain())
		return -ENODEV;	/* a domU's module */
	err = hvx_xenstore_wait_ready(30 * HZ);
	if (err) {
		pr_err("the store does not answer: %d\n", err);
		return err;
	}
	err = hvx_balloon_worker_init();
	if (err)
		return err;
	err = hvx_balloon_sysfs_init();
	if (err)
		goto worker;
	hvx_balloon_proc_init();
	err = hvx_register_xenbus_watch(&target_watch);
	if (err) {
		pr_err("cannot watch %s: %d\n", TARGET_NODE, err);
		goto sysfs;
	}
	/* The watch fires once when set; read it now too, whatever the store does. */
	target_changed(&target_watch, TARGET_NODE, NULL);
	pr_info("initialised: %lu kB\n",
		hvx_balloon_stats.current_pages << (PAGE_SHIFT - 10));
	return 0;
sysfs:
	hvx_balloon_proc_exit();
	hvx_balloon_sysfs_exit();
worker:
	hvx_balloon_worker_exit();
	return err;
}

static void __exit hvx_balloon_exit(void)
{
	hvx_unregister_xenbus_watch(&target_watch);
	hvx_balloon_proc_exit();
	hvx_balloon_sysfs_exit();
	hvx_balloon_worker_exit();
}

module_init(hvx_balloon_init);
module_exit(hvx_balloon_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx memory balloon: memory/target, xen_memory0, /proc/xen/balloon");
