/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_COMPILE_INT_H
#define VSW_CONTROL_COMPILE_INT_H

/*
 * Inside the tenant compiler (compile.h): the working state that compile.c
 * (tenants, ownership), compile_rules.c (the rules of tables 250..252),
 * compile_domains.c (domains, port tables, VTEPs) and compile_out.c (the
 * output) share.
 */

#include <stdarg.h>

#include "compile.h"

#define CT_BITMAP_BYTES (4096 / 8)

static inline bool ct_bit(const uint8_t *map, unsigned v)
{
	return v < 4096 && (map[v / 8] >> (v % 8) & 1);
}

static inline void ct_set_bit(uint8_t *map, unsigned v)
{
	if (v < 4096)
		map[v / 8] |= (uint8_t)(1u << (v % 8));
}

/* A tenant that compiles (a valid, distinct id and name). */
struct ct_tenant {
	const struct vsw_tenant_cfg *cfg;
	uint32_t id;
	uint16_t vlan; /* 0: none (or invalid, with a warning) */
	uint32_t mac_limit;
	bool vxlan; /* has a VNI, owns it, and the VXLAN port exists */
	bool uplink_native; /* segment 0 is on the uplink, tagged vlan */
	uint8_t segs[CT_BITMAP_BYTES]; /* segments v != 0 (trunk VLANs != vlan) */
	uint8_t up_segs[CT_BITMAP_BYTES]; /* of those, the ones on the uplink */
	uint32_t *vteps; /* network order, distinct, sorted */
	size_t n_vteps;
	size_t *ports; /* indices into intent->ports */
	size_t n_ports;
	size_t *acls; /* indices into intent->acls, in intent order */
	size_t n_acls;
};

struct ct {
	const struct vsw_intent *in;
	struct vsw_compiled *out;
	struct ct_tenant *t; /* sorted by id */
	size_t n_t;
	size_t *by_name; /* indices into t, sorted by name */
	size_t cap_flows;
	char **idents; /* per flow: "table/priority/match", for duplicates */
	uint32_t uplink; /* the uplink's port number, 0: none */
	uint32_t vxlan; /* the VXLAN port's number, 0: none */
	int rc; /* first failure (-ENOMEM): sticky */
};

/* What a rule is, besides its match and actions. */
struct ct_rule {
	uint32_t tenant; /* 0: shared */
	uint8_t kind; /* enum vsw_cookie_kind */
	uint8_t table;
	uint16_t priority;
	uint32_t acl_id;
	uint32_t domain;
};

/* The tenant named `name`, or NULL. */
struct ct_tenant *ct_tenant_by_name(struct ct *cx, const char *name);

__attribute__((format(printf, 2, 3)))
void ct_warn(struct ct *cx, const char *fmt, ...);

/*
 * Add one rule: `actions` after the match printed from fmt. Parsed and
 * printed back so the text is canonical. 0, -EINVAL (it does not parse:
 * the parser's line in `err`, nothing added) or -ENOMEM (sticky in cx).
 */
__attribute__((format(printf, 6, 7)))
int ct_emit(struct ct *cx, const struct ct_rule *r, const char *actions, char *err,
	    size_t errlen, const char *fmt, ...);

/* "a.b.c.d" of a network-order address, in a caller's buffer of 16. */
const char *ct_ip4(uint32_t ip, char buf[16]);

/* Sort and drop repeats; returns the new count. */
size_t ct_uniq_u32(uint32_t *v, size_t n);
/* qsort comparators of the output's arrays. */
int ct_cmp_member(const void *a, const void *b);
int ct_cmp_cvtep(const void *a, const void *b);
int ct_cmp_cflow_text(const void *a, const void *b);

/* compile_domains.c: t's domains; every port's start table; the VTEP addresses. */
int ct_domains(struct ct *cx, const struct ct_tenant *t);
int ct_port_tables(struct ct *cx);
int ct_vtep_ips(struct ct *cx);

/* compile_out.c: two rules of one identity keep the first; sort by text. */
int ct_finish_flows(struct ct *cx);

/* compile_rules.c: every rule of tables 250..252. */
void ct_rules_ports(struct ct *cx);
void ct_rules_uplink(struct ct *cx);
void ct_rules_vxlan(struct ct *cx);
void ct_rules_tenants(struct ct *cx); /* tables 251 and 252 */

#endif
