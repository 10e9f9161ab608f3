// SPDX-License-Identifier: GPL-2.0-only
/* read.c: xenstore-read (values, one per line) and xenstore-exists. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "xstools/xstools.h"

int xst_read(int argc, char **argv)
{
	bool socket_only = false, prefix = false, raw = false;
	struct xs_client *h;
	int opt, i, status = 0;

	while ((opt = getopt(argc, argv, "+spR")) != -1) {
		if (opt == 's')
			socket_only = true;
		else if (opt == 'p')
			prefix = true;
		else if (opt == 'R')
			raw = true;
		else
			xst_usage("[-s] [-p] [-R] PATH...");
	}
	if (optind >= argc)
		xst_usage("[-s] [-p] [-R] PATH...");
	h = xst_open(socket_only);
	for (i = optind; i < argc; i++) {
		unsigned int len;
		char *v;
		int err = xs_client_read(h, 0, argv[i], &v, &len);

		if (err) {
			status = xst_fail(argv[i], err);
			continue;
		}
		if (prefix)
			printf("%s: ", argv[i]);
		if (raw)
			fwrite(v, 1, len, stdout);
		else
			xst_print_escaped(stdout, v, len);
		putchar('\n');
		free(v);
	}
	xs_client_close(h);
	return status;
}

int xst_exists(int argc, char **argv)
{
	struct xs_client *h = xst_open_args(argc, argv, "[-s] PATH...", 1);
	int i, status = 0;

	for (i = optind; i < argc; i++) {
		char *v;

		if (xs_client_read(h, 0, argv[i], &v, NULL)) {
			status = 1;
			continue;
		}
		free(v);
	}
	xs_client_close(h);
	return status;
}
