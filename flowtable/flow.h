/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_FLOW_H
#define VSW_FLOW_H

/*
 * DOC: flows — the packet key, matches, actions and the add-flow text syntax
 *
 * A packet is reduced once, on receive, to a fixed-layout `struct vsw_flow_key`
 * (vsw_flow_extract()). A rule matches a packet when
 * (packet_key & rule.mask) == rule.key, field by field; a mask bit of 1 means
 * "this bit must match". All multi-byte fields in the key are in host byte
 * order, so that printing, parsing and masking need no conversions; the
 * extractor converts once. The exceptions hold addresses as on the wire:
 * ipv6_src/ipv6_dst, and the tunnel endpoints tun_src/tun_dst (IPv4 in
 * network order, so that the dataplane uses them as they are).
 *
 * VLAN: `vlan_tci` holds the 802.1Q TCI of the outermost tag with the CFI bit
 * (VSW_VLAN_CFI, 0x1000) set when a tag is present, as Open vSwitch does; an
 * untagged frame has vlan_tci == 0. `dl_vlan=N` therefore matches
 * vlan_tci & 0x1fff == 0x1000|N, and `dl_vlan=0xffff` matches untagged frames
 * (vlan_tci == 0 under mask 0xffff). `dl_type` is the EtherType after the
 * outermost VLAN tag.
 *
 * The text syntax is the one `ovs-ofctl add-flow` accepts: key=value pairs
 * separated by commas or white space, `actions=` last and taking the rest of
 * the line. Ports may be given by name; the caller supplies the name <-> number
 * mapping through callbacks, so this module never knows about port objects.
 * The counters `ovs-ofctl dump-flows` prints (duration, n_packets, n_bytes,
 * idle_age, hard_age) are accepted and ignored, so dump output parses back.
 *
 * This module is pure C11: no DPDK, no threads, no I/O. Errors: int returns 0
 * (or a length) on success and -errno on failure; parse errors also fill a
 * caller's buffer with one line that names the offending token.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VSW_ETH_ALEN 6
#define VSW_VLAN_CFI 0x1000
#define VSW_VLAN_VID_MASK 0x0fff

/* Port numbers. 0 is never a port; these reserved values mirror OpenFlow. */
#define VSW_PORT_NONE 0u
#define VSW_PORT_MAX 0xff00u /* highest usable port number */
#define VSW_PORT_IN_PORT 0xfff8u /* OFPP_IN_PORT */
#define VSW_PORT_FLOOD 0xfffbu /* OFPP_FLOOD */

#define VSW_FT_N_TABLES 255 /* table ids 0..254 */
#define VSW_FT_DEFAULT_PRIORITY 32768

/*
 * The packet key: what a rule can match. Fixed layout, no padding, a
 * multiple of 8 bytes so that masking and hashing can work in 64-bit words.
 * Fields a frame does not have are zero (an ARP frame has tp_src == 0).
 * As in Open vSwitch: the ARP opcode lives in nw_proto, ARP spa/tpa in
 * nw_src/nw_dst, ICMP(v6) type/code in tp_src/tp_dst; nw_tos is the whole
 * TOS/traffic-class byte (ip_dscp is its top six bits).
 */
struct vsw_flow_key {
	/* metadata: not in the frame; set by actions or by decapsulation */
	uint64_t tun_id; /* VXLAN VNI of a decapsulated frame */
	uint64_t metadata;
	uint32_t regs[8];
	uint32_t in_port;
	uint32_t tun_src; /* outer IPv4 source of a decapsulated frame, network order */
	uint32_t tun_dst; /* where output to a VXLAN port sends, network order */
	/* L2 */
	uint8_t dl_dst[VSW_ETH_ALEN];
	uint8_t dl_src[VSW_ETH_ALEN];
	uint16_t dl_type; /* host order, after the outermost VLAN tag */
	uint16_t vlan_tci; /* host order, VSW_VLAN_CFI set when tagged */
	/* L3 (host order) */
	uint32_t nw_src; /* IPv4 source, or ARP spa */
	uint32_t nw_dst; /* IPv4 destination, or ARP tpa */
	uint8_t ipv6_src[16]; /* network order, as on the wire */
	uint8_t ipv6_dst[16];
	uint8_t nw_proto; /* IP protocol / IPv6 next header, or ARP opcode */
	uint8_t nw_tos;
	uint8_t nw_ttl; /* IPv4 TTL / IPv6 hop limit */
	uint8_t pad0;
	/* L4 (host order) */
	uint16_t tp_src; /* TCP/UDP source port, or ICMP type */
	uint16_t tp_dst; /* TCP/UDP destination port, or ICMP code */
	uint32_t pad1; /* always zero */
};
_Static_assert(sizeof(struct vsw_flow_key) == 128, "flow key must not have padding");
_Static_assert(sizeof(struct vsw_flow_key) % 8 == 0, "flow key is hashed in 64-bit words");

struct vsw_match {
	struct vsw_flow_key key; /* already masked: key & mask == key */
	struct vsw_flow_key mask;
};

/*
 * Fields that actions can write (set_field, load, the mod_* shorthands).
 * Each names a key member; writing a header field also rewrites the frame.
 */
enum vsw_field {
	VSW_F_TUN_ID, VSW_F_TUN_SRC, VSW_F_TUN_DST, VSW_F_METADATA,
	VSW_F_REG0, VSW_F_REG1, VSW_F_REG2, VSW_F_REG3,
	VSW_F_REG4, VSW_F_REG5, VSW_F_REG6, VSW_F_REG7,
	VSW_F_IN_PORT,
	VSW_F_DL_SRC, VSW_F_DL_DST, VSW_F_DL_TYPE,
	VSW_F_VLAN_VID, /* 12 bits */
	VSW_F_VLAN_PCP, /* 3 bits */
	VSW_F_VLAN_TCI,
	VSW_F_NW_SRC, VSW_F_NW_DST, VSW_F_IPV6_SRC, VSW_F_IPV6_DST,
	VSW_F_NW_PROTO, VSW_F_NW_TOS, VSW_F_IP_DSCP, VSW_F_NW_TTL,
	VSW_F_TP_SRC, VSW_F_TP_DST,
	VSW_F_ICMP_TYPE, VSW_F_ICMP_CODE,
	VSW_F_ARP_OP, VSW_F_ARP_SPA, VSW_F_ARP_TPA,
	VSW_F_N
};

enum vsw_action_type {
	VSW_ACT_OUTPUT, /* arg: a port number, or VSW_PORT_IN_PORT */
	VSW_ACT_FLOOD, /* every port that is up, except the input port */
	VSW_ACT_DROP, /* explicit drop; the parser turns `drop` into an empty list */
	VSW_ACT_NORMAL, /* L2 learning switch (the tenant issue); parsed now */
	VSW_ACT_PUSH_VLAN, /* arg: TPID (0x8100 or 0x88a8); new tag has VID 0 */
	VSW_ACT_STRIP_VLAN, /* pop the outer tag, if any */
	VSW_ACT_SET_FIELD, /* field, value, mask: (f & ~mask) | (value & mask) */
	VSW_ACT_DEC_TTL, /* IPv4 TTL / IPv6 hop limit - 1; drop when it hits 0 */
	VSW_ACT_RESUBMIT, /* arg: table (in_port form not supported); then go on */
	VSW_ACT_GOTO_TABLE, /* arg: table, > the current one; must be last */
	VSW_ACT_NOTE, /* value: up to 16 bytes kept for printing; does nothing */
};

/*
 * One action. `value` and `mask` hold a field's bits in the key's own
 * representation (host-order integers in the first 8 bytes for integer
 * fields, bytes for MACs and IPv6 addresses), so applying one to the key is
 * a masked copy; the dataplane also writes the frame and fixes checksums.
 * mod_vlan_vid:N is SET_FIELD VSW_F_VLAN_VID (pushing a tag when there is
 * none, as Open vSwitch does), mod_dl_src is SET_FIELD VSW_F_DL_SRC, and so
 * on; load:V->F[a..b] is SET_FIELD with the bit range as mask.
 * fields.h says exactly where each field's bits are (vlan_pcp 5 is
 * 0xa000/0xe000 over vlan_tci) and which names write which field.
 */
struct vsw_action {
	uint16_t type; /* enum vsw_action_type */
	uint16_t field; /* enum vsw_field, SET_FIELD only */
	uint32_t arg; /* port, table or TPID; note length for NOTE */
	uint8_t value[16];
	uint8_t mask[16];
};

#define VSW_MAX_ACTIONS 32
struct vsw_actions {
	uint8_t n;
	struct vsw_action a[VSW_MAX_ACTIONS];
};

/* Which parts of a spec the text set explicitly (for filters). */
enum {
	VSW_SPEC_TABLE = 1u << 0,
	VSW_SPEC_PRIORITY = 1u << 1,
	VSW_SPEC_COOKIE = 1u << 2,
	VSW_SPEC_ACTIONS = 1u << 3,
};

/* One rule as text describes it: attributes, match and actions. */
struct vsw_flow_spec {
	uint8_t table; /* default 0 */
	uint16_t priority; /* default VSW_FT_DEFAULT_PRIORITY */
	uint64_t cookie;
	uint64_t cookie_mask; /* filters only (cookie=V/M); all ones when cookie=V */
	uint16_t idle_timeout; /* seconds, 0 = none */
	uint16_t hard_timeout; /* seconds, 0 = none */
	uint32_t given; /* VSW_SPEC_* bits */
	struct vsw_match match;
	struct vsw_actions actions;
};

/* Fill `spec` with the defaults (table 0, priority 32768, empty match). */
void vsw_flow_spec_init(struct vsw_flow_spec *spec);

/*
 * Reduce an Ethernet frame to a key. Returns 0, or -EINVAL when the frame is
 * shorter than an Ethernet header or its VLAN tag is truncated (the caller
 * drops and counts it as malformed). Never reads past frame[len - 1].
 */
int vsw_flow_extract(const void *frame, size_t len, uint32_t in_port,
		     struct vsw_flow_key *key);

/* True when `key` matches `match`. */
bool vsw_match_hit(const struct vsw_match *match, const struct vsw_flow_key *key);

/* Port name mapping supplied by the caller. */
struct vsw_port_names {
	/* Name -> number. Returns 0 and sets *port, or -ENOENT. */
	int (*resolve)(void *ctx, const char *name, uint32_t *port);
	/* Number -> name, or NULL to print the number. */
	const char *(*name)(void *ctx, uint32_t port);
	void *ctx;
};

enum vsw_flow_parse_mode {
	VSW_PARSE_ADD, /* add-flow: `actions=` required, cookie mask refused */
	VSW_PARSE_FILTER, /* del-flows/dump-flows: no actions, cookie=V/M allowed */
};

/*
 * Parse one rule in add-flow syntax. `names` may be NULL (numbers only).
 * Match fields, shorthands, actions and their prerequisites are Open
 * vSwitch's (fields.h, parse.c, parse_actions.c). Returns 0, or -EINVAL with
 * one line in err such as
 *   "dl_dst: '02:00:zz:00:00:01' is not a MAC address"
 *   "unknown field 'foo'"
 *   "unknown port 'vm9'"
 *   "must specify actions"
 *   "tp_dst: field requires tcp, udp or sctp (ip or ipv6 with nw_proto=6, 17 or 132)"
 *   "mod_nw_src: action requires ip (dl_type=0x0800)"
 */
int vsw_flow_parse(const char *text, enum vsw_flow_parse_mode mode,
		   const struct vsw_port_names *names, struct vsw_flow_spec *spec,
		   char *err, size_t errlen);

/*
 * Text forms. Each returns the length written (excluding the NUL) or -ENOSPC,
 * and never writes past buf[len - 1].
 *
 * vsw_flow_format_match: "priority=100,tcp,in_port=vm1,nw_src=10.0.0.0/24,tp_dst=80"
 *   as ovs-ofctl dump-flows prints it (priority omitted when it is the
 *   default; "" for an empty match at the default priority)
 * vsw_flow_format_actions: "output:vm2", "FLOOD", "drop", "IN_PORT",
 *   "mod_vlan_vid:10", "load:0x1->NXM_NX_REG0[]", "resubmit(,2)", ...
 *   (an empty list prints "drop"; format_actions.c says which form each
 *   SET_FIELD takes)
 * vsw_flow_format: the canonical one-line form that vsw_flow_parse() reads
 *   back to an equal spec:
 *   "table=0,priority=100,in_port=1,dl_dst=02:00:00:00:00:02,actions=output:2"
 *   (cookie=0x.. and idle_timeout=/hard_timeout= included when non-zero;
 *   table and priority always).
 */
int vsw_flow_format_match(const struct vsw_match *match, uint16_t priority,
			  const struct vsw_port_names *names, char *buf, size_t len);
int vsw_flow_format_actions(const struct vsw_actions *actions,
			    const struct vsw_port_names *names, char *buf, size_t len);
int vsw_flow_format(const struct vsw_flow_spec *spec,
		    const struct vsw_port_names *names, char *buf, size_t len);

/* Same rule identity, as OpenFlow defines it: table, priority and match equal. */
bool vsw_flow_spec_same_rule(const struct vsw_flow_spec *a, const struct vsw_flow_spec *b);

/*
 * Does filter `f` (parsed with VSW_PARSE_FILTER) select rule `r`?
 * Non-strict (del-flows, dump-flows): r's table equals f's when f gave one,
 * (r.cookie & f.cookie_mask) == (f.cookie & f.cookie_mask), and every field
 * that f matches, r matches at least as specifically with the same value
 * (r.mask ⊇ f.mask and r.key & f.mask == f.key).
 * Strict (--strict): additionally priority equal and masks equal.
 */
bool vsw_flow_spec_selects(const struct vsw_flow_spec *f, const struct vsw_flow_spec *r,
			   bool strict);

#endif
