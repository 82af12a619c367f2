/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_TRAFFIC_PCAP_H
#define VSW_TRAFFIC_PCAP_H

/*
 * DOC: vsw-traffic pcap files — the frames to send, the frames received
 *
 * The reader streams a pcap file (DLT_EN10MB only) into mbufs, in file
 * order, reopening it for each of the --loop passes; a frame longer than one
 * mbuf becomes a chain. Only the captured bytes (caplen) are sent; file
 * timestamps are ignored (pacing is the caller's, --rate).
 *
 * The writer dumps mbufs (chained or not) with libpcap, DLT_EN10MB and
 * snaplen 65535, timestamped with the receive time. It flushes on
 * vsw_traffic_pcap_writer_flush() and on close.
 *
 * Errors: int returns 0 or -errno, with one line for the user in @err.
 * Main lcore only.
 */

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

struct rte_mbuf;
struct rte_mempool;

#define VSW_TRAFFIC_SNAPLEN 65535

struct vsw_traffic_pcap_reader {
	const char *path;
	pcap_t *pc;
	uint64_t loops_left; /* passes still to start after this one */
	uint64_t frames_this_pass;
	bool done;
	/* A frame read from the file but not yet turned into an mbuf. */
	bool held;
	struct pcap_pkthdr held_hdr;
	const uint8_t *held_data;
};

struct vsw_traffic_pcap_writer {
	pcap_t *dead;
	pcap_dumper_t *dumper;
	uint8_t linear[VSW_TRAFFIC_SNAPLEN]; /* for chained mbufs */
};

int vsw_traffic_pcap_reader_open(struct vsw_traffic_pcap_reader *r,
				 const char *path, uint64_t loops, char *err,
				 size_t errlen);

/* Fill up to @n mbufs with the next frames; sets r->done after the last
 * frame of the last pass. Returns the count, or -errno on a read error. */
int vsw_traffic_pcap_reader_burst(struct vsw_traffic_pcap_reader *r,
				  struct rte_mempool *mp, struct rte_mbuf **pkts,
				  uint16_t n, char *err, size_t errlen);

void vsw_traffic_pcap_reader_close(struct vsw_traffic_pcap_reader *r);

int vsw_traffic_pcap_writer_open(struct vsw_traffic_pcap_writer *w,
				 const char *path, char *err, size_t errlen);

void vsw_traffic_pcap_writer_write(struct vsw_traffic_pcap_writer *w,
				   const struct rte_mbuf *m, const struct timeval *ts);

int vsw_traffic_pcap_writer_flush(struct vsw_traffic_pcap_writer *w);

void vsw_traffic_pcap_writer_close(struct vsw_traffic_pcap_writer *w);

#endif /* VSW_TRAFFIC_PCAP_H */
