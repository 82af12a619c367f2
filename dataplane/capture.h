/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CAPTURE_H
#define VSW_CAPTURE_H

/*
 * Capture sessions on the main lcore (the PMD side is tap.h; the stream's
 * records are capwire.h; the request is PROTOCOL.md's capture-start).
 *
 * A session lives on the client's connection, which ctl.c hands over after
 * the capture-start line. Each pass of the control loop services every
 * session: it notices the client asking for the end (its writing side
 * shut, or anything sent) or gone (hang-up, reset, a failed write), moves
 * frames from the ring into an output buffer as far as the buffer allows,
 * and writes without ever blocking. A client that does not read lets the
 * buffer fill, then the ring, then the PMDs count drops: it slows nothing
 * else. Ending: the session is untapped (taps update, one grace period),
 * the ring is emptied into the stream, the end record follows, the
 * connection is closed; a client that stops reading meanwhile is cut off
 * after VSW_CAPTURE_LINGER_MS. A client that is gone is dropped at once, and
 * its frames freed.
 */

#include <poll.h>
#include <stdbool.h>

#include <jansson.h>

#include "dp.h"

#define VSW_CAPTURE_LINGER_MS 2000
#define VSW_CAPTURE_OUTBUF (1u << 20) /* bytes waiting for the client, per session */

/*
 * A capture-start request on client connection fd. 1: the capture runs and
 * the session owns fd (the reply was sent). 0: refused; *reply is the error
 * to send, fd stays the caller's.
 */
int vsw_capture_start(struct vsw_dp *dp, int fd, json_t *req, json_t **reply);

/* Some session runs: the control loop should come round every millisecond. */
bool vsw_capture_active(const struct vsw_dp *dp);
/* The sessions' fds to poll, at most VSW_MAX_CAPTURES entries. Their count. */
int vsw_capture_pollfds(const struct vsw_dp *dp, struct pollfd *pfd);
/* After poll (also after a timeout): pfd and n as vsw_capture_pollfds() gave them. */
void vsw_capture_service(struct vsw_dp *dp, const struct pollfd *pfd, int n);

/* `port` left the set: its captures end. Call before vsw_taps_update(dp, port). */
void vsw_capture_port_gone(struct vsw_dp *dp, const struct vsw_port *port);
/* Shutdown: end every session, telling clients when they can take it. */
void vsw_capture_stop_all(struct vsw_dp *dp);

#endif
