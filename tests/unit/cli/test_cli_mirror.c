/* SPDX-License-Identifier: BSD-3-Clause */
/* vswctl mirror commands: requests, usage errors, list-mirrors' text. */
#include "cli_test.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define A(...) __VA_ARGS__, (const char *)NULL

/* The request a command line makes, or its usage error in err. */
static int request(json_t **req, char *err, size_t errlen, ...)
{
	char *argv[16] = { "vswctl" };
	struct vsw_cli_inv inv;
	int argc = 1, rc;
	va_list ap;

	va_start(ap, errlen);
	for (const char *a; (a = va_arg(ap, const char *)) != NULL;)
		argv[argc++] = (char *)a;
	va_end(ap);
	*req = NULL;
	rc = vsw_cli_parse(&inv, argc, argv, NULL, err, errlen);
	return rc ? rc : vsw_cli_request(&inv, req, err, errlen);
}

static void assert_request(const char *want, ...)
{
	char *argv[16] = { "vswctl" };
	struct vsw_cli_inv inv;
	char err[256] = "";
	json_t *req;
	int argc = 1;
	va_list ap;

	va_start(ap, want);
	for (const char *a; (a = va_arg(ap, const char *)) != NULL;)
		argv[argc++] = (char *)a;
	va_end(ap);
	assert_int_equal(vsw_cli_parse(&inv, argc, argv, NULL, err, sizeof(err)), 0);
	assert_int_equal(vsw_cli_request(&inv, &req, err, sizeof(err)), 0);
	assert_json_eq(req, want);
	json_decref(req);
}

#define assert_usage(msg, ...)                                                        \
	do {                                                                          \
		char e_[256] = "";                                                    \
		json_t *r_;                                                           \
		assert_int_equal(request(&r_, e_, sizeof(e_), A(__VA_ARGS__)), -EINVAL); \
		assert_null(r_);                                                      \
		assert_string_equal(e_, msg);                                         \
	} while (0)

static void test_requests(void **state)
{
	(void)state;
	assert_request("{\"cmd\":\"add-mirror\",\"name\":\"m1\",\"src\":[\"vm1\",\"vm2\"],"
		       "\"dst\":\"mon\"}",
		       A("add-mirror", "m1", "src=vm1,vm2", "dst=mon"));
	assert_request("{\"cmd\":\"add-mirror\",\"name\":\"m1\",\"src\":[\"vm1\"],\"dst\":\"mon\"}",
		       A("add-mirror", "m1", "dst=mon", "src=vm1"));
	assert_request("{\"cmd\":\"del-mirror\",\"name\":\"m1\"}", A("del-mirror", "m1"));
	assert_request("{\"cmd\":\"list-mirrors\"}", A("list-mirrors"));
}

static void test_usage(void **state)
{
	(void)state;
	assert_usage("add-mirror: expected NAME src=PORT[,PORT...] dst=PORT", "add-mirror", "m1",
		     "src=vm1");
	assert_usage("add-mirror: src= given twice", "add-mirror", "m1", "src=vm1", "src=vm2");
	assert_usage("add-mirror: dst= given twice", "add-mirror", "m1", "dst=vm1", "dst=vm2");
	assert_usage("add-mirror: expected NAME src=PORT[,PORT...] dst=PORT", "add-mirror", "m1",
		     "src=vm1", "src=vm2", "dst=x");
	assert_usage("add-mirror: unknown argument 'to=mon'; expected src=PORTS and dst=PORT",
		     "add-mirror", "m1", "src=vm1", "to=mon");
	assert_usage("add-mirror: empty port name in src=vm1,", "add-mirror", "m1", "src=vm1,",
		     "dst=mon");
	assert_usage("add-mirror: empty port name in src=", "add-mirror", "m1", "src=", "dst=mon");
	assert_usage("add-mirror: empty port name in dst=", "add-mirror", "m1", "src=a", "dst=");
	assert_usage("add-mirror: empty mirror name", "add-mirror", "", "src=a", "dst=b");
	assert_usage("del-mirror: expected NAME", "del-mirror");
	assert_usage("list-mirrors: takes no arguments", "list-mirrors", "m1");
}

static void test_list_text(void **state)
{
	char *out = NULL, err[256];
	(void)state;

	assert_int_equal(format_reply("list-mirrors",
				      "{\"ok\":true,\"mirrors\":[{\"name\":\"m1\",\"src\":[\"vm1\","
				      "\"vm2\"],\"dst\":\"mon\",\"state\":\"active\",\"packets\":10,"
				      "\"bytes\":1000,\"drops\":2},{\"name\":\"m2\",\"src\":[\"vm3\"],"
				      "\"dst\":\"vm1\",\"state\":\"unknown\",\"packets\":0,\"bytes\":0,"
				      "\"drops\":0}]}",
				      &out, err, sizeof(err)), 0);
	assert_string_equal(out, "mirror m1: src=vm1,vm2 dst=mon state=active\n"
				 "  packets=10, bytes=1000, drops=2\n"
				 "mirror m2: src=vm3 dst=vm1 state=unknown\n"
				 "  packets=0, bytes=0, drops=0\n");
	free(out);
	assert_int_equal(format_reply("list-mirrors", "{\"ok\":true,\"mirrors\":[]}", &out, err,
				      sizeof(err)), 0);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(format_reply("list-mirrors",
				      "{\"ok\":true,\"mirrors\":[{\"name\":\"m1\",\"src\":[1],"
				      "\"dst\":\"mon\",\"state\":\"active\",\"packets\":0,"
				      "\"bytes\":0,\"drops\":0}]}",
				      &out, err, sizeof(err)), -EPROTO);
	assert_string_equal(err, "malformed reply from vsw-control: mirrors[0].src: expected an "
				 "array of strings");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_list_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
