// SPDX-License-Identifier: GPL-2.0-only
/* core.c: the daemon's state as a whole: the live tree, its connections
 * and introduced domains, and its log. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored/xsd.h"

int xsd_init(struct xsd *d)
{
	memset(d, 0, sizeof(*d));
	d->next_tx_id = 1;
	return xs_tree_init(&d->tree);
}

void xsd_fini(struct xsd *d)
{
	while (d->domains)
		xs_domain_release(d, d->domains->domid);
	while (d->conns)
		xs_conn_free(d->conns);
	xs_tree_free(&d->tree);
}

void xsd_log(struct xsd *d, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (!d->log)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	d->log("%s", buf);
}

void xsd_remove_node(struct xsd *d, struct xs_node *n, const char *path)
{
	static const struct xs_perm dom0_only = { .id = 0, .mode = 0 };
	unsigned int np = n->nperms;
	struct xs_perm *p = malloc(sizeof(*p) * np);

	/* The watchers allowed to see the node before it went hear of it. */
	if (p)
		memcpy(p, n->perms, sizeof(*p) * np);
	xs_tree_remove(&d->tree, n);
	xs_watch_fire(d, path, p ? p : &dom0_only, p ? np : 1, true);
	free(p);
}
