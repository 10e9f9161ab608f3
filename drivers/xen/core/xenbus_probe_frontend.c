// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus_probe_frontend.c: the "hvx" bus of frontends (Linux's "xen" bus). A domU's devices
 * are listed under device/TYPE/ID in its home directory; each names its
 * backend in "backend" and "backend-id". Device name: TYPE-ID (vbd-51712).
 */
#include "internal.h"

struct hvx_xb_bus hvx_xb_frontend = {
	.bus.name = "hvx",
	.root = "device",
	.depth = 2,
	.alias_prefix = "hvx",
	.otherend_node = "backend",
	.otherend_id_node = "backend-id",
	.frontend = true,
};
