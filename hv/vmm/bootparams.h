/* SPDX-License-Identifier: GPL-2.0-only */
/* bootparams.h: the Linux/x86 boot protocol: bzImage header, zero page, e820. */
#ifndef HV_VMM_BOOTPARAMS_H
#define HV_VMM_BOOTPARAMS_H

#include <stddef.h>
#include <stdint.h>

/* Guest-physical layout of what the VMM puts in low memory. */
#define BOOT_GDT_ADDR		0x500ULL
#define BOOT_ZERO_PAGE_ADDR	0x7000ULL
#define BOOT_PAGE_TABLE_ADDR	0x9000ULL	/* PML4, PDPT, 4 PDs: 0x9000-0xefff */
#define BOOT_CMDLINE_ADDR	0x20000ULL
#define BOOT_EBDA_START		0x9fc00ULL
#define BOOT_ACPI_ADDR		0xe0000ULL	/* ACPI tables, legacy RSDP scan area */
/* Pages of the store and console rings: guest RAM the e820 map reserves. */
#define BOOT_XENSTORE_PAGE	0xa0000ULL
#define BOOT_XENCONS_PAGE	0xa1000ULL
#define BOOT_RESET_VECTOR	0xffff0ULL	/* F000:FFF0 */
#define BOOT_KERNEL_ADDR	0x100000ULL	/* protected-mode kernel, 1 MiB */
#define BOOT_HIGH_MEM_START	0x100000ULL
#define BOOT_PCI_HOLE_START	0xc0000000ULL	/* RAM above this goes above 4 GiB */
#define BOOT_4G			0x100000000ULL
#define BOOT_ZERO_PAGE_SIZE	4096

#define E820_RAM	1
#define E820_RESERVED	2
#define E820_MAX	128

struct boot_image {
	size_t setup_size;	/* boot sector + setup, bytes */
	size_t kernel_size;	/* protected-mode kernel, bytes */
	uint16_t version;
	uint32_t kernel_alignment;
	uint64_t pref_address;
	uint32_t init_size;
	uint32_t initrd_addr_max;
	uint32_t cmdline_size;
};

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));

struct boot_layout {
	uint64_t ram_size;	/* bytes of guest RAM */
	uint64_t initrd_addr;	/* out of boot_layout_place */
	uint64_t initrd_size;
};

/* Check a bzImage's setup header; fills BI or writes why not to ERR. */
int boot_image_parse(const uint8_t *img, size_t len, struct boot_image *bi,
		     char *err, size_t errlen);

/* RAM below the PCI hole, and above 4 GiB. */
uint64_t boot_low_ram(uint64_t ram_size);
uint64_t boot_high_ram(uint64_t ram_size);

/* The e820 map for RAM_SIZE; returns the number of entries. */
int boot_e820_build(uint64_t ram_size, struct e820_entry *map, int max);

/* Choose where the initrd goes (top of low RAM, below initrd_addr_max and
 * above the kernel's decompression area); errors when it does not fit. */
int boot_layout_place(const struct boot_image *bi, struct boot_layout *l,
		      uint64_t initrd_size, char *err, size_t errlen);

/* Fill the zero page from the image header, the layout and the command
 * line length (the command line itself goes at BOOT_CMDLINE_ADDR). */
int boot_params_build(uint8_t *zero_page, const uint8_t *img,
		      const struct boot_image *bi, const struct boot_layout *l,
		      size_t cmdline_len, char *err, size_t errlen);

#endif /* HV_VMM_BOOTPARAMS_H */
