/* SPDX-License-Identifier: BSD-3-Clause */
/* vswctl output: text formats from canned replies, malformed replies, JSON. */
#include "cli_test.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
	int rc = format_reply(cmd, reply, &out, err, sizeof(err));

	assert_int_equal(rc, -EPROTO);
	assert_string_equal(err, want_err);
	free(out);
}

static void test_dump_flows(void **state)
{
	(void)state;
	assert_formats("dump-flows",
		"{\"ok\":true,\"flows\":["
		"{\"cookie\":\"0x0\",\"duration\":12.345,\"table\":0,\"n_packets\":10,"
		"\"n_bytes\":600,\"idle_age\":3,\"priority\":100,"
		"\"match\":\"priority=100,in_port=vm1,dl_dst=02:00:00:00:00:02\","
		"\"actions\":\"output:vm2\"},"
		"{\"cookie\":\"0x1f\",\"duration\":0.0004,\"table\":0,\"n_packets\":0,"
		"\"n_bytes\":0,\"idle_age\":0,\"priority\":32768,\"match\":\"\","
		"\"actions\":\"drop\"},"
		"{\"cookie\":\"0x0\",\"duration\":3600,\"table\":0,\"n_packets\":123456789012,"
		"\"n_bytes\":9876543210123,\"idle_age\":59.9,\"priority\":32768,"
		"\"match\":\"in_port=vm2\",\"actions\":\"output:vm1,output:vm3\"}]}",
		" cookie=0x0, duration=12.345s, table=0, n_packets=10, n_bytes=600, idle_age=3, "
		"priority=100,in_port=vm1,dl_dst=02:00:00:00:00:02 actions=output:vm2\n"
		" cookie=0x1f, duration=0.000s, table=0, n_packets=0, n_bytes=0, idle_age=0, "
		"actions=drop\n"
		" cookie=0x0, duration=3600.000s, table=0, n_packets=123456789012, "
		"n_bytes=9876543210123, idle_age=59, in_port=vm2 actions=output:vm1,output:vm3\n");
	/* A cookie sent as a number still prints in hex. */
	assert_formats("dump-flows",
		"{\"ok\":true,\"flows\":[{\"cookie\":255,\"duration\":1,\"table\":0,"
		"\"n_packets\":1,\"n_bytes\":60,\"idle_age\":1,\"match\":\"\","
		"\"actions\":\"drop\"}]}",
		" cookie=0xff, duration=1.000s, table=0, n_packets=1, n_bytes=60, idle_age=1, "
		"actions=drop\n");
	assert_formats("dump-flows", "{\"ok\":true,\"flows\":[]}", "");
	/* Timeouts where ovs-ofctl prints them: the line parses back to the same rule. */
	assert_formats("dump-flows",
		"{\"ok\":true,\"flows\":[{\"cookie\":\"0x0\",\"duration\":1,\"table\":2,"
		"\"n_packets\":0,\"n_bytes\":0,\"idle_age\":1,\"priority\":32768,\"match\":\"\","
		"\"actions\":\"drop\",\"idle_timeout\":10,\"hard_timeout\":60},"
		"{\"cookie\":\"0x0\",\"duration\":1,\"table\":2,"
		"\"n_packets\":0,\"n_bytes\":0,\"idle_age\":1,\"priority\":32768,\"match\":\"arp\","
		"\"actions\":\"drop\",\"hard_timeout\":5}]}",
		" cookie=0x0, duration=1.000s, table=2, n_packets=0, n_bytes=0, idle_timeout=10, "
		"hard_timeout=60, idle_age=1, actions=drop\n"
		" cookie=0x0, duration=1.000s, table=2, n_packets=0, n_bytes=0, hard_timeout=5, "
		"idle_age=1, arp actions=drop\n");
	assert_malformed("dump-flows",
		"{\"ok\":true,\"flows\":[{\"cookie\":\"0x0\",\"duration\":1,\"table\":2,"
		"\"n_packets\":0,\"n_bytes\":0,\"idle_age\":1,\"priority\":32768,\"match\":\"\","
		"\"actions\":\"drop\",\"idle_timeout\":\"10\"}]}",
		"malformed reply from vsw-control: flows[0].idle_timeout: expected a number");
}

static void test_dump_flows_malformed(void **state)
{
	(void)state;
	assert_malformed("dump-flows", "{\"ok\":true}",
			 "malformed reply from vsw-control: flows: missing");
	assert_malformed("dump-flows", "{\"ok\":true,\"flows\":{}}",
			 "malformed reply from vsw-control: flows: expected an array");
	assert_malformed("dump-flows",
		"{\"ok\":true,\"flows\":[{\"cookie\":\"0x0\",\"duration\":1,\"table\":0,"
		"\"n_packets\":1,\"n_bytes\":60,\"idle_age\":1,\"match\":\"\","
		"\"actions\":\"drop\"},"
		"{\"cookie\":\"0x0\",\"duration\":1,\"table\":0,"
		"\"n_packets\":1,\"n_bytes\":60,\"idle_age\":1,\"match\":\"\"}]}",
		"malformed reply from vsw-control: flows[1].actions: missing");
	assert_malformed("dump-flows",
		"{\"ok\":true,\"flows\":[{\"cookie\":\"0x0\",\"duration\":\"1s\",\"table\":0,"
		"\"n_packets\":1,\"n_bytes\":60,\"idle_age\":1,\"match\":\"\","
		"\"actions\":\"drop\"}]}",
		"malformed reply from vsw-control: flows[0].duration: expected a number");
	assert_malformed("dump-flows", "{\"ok\":true,\"flows\":[42]}",
			 "malformed reply from vsw-control: flows[0]: expected an object");
}

#define PORT_VM1                                                                         \
	"{\"name\":\"vm1\",\"port_no\":1,\"type\":\"vhost-user\",\"mode\":\"server\","   \
	"\"path\":\"/run/vsw/vm1.sock\",\"state\":\"up\",\"rx_packets\":10,"             \
	"\"rx_bytes\":600,\"tx_packets\":9,\"tx_bytes\":540,\"drops\":{\"no_match\":1}}"
#define PORT_VM2                                                                         \
	"{\"name\":\"vm2\",\"port_no\":2,\"type\":\"vhost-user\",\"mode\":\"client\","   \
	"\"path\":\"/var/lib/qemu/vm2.sock\",\"state\":\"down\",\"rx_packets\":0,"       \
	"\"rx_bytes\":0,\"tx_packets\":0,\"tx_bytes\":0,\"drops\":{\"tx_full\":0}}"

static void test_dump_tables(void **state)
{
	(void)state;
	assert_formats("dump-tables",
		"{\"ok\":true,\"tables\":["
		"{\"table\":0,\"active\":2,\"lookups\":11,\"matches\":9,\"miss\":\"drop\"},"
		"{\"table\":254,\"active\":0,\"lookups\":0,\"matches\":0,\"miss\":\"continue\"}]}",
		"  table 0:\n"
		"    active=2, lookup=11, matched=9, miss=drop\n"
		"  table 254:\n"
		"    active=0, lookup=0, matched=0, miss=continue\n");
	assert_formats("dump-tables", "{\"ok\":true,\"tables\":[]}", "");
	assert_malformed("dump-tables", "{\"ok\":true}",
			 "malformed reply from vsw-control: tables: missing");
	assert_malformed("dump-tables", "{\"ok\":true,\"tables\":[{\"table\":1,\"active\":0,"
			 "\"lookups\":0,\"matches\":\"x\",\"miss\":\"drop\"}]}",
			 "malformed reply from vsw-control: tables[0].matches: expected a number");
	assert_malformed("dump-tables", "{\"ok\":true,\"tables\":[3]}",
			 "malformed reply from vsw-control: tables[0]: expected an object");
}

static void test_dump_ports(void **state)
{
	(void)state;
	assert_formats("dump-ports", "{\"ok\":true,\"ports\":[" PORT_VM1 "," PORT_VM2 "]}",
		"port vm1 (1): state=up vhost-user server /run/vsw/vm1.sock\n"
		"         rx pkts=10, bytes=600, drop=1\n"
		"         tx pkts=9, bytes=540, drop=0\n"
		"         drops: no_match=1\n"
		"port vm2 (2): state=down vhost-user client /var/lib/qemu/vm2.sock\n"
		"         rx pkts=0, bytes=0, drop=0\n"
		"         tx pkts=0, bytes=0, drop=0\n");
	/* Output-side reasons count as tx drops; unknown reasons as rx, printed after
	 * the known ones in name order; known ones in PROTOCOL.md order. */
	assert_formats("dump-ports",
		"{\"ok\":true,\"ports\":[{\"name\":\"vm3\",\"port_no\":65280,"
		"\"type\":\"vhost-user\",\"mode\":\"server\",\"path\":\"/run/vsw/vm3.sock\","
		"\"state\":\"unknown\",\"rx_packets\":100,\"rx_bytes\":6400,\"tx_packets\":50,"
		"\"tx_bytes\":3200,\"drops\":{\"zz_new\":1,\"loop\":2,\"tx_full\":3,"
		"\"no_match\":4,\"aa_new\":5,\"port_down\":6,\"malformed\":7,\"action_drop\":8,"
		"\"no_port\":9}}]}",
		"port vm3 (65280): state=unknown vhost-user server /run/vsw/vm3.sock\n"
		"         rx pkts=100, bytes=6400, drop=36\n"
		"         tx pkts=50, bytes=3200, drop=9\n"
		"         drops: no_match=4, malformed=7, action_drop=8, no_port=9, "
		"port_down=6, tx_full=3, loop=2, aa_new=5, zz_new=1\n");
	/* No drops member: no drops. */
	assert_formats("dump-ports",
		"{\"ok\":true,\"ports\":[{\"name\":\"p\",\"port_no\":7,\"type\":\"vhost-user\","
		"\"mode\":\"server\",\"path\":\"/p.sock\",\"state\":\"up\",\"rx_packets\":1,"
		"\"rx_bytes\":2,\"tx_packets\":3,\"tx_bytes\":4}]}",
		"port p (7): state=up vhost-user server /p.sock\n"
		"         rx pkts=1, bytes=2, drop=0\n"
		"         tx pkts=3, bytes=4, drop=0\n");
	assert_formats("dump-ports", "{\"ok\":true,\"ports\":[]}", "");
}

/* A vhost-user port's queue pairs; a pair the peer has not enabled is said. */
static void test_dump_ports_queues(void **state)
{
#define QPORT(q, en) "{\"ok\":true,\"ports\":[{\"name\":\"p\",\"port_no\":7," \
	"\"type\":\"vhost-user\",\"mode\":\"server\",\"path\":\"/p.sock\",\"state\":\"up\"," \
	"\"rx_packets\":1,\"rx_bytes\":2,\"tx_packets\":3,\"tx_bytes\":4,\"queues\":" q \
	",\"queues_enabled\":" en "}]}"
#define QTAIL "         rx pkts=1, bytes=2, drop=0\n         tx pkts=3, bytes=4, drop=0\n"
	(void)state;
	assert_formats("dump-ports", QPORT("2", "[true,true]"),
		       "port p (7): state=up vhost-user server /p.sock queues=2\n" QTAIL);
	assert_formats("dump-ports", QPORT("2", "[true,false]"),
		       "port p (7): state=up vhost-user server /p.sock queues=2 (1 enabled)\n" QTAIL);
	assert_formats("dump-ports", QPORT("0", "[]"),
		       "port p (7): state=up vhost-user server /p.sock queues=0\n" QTAIL);
	assert_malformed("dump-ports", QPORT("\"x\"", "[]"),
			 "malformed reply from vsw-control: ports[0].queues: expected a number");
	assert_malformed("dump-ports", QPORT("1", "3"),
			 "malformed reply from vsw-control: ports[0].queues_enabled: expected an array");
#undef QPORT
#undef QTAIL
}

static void test_dump_ports_malformed(void **state)
{
	(void)state;
	assert_malformed("dump-ports", "{\"ok\":true,\"ports\":[" PORT_VM1 ",{\"name\":\"x\"}]}",
			 "malformed reply from vsw-control: ports[1].port_no: missing");
	assert_malformed("dump-ports",
		"{\"ok\":true,\"ports\":[{\"name\":\"p\",\"port_no\":7,\"type\":\"vhost-user\","
		"\"mode\":\"server\",\"path\":\"/p.sock\",\"state\":\"up\",\"rx_packets\":1,"
		"\"rx_bytes\":2,\"tx_packets\":3,\"tx_bytes\":4,\"drops\":{\"loop\":\"x\"}}]}",
		"malformed reply from vsw-control: ports[0].drops.loop: expected a number");
	assert_malformed("dump-ports",
		"{\"ok\":true,\"ports\":[{\"name\":\"p\",\"port_no\":7,\"type\":\"vhost-user\","
		"\"mode\":\"server\",\"path\":\"/p.sock\",\"state\":\"up\",\"rx_packets\":1,"
		"\"rx_bytes\":2,\"tx_packets\":3,\"tx_bytes\":4,\"drops\":[]}]}",
		"malformed reply from vsw-control: ports[0].drops: expected an object");
	assert_malformed("dump-ports", "{\"ok\":true,\"ports\":[{\"name\":5}]}",
			 "malformed reply from vsw-control: ports[0].name: expected a string");
}

#define PMD0                                                                              \
	"{\"pmd\":0,\"lcore\":1,\"cpu\":1,\"rx_queues\":[{\"port\":\"vm1\",\"queue\":0},"        \
	"{\"port\":\"vm2\",\"queue\":1}],\"packets\":1000,\"lookups\":1500,\"cache_hits\":1200," \
	"\"classifier_hits\":250,\"misses\":50,\"normal_frames\":700,"                     \
	"\"normal_cache_hits\":690,\"idle_cycles\":600000,"                                 \
	"\"processing_cycles\":200000,\"cycles_per_packet\":800.0,"                          \
	"\"processing_cycles_per_packet\":200.0}"

static void test_pmd_stats(void **state)
{
	(void)state;
	assert_formats("pmd-stats",
		"{\"ok\":true,\"tsc_hz\":2000000000,\"pmds\":[" PMD0 ","
		"{\"pmd\":1,\"lcore\":2,\"cpu\":0,\"rx_queues\":[],\"packets\":0,\"lookups\":0,"
		"\"cache_hits\":0,\"classifier_hits\":0,\"misses\":0,\"normal_frames\":0,"
		"\"normal_cache_hits\":0,\"idle_cycles\":5,"
		"\"processing_cycles\":0,\"cycles_per_packet\":0,"
		"\"processing_cycles_per_packet\":0}]}",
		"pmd 0 (lcore 1, cpu 1):\n"
		"  rx queues: vm1/0 vm2/1\n"
		"  packets received: 1000\n"
		"  table lookups: 1500 (1.50 per packet)\n"
		"  cache hits: 1200\n"
		"  classifier hits: 250\n"
		"  misses: 50\n"
		"  normal frames: 700 (690 from its cache)\n"
		"  idle cycles: 600000 (75.00%)\n"
		"  processing cycles: 200000 (25.00%)\n"
		"  avg cycles per packet: 800.00 (800000/1000)\n"
		"  avg processing cycles per packet: 200.00 (200000/1000)\n"
		"pmd 1 (lcore 2, cpu 0):\n"
		"  rx queues: none\n"
		"  packets received: 0\n"
		"  table lookups: 0 (0.00 per packet)\n"
		"  cache hits: 0\n"
		"  classifier hits: 0\n"
		"  misses: 0\n"
		"  normal frames: 0 (0 from its cache)\n"
		"  idle cycles: 5 (100.00%)\n"
		"  processing cycles: 0 (0.00%)\n"
		"  avg cycles per packet: 0.00 (5/0)\n"
		"  avg processing cycles per packet: 0.00 (0/0)\n");
	assert_formats("pmd-stats", "{\"ok\":true,\"pmds\":[]}", "");
	assert_malformed("pmd-stats", "{\"ok\":true}",
			 "malformed reply from vsw-control: pmds: missing");
	assert_malformed("pmd-stats",
		"{\"ok\":true,\"pmds\":[{\"pmd\":0,\"lcore\":1,\"cpu\":1,\"rx_queues\":[],"
		"\"packets\":1,\"lookups\":1,\"cache_hits\":1,\"classifier_hits\":0,\"misses\":0,"
		"\"normal_frames\":0,\"normal_cache_hits\":0,\"idle_cycles\":1}]}",
		"malformed reply from vsw-control: pmds[0].processing_cycles: missing");
	assert_malformed("pmd-stats",
		"{\"ok\":true,\"pmds\":[{\"pmd\":0,\"lcore\":1,\"cpu\":1,\"rx_queues\":[7],"
		"\"packets\":1,\"lookups\":1,\"cache_hits\":1,\"classifier_hits\":0,\"misses\":0,"
		"\"normal_frames\":0,\"normal_cache_hits\":0,\"idle_cycles\":1,"
		"\"processing_cycles\":1}]}",
		"malformed reply from vsw-control: pmds[0].rx_queues[0]: expected an object");
}

static void test_show(void **state)
{
	(void)state;
	assert_formats("show",
		"{\"ok\":true,\"dataplane\":\"connected\",\"n_flows\":3,\"ports\":["
		PORT_VM1 "," PORT_VM2 "]}",
		"vsw-control: dataplane connected\n"
		"  port vm1 (1): vhost-user server /run/vsw/vm1.sock state=up\n"
		"  port vm2 (2): vhost-user client /var/lib/qemu/vm2.sock state=down\n"
		"  flows: 3\n");
	assert_formats("show",
		"{\"ok\":true,\"dataplane\":\"disconnected\",\"n_flows\":0,\"ports\":[]}",
		"vsw-control: dataplane disconnected\n"
		"  flows: 0\n");
	assert_malformed("show", "{\"ok\":true,\"ports\":[],\"n_flows\":0}",
			 "malformed reply from vsw-control: dataplane: missing");
	assert_malformed("show", "{\"ok\":true,\"dataplane\":\"connected\",\"ports\":[]}",
			 "malformed reply from vsw-control: n_flows: missing");
}

static char *print_json(const char *reply_text)
{
	json_error_t jerr;
	json_t *reply = json_loads(reply_text, 0, &jerr);
	char *out;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(reply);
	assert_non_null(f);
	assert_int_equal(vsw_cli_print_json(reply, f), 0);
	fclose(f);
	/* The reply itself is untouched. */
	assert_non_null(json_object_get(reply, "ok"));
	json_decref(reply);
	return out;
}

static void test_json(void **state)
{
	(void)state;
	/* Pretty, sorted keys, "ok" removed, short reals, one trailing newline. */
	char *out = print_json("{\"ok\":true,\"flows\":[{\"match\":\"\",\"duration\":12.345,"
			       "\"cookie\":\"0x0\",\"actions\":\"drop\"}]}");
	assert_string_equal(out,
		"{\n"
		"  \"flows\": [\n"
		"    {\n"
		"      \"actions\": \"drop\",\n"
		"      \"cookie\": \"0x0\",\n"
		"      \"duration\": 12.345,\n"
		"      \"match\": \"\"\n"
		"    }\n"
		"  ]\n"
		"}\n");
	free(out);

	/* Round trip: what is printed parses back to the reply minus "ok". */
	const char *reply = "{\"ok\":true,\"dataplane\":\"connected\",\"n_flows\":3,\"ports\":["
			    PORT_VM1 "," PORT_VM2 "]}";
	out = print_json(reply);
	json_error_t jerr;
	json_t *back = json_loads(out, 0, &jerr), *want = json_loads(reply, 0, &jerr);
	assert_non_null(back);
	json_object_del(want, "ok");
	assert_true(json_equal(back, want));
	json_decref(back);
	json_decref(want);
	free(out);

	out = print_json("{\"ok\":true}");
	assert_string_equal(out, "{}\n");
	free(out);
}

static void test_one_line(void **state)
{
	char buf[16];
	(void)state;

	vsw_cli_one_line(buf, sizeof(buf), "a\nb\tc\x7f" "d");
	assert_string_equal(buf, "a b c d");
	vsw_cli_one_line(buf, sizeof(buf), "0123456789abcdefghij");
	assert_string_equal(buf, "0123456789abcde");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dump_flows),
		cmocka_unit_test(test_dump_flows_malformed),
		cmocka_unit_test(test_dump_tables),
		cmocka_unit_test(test_dump_ports),
		cmocka_unit_test(test_dump_ports_queues),
		cmocka_unit_test(test_dump_ports_malformed),
		cmocka_unit_test(test_show),
		cmocka_unit_test(test_pmd_stats),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_one_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
