/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_CONFIG_H
#define VSW_CONTROL_CONFIG_H

/*
 * The configuration in memory: ports, the port numbers of every name ever
 * used, and user flows; and the validation of each.
 *
 * The model mirrors the store (store.h) row for row and is changed only after
 * the store has the change. Nothing here does I/O: checks and constructors
 * take the current model and return 0 or -errno with one line in `err`
 * (e.g. "port 'vm1' already exists"); the mutators that follow a committed
 * change can only fail with -ENOMEM, and callers reserve room first
 * (vsw_config_reserve()) so that they cannot fail at all.
 *
 * Port numbers: every name gets a number 1..VSW_PORT_MAX the first time it
 * is added and keeps it forever; del-port removes the port, not the number,
 * so a flow that names a deleted port means the same port when it returns.
 *
 * Flows are kept as canonical text (vsw_flow_format() with numbers), which
 * is what the store holds and what the dataplane speaks, plus the parsed
 * parts that selection, rule identity and expiry need (struct
 * vsw_flow_rec: about 400 bytes a rule; the full struct vsw_flow_spec, 1.5
 * KB with its action array, is only built for the one flow at hand). Within
 * the model, at most one flow per rule identity (table, priority, match):
 * adding one with the same identity replaces it. An index by identity
 * (flowidx.h) keeps that check O(1), so bulk commands stay linear.
 *
 * Tables: each has a miss policy (drop, the default, or continue to the
 * next table). Which tables users may put rules in is decided in one place,
 * vsw_config_table_check(): every table 0..249; 250..254 belong to the
 * tenant pipeline (tenant.h).
 *
 * Tenants (config_tenant.c; TENANTS.md has the design): the tenants, each
 * port's attachment (struct vsw_port_tenant in the port), the uplink, VTEPs
 * and ACLs. Tenant ids are kept forever per name, as port numbers are.
 * A tenant command changes a copy of this intent (vsw_config_copy_intent():
 * everything but the flows, which the copy borrows), validating as it goes;
 * the copy is what the compiler programs the dataplane from, and after the
 * commit the model takes it (vsw_config_take_intent()). Each change
 * function checks everything before it changes anything: on an error the
 * configuration it was given is exactly as before.
 *
 * Two rules join the flows and the tenants: a user flow may not output to a
 * port in a tenant or to the uplink, and a port that user flows output to
 * may not join a tenant or become the uplink (tenant traffic is the tenant
 * pipeline's alone). Flows in the cookie range VSW_COOKIE_TENANT are the
 * pipeline's; users may not give their flows such a cookie.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"
#include "flowidx.h"
#include "tenant.h"

#define VSW_PORT_NAME_MAX 15 /* characters, like IFNAMSIZ - 1 */
#define VSW_PORT_PATH_MAX 108 /* bytes with the NUL: sizeof(sun_path) */
#define VSW_PORT_TYPE_MAX 16
#define VSW_PORT_MODE_MAX 8
#define VSW_FLOW_TEXT_MAX 1024 /* canonical flow text, with the NUL */

struct vsw_port_cfg {
	char name[VSW_PORT_NAME_MAX + 1];
	uint32_t port_no;
	char type[VSW_PORT_TYPE_MAX]; /* "vhost-user", "tap" or "dpdk" */
	char mode[VSW_PORT_MODE_MAX]; /* vhost-user: "server" or "client"; else "" */
	char path[VSW_PORT_PATH_MAX]; /* vhost-user: the socket; else "" */
	char devargs[VSW_DEVARGS_MAX]; /* dpdk: a PCI address or a vdev; else "" */
	struct vsw_port_tenant tenant; /* set-port; not part of port-add */
};

struct vsw_port_number {
	char name[VSW_PORT_NAME_MAX + 1];
	uint32_t port_no;
};

/* One flow being added: the whole parsed spec and its canonical text. */
struct vsw_flow_cfg {
	int64_t id; /* the store's row */
	int64_t installed_ms; /* wall clock (ms since the epoch) when installed */
	struct vsw_flow_spec spec; /* numeric ports */
	char text[VSW_FLOW_TEXT_MAX]; /* canonical: vsw_flow_format(spec, NULL) */
};

/* One flow as the model keeps it. */
struct vsw_flow_rec {
	int64_t id; /* the store's row */
	int64_t installed_ms; /* wall clock when installed: hard_timeout counts from here */
	uint64_t cookie;
	uint16_t priority;
	uint16_t idle_timeout, hard_timeout; /* seconds, 0 = none */
	uint8_t table;
	struct vsw_match match;
	char *text; /* canonical, numeric ports; malloc()ed, owned by whoever holds the record */
};

enum vsw_table_miss {
	VSW_MISS_DROP, /* the default: drop and count */
	VSW_MISS_CONTINUE, /* go on to the next table */
};

struct vsw_mirror_cfg; /* mirror.h */

struct vsw_config {
	struct vsw_port_cfg *ports;
	size_t n_ports, cap_ports;
	struct vsw_port_number *numbers; /* every name ever numbered */
	size_t n_numbers, cap_numbers;
	struct vsw_flow_rec *flows;
	size_t n_flows, cap_flows;
	struct vsw_flowidx index; /* identity -> position in flows */
	size_t n_timed; /* flows with an idle or hard timeout */
	size_t n_idle; /* of those, flows with an idle timeout */
	uint8_t miss[VSW_FT_N_TABLES]; /* enum vsw_table_miss */
	/* tenant intent */
	struct vsw_tenant_cfg *tenants;
	size_t n_tenants, cap_tenants;
	struct vsw_tenant_number *tenant_numbers; /* every tenant name ever numbered */
	size_t n_tenant_numbers, cap_tenant_numbers;
	struct vsw_vtep_cfg *vteps;
	size_t n_vteps, cap_vteps;
	struct vsw_acl_cfg *acls;
	size_t n_acls, cap_acls;
	struct vsw_uplink_cfg uplink;
	bool flows_borrowed; /* a copy (vsw_config_copy_intent()): flows and index are not ours */
	struct vsw_mirror_cfg *mirrors; /* mirror.h */
	size_t n_mirrors, cap_mirrors;
};

void vsw_config_init(struct vsw_config *cfg);
void vsw_config_free(struct vsw_config *cfg);

/* Room for one more port, number and flow. 0 or -ENOMEM. */
int vsw_config_reserve(struct vsw_config *cfg);
/* Room for one more element in a model array (doubling). 0 or -ENOMEM. */
int vsw_config_grow(void **arr, size_t *cap, size_t n, size_t size);
/* Room for `n` more flows. 0 or -ENOMEM. */
int vsw_config_reserve_flows(struct vsw_config *cfg, size_t n);

/* ---- ports ---- */

/* A name the user may give a port (see vsw_port_name_check() in config.c). */
int vsw_port_name_check(const char *name, char *err, size_t errlen);

/*
 * Build and validate a new port from add-port's arguments. vhost-user:
 * `mode` NULL means "server", `path` NULL means RUN_DIR/NAME.sock (server
 * mode only). tap: nothing else (the kernel interface is named like the
 * port). dpdk: `devargs` required. An argument the type does not take is
 * refused. Assigns the name's number (kept from before, or the lowest never
 * used). `cfg` is not changed.
 */
int vsw_config_new_port(const struct vsw_config *cfg, const char *run_dir, const char *name,
			const char *type, const char *mode, const char *path,
			const char *devargs, struct vsw_port_cfg *port, char *err,
			size_t errlen);

/* Same port in every attribute the dataplane is told about. */
bool vsw_port_cfg_equal(const struct vsw_port_cfg *a, const struct vsw_port_cfg *b);

struct vsw_port_cfg *vsw_config_find_port(const struct vsw_config *cfg, const char *name);

/* del-port's checks: a port in a tenant or the uplink is refused. */
int vsw_config_del_port_check(const struct vsw_config *cfg, const char *name, char *err,
			      size_t errlen);

/* Add a port built by vsw_config_new_port(); records its number. 0 or -ENOMEM. */
int vsw_config_add_port(struct vsw_config *cfg, const struct vsw_port_cfg *port);
/* 0 or -ENOENT. Keeps the number. */
int vsw_config_del_port(struct vsw_config *cfg, const char *name);

/* The number a name has had, or 0. */
uint32_t vsw_config_number_of(const struct vsw_config *cfg, const char *name);
/* The name a number was given, or NULL. */
const char *vsw_config_name_of(const struct vsw_config *cfg, uint32_t port_no);

/* ---- loading (store.c): the same checks, naming what is wrong ---- */

int vsw_config_load_number(struct vsw_config *cfg, const char *name, int64_t port_no,
			   char *err, size_t errlen);
/*
 * `port->port_no` must already be the name's number; the tenants must be
 * loaded before ports that are in one.
 */
int vsw_config_load_port(struct vsw_config *cfg, const struct vsw_port_cfg *port,
			 char *err, size_t errlen);
int vsw_config_load_flow(struct vsw_config *cfg, int64_t id, const char *text,
			 int64_t installed_ms, char *err, size_t errlen);
int vsw_config_load_miss(struct vsw_config *cfg, int64_t table, const char *miss,
			 char *err, size_t errlen);

/* ---- flows ---- */

enum vsw_config_names {
	VSW_NAMES_CURRENT, /* resolve names of existing ports only (add-flow) */
	VSW_NAMES_EVER, /* resolve every name ever numbered (filters) */
};

/*
 * The name mapping for vsw_flow_parse()/vsw_flow_format(). Printing always
 * uses every name ever numbered. `cfg` must outlive `names`.
 */
void vsw_config_names(const struct vsw_config *cfg, enum vsw_config_names which,
		      struct vsw_port_names *names);

/*
 * add-flow text -> spec (numeric) and canonical text, checked against the
 * tables users may use (vsw_config_user_flow_check()). err: the parser's
 * line. flow->id and flow->installed_ms are left 0.
 */
int vsw_config_parse_flow(const struct vsw_config *cfg, const char *text,
			  struct vsw_flow_cfg *flow, char *err, size_t errlen);
/* del-flows/dump-flows filter ("" or NULL: everything). */
int vsw_config_parse_filter(const struct vsw_config *cfg, const char *text,
			    struct vsw_flow_spec *filter, char *err, size_t errlen);

/*
 * The one place that says which tables a user rule may be in or send
 * packets to (table=, goto_table, resubmit), and whose table miss policy
 * users may set: 0..249 (250..254 are the tenant pipeline's).
 */
int vsw_config_table_check(unsigned table, char *err, size_t errlen);
/* Tables as above, and a cookie outside the tenant pipeline's range. */
int vsw_config_user_flow_check(const struct vsw_flow_spec *spec, char *err, size_t errlen);
/*
 * No output to a port in a tenant or to the uplink ("port 'vm1' belongs to
 * tenant 'blue'; its traffic is programmed by the tenant pipeline").
 * vsw_config_parse_flow() runs it; mod-flows runs it on its new actions.
 */
int vsw_config_flow_ports_check(const struct vsw_config *cfg, const struct vsw_flow_spec *spec,
				char *err, size_t errlen);

/* "drop"/"continue" <-> enum vsw_table_miss. Parse: 0 or -EINVAL. */
int vsw_table_miss_parse(const char *s, enum vsw_table_miss *miss);
const char *vsw_table_miss_name(enum vsw_table_miss miss);

/* ---- records ---- */

/* A record for `flow` (text copied). 0 or -ENOMEM. */
int vsw_flow_rec_from(const struct vsw_flow_cfg *flow, struct vsw_flow_rec *rec);
void vsw_flow_rec_free(struct vsw_flow_rec *rec); /* the text; NULL-safe */
/*
 * The spec of a record for selection, identity and strict filters: all but
 * the actions, which are left empty (the text has them).
 */
void vsw_flow_rec_spec(const struct vsw_flow_rec *rec, struct vsw_flow_spec *spec);
/* vsw_flow_spec_selects() for a record. */
bool vsw_flow_rec_selected(const struct vsw_flow_spec *filter, const struct vsw_flow_rec *rec,
			   bool strict);
/* Same table, priority and match. */
bool vsw_flow_rec_same_rule(const struct vsw_flow_rec *a, const struct vsw_flow_rec *b);

/* ---- the model's flows ---- */

/* Index of the flow with the same rule identity as `spec`, or -1. */
long vsw_config_find_rule(const struct vsw_config *cfg, const struct vsw_flow_spec *spec);
long vsw_config_find_rec(const struct vsw_config *cfg, const struct vsw_flow_rec *rec);

/* Add a flow (text copied), replacing one with the same identity. 0 or -ENOMEM. */
int vsw_config_put_flow(struct vsw_config *cfg, const struct vsw_flow_cfg *flow);
/*
 * Add a record, replacing one with the same identity in place; the model
 * takes the record's text (rec->text becomes NULL). Cannot fail after
 * vsw_config_reserve_flows(); otherwise 0 or -ENOMEM (the record is then
 * still the caller's).
 */
int vsw_config_put_rec(struct vsw_config *cfg, struct vsw_flow_rec *rec);
/* Replace flow i's text (and cookie) with `text`, which the model takes. */
void vsw_config_set_text(struct vsw_config *cfg, size_t i, char *text, uint64_t cookie);
/* Remove flow i for every i with gone[i] (an array of n_flows). */
void vsw_config_del_flows(struct vsw_config *cfg, const bool *gone);

/*
 * The text of a strict filter selecting exactly the rule `spec`
 * ("table=T,priority=P,MATCH" with numeric ports), for the dataplane's
 * flow-del. Length or -ENOSPC.
 */
int vsw_config_strict_filter(const struct vsw_flow_spec *spec, char *buf, size_t len);
int vsw_flow_rec_strict_filter(const struct vsw_flow_rec *rec, char *buf, size_t len);

/* ---- tenants (config_tenant.c) ---- */

/* 1..15 characters of [A-Za-z0-9_.-], not "none" (any case). */
int vsw_tenant_name_check(const char *name, char *err, size_t errlen);
struct vsw_tenant_cfg *vsw_config_find_tenant(const struct vsw_config *cfg, const char *name);
/* The id a tenant name has had, or 0; the name an id was given, or NULL. */
uint32_t vsw_config_tenant_id_of(const struct vsw_config *cfg, const char *name);
const char *vsw_config_tenant_name_of(const struct vsw_config *cfg, uint32_t id);
/* The tenant a port is in (NULL: none, or no such port). */
const struct vsw_tenant_cfg *vsw_config_port_tenant(const struct vsw_config *cfg,
						    const struct vsw_port_cfg *port);
bool vsw_config_is_uplink(const struct vsw_config *cfg, const char *port);
/*
 * Who owns each VLAN: owner[v] = 1 + the index in cfg->tenants of the
 * tenant whose vlan is v or that has a trunk port carrying v, 0 for nobody;
 * the port `skip` (may be NULL) does not count.
 */
void vsw_config_vlan_owners(const struct vsw_config *cfg, const struct vsw_port_cfg *skip,
			    uint16_t owner[4096]);
/*
 * For dump-flows: "tenant=NAME" when `cookie` is in the tenant pipeline's
 * range (NAME: the tenant with that id, or "#ID" if none ever had it).
 * false (buf untouched) otherwise.
 */
bool vsw_config_cookie_owner(const struct vsw_config *cfg, uint64_t cookie, char *buf,
			     size_t len);

/*
 * A copy of `cfg` to change: ports, numbers, tenants, tenant numbers, VTEPs,
 * ACLs, uplink and miss policies copied; flows and their index borrowed
 * (read-only; `next` must not outlive them, nor change them). 0 or -ENOMEM.
 * Free with vsw_config_free() (which leaves borrowed flows alone).
 */
int vsw_config_copy_intent(const struct vsw_config *cfg, struct vsw_config *next);
/* `cfg` takes the intent of `next` (a copy of it, changed), which is emptied. */
void vsw_config_take_intent(struct vsw_config *cfg, struct vsw_config *next);

/*
 * The changes, one per command (TENANTS.md). Each validates against `cfg`
 * and then changes it; on an error (one line in err) `cfg` is unchanged.
 * -EINVAL (refused) or -ENOMEM.
 */

/* vlan, vni: 0 = none. Gives the tenant its id (kept from before, or the lowest never used). */
int vsw_config_add_tenant(struct vsw_config *cfg, const char *name, int64_t vlan, int64_t vni,
			  int64_t mac_limit, char *err, size_t errlen);
/* Its VTEPs and ACLs go with it; its ports only with `force` (they are detached). */
int vsw_config_del_tenant(struct vsw_config *cfg, const char *name, bool force,
			  size_t *n_detached, char *err, size_t errlen);

/*
 * set-port's arguments as text: tenant NAME or "none"; mode, trunks, mac,
 * ips may be NULL (absent). Syntax only: the attachment, or -EINVAL.
 */
int vsw_port_tenant_parse(const char *tenant, const char *mode, const char *trunks,
			  const char *mac, const char *ips, struct vsw_port_tenant *att,
			  char *err, size_t errlen);
/* The port's whole attachment becomes `att` (tenant "" detaches). */
int vsw_config_set_port(struct vsw_config *cfg, const char *port,
			const struct vsw_port_tenant *att, char *err, size_t errlen);
/*
 * port NULL or "none": no uplink (local_ip and nexthop must then be NULL).
 * nexthop: a unicast MAC, only with local_ip: the static next hop of every
 * VTEP (the kernel resolver is not asked).
 */
int vsw_config_set_uplink(struct vsw_config *cfg, const char *port, const char *local_ip,
			  const char *nexthop, char *err, size_t errlen);
int vsw_config_add_vtep(struct vsw_config *cfg, const char *tenant, const char *ip, char *err,
			size_t errlen);
int vsw_config_del_vtep(struct vsw_config *cfg, const char *tenant, const char *ip, char *err,
			size_t errlen);
/*
 * action "allow" or "deny"; match: flow match syntax without actions, table,
 * priority, cookie, in_port, metadata, registers or tunnel fields ("" is
 * every frame). *id: the ACL's id in the tenant.
 */
int vsw_config_add_acl(struct vsw_config *cfg, const char *tenant, int64_t priority,
		       const char *action, const char *match, uint32_t *id, char *err,
		       size_t errlen);
int vsw_config_del_acl(struct vsw_config *cfg, const char *tenant, int64_t id, char *err,
		       size_t errlen);
/* An ACL match as add-acl takes it -> canonical text (for the store and the compiler). */
int vsw_acl_match_parse(const char *match, char canon[VSW_ACL_MATCH_MAX],
			struct vsw_match *parsed, char *err, size_t errlen);

/* Loading: the same checks, naming what is wrong (tenants before ports, ports before the rest). */
int vsw_config_load_tenant_number(struct vsw_config *cfg, const char *name, int64_t id,
				  char *err, size_t errlen);
int vsw_config_load_tenant(struct vsw_config *cfg, const char *name, int64_t vlan, int64_t vni,
			   int64_t mac_limit, char *err, size_t errlen);
/* A port's attachment (port->tenant) against the loaded tenants: exists, VLANs its own. */
int vsw_config_load_attachment(const struct vsw_config *cfg, const struct vsw_port_cfg *port,
			       char *err, size_t errlen);
int vsw_config_load_uplink(struct vsw_config *cfg, const char *port, const char *local_ip,
			   const char *nexthop, char *err, size_t errlen);
int vsw_config_load_vtep(struct vsw_config *cfg, const char *tenant, const char *ip, char *err,
			 size_t errlen);
int vsw_config_load_acl(struct vsw_config *cfg, const char *tenant, int64_t id, int64_t priority,
			const char *action, const char *match, char *err, size_t errlen);

#endif
