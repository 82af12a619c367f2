/* SPDX-License-Identifier: BSD-3-Clause */
/* Match predicates and spec helpers: see flow.h (extraction: extract.c). */
#include "flow.h"

#include <errno.h>
#include <string.h>

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
