/* SPDX-License-Identifier: GPL-2.0-only */
/* balloon.h: the balloon module's shared state (worker, sysfs, /proc/xen/balloon). */
#ifndef DRIVERS_XEN_BALLOON_BALLOON_H
#define DRIVERS_XEN_BALLOON_BALLOON_H

#include <linux/mutex.h>
#include <linux/types.h>

/*
 * Counts are in pages. current_pages is what the hypervisor says the
 * domain holds (XENMEM_current_reservation at load) kept up to date by the
 * worker; balloon_low are pages the guest gave back and the driver holds
 * (x86_64 has no high memory: balloon_high stays 0).
 */
struct hvx_balloon_stats {
	unsigned long current_pages;
	unsigned long target_pages;
	unsigned long balloon_low;
	unsigned long balloon_high;
	unsigned long driver_pages;
	unsigned long hard_limit;	/* XENMEM_maximum_reservation */
	unsigned long short_pages;	/* what the last pass could not do */
	/* Tunables, as Linux's xen_memory0 names them. Delays in seconds. */
	unsigned long schedule_delay;
	unsigned long max_schedule_delay;
	unsigned long retry_count;
	unsigned long max_retry_count;	/* 0: retry for ever */
};

extern struct hvx_balloon_stats hvx_balloon_stats;
extern bool hvx_balloon_scrub;

/* worker.c */
void hvx_balloon_set_target(unsigned long pages);
int hvx_balloon_worker_init(void);
void hvx_balloon_worker_exit(void);
/* A consistent copy of the stats. */
void hvx_balloon_get_stats(struct hvx_balloon_stats *out);
void hvx_balloon_set_tunable(unsigned long *field, unsigned long value);

/* sysfs.c: /sys/devices/system/xen_memory/xen_memory0 */
int hvx_balloon_sysfs_init(void);
void hvx_balloon_sysfs_exit(void);

/* proc.c: /proc/xen/balloon, through xenfs when it is loaded */
void hvx_balloon_proc_init(void);
void hvx_balloon_proc_exit(void);
/* The classic report into @buf; returns its length. */
int hvx_balloon_report(char *buf, size_t len);

#endif /* DRIVERS_XEN_BALLOON_BALLOON_H */
