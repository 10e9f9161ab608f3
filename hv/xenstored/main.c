// SPDX-License-Identifier: GPL-2.0-only
/* main.c: xenstored's command line, daemonizing and pid file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xenstored/io.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: xenstored [--socket PATH] [--foreground] [--pid-file FILE] [--log FILE]\n"
		"  --socket PATH    the unix socket (default $XENSTORED_PATH, else "
		XSD_DEFAULT_SOCKET ")\n"
		"  --foreground     do not daemonize (default: daemonize, pid file "
		XSD_DEFAULT_PIDFILE ")\n"
		"  --pid-file FILE  write the daemon's pid there\n"
		"  --log FILE       log there instead of stderr\n");
	exit(2);
}

/* Fork; the parent exits once the child serves (or says why not). */
static int daemonize(struct xsd_opts *o)
{
	int pipefd[2], fd;
	char buf[8];
	pid_t pid;
	ssize_t n;

	if (pipe2(pipefd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0) {
		close(pipefd[1]);
		n = read(pipefd[0], buf, sizeof(buf));
		_exit(n >= 2 && !memcmp(buf, "OK", 2) ? 0 : 1);
	}
	close(pipefd[0]);
	o->ready_fd = pipefd[1];
	setsid();
	if (chdir("/")) {
		/* Keep the cwd then; nothing depends on it. */
	}
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		if (o->log_file)
			dup2(fd, STDERR_FILENO);
		close(fd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct xsd_opts o = { .ready_fd = -1 };
	const char *env = getenv("XENSTORED_PATH");
	int i;

	o.socket = env && *env ? env : XSD_DEFAULT_SOCKET;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--socket") && i + 1 < argc)
			o.socket = argv[++i];
		else if (!strcmp(argv[i], "--pid-file") && i + 1 < argc)
			o.pid_file = argv[++i];
		else if (!strcmp(argv[i], "--log") && i + 1 < argc)
			o.log_file = argv[++i];
		else if (!strcmp(argv[i], "--foreground") || !strcmp(argv[i], "-F"))
			o.foreground = true;
		else
			usage();
	}
	if (o.log_file && xsd_log_open(o.log_file)) {
		fprintf(stderr, "xenstored: %s: %s\n", o.log_file, strerror(errno));
		return 1;
	}
	if (!o.foreground) {
		if (!o.pid_file)
			o.pid_file = XSD_DEFAULT_PIDFILE;
		if (daemonize(&o)) {
			fprintf(stderr, "xenstored: cannot daemonize: %s\n", strerror(errno));
			return 1;
		}
	}
	return xsd_serve(&o);
}
