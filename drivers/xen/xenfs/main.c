// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c: hvx_xenfs, the xenfs filesystem for /proc/xen on hv (capabilities,
 * privcmd, xenbus, and in dom0 xsd_kva and xsd_port), plus the
 * /dev/xen/privcmd and /dev/xen/xenbus devices: init and exit order.
 */
#define pr_fmt(fmt) "hvx_xenfs: " fmt

#include <linux/module.h>
#include "xenfs.h"

static int __init hvx_xenfs_init(void)
{
	bool store = xenfs_store_init();
	int err;

	err = xenfs_privcmd_init();
	if (err)
		goto store;
	if (store) {
		err = xenfs_xenbus_init();
		if (err)
			goto privcmd;
	}
	/* Last: a mount may come as soon as the type is registered. */
	err = xenfs_super_init();
	if (err)
		goto xenbus;
	return 0;

xenbus:
	if (store)
		xenfs_xenbus_exit();
privcmd:
	xenfs_privcmd_exit();
store:
	xenfs_store_exit();
	return err;
}

static void __exit hvx_xenfs_exit(void)
{
	xenfs_super_exit();
	if (xenfs_have_store())
		xenfs_xenbus_exit();
	xenfs_privcmd_exit();
	xenfs_store_exit();
}

module_init(hvx_xenfs_init);
module_exit(hvx_xenfs_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx xenfs: /proc/xen (capabilities, privcmd, xenbus, xsd_kva, xsd_port) on hv");
