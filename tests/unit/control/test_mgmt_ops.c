/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw-control: log-level (control/mgmt_ops.c) without a dataplane and with a
 * scripted one, which must get exactly the requests for its own modules.
 */
#include <stdlib.h>
#include <string.h>

#include "mgmt_fixture.h"

/* {module: [level, process]} of a listing, as one JSON text to compare. */
static char *levels(struct fixture *f)
{
	json_t *r = call(f, "{\"cmd\": \"log-level\"}"), *out = json_object(), *m;
	size_t i;
	char *text;

	assert_true(json_is_true(json_object_get(r, "ok")));
	json_array_foreach(json_object_get(r, "modules"), i, m)
		json_object_set_new(out, json_string_value(json_object_get(m, "module")),
				    json_pack("[O,O]", json_object_get(m, "level"),
					      json_object_get(m, "process")));
	json_object_set(out, "dataplane", json_object_get(r, "dataplane"));
	text = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(out);
	json_decref(r);
	return text;
}

static void assert_levels(struct fixture *f, const char *want)
{
	char *got = levels(f);

	assert_string_equal(got, want);
	free(got);
}

static void test_without_dataplane(void **state)
{
	struct fixture *f = *state;

	assert_levels(f, "{\"control\":[\"error\",\"vsw-control\"],"
			 "\"control.dpconn\":[\"error\",\"vsw-control\"],"
			 "\"control.mgmt\":[\"error\",\"vsw-control\"],"
			 "\"dataplane\":\"disconnected\"}");
	expect_ok(f, "{\"cmd\": \"log-level\", \"module\": \"control.mgmt\", \"level\": \"debug\"}");
	assert_int_equal(f->ctl.log_mgmt.level, VSW_LOG_DEBUG);
	assert_int_equal(f->ctl.log.level, VSW_LOG_ERROR);
	assert_int_equal(f->ctl.log_dpconn.level, VSW_LOG_ERROR);
	expect_ok(f, "{\"cmd\": \"log-level\", \"module\": \"control\", \"level\": \"warning\"}");
	assert_int_equal(f->ctl.log.level, VSW_LOG_WARNING);
	assert_levels(f, "{\"control\":[\"warning\",\"vsw-control\"],"
			 "\"control.dpconn\":[\"error\",\"vsw-control\"],"
			 "\"control.mgmt\":[\"debug\",\"vsw-control\"],"
			 "\"dataplane\":\"disconnected\"}");
	/* Explicit nulls are "absent": a listing. */
	json_t *r = call(f, "{\"cmd\": \"log-level\", \"module\": null, \"level\": null}");
	assert_int_equal(json_array_size(json_object_get(r, "modules")), 3);
	json_decref(r);
}

static void test_bad_input_changes_nothing(void **state)
{
	struct fixture *f = *state;

	expect_error(f, "{\"cmd\": \"log-level\", \"module\": \"control\", \"level\": \"loud\"}",
		     "level 'loud' is not error, warning, info or debug");
	expect_error(f, "{\"cmd\": \"log-level\", \"module\": \"control\"}",
		     "give both \"module\" and \"level\", or neither");
	expect_error(f, "{\"cmd\": \"log-level\", \"level\": \"info\"}",
		     "give both \"module\" and \"level\", or neither");
	expect_error(f, "{\"cmd\": \"log-level\", \"module\": 7, \"level\": \"info\"}",
		     "log-level: argument 'module' must be a string");
	expect_error(f, "{\"cmd\": \"log-level\", \"module\": \"vsw.pmd\", \"level\": \"debug\"}",
		     "unknown module 'vsw.pmd' (vsw-control's: control, control.mgmt, "
		     "control.dpconn; the dataplane's, vsw.*, while it is connected)");
	assert_int_equal(f->ctl.log.level, VSW_LOG_ERROR);
	assert_int_equal(f->ctl.log_mgmt.level, VSW_LOG_ERROR);
}

static void test_with_dataplane(void **state)
{
	struct fixture *f = *state;
	json_t *reqs, *sets = json_array(), *q;
	char *text;
	size_t i;

	attach_dataplane(f);
	assert_levels(f, "{\"control\":[\"error\",\"vsw-control\"],"
			 "\"control.dpconn\":[\"error\",\"vsw-control\"],"
			 "\"control.mgmt\":[\"error\",\"vsw-control\"],"
			 "\"dataplane\":\"connected\","
			 "\"vsw.pmd\":[\"info\",\"vsw-dataplane\"]}");
	/* The dataplane's module is forwarded, ours are not. */
	expect_ok(f, "{\"cmd\": \"log-level\", \"module\": \"vsw.pmd\", \"level\": \"debug\"}");
	expect_ok(f, "{\"cmd\": \"log-level\", \"module\": \"control\", \"level\": \"info\"}");
	expect_error(f, "{\"cmd\": \"log-level\", \"module\": \"vsw.nope\", \"level\": \"info\"}",
		     "unknown module 'vsw.nope' (vsw-control's: control, control.mgmt, "
		     "control.dpconn; vsw-dataplane's: vsw.pmd)");
	/* What the dataplane was asked to set: vsw.pmd only. */
	reqs = dp_requests(f, "log-level");
	json_array_foreach(reqs, i, q)
		if (json_object_get(q, "module"))
			json_array_append(sets, q);
	text = json_dumps(sets, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text, "[{\"cmd\":\"log-level\",\"level\":\"debug\","
				  "\"module\":\"vsw.pmd\"}]");
	free(text);
	json_decref(sets);
	json_decref(reqs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_without_dataplane, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_with_dataplane, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
