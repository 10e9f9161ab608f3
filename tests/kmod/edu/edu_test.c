// SPDX-License-Identifier: GPL-2.0-only
/*
 * edu_test.c: a native PCI driver for QEMU's "edu" teaching device
 * (1234:11e8), used in a domU the device was passed to. At probe it reads
 * the ID register, checks the liveness register (it returns the inverse
 * of what was written) and runs the MMIO factorial, all through BAR 0.
 * It then copies 2 KiB to the device's buffer and back by DMA and checks
 * it, and takes an MSI if the bus gives it one (raise_irq makes the device
 * raise it). Results are module parameters under
 * /sys/module/edu_test/parameters/;
 * writing N to `bench_reads` times N reads of the ID register
 * (`bench_ns` holds the total by the kernel's clock, `bench_cycles` the
 * same by the time-stamp counter, `tsc_khz` its rate as this kernel knows
 * it).
 */
#define pr_fmt(fmt) "edu_test: " fmt

#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/timex.h>
#include <asm/tsc.h>

#define EDU_ID		0x00
#define EDU_LIVENESS	0x04
#define EDU_FACTORIAL	0x08
#define EDU_STATUS	0x20
#define EDU_STATUS_BUSY	0x01
#define EDU_ID_VALUE	0x010000edu
#define EDU_IRQ_STATUS	0x24
#define EDU_IRQ_RAISE	0x60
#define EDU_IRQ_ACK	0x64
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_DMA_RUN	0x1
#define EDU_DMA_TO_RAM	0x2	/* QEMU's "to PCI": device buffer -> RAM */
#define EDU_DMA_BUF	0x40000	/* the device's buffer, 4 KiB */
/*
 * Less than the whole buffer: QEMU 7.2's edu rejects a range that ends
 * exactly at the buffer's end with a hardware error (the lab machine
 * stops).
 */
#define EDU_DMA_LEN	2048
#define EDU_IRQ_MAGIC	0x5a5a0000u

static unsigned int probed, id, liveness_ok, fact5, fact12, dma_ok, msi;
static unsigned int irqs, irq_status;
static unsigned long bench_ns, bench_cycles;
module_param(probed, uint, 0444);
module_param(id, uint, 0444);
module_param(liveness_ok, uint, 0444);
module_param(fact5, uint, 0444);
module_param(fact12, uint, 0444);
module_param(bench_ns, ulong, 0444);
module_param(bench_cycles, ulong, 0444);
MODULE_PARM_DESC(bench_cycles, "time-stamp counter cycles of the last bench_reads run");
module_param(dma_ok, uint, 0444);
module_param(msi, uint, 0444);
module_param(irqs, uint, 0444);
module_param(irq_status, uint, 0444);
MODULE_PARM_DESC(dma_ok, "2 KiB went RAM -> device -> RAM by DMA and came back intact");
MODULE_PARM_DESC(irqs, "interrupts received (irq_status: the last status read)");
MODULE_PARM_DESC(id, "the ID register as read at probe (0x010000ed)");
MODULE_PARM_DESC(fact12, "12! as the device computed it (479001600)");

static void __iomem *edu_bar;	/* the one device this test drives */
static struct pci_dev *edu_pdev;
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

static int edu_dma(void __iomem *bar, u64 src, u64 dst, u32 cmd)
{
	unsigned int i;

	iowrite32(lower_32_bits(src), bar + EDU_DMA_SRC);
	iowrite32(lower_32_bits(dst), bar + EDU_DMA_DST);
	iowrite32(EDU_DMA_LEN, bar + EDU_DMA_CNT);
	iowrite32(cmd | EDU_DMA_RUN, bar + EDU_DMA_CMD);
	for (i = 0; i < 2000; i++) {
		if (!(ioread32(bar + EDU_DMA_CMD) & EDU_DMA_RUN))
			return 0;
		usleep_range(5000, 6000);
	}
	return -ETIMEDOUT;
}

/* A page to the device's buffer and back into another page, checked. */
static int edu_dma_test(struct pci_dev *pdev, void __iomem *bar)
{
	dma_addr_t dma;
	u8 *buf;
	int err, i;

	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(28));
	if (err)
		return err;
	buf = dma_alloc_coherent(&pdev->dev, 2 * EDU_DMA_LEN, &dma, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < EDU_DMA_LEN; i++)
		buf[i] = (u8)(i * 7 + 3);
	memset(buf + EDU_DMA_LEN, 0, EDU_DMA_LEN);
	pci_set_master(pdev);
	err = edu_dma(bar, dma, EDU_DMA_BUF, 0);
	if (!err)
		err = edu_dma(bar, EDU_DMA_BUF, dma + EDU_DMA_LEN, EDU_DMA_TO_RAM);
	if (!err && memcmp(buf, buf + EDU_DMA_LEN, EDU_DMA_LEN))
		err = -EIO;
	dev_info(&pdev->dev, "DMA at %pad: %s (%d)\n", &dma, err ? "failed" : "ok", err);
	dma_free_coherent(&pdev->dev, 2 * EDU_DMA_LEN, buf, dma);
	return err;
}

/* The IRQ's cookie is the BAR's mapping (an __iomem pointer carried as void *). */
static irqreturn_t edu_irq(int irq, void *data)
{
	void __iomem *bar = (__force void __iomem *)data;
	u32 st = ioread32(bar + EDU_IRQ_STATUS);

	if (!st)
		return IRQ_NONE;
	iowrite32(st, bar + EDU_IRQ_ACK);
	WRITE_ONCE(irq_status, st);
	WRITE_ONCE(irqs, irqs + 1);
	return IRQ_HANDLED;
}

static int set_raise(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int err = kstrtouint(val, 0, &n);

	if (err)
		return err;
	mutex_lock(&edu_lock);
	if (edu_bar)
		iowrite32(EDU_IRQ_MAGIC | (n & 0xffff), edu_bar + EDU_IRQ_RAISE);
	mutex_unlock(&edu_lock);
	return edu_bar ? 0 : -ENODEV;
}

static const struct kernel_param_ops raise_ops = { .set = set_raise };
module_param_cb(raise_irq, &raise_ops, NULL, 0200);
MODULE_PARM_DESC(raise_irq, "write N: the device raises an interrupt with status 0x5a5a0000|N");

static int set_bench(const char *val, const struct kernel_param *kp)
{
	unsigned int n, i;
	cycles_t c0;
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
	c0 = get_cycles();
	for (i = 0; i < n; i++)
		bad |= ioread32(edu_bar + EDU_ID) ^ EDU_ID_VALUE;
	bench_cycles = get_cycles() - c0;
	bench_ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	mutex_unlock(&edu_lock);
	return bad ? -EIO : 0;
}

static const struct kernel_param_ops bench_ops = { .set = set_bench };

static unsigned long bench_dma_ns;
module_param(bench_dma_ns, ulong, 0444);
MODULE_PARM_DESC(bench_dma_ns, "time of the last bench_dma run");

/* N round trips of EDU_DMA_LEN bytes: RAM -> device -> RAM. */
static int set_bench_dma(const char *val, const struct kernel_param *kp)
{
	dma_addr_t dma;
	unsigned int n, i;
	ktime_t t0;
	void *buf;
	int err = kstrtouint(val, 0, &n);

	if (err)
		return err;
	mutex_lock(&edu_lock);
	if (!edu_bar) {
		mutex_unlock(&edu_lock);
		return -ENODEV;
	}
	buf = dma_alloc_coherent(&edu_pdev->dev, EDU_DMA_LEN, &dma, GFP_KERNEL);
	if (!buf) {
		mutex_unlock(&edu_lock);
		return -ENOMEM;
	}
	t0 = ktime_get();
	for (i = 0; i < n && !err; i++) {
		err = edu_dma(edu_bar, dma, EDU_DMA_BUF, 0);
		if (!err)
			err = edu_dma(edu_bar, EDU_DMA_BUF, dma, EDU_DMA_TO_RAM);
	}
	bench_dma_ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	dma_free_coherent(&edu_pdev->dev, EDU_DMA_LEN, buf, dma);
	mutex_unlock(&edu_lock);
	return err;
}

static const struct kernel_param_ops bench_dma_ops = { .set = set_bench_dma };
module_param_cb(bench_dma, &bench_dma_ops, NULL, 0200);
MODULE_PARM_DESC(bench_dma, "write N: time N DMA round trips (RAM -> device -> RAM) into bench_dma_ns");
module_param_cb(bench_reads, &bench_ops, NULL, 0200);
MODULE_PARM_DESC(bench_reads, "write N: time N reads of the ID register into bench_ns");

static int get_tsc_khz(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%u\n", tsc_khz);
}

static const struct kernel_param_ops tsc_khz_ops = { .get = get_tsc_khz };
module_param_cb(tsc_khz, &tsc_khz_ops, NULL, 0444);
MODULE_PARM_DESC(tsc_khz, "the time-stamp counter's rate as this kernel knows it");

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
	dma_ok = !edu_dma_test(pdev, bar);
	if (pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI) == 1) {
		err = devm_request_irq(&pdev->dev, pci_irq_vector(pdev, 0), edu_irq, 0,
				       "edu_test", (__force void *)bar);
		if (err)
			pci_free_irq_vectors(pdev);
		else
			msi = 1;
	}
	dev_info(&pdev->dev, "MSI %s\n", msi ? "on" : "not available");
	mutex_lock(&edu_lock);
	if (!edu_bar) {
		edu_bar = bar;
		edu_pdev = pdev;
	}
	mutex_unlock(&edu_lock);
	probed++;
	return 0;
}

static void edu_remove(struct pci_dev *pdev)
{
	if (msi) {
		devm_free_irq(&pdev->dev, pci_irq_vector(pdev, 0),
			      (__force void *)pcim_iomap_table(pdev)[0]);
		pci_free_irq_vectors(pdev);
		msi = 0;
	}
	mutex_lock(&edu_lock);
	if (edu_bar == pcim_iomap_table(pdev)[0]) {
		edu_bar = NULL;
		edu_pdev = NULL;
	}
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
