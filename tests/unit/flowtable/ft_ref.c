/* SPDX-License-Identifier: BSD-3-Clause */
/* The brute-force reference and the random generators: see ft_ref.h. */
#include "ft_ref.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		perror("realloc");
		abort();
	}
	return p;
}

void ft_ref_init(struct ft_ref *ref)
{
	memset(ref, 0, sizeof(*ref));
	ref->sorted = true;
}

void ft_ref_free(struct ft_ref *ref)
{
	for (size_t i = 0; i < ref->n; i++)
		free(ref->r[i]);
	free(ref->r);
	memset(ref, 0, sizeof(*ref));
}

void ft_ref_copy(struct ft_ref *dst, const struct ft_ref *src)
{
	*dst = *src;
	dst->cap = src->n ? src->n : 1;
	dst->r = xrealloc(NULL, dst->cap * sizeof(dst->r[0]));
	for (size_t i = 0; i < src->n; i++) {
		dst->r[i] = xrealloc(NULL, sizeof(*dst->r[i]));
		*dst->r[i] = *src->r[i];
	}
}

static void normalize(struct vsw_flow_spec *s)
{
	uint8_t *k = (uint8_t *)&s->match.key;
	const uint8_t *m = (const uint8_t *)&s->match.mask;

	for (size_t i = 0; i < sizeof(s->match.key); i++)
		k[i] &= m[i];
}

void ft_ref_add(struct ft_ref *ref, const struct vsw_flow_spec *spec, bool unique)
{
	struct ft_ref_rule *r;

	if (!unique) {
		struct vsw_flow_spec s = *spec;

		normalize(&s);
		for (size_t i = 0; i < ref->n; i++) {
			if (vsw_flow_spec_same_rule(&ref->r[i]->spec, &s)) {
				ref->r[i]->spec = s;
				return;
			}
		}
	}
	if (ref->n == ref->cap) {
		ref->cap = ref->cap ? ref->cap * 2 : 64;
		ref->r = xrealloc(ref->r, ref->cap * sizeof(ref->r[0]));
	}
	r = xrealloc(NULL, sizeof(*r));
	r->spec = *spec;
	normalize(&r->spec);
	r->seq = ref->seq++;
	ref->r[ref->n++] = r;
	ref->sorted = false;
}

int ft_ref_del(struct ft_ref *ref, const struct vsw_flow_spec *filter, bool strict)
{
	size_t kept = 0;
	int removed = 0;

	for (size_t i = 0; i < ref->n; i++) {
		if (vsw_flow_spec_selects(filter, &ref->r[i]->spec, strict)) {
			free(ref->r[i]);
			removed++;
		} else {
			ref->r[kept++] = ref->r[i];
		}
	}
	ref->n = kept;
	return removed;
}

int ft_ref_mod(struct ft_ref *ref, const struct vsw_flow_spec *filter, bool strict,
	       const struct vsw_actions *actions, const uint64_t *cookie)
{
	int n = 0;

	for (size_t i = 0; i < ref->n; i++) {
		struct vsw_flow_spec *s = &ref->r[i]->spec;

		if (!vsw_flow_spec_selects(filter, s, strict))
			continue;
		s->actions = *actions;
		if (cookie)
			s->cookie = *cookie;
		n++;
	}
	return n;
}

static int order(const void *a, const void *b)
{
	const struct ft_ref_rule *x = *(const struct ft_ref_rule *const *)a;
	const struct ft_ref_rule *y = *(const struct ft_ref_rule *const *)b;

	if (x->spec.table != y->spec.table)
		return x->spec.table < y->spec.table ? -1 : 1;
	if (x->spec.priority != y->spec.priority)
		return x->spec.priority > y->spec.priority ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void ft_ref_sort(struct ft_ref *ref)
{
	if (ref->sorted)
		return; /* and writes nothing: readers share a sorted reference */
	qsort(ref->r, ref->n, sizeof(ref->r[0]), order);
	ref->sorted = true;
}

const struct ft_ref_rule *ft_ref_lookup(struct ft_ref *ref, uint8_t table,
					const struct vsw_flow_key *key)
{
	ft_ref_sort(ref);
	for (size_t i = 0; i < ref->n; i++) {
		const struct ft_ref_rule *r = ref->r[i];

		if (r->spec.table == table && vsw_match_hit(&r->spec.match, key))
			return r; /* the first in lookup order wins */
	}
	return NULL;
}

size_t ft_ref_table_count(const struct ft_ref *ref, uint8_t table)
{
	size_t n = 0;

	for (size_t i = 0; i < ref->n; i++)
		n += ref->r[i]->spec.table == table;
	return n;
}

uint32_t ft_rnd(struct ft_rng *g, uint32_t n)
{
	g->s ^= g->s << 13;
	g->s ^= g->s >> 7;
	g->s ^= g->s << 17;
	return (uint32_t)((g->s >> 11) % n);
}

/* The fields the generators use, by position in the key. */
struct gfield {
	size_t off, len;
};
#define GF(f) { offsetof(struct vsw_flow_key, f), sizeof(((struct vsw_flow_key *)0)->f) }
static const struct gfield FIELDS[] = {
	GF(tun_id), GF(tun_src), GF(tun_dst), GF(metadata), GF(regs[0]), GF(regs[5]), GF(in_port), GF(dl_dst), GF(dl_src),
	GF(dl_type), GF(vlan_tci), GF(nw_src), GF(nw_dst), GF(ipv6_src), GF(ipv6_dst),
	GF(nw_proto), GF(nw_tos), GF(nw_ttl), GF(tp_src), GF(tp_dst),
};
#define N_FIELDS (sizeof(FIELDS) / sizeof(FIELDS[0]))

/*
 * Values: the last two bytes of a field vary over a tiny alphabet, the rest
 * is a constant, so that rules overlap and random keys hit them.
 */
static uint8_t value_byte(struct ft_rng *g, size_t i, size_t len)
{
	static const uint8_t ALPHA[] = { 0x00, 0x01, 0x02, 0x81 };

	return i + 2 >= len ? ALPHA[ft_rnd(g, 4)] : (uint8_t)(0x0a + i);
}

static void random_mask(struct ft_rng *g, struct vsw_flow_key *m)
{
	static const uint8_t PARTIAL[] = { 0xff, 0x01, 0x80, 0x03, 0xf0 };
	unsigned n = ft_rnd(g, 9) == 0 ? 0 : 1 + ft_rnd(g, 4);

	memset(m, 0, sizeof(*m));
	for (unsigned k = 0; k < n; k++) {
		const struct gfield *f = &FIELDS[ft_rnd(g, N_FIELDS)];
		uint8_t *p = (uint8_t *)m + f->off;
		bool partial = ft_rnd(g, 5) < 2;

		for (size_t i = 0; i < f->len; i++)
			p[i] = !partial ? 0xff
			       : i + 2 >= f->len ? PARTIAL[ft_rnd(g, 5)]
			       : ft_rnd(g, 2) ? 0xff : 0x00;
	}
}

void ft_gen_init(struct ft_gen *g, uint64_t seed, unsigned n_masks, unsigned n_tables,
		 bool wide_prios)
{
	memset(g, 0, sizeof(*g));
	g->rng.s = seed * 0x9e3779b97f4a7c15ull + 1;
	g->n_masks = n_masks < 1 ? 1 : n_masks > 64 ? 64 : n_masks;
	g->n_tables = n_tables ? n_tables : 1;
	g->wide_prios = wide_prios;
	for (unsigned i = 0; i < g->n_masks; i++)
		random_mask(&g->rng, &g->masks[i]);
}

static void random_values(struct ft_rng *g, struct vsw_flow_key *k)
{
	memset(k, 0, sizeof(*k));
	for (size_t f = 0; f < N_FIELDS; f++) {
		uint8_t *p = (uint8_t *)k + FIELDS[f].off;

		for (size_t i = 0; i < FIELDS[f].len; i++)
			p[i] = value_byte(g, i, FIELDS[f].len);
	}
}

static uint16_t random_prio(struct ft_gen *g)
{
	static const uint16_t FEW[] = { 0, 1, 7, 100, 100, 100, 32768, 32768, 65535 };

	return g->wide_prios ? (uint16_t)ft_rnd(&g->rng, 65536)
			     : FEW[ft_rnd(&g->rng, sizeof(FEW) / sizeof(FEW[0]))];
}

void ft_gen_rule(struct ft_gen *g, struct vsw_flow_spec *s)
{
	vsw_flow_spec_init(s);
	s->table = (uint8_t)ft_rnd(&g->rng, g->n_tables);
	s->priority = random_prio(g);
	s->cookie = ++g->cookie; /* identifies the install */
	s->cookie_mask = UINT64_MAX;
	s->given = VSW_SPEC_COOKIE | VSW_SPEC_ACTIONS;
	s->idle_timeout = (uint16_t)ft_rnd(&g->rng, 3);
	s->hard_timeout = (uint16_t)ft_rnd(&g->rng, 3) * 10;
	s->match.mask = g->masks[ft_rnd(&g->rng, g->n_masks)];
	random_values(&g->rng, &s->match.key);
	s->actions.n = (uint8_t)ft_rnd(&g->rng, 4);
	for (unsigned i = 0; i < s->actions.n; i++) {
		s->actions.a[i].type = VSW_ACT_OUTPUT;
		s->actions.a[i].arg = 1 + ft_rnd(&g->rng, 8);
	}
	normalize(s);
}

void ft_gen_filter(struct ft_gen *g, const struct ft_ref *ref, bool strict,
		   struct vsw_flow_spec *f)
{
	vsw_flow_spec_init(f);
	if (ref->n && ft_rnd(&g->rng, 4)) {
		const struct vsw_flow_spec *r = &ref->r[ft_rnd(&g->rng, (uint32_t)ref->n)]->spec;

		f->table = r->table;
		f->priority = r->priority;
		f->match = r->match;
		if (!strict) { /* a coarser match: drop some mask bytes */
			uint8_t *m = (uint8_t *)&f->match.mask;

			for (size_t i = 0; i < sizeof(f->match.mask); i++)
				if (m[i] && ft_rnd(&g->rng, 2))
					m[i] = 0;
		}
	} else {
		f->table = (uint8_t)ft_rnd(&g->rng, g->n_tables);
		f->priority = random_prio(g);
		f->match.mask = g->masks[ft_rnd(&g->rng, g->n_masks)];
		random_values(&g->rng, &f->match.key);
	}
	if (ft_rnd(&g->rng, 3))
		f->given |= VSW_SPEC_TABLE;
	switch (ft_rnd(&g->rng, 6)) {
	case 0: /* a cookie: some rule's, or nobody's */
		f->cookie = 1 + ft_rnd(&g->rng, (uint32_t)g->cookie + 1);
		f->cookie_mask = UINT64_MAX;
		break;
	case 1: /* cookie=V/M */
		f->cookie_mask = 0x3;
		f->cookie = ft_rnd(&g->rng, 4);
		break;
	}
	normalize(f);
}

void ft_gen_key(struct ft_gen *g, const struct ft_ref *ref, struct vsw_flow_key *key)
{
	random_values(&g->rng, key);
	if (ref->n && ft_rnd(&g->rng, 2)) {
		const struct vsw_match *m = &ref->r[ft_rnd(&g->rng, (uint32_t)ref->n)]->spec.match;
		uint8_t *k = (uint8_t *)key;
		const uint8_t *rk = (const uint8_t *)&m->key, *rm = (const uint8_t *)&m->mask;

		for (size_t i = 0; i < sizeof(*key); i++)
			k[i] = (uint8_t)((k[i] & ~rm[i]) | rk[i]);
	}
	key->pad0 = 0;
	key->pad1 = 0;
}

bool ft_ref_same(const struct vsw_flow_spec *want, const struct vsw_flow_spec *got)
{
	return want->table == got->table && want->priority == got->priority &&
	       want->cookie == got->cookie && want->idle_timeout == got->idle_timeout &&
	       want->hard_timeout == got->hard_timeout &&
	       !memcmp(&want->match, &got->match, sizeof(want->match)) &&
	       want->actions.n == got->actions.n &&
	       !memcmp(want->actions.a, got->actions.a, want->actions.n * sizeof(want->actions.a[0]));
}
