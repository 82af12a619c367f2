/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VTEP next hops: resolution through the underlay resolver, the answers
 * kept per VTEP in use, and their re-resolution when the kernel changes
 * (tenant_sync.h).
 */
#include "tenant_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dpconn_tenant.h"
#include "intent.h"

#define RESOLVE_RETRY_MS 1000

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct vsw_tenant_state *vsw_tenant_state_create(const struct vsw_log *log)
{
	struct vsw_tenant_state *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->underlay = vsw_underlay_open();
	if (!st->underlay)
		vsw_warn(log, "underlay resolver: %s: VTEPs stay unresolved", strerror(errno));
	return st;
}

void vsw_tenant_state_destroy(struct vsw_tenant_state *st)
{
	if (!st)
		return;
	vsw_underlay_close(st->underlay);
	for (size_t i = 0; i < st->n_flows; i++)
		free(st->flows[i]);
	free(st->flows);
	free(st->res);
	free(st);
}

static void resolve(struct vsw_tenant_state *st, const char *ifname, const char *why,
		    uint32_t ip, struct vsw_nexthop *nh)
{
	int rc;

	memset(nh, 0, sizeof(*nh));
	if (!ifname[0]) {
		snprintf(nh->reason, sizeof(nh->reason), "%s", why);
		return;
	}
	if (!st->underlay) {
		snprintf(nh->reason, sizeof(nh->reason), "no underlay resolver");
		return;
	}
	rc = vsw_underlay_resolve(st->underlay, ifname, ip, nh);
	if (rc < 0) {
		memset(nh, 0, sizeof(*nh));
		snprintf(nh->reason, sizeof(nh->reason), "resolver: %s", strerror(-rc));
	}
}

static const struct vsw_vtep_res *known(const struct vsw_tenant_state *st, uint32_t ip)
{
	for (size_t i = 0; i < st->n_res; i++)
		if (st->res[i].ip == ip)
			return &st->res[i];
	return NULL;
}

int vsw_vtep_resolve_all(struct vsw_tenant_state *st, const struct vsw_config *cfg,
			 const struct vsw_compiled *c, struct vsw_vtep_res **res, char ifname[16],
			 char why[128])
{
	struct vsw_vtep_res *r = calloc(c->n_vtep_ips + 1, sizeof(*r));
	bool same_if;

	*res = r;
	if (!r)
		return -ENOMEM;
	why[0] = 0;
	if (vsw_uplink_ifname(cfg, ifname, 16, why, 128))
		ifname[0] = 0;
	same_if = strcmp(ifname, st->uplink_if) == 0 && strcmp(why, st->uplink_why) == 0;
	for (size_t i = 0; i < c->n_vtep_ips; i++) {
		const struct vsw_vtep_res *k = same_if ? known(st, c->vtep_ips[i]) : NULL;

		r[i].ip = c->vtep_ips[i];
		if (k)
			r[i].nh = k->nh;
		else
			resolve(st, ifname, why, r[i].ip, &r[i].nh);
	}
	return 0;
}

static void schedule(struct vsw_tenant_state *st)
{
	st->next_resolve_ms = 0;
	for (size_t i = 0; i < st->n_res; i++)
		if (!st->res[i].nh.resolved)
			st->next_resolve_ms = now_ms() + RESOLVE_RETRY_MS;
}

void vsw_vtep_commit(struct vsw_tenant_state *st, struct vsw_vtep_res *res, size_t n,
		     const char *ifname, const char *why)
{
	free(st->res);
	st->res = res;
	st->n_res = n;
	snprintf(st->uplink_if, sizeof(st->uplink_if), "%s", ifname);
	snprintf(st->uplink_why, sizeof(st->uplink_why), "%s", why);
	schedule(st);
}

void vsw_vtep_wants(const struct vsw_vtep_res *res, size_t n, struct vsw_vtep_want *out)
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
	return ctl->tenant && ctl->tenant->underlay ? vsw_underlay_fd(ctl->tenant->underlay) : -1;
}

int vsw_tenant_underlay_timeout(const struct vsw_control *ctl)
{
	long long left;

	if (!ctl->tenant || !ctl->tenant->next_resolve_ms)
		return -1;
	left = ctl->tenant->next_resolve_ms - now_ms();
	return left < 0 ? 0 : left > RESOLVE_RETRY_MS ? RESOLVE_RETRY_MS : (int)left;
}

static bool same_answer(const struct vsw_nexthop *a, const struct vsw_nexthop *b)
{
	return a->resolved == b->resolved && (!a->resolved || !memcmp(a->mac, b->mac, 6));
}

static void log_answer(const struct vsw_log *log, uint32_t ip, const struct vsw_nexthop *nh)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &ip, a, sizeof(a));
	if (nh->resolved)
		vsw_info(log, "VTEP %s: resolved %02x:%02x:%02x:%02x:%02x:%02x via %s", a,
			 nh->mac[0], nh->mac[1], nh->mac[2], nh->mac[3], nh->mac[4], nh->mac[5],
			 nh->ifname);
	else
		vsw_info(log, "VTEP %s: unresolved: %s", a, nh->reason);
}

void vsw_tenant_underlay_run(struct vsw_control *ctl, bool readable)
{
	struct vsw_tenant_state *st = ctl->tenant;
	bool changed = false;
	char err[256];
	int rc;

	if (!st)
		return;
	if (readable && st->underlay) {
		rc = vsw_underlay_process(st->underlay);
		if (rc < 0)
			vsw_warn(&ctl->log, "underlay notifications: %s", strerror(-rc));
		changed = rc > 0;
	}
	if (!changed && !(st->next_resolve_ms && now_ms() >= st->next_resolve_ms))
		return;
	for (size_t i = 0; i < st->n_res; i++) {
		struct vsw_vtep_res *r = &st->res[i];
		struct vsw_nexthop nh;

		resolve(st, st->uplink_if, st->uplink_why, r->ip, &nh);
		if (same_answer(&nh, &r->nh)) {
			r->nh = nh; /* via, interface or reason may still have changed */
			continue;
		}
		log_answer(&ctl->log, r->ip, &nh);
		r->nh = nh;
		if (!vsw_dpconn_connected(&ctl->dp))
			continue; /* the reconcile at reconnect sends it */
		rc = vsw_dpconn_vtep_set(&ctl->dp, r->ip, nh.resolved ? nh.mac : NULL, err,
					 sizeof(err));
		if (rc == -EREMOTEIO) {
			vsw_err(&ctl->log, "vtep-set: %s", err);
			ctl->dp.need_sync = true;
		}
	}
	schedule(st);
}

const struct vsw_nexthop *vsw_tenant_vtep_state(const struct vsw_control *ctl, uint32_t ip)
{
	const struct vsw_vtep_res *r = ctl->tenant ? known(ctl->tenant, ip) : NULL;

	return r ? &r->nh : NULL;
}

void vsw_tenant_vtep_lookup(struct vsw_control *ctl, uint32_t ip, struct vsw_nexthop *nh)
{
	const struct vsw_nexthop *known_nh = vsw_tenant_vtep_state(ctl, ip);
	char ifname[16], why[128] = "";

	if (known_nh) {
		*nh = *known_nh;
		return;
	}
	if (!ctl->tenant) {
		memset(nh, 0, sizeof(*nh));
		snprintf(nh->reason, sizeof(nh->reason), "no underlay resolver");
		return;
	}
	if (vsw_uplink_ifname(&ctl->cfg, ifname, sizeof(ifname), why, sizeof(why)))
		ifname[0] = 0;
	resolve(ctl->tenant, ifname, why, ip, nh);
}
