// SPDX-License-Identifier: GPL-2.0-only
/* domain.c: domain registry: domid allocation, names, state, teardown. */
#define pr_fmt(fmt) "hv: " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include "domain.h"
#include "doorbell.h"
#include "evtchn.h"
#include "grant.h"
#include "reservation.h"
#include "passthrough.h"

/* Registry lock: guards the idr, every domain's name and state. */
static DEFINE_MUTEX(registry_lock);
static DEFINE_IDR(registry);

/*
 * Names are [A-Za-z0-9_.-]+, NUL-terminated within HVCTL_NAME_MAX. Spelled
 * out rather than isalnum(): the kernel's ctype table is Latin-1, so it would
 * let bytes 0xc0-0xff through into logs, the store and the toolstack.
 */
static bool name_char_valid(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

static bool name_valid(const char *name)
{
	size_t len = strnlen(name, HVCTL_NAME_MAX);
	size_t i;

	if (len == 0 || len == HVCTL_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!name_char_valid(name[i]))
			return false;
	return true;
}

static int name_taken(const char *name)
{
	struct xhv_domain *d;
	int id;

	lockdep_assert_held(&registry_lock);
	idr_for_each_entry(&registry, d, id)
		if (!strcmp(d->name, name))
			return 1;
	return 0;
}

/*
 * The guest's RAM must be a memfd (shmem) at least as large as its memory,
 * open for reading and writing: hv.ko will read and write guest frames
 * through this file, so it must not reach pages the VMM itself could not.
 */
static struct file *ram_file_get(int fd, u64 memory_kib)
{
	struct file *f = fget(fd);

	if (!f)
		return ERR_PTR(-EBADF);
	if (!shmem_file(f) ||
	    (f->f_mode & (FMODE_READ | FMODE_WRITE)) != (FMODE_READ | FMODE_WRITE) ||
	    i_size_read(file_inode(f)) < (loff_t)(memory_kib << 10)) {
		fput(f);
		return ERR_PTR(-EINVAL);
	}
	return f;
}

int xhv_domain_create(const struct hvctl_domain_create *req,
		      struct xhv_domain **out)
{
	u64 host_kib = (u64)totalram_pages() << (PAGE_SHIFT - 10);
	u64 floor_kib = xhv_reservation_floor_kib();
	u64 layout_kib;
	struct xhv_domain *d;
	struct file *ram;
	int id;

	if (req->flags || !name_valid(req->name) ||
	    req->vcpus < 1 || req->vcpus > HVCTL_VCPUS_MAX ||
	    req->memory_kib < HVCTL_MEMORY_MIN_KIB ||
	    req->maxmem_kib < req->memory_kib ||
	    req->memory_kib > U64_MAX >> 10)
		return -EINVAL;
	if (req->memory_kib > host_kib - min(floor_kib, host_kib))
		return -ENOMEM;

	ram = ram_file_get(req->memfd, req->memory_kib);
	if (IS_ERR(ram))
		return PTR_ERR(ram);

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		goto no_memory;
	if (xhv_evtchn_init(d))
		goto free_domain;
	if (xhv_grant_init(d)) {
		xhv_evtchn_free(d);
		goto free_domain;
	}
	/*
	 * The RAM layout is the memfd up to maxmem: a VMM sizes it to maxmem
	 * and shows all of it to the guest (docs/balloon.md).
	 */
	layout_kib = min_t(u64, i_size_read(file_inode(ram)) >> 10, req->maxmem_kib);
	if (xhv_reservation_init(d, layout_kib >> (PAGE_SHIFT - 10))) {
		xhv_grant_free(d);
		xhv_evtchn_free(d);
		goto free_domain;
	}
	xhv_doorbell_init(d);
	kref_init(&d->ref);
	strscpy(d->name, req->name, sizeof(d->name));
	d->memory_kib = req->memory_kib;
	d->maxmem_kib = req->maxmem_kib;
	d->vcpus = req->vcpus;
	d->state = HVCTL_STATE_BUILDING;
	d->shutdown_reason = HVCTL_SHUTDOWN_NONE;
	d->created_ns = ktime_get_real_ns();
	d->ram = ram;
	d->vmm = get_task_pid(current->group_leader, PIDTYPE_TGID);

	mutex_lock(&registry_lock);
	if (name_taken(d->name)) {
		id = -EEXIST;
	} else {
		id = idr_alloc_cyclic(&registry, d, HVCTL_DOMID_FIRST,
				      HVCTL_DOMID_LAST + 1, GFP_KERNEL);
		if (id == -ENOSPC)
			id = -EAGAIN;
	}
	if (id < 0) {
		mutex_unlock(&registry_lock);
		xhv_domain_put(d);
		return id;
	}
	d->domid = id;
	mutex_unlock(&registry_lock);

	pr_debug("domain %u (%s) created\n", d->domid, d->name);
	*out = d;
	return 0;

free_domain:
	kfree(d);
no_memory:
	fput(ram);
	return -ENOMEM;
}

static void domain_free(struct kref *ref)
{
	struct xhv_domain *d = container_of(ref, struct xhv_domain, ref);

	if (WARN_ON(d == &xhv_dom0))
		return;
	pr_debug("domain %u (%s) freed\n", d->domid, d->name);
	xhv_evtchn_free(d);
	xhv_grant_free(d);
	xhv_reservation_free(d);
	fput(d->ram);
	put_pid(d->vmm);
	kfree(d);
}

void xhv_domain_put(struct xhv_domain *d)
{
	kref_put(&d->ref, domain_free);
}

/* Like xhv_domain_get(), and domid 0 gives dom0. */
struct xhv_domain *xhv_domain_get_any(u32 domid)
{
	if (domid == 0) {
		kref_get(&xhv_dom0.ref);
		return &xhv_dom0;
	}
	return xhv_domain_get(domid);
}

struct xhv_domain *xhv_domain_get(u32 domid)
{
	struct xhv_domain *d;

	mutex_lock(&registry_lock);
	d = idr_find(&registry, domid);
	if (d)
		kref_get(&d->ref);
	mutex_unlock(&registry_lock);
	return d;
}

/*
 * The owning file is gone: close its event channels (far ends are told),
 * drop its registered pages, unlist it, tell dom0 (VIRQ_DOM_EXC, which
 * xenstored turns into @releaseDomain) and drop the registry's reference.
 * dom0's grant mappings of its pages keep those pages, and the struct,
 * until they are unmapped.
 */
void xhv_domain_release(struct xhv_domain *d)
{
	/* Devices stop reaching the guest's memory before anything else goes. */
	xhv_pci_teardown(d);
	xhv_doorbell_teardown(d);
	xhv_evtchn_teardown(d);
	xhv_grant_teardown(d);
	mutex_lock(&registry_lock);
	idr_remove(&registry, d->domid);
	d->state = HVCTL_STATE_DYING;
	mutex_unlock(&registry_lock);
	pr_debug("domain %u (%s) destroyed\n", d->domid, d->name);
	xhv_evtchn_raise_virq(&xhv_dom0, HVX_VIRQ_DOM_EXC);
	xhv_domain_put(d);
}

int xhv_domain_set_state(struct xhv_domain *d, u32 state, u32 reason)
{
	if (state >= HVCTL_STATE_COUNT || state == HVCTL_STATE_DYING)
		return -EINVAL;
	if (reason != HVCTL_SHUTDOWN_NONE && reason > HVCTL_SHUTDOWN_WATCHDOG)
		return -EINVAL;
	mutex_lock(&registry_lock);
	/* A dying domain stays dying: its VMM has been told to go. */
	if (d->state != HVCTL_STATE_DYING) {
		d->state = state;
		d->shutdown_reason = reason;
	}
	mutex_unlock(&registry_lock);
	return 0;
}

int xhv_domain_destroy(u32 domid)
{
	struct xhv_domain *d;
	struct pid *vmm = NULL;

	mutex_lock(&registry_lock);
	d = idr_find(&registry, domid);
	if (d) {
		d->state = HVCTL_STATE_DYING;
		vmm = get_pid(d->vmm);
	}
	mutex_unlock(&registry_lock);
	if (!d)
		return -ESRCH;
	/* The entry goes when the VMM's hvctl file is released. */
	kill_pid(vmm, SIGKILL, 1);
	put_pid(vmm);
	return 0;
}

int xhv_domain_list(struct hvctl_domain_info *out, u32 capacity, u32 *total)
{
	struct xhv_domain *d;
	u32 n = 0, count = 0;
	int id;

	mutex_lock(&registry_lock);
	idr_for_each_entry(&registry, d, id) {
		count++;
		if (n >= capacity)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].domid = d->domid;
		out[n].state = d->state;
		out[n].shutdown_reason = d->shutdown_reason;
		out[n].vcpus = d->vcpus;
		out[n].memory_kib = d->memory_kib;
		out[n].maxmem_kib = d->maxmem_kib;
		out[n].vmm_pid = pid_vnr(d->vmm);
		out[n].created_ns = d->created_ns;
		strscpy(out[n].name, d->name, sizeof(out[n].name));
		n++;
	}
	mutex_unlock(&registry_lock);
	*total = count;
	return n;
}

u32 xhv_domain_count(void)
{
	struct xhv_domain *d;
	u32 count = 0;
	int id;

	mutex_lock(&registry_lock);
	idr_for_each_entry(&registry, d, id)
		count++;
	mutex_unlock(&registry_lock);
	return count;
}

/* Module exit: every owning file holds a module ref, so none is left. */
void xhv_domain_exit(void)
{
	WARN_ON(!idr_is_empty(&registry));
	idr_destroy(&registry);
}
