/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * conf_filter.h: which config-space reads and writes of a guest reach the
 * real device, and what the guest reads back: pure logic on 32-bit words,
 * no device access. conf.c feeds it the device's words; the host unit
 * tests (tests/unit/pciconf_test.c) feed it made-up ones.
 *
 * The rules (docs/pci.md):
 *  - vendor/device, class, header type, subsystem, capability pointer,
 *    interrupt pin: read-only;
 *  - command: I/O, memory, bus master, parity, SERR and INTx-disable are
 *    the guest's; the other bits only when the device is permissive;
 *  - status: the guest may clear error bits (write 1 to clear), no more;
 *  - cache line size and latency timer: the guest's;
 *  - interrupt line: virtual (the guest reads what it wrote, the device
 *    keeps dom0's);
 *  - BARs and the ROM BAR: never written on the device. All ones (the
 *    sizing pattern) makes the guest read the size mask until it writes
 *    the original value back; any other value is refused. The BARs stay
 *    where dom0 put them: hv maps them at the same guest-physical address;
 *  - MSI and MSI-X capabilities: read-only (only the enable/disable
 *    operations of the protocol change them), even when permissive;
 *  - quirk fields (pciback's quirks file): the bits of their mask;
 *  - anything else past the header: written only when permissive.
 */
#ifndef PCIBACK_CONF_FILTER_H
#define PCIBACK_CONF_FILTER_H

#define PCIBACK_CFG_SPACE_MAX	4096
#define PCIBACK_CFG_HEADER_END	0x40
#define PCIBACK_NR_BARS		7	/* six BARs and the ROM BAR (index 6) */
#define PCIBACK_ROM_BAR		6
#define PCIBACK_MAX_QUIRKS	8

#define PCIBACK_CMD_GUEST	0x0547u	/* IO MEM MASTER PARITY SERR INTX_DISABLE */
#define PCIBACK_CMD_PERMISSIVE	0x02b8u	/* SPECIAL MWI VGA_PALETTE WAIT FAST_BACK */
#define PCIBACK_STATUS_RW1C	0xf900u	/* parity, target/master aborts, SERR */
#define PCIBACK_ROM_ADDR_MASK	0xfffff800u

/* One 32-bit BAR register (a 64-bit BAR is two of them). */
struct pciback_cfg_bar {
	bool present;
	bool sizing;		/* the guest wrote the sizing pattern */
	u32 orig;		/* the register's value when assigned */
	u32 size_mask;		/* what sizing reads: address bits that stick */
	u32 flags_mask;		/* low bits that read back unchanged */
};

/* A register the guest may write although it is not permissive. */
struct pciback_cfg_quirk {
	u16 reg;
	u8 size;		/* 1, 2 or 4 */
	u32 mask;
};

struct pciback_cfg_state {
	bool permissive;
	struct pciback_cfg_bar bar[PCIBACK_NR_BARS];
	u8 irq_line;		/* virtual interrupt line */
	u16 cfg_size;		/* 256 or 4096 */
	u8 msi_cap, msi_len;	/* offset and length, 0 if none */
	u8 msix_cap;		/* MSI-X capability (12 bytes), 0 if none */
	unsigned int nr_quirks;
	struct pciback_cfg_quirk quirk[PCIBACK_MAX_QUIRKS];
	unsigned int refused;	/* writes refused, for the logs and tests */
};

/* Is a guest access of @size bytes at @off well formed? */
static inline bool pciback_cfg_access_ok(const struct pciback_cfg_state *st,
					 int off, int size)
{
	if (size != 1 && size != 2 && size != 4)
		return false;
	return off >= 0 && off % size == 0 && off + size <= st->cfg_size;
}

/* The BAR register (0..6) at dword offset @dw, or -1. */
static inline int pciback_cfg_bar_index(u32 dw)
{
	if (dw >= 0x10 && dw <= 0x24)
		return (int)((dw - 0x10) / 4);
	if (dw == 0x30)
		return PCIBACK_ROM_BAR;
	return -1;
}

/* What the guest reads for the dword at @dw whose real value is @hw. */
static inline u32 pciback_cfg_vread(const struct pciback_cfg_state *st, u32 dw,
				    u32 hw)
{
	int b = pciback_cfg_bar_index(dw);

	if (b >= 0) {
		const struct pciback_cfg_bar *bar = &st->bar[b];

		if (!bar->present)
			return 0;
		if (bar->sizing)
			return bar->size_mask | (bar->orig & bar->flags_mask);
		return bar->orig;
	}
	if (dw == 0x3c)
		return (hw & ~0xffu) | st->irq_line;
	return hw;
}

/* Bits of the dword at @dw the guest may change on the device. */
static inline u32 pciback_cfg_writable(const struct pciback_cfg_state *st, u32 dw)
{
	u32 mask = 0;
	unsigned int i, j;

	switch (dw) {
	case 0x04:
		mask = PCIBACK_CMD_GUEST |
		       (st->permissive ? PCIBACK_CMD_PERMISSIVE : 0) |
		       PCIBACK_STATUS_RW1C << 16;
		break;
	case 0x0c:
		mask = 0x0000ffffu;	/* cache line size, latency timer */
		break;
	default:
		if (dw >= PCIBACK_CFG_HEADER_END && st->permissive)
			mask = 0xffffffffu;
		break;
	}
	for (i = 0; i < st->nr_quirks; i++) {
		const struct pciback_cfg_quirk *q = &st->quirk[i];

		for (j = 0; j < q->size; j++) {
			u32 byte = q->reg + j;

			if (byte / 4 * 4 == dw)
				mask |= ((q->mask >> (8 * j)) & 0xffu) << (8 * (byte % 4));
		}
	}
	/* The MSI and MSI-X capabilities change only through the operations. */
	for (j = 0; j < 4; j++) {
		u32 byte = dw + j;

		if ((st->msi_cap && byte >= st->msi_cap &&
		     byte < (u32)st->msi_cap + st->msi_len) ||
		    (st->msix_cap && byte >= st->msix_cap &&
		     byte < (u32)st->msix_cap + 12))
			mask &= ~(0xffu << (8 * j));
	}
	return mask;
}

/*
 * The guest writes @val (@size bytes at @off, checked with access_ok) over
 * the device's dword @hw. Returns true and sets *@out to the dword whose
 * bytes at @off should go to the device, or false when nothing reaches it
 * (virtual registers, refused writes). Updates @st (BAR sizing, interrupt
 * line, and the refused count: writes that tried to change a bit they may
 * not).
 */
static inline bool pciback_cfg_vwrite(struct pciback_cfg_state *st, int off,
				      int size, u32 val, u32 hw, u32 *out)
{
	u32 dw = (u32)off & ~3u, shift = 8 * ((u32)off & 3u);
	u32 bytes = (size == 4 ? 0xffffffffu : ((1u << (8 * size)) - 1)) << shift;
	u32 mask, newv;
	int b = pciback_cfg_bar_index(dw);

	val = (size == 4 ? val : val & ((1u << (8 * size)) - 1)) << shift;
	if (b >= 0) {
		struct pciback_cfg_bar *bar = &st->bar[b];
		u32 sizing = b == PCIBACK_ROM_BAR ? PCIBACK_ROM_ADDR_MASK : 0xffffffffu;
		u32 addr = b == PCIBACK_ROM_BAR ? PCIBACK_ROM_ADDR_MASK : ~bar->flags_mask;

		if (!bar->present || size != 4)
			st->refused++;
		else if ((val & sizing) == sizing)
			bar->sizing = true;
		else if ((val & addr) == (bar->orig & addr))
			bar->sizing = false;
		else
			st->refused++;
		return false;
	}
	if (dw == 0x3c) {
		if (bytes & 0xffu)
			st->irq_line = (u8)val;
		bytes &= ~0xffu;
	}
	mask = pciback_cfg_writable(st, dw) & bytes;
	if ((val ^ hw) & bytes & ~mask)
		st->refused++;
	if (!mask)
		return false;
	newv = (hw & ~mask) | (val & mask);
	/* Status bits are write-1-to-clear: never write back the ones read. */
	if (dw == 0x04)
		newv &= ~(PCIBACK_STATUS_RW1C << 16) | (val & mask);
	*out = newv;
	return true;
}

/*
 * While pciback forwards a device's INTx it masks the line at the device
 * with the command register's INTx-disable bit (0x400), so the guest's
 * view of that bit is virtual: @masked is what the guest last wrote.
 */
#define PCIBACK_CMD_INTX_DISABLE	0x0400u

/* The command dword @hw as the guest reads it. */
static inline u32 pciback_cfg_intx_view(u32 hw, bool masked)
{
	return (hw & ~PCIBACK_CMD_INTX_DISABLE) | (masked ? PCIBACK_CMD_INTX_DISABLE : 0);
}

/* Does a write of @size bytes at @off reach the INTx-disable bit? */
static inline bool pciback_cfg_intx_written(int off, int size)
{
	return off <= 5 && off + size > 5 && (off & ~3) == 0x04;
}

/*
 * A guest write over the command dword came out of pciback_cfg_vwrite as
 * @out: keep the device's real INTx-disable bit (@real) in it and return
 * the bit the guest asked for in *@masked.
 */
static inline u32 pciback_cfg_intx_merge(u32 out, u32 real, bool *masked)
{
	*masked = out & PCIBACK_CMD_INTX_DISABLE;
	return (out & ~PCIBACK_CMD_INTX_DISABLE) | (real & PCIBACK_CMD_INTX_DISABLE);
}

#endif /* PCIBACK_CONF_FILTER_H */
