/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tenant compiler's output (compile.h): warnings, rules made canonical,
 * duplicates, order, lookups and freeing.
 */
#include "compile_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"

/* ---- output bookkeeping ---- */

void ct_warn(struct ct *cx, const char *fmt, ...)
{
	struct vsw_compiled *out = cx->out;
	char line[512], **w;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	w = realloc(out->warnings, (out->n_warnings + 1) * sizeof(*w));
	if (!w) {
		cx->rc = -ENOMEM;
		return;
	}
	out->warnings = w;
	w[out->n_warnings] = strdup(line);
	if (!w[out->n_warnings])
		cx->rc = -ENOMEM;
	else
		out->n_warnings++;
}

const char *ct_ip4(uint32_t ip, char buf[16])
{
	const uint8_t *b = (const uint8_t *)&ip;

	snprintf(buf, 16, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return buf;
}

static int grow_flows(struct ct *cx)
{
	struct vsw_compiled *out = cx->out;
	size_t cap = cx->cap_flows ? cx->cap_flows * 2 : 64;
	struct vsw_cflow *f;
	char **id;

	if (out->n_flows < cx->cap_flows)
		return 0;
	f = realloc(out->flows, cap * sizeof(*f));
	if (!f)
		return -ENOMEM;
	out->flows = f;
	id = realloc(cx->idents, cap * sizeof(*id));
	if (!id)
		return -ENOMEM;
	cx->idents = id;
	cx->cap_flows = cap;
	return 0;
}

int ct_emit(struct ct *cx, const struct ct_rule *r, const char *actions, char *err,
	    size_t errlen, const char *fmt, ...)
{
	char match[2048], text[3072], canon[3072], ident[2100];
	struct vsw_flow_spec spec;
	struct vsw_cflow *f;
	uint64_t cookie = vsw_tenant_cookie(r->tenant, r->kind);
	va_list ap;
	int n;

	if (cx->rc)
		return cx->rc;
	va_start(ap, fmt);
	n = vsnprintf(match, sizeof(match), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(match)) {
		snprintf(err, errlen, "match too long");
		return -EINVAL;
	}
	snprintf(text, sizeof(text), "table=%u,priority=%u,cookie=0x%llx%s%s,actions=%s",
		 (unsigned)r->table, (unsigned)r->priority, (unsigned long long)cookie,
		 match[0] ? "," : "", match, actions);
	if (vsw_flow_parse(text, VSW_PARSE_ADD, NULL, &spec, err, errlen))
		return -EINVAL;
	if (vsw_flow_format(&spec, NULL, canon, sizeof(canon)) < 0 ||
	    vsw_flow_format_match(&spec.match, VSW_FT_DEFAULT_PRIORITY, NULL, match,
				  sizeof(match)) < 0) {
		snprintf(err, errlen, "rule too long");
		return -EINVAL;
	}
	snprintf(ident, sizeof(ident), "%u/%u/%s", (unsigned)spec.table, (unsigned)spec.priority,
		 match);
	if (grow_flows(cx))
		goto err_nomem;
	f = &cx->out->flows[cx->out->n_flows];
	*f = (struct vsw_cflow){
		.text = strdup(canon), .cookie = cookie, .tenant_id = r->tenant,
		.acl_id = r->acl_id, .domain = r->domain, .kind = r->kind, .table = r->table,
		.drop = spec.actions.n == 0,
	};
	cx->idents[cx->out->n_flows] = strdup(ident);
	if (!f->text || !cx->idents[cx->out->n_flows]) {
		free(f->text);
		free(cx->idents[cx->out->n_flows]);
		goto err_nomem;
	}
	cx->out->n_flows++;
	return 0;

err_nomem:
	cx->rc = -ENOMEM;
	return -ENOMEM;
}

/* ---- rules: duplicates and order ---- */

struct ident_ref {
	const char *ident;
	size_t i;
};

static int cmp_ident_ref(const void *a, const void *b)
{
	const struct ident_ref *x = a, *y = b;
	int c = strcmp(x->ident, y->ident);

	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

int ct_cmp_cflow_text(const void *a, const void *b)
{
	return strcmp(((const struct vsw_cflow *)a)->text, ((const struct vsw_cflow *)b)->text);
}

/* Two rules with one identity: keep the first emitted. Then sort by text. */
int ct_finish_flows(struct ct *cx)
{
	struct vsw_compiled *out = cx->out;
	struct ident_ref *r = calloc(out->n_flows + 1, sizeof(*r));
	size_t w = 0;

	if (!r)
		return -ENOMEM;
	for (size_t i = 0; i < out->n_flows; i++)
		r[i] = (struct ident_ref){ cx->idents[i], i };
	qsort(r, out->n_flows, sizeof(*r), cmp_ident_ref);
	for (size_t i = 1; i < out->n_flows; i++) {
		if (strcmp(r[i].ident, r[i - 1].ident))
			continue;
		ct_warn(cx, "rule '%s' left out: '%s' has the same table, priority and match",
			out->flows[r[i].i].text, out->flows[r[i - 1].i].text);
		free(out->flows[r[i].i].text);
		out->flows[r[i].i].text = NULL;
		r[i].i = r[i - 1].i; /* a third is compared with the one kept */
	}
	free(r);
	for (size_t i = 0; i < out->n_flows; i++)
		if (out->flows[i].text)
			out->flows[w++] = out->flows[i];
	out->n_flows = w;
	qsort(out->flows, out->n_flows, sizeof(*out->flows), ct_cmp_cflow_text);
	return 0;
}

void vsw_compiled_free(struct vsw_compiled *c)
{
	for (size_t i = 0; i < c->n_flows; i++)
		free(c->flows[i].text);
	free(c->flows);
	for (size_t i = 0; i < c->n_domains; i++) {
		free(c->domains[i].members);
		free(c->domains[i].vteps);
	}
	free(c->domains);
	free(c->ports);
	free(c->vtep_ips);
	for (size_t i = 0; i < c->n_warnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
	memset(c, 0, sizeof(*c));
}

const struct vsw_cdomain *vsw_compiled_domain(const struct vsw_compiled *c, uint32_t id)
{
	size_t lo = 0, hi = c->n_domains;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (c->domains[mid].id == id)
			return &c->domains[mid];
		if (c->domains[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct vsw_cflow *vsw_compiled_flow(const struct vsw_compiled *c, const char *text)
{
	struct vsw_cflow key = { .text = (char *)text };

	if (!c->n_flows)
		return NULL;
	return bsearch(&key, c->flows, c->n_flows, sizeof(key), ct_cmp_cflow_text);
}

const struct vsw_cport *vsw_compiled_port(const struct vsw_compiled *c, uint32_t port_no)
{
	for (size_t i = 0; i < c->n_ports; i++)
		if (c->ports[i].port_no == port_no)
			return &c->ports[i];
	return NULL;
}

bool vsw_cdomain_equal(const struct vsw_cdomain *a, const struct vsw_cdomain *b)
{
	if (a->id != b->id || a->mac_limit != b->mac_limit || a->aging != b->aging ||
	    a->vni != b->vni || a->limit_group != b->limit_group ||
	    a->n_members != b->n_members || a->n_vteps != b->n_vteps)
		return false;
	for (size_t i = 0; i < a->n_members; i++)
		if (ct_cmp_member(&a->members[i], &b->members[i]))
			return false;
	for (size_t i = 0; i < a->n_vteps; i++)
		if (ct_cmp_cvtep(&a->vteps[i], &b->vteps[i]))
			return false;
	return true;
}
