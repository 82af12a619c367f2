/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_TAP_H
#define VSW_TAP_H

/*
 * DOC: taps — packet capture and port mirroring on the packet path
 *
 * A tap wants the frames of a port: a capture (vswctl capture; capture.c
 * streams it to the client) or a mirror (mirror-set; copies go to another
 * port). Directions follow the port layer:
 *   in   frames received from the port's peer, right after the rx burst and
 *        before the pipeline: what the guest sent, also when it is dropped;
 *   out  frames the port's peer accepted, right after the tx burst: what the
 *        guest got (frames the peer refused are counted as drops, not seen).
 *
 * The cost when nothing is tapped: each port has one published pointer,
 * `port->taps`, NULL unless a capture or mirror uses the port. A PMD loads
 * it once per rx burst and once per tx burst; one predictable branch.
 *
 * Captures. For each frame the PMD takes a reference (no copy) and enqueues
 * {mbuf, TSC, direction} into the capture's ring, a multi-producer ring
 * because the rx and tx of one port may run on different PMDs. A full ring
 * gives the reference back and counts a capture drop: a PMD never waits for
 * a client. The main lcore empties the ring into the client's connection
 * (capture.c), so a slow reader costs drops in its own capture only. While a
 * capture holds a reference to a received frame, an edit by the pipeline
 * copies it first (copy on write, pmd.h): the capture sees the frame as it
 * arrived.
 *
 * Mirrors. The PMD passes the frames by reference (one refcount each, held
 * for the call) to the destination port's tx at once, under its tx lock,
 * and counts what the destination took and refused on the mirror. The
 * originals go on through the pipeline as if nothing happened. Mirrored
 * copies are seen by captures of the destination port but never mirrored
 * again, so mirrors cannot loop.
 *
 * Publication, as every snapshot of dp.h: taps are immutable; the main lcore
 * builds them for every port of the current set from the running captures
 * and the mirrors (vsw_taps_update()), publishes them, waits for one RCU
 * grace period and frees the old ones. Whatever leaves -- a capture, a
 * mirror, a destination port -- is thus freed only when no PMD can hold it.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "port.h"

#define VSW_MAX_CAPTURES 4 /* running at once, over all ports */
#define VSW_CAPTURE_RING 1024 /* frames a capture may hold */
#define VSW_MAX_MIRRORS 64
#define VSW_MIRROR_MAX_SRC 64
#define VSW_MIRROR_NAME_MAX 32 /* with the NUL */

enum vsw_tap_dir {
	VSW_TAP_IN = 1,
	VSW_TAP_OUT = 2,
	VSW_TAP_BOTH = 3,
};

struct vsw_pmd;
struct vsw_dp;

/* One entry of a capture ring. meta: TSC << 1 | 1 for out. */
struct vsw_tap_elem {
	struct rte_mbuf *m;
	uint64_t meta;
};

/* What PMDs see of a capture. The counters are added by any PMD. */
struct vsw_tap_capture {
	struct rte_ring *ring; /* struct vsw_tap_elem; PMDs enqueue, the main lcore dequeues */
	struct vsw_port *port;
	uint8_t dirs; /* enum vsw_tap_dir */
	_Atomic uint64_t packets; /* enqueued */
	_Atomic uint64_t drops; /* ring full */
};

/* A mirror as the dataplane has it (main lcore), with counters PMDs add to. */
struct vsw_mirror {
	char name[VSW_MIRROR_NAME_MAX];
	uint32_t dst; /* port number */
	uint16_t n_src;
	uint32_t src[VSW_MIRROR_MAX_SRC]; /* port numbers; a port that does not exist is skipped */
	_Atomic uint64_t packets, bytes; /* copies the destination took */
	_Atomic uint64_t drops; /* copies it refused (full queue, or down) */
};

struct vsw_tap_mirror {
	struct vsw_mirror *mirror;
	struct vsw_port *dst;
};

/* A port's taps: published in port->taps, NULL when there are none. */
struct vsw_taps {
	uint8_t n_cap[2]; /* [0]: in, [1]: out */
	uint16_t n_mirrors; /* each takes both directions */
	struct vsw_tap_capture *cap[2][VSW_MAX_CAPTURES];
	struct vsw_tap_mirror mirrors[];
};

/* ---- PMD side (pmd_tap.c) ---- */

/* Frames just received on / accepted by the port whose taps are `t`. */
void vsw_tap_in(struct vsw_pmd *pmd, const struct vsw_taps *t, struct rte_mbuf **pkts,
		uint16_t n);
/* `mirror`: false for frames that are mirrored copies themselves. */
void vsw_tap_out(struct vsw_pmd *pmd, const struct vsw_taps *t, struct rte_mbuf **pkts,
		 uint16_t n, bool mirror);

static inline const struct vsw_taps *vsw_port_taps(const struct vsw_port *port)
{
	return atomic_load_explicit(&port->taps, memory_order_acquire);
}

/* ---- main lcore (tap.c) ---- */

/*
 * Rebuild and publish the taps of every port of the current set from
 * dp->captures (those still tapped) and dp->mirrors; `gone` (may be NULL), a
 * port that has just left the set, loses its taps. Returns after the grace
 * period, so callers may then free what left. 0, or -ENOMEM: then every
 * port is left untapped (captures and mirrors pause until the next update),
 * never pointing at something that may be freed.
 */
int vsw_taps_update(struct vsw_dp *dp, struct vsw_port *gone);

/* The PMD-visible part of a capture session (capture.c). */
struct vsw_capture;
struct vsw_tap_capture *vsw_capture_tap(struct vsw_capture *c);
/* Whether the session still feeds from its ring (not ending). */
bool vsw_capture_tapped(const struct vsw_capture *c);

#endif
