// SPDX-License-Identifier: GPL-2.0-only
/*
 * abi_test.c: the wire layouts in include/xen/hvx/ against Xen's x86_64
 * offsets (facts of the protocol), field by field.
 */
#include <stddef.h>

#include "unit.h"
#include "xen/hvx/hvctl.h"
#include "xen/hvx/platform.h"
#include "xen/hvx/xen-abi.h"

static void shared_info_layout(void)
{
	EXPECT(offsetof(struct hvx_vcpu_info, evtchn_upcall_mask) == 1);
	EXPECT(offsetof(struct hvx_vcpu_info, evtchn_pending_sel) == 8);
	EXPECT(offsetof(struct hvx_vcpu_info, time) == 32);
	EXPECT(sizeof(struct hvx_vcpu_info) == 64);
	EXPECT(offsetof(struct hvx_shared_info, evtchn_pending) == 2048);
	EXPECT(offsetof(struct hvx_shared_info, evtchn_mask) == 2560);
	EXPECT(offsetof(struct hvx_shared_info, wc_version) == 3072);
	EXPECT(offsetof(struct hvx_shared_info, arch_max_pfn) == 3088);
}

static void event_channel_layouts(void)
{
	EXPECT(offsetof(struct hvx_evtchn_alloc_unbound, remote_dom) == 2);
	EXPECT(offsetof(struct hvx_evtchn_alloc_unbound, port) == 4);
	EXPECT(offsetof(struct hvx_evtchn_bind_interdomain, remote_port) == 4);
	EXPECT(offsetof(struct hvx_evtchn_bind_interdomain, local_port) == 8);
	EXPECT(offsetof(struct hvx_evtchn_bind_virq, port) == 8);
	EXPECT(offsetof(struct hvx_evtchn_status, status) == 8);
	EXPECT(offsetof(struct hvx_evtchn_status, u.interdomain.port) == 20);
	EXPECT(64 * 64 == HVX_EVTCHN_2L_NR_PORTS);
}

static void grant_layouts(void)
{
	EXPECT(offsetof(struct hvx_grant_entry_v1, domid) == 2);
	EXPECT(offsetof(struct hvx_grant_entry_v1, frame) == 4);
	EXPECT(HVX_GRANT_ENTRIES_PER_FRAME == 512);
	EXPECT(offsetof(struct hvx_gnttab_map_grant_ref, ref) == 12);
	EXPECT(offsetof(struct hvx_gnttab_map_grant_ref, dom) == 16);
	EXPECT(offsetof(struct hvx_gnttab_map_grant_ref, status) == 18);
	EXPECT(offsetof(struct hvx_gnttab_map_grant_ref, handle) == 20);
	EXPECT(offsetof(struct hvx_gnttab_unmap_grant_ref, handle) == 16);
	EXPECT(offsetof(struct hvx_gnttab_setup_table, nr_frames) == 4);
	EXPECT(offsetof(struct hvx_gnttab_setup_table, status) == 8);
	EXPECT(offsetof(struct hvx_gnttab_setup_table, frame_list) == 16);
	EXPECT(offsetof(struct hvx_gnttab_query_size, max_nr_frames) == 8);
	EXPECT(offsetof(struct hvx_gnttab_query_size, status) == 12);
	EXPECT(sizeof(struct hvx_gnttab_copy_ptr) == 16);
	EXPECT(offsetof(struct hvx_gnttab_copy, dest) == 16);
	EXPECT(offsetof(struct hvx_gnttab_copy, dest.domid) == 24);
	EXPECT(offsetof(struct hvx_gnttab_copy, dest.offset) == 26);
	EXPECT(offsetof(struct hvx_gnttab_copy, len) == 32);
	EXPECT(offsetof(struct hvx_gnttab_copy, status) == 36);
}

static void memory_and_param_layouts(void)
{
	EXPECT(offsetof(struct hvx_add_to_physmap, space) == 4);
	EXPECT(offsetof(struct hvx_add_to_physmap, idx) == 8);
	EXPECT(offsetof(struct hvx_add_to_physmap, gpfn) == 16);
	EXPECT(offsetof(struct hvx_memory_reservation, extent_order) == 16);
	EXPECT(offsetof(struct hvx_memory_reservation, nr_extents) == 8);
	EXPECT(offsetof(struct hvx_memory_reservation, mem_flags) == 20);
	EXPECT(offsetof(struct hvx_memory_reservation, domid) == 24);
	EXPECT(sizeof(struct hvx_memory_reservation) == 32);
	EXPECT(HVX_XENMEM_decrease_reservation == 1);
	EXPECT(HVX_XENMEM_current_reservation == 3);
	EXPECT(HVX_XENMEM_maximum_reservation == 4);
	EXPECT(HVX_XENMEM_populate_physmap == 6);
	EXPECT(offsetof(struct hvx_hvm_param, index) == 4);
	EXPECT(offsetof(struct hvx_hvm_param, value) == 8);
}

static void ring_layouts(void)
{
	EXPECT(offsetof(struct hvx_xencons_interface, out) == 1024);
	EXPECT(offsetof(struct hvx_xencons_interface, in_cons) == 3072);
	EXPECT(offsetof(struct hvx_xencons_interface, out_prod) == 3084);
	EXPECT(offsetof(struct hvx_xenstore_domain_interface, rsp) == 1024);
	EXPECT(offsetof(struct hvx_xenstore_domain_interface, rsp_prod) == 2060);
	EXPECT(offsetof(struct hvx_xenstore_domain_interface, server_features) == 2064);
	EXPECT(offsetof(struct hvx_xenstore_domain_interface, error) == 2072);
	EXPECT(offsetof(struct hvx_xsd_sockmsg, len) == 12);
	EXPECT(HVX_XS_DIRECTORY_PART == 22 && HVX_XS_RESET_WATCHES == 21);
}

static void platform_layouts(void)
{
	EXPECT(offsetof(struct hvx_hypercall_block, result) == 48);
	EXPECT(offsetof(struct hvx_hypercall_block, data) == 64);
	EXPECT(HVX_BAR1_MSIX_PBA >= HVX_MSIX_MAX_VECTORS * 16);
}

int main(void)
{
	RUN(shared_info_layout);
	RUN(event_channel_layouts);
	RUN(grant_layouts);
	RUN(memory_and_param_layouts);
	RUN(ring_layouts);
	RUN(platform_layouts);
	return UNIT_EXIT();
}
