// SPDX-License-Identifier: GPL-2.0-only
/* main.c: hv.ko, the compact hypervisor's kernel part: init and exit. */
#define pr_fmt(fmt) "hv: " fmt

#include <linux/module.h>
#include "control.h"
#include "domain.h"
#include "grant.h"

static int __init xhv_init(void)
{
	int err;

	xhv_grant_copy_choose();
	err = xhv_dom0_init();
	if (err) {
		pr_err("cannot set up dom0's services: %d\n", err);
		return err;
	}
	err = xhv_control_init();
	if (err) {
		pr_err("cannot register /dev/hvctl: %d\n", err);
		xhv_dom0_exit();
		return err;
	}
	pr_info("hypervisor core %s loaded\n", XHV_VERSION);
	return 0;
}

static void __exit xhv_exit(void)
{
	xhv_control_exit();
	xhv_dom0_exit();
	xhv_domain_exit();
	xhv_grant_exit();
}

module_init(xhv_init);
module_exit(xhv_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hv: domains, event channels, grant tables and hypercalls on KVM");
MODULE_VERSION(XHV_VERSION);
