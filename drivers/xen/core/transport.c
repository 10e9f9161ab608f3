// SPDX-License-Identifier: GPL-2.0-only
/*
 * transport.c: the one active way to the hypervisor (hv.ko in dom0, the
 * platform device in a domU) and what happens when it comes and goes.
 * Callers enter an SRCU read section, so unregistration waits for calls in
 * flight; hypercalls may sleep inside it, sends may come from any context.
 */
#define pr_fmt(fmt) "hvx_core: " fmt

#include <linux/mutex.h>
#include <linux/srcu.h>
#include "internal.h"

DEFINE_STATIC_SRCU(transport_srcu);
static DEFINE_MUTEX(transport_lock);
static const struct hvx_transport_ops __rcu *transport;
static bool dom0;

const struct hvx_transport_ops *hvx_transport_enter(int *srcu_idx)
	__acquires(&transport_srcu)
{
	*srcu_idx = srcu_read_lock(&transport_srcu);
	return srcu_dereference_check(transport, &transport_srcu, true);
}

void hvx_transport_exit(int srcu_idx)
	__releases(&transport_srcu)
{
	srcu_read_unlock(&transport_srcu, srcu_idx);
}

bool hvx_hypervisor_present(void)
{
	return rcu_access_pointer(transport) != NULL;
}
EXPORT_SYMBOL_GPL(hvx_hypervisor_present);

bool hvx_initial_domain(void)
{
	return READ_ONCE(dom0);
}
EXPORT_SYMBOL_GPL(hvx_initial_domain);

int hvx_register_transport(const struct hvx_transport_ops *ops)
{
	const struct hvx_transport_ops *active;
	int err;

	if (!ops->hypercall || !ops->notify)
		return -EINVAL;

	mutex_lock(&transport_lock);
	active = rcu_dereference_protected(transport,
					   lockdep_is_held(&transport_lock));
	if (active) {
		pr_err("%s: a transport (%s) is already active\n", ops->name,
		       active->name);
		mutex_unlock(&transport_lock);
		return -EBUSY;
	}
	WRITE_ONCE(dom0, ops->initial_domain);
	rcu_assign_pointer(transport, ops);
	err = hvx_events_transport_up();
	if (!err) {
		err = hvx_grant_transport_up();
		if (err)
			hvx_events_transport_down();
	}
	if (err) {
		RCU_INIT_POINTER(transport, NULL);
		synchronize_srcu(&transport_srcu);
		mutex_unlock(&transport_lock);
		pr_err("%s: setting up events and grants failed: %d\n",
		       ops->name, err);
		return err;
	}
	mutex_unlock(&transport_lock);
	pr_info("transport %s up (%s)\n", ops->name,
		ops->initial_domain ? "dom0" : "domU");
	hvx_xenbus_transport_up();
	return 0;
}
EXPORT_SYMBOL_GPL(hvx_register_transport);

void hvx_unregister_transport(const struct hvx_transport_ops *ops)
{
	mutex_lock(&transport_lock);
	if (rcu_access_pointer(transport) != ops) {
		mutex_unlock(&transport_lock);
		return;
	}
	mutex_unlock(&transport_lock);
	hvx_xenbus_transport_down();
	mutex_lock(&transport_lock);
	hvx_grant_transport_down();
	hvx_events_transport_down();
	RCU_INIT_POINTER(transport, NULL);
	synchronize_srcu(&transport_srcu);
	mutex_unlock(&transport_lock);
	pr_info("transport %s down\n", ops->name);
}
EXPORT_SYMBOL_GPL(hvx_unregister_transport);
