/* SPDX-License-Identifier: BSD-3-Clause */
/* Packet key extraction and match predicates: see flow.h. */
#include "flow.h"

#include <errno.h>
#include <string.h>

#define ETH_HLEN 14
#define VLAN_HLEN 4
#define ETH_TYPE_VLAN 0x8100
#define ETH_TYPE_QINQ 0x88a8

_Static_assert(sizeof(struct vsw_match) == 2 * sizeof(struct vsw_flow_key),
	       "match must not have padding: it is compared with memcmp");

/* The key as words, so that masking and comparing need no per-field code. */
#define KEY_WORDS (sizeof(struct vsw_flow_key) / sizeof(uint32_t))
_Static_assert(sizeof(struct vsw_flow_key) % sizeof(uint32_t) == 0, "key is whole words");

void vsw_flow_spec_init(struct vsw_flow_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->priority = VSW_FT_DEFAULT_PRIORITY;
}

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

int vsw_flow_extract(const void *frame, size_t len, uint32_t in_port,
		     struct vsw_flow_key *key)
{
	const uint8_t *p = frame;
	uint16_t type;

	memset(key, 0, sizeof(*key));
	key->in_port = in_port;
	if (!p || len < ETH_HLEN)
		return -EINVAL;
	memcpy(key->dl_dst, p, VSW_ETH_ALEN);
	memcpy(key->dl_src, p + VSW_ETH_ALEN, VSW_ETH_ALEN);
	type = get_be16(p + 2 * VSW_ETH_ALEN);
	if (type == ETH_TYPE_VLAN || type == ETH_TYPE_QINQ) {
		if (len < ETH_HLEN + VLAN_HLEN)
			return -EINVAL;
		/* The CFI bit of the key means "tagged", whatever the wire said. */
		key->vlan_tci = get_be16(p + ETH_HLEN) | VSW_VLAN_CFI;
		type = get_be16(p + ETH_HLEN + 2);
	}
	key->dl_type = type;
	return 0;
}

static void key_words(const struct vsw_flow_key *key, uint32_t w[KEY_WORDS])
{
	memcpy(w, key, sizeof(*key));
}

bool vsw_match_hit(const struct vsw_match *match, const struct vsw_flow_key *key)
{
	uint32_t k[KEY_WORDS], mk[KEY_WORDS], mm[KEY_WORDS];
	uint32_t diff = 0;

	key_words(key, k);
	key_words(&match->key, mk);
	key_words(&match->mask, mm);
	for (size_t i = 0; i < KEY_WORDS; i++)
		diff |= (k[i] & mm[i]) ^ mk[i];
	return diff == 0;
}

bool vsw_flow_spec_same_rule(const struct vsw_flow_spec *a, const struct vsw_flow_spec *b)
{
	return a->table == b->table && a->priority == b->priority &&
	       memcmp(&a->match, &b->match, sizeof(a->match)) == 0;
}

bool vsw_flow_spec_selects(const struct vsw_flow_spec *f, const struct vsw_flow_spec *r,
			   bool strict)
{
	uint32_t fk[KEY_WORDS], fm[KEY_WORDS], rk[KEY_WORDS], rm[KEY_WORDS];

	if ((f->given & VSW_SPEC_TABLE) && f->table != r->table)
		return false;
	if ((r->cookie & f->cookie_mask) != (f->cookie & f->cookie_mask))
		return false;
	if (strict && f->priority != r->priority)
		return false;
	key_words(&f->match.key, fk);
	key_words(&f->match.mask, fm);
	key_words(&r->match.key, rk);
	key_words(&r->match.mask, rm);
	for (size_t i = 0; i < KEY_WORDS; i++) {
		if ((rm[i] & fm[i]) != fm[i] || (rk[i] & fm[i]) != (fk[i] & fm[i]))
			return false;
		if (strict && rm[i] != fm[i])
			return false;
	}
	return true;
}
