// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus_bus.c: the device model both buses share. A device is a store
 * directory (device/TYPE/ID, backend/TYPE/FRONTID/ID) whose "state" is
 * Initialising when it is found; it goes when the directory goes. Probing
 * reads where the other end lives, runs the driver's probe, then watches
 * the other end's "state" and hands each change to otherend_changed.
 * Removal stops that watch, runs the driver's remove and says Closed.
 */
#define pr_fmt(fmt) "hvx_core: " fmt

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/reboot.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "internal.h"

#define DEV_NAME_MAX	64
#define DEV_PATH_MAX	256	/* a device's directory; the store allows more */
#define SHUTDOWN_WAIT	(5 * HZ)
#define REBIND_WAIT	(5 * HZ)

static struct hvx_xb_bus *bus_of(struct device *dev)
{
	return container_of(dev->bus, struct hvx_xb_bus, bus);
}

static const struct hvx_xenbus_device_id *
match_id(const struct hvx_xenbus_device_id *ids, const char *type)
{
	for (; ids && ids->devicetype[0]; ids++)
		if (!strcmp(ids->devicetype, type))
			return ids;
	return NULL;
}

static int xb_match(struct device *dev, struct device_driver *drv)
{
	return match_id(to_hvx_xenbus_driver(drv)->ids,
			to_hvx_xenbus_device(dev)->devicetype) != NULL;
}

static int xb_uevent(struct device *dev, struct kobj_uevent_env *env)
{
	struct hvx_xenbus_device *xdev = to_hvx_xenbus_device(dev);
	struct hvx_xb_bus *bus = bus_of(dev);
	struct hvx_xenbus_driver *drv;
	int err;

	err = add_uevent_var(env, "MODALIAS=%s:%s", bus->alias_prefix,
			     xdev->devicetype);
	if (!err)
		err = add_uevent_var(env, "XENBUS_TYPE=%s", xdev->devicetype);
	if (!err)
		err = add_uevent_var(env, "XENBUS_PATH=%s", xdev->nodename);
	if (!err && !bus->frontend)
		err = add_uevent_var(env, "XENBUS_BASE_PATH=%s", bus->root);
	if (err || !dev->driver)
		return err;
	drv = to_hvx_xenbus_driver(dev->driver);
	return drv->uevent ? drv->uevent(xdev, env) : 0;
}

static void otherend_changed(struct hvx_xenbus_watch *watch, const char *path,
			     const char *token)
{
	struct hvx_xenbus_device *xdev =
		container_of(watch, struct hvx_xenbus_device, otherend_watch);
	struct hvx_xenbus_driver *drv;
	enum hvx_xenbus_state state;
	size_t len = strlen(xdev->otherend);

	if (strncmp(path, xdev->otherend, len) || (path[len] && path[len] != '/'))
		return;
	state = hvx_xenbus_read_driver_state(xdev->otherend);
	dev_dbg(&xdev->dev, "other end %s is %s\n", xdev->otherend,
		hvx_xenbus_strstate(state));
	/*
	 * While the system goes down a frontend no longer asks its driver:
	 * once the backend closes, it is closed too (the shutdown hook waits
	 * for that).
	 */
	if (system_state > SYSTEM_RUNNING) {
		if (bus_of(&xdev->dev)->frontend &&
		    (state == HVX_XenbusStateClosing || state == HVX_XenbusStateClosed))
			hvx_xenbus_frontend_closed(xdev);
		return;
	}
	drv = to_hvx_xenbus_driver(xdev->dev.driver);
	if (drv->otherend_changed)
		drv->otherend_changed(xdev, state);
}

static void free_otherend(struct hvx_xenbus_device *xdev)
{
	kfree(xdev->otherend);
	xdev->otherend = NULL;
	xdev->otherend_id = -1;
}

static int read_otherend(struct hvx_xenbus_device *xdev)
{
	struct hvx_xb_bus *bus = bus_of(&xdev->dev);
	unsigned int id;
	char *path;

	free_otherend(xdev);
	if (hvx_xenbus_scanf(HVX_XBT_NIL, xdev->nodename, bus->otherend_id_node,
			     "%u", &id) != 1 || id >= HVX_DOMID_FIRST_RESERVED) {
		hvx_xenbus_dev_fatal(xdev, -ENOENT, "reading %s/%s",
				     xdev->nodename, bus->otherend_id_node);
		return -ENOENT;
	}
	path = hvx_xenbus_read(HVX_XBT_NIL, xdev->nodename, bus->otherend_node,
			       NULL);
	if (IS_ERR(path) || !*path || !hvx_xenbus_exists(HVX_XBT_NIL, path, "")) {
		hvx_xenbus_dev_fatal(xdev, -ENOENT, "missing other end at %s/%s",
				     xdev->nodename, bus->otherend_node);
		if (!IS_ERR(path))
			kfree(path);
		return -ENOENT;
	}
	xdev->otherend = path;
	xdev->otherend_id = id;
	return 0;
}

static void unwatch_otherend(struct hvx_xenbus_device *xdev)
{
	if (!xdev->otherend_watch.node)
		return;
	hvx_unregister_xenbus_watch(&xdev->otherend_watch);
	kfree(xdev->otherend_watch.node);
	xdev->otherend_watch.node = NULL;
}

/*
 * A frontend's driver bound again (module reloaded, sysfs bind) finds its
 * device Closed: say Initialising, so the backend prepares a new
 * connection, and give it up to 5 s to leave Closing or Closed. Without
 * the wait the driver's first look at the other end (the watch fires at
 * once) could still read the end of the previous connection and close
 * again, and both ends would stay Closed.
 */
static void frontend_restart(struct hvx_xenbus_device *xdev)
{
	unsigned long deadline = jiffies + REBIND_WAIT;
	enum hvx_xenbus_state other;

	reinit_completion(&xdev->down);
	if (hvx_xenbus_switch_state(xdev, HVX_XenbusStateInitialising))
		return;
	do {
		other = hvx_xenbus_read_driver_state(xdev->otherend);
		if (other != HVX_XenbusStateClosed && other != HVX_XenbusStateClosing)
			return;
		msleep(20);
	} while (time_before(jiffies, deadline));
}

static int xb_probe(struct device *dev)
{
	struct hvx_xenbus_device *xdev = to_hvx_xenbus_device(dev);
	struct hvx_xenbus_driver *drv = to_hvx_xenbus_driver(dev->driver);
	const struct hvx_xenbus_device_id *id;
	int err;

	id = match_id(drv->ids, xdev->devicetype);
	if (!id || !drv->probe)
		return -ENODEV;
	err = read_otherend(xdev);
	if (err)
		return err;
	if (bus_of(dev)->frontend && xdev->state == HVX_XenbusStateClosed)
		frontend_restart(xdev);
	err = drv->probe(xdev, id);
	if (err)
		goto free;
	/*
	 * After probe: the first change (the watch fires at once) finds a
	 * driver ready for it.
	 */
	err = hvx_xenbus_watch_pathfmt(xdev, &xdev->otherend_watch,
				       otherend_changed, "%s/state",
				       xdev->otherend);
	if (err)
		goto remove;
	return 0;

remove:
	if (drv->remove)
		drv->remove(xdev);
free:
	free_otherend(xdev);
	dev_warn(dev, "probe of %s failed: %d\n", xdev->nodename, err);
	return err;
}

static void xb_remove(struct device *dev)
{
	struct hvx_xenbus_device *xdev = to_hvx_xenbus_device(dev);
	struct hvx_xenbus_driver *drv = to_hvx_xenbus_driver(dev->driver);

	unwatch_otherend(xdev);
	if (drv->remove)
		drv->remove(xdev);
	free_otherend(xdev);
	/* A no-op once the directory is gone (switch_state never recreates it). */
	hvx_xenbus_switch_state(xdev, HVX_XenbusStateClosed);
}

/* A frontend still connected at shutdown closes, so the backend lets go. */
static void xb_frontend_shutdown(struct device *dev)
{
	struct hvx_xenbus_device *xdev = to_hvx_xenbus_device(dev);

	if (!dev->driver || xdev->state != HVX_XenbusStateConnected)
		return;
	hvx_xenbus_switch_state(xdev, HVX_XenbusStateClosing);
	if (!wait_for_completion_timeout(&xdev->down, SHUTDOWN_WAIT))
		dev_info(dev, "backend did not close in time\n");
}

static ssize_t nodename_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%s\n", to_hvx_xenbus_device(dev)->nodename);
}
static DEVICE_ATTR_RO(nodename);

static ssize_t devtype_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", to_hvx_xenbus_device(dev)->devicetype);
}
static DEVICE_ATTR_RO(devtype);

static ssize_t modalias_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%s:%s\n", bus_of(dev)->alias_prefix,
			  to_hvx_xenbus_device(dev)->devicetype);
}
static DEVICE_ATTR_RO(modalias);

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  hvx_xenbus_strstate(to_hvx_xenbus_device(dev)->state));
}
static DEVICE_ATTR_RO(state);

static struct attribute *xb_dev_attrs[] = {
	&dev_attr_nodename.attr,
	&dev_attr_devtype.attr,
	&dev_attr_modalias.attr,
	&dev_attr_state.attr,
	NULL,
};
ATTRIBUTE_GROUPS(xb_dev);

static void xb_release(struct device *dev)
{
	struct hvx_xenbus_device *xdev = to_hvx_xenbus_device(dev);

	kfree(xdev->otherend);
	kfree(xdev->nodename);
	kfree(xdev->devicetype);
	kfree(xdev);
}

/* Called with bus->probe_lock held. */
static void probe_node(struct hvx_xb_bus *bus, const char *nodename,
		       const char *type, const char *name)
{
	struct hvx_xenbus_device *xdev;
	struct device *found;
	int err;

	found = bus_find_device_by_name(&bus->bus, NULL, name);
	if (found) {
		put_device(found);
		return;
	}
	/* Only a new device: one going away after Closed stays unprobed. */
	if (hvx_xenbus_read_driver_state(nodename) != HVX_XenbusStateInitialising)
		return;
	xdev = kzalloc(sizeof(*xdev), GFP_KERNEL);
	if (!xdev)
		return;
	xdev->devicetype = kstrdup(type, GFP_KERNEL);
	xdev->nodename = kstrdup(nodename, GFP_KERNEL);
	xdev->otherend_id = -1;
	xdev->state = HVX_XenbusStateInitialising;
	init_completion(&xdev->down);
	xdev->dev.bus = &bus->bus;
	xdev->dev.release = xb_release;
	device_initialize(&xdev->dev);
	if (!xdev->devicetype || !xdev->nodename) {
		put_device(&xdev->dev);
		return;
	}
	err = dev_set_name(&xdev->dev, "%s", name);
	if (!err)
		err = device_add(&xdev->dev);
	if (err) {
		pr_warn("adding %s failed: %d\n", nodename, err);
		put_device(&xdev->dev);
		return;
	}
	dev_dbg(&xdev->dev, "added for %s\n", nodename);
}

static void remove_device(struct device *dev)
{
	dev_dbg(dev, "%s is gone\n", to_hvx_xenbus_device(dev)->nodename);
	device_unregister(dev);
}

/*
 * @comps: the @bus->depth names under root. The device name joins them
 * with '-' (vbd-51712, vbd-5-51712); the store path with '/'.
 */
static void sync_node(struct hvx_xb_bus *bus, char **comps)
{
	char name[DEV_NAME_MAX], path[DEV_PATH_MAX];
	unsigned int i, n = 0, p;
	struct device *dev;

	p = scnprintf(path, sizeof(path), "%s", bus->root);
	for (i = 0; i < bus->depth; i++) {
		n += scnprintf(name + n, sizeof(name) - n, "%s%s", i ? "-" : "",
			       comps[i]);
		p += scnprintf(path + p, sizeof(path) - p, "/%s", comps[i]);
	}
	if (n >= sizeof(name) - 1 || p >= sizeof(path) - 1 || strchr(name, '/')) {
		pr_warn_ratelimited("ignoring %s...: name too long\n", path);
		return;
	}
	if (hvx_xenbus_exists(HVX_XBT_NIL, path, "")) {
		probe_node(bus, path, comps[0], name);
		return;
	}
	dev = bus_find_device_by_name(&bus->bus, NULL, name);
	if (dev) {
		remove_device(dev);
		put_device(dev);
	}
}

/* Walk root to @bus->depth levels and add each device found. */
static void enumerate(struct hvx_xb_bus *bus, unsigned int level, char **comps)
{
	char path[DEV_PATH_MAX];
	unsigned int i, n, p;
	char **names;

	if (level == bus->depth) {
		sync_node(bus, comps);
		return;
	}
	p = scnprintf(path, sizeof(path), "%s", bus->root);
	for (i = 0; i < level; i++)
		p += scnprintf(path + p, sizeof(path) - p, "/%s", comps[i]);
	if (p >= sizeof(path) - 1)
		return;
	names = hvx_xenbus_directory(HVX_XBT_NIL, path, "", &n);
	if (IS_ERR(names))
		return;
	for (i = 0; i < n; i++) {
		comps[level] = names[i];
		enumerate(bus, level + 1, comps);
	}
	kfree(names);
}

static int gone_match(struct device *dev, const void *unused)
{
	return !hvx_xenbus_exists(HVX_XBT_NIL, to_hvx_xenbus_device(dev)->nodename, "");
}

/* Called with bus->probe_lock held: remove what went, add what came. */
static void resync(struct hvx_xb_bus *bus)
{
	char *comps[4];
	struct device *dev;

	while ((dev = bus_find_device(&bus->bus, NULL, NULL, gone_match))) {
		remove_device(dev);
		put_device(dev);
	}
	enumerate(bus, 0, comps);
}

/* Events under root: ROOT/A/B[/C]/...; a shallower one means a rescan. */
static void root_changed(struct hvx_xenbus_watch *watch, const char *path,
			 const char *token)
{
	struct hvx_xb_bus *bus = container_of(watch, struct hvx_xb_bus, watch);
	size_t rlen = strlen(bus->root);
	char *copy, *rest, *comps[4];
	unsigned int n = 0;

	if (strncmp(path, bus->root, rlen) || (path[rlen] && path[rlen] != '/'))
		return;
	copy = kstrdup(path + rlen, GFP_KERNEL);
	if (!copy)
		return;
	rest = copy;
	while (n < bus->depth && rest && *rest) {
		char *c = strsep(&rest, "/");

		if (*c)
			comps[n++] = c;
	}
	mutex_lock(&bus->probe_lock);
	if (n == bus->depth)
		sync_node(bus, comps);
	else
		resync(bus);
	mutex_unlock(&bus->probe_lock);
	kfree(copy);
}

void hvx_xb_bus_start(struct hvx_xb_bus *bus)
{
	int err;

	if (!bus->registered || bus->watching)
		return;
	mutex_lock(&bus->probe_lock);
	resync(bus);
	mutex_unlock(&bus->probe_lock);
	bus->watch.node = bus->root;
	bus->watch.callback = root_changed;
	err = hvx_register_xenbus_watch(&bus->watch);
	if (err) {
		pr_err("cannot watch %s: %d; no %s devices will come or go\n",
		       bus->root, err, bus->bus.name);
		return;
	}
	bus->watching = true;
}

static int any_match(struct device *dev, const void *unused)
{
	return 1;
}

void hvx_xb_bus_stop(struct hvx_xb_bus *bus)
{
	struct device *dev;

	if (bus->watching)
		hvx_unregister_xenbus_watch(&bus->watch);
	bus->watching = false;
	if (!bus->registered)
		return;
	mutex_lock(&bus->probe_lock);
	while ((dev = bus_find_device(&bus->bus, NULL, NULL, any_match))) {
		device_unregister(dev);
		put_device(dev);
	}
	mutex_unlock(&bus->probe_lock);
}

int hvx_xb_bus_register(struct hvx_xb_bus *bus)
{
	int err;

	mutex_init(&bus->probe_lock);
	bus->bus.match = xb_match;
	bus->bus.uevent = xb_uevent;
	bus->bus.probe = xb_probe;
	bus->bus.remove = xb_remove;
	if (bus->frontend)
		bus->bus.shutdown = xb_frontend_shutdown;
	bus->bus.dev_groups = xb_dev_groups;
	err = bus_register(&bus->bus);
	if (err == -EEXIST)
		pr_err("a bus named \"%s\" exists already (a second core?)\n",
		       bus->bus.name);
	else if (err)
		pr_err("registering bus %s failed: %d\n", bus->bus.name, err);
	bus->registered = !err;
	return err;
}

void hvx_xb_bus_unregister(struct hvx_xb_bus *bus)
{
	if (bus->registered)
		bus_unregister(&bus->bus);
	bus->registered = false;
}

static int register_driver(struct hvx_xenbus_driver *drv, struct hvx_xb_bus *bus,
			   struct module *owner, const char *mod_name)
{
	if (!bus->registered)
		return -ENODEV;
	drv->driver.name = drv->name ? drv->name : mod_name;
	drv->driver.bus = &bus->bus;
	drv->driver.owner = owner;
	drv->driver.mod_name = mod_name;
	return driver_register(&drv->driver);
}

int __hvx_xenbus_register_frontend(struct hvx_xenbus_driver *drv,
				   struct module *owner, const char *mod_name)
{
	return register_driver(drv, &hvx_xb_frontend, owner, mod_name);
}
EXPORT_SYMBOL_GPL(__hvx_xenbus_register_frontend);

int __hvx_xenbus_register_backend(struct hvx_xenbus_driver *drv,
				  struct module *owner, const char *mod_name)
{
	return register_driver(drv, &hvx_xb_backend, owner, mod_name);
}
EXPORT_SYMBOL_GPL(__hvx_xenbus_register_backend);

void hvx_xenbus_unregister_driver(struct hvx_xenbus_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL_GPL(hvx_xenbus_unregister_driver);
