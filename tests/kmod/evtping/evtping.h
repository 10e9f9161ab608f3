/* SPDX-License-Identifier: GPL-2.0-only */
/* evtping.h: what the two halves of the ping-pong test agree on. */
#ifndef EVTPING_H
#define EVTPING_H

/* The page's contents as the domU grants it, and as dom0 writes it back. */
static inline u8 evtping_front_byte(unsigned int i)
{
	return (u8)(i * 7 + 0x5a);
}

static inline u8 evtping_back_byte(unsigned int i)
{
	return (u8)(i * 13 + 0xa5);
}

#endif /* EVTPING_H */
