/* SPDX-License-Identifier: GPL-2.0-only */
/* vif_spec.h: xl's network device spec ("bridge=xenbr0,mac=...,rate=10Mb/s"). */
#ifndef HV_COMMON_VIF_SPEC_H
#define HV_COMMON_VIF_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VIF_SPEC_NAME_MAX	16	/* an interface name, with NUL (IFNAMSIZ) */
#define VIF_SPEC_SCRIPT_MAX	256
#define VIF_SPEC_IP_MAX		64
#define VIF_SPEC_ERR_MAX	256
#define VIF_DEFAULT_BRIDGE	"xenbr0"
#define VIF_DEFAULT_SCRIPT	"vif-bridge"
#define VIF_RATE_DEFAULT_USECS	50000	/* xl's credit interval: 50 ms */

struct vif_spec {
	uint8_t mac[6];
	bool mac_given;				/* else vif_spec_fill_mac() */
	char bridge[VIF_SPEC_NAME_MAX];		/* default xenbr0 */
	char script[VIF_SPEC_SCRIPT_MAX];	/* default vif-bridge */
	char vifname[VIF_SPEC_NAME_MAX];	/* "" when not given */
	char ip[VIF_SPEC_IP_MAX];		/* "" when not given */
	int devid;				/* -1: the next free one */
	unsigned int mtu;			/* 0: not given */
	bool has_rate;
	uint64_t rate_bytes;			/* credit per interval */
	uint32_t rate_usecs;			/* the interval */
};

/*
 * Parse SPEC (comma-separated key=value, xl's keys: mac, bridge, rate,
 * script, vifname, ip, devid, mtu, type, model, backend) into OUT. 0, or
 * -1 with ERR saying which key and why.
 */
int vif_spec_parse(const char *spec, struct vif_spec *out, char *err, size_t errlen);

/*
 * xl's rate: "RATE/s" or "RATE/s@INTERVAL". RATE: a number with B, KB, MB,
 * GB (bytes) or b, Kb, Mb, Gb (bits), decimal multiples; INTERVAL: a
 * number with s, ms or us (default 50 ms). The credit per interval goes to
 * *BYTES. 0, or -1 with ERR.
 */
int vif_rate_parse(const char *s, uint64_t *bytes, uint32_t *usecs, char *err, size_t errlen);

/* "aa:bb:cc:dd:ee:ff" into MAC; 0 or -1. A multicast address is refused. */
int vif_mac_parse(const char *s, uint8_t mac[6]);
void vif_mac_format(const uint8_t mac[6], char out[18]);
/* Xen's prefix 00:16:3e and three bytes from RANDOM (the first < 0x80). */
void vif_mac_from_random(uint8_t mac[6], const uint8_t random[3]);
/* If no MAC was given, make one from /dev/urandom; 0 or -1. */
int vif_spec_fill_mac(struct vif_spec *spec);

#endif /* HV_COMMON_VIF_SPEC_H */
