/* SPDX-License-Identifier: BSD-3-Clause */
/* The timeout sweep: see sweep.h and expire.h. */
#include "sweep.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "expire.h"

#define LOG_EACH_MAX 10 /* expired flows logged one by one at info; more: at debug */

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool vsw_sweep_due(const struct vsw_control *ctl)
{
	return ctl->cfg.n_timed && mono_ms() >= ctl->next_sweep_ms;
}

int vsw_sweep_poll_timeout(const struct vsw_control *ctl)
{
	long long left;

	if (!ctl->cfg.n_timed)
		return -1;
	left = ctl->next_sweep_ms - mono_ms();
	return left < 0 ? 0 : left > VSW_SWEEP_INTERVAL_MS ? VSW_SWEEP_INTERVAL_MS : (int)left;
}

/*
 * The dataplane's idle_ms of each rule with an idle timeout (others and
 * rules it lacks: unknown). NULL when there are no stats; *took_ms: how long
 * the flow-list took.
 */
static int64_t *idle_stats(struct vsw_control *ctl, long long *took_ms)
{
	const struct vsw_config *cfg = &ctl->cfg;
	struct vsw_dpconn_stats st;
	long long start = mono_ms();
	int64_t *idle;
	char err[256];
	int rc;

	*took_ms = 0;
	if (!cfg->n_idle || !vsw_dpconn_connected(&ctl->dp))
		return NULL;
	rc = vsw_dpconn_stats(&ctl->dp, &st, err, sizeof(err));
	*took_ms = mono_ms() - start;
	if (rc) {
		if (rc == -EREMOTEIO)
			vsw_warn(&ctl->log, "timeouts: flow-list: %s", err);
		return NULL;
	}
	idle = malloc((cfg->n_flows + 1) * sizeof(*idle));
	for (size_t i = 0; idle && i < cfg->n_flows; i++) {
		json_t *e = cfg->flows[i].idle_timeout ?
			    vsw_dpconn_stats_find(&st, cfg->flows[i].text) : NULL;
		json_t *v = json_object_get(e, "idle_ms");

		idle[i] = json_is_integer(v) ? json_integer_value(v) : VSW_EXPIRE_UNKNOWN;
	}
	vsw_dpconn_stats_free(&st);
	return idle;
}

/* Take the expired rules out: store, dataplane (one batch), model. */
static void expire(struct vsw_control *ctl, const bool *gone, size_t n, const char *why)
{
	struct vsw_config *cfg = &ctl->cfg;
	json_t *ops = json_array();
	char err[512];
	int rc, dp_rc = -ENOTCONN;

	rc = ops ? vsw_store_begin(ctl->store) : -ENOMEM;
	for (size_t i = 0; i < cfg->n_flows && !rc; i++) {
		if (!gone[i])
			continue;
		rc = vsw_store_del_flow(ctl->store, cfg->flows[i].id);
		if (!rc)
			rc = vsw_dpconn_op_del_rule(ops, &cfg->flows[i]);
	}
	if (rc) {
		vsw_store_rollback(ctl->store);
		vsw_err(&ctl->log, "timeouts: cannot expire %zu flows: %s", n,
			rc == -ENOMEM ? "out of memory" : vsw_store_error(ctl->store));
		goto out;
	}
	if (vsw_dpconn_connected(&ctl->dp)) {
		dp_rc = vsw_dpconn_flow_batch(&ctl->dp, ops, NULL, NULL, err, sizeof(err));
		/* The store is the truth: the rules are gone; reconcile takes them out. */
		if (dp_rc == -EREMOTEIO) {
			vsw_warn(&ctl->log, "timeouts: dataplane: %s (resyncing)", err);
			ctl->dp.need_sync = true;
		}
	}
	rc = vsw_store_commit(ctl->store);
	if (rc) {
		vsw_err(&ctl->log, "timeouts: store %s: commit: %s", vsw_store_path(ctl->store),
			vsw_store_error(ctl->store));
		if (dp_rc == 0)
			ctl->dp.need_sync = true; /* puts them back; they expire again */
		goto out;
	}
	for (size_t i = 0; i < cfg->n_flows; i++)
		if (gone[i])
			vsw_log(&ctl->log, n <= LOG_EACH_MAX ? VSW_LOG_INFO : VSW_LOG_DEBUG,
				"flow expired (%s): %s",
				vsw_expire_check(&cfg->flows[i], wall_ms(), 0) == VSW_EXPIRE_HARD ?
				"hard_timeout" : "idle_timeout", cfg->flows[i].text);
	vsw_config_del_flows(cfg, gone);
	vsw_info(&ctl->log, "timeouts: %zu flows expired (%s)%s", n, why,
		 dp_rc == -ENOTCONN ? " (dataplane not connected: it gets this when it connects)" :
		 "");
out:
	json_decref(ops);
}

void vsw_sweep(struct vsw_control *ctl)
{
	struct vsw_config *cfg = &ctl->cfg;
	long long start = mono_ms(), took_ms, interval = VSW_SWEEP_INTERVAL_MS;
	size_t n, n_hard, n_idle;
	int64_t *idle;
	bool *gone;
	char why[64];

	ctl->next_sweep_ms = start + interval;
	if (!cfg->n_timed)
		return;
	idle = idle_stats(ctl, &took_ms);
	/* A big flow-list: sweep less often, at most a tenth of the time. */
	if (took_ms * 10 > interval)
		interval = took_ms * 10;
	gone = malloc((cfg->n_flows + 1) * sizeof(*gone));
	if (!gone) {
		vsw_err(&ctl->log, "timeouts: out of memory");
		goto out;
	}
	n = vsw_expire_scan(cfg->flows, cfg->n_flows, idle, wall_ms(), gone, &n_hard, &n_idle);
	if (n) {
		snprintf(why, sizeof(why), "%zu hard, %zu idle", n_hard, n_idle);
		expire(ctl, gone, n, why);
	}
out:
	free(gone);
	free(idle);
	ctl->next_sweep_ms = mono_ms() + interval;
}
