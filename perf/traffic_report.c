/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-traffic: the result, as a line of text and a line of JSON (traffic_run.h). */

#include <inttypes.h>
#include <stdio.h>

#include "traffic_run.h"

#define FCS 4

static double
per_s(uint64_t n, double s)
{
	return s > 0 ? (double)n / s : 0.0;
}

/* Gbit/s of frames with their FCS. */
static double
gbps(uint64_t bytes, uint64_t packets, double s)
{
	return s > 0 ? (double)(bytes + FCS * packets) * 8 / s / 1e9 : 0.0;
}

static double
loss_pct(const struct vsw_traffic_stats *s)
{
	return s->loss_base ? 100.0 * (double)s->loss / (double)s->loss_base : 0.0;
}

static void
text_line(const struct vsw_traffic_run *r, FILE *out)
{
	const struct vsw_traffic_stats *s = &r->stats;
	const struct vsw_traffic_lat *l = &r->rx.lat;

	fprintf(out,
		"vsw-traffic: %.3f s: tx %.3f Mpps %.3f Gbit/s, rx %.3f Mpps %.3f Gbit/s, "
		"loss %" PRIu64 " (%.4f%%)",
		s->window, per_s(s->win.tx_packets, s->window) / 1e6,
		gbps(s->win.tx_bytes, s->win.tx_packets, s->window),
		per_s(s->win.rx_packets, s->window) / 1e6,
		gbps(s->win.rx_bytes, s->win.rx_packets, s->window), s->loss, loss_pct(s));
	if (l->n)
		fprintf(out, ", latency us min %.1f median %.1f p99 %.1f max %.1f",
			(double)l->min / 1e3, (double)vsw_traffic_lat_quantile(l, 0.5) / 1e3,
			(double)vsw_traffic_lat_quantile(l, 0.99) / 1e3, (double)l->max / 1e3);
	fprintf(out, "\n");
}

static void
json_line(const struct vsw_traffic_run *r, FILE *out)
{
	const struct vsw_traffic_stats *s = &r->stats;
	const struct vsw_traffic_lat *l = &r->rx.lat;

	fprintf(out,
		"{\"tx_packets\":%" PRIu64 ",\"tx_bytes\":%" PRIu64 ",\"rx_packets\":%" PRIu64
		",\"rx_bytes\":%" PRIu64 ",\"seconds\":%.6f",
		s->tx_packets, s->tx_bytes, s->rx_packets, s->rx_bytes, s->seconds);
	fprintf(out,
		",\"window_seconds\":%.6f,\"window_tx_packets\":%" PRIu64
		",\"window_rx_packets\":%" PRIu64 ",\"tx_pps\":%.1f,\"rx_pps\":%.1f"
		",\"tx_gbps\":%.6f,\"rx_gbps\":%.6f",
		s->window, s->win.tx_packets, s->win.rx_packets, per_s(s->win.tx_packets, s->window),
		per_s(s->win.rx_packets, s->window),
		gbps(s->win.tx_bytes, s->win.tx_packets, s->window),
		gbps(s->win.rx_bytes, s->win.rx_packets, s->window));
	fprintf(out, ",\"loss\":%" PRIu64 ",\"loss_pct\":%.6f,\"reordered\":%" PRIu64, s->loss,
		loss_pct(s), s->reordered);
	fprintf(out,
		",\"latency_ns\":{\"samples\":%" PRIu64 ",\"min\":%" PRIu64 ",\"median\":%" PRIu64
		",\"p99\":%" PRIu64 ",\"max\":%" PRIu64 "}",
		l->n, l->n ? l->min : 0, vsw_traffic_lat_quantile(l, 0.5),
		vsw_traffic_lat_quantile(l, 0.99), l->max);
	fprintf(out, ",\"ports\":[");
	for (unsigned int i = 0; i < r->n_lanes; i++) {
		const struct vsw_traffic_counts *c = &r->lanes[i].c;

		fprintf(out,
			"%s{\"tx_packets\":%" PRIu64 ",\"tx_bytes\":%" PRIu64
			",\"rx_packets\":%" PRIu64 ",\"rx_bytes\":%" PRIu64 "}",
			i ? "," : "", c->tx_packets, c->tx_bytes, c->rx_packets, c->rx_bytes);
	}
	fprintf(out, "]}\n");
}

void
vsw_traffic_report(const struct vsw_traffic_run *r, FILE *out)
{
	text_line(r, out);
	json_line(r, out);
	fflush(out);
}
