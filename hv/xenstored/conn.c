// SPDX-License-Identifier: GPL-2.0-only
/* conn.c: one store client, whatever carries it: framing of its requests
 * (header, then at most 4096 payload bytes) and its queue of replies and
 * watch events. The transports only move bytes in and out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored/xsd.h"

#define HDR_LEN sizeof(struct hvx_xsd_sockmsg)

struct xs_conn *xs_conn_new(struct xsd *d, unsigned int domid, bool privileged)
{
	struct xs_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->xsd = d;
	c->domid = domid;
	c->privileged = privileged;
	snprintf(c->home, sizeof(c->home), "/local/domain/%u", domid);
	c->next = d->conns;
	d->conns = c;
	return c;
}

void xs_conn_free(struct xs_conn *c)
{
	struct xs_conn **pp;
	struct xs_msg *m;

	xs_tx_free_all(c);
	xs_watch_reset(c);
	while ((m = c->out_head)) {
		c->out_head = m->next;
		free(m);
	}
	c->xsd->conns_epoch++;
	for (pp = &c->xsd->conns; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	free(c);
}

size_t xs_conn_want(const struct xs_conn *c)
{
	if (c->broken || c->replies_queued >= XSD_QUOTA_OUTSTANDING)
		return 0;
	if (c->in_got < HDR_LEN)
		return HDR_LEN - c->in_got;
	return HDR_LEN + c->in_hdr.len - c->in_got;
}

int xs_conn_input(struct xs_conn *c, const void *buf, size_t len)
{
	const char *p = buf;

	while (len && !c->broken) {
		size_t want = xs_conn_want(c), n;

		if (!want)
			break;
		n = len < want ? len : want;
		if (c->in_got < HDR_LEN)
			memcpy((char *)&c->in_hdr + c->in_got, p, n);
		else
			memcpy(c->in_buf + (c->in_got - HDR_LEN), p, n);
		c->in_got += (unsigned int)n;
		p += n;
		len -= n;
		if (c->in_got == HDR_LEN && c->in_hdr.len > HVX_XENSTORE_PAYLOAD_MAX) {
			/* Xen: violating the payload limit is not an error
			 * reply, it ends the connection. */
			xsd_log(c->xsd, "conn dom%u: payload of %u bytes, closing",
				c->domid, c->in_hdr.len);
			c->broken = true;
			return -1;
		}
		if (c->in_got == HDR_LEN + c->in_hdr.len) {
			struct hvx_xsd_sockmsg hdr = c->in_hdr;

			c->in_buf[hdr.len] = '\0';
			c->in_got = 0;
			xs_ops_handle(c, &hdr, c->in_buf);
		}
	}
	if (len && !c->broken)
		return -1;	/* more than xs_conn_want() said: a caller bug */
	return c->broken ? -1 : 0;
}

int xs_conn_queue(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
		  const void *payload, unsigned int len, bool event)
{
	struct xs_msg *m;

	if (len > HVX_XENSTORE_PAYLOAD_MAX)
		return -1;
	if (event && c->event_bytes + len > XSD_EVENTS_MAX_BYTES) {
		xsd_log(c->xsd, "conn dom%u: not reading its watch events, one dropped",
			c->domid);
		return -1;
	}
	m = malloc(sizeof(*m) + len);
	if (!m)
		return -1;
	m->next = NULL;
	m->hdr = (struct hvx_xsd_sockmsg){ .type = type, .req_id = req_id,
					   .tx_id = tx_id, .len = len };
	m->off = 0;
	m->event = event;
	memcpy(m->payload, payload, len);
	if (c->out_tail)
		c->out_tail->next = m;
	else
		c->out_head = m;
	c->out_tail = m;
	if (event)
		c->event_bytes += len;
	else
		c->replies_queued++;
	return 0;
}

size_t xs_conn_out_peek(const struct xs_conn *c, const void **buf)
{
	const struct xs_msg *m = c->out_head;

	if (!m)
		return 0;
	if (m->off < HDR_LEN) {
		*buf = (const char *)&m->hdr + m->off;
		return HDR_LEN - m->off;
	}
	*buf = m->payload + (m->off - HDR_LEN);
	return HDR_LEN + m->hdr.len - m->off;
}

void xs_conn_out_done(struct xs_conn *c, size_t n)
{
	while (n && c->out_head) {
		struct xs_msg *m = c->out_head;
		size_t left = HDR_LEN + m->hdr.len - m->off;
		size_t step = n < left ? n : left;

		m->off += (unsigned int)step;
		n -= step;
		if (m->off < HDR_LEN + m->hdr.len)
			break;
		c->out_head = m->next;
		if (!c->out_head)
			c->out_tail = NULL;
		if (m->event)
			c->event_bytes -= m->hdr.len;
		else
			c->replies_queued--;
		free(m);
	}
}
