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

static void
pacer_init(struct vsw_traffic_pacer *p, uint64_t rate, uint64_t now)
{
	p->per_cycle = (double)rate / (double)rte_get_tsc_hz();
	p->cap = RTE_MAX((double)VSW_TRAFFIC_BURST, (double)rate / 100.0);
	p->tokens = 0;
	p->last = now;
}

/* How many frames may be sent now. */
static uint16_t
pacer_allow(struct vsw_traffic_pacer *p, uint64_t now)
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
pacer_spend(struct vsw_traffic_pacer *p, uint16_t n)
{
	if (p->per_cycle != 0)
		p->tokens -= n;
}

/* Lane 0 sends the pcap; a lane with a generator sends generated frames. */
static bool
has_source(const struct vsw_traffic_run *r, const struct vsw_traffic_lane *l)
{
	return l->gen != NULL || (l == &r->lanes[0] && r->reader != NULL);
}

static bool
source_done(const struct vsw_traffic_run *r, const struct vsw_traffic_lane *l)
{
	if (l->gen != NULL)
		return r->opts->count != 0 && l->gen->seq >= r->opts->count;
	return l != &r->lanes[0] || r->reader == NULL || r->reader->done;
}

/* Top the lane's queue up to @allow frames. 0 or -errno. */
static int
refill(struct vsw_traffic_run *r, struct vsw_traffic_lane *l, uint16_t allow)
{
	uint16_t want;
	int n;

	if (allow <= l->qn || source_done(r, l))
		return 0;
	want = (uint16_t)(allow - l->qn);
	if (l->gen != NULL && r->opts->count != 0 && r->opts->count - l->gen->seq < want)
		want = (uint16_t)(r->opts->count - l->gen->seq);
	if (l->gen != NULL)
		n = vsw_traffic_gen_burst(l->gen, l->q + l->qn, want);
	else
		n = vsw_traffic_pcap_reader_burst(r->reader, l->port->mp, l->q + l->qn, want,
						  r->err, sizeof(r->err));
	if (n < 0)
		return n;
	l->qn = (uint16_t)(l->qn + n);
	return 0;
}

/* Transmit up to @allow queued frames on the lane's next queue. Returns how many the PMD took. */
static uint16_t
transmit(struct vsw_traffic_lane *l, uint16_t queues, uint16_t allow)
{
	uint32_t len[VSW_TRAFFIC_BURST];
	uint16_t i, n = RTE_MIN(allow, l->qn), sent;

	if (n == 0)
		return 0;
	/* Read lengths first: a sent mbuf belongs to the PMD. */
	for (i = 0; i < n; i++)
		len[i] = l->q[i]->pkt_len;
	sent = rte_eth_tx_burst(l->port->port_id, l->next_txq, l->q, n);
	l->next_txq = (uint16_t)((l->next_txq + 1) % queues);
	for (i = 0; i < sent; i++)
		l->c.tx_bytes += len[i];
	l->c.tx_packets += sent;
	l->qn = (uint16_t)(l->qn - sent);
	memmove(l->q, l->q + sent, l->qn * sizeof(l->q[0]));
	return sent;
}

static uint16_t
receive(struct vsw_traffic_run *r, struct vsw_traffic_lane *l)
{
	struct rte_mbuf *pkts[VSW_TRAFFIC_BURST];
	unsigned int total = 0;
	struct timeval tv;

	for (uint16_t q = 0; q < r->opts->queues; q++) {
		uint16_t n = rte_eth_rx_burst(l->port->port_id, q, pkts, VSW_TRAFFIC_BURST);
		uint64_t now;

		if (n == 0)
			continue;
		now = rte_rdtsc();
		if (r->writer != NULL)
			gettimeofday(&tv, NULL);
		for (uint16_t i = 0; i < n; i++) {
			l->c.rx_bytes += pkts[i]->pkt_len;
			vsw_traffic_rx_frame(&r->rx, rte_pktmbuf_mtod(pkts[i], const uint8_t *),
					     pkts[i]->data_len, now);
			if (r->writer != NULL)
				vsw_traffic_pcap_writer_write(r->writer, pkts[i], &tv);
		}
		l->c.rx_packets += n;
		total += n;
		rte_pktmbuf_free_bulk(pkts, n);
	}
	return (uint16_t)RTE_MIN(total, (unsigned int)UINT16_MAX);
}

static void
sum_counts(const struct vsw_traffic_run *r, struct vsw_traffic_counts *c)
{
	memset(c, 0, sizeof(*c));
	for (unsigned int i = 0; i < r->n_lanes; i++) {
		c->tx_packets += r->lanes[i].c.tx_packets;
		c->tx_bytes += r->lanes[i].c.tx_bytes;
		c->rx_packets += r->lanes[i].c.rx_packets;
		c->rx_bytes += r->lanes[i].c.rx_bytes;
	}
}

struct interval {
	uint64_t next;
	uint64_t period;
	uint64_t last_tsc;
	struct vsw_traffic_counts last;
};

static void
print_interval(struct vsw_traffic_run *r, struct interval *iv, uint64_t now)
{
	double dt = (double)(now - iv->last_tsc) / (double)rte_get_tsc_hz();
	struct vsw_traffic_counts c;

	if (dt <= 0)
		return;
	sum_counts(r, &c);
	printf("tx_pps=%.0f rx_pps=%.0f tx_packets=%" PRIu64 " rx_packets=%" PRIu64 "\n",
	       (double)(c.tx_packets - iv->last.tx_packets) / dt,
	       (double)(c.rx_packets - iv->last.rx_packets) / dt, c.tx_packets, c.rx_packets);
	fflush(stdout);
	iv->last_tsc = now;
	iv->last = c;
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
 * the switch VSW_TRAFFIC_TX_DRAIN_MS after the last transmit, receiving
 * what it forwards meanwhile.
 */
static void
drain(struct vsw_traffic_run *r, uint64_t last_tx)
{
	const uint64_t until = last_tx + rte_get_tsc_hz() * VSW_TRAFFIC_TX_DRAIN_MS / 1000;
	unsigned int idle_us = VSW_TRAFFIC_IDLE_US;

	while (rte_get_tsc_cycles() < until) {
		unsigned int got = 0;

		for (unsigned int i = 0; i < r->n_lanes; i++)
			if (r->lanes[i].port->attached)
				got += receive(r, &r->lanes[i]);
		idle_us = got ? VSW_TRAFFIC_IDLE_US : idle(idle_us);
	}
}

static uint64_t
cycles(double seconds)
{
	return (uint64_t)(seconds * (double)rte_get_tsc_hz());
}

/* The window's counts and the whole run's totals, loss included. */
static void
finish_stats(struct vsw_traffic_run *r, const struct vsw_traffic_counts *at_warm,
	     const struct vsw_traffic_counts *at_stop, uint64_t warm_tsc, uint64_t stop_tsc)
{
	struct vsw_traffic_stats *s = &r->stats;
	struct vsw_traffic_counts all;

	s->window = stop_tsc > warm_tsc ? (double)(stop_tsc - warm_tsc) / rte_get_tsc_hz() : 0;
	s->win.tx_packets = at_stop->tx_packets - at_warm->tx_packets;
	s->win.tx_bytes = at_stop->tx_bytes - at_warm->tx_bytes;
	s->win.rx_packets = at_stop->rx_packets - at_warm->rx_packets;
	s->win.rx_bytes = at_stop->rx_bytes - at_warm->rx_bytes;
	sum_counts(r, &all);
	s->tx_packets = all.tx_packets;
	s->tx_bytes = all.tx_bytes;
	s->rx_packets = all.rx_packets;
	s->rx_bytes = all.rx_bytes;
	s->reordered = vsw_traffic_rx_reordered(&r->rx);
	if (r->n_lanes > 1) {
		s->loss = all.tx_packets > all.rx_packets ? all.tx_packets - all.rx_packets : 0;
		s->loss_base = all.tx_packets;
	} else {
		s->loss = vsw_traffic_rx_seq_loss(&r->rx);
		s->loss_base = 0;
		for (unsigned int i = 0; i < r->rx.n_streams; i++)
			s->loss_base += (uint64_t)r->rx.streams[i].max_seq + 1;
	}
}

/* Tell a benchmark runner that the window opened (--window-file). */
static void
window_opened(const struct vsw_traffic_opts *o)
{
	FILE *f;

	if (o->window_file == NULL)
		return;
	f = fopen(o->window_file, "w");
	if (f != NULL)
		fclose(f);
}

/* Every lane: read the link. */
static void
poll_links(struct vsw_traffic_run *r)
{
	for (unsigned int i = 0; i < r->n_lanes; i++)
		r->lanes[i].link_up = vsw_traffic_port_poll(r->lanes[i].port) == 1;
}

static bool
lsc_pending(struct vsw_traffic_run *r)
{
	for (unsigned int i = 0; i < r->n_lanes; i++)
		if (atomic_load(&r->lanes[i].port->lsc))
			return true;
	return false;
}

/* Send what each lane's source allows. 0 (and *sent) or -errno. */
static int
send_all(struct vsw_traffic_run *r, uint64_t now, unsigned int *sent)
{
	*sent = 0;
	for (unsigned int i = 0; i < r->n_lanes; i++) {
		struct vsw_traffic_lane *l = &r->lanes[i];
		uint16_t allow, n;
		int rc;

		if (!has_source(r, l) || !l->link_up || !l->port->attached)
			continue;
		allow = pacer_allow(&l->pacer, now);
		rc = refill(r, l, allow);
		if (rc < 0)
			return rc;
		n = transmit(l, r->opts->queues, allow);
		pacer_spend(&l->pacer, n);
		*sent += n;
	}
	return 0;
}

static bool
sources_done(const struct vsw_traffic_run *r)
{
	for (unsigned int i = 0; i < r->n_lanes; i++)
		if (r->lanes[i].qn != 0 || !source_done(r, &r->lanes[i]))
			return false;
	return true;
}

int
vsw_traffic_run(struct vsw_traffic_run *r)
{
	const struct vsw_traffic_opts *o = r->opts;
	const uint64_t hz = rte_get_tsc_hz();
	const uint64_t start = rte_get_tsc_cycles();
	const uint64_t warm = start + cycles(o->warmup);
	const uint64_t end = o->seconds > 0 ? warm + cycles(o->seconds) : UINT64_MAX;
	const bool finite = r->reader != NULL || o->count != 0;
	const bool linger = finite && o->seconds == 0 && o->expect == 0;
	uint64_t next_link = start, next_flush = start + hz, done_at = 0, last_tx = 0, now;
	struct vsw_traffic_counts at_warm = { 0 }, at_stop;
	struct interval iv = { .next = UINT64_MAX };
	unsigned int idle_us = VSW_TRAFFIC_IDLE_US, sent;
	bool busy, go = o->start_file == NULL, warmed = o->warmup == 0;
	int rc = 0;

	/* Sleeps of tens of microseconds need a small timer slack. */
	prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
	vsw_traffic_rx_init(&r->rx, hz);
	r->rx.lat_on = warmed;
	if (warmed)
		window_opened(o);
	for (unsigned int i = 0; i < r->n_lanes; i++)
		pacer_init(&r->lanes[i].pacer, o->rate, start);
	if (o->stats_interval > 0) {
		iv.period = cycles(o->stats_interval);
		iv.next = start + iv.period;
		iv.last_tsc = start;
	}

	while (!*r->stop) {
		now = rte_get_tsc_cycles();
		busy = false;

		if (now >= next_link || lsc_pending(r)) {
			poll_links(r);
			next_link = now + hz * VSW_TRAFFIC_LINK_CHECK_MS / 1000;
			if (!go)
				go = access(o->start_file, F_OK) == 0;
		}
		for (unsigned int i = 0; i < r->n_lanes; i++)
			if (r->lanes[i].port->attached && receive(r, &r->lanes[i]) > 0)
				busy = true;
		sum_counts(r, &at_stop);
		/* A pcap (or --count frames) is sent in full even when --expect is reached first. */
		if (o->expect > 0 && at_stop.rx_packets >= o->expect &&
		    (!finite || sources_done(r)))
			break;
		if (!warmed && now >= warm) {
			at_warm = at_stop;
			warmed = true;
			r->rx.lat_on = true;
			vsw_traffic_lat_reset(&r->rx.lat);
			window_opened(o);
		}

		if (go) {
			rc = send_all(r, now, &sent);
			if (rc < 0)
				break;
			if (sent > 0) {
				last_tx = now;
				busy = true;
			}
		}
		if (done_at == 0 && finite && sources_done(r))
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

	now = rte_get_tsc_cycles();
	sum_counts(r, &at_stop);
	if (!warmed) /* stopped during the warm-up: no window */
		at_warm = at_stop;
	for (unsigned int i = 0; i < r->n_lanes; i++) {
		struct vsw_traffic_lane *l = &r->lanes[i];

		if (l->qn > 0)
			rte_pktmbuf_free_bulk(l->q, l->qn);
		l->qn = 0;
	}
	r->rx.lat_on = false; /* the drain is not the steady state */
	if (last_tx != 0)
		drain(r, last_tx);
	finish_stats(r, &at_warm, &at_stop, warmed ? RTE_MAX(warm, start) : now, now);
	r->stats.seconds = (double)(rte_get_tsc_cycles() - start) / (double)hz;
	return rc;
}
