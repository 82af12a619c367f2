/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_FIELDS_H
#define VSW_FIELDS_H

/*
 * DOC: fields — where each match field and each writable field lives in the key
 *
 * One table (`vsw_field_names`, fields.c) describes every field name the rule
 * language knows, once: match fields (`tp_dst`, `nw_src`, ...), their aliases
 * (`tcp_dst`, `ip_src`, ...), and the NXM/OXM names `load:` takes
 * (`NXM_NX_REG0`, `NXM_OF_ETH_DST`, ...). Each names its place in the key
 * (member offset and size, and for integer members the bits it covers), how
 * its values are written (decimal, hex, MAC, IPv4, IPv6, port), whether a
 * match may mask it, its prerequisites, and the `enum vsw_field` that
 * `set_field:`/`load:` write through it (or none: read-only).
 * A second table (vsw_field_info(), indexed by enum vsw_field) gives each
 * writable field its canonical place and the names the printer uses.
 *
 * Value representation of a SET_FIELD action (struct vsw_action): `value` and
 * `mask` hold the bytes of the key member the field lives in, as the key
 * holds them (host-order integers of the member's size, bytes for MACs,
 * IPv6 addresses and the tunnel endpoints tun_src/tun_dst, whose members
 * hold IPv4 addresses in network order), with mask bits only inside the
 * field. A byte member has `bits` 0 in its struct vsw_field_loc. So a VLAN_VID write
 * of VID 10 is value 10 / mask 0x0fff over vlan_tci, a VLAN_PCP write of 5 is
 * 0xa000 / 0xe000, an IP_DSCP write of 46 is 0xb8 / 0xfc over nw_tos.
 * vsw_field_apply() does that masked copy into a key; the dataplane also
 * writes the frame (and for VLAN_VID/VLAN_PCP/VLAN_TCI pushes a tag when the
 * frame has none, as mod_vlan_vid does; a VLAN_TCI write whose result has the
 * CFI bit clear removes the tag).
 *
 * Prerequisites are the ones Open vSwitch has (OpenFlow 1.0 reading, where
 * `nw_src` also means the ARP sender address and `nw_proto` the ARP opcode):
 * a match field whose prerequisite the match does not satisfy is an error
 * that names what is missing; so is a set_field/load/mod_* action on a field
 * whose prerequisite the rule's match does not satisfy.
 *
 * Pure data and pure functions: no state, safe from any thread.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"

enum vsw_fmt {
	VSW_FMT_DEC, /* 80 */
	VSW_FMT_HEX, /* 0x1f */
	VSW_FMT_MAC, /* 02:00:00:00:00:01 */
	VSW_FMT_IPV4, /* 10.0.0.1 */
	VSW_FMT_IPV6, /* 2001:db8::1 */
	VSW_FMT_PORT, /* vm1 or 1 */
};

/* X(name, description used in messages) */
#define VSW_PREREQS(X)                                                                   \
	X(NONE, "")                                                                      \
	X(IPV4, "ip (dl_type=0x0800)")                                                   \
	X(IPV6, "ipv6 (dl_type=0x86dd)")                                                 \
	X(IP_ANY, "ip or ipv6 (dl_type=0x0800 or 0x86dd)")                               \
	X(IPV4_ARP, "ip or arp (dl_type=0x0800 or 0x0806)")                              \
	X(IP_ANY_ARP, "ip, ipv6 or arp (dl_type=0x0800, 0x86dd or 0x0806)")              \
	X(ARP, "arp (dl_type=0x0806)")                                                   \
	X(L4, "tcp, udp or sctp (ip or ipv6 with nw_proto=6, 17 or 132)")                \
	X(TCP, "tcp or tcp6 (ip or ipv6 with nw_proto=6)")                               \
	X(UDP, "udp or udp6 (ip or ipv6 with nw_proto=17)")                              \
	X(SCTP, "sctp or sctp6 (ip or ipv6 with nw_proto=132)")                          \
	X(ICMP_ANY, "icmp or icmp6 (ip with nw_proto=1, or ipv6 with nw_proto=58)")      \
	X(ICMPV4, "icmp (ip with nw_proto=1)")                                           \
	X(ICMPV6, "icmp6 (ipv6 with nw_proto=58)")

enum vsw_prereq {
#define VSW_PRQ_ENUM(n, d) VSW_PRQ_##n,
	VSW_PREREQS(VSW_PRQ_ENUM)
#undef VSW_PRQ_ENUM
	VSW_PRQ_N
};

/* Where a field's bits are in the key. */
struct vsw_field_loc {
	uint16_t ofs; /* offsetof(struct vsw_flow_key, member) */
	uint8_t size; /* the member's size: 1, 2, 4, 8 (integers); 4, 6 or 16 (bytes) */
	uint8_t lsb; /* integer members: the member bit that is the field's bit 0 */
	uint64_t bits; /* integer members: the member bits the field covers; 0: bytes */
};

enum {
	VSW_FN_MATCH = 1u << 0, /* usable as a match field */
	VSW_FN_MASKABLE = 1u << 1, /* a match may give value/mask */
	VSW_FN_NXM = 1u << 2, /* an NXM/OXM name: load/set_field only */
};

struct vsw_field_name {
	const char *name;
	struct vsw_field_loc loc;
	uint8_t fmt; /* enum vsw_fmt */
	uint8_t prereq; /* enum vsw_prereq, to match it */
	uint8_t wprereq; /* enum vsw_prereq, to write it */
	uint8_t flags; /* VSW_FN_* */
	int8_t write; /* enum vsw_field, or -1 (read-only) */
};

/* Every name, in the order the parser tries them. */
extern const struct vsw_field_name vsw_field_names[];
extern const size_t vsw_n_field_names;

/* Look a name up (case-sensitive). NULL when unknown. */
const struct vsw_field_name *vsw_field_by_name(const char *name, size_t len);

/* A writable field: its canonical place and the names the printer uses. */
struct vsw_field_info {
	const char *name; /* set_field:V->name */
	const char *load; /* load:V->load[a..b] */
	struct vsw_field_loc loc; /* all bits a write may touch */
	uint8_t fmt;
	uint8_t prereq; /* enum vsw_prereq, to write it */
	bool writable; /* false: dl_type, nw_proto */
};

/* NULL for a value that is not an enum vsw_field. */
const struct vsw_field_info *vsw_field_info(unsigned field);

/* Does `m` satisfy prerequisite `p`? */
bool vsw_prereq_ok(enum vsw_prereq p, const struct vsw_match *m);
/* "tcp, udp or sctp (...)": what a prerequisite asks for, for messages. */
const char *vsw_prereq_text(enum vsw_prereq p);

/* The integer a key member holds (size 1, 2, 4 or 8). */
uint64_t vsw_member_get(const void *key, const struct vsw_field_loc *loc);
void vsw_member_set(void *key, const struct vsw_field_loc *loc, uint64_t v);

/*
 * Apply a SET_FIELD action to a key: the masked copy of `value` into the
 * field's key member. Does nothing for other action types or unknown fields.
 */
void vsw_field_apply(const struct vsw_action *a, struct vsw_flow_key *key);

#endif
