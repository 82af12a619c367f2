/* SPDX-License-Identifier: BSD-3-Clause */
/* The SQLite store: transactions and changes. See store.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mirror.h"
#include "store_int.h"
#include "tenant.h"

static const struct {
	const char *types, *sql;
} changes[CH_N] = {
#define CHANGE_SQL(id, t, q) [CH_##id] = { t, q },
	STORE_CHANGES(CHANGE_SQL)
#undef CHANGE_SQL
};

static int exec(struct vsw_store *st, const char *sql)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : vsw_store_sql_err(st, rc);
}

int vsw_store_begin(struct vsw_store *st)
{
	int rc;

	if (st->in_txn)
		return -EBUSY;
	st->error[0] = '\0'; /* a failure in this change is the one to report */
	rc = exec(st, "BEGIN IMMEDIATE");
	if (!rc)
		st->in_txn = true;
	return rc;
}

int vsw_store_commit(struct vsw_store *st)
{
	int rc;

	if (!st->in_txn)
		return -EINVAL;
	rc = exec(st, "COMMIT");
	if (rc) {
		/* SQLite may already have rolled back; make sure. */
		if (!sqlite3_get_autocommit(st->db))
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	}
	st->in_txn = false;
	return rc;
}

void vsw_store_rollback(struct vsw_store *st)
{
	if (!st->in_txn)
		return;
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_txn = false;
}

/* Run one change with its arguments (as changes[id].types says). Rows changed, or -errno. */
static int change(struct vsw_store *st, enum change_id id, ...)
{
	const char *types = changes[id].types;
	sqlite3_stmt *stmt;
	va_list ap;
	int rc = SQLITE_OK;

	if (!st->in_txn) {
		snprintf(st->error, sizeof(st->error), "change outside a transaction");
		return -EINVAL;
	}
	if (!st->stmt[id]) {
		rc = sqlite3_prepare_v2(st->db, changes[id].sql, -1, &st->stmt[id], NULL);
		if (rc != SQLITE_OK)
			return vsw_store_sql_err(st, rc);
	}
	stmt = st->stmt[id];
	va_start(ap, id);
	for (int i = 0; types[i] && rc == SQLITE_OK; i++) {
		if (types[i] == 's')
			rc = sqlite3_bind_text(stmt, i + 1, va_arg(ap, const char *), -1,
					       SQLITE_TRANSIENT);
		else
			rc = sqlite3_bind_int64(stmt, i + 1, va_arg(ap, int64_t));
	}
	va_end(ap);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	rc = rc == SQLITE_DONE ? sqlite3_changes(st->db) : vsw_store_sql_err(st, rc);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return rc;
}

int vsw_store_put_number(struct vsw_store *st, const char *name, uint32_t port_no)
{
	int rc = change(st, CH_PUT_NUMBER, name, (int64_t)port_no);

	return rc < 0 ? rc : 0;
}

/* A port's attachment as the store's columns hold it (set-port's text forms). */
struct att_text {
	const char *tenant; /* NULL: none */
	const char *mode;
	char trunks[VSW_TRUNKS_TEXT_MAX];
	char mac[VSW_MAC_TEXT_MAX];
	char ips[VSW_IPS_TEXT_MAX];
};

static int att_text(const struct vsw_port_tenant *a, struct att_text *t)
{
	memset(t, 0, sizeof(*t));
	t->tenant = a->tenant[0] ? a->tenant : NULL;
	t->mode = a->mode == VSW_VLAN_TRUNK ? "trunk" : "access";
	if (a->has_mac)
		vsw_mac_format(a->mac, t->mac);
	if (vsw_trunks_format(a->trunks, t->trunks, sizeof(t->trunks)) < 0 ||
	    vsw_ips_format(a->ips, a->n_ips, t->ips, sizeof(t->ips)) < 0)
		return -EINVAL;
	return 0;
}

int vsw_store_put_port(struct vsw_store *st, const struct vsw_port_cfg *port)
{
	struct att_text *t = malloc(sizeof(*t));
	int rc = t ? att_text(&port->tenant, t) : -ENOMEM;

	if (!rc)
		rc = change(st, CH_PUT_PORT, port->name, port->type, port->mode, port->path,
			    port->devargs, t->tenant, t->mode, t->trunks, t->mac, t->ips);
	free(t);
	return rc < 0 ? rc : 0;
}

int vsw_store_set_port_tenant(struct vsw_store *st, const struct vsw_port_cfg *port)
{
	struct att_text *t = malloc(sizeof(*t));
	int rc = t ? att_text(&port->tenant, t) : -ENOMEM;

	if (!rc)
		rc = change(st, CH_SET_PORT_TENANT, t->tenant, t->mode, t->trunks, t->mac, t->ips,
			    port->name);
	free(t);
	return rc < 0 ? rc : rc == 0 ? -ENOENT : 0;
}

int vsw_store_del_port(struct vsw_store *st, const char *name)
{
	int rc = change(st, CH_DEL_PORT, name);

	return rc < 0 ? rc : rc == 0 ? -ENOENT : 0;
}

int vsw_store_put_flow(struct vsw_store *st, const char *text, int64_t installed_ms,
		       int64_t *id)
{
	int rc = change(st, CH_PUT_FLOW, text, installed_ms);

	if (rc < 0)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int vsw_store_set_flow(struct vsw_store *st, int64_t id, const char *text)
{
	int rc = change(st, CH_SET_FLOW, text, id);

	return rc < 0 ? rc : rc == 0 ? -ENOENT : 0;
}

int vsw_store_del_flow(struct vsw_store *st, int64_t id)
{
	int rc = change(st, CH_DEL_FLOW, id);

	return rc < 0 ? rc : rc == 0 ? -ENOENT : 0;
}

int vsw_store_set_miss(struct vsw_store *st, unsigned table, const char *miss)
{
	int rc;

	/* The default is no row, so a store only lists what differs. */
	if (strcmp(miss, "drop") == 0)
		rc = change(st, CH_DEL_MISS, (int64_t)table);
	else
		rc = change(st, CH_PUT_MISS, (int64_t)table, miss);
	return rc < 0 ? rc : 0;
}

/* ---- tenant intent ---- */

/* Rows changed -> 0, or -ENOENT when none (`must` set), or the error. */
static int done(int rc, bool must)
{
	return rc < 0 ? rc : must && rc == 0 ? -ENOENT : 0;
}

int vsw_store_put_tenant_number(struct vsw_store *st, const char *name, uint32_t id)
{
	return done(change(st, CH_PUT_TENANT_NUMBER, name, (int64_t)id), false);
}

int vsw_store_put_tenant(struct vsw_store *st, const struct vsw_tenant_cfg *t)
{
	return done(change(st, CH_PUT_TENANT, t->name, (int64_t)t->vlan, (int64_t)t->vni,
			   (int64_t)t->mac_limit), false);
}

int vsw_store_set_tenant(struct vsw_store *st, const struct vsw_tenant_cfg *t)
{
	return done(change(st, CH_SET_TENANT, (int64_t)t->vlan, (int64_t)t->vni,
			   (int64_t)t->mac_limit, t->name), true);
}

int vsw_store_del_tenant(struct vsw_store *st, const char *name)
{
	return done(change(st, CH_DEL_TENANT, name), true);
}

int vsw_store_set_uplink(struct vsw_store *st, const struct vsw_uplink_cfg *u)
{
	char ip[VSW_IPV4_TEXT_MAX], mac[VSW_MAC_TEXT_MAX];

	if (!u->port[0])
		return done(change(st, CH_DEL_UPLINK), false);
	if (u->has_local_ip)
		vsw_ipv4_format(u->local_ip, ip);
	if (u->has_nexthop)
		vsw_mac_format(u->nexthop, mac);
	return done(change(st, CH_PUT_UPLINK, u->port, u->has_local_ip ? ip : NULL,
			   u->has_nexthop ? mac : NULL), false);
}

int vsw_store_put_vtep(struct vsw_store *st, const struct vsw_vtep_cfg *v)
{
	char ip[VSW_IPV4_TEXT_MAX];

	vsw_ipv4_format(v->ip, ip);
	return done(change(st, CH_PUT_VTEP, v->tenant, ip), false);
}

int vsw_store_del_vtep(struct vsw_store *st, const struct vsw_vtep_cfg *v)
{
	char ip[VSW_IPV4_TEXT_MAX];

	vsw_ipv4_format(v->ip, ip);
	return done(change(st, CH_DEL_VTEP, v->tenant, ip), true);
}

int vsw_store_put_acl(struct vsw_store *st, const struct vsw_acl_cfg *a)
{
	return done(change(st, CH_PUT_ACL, a->tenant, (int64_t)a->id, (int64_t)a->priority,
			   a->allow ? "allow" : "deny", a->match), false);
}

int vsw_store_del_acl(struct vsw_store *st, const char *tenant, uint32_t id)
{
	return done(change(st, CH_DEL_ACL, tenant, (int64_t)id), true);
}

/* ---- the difference between the model and a changed copy ---- */

static const struct vsw_tenant_cfg *tenant_in(const struct vsw_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_tenants; i++)
		if (strcmp(cfg->tenants[i].name, name) == 0)
			return &cfg->tenants[i];
	return NULL;
}

/* The port named like `p` in cfg; `hint` is where it probably is (copies keep the order). */
static const struct vsw_port_cfg *port_in(const struct vsw_config *cfg, const char *name,
					  size_t hint)
{
	if (hint < cfg->n_ports && strcmp(cfg->ports[hint].name, name) == 0)
		return &cfg->ports[hint];
	for (size_t i = 0; i < cfg->n_ports; i++)
		if (strcmp(cfg->ports[i].name, name) == 0)
			return &cfg->ports[i];
	return NULL;
}

static bool has_vtep(const struct vsw_config *cfg, const struct vsw_vtep_cfg *v)
{
	for (size_t i = 0; i < cfg->n_vteps; i++)
		if (cfg->vteps[i].ip == v->ip && strcmp(cfg->vteps[i].tenant, v->tenant) == 0)
			return true;
	return false;
}

static bool has_acl(const struct vsw_config *cfg, const struct vsw_acl_cfg *a)
{
	for (size_t i = 0; i < cfg->n_acls; i++) {
		const struct vsw_acl_cfg *b = &cfg->acls[i];

		if (b->id == a->id && strcmp(b->tenant, a->tenant) == 0)
			return b->priority == a->priority && b->allow == a->allow &&
			       strcmp(b->match, a->match) == 0;
	}
	return false;
}

static bool same_att(const struct vsw_port_tenant *a, const struct vsw_port_tenant *b)
{
	if (strcmp(a->tenant, b->tenant) != 0 || a->mode != b->mode || a->has_mac != b->has_mac ||
	    (a->has_mac && memcmp(a->mac, b->mac, 6) != 0) || a->n_ips != b->n_ips ||
	    memcmp(a->trunks, b->trunks, sizeof(a->trunks)) != 0)
		return false;
	for (size_t i = 0; i < a->n_ips; i++)
		if (a->ips[i].af != b->ips[i].af || memcmp(a->ips[i].addr, b->ips[i].addr, 16) != 0)
			return false;
	return true;
}

static bool same_uplink(const struct vsw_uplink_cfg *a, const struct vsw_uplink_cfg *b)
{
	return strcmp(a->port, b->port) == 0 && a->has_local_ip == b->has_local_ip &&
	       (!a->has_local_ip || a->local_ip == b->local_ip) &&
	       a->has_nexthop == b->has_nexthop &&
	       (!a->has_nexthop || memcmp(a->nexthop, b->nexthop, 6) == 0);
}

int vsw_store_put_intent(struct vsw_store *st, const struct vsw_config *old,
			 const struct vsw_config *next)
{
	int rc = 0;

	/* Tenants first: ports, VTEPs and ACLs name them. */
	for (size_t i = 0; !rc && i < next->n_tenant_numbers; i++)
		rc = vsw_store_put_tenant_number(st, next->tenant_numbers[i].name,
						 next->tenant_numbers[i].id);
	for (size_t i = 0; !rc && i < next->n_tenants; i++) {
		const struct vsw_tenant_cfg *t = &next->tenants[i], *was = tenant_in(old, t->name);

		if (!was)
			rc = vsw_store_put_tenant(st, t);
		else if (was->vlan != t->vlan || was->vni != t->vni || was->mac_limit != t->mac_limit)
			rc = vsw_store_set_tenant(st, t);
	}
	for (size_t i = 0; !rc && i < next->n_ports; i++) {
		const struct vsw_port_cfg *p = &next->ports[i], *was = port_in(old, p->name, i);

		if (!was) {
			rc = vsw_store_put_number(st, p->name, p->port_no);
			if (!rc)
				rc = vsw_store_put_port(st, p);
		} else if (!same_att(&was->tenant, &p->tenant)) {
			rc = vsw_store_set_port_tenant(st, p);
		}
	}
	if (!rc && !same_uplink(&old->uplink, &next->uplink))
		rc = vsw_store_set_uplink(st, &next->uplink);
	for (size_t i = 0; !rc && i < old->n_vteps; i++)
		if (!has_vtep(next, &old->vteps[i]))
			rc = vsw_store_del_vtep(st, &old->vteps[i]);
	for (size_t i = 0; !rc && i < next->n_vteps; i++)
		if (!has_vtep(old, &next->vteps[i]))
			rc = vsw_store_put_vtep(st, &next->vteps[i]);
	for (size_t i = 0; !rc && i < old->n_acls; i++)
		if (!has_acl(next, &old->acls[i]))
			rc = vsw_store_del_acl(st, old->acls[i].tenant, old->acls[i].id);
	for (size_t i = 0; !rc && i < next->n_acls; i++)
		if (!has_acl(old, &next->acls[i]))
			rc = vsw_store_put_acl(st, &next->acls[i]);
	/* What is gone, last: nothing names it any more. */
	for (size_t i = 0; !rc && i < old->n_ports; i++)
		if (!port_in(next, old->ports[i].name, i))
			rc = vsw_store_del_port(st, old->ports[i].name);
	for (size_t i = 0; !rc && i < old->n_tenants; i++)
		if (!tenant_in(next, old->tenants[i].name))
			rc = vsw_store_del_tenant(st, old->tenants[i].name);
	return rc;
}

int vsw_store_put_mirror(struct vsw_store *st, const struct vsw_mirror_cfg *m)
{
	char src[(VSW_PORT_NAME_MAX + 1) * VSW_MIRROR_MAX_SRC];
	int rc;

	if (vsw_mirror_src_text(m, src, sizeof(src)) < 0)
		return -ENOSPC;
	rc = change(st, CH_PUT_MIRROR, m->name, src, m->dst);
	return rc < 0 ? rc : 0;
}

int vsw_store_del_mirror(struct vsw_store *st, const char *name)
{
	int rc = change(st, CH_DEL_MIRROR, name);

	return rc < 0 ? rc : rc == 0 ? -ENOENT : 0;
}
