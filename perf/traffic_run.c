/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-traffic: the polling loop — receive, capture, pace, transmit. */

#include "traffic_run.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

/* Token bucket: one token per frame, at most 10 ms (or a burst) saved up. */
struct pacer {
	double per_cycle; /* tokens per TSC cycle; 0 = unlimited */
	double tokens;
	double cap;
	uint64_t last;
};

static void
pacer_init(struct pacer *p, uint64_t rate, uint64_t now)
{
	p->per_cycle = (double)rate / (double)rte_get_tsc_hz();
	p->cap = RTE_MAX((double)VSW_TRAFFIC_BURST, (double)rate / 100.0);
	p->tokens = 0;
	p->last = now;
}

/* How many frames may be sent now. */
static uint16_t
pacer_allow(struct pacer *p, uint64_t now)
{
	if (p->per_cycle == 0)
		return VSW_TRAFFIC_BURST;
	p->tokens += (double)(now - p->last) * p->per_cycle;
	p->last = now;
	if (p->tokens > p->cap)
		p->tokens = p->cap;
	return p->tokens >= VSW_TRAFFIC_BURST ? VSW_TRAFFIC_BURST : (uint16_t)p->tokens;
}

static void
pacer_spend(struct pacer *p, uint16_t n)
{
	if (p->per_cycle != 0)
		p->tokens -= n;
}

/* Frames taken from the source, not yet accepted by the PMD, in order. */
struct txq {
	struct rte_mbuf *pkts[VSW_TRAFFIC_BURST];
	uint16_t n;
};

static bool
source_done(const struct vsw_traffic_run *r)
{
	if (r->reader != NULL)
		return r->reader->done;
	return r->gen == NULL;
}

/* Top the queue up to @allow frames. 0 or -errno. */
static int
refill(struct vsw_traffic_run *r, struct txq *q, uint16_t allow)
{
	uint16_t want;
	int n;

	if (allow <= q->n || source_done(r))
		return 0;
	want = (uint16_t)(allow - q->n);
	if (r->gen != NULL)
		n = vsw_traffic_gen_burst(r->gen, r->port->mp, q->pkts + q->n, want);
	else
		n = vsw_traffic_pcap_reader_burst(r->reader, r->port->mp,
						  q->pkts + q->n, want, r->err,
						  sizeof(r->err));
	if (n < 0)
		return n;
	q->n = (uint16_t)(q->n + n);
	return 0;
}

/* Transmit up to @allow queued frames. Returns how many the PMD took. */
static uint16_t
transmit(struct vsw_traffic_run *r, struct txq *q, uint16_t allow)
{
	uint32_t len[VSW_TRAFFIC_BURST];
	uint16_t i, n = RTE_MIN(allow, q->n), sent;

	if (n == 0)
		return 0;
	/* Read lengths first: a sent mbuf belongs to the PMD. */
	for (i = 0; i < n; i++)
		len[i] = q->pkts[i]->pkt_len;
	sent = rte_eth_tx_burst(r->port->port_id, 0, q->pkts, n);
	for (i = 0; i < sent; i++)
		r->stats.tx_bytes += len[i];
	r->stats.tx_packets += sent;
	q->n = (uint16_t)(q->n - sent);
	memmove(q->pkts, q->pkts + sent, q->n * sizeof(q->pkts[0]));
	return sent;
}

static uint16_t
receive(struct vsw_traffic_run *r)
{
	struct rte_mbuf *pkts[VSW_TRAFFIC_BURST];
	struct timeval tv;
	uint16_t i, n;

	n = rte_eth_rx_burst(r->port->port_id, 0, pkts, VSW_TRAFFIC_BURST);
	if (n == 0)
		return 0;
	if (r->writer != NULL)
		gettimeofday(&tv, NULL);
	for (i = 0; i < n; i++) {
		r->stats.rx_bytes += pkts[i]->pkt_len;
		if (r->writer != NULL)
			vsw_traffic_pcap_writer_write(r->writer, pkts[i], &tv);
	}
	r->stats.rx_packets += n;
	rte_pktmbuf_free_bulk(pkts, n);
	return n;
}

struct interval {
	uint64_t next;
	uint64_t period;
	uint64_t last_tsc;
	uint64_t last_tx;
	uint64_t last_rx;
};

static void
print_interval(struct vsw_traffic_run *r, struct interval *iv, uint64_t now)
{
	double dt = (double)(now - iv->last_tsc) / (double)rte_get_tsc_hz();

	if (dt <= 0)
		return;
	printf("tx_pps=%.0f rx_pps=%.0f tx_packets=%" PRIu64 " rx_packets=%" PRIu64 "\n",
	       (double)(r->stats.tx_packets - iv->last_tx) / dt,
	       (double)(r->stats.rx_packets - iv->last_rx) / dt, r->stats.tx_packets,
	       r->stats.rx_packets);
	fflush(stdout);
	iv->last_tsc = now;
	iv->last_tx = r->stats.tx_packets;
	iv->last_rx = r->stats.rx_packets;
	iv->next += iv->period;
	if (iv->next <= now)
		iv->next = now + iv->period;
}

/* Sleep @us, and return the next sleep: doubled, up to the maximum. */
static unsigned int
idle(unsigned int us)
{
	struct timespec ts = { 0, (long)us * 1000L };

	nanosleep(&ts, NULL);
	return RTE_MIN(us * 2, (unsigned int)VSW_TRAFFIC_IDLE_MAX_US);
}

/*
 * Frames the PMD accepted may still sit in the virtqueue until the switch
 * polls it; stopping the port now would lose them, and virtio cannot tell
 * when they were taken (no tx_done_cleanup, no tx_descriptor_status). Give
 * the switch VSW_TRAFFIC_TX_DRAIN_MS after the last transmit.
 */
static void
drain(uint64_t last_tx)
{
	const uint64_t until = last_tx + rte_get_tsc_hz() * VSW_TRAFFIC_TX_DRAIN_MS / 1000;
	uint64_t now = rte_get_tsc_cycles();

	if (now < until)
		rte_delay_us_sleep((unsigned int)((until - now) * 1000000 / rte_get_tsc_hz()));
}

static uint64_t
cycles(double seconds)
{
	return (uint64_t)(seconds * (double)rte_get_tsc_hz());
}

int
vsw_traffic_run(struct vsw_traffic_run *r)
{
	const struct vsw_traffic_opts *o = r->opts;
	const uint64_t hz = rte_get_tsc_hz();
	const uint64_t start = rte_get_tsc_cycles();
	const uint64_t end = o->seconds > 0 ? start + cycles(o->seconds) : UINT64_MAX;
	const bool linger = r->reader != NULL && o->seconds == 0 && o->expect == 0;
	uint64_t next_link = start, next_flush = start + hz, done_at = 0, last_tx = 0, now;
	struct interval iv = { .next = UINT64_MAX };
	struct txq q = { .n = 0 };
	struct pacer pacer;
	unsigned int idle_us = VSW_TRAFFIC_IDLE_US;
	bool link_up = false, busy, go = o->start_file == NULL;
	uint16_t allow, sent;
	int rc = 0;

	/* Sleeps of tens of microseconds need a small timer slack. */
	prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
	pacer_init(&pacer, o->rate, start);
	if (o->stats_interval > 0) {
		iv.period = cycles(o->stats_interval);
		iv.next = start + iv.period;
		iv.last_tsc = start;
	}

	while (!*r->stop) {
		now = rte_get_tsc_cycles();
		busy = false;

		if (now >= next_link || atomic_load(&r->port->lsc)) {
			link_up = vsw_traffic_port_poll(r->port) == 1;
			next_link = now + hz * VSW_TRAFFIC_LINK_CHECK_MS / 1000;
			if (!go)
				go = access(o->start_file, F_OK) == 0;
		}

		if (r->port->attached && receive(r) > 0)
			busy = true;
		/* A pcap is sent in full even when --expect is reached first. */
		if (o->expect > 0 && r->stats.rx_packets >= o->expect &&
		    (r->gen != NULL || (q.n == 0 && source_done(r))))
			break;

		allow = pacer_allow(&pacer, now);
		if (go && link_up && r->port->attached) {
			rc = refill(r, &q, allow);
			if (rc < 0)
				break;
			sent = transmit(r, &q, allow);
			if (sent > 0) {
				pacer_spend(&pacer, sent);
				last_tx = now;
				busy = true;
			}
		}
		if (done_at == 0 && q.n == 0 && source_done(r) && r->reader != NULL)
			done_at = now;
		if (linger && done_at != 0 &&
		    now - done_at >= hz * VSW_TRAFFIC_PCAP_LINGER_MS / 1000)
			break;
		if (now >= end)
			break;

		if (now >= iv.next)
			print_interval(r, &iv, now);
		if (r->writer != NULL && now >= next_flush) {
			vsw_traffic_pcap_writer_flush(r->writer);
			next_flush = now + hz * VSW_TRAFFIC_FLUSH_MS / 1000;
		}
		if (busy)
			idle_us = VSW_TRAFFIC_IDLE_US;
		else
			idle_us = idle(idle_us);
	}

	if (q.n > 0)
		rte_pktmbuf_free_bulk(q.pkts, q.n);
	r->stats.seconds = (double)(rte_get_tsc_cycles() - start) / (double)hz;
	if (link_up && last_tx != 0)
		drain(last_tx);
	return rc;
}
