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
int vsw_dpconn_port_del(struct vsw_dpconn *dp, const char *name, char *err, size_t errlen);
int vsw_dpconn_flow_add(struct vsw_dpconn *dp, const char *flow, char *err, size_t errlen);
int vsw_dpconn_flow_del(struct vsw_dpconn *dp, const char *filter, bool strict,
			long long *deleted, char *err, size_t errlen);
/* *ports / *flows: the reply's array (a new reference; caller decrefs). */
int vsw_dpconn_port_list(struct vsw_dpconn *dp, json_t **ports, char *err, size_t errlen);
int vsw_dpconn_flow_list(struct vsw_dpconn *dp, json_t **flows, char *err, size_t errlen);

/* port-list entry -> port. 0 or -EINVAL (a field missing or too long). */
int vsw_dpconn_port_from_json(const json_t *entry, struct vsw_port_cfg *port);

#endif
