/* SPDX-License-Identifier: BSD-3-Clause */
/* The packet path of one received burst, and the table walk (pmd.h). */
#include "pipeline.h"

#include <stddef.h>
#include <string.h>

#include <rte_branch_prediction.h>

#include "log.h"

#define ETH_HLEN 14

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

/* add_hits() for a rule not in the last slot: the three before it, or a new slot. */
static void add_hits_slow(struct vsw_pmd *pmd, const struct vsw_ft_rule *rule, uint32_t packets,
			  uint64_t bytes, uint64_t now_ms)
{
	uint16_t n = pmd->n_hits;

	for (int i = n - 2; i >= 0 && i + 4 >= n; i--) {
		struct vsw_rule_hits *h = &pmd->hits[i];

		if (h->rule == rule) {
			h->packets += packets;
			h->bytes += bytes;
			return;
		}
	}
	if (n == VSW_HIT_SLOTS) {
		hits_flush(pmd, now_ms);
		n = 0;
	}
	pmd->hits[n] = (struct vsw_rule_hits){ rule, packets, bytes };
	pmd->n_hits = n + 1;
}

/*
 * Count `packets` hits of `bytes` on `rule` for the burst. Packets of a
 * burst mostly hit the rules the previous packet hit (one flow, or one
 * pipeline of a few rules): look for the rule in the last slot (inline),
 * then in the three before it.
 */
static inline void add_hits(struct vsw_pmd *pmd, const struct vsw_ft_rule *rule,
			    uint32_t packets, uint64_t bytes, uint64_t now_ms)
{
	struct vsw_rule_hits *h = &pmd->hits[pmd->n_hits ? pmd->n_hits - 1 : 0];

	if (likely(pmd->n_hits && h->rule == rule)) {
		h->packets += packets;
		h->bytes += bytes;
		return;
	}
	add_hits_slow(pmd, rule, packets, bytes, now_ms);
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
	add_hits(c->pmd, rule, 1, rte_pktmbuf_pkt_len(c->m), c->now_ms);
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

/*
 * Would the key extractor take this frame (vsw_flow_extract() refuses only
 * a cut Ethernet header or a cut outer VLAN tag)?
 */
static bool l2_whole(const struct rte_mbuf *m)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint16_t len = rte_pktmbuf_data_len(m), type;

	if (!rte_pktmbuf_is_contiguous(m) || len < ETH_HLEN)
		return false;
	type = (uint16_t)(p[12] << 8 | p[13]);
	return len >= ETH_HLEN + VSW_VLAN_HLEN ||
	       (type != VSW_ETH_TYPE_VLAN && type != VSW_ETH_TYPE_QINQ);
}

/*
 * The port `rule` patches frames from `in` to: its one action is an output
 * to another port of the same pipeline, not a VXLAN port. NULL otherwise.
 */
static struct vsw_port *patch_port(const struct vsw_portset *set, const struct vsw_port *in,
				   const struct vsw_ft_rule *rule)
{
	const struct vsw_actions *acts = vsw_ft_rule_actions(rule);
	struct vsw_port *out;

	if (acts->n != 1 || acts->a[0].type != VSW_ACT_OUTPUT || acts->a[0].arg > VSW_PORT_MAX ||
	    acts->a[0].arg == in->port_no)
		return NULL;
	out = vsw_portset_by_no(set, acts->a[0].arg);
	if (!out || out->underlay ||
	    atomic_load_explicit(&out->table, memory_order_relaxed) !=
		    atomic_load_explicit(&in->table, memory_order_relaxed))
		return NULL;
	return out;
}

/*
 * A burst whose start table matches metadata only (vsw_ft_table_meta_only():
 * port-to-port rules such as `in_port=A,actions=output:B`): every frame gets
 * the rule a key with nothing but in_port gets, so the burst is looked up
 * with that one key, before any frame's headers are read. When that rule is
 * a single output to another port of the pipeline, the frames go there as
 * they are: no key per frame, no actions to run; what is counted (tables,
 * cache, rule, ports) is what the general path counts. Returns 1 when the
 * burst went so (*bytes: its size); -1 when it was looked up but must take
 * the general path, *rule (maybe NULL) being every frame's rule; 0 when it
 * was not looked up: a frame the key extractor would refuse is among them.
 */
static int patch_burst(struct vsw_pmd *pmd, const struct vsw_portset *set,
		       const struct vsw_ft *ft, struct vsw_port *in, struct rte_mbuf **pkts,
		       uint16_t n, uint64_t now_ms, const struct vsw_ft_rule **rule,
		       uint64_t *bytes)
{
	const struct vsw_flow_key *keys[VSW_BURST];
	const struct vsw_ft_rule *rules[VSW_BURST];
	uint8_t start = atomic_load_explicit(&in->table, memory_order_relaxed);
	struct vsw_pmd_table_stats *t0 = &pmd->tables[start];
	struct vsw_flow_key key;
	struct vsw_port *out;
	unsigned int hits;

	*rule = NULL;
	*bytes = 0;
	for (uint16_t i = 0; i < n; i++)
		if (unlikely(!l2_whole(pkts[i])))
			return 0;
	memset(&key, 0, sizeof(key));
	key.in_port = in->port_no;
	for (uint16_t i = 0; i < n; i++)
		keys[i] = &key;
	hits = vsw_ft_lookup_burst(ft, pmd->cache, start, keys, n, rules);
	vsw_pmd_count(&t0->lookups, n);
	vsw_pmd_count(&t0->matches, hits);
	*rule = rules[0];
	if (!rules[0] || !(out = patch_port(set, in, rules[0])))
		return -1;
	for (uint16_t i = 0; i < n; i++) {
		*bytes += rte_pktmbuf_pkt_len(pkts[i]);
		vsw_pmd_tx(pmd, out, pkts[i]);
	}
	add_hits(pmd, rules[0], n, *bytes, now_ms);
	return 1;
}

/* The burst's end: rule and VXLAN counters, the input port's. */
static void burst_done(struct vsw_pmd *pmd, struct vsw_port *in, uint16_t n, uint64_t bytes,
		       uint64_t now_ms)
{
	hits_flush(pmd, now_ms);
	vsw_vxlan_sent_flush(pmd);
	atomic_fetch_add_explicit(&in->stats.rx_packets, n, memory_order_relaxed);
	atomic_fetch_add_explicit(&in->stats.rx_bytes, bytes, memory_order_relaxed);
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
	const struct vsw_ft_rule *burst_rule = NULL;
	uint64_t bytes = 0;
	unsigned int hits = 0;
	int patched = 0;
	bool defer, l2 = pmd->l2c_used;

	/* The state `normal`'s cache answers for (l2_cache.h): domains first. */
	pmd->l2_epoch.domains = atomic_load_explicit(&pmd->dp->domains_gen, memory_order_acquire);
	pmd->l2_epoch.macs = vsw_mac_table_gen(pmd->dp->macs);
	pmd->l2_epoch.second = vsw_dp_seconds(now_ms);
	pmd->l2c_used = false;
	/* 0. A start table that matches metadata only: one lookup for the burst. */
	if (!md && vsw_ft_table_meta_only(ft, start)) {
		patched = patch_burst(pmd, set, ft, in, pkts, n, now_ms, &burst_rule, &bytes);
		if (patched > 0) {
			burst_done(pmd, in, n, bytes, now_ms);
			return;
		}
	}
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
		if (l2)
			c->l2_set = vsw_normal_prefetch(pmd, in,
							rte_pktmbuf_mtod(c->m, const uint8_t *),
							md ? &md[i] : NULL);
		keys[n_good] = &c->key;
		good[n_good++] = i;
	}
	/* 2. The port's start table (0 unless port-mod said otherwise), whole burst. */
	if (patched < 0) { /* looked up and counted already (0.) */
		for (uint16_t j = 0; j < n_good; j++)
			rules[j] = burst_rule;
	} else {
		hits = n_good ? vsw_ft_lookup_burst(ft, pmd->cache, start, keys, n_good, rules) : 0;
		vsw_pmd_count(&t0->lookups, n_good);
		vsw_pmd_count(&t0->matches, hits);
	}
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
	burst_done(pmd, in, n, bytes, now_ms);
}
