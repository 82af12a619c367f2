/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_DPCONN_H
#define VSW_CONTROL_DPCONN_H

/*
 * The one connection to vsw-dataplane (RUN_DIR/dataplane.sock).
 *
 * Calls are synchronous (vsw_proto_call() with a timeout of a few seconds)
 * and return one of three outcomes, which is what every caller decides on:
 *   0            the dataplane did it (a reply with "ok": true);
 *   -EREMOTEIO   the dataplane refused; `err` holds its error line;
 *   -ENOTCONN    there is no connection, or it was lost during the call
 *                (closed, reset, malformed reply, timeout). The connection is
 *                then closed: a late reply must never be read as the answer
 *                to the next request.
 * While disconnected, vsw_dpconn_due() turns true every
 * VSW_DPCONN_RETRY_MS; the caller then tries vsw_dpconn_connect(), which
 * also says `hello` and notices a new boot_id (a restarted dataplane).
 *
 * Between calls the dataplane never speaks; the caller polls the fd and
 * calls vsw_dpconn_input() when it is readable, which is how a closing
 * dataplane is noticed right away.
 *
 * Batches: flow-batch applies a list of ops in one call, published at once
 * by the dataplane. The list is built with vsw_dpconn_op_*() and sent with
 * vsw_dpconn_flow_batch(), which waits longer the more ops there are
 * (VSW_DPCONN_TIMEOUT_MS plus VSW_DPCONN_MS_PER_KOP per thousand) and splits
 * a list too large for one message (VSW_DPCONN_BATCH_BYTES) into several
 * calls: each call is then atomic, the whole is not.
 *
 * Also here: the dataplane's JSON port form <-> struct vsw_port_cfg.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "config.h"
#include "log.h"
#include "proto.h"

#define VSW_DPCONN_RETRY_MS 200
#define VSW_DPCONN_TIMEOUT_MS 5000
#define VSW_DPCONN_MS_PER_KOP 100 /* more reply time per 1000 ops of a batch */
#define VSW_DPCONN_BATCH_BYTES (VSW_PROTO_MAX_MSG / 2)

struct vsw_dpconn {
	char path[VSW_PORT_PATH_MAX];
	int fd; /* -1 while disconnected */
	struct vsw_proto_reader rd;
	int timeout_ms;
	long long next_try_ms; /* monotonic */
	bool unreachable_logged; /* said once that connecting fails */
	bool need_sync; /* dataplane may differ from the configuration */
	long pid; /* from hello */
	char boot_id[64]; /* from the last hello; "" before the first */
	const struct vsw_log *log;
};

/* 0 or -ENAMETOOLONG. Does not connect. */
int vsw_dpconn_init(struct vsw_dpconn *dp, const char *run_dir, const struct vsw_log *log);
/* Disconnect (if connected) and free. */
void vsw_dpconn_fini(struct vsw_dpconn *dp);

static inline bool vsw_dpconn_connected(const struct vsw_dpconn *dp)
{
	return dp->fd >= 0;
}

/* Time to try connecting again? */
bool vsw_dpconn_due(const struct vsw_dpconn *dp);
/* poll() timeout until the next try: -1 while connected. */
int vsw_dpconn_poll_timeout(const struct vsw_dpconn *dp);

/* Connect and say hello. 0, or -errno (logged; the next try is scheduled). */
int vsw_dpconn_connect(struct vsw_dpconn *dp);
/* Drop the connection (logged with `why`) and schedule a reconnect. */
void vsw_dpconn_close(struct vsw_dpconn *dp, const char *why);
/* The fd was readable between calls. */
void vsw_dpconn_input(struct vsw_dpconn *dp);

/* One call; `req` is consumed. On 0, *reply is the reply (caller decrefs). */
int vsw_dpconn_call(struct vsw_dpconn *dp, json_t *req, json_t **reply, char *err,
		    size_t errlen);

/* The dataplane commands of PROTOCOL.md. */
int vsw_dpconn_port_add(struct vsw_dpconn *dp, const struct vsw_port_cfg *port, char *err,
			size_t errlen);
/* The same, starting its pipeline at `table` (tenant ports: 250). */
int vsw_dpconn_port_add_at(struct vsw_dpconn *dp, const struct vsw_port_cfg *port,
			   unsigned table, char *err, size_t errlen);
int vsw_dpconn_port_del(struct vsw_dpconn *dp, const char *name, char *err, size_t errlen);
int vsw_dpconn_flow_add(struct vsw_dpconn *dp, const char *flow, char *err, size_t errlen);
int vsw_dpconn_flow_del(struct vsw_dpconn *dp, const char *filter, bool strict,
			long long *deleted, char *err, size_t errlen);
/* *ports / *flows / *tables: the reply's array (a new reference; caller decrefs). */
int vsw_dpconn_port_list(struct vsw_dpconn *dp, json_t **ports, char *err, size_t errlen);
int vsw_dpconn_flow_list(struct vsw_dpconn *dp, json_t **flows, char *err, size_t errlen);
int vsw_dpconn_table_list(struct vsw_dpconn *dp, json_t **tables, char *err, size_t errlen);
int vsw_dpconn_table_mod(struct vsw_dpconn *dp, unsigned table, const char *miss, char *err,
			 size_t errlen);

/* flow-list, indexed by canonical text (the dataplane's rules with their counters). */
struct vsw_dpconn_stats {
	json_t *flows; /* the reply's array: owns the strings */
	struct vsw_dpconn_stat {
		const char *text;
		json_t *entry; /* {flow, n_packets, n_bytes, duration_ms, idle_ms} */
	} *v; /* sorted by text */
	size_t n;
};
/* 0 or -errno as vsw_dpconn_call() (-ENOMEM too). */
int vsw_dpconn_stats(struct vsw_dpconn *dp, struct vsw_dpconn_stats *st, char *err,
		     size_t errlen);
/* The entry of the rule with this canonical text, or NULL. */
json_t *vsw_dpconn_stats_find(const struct vsw_dpconn_stats *st, const char *text);
void vsw_dpconn_stats_free(struct vsw_dpconn_stats *st);

/* Append one op to a flow-batch list. 0 or -ENOMEM (-ENOSPC: a rule too long to name). */
int vsw_dpconn_op_add(json_t *ops, const char *flow);
int vsw_dpconn_op_mod(json_t *ops, const char *flow);
int vsw_dpconn_op_del(json_t *ops, const char *filter, bool strict);
int vsw_dpconn_op_del_rule(json_t *ops, const struct vsw_flow_rec *rec); /* strict */

/*
 * Send a flow-batch list (not consumed; nothing is sent for an empty one).
 * *deleted (may be NULL): the replies' sum. *applied (may be NULL): how
 * many ops the dataplane applied, which is less than all only when a split
 * list failed part way.
 */
int vsw_dpconn_flow_batch(struct vsw_dpconn *dp, json_t *ops, long long *deleted,
			  size_t *applied, char *err, size_t errlen);

/* port-list entry -> port. 0 or -EINVAL (a field missing or too long). */
int vsw_dpconn_port_from_json(const json_t *entry, struct vsw_port_cfg *port);

#endif
