// SPDX-License-Identifier: GPL-2.0-only
/* perms.c: Xen's permission strings ("n0", "r5", "w7", "b3") and who may
 * do what: the owner and dom0 everything, a listed domain its entry, any
 * other domain the first entry's mode. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored/xsd.h"

static const char letters[] = "nrwb";	/* index: XS_PERM_* bits */

int xs_perms_parse(const char *buf, unsigned int count, struct xs_perm *out)
{
	unsigned int i;

	for (i = 0; i < count; i++) {
		const char *l = buf[0] ? strchr(letters, buf[0]) : NULL;
		unsigned long id;
		char *end;

		if (!l || buf[1] < '0' || buf[1] > '9')
			return EINVAL;
		errno = 0;
		id = strtoul(buf + 1, &end, 10);
		if (errno || *end || id > XSD_DOMID_MAX)
			return EINVAL;
		out[i].id = (uint16_t)id;
		out[i].mode = (uint8_t)(l - letters);
		buf = end + 1;
	}
	return 0;
}

int xs_perms_format(const struct xs_perm *p, unsigned int n, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		int w = snprintf(buf + used, len - used, "%c%u", letters[p[i].mode & 3], p[i].id);

		if (w < 0 || (size_t)w + 1 > len - used)
			return -1;
		used += (size_t)w + 1;	/* keep the NUL */
	}
	return (int)used;
}

unsigned int xs_perms_mode(const struct xs_perm *p, unsigned int n,
			   unsigned int domid, bool privileged)
{
	unsigned int i;

	if (privileged || p[0].id == domid)
		return XS_PERM_READ | XS_PERM_WRITE;
	for (i = 1; i < n; i++)
		if (p[i].id == domid)
			return p[i].mode;
	return p[0].mode;
}
