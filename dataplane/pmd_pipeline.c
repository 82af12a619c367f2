/* SPDX-License-Identifier: BSD-3-Clause */
/* The packet path of one received burst, and the table walk (pmd.h). */
#include "pipeline.h"

#include <stddef.h>
#include <string.h>

#include <rte_branch_prediction.h>

#include "log.h"

static const struct vsw_ft_rule *lookup(struct vsw_pkt_ctx *c, uint8_t table)
{
	struct vsw_pmd_table_stats *st = &c->pmd->tables[table];
	const struct vsw_ft_rule *rule =
		vsw_ft_lookup_cached(c->ft, c->pmd->cache, table, &c->key);

	vsw_pmd_count(&st->lookups, 1);
	if (rule)
		vsw_pmd_count(&st->matches, 1);
	return rule;
}

/* Add the burst's rule hits to the rules: one atomic add per rule, not per packet. */
static void hits_flush(struct vsw_pmd *pmd, uint64_t now_ms)
{
	for (uint16_t i = 0; i < pmd->n_hits; i++)
		vsw_ft_rule_hit(pmd->hits[i].rule, pmd->hits[i].packets, pmd->hits[i].bytes, now_ms);
	pmd->n_hits = 0;
}

/*
 * Count a hit on `rule` for the burst. Packets of a burst mostly hit the
 * rules the previous packet hit (one flow, or one pipeline of a few rules):
 * look for the rule among the last four slots only.
 */
static void count_hit(struct vsw_pkt_ctx *c, const struct vsw_ft_rule *rule)
{
	struct vsw_pmd *pmd = c->pmd;
	uint16_t n = pmd->n_hits;

	for (uint16_t i = n; i > 0 && i + 4 > n; i--) {
		struct vsw_rule_hits *h = &pmd->hits[i - 1];

		if (h->rule == rule) {
			h->packets++;
			h->bytes += rte_pktmbuf_pkt_len(c->m);
			return;
		}
	}
	if (n == VSW_HIT_SLOTS) {
		hits_flush(pmd, c->now_ms);
		n = 0;
	}
	pmd->hits[n] = (struct vsw_rule_hits){ rule, 1, rte_pktmbuf_pkt_len(c->m) };
	pmd->n_hits = n + 1;
}

static bool miss_continues(const struct vsw_pkt_ctx *c, uint8_t table)
{
	return table + 1 < VSW_FT_N_TABLES &&
	       atomic_load_explicit(&c->pmd->dp->table_miss[table], memory_order_relaxed) ==
		       VSW_MISS_CONTINUE;
}

/*
 * `rule` is what `table` gave for the key (counted already): follow the miss
 * policy until a rule matches, then run its actions one level deeper.
 */
static void run(struct vsw_pkt_ctx *c, uint8_t table, const struct vsw_ft_rule *rule,
		bool honor_miss)
{
	while (!rule) {
		if (!honor_miss || !miss_continues(c, table)) {
			c->verdict = VSW_DROP_NO_MATCH;
			return;
		}
		if (unlikely(++c->n_lookups > VSW_MAX_LOOKUPS)) {
			vsw_pipeline_fail(c, VSW_DROP_TOO_MANY_RESUBMITS);
			return;
		}
		rule = lookup(c, ++table);
	}
	count_hit(c, rule);
	c->verdict = VSW_DROP_N;
	c->depth++;
	vsw_actions_run(c, vsw_ft_rule_actions(rule), table);
	c->depth--;
}

void vsw_pipeline_table(struct vsw_pkt_ctx *c, uint32_t table, bool honor_miss)
{
	if (unlikely(table >= VSW_FT_N_TABLES))
		return;
	if (unlikely(c->depth + c->chain >= VSW_MAX_DEPTH)) {
		vsw_pipeline_fail(c, VSW_DROP_RECURSION_TOO_DEEP);
		return;
	}
	if (unlikely(++c->n_lookups > VSW_MAX_LOOKUPS)) {
		vsw_pipeline_fail(c, VSW_DROP_TOO_MANY_RESUBMITS);
		return;
	}
	/*
	 * goto_table from the top level of a packet that has queued no output
	 * yet: nothing follows it but the lookup, so the burst's packets make
	 * that lookup together, in a wave (vsw_pmd_process(), which says when).
	 */
	if (honor_miss && c->defer && c->depth == 1 && !c->pmd->n_pending) {
		c->goto_next = (uint16_t)(table + 1);
		return;
	}
	run(c, (uint8_t)table, lookup(c, (uint8_t)table), honor_miss);
}

/* A whole packet dropped: counted, and said at debug level (rate-limited). */
static void drop(struct vsw_port *in, enum vsw_drop why)
{
	vsw_port_count_drop(in, why, 1);
	VSW_LOG_RL(pmd, DEBUG, "port %s: packet dropped: %s", in->name, vsw_drop_names[why]);
}

/* The pipeline is done: hand the outputs to the tx batches, or count the drop. */
static void finish(struct vsw_pkt_ctx *c)
{
	struct vsw_pmd *pmd = c->pmd;

	if (unlikely(c->fatal)) {
		for (uint16_t i = 0; i < pmd->n_pending; i++)
			if (pmd->pending[i].m != c->m) /* the shared ones hold no reference */
				rte_pktmbuf_free(pmd->pending[i].m);
		drop(c->in, c->verdict);
		c->n_shared = 0;
	} else if (!pmd->n_pending && !c->n_failed) {
		drop(c->in, c->verdict < VSW_DROP_N ? c->verdict : VSW_DROP_ACTION_DROP);
	} else if (unlikely(pmd->vx_pending)) {
		vsw_vxlan_finish(c); /* may take outputs off c->m: before the count below */
	}
	/*
	 * Our reference goes to the outputs that share c->m: one output takes
	 * it over (no reference count touched), n take n - 1 more; none, freed.
	 * Before the tx batches, which may send and free at once.
	 */
	if (!c->n_shared)
		rte_pktmbuf_free(c->m);
	else if (c->n_shared > 1)
		rte_mbuf_refcnt_update(c->m, (int16_t)(c->n_shared - 1));
	if (!c->fatal) {
		for (uint16_t i = 0; i < pmd->n_pending; i++) {
			if (unlikely(pmd->pending[i].vtep)) {
				if (!pmd->pending[i].m)
					continue;
				vsw_vxlan_sent(pmd, c->set->vxlan, &pmd->pending[i]);
			}
			vsw_pmd_tx(pmd, pmd->pending[i].port, pmd->pending[i].m);
		}
	}
	pmd->n_pending = 0;
	pmd->vx_pending = false;
}

/*
 * Can `rule` (NULL: a miss) queue an output? Rules that only edit, drop or
 * goto_table cannot: the packets of a stage whose rules are all such either
 * wait for the next wave or end without output, so deferring their
 * goto_tables keeps the order of what is sent.
 */
static bool may_output(const struct vsw_ft_rule *rule)
{
	const struct vsw_actions *acts;

	if (!rule)
		return true; /* the miss policy may look up another table */
	acts = vsw_ft_rule_actions(rule);
	for (uint8_t i = 0; i < acts->n; i++) {
		switch ((enum vsw_action_type)acts->a[i].type) {
		case VSW_ACT_PUSH_VLAN:
		case VSW_ACT_STRIP_VLAN:
		case VSW_ACT_SET_FIELD:
		case VSW_ACT_DEC_TTL:
		case VSW_ACT_DROP:
		case VSW_ACT_NOTE:
		case VSW_ACT_GOTO_TABLE:
			break;
		default:
			return true;
		}
	}
	return false;
}

static bool any_output(const struct vsw_ft_rule *const rules[], uint16_t n)
{
	for (uint16_t i = 0; i < n; i++)
		if ((!i || rules[i] != rules[i - 1]) && may_output(rules[i]))
			return true;
	return false;
}

/* Take up a deferred goto_table: returns its table. */
static uint8_t resume(struct vsw_pkt_ctx *c, bool defer)
{
	uint8_t table = (uint8_t)(c->goto_next - 1);

	c->goto_next = 0;
	c->chain++; /* the nesting the goto_table would have had */
	c->defer = defer;
	return table;
}

/*
 * One wave of deferred goto_tables, `wait` in burst order. When they all go
 * to one table, they look it up as a burst and run on, in order; those that
 * go on to yet another table wait again (only when no rule of the wave can
 * output). Otherwise each goes on alone, in order, to the end. Returns how
 * many still wait.
 */
static uint16_t next_wave(struct vsw_pmd *pmd, const struct vsw_ft *ft,
			  struct vsw_pkt_ctx *ctx, uint16_t *wait, uint16_t n)
{
	const struct vsw_flow_key *keys[VSW_BURST];
	const struct vsw_ft_rule *rules[VSW_BURST];
	uint16_t next = ctx[wait[0]].goto_next, left = 0;
	uint8_t table = (uint8_t)(next - 1);
	struct vsw_pmd_table_stats *st = &pmd->tables[table];
	unsigned int hits;
	bool defer;

	for (uint16_t i = 0; i < n; i++) {
		if (ctx[wait[i]].goto_next != next) {
			for (i = 0; i < n; i++) {
				struct vsw_pkt_ctx *c = &ctx[wait[i]];
				uint8_t t = resume(c, false);

				run(c, t, lookup(c, t), true);
				finish(c);
			}
			return 0;
		}
		keys[i] = &ctx[wait[i]].key;
	}
	hits = vsw_ft_lookup_burst(ft, pmd->cache, table, keys, n, rules);
	vsw_pmd_count(&st->lookups, n);
	vsw_pmd_count(&st->matches, hits);
	defer = !any_output(rules, n);
	for (uint16_t i = 0; i < n; i++) {
		struct vsw_pkt_ctx *c = &ctx[wait[i]];

		run(c, resume(c, defer), rules[i], true);
		if (c->goto_next)
			wait[left++] = wait[i];
		else
			finish(c);
	}
	return left;
}

void vsw_pmd_process(struct vsw_pmd *pmd, const struct vsw_portset *set,
		     const struct vsw_ft *ft, struct vsw_port *in, struct rte_mbuf **pkts,
		     uint16_t n, uint64_t now_ms, const struct vsw_tun_md *md)
{
	struct vsw_pkt_ctx ctx[VSW_BURST];
	const struct vsw_flow_key *keys[VSW_BURST];
	const struct vsw_ft_rule *rules[VSW_BURST];
	uint8_t start = atomic_load_explicit(&in->table, memory_order_relaxed);
	struct vsw_pmd_table_stats *t0 = &pmd->tables[start];
	uint16_t good[VSW_BURST], n_good = 0, wait[VSW_BURST], n_wait = 0;
	uint64_t bytes = 0;
	unsigned int hits;
	bool defer;

	/* 1. Keys. vhost gives linear buffers for frames up to the mbuf size. */
	for (uint16_t i = 0; i < n; i++) {
		struct vsw_pkt_ctx *c = &ctx[i];

		memset(c, 0, offsetof(struct vsw_pkt_ctx, key));
		c->pmd = pmd;
		c->set = set;
		c->ft = ft;
		c->in = in;
		c->now_ms = now_ms;
		c->m = pkts[i];
		c->n_lookups = 1;
		c->verdict = VSW_DROP_N;
		bytes += rte_pktmbuf_pkt_len(c->m);
		if (unlikely(!rte_pktmbuf_is_contiguous(c->m)) ||
		    vsw_flow_extract(rte_pktmbuf_mtod(c->m, const void *),
				     rte_pktmbuf_data_len(c->m), in->port_no, &c->key)) {
			drop(in, VSW_DROP_MALFORMED);
			rte_pktmbuf_free(c->m);
			continue;
		}
		if (md) {
			c->key.tun_id = md[i].vni;
			c->key.tun_src = md[i].src_ip;
		}
		keys[n_good] = &c->key;
		good[n_good++] = i;
	}
	/* 2. The port's start table (0 unless port-mod said otherwise), whole burst. */
	hits = n_good ? vsw_ft_lookup_burst(ft, pmd->cache, start, keys, n_good, rules) : 0;
	vsw_pmd_count(&t0->lookups, n_good);
	vsw_pmd_count(&t0->matches, hits);
	defer = !any_output(rules, n_good);
	for (uint16_t j = 0; j < n_good; j++) {
		struct vsw_pkt_ctx *c = &ctx[good[j]];

		/* 3. Actions, and more lookups through goto_table and resubmit. */
		c->defer = defer;
		run(c, start, rules[j], true);
		/* 4. Outputs to the per-port batches; pmd.c flushes them after the burst. */
		if (c->goto_next)
			wait[n_wait++] = good[j];
		else
			finish(c);
	}
	/* 5. The goto_tables deferred above, in waves (next_wave()). */
	while (n_wait)
		n_wait = next_wave(pmd, ft, ctx, wait, n_wait);
	hits_flush(pmd, now_ms);
	vsw_vxlan_sent_flush(pmd);
	atomic_fetch_add_explicit(&in->stats.rx_packets, n, memory_order_relaxed);
	atomic_fetch_add_explicit(&in->stats.rx_bytes, bytes, memory_order_relaxed);
}
