// SPDX-License-Identifier: GPL-2.0-only
/* backends.c: remove a dead domain's backend directories (backends.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/backends.h"
#include "common/xs_client.h"

/* Under ROOT (".../backend"): ROOT/TYPE/DOMID for every TYPE. */
static int remove_under(struct xs_client *h, const char *root, uint32_t domid)
{
	char **types = NULL, path[256];
	unsigned int n = 0, i;
	int err, first = 0;

	err = xs_client_directory(h, 0, root, &types, &n);
	if (err)
		return err == ENOENT ? 0 : err;
	for (i = 0; i < n; i++) {
		if (snprintf(path, sizeof(path), "%s/%s/%u", root, types[i], domid) >=
		    (int)sizeof(path))
			continue;	/* no type name is that long; none was written */
		err = xs_client_rm(h, 0, path);
		if (err && err != ENOENT && !first)
			first = err;
	}
	free(types);
	return first;
}

int xs_backends_remove(struct xs_client *h, uint32_t domid)
{
	int a = remove_under(h, "/local/domain/0/backend", domid);
	int b = remove_under(h, "/local/domain/0/error/backend", domid);

	return a ? a : b;
}
