// SPDX-License-Identifier: GPL-2.0-only
/* main.c: the xenstore tool's dispatch (by the name it was called by, or
 * its first argument) and helpers shared by its commands. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xstools/xstools.h"

#define TX_RETRIES 20

const char *xst_prog = "xenstore";

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "read", xst_read }, { "exists", xst_exists }, { "write", xst_write },
	{ "mkdir", xst_mkdir }, { "ls", xst_ls }, { "list", xst_list }, { "rm", xst_rm },
	{ "watch", xst_watch }, { "chmod", xst_chmod },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

struct xs_client *xst_open(bool socket_only)
{
	const char *path = NULL;
	struct xs_client *h;

	if (socket_only) {
		path = getenv("XENSTORED_PATH");
		if (!path || !*path)
			path = XS_CLIENT_SOCKET;
	}
	h = xs_client_open(path);
	if (!h) {
		fprintf(stderr, "%s: cannot reach the store at %s: %s\n", xst_prog,
			path ? path : "(" XS_CLIENT_SOCKET ", " XS_CLIENT_DEV_XENBUS ", "
			XS_CLIENT_PROC_XENBUS ")", strerror(errno));
		exit(1);
	}
	return h;
}

struct xs_client *xst_open_args(int argc, char **argv, const char *usage, int min_args)
{
	bool socket_only = false;
	int opt;

	while ((opt = getopt(argc, argv, "+s")) != -1) {
		if (opt == 's')
			socket_only = true;
		else
			xst_usage(usage);
	}
	if (argc - optind < min_args)
		xst_usage(usage);
	return xst_open(socket_only);
}

int xst_fail(const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", xst_prog, what, xs_client_strerror(err));
	return 1;
}

void xst_usage(const char *text)
{
	fprintf(stderr, "usage: %s %s\n", xst_prog, text);
	exit(2);
}

int xst_in_tx(struct xs_client *h, int (*fn)(struct xs_client *h, uint32_t tx, void *arg),
	      void *arg)
{
	int i, err = EAGAIN;

	for (i = 0; i < TX_RETRIES && err == EAGAIN; i++) {
		uint32_t tx;

		err = xs_client_tx_start(h, &tx);
		if (err)
			return err;
		err = fn(h, tx, arg);
		if (err) {
			xs_client_tx_end(h, tx, false);
			return err;
		}
		err = xs_client_tx_end(h, tx, true);
	}
	return err;
}

void xst_print_escaped(FILE *out, const char *v, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];

		switch (c) {
		case '\\': fputs("\\\\", out); break;
		case '\t': fputs("\\t", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		default:
			if (c < ' ' || c >= 0x7f)
				fprintf(out, "\\%03o", c);
			else
				putc(c, out);
		}
	}
}

unsigned int xst_unescape(char *s)
{
	char *in = s, *out = s;

	while (*in) {
		if (*in != '\\' || !in[1]) {
			*out++ = *in++;
			continue;
		}
		in++;
		switch (*in) {
		case 'n': *out++ = '\n'; in++; break;
		case 't': *out++ = '\t'; in++; break;
		case 'r': *out++ = '\r'; in++; break;
		case '\\': *out++ = '\\'; in++; break;
		default:
			if (*in >= '0' && *in <= '7') {
				int v = 0, k;

				for (k = 0; k < 3 && *in >= '0' && *in <= '7'; k++)
					v = v * 8 + (*in++ - '0');
				*out++ = (char)v;
			} else {
				*out++ = '\\';
			}
		}
	}
	*out = '\0';
	return (unsigned int)(out - s);
}

static int usage_all(FILE *out)
{
	fprintf(out, "usage: xenstore COMMAND [ARGS]  (or xenstore-COMMAND)\n"
		"  read [-s] [-p] [-R] PATH...      print values\n"
		"  exists [-s] PATH...              status 0 if all exist\n"
		"  write [-s] PATH VALUE...         set values (one transaction)\n"
		"  mkdir [-s] PATH...               create empty nodes\n"
		"  ls [-s] [-f] [-p] [PATH]         print the tree below PATH\n"
		"  list [-s] [-p] PATH              print PATH's children\n"
		"  rm [-s] [-t] PATH...             remove (-t: and empty parents)\n"
		"  watch [-s] [-n COUNT] PATH...    print paths as they change\n"
		"  chmod [-s] [-r] [-u] PATH PERM...  set permissions (n0 r5 w5 b5)\n"
		"  -s: the xenstored socket only ($XENSTORED_PATH or "
		XS_CLIENT_SOCKET ")\n");
	return out == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	static char name[64];
	size_t i;

	base = base ? base + 1 : argv[0];
	if (!strncmp(base, "xenstore-", 9)) {
		for (i = 0; i < NR_COMMANDS; i++) {
			if (!strcmp(base + 9, commands[i].name)) {
				xst_prog = base;
				return commands[i].run(argc, argv);
			}
		}
		fprintf(stderr, "%s: unknown command\n", base);
		return 2;
	}
	if (argc < 2)
		return usage_all(stderr);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))
		return usage_all(stdout);
	for (i = 0; i < NR_COMMANDS; i++) {
		if (!strcmp(argv[1], commands[i].name)) {
			snprintf(name, sizeof(name), "xenstore-%s", commands[i].name);
			xst_prog = name;
			return commands[i].run(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, "xenstore: unknown command '%s'\n", argv[1]);
	return usage_all(stderr);
}
