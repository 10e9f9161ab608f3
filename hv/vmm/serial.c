// SPDX-License-Identifier: GPL-2.0-only
/* serial.c: 16550A registers, receive FIFO with BREAK, interrupt line. */
#include <string.h>

#include "vmm/serial.h"

#define RBR_THR	0
#define IER	1
#define IIR_FCR	2
#define LCR	3
#define MCR	4
#define LSR	5
#define MSR	6
#define SCR	7

#define IER_RDI		0x01
#define IER_THRI	0x02
#define IER_RLSI	0x04
#define IIR_NO_INT	0x01
#define IIR_THRI	0x02
#define IIR_RDI		0x04
#define IIR_RLSI	0x06
#define IIR_FIFO_ON	0xc0
#define FCR_ENABLE	0x01
#define FCR_CLEAR_RX	0x02
#define LCR_DLAB	0x80
#define MCR_LOOP	0x10
#define LSR_DR		0x01
#define LSR_BI		0x10
#define LSR_THRE	0x20
#define LSR_TEMT	0x40
#define MSR_DCD_DSR_CTS	0xb0
#define RX_BREAK	0x100

static unsigned int rx_count(const struct serial *s)
{
	return s->rx_tail - s->rx_head;
}

static uint8_t lsr(const struct serial *s)
{
	uint8_t v = LSR_THRE | LSR_TEMT;

	if (rx_count(s)) {
		v |= LSR_DR;
		if (s->rx[s->rx_head % SERIAL_RX_SIZE] & RX_BREAK)
			v |= LSR_BI;
	}
	return v;
}

static uint8_t iir(const struct serial *s)
{
	uint8_t fifo = (s->fcr & FCR_ENABLE) ? IIR_FIFO_ON : 0;

	if ((s->ier & IER_RLSI) && (lsr(s) & LSR_BI))
		return fifo | IIR_RLSI;
	if ((s->ier & IER_RDI) && rx_count(s))
		return fifo | IIR_RDI;
	if ((s->ier & IER_THRI) && s->thr_interrupt)
		return fifo | IIR_THRI;
	return fifo | IIR_NO_INT;
}

static void update_irq(struct serial *s)
{
	int level = !(iir(s) & IIR_NO_INT);

	if (level != s->irq_level) {
		s->irq_level = level;
		s->set_irq(s->opaque, SERIAL_IRQ, level);
	}
}

static void flush_locked(struct serial *s)
{
	if (s->out_len) {
		s->output(s->opaque, s->out, s->out_len);
		s->out_len = 0;
	}
}

static void rx_push(struct serial *s, uint16_t v)
{
	if (rx_count(s) < SERIAL_RX_SIZE)
		s->rx[s->rx_tail++ % SERIAL_RX_SIZE] = v;
}

static void transmit(struct serial *s, uint8_t c)
{
	if (s->mcr & MCR_LOOP) {
		rx_push(s, c);
		return;
	}
	s->out[s->out_len++] = c;
	if (c == '\n' || s->out_len == SERIAL_OUT_SIZE)
		flush_locked(s);
}

void serial_init(struct serial *s, serial_output_fn *output,
		 serial_irq_fn *set_irq, void *opaque)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	s->output = output;
	s->set_irq = set_irq;
	s->opaque = opaque;
	s->dll = 12;	/* 9600 baud until the guest says otherwise */
}

static void write_reg(struct serial *s, unsigned int reg, uint8_t v)
{
	int dlab = s->lcr & LCR_DLAB;

	switch (reg) {
	case RBR_THR:
		if (dlab) {
			s->dll = v;
			break;
		}
		transmit(s, v);
		/* Sent at once: the holding register is empty again. */
		s->thr_interrupt = 1;
		break;
	case IER:
		if (dlab) {
			s->dlm = v;
			break;
		}
		/* Enabling THRI with THR empty raises it, as a real 16550. */
		if ((v & IER_THRI) && !(s->ier & IER_THRI))
			s->thr_interrupt = 1;
		s->ier = v & 0x0f;
		break;
	case IIR_FCR:
		s->fcr = v & 0xc9;
		if (v & FCR_CLEAR_RX)
			s->rx_head = s->rx_tail;
		break;
	case LCR:
		s->lcr = v;
		break;
	case MCR:
		s->mcr = v & 0x1f;
		break;
	case SCR:
		s->scr = v;
		break;
	default:
		break;
	}
}

static uint8_t read_reg(struct serial *s, unsigned int reg)
{
	int dlab = s->lcr & LCR_DLAB;
	uint8_t v;

	switch (reg) {
	case RBR_THR:
		if (dlab)
			return s->dll;
		if (!rx_count(s))
			return 0;
		return (uint8_t)s->rx[s->rx_head++ % SERIAL_RX_SIZE];
	case IER:
		return dlab ? s->dlm : s->ier;
	case IIR_FCR:
		v = iir(s);
		if ((v & 0x0f) == IIR_THRI)
			s->thr_interrupt = 0;	/* reading IIR acknowledges it */
		return v;
	case LCR:
		return s->lcr;
	case MCR:
		return s->mcr;
	case LSR:
		return lsr(s);
	case MSR:
		if (s->mcr & MCR_LOOP)	/* DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD */
			return (uint8_t)(((s->mcr & 0x01) << 5) | ((s->mcr & 0x02) << 3) |
					 ((s->mcr & 0x04) << 4) | ((s->mcr & 0x08) << 4));
		return MSR_DCD_DSR_CTS;
	case SCR:
		return s->scr;
	}
	return 0xff;
}

void serial_io(struct serial *s, unsigned int offset, int is_write, uint8_t *val)
{
	pthread_mutex_lock(&s->lock);
	if (is_write)
		write_reg(s, offset & 7, *val);
	else
		*val = read_reg(s, offset & 7);
	update_irq(s);
	pthread_mutex_unlock(&s->lock);
}

size_t serial_input(struct serial *s, const uint8_t *buf, size_t len)
{
	size_t n = 0;

	pthread_mutex_lock(&s->lock);
	while (n < len && rx_count(s) < SERIAL_RX_SIZE)
		rx_push(s, buf[n++]);
	update_irq(s);
	pthread_mutex_unlock(&s->lock);
	return n;
}

void serial_break(struct serial *s)
{
	pthread_mutex_lock(&s->lock);
	rx_push(s, RX_BREAK);
	update_irq(s);
	pthread_mutex_unlock(&s->lock);
}

void serial_flush(struct serial *s)
{
	pthread_mutex_lock(&s->lock);
	flush_locked(s);
	pthread_mutex_unlock(&s->lock);
}
