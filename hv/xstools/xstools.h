/* SPDX-License-Identifier: GPL-2.0-only */
/* xstools.h: the xenstore tool, one multi-call binary: `xenstore CMD` or
 * Xen's names (xenstore-read, -write, -ls, -list, -rm, -exists, -watch,
 * -chmod). One command per file. */
#ifndef HV_XSTOOLS_XSTOOLS_H
#define HV_XSTOOLS_XSTOOLS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/xs_client.h"

/* Commands: ARGV[0] is the name they were called by ("xenstore-read"). */
int xst_read(int argc, char **argv);
int xst_exists(int argc, char **argv);
int xst_write(int argc, char **argv);
int xst_mkdir(int argc, char **argv);
int xst_ls(int argc, char **argv);
int xst_list(int argc, char **argv);
int xst_rm(int argc, char **argv);
int xst_watch(int argc, char **argv);
int xst_chmod(int argc, char **argv);

/* main.c */
extern const char *xst_prog;		/* for messages: "xenstore-read" */
/* Connect (SOCKET_ONLY: -s); exits with a message on failure. */
struct xs_client *xst_open(bool socket_only);
/*
 * The usual command line "[-s] ARGS...": take -s, insist on MIN_ARGS
 * operands (USAGE otherwise), connect; the operands start at optind.
 */
struct xs_client *xst_open_args(int argc, char **argv, const char *usage, int min_args);
/* Print "PROG: WHAT: ERROR" to stderr; returns 1. */
int xst_fail(const char *what, int err);
void xst_usage(const char *text) __attribute__((noreturn));
/* Run FN in a transaction, again while the store says EAGAIN. */
int xst_in_tx(struct xs_client *h, int (*fn)(struct xs_client *h, uint32_t tx, void *arg),
	      void *arg);
/* Xen's escaping of values for display ("\n" -> "\\n", others octal). */
void xst_print_escaped(FILE *out, const char *v, unsigned int len);
/* And the reverse for values given on the command line; new length. */
unsigned int xst_unescape(char *s);

#endif /* HV_XSTOOLS_XSTOOLS_H */
