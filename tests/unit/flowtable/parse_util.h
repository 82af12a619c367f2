/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_TEST_PARSE_UTIL_H
#define VSW_TEST_PARSE_UTIL_H

/*
 * Shared by the parser tests: port names (vm1..vm4 are 1..4, uplink is 100),
 * parse-and-check helpers that fail the running cmocka test with the text
 * and the message, and the format -> parse round-trip check.
 */

#include <stdbool.h>

#include "flow.h"

extern const struct vsw_port_names NAMES;
const char *test_name_cb(void *ctx, uint32_t port);

/* Equal as rules: attributes, match and actions (ignores `given` and cookie_mask). */
bool spec_equal(const struct vsw_flow_spec *a, const struct vsw_flow_spec *b);

void parse_ok(const char *text, enum vsw_flow_parse_mode mode,
	      const struct vsw_port_names *names, struct vsw_flow_spec *spec);
void add_ok(const char *text, struct vsw_flow_spec *spec);
/* The error message of a failing parse must be exactly `msg`. */
void parse_err(const char *text, enum vsw_flow_parse_mode mode,
	       const struct vsw_port_names *names, const char *msg);
void add_err(const char *text, const char *msg);

/* format -> parse gives back an equal spec, and formatting again is stable. */
void check_round_trip(const struct vsw_flow_spec *spec, const struct vsw_port_names *names);
/* Parse, then check_round_trip with and without names. */
void round_trip_text(const char *text);
/* Parse `text`; its actions must print as exactly `want`, and round-trip. */
void actions_print(const char *text, const char *want);
/* Parse `text`; its match must print as exactly `want`, and round-trip. */
void match_print(const char *text, const char *want);

#endif
