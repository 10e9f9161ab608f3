// SPDX-License-Identifier: GPL-2.0-only
/* watch.c: xenstore-watch: watch each PATH (its own token) and print the
 * path of every event, one per line, the first one included; -n COUNT
 * stops after COUNT events. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "xstools/xstools.h"

int xst_watch(int argc, char **argv)
{
	bool socket_only = false;
	struct xs_client *h;
	long count = -1, seen;
	int opt, i, err;
	char *end;

	while ((opt = getopt(argc, argv, "+sn:")) != -1) {
		if (opt == 's') {
			socket_only = true;
		} else if (opt == 'n') {
			count = strtol(optarg, &end, 10);
			if (*end || count < 1)
				xst_usage("[-s] [-n COUNT] PATH...");
		} else {
			xst_usage("[-s] [-n COUNT] PATH...");
		}
	}
	if (optind >= argc)
		xst_usage("[-s] [-n COUNT] PATH...");
	h = xst_open(socket_only);
	for (i = optind; i < argc; i++) {
		err = xs_client_watch(h, argv[i], argv[i]);
		if (err) {
			xs_client_close(h);
			return xst_fail(argv[i], err);
		}
	}
	for (seen = 0; count < 0 || seen < count; seen++) {
		char *path, *token;

		err = xs_client_read_watch(h, -1, &path, &token);
		if (err) {
			xs_client_close(h);
			return xst_fail("reading events", err);
		}
		printf("%s\n", path);
		fflush(stdout);
		free(path);
	}
	xs_client_close(h);
	return 0;
}
