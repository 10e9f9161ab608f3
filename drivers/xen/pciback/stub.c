// SPDX-License-Identifier: GPL-2.0-only
/*
 * stub.c: the "pciback" PCI driver. It matches every device but binds
 * only those its slot list names (hide=, new_slot), keeps their config
 * state, resets them when taken and when given back, and has the sysfs
 * files of Xen's pciback: new_slot, remove_slot, slots, permissive,
 * quirks, irq_handlers (bind and unbind are the driver core's).
 */
#define pr_fmt(fmt) "pciback: " fmt

#include <linux/device.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "pciback.h"

struct pciback_slot {
	struct list_head list;
	struct pciback_bdf bdf;		/* wildcards allowed */
};

/* The slot and device lists, and every device's state. */
DEFINE_MUTEX(pciback_lock);
static LIST_HEAD(pciback_slots);	/* struct pciback_slot */
static LIST_HEAD(pciback_devs);		/* struct pciback_dev */

static int dev_domain(const struct pci_dev *pdev)
{
	return pci_domain_nr(pdev->bus);
}

static bool slot_listed(const struct pci_dev *pdev)
{
	struct pciback_slot *s;

	list_for_each_entry(s, &pciback_slots, list)
		if (pciback_bdf_match(&s->bdf, dev_domain(pdev), pdev->bus->number,
				      PCI_SLOT(pdev->devfn), PCI_FUNC(pdev->devfn)))
			return true;
	return false;
}

static int slot_add(const struct pciback_bdf *bdf, void *arg)
{
	struct pciback_slot *s;

	list_for_each_entry(s, &pciback_slots, list)
		if (!memcmp(&s->bdf, bdf, sizeof(*bdf)))
			return 0;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->bdf = *bdf;
	list_add_tail(&s->list, &pciback_slots);
	return 0;
}

struct pciback_dev *pciback_find(int domain, int bus, int slot, int func)
{
	struct pciback_dev *d;

	list_for_each_entry(d, &pciback_devs, list)
		if (dev_domain(d->pdev) == domain && d->pdev->bus->number == bus &&
		    d->pdev->devfn == PCI_DEVFN(slot, func))
			return d;
	return NULL;
}

/* Put the device back as pciback found it: reset, saved state, no DMA. */
static void reset_device(struct pciback_dev *d, bool locked)
{
	struct pci_dev *pdev = d->pdev;
	int err;

	pci_clear_master(pdev);
	err = locked ? pci_reset_function_locked(pdev) : pci_try_reset_function(pdev);
	if (err && err != -ENOTTY)
		dev_warn(&pdev->dev, "reset failed (%d); restoring its state only\n", err);
	if (d->saved) {
		pci_load_saved_state(pdev, d->saved);
		pci_restore_state(pdev);
	}
	pci_clear_master(pdev);
}

/*
 * QEMU's virtio devices go through the IOMMU only when they offer
 * VIRTIO_F_ACCESS_PLATFORM (feature bit 33, which only the modern
 * interface can carry); without it their DMA goes to host-physical
 * addresses, past the IOMMU, whatever group dom0 puts them in. A domain
 * given one sees its rings at the wrong addresses (the device finds them
 * empty), and could make the device read and write anywhere in dom0: such
 * a device counts as one without an IOMMU.
 */
#define PCIBACK_VIRTIO_VENDOR		0x1af4
#define PCIBACK_VIRTIO_FIRST_ID		0x1000
#define PCIBACK_VIRTIO_LAST_ID		0x107f
#define PCIBACK_VIRTIO_CAP_COMMON	1	/* cfg_type of the common config */
#define PCIBACK_VIRTIO_F_PLATFORM_HI	BIT(33 - 32)

static bool virtio_dma_bypasses_iommu(struct pci_dev *pdev)
{
	void __iomem *common;
	u8 pos, type, bar;
	u32 off, hi;

	if (pdev->vendor != PCIBACK_VIRTIO_VENDOR || pdev->device < PCIBACK_VIRTIO_FIRST_ID ||
	    pdev->device > PCIBACK_VIRTIO_LAST_ID)
		return false;
	for (pos = pci_find_capability(pdev, PCI_CAP_ID_VNDR); pos;
	     pos = pci_find_next_capability(pdev, pos, PCI_CAP_ID_VNDR)) {
		pci_read_config_byte(pdev, pos + 3, &type);
		if (type != PCIBACK_VIRTIO_CAP_COMMON)
			continue;
		pci_read_config_byte(pdev, pos + 4, &bar);
		pci_read_config_dword(pdev, pos + 8, &off);
		if (bar >= PCI_STD_NUM_BARS ||
		    !(pci_resource_flags(pdev, bar) & IORESOURCE_MEM) ||
		    (u64)off + 8 > pci_resource_len(pdev, bar))
			return true;
		common = pci_iomap_range(pdev, bar, off, 8);
		if (!common)
			return true;
		iowrite32(1, common);		/* device_feature_select: bits 32-63 */
		hi = ioread32(common + 4);	/* device_feature */
		pci_iounmap(pdev, common);
		/* All ones: the BAR does not decode; no answer is no. */
		return hi == ~0u || !(hi & PCIBACK_VIRTIO_F_PLATFORM_HI);
	}
	return true;	/* legacy only: it cannot offer ACCESS_PLATFORM */
}

int pciback_claim(struct pciback_dev *d, int domid, bool permissive)
{
	if (d->owner >= 0)
		return d->owner == domid ? -EEXIST : -EBUSY;
	if (device_iommu_mapped(&d->pdev->dev) && virtio_dma_bypasses_iommu(d->pdev)) {
		if (!pciback_unsafe_no_iommu) {
			dev_err(&d->pdev->dev,
				"virtio without VIRTIO_F_ACCESS_PLATFORM: its DMA bypasses the IOMMU; refused for domain %d (load pciback with unsafe_no_iommu=1 only for a fully trusted domain)\n",
				domid);
			return -EXDEV;
		}
		dev_warn(&d->pdev->dev,
			 "virtio without VIRTIO_F_ACCESS_PLATFORM, forced: its DMA bypasses the IOMMU; domain %d can DMA anywhere in the host and must be trusted\n",
			 domid);
	}
	if (!device_iommu_mapped(&d->pdev->dev)) {
		if (!pciback_unsafe_no_iommu) {
			dev_err(&d->pdev->dev,
				"no IOMMU: refused for domain %d (a domain given a device without an IOMMU can DMA anywhere in the host; load pciback with unsafe_no_iommu=1 only for a fully trusted domain)\n",
				domid);
			return -EPERM;
		}
		dev_warn(&d->pdev->dev,
			 "no IOMMU, forced: domain %d can DMA anywhere in the host and must be trusted\n",
			 domid);
	}
	reset_device(d, false);
	d->owner = domid;
	pciback_conf_init(d, permissive || d->permissive || pciback_permissive);
	/* Without INTx forwarding the device still works with MSI or polling. */
	pciback_intx_start(d);
	dev_info(&d->pdev->dev, "assigned to domain %d%s\n", domid,
		 d->cfg.permissive ? " (permissive)" : "");
	return 0;
}

void pciback_release(struct pciback_dev *d)
{
	if (d->owner < 0)
		return;
	pciback_intx_stop(d);
	pciback_msi_release(d);
	reset_device(d, false);
	/* Held with no handler: a device that kept running must not storm a shared line. */
	pci_intx(d->pdev, 0);
	dev_info(&d->pdev->dev, "returned by domain %d (%lu config operations)\n",
		 d->owner, d->conf_ops);
	d->owner = -1;
	d->conf_ops = 0;
}

static int pciback_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct pciback_dev *d;
	int err = -ENODEV;

	mutex_lock(&pciback_lock);
	if (!slot_listed(pdev))
		goto out;
	if (pdev->hdr_type != PCI_HEADER_TYPE_NORMAL ||
	    (pdev->class >> 16) == PCI_BASE_CLASS_BRIDGE) {
		dev_warn(&pdev->dev, "a bridge cannot be passed through; not taken\n");
		goto out;
	}
	err = -ENOMEM;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		goto out;
	d->pdev = pdev;
	d->owner = -1;
	pci_save_state(pdev);
	d->saved = pci_store_saved_state(pdev);
	if (!d->saved) {
		kfree(d);
		goto out;
	}
	reset_device(d, true);
	pci_intx(pdev, 0);	/* nobody handles its INTx while pciback holds it */
	pci_set_drvdata(pdev, d);
	list_add_tail(&d->list, &pciback_devs);
	dev_info(&pdev->dev, "seized (%s)\n",
		 device_iommu_mapped(&pdev->dev) ? "IOMMU group present" : "no IOMMU");
	err = 0;
out:
	mutex_unlock(&pciback_lock);
	return err;
}

static void pciback_remove(struct pci_dev *pdev)
{
	struct pciback_dev *d = pci_get_drvdata(pdev);

	mutex_lock(&pciback_lock);
	if (d->owner >= 0)
		dev_warn(&pdev->dev, "unbound while domain %d uses it; the domain loses it\n",
			 d->owner);
	list_del(&d->list);
	pciback_intx_stop(d);
	pciback_msi_release(d);
	d->owner = -1;
	reset_device(d, true);
	mutex_unlock(&pciback_lock);
	kfree(d->saved);
	kfree(d);
	pci_set_drvdata(pdev, NULL);
}

static const struct pci_device_id pciback_ids[] = {
	{ PCI_DEVICE(PCI_ANY_ID, PCI_ANY_ID) },
	{ }
};

static struct pci_driver pciback_driver = {
	.name = "pciback",
	.id_table = pciback_ids,
	.probe = pciback_probe,
	.remove = pciback_remove,
	/* DMA goes where hv's IOMMU domain says, not through dom0's API. */
	.driver_managed_dma = true,
};

/* ---- sysfs: /sys/bus/pci/drivers/pciback/ ------------------------------ */

static void print_bdf_field(char *buf, size_t len, int v, int width)
{
	if (v == PCIBACK_BDF_ANY)
		snprintf(buf, len, "*");
	else
		snprintf(buf, len, "%0*x", width, v);
}

static ssize_t slots_show(struct device_driver *drv, char *buf)
{
	struct pciback_slot *s;
	char sl[4], fn[4];
	ssize_t n = 0;

	mutex_lock(&pciback_lock);
	list_for_each_entry(s, &pciback_slots, list) {
		print_bdf_field(sl, sizeof(sl), s->bdf.slot, 2);
		print_bdf_field(fn, sizeof(fn), s->bdf.func, 1);
		n += sysfs_emit_at(buf, n, "%04x:%02x:%s.%s\n", s->bdf.domain,
				   s->bdf.bus, sl, fn);
	}
	mutex_unlock(&pciback_lock);
	return n;
}
static DRIVER_ATTR_RO(slots);

static ssize_t new_slot_store(struct device_driver *drv, const char *buf,
			      size_t count)
{
	struct pciback_bdf bdf;
	int err;

	if (pciback_parse_bdf_str(buf, count, true, &bdf)) {
		pr_warn("new_slot: '%.*s' is not DDDD:BB:SS.F\n", (int)min_t(size_t, count, 32),
			buf);
		return -EINVAL;
	}
	mutex_lock(&pciback_lock);
	err = slot_add(&bdf, NULL);
	mutex_unlock(&pciback_lock);
	return err ? err : count;
}
static DRIVER_ATTR_WO(new_slot);

static ssize_t remove_slot_store(struct device_driver *drv, const char *buf,
				 size_t count)
{
	struct pciback_slot *s, *tmp;
	struct pciback_bdf bdf;
	int err = -ENOENT;

	if (pciback_parse_bdf_str(buf, count, true, &bdf))
		return -EINVAL;
	mutex_lock(&pciback_lock);
	list_for_each_entry_safe(s, tmp, &pciback_slots, list) {
		if (!memcmp(&s->bdf, &bdf, sizeof(bdf))) {
			list_del(&s->list);
			kfree(s);
			err = 0;
		}
	}
	mutex_unlock(&pciback_lock);
	return err ? err : count;
}
static DRIVER_ATTR_WO(remove_slot);

/* A device pciback owns, named by a whole BDF in @buf; under the lock. */
static struct pciback_dev *find_named(const char *buf, size_t count)
{
	struct pciback_bdf bdf;

	if (pciback_parse_bdf_str(buf, count, false, &bdf))
		return ERR_PTR(-EINVAL);
	return pciback_find(bdf.domain, bdf.bus, bdf.slot, bdf.func) ?: ERR_PTR(-ENODEV);
}

static ssize_t permissive_show(struct device_driver *drv, char *buf)
{
	struct pciback_dev *d;
	ssize_t n = 0;

	mutex_lock(&pciback_lock);
	list_for_each_entry(d, &pciback_devs, list)
		if (d->permissive)
			n += sysfs_emit_at(buf, n, "%s\n", pci_name(d->pdev));
	mutex_unlock(&pciback_lock);
	return n;
}

static ssize_t permissive_store(struct device_driver *drv, const char *buf,
				size_t count)
{
	struct pciback_dev *d;
	ssize_t ret = count;

	mutex_lock(&pciback_lock);
	d = find_named(buf, count);
	if (IS_ERR(d)) {
		ret = PTR_ERR(d);
	} else {
		d->permissive = true;
		if (d->owner >= 0)
			d->cfg.permissive = true;
		dev_warn(&d->pdev->dev,
			 "permissive: its guest may write any config register outside BARs and MSI\n");
	}
	mutex_unlock(&pciback_lock);
	return ret;
}
static DRIVER_ATTR_RW(permissive);

static ssize_t quirks_show(struct device_driver *drv, char *buf)
{
	struct pciback_dev *d;
	unsigned int i;
	ssize_t n = 0;

	mutex_lock(&pciback_lock);
	list_for_each_entry(d, &pciback_devs, list)
		for (i = 0; i < d->nr_quirks; i++)
			n += sysfs_emit_at(buf, n, "%s-%x:%u:%x\n", pci_name(d->pdev),
					   d->quirk[i].reg, d->quirk[i].size,
					   d->quirk[i].mask);
	mutex_unlock(&pciback_lock);
	return n;
}

/*
 * "DDDD:BB:SS.F-REG:SIZE:MASK" (hex, SIZE 1, 2 or 4): the guest may write
 * the MASK bits of that register.
 */
static ssize_t quirks_store(struct device_driver *drv, const char *buf,
			    size_t count)
{
	const char *dash = memchr(buf, '-', count);
	struct pciback_cfg_quirk q;
	struct pciback_dev *d;
	unsigned int reg, size, mask;
	char tail[32];
	ssize_t ret = count;

	if (!dash || count - (dash - buf) >= sizeof(tail))
		return -EINVAL;
	memcpy(tail, dash + 1, count - (dash - buf) - 1);
	tail[count - (dash - buf) - 1] = '\0';
	if (sscanf(tail, "%x:%x:%x", &reg, &size, &mask) != 3 ||
	    (size != 1 && size != 2 && size != 4) || reg % size ||
	    reg < PCIBACK_CFG_HEADER_END || reg + size > PCIBACK_CFG_SPACE_MAX)
		return -EINVAL;
	q.reg = reg;
	q.size = size;
	q.mask = mask;
	mutex_lock(&pciback_lock);
	d = find_named(buf, dash - buf);
	if (IS_ERR(d)) {
		ret = PTR_ERR(d);
	} else if (d->nr_quirks >= PCIBACK_MAX_QUIRKS) {
		ret = -ENOSPC;
	} else {
		d->quirk[d->nr_quirks++] = q;
		if (d->owner >= 0 && d->cfg.nr_quirks < PCIBACK_MAX_QUIRKS)
			d->cfg.quirk[d->cfg.nr_quirks++] = q;
	}
	mutex_unlock(&pciback_lock);
	return ret;
}
static DRIVER_ATTR_RW(quirks);

static ssize_t irq_handlers_show(struct device_driver *drv, char *buf)
{
	struct pciback_dev *d;
	ssize_t n = 0;

	mutex_lock(&pciback_lock);
	list_for_each_entry(d, &pciback_devs, list)
		n += sysfs_emit_at(buf, n, "%s:irq %d:%s:%s:forwarded %lu:domain %d:intx %s %lu/%lu\n",
				   pci_name(d->pdev), d->pdev->irq,
				   d->pdev->msi_enabled ? "msi" : "no msi",
				   d->pdev->msix_enabled ? "msi-x" : "no msi-x",
				   d->msi_count, d->owner, d->intx_on ? "on" : "off",
				   d->intx_count, d->intx_eois);
	mutex_unlock(&pciback_lock);
	return n;
}
static DRIVER_ATTR_RO(irq_handlers);

static struct driver_attribute *const pciback_attrs[] = {
	&driver_attr_slots, &driver_attr_new_slot, &driver_attr_remove_slot,
	&driver_attr_permissive, &driver_attr_quirks, &driver_attr_irq_handlers,
};

static void remove_files(unsigned int n)
{
	while (n--)
		driver_remove_file(&pciback_driver.driver, pciback_attrs[n]);
}

/* Devices hide= names that another driver holds stay with it: say so. */
static void warn_bound_elsewhere(void)
{
	struct pci_dev *pdev = NULL;

	mutex_lock(&pciback_lock);
	for_each_pci_dev(pdev)
		if (slot_listed(pdev) && pdev->dev.driver &&
		    pdev->dev.driver != &pciback_driver.driver)
			dev_warn(&pdev->dev,
				 "listed for pciback but bound to %s: unbind it there, then bind it to pciback\n",
				 pdev->dev.driver->name);
	mutex_unlock(&pciback_lock);
}

static void free_slots(void)
{
	struct pciback_slot *s, *tmp;

	list_for_each_entry_safe(s, tmp, &pciback_slots, list) {
		list_del(&s->list);
		kfree(s);
	}
}

int pciback_stub_init(const char *hide)
{
	unsigned int i;
	size_t bad = 0;
	int err;

	if (hide && *hide) {
		err = pciback_parse_hide(hide, strlen(hide), slot_add, NULL, &bad);
		if (err < 0) {
			if (err == -1) {
				pr_err("hide=: malformed entry at offset %zu: '%.32s' (want (DDDD:BB:SS.F)(BB:SS.F)...)\n",
				       bad, hide + bad);
				err = -EINVAL;
			}
			free_slots();
			return err;
		}
	}
	err = pci_register_driver(&pciback_driver);
	if (err) {
		free_slots();
		return err;
	}
	for (i = 0; i < ARRAY_SIZE(pciback_attrs); i++) {
		err = driver_create_file(&pciback_driver.driver, pciback_attrs[i]);
		if (err) {
			remove_files(i);
			pci_unregister_driver(&pciback_driver);
			free_slots();
			return err;
		}
	}
	warn_bound_elsewhere();
	return 0;
}

void pciback_stub_exit(void)
{
	remove_files(ARRAY_SIZE(pciback_attrs));
	pci_unregister_driver(&pciback_driver);
	free_slots();
}
