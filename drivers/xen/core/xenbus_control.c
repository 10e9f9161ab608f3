// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus_control.c: a domU's control/shutdown node. The toolstack writes
 * "poweroff", "reboot" or "halt" there; the guest clears the node, then
 * powers off or reboots the orderly way (userspace's shutdown). The
 * control/feature-* nodes tell the toolstack what this guest understands.
 */
#define pr_fmt(fmt) "hvx_core: " fmt

#include <linux/reboot.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "internal.h"

static bool watching;

/* Take the request and clear it, in one transaction; NULL if none. */
static char *take_request(void)
{
	struct hvx_xenbus_transaction t;
	char *req;
	int err;

again:
	if (hvx_xenbus_transaction_start(&t))
		return NULL;
	req = hvx_xenbus_read(t, "control", "shutdown", NULL);
	if (IS_ERR(req)) {
		hvx_xenbus_transaction_end(t, 1);
		return NULL;
	}
	if (!*req || hvx_xenbus_write(t, "control", "shutdown", "")) {
		hvx_xenbus_transaction_end(t, 1);
		kfree(req);
		return NULL;
	}
	err = hvx_xenbus_transaction_end(t, 0);
	if (err) {
		kfree(req);
		if (err == -EAGAIN)
			goto again;
		return NULL;
	}
	return req;
}

static void shutdown_changed(struct hvx_xenbus_watch *watch, const char *path,
			     const char *token)
{
	char *req = take_request();

	if (!req)
		return;
	if (!strcmp(req, "poweroff") || !strcmp(req, "halt")) {
		pr_info("the toolstack asks for %s\n", req);
		orderly_poweroff(false);
	} else if (!strcmp(req, "reboot")) {
		pr_info("the toolstack asks for a reboot\n");
		orderly_reboot();
	} else if (!strcmp(req, "suspend")) {
		pr_info("suspend is not supported; ignored\n");
	} else {
		pr_warn("unknown shutdown request \"%.32s\" ignored\n", req);
	}
	kfree(req);
}

static struct hvx_xenbus_watch shutdown_watch = {
	.node = "control/shutdown",
	.callback = shutdown_changed,
};

void hvx_xb_control_start(void)
{
	static const char *const features[] = { "feature-poweroff",
						"feature-reboot" };
	unsigned int i;
	int err;

	if (hvx_initial_domain() || watching)
		return;
	err = hvx_register_xenbus_watch(&shutdown_watch);
	if (err) {
		pr_err("cannot watch control/shutdown: %d\n", err);
		return;
	}
	watching = true;
	for (i = 0; i < ARRAY_SIZE(features); i++)
		hvx_xenbus_write(HVX_XBT_NIL, "control", features[i], "1");
}

void hvx_xb_control_stop(void)
{
	if (watching)
		hvx_unregister_xenbus_watch(&shutdown_watch);
	watching = false;
}
