/* SPDX-License-Identifier: GPL-2.0-only */
/* acpi.h: the minimal ACPI tables a Linux guest needs for SMP and power off. */
#ifndef HV_VMM_ACPI_H
#define HV_VMM_ACPI_H

#include <stddef.h>
#include <stdint.h>

/* I/O ports of the HW-reduced ACPI power interface (FADT). */
#define ACPI_SLEEP_CONTROL_PORT	0x3c0
#define ACPI_SLEEP_STATUS_PORT	0x3c1
#define ACPI_RESET_PORT		0x3c2
#define ACPI_RESET_VALUE	0x01
#define ACPI_SLP_EN		0x20
#define ACPI_SLP_TYP_SHIFT	2
#define ACPI_SLP_TYP_MASK	0x1c
#define ACPI_S5_TYPE		5	/* the value _S5_ hands the guest */
#define ACPI_WAK_STS		0x80

#define ACPI_IOAPIC_ADDR	0xfec00000u
#define ACPI_LAPIC_ADDR		0xfee00000u
#define ACPI_TABLES_MAX		0x2000

/* Write RSDP, XSDT, FADT, DSDT and MADT for VCPUS into BUF (guest-physical
 * address BASE, at most ACPI_TABLES_MAX bytes); returns bytes used or -1. */
int acpi_tables_build(uint8_t *buf, size_t size, uint64_t base, unsigned int vcpus);

#endif /* HV_VMM_ACPI_H */
