/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_TENANT_SYNC_H
#define VSW_CONTROL_TENANT_SYNC_H

/*
 * DOC: tenant sync — keeping the dataplane's tenant state converged
 *
 * The dataplane's tenant state is the compiler's output (compile.h): the
 * rules of tables 250..252, the L2 domains, the VTEP next hops, each port's
 * start table and the VXLAN port "@vxlan". Two paths bring it there:
 *
 *   vsw_tenant_apply()   after a management change: compile the new
 *                        configuration, read the dataplane's domains,
 *                        VTEPs and ports (and its tenant rules, unless the
 *                        last ones applied to this dataplane instance are
 *                        known), plan (tenant_plan.h) and send the steps;
 *   vsw_tenant_sync_*()  inside the full reconcile after every (re)connect
 *                        (sync.c): the same plan, its steps interleaved with
 *                        the user ports and flows (one flow-batch for both).
 * What is already right is never sent: a restarted vsw-control changes
 * nothing, rule counters and learned MACs survive.
 *
 * Order (isolation at every moment). Two things must hold throughout: a
 * frame a port sends enters only domains of the port's tenant, or is
 * dropped; a domain delivers only to members (ports, VTEPs) of its tenant.
 * The dataplane applies one message at a time, so the steps go:
 *   1 quarantine  the admissions (table-250 rules to table 251) that are no
 *                 longer wanted are deleted, in one flow-batch, and nothing
 *                 is added: what a port, VLAN or VNI may no longer enter it
 *                 stops entering (the frames fall to the catch-all drop or
 *                 the table miss);
 *   2 narrow      domains lose the members and VTEPs they should no longer
 *                 have (domain-set to what they keep; the dataplane forgets
 *                 the MACs learned on ports that are not members), domains
 *                 that go are deleted, a VXLAN port that goes or changes is
 *                 deleted: no domain delivers outside its tenant any more.
 *                 A MAC learned on a port that sent into a domain must not
 *                 outlive its admission there (it would draw the domain's
 *                 unicast to the port once admitted elsewhere); the
 *                 dataplane learns on members and the VXLAN port only, but
 *                 so as not to depend on it, every domain an admission of
 *                 step 1 led into gets this domain-set even when its members
 *                 stay (the dataplane forgets MACs on non-members), and 1
 *                 comes before 2 (a port still admitted could be learned
 *                 again right after). The full reconcile (and an apply
 *                 after a failed one) also reads mac-list and tells again
 *                 every domain with a MAC learned on a port or VTEP that is
 *                 not its member;
 *   3 rules       one flow-batch for every other rule change (new
 *                 admissions, ACLs, L2, drops), published at once: an ACL
 *                 set is never half old, half new;
 *   4 ports       a port joining a tenant moves to table 250 only now, when
 *                 its rules exist (until then it was at table 0, where user
 *                 rules cannot output to tenant ports); a port leaving moves
 *                 to table 0 only now, after its admissions and memberships
 *                 are gone. The VXLAN port is created here, at table 250. In
 *                 the full reconcile, ports the dataplane lacks are added
 *                 here too, directly at their start table: a tenant port
 *                 never passes through table 0, and never starts at table
 *                 250 before its rules exist;
 *   5 widen       VTEP next hops are set, then domains get their new
 *                 members and VTEPs: a port starts receiving its tenant's
 *                 traffic only after it stopped receiving any other's (2);
 *   6 clean up    VTEPs no domain uses any more are deleted.
 * A port moving from tenant A to B: its A admission goes (1), it leaves A's
 * domain (2), its B admission comes (3), it stays at table 250 (4), it
 * joins B's domain (5): never does it send to or receive from both. A
 * restarted (empty) dataplane: 3 installs every rule, 4 adds the ports at
 * their tables, 5 creates domains and VTEPs. An uplink VLAN or a VNI that
 * passes from one tenant to another follows the same path as a port.
 *
 * Failures. vsw_tenant_apply() stops at the first refusal and returns
 * -EREMOTEIO with the dataplane's line; if steps were applied before it,
 * the dataplane is marked for a full reconcile (dp.need_sync), which takes
 * it to whatever configuration is then in effect (the old one: the caller
 * rolls back). The full reconcile logs refusals and goes on, as it does for
 * ports and flows, except that when steps 1-2 failed it sends nothing more
 * of the tenant state (no rule change, no port moved, no domain widened:
 * what was not narrowed must not be widened elsewhere); the next
 * reconnect tries again. Ports it adds still start at their compiled
 * table.
 *
 * VTEP next hops come from the underlay resolver (underlay.h) for the
 * uplink's kernel interface (intent.h). The answers are kept per VTEP in
 * use and refreshed with every plan; vsw_tenant_underlay_*() refresh them
 * when the kernel's routes, addresses, links or neighbours change, and when
 * the resolver's retry timer is due (a next hop waiting for ARP: 1 s, then
 * backing off to 10 s as its prompts do), and send vtep-set for the ones
 * whose answer changed.
 */

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "compile.h"
#include "control.h"
#include "tenant_plan.h"
#include "underlay.h"

/*
 * The underlay resolver as tenant sync uses it: underlay.h's functions by
 * default (vsw_tenant_state_create()), a scripted one in tests.
 */
struct vsw_tenant_resolver {
	int (*fd)(void *r);
	int (*process)(void *r); /* 1: something changed */
	int (*refresh)(void *r, const char *ifname, struct vsw_underlay_vtep *v, size_t n);
	int (*timeout_ms)(void *r); /* -1: nothing due */
	void (*close)(void *r);
};

/* vsw-control's tenant-sync state (struct vsw_control's `tenant`). */
struct vsw_tenant_state {
	const struct vsw_tenant_resolver *rops;
	void *resolver; /* NULL: could not be opened */
	/* The tenant rules the dataplane `boot_id` has, when known. */
	char **flows;
	size_t n_flows;
	bool flows_valid;
	char boot_id[64];
	/* The VTEPs in use (sorted by ip) and their answers, through uplink_if. */
	struct vsw_underlay_vtep *vteps;
	size_t n_vteps;
	bool strays; /* a reconcile failed: MACs may be learned astray, read mac-list */
	char uplink_if[16]; /* "" with the reason in uplink_why */
	char uplink_why[128];
};

/* NULL with errno (ENOMEM). An underlay that cannot be opened is logged. */
struct vsw_tenant_state *vsw_tenant_state_create(const struct vsw_log *log);
void vsw_tenant_state_destroy(struct vsw_tenant_state *st);
/* Use this resolver from now on (the previous one is closed). */
void vsw_tenant_set_resolver(struct vsw_tenant_state *st, const struct vsw_tenant_resolver *ops,
			     void *r);

/*
 * Take the dataplane to the tenant state of `next` (the configuration a
 * change is about to commit). 0; -EREMOTEIO with `err` when the dataplane
 * refused a step; -ENOTCONN when it is not connected (it gets `next` at
 * the next reconcile); -ENOMEM.
 */
int vsw_tenant_apply(struct vsw_control *ctl, const struct vsw_config *next, char *err,
		     size_t errlen);

/* ---- inside the full reconcile (sync.c) ---- */

struct vsw_tenant_sync {
	bool ok; /* planned: carry the steps out; false: tenant state left alone */
	struct vsw_compiled c;
	struct vsw_underlay_vtep *res; /* the answers for c.vtep_ips */
	size_t n_res;
	char uplink_if[16]; /* resolved through this interface ("": none, why) */
	char uplink_why[128];
	struct vsw_vtep_want *want_vteps;
	struct vsw_cdomain *have_domains;
	size_t n_have_domains;
	struct vsw_vtep_want *have_vteps;
	size_t n_have_vteps;
	struct vsw_mac_have *have_macs;
	size_t n_have_macs;
	struct vsw_cport *have_ports;
	size_t n_have_ports;
	struct vsw_tenant_plan plan;
	unsigned failed;
	bool halted; /* steps 1-2 failed: nothing more of the tenant state is sent */
};

/*
 * Plan the tenant part of a reconcile: `ports` is the dataplane's port-list
 * array, `gone` the names of ports the reconcile deletes (their tables do
 * not count), `flows` the dataplane's rules in tables 250..254. Reads the
 * dataplane's domains and VTEPs. 0 (ts->ok says whether there is a plan),
 * -ENOTCONN or -ENOMEM.
 */
int vsw_tenant_sync_prepare(struct vsw_control *ctl, const json_t *ports,
			    const char *const *gone, size_t n_gone, const char *const *flows,
			    size_t n_flows, struct vsw_tenant_sync *ts);
/*
 * Steps 1-2, 4, 5-6. 0 or -ENOTCONN; refusals are logged and counted in
 * ts->failed; one in steps 1-2 sets ts->halted, and the later steps (and
 * sync.c's share of the flow-batch) then do nothing.
 */
int vsw_tenant_sync_narrow(struct vsw_control *ctl, struct vsw_tenant_sync *ts);
int vsw_tenant_sync_ports(struct vsw_control *ctl, struct vsw_tenant_sync *ts);
int vsw_tenant_sync_widen(struct vsw_control *ctl, struct vsw_tenant_sync *ts);
/* The start table of a port the reconcile adds (also when ts->ok is false). */
unsigned vsw_tenant_sync_table(const struct vsw_tenant_sync *ts, uint32_t port_no);
/* After the steps: remember what the dataplane now has (`all_ok`: every step was applied). */
void vsw_tenant_sync_done(struct vsw_control *ctl, struct vsw_tenant_sync *ts, bool all_ok);
void vsw_tenant_sync_free(struct vsw_tenant_sync *ts);

/* ---- underlay ---- */

/* The fd to poll (POLLIN), or -1. */
int vsw_tenant_underlay_fd(const struct vsw_control *ctl);
/* poll() timeout until the next re-resolution, -1: none due. */
int vsw_tenant_underlay_timeout(const struct vsw_control *ctl);
/* The fd was readable, or the timeout passed: re-resolve and send what changed. */
void vsw_tenant_underlay_run(struct vsw_control *ctl, bool readable);
/* How `ip` resolves now (for show-tenant), or NULL when it is not in use. */
const struct vsw_nexthop *vsw_tenant_vtep_state(const struct vsw_control *ctl, uint32_t ip);
/* The same, or unresolved "not resolved yet". */
void vsw_tenant_vtep_lookup(struct vsw_control *ctl, uint32_t ip, struct vsw_nexthop *nh);
/*
 * Resolve the VTEPs `cfg` uses and keep them as the ones in use, without
 * the dataplane (at start, and for a change made while it is away).
 * 0 or -ENOMEM.
 */
int vsw_tenant_resolve_config(struct vsw_control *ctl, const struct vsw_config *cfg);

#endif
