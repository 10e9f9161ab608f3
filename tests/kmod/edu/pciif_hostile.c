// SPDX-License-Identifier: GPL-2.0-only
/*
 * pciif_hostile.c: MSI and MSI-X operations a well-behaved pcifront never
 * sends, sent to pciback for one device with no driver bound (bdf=), and
 * what each must answer: bad entry counts, entries out of the table or
 * named twice, a second enable, MSI while MSI-X is on, disables when off
 * and in the wrong order, an unknown command. The device must have MSI-X.
 * With leave_on=1 it ends with MSI-X on, for the domain's destruction to
 * turn off. Results: the passed and failed parameters, and one line in
 * the log for each failure.
 */
#define pr_fmt(fmt) "pciif_hostile: " fmt

#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include "../../../include/xen/hvx/pciif.h"

static char *bdf;
module_param(bdf, charp, 0444);
MODULE_PARM_DESC(bdf, "the device (DDDD:BB:SS.F on a pcifront bus, no driver bound)");
static bool leave_on;
module_param(leave_on, bool, 0444);
MODULE_PARM_DESC(leave_on, "end with MSI-X enabled in pciback");
static unsigned int passed, failed;
module_param(passed, uint, 0444);
module_param(failed, uint, 0444);
MODULE_PARM_DESC(passed, "checks that held");
MODULE_PARM_DESC(failed, "checks that did not (each is in the log)");

static struct hvx_xen_pci_op *op;

static int send(struct pci_dev *pdev, u32 cmd, u32 value, unsigned int nent)
{
	op->cmd = cmd;
	op->value = value;
	op->err = 0;
	return hvx_pcifront_op(pdev, op, nent);
}

static void check(bool ok, const char *what, int err)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	pr_err("FAIL %s (answer %d)\n", what, err);
}

static void set_entries(unsigned int n, unsigned int first)
{
	unsigned int i;

	memset(op->msix_entries, 0, sizeof(op->msix_entries));
	for (i = 0; i < n; i++)
		op->msix_entries[i].entry = first + i;
}

static void run(struct pci_dev *pdev, unsigned int tsize)
{
	unsigned int i, j;
	bool distinct;
	int err;

	set_entries(1, 0);
	err = send(pdev, HVX_XEN_PCI_OP_enable_msix, 0, 1);
	check(err == HVX_XEN_PCI_ERR_op_failed, "enable_msix with 0 entries refused", err);
	err = send(pdev, HVX_XEN_PCI_OP_enable_msix, HVX_SH_INFO_MAX_VEC + 1, 1);
	check(err == HVX_XEN_PCI_ERR_op_failed, "enable_msix with 129 entries refused", err);
	err = send(pdev, HVX_XEN_PCI_OP_enable_msix, 0xffffffffu, 1);
	check(err == HVX_XEN_PCI_ERR_op_failed, "enable_msix with 2^32-1 entries refused", err);
	if (tsize < HVX_SH_INFO_MAX_VEC) {
		set_entries(tsize + 1, 0);
		err = send(pdev, HVX_XEN_PCI_OP_enable_msix, tsize + 1, tsize + 1);
		check(err == HVX_XEN_PCI_ERR_op_failed, "enable_msix with more entries than the table",
		      err);
	}
	set_entries(1, tsize);
	err = send(pdev, HVX_XEN_PCI_OP_enable_msix, 1, 1);
	check(err == HVX_XEN_PCI_ERR_op_failed, "enable_msix of an entry past the table", err);
	set_entries(1, 0xffff);
	err = send(pdev, HVX_XEN_PCI_OP_enable_msix, 1, 1);
	check(err == HVX_XEN_PCI_ERR_op_failed, "enable_msix of entry 0xffff", err);
	if (tsize >= 2) {
		set_entries(2, 0);
		op->msix_entries[1].entry = 0;
		err = send(pdev, HVX_XEN_PCI_OP_enable_msix, 2, 2);
		check(err == HVX_XEN_PCI_ERR_op_failed, "enable_msix naming an entry twice", err);
	}
	err = send(pdev, HVX_XEN_PCI_OP_disable_msix, 0, 0);
	check(err == HVX_XEN_PCI_ERR_success, "disable_msix when off is ignored", err);
	err = send(pdev, HVX_XEN_PCI_OP_disable_msi, 0, 0);
	check(err == HVX_XEN_PCI_ERR_success, "disable_msi when off is ignored", err);

	/* One vector, then everything in the wrong order. */
	set_entries(1, tsize - 1);
	err = send(pdev, HVX_XEN_PCI_OP_enable_msix, 1, 1);
	check(!err && op->msix_entries[0].vector && op->msix_entries[0].entry == tsize - 1,
	      "enable_msix of the last entry answers a port", err);
	set_entries(1, 0);
	err = send(pdev, HVX_XEN_PCI_OP_enable_msix, 1, 1);
	check(err == HVX_XEN_PCI_ERR_op_failed, "a second enable_msix refused", err);
	err = send(pdev, HVX_XEN_PCI_OP_enable_msi, 0, 0);
	check(err != HVX_XEN_PCI_ERR_success, "enable_msi while MSI-X is on refused", err);
	err = send(pdev, HVX_XEN_PCI_OP_disable_msi, 0, 0);
	check(err == HVX_XEN_PCI_ERR_success, "disable_msi while MSI-X is on is ignored", err);
	err = send(pdev, HVX_XEN_PCI_OP_enable_msix, 1, 1);
	check(err == HVX_XEN_PCI_ERR_op_failed, "MSI-X still on after disable_msi", err);
	err = send(pdev, HVX_XEN_PCI_OP_disable_msix, 0, 0);
	check(err == HVX_XEN_PCI_ERR_success, "disable_msix", err);
	err = send(pdev, HVX_XEN_PCI_OP_disable_msix, 0, 0);
	check(err == HVX_XEN_PCI_ERR_success, "a second disable_msix is ignored", err);

	/* The whole table, several times over. */
	for (j = 0; j < 3; j++) {
		set_entries(tsize, 0);
		err = send(pdev, HVX_XEN_PCI_OP_enable_msix, tsize, tsize);
		distinct = !err;
		for (i = 0; distinct && i < tsize; i++)
			distinct = op->msix_entries[i].vector &&
				   (!i || op->msix_entries[i].vector != op->msix_entries[i - 1].vector);
		check(distinct, "enable_msix of the whole table answers a port each", err);
		err = send(pdev, HVX_XEN_PCI_OP_disable_msix, 0, 0);
		check(err == HVX_XEN_PCI_ERR_success, "disable_msix of the whole table", err);
	}
	err = send(pdev, 99, 0, 0);
	check(err == HVX_XEN_PCI_ERR_not_implemented, "an unknown command: not_implemented", err);
	if (leave_on) {
		set_entries(tsize, 0);
		err = send(pdev, HVX_XEN_PCI_OP_enable_msix, tsize, tsize);
		check(!err, "enable_msix left on", err);
	}
}

static int __init pciif_hostile_init(void)
{
	unsigned int dom, bus, slot, fn;
	struct pci_dev *pdev;
	int tsize;

	if (!bdf || sscanf(bdf, "%x:%x:%x.%x", &dom, &bus, &slot, &fn) != 4 ||
	    bus > 0xff || slot > 0x1f || fn > 7)
		return -EINVAL;
	pdev = pci_get_domain_bus_and_slot(dom, bus, PCI_DEVFN(slot, fn));
	if (!pdev)
		return -ENODEV;
	tsize = pci_msix_vec_count(pdev);
	op = kzalloc(sizeof(*op), GFP_KERNEL);
	if (pdev->dev.driver || tsize <= 0 || !op) {
		pr_err("%s: %s\n", bdf, pdev->dev.driver ? "a driver is bound" :
		       op ? "no MSI-X" : "no memory");
		kfree(op);
		pci_dev_put(pdev);
		return -EBUSY;
	}
	run(pdev, tsize);
	pr_info("%s (MSI-X table of %d): %u passed, %u failed\n", bdf, tsize, passed, failed);
	kfree(op);
	pci_dev_put(pdev);
	return 0;
}

static void __exit pciif_hostile_exit(void)
{
}

module_init(pciif_hostile_init);
module_exit(pciif_hostile_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx test: hostile MSI/MSI-X operations to pciback");
