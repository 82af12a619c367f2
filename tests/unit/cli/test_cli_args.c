/* SPDX-License-Identifier: BSD-3-Clause */
/* vswctl command line: usage errors (exact messages, exit 2) and requests. */
#include "cli_test.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define A(...) __VA_ARGS__, (const char *)NULL

/* A usage error: exactly `msg` on stderr, nothing on stdout, exit 2. */
#define assert_usage(msg, ...)                                         \
	do {                                                           \
		struct run r_;                                         \
		run_vswctl(&r_, NULL, A(__VA_ARGS__));                 \
		assert_string_equal(r_.err, "vswctl: " msg "\n");      \
		assert_string_equal(r_.out, "");                       \
		assert_int_equal(r_.code, VSW_CLI_EXIT_USAGE);         \
		run_free(&r_);                                         \
	} while (0)

static void test_usage_command(void **state)
{
	(void)state;
	assert_usage("missing command; try 'vswctl help'", "--format", "json");
	{
		struct run r;
		run_vswctl(&r, NULL, A(NULL));
		assert_string_equal(r.err, "vswctl: missing command; try 'vswctl help'\n");
		assert_int_equal(r.code, VSW_CLI_EXIT_USAGE);
		run_free(&r);
	}
	assert_usage("unknown command 'frob'; try 'vswctl help'", "frob");
	assert_usage("unknown command 'add-ports'; try 'vswctl help'", "add-ports", "vm1");
}

static void test_usage_arg_counts(void **state)
{
	(void)state;
	assert_usage("add-port: expected NAME vhost-user [server|client] [PATH] | NAME tap | NAME dpdk DEVARGS", "add-port");
	assert_usage("add-port: expected NAME vhost-user [server|client] [PATH] | NAME tap | NAME dpdk DEVARGS", "add-port",
		     "vm1");
	assert_usage("add-port: expected NAME vhost-user [server|client] [PATH] | NAME tap | NAME dpdk DEVARGS", "add-port",
		     "vm1", "vhost-user", "server", "/a.sock", "extra");
	assert_usage("del-port: expected NAME", "del-port");
	assert_usage("del-port: expected NAME", "del-port", "vm1", "vm2");
	assert_usage("dump-ports: expected [NAME]", "dump-ports", "vm1", "vm2");
	assert_usage("show: takes no arguments", "show", "vm1");
	assert_usage("help: takes no arguments", "help", "add-port");
	assert_usage("add-flow: expected SPEC", "add-flow");
	assert_usage("add-flow: expected SPEC", "add-flow", "priority=100,in_port=vm1",
		     "actions=drop");
	assert_usage("del-flows: expected [--strict] [MATCH]", "del-flows", "in_port=vm1",
		     "dl_dst=02:00:00:00:00:02");
	assert_usage("dump-flows: expected [MATCH]", "dump-flows", "a", "b");
	assert_usage("add-flows: expected FILE", "add-flows");
	assert_usage("add-flows: expected FILE", "add-flows", "a", "b");
	assert_usage("replace-flows: expected FILE", "replace-flows");
	assert_usage("mod-flows: expected [--strict] SPEC", "mod-flows");
	assert_usage("mod-flows: expected [--strict] SPEC", "mod-flows", "--strict");
	assert_usage("dump-tables: takes no arguments", "dump-tables", "0");
	assert_usage("mod-table: expected TABLE drop|continue", "mod-table", "0");
	assert_usage("add-flows: unknown option '--strict'", "add-flows", "--strict", "f");
}

static void test_usage_options(void **state)
{
	(void)state;
	assert_usage("unknown option '--frob'; try 'vswctl help'", "--frob", "show");
	assert_usage("unknown option '-x'; try 'vswctl help'", "show", "-x");
	assert_usage("unknown option '--strict=1'; try 'vswctl help'", "del-flows", "--strict=1");
	assert_usage("show: unknown option '--strict'", "show", "--strict");
	assert_usage("dump-flows: unknown option '--strict'", "--strict", "dump-flows");
	assert_usage("option '--format' requires an argument (text|json)", "show", "--format");
	assert_usage("unknown format 'xml'; expected text or json", "--format", "xml", "show");
	assert_usage("unknown format ''; expected text or json", "--format=", "show");
	assert_usage("option '--help' takes no argument", "--help=yes");
	assert_usage("option '--timeout' requires an argument (SECONDS)", "show", "--timeout");
	assert_usage("invalid timeout 'abc'; expected seconds (0: wait forever)", "--timeout",
		     "abc", "show");
	assert_usage("invalid timeout '-1'; expected seconds (0: wait forever)", "--timeout=-1",
		     "show");
	assert_usage("invalid timeout 'nan'; expected seconds (0: wait forever)", "--timeout",
		     "nan", "show");
	assert_usage("invalid timeout '5s'; expected seconds (0: wait forever)", "--timeout",
		     "5s", "show");
	assert_usage("invalid timeout ''; expected seconds (0: wait forever)", "--timeout=",
		     "show");
	assert_usage("options '--socket' and '--run-dir' exclude each other", "--socket",
		     "/tmp/c.sock", "--run-dir", "/tmp", "show");
	assert_usage("option '--run-dir' needs a directory", "--run-dir=", "show");
	assert_usage("option '--socket' needs a path", "--socket", "", "show");

	char dir[200];
	memset(dir, 'd', sizeof(dir) - 1);
	dir[0] = '/';
	dir[sizeof(dir) - 1] = '\0';
	struct run r;
	run_vswctl(&r, NULL, A("--run-dir", dir, "show"));
	assert_int_equal(r.code, VSW_CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "vswctl: socket path too long (at most 107 bytes): /ddd"));
	assert_non_null(strstr(r.err, "ddd/control.sock\n"));
	run_free(&r);
}

static void test_usage_add_port(void **state)
{
	(void)state;
	assert_usage("add-port: unknown port type 'veth'; supported: vhost-user, tap, dpdk",
		     "add-port", "vm1", "veth");
	assert_usage("add-port: unknown port type 'vhostuser'; supported: vhost-user, tap, dpdk",
		     "add-port", "vm1", "vhostuser", "server");
	assert_usage("add-port: expected NAME tap", "add-port", "t1", "tap", "server");
	assert_usage("add-port: expected NAME dpdk DEVARGS (a PCI address or a vdev such as "
		     "net_af_packet,iface=eth1)", "add-port", "d1", "dpdk");
	assert_usage("add-port: expected NAME dpdk DEVARGS (a PCI address or a vdev such as "
		     "net_af_packet,iface=eth1)", "add-port", "d1", "dpdk", "0000:01:00.0", "x");
	assert_usage("add-port: empty DEVARGS", "add-port", "d1", "dpdk", "");
	assert_usage("add-port: empty port name", "add-port", "", "tap");
	assert_usage("add-port: unknown mode 'serve'; expected server or client, or an absolute "
		     "socket PATH", "add-port", "vm1", "vhost-user", "serve");
	assert_usage("add-port: unknown mode 'vm1.sock'; expected server or client, or an "
		     "absolute socket PATH", "add-port", "vm1", "vhost-user", "vm1.sock");
	assert_usage("add-port: unknown mode 'serve'; expected server or client", "add-port",
		     "vm1", "vhost-user", "serve", "/run/vm1.sock");
	assert_usage("add-port: client mode needs the PATH of the guest's vhost-user socket",
		     "add-port", "vm1", "vhost-user", "client");
	assert_usage("add-port: socket path 'vm1.sock' must be absolute", "add-port", "vm1",
		     "vhost-user", "client", "vm1.sock");
	assert_usage("add-port: socket path './vm1.sock' must be absolute", "add-port", "vm1",
		     "vhost-user", "./vm1.sock");
	assert_usage("add-port: socket path 'run/vm1.sock' must be absolute", "add-port", "vm1",
		     "vhost-user", "server", "run/vm1.sock");
	assert_usage("add-port: empty port name", "add-port", "", "vhost-user");
	assert_usage("del-port: empty port name", "del-port", "");
	assert_usage("dump-ports: empty port name", "dump-ports", "");

	char path[120];
	memset(path, 'p', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	assert_usage("add-port: socket path too long (at most 107 bytes)", "add-port", "vm1",
		     "vhost-user", "client", path);
}

/* Parse and build the request of a good line. */
static json_t *request(struct vsw_cli_inv *inv, const char *env, ...)
{
	char *argv[16] = { "vswctl" }, err[VSW_CLI_ERRLEN];
	int argc = 1;
	va_list ap;
	json_t *req;

	va_start(ap, env);
	for (const char *a; (a = va_arg(ap, const char *)) != NULL;)
		argv[argc++] = (char *)a;
	va_end(ap);
	if (vsw_cli_parse(inv, argc, argv, env, err, sizeof(err)))
		fail_msg("parse: %s", err);
	assert_int_equal(inv->action, VSW_CLI_RUN);
	if (vsw_cli_request(inv, &req, err, sizeof(err)))
		fail_msg("request: %s", err);
	return req;
}

#define assert_request(want, ...)                                      \
	do {                                                           \
		struct vsw_cli_inv inv_;                               \
		json_t *req_ = request(&inv_, NULL, A(__VA_ARGS__));   \
		assert_json_eq(req_, want);                            \
		json_decref(req_);                                     \
	} while (0)

static void test_usage_tables_and_files(void **state)
{
	struct run r;

	(void)state;
	assert_usage("mod-table: table 'x' is not a number 0..254", "mod-table", "x", "drop");
	assert_usage("mod-table: table '255' is not a number 0..254", "mod-table", "255", "drop");
	assert_usage("mod-table: table '' is not a number 0..254", "mod-table", "", "drop");
	assert_usage("mod-table: table '+1' is not a number 0..254", "mod-table", "+1", "drop");
	assert_usage("mod-table: table '99999999999999999999' is not a number 0..254", "mod-table",
		     "99999999999999999999", "drop");
	assert_usage("mod-table: unknown miss policy 'flood'; expected drop or continue",
		     "mod-table", "1", "flood");
	assert_usage("add-flows: empty file name", "add-flows", "");
	/* A file that cannot be read: not a usage error, nothing sent. */
	run_vswctl(&r, "/nonexistent/run", A("add-flows", "/nonexistent/flows.txt"));
	assert_string_equal(r.err, "vswctl: add-flows: /nonexistent/flows.txt: No such file or "
			    "directory\n");
	assert_int_equal(r.code, VSW_CLI_EXIT_FAIL);
	run_free(&r);
	run_vswctl(&r, "/nonexistent/run", A("replace-flows", "/"));
	assert_string_equal(r.err, "vswctl: replace-flows: /: Is a directory\n");
	assert_int_equal(r.code, VSW_CLI_EXIT_FAIL);
	run_free(&r);
}

/* The file commands send the file's lines as they are, line ends removed. */
static void test_file_requests(void **state)
{
	char path[] = "/tmp/vswctl-flows-XXXXXX";
	int fd = mkstemp(path);
	static const char text[] = "# flows\r\npriority=1,actions=drop\n\n  in_port=vm1 actions=vm2";
	char want[512];
	struct run r;
	FILE *saved;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
	snprintf(want, sizeof(want), "{\"cmd\":\"add-flows\",\"file\":\"%s\",\"lines\":"
		 "[\"# flows\",\"priority=1,actions=drop\",\"\",\"  in_port=vm1 actions=vm2\"]}",
		 path);
	assert_request(want, "add-flows", path);
	snprintf(want, sizeof(want), "{\"cmd\":\"replace-flows\",\"file\":\"%s\",\"lines\":"
		 "[\"# flows\",\"priority=1,actions=drop\",\"\",\"  in_port=vm1 actions=vm2\"]}",
		 path);
	assert_request(want, "replace-flows", path);

	/* '-': standard input, named "stdin" in messages. */
	saved = stdin;
	stdin = fopen(path, "r");
	assert_non_null(stdin);
	assert_request("{\"cmd\":\"add-flows\",\"file\":\"stdin\",\"lines\":"
		       "[\"# flows\",\"priority=1,actions=drop\",\"\",\"  in_port=vm1 actions=vm2\"]}",
		       "add-flows", "-");
	fclose(stdin);
	stdin = saved;

	/* Not UTF-8: named by line, nothing sent. */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, "ok\nbad \xff\n", 8), 8);
	close(fd);
	run_vswctl(&r, "/nonexistent/run", A("add-flows", path));
	snprintf(want, sizeof(want), "vswctl: add-flows: %s:2: not UTF-8 text\n", path);
	assert_string_equal(r.err, want);
	assert_int_equal(r.code, VSW_CLI_EXIT_FAIL);
	run_free(&r);

	/* Empty: an empty list. */
	fd = open(path, O_WRONLY | O_TRUNC);
	close(fd);
	snprintf(want, sizeof(want), "{\"cmd\":\"add-flows\",\"file\":\"%s\",\"lines\":[]}",
		 path);
	assert_request(want, "add-flows", path);
	unlink(path);
}

static void test_requests(void **state)
{
	(void)state;
	assert_request("{\"cmd\":\"add-port\",\"name\":\"vm1\",\"type\":\"vhost-user\","
		       "\"mode\":\"server\"}", "add-port", "vm1", "vhost-user");
	assert_request("{\"cmd\":\"add-port\",\"name\":\"vm1\",\"type\":\"vhost-user\","
		       "\"mode\":\"server\"}", "add-port", "vm1", "vhost-user", "server");
	assert_request("{\"cmd\":\"add-port\",\"name\":\"vm1\",\"type\":\"vhost-user\","
		       "\"mode\":\"server\",\"path\":\"/run/vm1.sock\"}",
		       "add-port", "vm1", "vhost-user", "/run/vm1.sock");
	assert_request("{\"cmd\":\"add-port\",\"name\":\"vm1\",\"type\":\"vhost-user\","
		       "\"mode\":\"server\",\"path\":\"/run/vm1.sock\"}",
		       "add-port", "vm1", "vhost-user", "server", "/run/vm1.sock");
	assert_request("{\"cmd\":\"add-port\",\"name\":\"vm2\",\"type\":\"vhost-user\","
		       "\"mode\":\"client\",\"path\":\"/var/lib/qemu/vm2.sock\"}",
		       "add-port", "vm2", "vhost-user", "client", "/var/lib/qemu/vm2.sock");
	assert_request("{\"cmd\":\"add-port\",\"name\":\"t1\",\"type\":\"tap\"}", "add-port",
		       "t1", "tap");
	assert_request("{\"cmd\":\"add-port\",\"name\":\"up0\",\"type\":\"dpdk\","
		       "\"devargs\":\"net_af_packet,iface=veth0\"}", "add-port", "up0", "dpdk",
		       "net_af_packet,iface=veth0");
	assert_request("{\"cmd\":\"del-port\",\"name\":\"vm1\"}", "del-port", "vm1");
	assert_request("{\"cmd\":\"del-port\",\"name\":\"-odd\"}", "del-port", "--", "-odd");
	assert_request("{\"cmd\":\"show\"}", "show");
	assert_request("{\"cmd\":\"dump-ports\"}", "dump-ports");
	assert_request("{\"cmd\":\"dump-ports\",\"name\":\"vm1\"}", "dump-ports", "vm1");
	/* Flow text travels as written, unparsed. */
	assert_request("{\"cmd\":\"add-flow\",\"flow\":\"priority=100,in_port=vm1,"
		       "dl_dst=02:00:00:00:00:02,actions=output:vm2\"}", "add-flow",
		       "priority=100,in_port=vm1,dl_dst=02:00:00:00:00:02,actions=output:vm2");
	assert_request("{\"cmd\":\"add-flow\",\"flow\":\"in_port = vm1, actions=drop\"}",
		       "add-flow", "in_port = vm1, actions=drop");
	assert_request("{\"cmd\":\"del-flows\",\"strict\":false}", "del-flows");
	assert_request("{\"cmd\":\"del-flows\",\"strict\":false,\"flow\":\"in_port=vm1\"}",
		       "del-flows", "in_port=vm1");
	assert_request("{\"cmd\":\"del-flows\",\"strict\":true,"
		       "\"flow\":\"priority=5,in_port=vm1\"}",
		       "del-flows", "--strict", "priority=5,in_port=vm1");
	assert_request("{\"cmd\":\"del-flows\",\"strict\":true,\"flow\":\"in_port=vm1\"}",
		       "del-flows", "in_port=vm1", "--strict");
	assert_request("{\"cmd\":\"del-flows\",\"strict\":true}", "del-flows", "--strict");
	assert_request("{\"cmd\":\"dump-flows\"}", "dump-flows");
	assert_request("{\"cmd\":\"dump-flows\",\"flow\":\"in_port=vm1\"}", "dump-flows",
		       "in_port=vm1");
	assert_request("{\"cmd\":\"mod-flows\",\"strict\":false,\"flow\":\"in_port=vm1,actions=drop\"}",
		       "mod-flows", "in_port=vm1,actions=drop");
	assert_request("{\"cmd\":\"mod-flows\",\"strict\":true,\"flow\":\"priority=5,actions=drop\"}",
		       "mod-flows", "--strict", "priority=5,actions=drop");
	assert_request("{\"cmd\":\"dump-tables\"}", "dump-tables");
	assert_request("{\"cmd\":\"mod-table\",\"table\":0,\"miss\":\"continue\"}", "mod-table",
		       "0", "continue");
	assert_request("{\"cmd\":\"mod-table\",\"table\":254,\"miss\":\"drop\"}", "mod-table",
		       "254", "drop");
}

static void test_global_options(void **state)
{
	struct vsw_cli_inv inv;
	json_t *req;
	(void)state;

	req = request(&inv, NULL, A("show"));
	assert_string_equal(inv.socket, "/run/vsw/control.sock");
	assert_int_equal(inv.format, VSW_CLI_FORMAT_TEXT);
	assert_int_equal(inv.timeout_ms, VSW_CLI_DEFAULT_TIMEOUT_MS);
	json_decref(req);

	req = request(&inv, "/tmp/vsw-env", A("show"));
	assert_string_equal(inv.socket, "/tmp/vsw-env/control.sock");
	json_decref(req);
	req = request(&inv, "", A("show"));
	assert_string_equal(inv.socket, "/run/vsw/control.sock");
	json_decref(req);
	req = request(&inv, "/tmp/vsw-env", A("--run-dir", "/tmp/other", "show"));
	assert_string_equal(inv.socket, "/tmp/other/control.sock");
	json_decref(req);
	req = request(&inv, "/tmp/vsw-env", A("show", "--socket=/tmp/x/ctl.sock"));
	assert_string_equal(inv.socket, "/tmp/x/ctl.sock");
	json_decref(req);

	req = request(&inv, NULL, A("--format", "json", "dump-flows"));
	assert_int_equal(inv.format, VSW_CLI_FORMAT_JSON);
	json_decref(req);
	req = request(&inv, NULL, A("dump-flows", "--format=json", "in_port=vm1"));
	assert_int_equal(inv.format, VSW_CLI_FORMAT_JSON);
	assert_json_eq(req, "{\"cmd\":\"dump-flows\",\"flow\":\"in_port=vm1\"}");
	json_decref(req);
	req = request(&inv, NULL, A("--format", "json", "--format", "text", "show"));
	assert_int_equal(inv.format, VSW_CLI_FORMAT_TEXT);
	json_decref(req);

	req = request(&inv, NULL, A("--timeout", "0.5", "show"));
	assert_int_equal(inv.timeout_ms, 500);
	json_decref(req);
	req = request(&inv, NULL, A("--timeout=3", "show"));
	assert_int_equal(inv.timeout_ms, 3000);
	json_decref(req);
	req = request(&inv, NULL, A("--timeout", "0.0001", "show"));
	assert_int_equal(inv.timeout_ms, 1);
	json_decref(req);
	req = request(&inv, NULL, A("--timeout", "0", "show"));
	assert_int_equal(inv.timeout_ms, INT_MAX);
	json_decref(req);
}

static void test_help_version(void **state)
{
	const char *const forms[][2] = { { "help", NULL }, { "--help", NULL }, { "-h", NULL },
					 { "--frob=1", "-h" }, { "show", "--help" } };
	(void)state;

	for (size_t k = 0; k < sizeof(forms) / sizeof(forms[0]); k++) {
		struct run r;

		run_vswctl(&r, NULL, forms[k][0], forms[k][1], (const char *)NULL);
		if (k == 3) { /* an unknown option before -h is still an error */
			assert_int_equal(r.code, VSW_CLI_EXIT_USAGE);
			run_free(&r);
			continue;
		}
		assert_int_equal(r.code, VSW_CLI_EXIT_OK);
		assert_string_equal(r.err, "");
		const char *head = "vswctl: control the vsw virtual switch\n"
				   "usage: vswctl [OPTIONS] COMMAND [ARG...]\n";
		assert_true(!strncmp(r.out, head, strlen(head)));
		/* Every command of the tables, with its synopsis. */
		const char *const names[] = { "add-port", "del-port", "dump-ports", "show",
					      "add-flow", "del-flows", "dump-flows", "help",
					      "add-tenant", "del-tenant", "list-tenants", "set-port",
					      "set-uplink", "add-vtep", "del-vtep", "add-acl",
					      "del-acl" };
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			const struct vsw_cli_cmd *c = vsw_cli_find(names[i]);
			char line[160];

			assert_non_null(c);
			snprintf(line, sizeof(line), "\n  %s%s%s", c->name, *c->args ? " " : "",
				 c->args);
			const char *at = strstr(r.out, line);
			if (!at || (at[strlen(line)] != ' ' && at[strlen(line)] != '\n'))
				fail_msg("help lacks '%s'", line + 1);
		}
		const char *const opts[] = { "--run-dir DIR", "--socket PATH", "--format text|json",
					     "--timeout SECONDS", "-h, --help", "--version" };
		for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
			assert_non_null(strstr(r.out, opts[i]));
		run_free(&r);
	}

	struct run r;
	run_vswctl(&r, NULL, A("--version"));
	assert_int_equal(r.code, VSW_CLI_EXIT_OK);
	assert_true(!strncmp(r.out, "vswctl (vsw) ", 13));
	assert_non_null(strchr(r.out, '\n'));
	assert_string_equal(r.err, "");
	run_free(&r);
}

/* The tables keep their promises. */
static void test_tables(void **state)
{
	const char *const names[] = { "add-port", "del-port", "dump-ports", "show",
				      "add-flow", "add-flows", "mod-flows", "del-flows",
				      "dump-flows", "replace-flows", "dump-tables", "mod-table",
				      "add-tenant", "del-tenant", "list-tenants", "set-port",
				      "set-uplink", "add-vtep", "del-vtep", "add-acl", "del-acl",
				      "pmd-stats", "pmd-stats-clear", "help" };
	const char *const readers[] = { "dump-ports", "show", "dump-flows", "dump-tables",
					"list-tenants", "pmd-stats" };
	(void)state;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct vsw_cli_cmd *c = vsw_cli_find(names[i]);

		assert_non_null(c);
		assert_true(c->min_args <= c->max_args);
		assert_true(c->max_args <= VSW_CLI_MAX_ARGS);
		assert_non_null(c->help);
		if (c->local)
			continue;
		/* Read-only commands print; write commands print nothing. */
		assert_int_equal(c->read_only, c->print != NULL);
	}
	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++)
		assert_true(vsw_cli_find(readers[i])->read_only);
	assert_null(vsw_cli_find("frob"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage_command),
		cmocka_unit_test(test_usage_arg_counts),
		cmocka_unit_test(test_usage_options),
		cmocka_unit_test(test_usage_add_port),
		cmocka_unit_test(test_usage_tables_and_files),
		cmocka_unit_test(test_file_requests),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_global_options),
		cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
