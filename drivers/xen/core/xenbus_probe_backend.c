// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus_probe_backend.c: the "hvx-backend" bus of backends in dom0
 * (Linux's "xen-backend").
 * Backends are listed under backend/TYPE/FRONTDOMID/ID in dom0's home
 * directory; each names its frontend in "frontend" and "frontend-id".
 * Device name: TYPE-FRONTDOMID-ID (vbd-5-51712).
 */
#include "internal.h"

struct hvx_xb_bus hvx_xb_backend = {
	.bus.name = "hvx-backend",
	.root = "backend",
	.depth = 3,
	.alias_prefix = "hvx-backend",
	.otherend_node = "frontend",
	.otherend_id_node = "frontend-id",
	.frontend = false,
};
