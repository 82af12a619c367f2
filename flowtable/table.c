/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The flow table's writer side: versions, tables, adding and deleting rules,
 * iteration. The lookup is in classify.c, the per-mask hash in subtable.c.
 *
 * A version (struct vsw_ft) owns per table an array of subtables in lookup
 * order; the subtables themselves are shared copy-on-write with the versions
 * it was cloned from or to (ft_impl.h). So a clone copies 255 small arrays
 * and bumps the subtables' counts; a change to one rule then copies the
 * subtable's header and directory and the one segment it lands in.
 *
 * Every change to a table gives it a new generation number, unique in the
 * process (cache.c validates its entries against it).
 */
#include "ft_impl.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

struct ft_listing {
	size_t n;
	const struct vsw_ft_rule *r[];
};

static _Atomic uint64_t next_gen = 1;

/* A table is about to change: new generation, and the listing is stale. */
static void touch(struct vsw_ft *ft, struct ft_table *tbl)
{
	tbl->gen = atomic_fetch_add_explicit(&next_gen, 1, memory_order_relaxed);
	free(atomic_exchange_explicit(&ft->listing, NULL, memory_order_relaxed));
}

/* The union of the subtables' masks (struct ft_table), after a change. */
static void unite(struct ft_table *tbl)
{
	uint64_t u[FT_KEY_WORDS] = { 0 };

	for (uint32_t i = 0; i < tbl->n_subs; i++)
		for (unsigned w = 0; w < FT_KEY_WORDS; w++)
			u[w] |= tbl->subs[i]->mask->w[w];
	tbl->u_words = 0;
	for (unsigned w = 0; w < FT_KEY_WORDS; w++) {
		if (!u[w])
			continue;
		tbl->u_idx[tbl->u_words] = (uint8_t)w;
		tbl->u_mw[tbl->u_words++] = u[w];
	}
	/* Metadata: the key's bytes before dl_dst (tunnel, metadata, regs, in_port). */
	tbl->meta_only = tbl->n_subs > 0;
	for (size_t b = offsetof(struct vsw_flow_key, dl_dst); b < sizeof(u); b++)
		if (((const uint8_t *)u)[b])
			tbl->meta_only = false;
}

bool vsw_ft_table_meta_only(const struct vsw_ft *ft, uint8_t table)
{
	return table < VSW_FT_N_TABLES && ft->t[table].meta_only;
}

/* Lookup order: max priority, highest first; then oldest rule first. */
static bool sub_before(const struct ft_sub *a, const struct ft_sub *b)
{
	return a->max_prio > b->max_prio ||
	       (a->max_prio == b->max_prio && a->min_seq < b->min_seq);
}

/* Move subs[i] to its place after its bounds changed; drop it when empty. */
static void reposition(struct ft_table *tbl, uint32_t i)
{
	struct ft_sub *s = tbl->subs[i];

	if (!s->n_rules) {
		ft_sub_put(s);
		memmove(&tbl->subs[i], &tbl->subs[i + 1], (tbl->n_subs - i - 1) * sizeof(s));
		tbl->n_subs--;
		return;
	}
	while (i > 0 && sub_before(s, tbl->subs[i - 1])) {
		tbl->subs[i] = tbl->subs[i - 1];
		i--;
	}
	while (i + 1 < tbl->n_subs && sub_before(tbl->subs[i + 1], s)) {
		tbl->subs[i] = tbl->subs[i + 1];
		i++;
	}
	tbl->subs[i] = s;
}

static int find_sub(const struct ft_table *tbl, const uint64_t *mw, uint64_t hash)
{
	for (uint32_t i = 0; i < tbl->n_subs; i++) {
		const struct ft_mask *m = tbl->subs[i]->mask;

		if (m->hash == hash && !memcmp(m->w, mw, sizeof(m->w)))
			return (int)i;
	}
	return -1;
}

/* Make subs[i] ours, copying it if another version shares it. */
static struct ft_sub *own_sub(struct ft_table *tbl, uint32_t i)
{
	struct ft_sub *s = tbl->subs[i], *c;

	if (s->refcnt == 1)
		return s;
	c = ft_sub_copy(s);
	if (!c)
		return NULL;
	s->refcnt--;
	tbl->subs[i] = c;
	return c;
}

static int add_sub(struct ft_table *tbl, const struct vsw_flow_key *mask)
{
	struct ft_mask *m;
	struct ft_sub *s;

	if (tbl->n_subs == tbl->cap_subs) {
		uint32_t cap = tbl->cap_subs ? tbl->cap_subs * 2 : 4;
		struct ft_sub **subs = realloc(tbl->subs, cap * sizeof(*subs));

		if (!subs)
			return -ENOMEM;
		tbl->subs = subs;
		tbl->cap_subs = cap;
	}
	m = ft_mask_new(mask);
	if (!m)
		return -ENOMEM;
	s = ft_sub_new(m);
	ft_mask_put(m);
	if (!s)
		return -ENOMEM;
	tbl->subs[tbl->n_subs] = s;
	return (int)tbl->n_subs++;
}

struct vsw_ft *vsw_ft_create(void)
{
	struct vsw_ft *ft = calloc(1, sizeof(*ft));

	if (!ft) {
		errno = ENOMEM;
		return NULL;
	}
	atomic_init(&ft->listing, NULL);
	return ft;
}

void vsw_ft_destroy(struct vsw_ft *ft)
{
	if (!ft)
		return;
	for (size_t t = 0; t < VSW_FT_N_TABLES; t++) {
		for (uint32_t i = 0; i < ft->t[t].n_subs; i++)
			ft_sub_put(ft->t[t].subs[i]);
		free(ft->t[t].subs);
	}
	free(atomic_load_explicit(&ft->listing, memory_order_relaxed));
	free(ft);
}

struct vsw_ft *vsw_ft_clone(const struct vsw_ft *src)
{
	struct vsw_ft *ft;

	if (!src) {
		errno = EINVAL;
		return NULL;
	}
	ft = vsw_ft_create();
	if (!ft)
		return NULL;
	for (size_t t = 0; t < VSW_FT_N_TABLES; t++) {
		const struct ft_table *from = &src->t[t];
		struct ft_table *to = &ft->t[t];

		to->gen = from->gen; /* same rules: cache entries stay good */
		to->u_words = from->u_words;
		to->meta_only = from->meta_only;
		memcpy(to->u_idx, from->u_idx, sizeof(to->u_idx));
		memcpy(to->u_mw, from->u_mw, sizeof(to->u_mw));
		if (!from->n_subs)
			continue;
		to->subs = malloc(from->n_subs * sizeof(*to->subs));
		if (!to->subs)
			goto err_destroy;
		memcpy(to->subs, from->subs, from->n_subs * sizeof(*to->subs));
		to->n_subs = to->cap_subs = from->n_subs;
		to->n_rules = from->n_rules;
		for (uint32_t i = 0; i < to->n_subs; i++)
			to->subs[i]->refcnt++;
	}
	ft->n_rules = src->n_rules;
	ft->next_seq = src->next_seq;
	return ft;

err_destroy:
	vsw_ft_destroy(ft);
	errno = ENOMEM;
	return NULL;
}

int vsw_ft_add(struct vsw_ft *ft, const struct vsw_flow_spec *spec, uint64_t now_ms)
{
	uint64_t mw[FT_KEY_WORDS];
	struct vsw_ft_rule *r, *old;
	struct ft_table *tbl;
	struct ft_sub *s;
	int i, rc;

	if (!ft || !spec || spec->table >= VSW_FT_N_TABLES || spec->actions.n > VSW_MAX_ACTIONS)
		return -EINVAL;
	tbl = &ft->t[spec->table];
	touch(ft, tbl);
	memcpy(mw, &spec->match.mask, sizeof(mw));
	i = find_sub(tbl, mw, ft_mask_hash(mw));
	if (i < 0) {
		i = add_sub(tbl, &spec->match.mask);
		if (i < 0)
			return i;
	}
	s = own_sub(tbl, (uint32_t)i);
	if (!s)
		return -ENOMEM;
	r = ft_rule_new(spec, s->mask, now_ms);
	if (!r) {
		rc = -ENOMEM;
		goto out_place;
	}
	r->seq = ft->next_seq++;
	rc = ft_sub_insert(s, r, &old);
	if (rc) {
		ft_rule_put(r);
		goto out_place;
	}
	if (old) {
		ft_rule_put(old);
	} else {
		tbl->n_rules++;
		ft->n_rules++;
	}
out_place:
	reposition(tbl, (uint32_t)i);
	unite(tbl);
	return rc;
}

/* What a filter selects, packed to one subtable's words. */
struct del_ctx {
	const struct vsw_flow_spec *f;
	uint64_t fm[FT_KEY_WORDS], fk[FT_KEY_WORDS]; /* packed to the subtable */
	unsigned n_words;
	struct vsw_ft_rule **victims;
	size_t n, cap;
	int err;
};

static bool cookie_ok(const struct vsw_flow_spec *f, const struct vsw_ft_rule *r)
{
	return (r->cookie & f->cookie_mask) == (f->cookie & f->cookie_mask);
}

static void collect(void *arg, struct vsw_ft_rule *r)
{
	struct del_ctx *c = arg;

	if (!cookie_ok(c->f, r))
		return;
	for (unsigned k = 0; k < c->n_words; k++)
		if ((r->key[k] & c->fm[k]) != c->fk[k])
			return;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct vsw_ft_rule **v = realloc(c->victims, cap * sizeof(*v));

		if (!v) {
			c->err = -ENOMEM;
			return;
		}
		c->victims = v;
		c->cap = cap;
	}
	c->victims[c->n++] = r;
}

/*
 * The rules of subs[i] that the filter selects (vsw_flow_spec_selects()).
 * Per subtable: the filter's mask must be within the subtable's (strict:
 * equal to it); per rule: cookie, and key under the filter's mask.
 */
static int select_in_sub(const struct ft_sub *s, const uint64_t *fm, const uint64_t *fk,
			 bool strict, struct del_ctx *c)
{
	const uint64_t *sm = s->mask->w;

	c->n = 0;
	for (unsigned w = 0; w < FT_KEY_WORDS; w++) {
		if ((sm[w] & fm[w]) != fm[w] || (strict && sm[w] != fm[w]))
			return 0;
	}
	c->n_words = s->n_words;
	for (unsigned k = 0; k < s->n_words; k++) {
		c->fm[k] = fm[s->idx[k]];
		c->fk[k] = fk[s->idx[k]] & c->fm[k];
	}
	if (strict) {
		struct vsw_ft_rule *r = ft_sub_find_prio(s, c->fk, c->f->priority);

		if (r && cookie_ok(c->f, r))
			collect(c, r);
	} else {
		ft_sub_foreach(s, collect, c);
	}
	return c->err;
}

/* What vsw_ft_mod() gives the rules it selects; NULL for vsw_ft_del(). */
struct mod_args {
	const struct vsw_actions *actions;
	const uint64_t *cookie;
};

/* Modify the selected rules of (owned) subtable `s`: new rule objects. */
static int mod_victims(struct ft_sub *s, struct del_ctx *c, const struct mod_args *mod,
		       size_t *done)
{
	for (*done = 0; *done < c->n; (*done)++) {
		struct vsw_ft_rule *r = ft_rule_remake(c->victims[*done], mod->actions, mod->cookie);
		struct vsw_ft_rule *old;
		int rc;

		if (!r)
			return -ENOMEM;
		rc = ft_sub_insert(s, r, &old); /* same match and priority: replaces */
		if (rc) {
			ft_rule_put(r);
			return rc;
		}
		ft_rule_put(old);
	}
	return 0;
}

static int del_victims(struct ft_sub *s, struct del_ctx *c, size_t *done)
{
	for (*done = 0; *done < c->n; (*done)++) {
		int rc = ft_sub_remove(s, c->victims[*done]);

		if (rc)
			return rc;
	}
	return 0;
}

static int apply_in_table(struct vsw_ft *ft, struct ft_table *tbl, const uint64_t *fm,
			  const uint64_t *fk, bool strict, const struct mod_args *mod,
			  struct del_ctx *c)
{
	int changed = 0, rc = 0;
	uint32_t kept = 0;

	for (uint32_t i = 0; i < tbl->n_subs && !rc; i++) {
		struct ft_sub *s = tbl->subs[i];
		size_t done = 0;

		rc = select_in_sub(s, fm, fk, strict, c);
		if (rc || !c->n)
			continue;
		touch(ft, tbl);
		if (!mod && c->n == s->n_rules) { /* all of it: drop the subtable */
			ft_sub_put(s);
			tbl->subs[i] = NULL;
			done = c->n;
		} else if (!(s = own_sub(tbl, i))) {
			rc = -ENOMEM;
		} else {
			rc = mod ? mod_victims(s, c, mod, &done) : del_victims(s, c, &done);
		}
		if (!mod) {
			tbl->n_rules -= done;
			ft->n_rules -= done;
		}
		changed += (int)done;
	}
	/* Drop emptied subtables and restore the lookup order. */
	for (uint32_t i = 0; i < tbl->n_subs; i++)
		if (tbl->subs[i] && tbl->subs[i]->n_rules)
			tbl->subs[kept++] = tbl->subs[i];
		else if (tbl->subs[i])
			ft_sub_put(tbl->subs[i]);
	tbl->n_subs = kept;
	for (uint32_t i = 1; i < tbl->n_subs; i++) {
		struct ft_sub *s = tbl->subs[i];
		uint32_t j = i;

		for (; j > 0 && sub_before(s, tbl->subs[j - 1]); j--)
			tbl->subs[j] = tbl->subs[j - 1];
		tbl->subs[j] = s;
	}
	unite(tbl);
	return rc ? rc : changed;
}

static int apply(struct vsw_ft *ft, const struct vsw_flow_spec *filter, int strict,
		 const struct mod_args *mod)
{
	size_t first = 0, last = VSW_FT_N_TABLES;
	uint64_t fm[FT_KEY_WORDS], fk[FT_KEY_WORDS];
	struct del_ctx c = { .f = filter };
	int changed = 0;

	if (filter->given & VSW_SPEC_TABLE) {
		if (filter->table >= VSW_FT_N_TABLES)
			return 0;
		first = filter->table;
		last = first + 1;
	}
	memcpy(fm, &filter->match.mask, sizeof(fm));
	memcpy(fk, &filter->match.key, sizeof(fk));
	for (size_t t = first; t < last; t++) {
		int rc;

		if (!ft->t[t].n_subs)
			continue;
		rc = apply_in_table(ft, &ft->t[t], fm, fk, strict != 0, mod, &c);
		if (rc < 0) {
			changed = rc;
			break;
		}
		changed += rc;
	}
	free(c.victims);
	return changed;
}

int vsw_ft_del(struct vsw_ft *ft, const struct vsw_flow_spec *filter, int strict)
{
	if (!ft || !filter)
		return -EINVAL;
	return apply(ft, filter, strict, NULL);
}

int vsw_ft_mod(struct vsw_ft *ft, const struct vsw_flow_spec *filter, int strict,
	       const struct vsw_actions *actions, const uint64_t *cookie)
{
	struct mod_args mod = { actions, cookie };

	if (!ft || !filter || !actions || actions->n > VSW_MAX_ACTIONS)
		return -EINVAL;
	return apply(ft, filter, strict, &mod);
}

size_t vsw_ft_count(const struct vsw_ft *ft)
{
	return ft->n_rules;
}

size_t vsw_ft_table_count(const struct vsw_ft *ft, uint8_t table)
{
	return table < VSW_FT_N_TABLES ? ft->t[table].n_rules : 0;
}

/* ---- iteration: a sorted listing, built once per version on demand ---- */

static void list_one(void *arg, struct vsw_ft_rule *r)
{
	struct ft_listing *l = arg;

	l->r[l->n++] = r;
}

static int lookup_order(const void *a, const void *b)
{
	const struct vsw_ft_rule *x = *(const struct vsw_ft_rule *const *)a;
	const struct vsw_ft_rule *y = *(const struct vsw_ft_rule *const *)b;

	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const struct ft_listing *listing(const struct vsw_ft *ft)
{
	struct vsw_ft *mut = (struct vsw_ft *)ft; /* the cache of a const version */
	struct ft_listing *l = atomic_load_explicit(&mut->listing, memory_order_acquire), *none;

	if (l)
		return l;
	l = malloc(sizeof(*l) + ft->n_rules * sizeof(l->r[0]));
	if (!l)
		return NULL;
	l->n = 0;
	for (size_t t = 0; t < VSW_FT_N_TABLES; t++) {
		size_t from = l->n;

		for (uint32_t i = 0; i < ft->t[t].n_subs; i++)
			ft_sub_foreach(ft->t[t].subs[i], list_one, l);
		qsort(&l->r[from], l->n - from, sizeof(l->r[0]), lookup_order);
	}
	none = NULL;
	if (!atomic_compare_exchange_strong_explicit(&mut->listing, &none, l,
						     memory_order_acq_rel, memory_order_acquire)) {
		free(l); /* another thread built it first */
		return none;
	}
	return l;
}

const struct vsw_ft_rule *vsw_ft_rule_at(const struct vsw_ft *ft, size_t i)
{
	const struct ft_listing *l;

	if (i >= ft->n_rules)
		return NULL;
	l = listing(ft);
	return l ? l->r[i] : NULL;
}
