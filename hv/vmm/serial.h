/* SPDX-License-Identifier: GPL-2.0-only */
/* serial.h: a 16550A UART at 0x3f8, IRQ 4: the guest's early console. */
#ifndef HV_VMM_SERIAL_H
#define HV_VMM_SERIAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define SERIAL_BASE	0x3f8
#define SERIAL_IRQ	4
#define SERIAL_RX_SIZE	4096
#define SERIAL_OUT_SIZE	512

typedef void serial_output_fn(void *opaque, const uint8_t *buf, size_t len);
typedef void serial_irq_fn(void *opaque, int irq, int level);

struct serial {
	pthread_mutex_t lock;
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	int thr_interrupt;		/* THR empty, not yet acknowledged */
	uint16_t rx[SERIAL_RX_SIZE];	/* bit 8: a BREAK condition */
	unsigned int rx_head, rx_tail;	/* free-running, masked on use */
	int irq_level;
	uint8_t out[SERIAL_OUT_SIZE];
	size_t out_len;
	serial_output_fn *output;
	serial_irq_fn *set_irq;
	void *opaque;
};

void serial_init(struct serial *s, serial_output_fn *output,
		 serial_irq_fn *set_irq, void *opaque);
/* A guest access to port BASE+offset; *VAL is read or written. */
void serial_io(struct serial *s, unsigned int offset, int is_write, uint8_t *val);
/* Host side: input bytes, a BREAK, and pushing buffered output out. */
size_t serial_input(struct serial *s, const uint8_t *buf, size_t len);
void serial_break(struct serial *s);
void serial_flush(struct serial *s);

#endif /* HV_VMM_SERIAL_H */
