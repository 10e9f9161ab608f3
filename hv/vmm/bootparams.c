// SPDX-License-Identifier: GPL-2.0-only
/* bootparams.c: bzImage checks, e820 map and zero page for the 64-bit entry. */
#include <stdio.h>
#include <string.h>

#include "vmm/bootparams.h"

/* Offsets in the zero page and the bzImage's first sector (boot.rst). */
#define BP_ACPI_RSDP_ADDR	0x070
#define BP_E820_ENTRIES		0x1e8
#define BP_SETUP_SECTS		0x1f1
#define BP_BOOT_FLAG		0x1fe
#define BP_JUMP			0x200
#define BP_HEADER		0x202
#define BP_VERSION		0x206
#define BP_TYPE_OF_LOADER	0x210
#define BP_LOADFLAGS		0x211
#define BP_RAMDISK_IMAGE	0x218
#define BP_RAMDISK_SIZE		0x21c
#define BP_CMD_LINE_PTR		0x228
#define BP_INITRD_ADDR_MAX	0x22c
#define BP_KERNEL_ALIGNMENT	0x230
#define BP_XLOADFLAGS		0x236
#define BP_CMDLINE_SIZE		0x238
#define BP_PREF_ADDRESS		0x258
#define BP_INIT_SIZE		0x260
#define BP_E820_TABLE		0x2d0
#define BP_SETUP_HEADER_MAX	0x280

#define LOADED_HIGH		0x01
#define XLF_KERNEL_64		0x0001
#define MIN_VERSION		0x020c	/* 2.12: xloadflags */

static uint16_t get16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

int boot_image_parse(const uint8_t *img, size_t len, struct boot_image *bi,
		     char *err, size_t errlen)
{
	unsigned int sects;

	memset(bi, 0, sizeof(*bi));
	if (len < 0x270 || get16(img + BP_BOOT_FLAG) != 0xaa55 ||
	    memcmp(img + BP_HEADER, "HdrS", 4)) {
		snprintf(err, errlen, "not a bzImage (no Linux boot header)");
		return -1;
	}
	bi->version = get16(img + BP_VERSION);
	if (bi->version < MIN_VERSION) {
		snprintf(err, errlen, "boot protocol %u.%02u is too old (need 2.12)",
			 (unsigned int)bi->version >> 8, (unsigned int)bi->version & 0xff);
		return -1;
	}
	if (!(img[BP_LOADFLAGS] & LOADED_HIGH)) {
		snprintf(err, errlen, "a zImage (loads low): only bzImage is supported");
		return -1;
	}
	if (!(get16(img + BP_XLOADFLAGS) & XLF_KERNEL_64)) {
		snprintf(err, errlen, "kernel has no 64-bit entry point");
		return -1;
	}
	sects = img[BP_SETUP_SECTS] ? img[BP_SETUP_SECTS] : 4;
	bi->setup_size = (size_t)(sects + 1) * 512;
	if (bi->setup_size >= len) {
		snprintf(err, errlen, "truncated bzImage (setup is %zu bytes of %zu)",
			 bi->setup_size, len);
		return -1;
	}
	bi->kernel_size = len - bi->setup_size;
	bi->kernel_alignment = get32(img + BP_KERNEL_ALIGNMENT);
	bi->pref_address = get64(img + BP_PREF_ADDRESS);
	bi->init_size = get32(img + BP_INIT_SIZE);
	bi->initrd_addr_max = get32(img + BP_INITRD_ADDR_MAX);
	bi->cmdline_size = get32(img + BP_CMDLINE_SIZE);
	if (bi->pref_address < BOOT_KERNEL_ADDR)
		bi->pref_address = BOOT_KERNEL_ADDR;
	return 0;
}

uint64_t boot_low_ram(uint64_t ram_size)
{
	return ram_size < BOOT_PCI_HOLE_START ? ram_size : BOOT_PCI_HOLE_START;
}

uint64_t boot_high_ram(uint64_t ram_size)
{
	return ram_size - boot_low_ram(ram_size);
}

int boot_e820_build(uint64_t ram_size, struct e820_entry *map, int max)
{
	int n = 0;

	if (max < 4)
		return -1;
	map[n++] = (struct e820_entry){ 0, BOOT_EBDA_START, E820_RAM };
	map[n++] = (struct e820_entry){ BOOT_EBDA_START,
					BOOT_HIGH_MEM_START - BOOT_EBDA_START,
					E820_RESERVED };
	map[n++] = (struct e820_entry){ BOOT_HIGH_MEM_START,
					boot_low_ram(ram_size) - BOOT_HIGH_MEM_START,
					E820_RAM };
	if (boot_high_ram(ram_size))
		map[n++] = (struct e820_entry){ BOOT_4G, boot_high_ram(ram_size),
						E820_RAM };
	return n;
}

int boot_layout_place(const struct boot_image *bi, struct boot_layout *l,
		      uint64_t initrd_size, char *err, size_t errlen)
{
	uint64_t low = boot_low_ram(l->ram_size);
	/* The kernel decompresses to pref_address and needs init_size there;
	 * the compressed image itself sits at 1 MiB. */
	uint64_t kernel_end = bi->pref_address + bi->init_size;
	uint64_t top = low;

	if (BOOT_KERNEL_ADDR + bi->kernel_size > low || kernel_end > low) {
		snprintf(err, errlen, "kernel needs %llu MiB of RAM to decompress, "
			 "the domain has %llu MiB",
			 (unsigned long long)((kernel_end + (1 << 20) - 1) >> 20),
			 (unsigned long long)(l->ram_size >> 20));
		return -1;
	}
	l->initrd_addr = 0;
	l->initrd_size = initrd_size;
	if (!initrd_size)
		return 0;
	if (bi->initrd_addr_max && top > (uint64_t)bi->initrd_addr_max + 1)
		top = (uint64_t)bi->initrd_addr_max + 1;
	if (initrd_size > top || ((top - initrd_size) & ~0xfffULL) < kernel_end) {
		snprintf(err, errlen, "initrd of %llu KiB does not fit in %llu MiB "
			 "beside the kernel",
			 (unsigned long long)(initrd_size >> 10),
			 (unsigned long long)(l->ram_size >> 20));
		return -1;
	}
	l->initrd_addr = (top - initrd_size) & ~0xfffULL;
	return 0;
}

int boot_params_build(uint8_t *zp, const uint8_t *img,
		      const struct boot_image *bi, const struct boot_layout *l,
		      size_t cmdline_len, char *err, size_t errlen)
{
	struct e820_entry map[E820_MAX];
	size_t hdr_end = BP_HEADER + img[BP_JUMP + 1];
	int n;

	/* The jump at 0x200 says where the header ends; never past the
	 * fields the zero page keeps for itself (e820 table at 0x2d0). */
	if (hdr_end > BP_SETUP_HEADER_MAX)
		hdr_end = BP_SETUP_HEADER_MAX;

	if (bi->cmdline_size && cmdline_len > bi->cmdline_size) {
		snprintf(err, errlen, "command line of %zu bytes is longer than "
			 "the kernel takes (%u)", cmdline_len, bi->cmdline_size);
		return -1;
	}
	memset(zp, 0, BOOT_ZERO_PAGE_SIZE);
	/* The setup header, as the image has it, then the loader's fields. */
	memcpy(zp + BP_SETUP_SECTS, img + BP_SETUP_SECTS, hdr_end - BP_SETUP_SECTS);
	zp[BP_TYPE_OF_LOADER] = 0xff;
	put32(zp + BP_CMD_LINE_PTR, (uint32_t)BOOT_CMDLINE_ADDR);
	put32(zp + BP_RAMDISK_IMAGE, (uint32_t)l->initrd_addr);
	put32(zp + BP_RAMDISK_SIZE, (uint32_t)l->initrd_size);
	put64(zp + BP_ACPI_RSDP_ADDR, BOOT_ACPI_ADDR);
	n = boot_e820_build(l->ram_size, map, E820_MAX);
	memcpy(zp + BP_E820_TABLE, map, (size_t)n * sizeof(map[0]));
	zp[BP_E820_ENTRIES] = (uint8_t)n;
	return 0;
}
