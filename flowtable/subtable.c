/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One subtable: the rules of one mask in one table, in a hash table keyed by
 * the masked key (packed to the words the mask touches).
 *
 * The hash table is extendible hashing over small open-addressing segments:
 * the high half of a key's hash picks a directory entry (its low `depth`
 * bits), the entry points at a segment, the low half picks the first slot,
 * and linear probing goes on from there. A segment grows by doubling up to
 * SEG_MAX slots and then splits in two on the next directory bit, doubling
 * the directory when it must. Why segments: copy-on-write. A writer that
 * changes one rule of a published 1M-rule subtable copies the directory and
 * one segment, not a million slots; the other segments stay shared.
 *
 * Each slot holds a 32-bit tag (the low hash half with bit 31 set, so 0 means
 * empty) and a reference: a rule, or (low bit set) a group of the rules that
 * share this exact match at different priorities, highest first. Only the
 * first of a group can ever be the answer of a lookup; the others wait for
 * it to be deleted.
 *
 * Deletion is backward-shift (no tombstones). All of this runs in the writer
 * thread on objects it owns (reference count 1); see ft_impl.h.
 */
#include "ft_impl.h"

#include <errno.h>
#include <stdlib.h>

#define SEG_MIN 8u
#define SEG_MAX 512u
#define MAX_DEPTH 24u /* beyond this, segments grow instead of splitting */

static int full(const struct ft_seg *seg)
{
	return (seg->n + 1) * 2 > seg->mask + 1;
}

static struct ft_seg *seg_alloc(uint32_t cap, uint8_t depth)
{
	struct ft_seg *seg = malloc(sizeof(*seg) + cap * (sizeof(uintptr_t) + sizeof(uint32_t)));

	if (!seg)
		return NULL;
	seg->refcnt = 1;
	seg->depth = depth;
	seg->mask = cap - 1;
	seg->n = 0;
	seg->tags = (uint32_t *)&seg->refs[cap];
	memset(seg->tags, 0, cap * sizeof(uint32_t));
	return seg;
}

static void ref_put(uintptr_t ref)
{
	if (ref & 1) {
		struct ft_group *g = (struct ft_group *)(ref & ~(uintptr_t)1);

		for (uint32_t i = 0; i < g->n; i++)
			ft_rule_put(g->r[i]);
		free(g);
	} else {
		ft_rule_put((struct vsw_ft_rule *)ref);
	}
}

static void seg_put(struct ft_seg *seg)
{
	if (--seg->refcnt)
		return;
	for (uint32_t i = 0; i <= seg->mask; i++)
		if (seg->tags[i])
			ref_put(seg->refs[i]);
	free(seg);
}

/* Returns the copy's reference, or 0 for -ENOMEM. */
static uintptr_t ref_copy(uintptr_t ref)
{
	struct ft_group *g, *c;

	if (!(ref & 1)) {
		((struct vsw_ft_rule *)ref)->refcnt++;
		return ref;
	}
	g = (struct ft_group *)(ref & ~(uintptr_t)1);
	c = malloc(sizeof(*c) + g->cap * sizeof(c->r[0]));
	if (!c)
		return 0;
	memcpy(c, g, sizeof(*c) + g->n * sizeof(c->r[0]));
	for (uint32_t i = 0; i < c->n; i++)
		c->r[i]->refcnt++;
	return (uintptr_t)c | 1;
}

static struct ft_seg *seg_copy(const struct ft_seg *seg)
{
	struct ft_seg *c = seg_alloc(seg->mask + 1, seg->depth);

	if (!c)
		return NULL;
	for (uint32_t i = 0; i <= seg->mask; i++) {
		if (!seg->tags[i])
			continue;
		c->refs[i] = ref_copy(seg->refs[i]);
		if (!c->refs[i]) {
			seg_put(c);
			return NULL;
		}
		c->tags[i] = seg->tags[i];
		c->n++;
	}
	return c;
}

/* Put a reference in a free slot (the match is not there yet). */
static void seg_place(struct ft_seg *seg, uint32_t tag, uintptr_t ref)
{
	uint32_t pos = tag & seg->mask;

	while (seg->tags[pos])
		pos = (pos + 1) & seg->mask;
	seg->tags[pos] = tag;
	seg->refs[pos] = ref;
	seg->n++;
}

/* Move the contents of `seg` (owned) into new segments: a resize when `bit`
 * is negative, else a split on directory bit `bit` into out[0], out[1]. */
static int seg_rebuild(struct ft_seg *seg, uint32_t cap, int bit, struct ft_seg *out[2])
{
	uint8_t depth = bit < 0 ? seg->depth : (uint8_t)(seg->depth + 1);

	out[0] = seg_alloc(cap, depth);
	out[1] = bit < 0 ? NULL : seg_alloc(cap, depth);
	if (!out[0] || (bit >= 0 && !out[1])) {
		free(out[0]);
		free(out[1]);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i <= seg->mask; i++) {
		uintptr_t ref = seg->refs[i];
		int side;

		if (!seg->tags[i])
			continue;
		side = bit < 0 ? 0 : (ft_ref_top(ref)->hash_hi >> bit) & 1;
		seg_place(out[side], seg->tags[i], ref);
	}
	free(seg); /* the references moved */
	return 0;
}

/* Point every directory entry of the segment at `di` to `to`. */
static void dir_set(struct ft_sub *s, uint32_t di, uint8_t seg_depth, struct ft_seg *to)
{
	uint32_t step = 1u << seg_depth;

	for (uint32_t i = di & (step - 1); i < (1u << s->depth); i += step)
		s->dir[i] = to;
}

/* Make the segment at directory entry `di` ours. */
static struct ft_seg *own_seg(struct ft_sub *s, uint32_t di)
{
	struct ft_seg *seg = s->dir[di], *c;

	if (seg->refcnt == 1)
		return seg;
	c = seg_copy(seg);
	if (!c)
		return NULL;
	seg->refcnt--;
	dir_set(s, di, seg->depth, c);
	return c;
}

/* Make room in the (owned) segment at `di`: grow it, or split it. */
static int make_room(struct ft_sub *s, uint32_t di)
{
	struct ft_seg *seg = s->dir[di], *out[2];
	uint8_t d = seg->depth;
	int rc;

	if (seg->mask + 1 < SEG_MAX || d >= MAX_DEPTH) {
		rc = seg_rebuild(seg, (seg->mask + 1) * 2, -1, out);
		if (!rc)
			dir_set(s, di, d, out[0]);
		return rc;
	}
	if (d == s->depth) {
		size_t n = (size_t)1 << s->depth;
		struct ft_seg **dir = realloc(s->dir, 2 * n * sizeof(*dir));

		if (!dir)
			return -ENOMEM;
		memcpy(&dir[n], dir, n * sizeof(*dir));
		s->dir = dir;
		s->depth++;
	}
	rc = seg_rebuild(seg, SEG_MAX, d, out);
	if (rc)
		return rc;
	/* Entries with bit d clear go to out[0], set to out[1]. */
	dir_set(s, di & ~(1u << d), (uint8_t)(d + 1), out[0]);
	dir_set(s, di | (1u << d), (uint8_t)(d + 1), out[1]);
	return 0;
}

struct ft_sub *ft_sub_new(struct ft_mask *mask)
{
	struct ft_sub *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->dir = malloc(sizeof(*s->dir));
	if (!s->dir)
		goto err_free_sub;
	s->dir[0] = seg_alloc(SEG_MIN, 0);
	if (!s->dir[0])
		goto err_free_dir;
	s->refcnt = 1;
	s->n_words = mask->n_words;
	s->min_seq = UINT64_MAX;
	for (unsigned i = 0; i < mask->n_words; i++) {
		s->idx[i] = mask->idx[i];
		s->mw[i] = mask->w[mask->idx[i]];
	}
	s->mask = mask;
	mask->refcnt++;
	return s;

err_free_dir:
	free(s->dir);
err_free_sub:
	free(s);
	return NULL;
}

struct ft_sub *ft_sub_copy(const struct ft_sub *s)
{
	size_t n = (size_t)1 << s->depth;
	struct ft_sub *c = malloc(sizeof(*c));

	if (!c)
		return NULL;
	*c = *s;
	c->refcnt = 1;
	c->dir = malloc(n * sizeof(*c->dir));
	c->prios = malloc((s->n_prios ? s->n_prios : 1) * sizeof(*c->prios));
	if (!c->dir || !c->prios) {
		free(c->dir);
		free(c->prios);
		free(c);
		return NULL;
	}
	memcpy(c->dir, s->dir, n * sizeof(*c->dir));
	memcpy(c->prios, s->prios, s->n_prios * sizeof(*c->prios));
	c->cap_prios = s->n_prios ? s->n_prios : 1;
	for (size_t i = 0; i < n; i++)
		if (i < (1u << c->dir[i]->depth)) /* first entry of its segment */
			c->dir[i]->refcnt++;
	c->mask->refcnt++;
	return c;
}

void ft_sub_put(struct ft_sub *s)
{
	size_t n;

	if (!s || --s->refcnt)
		return;
	/* Backwards: a segment's first entry (where it is put) comes last. */
	n = (size_t)1 << s->depth;
	for (size_t i = n; i-- > 0;)
		if (i < (1u << s->dir[i]->depth))
			seg_put(s->dir[i]);
	free(s->dir);
	free(s->prios);
	ft_mask_put(s->mask);
	free(s);
}

/* Priority census, so that max_prio stays exact as rules come and go. */
static int prio_reserve(struct ft_sub *s)
{
	struct ft_prio_count *p;
	uint32_t cap;

	if (s->n_prios < s->cap_prios)
		return 0;
	cap = s->cap_prios ? s->cap_prios * 2 : 4;
	p = realloc(s->prios, cap * sizeof(*p));
	if (!p)
		return -ENOMEM;
	s->prios = p;
	s->cap_prios = cap;
	return 0;
}

static uint32_t prio_find(const struct ft_sub *s, uint16_t prio)
{
	uint32_t lo = 0, hi = s->n_prios;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (s->prios[mid].prio > prio)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Account a new rule; prio_reserve() must have succeeded. */
static void prio_add(struct ft_sub *s, const struct vsw_ft_rule *r)
{
	uint32_t i = prio_find(s, r->priority);

	if (i == s->n_prios || s->prios[i].prio != r->priority) {
		memmove(&s->prios[i + 1], &s->prios[i], (s->n_prios - i) * sizeof(s->prios[0]));
		s->prios[i].prio = r->priority;
		s->prios[i].n = 0;
		s->n_prios++;
	}
	s->prios[i].n++;
	s->max_prio = s->prios[0].prio;
	if (r->seq < s->min_seq)
		s->min_seq = r->seq;
	s->n_rules++;
}

static void prio_del(struct ft_sub *s, uint16_t prio)
{
	uint32_t i = prio_find(s, prio);

	if (--s->prios[i].n == 0) {
		s->n_prios--;
		memmove(&s->prios[i], &s->prios[i + 1], (s->n_prios - i) * sizeof(s->prios[0]));
	}
	s->max_prio = s->n_prios ? s->prios[0].prio : 0;
	s->n_rules--;
}

/* Insert `r` into a group (or a lone rule turned group) at slot `pos`. */
static int group_insert(struct ft_seg *seg, uint32_t pos, struct vsw_ft_rule *r,
			struct vsw_ft_rule **old)
{
	uintptr_t ref = seg->refs[pos];
	struct ft_group *g;
	uint32_t i;

	if (!(ref & 1)) {
		struct vsw_ft_rule *lone = (struct vsw_ft_rule *)ref;

		if (lone->priority == r->priority) {
			r->seq = lone->seq;
			seg->refs[pos] = (uintptr_t)r;
			*old = lone;
			return 0;
		}
		g = malloc(sizeof(*g) + 4 * sizeof(g->r[0]));
		if (!g)
			return -ENOMEM;
		g->n = 1;
		g->cap = 4;
		g->r[0] = lone;
	} else {
		g = (struct ft_group *)(ref & ~(uintptr_t)1);
	}
	for (i = 0; i < g->n && g->r[i]->priority > r->priority; i++)
		;
	if (i < g->n && g->r[i]->priority == r->priority) {
		r->seq = g->r[i]->seq;
		*old = g->r[i];
		g->r[i] = r;
		return 0;
	}
	if (g->n == g->cap) {
		struct ft_group *bigger = realloc(g, sizeof(*g) + 2 * g->cap * sizeof(g->r[0]));

		if (!bigger)
			return -ENOMEM; /* g is still valid: a group already */
		g = bigger;
		g->cap *= 2;
	}
	memmove(&g->r[i + 1], &g->r[i], (g->n - i) * sizeof(g->r[0]));
	g->r[i] = r;
	g->n++;
	seg->refs[pos] = (uintptr_t)g | 1;
	return 0;
}

/* Slot of the match `w` in `seg`, or -1. */
static int64_t seg_slot(const struct ft_seg *seg, const uint64_t *w, unsigned n, uint32_t tag)
{
	uint32_t pos = tag & seg->mask, t;

	while ((t = seg->tags[pos]) != 0) {
		if (t == tag && ft_key_eq(ft_ref_top(seg->refs[pos])->key, w, n))
			return pos;
		pos = (pos + 1) & seg->mask;
	}
	return -1;
}

int ft_sub_insert(struct ft_sub *s, struct vsw_ft_rule *r, struct vsw_ft_rule **old)
{
	uint64_t h = ft_hash_words(r->key, r->n_words);
	uint32_t di = ft_dir_bits(h) & ((1u << s->depth) - 1), tag = ft_tag(h);
	struct ft_seg *seg = own_seg(s, di);
	int64_t pos;
	int rc;

	*old = NULL;
	if (!seg || prio_reserve(s))
		return -ENOMEM;
	pos = seg_slot(seg, r->key, r->n_words, tag);
	if (pos >= 0) {
		rc = group_insert(seg, (uint32_t)pos, r, old);
		if (!rc && !*old)
			prio_add(s, r);
		return rc;
	}
	if (full(seg)) {
		rc = make_room(s, di);
		if (rc)
			return rc;
		di = ft_dir_bits(h) & ((1u << s->depth) - 1);
		seg = s->dir[di];
	}
	seg_place(seg, tag, (uintptr_t)r);
	prio_add(s, r);
	return 0;
}

/* Backward-shift delete of slot `pos`. */
static void seg_erase(struct ft_seg *seg, uint32_t pos)
{
	uint32_t i = pos, j = pos;

	for (;;) {
		j = (j + 1) & seg->mask;
		if (!seg->tags[j])
			break;
		/* The entry at j may move to i unless its home lies in (i, j]. */
		if (((j - (seg->tags[j] & seg->mask)) & seg->mask) >= ((j - i) & seg->mask)) {
			seg->tags[i] = seg->tags[j];
			seg->refs[i] = seg->refs[j];
			i = j;
		}
	}
	seg->tags[i] = 0;
	seg->refs[i] = 0;
	seg->n--;
}

int ft_sub_remove(struct ft_sub *s, const struct vsw_ft_rule *r)
{
	uint64_t h = ft_hash_words(r->key, r->n_words);
	uint32_t di = ft_dir_bits(h) & ((1u << s->depth) - 1);
	struct ft_seg *seg = own_seg(s, di), *out[2];
	struct vsw_ft_rule *gone = (struct vsw_ft_rule *)r;
	uintptr_t ref;
	int64_t pos;

	if (!seg)
		return -ENOMEM;
	pos = seg_slot(seg, r->key, r->n_words, ft_tag(h));
	if (pos < 0)
		return -ENOENT;
	ref = seg->refs[pos];
	if (!(ref & 1)) {
		if ((const struct vsw_ft_rule *)ref != r)
			return -ENOENT;
		seg_erase(seg, (uint32_t)pos);
	} else {
		struct ft_group *g = (struct ft_group *)(ref & ~(uintptr_t)1);
		uint32_t i;

		for (i = 0; i < g->n && g->r[i] != r; i++)
			;
		if (i == g->n)
			return -ENOENT;
		memmove(&g->r[i], &g->r[i + 1], (g->n - i - 1) * sizeof(g->r[0]));
		if (--g->n == 1) {
			seg->refs[pos] = (uintptr_t)g->r[0];
			free(g);
		}
	}
	prio_del(s, r->priority);
	ft_rule_put(gone);
	/* Shrink a sparse segment; failing to is harmless. */
	if (seg->mask + 1 > SEG_MIN && seg->n * 8 < seg->mask + 1 &&
	    !seg_rebuild(seg, (seg->mask + 1) / 2, -1, out))
		dir_set(s, di, out[0]->depth, out[0]);
	return 0;
}

struct vsw_ft_rule *ft_sub_find_prio(const struct ft_sub *s, const uint64_t *w, uint16_t prio)
{
	uintptr_t ref = ft_sub_find(s, w, ft_hash_words(w, s->n_words));
	const struct ft_group *g;

	if (!ref)
		return NULL;
	if (!(ref & 1)) {
		struct vsw_ft_rule *r = (struct vsw_ft_rule *)ref;

		return r->priority == prio ? r : NULL;
	}
	g = (const struct ft_group *)(ref & ~(uintptr_t)1);
	for (uint32_t i = 0; i < g->n; i++)
		if (g->r[i]->priority == prio)
			return g->r[i];
	return NULL;
}

void ft_sub_foreach(const struct ft_sub *s, void (*fn)(void *ctx, struct vsw_ft_rule *r),
		    void *ctx)
{
	size_t n = (size_t)1 << s->depth;

	for (size_t d = 0; d < n; d++) {
		const struct ft_seg *seg = s->dir[d];

		if (d >= (1u << seg->depth))
			continue; /* seen at its first directory entry */
		for (uint32_t i = 0; i <= seg->mask; i++) {
			uintptr_t ref = seg->refs[i];

			if (!seg->tags[i])
				continue;
			if (ref & 1) {
				const struct ft_group *g = (const struct ft_group *)(ref & ~(uintptr_t)1);

				for (uint32_t k = 0; k < g->n; k++)
					fn(ctx, g->r[k]);
			} else {
				fn(ctx, (struct vsw_ft_rule *)ref);
			}
		}
	}
}
