/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_PROTO_H
#define VSW_PROTO_H

/*
 * DOC: the vsw wire protocol
 *
 * All three programs talk JSON over Unix stream sockets, one JSON object per
 * line (no newline inside an object: jansson's compact encoding never emits
 * one). A request is {"cmd": "NAME", ...arguments}; the reply is
 * {"ok": true, ...results} or {"ok": false, "error": "one line"}. A
 * connection carries any number of request/reply pairs, strictly in turn.
 *
 *   vswctl ──► control.sock   (vsw-control; commands in PROTOCOL.md)
 *   vsw-control ──► dataplane.sock  (vsw-dataplane; commands in PROTOCOL.md)
 *
 * Sockets are created 0600 (root only) unless the caller passes a group mode;
 * the daemons' sockets are 0660 with group "vsw" when that group exists
 * (vsw_proto_listen_group(), ops.c), so that its members may run vswctl.
 * Messages are limited to VSW_PROTO_MAX_MSG bytes; a longer line is an error
 * and the connection is closed.
 *
 * Errors: int returns 0 or -errno; functions returning json_t* return NULL and
 * fill `err`.
 */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#define VSW_PROTO_MAX_MSG (64u << 20)

/* Default locations; every program takes --run-dir to move them. */
#define VSW_DEFAULT_RUN_DIR "/run/vsw"
#define VSW_DATAPLANE_SOCK "dataplane.sock"
#define VSW_CONTROL_SOCK "control.sock"
/* The group whose members may use the daemons' sockets, when it exists. */
#define VSW_DEFAULT_GROUP "vsw"

/* Create a listening socket at `path` (replacing a stale one) with `mode`. fd or -errno. */
int vsw_proto_listen(const char *path, mode_t mode);
/*
 * A daemon's socket: vsw_proto_listen() with 0600, then group `group` and
 * mode 0660 when that group exists and the file may be given to it. *shared
 * (may be NULL) says whether it was. fd or -errno (the group is not an error).
 */
int vsw_proto_listen_group(const char *path, const char *group, bool *shared);
/*
 * Tell systemd (Type=notify) that the daemon serves its socket: "READY=1" to
 * $NOTIFY_SOCKET. 0 (also when not under systemd) or -errno.
 */
int vsw_proto_notify_ready(void);

/*
 * Log levels as the log-level commands name them (PROTOCOL.md), most severe
 * first. Each daemon maps them to its own levels.
 */
enum vsw_proto_log_level {
	VSW_PROTO_LOG_ERROR,
	VSW_PROTO_LOG_WARNING,
	VSW_PROTO_LOG_INFO,
	VSW_PROTO_LOG_DEBUG,
	VSW_PROTO_LOG_N
};
#define VSW_PROTO_LOG_LEVELS "error, warning, info or debug" /* for messages */
/* "error", "warning", "info", "debug" -> the level, or -EINVAL. */
int vsw_proto_log_level_parse(const char *s);
/* The level's name, NULL when out of range. */
const char *vsw_proto_log_level_name(int level);

/* Connect to `path`. fd or -errno (-ENOENT/-ECONNREFUSED: nobody listening). */
int vsw_proto_connect(const char *path);

/* Write one message (blocking, whole line). 0 or -errno. */
int vsw_proto_send(int fd, const json_t *msg);

/*
 * A line reader for a (possibly non-blocking) socket. vsw_proto_read() reads
 * what is available and returns:
 *   1 and *msg set: one complete message (caller json_decref()s it);
 *   0: need more data (EAGAIN on a non-blocking socket);
 *   -EPIPE: peer closed; -EPROTO: bad JSON or over-long line; other -errno.
 * Call it again after 1 (more messages may already be buffered).
 */
struct vsw_proto_reader {
	char *buf;
	size_t len, cap;
};
void vsw_proto_reader_init(struct vsw_proto_reader *r);
void vsw_proto_reader_free(struct vsw_proto_reader *r);
int vsw_proto_read(int fd, struct vsw_proto_reader *r, json_t **msg);

/*
 * One request/reply on a blocking connection, waiting at most timeout_ms.
 * Returns the reply (ok true or false), or NULL with err filled when the
 * connection failed or timed out (the caller should then close it).
 */
json_t *vsw_proto_call(int fd, struct vsw_proto_reader *r, json_t *req, int timeout_ms,
		       char *err, size_t errlen);

/* Reply builders. vsw_proto_error() is printf-like. */
json_t *vsw_proto_ok(void);
json_t *vsw_proto_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Join run_dir and name into buf. 0 or -ENAMETOOLONG. */
int vsw_proto_path(char *buf, size_t len, const char *run_dir, const char *name);

#endif
