/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CAPWIRE_H
#define VSW_CAPWIRE_H

/*
 * DOC: the packet capture stream (vswctl capture <-> vsw-dataplane)
 *
 * A capture runs on a connection of its own to RUN_DIR/dataplane.sock. The
 * client sends one JSON request line, {"cmd": "capture-start", ...}; the
 * dataplane answers with one JSON reply line (PROTOCOL.md). After an ok
 * reply the connection carries binary records, dataplane to client, until
 * the dataplane closes it:
 *
 *   offset  size  field (little-endian)
 *   0       4     type: 1 packet, 2 end
 *   4       4     len: bytes of payload after this 24-byte header
 *   8       8     ts_ns: packet: nanoseconds since the Unix epoch; end: 0
 *   16      4     orig_len: packet: the frame's length on the wire
 *                 (len is less when the frame was cut to the snap length)
 *   20      4     flags: packet: bit 0 set = out (sent to the port's peer),
 *                 clear = in (received from it); other bits 0
 *
 * A packet record's payload is the first `len` bytes of the frame. The end
 * record is the last one: its payload is a JSON object (why the capture
 * ended and its counters), after which the dataplane closes the connection.
 * The client asks for the end by shutting down its writing side (or by
 * sending anything); closing the connection also ends the capture.
 *
 * This file is the one place that knows the layout: the dataplane encodes
 * headers with vsw_capwire_encode(), vswctl parses the byte stream with the
 * reader below. Pure C, no I/O.
 */

#include <stddef.h>
#include <stdint.h>

#define VSW_CAPWIRE_HDR_LEN 24
#define VSW_CAPWIRE_PACKET 1
#define VSW_CAPWIRE_END 2
#define VSW_CAPWIRE_FLAG_OUT 1u
#define VSW_CAPWIRE_MAX_SNAPLEN 65535u /* largest packet payload */
#define VSW_CAPWIRE_MAX_END 4096u /* largest end payload */

struct vsw_capwire_hdr {
	uint32_t type;
	uint32_t len;
	uint64_t ts_ns;
	uint32_t orig_len;
	uint32_t flags;
};

/* Header -> 24 bytes. */
void vsw_capwire_encode(const struct vsw_capwire_hdr *h, uint8_t out[VSW_CAPWIRE_HDR_LEN]);
/*
 * 24 bytes -> header, checked: a known type, len within its limit, a packet
 * with len <= orig_len and only known flags, an end with no packet fields.
 * 0 or -EPROTO.
 */
int vsw_capwire_decode(const uint8_t in[VSW_CAPWIRE_HDR_LEN], struct vsw_capwire_hdr *h);

/*
 * A reader for the byte stream: feed what arrives, take whole records.
 * vsw_capwire_next() returns 1 with *h and *payload (valid until the next
 * feed or next call), 0 when the buffer holds no complete record, -EPROTO on
 * a malformed header (the stream is then unusable).
 */
struct vsw_capwire_reader {
	uint8_t *buf;
	size_t len, cap, off; /* bytes held; allocated; start of the next record */
};

void vsw_capwire_reader_init(struct vsw_capwire_reader *r);
void vsw_capwire_reader_free(struct vsw_capwire_reader *r);
/* Append n bytes. 0 or -ENOMEM. */
int vsw_capwire_feed(struct vsw_capwire_reader *r, const void *data, size_t n);
int vsw_capwire_next(struct vsw_capwire_reader *r, struct vsw_capwire_hdr *h,
		     const uint8_t **payload);
/* Bytes held that do not make a whole record yet. */
size_t vsw_capwire_pending(const struct vsw_capwire_reader *r);

#endif
