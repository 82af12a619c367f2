/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The classifier's lookup (data path): tuple space search with an exact
 * early exit.
 *
 * A table's subtables are kept in the order (max_prio descending, min_seq
 * ascending), where max_prio is the highest priority in the subtable and
 * min_seq a lower bound of its rules' install numbers. Lookup probes them in
 * that order, one hash probe each, and keeps the best rule so far (higher
 * priority, or equal priority and installed first). It stops at the first
 * subtable that cannot hold a better rule: best priority > max_prio, or
 * equal and best installed before min_seq. Every later subtable then cannot
 * either, by the order.
 *
 * That order is also the best one, whatever the traffic: any correct
 * lookup that returns rule (p, s) must probe every subtable with
 * max_prio > p and every one with max_prio == p holding a rule at p
 * installed before s, and this order probes exactly those plus the winner's
 * (up to the min_seq bound). Ranking by hit counts, as Open vSwitch's
 * datapath classifier does, pays when no two rules can both match, which
 * is not the case here; so the subtables carry no hit counters and the
 * published version stays read-only for readers.
 *
 * Hashing: the packet key is read as 64-bit words; each subtable masks and
 * hashes only the words its mask touches (ft_hash_words(), a multiply-xor
 * per word: a few instructions, where a general-purpose hash took 75 per
 * probe).
 */
#include "ft_impl.h"

const struct vsw_ft_rule *ft_classify(const struct ft_table *t, const struct vsw_flow_key *key)
{
	const struct vsw_ft_rule *best = NULL;

	for (uint32_t i = 0; i < t->n_subs; i++) {
		const struct ft_sub *s = t->subs[i];
		uint64_t w[FT_KEY_WORDS];
		uintptr_t ref;

		if (best && (best->priority > s->max_prio ||
			     (best->priority == s->max_prio && best->seq < s->min_seq)))
			break;
		for (unsigned j = 0; j < s->n_words; j++)
			w[j] = ft_key_word(key, s->idx[j]) & s->mw[j];
		ref = ft_sub_find(s, w, ft_hash_words(w, s->n_words));
		if (ref) {
			const struct vsw_ft_rule *r = ft_ref_top(ref);

			if (!best || ft_rule_beats(r, best))
				best = r;
		}
	}
	return best;
}

/*
 * A burst (n <= FT_BURST_MAX): subtable by subtable over the keys not yet
 * decided, hashing all of them and prefetching their slots before probing,
 * so that the probes of different keys overlap and every branch in the
 * inner loops goes the same way for the whole subtable. A key drops out at
 * the first subtable that cannot beat its best rule, as above.
 */
void ft_classify_burst(const struct ft_table *t, const struct vsw_flow_key *const keys[],
		       unsigned n, const struct vsw_ft_rule *best[])
{
	uint64_t w[FT_BURST_MAX][FT_KEY_WORDS], hash[FT_BURST_MAX];
	const struct ft_seg *seg[FT_BURST_MAX];
	uint64_t active = n == 64 ? UINT64_MAX : (UINT64_C(1) << n) - 1;

	for (unsigned i = 0; i < n; i++)
		best[i] = NULL;
	for (uint32_t si = 0; si < t->n_subs && active; si++) {
		const struct ft_sub *s = t->subs[si];
		unsigned nw = s->n_words;
		uint64_t m;

		for (m = active; m; m &= m - 1) {
			unsigned i = (unsigned)__builtin_ctzll(m);
			const struct vsw_ft_rule *b = best[i];
			uint64_t h = nw;

			if (b && (b->priority > s->max_prio ||
				  (b->priority == s->max_prio && b->seq < s->min_seq))) {
				active &= ~(UINT64_C(1) << i); /* decided */
				continue;
			}
			for (unsigned j = 0; j < nw; j++) {
				w[i][j] = ft_key_word(keys[i], s->idx[j]) & s->mw[j];
				h = ft_hash_step(h, w[i][j]);
			}
			h = ft_hash_end(h);
			hash[i] = h;
			seg[i] = s->dir[ft_dir_bits(h) & ((1u << s->depth) - 1)];
			__builtin_prefetch(&seg[i]->tags[ft_tag(h) & seg[i]->mask]);
		}
		for (m = active; m; m &= m - 1) {
			unsigned i = (unsigned)__builtin_ctzll(m);
			const struct ft_seg *g = seg[i];
			uint32_t tag = ft_tag(hash[i]), pos = tag & g->mask, tg;

			while ((tg = g->tags[pos]) != 0) {
				if (tg == tag) {
					const struct vsw_ft_rule *r = ft_ref_top(g->refs[pos]);

					if (ft_key_eq(r->key, w[i], nw)) {
						if (!best[i] || ft_rule_beats(r, best[i]))
							best[i] = r;
						break;
					}
				}
				pos = (pos + 1) & g->mask;
			}
		}
	}
}

const struct vsw_ft_rule *vsw_ft_lookup(const struct vsw_ft *ft, uint8_t table,
					const struct vsw_flow_key *key)
{
	if (table >= VSW_FT_N_TABLES || !ft->t[table].n_subs)
		return NULL;
	return ft_classify(&ft->t[table], key);
}
