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
 * Flows are kept parsed (numeric ports) and as canonical text
 * (vsw_flow_format() with numbers), which is what the store holds and what
 * the dataplane speaks. Within the model, at most one flow per rule identity
 * (table, priority, match): adding one with the same identity replaces it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"

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

struct vsw_flow_cfg {
	int64_t id; /* the store's row */
	struct vsw_flow_spec spec; /* numeric ports */
	char text[VSW_FLOW_TEXT_MAX]; /* canonical: vsw_flow_format(spec, NULL) */
};

struct vsw_config {
	struct vsw_port_cfg *ports;
	size_t n_ports, cap_ports;
	struct vsw_port_number *numbers; /* every name ever numbered */
	size_t n_numbers, cap_numbers;
	struct vsw_flow_cfg *flows;
	size_t n_flows, cap_flows;
};

void vsw_config_init(struct vsw_config *cfg);
void vsw_config_free(struct vsw_config *cfg);

/* Room for one more port, number and flow. 0 or -ENOMEM. */
int vsw_config_reserve(struct vsw_config *cfg);

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

/* add-flow text -> spec (numeric) and canonical text. err: the parser's line. */
int vsw_config_parse_flow(const struct vsw_config *cfg, const char *text,
			  struct vsw_flow_cfg *flow, char *err, size_t errlen);
/* del-flows/dump-flows filter ("" or NULL: everything). */
int vsw_config_parse_filter(const struct vsw_config *cfg, const char *text,
			    struct vsw_flow_spec *filter, char *err, size_t errlen);

/* Index of the flow with the same rule identity as `spec`, or -1. */
long vsw_config_find_rule(const struct vsw_config *cfg, const struct vsw_flow_spec *spec);

/* Add a flow, replacing one with the same identity. 0 or -ENOMEM. */
int vsw_config_put_flow(struct vsw_config *cfg, const struct vsw_flow_cfg *flow);
/* Remove flow i for every i with gone[i] (an array of n_flows). */
void vsw_config_del_flows(struct vsw_config *cfg, const bool *gone);

/*
 * The text of a strict filter selecting exactly the rule `spec`
 * ("table=T,priority=P,MATCH" with numeric ports), for the dataplane's
 * flow-del. Length or -ENOSPC.
 */
int vsw_config_strict_filter(const struct vsw_flow_spec *spec, char *buf, size_t len);

#endif
