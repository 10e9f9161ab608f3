/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bdf.h: PCI addresses as users write them ("0000:00:1a.1", "00:1a.7",
 * "00:1a.*") and pciback's hide= list ("(0000:00:1a.1)(00:1a.7)"): pure
 * parsing, shared by pciback, the hv toolstack and the host unit tests.
 */
#ifndef PCIBACK_BDF_H
#define PCIBACK_BDF_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#endif

#define PCIBACK_BDF_ANY		(-1)	/* a wildcard slot or function */
#define PCIBACK_BDF_STRLEN	13	/* "DDDD:BB:SS.F" and the NUL */

struct pciback_bdf {
	int domain;		/* 0..0xffff */
	int bus;		/* 0..0xff */
	int slot;		/* 0..0x1f, or PCIBACK_BDF_ANY */
	int func;		/* 0..7, or PCIBACK_BDF_ANY */
};

static inline int pciback_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One hex field of 1..@maxdigits digits at *@p, at most @max; -1 if none. */
static inline int pciback_hexfield(const char **p, const char *end,
				   int maxdigits, int max)
{
	int v = 0, n = 0, d;

	while (*p < end && n < maxdigits + 1 && (d = pciback_hexval(**p)) >= 0) {
		v = v * 16 + d;
		(*p)++;
		n++;
	}
	if (n == 0 || n > maxdigits || v > max)
		return -1;
	return v;
}

/*
 * Parse a BDF in [@s, @s + @len): "DDDD:BB:SS.F" or "BB:SS.F" (domain 0),
 * hex digits; with @wildcards, "*" may stand for the slot or the function.
 * Stops at the first character after the function; *@endp says where.
 * Returns 0, or -1 for anything malformed or out of range.
 */
static inline int pciback_parse_bdf(const char *s, size_t len, bool wildcards,
				    struct pciback_bdf *out, const char **endp)
{
	const char *p = s, *end = s + len, *q;
	int a, b;

	/* The first field is the domain if a second colon follows. */
	a = pciback_hexfield(&p, end, 4, 0xffff);
	if (a < 0 || p >= end || *p != ':')
		return -1;
	p++;
	q = p;
	b = pciback_hexfield(&q, end, 2, 0xff);
	if (b >= 0 && q < end && *q == ':') {
		if (p - s > 5)
			return -1;
		out->domain = a;
		out->bus = b;
		p = q + 1;
	} else {
		if (a > 0xff || p - s > 3)
			return -1;
		out->domain = 0;
		out->bus = a;
	}
	if (wildcards && p < end && *p == '*') {
		out->slot = PCIBACK_BDF_ANY;
		p++;
	} else {
		out->slot = pciback_hexfield(&p, end, 2, 0x1f);
		if (out->slot < 0)
			return -1;
	}
	if (p >= end || *p != '.')
		return -1;
	p++;
	if (wildcards && p < end && *p == '*') {
		out->func = PCIBACK_BDF_ANY;
		p++;
	} else {
		out->func = pciback_hexfield(&p, end, 1, 7);
		if (out->func < 0)
			return -1;
	}
	if (endp)
		*endp = p;
	return 0;
}

/* A whole string is one BDF, with nothing but a trailing newline after it. */
static inline int pciback_parse_bdf_str(const char *s, size_t len, bool wildcards,
					struct pciback_bdf *out)
{
	const char *end;

	while (len && (s[len - 1] == '\n' || s[len - 1] == ' '))
		len--;
	if (pciback_parse_bdf(s, len, wildcards, out, &end))
		return -1;
	return end == s + len ? 0 : -1;
}

/*
 * The hide= list: "(BDF)(BDF)...", blanks allowed between entries. Calls
 * @add for each entry in order; returns the number of entries, or -1 with
 * *@bad_at set to the offset of the first malformed entry (entries before
 * it were already passed to @add), or @add's negative result.
 */
static inline int pciback_parse_hide(const char *s, size_t len,
				     int (*add)(const struct pciback_bdf *bdf,
						void *arg),
				     void *arg, size_t *bad_at)
{
	const char *p = s, *end = s + len, *after;
	struct pciback_bdf bdf;
	int n = 0, err;

	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
				   *p == ','))
			p++;
		if (p >= end || !*p)
			return n;
		if (*p != '(' ||
		    pciback_parse_bdf(p + 1, (size_t)(end - p - 1), true, &bdf,
				      &after) ||
		    after >= end || *after != ')') {
			if (bad_at)
				*bad_at = (size_t)(p - s);
			return -1;
		}
		err = add(&bdf, arg);
		if (err < 0)
			return err;
		n++;
		p = after + 1;
	}
}

/* Does @pat (wildcards allowed) name the function @d:@b:@s.@f? */
static inline bool pciback_bdf_match(const struct pciback_bdf *pat, int d,
				     int b, int s, int f)
{
	return pat->domain == d && pat->bus == b &&
	       (pat->slot == PCIBACK_BDF_ANY || pat->slot == s) &&
	       (pat->func == PCIBACK_BDF_ANY || pat->func == f);
}

#endif /* PCIBACK_BDF_H */
