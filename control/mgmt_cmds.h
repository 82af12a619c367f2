/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_MGMT_CMDS_H
#define VSW_CONTROL_MGMT_CMDS_H

/*
 * Inside the management module: the command tables and what handlers share.
 *
 * A handler gets the request (an object with a "cmd" string) and returns the
 * reply. Handlers of commands that change something follow the sequence of
 * control.h (validate, BEGIN, dataplane, COMMIT, model) and log the change
 * at info level; read-only ones change nothing, anywhere.
 */

#include <stdbool.h>

#include <jansson.h>

#include "control.h"

struct vsw_mgmt_cmd {
	const char *name;
	json_t *(*handler)(struct vsw_control *ctl, json_t *req);
	bool read_only;
};

/* Tables, each ended by a NULL name. */
extern const struct vsw_mgmt_cmd vsw_mgmt_port_cmds[];
extern const struct vsw_mgmt_cmd vsw_mgmt_flow_cmds[];

/*
 * Arguments. Each returns 0 and the value (NULL / the default when absent or
 * JSON null and not required), or -EINVAL with an error reply in *reply.
 */
int vsw_mgmt_arg_str(json_t *req, const char *key, bool required, const char **val,
		     json_t **reply);
int vsw_mgmt_arg_bool(json_t *req, const char *key, bool dflt, bool *val, json_t **reply);

/* A store failure: roll back, log, and the error reply. */
json_t *vsw_mgmt_store_failed(struct vsw_control *ctl, const char *what, int rc);

/* The ports as dump-ports shows them (all, or just `only`). NULL: `only` is unknown. */
json_t *vsw_mgmt_ports_json(struct vsw_control *ctl, const char *only);

#endif
