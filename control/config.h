/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_CONFIG_H
#define VSW_CONTROL_CONFIG_H

/*
 * The configuration in memory: ports, the port numbers of every name ever
 * used, and user flows; and the validation of each.
 *
 * The model mirrors the store (store.h) row for row and is changed only after
 * the store has the change. Nothing here does I/O: checks and constructors
 * take the current model and return 0 or -errno with one line in `err`
 * (e.g. "port 'vm1' already exists"); the mutators that follow a committed
 * change can only fail with -ENOMEM, and callers reserve room first
 * (vsw_config_reserve()) so that they cannot fail at all.
 *
 * Port numbers: every name gets a number 1..VSW_PORT_MAX the first time it
 * is added and keeps it forever; del-port removes the port, not the number,
 * so a flow that names a deleted port means the same port when it returns.
 *
 * Flows are kept as canonical text (vsw_flow_format() with numbers), which
 * is what the store holds and what the dataplane speaks, plus the parsed
 * parts that selection, rule identity and expiry need (struct
 * vsw_flow_rec: about 400 bytes a rule; the full struct vsw_flow_spec, 1.5
 * KB with its action array, is only built for the one flow at hand). Within
 * the model, at most one flow per rule identity (table, priority, match):
 * adding one with the same identity replaces it. An index by identity
 * (flowidx.h) keeps that check O(1), so bulk commands stay linear.
 *
 * Tables: each has a miss policy (drop, the default, or continue to the
 * next table). Which tables users may put rules in is decided in one place,
 * vsw_config_table_check(): today every table 0..254; the tenant issue will
 * reserve some there.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"
#include "flowidx.h"

#define VSW_PORT_NAME_MAX 15 /* characters, like IFNAMSIZ - 1 */
#define VSW_PORT_PATH_MAX 108 /* bytes with the NUL: sizeof(sun_path) */
#define VSW_PORT_TYPE_MAX 16
#define VSW_PORT_MODE_MAX 8
#define VSW_FLOW_TEXT_MAX 1024 /* canonical flow text, with the NUL */

struct vsw_port_cfg {
	char name[VSW_PORT_NAME_MAX + 1];
	uint32_t port_no;
	char type[VSW_PORT_TYPE_MAX]; /* "vhost-user" */
	char mode[VSW_PORT_MODE_MAX]; /* "server" or "client" */
	char path[VSW_PORT_PATH_MAX];
};

struct vsw_port_number {
	char name[VSW_PORT_NAME_MAX + 1];
	uint32_t port_no;
};

/* One flow being added: the whole parsed spec and its canonical text. */
struct vsw_flow_cfg {
	int64_t id; /* the store's row */
	int64_t installed_ms; /* wall clock (ms since the epoch) when installed */
	struct vsw_flow_spec spec; /* numeric ports */
	char text[VSW_FLOW_TEXT_MAX]; /* canonical: vsw_flow_format(spec, NULL) */
};

/* One flow as the model keeps it. */
struct vsw_flow_rec {
	int64_t id; /* the store's row */
	int64_t installed_ms; /* wall clock when installed: hard_timeout counts from here */
	uint64_t cookie;
	uint16_t priority;
	uint16_t idle_timeout, hard_timeout; /* seconds, 0 = none */
	uint8_t table;
	struct vsw_match match;
	char *text; /* canonical, numeric ports; malloc()ed, owned by whoever holds the record */
};

enum vsw_table_miss {
	VSW_MISS_DROP, /* the default: drop and count */
	VSW_MISS_CONTINUE, /* go on to the next table */
};

struct vsw_mirror_cfg; /* mirror.h */

struct vsw_config {
	struct vsw_port_cfg *ports;
	size_t n_ports, cap_ports;
	struct vsw_port_number *numbers; /* every name ever numbered */
	size_t n_numbers, cap_numbers;
	struct vsw_flow_rec *flows;
	size_t n_flows, cap_flows;
	struct vsw_flowidx index; /* identity -> position in flows */
	size_t n_timed; /* flows with an idle or hard timeout */
	size_t n_idle; /* of those, flows with an idle timeout */
	uint8_t miss[VSW_FT_N_TABLES]; /* enum vsw_table_miss */
	struct vsw_mirror_cfg *mirrors; /* mirror.h */
	size_t n_mirrors, cap_mirrors;
};

void vsw_config_init(struct vsw_config *cfg);
void vsw_config_free(struct vsw_config *cfg);

/* Room for one more port, number and flow. 0 or -ENOMEM. */
int vsw_config_reserve(struct vsw_config *cfg);
/* Room for `n` more flows. 0 or -ENOMEM. */
int vsw_config_reserve_flows(struct vsw_config *cfg, size_t n);

/* ---- ports ---- */

/* A name the user may give a port (see vsw_port_name_check() in config.c). */
int vsw_port_name_check(const char *name, char *err, size_t errlen);

/*
 * Build and validate a new port from add-port's arguments: `mode` NULL means
 * "server", `path` NULL means RUN_DIR/NAME.sock (server mode only). Assigns
 * the name's number (kept from before, or the lowest never used). `cfg` is
 * not changed.
 */
int vsw_config_new_port(const struct vsw_config *cfg, const char *run_dir, const char *name,
			const char *type, const char *mode, const char *path,
			struct vsw_port_cfg *port, char *err, size_t errlen);

/* Same port in every attribute the dataplane is told about. */
bool vsw_port_cfg_equal(const struct vsw_port_cfg *a, const struct vsw_port_cfg *b);

struct vsw_port_cfg *vsw_config_find_port(const struct vsw_config *cfg, const char *name);

/* Add a port built by vsw_config_new_port(); records its number. 0 or -ENOMEM. */
int vsw_config_add_port(struct vsw_config *cfg, const struct vsw_port_cfg *port);
/* 0 or -ENOENT. Keeps the number. */
int vsw_config_del_port(struct vsw_config *cfg, const char *name);

/*
 * The tenant a port belongs to, or NULL when it has none (or no such port).
 * The tenant model supplies it; until then no port has a tenant.
 */
const char *vsw_config_port_tenant(const struct vsw_config *cfg, const char *port);

/* The number a name has had, or 0. */
uint32_t vsw_config_number_of(const struct vsw_config *cfg, const char *name);
/* The name a number was given, or NULL. */
const char *vsw_config_name_of(const struct vsw_config *cfg, uint32_t port_no);

/* ---- loading (store.c): the same checks, naming what is wrong ---- */

int vsw_config_load_number(struct vsw_config *cfg, const char *name, int64_t port_no,
			   char *err, size_t errlen);
/* `port->port_no` must already be the name's number. */
int vsw_config_load_port(struct vsw_config *cfg, const struct vsw_port_cfg *port,
			 char *err, size_t errlen);
int vsw_config_load_flow(struct vsw_config *cfg, int64_t id, const char *text,
			 int64_t installed_ms, char *err, size_t errlen);
int vsw_config_load_miss(struct vsw_config *cfg, int64_t table, const char *miss,
			 char *err, size_t errlen);

/* ---- flows ---- */

enum vsw_config_names {
	VSW_NAMES_CURRENT, /* resolve names of existing ports only (add-flow) */
	VSW_NAMES_EVER, /* resolve every name ever numbered (filters) */
};

/*
 * The name mapping for vsw_flow_parse()/vsw_flow_format(). Printing always
 * uses every name ever numbered. `cfg` must outlive `names`.
 */
void vsw_config_names(const struct vsw_config *cfg, enum vsw_config_names which,
		      struct vsw_port_names *names);

/*
 * add-flow text -> spec (numeric) and canonical text, checked against the
 * tables users may use (vsw_config_user_flow_check()). err: the parser's
 * line. flow->id and flow->installed_ms are left 0.
 */
int vsw_config_parse_flow(const struct vsw_config *cfg, const char *text,
			  struct vsw_flow_cfg *flow, char *err, size_t errlen);
/* del-flows/dump-flows filter ("" or NULL: everything). */
int vsw_config_parse_filter(const struct vsw_config *cfg, const char *text,
			    struct vsw_flow_spec *filter, char *err, size_t errlen);

/*
 * The one place that says which tables a user rule may be in or send
 * packets to (table=, goto_table, resubmit). Every table 0..254 for now.
 */
int vsw_config_table_check(unsigned table, char *err, size_t errlen);
int vsw_config_user_flow_check(const struct vsw_flow_spec *spec, char *err, size_t errlen);

/* "drop"/"continue" <-> enum vsw_table_miss. Parse: 0 or -EINVAL. */
int vsw_table_miss_parse(const char *s, enum vsw_table_miss *miss);
const char *vsw_table_miss_name(enum vsw_table_miss miss);

/* ---- records ---- */

/* A record for `flow` (text copied). 0 or -ENOMEM. */
int vsw_flow_rec_from(const struct vsw_flow_cfg *flow, struct vsw_flow_rec *rec);
void vsw_flow_rec_free(struct vsw_flow_rec *rec); /* the text; NULL-safe */
/*
 * The spec of a record for selection, identity and strict filters: all but
 * the actions, which are left empty (the text has them).
 */
void vsw_flow_rec_spec(const struct vsw_flow_rec *rec, struct vsw_flow_spec *spec);
/* vsw_flow_spec_selects() for a record. */
bool vsw_flow_rec_selected(const struct vsw_flow_spec *filter, const struct vsw_flow_rec *rec,
			   bool strict);
/* Same table, priority and match. */
bool vsw_flow_rec_same_rule(const struct vsw_flow_rec *a, const struct vsw_flow_rec *b);

/* ---- the model's flows ---- */

/* Index of the flow with the same rule identity as `spec`, or -1. */
long vsw_config_find_rule(const struct vsw_config *cfg, const struct vsw_flow_spec *spec);
long vsw_config_find_rec(const struct vsw_config *cfg, const struct vsw_flow_rec *rec);

/* Add a flow (text copied), replacing one with the same identity. 0 or -ENOMEM. */
int vsw_config_put_flow(struct vsw_config *cfg, const struct vsw_flow_cfg *flow);
/*
 * Add a record, replacing one with the same identity in place; the model
 * takes the record's text (rec->text becomes NULL). Cannot fail after
 * vsw_config_reserve_flows(); otherwise 0 or -ENOMEM (the record is then
 * still the caller's).
 */
int vsw_config_put_rec(struct vsw_config *cfg, struct vsw_flow_rec *rec);
/* Replace flow i's text (and cookie) with `text`, which the model takes. */
void vsw_config_set_text(struct vsw_config *cfg, size_t i, char *text, uint64_t cookie);
/* Remove flow i for every i with gone[i] (an array of n_flows). */
void vsw_config_del_flows(struct vsw_config *cfg, const bool *gone);

/*
 * The text of a strict filter selecting exactly the rule `spec`
 * ("table=T,priority=P,MATCH" with numeric ports), for the dataplane's
 * flow-del. Length or -ENOSPC.
 */
int vsw_config_strict_filter(const struct vsw_flow_spec *spec, char *buf, size_t len);
int vsw_flow_rec_strict_filter(const struct vsw_flow_rec *rec, char *buf, size_t len);

#endif
