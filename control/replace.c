/* SPDX-License-Identifier: BSD-3-Clause */
/* The replace-flows diff: see replace.h. */
#include "replace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void vsw_replace_plan_free(struct vsw_replace_plan *plan)
{
	free(plan->add);
	free(plan->mod);
	free(plan->mod_have);
	free(plan->del);
	memset(plan, 0, sizeof(*plan));
}

/* Identity order: table, priority, match bytes (no padding in them). */
static int cmp_ident(const struct vsw_flow_rec *x, const struct vsw_flow_rec *y)
{
	if (x->table != y->table)
		return x->table < y->table ? -1 : 1;
	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return memcmp(&x->match, &y->match, sizeof(x->match));
}

static int cmp_ptr(const void *a, const void *b)
{
	return cmp_ident(*(const struct vsw_flow_rec *const *)a,
			 *(const struct vsw_flow_rec *const *)b);
}

static const struct vsw_flow_rec **sorted(const struct vsw_flow_rec *r, size_t n)
{
	const struct vsw_flow_rec **v = malloc((n ? n : 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = &r[i];
	qsort(v, n, sizeof(*v), cmp_ptr);
	return v;
}

int vsw_replace_diff(const struct vsw_flow_rec *have, size_t n_have,
		     const struct vsw_flow_rec *want, size_t n_want,
		     struct vsw_replace_plan *plan)
{
	const struct vsw_flow_rec **h = NULL, **w = NULL;
	size_t i = 0, j = 0;
	int rc = -ENOMEM;

	memset(plan, 0, sizeof(*plan));
	h = sorted(have, n_have);
	w = sorted(want, n_want);
	plan->add = malloc((n_want + 1) * sizeof(*plan->add));
	plan->mod = malloc((n_want + 1) * sizeof(*plan->mod));
	plan->mod_have = malloc((n_want + 1) * sizeof(*plan->mod_have));
	plan->del = malloc((n_have + 1) * sizeof(*plan->del));
	if (!h || !w || !plan->add || !plan->mod || !plan->mod_have || !plan->del)
		goto out;

	while (i < n_want || j < n_have) {
		int c = i == n_want ? 1 : j == n_have ? -1 : cmp_ident(w[i], h[j]);

		if (c < 0) {
			plan->add[plan->n_add++] = (size_t)(w[i++] - want);
		} else if (c > 0) {
			plan->del[plan->n_del++] = (size_t)(h[j++] - have);
		} else {
			if (strcmp(w[i]->text, h[j]->text) == 0) {
				plan->n_unchanged++;
			} else {
				plan->mod[plan->n_mod] = (size_t)(w[i] - want);
				plan->mod_have[plan->n_mod++] = (size_t)(h[j] - have);
			}
			i++;
			j++;
		}
	}
	rc = 0;
out:
	free(h);
	free(w);
	if (rc)
		vsw_replace_plan_free(plan);
	return rc;
}
