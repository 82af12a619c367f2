/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_MGMT_H
#define VSW_CONTROL_MGMT_H

/*
 * The management socket, RUN_DIR/control.sock (0600, or 0660 with group
 * vsw), where vswctl sends the commands of PROTOCOL.md ("vsw-control"
 * section).
 *
 * Clients are non-blocking, each with its own line reader; the main loop
 * polls the fds this module lists (vsw_mgmt_pollfds()) and hands the results
 * back (vsw_mgmt_process()). A request is dispatched through the command
 * tables (mgmt_cmds.h); the reply goes out before the next
 * request of that client is read. A malformed request (not a JSON object,
 * no "cmd", an argument of the wrong type, an unknown command) gets an error
 * reply and the connection stays; only an over-long line or a failing socket
 * closes it.
 */

#include <poll.h>
#include <stddef.h>

#include <jansson.h>

#include "control.h"

#define VSW_MGMT_MAX_CLIENTS 64

/*
 * Listen on `path`: mode 0660 and group `group` when that group exists, else
 * 0600 (proto.h). NULL with errno set.
 */
struct vsw_mgmt *vsw_mgmt_create(const char *path, const char *group,
				  const struct vsw_log *log);

/* Every log module of ctl at `level` (mgmt_ops.c: the modules log-level knows). */
void vsw_mgmt_logs_init(struct vsw_control *ctl, enum vsw_log_level level);
/* Close every client and the listener, remove the socket file. */
void vsw_mgmt_destroy(struct vsw_mgmt *m);

/* Fill up to `max` pollfds (listener and clients); returns how many. */
size_t vsw_mgmt_pollfds(struct vsw_mgmt *m, struct pollfd *pfd, size_t max);
/* Handle what poll() reported on the fds vsw_mgmt_pollfds() gave. */
void vsw_mgmt_process(struct vsw_mgmt *m, struct vsw_control *ctl, const struct pollfd *pfd,
		      size_t n);

/* One request -> its reply (never NULL unless out of memory). */
json_t *vsw_mgmt_dispatch(struct vsw_control *ctl, json_t *req);

#endif
