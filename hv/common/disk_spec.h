/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * disk_spec.h: xl's disk specification ("DISKSPEC", xl-disk-configuration)
 * and Xen's virtual device numbers.
 *
 *   positional:  TARGET[,FORMAT[,VDEV[,ACCESS]]]       /img,raw,xvda,rw
 *   legacy:      phy:TARGET,VDEV[:cdrom],ACCESS         phy:/dev/vdb,xvda,w
 *                file:TARGET,VDEV,ACCESS                file:/d.img,xvdb,r
 *   keys:        format= vdev= access= devtype= backendtype= script=
 *                backend= and target= (last: the rest of the string)
 *   flags:       cdrom, discard, no-discard
 */
#ifndef HV_COMMON_DISK_SPEC_H
#define HV_COMMON_DISK_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DISK_SPEC_TARGET_MAX	4096
#define DISK_SPEC_VDEV_MAX	32
#define DISK_SPEC_SCRIPT_MAX	256
#define DISK_SPEC_ERR_MAX	256

enum disk_kind {
	DISK_KIND_AUTO = 0,	/* no prefix: a block device is phy, else file */
	DISK_KIND_PHY,
	DISK_KIND_FILE,
};

struct disk_spec {
	char target[DISK_SPEC_TARGET_MAX];
	char vdev[DISK_SPEC_VDEV_MAX];
	char script[DISK_SPEC_SCRIPT_MAX];	/* "" : the default "block" */
	enum disk_kind kind;
	bool readonly;
	bool cdrom;
	int discard;			/* -1 default, 0 no-discard, 1 discard */
	uint32_t devid;			/* Xen's device number of vdev */
};

/* Parse SPEC into OUT; 0, or -1 with ERR saying which part is wrong. */
int disk_spec_parse(const char *spec, struct disk_spec *out, char *err, size_t errlen);

/*
 * A vdev name (xvda, xvdb3, xvdaa, hdc, sda1, d0p2, or a number) to Xen's
 * device number: xvd: 202 << 8 | disk << 4 | part while disk < 16 and
 * part < 16, else 1 << 28 | disk << 8 | part; hd: majors 3/22/33/34...;
 * sd: 8 << 8 | disk << 4 | part. Returns 0, or -1 if not a valid name.
 */
int disk_vdev_to_devid(const char *vdev, uint32_t *devid);

/* The xvd name of DEVID ("xvda", "xvdb3", "xvdaa"): 0, or -1. */
int disk_devid_to_name(uint32_t devid, char *buf, size_t len);

#endif /* HV_COMMON_DISK_SPEC_H */
