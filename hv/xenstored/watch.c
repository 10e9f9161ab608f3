// SPDX-License-Identifier: GPL-2.0-only
/* watch.c: watches and their events. A watch on P fires for P and every
 * node below it; removing a subtree also fires the watches inside it.
 * "@introduceDomain" and "@releaseDomain" are special paths that fire when
 * domains come and go, for privileged watchers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored/xsd.h"

static int send_event(struct xs_conn *c, const struct xs_watch *w, const char *path)
{
	char buf[HVX_XENSTORE_PAYLOAD_MAX];
	size_t home = strlen(c->home), plen, tlen = strlen(w->token);

	/* A relative watch hears relative paths ("" for the home itself). */
	if (w->relative && xs_path_is_under(path, c->home))
		path += path[home] == '/' ? home + 1 : home;
	plen = strlen(path);
	if (plen + tlen + 2 > sizeof(buf))
		return -1;
	memcpy(buf, path, plen + 1);
	memcpy(buf + plen + 1, w->token, tlen + 1);
	return xs_conn_queue(c, HVX_XS_WATCH_EVENT, 0, 0, buf,
			     (unsigned int)(plen + tlen + 2), true);
}

int xs_watch_add(struct xs_conn *c, const char *path, const char *token, bool relative)
{
	struct xs_watch *w;

	for (w = c->watches; w; w = w->next)
		if (!strcmp(w->path, path) && !strcmp(w->token, token))
			return EEXIST;
	if (!c->privileged && c->nwatches >= XSD_QUOTA_WATCHES)
		return E2BIG;
	w = calloc(1, sizeof(*w));
	if (!w)
		return ENOMEM;
	w->path = strdup(path);
	w->token = strdup(token);
	if (!w->path || !w->token) {
		free(w->path);
		free(w->token);
		free(w);
		return ENOMEM;
	}
	w->relative = relative;
	w->next = c->watches;
	c->watches = w;
	c->nwatches++;
	return 0;
}

void xs_watch_fire_initial(struct xs_conn *c, const char *path, const char *token)
{
	struct xs_watch *w;

	for (w = c->watches; w; w = w->next)
		if (!strcmp(w->path, path) && !strcmp(w->token, token)) {
			send_event(c, w, path);
			return;
		}
}

int xs_watch_remove(struct xs_conn *c, const char *path, const char *token)
{
	struct xs_watch **pp, *w;

	for (pp = &c->watches; (w = *pp); pp = &w->next) {
		if (strcmp(w->path, path) || strcmp(w->token, token))
			continue;
		*pp = w->next;
		free(w->path);
		free(w->token);
		free(w);
		c->nwatches--;
		return 0;
	}
	return ENOENT;
}

void xs_watch_reset(struct xs_conn *c)
{
	struct xs_watch *w;

	while ((w = c->watches)) {
		c->watches = w->next;
		free(w->path);
		free(w->token);
		free(w);
	}
	c->nwatches = 0;
}

void xs_watch_fire(struct xsd *d, const char *path, const struct xs_perm *perms,
		   unsigned int nperms, bool recurse)
{
	struct xs_conn *c;
	struct xs_watch *w;

	for (c = d->conns; c; c = c->next) {
		if (c->broken)
			continue;
		if (!(xs_perms_mode(perms, nperms, c->domid, c->privileged) & XS_PERM_READ))
			continue;
		for (w = c->watches; w; w = w->next) {
			if (w->path[0] == '@')
				continue;
			if (xs_path_is_under(path, w->path))
				send_event(c, w, path);
			else if (recurse && xs_path_is_under(w->path, path))
				send_event(c, w, w->path);
		}
	}
}

void xs_watch_fire_special(struct xsd *d, const char *name)
{
	struct xs_conn *c;
	struct xs_watch *w;

	for (c = d->conns; c; c = c->next) {
		if (c->broken || !c->privileged)
			continue;
		for (w = c->watches; w; w = w->next)
			if (!strcmp(w->path, name))
				send_event(c, w, name);
	}
}
