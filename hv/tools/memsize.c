// SPDX-License-Identifier: GPL-2.0-only
/* memsize.c: parsing of hv mem-set / mem-max sizes, and the safe floor. */
#include <ctype.h>
#include <strings.h>

#include "tools/memsize.h"

int memsize_parse_kib(const char *s, uint64_t *kib, const char **why)
{
	uint64_t v = 0, shift = 10;	/* MiB in KiB */
	const char *p = s;

	if (!s || !isdigit((unsigned char)*p)) {
		*why = "not a size (digits, then an optional k, m or g)";
		return -1;
	}
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (MEMSIZE_MAX_KIB - (uint64_t)(*p - '0')) / 10) {
			*why = "too large";
			return -1;
		}
		v = v * 10 + (uint64_t)(*p - '0');
	}
	switch (tolower((unsigned char)*p)) {
	case 0:
		break;
	case 'k':
		shift = 0;
		p++;
		break;
	case 'm':
		p++;
		break;
	case 'g':
		shift = 20;
		p++;
		break;
	default:
		*why = "unknown unit (k, m or g)";
		return -1;
	}
	if (*p && strcasecmp(p, "b") && strcasecmp(p, "ib")) {
		*why = "unknown unit (k, m or g)";
		return -1;
	}
	if (v > MEMSIZE_MAX_KIB >> shift) {
		*why = "too large";
		return -1;
	}
	*kib = v << shift;
	return 0;
}

uint64_t memsize_safe_floor_kib(uint64_t maxmem_kib)
{
	return (64ULL << 10) + maxmem_kib / 32;
}
