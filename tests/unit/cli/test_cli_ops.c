/* SPDX-License-Identifier: BSD-3-Clause */
/* vswctl log-level: the command line, the request, the listing. */
#include "cli_test.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define A(...) __VA_ARGS__, (const char *)NULL

/* A line that vswctl refuses before sending anything, with exactly `msg`. */
static void assert_usage(const char *msg, ...)
{
	char *argv[8] = { "vswctl" }, err[VSW_CLI_ERRLEN];
	struct vsw_cli_inv inv;
	json_t *req = NULL;
	int argc = 1, rc;
	va_list ap;

	va_start(ap, msg);
	for (const char *a; (a = va_arg(ap, const char *)) != NULL;)
		argv[argc++] = (char *)a;
	va_end(ap);
	rc = vsw_cli_parse(&inv, argc, argv, NULL, err, sizeof(err));
	if (!rc)
		rc = vsw_cli_request(&inv, &req, err, sizeof(err));
	json_decref(req);
	assert_int_equal(rc, -EINVAL);
	assert_string_equal(err, msg);
}

static json_t *request(const char *first, ...)
{
	char *argv[8] = { "vswctl", (char *)first }, err[VSW_CLI_ERRLEN];
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

static void test_requests(void **state)
{
	json_t *req;

	(void)state;
	req = request(A("log-level"));
	assert_json_eq(req, "{\"cmd\":\"log-level\"}");
	json_decref(req);
	req = request(A("log-level", "vsw.pmd", "debug"));
	assert_json_eq(req, "{\"cmd\":\"log-level\",\"module\":\"vsw.pmd\",\"level\":\"debug\"}");
	json_decref(req);
	req = request(A("log-level", "control.mgmt", "warning"));
	assert_json_eq(req, "{\"cmd\":\"log-level\",\"module\":\"control.mgmt\","
			    "\"level\":\"warning\"}");
	json_decref(req);
	/* Modules vswctl does not know still go to vsw-control, which decides. */
	req = request(A("log-level", "vsw.future-module_2", "error"));
	assert_json_eq(req, "{\"cmd\":\"log-level\",\"module\":\"vsw.future-module_2\","
			    "\"level\":\"error\"}");
	json_decref(req);
}

static void test_usage_errors(void **state)
{
	struct run r;

	(void)state;
	assert_usage("log-level: expected MODULE LEVEL, or nothing to list the modules",
		     A("log-level", "vsw.pmd"));
	assert_usage("log-level: unknown level 'loud'; expected error, warning, info or debug",
		     A("log-level", "vsw.pmd", "loud"));
	assert_usage("log-level: unknown level 'DEBUG'; expected error, warning, info or debug",
		     A("log-level", "vsw.pmd", "DEBUG"));
	assert_usage("log-level: 'vsw pmd' is not a module name; try 'vswctl log-level'",
		     A("log-level", "vsw pmd", "info"));
	assert_usage("log-level: '' is not a module name; try 'vswctl log-level'",
		     A("log-level", "", "info"));
	/* Three arguments: the generic count check. */
	run_vswctl(&r, NULL, A("log-level", "a", "info", "x"));
	assert_string_equal(r.err, "vswctl: log-level: expected [MODULE LEVEL]\n");
	assert_int_equal(r.code, VSW_CLI_EXIT_USAGE);
	run_free(&r);
	/* A usage error exits 2 before anything is sent. */
	run_vswctl(&r, NULL, A("--socket", "/nonexistent/control.sock", "log-level", "x", "y"));
	assert_int_equal(r.code, VSW_CLI_EXIT_USAGE);
	run_free(&r);
}

static void test_listing(void **state)
{
	char err[VSW_CLI_ERRLEN], *out;

	(void)state;
	assert_int_equal(format_reply("log-level",
		"{\"ok\":true,\"dataplane\":\"connected\",\"modules\":["
		"{\"module\":\"control\",\"level\":\"info\",\"process\":\"vsw-control\"},"
		"{\"module\":\"vsw.pmd\",\"level\":\"debug\",\"process\":\"vsw-dataplane\"}]}",
		&out, err, sizeof(err)), 0);
	assert_string_equal(out,
		"MODULE               LEVEL    PROCESS\n"
		"control              info     vsw-control\n"
		"vsw.pmd              debug    vsw-dataplane\n");
	free(out);
	assert_int_equal(format_reply("log-level",
		"{\"ok\":true,\"dataplane\":\"disconnected\",\"modules\":["
		"{\"module\":\"control\",\"level\":\"warning\",\"process\":\"vsw-control\"}]}",
		&out, err, sizeof(err)), 0);
	assert_string_equal(out,
		"MODULE               LEVEL    PROCESS\n"
		"control              warning  vsw-control\n"
		"(vsw-dataplane is not connected: its modules are not listed)\n");
	free(out);
	/* Setting a level: nothing to print. */
	assert_int_equal(format_reply("log-level", "{\"ok\":true}", &out, err, sizeof(err)), 0);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(format_reply("log-level", "{\"ok\":true,\"modules\":{}}", &out, err,
				      sizeof(err)), -EPROTO);
	assert_string_equal(err, "malformed reply from vsw-control: modules: expected an array");
	free(out);
	assert_int_equal(format_reply("log-level", "{\"ok\":true,\"modules\":[{\"module\":\"x\"}]}",
				      &out, err, sizeof(err)), -EPROTO);
	assert_string_equal(err, "malformed reply from vsw-control: modules[0].level: missing");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_listing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
