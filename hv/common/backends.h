/* SPDX-License-Identifier: GPL-2.0-only */
/* backends.h: the device directories a domain has in dom0's part of the
 * store (backend/TYPE/DOMID, error/backend/TYPE/DOMID), removed when the
 * domain is gone, as libxl removes them: each backend driver sees its
 * directory go and lets the device go, and udev runs the hotplug scripts. */
#ifndef HV_COMMON_BACKENDS_H
#define HV_COMMON_BACKENDS_H

#include <stdint.h>

struct xs_client;

/* Remove DOMID's directories under every backend type; 0, or the first
 * store error other than ENOENT (the others are still tried). */
int xs_backends_remove(struct xs_client *h, uint32_t domid);

#endif
