// SPDX-License-Identifier: GPL-2.0-only
/*
 * edu_test.c: a native PCI driver for QEMU's "edu" teaching device
 * (1234:11e8), used in a domU the device was passed to. At probe it reads
 * the ID register, checks the liveness register (it returns the inverse
 * of what was written) and runs the MMIO factorial, all through BAR 0.
 * Results are module parameters under /sys/module/edu_test/parameters/;
 * writing N to `bench_reads` times N reads of the ID register
 * (`bench_ns` holds the total).
 */
#define pr_fmt(fmt) "edu_test: " fmt

#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/pci.h>

#define EDU_ID		0x00
#define EDU_LIVENESS	0x04
#define EDU_FACTORIAL	0x08
#define EDU_STATUS	0x20
#define EDU_STATUS_BUSY	0x01
#define EDU_ID_VALUE	0x010000edu

static unsigned int probed, id, liveness_ok, fact5, fact12;
static unsigned long bench_ns;
module_param(probed, uint, 0444);
module_param(id, uint, 0444);
module_param(liveness_ok, uint, 0444);
module_param(fact5, uint, 0444);
module_param(fact12, uint, 0444);
module_param(bench_ns, ulong, 0444);
MODULE_PARM_DESC(id, "the ID register as read at probe (0x010000ed)");
MODULE_PARM_DESC(fact12, "12! as the device computed it (479001600)");

static void __iomem *edu_bar;	/* the one device this test drives */
static DEFINE_MUTEX(edu_lock);

static int edu_factorial(void __iomem *bar, u32 n, u32 *out)
{
	unsigned int i;

	iowrite32(n, bar + EDU_FACTORIAL);
	for (i = 0; i < 10000; i++) {
		if (!(ioread32(bar + EDU_STATUS) & EDU_STATUS_BUSY)) {
			*out = ioread32(bar + EDU_FACTORIAL);
			return 0;
		}
		usleep_range(10, 20);
	}
	return -ETIMEDOUT;
}

static int set_bench(const char *val, const struct kernel_param *kp)
{
	unsigned int n, i;
	ktime_t t0;
	u32 bad = 0;
	int err = kstrtouint(val, 0, &n);

	if (err)
		return err;
	mutex_lock(&edu_lock);
	if (!edu_bar) {
		mutex_unlock(&edu_lock);
		return -ENODEV;
	}
	t0 = ktime_get();
	for (i = 0; i < n; i++)
		bad |= ioread32(edu_bar + EDU_ID) ^ EDU_ID_VALUE;
	bench_ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	mutex_unlock(&edu_lock);
	return bad ? -EIO : 0;
}

static const struct kernel_param_ops bench_ops = { .set = set_bench };
module_param_cb(bench_reads, &bench_ops, NULL, 0200);
MODULE_PARM_DESC(bench_reads, "write N: time N reads of the ID register into bench_ns");

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	void __iomem *bar;
	u32 v;
	int err;

	err = pcim_enable_device(pdev);
	if (err)
		return err;
	err = pcim_iomap_regions(pdev, BIT(0), "edu_test");
	if (err)
		return err;
	bar = pcim_iomap_table(pdev)[0];
	id = ioread32(bar + EDU_ID);
	iowrite32(0x12345678, bar + EDU_LIVENESS);
	liveness_ok = ioread32(bar + EDU_LIVENESS) == ~0x12345678u;
	if (!edu_factorial(bar, 5, &v))
		fact5 = v;
	if (!edu_factorial(bar, 12, &v))
		fact12 = v;
	dev_info(&pdev->dev, "id %#x, liveness %s, 5! = %u, 12! = %u\n", id,
		 liveness_ok ? "ok" : "wrong", fact5, fact12);
	mutex_lock(&edu_lock);
	if (!edu_bar)
		edu_bar = bar;
	mutex_unlock(&edu_lock);
	probed++;
	return 0;
}

static void edu_remove(struct pci_dev *pdev)
{
	mutex_lock(&edu_lock);
	if (edu_bar == pcim_iomap_table(pdev)[0])
		edu_bar = NULL;
	mutex_unlock(&edu_lock);
	dev_info(&pdev->dev, "removed\n");
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

static struct pci_driver edu_driver = {
	.name = "edu_test",
	.id_table = edu_ids,
	.probe = edu_probe,
	.remove = edu_remove,
};
module_pci_driver(edu_driver);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvx test: a driver for QEMU's edu device");
