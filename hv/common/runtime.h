/* SPDX-License-Identifier: GPL-2.0-only */
/* runtime.h: where the toolstack and the VMMs meet on a host (paths, protocol). */
#ifndef HV_COMMON_RUNTIME_H
#define HV_COMMON_RUNTIME_H

#define HV_CTL_DEVICE		"/dev/hvctl"
#define HV_RUN_DIR		"/run/hv"	/* <name>.sock per domain */
#define HV_LOG_DIR		"/var/log/hv"	/* guest-<name>.log, vmm-<name>.log */
#define HV_VMM_NAME		"hv-vmm"	/* next to hv, else /usr/lib/hv/ */
#define HV_VMM_FALLBACK		"/usr/lib/hv/hv-vmm"

/*
 * The per-domain socket (AF_UNIX, SOCK_STREAM, HV_RUN_DIR/<name>.sock) is
 * served by the domain's VMM. A client sends one command line:
 *   "console\n"   the VMM answers "OK\n", sends the buffered recent output
 *                 (up to HV_CONSOLE_BACKLOG bytes) and then streams serial
 *                 output; bytes from the client are serial input. One
 *                 console client at a time ("ERR busy\n" otherwise).
 *   "shutdown\n"  ask the guest to power off; "OK\n" or "ERR <why>\n".
 *   "reboot\n"    ask the guest to reboot; same replies.
 * The ready pipe: `hv create` passes --ready-fd N to the VMM, which writes
 * "OK <domid>\n" once the domain runs, or "ERR <message>\n", then closes it.
 */
#define HV_CONSOLE_BACKLOG	(64 * 1024)
#define HV_CONSOLE_ESCAPE	0x1d		/* Ctrl-] detaches */

#endif /* HV_COMMON_RUNTIME_H */
