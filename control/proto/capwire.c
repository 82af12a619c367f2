/* SPDX-License-Identifier: BSD-3-Clause */
/* The capture stream's records: see capwire.h. */
#include "capwire.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

void vsw_capwire_encode(const struct vsw_capwire_hdr *h, uint8_t out[VSW_CAPWIRE_HDR_LEN])
{
	put32(out, h->type);
	put32(out + 4, h->len);
	put64(out + 8, h->ts_ns);
	put32(out + 16, h->orig_len);
	put32(out + 20, h->flags);
}

int vsw_capwire_decode(const uint8_t in[VSW_CAPWIRE_HDR_LEN], struct vsw_capwire_hdr *h)
{
	h->type = get32(in);
	h->len = get32(in + 4);
	h->ts_ns = get64(in + 8);
	h->orig_len = get32(in + 16);
	h->flags = get32(in + 20);
	switch (h->type) {
	case VSW_CAPWIRE_PACKET:
		if (h->len > VSW_CAPWIRE_MAX_SNAPLEN || h->len > h->orig_len ||
		    (h->flags & ~VSW_CAPWIRE_FLAG_OUT))
			return -EPROTO;
		return 0;
	case VSW_CAPWIRE_END:
		if (h->len > VSW_CAPWIRE_MAX_END || h->ts_ns || h->orig_len || h->flags)
			return -EPROTO;
		return 0;
	default:
		return -EPROTO;
	}
}

void vsw_capwire_reader_init(struct vsw_capwire_reader *r)
{
	memset(r, 0, sizeof(*r));
}

void vsw_capwire_reader_free(struct vsw_capwire_reader *r)
{
	free(r->buf);
	memset(r, 0, sizeof(*r));
}

int vsw_capwire_feed(struct vsw_capwire_reader *r, const void *data, size_t n)
{
	if (r->off) { /* drop what was taken before appending */
		memmove(r->buf, r->buf + r->off, r->len - r->off);
		r->len -= r->off;
		r->off = 0;
	}
	if (r->cap - r->len < n) {
		size_t ncap = r->cap ? r->cap : 65536;
		uint8_t *nb;

		while (ncap - r->len < n)
			ncap *= 2;
		nb = realloc(r->buf, ncap);
		if (!nb)
			return -ENOMEM;
		r->buf = nb;
		r->cap = ncap;
	}
	if (n)
		memcpy(r->buf + r->len, data, n);
	r->len += n;
	return 0;
}

int vsw_capwire_next(struct vsw_capwire_reader *r, struct vsw_capwire_hdr *h,
		     const uint8_t **payload)
{
	size_t avail = r->len - r->off;

	if (avail < VSW_CAPWIRE_HDR_LEN)
		return 0;
	if (vsw_capwire_decode(r->buf + r->off, h))
		return -EPROTO;
	if (avail - VSW_CAPWIRE_HDR_LEN < h->len)
		return 0;
	*payload = r->buf + r->off + VSW_CAPWIRE_HDR_LEN;
	r->off += VSW_CAPWIRE_HDR_LEN + h->len;
	return 1;
}

size_t vsw_capwire_pending(const struct vsw_capwire_reader *r)
{
	return r->len - r->off;
}
