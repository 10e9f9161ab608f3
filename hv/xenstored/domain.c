// SPDX-License-Identifier: GPL-2.0-only
/* domain.c: introduced domains. INTRODUCE attaches a domain's store ring
 * (through the I/O side's ring_ops) and fires @introduceDomain; RELEASE or
 * the domain's death detaches it, removes /local/domain/<domid>, gives what
 * else it owned to dom0 and fires @releaseDomain. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "xenstored/xsd.h"

struct xs_domain *xs_domain_find(struct xsd *d, unsigned int domid)
{
	struct xs_domain *dom;

	for (dom = d->domains; dom; dom = dom->next)
		if (dom->domid == domid)
			return dom;
	return NULL;
}

int xs_domain_introduce(struct xsd *d, unsigned int domid, uint64_t gfn, unsigned int port)
{
	struct xs_domain *dom = xs_domain_find(d, domid);
	int err;

	if (dom)	/* Xen: the same introduction again is harmless */
		return dom->gfn == gfn && dom->port == port ? 0 : EEXIST;
	dom = calloc(1, sizeof(*dom));
	if (!dom)
		return ENOMEM;
	dom->domid = domid;
	dom->gfn = gfn;
	dom->port = port;
	if (d->ring_ops && d->ring_ops->attach) {
		err = d->ring_ops->attach(d, dom);
		if (err) {
			xsd_log(d, "dom%u: cannot attach its ring (gfn %llu port %u): error %d",
				domid, (unsigned long long)gfn, port, err);
			free(dom);
			return err;
		}
	}
	dom->next = d->domains;
	d->domains = dom;
	xsd_log(d, "dom%u introduced (gfn %llu, port %u)", domid,
		(unsigned long long)gfn, port);
	xs_watch_fire_special(d, "@introduceDomain");
	return 0;
}

int xs_domain_release(struct xsd *d, unsigned int domid)
{
	struct xs_domain **pp, *dom;
	struct xs_node *home;
	char path[XSD_HOME_MAX];

	for (pp = &d->domains; (dom = *pp); pp = &dom->next)
		if (dom->domid == domid)
			break;
	if (!dom)
		return ENOENT;
	*pp = dom->next;
	if (d->ring_ops && d->ring_ops->detach)
		d->ring_ops->detach(d, dom);
	if (dom->conn)
		xs_conn_free(dom->conn);
	snprintf(path, sizeof(path), "/local/domain/%u", domid);
	home = xs_tree_lookup(&d->tree, path);
	if (home)
		xsd_remove_node(d, home, path);
	xs_tree_chown_all(&d->tree, domid, 0);
	free(dom);
	xsd_log(d, "dom%u released", domid);
	xs_watch_fire_special(d, "@releaseDomain");
	return 0;
}

void xs_domain_reap(struct xsd *d, bool (*alive)(void *ctx, unsigned int domid), void *ctx)
{
	struct xs_domain *dom;

restart:
	for (dom = d->domains; dom; dom = dom->next) {
		if (!alive(ctx, dom->domid)) {
			xsd_log(d, "dom%u is gone", dom->domid);
			xs_domain_release(d, dom->domid);
			goto restart;
		}
	}
}
