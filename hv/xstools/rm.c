// SPDX-License-Identifier: GPL-2.0-only
/* rm.c: xenstore-rm: remove nodes with their subtrees; -t also removes
 * parents left empty (with no value and no children), as Xen's does. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xstools/xstools.h"

struct rm {
	const char *path;
	bool tidy;
};

static int rm_one(struct xs_client *h, uint32_t tx, void *arg)
{
	struct rm *r = arg;
	char path[4096];
	char *slash;
	int err;

	if (!r->path[0] || strlen(r->path) >= sizeof(path))
		return EINVAL;
	strcpy(path, r->path);
	err = xs_client_rm(h, tx, path);
	if (err || !r->tidy)
		return err;
	while ((slash = strrchr(path, '/')) && slash != path) {
		unsigned int n, len;
		char **kids, *v;

		*slash = '\0';
		if (xs_client_directory(h, tx, path, &kids, &n))
			break;
		free(kids);
		if (n || xs_client_read(h, tx, path, &v, &len))
			break;
		free(v);
		if (len || xs_client_rm(h, tx, path))
			break;
	}
	return 0;
}

int xst_rm(int argc, char **argv)
{
	bool socket_only = false, tidy = false;
	struct xs_client *h;
	int opt, i, status = 0;

	while ((opt = getopt(argc, argv, "+st")) != -1) {
		if (opt == 's')
			socket_only = true;
		else if (opt == 't')
			tidy = true;
		else
			xst_usage("[-s] [-t] PATH...");
	}
	if (optind >= argc)
		xst_usage("[-s] [-t] PATH...");
	h = xst_open(socket_only);
	for (i = optind; i < argc; i++) {
		struct rm r = { .path = argv[i], .tidy = tidy };
		int err = xst_in_tx(h, rm_one, &r);

		if (err)
			status = xst_fail(argv[i], err);
	}
	xs_client_close(h);
	return status;
}
