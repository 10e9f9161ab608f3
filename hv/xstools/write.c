// SPDX-License-Identifier: GPL-2.0-only
/* write.c: xenstore-write (PATH VALUE pairs in one transaction, values
 * unescaped as Xen's tool does) and xenstore mkdir. */
#include <string.h>
#include <unistd.h>

#include "xstools/xstools.h"

struct pairs {
	char **argv;
	int n;
	const char *failed;
};

static int write_pairs(struct xs_client *h, uint32_t tx, void *arg)
{
	struct pairs *p = arg;
	int i;

	for (i = 0; i < p->n; i += 2) {
		int err = xs_client_write(h, tx, p->argv[i], p->argv[i + 1],
					  (unsigned int)strlen(p->argv[i + 1]));

		if (err) {
			p->failed = p->argv[i];
			return err;
		}
	}
	return 0;
}

int xst_write(int argc, char **argv)
{
	static const char usage[] = "[-s] PATH VALUE [PATH VALUE]...";
	struct pairs p = { .failed = NULL };
	struct xs_client *h;
	int i, err;

	h = xst_open_args(argc, argv, usage, 2);
	p.argv = argv + optind;
	p.n = argc - optind;
	if (p.n % 2)
		xst_usage(usage);
	for (i = 1; i < p.n; i += 2)
		xst_unescape(p.argv[i]);
	err = p.n == 2 ? write_pairs(h, 0, &p) : xst_in_tx(h, write_pairs, &p);
	xs_client_close(h);
	return err ? xst_fail(p.failed ? p.failed : "transaction", err) : 0;
}

int xst_mkdir(int argc, char **argv)
{
	struct xs_client *h = xst_open_args(argc, argv, "[-s] PATH...", 1);
	int i, status = 0;

	for (i = optind; i < argc; i++) {
		int err = xs_client_mkdir(h, 0, argv[i]);

		if (err)
			status = xst_fail(argv[i], err);
	}
	xs_client_close(h);
	return status;
}
