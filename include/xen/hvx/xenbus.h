/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xenbus.h: the store client and the xenbus device model of the core module
 * (hvx_core.ko), for split drivers, xenfs and test modules.
 *
 * Buses: "hvx" (frontends, devices named DEVTYPE-ID, e.g. vbd-51712) and
 * "hvx-backend" (backends, DEVTYPE-FRONTDOMID-ID, e.g. vbd-5-51712). The
 * device names are Xen's; the bus names are not "xen" and "xen-backend"
 * because a distro kernel built with CONFIG_XEN registers both at boot
 * even on bare metal (Debian's 6.1 does). Uevents carry
 * MODALIAS=hvx:DEVTYPE or hvx-backend:DEVTYPE, so udev loads the suite's
 * drivers and never a distro Xen module.
 */
#ifndef XEN_HVX_XENBUS_H
#define XEN_HVX_XENBUS_H

#include <linux/completion.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/mod_devicetable.h>
#include <linux/types.h>
#include "core.h"

/* ---- Store client ---------------------------------------------------------- */

struct hvx_xenbus_transaction {
	u32 id;
};

#define HVX_XBT_NIL ((struct hvx_xenbus_transaction) { 0 })

/*
 * Results are kmalloc'ed (free with kfree) or ERR_PTR(-errno). Errors from
 * the store map to errno as Xen names them (ENOENT, EACCES, EAGAIN...).
 * Paths are relative to the domain's home directory unless they start
 * with '/'.
 */
void *hvx_xenbus_read(struct hvx_xenbus_transaction t, const char *dir,
		      const char *node, unsigned int *len);
char **hvx_xenbus_directory(struct hvx_xenbus_transaction t, const char *dir,
			    const char *node, unsigned int *num);
int hvx_xenbus_write(struct hvx_xenbus_transaction t, const char *dir,
		     const char *node, const char *string);
int hvx_xenbus_mkdir(struct hvx_xenbus_transaction t, const char *dir,
		     const char *node);
int hvx_xenbus_exists(struct hvx_xenbus_transaction t, const char *dir,
		      const char *node);
int hvx_xenbus_rm(struct hvx_xenbus_transaction t, const char *dir,
		  const char *node);
int hvx_xenbus_transaction_start(struct hvx_xenbus_transaction *t);
/* 0, or -EAGAIN when the store saw a conflict: redo the transaction. */
int hvx_xenbus_transaction_end(struct hvx_xenbus_transaction t, int abort);
__printf(4, 5)
int hvx_xenbus_printf(struct hvx_xenbus_transaction t, const char *dir,
		      const char *node, const char *fmt, ...);
__scanf(4, 5)
int hvx_xenbus_scanf(struct hvx_xenbus_transaction t, const char *dir,
		     const char *node, const char *fmt, ...);
unsigned int hvx_xenbus_read_unsigned(const char *dir, const char *node,
				      unsigned int default_val);

/*
 * A raw store request for xenfs's xenbus file: @type, @tx_id and payload as
 * on the wire. The reply (type and payload) comes back kmalloc'ed. WATCH
 * and UNWATCH are not accepted here (use the watch API).
 */
void *hvx_xenbus_raw_request(u32 type, u32 tx_id, const void *payload,
			     u32 len, u32 *reply_type, u32 *reply_len);

struct hvx_xenbus_watch {
	struct list_head list;		/* private */
	const char *node;		/* the path watched */
	const char *token;		/* NULL: the core makes one */
	unsigned int nr_pending;	/* private */
	/* Runs in the core's watch thread, never concurrently for one watch. */
	void (*callback)(struct hvx_xenbus_watch *watch, const char *path,
			 const char *token);
};

int hvx_register_xenbus_watch(struct hvx_xenbus_watch *watch);
void hvx_unregister_xenbus_watch(struct hvx_xenbus_watch *watch);

/* True once the store answers; waiters sleep until then. */
bool hvx_xenstore_ready(void);
int hvx_xenstore_wait_ready(unsigned long timeout_jiffies);

/* dom0 only: the kernel's own store ring, for xenfs's xsd_kva and xsd_port. */
struct page *hvx_xenstore_dom0_ring(void);
hvx_evtchn_port_t hvx_xenstore_dom0_port(void);

/* ---- Devices and drivers -------------------------------------------------- */

struct hvx_xenbus_device {
	const char *devicetype;		/* "vbd", "vif", ... */
	const char *nodename;		/* this end's store directory */
	const char *otherend;		/* the other end's directory */
	int otherend_id;		/* the other end's domid */
	struct hvx_xenbus_watch otherend_watch;
	struct device dev;
	enum hvx_xenbus_state state;
	struct completion down;
};

static inline struct hvx_xenbus_device *to_hvx_xenbus_device(struct device *dev)
{
	return container_of(dev, struct hvx_xenbus_device, dev);
}

struct hvx_xenbus_device_id {
	char devicetype[32];		/* empty string ends a table */
};

struct hvx_xenbus_driver {
	const char *name;		/* defaults to the module name */
	const struct hvx_xenbus_device_id *ids;
	int (*probe)(struct hvx_xenbus_device *dev,
		     const struct hvx_xenbus_device_id *id);
	void (*otherend_changed)(struct hvx_xenbus_device *dev,
				 enum hvx_xenbus_state other_state);
	void (*remove)(struct hvx_xenbus_device *dev);
	int (*uevent)(struct hvx_xenbus_device *dev, struct kobj_uevent_env *env);
	struct device_driver driver;
};

static inline struct hvx_xenbus_driver *to_hvx_xenbus_driver(struct device_driver *drv)
{
	return container_of(drv, struct hvx_xenbus_driver, driver);
}

int __hvx_xenbus_register_frontend(struct hvx_xenbus_driver *drv,
				   struct module *owner, const char *mod_name);
int __hvx_xenbus_register_backend(struct hvx_xenbus_driver *drv,
				  struct module *owner, const char *mod_name);
/*
 * In a driver module: load me for devices of @type (udev runs modprobe
 * with the device's MODALIAS, hvx:TYPE or hvx-backend:TYPE).
 */
#define HVX_XENBUS_FRONTEND_ALIAS(type) MODULE_ALIAS("hvx:" type)
#define HVX_XENBUS_BACKEND_ALIAS(type) MODULE_ALIAS("hvx-backend:" type)

#define hvx_xenbus_register_frontend(drv) \
	__hvx_xenbus_register_frontend(drv, THIS_MODULE, KBUILD_MODNAME)
#define hvx_xenbus_register_backend(drv) \
	__hvx_xenbus_register_backend(drv, THIS_MODULE, KBUILD_MODNAME)
void hvx_xenbus_unregister_driver(struct hvx_xenbus_driver *drv);

/* A module whose init and exit only register and unregister @drv. */
#define module_hvx_xenbus_frontend(drv) \
	module_driver(drv, hvx_xenbus_register_frontend, hvx_xenbus_unregister_driver)
#define module_hvx_xenbus_backend(drv) \
	module_driver(drv, hvx_xenbus_register_backend, hvx_xenbus_unregister_driver)

/* ---- Connection helpers (the XenbusState machine) ------------------------ */

const char *hvx_xenbus_strstate(enum hvx_xenbus_state state);
/*
 * Write this end's "state" node (in a transaction, never recreating a
 * directory that went) and remember it; a no-op if unchanged. Closed
 * completes dev->down.
 */
int hvx_xenbus_switch_state(struct hvx_xenbus_device *dev,
			    enum hvx_xenbus_state new_state);
/* A frontend done closing: Closed, and whoever waits on dev->down wakes. */
int hvx_xenbus_frontend_closed(struct hvx_xenbus_device *dev);
/* The "state" under @path, or Unknown if absent or not a state. */
enum hvx_xenbus_state hvx_xenbus_read_driver_state(const char *path);
/* "ERRNO message" into error/NODENAME/error and the kernel log. */
__printf(3, 4)
void hvx_xenbus_dev_error(struct hvx_xenbus_device *dev, int err,
			  const char *fmt, ...);
/* As dev_error, then switch to Closing. */
__printf(3, 4)
void hvx_xenbus_dev_fatal(struct hvx_xenbus_device *dev, int err,
			  const char *fmt, ...);
/*
 * Watch the formatted path; the caller kfree()s watch->node after
 * unregistering. On failure the device is reported fatal.
 */
__printf(4, 5)
int hvx_xenbus_watch_pathfmt(struct hvx_xenbus_device *dev,
			     struct hvx_xenbus_watch *watch,
			     void (*callback)(struct hvx_xenbus_watch *,
					      const char *, const char *),
			     const char *fmt, ...);

/* Frontend: grant the other end access to @nr_pages (<= 16) pages at @vaddr. */
int hvx_xenbus_grant_ring(struct hvx_xenbus_device *dev, void *vaddr,
			  unsigned int nr_pages, hvx_grant_ref_t *grefs);
/* Backend: map the other end's ring pages into one virtual range. */
int hvx_xenbus_map_ring_valloc(struct hvx_xenbus_device *dev,
			       const hvx_grant_ref_t *grefs,
			       unsigned int nr_grefs, void **vaddr);
void hvx_xenbus_unmap_ring_vfree(struct hvx_xenbus_device *dev, void *vaddr);
int hvx_xenbus_alloc_evtchn(struct hvx_xenbus_device *dev,
			    hvx_evtchn_port_t *port);
int hvx_xenbus_free_evtchn(struct hvx_xenbus_device *dev,
			   hvx_evtchn_port_t port);

#endif /* XEN_HVX_XENBUS_H */
