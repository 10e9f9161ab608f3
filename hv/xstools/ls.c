// SPDX-License-Identifier: GPL-2.0-only
/* ls.c: xenstore-ls (the tree below a path as `name = "value"`, indented
 * one space per level, cut to the line as Xen's; -f full paths uncut, -p
 * permissions) and
 * xenstore-list (a node's children). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "xstools/xstools.h"

#define PATH_BUF 4096

#define TAG_LEN		9	/* strlen(" = \"...\"") */
#define LEADER_END	60	/* -p: permissions start here */

struct ls {
	struct xs_client *h;
	bool full, perms;
	int max_width;		/* the terminal's width - 2, else 80 */
	int status;
};

static void print_perms(struct ls *l, const char *path)
{
	unsigned int n, i;
	char **p;

	if (xs_client_get_perms(l->h, 0, path, &p, &n)) {
		fprintf(stderr, "%s: could not access permissions for %s\n", xst_prog, path);
		return;
	}
	fputs("  (", stdout);
	for (i = 0; i < n; i++)
		printf("%s%s", i ? "," : "", p[i]);
	putchar(')');
	free(p);
}

/* Escape V as xenstore-read does, into a new string. */
static char *escaped(const char *v, unsigned int len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return NULL;
	xst_print_escaped(f, v, len);
	fclose(f);
	return buf;
}

/* One line per node as Xen's xenstore-ls: the name indented one space per
 * level (or the full path), its value cut at the line width, and with -p
 * its permissions after a dotted leader to column 60. */
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
		int width = 0;
		char *v, *e;

		if (snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "",
			     kids[i]) >= (int)sizeof(child))
			continue;
		if (l->full) {
			fputs(child, stdout);
		} else {
			width = printf("%*s", depth, "");
			width += printf("%.*s", l->max_width - TAG_LEN - width, kids[i]);
		}
		if (xs_client_read(l->h, 0, child, &v, &len)) {
			fputs(":", stdout);
		} else {
			e = escaped(v, len);
			free(v);
			if (!e) {
				fputs(":", stdout);
			} else if (l->max_width < width + (int)strlen(e) + TAG_LEN) {
				printf(" = \"%.*s\\...\"", l->max_width - TAG_LEN - width, e);
			} else {
				width += printf(" = \"%s\"", e);
				if (l->perms) {
					int leader = l->full ? 0 : LEADER_END;

					putchar(' ');
					for (width++; width < leader && width < l->max_width; width++)
						putchar(width & 1 ? '.' : ' ');
				}
			}
			free(e);
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
	struct winsize ws;
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
	l.max_width = 80;
	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col > 2)
		l.max_width = ws.ws_col - 2;
	if (l.full)
		l.max_width = INT_MAX / 2;
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
