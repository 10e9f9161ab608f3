// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs.c: /sys/devices/system/xen_memory/xen_memory0, with the names and
 * units of Xen's Linux balloon: target_kb, target (bytes), the retry
 * tunables, scrub_pages, and info/{current,low,high}_kb. The distro
 * kernel's own Xen balloon registers this directory only under Xen.
 */
#define pr_fmt(fmt) "balloon: " fmt

#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "balloon.h"

#define PAGES_TO_KB(p)	((p) << (PAGE_SHIFT - 10))

static struct bus_type balloon_subsys = {
	.name = "xen_memory",
	.dev_name = "xen_memory",
};

static struct device balloon_dev;

static ssize_t target_kb_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	struct hvx_balloon_stats st;

	hvx_balloon_get_stats(&st);
	return sysfs_emit(buf, "%lu\n", PAGES_TO_KB(st.target_pages));
}

static ssize_t target_kb_store(struct device *dev, struct device_attribute *attr,
			       const char *buf, size_t count)
{
	unsigned long long kib;

	if (kstrtoull(buf, 0, &kib) || kib > (ULONG_MAX >> (PAGE_SHIFT - 10)) >> 1)
		return -EINVAL;
	hvx_balloon_set_target(kib >> (PAGE_SHIFT - 10));
	return count;
}
static DEVICE_ATTR_RW(target_kb);

static ssize_t target_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct hvx_balloon_stats st;

	hvx_balloon_get_stats(&st);
	return sysfs_emit(buf, "%llu\n", (unsigned long long)st.target_pages << PAGE_SHIFT);
}

/* Bytes, with memparse's K/M/G suffixes. */
static ssize_t target_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	unsigned long long bytes;
	char *end;

	if (!isdigit(buf[0]))
		return -EINVAL;
	bytes = memparse(buf, &end);
	if (*end == '\n')
		end++;
	if (*end || bytes > (ULONG_MAX >> 1))
		return -EINVAL;
	hvx_balloon_set_target(bytes >> PAGE_SHIFT);
	return count;
}
static DEVICE_ATTR_RW(target);

/*
 * As Xen's: schedule_delay and retry_count are the worker's state (the
 * delay before its next try, and how many it made), read-only;
 * max_schedule_delay and max_retry_count are the knobs. A longest delay
 * of 0 s would spin; max_retry_count 0 means "for ever".
 */
#define STAT_SHOW(name)							\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	struct hvx_balloon_stats st;					\
									\
	hvx_balloon_get_stats(&st);					\
	return sysfs_emit(buf, "%lu\n", st.name);			\
}

#define TUNABLE(name, min)						\
STAT_SHOW(name)								\
static ssize_t name##_store(struct device *dev,				\
			    struct device_attribute *attr,		\
			    const char *buf, size_t count)		\
{									\
	unsigned long v;						\
									\
	if (kstrtoul(buf, 0, &v) || v < (min))				\
		return -EINVAL;						\
	hvx_balloon_set_tunable(&hvx_balloon_stats.name, v);		\
	return count;							\
}									\
static DEVICE_ATTR_RW(name)

STAT_SHOW(schedule_delay)
static DEVICE_ATTR_RO(schedule_delay);
STAT_SHOW(retry_count)
static DEVICE_ATTR_RO(retry_count);
TUNABLE(max_schedule_delay, 1);
TUNABLE(max_retry_count, 0);

static ssize_t scrub_pages_show(struct device *dev, struct device_attribute *attr,
				char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(hvx_balloon_scrub));
}

static ssize_t scrub_pages_store(struct device *dev, struct device_attribute *attr,
				 const char *buf, size_t count)
{
	bool v;

	if (kstrtobool(buf, &v))
		return -EINVAL;
	WRITE_ONCE(hvx_balloon_scrub, v);
	return count;
}
static DEVICE_ATTR_RW(scrub_pages);

#define INFO_KB(name, field)						\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	struct hvx_balloon_stats st;					\
									\
	hvx_balloon_get_stats(&st);					\
	return sysfs_emit(buf, "%lu\n", PAGES_TO_KB(st.field));		\
}									\
static DEVICE_ATTR_RO(name)

INFO_KB(current_kb, current_pages);
INFO_KB(low_kb, balloon_low);
INFO_KB(high_kb, balloon_high);

static struct attribute *balloon_attrs[] = {
	&dev_attr_target_kb.attr,
	&dev_attr_target.attr,
	&dev_attr_schedule_delay.attr,
	&dev_attr_max_schedule_delay.attr,
	&dev_attr_retry_count.attr,
	&dev_attr_max_retry_count.attr,
	&dev_attr_scrub_pages.attr,
	NULL
};

static const struct attribute_group balloon_group = {
	.attrs = balloon_attrs,
};

static struct attribute *balloon_info_attrs[] = {
	&dev_attr_current_kb.attr,
	&dev_attr_low_kb.attr,
	&dev_attr_high_kb.attr,
	NULL
};

static const struct attribute_group balloon_info_group = {
	.name = "info",
	.attrs = balloon_info_attrs,
};

static const struct attribute_group *balloon_groups[] = {
	&balloon_group,
	&balloon_info_group,
	NULL
};

static void balloon_dev_release(struct device *dev)
{
}

int hvx_balloon_sysfs_init(void)
{
	int err = subsys_system_register(&balloon_subsys, NULL);

	if (err) {
		pr_err("cannot register xen_memory (%d): is another balloon loaded?\n", err);
		return err;
	}
	balloon_dev.id = 0;
	balloon_dev.bus = &balloon_subsys;
	balloon_dev.groups = balloon_groups;
	balloon_dev.release = balloon_dev_release;
	err = device_register(&balloon_dev);
	if (err) {
		put_device(&balloon_dev);
		bus_unregister(&balloon_subsys);
		return err;
	}
	return 0;
}

void hvx_balloon_sysfs_exit(void)
{
	device_unregister(&balloon_dev);
	bus_unregister(&balloon_subsys);
}
