/* SPDX-License-Identifier: GPL-2.0-only */
/* control.h: the /dev/hvctl control device. */
#ifndef HV_KERNEL_CONTROL_H
#define HV_KERNEL_CONTROL_H

#define XHV_VERSION "0.1"

int xhv_control_init(void);
void xhv_control_exit(void);

#endif /* HV_KERNEL_CONTROL_H */
