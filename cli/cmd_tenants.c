/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vswctl tenant commands: add-tenant, del-tenant, list-tenants, set-port,
 * set-uplink, add-vtep, del-vtep, add-acl, del-acl. See cli.h.
 *
 * vswctl checks the shape of a command line (which KEY=VALUE arguments a
 * command takes, that numbers are numbers, allow|deny, access|trunk) and
 * sends values as they are: vsw-control checks VLAN lists, addresses,
 * ranges and ACL matches against the configuration and names what is wrong.
 */
#include "cli.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEYS 5

/*
 * The KEY=VALUE arguments argv[from..argc-1] into vals[] (parallel to
 * keys[]; NULL when absent). Unknown keys, repeats and empty values are
 * usage errors. `expected` lists the keys for the message.
 */
static int key_values(const struct vsw_cli_inv *inv, int from, const char *const *keys,
		      size_t n_keys, const char *expected, const char **vals, char *err,
		      size_t errlen)
{
	const char *cmd = inv->cmd->name;

	for (size_t k = 0; k < n_keys; k++)
		vals[k] = NULL;
	for (int i = from; i < inv->argc; i++) {
		const char *a = inv->argv[i], *eq = strchr(a, '=');
		size_t k;

		for (k = 0; eq && k < n_keys; k++)
			if (strlen(keys[k]) == (size_t)(eq - a) && !strncmp(a, keys[k], (size_t)(eq - a)))
				break;
		if (!eq || k == n_keys)
			return vsw_cli_fail(err, errlen, -EINVAL,
					    "%s: unknown argument '%s'; expected %s", cmd, a,
					    expected);
		if (vals[k])
			return vsw_cli_fail(err, errlen, -EINVAL, "%s: %s= given twice", cmd,
					    keys[k]);
		if (!eq[1])
			return vsw_cli_fail(err, errlen, -EINVAL, "%s: %s= needs a value", cmd,
					    keys[k]);
		vals[k] = eq + 1;
	}
	return 0;
}

/* A decimal number (no sign): 0 or -EINVAL. */
static int parse_num(const char *s, long long *v)
{
	char *end;
	unsigned long long n;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (*end || errno || n > (1ull << 53))
		return -EINVAL;
	*v = (long long)n;
	return 0;
}

static int set_str(const struct vsw_cli_inv *inv, json_t *req, const char *key, const char *val,
		   char *err, size_t errlen)
{
	if (val && json_object_set_new(req, key, json_string(val)))
		return vsw_cli_fail(err, errlen, -ENOMEM, "%s: out of memory", inv->cmd->name);
	return 0;
}

/* A number argument `key` (its text `val`, may be NULL) into req. */
static int set_num(const struct vsw_cli_inv *inv, json_t *req, const char *key, const char *val,
		   char *err, size_t errlen)
{
	long long v;

	if (!val)
		return 0;
	if (parse_num(val, &v))
		return vsw_cli_fail(err, errlen, -EINVAL, "%s: %s '%s' is not a number",
				    inv->cmd->name, key, val);
	if (json_object_set_new(req, key, json_integer(v)))
		return vsw_cli_fail(err, errlen, -ENOMEM, "%s: out of memory", inv->cmd->name);
	return 0;
}

static int need_name(const struct vsw_cli_inv *inv, int i, const char *what, char *err,
		     size_t errlen)
{
	if (!*inv->argv[i])
		return vsw_cli_fail(err, errlen, -EINVAL, "%s: empty %s", inv->cmd->name, what);
	return 0;
}

/* add-tenant NAME [vlan=ID] [vni=ID] [mac_limit=N] */
static int build_add_tenant(const struct vsw_cli_inv *inv, json_t *req, char *err,
			    size_t errlen)
{
	static const char *const keys[] = { "vlan", "vni", "mac_limit" };
	const char *v[MAX_KEYS];
	int rc = need_name(inv, 0, "tenant name", err, errlen);

	if (!rc)
		rc = key_values(inv, 1, keys, 3, "vlan=ID, vni=ID or mac_limit=N", v, err, errlen);
	if (!rc)
		rc = set_str(inv, req, "name", inv->argv[0], err, errlen);
	for (size_t k = 0; !rc && k < 3; k++)
		rc = set_num(inv, req, keys[k], v[k], err, errlen);
	return rc;
}

/* del-tenant [--force] NAME */
static int build_del_tenant(const struct vsw_cli_inv *inv, json_t *req, char *err,
			    size_t errlen)
{
	int rc = need_name(inv, 0, "tenant name", err, errlen);

	if (!rc)
		rc = set_str(inv, req, "name", inv->argv[0], err, errlen);
	if (!rc && json_object_set_new(req, "force", json_boolean(inv->opts & VSW_CLI_OPT_FORCE)))
		rc = vsw_cli_fail(err, errlen, -ENOMEM, "del-tenant: out of memory");
	return rc;
}

/* set-port PORT tenant=NAME|none [mode=access|trunk] [trunks=LIST] [mac=MAC] [ips=IP,...] */
static int build_set_port(const struct vsw_cli_inv *inv, json_t *req, char *err, size_t errlen)
{
	static const char *const keys[] = { "tenant", "mode", "trunks", "mac", "ips" };
	const char *v[MAX_KEYS];
	int rc = need_name(inv, 0, "port name", err, errlen);

	if (!rc)
		rc = key_values(inv, 1, keys, 5,
				"tenant=NAME|none, mode=access|trunk, trunks=LIST, mac=MAC or ips=IP,...",
				v, err, errlen);
	if (rc)
		return rc;
	if (!v[0])
		return vsw_cli_fail(err, errlen, -EINVAL,
				    "set-port: expected tenant=NAME (or tenant=none)");
	if (v[1] && strcmp(v[1], "access") && strcmp(v[1], "trunk"))
		return vsw_cli_fail(err, errlen, -EINVAL,
				    "set-port: unknown mode '%s'; expected access or trunk", v[1]);
	rc = set_str(inv, req, "port", inv->argv[0], err, errlen);
	for (size_t k = 0; !rc && k < 5; k++)
		rc = set_str(inv, req, keys[k], v[k], err, errlen);
	return rc;
}

/* set-uplink PORT|none [local_ip=IP] [nexthop=MAC] */
static int build_set_uplink(const struct vsw_cli_inv *inv, json_t *req, char *err,
			    size_t errlen)
{
	static const char *const keys[] = { "local_ip", "nexthop" };
	const char *v[MAX_KEYS];
	int rc = need_name(inv, 0, "port name", err, errlen);

	if (!rc)
		rc = key_values(inv, 1, keys, 2, "local_ip=IP or nexthop=MAC", v, err, errlen);
	if (!rc && (v[0] || v[1]) && !strcmp(inv->argv[0], "none"))
		rc = vsw_cli_fail(err, errlen, -EINVAL,
				  "set-uplink: none takes no local_ip or nexthop");
	if (!rc)
		rc = set_str(inv, req, "port", inv->argv[0], err, errlen);
	for (size_t k = 0; !rc && k < 2; k++)
		rc = set_str(inv, req, keys[k], v[k], err, errlen);
	return rc;
}

/* add-vtep TENANT IP, del-vtep TENANT IP */
static int build_vtep(const struct vsw_cli_inv *inv, json_t *req, char *err, size_t errlen)
{
	int rc = need_name(inv, 0, "tenant name", err, errlen);

	if (!rc)
		rc = need_name(inv, 1, "address", err, errlen);
	if (!rc)
		rc = set_str(inv, req, "tenant", inv->argv[0], err, errlen);
	if (!rc)
		rc = set_str(inv, req, "ip", inv->argv[1], err, errlen);
	return rc;
}

/* add-acl TENANT [priority=N] allow|deny [MATCH...]: the MATCH words joined by spaces. */
static int build_add_acl(const struct vsw_cli_inv *inv, json_t *req, char *err, size_t errlen)
{
	const char *prio = NULL, *action;
	char match[4096] = "";
	size_t used = 0;
	int i = 1, rc;

	rc = need_name(inv, 0, "tenant name", err, errlen);
	if (rc)
		return rc;
	if (!strncmp(inv->argv[i], "priority=", 9))
		prio = inv->argv[i++] + 9;
	if (i >= inv->argc)
		return vsw_cli_fail(err, errlen, -EINVAL, "add-acl: expected allow or deny");
	action = inv->argv[i++];
	if (strcmp(action, "allow") && strcmp(action, "deny"))
		return vsw_cli_fail(err, errlen, -EINVAL,
				    "add-acl: expected allow or deny, not '%s'", action);
	for (; i < inv->argc; i++) {
		int n = snprintf(match + used, sizeof(match) - used, "%s%s", used ? " " : "",
				 inv->argv[i]);

		if (n < 0 || (size_t)n >= sizeof(match) - used)
			return vsw_cli_fail(err, errlen, -EINVAL, "add-acl: MATCH too long");
		used += (size_t)n;
	}
	if (prio && !*prio)
		return vsw_cli_fail(err, errlen, -EINVAL, "add-acl: priority= needs a value");
	rc = set_str(inv, req, "tenant", inv->argv[0], err, errlen);
	if (!rc)
		rc = set_num(inv, req, "priority", prio, err, errlen);
	if (!rc)
		rc = set_str(inv, req, "action", action, err, errlen);
	if (!rc)
		rc = set_str(inv, req, "match", match, err, errlen);
	return rc;
}

/* del-acl TENANT ID */
static int build_del_acl(const struct vsw_cli_inv *inv, json_t *req, char *err, size_t errlen)
{
	int rc = need_name(inv, 0, "tenant name", err, errlen);

	if (!rc)
		rc = set_str(inv, req, "tenant", inv->argv[0], err, errlen);
	if (!rc)
		rc = set_num(inv, req, "id", inv->argv[1], err, errlen);
	return rc;
}

/* ---- list-tenants ---- */

static void print_id_or_none(FILE *out, const char *key, long long v)
{
	if (v)
		fprintf(out, " %s=%lld", key, v);
	else
		fprintf(out, " %s=none", key);
}

/* "  port vm1: trunk trunks=10,20-30 mac=02:00:00:00:00:01 ips=192.0.2.10" */
static int print_member(struct vsw_cli_rd *rd, const json_t *p, FILE *out)
{
	const char *name = vsw_cli_str(rd, p, "name");
	const char *mode = vsw_cli_str(rd, p, "mode");
	const char *trunks = vsw_cli_str(rd, p, "trunks");
	const char *mac = vsw_cli_str_opt(rd, p, "mac");
	json_t *ips = vsw_cli_array(rd, p, "ips"), *ip;
	size_t i;

	if (rd->rc)
		return rd->rc;
	fprintf(out, "  port %s: %s", name, mode);
	if (*trunks)
		fprintf(out, " trunks=%s", trunks);
	if (mac)
		fprintf(out, " mac=%s", mac);
	json_array_foreach(ips, i, ip) {
		if (!json_is_string(ip)) {
			vsw_cli_rd_fail(rd, "ips", "expected strings");
			return rd->rc;
		}
		fprintf(out, "%s%s", i ? "," : " ips=", json_string_value(ip));
	}
	fputc('\n', out);
	return 0;
}

static int print_tenant(struct vsw_cli_rd *rd, size_t ti, const json_t *t, FILE *out)
{
	json_t *ports, *vteps, *acls, *e;
	size_t i;

	vsw_cli_rd_where(rd, "tenants[%zu]", ti);
	if (!vsw_cli_is_object(rd, t))
		return rd->rc;
	const char *name = vsw_cli_str(rd, t, "name");
	long long id = vsw_cli_int(rd, t, "id");
	long long vlan = vsw_cli_int(rd, t, "vlan");
	long long vni = vsw_cli_int(rd, t, "vni");
	long long mac_limit = vsw_cli_int(rd, t, "mac_limit");
	ports = vsw_cli_array(rd, t, "ports");
	vteps = vsw_cli_array(rd, t, "vteps");
	acls = vsw_cli_array(rd, t, "acls");
	if (rd->rc)
		return rd->rc;
	fprintf(out, "tenant %s (%lld):", name, id);
	print_id_or_none(out, "vlan", vlan);
	print_id_or_none(out, "vni", vni);
	fprintf(out, " mac_limit=%lld\n", mac_limit);
	json_array_foreach(ports, i, e) {
		vsw_cli_rd_where(rd, "tenants[%zu].ports[%zu]", ti, i);
		if (!vsw_cli_is_object(rd, e) || print_member(rd, e, out))
			return rd->rc;
	}
	json_array_foreach(vteps, i, e) {
		vsw_cli_rd_where(rd, "tenants[%zu].vteps[%zu]", ti, i);
		if (!json_is_string(e)) {
			vsw_cli_rd_fail(rd, NULL, "expected a string");
			return rd->rc;
		}
		fprintf(out, "  vtep %s\n", json_string_value(e));
	}
	json_array_foreach(acls, i, e) {
		vsw_cli_rd_where(rd, "tenants[%zu].acls[%zu]", ti, i);
		if (!vsw_cli_is_object(rd, e))
			return rd->rc;
		long long acl = vsw_cli_int(rd, e, "id");
		long long prio = vsw_cli_int(rd, e, "priority");
		const char *action = vsw_cli_str(rd, e, "action");
		const char *match = vsw_cli_str(rd, e, "match");

		if (rd->rc)
			return rd->rc;
		fprintf(out, "  acl %lld: priority=%lld %s %s\n", acl, prio, action,
			*match ? match : "(every frame)");
	}
	return 0;
}

/*
 * tenant blue (1): vlan=10 vni=5000 mac_limit=1024
 *   port vm1: access mac=02:00:00:00:00:01 ips=192.0.2.10
 *   port vm2: trunk trunks=20-30
 *   vtep 198.51.100.2
 *   acl 1: priority=100 deny tcp,tp_dst=22
 * uplink up0: local_ip=192.0.2.1        (or "uplink: none")
 *   (with a static next hop: "uplink up0: local_ip=192.0.2.1 nexthop=02:00:00:00:00:fe")
 */
static int print_list_tenants(const json_t *reply, FILE *out, char *err, size_t errlen)
{
	struct vsw_cli_rd rd;
	json_t *tenants, *t, *up;
	size_t i;

	vsw_cli_rd_init(&rd, err, errlen);
	tenants = vsw_cli_array(&rd, reply, "tenants");
	up = json_object_get(reply, "uplink");
	if (!up)
		vsw_cli_rd_fail(&rd, "uplink", "missing");
	else if (!json_is_null(up) && !json_is_object(up))
		vsw_cli_rd_fail(&rd, "uplink", "expected an object");
	if (rd.rc)
		return rd.rc;
	json_array_foreach(tenants, i, t)
		if (print_tenant(&rd, i, t, out))
			return rd.rc;
	vsw_cli_rd_where(&rd, "uplink");
	if (json_is_null(up)) {
		fprintf(out, "uplink: none\n");
		return 0;
	}
	const char *port = vsw_cli_str(&rd, up, "port");
	const char *ip = vsw_cli_str_opt(&rd, up, "local_ip");
	const char *nh = vsw_cli_str_opt(&rd, up, "nexthop"); /* absent from older replies */

	if (rd.rc)
		return rd.rc;
	fprintf(out, "uplink %s:%s%s%s%s\n", port, ip ? " local_ip=" : " no local_ip",
		ip ? ip : "", nh ? " nexthop=" : "", nh ? nh : "");
	return 0;
}

static const struct vsw_cli_cmd tenant_cmds[] = {
	{ .name = "add-tenant", .args = "NAME [vlan=ID] [vni=ID] [mac_limit=N]",
	  .help = "add a tenant (an isolated L2 network)",
	  .min_args = 1, .max_args = 4, .build = build_add_tenant },
	{ .name = "del-tenant", .args = "[--force] NAME",
	  .help = "delete a tenant (--force: detach its ports)",
	  .min_args = 1, .max_args = 1, .options = VSW_CLI_OPT_FORCE, .build = build_del_tenant },
	{ .name = "list-tenants", .args = "",
	  .help = "print the tenants, their ports, VTEPs, ACLs; the uplink",
	  .min_args = 0, .max_args = 0, .read_only = true, .print = print_list_tenants },
	{ .name = "set-port",
	  .args = "PORT tenant=NAME|none [mode=access|trunk] [trunks=LIST] [mac=MAC] [ips=IP,...]",
	  .help = "put a port in a tenant (or none), with its VLANs and addresses",
	  .min_args = 2, .max_args = 6, .build = build_set_port },
	{ .name = "set-uplink", .args = "PORT|none [local_ip=IP] [nexthop=MAC]",
	  .help = "the port that carries the tenants' VLANs (and VXLAN from local_ip;"
		  " nexthop: the VTEPs' next hop, else the kernel's)",
	  .min_args = 1, .max_args = 3, .build = build_set_uplink },
	{ .name = "add-vtep", .args = "TENANT IP", .help = "a remote VTEP of the tenant's VNI",
	  .min_args = 2, .max_args = 2, .build = build_vtep },
	{ .name = "del-vtep", .args = "TENANT IP", .help = "delete a remote VTEP",
	  .min_args = 2, .max_args = 2, .build = build_vtep },
	{ .name = "add-acl", .args = "TENANT [priority=N] allow|deny [MATCH]",
	  .help = "allow or deny the tenant's frames that MATCH (default: all)",
	  .min_args = 2, .max_args = VSW_CLI_MAX_ARGS, .build = build_add_acl },
	{ .name = "del-acl", .args = "TENANT ID", .help = "delete ACL ID of the tenant",
	  .min_args = 2, .max_args = 2, .build = build_del_acl },
};

const struct vsw_cli_group vsw_cli_tenant_group = {
	.title = "Tenant commands",
	.cmds = tenant_cmds,
	.n_cmds = sizeof(tenant_cmds) / sizeof(tenant_cmds[0]),
};
