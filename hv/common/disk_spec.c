// SPDX-License-Identifier: GPL-2.0-only
/* disk_spec.c: parse xl's disk specifications and Xen's vdev numbers. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/disk_spec.h"

#define XVD_MAJOR	202
#define SD_MAJOR	8
#define EXT_FLAG	(1U << 28)
#define XVD_EXT_DISKS	(1U << 20)	/* disks the extended form can name */
#define XVD_EXT_PARTS	256

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Letters as a bijective base-26 number: a=0, z=25, aa=26. -1 if bad. */
static long letters_to_disk(const char **p)
{
	long n = 0;

	if (!islower((unsigned char)**p))
		return -1;
	while (islower((unsigned char)**p)) {
		n = n * 26 + (**p - 'a' + 1);
		if (n > (long)XVD_EXT_DISKS)
			return -1;
		(*p)++;
	}
	return n - 1;
}

/* Decimal without a leading zero (a lone "0" is allowed if ZERO). */
static long digits(const char **p, int zero, long max)
{
	long n = 0;

	if (!isdigit((unsigned char)**p))
		return -1;
	if (**p == '0' && (!zero || isdigit((unsigned char)(*p)[1])))
		return -1;
	while (isdigit((unsigned char)**p)) {
		n = n * 10 + (**p - '0');
		if (n > max)
			return -1;
		(*p)++;
	}
	return n;
}

static uint32_t xvd_number(long disk, long part)
{
	if (disk < 16 && part < 16)
		return (XVD_MAJOR << 8) | (uint32_t)(disk << 4) | (uint32_t)part;
	return EXT_FLAG | (uint32_t)(disk << 8) | (uint32_t)part;
}

int disk_vdev_to_devid(const char *vdev, uint32_t *devid)
{
	const char *p = vdev;
	long disk, part = 0;

	if (isdigit((unsigned char)*p)) {
		long long n = 0;

		for (; isdigit((unsigned char)*p); p++) {
			n = n * 10 + (*p - '0');
			if (n > UINT32_MAX)
				return -1;
		}
		if (*p || n == 0)
			return -1;
		*devid = (uint32_t)n;
		return 0;
	}
	if (!strncmp(p, "xvd", 3) || !strncmp(p, "hd", 2) || !strncmp(p, "sd", 2)) {
		char kind = p[0];

		p += kind == 'x' ? 3 : 2;
		disk = letters_to_disk(&p);
		if (disk < 0)
			return -1;
		if (*p) {
			part = digits(&p, 0, XVD_EXT_PARTS - 1);
			if (part < 0 || *p)
				return -1;
		}
		switch (kind) {
		case 'x':
			if (disk >= (long)XVD_EXT_DISKS)
				return -1;
			*devid = xvd_number(disk, part);
			return 0;
		case 'h':
			if (disk > 3 || part > 63)
				return -1;
			*devid = ((disk < 2 ? 3U : 22U) << 8) | (uint32_t)((disk & 1) << 6) |
				 (uint32_t)part;
			return 0;
		default:
			if (disk > 15 || part > 15)
				return -1;
			*devid = (SD_MAJOR << 8) | (uint32_t)(disk << 4) | (uint32_t)part;
			return 0;
		}
	}
	if (*p == 'd') {
		p++;
		disk = digits(&p, 1, XVD_EXT_DISKS - 1);
		if (disk < 0)
			return -1;
		if (*p == 'p') {
			p++;
			part = digits(&p, 0, XVD_EXT_PARTS - 1);
			if (part < 0)
				return -1;
		}
		if (*p)
			return -1;
		*devid = xvd_number(disk, part);
		return 0;
	}
	return -1;
}

int disk_devid_to_name(uint32_t devid, char *buf, size_t len)
{
	char letters[8], *l = letters + sizeof(letters) - 1;
	uint32_t disk, part;
	long n;

	if (devid & EXT_FLAG) {
		if (devid & ~(EXT_FLAG | 0x0fffffffU))
			return -1;
		disk = (devid & ~EXT_FLAG) >> 8;
		part = devid & 0xff;
	} else if ((devid >> 8) == XVD_MAJOR) {
		disk = (devid >> 4) & 0xf;
		part = devid & 0xf;
	} else {
		return -1;
	}
	if (disk >= XVD_EXT_DISKS)
		return -1;
	*l = '\0';
	for (n = (long)disk + 1; n > 0; n = (n - 1) / 26)
		*--l = (char)('a' + (n - 1) % 26);
	if (part)
		n = snprintf(buf, len, "xvd%s%u", l, part);
	else
		n = snprintf(buf, len, "xvd%s", l);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int set_once(char *dst, size_t size, const char *val, const char *what,
		    char *err, size_t errlen)
{
	if (dst[0])
		return fail(err, errlen, "%s given twice", what);
	if (strlen(val) >= size)
		return fail(err, errlen, "%s '%.40s...' is longer than %zu bytes", what, val,
			    size - 1);
	strcpy(dst, val);
	return 0;
}

/* Positional slots, in xl's order. */
enum { POS_TARGET, POS_FORMAT, POS_VDEV, POS_ACCESS, POS_END };

struct spec_state {
	struct disk_spec *d;
	char format[16];
	char access[8];
	char devtype[16];
	char backendtype[16];
	char backend[64];
	int have[POS_END];	/* slot filled (by position or by name) */
	int legacy;		/* a phy:/file: prefix: positions are vdev, access */
	int flag_seen;
};

static int set_vdev(struct spec_state *s, const char *val, char *err, size_t errlen)
{
	char buf[DISK_SPEC_VDEV_MAX];
	char *colon;

	if (strlen(val) >= sizeof(buf))
		return fail(err, errlen, "vdev '%.40s' is too long", val);
	strcpy(buf, val);
	/* Legacy "xvdc:cdrom". */
	colon = strchr(buf, ':');
	if (colon) {
		*colon++ = '\0';
		if (strcmp(colon, "cdrom") && strcmp(colon, "disk"))
			return fail(err, errlen, "vdev suffix ':%s': use ':cdrom' or ':disk'",
				    colon);
		if (!strcmp(colon, "cdrom"))
			s->d->cdrom = true;
	}
	s->have[POS_VDEV] = 1;
	return set_once(s->d->vdev, sizeof(s->d->vdev), buf, "vdev", err, errlen);
}

static int set_target(struct spec_state *s, const char *val, char *err, size_t errlen)
{
	static const struct { const char *prefix; enum disk_kind kind; } prefixes[] = {
		{ "phy:", DISK_KIND_PHY }, { "file:", DISK_KIND_FILE },
		{ "raw:", DISK_KIND_AUTO }, { "aio:", DISK_KIND_FILE },
		{ "tap:aio:", DISK_KIND_FILE }, { "tap2:aio:", DISK_KIND_FILE },
	};
	static const char *const unsupported[] = { "qcow:", "qcow2:", "vhd:", "tap:qcow",
		"tap:vhd", "tap2:vhd", "tap2:qcow" };
	size_t i;

	s->have[POS_TARGET] = 1;
	for (i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
		if (!strncmp(val, unsupported[i], strlen(unsupported[i])))
			return fail(err, errlen, "target '%s': only raw images are supported",
				    val);
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i].prefix);

		if (!strncmp(val, prefixes[i].prefix, n)) {
			s->d->kind = prefixes[i].kind;
			s->legacy = 1;
			val += n;
			break;
		}
	}
	if (!*val)
		return fail(err, errlen, "empty target");
	return set_once(s->d->target, sizeof(s->d->target), val, "target", err, errlen);
}

static int set_named(struct spec_state *s, const char *key, const char *val,
		     char *err, size_t errlen)
{
	if (!strcmp(key, "vdev"))
		return set_vdev(s, val, err, errlen);
	if (!strcmp(key, "format")) {
		s->have[POS_FORMAT] = 1;
		return set_once(s->format, sizeof(s->format), val, "format", err, errlen);
	}
	if (!strcmp(key, "access")) {
		s->have[POS_ACCESS] = 1;
		return set_once(s->access, sizeof(s->access), val, "access", err, errlen);
	}
	if (!strcmp(key, "devtype"))
		return set_once(s->devtype, sizeof(s->devtype), val, "devtype", err, errlen);
	if (!strcmp(key, "backendtype"))
		return set_once(s->backendtype, sizeof(s->backendtype), val, "backendtype",
				err, errlen);
	if (!strcmp(key, "backend"))
		return set_once(s->backend, sizeof(s->backend), val, "backend", err, errlen);
	if (!strcmp(key, "script"))
		return set_once(s->d->script, sizeof(s->d->script), val, "script", err,
				errlen);
	return fail(err, errlen, "unknown key '%s'", key);
}

static int set_positional(struct spec_state *s, const char *val, char *err, size_t errlen)
{
	int slot;

	for (slot = 0; slot < POS_END; slot++) {
		if (s->have[slot])
			continue;
		if (s->legacy && slot == POS_FORMAT)
			continue;	/* "phy:X,xvda,w": no format position */
		break;
	}
	if (slot == POS_END)
		return fail(err, errlen, "'%s': too many positional parameters", val);
	s->have[slot] = 1;
	if (!*val)
		return 0;	/* "/img,,xvda": the default */
	switch (slot) {
	case POS_TARGET:
		return set_target(s, val, err, errlen);
	case POS_FORMAT:
		return set_once(s->format, sizeof(s->format), val, "format", err, errlen);
	case POS_VDEV:
		return set_vdev(s, val, err, errlen);
	default:
		return set_once(s->access, sizeof(s->access), val, "access", err, errlen);
	}
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Checks across parameters once all are in. */
static int finish(struct spec_state *s, char *err, size_t errlen)
{
	struct disk_spec *d = s->d;

	if (s->format[0] && strcmp(s->format, "raw"))
		return fail(err, errlen, "format '%s' is not supported (raw only)", s->format);
	if (s->backendtype[0] && strcmp(s->backendtype, "phy"))
		return fail(err, errlen, "backendtype '%s' is not supported (phy only)",
			    s->backendtype);
	if (s->backend[0] && strcmp(s->backend, "0") && strcmp(s->backend, "Domain-0"))
		return fail(err, errlen, "backend '%s': only dom0 serves disks", s->backend);
	if (s->devtype[0]) {
		if (!strcmp(s->devtype, "cdrom"))
			d->cdrom = true;
		else if (strcmp(s->devtype, "disk"))
			return fail(err, errlen, "devtype '%s': use disk or cdrom", s->devtype);
	}
	if (!s->access[0] || !strcmp(s->access, "w") || !strcmp(s->access, "rw") ||
	    !strcmp(s->access, "w!"))
		d->readonly = false;
	else if (!strcmp(s->access, "r") || !strcmp(s->access, "ro"))
		d->readonly = true;
	else
		return fail(err, errlen, "access '%s': use r, ro, w or rw", s->access);
	if (d->cdrom)
		d->readonly = true;
	if (!d->target[0])
		return fail(err, errlen, "no target (the image file or block device)");
	if (!d->vdev[0])
		return fail(err, errlen, "no vdev (the guest's name for the disk, e.g. xvda)");
	if (disk_vdev_to_devid(d->vdev, &d->devid))
		return fail(err, errlen, "vdev '%s' is not a disk name (xvda, xvdb1, hdc, sda, d0p1)",
			    d->vdev);
	return 0;
}

int disk_spec_parse(const char *spec, struct disk_spec *out, char *err, size_t errlen)
{
	struct spec_state s = { .d = out };
	char *copy, *p;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	out->discard = -1;
	copy = strdup(spec);
	if (!copy)
		return fail(err, errlen, "out of memory");
	p = copy;
	for (;;) {
		char *comma, *item, *eq;

		item = p;
		while (isspace((unsigned char)*item))
			item++;
		/* target= takes the rest, commas included. */
		if (!strncmp(item, "target=", 7)) {
			if (s.have[POS_TARGET] && out->target[0]) {
				fail(err, errlen, "target given twice");
				goto out;
			}
			if (set_target(&s, item + 7, err, errlen))
				goto out;
			break;
		}
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		item = trim(p);
		eq = strchr(item, '=');
		if (eq) {
			*eq = '\0';
			if (set_named(&s, trim(item), trim(eq + 1), err, errlen))
				goto out;
		} else if (!strcmp(item, "cdrom")) {
			out->cdrom = true;
		} else if (!strcmp(item, "discard")) {
			out->discard = 1;
		} else if (!strcmp(item, "no-discard")) {
			out->discard = 0;
		} else if (set_positional(&s, item, err, errlen)) {
			goto out;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	ret = finish(&s, err, errlen);
out:
	free(copy);
	return ret;
}
