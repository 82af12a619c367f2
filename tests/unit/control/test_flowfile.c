/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-control: flow files for add-flows and replace-flows (control/flowfile.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flowfile.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static char err[640];

/* A model with ports vm1 (1) and vm2 (2); vm3 (3) was deleted. */
static void model(struct vsw_config *cfg)
{
	static const char *const names[] = { "vm1", "vm2", "vm3" };
	struct vsw_port_cfg p;

	vsw_config_init(cfg);
	for (size_t i = 0; i < N(names); i++) {
		assert_int_equal(vsw_config_new_port(cfg, "/run/vsw", names[i], "vhost-user", NULL,
						     NULL, NULL, &p, err, sizeof(err)), 0);
		assert_int_equal(vsw_config_add_port(cfg, &p), 0);
	}
	assert_int_equal(vsw_config_del_port(cfg, "vm3"), 0);
}

static void test_lines_comments_and_names(void **state)
{
	const char *const lines[] = {
		"# two VMs",
		"",
		"priority=100,in_port=vm1,actions=output:vm2",
		"   \t",
		"  # indented comment",
		"table=2 cookie=0x5 idle_timeout=30 dl_vlan=7 actions=drop\r",
		"priority=7,actions=FLOOD   # as in ovs-ofctl: a comment to the end of the line",
	};
	struct vsw_config cfg;
	struct vsw_flowfile ff;

	(void)state;
	model(&cfg);
	assert_int_equal(vsw_flowfile_parse(&cfg, "f.txt", lines, N(lines), &ff, err, sizeof(err)),
			 0);
	assert_int_equal(ff.n, 3);
	assert_int_equal(ff.n_lines, 3);
	assert_string_equal(ff.recs[2].text, "table=0,priority=7,actions=FLOOD");
	assert_string_equal(ff.recs[0].text, "table=0,priority=100,in_port=1,actions=output:2");
	assert_int_equal(ff.recs[0].priority, 100);
	assert_int_equal(ff.recs[0].match.key.in_port, 1);
	assert_string_equal(ff.recs[1].text,
			    "table=2,priority=32768,cookie=0x5,idle_timeout=30,dl_vlan=7,actions=drop");
	assert_int_equal(ff.recs[1].table, 2);
	assert_true(ff.recs[1].cookie == 5);
	assert_int_equal(ff.recs[1].idle_timeout, 30);
	assert_true(ff.recs[1].id == 0 && ff.recs[1].installed_ms == 0);
	vsw_flowfile_free(&ff);
	assert_null(ff.recs);
	vsw_config_free(&cfg);
}

/* The first bad line stops everything: file, line number (comments counted), the parser's words. */
static void test_bad_line_named(void **state)
{
	const char *const lines[] = {
		"priority=1,actions=drop",
		"# comment",
		"dl_dst=02:zz,actions=drop",
		"in_port=vm9,actions=drop", /* never reached */
	};
	const char *const unknown_port[] = { "", "", "", "", "in_port=vm3,actions=drop" };
	const char *const no_actions[] = { "in_port=vm1" };
	struct vsw_config cfg;
	struct vsw_flowfile ff;

	(void)state;
	model(&cfg);
	assert_int_equal(vsw_flowfile_parse(&cfg, "flows.txt", lines, N(lines), &ff, err,
					    sizeof(err)), -EINVAL);
	assert_string_equal(err, "flows.txt:3: dl_dst: '02:zz' is not a MAC address");
	assert_int_equal(ff.n, 0);
	assert_null(ff.recs);

	/* A deleted port's name is not for new flows. */
	assert_int_equal(vsw_flowfile_parse(&cfg, "/etc/x.flows", unknown_port, N(unknown_port),
					    &ff, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "/etc/x.flows:5: unknown port 'vm3'");
	assert_int_equal(vsw_flowfile_parse(&cfg, "stdin", no_actions, 1, &ff, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "stdin:1: must specify actions");
	vsw_config_free(&cfg);
}

/* A later line with the same identity replaces the earlier one, in its place. */
static void test_repeats_replace(void **state)
{
	const char *const lines[] = {
		"priority=5,ip,actions=drop",
		"priority=6,ip,actions=drop",
		"priority=5,dl_type=0x0800,actions=FLOOD", /* same rule as line 1 */
		"table=1,priority=5,ip,actions=drop", /* another table: another rule */
	};
	struct vsw_config cfg;
	struct vsw_flowfile ff;

	(void)state;
	model(&cfg);
	assert_int_equal(vsw_flowfile_parse(&cfg, "f", lines, N(lines), &ff, err, sizeof(err)), 0);
	assert_int_equal(ff.n_lines, 4);
	assert_int_equal(ff.n, 3);
	assert_string_equal(ff.recs[0].text, "table=0,priority=5,ip,actions=FLOOD");
	assert_string_equal(ff.recs[1].text, "table=0,priority=6,ip,actions=drop");
	assert_string_equal(ff.recs[2].text, "table=1,priority=5,ip,actions=drop");
	vsw_flowfile_free(&ff);
	vsw_config_free(&cfg);
}

static void test_empty_file(void **state)
{
	const char *const comments[] = { "# nothing", "" };
	struct vsw_config cfg;
	struct vsw_flowfile ff;

	(void)state;
	model(&cfg);
	assert_int_equal(vsw_flowfile_parse(&cfg, "f", NULL, 0, &ff, err, sizeof(err)), 0);
	assert_int_equal(ff.n, 0);
	vsw_flowfile_free(&ff);
	assert_int_equal(vsw_flowfile_parse(&cfg, "f", comments, 2, &ff, err, sizeof(err)), 0);
	assert_int_equal(ff.n + ff.n_lines, 0);
	vsw_flowfile_free(&ff);
	vsw_config_free(&cfg);
}

/* 100k distinct rules and 100k repeats: linear (this would take minutes if it were not). */
static void test_large_file(void **state)
{
	enum { N_RULES = 100000 };
	char **text = malloc(2 * N_RULES * sizeof(*text));
	struct vsw_config cfg;
	struct vsw_flowfile ff;

	(void)state;
	assert_non_null(text);
	for (size_t i = 0; i < 2 * N_RULES; i++) {
		size_t r = i % N_RULES;

		assert_true(asprintf(&text[i], "priority=%zu,dl_dst=02:00:00:%02zx:%02zx:%02zx,actions=%s",
				     r % 7, (r >> 16) & 255, (r >> 8) & 255, r & 255,
				     i < N_RULES ? "drop" : "output:vm2") > 0);
	}
	model(&cfg);
	assert_int_equal(vsw_flowfile_parse(&cfg, "big", (const char *const *)text, 2 * N_RULES,
					    &ff, err, sizeof(err)), 0);
	assert_int_equal(ff.n, N_RULES);
	assert_int_equal(ff.n_lines, 2 * N_RULES);
	for (size_t i = 0; i < ff.n; i += 9973)
		assert_non_null(strstr(ff.recs[i].text, "actions=output:2"));
	vsw_flowfile_free(&ff);
	vsw_config_free(&cfg);
	for (size_t i = 0; i < 2 * N_RULES; i++)
		free(text[i]);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_comments_and_names),
		cmocka_unit_test(test_bad_line_named),
		cmocka_unit_test(test_repeats_replace),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_large_file),
	};

	return cmocka_run_group_tests_name("control_flowfile", tests, NULL, NULL);
}
