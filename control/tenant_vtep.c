/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VTEP next hops: the answers of the underlay resolver (underlay.h) for the
 * VTEPs in use, refreshed with every plan, on the kernel's notifications and
 * when the resolver's retry timer is due (tenant_sync.h).
 */
#include "tenant_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpconn_tenant.h"
#include "intent.h"

/* ---- the resolver: underlay.h's, or the one a test puts in ---- */

static int u_fd(void *r)
{
	return vsw_underlay_fd(r);
}

static int u_process(void *r)
{
	return vsw_underlay_process(r);
}

static int u_refresh(void *r, const char *ifname, struct vsw_underlay_vtep *v, size_t n)
{
	return vsw_underlay_refresh(r, ifname, v, n);
}

static int u_timeout(void *r)
{
	return vsw_underlay_timeout_ms(r);
}

static void u_close(void *r)
{
	vsw_underlay_close(r);
}

static const struct vsw_tenant_resolver underlay_ops = {
	u_fd, u_process, u_refresh, u_timeout, u_close,
};

struct vsw_tenant_state *vsw_tenant_state_create(const struct vsw_log *log)
{
	struct vsw_tenant_state *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->rops = &underlay_ops;
	st->resolver = vsw_underlay_open();
	if (!st->resolver)
		vsw_warn(log, "underlay resolver: %s: VTEPs stay unresolved", strerror(errno));
	return st;
}

void vsw_tenant_set_resolver(struct vsw_tenant_state *st, const struct vsw_tenant_resolver *ops,
			     void *r)
{
	if (st->resolver)
		st->rops->close(st->resolver);
	st->rops = ops;
	st->resolver = r;
}

void vsw_tenant_state_destroy(struct vsw_tenant_state *st)
{
	if (!st)
		return;
	vsw_tenant_set_resolver(st, &underlay_ops, NULL);
	for (size_t i = 0; i < st->n_flows; i++)
		free(st->flows[i]);
	free(st->flows);
	free(st->vteps);
	free(st);
}

/* ---- answers ---- */

static void unresolved(struct vsw_nexthop *nh, const char *why)
{
	memset(nh, 0, sizeof(*nh));
	snprintf(nh->reason, sizeof(nh->reason), "%s", why);
}

/* Refresh `v`: through the resolver, or unresolved with why there is none. */
static int refresh(struct vsw_tenant_state *st, const char *ifname, const char *why,
		   struct vsw_underlay_vtep *v, size_t n)
{
	const char *no = !ifname[0] ? why : !st->resolver ? "no underlay resolver" : NULL;

	if (!no)
		return st->rops->refresh(st->resolver, ifname, v, n);
	for (size_t i = 0; i < n; i++) {
		struct vsw_nexthop old = v[i].nh;

		unresolved(&v[i].nh, no);
		v[i].changed = old.resolved || !old.reason[0];
	}
	return 0;
}

static const struct vsw_underlay_vtep *known(const struct vsw_tenant_state *st, uint32_t ip)
{
	for (size_t i = 0; i < st->n_vteps; i++)
		if (st->vteps[i].ip == ip)
			return &st->vteps[i];
	return NULL;
}

/*
 * The uplink's nexthop= (TENANTS.md, "Static next hop"): every VTEP resolved
 * to it, through the uplink port; `changed` against what `st` had.
 */
static void resolve_static(const struct vsw_tenant_state *st, const struct vsw_uplink_cfg *u,
			   struct vsw_underlay_vtep *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct vsw_underlay_vtep *k = known(st, r[i].ip);

		r[i].nh = (struct vsw_nexthop){ .resolved = true, .is_static = true, .via = r[i].ip };
		memcpy(r[i].nh.mac, u->nexthop, 6);
		snprintf(r[i].nh.ifname, sizeof(r[i].nh.ifname), "%s", u->port);
		r[i].changed = !k || !k->nh.resolved || memcmp(k->nh.mac, u->nexthop, 6) != 0;
	}
}

int vsw_vtep_resolve_all(struct vsw_tenant_state *st, const struct vsw_config *cfg,
			 const struct vsw_compiled *c, struct vsw_underlay_vtep **res,
			 char ifname[16], char why[128])
{
	struct vsw_underlay_vtep *r = calloc(c->n_vtep_ips + 1, sizeof(*r));
	bool same_if;

	*res = r;
	if (!r)
		return -ENOMEM;
	if (cfg->uplink.has_nexthop) {
		/* No interface: the resolver is neither asked nor timed for them. */
		ifname[0] = 0;
		snprintf(why, 128, "static next hop");
		for (size_t i = 0; i < c->n_vtep_ips; i++)
			r[i].ip = c->vtep_ips[i];
		resolve_static(st, &cfg->uplink, r, c->n_vtep_ips);
		return 0;
	}
	why[0] = 0;
	if (vsw_uplink_ifname(cfg, ifname, 16, why, 128))
		ifname[0] = 0;
	same_if = strcmp(ifname, st->uplink_if) == 0 && strcmp(why, st->uplink_why) == 0;
	for (size_t i = 0; i < c->n_vtep_ips; i++) {
		const struct vsw_underlay_vtep *k = same_if ? known(st, c->vtep_ips[i]) : NULL;

		r[i].ip = c->vtep_ips[i];
		if (k)
			r[i].nh = k->nh;
	}
	/* All of them: the resolver's retry timer is computed over what it is given. */
	refresh(st, ifname, why, r, c->n_vtep_ips);
	return 0;
}

void vsw_vtep_commit(struct vsw_tenant_state *st, struct vsw_underlay_vtep *res, size_t n,
		     const char *ifname, const char *why)
{
	free(st->vteps);
	st->vteps = res;
	st->n_vteps = n;
	snprintf(st->uplink_if, sizeof(st->uplink_if), "%s", ifname);
	snprintf(st->uplink_why, sizeof(st->uplink_why), "%s", why);
}

void vsw_vtep_wants(const struct vsw_underlay_vtep *res, size_t n, struct vsw_vtep_want *out)
{
	for (size_t i = 0; i < n; i++) {
		out[i] = (struct vsw_vtep_want){ .ip = res[i].ip, .resolved = res[i].nh.resolved };
		if (res[i].nh.resolved)
			memcpy(out[i].mac, res[i].nh.mac, 6);
	}
}

/* ---- re-resolution ---- */

int vsw_tenant_underlay_fd(const struct vsw_control *ctl)
{
	const struct vsw_tenant_state *st = ctl->tenant;

	return st && st->resolver ? st->rops->fd(st->resolver) : -1;
}

int vsw_tenant_underlay_timeout(const struct vsw_control *ctl)
{
	const struct vsw_tenant_state *st = ctl->tenant;

	if (!st || !st->resolver || !st->n_vteps || !st->uplink_if[0])
		return -1;
	return st->rops->timeout_ms(st->resolver);
}

static void log_answer(const struct vsw_log *log, uint32_t ip, const struct vsw_nexthop *nh)
{
	char a[VSW_IPV4_TEXT_MAX], text[200];

	vsw_ipv4_format(ip, a);
	vsw_nexthop_format(nh, text, sizeof(text));
	vsw_info(log, "VTEP %s: %s", a, text);
}

void vsw_tenant_underlay_run(struct vsw_control *ctl, bool readable)
{
	struct vsw_tenant_state *st = ctl->tenant;
	bool changed = false;
	char err[256];
	int rc;

	if (!st || !st->resolver)
		return;
	if (readable) {
		rc = st->rops->process(st->resolver);
		if (rc < 0)
			vsw_warn(&ctl->log, "underlay notifications: %s", strerror(-rc));
		changed = rc > 0;
	}
	if (!changed && vsw_tenant_underlay_timeout(ctl) != 0)
		return;
	if (!st->n_vteps || st->vteps[0].nh.is_static)
		return; /* static next hops change with the configuration only */
	refresh(st, st->uplink_if, st->uplink_why, st->vteps, st->n_vteps);
	for (size_t i = 0; i < st->n_vteps; i++) {
		struct vsw_underlay_vtep *v = &st->vteps[i];

		if (!v->changed)
			continue;
		log_answer(&ctl->log, v->ip, &v->nh);
		if (!vsw_dpconn_connected(&ctl->dp))
			continue; /* the reconcile at reconnect sends it */
		rc = vsw_dpconn_vtep_set(&ctl->dp, v->ip, v->nh.resolved ? v->nh.mac : NULL, err,
					 sizeof(err));
		if (rc == -EREMOTEIO) {
			vsw_err(&ctl->log, "vtep-set: %s", err);
			ctl->dp.need_sync = true;
		}
	}
}

const struct vsw_nexthop *vsw_tenant_vtep_state(const struct vsw_control *ctl, uint32_t ip)
{
	const struct vsw_underlay_vtep *v = ctl->tenant ? known(ctl->tenant, ip) : NULL;

	return v ? &v->nh : NULL;
}

void vsw_tenant_vtep_lookup(struct vsw_control *ctl, uint32_t ip, struct vsw_nexthop *nh)
{
	const struct vsw_nexthop *known_nh = vsw_tenant_vtep_state(ctl, ip);

	if (known_nh)
		*nh = *known_nh;
	else
		unresolved(nh, "not resolved yet");
}

int vsw_tenant_resolve_config(struct vsw_control *ctl, const struct vsw_config *cfg)
{
	struct vsw_underlay_vtep *v;
	char ifname[16], why[128];
	struct vsw_compiled c;
	int rc;

	if (!ctl->tenant)
		return -ENOMEM;
	rc = vsw_compile_config(cfg, &c);
	if (rc)
		return rc;
	rc = vsw_vtep_resolve_all(ctl->tenant, cfg, &c, &v, ifname, why);
	if (!rc)
		vsw_vtep_commit(ctl->tenant, v, c.n_vtep_ips, ifname, why);
	vsw_compiled_free(&c);
	return rc;
}
