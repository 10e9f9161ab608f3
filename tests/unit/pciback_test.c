// SPDX-License-Identifier: GPL-2.0-only
/*
 * pciback_test.c: pciback's pure logic on the host: PCI addresses as users
 * write them, the hide= list (drivers/xen/pciback/bdf.h), and the
 * config-space rules a guest's reads and writes go through
 * (drivers/xen/pciback/conf_filter.h).
 */
#include <string.h>

#include "kernel_shim.h"
#include "unit.h"
#include "../../drivers/xen/pciback/bdf.h"
#include "../../drivers/xen/pciback/conf_filter.h"
#include "common/config.h"

static int parse(const char *s, struct pciback_bdf *b)
{
	return pciback_parse_bdf_str(s, strlen(s), false, b);
}

static int parse_wild(const char *s, struct pciback_bdf *b)
{
	return pciback_parse_bdf_str(s, strlen(s), true, b);
}

static bool is(const struct pciback_bdf *b, int d, int bus, int s, int f)
{
	return b->domain == d && b->bus == bus && b->slot == s && b->func == f;
}

static void bdf_long_and_short_forms(void)
{
	struct pciback_bdf b;

	EXPECT(parse("0000:00:1a.1", &b) == 0 && is(&b, 0, 0, 0x1a, 1));
	EXPECT(parse("00:1a.7", &b) == 0 && is(&b, 0, 0, 0x1a, 7));
	EXPECT(parse("ffff:ff:1f.7", &b) == 0 && is(&b, 0xffff, 0xff, 0x1f, 7));
	EXPECT(parse("0001:02:03.4\n", &b) == 0 && is(&b, 1, 2, 3, 4));
	EXPECT(parse("0:0:1.0", &b) == 0 && is(&b, 0, 0, 1, 0));
	EXPECT(parse("00:01.0", &b) == 0 && is(&b, 0, 0, 1, 0));
	EXPECT(parse("0000:00:1A.1", &b) == 0 && is(&b, 0, 0, 0x1a, 1));
}

static void bdf_malformed_or_out_of_range(void)
{
	static const char *const bad[] = {
		"", "0000", "0000:00", "00:1a", "00:1a.", "00:20.0", "00:1f.8",
		"10000:00:00.0", "0000:100:00.0", "000:1a.1", "00:1a.1x",
		"0000:00:1a.1 junk", "(00:1a.1)", "00:1a:1", "g0:00.0",
		"0000:00:01.00", "00:*.*", "-1:00.0", "00:001.0",
	};
	struct pciback_bdf b;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i], &b) == 0) {
			printf("  accepted '%s'\n", bad[i]);
			EXPECT(!"a malformed BDF was accepted");
		}
	}
}

static void bdf_wildcards_only_when_asked(void)
{
	struct pciback_bdf b;

	EXPECT(parse_wild("00:1a.*", &b) == 0 && is(&b, 0, 0, 0x1a, PCIBACK_BDF_ANY));
	EXPECT(parse_wild("0000:03:*.*", &b) == 0 &&
	       is(&b, 0, 3, PCIBACK_BDF_ANY, PCIBACK_BDF_ANY));
	EXPECT(parse("00:1a.*", &b) < 0);
	EXPECT(pciback_bdf_match(&b, 0, 0, 0x1a, 3));
	EXPECT(parse_wild("00:1a.*", &b) == 0);
	EXPECT(pciback_bdf_match(&b, 0, 0, 0x1a, 3));
	EXPECT(!pciback_bdf_match(&b, 0, 0, 0x1b, 3));
	EXPECT(!pciback_bdf_match(&b, 1, 0, 0x1a, 3));
}

struct collected {
	int n;
	struct pciback_bdf b[8];
	int fail_at;		/* add() fails on this entry, -1 never */
};

static int collect(const struct pciback_bdf *bdf, void *arg)
{
	struct collected *c = arg;

	if (c->n == c->fail_at)
		return -12;
	if (c->n < 8)
		c->b[c->n] = *bdf;
	c->n++;
	return 0;
}

static int hide(const char *s, struct collected *c, size_t *bad)
{
	memset(c, 0, sizeof(*c));
	c->fail_at = -1;
	*bad = 999;
	return pciback_parse_hide(s, strlen(s), collect, c, bad);
}

static void hide_list(void)
{
	struct collected c;
	size_t bad;

	EXPECT(hide("(0000:00:1a.1)(00:1a.7)", &c, &bad) == 2);
	EXPECT(is(&c.b[0], 0, 0, 0x1a, 1) && is(&c.b[1], 0, 0, 0x1a, 7));
	EXPECT(hide(" (00:01.0) (0000:00:02.*)\n", &c, &bad) == 2);
	EXPECT(is(&c.b[1], 0, 0, 2, PCIBACK_BDF_ANY));
	EXPECT(hide("", &c, &bad) == 0 && c.n == 0);
	/* The first bad entry is named; the good ones before it were added. */
	EXPECT(hide("(00:01.0)(00:1a)", &c, &bad) == -1 && bad == 9 && c.n == 1);
	EXPECT(hide("00:01.0", &c, &bad) == -1 && bad == 0);
	EXPECT(hide("(00:01.0", &c, &bad) == -1 && bad == 0);
	EXPECT(hide("(00:01.0)x", &c, &bad) == -1 && bad == 9);
	EXPECT(hide("(00:40.0)", &c, &bad) == -1);
	/* add()'s error stops the walk and is returned. */
	memset(&c, 0, sizeof(c));
	c.fail_at = 1;
	EXPECT(pciback_parse_hide("(00:01.0)(00:02.0)(00:03.0)", 27, collect, &c, &bad) == -12);
	EXPECT(c.n == 1);
}

/* A device like QEMU's edu: a 1 MiB memory BAR 0, MSI at 0x40. */
static void edu_state(struct pciback_cfg_state *st, bool permissive)
{
	memset(st, 0, sizeof(*st));
	st->permissive = permissive;
	st->cfg_size = 256;
	st->bar[0] = (struct pciback_cfg_bar){ .present = true, .orig = 0xfea00000u,
		.size_mask = 0xfff00000u, .flags_mask = 0xf };
	st->irq_line = 11;
	st->msi_cap = 0x40;
	st->msi_len = 14;
}

static void access_checks(void)
{
	struct pciback_cfg_state st;

	edu_state(&st, false);
	EXPECT(pciback_cfg_access_ok(&st, 0, 4));
	EXPECT(pciback_cfg_access_ok(&st, 0xfe, 2));
	EXPECT(!pciback_cfg_access_ok(&st, 0x100, 4));
	EXPECT(!pciback_cfg_access_ok(&st, 2, 4));
	EXPECT(!pciback_cfg_access_ok(&st, 1, 2));
	EXPECT(!pciback_cfg_access_ok(&st, -4, 4));
	EXPECT(!pciback_cfg_access_ok(&st, 0, 3));
	EXPECT(!pciback_cfg_access_ok(&st, 0, 8));
	st.cfg_size = 4096;
	EXPECT(pciback_cfg_access_ok(&st, 0xffc, 4));
	EXPECT(!pciback_cfg_access_ok(&st, 0x1000, 1));
}

static void bar_sizing_and_restore(void)
{
	struct pciback_cfg_state st;
	u32 out = 0;

	edu_state(&st, false);
	EXPECT(pciback_cfg_vread(&st, 0x10, 0xfea00000u) == 0xfea00000u);
	EXPECT(!pciback_cfg_vwrite(&st, 0x10, 4, 0xffffffffu, 0xfea00000u, &out));
	EXPECT(pciback_cfg_vread(&st, 0x10, 0xfea00000u) == 0xfff00000u);
	EXPECT(!pciback_cfg_vwrite(&st, 0x10, 4, 0xfea00000u, 0xfea00000u, &out));
	EXPECT(pciback_cfg_vread(&st, 0x10, 0xfea00000u) == 0xfea00000u);
	EXPECT(st.refused == 0);
	/* Moving the BAR is refused and changes nothing. */
	EXPECT(!pciback_cfg_vwrite(&st, 0x10, 4, 0xe0000000u, 0xfea00000u, &out));
	EXPECT(st.refused == 1);
	EXPECT(pciback_cfg_vread(&st, 0x10, 0xfea00000u) == 0xfea00000u);
	/* Half a BAR is refused too; an absent BAR reads 0. */
	EXPECT(!pciback_cfg_vwrite(&st, 0x12, 2, 0xffff, 0xfea00000u, &out));
	EXPECT(st.refused == 2);
	EXPECT(!pciback_cfg_vwrite(&st, 0x14, 4, 0xffffffffu, 0, &out));
	EXPECT(pciback_cfg_vread(&st, 0x14, 0x12345678u) == 0);
	/* ROM: Linux sizes with 0xfffff800 | old; the enable bit never sticks. */
	st.bar[PCIBACK_ROM_BAR] = (struct pciback_cfg_bar){ .present = true,
		.orig = 0xfeb40000u, .size_mask = 0xfffc0000u, .flags_mask = 0 };
	EXPECT(!pciback_cfg_vwrite(&st, 0x30, 4, 0xfffff800u, 0xfeb40000u, &out));
	EXPECT(pciback_cfg_vread(&st, 0x30, 0) == 0xfffc0000u);
	EXPECT(!pciback_cfg_vwrite(&st, 0x30, 4, 0xfeb40001u, 0xfeb40000u, &out));
	EXPECT(pciback_cfg_vread(&st, 0x30, 0) == 0xfeb40000u);
}

static void command_register(void)
{
	struct pciback_cfg_state st;
	u32 out = 0;

	edu_state(&st, false);
	/* Memory + bus master: the guest's. */
	EXPECT(pciback_cfg_vwrite(&st, 0x04, 2, 0x0006, 0x00100000u, &out));
	EXPECT((out & 0xffff) == 0x0006);
	/* MWI and fast back-to-back stay as the device has them. */
	EXPECT(pciback_cfg_vwrite(&st, 0x04, 2, 0x0216, 0x00100000u, &out));
	EXPECT((out & 0xffff) == 0x0006);
	EXPECT(st.refused == 1);
	edu_state(&st, true);
	EXPECT(pciback_cfg_vwrite(&st, 0x04, 2, 0x0216, 0x00100000u, &out));
	EXPECT((out & 0xffff) == 0x0216);
	/* Status: only error bits the guest writes as 1 are cleared. */
	edu_state(&st, false);
	EXPECT(pciback_cfg_vwrite(&st, 0x06, 2, 0x2000, 0xa0100006u, &out));
	EXPECT((out >> 16) == 0x2010);
}

/* INTx forwarded: the guest's INTx-disable bit is virtual. */
static void intx_disable_virtual(void)
{
	struct pciback_cfg_state st;
	bool masked = false;
	u32 out = 0, real = 0x00100406u;	/* pciback has the line masked */

	/* The guest reads its own bit, not pciback's mask. */
	EXPECT(pciback_cfg_intx_view(real, false) == 0x00100006u);
	EXPECT(pciback_cfg_intx_view(0x00100006u, true) == 0x00100406u);
	/* Which writes reach bit 10 (byte 5). */
	EXPECT(pciback_cfg_intx_written(0x04, 2));
	EXPECT(pciback_cfg_intx_written(0x04, 4));
	EXPECT(pciback_cfg_intx_written(0x05, 1));
	EXPECT(!pciback_cfg_intx_written(0x04, 1));
	EXPECT(!pciback_cfg_intx_written(0x06, 2));
	EXPECT(!pciback_cfg_intx_written(0x00, 4));
	EXPECT(!pciback_cfg_intx_written(0x3c, 2));
	/* The guest clears it: the device keeps pciback's mask. */
	edu_state(&st, false);
	EXPECT(pciback_cfg_vwrite(&st, 0x04, 2, 0x0006,
				  pciback_cfg_intx_view(real, true), &out));
	out = pciback_cfg_intx_merge(out, real, &masked);
	EXPECT(!masked);
	EXPECT((out & 0xffff) == 0x0406);
	/* The guest sets it while pciback has the line unmasked. */
	real = 0x00100006u;
	EXPECT(pciback_cfg_vwrite(&st, 0x04, 2, 0x0406,
				  pciback_cfg_intx_view(real, false), &out));
	out = pciback_cfg_intx_merge(out, real, &masked);
	EXPECT(masked);
	EXPECT((out & 0xffff) == 0x0006);
	EXPECT(st.refused == 0);
}

static void header_and_virtual_line(void)
{
	struct pciback_cfg_state st;
	u32 out = 0;

	edu_state(&st, false);
	EXPECT(!pciback_cfg_vwrite(&st, 0x00, 4, 0xdeadbeefu, 0x11e81234u, &out));
	EXPECT(!pciback_cfg_vwrite(&st, 0x08, 4, 0, 0x00ff0010u, &out));
	EXPECT(!pciback_cfg_vwrite(&st, 0x2c, 4, 0, 0x11001af4u, &out));
	EXPECT(!pciback_cfg_vwrite(&st, 0x34, 1, 0x80, 0x40, &out));
	EXPECT(st.refused == 4);
	EXPECT(pciback_cfg_vwrite(&st, 0x0c, 1, 0x10, 0, &out) && out == 0x10);
	/* The interrupt line is virtual: nothing reaches the device. */
	EXPECT(!pciback_cfg_vwrite(&st, 0x3c, 1, 0x05, 0x0000010bu, &out));
	EXPECT(pciback_cfg_vread(&st, 0x3c, 0x0000010bu) == 0x00000105u);
	EXPECT(!pciback_cfg_vwrite(&st, 0x3d, 1, 0x02, 0x0000010bu, &out));
	EXPECT(st.refused == 5);
}

static void capabilities_and_permissive(void)
{
	struct pciback_cfg_state st;
	u32 out = 0;

	edu_state(&st, false);
	/* Past the header: refused unless permissive. */
	EXPECT(!pciback_cfg_vwrite(&st, 0xc0, 2, 0x8f00, 0, &out));
	EXPECT(st.refused == 1);
	edu_state(&st, true);
	EXPECT(pciback_cfg_vwrite(&st, 0xc0, 2, 0x8f00, 0, &out) && out == 0x8f00);
	/* MSI stays read-only even then: control, address, data. */
	EXPECT(!pciback_cfg_vwrite(&st, 0x42, 2, 0x0001, 0x00800005u, &out));
	EXPECT(!pciback_cfg_vwrite(&st, 0x44, 4, 0xfee00000u, 0, &out));
	EXPECT(!pciback_cfg_vwrite(&st, 0x4c, 2, 0x4021, 0, &out));
	/* The byte after the capability is ordinary. */
	EXPECT(pciback_cfg_vwrite(&st, 0x4e, 1, 0x5a, 0, &out) && out == 0x5a0000);
	/* A quirk opens exactly its bits without permissive. */
	edu_state(&st, false);
	st.nr_quirks = 1;
	st.quirk[0] = (struct pciback_cfg_quirk){ .reg = 0xc0, .size = 2, .mask = 0x8f00 };
	EXPECT(pciback_cfg_vwrite(&st, 0xc0, 4, 0xffffffffu, 0x00000012u, &out));
	EXPECT(out == 0x00008f12u);
	EXPECT(st.refused == 1);
}

static int cfg(const char *text, struct hv_config *c, char *err)
{
	return hv_config_parse(text, strlen(text), "t.cfg", c, err, HV_CONFIG_ERR_MAX);
}

static void config_pci_list(void)
{
	static struct hv_config c;
	char err[HV_CONFIG_ERR_MAX];

	EXPECT(cfg("name='a'\nkernel='/k'\npci = [ '0000:00:1a.1', '00:1a.7,permissive=1' ]\n",
		   &c, err) == 0);
	EXPECT(c.nr_pci == 2);
	EXPECT(!strcmp(c.pci[0].bdf, "0000:00:1a.1") && !c.pci[0].permissive);
	EXPECT(!strcmp(c.pci[1].bdf, "0000:00:1a.7") && c.pci[1].permissive);
	EXPECT(cfg("name='a'\nkernel='/k'\npci = [ '00:1a' ]\n", &c, err) < 0);
	EXPECT(strstr(err, "t.cfg:3: key 'pci': '00:1a' is not a PCI address") != NULL);
	EXPECT(cfg("name='a'\nkernel='/k'\npci = [ '00:01.0,seize=1' ]\n", &c, err) < 0);
	EXPECT(strstr(err, "unknown option 'seize=1'") != NULL);
	EXPECT(cfg("name='a'\nkernel='/k'\npci = [ '00:01.0,permissive=2' ]\n", &c, err) < 0);
	EXPECT(cfg("name='a'\nkernel='/k'\npci = [ '00:01.0', '0000:00:01.0' ]\n", &c, err) < 0);
	EXPECT(strstr(err, "0000:00:01.0 is listed twice") != NULL);
	EXPECT(cfg("name='a'\nkernel='/k'\npci = '00:01.0'\n", &c, err) < 0);
}

int main(void)
{
	RUN(bdf_long_and_short_forms);
	RUN(bdf_malformed_or_out_of_range);
	RUN(bdf_wildcards_only_when_asked);
	RUN(hide_list);
	RUN(access_checks);
	RUN(bar_sizing_and_restore);
	RUN(command_register);
	RUN(intx_disable_virtual);
	RUN(header_and_virtual_line);
	RUN(capabilities_and_permissive);
	RUN(config_pci_list);
	return UNIT_EXIT();
}
