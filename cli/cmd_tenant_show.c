/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vswctl show-tenant NAME: a tenant's settings, ports, domains with their
 * counters and learned MACs, VTEPs and how they resolve, ACLs with their
 * counters, and the packets its ingress rules dropped. See cli.h.
 *
 *   tenant blue (id 1): vlan 10, vni 5000, mac_limit 1024
 *     ports:
 *       vm1 (1): access, mac 02:00:00:00:00:01, ips 10.0.0.1
 *     domains:
 *       4096 (native, vni 5000): members vm1, eth0/10; vteps 198.51.100.2
 *         macs=1, learned=3, moved=0, aged=2, mac_limit_hits=0, flooded=9, unicast=40
 *     learned MACs:
 *       02:00:00:00:00:01 domain 4096 port vm1 age 3s
 *     vteps:
 *       198.51.100.2: resolved 02:00:00:00:00:aa via eth0 (tx_packets=4, ...)
 *       (or "resolved (static) 02:00:00:00:00:aa via up0": set-uplink nexthop=)
 *     acls:
 *       1: priority=100 deny tcp,tp_dst=22 n_packets=7, n_bytes=700
 *     dropped: 9 (spoofed 2, vlan 7, vxlan 0)
 */
#include "cli.h"

#include <errno.h>
#include <string.h>

static int build_show_tenant(const struct vsw_cli_inv *inv, json_t *req, char *err,
			     size_t errlen)
{
	if (!*inv->argv[0])
		return vsw_cli_fail(err, errlen, -EINVAL, "show-tenant: empty tenant name");
	if (json_object_set_new(req, "name", json_string(inv->argv[0])))
		return vsw_cli_fail(err, errlen, -ENOMEM, "show-tenant: out of memory");
	return 0;
}

static void print_ports(struct vsw_cli_rd *rd, json_t *ports, FILE *out)
{
	char line[512];
	json_t *p, *ip;
	size_t i, j;

	fprintf(out, "  ports:%s\n", json_array_size(ports) ? "" : " none");
	json_array_foreach(ports, i, p) {
		vsw_cli_rd_where(rd, "ports[%zu]", i);
		if (!vsw_cli_is_object(rd, p))
			return;
		const char *name = vsw_cli_str(rd, p, "name");
		long long no = vsw_cli_int(rd, p, "port_no");
		const char *mode = vsw_cli_str(rd, p, "mode");
		json_t *mac = json_object_get(p, "mac"), *ips = vsw_cli_array(rd, p, "ips");

		if (rd->rc)
			return;
		fprintf(out, "    %s (%lld): %s", name, no, mode);
		if (!strcmp(mode, "trunk")) {
			vsw_cli_one_line(line, sizeof(line), vsw_cli_str(rd, p, "trunks"));
			fprintf(out, " %s", line[0] ? line : "(no VLANs)");
		}
		if (json_is_string(mac))
			fprintf(out, ", mac %s", json_string_value(mac));
		json_array_foreach(ips, j, ip)
			fprintf(out, "%s%s", j ? "," : ", ips ", json_is_string(ip) ?
								 json_string_value(ip) : "?");
		fputc('\n', out);
	}
}

static void print_domains(struct vsw_cli_rd *rd, json_t *domains, bool counters, FILE *out)
{
	static const char *const keys[] = { "macs", "learned", "moved", "aged",
					    "mac_limit_hits", "flooded", "unicast" };
	json_t *d, *x;
	size_t i, j;

	fprintf(out, "  domains:\n");
	json_array_foreach(domains, i, d) {
		vsw_cli_rd_where(rd, "domains[%zu]", i);
		if (!vsw_cli_is_object(rd, d))
			return;
		long long id = vsw_cli_int(rd, d, "id"), seg = vsw_cli_int(rd, d, "segment");
		long long vni = vsw_cli_int(rd, d, "vni");
		json_t *members = vsw_cli_array(rd, d, "members");
		json_t *vteps = vsw_cli_array(rd, d, "vteps");

		if (rd->rc)
			return;
		fprintf(out, "    %lld (", id);
		if (seg)
			fprintf(out, "vlan %lld", seg);
		else
			fprintf(out, "native");
		if (vni)
			fprintf(out, ", vni %lld", vni);
		fprintf(out, "): members");
		if (!json_array_size(members))
			fprintf(out, " none");
		json_array_foreach(members, j, x) {
			long long vlan = vsw_cli_int(rd, x, "vlan");

			fprintf(out, "%s %s", j ? "," : "", vsw_cli_str(rd, x, "port"));
			if (vlan)
				fprintf(out, "/%lld", vlan);
		}
		json_array_foreach(vteps, j, x)
			fprintf(out, "%s%s", j ? ", " : "; vteps ", vsw_cli_str(rd, x, "ip"));
		fputc('\n', out);
		if (!counters)
			continue;
		fprintf(out, "      ");
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			fprintf(out, "%s%s=%lld", k ? ", " : "", keys[k],
				vsw_cli_int(rd, d, keys[k]));
		fputc('\n', out);
	}
}

static void print_macs(struct vsw_cli_rd *rd, json_t *macs, FILE *out)
{
	json_t *m;
	size_t i;

	fprintf(out, "  learned MACs:%s\n", json_array_size(macs) ? "" : " none");
	json_array_foreach(macs, i, m) {
		vsw_cli_rd_where(rd, "macs[%zu]", i);
		if (!vsw_cli_is_object(rd, m))
			return;
		const char *mac = vsw_cli_str(rd, m, "mac");
		long long dom = vsw_cli_int(rd, m, "domain"), age = vsw_cli_int(rd, m, "age");
		json_t *vtep = json_object_get(m, "vtep");

		if (json_is_string(vtep))
			fprintf(out, "    %s domain %lld vtep %s age %llds\n", mac, dom,
				json_string_value(vtep), age);
		else
			fprintf(out, "    %s domain %lld port %s age %llds\n", mac, dom,
				vsw_cli_str(rd, m, "port"), age);
	}
}

static void print_vteps(struct vsw_cli_rd *rd, json_t *vteps, bool counters, FILE *out)
{
	char reason[256];
	json_t *v;
	size_t i;

	if (!json_array_size(vteps))
		return;
	fprintf(out, "  vteps:\n");
	json_array_foreach(vteps, i, v) {
		vsw_cli_rd_where(rd, "vteps[%zu]", i);
		if (!vsw_cli_is_object(rd, v))
			return;
		const char *ip = vsw_cli_str(rd, v, "ip"), *st = vsw_cli_str(rd, v, "state");

		if (!strcmp(st, "resolved")) {
			/* "static" is optional: older vsw-control did not send it. */
			fprintf(out, "    %s: resolved%s %s via %s", ip,
				json_is_true(json_object_get(v, "static")) ? " (static)" : "",
				vsw_cli_str(rd, v, "mac"), vsw_cli_str(rd, v, "ifname"));
		} else {
			vsw_cli_one_line(reason, sizeof(reason), vsw_cli_str(rd, v, "reason"));
			fprintf(out, "    %s: %s: %s", ip, st, reason);
		}
		if (counters)
			fprintf(out, " (tx_packets=%lld, tx_bytes=%lld, drops=%lld)",
				vsw_cli_int(rd, v, "tx_packets"), vsw_cli_int(rd, v, "tx_bytes"),
				vsw_cli_int(rd, v, "drops"));
		fputc('\n', out);
	}
}

static void print_acls(struct vsw_cli_rd *rd, json_t *acls, bool counters, FILE *out)
{
	char match[1024];
	json_t *a;
	size_t i;

	if (!json_array_size(acls))
		return;
	fprintf(out, "  acls:\n");
	json_array_foreach(acls, i, a) {
		vsw_cli_rd_where(rd, "acls[%zu]", i);
		if (!vsw_cli_is_object(rd, a))
			return;
		long long id = vsw_cli_int(rd, a, "id"), prio = vsw_cli_int(rd, a, "priority");
		const char *action = vsw_cli_str(rd, a, "action");

		vsw_cli_one_line(match, sizeof(match), vsw_cli_str(rd, a, "match"));
		fprintf(out, "    %lld: priority=%lld %s %s", id, prio, action,
			match[0] ? match : "(everything)");
		if (counters)
			fprintf(out, " n_packets=%lld, n_bytes=%lld", vsw_cli_int(rd, a, "n_packets"),
				vsw_cli_int(rd, a, "n_bytes"));
		fputc('\n', out);
	}
}

static int print_show_tenant(const json_t *reply, FILE *out, char *err, size_t errlen)
{
	struct vsw_cli_rd rd;
	json_t *t, *dropped;
	bool counters;

	vsw_cli_rd_init(&rd, err, errlen);
	t = vsw_cli_object_opt(&rd, reply, "tenant");
	if (!t)
		vsw_cli_rd_fail(&rd, "tenant", "missing");
	vsw_cli_rd_where(&rd, "tenant");
	const char *name = vsw_cli_str(&rd, t, "name");
	long long id = vsw_cli_int(&rd, t, "id"), vlan = vsw_cli_int(&rd, t, "vlan");
	long long vni = vsw_cli_int(&rd, t, "vni"), limit = vsw_cli_int(&rd, t, "mac_limit");

	vsw_cli_rd_where(&rd, "%s", "");
	counters = json_is_true(json_object_get(reply, "counters"));
	json_t *ports = vsw_cli_array(&rd, reply, "ports");
	json_t *domains = vsw_cli_array(&rd, reply, "domains");
	json_t *vteps = vsw_cli_array(&rd, reply, "vteps");
	json_t *acls = vsw_cli_array(&rd, reply, "acls");
	json_t *macs = counters ? vsw_cli_array(&rd, reply, "macs") : NULL;

	if (rd.rc)
		return rd.rc;
	fprintf(out, "tenant %s (id %lld):", name, id);
	if (vlan)
		fprintf(out, " vlan %lld,", vlan);
	if (vni)
		fprintf(out, " vni %lld,", vni);
	fprintf(out, " mac_limit %lld\n", limit);
	if (!counters)
		fprintf(out, "  counters: unavailable (dataplane %s)\n",
			json_is_string(json_object_get(reply, "dataplane")) ?
			json_string_value(json_object_get(reply, "dataplane")) : "unknown");
	print_ports(&rd, ports, out);
	print_domains(&rd, domains, counters, out);
	if (counters)
		print_macs(&rd, macs, out);
	print_vteps(&rd, vteps, counters, out);
	print_acls(&rd, acls, counters, out);
	if (rd.rc || !counters)
		return rd.rc;
	vsw_cli_rd_where(&rd, "dropped");
	dropped = vsw_cli_object_opt(&rd, reply, "dropped");
	if (!dropped)
		vsw_cli_rd_fail(&rd, NULL, "missing");
	fprintf(out, "  dropped: %lld (spoofed %lld, vlan %lld, vxlan %lld)\n",
		vsw_cli_int(&rd, dropped, "total"), vsw_cli_int(&rd, dropped, "spoofed"),
		vsw_cli_int(&rd, dropped, "vlan"), vsw_cli_int(&rd, dropped, "vxlan"));
	return rd.rc;
}

static const struct vsw_cli_cmd tenant_show_cmds[] = {
	{ .name = "show-tenant", .args = "NAME",
	  .help = "a tenant: ports, domains, learned MACs, VTEPs, ACLs, counters",
	  .min_args = 1, .max_args = 1, .read_only = true, .build = build_show_tenant,
	  .print = print_show_tenant },
};

const struct vsw_cli_group vsw_cli_tenant_show_group = {
	.title = "Tenant inspection",
	.cmds = tenant_show_cmds,
	.n_cmds = sizeof(tenant_show_cmds) / sizeof(tenant_show_cmds[0]),
};
