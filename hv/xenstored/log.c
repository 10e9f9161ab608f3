// SPDX-License-Identifier: GPL-2.0-only
/* log.c: xenstored's log: one timestamped line per event, to a file or
 * to stderr. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xenstored/io.h"

static int log_fd = STDERR_FILENO;

int xsd_log_open(const char *path)
{
	int fd;

	if (!path)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (fd < 0)
		return -1;
	log_fd = fd;
	return 0;
}

void xsd_log_msg(const char *fmt, ...)
{
	char buf[640];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S xenstored: ", &tm);
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	n = strlen(buf);
	buf[n++] = '\n';
	if (write(log_fd, buf, n) < 0) {
		/* Nowhere left to say it. */
	}
}
