// SPDX-License-Identifier: GPL-2.0-only
/* vif_spec.c: parse xl's vif specs and rates; make Xen-prefixed MACs. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/vif_spec.h"

#define SPEC_MAX	1024

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

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int vif_mac_parse(const char *s, uint8_t mac[6])
{
	int i;

	if (strlen(s) != 17)
		return -1;
	for (i = 0; i < 6; i++) {
		int hi = hexval(s[i * 3]), lo = hexval(s[i * 3 + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[i * 3 + 2] != ':'))
			return -1;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return (mac[0] & 1) ? -1 : 0;
}

void vif_mac_format(const uint8_t mac[6], char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

void vif_mac_from_random(uint8_t mac[6], const uint8_t random[3])
{
	mac[0] = 0x00;
	mac[1] = 0x16;
	mac[2] = 0x3e;
	mac[3] = random[0] & 0x7f;
	mac[4] = random[1];
	mac[5] = random[2];
}

int vif_spec_fill_mac(struct vif_spec *spec)
{
	uint8_t r[3];
	int fd;

	if (spec->mac_given)
		return 0;
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (read(fd, r, sizeof(r)) != (ssize_t)sizeof(r)) {
		close(fd);
		return -1;
	}
	close(fd);
	vif_mac_from_random(spec->mac, r);
	spec->mac_given = true;
	return 0;
}

/* A decimal number at *P (no sign); advances *P. 0, or -1 when absent or too big. */
static int number(const char **p, uint64_t *out)
{
	uint64_t v = 0;

	if (!isdigit((unsigned char)**p))
		return -1;
	while (isdigit((unsigned char)**p)) {
		unsigned int d = (unsigned int)(**p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
		(*p)++;
	}
	*out = v;
	return 0;
}

int vif_rate_parse(const char *s, uint64_t *bytes, uint32_t *usecs, char *err, size_t errlen)
{
	const char *p = s;
	uint64_t rate, mult = 1, interval = VIF_RATE_DEFAULT_USECS, per;
	unsigned int bits = 0;

	if (number(&p, &rate))
		return fail(err, errlen, "rate '%s': expected a number first", s);
	switch (*p) {
	case 'G':
		mult = 1000000000ull;
		p++;
		break;
	case 'M':
		mult = 1000000ull;
		p++;
		break;
	case 'K':
		mult = 1000ull;
		p++;
		break;
	}
	if (*p == 'B')
		bits = 0;
	else if (*p == 'b')
		bits = 1;
	else
		return fail(err, errlen, "rate '%s': the unit is B, KB, MB, GB (bytes) or b, Kb, Mb, Gb (bits)", s);
	p++;
	if (strncmp(p, "/s", 2))
		return fail(err, errlen, "rate '%s': expected '/s' after the unit", s);
	p += 2;
	if (*p == '@') {
		uint64_t imult;

		p++;
		if (number(&p, &interval))
			return fail(err, errlen, "rate '%s': expected an interval after '@'", s);
		if (!strcmp(p, "s"))
			imult = 1000000;
		else if (!strcmp(p, "ms"))
			imult = 1000;
		else if (!strcmp(p, "us"))
			imult = 1;
		else
			return fail(err, errlen, "rate '%s': the interval's unit is s, ms or us", s);
		if (interval > UINT32_MAX / imult)
			return fail(err, errlen, "rate '%s': interval too long", s);
		interval *= imult;
		p += strlen(p);
	}
	if (*p)
		return fail(err, errlen, "rate '%s': unexpected '%s'", s, p);
	if (!interval)
		return fail(err, errlen, "rate '%s': the interval must not be 0", s);
	if (rate && mult > UINT64_MAX / rate)
		return fail(err, errlen, "rate '%s': too large", s);
	rate *= mult;
	if (bits)
		rate /= 8;
	if (!rate)
		return fail(err, errlen, "rate '%s': must be at least 1 byte per second", s);
	if (rate > UINT64_MAX / interval)
		return fail(err, errlen, "rate '%s': too large", s);
	per = rate * interval / 1000000;
	if (!per)
		return fail(err, errlen, "rate '%s': less than one byte per interval", s);
	if (per > UINT32_MAX)
		return fail(err, errlen, "rate '%s': more than 4 GB per interval", s);
	*bytes = per;
	*usecs = (uint32_t)interval;
	return 0;
}

static int copy_value(char *dst, size_t len, const char *key, const char *val,
		      char *err, size_t errlen)
{
	if (!*val)
		return fail(err, errlen, "key '%s': empty value", key);
	if (strlen(val) >= len)
		return fail(err, errlen, "key '%s': longer than %zu characters", key, len - 1);
	strcpy(dst, val);
	return 0;
}

/* An interface name: what Linux takes (no '/', ':', blank). */
static int ifname_ok(const char *s)
{
	for (; *s; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s) || !isprint((unsigned char)*s))
			return 0;
	return 1;
}

static int set_key(struct vif_spec *v, const char *key, const char *val, char *err, size_t errlen)
{
	uint64_t n;
	const char *p = val;

	if (!strcmp(key, "mac")) {
		if (vif_mac_parse(val, v->mac))
			return fail(err, errlen, "key 'mac': '%s' is not a unicast aa:bb:cc:dd:ee:ff", val);
		v->mac_given = true;
		return 0;
	}
	if (!strcmp(key, "bridge") || !strcmp(key, "vifname")) {
		char *dst = key[0] == 'b' ? v->bridge : v->vifname;

		if (copy_value(dst, VIF_SPEC_NAME_MAX, key, val, err, errlen))
			return -1;
		if (!ifname_ok(val))
			return fail(err, errlen, "key '%s': '%s' is not an interface name", key, val);
		return 0;
	}
	if (!strcmp(key, "script"))
		return copy_value(v->script, sizeof(v->script), key, val, err, errlen);
	if (!strcmp(key, "ip"))
		return copy_value(v->ip, sizeof(v->ip), key, val, err, errlen);
	if (!strcmp(key, "rate")) {
		v->has_rate = true;
		return vif_rate_parse(val, &v->rate_bytes, &v->rate_usecs, err, errlen);
	}
	if (!strcmp(key, "devid")) {
		if (number(&p, &n) || *p || n > 65535)
			return fail(err, errlen, "key 'devid': '%s' is not a number 0-65535", val);
		v->devid = (int)n;
		return 0;
	}
	if (!strcmp(key, "mtu")) {
		if (number(&p, &n) || *p || n < 68 || n > 65535)
			return fail(err, errlen, "key 'mtu': '%s' is not a number 68-65535", val);
		v->mtu = (unsigned int)n;
		return 0;
	}
	if (!strcmp(key, "type")) {
		if (strcmp(val, "vif") && strcmp(val, "vif_ioemu") && strcmp(val, "ioemu"))
			return fail(err, errlen, "key 'type': '%s' is not vif or ioemu", val);
		return 0;
	}
	if (!strcmp(key, "model"))
		return 0;	/* an emulated NIC's model: no emulated NICs here */
	if (!strcmp(key, "backend")) {
		if (strcmp(val, "0") && strcmp(val, "Domain-0"))
			return fail(err, errlen, "key 'backend': only dom0 serves vifs, not '%s'", val);
		return 0;
	}
	return fail(err, errlen, "unknown key '%s'", key);
}

int vif_spec_parse(const char *spec, struct vif_spec *out, char *err, size_t errlen)
{
	char buf[SPEC_MAX], *item, *save = NULL;

	memset(out, 0, sizeof(*out));
	out->devid = -1;
	strcpy(out->bridge, VIF_DEFAULT_BRIDGE);
	strcpy(out->script, VIF_DEFAULT_SCRIPT);
	if (strlen(spec) >= sizeof(buf))
		return fail(err, errlen, "longer than %zu characters", sizeof(buf) - 1);
	strcpy(buf, spec);
	for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *eq, *key = item, *end;

		while (isspace((unsigned char)*key))
			key++;
		end = key + strlen(key);
		while (end > key && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (!*key)
			continue;
		eq = strchr(key, '=');
		if (!eq)
			return fail(err, errlen, "'%s' is not key=value", key);
		*eq = '\0';
		if (set_key(out, key, eq + 1, err, errlen))
			return -1;
	}
	return 0;
}
