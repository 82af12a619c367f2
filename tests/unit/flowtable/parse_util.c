/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers of the parser tests: see parse_util.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "parse_util.h"

static const char *const vm_names[] = { NULL, "vm1", "vm2", "vm3", "vm4" };

static int resolve_cb(void *ctx, const char *name, uint32_t *port)
{
	(void)ctx;
	for (uint32_t i = 1; i <= 4; i++) {
		if (strcmp(name, vm_names[i]) == 0) {
			*port = i;
			return 0;
		}
	}
	if (strcmp(name, "uplink") == 0) {
		*port = 100;
		return 0;
	}
	return -ENOENT;
}

const char *test_name_cb(void *ctx, uint32_t port)
{
	(void)ctx;
	if (port >= 1 && port <= 4)
		return vm_names[port];
	return port == 100 ? "uplink" : NULL;
}

const struct vsw_port_names NAMES = { resolve_cb, test_name_cb, NULL };

bool spec_equal(const struct vsw_flow_spec *a, const struct vsw_flow_spec *b)
{
	return a->table == b->table && a->priority == b->priority && a->cookie == b->cookie &&
	       a->idle_timeout == b->idle_timeout && a->hard_timeout == b->hard_timeout &&
	       memcmp(&a->match, &b->match, sizeof(a->match)) == 0 &&
	       a->actions.n == b->actions.n &&
	       memcmp(a->actions.a, b->actions.a, a->actions.n * sizeof(a->actions.a[0])) == 0;
}

void parse_ok(const char *text, enum vsw_flow_parse_mode mode,
	      const struct vsw_port_names *names, struct vsw_flow_spec *spec)
{
	char err[256] = "not cleared";
	int rc = vsw_flow_parse(text, mode, names, spec, err, sizeof(err));

	if (rc)
		fail_msg("'%s' failed: %s", text, err);
	assert_string_equal(err, "");
}

void add_ok(const char *text, struct vsw_flow_spec *spec)
{
	parse_ok(text, VSW_PARSE_ADD, &NAMES, spec);
}

void parse_err(const char *text, enum vsw_flow_parse_mode mode,
	       const struct vsw_port_names *names, const char *msg)
{
	struct vsw_flow_spec spec;
	char err[256];

	memset(err, 'x', sizeof(err));
	if (vsw_flow_parse(text, mode, names, &spec, err, sizeof(err)) != -EINVAL)
		fail_msg("'%s' parsed, want error '%s'", text, msg);
	assert_non_null(memchr(err, '\0', sizeof(err)));
	if (strcmp(err, msg) != 0)
		fail_msg("'%s': got '%s', want '%s'", text, err, msg);
}

void add_err(const char *text, const char *msg)
{
	parse_err(text, VSW_PARSE_ADD, &NAMES, msg);
}

void check_round_trip(const struct vsw_flow_spec *spec, const struct vsw_port_names *names)
{
	char text[2048], again[2048];
	struct vsw_flow_spec back;
	int n;

	n = vsw_flow_format(spec, names, text, sizeof(text));
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(text));
	parse_ok(text, VSW_PARSE_ADD, names, &back);
	if (!spec_equal(spec, &back))
		fail_msg("'%s' did not parse back to an equal spec", text);
	assert_int_equal(vsw_flow_format(&back, names, again, sizeof(again)), n);
	assert_string_equal(text, again);
}

void round_trip_text(const char *text)
{
	struct vsw_flow_spec spec;

	add_ok(text, &spec);
	check_round_trip(&spec, &NAMES);
	check_round_trip(&spec, NULL); /* numbers only */
}

void actions_print(const char *text, const char *want)
{
	struct vsw_flow_spec spec;
	char buf[2048];

	add_ok(text, &spec);
	assert_true(vsw_flow_format_actions(&spec.actions, &NAMES, buf, sizeof(buf)) >= 0);
	if (strcmp(buf, want) != 0)
		fail_msg("'%s' prints actions '%s', want '%s'", text, buf, want);
	check_round_trip(&spec, &NAMES);
	check_round_trip(&spec, NULL);
}

void match_print(const char *text, const char *want)
{
	struct vsw_flow_spec spec;
	char buf[2048];

	add_ok(text, &spec);
	assert_true(vsw_flow_format_match(&spec.match, spec.priority, &NAMES, buf, sizeof(buf)) >=
		    0);
	if (strcmp(buf, want) != 0)
		fail_msg("'%s' prints match '%s', want '%s'", text, buf, want);
	check_round_trip(&spec, &NAMES);
	check_round_trip(&spec, NULL);
}
