// SPDX-License-Identifier: GPL-2.0-only
/* acpi.c: RSDP, XSDT, FADT (HW-reduced), DSDT (COM1, PCI0, _S5_), MADT. */
#include <string.h>

#include "vmm/acpi.h"

#define SDT_HEADER	36
#define RSDP_SIZE	36
#define FADT_SIZE	276		/* revision 6 */
#define FADT_REVISION	6
#define FADT_MINOR	0

/* FADT field offsets (ACPI 6.x, table 5.9). */
#define FADT_DSDT		40
#define FADT_IAPC_BOOT_ARCH	109
#define FADT_FLAGS		112
#define FADT_RESET_REG		116
#define FADT_RESET_VALUE	128
#define FADT_MINOR_VERSION	131
#define FADT_X_DSDT		140
#define FADT_SLEEP_CONTROL	244
#define FADT_SLEEP_STATUS	256
#define FADT_HYPERVISOR_ID	268

#define FADT_RESET_REG_SUP	(1u << 10)
#define FADT_HW_REDUCED_ACPI	(1u << 20)
/* IA-PC boot flags: no 8042 (bit 1 clear), no VGA, no CMOS RTC. */
#define IAPC_VGA_NOT_PRESENT	(1u << 2)
#define IAPC_CMOS_RTC_ABSENT	(1u << 5)

#define MADT_LAPIC		0
#define MADT_IOAPIC		1
#define MADT_ISO		2
#define MADT_PCAT_COMPAT	1

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static uint8_t checksum(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;

	while (n--)
		sum += *p++;
	return (uint8_t)-sum;
}

/* Finish a table: header fields, then the checksum over LEN bytes. */
static void sdt_seal(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = rev;
	t[9] = 0;
	memcpy(t + 10, "HVXVMM", 6);		/* OEM ID */
	memcpy(t + 16, "HVXTABLE", 8);		/* OEM table ID */
	put32(t + 24, 1);			/* OEM revision */
	memcpy(t + 28, "HVX ", 4);		/* creator ID */
	put32(t + 32, 1);			/* creator revision */
	t[9] = checksum(t, len);
}

/* Generic address structure: an 8-bit register in system I/O space. */
static void gas_io8(uint8_t *p, uint16_t port)
{
	p[0] = 1;	/* SystemIO */
	p[1] = 8;	/* bit width */
	p[2] = 0;	/* bit offset */
	p[3] = 1;	/* byte access */
	put64(p + 4, port);
}

/*
 * DSDT body. COM1 is described so that the guest maps its IRQ through the
 * IOAPIC (a HW-reduced guest has no legacy PIC to assume ISA IRQs from);
 * PCI0 is the root bridge of bus 0 (conf1, an I/O and a memory window for
 * the platform device's BARs; MSI-X only, so no _PRT); _S5_ gives the
 * sleep type value for power off.
 *
 *   Scope (\_SB) {
 *     Device (COM1) {
 *       Name (_HID, EisaId ("PNP0501"))
 *       Name (_UID, One)
 *       Name (_CRS, ResourceTemplate () {
 *         IO (Decode16, 0x03F8, 0x03F8, 0x00, 0x08)
 *         IRQNoFlags () {4}
 *       })
 *     }
 *     Device (PCI0) {
 *       Name (_HID, EisaId ("PNP0A03"))
 *       Name (_UID, Zero)
 *       Name (_CRS, ResourceTemplate () {
 *         WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,
 *                        0, 0, 0, 0, 1)
 *         IO (Decode16, 0x0CF8, 0x0CF8, 0x01, 0x08)
 *         WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode,
 *                 EntireRange, 0, 0xC000, 0xCFFF, 0, 0x1000)
 *         DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed,
 *                      NonCacheable, ReadWrite, 0, 0xE0000000, 0xEFFFFFFF,
 *                      0, 0x10000000)
 *       })
 *     }
 *   }
 *   Name (_S5_, Package (4) { 0x05, Zero, Zero, Zero })
 */
static const uint8_t dsdt_aml[] = {
	0x10, 0x4a, 0x09, '\\', '_', 'S', 'B', '_',	/* ScopeOp, PkgLength 154 */
	0x5b, 0x82, 0x2b, 'C', 'O', 'M', '1',		/* DeviceOp, PkgLength 43 */
	0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x05, 0x01,
	0x08, '_', 'U', 'I', 'D', 0x01,
	0x08, '_', 'C', 'R', 'S', 0x11, 0x10, 0x0a, 0x0d,	/* Buffer (13) */
	0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x00, 0x08,	/* IO descriptor */
	0x22, 0x10, 0x00,				/* IRQ mask: 4 */
	0x79, 0x00,					/* end tag */
	0x5b, 0x82, 0x44, 0x06, 'P', 'C', 'I', '0',	/* DeviceOp, PkgLength 100 */
	0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x0a, 0x03,
	0x08, '_', 'U', 'I', 'D', 0x00,
	0x08, '_', 'C', 'R', 'S', 0x11, 0x48, 0x04, 0x0a, 0x44, /* Buffer (68) */
	0x88, 0x0d, 0x00, 0x02, 0x0c, 0x00,		/* WordBusNumber */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
	0x47, 0x01, 0xf8, 0x0c, 0xf8, 0x0c, 0x01, 0x08,	/* IO 0xcf8, 8 */
	0x88, 0x0d, 0x00, 0x01, 0x0c, 0x03,		/* WordIO */
	0x00, 0x00, 0x00, 0xc0, 0xff, 0xcf, 0x00, 0x00, 0x00, 0x10,
	0x87, 0x17, 0x00, 0x00, 0x0c, 0x01,		/* DWordMemory */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe0,
	0xff, 0xff, 0xff, 0xef, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x10,
	0x79, 0x00,					/* end tag */
	0x08, '_', 'S', '5', '_', 0x12, 0x07, 0x04,	/* NameOp, PackageOp */
	0x0a, ACPI_S5_TYPE, 0x00, 0x00, 0x00,
};

int acpi_tables_build(uint8_t *buf, size_t size, uint64_t base, unsigned int vcpus)
{
	size_t rsdp = 0, xsdt = 64, fadt = 128, dsdt = 512, madt = 1024;
	size_t madt_len = SDT_HEADER + 8 + vcpus * 8 + 12 + 10;
	uint8_t *t;
	size_t off;
	unsigned int i;

	if (vcpus == 0 || vcpus > 255 || madt + madt_len > size ||
	    size > ACPI_TABLES_MAX)
		return -1;
	memset(buf, 0, size);

	t = buf + dsdt;
	memcpy(t + SDT_HEADER, dsdt_aml, sizeof(dsdt_aml));
	sdt_seal(t, "DSDT", SDT_HEADER + sizeof(dsdt_aml), 2);

	t = buf + fadt;
	put32(t + FADT_DSDT, (uint32_t)(base + dsdt));
	put16(t + FADT_IAPC_BOOT_ARCH, IAPC_VGA_NOT_PRESENT | IAPC_CMOS_RTC_ABSENT);
	put32(t + FADT_FLAGS, FADT_HW_REDUCED_ACPI | FADT_RESET_REG_SUP);
	gas_io8(t + FADT_RESET_REG, ACPI_RESET_PORT);
	t[FADT_RESET_VALUE] = ACPI_RESET_VALUE;
	t[FADT_MINOR_VERSION] = FADT_MINOR;
	put64(t + FADT_X_DSDT, base + dsdt);
	gas_io8(t + FADT_SLEEP_CONTROL, ACPI_SLEEP_CONTROL_PORT);
	gas_io8(t + FADT_SLEEP_STATUS, ACPI_SLEEP_STATUS_PORT);
	memcpy(t + FADT_HYPERVISOR_ID, "HVXHVXHV", 8);
	sdt_seal(t, "FACP", FADT_SIZE, FADT_REVISION);

	t = buf + madt;
	put32(t + SDT_HEADER, ACPI_LAPIC_ADDR);
	put32(t + SDT_HEADER + 4, MADT_PCAT_COMPAT);
	off = SDT_HEADER + 8;
	for (i = 0; i < vcpus; i++, off += 8) {
		t[off] = MADT_LAPIC;
		t[off + 1] = 8;
		t[off + 2] = (uint8_t)i;	/* ACPI processor UID */
		t[off + 3] = (uint8_t)i;	/* APIC ID */
		put32(t + off + 4, 1);		/* enabled */
	}
	t[off] = MADT_IOAPIC;
	t[off + 1] = 12;
	t[off + 2] = (uint8_t)vcpus;		/* IOAPIC ID after the CPUs' */
	put32(t + off + 4, ACPI_IOAPIC_ADDR);
	put32(t + off + 8, 0);			/* GSI base */
	off += 12;
	t[off] = MADT_ISO;			/* ISA IRQ 0 (PIT) is GSI 2 */
	t[off + 1] = 10;
	t[off + 2] = 0;
	t[off + 3] = 0;
	put32(t + off + 4, 2);
	put16(t + off + 8, 0);
	off += 10;
	sdt_seal(t, "APIC", (uint32_t)off, 3);

	t = buf + xsdt;
	put64(t + SDT_HEADER, base + fadt);
	put64(t + SDT_HEADER + 8, base + madt);
	sdt_seal(t, "XSDT", SDT_HEADER + 16, 1);

	t = buf + rsdp;
	memcpy(t, "RSD PTR ", 8);
	memcpy(t + 9, "HVXVMM", 6);
	t[15] = 2;				/* revision: ACPI 2.0+ */
	put32(t + 20, RSDP_SIZE);
	put64(t + 24, base + xsdt);
	t[8] = checksum(t, 20);
	t[32] = checksum(t, RSDP_SIZE);
	return (int)(madt + off);
}
