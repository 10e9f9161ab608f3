// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c: pciback, dom0's PCI passthrough backend: module parameters,
 * load and unload. stub.c owns the devices, conf.c filters the guests'
 * config-space accesses, xenbus.c serves the "pci" devices of domUs.
 */
#define pr_fmt(fmt) "pciback: " fmt

#include <linux/module.h>
#include "pciback.h"

static char *hide;
module_param(hide, charp, 0444);
MODULE_PARM_DESC(hide, "devices to take at load: (DDDD:BB:SS.F)(BB:SS.F)..., '*' for any slot or function");

bool pciback_permissive;
module_param_named(permissive, pciback_permissive, bool, 0644);
MODULE_PARM_DESC(permissive, "let guests write any config register outside BARs and MSI, on every device");

bool pciback_unsafe_no_iommu;
module_param_named(unsafe_no_iommu, pciback_unsafe_no_iommu, bool, 0644);
MODULE_PARM_DESC(unsafe_no_iommu, "assign devices that have no IOMMU: their domain can DMA anywhere and must be trusted");

static int __init pciback_init(void)
{
	int err;

	err = pciback_stub_init(hide);
	if (err)
		return err;
	err = pciback_xenbus_init();
	if (err)
		pciback_stub_exit();
	return err;
}

static void __exit pciback_exit(void)
{
	pciback_xenbus_exit();
	pciback_stub_exit();
}

module_init(pciback_init);
module_exit(pciback_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx: PCI passthrough backend (pciback)");
