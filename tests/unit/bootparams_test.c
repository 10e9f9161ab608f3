// SPDX-License-Identifier: GPL-2.0-only
/* bootparams_test.c: bzImage checks, e820, initrd placement, zero page, ACPI. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "vmm/acpi.h"
#include "vmm/bootparams.h"

#define IMG_SIZE (4 << 20)
#define MIB (1ULL << 20)

static uint8_t *img;
static char err[256];

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/* A synthetic bzImage header, as a 6.1 x86_64 kernel has it. */
static void make_image(void)
{
	memset(img, 0, IMG_SIZE);
	img[0x1f1] = 27;			/* setup_sects */
	put16(img + 0x1fe, 0xaa55);
	img[0x200] = 0xeb;
	img[0x201] = 0x66;			/* header ends at 0x268 */
	memcpy(img + 0x202, "HdrS", 4);
	put16(img + 0x206, 0x020f);		/* protocol 2.15 */
	img[0x211] = 0x01;			/* LOADED_HIGH */
	put32(img + 0x22c, 0x7fffffff);		/* initrd_addr_max */
	put32(img + 0x230, 0x200000);		/* kernel_alignment */
	put16(img + 0x236, 0x7f);		/* XLF_KERNEL_64 and more */
	put32(img + 0x238, 2047);		/* cmdline_size */
	put64(img + 0x258, 0x1000000);		/* pref_address: 16 MiB */
	put32(img + 0x260, 40 << 20);		/* init_size */
}

static void test_good_image(void)
{
	struct boot_image bi;

	make_image();
	EXPECT(boot_image_parse(img, IMG_SIZE, &bi, err, sizeof(err)) == 0);
	EXPECT(bi.setup_size == 28 * 512);
	EXPECT(bi.kernel_size == IMG_SIZE - 28 * 512);
	EXPECT(bi.version == 0x020f);
	EXPECT(bi.pref_address == 0x1000000 && bi.init_size == 40 << 20);
	img[0x1f1] = 0;				/* 0 means 4 */
	EXPECT(boot_image_parse(img, IMG_SIZE, &bi, err, sizeof(err)) == 0);
	EXPECT(bi.setup_size == 5 * 512);
}

static void test_bad_images(void)
{
	struct boot_image bi;

	make_image();
	img[0x202] = 'X';
	EXPECT(boot_image_parse(img, IMG_SIZE, &bi, err, sizeof(err)) == -1);
	EXPECT(strstr(err, "not a bzImage") != NULL);
	make_image();
	put16(img + 0x1fe, 0x1234);
	EXPECT(boot_image_parse(img, IMG_SIZE, &bi, err, sizeof(err)) == -1);
	make_image();
	put16(img + 0x206, 0x0204);
	EXPECT(boot_image_parse(img, IMG_SIZE, &bi, err, sizeof(err)) == -1);
	EXPECT(strstr(err, "2.04 is too old") != NULL);
	make_image();
	img[0x211] = 0;
	EXPECT(boot_image_parse(img, IMG_SIZE, &bi, err, sizeof(err)) == -1);
	EXPECT(strstr(err, "zImage") != NULL);
	make_image();
	put16(img + 0x236, 0);
	EXPECT(boot_image_parse(img, IMG_SIZE, &bi, err, sizeof(err)) == -1);
	EXPECT(strstr(err, "64-bit") != NULL);
	make_image();
	EXPECT(boot_image_parse(img, 0x200, &bi, err, sizeof(err)) == -1);
	EXPECT(boot_image_parse(img, 27 * 512, &bi, err, sizeof(err)) == -1);
	EXPECT(strstr(err, "truncated") != NULL);
}

static void test_e820(void)
{
	struct e820_entry map[E820_MAX];
	int n;

	n = boot_e820_build(128 * MIB, map, E820_MAX);
	EXPECT(n == 3);
	EXPECT(map[0].addr == 0 && map[0].size == 0x9fc00 && map[0].type == E820_RAM);
	EXPECT(map[1].addr == 0x9fc00 && map[1].addr + map[1].size == 0x100000 &&
	       map[1].type == E820_RESERVED);
	EXPECT(map[2].addr == 0x100000 && map[2].addr + map[2].size == 128 * MIB);
	/* 4 GiB of RAM: 3 GiB below the PCI hole, 1 GiB above 4 GiB. */
	n = boot_e820_build(4096 * MIB, map, E820_MAX);
	EXPECT(n == 4);
	EXPECT(map[2].addr + map[2].size == 0xc0000000ULL);
	EXPECT(map[3].addr == 0x100000000ULL && map[3].size == 1024 * MIB);
	EXPECT(boot_low_ram(4096 * MIB) + boot_high_ram(4096 * MIB) == 4096 * MIB);
	EXPECT(boot_e820_build(128 * MIB, map, 2) == -1);
}

static void test_initrd_placement(void)
{
	struct boot_layout l = { .ram_size = 128 * MIB };
	struct boot_image bi;

	make_image();
	EXPECT(boot_image_parse(img, IMG_SIZE, &bi, err, sizeof(err)) == 0);
	EXPECT(boot_layout_place(&bi, &l, 1234567, err, sizeof(err)) == 0);
	EXPECT(l.initrd_addr % 4096 == 0);
	EXPECT(l.initrd_addr + 1234567 <= 128 * MIB);
	EXPECT(l.initrd_addr >= 0x1000000 + (40 << 20));
	/* Below initrd_addr_max even with lots of RAM. */
	put32(img + 0x22c, 0x37ffffff);
	EXPECT(boot_image_parse(img, IMG_SIZE, &bi, err, sizeof(err)) == 0);
	l.ram_size = 2048 * MIB;
	EXPECT(boot_layout_place(&bi, &l, 10 * MIB, err, sizeof(err)) == 0);
	EXPECT(l.initrd_addr + 10 * MIB <= 0x38000000ULL);
	/* No room beside the kernel's decompression area. */
	l.ram_size = 64 * MIB;
	EXPECT(boot_layout_place(&bi, &l, 20 * MIB, err, sizeof(err)) == -1);
	EXPECT(strstr(err, "does not fit") != NULL);
	/* RAM too small for the kernel itself. */
	l.ram_size = 32 * MIB;
	EXPECT(boot_layout_place(&bi, &l, 0, err, sizeof(err)) == -1);
	EXPECT(strstr(err, "kernel needs 56 MiB") != NULL);
}

static void test_zero_page(void)
{
	struct boot_layout l = { .ram_size = 256 * MIB };
	uint8_t zp[BOOT_ZERO_PAGE_SIZE];
	struct boot_image bi;

	make_image();
	img[0x201] = 0xff;	/* a header claiming to run past the e820 table */
	EXPECT(boot_image_parse(img, IMG_SIZE, &bi, err, sizeof(err)) == 0);
	EXPECT(boot_layout_place(&bi, &l, 4096, err, sizeof(err)) == 0);
	memset(zp, 0xaa, sizeof(zp));
	EXPECT(boot_params_build(zp, img, &bi, &l, 100, err, sizeof(err)) == 0);
	EXPECT(!memcmp(zp + 0x202, "HdrS", 4));
	EXPECT(zp[0x210] == 0xff);				/* type_of_loader */
	EXPECT(get32(zp + 0x228) == BOOT_CMDLINE_ADDR);
	EXPECT(get32(zp + 0x218) == l.initrd_addr && get32(zp + 0x21c) == 4096);
	EXPECT(get64(zp + 0x070) == BOOT_ACPI_ADDR);
	EXPECT(zp[0x1e8] == 3);					/* e820 entries */
	EXPECT(get64(zp + 0x2d0) == 0 && get32(zp + 0x2d0 + 16) == E820_RAM);
	EXPECT(zp[0x100] == 0);					/* cleared */
	EXPECT(boot_params_build(zp, img, &bi, &l, 3000, err, sizeof(err)) == -1);
	EXPECT(strstr(err, "command line of 3000 bytes") != NULL);
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

static void test_acpi_tables(void)
{
	static uint8_t buf[ACPI_TABLES_MAX];
	uint64_t xsdt, fadt, madt, dsdt;
	int used = acpi_tables_build(buf, sizeof(buf), BOOT_ACPI_ADDR, 4);

	EXPECT(used > 0 && used <= ACPI_TABLES_MAX);
	EXPECT(!memcmp(buf, "RSD PTR ", 8));
	EXPECT(sum(buf, 20) == 0 && sum(buf, 36) == 0);
	xsdt = get64(buf + 24) - BOOT_ACPI_ADDR;
	EXPECT(!memcmp(buf + xsdt, "XSDT", 4) && sum(buf + xsdt, get32(buf + xsdt + 4)) == 0);
	fadt = get64(buf + xsdt + 36) - BOOT_ACPI_ADDR;
	madt = get64(buf + xsdt + 44) - BOOT_ACPI_ADDR;
	EXPECT(!memcmp(buf + fadt, "FACP", 4) && get32(buf + fadt + 4) == 276);
	EXPECT(sum(buf + fadt, 276) == 0);
	EXPECT(get32(buf + fadt + 112) & (1u << 20));		/* HW_REDUCED_ACPI */
	EXPECT(get64(buf + fadt + 244 + 4) == ACPI_SLEEP_CONTROL_PORT);
	dsdt = get64(buf + fadt + 140) - BOOT_ACPI_ADDR;
	EXPECT(!memcmp(buf + dsdt, "DSDT", 4) && sum(buf + dsdt, get32(buf + dsdt + 4)) == 0);
	EXPECT(memmem(buf + dsdt, get32(buf + dsdt + 4), "_S5_", 4) != NULL);
	EXPECT(memmem(buf + dsdt, get32(buf + dsdt + 4), "COM1", 4) != NULL);
	EXPECT(memmem(buf + dsdt, get32(buf + dsdt + 4), "PCI0", 4) != NULL);
	/* The \\_SB scope's PkgLength ends exactly where _S5_ begins. */
	EXPECT(buf[dsdt + 36] == 0x10 && (buf[dsdt + 37] >> 6) == 1);
	EXPECT(!memcmp(buf + dsdt + 37 + ((buf[dsdt + 37] & 0xf) | buf[dsdt + 38] << 4) + 1,
		       "_S5_", 4));
	EXPECT(dsdt + get32(buf + dsdt + 4) <= madt || dsdt >= madt + get32(buf + madt + 4));
	EXPECT(!memcmp(buf + madt, "APIC", 4) && sum(buf + madt, get32(buf + madt + 4)) == 0);
	/* header + 8 + four local APICs + IOAPIC + one override */
	EXPECT(get32(buf + madt + 4) == 36 + 8 + 4 * 8 + 12 + 10);
	EXPECT(buf[madt + 44 + 3 * 8 + 3] == 3);		/* APIC ID of vCPU 3 */
	EXPECT(acpi_tables_build(buf, sizeof(buf), BOOT_ACPI_ADDR, 0) == -1);
	EXPECT(acpi_tables_build(buf, sizeof(buf), BOOT_ACPI_ADDR, 256) == -1);
}

int main(void)
{
	img = malloc(IMG_SIZE);
	RUN(test_good_image);
	RUN(test_bad_images);
	RUN(test_e820);
	RUN(test_initrd_placement);
	RUN(test_zero_page);
	RUN(test_acpi_tables);
	free(img);
	return UNIT_EXIT();
}
