/* SPDX-License-Identifier: BSD-3-Clause */
/* Capture sessions: the main lcore's side of a capture (capture.h). */
#include "capture.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "capwire.h"
#include "log.h"
#include "proto.h"

#define DRAIN_BURST 32
#define DRAIN_BUDGET 4096 /* frames per session per pass: the loop must stay responsive */

enum cap_state {
	CAP_RUNNING,
	CAP_ENDING, /* untapped: emptying the ring into the stream */
	CAP_FLUSHING, /* end record queued: writing out what is left */
};

struct vsw_capture {
	struct vsw_tap_capture tap; /* what PMDs see */
	int fd;
	bool tapped; /* in the published taps */
	enum cap_state state;
	char port_name[VSW_PORT_NAME_MAX];
	uint32_t snaplen;
	uint64_t tsc0, hz; /* TSC -> wall clock: ns0 + (tsc - tsc0) / hz */
	uint64_t ns0;
	uint8_t *out; /* records waiting for the client: [out_off, out_len) */
	size_t out_off, out_len;
	uint64_t written; /* packet records put in the stream */
	uint64_t linger_until_ms;
	char reason[96];
};

struct vsw_tap_capture *vsw_capture_tap(struct vsw_capture *c)
{
	return &c->tap;
}

bool vsw_capture_tapped(const struct vsw_capture *c)
{
	return c->tapped;
}

static uint64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t tsc_to_ns(const struct vsw_capture *c, uint64_t tsc)
{
	int64_t d = (int64_t)(tsc - c->tsc0);
	uint64_t cycles = d > 0 ? (uint64_t)d : 0;

	return c->ns0 + cycles / c->hz * 1000000000u + cycles % c->hz * 1000000000u / c->hz;
}

static struct rte_ring *ring_create(void)
{
	ssize_t size = rte_ring_get_memsize_elem(sizeof(struct vsw_tap_elem), VSW_CAPTURE_RING);
	struct rte_ring *r;

	if (size < 0)
		return NULL;
	r = aligned_alloc(RTE_CACHE_LINE_SIZE, RTE_ALIGN_CEIL((size_t)size, RTE_CACHE_LINE_SIZE));
	if (!r)
		return NULL;
	/* Not a named DPDK object: only this process's threads use it. */
	if (rte_ring_init(r, "vsw-capture", VSW_CAPTURE_RING, RING_F_SC_DEQ)) {
		free(r);
		return NULL;
	}
	return r;
}

/* Give back every frame the ring still holds. */
static void ring_discard(struct vsw_capture *c)
{
	struct vsw_tap_elem e[DRAIN_BURST];
	unsigned int n;

	while ((n = rte_ring_sc_dequeue_burst_elem(c->tap.ring, e, sizeof(e[0]), DRAIN_BURST,
						   NULL)) > 0)
		for (unsigned int i = 0; i < n; i++)
			rte_pktmbuf_free(e[i].m);
}

static void session_free(struct vsw_capture *c)
{
	if (c->tap.ring) {
		ring_discard(c);
		free(c->tap.ring);
	}
	if (c->fd >= 0)
		close(c->fd);
	free(c->out);
	free(c);
}

static int slot_of(const struct vsw_dp *dp, const struct vsw_capture *c)
{
	for (int i = 0; i < VSW_MAX_CAPTURES; i++)
		if (dp->captures[i] == c)
			return i;
	return -1;
}

/* Close the session now. Untaps first (one grace period) when it is still tapped. */
static void destroy(struct vsw_dp *dp, struct vsw_capture *c, const char *why)
{
	int slot = slot_of(dp, c);

	if (c->tapped) {
		c->tapped = false;
		vsw_taps_update(dp, NULL); /* on -ENOMEM every port is untapped: still safe */
	}
	VSW_LOG(ctl, INFO, "capture of %s ended (%s): %llu packets, %llu dropped",
		c->port_name, why, (unsigned long long)c->written,
		(unsigned long long)atomic_load(&c->tap.drops));
	if (slot >= 0)
		dp->captures[slot] = NULL;
	session_free(c);
}

/* Begin the end: untapped by the caller's next taps update. */
static void begin_end(struct vsw_capture *c, const char *why)
{
	if (c->state != CAP_RUNNING)
		return;
	snprintf(c->reason, sizeof(c->reason), "%s", why);
	c->tapped = false;
	c->state = CAP_ENDING;
	c->linger_until_ms = vsw_dp_now_ms() + VSW_CAPTURE_LINGER_MS;
}

static const char *dir_name(uint8_t dirs)
{
	return dirs == VSW_TAP_IN ? "in" : dirs == VSW_TAP_OUT ? "out" : "both";
}

static int parse_dir(const char *s, uint8_t *dirs)
{
	if (!s || !strcmp(s, "both"))
		*dirs = VSW_TAP_BOTH;
	else if (!strcmp(s, "in"))
		*dirs = VSW_TAP_IN;
	else if (!strcmp(s, "out"))
		*dirs = VSW_TAP_OUT;
	else
		return -EINVAL;
	return 0;
}

int vsw_capture_start(struct vsw_dp *dp, int fd, json_t *req, json_t **reply)
{
	const char *name = json_string_value(json_object_get(req, "port"));
	json_t *jdir = json_object_get(req, "direction"), *jsnap = json_object_get(req, "snaplen");
	struct vsw_port *port;
	struct vsw_capture *c;
	json_t *ok;
	uint8_t dirs;
	int slot = -1, big = 1 << 20;

	*reply = NULL;
	if (!name)
		goto err_usage_port;
	if ((jdir && !json_is_null(jdir) && !json_is_string(jdir)) ||
	    parse_dir(json_string_value(jdir), &dirs)) {
		*reply = vsw_proto_error("capture-start: \"direction\" must be in, out or both");
		return 0;
	}
	if (jsnap && !json_is_null(jsnap) &&
	    (!json_is_integer(jsnap) || json_integer_value(jsnap) < 1 ||
	     json_integer_value(jsnap) > VSW_CAPWIRE_MAX_SNAPLEN)) {
		*reply = vsw_proto_error("capture-start: \"snaplen\" must be 1..%u",
					 VSW_CAPWIRE_MAX_SNAPLEN);
		return 0;
	}
	port = vsw_portset_by_name(atomic_load(&dp->ports), name);
	if (!port) {
		*reply = vsw_proto_error("capture-start: no port '%.64s'", name);
		return 0;
	}
	for (int i = VSW_MAX_CAPTURES - 1; i >= 0; i--)
		if (!dp->captures[i])
			slot = i;
	if (slot < 0) {
		*reply = vsw_proto_error("capture-start: too many captures running (at most %d)",
					 VSW_MAX_CAPTURES);
		return 0;
	}

	c = calloc(1, sizeof(*c));
	if (!c)
		goto err_nomem;
	c->fd = -1;
	c->out = malloc(VSW_CAPTURE_OUTBUF);
	c->tap.ring = ring_create();
	if (!c->out || !c->tap.ring) {
		session_free(c);
		goto err_nomem;
	}
	c->tap.port = port;
	c->tap.dirs = dirs;
	snprintf(c->port_name, sizeof(c->port_name), "%s", port->name);
	c->snaplen = jsnap && json_is_integer(jsnap) ? (uint32_t)json_integer_value(jsnap) :
						     VSW_CAPWIRE_MAX_SNAPLEN;
	c->hz = rte_get_tsc_hz();
	c->tsc0 = rte_get_tsc_cycles();
	c->ns0 = wall_ns();

	/* Tapped before the reply: a client that has it may send traffic at once. */
	c->fd = fd;
	c->tapped = true;
	dp->captures[slot] = c;
	vsw_taps_update(dp, NULL);
	ok = json_pack("{s:b,s:s,s:i,s:s,s:i}", "ok", 1, "port", port->name, "port_no",
		       (int)port->port_no, "direction", dir_name(dirs), "snaplen", (int)c->snaplen);
	if (!ok || vsw_proto_send(fd, ok)) {
		json_decref(ok);
		destroy(dp, c, "client gone before the start"); /* closes fd */
		return 1;
	}
	json_decref(ok);
	/* Room for bursts while the loop is busy; the forced size needs root. */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	VSW_LOG(ctl, INFO, "capture of %s started (%s, snaplen %u)", port->name,
		dir_name(dirs), c->snaplen);
	return 1;

err_usage_port:
	*reply = vsw_proto_error("capture-start: \"port\" must be a port name");
	return 0;
err_nomem:
	*reply = vsw_proto_error("capture-start: out of memory");
	return 0;
}

bool vsw_capture_active(const struct vsw_dp *dp)
{
	for (int i = 0; i < VSW_MAX_CAPTURES; i++)
		if (dp->captures[i])
			return true;
	return false;
}

int vsw_capture_pollfds(const struct vsw_dp *dp, struct pollfd *pfd)
{
	int n = 0;

	for (int i = 0; i < VSW_MAX_CAPTURES; i++) {
		const struct vsw_capture *c = dp->captures[i];

		if (!c)
			continue;
		/* After the client's end-of-file, POLLIN would fire forever: stop asking. */
		pfd[n++] = (struct pollfd){
			.fd = c->fd,
			.events = (short)((c->state == CAP_RUNNING ? POLLIN : 0) |
					  (c->out_len > c->out_off ? POLLOUT : 0)),
		};
	}
	return n;
}

/* Append one record to the output buffer (room checked by the caller). */
static void put_record(struct vsw_capture *c, const struct vsw_capwire_hdr *h,
		       const void *payload)
{
	vsw_capwire_encode(h, c->out + c->out_len);
	c->out_len += VSW_CAPWIRE_HDR_LEN;
	if (h->len && payload)
		memcpy(c->out + c->out_len, payload, h->len);
	c->out_len += h->len;
}

/* Frames from the ring into the output buffer, as far as it has room. */
static void drain(struct vsw_capture *c)
{
	size_t per = VSW_CAPWIRE_HDR_LEN + c->snaplen;
	unsigned int budget = DRAIN_BUDGET;

	if (c->out_off) { /* keep the pending bytes at the start */
		memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
		c->out_len -= c->out_off;
		c->out_off = 0;
	}
	while (budget) {
		struct vsw_tap_elem e[DRAIN_BURST];
		size_t fit = (VSW_CAPTURE_OUTBUF - c->out_len) / per;
		unsigned int want = fit < DRAIN_BURST ? (unsigned int)fit : DRAIN_BURST, n;

		if (want > budget)
			want = budget;
		if (!want)
			break;
		n = rte_ring_sc_dequeue_burst_elem(c->tap.ring, e, sizeof(e[0]), want, NULL);
		if (!n)
			break;
		budget -= n;
		for (unsigned int i = 0; i < n; i++) {
			struct rte_mbuf *m = e[i].m;
			uint32_t len = rte_pktmbuf_pkt_len(m);
			uint32_t cap = len < c->snaplen ? len : c->snaplen;
			struct vsw_capwire_hdr h = {
				.type = VSW_CAPWIRE_PACKET, .len = cap, .orig_len = len,
				.ts_ns = tsc_to_ns(c, e[i].meta >> 1),
				.flags = (e[i].meta & 1) ? VSW_CAPWIRE_FLAG_OUT : 0,
			};
			uint8_t *dst = c->out + c->out_len + VSW_CAPWIRE_HDR_LEN;
			const void *data = rte_pktmbuf_read(m, 0, cap, dst);

			put_record(c, &h, data == dst ? NULL : data);
			c->written++;
			rte_pktmbuf_free(m);
		}
	}
}

/* Room for the end record (its payload is a short JSON object). */
static bool end_fits(const struct vsw_capture *c)
{
	return VSW_CAPTURE_OUTBUF - c->out_len >= VSW_CAPWIRE_HDR_LEN + VSW_CAPWIRE_MAX_END;
}

static void put_end(struct vsw_capture *c)
{
	char *text = NULL;
	json_t *o = json_pack("{s:s,s:s,s:I,s:I}", "reason", c->reason, "port", c->port_name,
			      "packets", (json_int_t)c->written, "drops",
			      (json_int_t)atomic_load(&c->tap.drops));

	if (o)
		text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	size_t len = text ? strlen(text) : 0;
	if (len > VSW_CAPWIRE_MAX_END)
		len = 0; /* cannot happen with these fields; an empty end is still an end */
	put_record(c, &(struct vsw_capwire_hdr){ .type = VSW_CAPWIRE_END, .len = (uint32_t)len },
		   text);
	free(text);
	c->state = CAP_FLUSHING;
}

/* Write what the socket takes now. 0, or -errno when the client is gone. */
static int write_out(struct vsw_capture *c)
{
	while (c->out_off < c->out_len) {
		ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
		}
		c->out_off += (size_t)w;
	}
	c->out_off = c->out_len = 0;
	return 0;
}

/* The client's side of the connection: anything, or end-of-file, asks for the end. */
static int read_client(struct vsw_capture *c)
{
	char buf[256];
	ssize_t r = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (r < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -errno;
	begin_end(c, "stopped by the client");
	return 0;
}

static short revents_of(const struct vsw_capture *c, const struct pollfd *pfd, int n)
{
	for (int k = 0; k < n; k++)
		if (pfd[k].fd == c->fd)
			return pfd[k].revents;
	return 0;
}

void vsw_capture_service(struct vsw_dp *dp, const struct pollfd *pfd, int n)
{
	bool untap = false;

	/* 1. Events: a client gone is dropped; one asking for the end is untapped below. */
	for (int i = 0; i < VSW_MAX_CAPTURES; i++) {
		struct vsw_capture *c = dp->captures[i];
		bool was_tapped;
		short ev;

		if (!c)
			continue;
		ev = revents_of(c, pfd, n);
		if (ev & (POLLERR | POLLNVAL | POLLHUP)) {
			destroy(dp, c, "client gone");
			continue;
		}
		was_tapped = c->tapped;
		if ((ev & POLLIN) && read_client(c)) {
			destroy(dp, c, "client gone");
			continue;
		}
		untap |= was_tapped && !c->tapped;
	}
	/* Sessions that began to end this pass leave the taps: after this no PMD feeds them. */
	if (untap)
		vsw_taps_update(dp, NULL);

	/* 2. Frames to the clients. */
	for (int i = 0; i < VSW_MAX_CAPTURES; i++) {
		struct vsw_capture *c = dp->captures[i];

		if (!c)
			continue;
		if (c->state != CAP_FLUSHING)
			drain(c);
		if (c->state == CAP_ENDING && rte_ring_empty(c->tap.ring) && end_fits(c))
			put_end(c);
		if (write_out(c)) {
			destroy(dp, c, "client gone");
			continue;
		}
		if (c->state == CAP_FLUSHING && c->out_len == 0)
			destroy(dp, c, c->reason);
		else if (c->state != CAP_RUNNING && vsw_dp_now_ms() > c->linger_until_ms)
			destroy(dp, c, "client stopped reading");
	}
}

void vsw_capture_port_gone(struct vsw_dp *dp, const struct vsw_port *port)
{
	for (int i = 0; i < VSW_MAX_CAPTURES; i++) {
		struct vsw_capture *c = dp->captures[i];

		if (c && c->tap.port == port) {
			begin_end(c, "port deleted");
			c->tap.port = NULL; /* not to be looked at again */
		}
	}
}

void vsw_capture_stop_all(struct vsw_dp *dp)
{
	for (int i = 0; i < VSW_MAX_CAPTURES; i++)
		if (dp->captures[i])
			begin_end(dp->captures[i], "dataplane shutting down");
	vsw_taps_update(dp, NULL);
	for (int i = 0; i < VSW_MAX_CAPTURES; i++) {
		struct vsw_capture *c = dp->captures[i];

		if (!c)
			continue;
		drain(c); /* what fits; the rest is given back */
		if (c->state == CAP_ENDING && end_fits(c))
			put_end(c);
		write_out(c); /* best effort: the client may be slow */
		destroy(dp, c, c->reason);
	}
}
