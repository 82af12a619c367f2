/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Capture files: pcap through libpcap (pcap_dump), pcapng written here
 * (libpcap reads pcapng but does not write it). See capture.h.
 */
#include "capture.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

struct vsw_capout {
	bool pcapng;
	bool own; /* we opened the FILE (close it) */
	FILE *f;
	pcap_t *dead; /* pcap: the handle pcap_dump writes for */
	pcap_dumper_t *dump;
};

/* ---- pcapng (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng) ---- */

#define NG_SHB 0x0A0D0D0Au
#define NG_IDB 1u
#define NG_EPB 6u
#define NG_OPT_END 0
#define NG_IF_NAME 2
#define NG_IF_TSRESOL 9
#define NG_EPB_FLAGS 2
#define NG_INBOUND 1u
#define NG_OUTBOUND 2u

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Fields in host order: the section header's byte-order magic says which. */
static void w32(FILE *f, uint32_t v)
{
	fwrite(&v, sizeof(v), 1, f);
}

static void w16(FILE *f, uint16_t v)
{
	fwrite(&v, sizeof(v), 1, f);
}

static void wpad(FILE *f, size_t n)
{
	static const uint8_t zero[4];

	fwrite(zero, 1, pad4(n) - n, f);
}

static void option(FILE *f, uint16_t code, const void *val, uint16_t len)
{
	w16(f, code);
	w16(f, len);
	fwrite(val, 1, len, f);
	wpad(f, len);
}

static void ng_header(FILE *f, unsigned int snaplen, const char *ifname)
{
	size_t name_len = strlen(ifname);
	uint8_t tsresol = 9; /* nanoseconds */
	uint32_t idb_len;

	/* Section header block: byte-order magic, version 1.0, length unknown. */
	w32(f, NG_SHB);
	w32(f, 28);
	w32(f, 0x1A2B3C4Du);
	w16(f, 1);
	w16(f, 0);
	w32(f, 0xffffffffu);
	w32(f, 0xffffffffu);
	w32(f, 28);
	/* Interface description block: Ethernet, the port's name, ns time stamps. */
	idb_len = (uint32_t)(20 + 4 + pad4(name_len) + 4 + pad4(1) + 4);
	w32(f, NG_IDB);
	w32(f, idb_len);
	w16(f, 1); /* LINKTYPE_ETHERNET */
	w16(f, 0);
	w32(f, snaplen);
	option(f, NG_IF_NAME, ifname, (uint16_t)name_len);
	option(f, NG_IF_TSRESOL, &tsresol, 1);
	w16(f, NG_OPT_END);
	w16(f, 0);
	w32(f, idb_len);
}

static void ng_packet(FILE *f, uint64_t ts_ns, const uint8_t *data, uint32_t caplen,
		      uint32_t orig_len, bool out)
{
	uint32_t flags = out ? NG_OUTBOUND : NG_INBOUND;
	uint32_t len = (uint32_t)(28 + pad4(caplen) + 4 + 4 + 4 + 4);

	w32(f, NG_EPB);
	w32(f, len);
	w32(f, 0); /* interface 0 */
	w32(f, (uint32_t)(ts_ns >> 32));
	w32(f, (uint32_t)ts_ns);
	w32(f, caplen);
	w32(f, orig_len);
	fwrite(data, 1, caplen, f);
	wpad(f, caplen);
	option(f, NG_EPB_FLAGS, &flags, 4);
	w16(f, NG_OPT_END);
	w16(f, 0);
	w32(f, len);
}

/* ---- both ---- */

struct vsw_capout *vsw_capout_open(const char *path, FILE *stream, bool pcapng,
				   unsigned int snaplen, const char *ifname, char *err,
				   size_t errlen)
{
	struct vsw_capout *o = calloc(1, sizeof(*o));
	bool to_stream = !strcmp(path, "-");

	if (!o) {
		vsw_cli_fail(err, errlen, -ENOMEM, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	o->pcapng = pcapng;
	o->own = !to_stream;
	o->f = to_stream ? stream : fopen(path, "wb");
	if (!o->f) {
		int e = errno;

		vsw_cli_fail(err, errlen, -e, "cannot write %s: %s", path, strerror(e));
		free(o);
		errno = e;
		return NULL;
	}
	if (pcapng) {
		ng_header(o->f, snaplen, ifname);
		return o;
	}
	o->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, (int)snaplen,
						       PCAP_TSTAMP_PRECISION_NANO);
	o->dump = o->dead ? pcap_dump_fopen(o->dead, o->f) : NULL;
	if (!o->dump) {
		vsw_cli_fail(err, errlen, -EIO, "cannot write %s: %s", to_stream ? "output" : path,
			     o->dead ? pcap_geterr(o->dead) : "out of memory");
		if (o->dead)
			pcap_close(o->dead);
		if (o->own)
			fclose(o->f);
		free(o);
		errno = EIO;
		return NULL;
	}
	return o;
}

void vsw_capout_write(struct vsw_capout *o, uint64_t ts_ns, const uint8_t *data,
		      uint32_t caplen, uint32_t orig_len, bool out)
{
	struct pcap_pkthdr h;

	if (o->pcapng) {
		ng_packet(o->f, ts_ns, data, caplen, orig_len, out);
		return;
	}
	h.ts.tv_sec = (time_t)(ts_ns / 1000000000u);
	h.ts.tv_usec = (suseconds_t)(ts_ns % 1000000000u); /* nanoseconds: see open */
	h.caplen = caplen;
	h.len = orig_len;
	pcap_dump((u_char *)o->dump, &h, data);
}

int vsw_capout_flush(struct vsw_capout *o)
{
	if (fflush(o->f) == EOF)
		return errno ? -errno : -EIO;
	return ferror(o->f) ? -EIO : 0;
}

int vsw_capout_close(struct vsw_capout *o)
{
	int rc = vsw_capout_flush(o);

	/*
	 * pcap_dump_close() would fclose() the FILE: for the caller's stream the
	 * dumper (a thin wrapper of the FILE in libpcap) is left alone.
	 */
	if (o->own && o->dump)
		pcap_dump_close(o->dump);
	else if (o->own && fclose(o->f) && !rc)
		rc = -errno;
	if (o->dead)
		pcap_close(o->dead);
	free(o);
	return rc;
}
