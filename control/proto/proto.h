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
 * Sockets are created 0600 (root only) unless the caller passes a group mode.
 * Messages are limited to VSW_PROTO_MAX_MSG bytes; a longer line is an error
 * and the connection is closed.
 *
 * Errors: int returns 0 or -errno; functions returning json_t* return NULL and
 * fill `err`.
 */

#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#define VSW_PROTO_MAX_MSG (64u << 20)

/* Default locations; every program takes --run-dir to move them. */
#define VSW_DEFAULT_RUN_DIR "/run/vsw"
#define VSW_DATAPLANE_SOCK "dataplane.sock"
#define VSW_CONTROL_SOCK "control.sock"

/* Create a listening socket at `path` (replacing a stale one) with `mode`. fd or -errno. */
int vsw_proto_listen(const char *path, mode_t mode);
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
