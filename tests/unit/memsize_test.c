// SPDX-License-Identifier: GPL-2.0-only
/* memsize_test.c: sizes for hv mem-set / mem-max (hv/tools/memsize.c). */
#include <string.h>
#include "unit.h"
#include "tools/memsize.h"

static uint64_t kib(const char *s)
{
	const char *why = NULL;
	uint64_t v = 12345;

	return memsize_parse_kib(s, &v, &why) ? ~0ULL : v;
}

static int refused(const char *s)
{
	const char *why = NULL;
	uint64_t v = 777;

	return memsize_parse_kib(s, &v, &why) == -1 && why && why[0] && v == 777;
}

static void plain_numbers_are_mib(void)
{
	EXPECT(kib("112") == 112 << 10);
	EXPECT(kib("0") == 0);
	EXPECT(kib("512") == 512 << 10);
}

static void suffixes(void)
{
	EXPECT(kib("112m") == 112 << 10);
	EXPECT(kib("112M") == 112 << 10);
	EXPECT(kib("1g") == 1 << 20);
	EXPECT(kib("1G") == 1 << 20);
	EXPECT(kib("1GiB") == 1 << 20);
	EXPECT(kib("256MB") == 256 << 10);
	EXPECT(kib("4096k") == 4096);
	EXPECT(kib("4096K") == 4096);
}

static void bad_sizes(void)
{
	EXPECT(refused(""));
	EXPECT(refused("-1"));
	EXPECT(refused("-256"));
	EXPECT(refused("+256"));
	EXPECT(refused(" 256"));
	EXPECT(refused("256 "));
	EXPECT(refused("lots"));
	EXPECT(refused("1.5g"));
	EXPECT(refused("12x"));
	EXPECT(refused("1gg"));
	EXPECT(refused("0x100"));
	EXPECT(refused(NULL));
}

static void huge_sizes(void)
{
	EXPECT(refused("99999999999999999999999999"));
	EXPECT(refused("18446744073709551616"));
	EXPECT(refused("18446744073709551615k"));
	EXPECT(refused("1099511627777k"));
	EXPECT(kib("1099511627776k") == 1ULL << 40);
	EXPECT(kib("1048576g") == 1ULL << 40);
	EXPECT(refused("1048577g"));
	EXPECT(refused("1073741825"));
}

static void safe_floor(void)
{
	EXPECT(memsize_safe_floor_kib(512 << 10) == (64 << 10) + (16 << 10));
	EXPECT(memsize_safe_floor_kib(0) == 64 << 10);
	EXPECT(memsize_safe_floor_kib(256 << 10) < 256 << 10);
}

int main(void)
{
	RUN(plain_numbers_are_mib);
	RUN(suffixes);
	RUN(bad_sizes);
	RUN(huge_sizes);
	RUN(safe_floor);
	return UNIT_EXIT();
}
