// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus.c: pciback's "pci" backend (backend/pci/DOMID/0). It takes the
 * devices the toolstack lists (num_devs, dev-N, opts-N), publishes how the
 * frontend sees them (vdev-N, root_num, root-N), maps the frontend's
 * shared page and serves its operations, one at a time, in a work item.
 *
 * The frontend's view is a virtual bus: segment PCIBACK_VDOMAIN, bus 0,
 * device N at slot N function 0. Segment 0 bus 0 of a domU is its own
 * (hv's host bridge and platform device).
 */
#define pr_fmt(fmt) "pciback: " fmt

#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "pciback.h"
#include "../../../include/xen/hvx/pciif.h"
#include "../../../include/xen/hvx/xenbus.h"

#define PCIBACK_VDOMAIN		1
#define PCIBACK_MAX_DEVS	16	/* devices of one domU */

static_assert(sizeof(struct hvx_xen_pci_sharedinfo) == 572);

struct pciback_export {
	struct pciback_bdf bdf;		/* in dom0 */
	bool claimed;
};

struct pciback_be {
	struct hvx_xenbus_device *dev;
	struct mutex lock;		/* everything below; taken before pciback_lock */
	struct hvx_xen_pci_sharedinfo *sh;	/* the frontend's page, mapped */
	int irq;			/* -1: not bound */
	struct work_struct work;
	unsigned int nr;
	struct pciback_export exp[PCIBACK_MAX_DEVS];
	unsigned long ops, bad_ops;
};

/* ---- Operations ----------------------------------------------------------- */

static int do_op(struct pciback_be *be, struct hvx_xen_pci_op *op)
{
	struct pciback_export *e;
	struct pciback_dev *d;
	int err;

	if (op->domain != PCIBACK_VDOMAIN || op->bus != 0 ||
	    PCI_FUNC(op->devfn) != 0 || op->devfn > 0xff ||
	    PCI_SLOT(op->devfn) >= be->nr)
		return HVX_XEN_PCI_ERR_dev_not_found;
	e = &be->exp[PCI_SLOT(op->devfn)];
	if (!e->claimed)
		return HVX_XEN_PCI_ERR_dev_not_found;
	mutex_lock(&pciback_lock);
	d = pciback_find(e->bdf.domain, e->bdf.bus, e->bdf.slot, e->bdf.func);
	if (!d || d->owner != be->dev->otherend_id) {
		err = HVX_XEN_PCI_ERR_dev_not_found;
		goto out;
	}
	switch (op->cmd) {
	case HVX_XEN_PCI_OP_conf_read:
		err = pciback_conf_read(d, op->offset, op->size, &op->value);
		break;
	case HVX_XEN_PCI_OP_conf_write:
		err = pciback_conf_write(d, op->offset, op->size, op->value);
		break;
	case HVX_XEN_PCI_OP_enable_msi:
		op->value = 0;
		err = pciback_enable_msi(d, &op->value);
		break;
	case HVX_XEN_PCI_OP_disable_msi:
		err = pciback_disable_msi(d);
		op->value = 0;
		break;
	case HVX_XEN_PCI_OP_enable_msix:
		/* op_work copied value entries (at most HVX_SH_INFO_MAX_VEC). */
		err = pciback_enable_msix(d, op->value, op->msix_entries);
		break;
	case HVX_XEN_PCI_OP_disable_msix:
		err = pciback_disable_msix(d);
		op->value = 0;
		break;
	default:
		err = HVX_XEN_PCI_ERR_not_implemented;
		break;
	}
out:
	mutex_unlock(&pciback_lock);
	return err;
}

static void op_work(struct work_struct *work)
{
	struct pciback_be *be = container_of(work, struct pciback_be, work);
	struct hvx_xen_pci_sharedinfo *sh;
	struct hvx_xen_pci_op op;
	u32 nvec;

	mutex_lock(&be->lock);
	sh = be->sh;
	if (!sh || !test_bit(_HVX_XEN_PCIF_active, (unsigned long *)&sh->flags))
		goto out;
	/* The flag is seen before the request it announces is read. */
	smp_rmb();
	memcpy(&op, &sh->op, offsetof(struct hvx_xen_pci_op, msix_entries));
	nvec = 0;
	if (op.cmd == HVX_XEN_PCI_OP_enable_msix && op.value <= HVX_SH_INFO_MAX_VEC) {
		nvec = op.value;
		memcpy(op.msix_entries, sh->op.msix_entries, nvec * sizeof(op.msix_entries[0]));
	}
	if (op.cmd == HVX_XEN_PCI_OP_enable_msix && !nvec)
		op.err = HVX_XEN_PCI_ERR_op_failed;	/* none, or more than fit */
	else
		op.err = do_op(be, &op);
	if (op.err)
		be->bad_ops++;
	be->ops++;
	if (!op.err)
		memcpy(sh->op.msix_entries, op.msix_entries, nvec * sizeof(op.msix_entries[0]));
	WRITE_ONCE(sh->op.value, op.value);
	WRITE_ONCE(sh->op.err, op.err);
	/* The result is visible before the frontend sees the flag clear. */
	smp_mb__before_atomic();
	clear_bit(_HVX_XEN_PCIF_active, (unsigned long *)&sh->flags);
	hvx_notify_remote_via_irq(be->irq);
out:
	mutex_unlock(&be->lock);
}

static irqreturn_t op_event(int irq, void *dev_id)
{
	struct pciback_be *be = dev_id;

	schedule_work(&be->work);
	return IRQ_HANDLED;
}

/* ---- Devices ----------------------------------------------------------------- */

static void release_devices(struct pciback_be *be)
{
	struct pciback_dev *d;
	unsigned int i;

	mutex_lock(&pciback_lock);
	for (i = 0; i < be->nr; i++) {
		struct pciback_export *e = &be->exp[i];

		if (!e->claimed)
			continue;
		d = pciback_find(e->bdf.domain, e->bdf.bus, e->bdf.slot, e->bdf.func);
		if (d && d->owner == be->dev->otherend_id)
			pciback_release(d);
		e->claimed = false;
	}
	mutex_unlock(&pciback_lock);
	be->nr = 0;
}

/* "permissive=1" among the comma-separated options of opts-N. */
static bool opts_permissive(const char *opts)
{
	return opts && (strstr(opts, "permissive=1") == opts ||
			strstr(opts, ",permissive=1"));
}

static int export_one(struct pciback_be *be, unsigned int i)
{
	struct hvx_xenbus_device *dev = be->dev;
	struct pciback_export *e = &be->exp[i];
	struct pciback_dev *d;
	char key[24], *str, *opts;
	unsigned int len;
	u32 intx_port = 0;
	int err;

	snprintf(key, sizeof(key), "dev-%u", i);
	str = hvx_xenbus_read(HVX_XBT_NIL, dev->nodename, key, &len);
	if (IS_ERR(str)) {
		hvx_xenbus_dev_fatal(dev, PTR_ERR(str), "reading %s/%s", dev->nodename, key);
		return PTR_ERR(str);
	}
	err = pciback_parse_bdf_str(str, len, false, &e->bdf) ? -EINVAL : 0;
	if (err) {
		hvx_xenbus_dev_fatal(dev, err, "%s/%s: '%s' is not DDDD:BB:SS.F",
				     dev->nodename, key, str);
		kfree(str);
		return err;
	}
	snprintf(key, sizeof(key), "opts-%u", i);
	opts = hvx_xenbus_read(HVX_XBT_NIL, dev->nodename, key, NULL);
	mutex_lock(&pciback_lock);
	d = pciback_find(e->bdf.domain, e->bdf.bus, e->bdf.slot, e->bdf.func);
	if (!d)
		err = -ENODEV;
	else
		err = pciback_claim(d, dev->otherend_id,
				    opts_permissive(IS_ERR(opts) ? NULL : opts));
	if (!err)
		e->claimed = true;
	if (!err && d->intx_on)
		intx_port = d->intx_port;
	else if (err == -EBUSY)
		hvx_xenbus_dev_fatal(dev, err, "%s is assigned to domain %d", str, d->owner);
	else if (err == -ENODEV)
		hvx_xenbus_dev_fatal(dev, err, "%s is not bound to pciback (hv pci-assignable-add %s)",
				     str, str);
	else if (err == -EPERM)
		hvx_xenbus_dev_fatal(dev, err, "%s has no IOMMU; refused (pciback.unsafe_no_iommu=1 forces it, for a trusted domain only)",
				     str);
	else if (err == -EXDEV)
		hvx_xenbus_dev_fatal(dev, err, "%s is a virtio device whose DMA bypasses the IOMMU (no VIRTIO_F_ACCESS_PLATFORM); refused (pciback.unsafe_no_iommu=1 forces it, for a trusted domain only)",
				     str);
	else if (err)
		hvx_xenbus_dev_fatal(dev, err, "exporting %s", str);
	mutex_unlock(&pciback_lock);
	if (!IS_ERR(opts))
		kfree(opts);
	kfree(str);
	if (err)
		return err;
	snprintf(key, sizeof(key), "vdev-%u", i);
	err = hvx_xenbus_printf(HVX_XBT_NIL, dev->nodename, key, "%04x:%02x:%02x.%x",
				PCIBACK_VDOMAIN, 0, i, 0);
	if (!err && intx_port) {
		snprintf(key, sizeof(key), HVX_PCIIF_KEY_INTX_EVTCHN "-%u", i);
		err = hvx_xenbus_printf(HVX_XBT_NIL, dev->nodename, key, "%u", intx_port);
	}
	if (!err) {
		snprintf(key, sizeof(key), "state-%u", i);
		err = hvx_xenbus_printf(HVX_XBT_NIL, dev->nodename, key, "%d",
					HVX_XenbusStateConnected);
	}
	if (err)
		hvx_xenbus_dev_fatal(dev, err, "publishing device %u", i);
	return err;
}

/* Take the listed devices and say where the frontend finds them. */
static int setup_backend(struct pciback_be *be)
{
	struct hvx_xenbus_device *dev = be->dev;
	unsigned int num, i;
	int err;

	if (hvx_xenbus_scanf(HVX_XBT_NIL, dev->nodename, HVX_PCIIF_KEY_NUM_DEVS,
			     "%u", &num) != 1) {
		hvx_xenbus_dev_fatal(dev, -EINVAL, "reading %s/%s", dev->nodename,
				     HVX_PCIIF_KEY_NUM_DEVS);
		return -EINVAL;
	}
	if (num > PCIBACK_MAX_DEVS) {
		hvx_xenbus_dev_fatal(dev, -E2BIG, "%s/%s is %u, at most %u", dev->nodename,
				     HVX_PCIIF_KEY_NUM_DEVS, num, PCIBACK_MAX_DEVS);
		return -E2BIG;
	}
	for (i = 0; i < num; i++) {
		be->nr = i + 1;
		err = export_one(be, i);
		if (err) {
			release_devices(be);
			return err;
		}
	}
	err = hvx_xenbus_printf(HVX_XBT_NIL, dev->nodename, HVX_PCIIF_KEY_ROOT_NUM, "%d", 1);
	if (!err)
		err = hvx_xenbus_printf(HVX_XBT_NIL, dev->nodename, "root-0", "%04x:%02x",
					PCIBACK_VDOMAIN, 0);
	if (!err)
		err = hvx_xenbus_switch_state(dev, HVX_XenbusStateInitialised);
	if (err) {
		hvx_xenbus_dev_fatal(dev, err, "publishing the root bus");
		release_devices(be);
	}
	return err;
}

/* ---- Connection ----------------------------------------------------------------- */

static void disconnect(struct pciback_be *be)
{
	if (be->irq >= 0)
		hvx_unbind_from_irqhandler(be->irq, be);
	be->irq = -1;
	/* No new work now; let a running one finish without the lock held. */
	mutex_unlock(&be->lock);
	cancel_work_sync(&be->work);
	mutex_lock(&be->lock);
	if (be->sh)
		hvx_xenbus_unmap_ring_vfree(be->dev, be->sh);
	be->sh = NULL;
}

static void attach(struct pciback_be *be)
{
	struct hvx_xenbus_device *dev = be->dev;
	unsigned int ref, port;
	char *magic;
	void *sh;
	int err;

	if (hvx_xenbus_scanf(HVX_XBT_NIL, dev->otherend, HVX_PCIIF_KEY_OP_REF, "%u", &ref) != 1 ||
	    hvx_xenbus_scanf(HVX_XBT_NIL, dev->otherend, HVX_PCIIF_KEY_EVTCHN, "%u", &port) != 1) {
		hvx_xenbus_dev_fatal(dev, -EINVAL, "reading %s/%s and %s", dev->otherend,
				     HVX_PCIIF_KEY_OP_REF, HVX_PCIIF_KEY_EVTCHN);
		return;
	}
	magic = hvx_xenbus_read(HVX_XBT_NIL, dev->otherend, HVX_PCIIF_KEY_MAGIC, NULL);
	if (IS_ERR(magic) || strcmp(magic, HVX_XEN_PCI_MAGIC)) {
		hvx_xenbus_dev_fatal(dev, -EPROTO, "%s/%s is not \"%s\"", dev->otherend,
				     HVX_PCIIF_KEY_MAGIC, HVX_XEN_PCI_MAGIC);
		if (!IS_ERR(magic))
			kfree(magic);
		return;
	}
	kfree(magic);
	err = hvx_xenbus_map_ring_valloc(dev, &ref, 1, &sh);
	if (err)
		return;
	be->sh = sh;
	err = hvx_bind_interdomain_evtchn_to_irqhandler(dev->otherend_id, port, op_event,
							0, "pciback", be);
	if (err < 0) {
		hvx_xenbus_dev_fatal(dev, err, "binding port %u of domain %d", port,
				     dev->otherend_id);
		disconnect(be);
		return;
	}
	be->irq = err;
	err = hvx_xenbus_switch_state(dev, HVX_XenbusStateConnected);
	if (err) {
		disconnect(be);
		return;
	}
	dev_info(&dev->dev, "connected to domain %d: %u device(s)\n", dev->otherend_id, be->nr);
	/* A request made before the port was bound is served now. */
	schedule_work(&be->work);
}

static void pciback_frontend_changed(struct hvx_xenbus_device *dev,
				     enum hvx_xenbus_state state)
{
	struct pciback_be *be = dev_get_drvdata(&dev->dev);

	mutex_lock(&be->lock);
	switch (state) {
	case HVX_XenbusStateInitialised:
	case HVX_XenbusStateConnected:
		if (dev->state == HVX_XenbusStateInitialised)
			attach(be);
		break;
	case HVX_XenbusStateClosing:
		disconnect(be);
		hvx_xenbus_switch_state(dev, HVX_XenbusStateClosing);
		break;
	case HVX_XenbusStateClosed:
	case HVX_XenbusStateUnknown:
		/* Unknown: the frontend's directory went with its domain. */
		disconnect(be);
		release_devices(be);
		if (dev->state != HVX_XenbusStateClosed)
			hvx_xenbus_switch_state(dev, HVX_XenbusStateClosed);
		break;
	default:
		break;
	}
	mutex_unlock(&be->lock);
}

static int pciback_be_probe(struct hvx_xenbus_device *dev,
			    const struct hvx_xenbus_device_id *id)
{
	struct pciback_be *be;
	int err;

	be = kzalloc(sizeof(*be), GFP_KERNEL);
	if (!be)
		return -ENOMEM;
	be->dev = dev;
	be->irq = -1;
	mutex_init(&be->lock);
	INIT_WORK(&be->work, op_work);
	dev_set_drvdata(&dev->dev, be);
	err = hvx_xenbus_switch_state(dev, HVX_XenbusStateInitWait);
	if (!err) {
		mutex_lock(&be->lock);
		err = setup_backend(be);
		mutex_unlock(&be->lock);
		/* A failed setup is reported in the store; the device stays. */
		err = 0;
	}
	if (err)
		kfree(be);
	return err;
}

static void pciback_be_remove(struct hvx_xenbus_device *dev)
{
	struct pciback_be *be = dev_get_drvdata(&dev->dev);

	mutex_lock(&be->lock);
	disconnect(be);
	release_devices(be);
	mutex_unlock(&be->lock);
	dev_dbg(&dev->dev, "%lu operations, %lu refused\n", be->ops, be->bad_ops);
	kfree(be);
}

static const struct hvx_xenbus_device_id pciback_be_ids[] = {
	{ "pci" },
	{ "" }
};

static struct hvx_xenbus_driver pciback_be_driver = {
	.name = "pciback",
	.ids = pciback_be_ids,
	.probe = pciback_be_probe,
	.otherend_changed = pciback_frontend_changed,
	.remove = pciback_be_remove,
};

int pciback_xenbus_init(void)
{
	return hvx_xenbus_register_backend(&pciback_be_driver);
}

void pciback_xenbus_exit(void)
{
	hvx_xenbus_unregister_driver(&pciback_be_driver);
}

HVX_XENBUS_BACKEND_ALIAS("pci");
