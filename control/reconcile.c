/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The configuration/dataplane difference: see reconcile.h. Both sides are
 * sorted and merged, so a plan costs O(n log n) even for large flow sets.
 */
#include "reconcile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void vsw_reconcile_plan_free(struct vsw_reconcile_plan *plan)
{
	free(plan->port_del);
	free(plan->port_add);
	free(plan->flow_del);
	free(plan->flow_add);
	memset(plan, 0, sizeof(*plan));
}

bool vsw_reconcile_plan_empty(const struct vsw_reconcile_plan *plan)
{
	return !plan->n_port_del && !plan->n_port_add && !plan->n_flow_del && !plan->n_flow_add &&
	       !plan->n_table_mod;
}

static int cmp_port_name(const void *a, const void *b)
{
	const struct vsw_port_cfg *x = *(const struct vsw_port_cfg *const *)a;
	const struct vsw_port_cfg *y = *(const struct vsw_port_cfg *const *)b;

	return strcmp(x->name, y->name);
}

static int cmp_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Pointers to each element, sorted. NULL only when out of memory. */
static const struct vsw_port_cfg **sorted_ports(const struct vsw_port_cfg *p, size_t n)
{
	const struct vsw_port_cfg **v = malloc((n ? n : 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = &p[i];
	qsort(v, n, sizeof(*v), cmp_port_name);
	return v;
}

static const char **sorted_texts(const char *const *t, size_t n)
{
	const char **v = malloc((n ? n : 1) * sizeof(*v));

	if (!v)
		return NULL;
	if (n)
		memcpy(v, t, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_text);
	return v;
}

static int diff_ports(const struct vsw_reconcile_input *in, struct vsw_reconcile_plan *plan)
{
	const struct vsw_port_cfg **want, **have;
	size_t i = 0, j = 0;
	int rc = -ENOMEM;

	want = sorted_ports(in->want_ports, in->n_want_ports);
	if (!want)
		goto err;
	have = sorted_ports(in->have_ports, in->n_have_ports);
	if (!have)
		goto err_free_want;
	/* Every have may be deleted, every want added. */
	plan->port_del = malloc((in->n_have_ports + 1) * sizeof(*plan->port_del));
	plan->port_add = malloc((in->n_want_ports + 1) * sizeof(*plan->port_add));
	if (!plan->port_del || !plan->port_add)
		goto err_free_have;

	while (i < in->n_want_ports || j < in->n_have_ports) {
		int c = i == in->n_want_ports ? 1 :
			j == in->n_have_ports ? -1 :
			strcmp(want[i]->name, have[j]->name);

		if (c < 0) {
			plan->port_add[plan->n_port_add++] = want[i++];
		} else if (c > 0) {
			plan->port_del[plan->n_port_del++] = have[j++];
		} else {
			if (!vsw_port_cfg_equal(want[i], have[j])) {
				plan->port_del[plan->n_port_del++] = have[j];
				plan->port_add[plan->n_port_add++] = want[i];
			}
			i++;
			j++;
		}
	}
	rc = 0;

err_free_have:
	free(have);
err_free_want:
	free(want);
err:
	return rc;
}

/* A parsed flow for identity comparisons. */
struct ident {
	struct vsw_flow_spec spec;
	bool parsed;
};

/* Rule identity order: table, priority, match bytes (no padding in them). */
static int cmp_ident(const void *a, const void *b)
{
	const struct ident *x = a, *y = b;

	if (x->parsed != y->parsed)
		return x->parsed ? -1 : 1;
	if (x->spec.table != y->spec.table)
		return x->spec.table < y->spec.table ? -1 : 1;
	if (x->spec.priority != y->spec.priority)
		return x->spec.priority < y->spec.priority ? -1 : 1;
	return memcmp(&x->spec.match, &y->spec.match, sizeof(x->spec.match));
}

/*
 * The dataplane rules in `extra` that a missing flow will replace are not
 * deleted: drop them from plan->flow_del.
 */
static int keep_replaced(struct vsw_reconcile_plan *plan)
{
	struct ident *adds, probe;
	size_t out = 0;

	if (!plan->n_flow_del || !plan->n_flow_add)
		return 0;
	adds = calloc(plan->n_flow_add, sizeof(*adds));
	if (!adds)
		return -ENOMEM;
	for (size_t i = 0; i < plan->n_flow_add; i++)
		adds[i].parsed = !vsw_flow_parse(plan->flow_add[i], VSW_PARSE_ADD, NULL,
						 &adds[i].spec, NULL, 0);
	qsort(adds, plan->n_flow_add, sizeof(*adds), cmp_ident);
	for (size_t i = 0; i < plan->n_flow_del; i++) {
		const struct ident *hit = NULL;

		memset(&probe, 0, sizeof(probe));
		probe.parsed = !vsw_flow_parse(plan->flow_del[i], VSW_PARSE_ADD, NULL, &probe.spec,
					       NULL, 0);
		if (probe.parsed)
			hit = bsearch(&probe, adds, plan->n_flow_add, sizeof(*adds), cmp_ident);
		if (hit && vsw_flow_spec_same_rule(&hit->spec, &probe.spec))
			plan->n_flow_replace++;
		else
			plan->flow_del[out++] = plan->flow_del[i];
	}
	plan->n_flow_del = out;
	free(adds);
	return 0;
}

static int diff_flows(const struct vsw_reconcile_input *in, struct vsw_reconcile_plan *plan)
{
	const char **want, **have;
	size_t i = 0, j = 0;
	int rc = -ENOMEM;

	want = sorted_texts(in->want_flows, in->n_want_flows);
	if (!want)
		goto err;
	have = sorted_texts(in->have_flows, in->n_have_flows);
	if (!have)
		goto err_free_want;
	plan->flow_del = malloc((in->n_have_flows + 1) * sizeof(*plan->flow_del));
	plan->flow_add = malloc((in->n_want_flows + 1) * sizeof(*plan->flow_add));
	if (!plan->flow_del || !plan->flow_add)
		goto err_free_have;

	while (i < in->n_want_flows || j < in->n_have_flows) {
		int c = i == in->n_want_flows ? 1 :
			j == in->n_have_flows ? -1 :
			strcmp(want[i], have[j]);

		if (c < 0) {
			plan->flow_add[plan->n_flow_add++] = want[i++];
		} else if (c > 0) {
			plan->flow_del[plan->n_flow_del++] = have[j++];
		} else {
			i++;
			j++;
		}
	}
	rc = keep_replaced(plan);

err_free_have:
	free(have);
err_free_want:
	free(want);
err:
	return rc;
}

static void diff_tables(const struct vsw_reconcile_input *in, struct vsw_reconcile_plan *plan)
{
	if (!in->want_miss || !in->have_miss)
		return;
	for (unsigned t = 0; t < VSW_FT_N_TABLES; t++)
		if (in->want_miss[t] != in->have_miss[t])
			plan->table_mod[plan->n_table_mod++] = (uint8_t)t;
}

int vsw_reconcile(const struct vsw_reconcile_input *in, struct vsw_reconcile_plan *plan)
{
	int rc;

	memset(plan, 0, sizeof(*plan));
	diff_tables(in, plan);
	rc = diff_ports(in, plan);
	if (!rc)
		rc = diff_flows(in, plan);
	if (rc)
		vsw_reconcile_plan_free(plan);
	return rc;
}
