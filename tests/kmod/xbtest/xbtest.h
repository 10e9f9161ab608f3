/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xbtest.h: what the two halves of the xenbus test agree on: the device
 * type, the store nodes and the byte each side writes into the shared page.
 */
#ifndef XBTEST_H
#define XBTEST_H

#include <linux/types.h>

#define XBTEST_TYPE		"xbtest"
#define XBTEST_RING_REF		"ring-ref"
#define XBTEST_EVENT_CHANNEL	"event-channel"

static inline u8 xbtest_front_byte(unsigned int i)
{
	return (u8)(i * 7 + 3);
}

static inline u8 xbtest_back_byte(unsigned int i)
{
	return (u8)((i * 13 + 5) ^ 0x5a);
}

#endif /* XBTEST_H */
