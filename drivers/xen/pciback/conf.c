// SPDX-License-Identifier: GPL-2.0-only
/*
 * conf.c: a guest's config-space reads and writes on a device pciback
 * owns, through the rules of conf_filter.h. Only the bytes the guest
 * addressed are ever written to the device.
 */
#define pr_fmt(fmt) "pciback: " fmt

#include "pciback.h"
#include "../../../include/xen/hvx/pciif.h"

/* What the BAR register @reg of @pdev holds and how it sizes. */
static void init_bars(struct pciback_dev *d)
{
	struct pci_dev *pdev = d->pdev;
	int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		struct pciback_cfg_bar *bar = &d->cfg.bar[i];
		unsigned long flags = pci_resource_flags(pdev, i);
		u64 len = pci_resource_len(pdev, i);
		u64 mask = ~(len - 1);

		if (!len)
			continue;
		bar->present = true;
		pci_read_config_dword(pdev, PCI_BASE_ADDRESS_0 + 4 * i, &bar->orig);
		if (flags & IORESOURCE_IO) {
			bar->flags_mask = ~PCI_BASE_ADDRESS_IO_MASK;
			bar->size_mask = (u32)mask & PCI_BASE_ADDRESS_IO_MASK;
			continue;
		}
		bar->flags_mask = ~PCI_BASE_ADDRESS_MEM_MASK;
		bar->size_mask = (u32)mask & PCI_BASE_ADDRESS_MEM_MASK;
		if ((flags & IORESOURCE_MEM_64) && i + 1 < PCI_STD_NUM_BARS) {
			struct pciback_cfg_bar *hi = &d->cfg.bar[++i];

			hi->present = true;
			pci_read_config_dword(pdev, PCI_BASE_ADDRESS_0 + 4 * i, &hi->orig);
			hi->size_mask = (u32)(mask >> 32);
			hi->flags_mask = 0;
		}
	}
	if (pci_resource_len(pdev, PCI_ROM_RESOURCE)) {
		struct pciback_cfg_bar *rom = &d->cfg.bar[PCIBACK_ROM_BAR];

		rom->present = true;
		pci_read_config_dword(pdev, PCI_ROM_ADDRESS, &rom->orig);
		rom->size_mask = (u32)~(pci_resource_len(pdev, PCI_ROM_RESOURCE) - 1) &
				 PCI_ROM_ADDRESS_MASK;
	}
}

void pciback_conf_init(struct pciback_dev *d, bool permissive)
{
	struct pci_dev *pdev = d->pdev;
	u16 flags;

	memset(&d->cfg, 0, sizeof(d->cfg));
	d->cfg.permissive = permissive;
	d->cfg.cfg_size = pdev->cfg_size > PCIBACK_CFG_SPACE_MAX ?
			  PCIBACK_CFG_SPACE_MAX : pdev->cfg_size;
	init_bars(d);
	d->cfg.msi_cap = pdev->msi_cap;
	if (pdev->msi_cap) {
		pci_read_config_word(pdev, pdev->msi_cap + PCI_MSI_FLAGS, &flags);
		d->cfg.msi_len = (flags & PCI_MSI_FLAGS_64BIT ? 14 : 10) +
				 (flags & PCI_MSI_FLAGS_MASKBIT ? 10 : 0);
	}
	d->cfg.msix_cap = pdev->msix_cap;
	d->cfg.nr_quirks = d->nr_quirks;
	memcpy(d->cfg.quirk, d->quirk, sizeof(d->quirk));
}

static u32 size_mask(int size)
{
	return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

/* The INTx-disable bit in @hw (the command dword) as the guest sees it. */
static u32 intx_virt(const struct pciback_dev *d, u32 hw)
{
	return d->intx_on ? pciback_cfg_intx_view(hw, d->intx_guest_masked) : hw;
}

int pciback_conf_read(struct pciback_dev *d, int off, int size, u32 *val)
{
	u32 hw = 0;

	if (!pciback_cfg_access_ok(&d->cfg, off, size))
		return HVX_XEN_PCI_ERR_invalid_offset;
	if (pci_read_config_dword(d->pdev, off & ~3, &hw))
		return HVX_XEN_PCI_ERR_op_failed;
	hw = pciback_cfg_vread(&d->cfg, off & ~3, hw);
	if ((off & ~3) == PCI_COMMAND)
		hw = intx_virt(d, hw);
	*val = (hw >> (8 * (off & 3))) & size_mask(size);
	d->conf_ops++;
	return HVX_XEN_PCI_ERR_success;
}

int pciback_conf_write(struct pciback_dev *d, int off, int size, u32 val)
{
	unsigned int refused = d->cfg.refused;
	u32 hw = 0, real = 0, out;
	int err = 0, intx = -1;

	if (!pciback_cfg_access_ok(&d->cfg, off, size))
		return HVX_XEN_PCI_ERR_invalid_offset;
	if (pci_read_config_dword(d->pdev, off & ~3, &hw))
		return HVX_XEN_PCI_ERR_op_failed;
	d->conf_ops++;
	if ((off & ~3) == PCI_COMMAND) {
		real = hw;
		hw = intx_virt(d, hw);
	}
	if (pciback_cfg_vwrite(&d->cfg, off, size, val, hw, &out)) {
		/* INTx-disable (byte 1 of the command) is pciback's while it forwards. */
		if (d->intx_on && pciback_cfg_intx_written(off, size)) {
			bool masked;

			out = pciback_cfg_intx_merge(out, real, &masked);
			intx = masked;
		}
		out >>= 8 * (off & 3);
		if (size == 1)
			err = pci_write_config_byte(d->pdev, off, out);
		else if (size == 2)
			err = pci_write_config_word(d->pdev, off, out);
		else
			err = pci_write_config_dword(d->pdev, off, out);
	}
	if (intx >= 0)
		pciback_intx_guest_mask(d, intx);
	if (d->cfg.refused != refused)
		dev_dbg(&d->pdev->dev, "domain %d: write %#x/%d of %#x refused\n",
			d->owner, off, size, val);
	/* Xen ignores a refused write; the guest reads back what stuck. */
	return err ? HVX_XEN_PCI_ERR_op_failed : HVX_XEN_PCI_ERR_success;
}
