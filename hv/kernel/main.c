// SPDX-License-Identifier: GPL-2.0-only
/* main.c: hv.ko, the compact hypervisor's kernel part: init and exit. */
#define pr_fmt(fmt) "hv: " fmt

#include <linux/module.h>
#include "control.h"
#include "domain.h"

static int __init xhv_init(void)
{
	int err = xhv_control_init();

	if (err) {
		pr_err("cannot register /dev/hvctl: %d\n", err);
		return err;
	}
	pr_info("hypervisor core %s loaded\n", XHV_VERSION);
	return 0;
}

static void __exit xhv_exit(void)
{
	xhv_control_exit();
	xhv_domain_exit();
}

module_init(xhv_init);
module_exit(xhv_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hv: domains, and later event channels, grants and store rings, on KVM");
MODULE_VERSION(XHV_VERSION);
