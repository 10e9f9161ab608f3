// SPDX-License-Identifier: GPL-2.0-only
/* chmod.c: xenstore-chmod: set a node's permissions (Xen's strings: the
 * first is the owner and everyone else's mode, then per-domain entries);
 * -r does the same for every node below it, -u for every parent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xstools/xstools.h"

struct chmod {
	const char *path;
	const char *const *perms;
	unsigned int n;
	bool recurse, upto;
	char failed[4096];
};

static int set_tree(struct xs_client *h, uint32_t tx, struct chmod *c, const char *path)
{
	unsigned int n, i;
	char **kids;
	int err = xs_client_set_perms(h, tx, path, c->perms, c->n);

	if (err) {
		snprintf(c->failed, sizeof(c->failed), "%s", path);
		return err;
	}
	if (!c->recurse || xs_client_directory(h, tx, path, &kids, &n))
		return 0;
	for (i = 0; i < n && !err; i++) {
		char child[4096];

		snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "", kids[i]);
		err = set_tree(h, tx, c, child);
	}
	free(kids);
	return err;
}

static int chmod_tx(struct xs_client *h, uint32_t tx, void *arg)
{
	struct chmod *c = arg;
	char up[4096];
	char *slash;
	int err = set_tree(h, tx, c, c->path);

	if (err || !c->upto || strlen(c->path) >= sizeof(up))
		return err;
	/* -u: the same permissions on every parent, up to the root's child. */
	strcpy(up, c->path);
	while (!err && (slash = strrchr(up, '/')) && slash != up) {
		*slash = '\0';
		err = xs_client_set_perms(h, tx, up, c->perms, c->n);
		if (err)
			snprintf(c->failed, sizeof(c->failed), "%s", up);
	}
	return err;
}

int xst_chmod(int argc, char **argv)
{
	struct chmod c = { .recurse = false };
	bool socket_only = false;
	struct xs_client *h;
	int opt, err;

	while ((opt = getopt(argc, argv, "+sru")) != -1) {
		if (opt == 's')
			socket_only = true;
		else if (opt == 'r')
			c.recurse = true;
		else if (opt == 'u')
			c.upto = true;
		else
			xst_usage("[-s] [-r] [-u] PATH PERM...");
	}
	if (argc - optind < 2)
		xst_usage("[-s] [-r] [-u] PATH PERM...");
	c.path = argv[optind];
	c.perms = (const char *const *)argv + optind + 1;
	c.n = (unsigned int)(argc - optind - 1);
	h = xst_open(socket_only);
	err = xst_in_tx(h, chmod_tx, &c);
	xs_client_close(h);
	return err ? xst_fail(c.failed[0] ? c.failed : c.path, err) : 0;
}
