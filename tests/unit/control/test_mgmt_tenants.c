/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw-control: the tenant commands (control/mgmt_tenant.c) through
 * vsw_mgmt_dispatch(), on a store in a temporary directory.
 *
 * The step that programs the dataplane, vsw_tenant_apply(), is replaced
 * here (the link wraps it: -Wl,--wrap=vsw_tenant_apply) by one that records
 * the configuration it was asked to program and answers what the test
 * says: so a test sees that a change reaches that step before the model
 * and the commit, and that a refusal there undoes it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mgmt_fixture.h"
#include "model_text.h"
#include "tenant_sync.h"

static struct {
	int rc; /* what the next calls return */
	const char *err; /* with -EREMOTEIO */
	unsigned calls;
	char *next; /* snapshot() of the last `next` */
	char *model; /* snapshot() of the model at that call */
} apply = { -ENOTCONN, "", 0, NULL, NULL };

int __wrap_vsw_tenant_apply(struct vsw_control *ctl, const struct vsw_config *next, char *err,
			    size_t errlen);
int __wrap_vsw_tenant_apply(struct vsw_control *ctl, const struct vsw_config *next, char *err,
			    size_t errlen)
{
	apply.calls++;
	free(apply.next);
	free(apply.model);
	apply.next = snapshot(next);
	apply.model = snapshot(&ctl->cfg);
	snprintf(err, errlen, "%s", apply.err);
	return apply.rc;
}

static int setup_t(void **state)
{
	apply.rc = -ENOTCONN;
	apply.err = "";
	apply.calls = 0;
	return setup(state);
}

static int teardown_t(void **state)
{
	free(apply.next);
	free(apply.model);
	apply.next = apply.model = NULL;
	return teardown(state);
}

static json_t *tenants(struct fixture *f)
{
	json_t *r = call(f, "{\"cmd\": \"list-tenants\"}");

	assert_true(json_is_true(json_object_get(r, "ok")));
	return r;
}

/* list-tenants as compact text, for before/after comparisons. */
static char *tenants_text(struct fixture *f)
{
	json_t *r = tenants(f);
	char *s = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS);

	json_decref(r);
	return s;
}

static void assert_json(json_t *got, const char *want_text)
{
	json_error_t jerr;
	json_t *want = json_loads(want_text, 0, &jerr);

	if (!want)
		fail_msg("bad test JSON: %s", jerr.text);
	if (!json_equal(got, want)) {
		char *g = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);

		fail_msg("got %s", g);
	}
	json_decref(want);
}

/*
 * A refusal: exactly `error`, and list-tenants and the store untouched;
 * the dataplane step was asked (`asked`) or not.
 */
static void refused_at(struct fixture *f, const char *req, const char *error, bool asked)
{
	char *before = tenants_text(f), *after, *model = snapshot(&f->ctl.cfg), *stored;
	unsigned calls = apply.calls;

	expect_error(f, req, error);
	after = tenants_text(f);
	assert_string_equal(after, before);
	assert_int_equal(apply.calls, calls + asked);
	close_control(f);
	open_control(f);
	stored = snapshot(&f->ctl.cfg);
	assert_string_equal(stored, model);
	free(before);
	free(after);
	free(model);
	free(stored);
}

static void refused(struct fixture *f, const char *req, const char *error)
{
	refused_at(f, req, error, false);
}

static void ports(struct fixture *f)
{
	expect_ok(f, "{\"cmd\": \"add-port\", \"name\": \"vm1\"}");
	expect_ok(f, "{\"cmd\": \"add-port\", \"name\": \"vm2\"}");
	expect_ok(f, "{\"cmd\": \"add-port\", \"name\": \"vm3\"}");
	expect_ok(f, "{\"cmd\": \"add-port\", \"name\": \"up0\", \"type\": \"tap\"}");
}

static void test_commands_and_listing(void **state)
{
	struct fixture *f = *state;
	json_t *r;

	ports(f);
	r = tenants(f);
	assert_json(r, "{\"ok\":true,\"tenants\":[],\"uplink\":null}");
	json_decref(r);

	assert_int_equal(reply_int(f, "{\"cmd\": \"add-tenant\", \"name\": \"blue\", \"vlan\": 10,"
				      " \"vni\": 5000}", "id"), 1);
	assert_int_equal(reply_int(f, "{\"cmd\": \"add-tenant\", \"name\": \"red\", \"vlan\": 20,"
				      " \"mac_limit\": 16, \"vni\": null}", "id"), 2);
	expect_ok(f, "{\"cmd\": \"set-port\", \"port\": \"vm1\", \"tenant\": \"blue\","
		     " \"mac\": \"02:00:00:00:00:01\", \"ips\": \"192.0.2.10,2001:db8::10\"}");
	expect_ok(f, "{\"cmd\": \"set-port\", \"port\": \"vm2\", \"tenant\": \"blue\","
		     " \"mode\": \"trunk\", \"trunks\": \"102,100-101,10\"}");
	expect_ok(f, "{\"cmd\": \"set-port\", \"port\": \"vm3\", \"tenant\": \"red\"}");
	expect_ok(f, "{\"cmd\": \"set-uplink\", \"port\": \"up0\", \"local_ip\": \"192.0.2.1\","
		     " \"nexthop\": \"02:00:00:00:00:FE\"}");
	expect_ok(f, "{\"cmd\": \"add-vtep\", \"tenant\": \"blue\", \"ip\": \"198.51.100.2\"}");
	assert_int_equal(reply_int(f, "{\"cmd\": \"add-acl\", \"tenant\": \"blue\", \"action\":"
				      " \"deny\", \"match\": \"tcp tp_dst=22\"}", "id"), 1);
	assert_int_equal(reply_int(f, "{\"cmd\": \"add-acl\", \"tenant\": \"blue\", \"priority\":"
				      " 7, \"action\": \"allow\"}", "id"), 2);
	assert_int_equal(apply.calls, 9);

	static const char want[] =
		"{\"ok\":true,\"uplink\":{\"port\":\"up0\",\"local_ip\":\"192.0.2.1\","
		"\"nexthop\":\"02:00:00:00:00:fe\"},"
		"\"tenants\":["
		"{\"name\":\"blue\",\"id\":1,\"vlan\":10,\"vni\":5000,\"mac_limit\":1024,"
		"\"ports\":[{\"name\":\"vm1\",\"mode\":\"access\",\"trunks\":\"\","
		"\"mac\":\"02:00:00:00:00:01\",\"ips\":[\"192.0.2.10\",\"2001:db8::10\"]},"
		"{\"name\":\"vm2\",\"mode\":\"trunk\",\"trunks\":\"10,100-102\",\"mac\":null,"
		"\"ips\":[]}],\"vteps\":[\"198.51.100.2\"],"
		"\"acls\":[{\"id\":1,\"priority\":100,\"action\":\"deny\",\"match\":\"tcp,tp_dst=22\"},"
		"{\"id\":2,\"priority\":7,\"action\":\"allow\",\"match\":\"\"}]},"
		"{\"name\":\"red\",\"id\":2,\"vlan\":20,\"vni\":0,\"mac_limit\":16,"
		"\"ports\":[{\"name\":\"vm3\",\"mode\":\"access\",\"trunks\":\"\",\"mac\":null,"
		"\"ips\":[]}],\"vteps\":[],\"acls\":[]}]}";
	r = tenants(f);
	assert_json(r, want);
	json_decref(r);

	/* dump-ports says whose each port is. */
	r = call(f, "{\"cmd\": \"dump-ports\"}");
	json_t *p = json_array_get(json_object_get(r, "ports"), 0);
	assert_string_equal(json_string_value(json_object_get(p, "tenant")), "blue");
	assert_true(json_is_false(json_object_get(p, "uplink")));
	p = json_array_get(json_object_get(r, "ports"), 3);
	assert_string_equal(json_string_value(json_object_get(p, "name")), "up0");
	assert_true(json_is_null(json_object_get(p, "tenant")));
	assert_true(json_is_true(json_object_get(p, "uplink")));
	assert_string_equal(json_string_value(json_object_get(p, "type")), "tap");
	json_decref(r);

	/* All of it on disk. */
	close_control(f);
	open_control(f);
	r = tenants(f);
	assert_json(r, want);
	json_decref(r);

	/* And back down. */
	expect_ok(f, "{\"cmd\": \"del-acl\", \"tenant\": \"blue\", \"id\": 1}");
	expect_ok(f, "{\"cmd\": \"del-vtep\", \"tenant\": \"blue\", \"ip\": \"198.51.100.2\"}");
	expect_ok(f, "{\"cmd\": \"set-uplink\", \"port\": \"none\"}");
	expect_ok(f, "{\"cmd\": \"set-port\", \"port\": \"vm3\", \"tenant\": \"none\"}");
	assert_int_equal(reply_int(f, "{\"cmd\": \"del-tenant\", \"name\": \"red\"}", "detached"),
			 0);
	assert_int_equal(reply_int(f, "{\"cmd\": \"del-tenant\", \"name\": \"blue\","
				      " \"force\": true}", "detached"), 2);
	close_control(f);
	open_control(f);
	r = tenants(f);
	assert_json(r, "{\"ok\":true,\"tenants\":[],\"uplink\":null}");
	json_decref(r);
	/* Ids stay with names. */
	assert_int_equal(reply_int(f, "{\"cmd\": \"add-tenant\", \"name\": \"green\"}", "id"), 3);
	assert_int_equal(reply_int(f, "{\"cmd\": \"add-tenant\", \"name\": \"red\"}", "id"), 2);
}

static void test_refusals_change_nothing(void **state)
{
	struct fixture *f = *state;

	ports(f);
	expect_ok(f, "{\"cmd\": \"add-tenant\", \"name\": \"blue\", \"vlan\": 10, \"vni\": 5000}");
	expect_ok(f, "{\"cmd\": \"add-tenant\", \"name\": \"red\", \"vlan\": 20}");
	expect_ok(f, "{\"cmd\": \"set-port\", \"port\": \"vm1\", \"tenant\": \"blue\","
		     " \"mode\": \"trunk\", \"trunks\": \"30\"}");
	expect_ok(f, "{\"cmd\": \"set-uplink\", \"port\": \"up0\"}");
	expect_ok(f, "{\"cmd\": \"add-flow\", \"flow\": \"in_port=vm3,actions=output:vm2\"}");

	refused(f, "{\"cmd\": \"add-tenant\", \"name\": \"blue\"}", "tenant 'blue' already exists");
	refused(f, "{\"cmd\": \"add-tenant\", \"name\": \"t\", \"vlan\": 4095}",
		"vlan 4095 out of range 1..4094");
	refused(f, "{\"cmd\": \"add-tenant\", \"name\": \"t\", \"vni\": 16777216}",
		"vni 16777216 out of range 1..16777215");
	refused(f, "{\"cmd\": \"add-tenant\", \"name\": \"t\", \"vlan\": 20}",
		"vlan 20 is used by tenant 'red'");
	refused(f, "{\"cmd\": \"add-tenant\", \"name\": \"t\", \"vlan\": 30}",
		"vlan 30 is used by tenant 'blue'");
	refused(f, "{\"cmd\": \"add-tenant\", \"name\": \"t\", \"vni\": 5000}",
		"vni 5000 is used by tenant 'blue'");
	refused(f, "{\"cmd\": \"add-tenant\", \"name\": \"t\", \"vlan\": \"10\"}",
		"add-tenant: argument 'vlan' must be an integer");
	refused(f, "{\"cmd\": \"del-tenant\", \"name\": \"blue\"}",
		"tenant 'blue' has ports (vm1); detach them (set-port PORT tenant=none) or use --force");
	refused(f, "{\"cmd\": \"del-tenant\", \"name\": \"green\"}", "no tenant 'green'");
	refused(f, "{\"cmd\": \"set-port\", \"port\": \"vm1\", \"tenant\": \"red\"}",
		"port 'vm1' is in tenant 'blue'; set tenant=none first");
	refused(f, "{\"cmd\": \"set-port\", \"port\": \"vm3\", \"tenant\": \"red\","
		   " \"mode\": \"trunk\", \"trunks\": \"29-31\"}", "vlan 30 is used by tenant 'blue'");
	refused(f, "{\"cmd\": \"set-port\", \"port\": \"vm3\", \"tenant\": \"red\","
		   " \"mode\": \"trunk\", \"trunks\": \"29-\"}",
		"trunks '29-': '29-' is not a VLAN id or range");
	refused(f, "{\"cmd\": \"set-port\", \"port\": \"vm3\", \"tenant\": \"red\","
		   " \"trunks\": \"29\"}", "trunks= needs mode=trunk");
	refused(f, "{\"cmd\": \"set-port\", \"port\": \"up0\", \"tenant\": \"red\"}",
		"port 'up0' is the uplink; it carries every tenant and joins none");
	refused(f, "{\"cmd\": \"set-port\", \"port\": \"vm2\", \"tenant\": \"red\"}",
		"port 'vm2' receives traffic from user flows (table=0,priority=32768,in_port=vm3,"
		"actions=output:vm2); delete them before it joins a tenant");
	refused(f, "{\"cmd\": \"set-port\", \"port\": \"vm9\", \"tenant\": \"red\"}",
		"no port 'vm9'");
	refused(f, "{\"cmd\": \"set-port\", \"port\": \"vm3\"}",
		"set-port: missing argument 'tenant'");
	refused(f, "{\"cmd\": \"set-port\", \"port\": \"vm3\", \"tenant\": \"red\","
		   " \"mac\": \"ff:ff:ff:ff:ff:ff\"}", "mac ff:ff:ff:ff:ff:ff is not a unicast address");
	refused(f, "{\"cmd\": \"set-uplink\", \"port\": \"vm1\"}",
		"port 'vm1' belongs to tenant 'blue'; the uplink carries every tenant and joins none");
	refused(f, "{\"cmd\": \"set-uplink\", \"port\": \"up0\", \"local_ip\": \"::1\"}",
		"local_ip '::1' is not an IPv4 address");
	refused(f, "{\"cmd\": \"set-uplink\", \"port\": \"up0\", \"local_ip\": \"192.0.2.1\","
		   " \"nexthop\": \"02:00:00:00:00\"}",
		"nexthop '02:00:00:00:00' is not a MAC address (02:00:00:00:00:01)");
	refused(f, "{\"cmd\": \"set-uplink\", \"port\": \"up0\", \"local_ip\": \"192.0.2.1\","
		   " \"nexthop\": \"ff:ff:ff:ff:ff:ff\"}",
		"nexthop ff:ff:ff:ff:ff:ff is not a unicast MAC address");
	refused(f, "{\"cmd\": \"set-uplink\", \"port\": \"up0\", \"nexthop\": \"02:00:00:00:00:fe\"}",
		"nexthop needs local_ip: it is the next hop of the VXLAN underlay");
	refused(f, "{\"cmd\": \"set-uplink\", \"port\": \"up0\", \"local_ip\": \"192.0.2.1\","
		   " \"nexthop\": 5}", "set-uplink: argument 'nexthop' must be a string");
	refused(f, "{\"cmd\": \"add-vtep\", \"tenant\": \"red\", \"ip\": \"198.51.100.2\"}",
		"tenant 'red' has no vni (a VTEP carries a tenant's VNI)");
	refused(f, "{\"cmd\": \"del-vtep\", \"tenant\": \"blue\", \"ip\": \"198.51.100.2\"}",
		"tenant 'blue' has no vtep 198.51.100.2");
	refused(f, "{\"cmd\": \"add-acl\", \"tenant\": \"blue\", \"action\": \"deny\","
		   " \"match\": \"in_port=vm1\"}",
		"acl match: in_port is not allowed (an ACL applies to the whole tenant)");
	refused(f, "{\"cmd\": \"add-acl\", \"tenant\": \"blue\", \"action\": \"reject\"}",
		"acl action 'reject' is not allow or deny");
	refused(f, "{\"cmd\": \"add-acl\", \"tenant\": \"blue\", \"priority\": 0,"
		   " \"action\": \"deny\"}", "acl priority 0 out of range 1..65535");
	refused(f, "{\"cmd\": \"del-acl\", \"tenant\": \"blue\", \"id\": 4}",
		"tenant 'blue' has no acl 4");
	refused(f, "{\"cmd\": \"del-acl\", \"tenant\": \"blue\"}", "del-acl: missing argument 'id'");

	/* The rest of the switch keeps the tenants' ports and tables out of users' reach. */
	refused(f, "{\"cmd\": \"del-port\", \"name\": \"vm1\"}",
		"port 'vm1' belongs to tenant 'blue'; detach it first (set-port vm1 tenant=none)");
	refused(f, "{\"cmd\": \"del-port\", \"name\": \"up0\"}",
		"port 'up0' is the uplink; set-uplink none first");
	refused(f, "{\"cmd\": \"add-flow\", \"flow\": \"in_port=vm3,actions=output:vm1\"}",
		"port 'vm1' belongs to tenant 'blue'; its traffic is programmed by the tenant pipeline");
	refused(f, "{\"cmd\": \"add-flow\", \"flow\": \"in_port=vm3,actions=output:up0\"}",
		"port 'up0' is the uplink; its traffic is programmed by the tenant pipeline");
	refused(f, "{\"cmd\": \"mod-flows\", \"flow\": \"in_port=vm3,actions=output:vm1\"}",
		"port 'vm1' belongs to tenant 'blue'; its traffic is programmed by the tenant pipeline");
	refused(f, "{\"cmd\": \"mod-flows\", \"flow\": \"cookie=0x7673770000010001,"
		   "actions=drop\"}",
		"cookie 0x7673770000010001 is reserved for the tenant pipeline (0x767377xxxxxxxxxx)");
	refused(f, "{\"cmd\": \"add-flows\", \"file\": \"f.txt\", \"lines\": ["
		   "\"in_port=vm3,actions=drop\", \"in_port=vm3,actions=output:vm1\"]}",
		"f.txt:2: port 'vm1' belongs to tenant 'blue'; its traffic is programmed by the "
		"tenant pipeline");
	refused(f, "{\"cmd\": \"replace-flows\", \"file\": \"f.txt\", \"lines\": ["
		   "\"in_port=vm2,actions=output:up0\"]}",
		"f.txt:1: port 'up0' is the uplink; its traffic is programmed by the tenant pipeline");
	refused(f, "{\"cmd\": \"add-flow\", \"flow\": \"table=250,actions=drop\"}",
		"table 250 is reserved for the tenant pipeline (tables 250..254)");
	refused(f, "{\"cmd\": \"mod-table\", \"table\": 251, \"miss\": \"continue\"}",
		"table 251 is reserved for the tenant pipeline (tables 250..254)");
	assert_int_equal(f->ctl.cfg.n_flows, 1);
}

static void test_dataplane_step(void **state)
{
	struct fixture *f = *state;
	char *model;

	ports(f);
	expect_ok(f, "{\"cmd\": \"add-tenant\", \"name\": \"blue\", \"vlan\": 10}");

	/* The step sees the change before the model has it. */
	apply.rc = 0;
	expect_ok(f, "{\"cmd\": \"set-port\", \"port\": \"vm1\", \"tenant\": \"blue\"}");
	assert_non_null(strstr(apply.next, "port vm1 1 vhost-user 'server'"));
	assert_non_null(strstr(apply.next, "tenant=blue mode=0"));
	assert_null(strstr(apply.model, "tenant=blue"));
	model = snapshot(&f->ctl.cfg);
	assert_string_equal(model, apply.next);
	free(model);

	/* The dataplane refuses: nothing changes anywhere. */
	apply.rc = -EREMOTEIO;
	apply.err = "domain-set: no room for another domain";
	refused_at(f, "{\"cmd\": \"add-tenant\", \"name\": \"red\", \"vlan\": 20}",
		   "dataplane: domain-set: no room for another domain", true);
	assert_null(vsw_config_find_tenant(&f->ctl.cfg, "red"));
	expect_error(f, "{\"cmd\": \"del-tenant\", \"name\": \"blue\", \"force\": true}",
		     "dataplane: domain-set: no room for another domain");
	assert_string_equal(vsw_config_find_port(&f->ctl.cfg, "vm1")->tenant.tenant, "blue");
	close_control(f);
	open_control(f);
	assert_string_equal(vsw_config_find_port(&f->ctl.cfg, "vm1")->tenant.tenant, "blue");
	assert_null(vsw_config_find_tenant(&f->ctl.cfg, "red"));

	/* Not connected: committed all the same, for the next reconcile. */
	apply.rc = -ENOTCONN;
	expect_ok(f, "{\"cmd\": \"add-tenant\", \"name\": \"red\", \"vlan\": 20}");
	close_control(f);
	open_control(f);
	assert_non_null(vsw_config_find_tenant(&f->ctl.cfg, "red"));
}

static void test_port_types_and_owner(void **state)
{
	struct fixture *f = *state;
	size_t i, n_owned;
	json_t *reqs, *flows, *e;

	attach_dataplane(f);
	expect_ok(f, "{\"cmd\": \"add-port\", \"name\": \"t1\", \"type\": \"tap\"}");
	expect_ok(f, "{\"cmd\": \"add-port\", \"name\": \"d1\", \"type\": \"dpdk\","
		     " \"devargs\": \"net_af_packet,iface=veth0\"}");
	expect_error(f, "{\"cmd\": \"add-port\", \"name\": \"d2\", \"type\": \"dpdk\"}",
		     "port 'd2': a dpdk port needs devargs (a PCI address, or a vdev such as "
		     "net_af_packet,iface=eth1)");
	expect_error(f, "{\"cmd\": \"add-port\", \"name\": \"t2\", \"type\": \"tap\","
			" \"mode\": \"client\"}", "port 't2': a tap port takes no mode or socket path");
	/* The dataplane is told what each type takes, and nothing else. */
	reqs = dp_requests(f, "port-add");
	assert_int_equal(json_array_size(reqs), 2);
	assert_json(json_array_get(reqs, 0),
		    "{\"cmd\":\"port-add\",\"name\":\"t1\",\"port_no\":1,\"type\":\"tap\"}");
	assert_json(json_array_get(reqs, 1),
		    "{\"cmd\":\"port-add\",\"name\":\"d1\",\"port_no\":2,\"type\":\"dpdk\","
		    "\"devargs\":\"net_af_packet,iface=veth0\"}");
	json_decref(reqs);
	close_control(f);
	open_control(f);
	assert_string_equal(vsw_config_find_port(&f->ctl.cfg, "d1")->devargs,
			    "net_af_packet,iface=veth0");

	/*
	 * dump-flows shows the tenant pipeline's rules (compiled from the
	 * model), each saying whose it is: cookie 0x767377 | tenant 1 << 16.
	 */
	expect_ok(f, "{\"cmd\": \"add-tenant\", \"name\": \"blue\"}");
	expect_ok(f, "{\"cmd\": \"set-port\", \"port\": \"d1\", \"tenant\": \"blue\"}");
	flows = flows_of(f, "{\"cmd\": \"dump-flows\"}");
	n_owned = 0;
	json_array_foreach(flows, i, e) {
		const char *owner = json_string_value(json_object_get(e, "owner"));
		const char *cookie = json_string_value(json_object_get(e, "cookie"));

		assert_non_null(cookie);
		if (!owner) {
			assert_false(strncmp(cookie, "0x767377", 8) == 0);
			continue;
		}
		assert_string_equal(owner, "tenant=blue");
		assert_true(strncmp(cookie, "0x76737700000100", 16) == 0);
		assert_true(json_integer_value(json_object_get(e, "table")) >= 250);
		n_owned++;
	}
	assert_true(n_owned >= 2); /* at least d1's admission and the domain's normal */
	json_decref(flows);
	expect_ok(f, "{\"cmd\": \"add-flow\", \"flow\": \"cookie=0x5,actions=drop\"}");
	flows = flows_of(f, "{\"cmd\": \"dump-flows\", \"flow\": \"table=0\"}");
	assert_null(json_object_get(json_array_get(flows, 0), "owner"));
	json_decref(flows);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_t, teardown_t)
	const struct CMUnitTest tests[] = {
		T(test_commands_and_listing),
		T(test_refusals_change_nothing),
		T(test_dataplane_step),
		T(test_port_types_and_owner),
	};

	return cmocka_run_group_tests_name("control_mgmt_tenants", tests, NULL, NULL);
}
