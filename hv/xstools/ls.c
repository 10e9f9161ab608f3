// SPDX-License-Identifier: GPL-2.0-only
/* ls.c: xenstore-ls (the tree below a path as `name = "value"`, indented
 * one space per level as Xen's; -f full paths, -p permissions) and
 * xenstore-list (a node's children). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xstools/xstools.h"

#define PATH_BUF 4096

struct ls {
	struct xs_client *h;
	bool full, perms;
	int status;
};

static void print_perms(struct ls *l, const char *path)
{
	unsigned int n, i;
	char **p;

	if (xs_client_get_perms(l->h, 0, path, &p, &n)) {
		fputs("  (?)", stdout);
		return;
	}
	fputs("  (", stdout);
	for (i = 0; i < n; i++)
		printf("%s%s", i ? "," : "", p[i]);
	putchar(')');
	free(p);
}

static void ls_tree(struct ls *l, const char *path, int depth)
{
	unsigned int n, i;
	char **kids;
	int err = xs_client_directory(l->h, 0, path, &kids, &n);

	if (err) {
		/* Nodes can go while we walk; say so only at the top. */
		if (!depth)
			l->status = xst_fail(path, err);
		return;
	}
	for (i = 0; i < n; i++) {
		char child[PATH_BUF];
		unsigned int len;
		char *v;

		if (snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "",
			     kids[i]) >= (int)sizeof(child))
			continue;
		if (l->full)
			fputs(child, stdout);
		else
			printf("%*s%s", depth, "", kids[i]);
		if (!xs_client_read(l->h, 0, child, &v, &len)) {
			fputs(" = \"", stdout);
			xst_print_escaped(v, len);
			putchar('"');
			free(v);
		}
		if (l->perms)
			print_perms(l, child);
		putchar('\n');
		ls_tree(l, child, depth + 1);
	}
	free(kids);
}

int xst_ls(int argc, char **argv)
{
	struct ls l = { .status = 0 };
	bool socket_only = false;
	int opt;

	while ((opt = getopt(argc, argv, "+sfp")) != -1) {
		if (opt == 's')
			socket_only = true;
		else if (opt == 'f')
			l.full = true;
		else if (opt == 'p')
			l.perms = true;
		else
			xst_usage("[-s] [-f] [-p] [PATH]");
	}
	if (argc - optind > 1)
		xst_usage("[-s] [-f] [-p] [PATH]");
	l.h = xst_open(socket_only);
	ls_tree(&l, optind < argc ? argv[optind] : "/", 0);
	xs_client_close(l.h);
	return l.status;
}

int xst_list(int argc, char **argv)
{
	bool socket_only = false, prefix = false;
	struct xs_client *h;
	int opt, i, status = 0;

	while ((opt = getopt(argc, argv, "+sp")) != -1) {
		if (opt == 's')
			socket_only = true;
		else if (opt == 'p')
			prefix = true;
		else
			xst_usage("[-s] [-p] PATH...");
	}
	if (optind >= argc)
		xst_usage("[-s] [-p] PATH...");
	h = xst_open(socket_only);
	for (i = optind; i < argc; i++) {
		unsigned int n, k;
		char **kids;
		int err = xs_client_directory(h, 0, argv[i], &kids, &n);

		if (err) {
			status = xst_fail(argv[i], err);
			continue;
		}
		for (k = 0; k < n; k++) {
			if (prefix)
				printf("%s/", strcmp(argv[i], "/") ? argv[i] : "");
			printf("%s\n", kids[k]);
		}
		free(kids);
	}
	xs_client_close(h);
	return status;
}
