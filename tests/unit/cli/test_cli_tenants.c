/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vswctl tenant commands: usage errors (exact messages, exit 2), the
 * requests good lines make, and the text of list-tenants, dump-ports and
 * dump-flows for tenant ports and tenant rules.
 */
#include "cli_test.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define A(...) __VA_ARGS__, (const char *)NULL

#define assert_usage(msg, ...)                                         \
	do {                                                           \
		struct run r_;                                         \
		run_vswctl(&r_, NULL, A(__VA_ARGS__));                 \
		assert_string_equal(r_.err, "vswctl: " msg "\n");      \
		assert_string_equal(r_.out, "");                       \
		assert_int_equal(r_.code, VSW_CLI_EXIT_USAGE);         \
		run_free(&r_);                                         \
	} while (0)

static json_t *request(const char *first, ...)
{
	char *argv[16] = { "vswctl", (char *)first }, err[VSW_CLI_ERRLEN];
	struct vsw_cli_inv inv;
	int argc = 2;
	va_list ap;
	json_t *req;

	va_start(ap, first);
	for (const char *a; (a = va_arg(ap, const char *)) != NULL;)
		argv[argc++] = (char *)a;
	va_end(ap);
	if (vsw_cli_parse(&inv, argc, argv, NULL, err, sizeof(err)))
		fail_msg("parse: %s", err);
	if (vsw_cli_request(&inv, &req, err, sizeof(err)))
		fail_msg("request: %s", err);
	return req;
}

#define assert_request(want, ...)                          \
	do {                                               \
		json_t *req_ = request(A(__VA_ARGS__));    \
		assert_json_eq(req_, want);                \
		json_decref(req_);                         \
	} while (0)

static void test_usage(void **state)
{
	(void)state;
	assert_usage("add-tenant: expected NAME [vlan=ID] [vni=ID] [mac_limit=N]", "add-tenant");
	assert_usage("add-tenant: empty tenant name", "add-tenant", "");
	assert_usage("add-tenant: unknown argument 'vlan'; expected vlan=ID, vni=ID or "
		     "mac_limit=N", "add-tenant", "blue", "vlan");
	assert_usage("add-tenant: unknown argument 'vid=10'; expected vlan=ID, vni=ID or "
		     "mac_limit=N", "add-tenant", "blue", "vid=10");
	assert_usage("add-tenant: vlan= given twice", "add-tenant", "blue", "vlan=10", "vlan=20");
	assert_usage("add-tenant: vni= needs a value", "add-tenant", "blue", "vni=");
	assert_usage("add-tenant: vlan 'ten' is not a number", "add-tenant", "blue", "vlan=ten");
	assert_usage("add-tenant: vlan '+10' is not a number", "add-tenant", "blue", "vlan=+10");
	assert_usage("add-tenant: mac_limit '99999999999999999999' is not a number", "add-tenant",
		     "blue", "mac_limit=99999999999999999999");
	assert_usage("del-tenant: expected [--force] NAME", "del-tenant");
	assert_usage("del-tenant: unknown option '--strict'", "del-tenant", "--strict", "blue");
	assert_usage("add-port: unknown option '--force'", "add-port", "--force", "t1", "tap");
	assert_usage("list-tenants: takes no arguments", "list-tenants", "blue");
	assert_usage("set-port: expected PORT tenant=NAME|none [mode=access|trunk] "
		     "[trunks=LIST] [mac=MAC] [ips=IP,...]", "set-port", "vm1");
	assert_usage("set-port: expected tenant=NAME (or tenant=none)", "set-port", "vm1",
		     "mode=trunk");
	assert_usage("set-port: unknown argument 'vlan=10'; expected tenant=NAME|none, "
		     "mode=access|trunk, trunks=LIST, mac=MAC or ips=IP,...", "set-port", "vm1",
		     "tenant=blue", "vlan=10");
	assert_usage("set-port: unknown mode 'hybrid'; expected access or trunk", "set-port",
		     "vm1", "tenant=blue", "mode=hybrid");
	assert_usage("set-port: empty port name", "set-port", "", "tenant=none");
	assert_usage("set-uplink: expected PORT|none [local_ip=IP] [nexthop=MAC]", "set-uplink");
	assert_usage("set-uplink: unknown argument '192.0.2.1'; expected local_ip=IP or "
		     "nexthop=MAC", "set-uplink", "up0", "192.0.2.1");
	assert_usage("set-uplink: none takes no local_ip or nexthop", "set-uplink", "none",
		     "local_ip=192.0.2.1");
	assert_usage("set-uplink: none takes no local_ip or nexthop", "set-uplink", "none",
		     "nexthop=02:00:00:00:00:fe");
	assert_usage("set-uplink: nexthop= given twice", "set-uplink", "up0",
		     "nexthop=02:00:00:00:00:fe", "nexthop=02:00:00:00:00:fd");
	assert_usage("add-vtep: expected TENANT IP", "add-vtep", "blue");
	assert_usage("del-vtep: expected TENANT IP", "del-vtep", "blue", "1.2.3.4", "x");
	assert_usage("add-vtep: empty address", "add-vtep", "blue", "");
	assert_usage("add-acl: expected TENANT [priority=N] allow|deny [MATCH]", "add-acl",
		     "blue");
	assert_usage("add-acl: expected allow or deny, not 'drop'", "add-acl", "blue", "drop",
		     "tcp");
	assert_usage("add-acl: expected allow or deny", "add-acl", "blue", "priority=5");
	assert_usage("add-acl: priority 'high' is not a number", "add-acl", "blue",
		     "priority=high", "deny");
	assert_usage("add-acl: priority= needs a value", "add-acl", "blue", "priority=", "deny");
	assert_usage("del-acl: expected TENANT ID", "del-acl", "blue");
	assert_usage("del-acl: id 'one' is not a number", "del-acl", "blue", "one");
}

static void test_requests(void **state)
{
	(void)state;
	assert_request("{\"cmd\":\"add-tenant\",\"name\":\"blue\"}", "add-tenant", "blue");
	assert_request("{\"cmd\":\"add-tenant\",\"name\":\"blue\",\"vlan\":10,\"vni\":5000,"
		       "\"mac_limit\":64}", "add-tenant", "blue", "mac_limit=64", "vni=5000",
		       "vlan=10");
	/* Ranges are vsw-control's to check. */
	assert_request("{\"cmd\":\"add-tenant\",\"name\":\"blue\",\"vlan\":5000}", "add-tenant",
		       "blue", "vlan=5000");
	assert_request("{\"cmd\":\"del-tenant\",\"name\":\"blue\",\"force\":false}",
		       "del-tenant", "blue");
	assert_request("{\"cmd\":\"del-tenant\",\"name\":\"blue\",\"force\":true}",
		       "del-tenant", "blue", "--force");
	assert_request("{\"cmd\":\"list-tenants\"}", "list-tenants");
	assert_request("{\"cmd\":\"set-port\",\"port\":\"vm1\",\"tenant\":\"none\"}", "set-port",
		       "vm1", "tenant=none");
	assert_request("{\"cmd\":\"set-port\",\"port\":\"vm2\",\"tenant\":\"blue\","
		       "\"mode\":\"trunk\",\"trunks\":\"10,20-30\",\"mac\":\"02:00:00:00:00:02\","
		       "\"ips\":\"192.0.2.2,2001:db8::2\"}", "set-port", "vm2",
		       "ips=192.0.2.2,2001:db8::2", "mac=02:00:00:00:00:02", "trunks=10,20-30",
		       "mode=trunk", "tenant=blue");
	/* The values' syntax is vsw-control's to check. */
	assert_request("{\"cmd\":\"set-port\",\"port\":\"vm2\",\"tenant\":\"blue\","
		       "\"trunks\":\"x\"}", "set-port", "vm2", "tenant=blue", "trunks=x");
	assert_request("{\"cmd\":\"set-uplink\",\"port\":\"up0\"}", "set-uplink", "up0");
	assert_request("{\"cmd\":\"set-uplink\",\"port\":\"up0\",\"local_ip\":\"192.0.2.1\"}",
		       "set-uplink", "up0", "local_ip=192.0.2.1");
	assert_request("{\"cmd\":\"set-uplink\",\"port\":\"none\"}", "set-uplink", "none");
	assert_request("{\"cmd\":\"set-uplink\",\"port\":\"vm2\",\"local_ip\":\"192.0.2.1\","
		       "\"nexthop\":\"02:00:00:00:00:fe\"}", "set-uplink", "vm2",
		       "nexthop=02:00:00:00:00:fe", "local_ip=192.0.2.1");
	assert_request("{\"cmd\":\"add-vtep\",\"tenant\":\"blue\",\"ip\":\"198.51.100.2\"}",
		       "add-vtep", "blue", "198.51.100.2");
	assert_request("{\"cmd\":\"del-vtep\",\"tenant\":\"blue\",\"ip\":\"198.51.100.2\"}",
		       "del-vtep", "blue", "198.51.100.2");
	assert_request("{\"cmd\":\"add-acl\",\"tenant\":\"blue\",\"action\":\"deny\","
		       "\"match\":\"tcp,tp_dst=22\"}", "add-acl", "blue", "deny", "tcp,tp_dst=22");
	/* MATCH in several words, as a shell splits it. */
	assert_request("{\"cmd\":\"add-acl\",\"tenant\":\"blue\",\"priority\":200,"
		       "\"action\":\"allow\",\"match\":\"tcp nw_src=192.0.2.0/24 tp_dst=22\"}",
		       "add-acl", "blue", "priority=200", "allow", "tcp", "nw_src=192.0.2.0/24",
		       "tp_dst=22");
	assert_request("{\"cmd\":\"add-acl\",\"tenant\":\"blue\",\"action\":\"deny\","
		       "\"match\":\"\"}", "add-acl", "blue", "deny");
	assert_request("{\"cmd\":\"del-acl\",\"tenant\":\"blue\",\"id\":3}", "del-acl", "blue",
		       "3");
}

static void assert_formats(const char *cmd, const char *reply, const char *want)
{
	char err[VSW_CLI_ERRLEN], *out;
	int rc = format_reply(cmd, reply, &out, err, sizeof(err));

	if (rc)
		fail_msg("%s: %s", cmd, err);
	assert_string_equal(out, want);
	free(out);
}

static void assert_malformed(const char *cmd, const char *reply, const char *want_err)
{
	char err[VSW_CLI_ERRLEN], *out;

	assert_int_equal(format_reply(cmd, reply, &out, err, sizeof(err)), -EPROTO);
	assert_string_equal(err, want_err);
	free(out);
}

#define BLUE                                                                            \
	"{\"name\":\"blue\",\"id\":1,\"vlan\":10,\"vni\":5000,\"mac_limit\":1024,"      \
	"\"ports\":[{\"name\":\"vm1\",\"mode\":\"access\",\"trunks\":\"\","              \
	"\"mac\":\"02:00:00:00:00:01\",\"ips\":[\"192.0.2.10\",\"2001:db8::10\"]},"    \
	"{\"name\":\"vm2\",\"mode\":\"trunk\",\"trunks\":\"20-30,40\",\"mac\":null,"    \
	"\"ips\":[]}],\"vteps\":[\"198.51.100.2\",\"198.51.100.3\"],"                   \
	"\"acls\":[{\"id\":1,\"priority\":100,\"action\":\"deny\",\"match\":\"tcp,tp_dst=22\"}," \
	"{\"id\":2,\"priority\":1,\"action\":\"deny\",\"match\":\"\"}]}"
#define RED                                                                             \
	"{\"name\":\"red\",\"id\":2,\"vlan\":0,\"vni\":0,\"mac_limit\":8,\"ports\":[],"  \
	"\"vteps\":[],\"acls\":[]}"

static void test_list_tenants(void **state)
{
	(void)state;
	assert_formats("list-tenants",
		"{\"ok\":true,\"tenants\":[" BLUE "," RED "],"
		"\"uplink\":{\"port\":\"up0\",\"local_ip\":\"192.0.2.1\"}}",
		"tenant blue (1): vlan=10 vni=5000 mac_limit=1024\n"
		"  port vm1: access mac=02:00:00:00:00:01 ips=192.0.2.10,2001:db8::10\n"
		"  port vm2: trunk trunks=20-30,40\n"
		"  vtep 198.51.100.2\n"
		"  vtep 198.51.100.3\n"
		"  acl 1: priority=100 deny tcp,tp_dst=22\n"
		"  acl 2: priority=1 deny (every frame)\n"
		"tenant red (2): vlan=none vni=none mac_limit=8\n"
		"uplink up0: local_ip=192.0.2.1\n");
	assert_formats("list-tenants",
		"{\"ok\":true,\"tenants\":[],\"uplink\":{\"port\":\"up0\",\"local_ip\":null}}",
		"uplink up0: no local_ip\n");
	assert_formats("list-tenants",
		"{\"ok\":true,\"tenants\":[],\"uplink\":{\"port\":\"vm2\",\"local_ip\":\"192.0.2.1\","
		"\"nexthop\":\"02:00:00:00:00:fe\"}}",
		"uplink vm2: local_ip=192.0.2.1 nexthop=02:00:00:00:00:fe\n");
	assert_formats("list-tenants", "{\"ok\":true,\"tenants\":[],\"uplink\":null}",
		       "uplink: none\n");
	assert_malformed("list-tenants", "{\"ok\":true,\"tenants\":[]}",
			 "malformed reply from vsw-control: uplink: missing");
	assert_malformed("list-tenants", "{\"ok\":true,\"tenants\":[" RED "],\"uplink\":3}",
			 "malformed reply from vsw-control: uplink: expected an object");
	assert_malformed("list-tenants",
		"{\"ok\":true,\"tenants\":[{\"name\":\"x\",\"id\":1,\"vlan\":0,\"vni\":0,"
		"\"mac_limit\":1,\"ports\":[{\"name\":\"vm1\",\"mode\":\"access\","
		"\"trunks\":\"\",\"mac\":5,\"ips\":[]}],\"vteps\":[],\"acls\":[]}],"
		"\"uplink\":null}",
		"malformed reply from vsw-control: tenants[0].ports[0].mac: expected a string or "
		"null");
	assert_malformed("list-tenants",
		"{\"ok\":true,\"tenants\":[{\"name\":\"x\",\"id\":1,\"vlan\":0,\"vni\":0,"
		"\"mac_limit\":1,\"ports\":[],\"vteps\":[7],\"acls\":[]}],\"uplink\":null}",
		"malformed reply from vsw-control: tenants[0].vteps[0]: expected a string");
	assert_malformed("list-tenants",
		"{\"ok\":true,\"tenants\":[{\"name\":\"x\",\"id\":1,\"vni\":0,"
		"\"mac_limit\":1,\"ports\":[],\"vteps\":[],\"acls\":[]}],\"uplink\":null}",
		"malformed reply from vsw-control: tenants[0].vlan: missing");
}

static void test_ports_of_tenants(void **state)
{
	(void)state;
	assert_formats("dump-ports",
		"{\"ok\":true,\"ports\":["
		"{\"name\":\"vm1\",\"port_no\":1,\"type\":\"vhost-user\",\"mode\":\"server\","
		"\"path\":\"/run/vsw/vm1.sock\",\"tenant\":\"blue\",\"uplink\":false,"
		"\"state\":\"up\",\"rx_packets\":1,\"rx_bytes\":60,\"tx_packets\":0,"
		"\"tx_bytes\":0,\"drops\":{}},"
		"{\"name\":\"up0\",\"port_no\":2,\"type\":\"dpdk\",\"mode\":\"\",\"path\":\"\","
		"\"devargs\":\"net_af_packet,iface=veth0\",\"tenant\":null,\"uplink\":true,"
		"\"state\":\"up\",\"rx_packets\":0,\"rx_bytes\":0,\"tx_packets\":0,"
		"\"tx_bytes\":0,\"drops\":{}},"
		"{\"name\":\"t1\",\"port_no\":3,\"type\":\"tap\",\"mode\":\"\",\"path\":\"\","
		"\"tenant\":null,\"uplink\":false,\"state\":\"down\",\"rx_packets\":0,"
		"\"rx_bytes\":0,\"tx_packets\":0,\"tx_bytes\":0,\"drops\":{}}]}",
		"port vm1 (1): state=up vhost-user server /run/vsw/vm1.sock tenant=blue\n"
		"         rx pkts=1, bytes=60, drop=0\n"
		"         tx pkts=0, bytes=0, drop=0\n"
		"port up0 (2): state=up dpdk net_af_packet,iface=veth0 uplink\n"
		"         rx pkts=0, bytes=0, drop=0\n"
		"         tx pkts=0, bytes=0, drop=0\n"
		"port t1 (3): state=down tap\n"
		"         rx pkts=0, bytes=0, drop=0\n"
		"         tx pkts=0, bytes=0, drop=0\n");
	assert_formats("show",
		"{\"ok\":true,\"dataplane\":\"connected\",\"n_flows\":0,\"ports\":["
		"{\"name\":\"t1\",\"port_no\":3,\"type\":\"tap\",\"mode\":\"\",\"path\":\"\","
		"\"tenant\":\"blue\",\"state\":\"up\"}]}",
		"vsw-control: dataplane connected\n"
		"  port t1 (3): tap state=up\n"
		"  flows: 0\n");
	assert_malformed("dump-ports",
		"{\"ok\":true,\"ports\":[{\"name\":\"t1\",\"port_no\":3,\"type\":\"tap\","
		"\"mode\":\"\",\"path\":\"\",\"tenant\":4,\"state\":\"up\",\"rx_packets\":0,"
		"\"rx_bytes\":0,\"tx_packets\":0,\"tx_bytes\":0}]}",
		"malformed reply from vsw-control: ports[0].tenant: expected a string or null");
}

static void test_tenant_flows(void **state)
{
	(void)state;
	assert_formats("dump-flows",
		"{\"ok\":true,\"flows\":[{\"cookie\":\"0x7673770000010004\","
		"\"owner\":\"tenant=blue\",\"duration\":1,\"table\":252,\"n_packets\":5,"
		"\"n_bytes\":300,\"idle_age\":0,\"priority\":32768,\"match\":\"metadata=0x1000\","
		"\"actions\":\"NORMAL\"},{\"cookie\":\"0x0\",\"duration\":2,\"table\":0,"
		"\"n_packets\":0,\"n_bytes\":0,\"idle_age\":2,\"priority\":32768,\"match\":\"\","
		"\"actions\":\"drop\"}]}",
		" cookie=0x7673770000010004, tenant=blue, duration=1.000s, table=252, n_packets=5, "
		"n_bytes=300, idle_age=0, metadata=0x1000 actions=NORMAL\n"
		" cookie=0x0, duration=2.000s, table=0, n_packets=0, n_bytes=0, idle_age=2, "
		"actions=drop\n");
	assert_malformed("dump-flows",
		"{\"ok\":true,\"flows\":[{\"cookie\":\"0x1\",\"owner\":1,\"duration\":1,"
		"\"table\":0,\"n_packets\":0,\"n_bytes\":0,\"idle_age\":0,\"match\":\"\","
		"\"actions\":\"drop\"}]}",
		"malformed reply from vsw-control: flows[0].owner: expected a string or null");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_list_tenants),
		cmocka_unit_test(test_ports_of_tenants),
		cmocka_unit_test(test_tenant_flows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
