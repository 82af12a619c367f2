/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw-ft-bench: the flow table micro-benchmark (perf/README.md).
 *
 * On one core: lookups/s for 1, 1k, 100k and 1M installed rules over 1, 8
 * and 32 distinct masks, with traffic of 1, 10k and 1M distinct flows, looked
 * up in bursts of 32 through the per-thread exact-match cache as the
 * dataplane does (and, for comparison, through the classifier alone); the
 * same traffic through a plain exact-match hash table (the ceiling for a
 * cache hit: same key, same hash function, open addressing, prefetched
 * bursts), and the ratio; rule insert and delete rates; the cost of one
 * add-flow and of a batch on a large table; memory per rule.
 *
 * Rules: each mask has one high-entropy field (a port, a MAC, an exact IPv4
 * address, a VNI, a register) and up to two more (EtherType, VLAN, protocol,
 * an L4 port, IPv4 prefixes), with random values. Priorities (--prio):
 * "bands" (default) gives each mask its own band, more specific masks
 * higher, as compiled ACLs and routes look; "equal" gives every rule the
 * same priority (then the first installed wins and a lookup probes every
 * mask); "random" draws 0..65535. Flows: each matches a random rule, with
 * random values in every field the rule does not match.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flow.h"
#include "ft_impl.h" /* ft_key_word(), FT_KEY_WORDS, ft_hash_final() */
#include "table.h"

#define BURST 32

/* Arbitrary constants (hex digits of pi, as in Blowfish), one per key word. */
static const uint64_t ft_hash_secret[FT_KEY_WORDS] = {
	0x243f6a8885a308d3ull, 0x13198a2e03707345ull, 0xa4093822299f31d1ull,
	0x082efa98ec4e6c89ull, 0x452821e638d01377ull, 0xbe5466cf34e90c6dull,
	0xc0ac29b7c97c50ddull, 0x3f84d5b5b5470917ull, 0x9216d5d98979fb1bull,
	0xd1310ba698dfb5adull, 0x2ffd72dbd01adfb7ull, 0xb8e1afed6a267e97ull,
	0x24a19947b3916cf7ull, 0x0801f2e2858efc17ull, 0x636920d871574e69ull,
	0xa458fea3f4933d7eull,
};

/*
 * The baseline's hash of a whole key (what the flow cache used before it
 * keyed entries by the table's masks), written out for its 16 words (the
 * compiler does not unroll the loop at -O2). Where the compiler has a 64x64
 * -> 128-bit multiply, words are folded in pairs, as wyhash does: one
 * multiply per 16 bytes, the eight of them independent.
 */
#ifdef __SIZEOF_INT128__
static inline uint64_t ft_mum(uint64_t a, uint64_t b)
{
	unsigned __int128 r = (unsigned __int128)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}
#define FT_HP(i)                                                                    \
	(ft_mum(ft_key_word(key, i) ^ ft_hash_secret[i],                            \
		ft_key_word(key, i + 1) ^ ft_hash_secret[i + 1]))
static inline uint64_t ft_hash_key(const struct vsw_flow_key *key)
{
	uint64_t h;

	_Static_assert(FT_KEY_WORDS == 16, "ft_hash_key() covers 16 words");
	h = (FT_HP(0) + FT_HP(2)) ^ (FT_HP(4) + FT_HP(6)) ^ (FT_HP(8) + FT_HP(10)) ^
	    (FT_HP(12) + FT_HP(14));
	return ft_mum(h ^ 0x8bb84b93962eacc9ull, 0x4b33a62ed433d4a3ull);
}
#undef FT_HP
#else
#define FT_HW(i)                                                                    \
	do {                                                                        \
		uint64_t w_ = ft_key_word(key, i), d_ = w_ ^ ft_hash_secret[i];   \
		a += w_;                                                            \
		b += (d_ & 0xffffffffu) * (d_ >> 32);                               \
	} while (0)
static inline uint64_t ft_hash_key(const struct vsw_flow_key *key)
{
	uint64_t a = 0x9e3779b185ebca87ull * (FT_KEY_WORDS + 1), b = 0;

	_Static_assert(FT_KEY_WORDS == 16, "ft_hash_key() covers 16 words");
	FT_HW(0); FT_HW(1); FT_HW(2); FT_HW(3); FT_HW(4); FT_HW(5); FT_HW(6); FT_HW(7);
	FT_HW(8); FT_HW(9); FT_HW(10); FT_HW(11); FT_HW(12); FT_HW(13); FT_HW(14); FT_HW(15);
	return ft_hash_final(a * 0xc2b2ae3d27d4eb4full + b);
}
#undef FT_HW
#endif

/* Whole keys equal (as words: `a` is a table entry's copy). */
static inline int ft_key_eq_full(const uint64_t *a, const struct vsw_flow_key *key)
{
	return memcmp(a, key, sizeof(*key)) == 0;
}

enum prio_model { PRIO_BANDS, PRIO_EQUAL, PRIO_RANDOM };

static struct {
	bool quick;
	enum prio_model prio;
	unsigned cache_entries;
	double secs; /* per measurement */
	bool row; /* --row: one row of the lookup table only (for profiling) */
	unsigned long long row_rules, row_masks, row_flows;
} opt = { .cache_entries = VSW_FT_CACHE_DEFAULT_ENTRIES, .secs = 0.25 };

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* ---- masks, rules and flows ---- */

#define MAX_MASKS 32
static struct vsw_flow_key masks[MAX_MASKS];

static void set_bytes(void *p, size_t n, uint8_t v)
{
	memset(p, v, n);
}

static void make_masks(void)
{
	uint64_t s = 12345;
	unsigned n = 0;

	while (n < MAX_MASKS) {
		struct vsw_flow_key m;

		memset(&m, 0, sizeof(m));
		switch (splitmix(&s) % 7) { /* the high-entropy field */
		case 0: m.in_port = UINT32_MAX; break;
		case 1: set_bytes(m.dl_dst, 6, 0xff); break;
		case 2: set_bytes(m.dl_src, 6, 0xff); break;
		case 3: m.nw_src = UINT32_MAX; break;
		case 4: m.nw_dst = UINT32_MAX; break;
		case 5: m.tun_id = 0xffffff; break;
		case 6: m.regs[0] = UINT32_MAX; break;
		}
		for (unsigned extra = splitmix(&s) % 3; extra; extra--) {
			static const uint32_t PFX[] = { 0xff000000u, 0xffff0000u, 0xffffff00u };

			switch (splitmix(&s) % 6) {
			case 0: m.dl_type = 0xffff; break;
			case 1: m.vlan_tci = 0x1fff; break;
			case 2: m.nw_proto = 0xff; break;
			case 3: m.tp_dst = splitmix(&s) % 2 ? 0xffff : 0xff00; break;
			case 4: m.nw_src |= PFX[splitmix(&s) % 3]; break;
			case 5: m.nw_dst |= PFX[splitmix(&s) % 3]; break;
			}
		}
		bool dup = false;
		for (unsigned i = 0; i < n; i++)
			dup |= !memcmp(&masks[i], &m, sizeof(m));
		if (!dup)
			masks[n++] = m;
	}
}

static void random_key(uint64_t *s, struct vsw_flow_key *k)
{
	uint64_t w[sizeof(*k) / 8];

	for (size_t i = 0; i < sizeof(w) / 8; i++)
		w[i] = splitmix(s);
	memcpy(k, w, sizeof(*k));
	k->pad0 = 0;
	k->pad1 = 0;
}

/* Rule i of a set over n_masks masks: its mask, its (masked) key, priority. */
static void rule_of(uint64_t i, unsigned n_masks, struct vsw_match *m, uint16_t *prio)
{
	uint64_t s = i * 0x2545f4914f6cdd1dull + 7;
	unsigned mi = (unsigned)(i % n_masks);
	uint8_t *k = (uint8_t *)&m->key;
	const uint8_t *mk = (const uint8_t *)&masks[mi];

	random_key(&s, &m->key);
	m->mask = masks[mi];
	for (size_t b = 0; b < sizeof(m->key); b++)
		k[b] &= mk[b];
	switch (opt.prio) {
	case PRIO_BANDS: /* more specific masks higher: bit count, then index */
		*prio = (uint16_t)(1000 + 64 * __builtin_popcountll(masks[mi].tun_id) / 8 +
				   64 * (__builtin_popcount(masks[mi].nw_src) +
					 __builtin_popcount(masks[mi].nw_dst)) + mi);
		break;
	case PRIO_EQUAL:
		*prio = VSW_FT_DEFAULT_PRIORITY;
		break;
	case PRIO_RANDOM:
		*prio = (uint16_t)splitmix(&s);
		break;
	}
}

static struct vsw_flow_spec *spec_buf(void)
{
	static struct vsw_flow_spec spec;

	vsw_flow_spec_init(&spec);
	spec.actions.n = 1;
	spec.actions.a[0].type = VSW_ACT_OUTPUT;
	spec.actions.a[0].arg = 2;
	return &spec;
}

/* Install rules [from, to) into ft; returns 0 or exits. */
static void install(struct vsw_ft *ft, uint64_t from, uint64_t to, unsigned n_masks)
{
	struct vsw_flow_spec *spec = spec_buf();

	for (uint64_t i = from; i < to; i++) {
		rule_of(i, n_masks, &spec->match, &spec->priority);
		spec->cookie = i;
		if (vsw_ft_add(ft, spec, 0)) {
			fprintf(stderr, "vsw_ft_add: out of memory\n");
			exit(1);
		}
	}
}

static struct vsw_flow_key *make_flows(size_t n_flows, uint64_t n_rules, unsigned n_masks)
{
	struct vsw_flow_key *f = malloc(n_flows * sizeof(*f));
	uint64_t s = 99;

	if (!f) {
		perror("malloc");
		exit(1);
	}
	for (size_t i = 0; i < n_flows; i++) {
		struct vsw_match m;
		uint16_t prio;
		uint8_t *k = (uint8_t *)&f[i];
		const uint8_t *mk = (const uint8_t *)&m.key, *mm = (const uint8_t *)&m.mask;

		rule_of(splitmix(&s) % n_rules, n_masks, &m, &prio);
		random_key(&s, &f[i]);
		for (size_t b = 0; b < sizeof(f[i]); b++)
			k[b] = (uint8_t)((k[b] & ~mm[b]) | mk[b]);
	}
	return f;
}

/* ---- the baseline: a plain exact-match hash table of the flows ---- */

struct xh_entry {
	uint64_t key[FT_KEY_WORDS];
	const void *value;
};

struct xh {
	uint64_t mask;
	struct xh_entry *e; /* value NULL: empty */
};

static void xh_build(struct xh *h, const struct vsw_flow_key *flows, size_t n)
{
	size_t cap = 2;

	while (cap < 2 * n)
		cap <<= 1;
	h->mask = cap - 1;
	h->e = calloc(cap, sizeof(*h->e));
	if (!h->e) {
		perror("calloc");
		exit(1);
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t kw[FT_KEY_WORDS], pos;

		memcpy(kw, &flows[i], sizeof(kw));
		pos = ft_hash_key(&flows[i]) & h->mask;
		while (h->e[pos].value && memcmp(h->e[pos].key, kw, sizeof(kw)))
			pos = (pos + 1) & h->mask;
		memcpy(h->e[pos].key, kw, sizeof(kw));
		h->e[pos].value = &flows[i];
	}
}

static unsigned xh_burst(const struct xh *h, const struct vsw_flow_key *const keys[], unsigned n,
			 const void *out[])
{
	uint64_t hash[BURST];
	unsigned found = 0;

	for (unsigned i = 0; i < n; i++) {
		const char *e = (const char *)&h->e[(hash[i] = ft_hash_key(keys[i])) & h->mask];

		__builtin_prefetch(e); /* the entry's lines, as the cache does */
		__builtin_prefetch(e + 64);
		__builtin_prefetch(e + 128);
	}
	for (unsigned i = 0; i < n; i++) {
		uint64_t pos = hash[i] & h->mask;

		out[i] = NULL;
		while (h->e[pos].value) {
			if (ft_key_eq_full(h->e[pos].key, keys[i])) {
				out[i] = h->e[pos].value;
				found++;
				break;
			}
			pos = (pos + 1) & h->mask;
		}
	}
	return found;
}

/* ---- measurements: bursts over the flows, in order, for opt.secs ---- */

enum how { VIA_CACHE, VIA_CLASSIFIER, VIA_HASH };

struct run {
	const struct vsw_ft *ft;
	struct vsw_ft_cache *cache;
	const struct xh *xh;
	const struct vsw_flow_key *flows;
	size_t n_flows;
	double hit_pct; /* of the timed cache lookups */
};

static uint64_t one_burst(struct run *r, enum how how, size_t *pos)
{
	const struct vsw_flow_key *kp[BURST];
	const struct vsw_ft_rule *rules[BURST];
	const void *vals[BURST];

	for (unsigned i = 0; i < BURST; i++) {
		kp[i] = &r->flows[*pos];
		*pos = *pos + 1 == r->n_flows ? 0 : *pos + 1;
	}
	switch (how) {
	case VIA_CACHE:
		return vsw_ft_lookup_burst(r->ft, r->cache, 0, kp, BURST, rules);
	case VIA_CLASSIFIER:
		return vsw_ft_lookup_burst(r->ft, NULL, 0, kp, BURST, rules);
	case VIA_HASH:
		return xh_burst(r->xh, kp, BURST, vals);
	}
	return 0;
}

/*
 * Lookups per second: one untimed pass first (it fills the cache), then the
 * best of 5 timed runs of opt.secs / 5 each, so that a neighbour's burst of
 * work on a shared machine costs a run, not the result.
 */
static double measure(struct run *r, enum how how)
{
	size_t pos = 0, warm = r->n_flows < 1000000 ? r->n_flows : 1000000;
	double best = 0;

	for (size_t i = 0; i < warm; i += BURST)
		one_burst(r, how, &pos);
	for (unsigned run = 0; run < 5; run++) {
		struct vsw_ft_cache_stats st0, st1;
		uint64_t n = 0, found = 0;
		double t0, t;

		if (how == VIA_CACHE)
			vsw_ft_cache_stats(r->cache, &st0);
		t0 = now_s();
		do {
			for (unsigned b = 0; b < 64; b++)
				found += one_burst(r, how, &pos);
			n += 64 * BURST;
			t = now_s() - t0;
		} while (t < opt.secs / 5);
		if (found != n) {
			fprintf(stderr, "bench: %llu of %llu lookups missed\n",
				(unsigned long long)(n - found), (unsigned long long)n);
			exit(1);
		}
		if ((double)n / t > best) {
			best = (double)n / t;
			if (how == VIA_CACHE) {
				vsw_ft_cache_stats(r->cache, &st1);
				r->hit_pct = 100.0 * (double)(st1.hits - st0.hits) / (double)n;
			}
		}
	}
	return best;
}

static size_t heap_used(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/* ---- the sections ---- */

static const uint64_t RULES[] = { 1, 1000, 100000, 1000000 };
static const unsigned MASKS[] = { 1, 8, 32 };
static const size_t FLOWS[] = { 1, 10000, 1000000 };
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void lookups(void)
{
	printf("\nlookups, M/s on one core (bursts of %u; cache of %u entries)\n", BURST,
	       opt.cache_entries);
	printf("%8s %5s %8s | %8s %5s | %10s | %10s %6s\n", "rules", "masks", "flows", "cached",
	       "hit%", "classifier", "exact-hash", "ratio");
	for (size_t ri = 0; ri < N_OF(RULES); ri++) {
		if (opt.quick && RULES[ri] > 100000)
			break;
		for (size_t mi = 0; mi < N_OF(MASKS); mi++) {
			unsigned nm = MASKS[mi];
			struct vsw_ft *ft;

			if (nm > RULES[ri] || (opt.row && (RULES[ri] != opt.row_rules ||
							       nm != opt.row_masks)))
				continue;
			ft = vsw_ft_create();
			install(ft, 0, RULES[ri], nm);
			for (size_t fi = 0; fi < N_OF(FLOWS); fi++) {
				size_t nf = opt.quick && FLOWS[fi] > 100000 ? 100000 : FLOWS[fi];
				struct run r = { .ft = ft, .n_flows = nf };
				double cached, classified, hashed;
				struct xh xh;

				if (opt.row && FLOWS[fi] != opt.row_flows)
					continue;
				r.flows = make_flows(nf, RULES[ri], nm);
				xh_build(&xh, r.flows, nf); /* the same traffic, exact-match */
				r.xh = &xh;
				hashed = measure(&r, VIA_HASH);
				free(xh.e);
				r.cache = vsw_ft_cache_create(opt.cache_entries);
				cached = measure(&r, VIA_CACHE);
				classified = measure(&r, VIA_CLASSIFIER);
				printf("%8llu %5u %8zu | %8.1f %5.1f | %10.1f | %10.1f %6.2f\n",
				       (unsigned long long)RULES[ri], nm, nf, cached / 1e6,
				       r.hit_pct, classified / 1e6, hashed / 1e6, hashed / cached);
				fflush(stdout);
				vsw_ft_cache_destroy(r.cache);
				free((void *)r.flows);
			}
			vsw_ft_destroy(ft);
		}
	}
}

static volatile uint64_t sink;

static void updates(void)
{
	uint64_t n = opt.quick ? 100000 : 1000000, big = 100000;
	struct vsw_flow_spec *spec;
	struct vsw_ft *ft, *next;
	size_t heap0, heap1;
	double t, t_gen, t_ins, t_del;
	unsigned reps = opt.quick ? 20 : 100;

	printf("\nupdates (rules over 32 masks, one version; times without making the specs)\n");
	/* What making the specs costs, to take it out of the rates below. */
	spec = spec_buf();
	t = now_s();
	for (uint64_t i = 0; i < n; i++) {
		rule_of(i, 32, &spec->match, &spec->priority);
		spec->cookie = i;
		sink += spec->match.key.nw_src + spec->priority; /* keep the work */
	}
	t_gen = now_s() - t;
	heap0 = heap_used();
	ft = vsw_ft_create();
	t = now_s();
	install(ft, 0, n, 32);
	t_ins = now_s() - t - t_gen;
	heap1 = heap_used();
	printf("  insert %llu rules: %.2f s, %.2f M rules/s; memory %.0f bytes/rule (%zu rules)\n",
	       (unsigned long long)n, t_ins, (double)n / t_ins / 1e6,
	       (double)(heap1 - heap0) / (double)vsw_ft_count(ft), vsw_ft_count(ft));
	spec = spec_buf();
	spec->given |= VSW_SPEC_TABLE;
	t = now_s();
	for (uint64_t i = 0; i < n; i++) {
		rule_of(i, 32, &spec->match, &spec->priority);
		vsw_ft_del(ft, spec, 1);
	}
	t_del = now_s() - t - t_gen;
	printf("  delete them one by one (strict): %.2f s, %.2f M rules/s; %zu left\n", t_del,
	       (double)n / t_del / 1e6, vsw_ft_count(ft));
	vsw_ft_destroy(ft);

	/* Publication costs on a large table, as vsw-dataplane pays them. */
	ft = vsw_ft_create();
	install(ft, 0, big, 32);
	t = now_s();
	for (unsigned i = 0; i < reps; i++) {
		next = vsw_ft_clone(ft);
		install(next, big + i, big + i + 1, 32);
		vsw_ft_destroy(ft);
		ft = next;
	}
	printf("  one add-flow on a %lluk-rule table (clone, add, destroy the old): %.1f us\n",
	       (unsigned long long)big / 1000, (now_s() - t) / reps * 1e6);
	t = now_s();
	for (unsigned i = 0; i < reps / 4 + 1; i++) {
		next = vsw_ft_clone(ft);
		install(next, 2 * big + i * 1000, 2 * big + i * 1000 + 500, 32);
		for (uint64_t k = 0; k < 500; k++) {
			rule_of(i * 500 + k, 32, &spec->match, &spec->priority);
			vsw_ft_del(next, spec, 1);
		}
		vsw_ft_destroy(ft);
		ft = next;
	}
	printf("  a batch of 500 adds + 500 deletes on one clone of it: %.2f ms\n",
	       (now_s() - t) / (reps / 4 + 1) * 1e3);
	vsw_ft_destroy(ft);
}

static int usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--quick] [--prio bands|equal|random] [--cache ENTRIES] [--secs S]\n"
		"          [--row RULES,MASKS,FLOWS]\n"
		"  --quick   up to 100k rules and 100k flows, shorter runs (seconds, not minutes)\n"
		"  --row     that row of the lookup table only, then the updates (for profiling)\n",
		prog);
	return 2;
}

int main(int argc, char **argv)
{
	static const char *PRIO[] = { "bands", "equal", "random" };

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			opt.quick = true;
			opt.secs = 0.05;
		} else if (!strcmp(argv[i], "--prio") && i + 1 < argc) {
			i++;
			opt.prio = !strcmp(argv[i], "equal")	 ? PRIO_EQUAL
				   : !strcmp(argv[i], "random") ? PRIO_RANDOM
								 : PRIO_BANDS;
		} else if (!strcmp(argv[i], "--cache") && i + 1 < argc) {
			opt.cache_entries = (unsigned)strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--row") && i + 1 < argc) {
			opt.row = sscanf(argv[++i], "%llu,%llu,%llu", &opt.row_rules,
					 &opt.row_masks, &opt.row_flows) == 3;
			if (!opt.row)
				return usage(argv[0]);
		} else if (!strcmp(argv[i], "--secs") && i + 1 < argc) {
			opt.secs = strtod(argv[++i], NULL);
		} else {
			return usage(argv[0]);
		}
	}
	make_masks();
	printf("vsw-ft-bench: flow table micro-benchmark%s, priorities: %s\n",
	       opt.quick ? " (quick)" : "", PRIO[opt.prio]);
	lookups();
	if (!opt.row)
		updates();
	return 0;
}
