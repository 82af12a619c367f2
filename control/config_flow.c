/* SPDX-License-Identifier: BSD-3-Clause */
/* The configuration model's flows and tables: see config.h. */
#include "config.h"
#include "errtext.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vsw_config_reserve_flows(struct vsw_config *cfg, size_t n)
{
	size_t need = cfg->n_flows + n;

	if (need > cfg->cap_flows) {
		size_t cap = cfg->cap_flows ? cfg->cap_flows : 16;
		struct vsw_flow_rec *p;

		while (cap < need)
			cap *= 2;
		p = realloc(cfg->flows, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		cfg->flows = p;
		cfg->cap_flows = cap;
	}
	return vsw_flowidx_reserve(&cfg->index, cfg->flows, need);
}

/* ---- tables ---- */

static const char *const miss_names[] = {
	[VSW_MISS_DROP] = "drop",
	[VSW_MISS_CONTINUE] = "continue",
};

int vsw_table_miss_parse(const char *s, enum vsw_table_miss *miss)
{
	for (size_t i = 0; i < sizeof(miss_names) / sizeof(miss_names[0]); i++) {
		if (s && strcmp(s, miss_names[i]) == 0) {
			*miss = (enum vsw_table_miss)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *vsw_table_miss_name(enum vsw_table_miss miss)
{
	return (unsigned)miss < sizeof(miss_names) / sizeof(miss_names[0]) ? miss_names[miss] : "?";
}

int vsw_config_table_check(unsigned table, char *err, size_t errlen)
{
	if (table >= VSW_FT_N_TABLES)
		return vsw_fail(err, errlen, "table %u out of range 0..%d", table, VSW_FT_N_TABLES - 1);
	if (table >= VSW_TABLE_TENANT_FIRST)
		return vsw_fail(err, errlen, "table %u is reserved for the tenant pipeline (tables %d..%d)",
				table, VSW_TABLE_TENANT_FIRST, VSW_FT_N_TABLES - 1);
	return 0;
}

int vsw_config_user_flow_check(const struct vsw_flow_spec *spec, char *err, size_t errlen)
{
	int rc = vsw_config_table_check(spec->table, err, errlen);

	if (!rc && (spec->cookie & VSW_COOKIE_TENANT_MASK) == VSW_COOKIE_TENANT)
		rc = vsw_fail(err, errlen,
			      "cookie 0x%" PRIx64 " is reserved for the tenant pipeline (0x%06" PRIx64 "xxxxxxxxxx)",
			      spec->cookie, (uint64_t)(VSW_COOKIE_TENANT >> 40));

	for (size_t i = 0; !rc && i < spec->actions.n; i++) {
		const struct vsw_action *a = &spec->actions.a[i];

		if (a->type == VSW_ACT_GOTO_TABLE || a->type == VSW_ACT_RESUBMIT)
			rc = vsw_config_table_check(a->arg, err, errlen);
		/* output:in_port, normal and the tenant tables take in_port as the receiver. */
		else if (a->type == VSW_ACT_SET_FIELD && a->field == VSW_F_IN_PORT)
			rc = vsw_fail(err, errlen,
				      "in_port may not be rewritten: it names the port a frame came in on");
	}
	return rc;
}

int vsw_config_load_miss(struct vsw_config *cfg, int64_t table, const char *miss,
			 char *err, size_t errlen)
{
	enum vsw_table_miss m;

	if (table < 0 || table >= VSW_FT_N_TABLES)
		return vsw_fail(err, errlen, "table %" PRId64 " out of range 0..%d", table,
				VSW_FT_N_TABLES - 1);
	if (vsw_table_miss_parse(miss, &m))
		return vsw_fail(err, errlen, "miss policy '%.32s' is not drop or continue", miss);
	if (vsw_config_table_check((unsigned)table, err, errlen))
		return -EINVAL;
	cfg->miss[table] = (uint8_t)m;
	return 0;
}

/* ---- records ---- */

int vsw_flow_rec_from(const struct vsw_flow_cfg *flow, struct vsw_flow_rec *rec)
{
	const struct vsw_flow_spec *s = &flow->spec;

	memset(rec, 0, sizeof(*rec));
	rec->text = strdup(flow->text);
	if (!rec->text)
		return -ENOMEM;
	rec->id = flow->id;
	rec->installed_ms = flow->installed_ms;
	rec->cookie = s->cookie;
	rec->priority = s->priority;
	rec->idle_timeout = s->idle_timeout;
	rec->hard_timeout = s->hard_timeout;
	rec->table = s->table;
	rec->match = s->match;
	return 0;
}

void vsw_flow_rec_free(struct vsw_flow_rec *rec)
{
	if (!rec)
		return;
	free(rec->text);
	rec->text = NULL;
}

void vsw_flow_rec_spec(const struct vsw_flow_rec *rec, struct vsw_flow_spec *spec)
{
	/* Field by field: the 1.3 KB action array stays untouched. */
	spec->table = rec->table;
	spec->priority = rec->priority;
	spec->cookie = rec->cookie;
	spec->cookie_mask = 0;
	spec->idle_timeout = rec->idle_timeout;
	spec->hard_timeout = rec->hard_timeout;
	spec->given = VSW_SPEC_TABLE | VSW_SPEC_PRIORITY;
	spec->match = rec->match;
	spec->actions.n = 0;
}

bool vsw_flow_rec_selected(const struct vsw_flow_spec *filter, const struct vsw_flow_rec *rec,
			   bool strict)
{
	struct vsw_flow_spec r;

	vsw_flow_rec_spec(rec, &r);
	return vsw_flow_spec_selects(filter, &r, strict);
}

bool vsw_flow_rec_same_rule(const struct vsw_flow_rec *a, const struct vsw_flow_rec *b)
{
	return a->table == b->table && a->priority == b->priority &&
	       memcmp(&a->match, &b->match, sizeof(a->match)) == 0;
}

/* ---- parsing ---- */

static int format_canonical(struct vsw_flow_cfg *flow, char *err, size_t errlen)
{
	int n = vsw_flow_format(&flow->spec, NULL, flow->text, sizeof(flow->text));

	if (n < 0)
		return vsw_fail(err, errlen, "flow too long (more than %d bytes)", VSW_FLOW_TEXT_MAX - 1);
	return 0;
}

int vsw_config_load_flow(struct vsw_config *cfg, int64_t id, const char *text,
			 int64_t installed_ms, char *err, size_t errlen)
{
	struct vsw_flow_cfg flow;
	int rc;

	memset(&flow, 0, sizeof(flow));
	flow.id = id;
	flow.installed_ms = installed_ms;
	rc = vsw_flow_parse(text, VSW_PARSE_ADD, NULL, &flow.spec, err, errlen);
	if (!rc)
		rc = vsw_config_user_flow_check(&flow.spec, err, errlen);
	if (rc)
		return rc;
	rc = format_canonical(&flow, err, errlen);
	if (rc)
		return rc;
	if (vsw_config_find_rule(cfg, &flow.spec) >= 0)
		return vsw_fail(err, errlen, "a rule with the same table, priority and match is stored twice");
	return vsw_config_put_flow(cfg, &flow) ? vsw_fail(err, errlen, "out of memory") : 0;
}

int vsw_config_parse_flow(const struct vsw_config *cfg, const char *text,
			  struct vsw_flow_cfg *flow, char *err, size_t errlen)
{
	struct vsw_port_names names;
	int rc;

	flow->id = 0;
	flow->installed_ms = 0;
	vsw_config_names(cfg, VSW_NAMES_CURRENT, &names);
	rc = vsw_flow_parse(text, VSW_PARSE_ADD, &names, &flow->spec, err, errlen);
	if (!rc)
		rc = vsw_config_user_flow_check(&flow->spec, err, errlen);
	if (!rc)
		rc = vsw_config_flow_ports_check(cfg, &flow->spec, err, errlen);
	if (!rc)
		rc = format_canonical(flow, err, errlen);
	return rc;
}

int vsw_config_parse_filter(const struct vsw_config *cfg, const char *text,
			    struct vsw_flow_spec *filter, char *err, size_t errlen)
{
	struct vsw_port_names names;

	vsw_config_names(cfg, VSW_NAMES_EVER, &names);
	return vsw_flow_parse(text ? text : "", VSW_PARSE_FILTER, &names, filter, err, errlen);
}

/* ---- the model's flows ---- */

long vsw_config_find_rule(const struct vsw_config *cfg, const struct vsw_flow_spec *spec)
{
	return vsw_flowidx_find(&cfg->index, cfg->flows, spec->table, spec->priority,
				&spec->match);
}

long vsw_config_find_rec(const struct vsw_config *cfg, const struct vsw_flow_rec *rec)
{
	return vsw_flowidx_find(&cfg->index, cfg->flows, rec->table, rec->priority, &rec->match);
}

static void count_timed(struct vsw_config *cfg, const struct vsw_flow_rec *r, int sign)
{
	if (r->idle_timeout || r->hard_timeout)
		cfg->n_timed += (size_t)sign;
	if (r->idle_timeout)
		cfg->n_idle += (size_t)sign;
}

int vsw_config_put_rec(struct vsw_config *cfg, struct vsw_flow_rec *rec)
{
	long i = vsw_config_find_rec(cfg, rec);
	int rc;

	if (i >= 0) {
		count_timed(cfg, &cfg->flows[i], -1);
		vsw_flow_rec_free(&cfg->flows[i]);
		cfg->flows[i] = *rec;
	} else {
		rc = vsw_config_reserve_flows(cfg, 1);
		if (rc)
			return rc;
		cfg->flows[cfg->n_flows] = *rec;
		vsw_flowidx_insert(&cfg->index, cfg->flows, cfg->n_flows); /* room reserved */
		cfg->n_flows++;
	}
	count_timed(cfg, rec, +1);
	rec->text = NULL; /* the model's now */
	return 0;
}

int vsw_config_put_flow(struct vsw_config *cfg, const struct vsw_flow_cfg *flow)
{
	struct vsw_flow_rec rec;
	int rc = vsw_flow_rec_from(flow, &rec);

	if (!rc)
		rc = vsw_config_put_rec(cfg, &rec);
	vsw_flow_rec_free(&rec); /* NULL when the model took it */
	return rc;
}

void vsw_config_set_text(struct vsw_config *cfg, size_t i, char *text, uint64_t cookie)
{
	free(cfg->flows[i].text);
	cfg->flows[i].text = text;
	cfg->flows[i].cookie = cookie;
}

void vsw_config_del_flows(struct vsw_config *cfg, const bool *gone)
{
	size_t out = 0;

	for (size_t i = 0; i < cfg->n_flows; i++) {
		if (gone[i]) {
			count_timed(cfg, &cfg->flows[i], -1);
			vsw_flow_rec_free(&cfg->flows[i]);
		} else {
			cfg->flows[out++] = cfg->flows[i];
		}
	}
	if (out == cfg->n_flows)
		return;
	cfg->n_flows = out;
	vsw_flowidx_rebuild(&cfg->index, cfg->flows, cfg->n_flows);
}

int vsw_config_strict_filter(const struct vsw_flow_spec *spec, char *buf, size_t len)
{
	int n = snprintf(buf, len, "table=%u,priority=%u", (unsigned)spec->table,
			 (unsigned)spec->priority);
	int m;

	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	/* The match alone (default priority: printed as nothing, already given). */
	m = vsw_flow_format_match(&spec->match, VSW_FT_DEFAULT_PRIORITY, NULL, buf + n + 1,
				  len - (size_t)n - 1);
	if (m < 0)
		return -ENOSPC;
	if (m > 0) {
		buf[n] = ',';
		return n + 1 + m;
	}
	buf[n] = '\0';
	return n;
}

int vsw_flow_rec_strict_filter(const struct vsw_flow_rec *rec, char *buf, size_t len)
{
	struct vsw_flow_spec spec;

	vsw_flow_rec_spec(rec, &spec);
	return vsw_config_strict_filter(&spec, buf, len);
}
