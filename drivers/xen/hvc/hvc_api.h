/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hvc_api.h: the parts of the kernel's hvc console framework hvx_hvc uses.
 * The framework's header lives in drivers/tty/hvc/, which distro header
 * packages do not ship, so the out-of-tree build declares what it needs
 * here. The layout of struct hv_ops is the kernel's (checked against 6.1);
 * the framework itself is built into the kernel (CONFIG_HVC_DRIVER=y).
 */
#ifndef HVX_HVC_API_H
#define HVX_HVC_API_H

#include <linux/types.h>

struct hvc_struct;

struct hv_ops {
	int (*get_chars)(u32 vtermno, char *buf, int count);
	int (*put_chars)(u32 vtermno, const char *buf, int count);
	int (*flush)(u32 vtermno, bool wait);
	int (*notifier_add)(struct hvc_struct *hp, int irq);
	void (*notifier_del)(struct hvc_struct *hp, int irq);
	void (*notifier_hangup)(struct hvc_struct *hp, int irq);
	int (*tiocmget)(struct hvc_struct *hp);
	int (*tiocmset)(struct hvc_struct *hp, unsigned int set, unsigned int clear);
	void (*dtr_rts)(struct hvc_struct *hp, int raise);
};

int hvc_instantiate(u32 vtermno, int index, const struct hv_ops *ops);
struct hvc_struct *hvc_alloc(u32 vtermno, int data, const struct hv_ops *ops,
			     int outbuf_size);
int hvc_remove(struct hvc_struct *hp);
void hvc_kick(void);

#endif /* HVX_HVC_API_H */
