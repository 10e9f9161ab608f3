// SPDX-License-Identifier: GPL-2.0-only
/* hypercall.c: hypercalls through the active transport, and typed helpers. */
#define pr_fmt(fmt) "hvx_core: " fmt

#include "internal.h"

long hvx_hypercall(unsigned int op, unsigned long a1, unsigned long a2,
		   unsigned long a3)
{
	const struct hvx_transport_ops *t;
	long ret;
	int idx;

	t = hvx_transport_enter(&idx);
	ret = t ? t->hypercall(op, a1, a2, a3) : -ENODEV;
	hvx_transport_exit(idx);
	return ret;
}
EXPORT_SYMBOL_GPL(hvx_hypercall);

int hvx_event_channel_op(int cmd, void *arg)
{
	return hvx_hypercall(HVX_HYPERVISOR_event_channel_op, cmd,
			     (unsigned long)arg, 0);
}
EXPORT_SYMBOL_GPL(hvx_event_channel_op);

int hvx_grant_table_op(int cmd, void *arg, unsigned int count)
{
	return hvx_hypercall(HVX_HYPERVISOR_grant_table_op, cmd,
			     (unsigned long)arg, count);
}
EXPORT_SYMBOL_GPL(hvx_grant_table_op);

int hvx_memory_op(int cmd, void *arg)
{
	return hvx_hypercall(HVX_HYPERVISOR_memory_op, cmd, (unsigned long)arg, 0);
}
EXPORT_SYMBOL_GPL(hvx_memory_op);

int hvx_hvm_get_param(unsigned int index, u64 *value)
{
	struct hvx_hvm_param p = {
		.domid = HVX_DOMID_SELF,
		.index = index,
	};
	int err = hvx_hypercall(HVX_HYPERVISOR_hvm_op, HVX_HVMOP_get_param,
				(unsigned long)&p, 0);

	if (!err)
		*value = p.value;
	return err;
}
EXPORT_SYMBOL_GPL(hvx_hvm_get_param);
