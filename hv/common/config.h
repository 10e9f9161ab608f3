/* SPDX-License-Identifier: GPL-2.0-only */
/* config.h: domain configuration files in xl.cfg syntax, parsed and checked. */
#ifndef HV_COMMON_CONFIG_H
#define HV_COMMON_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "common/vif_spec.h"
#include "common/disk_spec.h"

#define HV_CONFIG_NAME_MAX	64	/* with NUL, = HVCTL_NAME_MAX */
#define HV_CONFIG_PATH_MAX	4096
#define HV_CONFIG_CMDLINE_MAX	2048	/* Linux x86 COMMAND_LINE_SIZE */
#define HV_CONFIG_MEMORY_MIN_MIB 32
#define HV_CONFIG_VCPUS_MAX	64
#define HV_CONFIG_ERR_MAX	512
#define HV_CONFIG_VIFS_MAX	8
#define HV_CONFIG_DISKS_MAX	16
#define HV_CONFIG_PCI_MAX	16	/* pciback's devices per domain */
#define HV_CONFIG_BDF_LEN	13	/* "DDDD:BB:SS.F" and the NUL */

/* One entry of pci = [ 'BDF[,permissive=0|1]' ]. */
struct hv_config_pci {
	char bdf[HV_CONFIG_BDF_LEN];	/* normalised, "0000:00:1a.1" */
	int permissive;
};

enum hv_action {
	HV_ACTION_DESTROY = 0,
	HV_ACTION_RESTART,
	HV_ACTION_PRESERVE,
};

struct hv_config {
	char name[HV_CONFIG_NAME_MAX];
	uint64_t memory_mib;		/* default 128 */
	uint64_t maxmem_mib;		/* default: memory_mib */
	unsigned int vcpus;		/* default 1 */
	char kernel[HV_CONFIG_PATH_MAX];
	char ramdisk[HV_CONFIG_PATH_MAX];	/* "" when none */
	char cmdline[HV_CONFIG_CMDLINE_MAX];	/* root= + extra/cmdline */
	enum hv_action on_poweroff;	/* default destroy */
	enum hv_action on_reboot;	/* default restart */
	enum hv_action on_crash;	/* default destroy */
	struct vif_spec vifs[HV_CONFIG_VIFS_MAX];	/* vif = [...] */
	unsigned int nr_vifs;
	unsigned int nr_disks;		/* disk = [ 'DISKSPEC', ... ] */
	struct disk_spec disks[HV_CONFIG_DISKS_MAX];
	unsigned int nr_pci;
	struct hv_config_pci pci[HV_CONFIG_PCI_MAX];
};

/*
 * Parse TEXT (LEN bytes) read from FILENAME into CFG. Returns 0, or -1 with
 * ERR holding "FILENAME:LINE: key 'KEY': what is wrong" (or without the key
 * part when no key applies). Relative kernel/ramdisk paths are resolved
 * against FILENAME's directory. Files are not opened here.
 */
int hv_config_parse(const char *text, size_t len, const char *filename,
		    struct hv_config *cfg, char *err, size_t errlen);

/* Read PATH and parse it; also checks that kernel and ramdisk exist and are
 * regular readable files (error names the file, line and key). */
int hv_config_load(const char *path, struct hv_config *cfg,
		   char *err, size_t errlen);

/* One PCI device as the pci list and `hv pci-attach` take it:
 * "BDF[,permissive=0|1]"; 0, or -1 with ERR saying what is wrong. */
int hv_config_parse_pci(const char *spec, struct hv_config_pci *out,
			char *err, size_t errlen);

const char *hv_action_name(enum hv_action action);

#endif /* HV_COMMON_CONFIG_H */
