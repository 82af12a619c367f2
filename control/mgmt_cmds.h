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
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "control.h"

struct vsw_mgmt_cmd {
	const char *name;
	json_t *(*handler)(struct vsw_control *ctl, json_t *req);
	bool read_only;
};

/* Tables, each ended by a NULL name. */
extern const struct vsw_mgmt_cmd vsw_mgmt_port_cmds[]; /* mgmt_port.c */
extern const struct vsw_mgmt_cmd vsw_mgmt_flow_cmds[]; /* mgmt_flow.c */
extern const struct vsw_mgmt_cmd vsw_mgmt_flowfile_cmds[]; /* mgmt_flowfile.c */
extern const struct vsw_mgmt_cmd vsw_mgmt_table_cmds[]; /* mgmt_table.c */
extern const struct vsw_mgmt_cmd vsw_mgmt_perf_cmds[]; /* mgmt_perf.c */
extern const struct vsw_mgmt_cmd vsw_mgmt_ops_cmds[]; /* mgmt_ops.c */
extern const struct vsw_mgmt_cmd vsw_mgmt_tenant_cmds[]; /* mgmt_tenant.c */
extern const struct vsw_mgmt_cmd vsw_mgmt_tenant_show_cmds[]; /* mgmt_tenant_show.c */
extern const struct vsw_mgmt_cmd vsw_mgmt_mirror_cmds[]; /* mgmt_mirror.c */

/*
 * Arguments. Each returns 0 and the value (NULL / the default when absent or
 * JSON null and not required), or -EINVAL with an error reply in *reply.
 */
int vsw_mgmt_arg_str(json_t *req, const char *key, bool required, const char **val,
		     json_t **reply);
int vsw_mgmt_arg_bool(json_t *req, const char *key, bool dflt, bool *val, json_t **reply);
/* A required integer in 0..max. */
int vsw_mgmt_arg_uint(json_t *req, const char *key, unsigned max, unsigned *val,
		      json_t **reply);
/* A required array of strings: *lines points into req (caller frees the array). */
int vsw_mgmt_arg_lines(json_t *req, const char *key, const char ***lines, size_t *n,
		       json_t **reply);

/* A store failure: roll back, log, and the error reply. */
json_t *vsw_mgmt_store_failed(struct vsw_control *ctl, const char *what, int rc);

/*
 * Inside a change (store transaction open): send `ops` as one flow-batch.
 * NULL when the dataplane applied it (*dp_rc 0) or is not connected
 * (*dp_rc -ENOTCONN: it gets the change at the next reconcile); otherwise
 * the transaction is rolled back and the error reply returned.
 */
json_t *vsw_mgmt_batch(struct vsw_control *ctl, json_t *ops, int *dp_rc);
/*
 * COMMIT. NULL, or the error reply; when the dataplane already has the
 * change (dp_rc 0), it is marked for a resync, which takes it back.
 */
json_t *vsw_mgmt_commit(struct vsw_control *ctl, const char *what, int dp_rc);
/* For the log line of a change: where it went. */
const char *vsw_mgmt_dp_note(int dp_rc);
/* Wall clock, ms since the epoch: rules' install time. */
int64_t vsw_mgmt_wall_ms(void);

/* A tenant as list-tenants shows it; a port's attachment within it (mgmt_tenant.c). */
json_t *vsw_mgmt_tenant_json(const struct vsw_config *cfg, const struct vsw_tenant_cfg *t);
json_t *vsw_mgmt_attachment_json(const struct vsw_port_cfg *p);

/* The ports as dump-ports shows them (all, or just `only`). NULL: `only` is unknown. */
json_t *vsw_mgmt_ports_json(struct vsw_control *ctl, const char *only);

#endif
