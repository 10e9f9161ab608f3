/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hash.h: the Toeplitz hash netif's control ring selects
 * (XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ), and the checks on the
 * control messages' table offsets, as pure logic: tests/unit/vif_spec_test.c
 * runs it on the host with the RSS specification's test vectors.
 */
#ifndef NETBACK_HASH_H
#define NETBACK_HASH_H

#define NETBK_HASH_KEY_MAX	40	/* bytes: the key RSS defines */
#define NETBK_HASH_MAP_MAX	128	/* mapping table entries */

/* The 32 key bits starting at bit @bit (key bits past the end are 0). */
static inline u32 netbk_key_window(const u8 *key, unsigned int keylen, unsigned int bit)
{
	u64 v = 0;
	unsigned int j;

	for (j = 0; j < 5; j++) {
		unsigned int idx = bit / 8 + j;

		v = v << 8 | (idx < keylen ? key[idx] : 0);
	}
	return (u32)(v >> (8 - bit % 8));
}

/* Toeplitz: XOR of the key windows at every set bit of the input. */
static inline u32 netbk_toeplitz(const u8 *key, unsigned int keylen, const u8 *in,
				 unsigned int len)
{
	unsigned int i, b;
	u32 hash = 0;

	for (i = 0; i < len; i++)
		for (b = 0; b < 8; b++)
			if (in[i] & (0x80 >> b))
				hash ^= netbk_key_window(key, keylen, i * 8 + b);
	return hash;
}

/*
 * SET_HASH_MAPPING: @len entries at entry @off of a table of @size
 * entries, from one page. True if it fits (no u32 wrap-around).
 */
static inline bool netbk_mapping_fits(u32 off, u32 len, u32 size, u32 page_size)
{
	return len <= page_size / sizeof(u32) && off <= size && len <= size - off;
}

#endif /* NETBACK_HASH_H */
