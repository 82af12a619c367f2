/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_FT_TEXT_H
#define VSW_FT_TEXT_H

/*
 * Internal to flowtable/: the pieces the rule parser (parse.c,
 * parse_actions.c) and printer (format.c, format_actions.c) share.
 *
 * Tokens are (pointer, length) slices of the caller's text, never copied
 * except, bounded, where libc needs a NUL (port names, IPv6 addresses).
 * Value readers return 0, -EINVAL (not that kind of value) or -ERANGE.
 *
 * Output goes through one bounded appender (`struct vsw_out`) that keeps
 * counting after the buffer is full, so the result is either the length or
 * -ENOSPC and the buffer always holds a NUL-terminated prefix.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"

struct vsw_tok {
	const char *p;
	size_t n;
};

#define VSW_TOK_SHOW 128 /* longest piece of a token quoted in an error */
/* "%.*s" arguments for a token, bounded so that huge input stays one short line. */
#define TOKF(t) (int)((t).n < VSW_TOK_SHOW ? (t).n : VSW_TOK_SHOW), (t).p

static inline struct vsw_tok vsw_tok_of(const char *s, size_t n)
{
	struct vsw_tok t = { s, n };
	return t;
}

bool vsw_tok_eq(struct vsw_tok t, const char *s);
bool vsw_tok_ieq(struct vsw_tok t, const char *s); /* ASCII case-insensitive */
/* Split at the first `c` (*head before, *tail after). False when absent. */
bool vsw_tok_split(struct vsw_tok t, char c, struct vsw_tok *head, struct vsw_tok *tail);
/* Split at the first occurrence of the string `sep`. */
bool vsw_tok_split_str(struct vsw_tok t, const char *sep, struct vsw_tok *head,
		       struct vsw_tok *tail);

int vsw_hex_digit(char c); /* 0..15, or -1 */

/* "0x" hex or decimal, nothing else. */
int vsw_tok_u64(struct vsw_tok t, uint64_t *v);
/* The same up to 128 bits, big-endian into be[16] (decimal up to 64 bits). */
int vsw_tok_u128(struct vsw_tok t, uint8_t be[16]);
/* xx:xx:xx:xx:xx:xx, one or two hex digits per byte. */
int vsw_tok_mac(struct vsw_tok t, uint8_t mac[VSW_ETH_ALEN]);
/* a.b.c.d, each 0..255 in decimal; host order. */
int vsw_tok_ipv4(struct vsw_tok t, uint32_t *ip);
/* Any text form inet_pton() reads; network order. */
int vsw_tok_ipv6(struct vsw_tok t, uint8_t ip[16]);

struct vsw_out {
	char *buf;
	size_t len;
	size_t pos; /* what the text needs, even past len */
	size_t items; /* comma-separated items so far */
	bool broken; /* vsnprintf failed */
};

void vsw_out_init(struct vsw_out *o, char *buf, size_t len);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void vsw_put(struct vsw_out *o, const char *fmt, ...);
void vsw_item(struct vsw_out *o); /* start the next comma-separated item */
int vsw_out_done(const struct vsw_out *o); /* the length, or -ENOSPC */

void vsw_put_port(struct vsw_out *o, uint32_t port, const struct vsw_port_names *names);
void vsw_put_mac(struct vsw_out *o, const uint8_t *mac);
void vsw_put_ipv4(struct vsw_out *o, uint32_t ip);
void vsw_put_ipv6(struct vsw_out *o, const uint8_t *ip);
/* addr, addr/prefix (when the mask is a prefix) or addr/mask; nothing for a full mask. */
void vsw_put_ipv4_masked(struct vsw_out *o, uint32_t ip, uint32_t mask);
void vsw_put_ipv6_masked(struct vsw_out *o, const uint8_t *ip, const uint8_t *mask);
/* 0x-prefixed hex of a big-endian number, no leading zeros ("0" for zero). */
void vsw_put_hex_be(struct vsw_out *o, const uint8_t *be, size_t n);

/* The printer's two halves (format.c, format_actions.c). */
void vsw_put_match(struct vsw_out *o, const struct vsw_match *m,
		   const struct vsw_port_names *names);
void vsw_put_actions(struct vsw_out *o, const struct vsw_actions *acts,
		     const struct vsw_port_names *names);

bool vsw_all_bytes(const void *p, size_t n, uint8_t v);
/* Length of the prefix when `mask` (n bytes, network order) is one, else -1. */
int vsw_prefix_len(const uint8_t *mask, size_t n);

#endif
