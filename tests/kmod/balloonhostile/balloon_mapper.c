// SPDX-License-Identifier: GPL-2.0-only
/*
 * balloon_mapper.c: dom0 maps one grant of a domU (domid=, ref=) when
 * loaded and keeps it mapped until unloaded, so that a test can check the
 * domU cannot give that frame back (XENMEM_decrease_reservation) meanwhile.
 * It writes a pattern into the page, which the test reads back.
 */
#define pr_fmt(fmt) "balloon_mapper: " fmt

#include <linux/highmem.h>
#include <linux/module.h>
#include "../../../include/xen/hvx/core.h"

static int domid = -1;
module_param(domid, int, 0444);
MODULE_PARM_DESC(domid, "the granting domU (required)");

static int ref = -1;
module_param(ref, int, 0444);
MODULE_PARM_DESC(ref, "the grant ref to map (required)");

static struct hvx_grant_map_op map_op;

static int __init balloon_mapper_init(void)
{
	void *p;
	int err;

	if (domid <= 0 || ref < 0)
		return -EINVAL;
	map_op.domid = domid;
	map_op.ref = ref;
	err = hvx_gnttab_map(&map_op, 1);
	if (err || map_op.status != HVX_GNTST_okay) {
		pr_err("map of %d/%d failed: %d/%d\n", domid, ref, err, map_op.status);
		return -EIO;
	}
	p = kmap_local_page(map_op.page);
	memset(p, 0x5a, 64);
	kunmap_local(p);
	pr_info("holding %d/%d\n", domid, ref);
	return 0;
}

static void __exit balloon_mapper_exit(void)
{
	if (hvx_gnttab_unmap(&map_op, 1) || map_op.status != HVX_GNTST_okay)
		pr_err("unmap failed: %d\n", map_op.status);
}

module_init(balloon_mapper_init);
module_exit(balloon_mapper_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lab test: hold a dom0 grant mapping of a domU frame");
