/* SPDX-License-Identifier: BSD-3-Clause */
/* Building and publishing the ports' taps (tap.h). Main lcore only. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dp.h"
#include "tap.h"

static bool mirrors_port(const struct vsw_mirror *m, uint32_t port_no)
{
	for (uint16_t i = 0; i < m->n_src; i++)
		if (m->src[i] == port_no)
			return true;
	return false;
}

/* The taps `port` should have: *out NULL when none. 0 or -ENOMEM. */
static int build(const struct vsw_dp *dp, const struct vsw_portset *set, struct vsw_port *port,
		 struct vsw_taps **out)
{
	struct vsw_tap_capture *cap[2][VSW_MAX_CAPTURES];
	uint8_t n_cap[2] = { 0, 0 };
	uint16_t n_mirrors = 0;
	struct vsw_taps *t;

	*out = NULL;
	for (int i = 0; i < VSW_MAX_CAPTURES; i++) {
		struct vsw_capture *c = dp->captures[i];
		struct vsw_tap_capture *tc = c ? vsw_capture_tap(c) : NULL;

		if (!tc || !vsw_capture_tapped(c) || tc->port != port)
			continue;
		if (tc->dirs & VSW_TAP_IN)
			cap[0][n_cap[0]++] = tc;
		if (tc->dirs & VSW_TAP_OUT)
			cap[1][n_cap[1]++] = tc;
	}
	for (unsigned int i = 0; i < dp->n_mirrors; i++) {
		struct vsw_port *dst = vsw_portset_by_no(set, dp->mirrors[i]->dst);

		if (dst && dst != port && mirrors_port(dp->mirrors[i], port->port_no))
			n_mirrors++;
	}
	if (!n_cap[0] && !n_cap[1] && !n_mirrors)
		return 0;

	t = calloc(1, sizeof(*t) + n_mirrors * sizeof(t->mirrors[0]));
	if (!t)
		return -ENOMEM;
	memcpy(t->cap, cap, sizeof(cap));
	memcpy(t->n_cap, n_cap, sizeof(n_cap));
	for (unsigned int i = 0; i < dp->n_mirrors; i++) {
		struct vsw_port *dst = vsw_portset_by_no(set, dp->mirrors[i]->dst);

		if (dst && dst != port && mirrors_port(dp->mirrors[i], port->port_no))
			t->mirrors[t->n_mirrors++] = (struct vsw_tap_mirror){ dp->mirrors[i], dst };
	}
	*out = t;
	return 0;
}

int vsw_taps_update(struct vsw_dp *dp, struct vsw_port *gone)
{
	const struct vsw_portset *set = atomic_load(&dp->ports);
	uint16_t n = set ? set->n : 0;
	struct vsw_taps *next[VSW_MAX_PORTS], *old[VSW_MAX_PORTS + 1];
	bool changed = gone && atomic_load(&gone->taps);
	int rc = 0;

	for (uint16_t i = 0; i < n; i++) {
		if (!rc)
			rc = build(dp, set, set->list[i], &next[i]);
		else
			next[i] = NULL;
		changed |= next[i] || atomic_load(&set->list[i]->taps);
	}
	if (rc) {
		/* Untap everything rather than leave a pointer to what may be freed. */
		for (uint16_t i = 0; i < n; i++) {
			free(next[i]);
			next[i] = NULL;
		}
	}
	if (!changed)
		return rc;
	for (uint16_t i = 0; i < n; i++)
		old[i] = atomic_exchange_explicit(&set->list[i]->taps, next[i],
						  memory_order_acq_rel);
	old[n] = gone ? atomic_exchange_explicit(&gone->taps, NULL, memory_order_acq_rel) : NULL;
	rte_rcu_qsbr_synchronize(dp->qs, RTE_QSBR_THRID_INVALID);
	for (uint16_t i = 0; i <= n; i++)
		free(old[i]);
	return rc;
}
