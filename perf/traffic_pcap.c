/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-traffic: pcap reader (frames to send) and writer (capture). */

#include "traffic_pcap.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_mbuf.h>

static int
reopen(struct vsw_traffic_pcap_reader *r, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];

	if (r->pc != NULL)
		pcap_close(r->pc);
	r->pc = pcap_open_offline(r->path, ebuf);
	if (r->pc == NULL) {
		snprintf(err, errlen, "cannot open pcap %s: %s", r->path, ebuf);
		return -ENOENT;
	}
	if (pcap_datalink(r->pc) != DLT_EN10MB) {
		snprintf(err, errlen, "pcap %s: link type %s, only EN10MB (Ethernet) can be sent",
			 r->path, pcap_datalink_val_to_name(pcap_datalink(r->pc)));
		pcap_close(r->pc);
		r->pc = NULL;
		return -EINVAL;
	}
	r->frames_this_pass = 0;
	return 0;
}

int
vsw_traffic_pcap_reader_open(struct vsw_traffic_pcap_reader *r, const char *path,
			     uint64_t loops, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->path = path;
	r->loops_left = loops > 0 ? loops - 1 : 0;
	return reopen(r, err, errlen);
}

/* Next frame into r->held. 1: a frame, 0: no more frames, -errno: error. */
static int
next_frame(struct vsw_traffic_pcap_reader *r, char *err, size_t errlen)
{
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int rc;

	while (!r->held) {
		rc = pcap_next_ex(r->pc, &hdr, &data);
		if (rc == 1) {
			r->frames_this_pass++;
			if (hdr->caplen == 0)
				continue;
			r->held_hdr = *hdr;
			r->held_data = data;
			r->held = true;
			break;
		}
		if (rc == PCAP_ERROR) {
			snprintf(err, errlen, "pcap %s: %s", r->path, pcap_geterr(r->pc));
			return -EIO;
		}
		/* PCAP_ERROR_BREAK: end of file. An empty file ends all passes. */
		if (r->loops_left == 0 || r->frames_this_pass == 0)
			return 0;
		r->loops_left--;
		rc = reopen(r, err, errlen);
		if (rc < 0)
			return rc;
	}
	return 1;
}

/* Copy @len bytes into an mbuf chain from @mp. NULL if the pool is short. */
static struct rte_mbuf *
to_mbuf(struct rte_mempool *mp, const uint8_t *data, uint32_t len)
{
	struct rte_mbuf *head = NULL, *seg;
	uint32_t off = 0, chunk;

	do {
		seg = rte_pktmbuf_alloc(mp);
		if (seg == NULL)
			goto err_free_chain;
		chunk = RTE_MIN(len - off, (uint32_t)rte_pktmbuf_tailroom(seg));
		memcpy(rte_pktmbuf_mtod(seg, uint8_t *), data + off, chunk);
		seg->data_len = (uint16_t)chunk;
		seg->pkt_len = chunk;
		if (head == NULL) {
			head = seg;
		} else if (rte_pktmbuf_chain(head, seg) < 0) {
			rte_pktmbuf_free(seg);
			goto err_free_chain;
		}
		off += chunk;
	} while (off < len);
	return head;

err_free_chain:
	rte_pktmbuf_free(head);
	return NULL;
}

int
vsw_traffic_pcap_reader_burst(struct vsw_traffic_pcap_reader *r,
			      struct rte_mempool *mp, struct rte_mbuf **pkts,
			      uint16_t n, char *err, size_t errlen)
{
	uint16_t i = 0;
	int rc;

	while (i < n && !r->done) {
		rc = next_frame(r, err, errlen);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			r->done = true;
			break;
		}
		pkts[i] = to_mbuf(mp, r->held_data, r->held_hdr.caplen);
		if (pkts[i] == NULL)
			break; /* keep the held frame for the next call */
		r->held = false;
		i++;
	}
	return i;
}

void
vsw_traffic_pcap_reader_close(struct vsw_traffic_pcap_reader *r)
{
	if (r->pc != NULL)
		pcap_close(r->pc);
	r->pc = NULL;
	r->held = false;
}

int
vsw_traffic_pcap_writer_open(struct vsw_traffic_pcap_writer *w, const char *path,
			     char *err, size_t errlen)
{
	w->dumper = NULL;
	w->dead = pcap_open_dead(DLT_EN10MB, VSW_TRAFFIC_SNAPLEN);
	if (w->dead == NULL) {
		snprintf(err, errlen, "pcap_open_dead failed");
		return -ENOMEM;
	}
	w->dumper = pcap_dump_open(w->dead, path);
	if (w->dumper == NULL) {
		snprintf(err, errlen, "cannot write capture %s: %s", path,
			 pcap_geterr(w->dead));
		goto err_close_dead;
	}
	return 0;

err_close_dead:
	pcap_close(w->dead);
	w->dead = NULL;
	return -EIO;
}

void
vsw_traffic_pcap_writer_write(struct vsw_traffic_pcap_writer *w,
			      const struct rte_mbuf *m, const struct timeval *ts)
{
	struct pcap_pkthdr hdr;
	const void *data;

	hdr.ts = *ts;
	hdr.len = m->pkt_len;
	hdr.caplen = RTE_MIN(m->pkt_len, (uint32_t)VSW_TRAFFIC_SNAPLEN);
	data = rte_pktmbuf_read(m, 0, hdr.caplen, w->linear);
	if (data == NULL)
		return;
	pcap_dump((u_char *)w->dumper, &hdr, data);
}

int
vsw_traffic_pcap_writer_flush(struct vsw_traffic_pcap_writer *w)
{
	if (w->dumper == NULL)
		return 0;
	return pcap_dump_flush(w->dumper) == 0 ? 0 : -EIO;
}

void
vsw_traffic_pcap_writer_close(struct vsw_traffic_pcap_writer *w)
{
	if (w->dumper != NULL)
		pcap_dump_close(w->dumper); /* flushes */
	if (w->dead != NULL)
		pcap_close(w->dead);
	w->dumper = NULL;
	w->dead = NULL;
}
