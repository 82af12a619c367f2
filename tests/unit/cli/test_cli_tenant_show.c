/* SPDX-License-Identifier: BSD-3-Clause */
/* vswctl show-tenant: request, text output (with and without counters), malformed replies. */
#include "cli_test.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define A(...) __VA_ARGS__, (const char *)NULL

static const char *const connected =
	"{\"ok\":true,\"dataplane\":\"connected\",\"counters\":true,"
	"\"tenant\":{\"name\":\"blue\",\"id\":1,\"vlan\":10,\"vni\":5000,\"mac_limit\":1024},"
	"\"ports\":["
	"{\"name\":\"vm1\",\"port_no\":1,\"mode\":\"access\",\"mac\":\"02:00:00:00:00:01\","
	"\"ips\":[\"10.0.0.1\",\"2001:db8::1\"]},"
	"{\"name\":\"vm2\",\"port_no\":2,\"mode\":\"trunk\",\"trunks\":\"10,30-32\",\"mac\":null,"
	"\"ips\":[]}],"
	"\"domains\":["
	"{\"id\":4096,\"segment\":0,\"vni\":5000,\"members\":[{\"port\":\"vm1\",\"vlan\":0},"
	"{\"port\":\"vm2\",\"vlan\":10},{\"port\":\"eth0\",\"vlan\":10}],"
	"\"vteps\":[{\"ip\":\"198.51.100.2\",\"vlan\":0}],\"macs\":2,\"learned\":3,\"moved\":0,"
	"\"aged\":1,\"mac_limit_hits\":0,\"flooded\":9,\"unicast\":40,\"present\":true},"
	"{\"id\":4126,\"segment\":30,\"vni\":5000,\"members\":[{\"port\":\"vm2\",\"vlan\":30}],"
	"\"vteps\":[],\"macs\":0,\"learned\":0,\"moved\":0,\"aged\":0,\"mac_limit_hits\":0,"
	"\"flooded\":0,\"unicast\":0,\"present\":true}],"
	"\"macs\":[{\"domain\":4096,\"mac\":\"02:00:00:00:00:01\",\"port\":\"vm1\",\"age\":3},"
	"{\"domain\":4096,\"mac\":\"02:00:00:00:00:99\",\"port\":\"@vxlan\","
	"\"vtep\":\"198.51.100.2\",\"age\":12}],"
	"\"vteps\":[{\"ip\":\"198.51.100.2\",\"state\":\"resolved\",\"mac\":\"02:00:00:00:00:aa\","
	"\"via\":\"192.0.2.254\",\"ifname\":\"eth0\",\"tx_packets\":4,\"tx_bytes\":600,\"drops\":0},"
	"{\"ip\":\"198.51.100.3\",\"state\":\"unresolved\",\"reason\":\"no route to host\","
	"\"tx_packets\":0,\"tx_bytes\":0,\"drops\":2}],"
	"\"acls\":[{\"id\":1,\"priority\":100,\"action\":\"deny\",\"match\":\"tcp,tp_dst=22\","
	"\"compiled\":true,\"n_packets\":7,\"n_bytes\":700},"
	"{\"id\":2,\"priority\":5,\"action\":\"allow\",\"match\":\"\",\"compiled\":true,"
	"\"n_packets\":0,\"n_bytes\":0}],"
	"\"dropped\":{\"total\":9,\"spoofed\":2,\"vlan\":7,\"vxlan\":0}}";

static void test_text(void **state)
{
	char err[VSW_CLI_ERRLEN], *out;

	(void)state;
	assert_int_equal(format_reply("show-tenant", connected, &out, err, sizeof(err)), 0);
	assert_string_equal(out,
		"tenant blue (id 1): vlan 10, vni 5000, mac_limit 1024\n"
		"  ports:\n"
		"    vm1 (1): access, mac 02:00:00:00:00:01, ips 10.0.0.1,2001:db8::1\n"
		"    vm2 (2): trunk 10,30-32\n"
		"  domains:\n"
		"    4096 (native, vni 5000): members vm1, vm2/10, eth0/10; vteps 198.51.100.2\n"
		"      macs=2, learned=3, moved=0, aged=1, mac_limit_hits=0, flooded=9, unicast=40\n"
		"    4126 (vlan 30, vni 5000): members vm2/30\n"
		"      macs=0, learned=0, moved=0, aged=0, mac_limit_hits=0, flooded=0, unicast=0\n"
		"  learned MACs:\n"
		"    02:00:00:00:00:01 domain 4096 port vm1 age 3s\n"
		"    02:00:00:00:00:99 domain 4096 vtep 198.51.100.2 age 12s\n"
		"  vteps:\n"
		"    198.51.100.2: resolved 02:00:00:00:00:aa via eth0 (tx_packets=4, tx_bytes=600, "
		"drops=0)\n"
		"    198.51.100.3: unresolved: no route to host (tx_packets=0, tx_bytes=0, drops=2)\n"
		"  acls:\n"
		"    1: priority=100 deny tcp,tp_dst=22 n_packets=7, n_bytes=700\n"
		"    2: priority=5 allow (everything) n_packets=0, n_bytes=0\n"
		"  dropped: 9 (spoofed 2, vlan 7, vxlan 0)\n");
	free(out);
}

static void test_text_without_counters(void **state)
{
	char err[VSW_CLI_ERRLEN], *out;

	(void)state;
	assert_int_equal(format_reply("show-tenant",
		"{\"ok\":true,\"dataplane\":\"disconnected\",\"counters\":false,"
		"\"tenant\":{\"name\":\"red\",\"id\":2,\"vlan\":0,\"vni\":0,\"mac_limit\":64},"
		"\"ports\":[],\"domains\":[{\"id\":8192,\"segment\":0,\"vni\":0,\"members\":[],"
		"\"vteps\":[]}],\"macs\":null,"
		"\"vteps\":[{\"ip\":\"198.51.100.9\",\"state\":\"unused\","
		"\"reason\":\"the tenant has no VNI\"}],"
		"\"acls\":[{\"id\":3,\"priority\":100,\"action\":\"deny\",\"match\":\"udp\","
		"\"compiled\":true}],\"dropped\":null}", &out, err, sizeof(err)), 0);
	assert_string_equal(out,
		"tenant red (id 2): mac_limit 64\n"
		"  counters: unavailable (dataplane disconnected)\n"
		"  ports: none\n"
		"  domains:\n"
		"    8192 (native): members none\n"
		"  vteps:\n"
		"    198.51.100.9: unused: the tenant has no VNI\n"
		"  acls:\n"
		"    3: priority=100 deny udp\n");
	free(out);
}

/* A VTEP resolved through the uplink's nexthop= says so. */
static void test_static_vtep(void **state)
{
	char err[VSW_CLI_ERRLEN], *out;

	(void)state;
	assert_int_equal(format_reply("show-tenant",
		"{\"ok\":true,\"dataplane\":\"disconnected\",\"counters\":false,"
		"\"tenant\":{\"name\":\"t1\",\"id\":1,\"vlan\":0,\"vni\":100,\"mac_limit\":1024},"
		"\"ports\":[],\"domains\":[{\"id\":4096,\"segment\":0,\"vni\":100,\"members\":[],"
		"\"vteps\":[{\"ip\":\"192.0.2.2\",\"vlan\":0}]}],\"macs\":null,"
		"\"vteps\":[{\"ip\":\"192.0.2.2\",\"state\":\"resolved\",\"static\":true,"
		"\"mac\":\"02:00:00:00:00:fe\",\"via\":\"192.0.2.2\",\"ifname\":\"vm2\"}],"
		"\"acls\":[],\"dropped\":null}", &out, err, sizeof(err)), 0);
	assert_string_equal(out,
		"tenant t1 (id 1): vni 100, mac_limit 1024\n"
		"  counters: unavailable (dataplane disconnected)\n"
		"  ports: none\n"
		"  domains:\n"
		"    4096 (native, vni 100): members none; vteps 192.0.2.2\n"
		"  vteps:\n"
		"    192.0.2.2: resolved (static) 02:00:00:00:00:fe via vm2\n");
	free(out);
}

static void test_malformed(void **state)
{
	char err[VSW_CLI_ERRLEN], *out;

	(void)state;
	assert_int_equal(format_reply("show-tenant", "{\"ok\":true}", &out, err, sizeof(err)),
			 -EPROTO);
	assert_string_equal(err, "malformed reply from vsw-control: tenant: missing");
	free(out);
	assert_int_equal(format_reply("show-tenant",
		"{\"ok\":true,\"counters\":true,"
		"\"tenant\":{\"name\":\"red\",\"id\":2,\"vlan\":0,\"vni\":0,\"mac_limit\":64},"
		"\"ports\":[],\"domains\":[],\"macs\":[],\"vteps\":[],\"acls\":["
		"{\"id\":\"x\",\"priority\":1,\"action\":\"deny\",\"match\":\"\"}]}",
		&out, err, sizeof(err)), -EPROTO);
	assert_string_equal(err, "malformed reply from vsw-control: acls[0].id: expected a number");
	free(out);
}

static void test_request_and_usage(void **state)
{
	char *argv[] = { "vswctl", "show-tenant", "blue", NULL }, err[VSW_CLI_ERRLEN];
	struct vsw_cli_inv inv;
	struct run r;
	json_t *req;

	(void)state;
	assert_int_equal(vsw_cli_parse(&inv, 3, argv, NULL, err, sizeof(err)), 0);
	assert_int_equal(vsw_cli_request(&inv, &req, err, sizeof(err)), 0);
	assert_json_eq(req, "{\"cmd\":\"show-tenant\",\"name\":\"blue\"}");
	json_decref(req);
	run_vswctl(&r, NULL, A("show-tenant"));
	assert_string_equal(r.err, "vswctl: show-tenant: expected NAME\n");
	assert_int_equal(r.code, VSW_CLI_EXIT_USAGE);
	run_free(&r);
	run_vswctl(&r, NULL, A("show-tenant", ""));
	assert_string_equal(r.err, "vswctl: show-tenant: empty tenant name\n");
	assert_int_equal(r.code, VSW_CLI_EXIT_USAGE);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_without_counters),
		cmocka_unit_test(test_static_vtep),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_request_and_usage),
	};

	return cmocka_run_group_tests_name("cli_tenant_show", tests, NULL, NULL);
}
