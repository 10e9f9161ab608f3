// SPDX-License-Identifier: GPL-2.0-only
/*
 * platform_pci.c: the domU transport, over the hv platform PCI device
 * (include/xen/hvx/platform.h). Hypercalls: the arguments are copied into
 * this CPU's hypercall block, pointers become guest-physical addresses,
 * and the block's frame number goes to BAR0+HYPERCALL; the VMM and hv.ko
 * have done the work when the OUT retires. Sends: a bit in the send
 * bitmap page, then the DOORBELL (a KVM ioeventfd). Upcalls: one MSI-X
 * vector per vCPU.
 */
#define pr_fmt(fmt) "hvx_core: " fmt

#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/percpu.h>
#include "../../../include/xen/hvx/platform.h"
#include "internal.h"

#define BLOCK_DATA_SIZE sizeof_field(struct hvx_hypercall_block, data)

struct hvx_platform {
	struct pci_dev *pdev;
	void __iomem *bar0;
	unsigned long *send_bitmap;
	unsigned int nr_vectors;
};

static struct hvx_platform *platform;
static DEFINE_PER_CPU(struct hvx_hypercall_block *, hypercall_block);

/* One argument buffer of a hypercall: where it is, how big, copied back? */
struct arg_buf {
	void *ptr;
	size_t len;
	bool out;
};

/*
 * Run one hypercall through this CPU's block, with interrupts off so that
 * an event handler's own hypercall cannot reuse the block meanwhile.
 * @arg: the main argument struct (the op's second argument), or NULL to
 * pass @a2_imm as it is;
 * @nested: a buffer the struct points to, at @nested_field inside it.
 */
static long block_call(unsigned int op, unsigned long a1, unsigned long a2_imm,
		       struct arg_buf *arg, unsigned long a3,
		       struct arg_buf *nested, size_t nested_field)
{
	struct hvx_hypercall_block *blk;
	unsigned long flags;
	u64 data_gpa, nested_gpa = 0;
	long ret;

	if ((arg ? arg->len : 0) + (nested ? nested->len : 0) > BLOCK_DATA_SIZE)
		return -E2BIG;
	local_irq_save(flags);
	blk = this_cpu_read(hypercall_block);
	data_gpa = page_to_phys(virt_to_page(blk)) +
		   offsetof(struct hvx_hypercall_block, data);
	blk->op = op;
	blk->args[0] = a1;
	blk->args[1] = a2_imm;
	blk->args[2] = a3;
	blk->args[3] = 0;
	blk->args[4] = 0;
	blk->result = -ENOSYS;
	blk->reserved = 0;
	if (arg) {
		memcpy(blk->data, arg->ptr, arg->len);
		blk->args[1] = data_gpa;
		if (nested) {
			nested_gpa = data_gpa + arg->len;
			memcpy(blk->data + arg->len, nested->ptr, nested->len);
			memcpy(blk->data + nested_field, &nested_gpa, sizeof(u64));
		}
	}
	iowrite32(page_to_pfn(virt_to_page(blk)), platform->bar0 + HVX_BAR0_HYPERCALL);
	ret = READ_ONCE(blk->result);
	if (arg && arg->out)
		memcpy(arg->ptr, blk->data, arg->len);
	if (nested && nested->out)
		memcpy(nested->ptr, blk->data + arg->len, nested->len);
	local_irq_restore(flags);
	return ret;
}

/*
 * Memory ops. A reservation's frame list travels in the block after the
 * struct, so one call carries at most HVX_BLOCK_MAX_EXTENTS frames (the
 * balloon driver's batches are smaller).
 */
#define HVX_BLOCK_MAX_EXTENTS \
	((BLOCK_DATA_SIZE - sizeof(struct hvx_memory_reservation)) / sizeof(u64))

static long platform_memory_op(unsigned long cmd, struct arg_buf *arg)
{
	const unsigned int op = HVX_HYPERVISOR_memory_op;
	struct hvx_memory_reservation *r, copy;
	struct arg_buf list;

	switch (cmd) {
	case HVX_XENMEM_add_to_physmap:
		arg->len = sizeof(struct hvx_add_to_physmap);
		return block_call(op, cmd, 0, arg, 0, NULL, 0);
	case HVX_XENMEM_current_reservation:
	case HVX_XENMEM_maximum_reservation:
		arg->len = sizeof(hvx_domid_t);
		arg->out = false;
		return block_call(op, cmd, 0, arg, 0, NULL, 0);
	case HVX_XENMEM_decrease_reservation:
	case HVX_XENMEM_populate_physmap:
		r = arg->ptr;
		copy = *r;
		if (copy.nr_extents > HVX_BLOCK_MAX_EXTENTS)
			return -E2BIG;
		list.ptr = (void *)(uintptr_t)copy.extent_start;
		list.len = copy.nr_extents * sizeof(u64);
		list.out = true;
		arg->ptr = &copy;
		arg->len = sizeof(copy);
		arg->out = false;
		return block_call(op, cmd, 0, arg, 0, &list,
				  offsetof(struct hvx_memory_reservation, extent_start));
	default:
		return -ENOSYS;
	}
}

static long hvx_platform_hypercall(unsigned int op, unsigned long a1,
			       unsigned long a2, unsigned long a3)
{
	struct arg_buf arg = { .ptr = (void *)a2, .out = true };

	switch (op) {
	case HVX_HYPERVISOR_event_channel_op:
		arg.len = hvx_evtchn_op_size(a1);
		if (!arg.len)
			return -ENOSYS;
		return block_call(op, a1, 0, &arg, 0, NULL, 0);
	case HVX_HYPERVISOR_memory_op:
		return platform_memory_op(a1, &arg);
	case HVX_HYPERVISOR_hvm_op:
		arg.len = sizeof(struct hvx_hvm_param);
		return block_call(op, a1, 0, &arg, 0, NULL, 0);
	case HVX_HYPERVISOR_grant_table_op:
		if (a1 == HVX_GNTTABOP_query_size && a3 == 1) {
			arg.len = sizeof(struct hvx_gnttab_query_size);
			return block_call(op, a1, 0, &arg, a3, NULL, 0);
		}
		if (a1 == HVX_GNTTABOP_setup_table && a3 == 1) {
			struct hvx_gnttab_setup_table *st = arg.ptr;
			struct hvx_gnttab_setup_table copy = *st;
			struct arg_buf frames = {
				.ptr = (void *)(uintptr_t)st->frame_list,
				.len = (size_t)st->nr_frames * sizeof(u64),
				.out = true,
			};
			long ret;

			if (st->nr_frames > HVX_GNTTAB_DEFAULT_MAX_FRAMES)
				return -EINVAL;
			arg.ptr = &copy;
			arg.len = sizeof(copy);
			ret = block_call(op, a1, 0, &arg, a3, &frames,
					 offsetof(struct hvx_gnttab_setup_table,
						  frame_list));
			st->status = copy.status;
			return ret;
		}
		if (a1 == HVX_GNTTABOP_get_version)
			return block_call(op, a1, 0, NULL, a3, NULL, 0);
		return -ENOSYS;
	case HVX_HYPERVISOR_arch_0:
		if (a1 == HVXOP_get_info) {
			arg.len = sizeof(struct hvx_op_info);
			return block_call(op, a1, 0, &arg, 0, NULL, 0);
		}
		return -ENOSYS;
	case HVX_HYPERVISOR_xen_version:
		return block_call(op, a1, 0, NULL, 0, NULL, 0);
	default:
		return -ENOSYS;
	}
}

static void hvx_platform_notify(hvx_evtchn_port_t port)
{
	if (port >= HVX_EVTCHN_2L_NR_PORTS)
		return;
	/* The bit must be visible before the doorbell rings: set_bit is locked. */
	set_bit(port, platform->send_bitmap);
	iowrite32(1, platform->bar0 + HVX_BAR0_DOORBELL);
}

static const struct hvx_transport_ops platform_transport = {
	.owner = THIS_MODULE,
	.name = "hvx-platform",
	.initial_domain = false,
	.hypercall = hvx_platform_hypercall,
	.notify = hvx_platform_notify,
};

static irqreturn_t platform_upcall(int irq, void *dev_id)
{
	hvx_upcall((unsigned int)(uintptr_t)dev_id);
	return IRQ_HANDLED;
}

static void free_blocks(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct hvx_hypercall_block *blk = per_cpu(hypercall_block, cpu);

		if (blk)
			free_page((unsigned long)blk);
		per_cpu(hypercall_block, cpu) = NULL;
	}
}

static int alloc_blocks(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		void *blk = (void *)get_zeroed_page(GFP_KERNEL);

		if (!blk) {
			free_blocks();
			return -ENOMEM;
		}
		per_cpu(hypercall_block, cpu) = blk;
	}
	return 0;
}

static void free_vectors(struct hvx_platform *p, unsigned int n)
{
	while (n--)
		free_irq(pci_irq_vector(p->pdev, n), (void *)(uintptr_t)n);
	pci_free_irq_vectors(p->pdev);
}

static int platform_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct hvx_platform *p;
	unsigned int i, want;
	u32 version;
	int err, n;

	if (platform)
		return -EBUSY;
	p = devm_kzalloc(&pdev->dev, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->pdev = pdev;
	err = pcim_enable_device(pdev);
	if (err)
		return err;
	p->bar0 = pcim_iomap(pdev, 0, HVX_BAR0_SIZE);
	if (!p->bar0)
		return -ENOMEM;
	version = ioread32(p->bar0 + HVX_BAR0_VERSION);
	if (version != HVX_PLATFORM_ABI_VERSION) {
		dev_err(&pdev->dev, "platform ABI version %u, expected %u\n",
			version, HVX_PLATFORM_ABI_VERSION);
		return -ENODEV;
	}
	p->send_bitmap = (unsigned long *)devm_get_free_pages(&pdev->dev,
							    GFP_KERNEL | __GFP_ZERO, 0);
	if (!p->send_bitmap)
		return -ENOMEM;
	err = alloc_blocks();
	if (err)
		return err;
	want = min_t(unsigned int, num_possible_cpus(), HVX_MSIX_MAX_VECTORS);
	n = pci_alloc_irq_vectors(pdev, 1, want, PCI_IRQ_MSIX);
	if (n < 0) {
		err = n;
		goto blocks;
	}
	for (i = 0; i < (unsigned int)n; i++) {
		err = request_irq(pci_irq_vector(pdev, i), platform_upcall, 0,
				  "hvx-upcall", (void *)(uintptr_t)i);
		if (err) {
			free_vectors(p, i);
			goto blocks;
		}
	}
	p->nr_vectors = n;
	platform = p;

	/* hv sends our events once it knows the send bitmap. */
	err = block_call(HVX_HYPERVISOR_arch_0, HVXOP_set_send_page,
			 PHYS_PFN(virt_to_phys(p->send_bitmap)), NULL, 0, NULL, 0);
	if (err) {
		dev_err(&pdev->dev, "hv refused the send page: %d\n", err);
		goto vectors;
	}
	err = hvx_register_transport(&platform_transport);
	if (err)
		goto vectors;
	pci_set_drvdata(pdev, p);
	dev_info(&pdev->dev, "hv platform device, %u upcall vector(s)\n", n);
	return 0;

vectors:
	platform = NULL;
	free_vectors(p, n);
blocks:
	free_blocks();
	return err;
}

static void platform_remove(struct pci_dev *pdev)
{
	struct hvx_platform *p = pci_get_drvdata(pdev);

	hvx_unregister_transport(&platform_transport);
	free_vectors(p, p->nr_vectors);
	platform = NULL;
	free_blocks();
}

static const struct pci_device_id platform_ids[] = {
	{ PCI_DEVICE(HVX_PCI_VENDOR_ID, HVX_PCI_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, platform_ids);

static struct pci_driver platform_driver = {
	.name = "hvx-platform",
	.id_table = platform_ids,
	.probe = platform_probe,
	.remove = platform_remove,
};

int hvx_platform_init(void)
{
	return pci_register_driver(&platform_driver);
}

void hvx_platform_exit(void)
{
	pci_unregister_driver(&platform_driver);
}
