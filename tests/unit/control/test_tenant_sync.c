/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw-control: tenant sync against a fake dataplane (fake_dp.h) that keeps
 * state and checks isolation after every message it applies. Covers the
 * full reconcile (empty dataplane, restarted vsw-control, restarted or
 * older dataplane), vsw_tenant_apply() (move, detach, attach, a refusal),
 * show-tenant, and VTEP next hops following the kernel.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "control.h"
#include "fake_dp.h"
#include "intent.h"
#include "mgmt.h"
#include "sync.h"
#include "tenant_sync.h"

/* A scripted underlay resolver (tenant_sync.h's resolver ops): the test sets the answer. */
static struct {
	struct vsw_nexthop answer;
	int changed; /* what process() returns next */
	char asked_if[16]; /* the interface of the last refresh */
	unsigned questions;
	bool waiting; /* the last refresh left one unresolved */
} script;

static int s_fd(void *r)
{
	(void)r;
	return -1;
}

static int s_process(void *r)
{
	int c = script.changed;

	(void)r;
	script.changed = 0;
	return c;
}

/* As vsw_underlay_refresh(): `changed` where what vtep-set carries differs. */
static int s_refresh(void *r, const char *ifname, struct vsw_underlay_vtep *v, size_t n)
{
	int changed = 0;

	(void)r;
	snprintf(script.asked_if, sizeof(script.asked_if), "%s", ifname);
	script.waiting = false;
	for (size_t i = 0; i < n; i++) {
		const struct vsw_nexthop *old = &v[i].nh, *now = &script.answer;

		v[i].changed = (!old->resolved && !old->reason[0]) || old->resolved != now->resolved ||
			       (now->resolved && memcmp(old->mac, now->mac, 6));
		v[i].nh = *now;
		changed += v[i].changed;
		script.questions++;
		script.waiting |= !now->resolved;
	}
	return changed;
}

static int s_timeout(void *r)
{
	(void)r;
	return script.waiting ? 1000 : -1;
}

static void s_close(void *r)
{
	(void)r;
}

static const struct vsw_tenant_resolver scripted = { s_fd, s_process, s_refresh, s_timeout,
						     s_close };

static void answer(const char *mac, const char *reason)
{
	memset(&script.answer, 0, sizeof(script.answer));
	if (mac) {
		script.answer.resolved = true;
		assert_int_equal(sscanf(mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &script.answer.mac[0],
					&script.answer.mac[1], &script.answer.mac[2],
					&script.answer.mac[3], &script.answer.mac[4],
					&script.answer.mac[5]), 6);
		snprintf(script.answer.ifname, sizeof(script.answer.ifname), "eth0");
	} else {
		snprintf(script.answer.reason, sizeof(script.answer.reason), "%s", reason);
	}
}

#define UPLINK FAKE_UPLINK
#define VXLAN FAKE_VXLAN

/* ---- configurations ---- */

static void add_port(struct vsw_config *cfg, const char *name, uint32_t no, const char *tenant)
{
	struct vsw_port_cfg *p;

	cfg->ports = realloc(cfg->ports, (cfg->n_ports + 1) * sizeof(*cfg->ports));
	p = &cfg->ports[cfg->n_ports++];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->port_no = no;
	snprintf(p->type, sizeof(p->type), "vhost-user");
	snprintf(p->mode, sizeof(p->mode), "server");
	snprintf(p->path, sizeof(p->path), "/tmp/%s.sock", name);
	if (tenant)
		snprintf(p->tenant.tenant, sizeof(p->tenant.tenant), "%s", tenant);
	cfg->numbers = realloc(cfg->numbers, (cfg->n_numbers + 1) * sizeof(*cfg->numbers));
	snprintf(cfg->numbers[cfg->n_numbers].name, sizeof(cfg->numbers[0].name), "%s", name);
	cfg->numbers[cfg->n_numbers++].port_no = no;
}

/* blue (vlan 10, vni 5000, VTEP), red (vlan 20): vm1 blue, vm2 `vm2`, vm3 red; eth0 uplink. */
static void make_config(struct vsw_config *cfg, const char *vm2)
{
	vsw_config_init(cfg);
	cfg->tenants = calloc(2, sizeof(*cfg->tenants));
	cfg->tenants[0] = (struct vsw_tenant_cfg){ "blue", 1, 10, 5000, 1024 };
	cfg->tenants[1] = (struct vsw_tenant_cfg){ "red", 2, 20, 0, 1024 };
	cfg->n_tenants = 2;
	add_port(cfg, "vm1", 1, "blue");
	add_port(cfg, "vm2", 2, vm2);
	add_port(cfg, "vm3", 3, "red");
	add_port(cfg, "eth0", UPLINK, NULL);
	snprintf(cfg->ports[3].type, sizeof(cfg->ports[3].type), "tap");
	cfg->numbers = realloc(cfg->numbers, (cfg->n_numbers + 1) * sizeof(*cfg->numbers));
	cfg->numbers[cfg->n_numbers++] = (struct vsw_port_number){ "@vxlan", VXLAN };
	snprintf(cfg->uplink.port, sizeof(cfg->uplink.port), "eth0");
	cfg->uplink.has_local_ip = true;
	inet_pton(AF_INET, "192.0.2.1", &cfg->uplink.local_ip);
	cfg->vteps = calloc(1, sizeof(*cfg->vteps));
	snprintf(cfg->vteps[0].tenant, sizeof(cfg->vteps[0].tenant), "blue");
	inet_pton(AF_INET, "198.51.100.2", &cfg->vteps[0].ip);
	cfg->n_vteps = 1;
	cfg->acls = calloc(1, sizeof(*cfg->acls));
	cfg->acls[0] = (struct vsw_acl_cfg){ .tenant = "blue", .id = 1, .priority = 100,
					     .allow = false, .match = "tcp,tp_dst=22" };
	cfg->n_acls = 1;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	if (!e)
		return -1;
	snprintf(e->dir, sizeof(e->dir), "/tmp/vsw-tsync-XXXXXX");
	if (!mkdtemp(e->dir))
		return -1;
	snprintf(e->log, sizeof(e->log), "%s/fake.log", e->dir);
	vsw_log_init(&e->ctl.log);
	e->ctl.log.level = getenv("TEST_DEBUG") ? VSW_LOG_DEBUG : VSW_LOG_ERROR;
	e->ctl.run_dir = e->dir;
	assert_int_equal(vsw_dpconn_init(&e->ctl.dp, e->dir, &e->ctl.log), 0);
	answer(NULL, "no neighbour yet");
	e->ctl.tenant = vsw_tenant_state_create(&e->ctl.log);
	vsw_tenant_set_resolver(e->ctl.tenant, &scripted, &script);
	make_config(&e->ctl.cfg, "blue");
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];

	stop_fake(e);
	vsw_dpconn_fini(&e->ctl.dp);
	vsw_tenant_state_destroy(e->ctl.tenant);
	vsw_config_free(&e->ctl.cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->dir);
	if (system(cmd))
		return -1;
	free(e);
	return 0;
}

/* The fake holds the compiled state of `cfg`: rules, domains, tables. */
static void assert_converged(struct env *e, const struct vsw_config *cfg)
{
	char err[256];
	json_t *flows, *domains, *ports, *x;
	struct vsw_compiled c;
	size_t i, n_tenant = 0;

	assert_int_equal(vsw_compile_config(cfg, &c), 0);
	assert_int_equal(vsw_dpconn_flow_list(&e->ctl.dp, &flows, err, sizeof(err)), 0);
	json_array_foreach(flows, i, x) {
		const char *t = json_string_value(json_object_get(x, "flow"));

		if (strncmp(t, "table=25", 8))
			continue;
		n_tenant++;
		if (!vsw_compiled_flow(&c, t))
			fail_msg("the dataplane has a rule not compiled: %s", t);
	}
	assert_int_equal(n_tenant, c.n_flows);
	assert_int_equal(vsw_dpconn_call(&e->ctl.dp, json_pack("{s:s}", "cmd", "domain-list"),
					 &domains, err, sizeof(err)), 0);
	assert_int_equal(json_array_size(json_object_get(domains, "domains")), c.n_domains);
	assert_int_equal(vsw_dpconn_port_list(&e->ctl.dp, &ports, err, sizeof(err)), 0);
	json_array_foreach(ports, i, x) {
		uint32_t no = (uint32_t)json_integer_value(json_object_get(x, "port_no"));
		const struct vsw_cport *p = vsw_compiled_port(&c, no);

		assert_non_null(p);
		assert_int_equal(json_integer_value(json_object_get(x, "table")), p->table);
	}
	assert_int_equal(json_array_size(ports), c.n_ports);
	json_decref(flows);
	json_decref(domains);
	json_decref(ports);
	vsw_compiled_free(&c);
}

static bool mutating(const char *cmd)
{
	return !strstr(cmd, "-list") && strcmp(cmd, "hello");
}

/* An empty dataplane gets everything; ports come after their rules, domains last. */
static void test_full_sync_then_nothing(void **state)
{
	struct env *e = *state;
	char cmds[512][48];
	json_t *r;
	size_t n;

	start_fake(e, "boot1");
	clear_log(e);
	assert_int_equal(vsw_sync(&e->ctl), 0);
	assert_no_violation(e);
	assert_converged(e, &e->ctl.cfg);
	n = commands(e, cmds, 512);
	assert_true(where(cmds, n, "flow-batch") < where(cmds, n, "port-add:vm1"));
	assert_true(where(cmds, n, "port-add:vm1") < where(cmds, n, "domain-set:4096"));
	assert_true(where(cmds, n, "port-add:@vxlan") < where(cmds, n, "domain-set:4096"));
	assert_true(where(cmds, n, "vtep-set") < where(cmds, n, "domain-set:4096"));
	r = request(e, "port-add", "vm1");
	assert_int_equal(json_integer_value(json_object_get(r, "table")), 250);
	json_decref(r);
	r = request(e, "port-add", "@vxlan");
	assert_string_equal(json_string_value(json_object_get(r, "type")), "vxlan");
	assert_string_equal(json_string_value(json_object_get(r, "underlay")), "eth0");
	assert_string_equal(json_string_value(json_object_get(r, "local_ip")), "192.0.2.1");
	assert_int_equal(json_integer_value(json_object_get(r, "port_no")), VXLAN);
	json_decref(r);
	r = request(e, "vtep-set", NULL); /* not resolved yet */
	assert_string_equal(json_string_value(json_object_get(r, "ip")), "198.51.100.2");
	assert_true(json_is_null(json_object_get(r, "mac")));
	json_decref(r);
	assert_string_equal(vsw_tenant_vtep_state(&e->ctl, e->ctl.cfg.vteps[0].ip)->reason,
			    "no neighbour yet");
	assert_string_equal(script.asked_if, "eth0"); /* the tap uplink's own name */

	/* vsw-control restarted (or reconnected): nothing is sent but lists. */
	clear_log(e);
	assert_int_equal(vsw_sync(&e->ctl), 0);
	n = commands(e, cmds, 512);
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++)
		if (mutating(cmds[i]))
			fail_msg("a converged dataplane got '%s'", cmds[i]);
}

/* Moving and detaching a port through vsw_tenant_apply(). */
static void test_apply_move_and_detach(void **state)
{
	struct env *e = *state;
	struct vsw_config next;
	char cmds[512][48], err[256];
	size_t n;
	long q;

	start_fake(e, "boot1");
	assert_int_equal(vsw_sync(&e->ctl), 0);

	clear_log(e);
	make_config(&next, "red");
	assert_int_equal(vsw_tenant_apply(&e->ctl, &next, err, sizeof(err)), 0);
	n = commands(e, cmds, 512);
	assert_no_violation(e);
	assert_converged(e, &next);
	q = where(cmds, n, "flow-batch"); /* the quarantine: vm2's way into blue */
	assert_true(q < where(cmds, n, "domain-set:4096"));
	assert_true(where(cmds, n, "domain-set:4096") < where(cmds, n, "domain-set:8192"));
	for (size_t i = 0; i < n; i++) {
		assert_null(strstr(cmds[i], "port-mod")); /* stays at table 250 */
		assert_null(strstr(cmds[i], "flow-list")); /* the rules applied last are known */
	}
	vsw_config_free(&e->ctl.cfg);
	e->ctl.cfg = next;

	clear_log(e);
	make_config(&next, NULL);
	assert_int_equal(vsw_tenant_apply(&e->ctl, &next, err, sizeof(err)), 0);
	assert_no_violation(e);
	assert_converged(e, &next);
	n = commands(e, cmds, 512);
	assert_true(where(cmds, n, "domain-set:8192") < where(cmds, n, "port-mod:vm2"));
	vsw_config_free(&e->ctl.cfg);
	e->ctl.cfg = next;

	/* Attach again: port-mod after its rules, before its domain. */
	clear_log(e);
	make_config(&next, "blue");
	assert_int_equal(vsw_tenant_apply(&e->ctl, &next, err, sizeof(err)), 0);
	assert_no_violation(e);
	n = commands(e, cmds, 512);
	assert_true(where(cmds, n, "flow-batch") < where(cmds, n, "port-mod:vm2"));
	assert_true(where(cmds, n, "port-mod:vm2") < where(cmds, n, "domain-set:4096"));
	vsw_config_free(&e->ctl.cfg);
	e->ctl.cfg = next;

	/* No change: nothing mutating. */
	clear_log(e);
	assert_int_equal(vsw_tenant_apply(&e->ctl, &e->ctl.cfg, err, sizeof(err)), 0);
	n = commands(e, cmds, 512);
	for (size_t i = 0; i < n; i++)
		assert_false(mutating(cmds[i]));
}

/* Two tenants swap their uplink VLANs in one change: no VLAN is ever both's. */
static void test_apply_vlan_swap(void **state)
{
	struct env *e = *state;
	struct vsw_config next;
	char err[256];

	start_fake(e, "boot1");
	assert_int_equal(vsw_sync(&e->ctl), 0);
	clear_log(e);
	make_config(&next, "blue");
	next.tenants[0].vlan = 20;
	next.tenants[1].vlan = 10;
	assert_int_equal(vsw_tenant_apply(&e->ctl, &next, err, sizeof(err)), 0);
	assert_no_violation(e);
	assert_converged(e, &next);
	vsw_config_free(&next);
}

/* A restarted dataplane gets everything back, tenant ports straight at table 250. */
static void test_dataplane_restarted(void **state)
{
	struct env *e = *state;
	char err[256];
	json_t *r;

	start_fake(e, "boot1");
	assert_int_equal(vsw_sync(&e->ctl), 0);
	stop_fake(e);
	clear_log(e);
	start_fake(e, "boot2");
	assert_int_equal(vsw_sync(&e->ctl), 0);
	assert_no_violation(e);
	assert_converged(e, &e->ctl.cfg);
	r = request(e, "port-add", "vm3");
	assert_int_equal(json_integer_value(json_object_get(r, "table")), 250);
	json_decref(r);

	/* Not connected: apply says so and sends nothing. */
	stop_fake(e);
	vsw_dpconn_close(&e->ctl.dp, "test");
	assert_int_equal(vsw_tenant_apply(&e->ctl, &e->ctl.cfg, err, sizeof(err)), -ENOTCONN);
}

/* A refusal half way: the error, the partial state still isolated, a reconcile due. */
static void test_apply_refused(void **state)
{
	struct env *e = *state;
	struct vsw_config next;
	char err[256];
	json_t *r;

	start_fake(e, "boot1");
	assert_int_equal(vsw_sync(&e->ctl), 0);
	assert_int_equal(vsw_dpconn_call(&e->ctl.dp, json_pack("{s:s}", "cmd", "fake-refuse"), &r,
					 err, sizeof(err)), 0);
	json_decref(r);
	clear_log(e);
	make_config(&next, "red");
	assert_false(e->ctl.dp.need_sync);
	assert_int_equal(vsw_tenant_apply(&e->ctl, &next, err, sizeof(err)), -EREMOTEIO);
	assert_string_equal(err, "domain-set: no room for domain 8192");
	assert_true(e->ctl.dp.need_sync);
	assert_no_violation(e);
	vsw_config_free(&next);
	/*
	 * The reconcile cannot shrink red either (vm2 sent into it and may be
	 * learned there): it stops after narrowing, vm2 still admitted to red only.
	 */
	clear_log(e);
	assert_int_equal(vsw_sync(&e->ctl), 0);
	assert_no_violation(e);
	assert_null(request(e, "port-mod", NULL));
	r = request(e, "domain-set", NULL);
	assert_int_equal(json_integer_value(json_object_get(r, "id")), FAKE_REFUSED_DOMAIN);
	json_decref(r);
	/* Once the dataplane accepts, the reconcile takes it back to vm2 in blue. */
	assert_int_equal(vsw_dpconn_call(&e->ctl.dp, json_pack("{s:s}", "cmd", "fake-accept"), &r,
					 err, sizeof(err)), 0);
	json_decref(r);
	assert_int_equal(vsw_sync(&e->ctl), 0);
	assert_no_violation(e);
	assert_converged(e, &e->ctl.cfg);
}

/* A dataplane that cannot list domains: tenant ports still start at table 250 (and drop). */
static void test_tenant_state_unreadable(void **state)
{
	struct env *e = *state;
	char err[256];
	json_t *r, *ports, *x;
	size_t i;

	start_fake(e, "boot1");
	assert_int_equal(vsw_dpconn_call(&e->ctl.dp, json_pack("{s:s}", "cmd", "fake-no-domains"),
					 &r, err, sizeof(err)), 0);
	json_decref(r);
	assert_int_equal(vsw_sync(&e->ctl), 0);
	assert_int_equal(vsw_dpconn_port_list(&e->ctl.dp, &ports, err, sizeof(err)), 0);
	assert_int_equal(json_array_size(ports), 4); /* no @vxlan: tenant state not planned */
	json_array_foreach(ports, i, x)
		assert_int_equal(json_integer_value(json_object_get(x, "table")), 250);
	json_decref(ports);
	assert_null(request(e, "domain-set", NULL));
	assert_no_violation(e);
	/* A change cannot be applied: refused with the dataplane's line. */
	assert_int_equal(vsw_tenant_apply(&e->ctl, &e->ctl.cfg, err, sizeof(err)), -EREMOTEIO);
	assert_string_equal(err, "unknown command 'domain-list'");
}

/* show-tenant: the intent, the domains' counters and MACs, ACL and drop counters. */
static void test_show_tenant(void **state)
{
	struct env *e = *state;
	json_t *req, *r, *x;
	size_t i;

	start_fake(e, "boot1");
	assert_int_equal(vsw_sync(&e->ctl), 0);
	req = json_pack("{s:s,s:s}", "cmd", "show-tenant", "name", "blue");
	r = vsw_mgmt_dispatch(&e->ctl, req);
	assert_true(json_is_true(json_object_get(r, "ok")));
	assert_true(json_is_true(json_object_get(r, "counters")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "tenant"), "vni")),
			 5000);
	x = json_object_get(r, "ports");
	assert_int_equal(json_array_size(x), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(x, 1), "name")), "vm2");
	x = json_array_get(json_object_get(r, "domains"), 0);
	assert_int_equal(json_integer_value(json_object_get(x, "id")), 4096);
	assert_int_equal(json_integer_value(json_object_get(x, "learned")), 3);
	assert_int_equal(json_array_size(json_object_get(x, "members")), 3);
	/* vm1, vm2 and eth0 (tag 10) sent into 4096 and are learned there; so is the VTEP */
	assert_int_equal(json_array_size(json_object_get(r, "macs")), 4);
	json_array_foreach(json_object_get(r, "macs"), i, x) {
		const char *port = json_string_value(json_object_get(x, "port"));

		if (!strcmp(port, "vm1"))
			assert_string_equal(json_string_value(json_object_get(x, "mac")),
					    "02:00:00:00:00:01");
		else if (!strcmp(port, "@vxlan"))
			assert_string_equal(json_string_value(json_object_get(x, "vtep")),
					    "198.51.100.2");
		else
			assert_true(!strcmp(port, "vm2") || !strcmp(port, "eth0"));
	}
	x = json_array_get(json_object_get(r, "vteps"), 0);
	assert_string_equal(json_string_value(json_object_get(x, "state")), "unresolved");
	assert_string_equal(json_string_value(json_object_get(x, "reason")), "no neighbour yet");
	x = json_array_get(json_object_get(r, "acls"), 0);
	assert_int_equal(json_integer_value(json_object_get(x, "n_packets")), 7);
	/* blue's drops: vm1, vm2 catch-alls and uplink tag 10 twice (vlan); VXLAN 3 */
	x = json_object_get(r, "dropped");
	assert_int_equal(json_integer_value(json_object_get(x, "vlan")), 4 * 7);
	assert_int_equal(json_integer_value(json_object_get(x, "vxlan")), 3 * 7);
	assert_int_equal(json_integer_value(json_object_get(x, "spoofed")), 0);
	assert_int_equal(json_integer_value(json_object_get(x, "total")), 7 * 7);
	json_decref(r);
	json_decref(req);

	req = json_pack("{s:s,s:s}", "cmd", "show-tenant", "name", "green");
	r = vsw_mgmt_dispatch(&e->ctl, req);
	assert_string_equal(json_string_value(json_object_get(r, "error")),
			    "no tenant 'green'");
	json_decref(r);
	json_decref(req);

	stop_fake(e);
	vsw_dpconn_close(&e->ctl.dp, "test");
	req = json_pack("{s:s,s:s}", "cmd", "show-tenant", "name", "blue");
	r = vsw_mgmt_dispatch(&e->ctl, req);
	assert_true(json_is_true(json_object_get(r, "ok")));
	assert_true(json_is_false(json_object_get(r, "counters")));
	assert_string_equal(json_string_value(json_object_get(r, "dataplane")), "disconnected");
	assert_true(json_is_null(json_object_get(r, "dropped")));
	assert_true(json_is_null(json_object_get(r, "macs")));
	assert_null(json_object_get(json_array_get(json_object_get(r, "acls"), 0), "n_packets"));
	assert_int_equal(json_array_size(json_object_get(r, "domains")), 1); /* native only */
	json_decref(r);
	json_decref(req);
}

/* Next hops follow the kernel: re-sent when the answer changes, retried while unresolved. */
static void test_underlay_changes(void **state)
{
	struct env *e = *state;
	char cmds[64][48];
	unsigned asked;
	json_t *r;
	size_t n;

	start_fake(e, "boot1");
	assert_int_equal(vsw_sync(&e->ctl), 0);
	/* Unresolved: a retry within a second. */
	assert_true(vsw_tenant_underlay_timeout(&e->ctl) >= 0);
	assert_true(vsw_tenant_underlay_timeout(&e->ctl) <= 1000);

	/* Nothing changed, nothing due: the resolver is not even asked. */
	clear_log(e);
	asked = script.questions;
	vsw_tenant_underlay_run(&e->ctl, false);
	if (vsw_tenant_underlay_timeout(&e->ctl) > 0)
		assert_int_equal(script.questions, asked);

	/* The kernel learned the neighbour: one vtep-set with its MAC. */
	answer("02:00:00:00:00:aa", NULL);
	script.changed = 1;
	vsw_tenant_underlay_run(&e->ctl, true);
	n = commands(e, cmds, 64);
	assert_int_equal(n, 1);
	assert_string_equal(cmds[0], "vtep-set");
	r = request(e, "vtep-set", NULL);
	assert_string_equal(json_string_value(json_object_get(r, "mac")), "02:00:00:00:00:aa");
	json_decref(r);
	assert_int_equal(vsw_tenant_underlay_timeout(&e->ctl), -1); /* all resolved */

	/* A change elsewhere that leaves the answer as it is: nothing sent. */
	clear_log(e);
	script.changed = 1;
	vsw_tenant_underlay_run(&e->ctl, true);
	assert_int_equal(commands(e, cmds, 64), 0);

	/* The next hop moves, then the route goes. */
	answer("02:00:00:00:00:bb", NULL);
	script.changed = 1;
	vsw_tenant_underlay_run(&e->ctl, true);
	answer(NULL, "no route to 198.51.100.2");
	script.changed = 1;
	vsw_tenant_underlay_run(&e->ctl, true);
	n = commands(e, cmds, 64);
	assert_int_equal(n, 2);
	r = request(e, "vtep-set", NULL);
	assert_true(json_is_null(json_object_get(r, "mac")));
	json_decref(r);
	assert_string_equal(vsw_tenant_vtep_state(&e->ctl, e->ctl.cfg.vteps[0].ip)->reason,
			    "no route to 198.51.100.2");

	/* A reconcile now finds the dataplane right: no vtep-set. */
	clear_log(e);
	assert_int_equal(vsw_sync(&e->ctl), 0);
	n = commands(e, cmds, 64);
	for (size_t i = 0; i < n; i++)
		assert_false(mutating(cmds[i]));
}

/* set-uplink nexthop=: every VTEP resolved to it, the kernel resolver never asked. */
static void test_static_nexthop(void **state)
{
	struct env *e = *state;
	struct vsw_config *cfg = &e->ctl.cfg;
	const struct vsw_nexthop *nh;
	char cmds[64][48];
	unsigned asked = script.questions;
	json_t *req, *r, *x;
	size_t n;

	cfg->uplink.has_nexthop = true;
	memcpy(cfg->uplink.nexthop, "\x02\x00\x00\x00\x00\xfe", 6);
	start_fake(e, "boot1");
	assert_int_equal(vsw_sync(&e->ctl), 0);
	r = request(e, "vtep-set", NULL);
	assert_string_equal(json_string_value(json_object_get(r, "ip")), "198.51.100.2");
	assert_string_equal(json_string_value(json_object_get(r, "mac")), "02:00:00:00:00:fe");
	json_decref(r);
	assert_int_equal(script.questions, asked);
	assert_int_equal(vsw_tenant_underlay_timeout(&e->ctl), -1); /* nothing to retry */
	nh = vsw_tenant_vtep_state(&e->ctl, cfg->vteps[0].ip);
	assert_true(nh->resolved && nh->is_static);
	assert_string_equal(nh->ifname, "eth0");

	/* Kernel notifications change nothing. */
	clear_log(e);
	answer(NULL, "no route to 198.51.100.2");
	script.changed = 1;
	vsw_tenant_underlay_run(&e->ctl, true);
	assert_int_equal(commands(e, cmds, 64), 0);
	assert_int_equal(script.questions, asked);

	/* show-tenant: resolved (static), through the uplink port. */
	req = json_pack("{s:s,s:s}", "cmd", "show-tenant", "name", "blue");
	r = vsw_mgmt_dispatch(&e->ctl, req);
	x = json_array_get(json_object_get(r, "vteps"), 0);
	assert_string_equal(json_string_value(json_object_get(x, "state")), "resolved");
	assert_true(json_is_true(json_object_get(x, "static")));
	assert_string_equal(json_string_value(json_object_get(x, "mac")), "02:00:00:00:00:fe");
	assert_string_equal(json_string_value(json_object_get(x, "ifname")), "eth0");
	json_decref(r);
	json_decref(req);

	/* Another MAC: one vtep-set with it. */
	clear_log(e);
	cfg->uplink.nexthop[5] = 0xfd;
	assert_int_equal(vsw_sync(&e->ctl), 0);
	n = commands(e, cmds, 64);
	assert_true(where(cmds, n, "vtep-set") >= 0);
	r = request(e, "vtep-set", NULL);
	assert_string_equal(json_string_value(json_object_get(r, "mac")), "02:00:00:00:00:fd");
	json_decref(r);

	/* Without it: back to the kernel resolver, whose answer the dataplane gets. */
	clear_log(e);
	cfg->uplink.has_nexthop = false;
	assert_int_equal(vsw_sync(&e->ctl), 0);
	assert_true(script.questions > asked);
	assert_string_equal(script.asked_if, "eth0");
	r = request(e, "vtep-set", NULL);
	assert_true(json_is_null(json_object_get(r, "mac")));
	json_decref(r);
	nh = vsw_tenant_vtep_state(&e->ctl, cfg->vteps[0].ip);
	assert_false(nh->resolved || nh->is_static);
	assert_string_equal(nh->reason, "no route to 198.51.100.2");
}

/* The configuration as intent; the uplink's kernel interface. */
static void test_intent_and_uplink_ifname(void **state)
{
	struct env *e = *state;
	struct vsw_config *cfg = &e->ctl.cfg;
	struct vsw_port_cfg *up = &cfg->ports[3];
	char ifname[16], why[128];
	struct vsw_intent in;

	assert_int_equal(vsw_intent_from_config(cfg, &in), 0);
	assert_int_equal(in.n_ports, 4);
	assert_ptr_equal(in.ports[1].att, &cfg->ports[1].tenant);
	assert_int_equal(in.uplink_port_no, UPLINK);
	assert_int_equal(in.vxlan_port_no, VXLAN);
	assert_int_equal(in.n_tenants, 2);
	assert_int_equal(in.n_vteps, 1);
	assert_int_equal(in.n_acls, 1);
	vsw_intent_free(&in);

	assert_int_equal(vsw_uplink_ifname(cfg, ifname, sizeof(ifname), why, sizeof(why)), 0);
	assert_string_equal(ifname, "eth0"); /* a tap port: its own name */
	snprintf(up->type, sizeof(up->type), "dpdk");
	snprintf(up->devargs, sizeof(up->devargs), "net_af_packet0,iface=veth7,qpairs=1");
	assert_int_equal(vsw_uplink_ifname(cfg, ifname, sizeof(ifname), why, sizeof(why)), 0);
	assert_string_equal(ifname, "veth7");
	snprintf(up->devargs, sizeof(up->devargs), "0000:03:00.0");
	assert_int_equal(vsw_uplink_ifname(cfg, ifname, sizeof(ifname), why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "uplink 'eth0' (dpdk) has no kernel interface");
	cfg->uplink.port[0] = 0;
	assert_int_equal(vsw_uplink_ifname(cfg, ifname, sizeof(ifname), why, sizeof(why)), -ENOENT);
	assert_string_equal(why, "no uplink");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_full_sync_then_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_move_and_detach, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_vlan_swap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dataplane_restarted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tenant_state_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_tenant, setup, teardown),
		cmocka_unit_test_setup_teardown(test_underlay_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_static_nexthop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_intent_and_uplink_ifname, setup, teardown),
	};

	return cmocka_run_group_tests_name("control_tenant_sync", tests, NULL, NULL);
}
