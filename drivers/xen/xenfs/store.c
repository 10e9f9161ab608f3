// SPDX-License-Identifier: GPL-2.0-only
/*
 * store.c: finds the core's store client when the module loads. Looked up
 * by name (symbol_get), not linked: a core from before the store still
 * loads this module, which then serves capabilities and privcmd alone.
 */
#define pr_fmt(fmt) "hvx_xenfs: " fmt

#include <linux/module.h>
#include "xenfs.h"

struct xenfs_store xenfs_store;

static void put_all(void)
{
	if (xenfs_store.raw_request)
		symbol_put(hvx_xenbus_raw_request);
	if (xenfs_store.register_watch)
		symbol_put(hvx_register_xenbus_watch);
	if (xenfs_store.unregister_watch)
		symbol_put(hvx_unregister_xenbus_watch);
	if (xenfs_store.dom0_ring)
		symbol_put(hvx_xenstore_dom0_ring);
	if (xenfs_store.dom0_port)
		symbol_put(hvx_xenstore_dom0_port);
	memset(&xenfs_store, 0, sizeof(xenfs_store));
}

/* All or nothing: true when every part of the store client is there. */
bool xenfs_store_init(void)
{
	xenfs_store.raw_request = symbol_get(hvx_xenbus_raw_request);
	xenfs_store.register_watch = symbol_get(hvx_register_xenbus_watch);
	xenfs_store.unregister_watch = symbol_get(hvx_unregister_xenbus_watch);
	xenfs_store.dom0_ring = symbol_get(hvx_xenstore_dom0_ring);
	xenfs_store.dom0_port = symbol_get(hvx_xenstore_dom0_port);
	if (xenfs_store.raw_request && xenfs_store.register_watch &&
	    xenfs_store.unregister_watch && xenfs_store.dom0_ring &&
	    xenfs_store.dom0_port)
		return true;
	put_all();
	pr_info("the core has no store client: no xenbus, xsd_kva or xsd_port\n");
	return false;
}

void xenfs_store_exit(void)
{
	put_all();
}
