/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The classifier under concurrent updates, as the dataplane runs it: one
 * writer publishes versions (clone, a batch of adds, replacements, mods and
 * deletes, publish, wait for a grace period, destroy the old version), while
 * reader threads look up with their own caches, plain, cached and in bursts.
 * Every reader result is checked against the reference of the very version
 * the reader loaded (the old or the new one, whichever it got).
 *
 * The grace period is a small quiescent-state scheme (as DPDK's rte_rcu_qsbr):
 * the writer bumps an epoch after publishing and waits until every reader
 * has reported a quiescent state at that epoch or later; a reader reports
 * between bursts, when it holds no version.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flow.h"
#include "ft_ref.h"
#include "table.h"

#define N_READERS 2
#define N_VERSIONS 3000
#define TIME_LIMIT_S 6.0

struct version {
	struct vsw_ft *ft;
	struct ft_ref ref; /* sorted before publication: read-only after */
	uint64_t no;
};

struct reader {
	pthread_t thread;
	unsigned id;
	_Atomic uint64_t quiescent; /* last epoch seen while holding nothing */
	uint64_t lookups;
	uint64_t versions_seen;
	uint64_t errors;
};

static _Atomic(struct version *) current;
static _Atomic uint64_t epoch = 1;
static _Atomic int stop;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void report_error(struct reader *rd, const struct version *v, const char *how,
			 const struct ft_ref_rule *want, const struct vsw_ft_rule *got)
{
	if (rd->errors++ < 5)
		fprintf(stderr, "reader %u, version %llu, %s: want cookie %lld, got %lld\n", rd->id,
			(unsigned long long)v->no, how, want ? (long long)want->spec.cookie : -1,
			got ? (long long)vsw_ft_rule_cookie(got) : -1);
}

static void check(struct reader *rd, const struct version *v, const char *how,
		  const struct ft_ref_rule *want, const struct vsw_ft_rule *got)
{
	rd->lookups++;
	if (want ? !got || vsw_ft_rule_cookie(got) != want->spec.cookie : got != NULL)
		report_error(rd, v, how, want, got);
	if (got) /* as the dataplane does: count on the rule */
		vsw_ft_rule_hit(got, 1, 64, v->no);
}

static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	struct vsw_ft_cache *cache = vsw_ft_cache_create(rd->id ? 128 : 0);
	struct ft_gen g;
	uint64_t last_no = 0;

	ft_gen_init(&g, 1000 + rd->id, 1, 2, false); /* rng only; masks unused */
	while (!atomic_load(&stop)) {
		struct version *v = atomic_load(&current);
		struct vsw_flow_key keys[32];
		const struct vsw_flow_key *kp[32];
		const struct vsw_ft_rule *got[32];
		const struct ft_ref_rule *want[32];
		uint8_t table = (uint8_t)ft_rnd(&g.rng, 2);

		if (v->no != last_no) {
			rd->versions_seen++;
			last_no = v->no;
		}
		for (unsigned i = 0; i < 32; i++) {
			if (i && ft_rnd(&g.rng, 3) == 0)
				keys[i] = keys[ft_rnd(&g.rng, i)];
			else
				ft_gen_key(&g, &v->ref, &keys[i]);
			kp[i] = &keys[i];
			want[i] = ft_ref_lookup(&v->ref, table, &keys[i]);
		}
		vsw_ft_lookup_burst(v->ft, cache, table, kp, 32, got);
		for (unsigned i = 0; i < 32; i++) {
			check(rd, v, "burst", want[i], got[i]);
			check(rd, v, "cached", want[i],
			      vsw_ft_lookup_cached(v->ft, cache, table, &keys[i]));
			if (i % 4 == 0)
				check(rd, v, "plain", want[i], vsw_ft_lookup(v->ft, table, &keys[i]));
		}
		/* Done with v: a quiescent state. */
		atomic_store(&rd->quiescent, atomic_load(&epoch));
	}
	atomic_store(&rd->quiescent, UINT64_MAX); /* offline */
	vsw_ft_cache_destroy(cache);
	return NULL;
}

static void wait_grace_period(struct reader *rd)
{
	uint64_t e = atomic_fetch_add(&epoch, 1) + 1;

	for (unsigned i = 0; i < N_READERS; i++)
		while (atomic_load(&rd[i].quiescent) < e)
			sched_yield();
}

/* A batch of changes to a fresh clone, mirrored in its reference. */
static void change(struct ft_gen *g, struct version *v, unsigned n_ops)
{
	for (unsigned op = 0; op < n_ops; op++) {
		struct vsw_flow_spec s;
		uint32_t what = ft_rnd(&g->rng, 10);

		if (v->ref.n > 500)
			what = 9;
		if (what < 5) {
			ft_gen_rule(g, &s);
			assert_int_equal(vsw_ft_add(v->ft, &s, v->no), 0);
			ft_ref_add(&v->ref, &s, false);
		} else if (what == 5) {
			/* mod-flows: new actions and cookie for what a filter selects */
			struct vsw_flow_spec a;
			uint64_t cookie = ++g->cookie;
			bool strict = ft_rnd(&g->rng, 2);

			ft_gen_rule(g, &a);
			ft_gen_filter(g, &v->ref, strict, &s);
			assert_int_equal(vsw_ft_mod(v->ft, &s, strict, &a.actions, &cookie),
					 ft_ref_mod(&v->ref, &s, strict, &a.actions, &cookie));
		} else if (what < 7 && v->ref.n) {
			/* Replace a rule: same table, priority and match, new cookie. */
			s = v->ref.r[ft_rnd(&g->rng, (uint32_t)v->ref.n)]->spec;
			s.cookie = ++g->cookie;
			s.actions.n = 1;
			s.actions.a[0].type = VSW_ACT_OUTPUT;
			s.actions.a[0].arg = (uint32_t)v->no;
			assert_int_equal(vsw_ft_add(v->ft, &s, v->no), 0);
			ft_ref_add(&v->ref, &s, false);
		} else {
			bool strict = what < 9;

			ft_gen_filter(g, &v->ref, strict, &s);
			assert_int_equal(vsw_ft_del(v->ft, &s, strict), ft_ref_del(&v->ref, &s, strict));
		}
	}
	ft_ref_sort(&v->ref);
}

static void test_concurrent_updates(void **state)
{
	struct reader rd[N_READERS];
	struct ft_gen g;
	struct version *v = calloc(1, sizeof(*v));
	uint64_t lookups = 0, errors = 0, seen = 0;
	unsigned versions = 0;
	double start = now_s();

	(void)state;
	ft_gen_init(&g, 77, 16, 2, false);
	v->ft = vsw_ft_create();
	ft_ref_init(&v->ref);
	v->no = 1;
	change(&g, v, 300);
	atomic_store(&current, v);
	memset(rd, 0, sizeof(rd));
	for (unsigned i = 0; i < N_READERS; i++) {
		rd[i].id = i;
		atomic_init(&rd[i].quiescent, 0);
		assert_int_equal(pthread_create(&rd[i].thread, NULL, reader_main, &rd[i]), 0);
	}
	for (versions = 0; versions < N_VERSIONS && now_s() - start < TIME_LIMIT_S; versions++) {
		struct version *old = atomic_load(&current), *next = calloc(1, sizeof(*next));

		assert_non_null(next);
		next->ft = vsw_ft_clone(old->ft);
		assert_non_null(next->ft);
		ft_ref_copy(&next->ref, &old->ref);
		next->no = old->no + 1;
		change(&g, next, 1 + ft_rnd(&g.rng, 24));
		atomic_store(&current, next);
		wait_grace_period(rd);
		vsw_ft_destroy(old->ft);
		ft_ref_free(&old->ref);
		free(old);
	}
	atomic_store(&stop, 1);
	for (unsigned i = 0; i < N_READERS; i++) {
		pthread_join(rd[i].thread, NULL);
		lookups += rd[i].lookups;
		errors += rd[i].errors;
		seen += rd[i].versions_seen;
	}
	v = atomic_load(&current);
	vsw_ft_destroy(v->ft);
	ft_ref_free(&v->ref);
	free(v);
	printf("[ INFO     ] %u versions published, %llu seen by readers, "
	       "%llu concurrent lookups checked in %.1f s\n",
	       versions, (unsigned long long)seen, (unsigned long long)lookups, now_s() - start);
	assert_int_equal(errors, 0);
	assert_true(versions >= 100);
	assert_true(seen >= versions / 4); /* readers did see the updates */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concurrent_updates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
