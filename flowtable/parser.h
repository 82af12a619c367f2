/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_FT_PARSER_H
#define VSW_FT_PARSER_H

/*
 * Internal to flowtable/: the parser state and the helpers that the match
 * parser (parse.c) and the action parser (parse_actions.c) share.
 */

#include "fields.h"
#include "flow.h"
#include "text.h"

struct vsw_parser {
	enum vsw_flow_parse_mode mode;
	const struct vsw_port_names *names;
	struct vsw_flow_spec *spec;
	char *err;
	size_t errlen;
};

/* Fill the caller's error buffer; returns -EINVAL. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int vsw_parse_fail(struct vsw_parser *ps, const char *fmt, ...);

/* A number in 0..max: "WHAT: 'x' is not a number" / "out of range 0..max". */
int vsw_parse_num(struct vsw_parser *ps, const char *what, struct vsw_tok t, uint64_t max,
		  uint64_t *v);

/* A port name through names->resolve(): 0, or -ENOENT. No message. */
int vsw_parse_resolve(struct vsw_parser *ps, struct vsw_tok t, uint32_t *port);

/*
 * A port: a number 1..VSW_PORT_MAX or a name. With `reserved` (actions),
 * in_port, flood and normal (any case) give VSW_PORT_IN_PORT,
 * VSW_PORT_FLOOD and VSW_PORT_NORMAL_ (a parser-only value).
 */
#define VSW_PORT_NORMAL_ 0xfffau
int vsw_parse_port(struct vsw_parser *ps, const char *what, struct vsw_tok t, bool reserved,
		   uint32_t *port);

/*
 * A value for field `f` in its format, with "/mask" when `maskable`, into
 * `value`/`mask` in the key member's representation (see fields.h).
 * `what` names the field or action in messages.
 */
int vsw_parse_value(struct vsw_parser *ps, const char *what, const struct vsw_field_name *f,
		    struct vsw_tok t, bool maskable, uint8_t value[16], uint8_t mask[16]);

/* "WHAT: field requires ..." unless the match satisfies `p`. */
int vsw_parse_prereq(struct vsw_parser *ps, const char *what, const char *kind,
		     enum vsw_prereq p);

/* The action list after "actions=" (parse_actions.c). */
int vsw_parse_actions(struct vsw_parser *ps, const char *s);

#endif
