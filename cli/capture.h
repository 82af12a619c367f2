/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CLI_CAPTURE_H
#define VSW_CLI_CAPTURE_H

/*
 * DOC: vswctl capture
 *
 *   vswctl capture PORT -w FILE [--direction in|out|both] [--filter BPF]
 *                  [--count N] [--duration SECONDS] [--snaplen BYTES] [--pcapng]
 *
 * A read-only debugging path straight to vsw-dataplane, which knows the
 * port by name: no vsw-control needed. vswctl connects to dataplane.sock,
 * sends capture-start {port, direction, snaplen} and reads the record
 * stream of capwire.h. The BPF filter is compiled and run here, by libpcap
 * (pcap_compile() for DLT_EN10MB, pcap_offline_filter()): the dataplane never
 * runs user code, and a bad filter is a usage error before anything is sent.
 *
 * Output: pcap with nanosecond timestamps, written by libpcap's pcap_dump
 * (FILE, or standard output for "-", flushed after every read so that
 * `vswctl capture vm1 -w - | tshark -r -` shows frames as they come); or
 * pcapng (--pcapng, or a FILE ending in ".pcapng"), written here, whose
 * packets carry their direction (epb_flags inbound/outbound) and whose
 * interface is named after the port.
 *
 * The end: --count N frames written, --duration elapsed, SIGINT/SIGTERM/
 * SIGHUP, or the reader of standard output gone (EPIPE). vswctl then shuts
 * its side of the connection; the dataplane sends what it still holds and
 * the end record (its drop count), which vswctl waits for at most
 * VSW_CLI_CAPTURE_LINGER_MS. Only whole records are ever written, so the
 * file is complete whichever way the capture ends; frames that arrive after
 * --count or a closed pipe are not written. A summary line goes to the
 * error stream ("capture: 10 packets written ..."). Exit status: 0; 2 for a
 * usage error (nothing sent, no file made); 1 when the capture could not
 * start (no such port, no dataplane, FILE not writable) or did not end as
 * asked (the port was deleted, the dataplane went away), with the file
 * complete up to there.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"

#define VSW_CLI_CAPTURE_LINGER_MS 2000
#define VSW_CLI_CAPTURE_SNAPLEN 65535 /* default and largest */

struct vsw_cli_capture_opts {
	const char *port;
	const char *file; /* "-": the output stream */
	const char *filter; /* NULL: every frame */
	const char *direction; /* "in", "out" or "both" */
	unsigned long long count; /* 0: no limit */
	long long duration_ms; /* 0: no limit */
	unsigned int snaplen;
	bool pcapng;
};

/* The command line's options, checked. 0, or -EINVAL and a usage message. */
int vsw_cli_capture_opts(const struct vsw_cli_inv *inv, struct vsw_cli_capture_opts *o,
			 char *err, size_t errlen);

/* The whole capture (cmd_capture.c's run hook). Exit code. */
int vsw_cli_capture_run(const struct vsw_cli_inv *inv, FILE *out, FILE *errf);

/*
 * Capture files (capout.c). Open writes the file header. `path` "-" writes
 * to `stream` (left open by close). Errors: NULL / -errno with a message.
 */
struct vsw_capout;
struct vsw_capout *vsw_capout_open(const char *path, FILE *stream, bool pcapng,
				   unsigned int snaplen, const char *ifname, char *err,
				   size_t errlen);
/* One frame: ts in ns since the epoch; `out`: sent to the port's peer. */
void vsw_capout_write(struct vsw_capout *o, uint64_t ts_ns, const uint8_t *data,
		      uint32_t caplen, uint32_t orig_len, bool out);
/* Flush to the file; 0 or -errno (-EPIPE: the reader is gone). */
int vsw_capout_flush(struct vsw_capout *o);
/* Flush and close (a stream is flushed only). 0 or -errno. */
int vsw_capout_close(struct vsw_capout *o);

#endif
