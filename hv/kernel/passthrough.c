// SPDX-License-Identifier: GPL-2.0-only
/*
 * passthrough.c: DMA of devices passed to a domU. Each domU with a device
 * gets one IOMMU domain that maps guest-physical addresses to the pages
 * of its RAM memfd, every RAM frame, read and write; the pages stay
 * referenced until the last device leaves (deassign, or the domain goes,
 * before any of its memory is released). A device outside it (back with
 * pciback) is in its group's default domain, where nothing is mapped for
 * it.
 */
#define pr_fmt(fmt) "hv: " fmt

#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "domain.h"
#include "passthrough.h"

#define XHV_PT_MAX_DEVS	16

struct xhv_passthrough {
	struct mutex lock;		/* everything below; after pt_global */
	struct iommu_domain *iommu;	/* NULL until a device with an IOMMU */
	struct page **pages;		/* [nr_pages], referenced while mapped */
	unsigned long nr_pages;
	unsigned int nr_devs;
	struct pci_dev *devs[XHV_PT_MAX_DEVS];
};

static DEFINE_MUTEX(pt_global);	/* devices across domains */

/* Guest-physical address of RAM page @i (the memfd's layout, hvctl.h). */
static u64 page_gpa(unsigned long i)
{
	u64 off = (u64)i << PAGE_SHIFT;

	return off < HVCTL_RAM_HOLE_START ? off :
	       HVCTL_RAM_HIGH_START + (off - HVCTL_RAM_HOLE_START);
}

static void unmap_ram(struct xhv_passthrough *pt)
{
	unsigned long i;

	for (i = 0; i < pt->nr_pages; i++) {
		if (!pt->pages[i])
			continue;
		iommu_unmap(pt->iommu, page_gpa(i), PAGE_SIZE);
		put_page(pt->pages[i]);
		atomic64_dec(&xhv_nr_pinned);
	}
	kvfree(pt->pages);
	pt->pages = NULL;
	pt->nr_pages = 0;
}

/* Every RAM frame of @d into @pt->iommu. */
static int map_ram(struct xhv_domain *d, struct xhv_passthrough *pt)
{
	unsigned long nr = d->memory_kib >> (PAGE_SHIFT - 10), i;
	int err;

	pt->pages = kvcalloc(nr, sizeof(*pt->pages), GFP_KERNEL);
	if (!pt->pages)
		return -ENOMEM;
	pt->nr_pages = nr;
	for (i = 0; i < nr; i++) {
		u64 gpa = page_gpa(i);
		struct page *page = xhv_frame_page(d, gpa >> PAGE_SHIFT);

		if (IS_ERR(page)) {
			err = PTR_ERR(page);
			goto fail;
		}
		err = iommu_map(pt->iommu, gpa, page_to_phys(page), PAGE_SIZE,
				IOMMU_READ | IOMMU_WRITE);
		if (err) {
			put_page(page);
			goto fail;
		}
		pt->pages[i] = page;
		atomic64_inc(&xhv_nr_pinned);
		cond_resched();
	}
	return 0;
fail:
	unmap_ram(pt);
	return err;
}

static struct pci_dev *find_dev(const struct hvctl_pci_assign *req)
{
	if (req->segment > 0xffff || req->bus > 0xff || req->devfn > 0xff)
		return NULL;
	return pci_get_domain_bus_and_slot(req->segment, req->bus, req->devfn);
}

/* Is @pdev assigned to any domain? (under pt_global) */
static struct xhv_domain *pt_owners[XHV_PT_MAX_DEVS * 4];
static struct pci_dev *pt_owned[XHV_PT_MAX_DEVS * 4];

static int owned_slot(struct pci_dev *pdev)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pt_owned); i++)
		if (pt_owned[i] == pdev)
			return i;
	return -1;
}

int xhv_pci_assign(struct xhv_domain *d, const struct hvctl_pci_assign *req)
{
	struct xhv_passthrough *pt;
	struct pci_dev *pdev;
	int err, slot;

	if (req->flags & ~HVCTL_PCI_NO_IOMMU)
		return -EINVAL;
	pdev = find_dev(req);
	if (!pdev)
		return -ENODEV;
	mutex_lock(&pt_global);
	err = -EBUSY;
	if (!pdev->dev.driver || strcmp(pdev->dev.driver->name, "pciback") ||
	    owned_slot(pdev) >= 0)
		goto out;
	slot = owned_slot(NULL);
	if (slot < 0)
		goto out;
	if (!device_iommu_mapped(&pdev->dev) && !(req->flags & HVCTL_PCI_NO_IOMMU)) {
		err = -EPERM;
		goto out;
	}
	pt = d->pt;
	if (!pt) {
		err = -ENOMEM;
		pt = kzalloc(sizeof(*pt), GFP_KERNEL);
		if (!pt)
			goto out;
		mutex_init(&pt->lock);
		d->pt = pt;
	}
	mutex_lock(&pt->lock);
	if (pt->nr_devs >= XHV_PT_MAX_DEVS) {
		err = -ENOSPC;
		goto unlock;
	}
	if (device_iommu_mapped(&pdev->dev)) {
		if (!pt->iommu) {
			pt->iommu = iommu_domain_alloc(&pci_bus_type);
			if (!pt->iommu) {
				err = -ENOMEM;
				goto unlock;
			}
			err = map_ram(d, pt);
			if (err) {
				iommu_domain_free(pt->iommu);
				pt->iommu = NULL;
				goto unlock;
			}
		}
		err = iommu_attach_device(pt->iommu, &pdev->dev);
		if (err) {
			pci_warn(pdev, "cannot attach to domain %u's IOMMU domain (%d)\n",
				 d->domid, err);
			goto unlock;
		}
	} else {
		pci_warn(pdev, "no IOMMU: domain %u drives its DMA to host-physical addresses and must be trusted\n",
			 d->domid);
	}
	pt->devs[pt->nr_devs++] = pci_dev_get(pdev);
	pt_owned[slot] = pdev;
	pt_owners[slot] = d;
	pci_info(pdev, "DMA of domain %u: %lu guest frames mapped\n", d->domid, pt->nr_pages);
	err = 0;
unlock:
	mutex_unlock(&pt->lock);
out:
	mutex_unlock(&pt_global);
	pci_dev_put(pdev);
	return err;
}

/* Take @i out of @pt (under both locks); the IOMMU domain goes with the last. */
static void detach_one(struct xhv_domain *d, struct xhv_passthrough *pt, unsigned int i)
{
	struct pci_dev *pdev = pt->devs[i];
	int slot = owned_slot(pdev);

	if (pt->iommu && device_iommu_mapped(&pdev->dev))
		iommu_detach_device(pt->iommu, &pdev->dev);
	if (slot >= 0) {
		pt_owned[slot] = NULL;
		pt_owners[slot] = NULL;
	}
	pt->devs[i] = pt->devs[--pt->nr_devs];
	pci_info(pdev, "DMA of domain %u ended\n", d->domid);
	pci_dev_put(pdev);
	if (!pt->nr_devs && pt->iommu) {
		unmap_ram(pt);
		iommu_domain_free(pt->iommu);
		pt->iommu = NULL;
	}
}

int xhv_pci_deassign(struct xhv_domain *d, const struct hvctl_pci_assign *req)
{
	struct xhv_passthrough *pt = d->pt;
	struct pci_dev *pdev;
	unsigned int i;
	int err = -ENOENT;

	pdev = find_dev(req);
	if (!pdev)
		return -ENODEV;
	if (!pt)
		goto out;
	mutex_lock(&pt_global);
	mutex_lock(&pt->lock);
	for (i = 0; i < pt->nr_devs; i++) {
		if (pt->devs[i] == pdev) {
			detach_one(d, pt, i);
			err = 0;
			break;
		}
	}
	mutex_unlock(&pt->lock);
	mutex_unlock(&pt_global);
out:
	pci_dev_put(pdev);
	return err;
}

void xhv_pci_teardown(struct xhv_domain *d)
{
	struct xhv_passthrough *pt = d->pt;

	if (!pt)
		return;
	mutex_lock(&pt_global);
	mutex_lock(&pt->lock);
	while (pt->nr_devs)
		detach_one(d, pt, pt->nr_devs - 1);
	mutex_unlock(&pt->lock);
	mutex_unlock(&pt_global);
	d->pt = NULL;
	kfree(pt);
}
