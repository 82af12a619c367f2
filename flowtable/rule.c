/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rules and masks: the objects the classifier shares between versions.
 *
 * A rule keeps what a spec says, compactly: attributes, the masked key packed
 * to the 64-bit words its mask touches (the mask itself is shared with the
 * subtable), and exactly as many actions as it has, laid out as a prefix of
 * struct vsw_actions so that vsw_ft_rule_actions() can hand out a pointer.
 * A rule with one action and a mask of three words takes about 150 bytes.
 */
#include "ft_impl.h"

#include <errno.h>
#include <stdlib.h>

struct ft_mask *ft_mask_new(const struct vsw_flow_key *mask)
{
	struct ft_mask *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->refcnt = 1;
	memcpy(m->w, mask, sizeof(m->w));
	for (unsigned i = 0; i < FT_KEY_WORDS; i++)
		if (m->w[i])
			m->idx[m->n_words++] = (uint8_t)i;
	m->hash = ft_mask_hash(m->w);
	return m;
}

void ft_mask_put(struct ft_mask *m)
{
	if (m && --m->refcnt == 0)
		free(m);
}

void ft_rule_pack(const struct ft_mask *m, const struct vsw_flow_key *key, uint64_t *out)
{
	for (unsigned i = 0; i < m->n_words; i++)
		out[i] = ft_key_word(key, m->idx[i]) & m->w[m->idx[i]];
}

static struct vsw_actions *rule_acts(const struct vsw_ft_rule *r)
{
	return (struct vsw_actions *)((uintptr_t)r + r->act_off);
}

struct vsw_ft_rule *ft_rule_new(const struct vsw_flow_spec *spec, struct ft_mask *mask,
				uint64_t now_ms)
{
	size_t act_off = offsetof(struct vsw_ft_rule, key) + mask->n_words * sizeof(uint64_t);
	size_t size = act_off + offsetof(struct vsw_actions, a) +
		      spec->actions.n * sizeof(struct vsw_action);
	struct vsw_ft_rule *r = malloc(size);
	struct vsw_actions *acts;

	_Static_assert(offsetof(struct vsw_ft_rule, key) % _Alignof(struct vsw_actions) == 0,
		       "actions follow the key words aligned");
	if (!r)
		return NULL;
	memset(r, 0, act_off);
	r->priority = spec->priority;
	r->n_words = mask->n_words;
	r->table = spec->table;
	atomic_init(&r->n_packets, 0);
	atomic_init(&r->n_bytes, 0);
	atomic_init(&r->used_ms, now_ms);
	r->mask = mask;
	mask->refcnt++;
	r->cookie = spec->cookie;
	r->created_ms = now_ms;
	r->refcnt = 1;
	r->idle_timeout = spec->idle_timeout;
	r->hard_timeout = spec->hard_timeout;
	r->act_off = (uint16_t)act_off;
	r->given = (uint8_t)spec->given;
	ft_rule_pack(mask, &spec->match.key, r->key);
	r->hash_hi = ft_dir_bits(ft_hash_words(r->key, r->n_words));
	acts = rule_acts(r);
	acts->n = spec->actions.n;
	memcpy(acts->a, spec->actions.a, spec->actions.n * sizeof(struct vsw_action));
	return r;
}

struct vsw_ft_rule *ft_rule_remake(const struct vsw_ft_rule *old, const struct vsw_actions *acts,
				   const uint64_t *cookie)
{
	size_t size = old->act_off + offsetof(struct vsw_actions, a) +
		      acts->n * sizeof(struct vsw_action);
	struct vsw_ft_rule *r = malloc(size);
	struct vsw_actions *to;

	if (!r)
		return NULL;
	/* Attributes and key, around the counters (readers may be counting). */
	memcpy(r, old, offsetof(struct vsw_ft_rule, n_packets));
	memcpy(&r->mask, &old->mask, old->act_off - offsetof(struct vsw_ft_rule, mask));
	atomic_init(&r->n_packets, atomic_load_explicit(&old->n_packets, memory_order_relaxed));
	atomic_init(&r->n_bytes, atomic_load_explicit(&old->n_bytes, memory_order_relaxed));
	atomic_init(&r->used_ms, atomic_load_explicit(&old->used_ms, memory_order_relaxed));
	r->refcnt = 1;
	r->mask->refcnt++;
	if (cookie)
		r->cookie = *cookie;
	to = rule_acts(r);
	to->n = acts->n;
	memcpy(to->a, acts->a, acts->n * sizeof(struct vsw_action));
	return r;
}

void ft_rule_put(struct vsw_ft_rule *r)
{
	if (--r->refcnt == 0) {
		ft_mask_put(r->mask);
		free(r);
	}
}

void vsw_ft_rule_get_spec(const struct vsw_ft_rule *r, struct vsw_flow_spec *out)
{
	const struct vsw_actions *acts = rule_acts(r);
	uint64_t key[FT_KEY_WORDS] = { 0 };

	vsw_flow_spec_init(out);
	out->table = r->table;
	out->priority = r->priority;
	out->cookie = r->cookie;
	out->cookie_mask = r->given & VSW_SPEC_COOKIE ? UINT64_MAX : 0;
	out->idle_timeout = r->idle_timeout;
	out->hard_timeout = r->hard_timeout;
	out->given = r->given;
	for (unsigned i = 0; i < r->n_words; i++)
		key[r->mask->idx[i]] = r->key[i];
	memcpy(&out->match.key, key, sizeof(key));
	memcpy(&out->match.mask, r->mask->w, sizeof(r->mask->w));
	out->actions.n = acts->n;
	memcpy(out->actions.a, acts->a, acts->n * sizeof(struct vsw_action));
}

const struct vsw_actions *vsw_ft_rule_actions(const struct vsw_ft_rule *rule)
{
	return rule_acts(rule);
}

uint16_t vsw_ft_rule_priority(const struct vsw_ft_rule *rule)
{
	return rule->priority;
}

uint8_t vsw_ft_rule_table(const struct vsw_ft_rule *rule)
{
	return rule->table;
}

uint64_t vsw_ft_rule_cookie(const struct vsw_ft_rule *rule)
{
	return rule->cookie;
}

void vsw_ft_rule_hit(const struct vsw_ft_rule *rule, uint32_t packets, uint64_t bytes,
		     uint64_t now_ms)
{
	/* The counters are the one mutable part of a rule (allocated non-const). */
	struct vsw_ft_rule *r = (struct vsw_ft_rule *)rule;

	atomic_fetch_add_explicit(&r->n_packets, packets, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->n_bytes, bytes, memory_order_relaxed);
	atomic_store_explicit(&r->used_ms, now_ms, memory_order_relaxed);
}

void vsw_ft_rule_stats(const struct vsw_ft_rule *rule, struct vsw_ft_rule_stats *st)
{
	st->n_packets = atomic_load_explicit(&rule->n_packets, memory_order_relaxed);
	st->n_bytes = atomic_load_explicit(&rule->n_bytes, memory_order_relaxed);
	st->created_ms = rule->created_ms;
	st->used_ms = atomic_load_explicit(&rule->used_ms, memory_order_relaxed);
}
