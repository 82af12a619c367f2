/* SPDX-License-Identifier: BSD-3-Clause */
/* The fake dataplane of the tenant sync tests: see fake_dp.h. */
#include "fake_dp.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fields.h"
#include "flow.h"
#include "proto.h"

/* ---- the fake dataplane (a child process) ---- */

struct fflow {
	char *text;
	struct vsw_flow_spec spec;
};

struct fake {
	json_t *ports; /* name -> entry */
	struct fflow *flows;
	size_t n_flows;
	json_t *domains; /* "id" -> domain-set request */
	json_t *learned; /* "id" -> [{port, vlan}]: where a port's MACs may be learned */
	json_t *vteps; /* ip -> {ip, mac} */
	bool refuse;
	bool no_domains; /* an older dataplane: no domain-list */
	FILE *log;
};

static void flow_add(struct fake *fk, const char *text)
{
	struct vsw_flow_spec s;

	assert_int_equal(vsw_flow_parse(text, VSW_PARSE_ADD, NULL, &s, NULL, 0), 0);
	for (size_t i = 0; i < fk->n_flows; i++)
		if (vsw_flow_spec_same_rule(&fk->flows[i].spec, &s)) {
			free(fk->flows[i].text);
			fk->flows[i] = (struct fflow){ strdup(text), s };
			return;
		}
	fk->flows = realloc(fk->flows, (fk->n_flows + 1) * sizeof(*fk->flows));
	fk->flows[fk->n_flows++] = (struct fflow){ strdup(text), s };
}

static long long flow_del(struct fake *fk, const char *filter, bool strict)
{
	struct vsw_flow_spec f;
	size_t w = 0;
	long long n = 0;

	assert_int_equal(vsw_flow_parse(filter, VSW_PARSE_FILTER, NULL, &f, NULL, 0), 0);
	for (size_t i = 0; i < fk->n_flows; i++) {
		if (vsw_flow_spec_selects(&f, &fk->flows[i].spec, strict)) {
			free(fk->flows[i].text);
			n++;
		} else {
			fk->flows[w++] = fk->flows[i];
		}
	}
	fk->n_flows = w;
	return n;
}

static int64_t metadata_of(const struct vsw_flow_spec *s)
{
	for (unsigned i = 0; i < s->actions.n; i++)
		if (s->actions.a[i].type == VSW_ACT_SET_FIELD &&
		    s->actions.a[i].field == VSW_F_METADATA) {
			uint64_t v;

			memcpy(&v, s->actions.a[i].value, sizeof(v));
			return (int64_t)v;
		}
	return -1;
}

static void violation(struct fake *fk, const char *after, const char *fmt, ...)
{
	va_list ap;

	fprintf(fk->log, "{\"violation\": \"after %s: ", after);
	va_start(ap, fmt);
	vfprintf(fk->log, fmt, ap);
	va_end(ap);
	fprintf(fk->log, "\"}\n");
}

/*
 * MAC learning, as TENANTS.md has it: `normal` learns a source MAC on the
 * input port in the domain the frame entered, member or not, and
 * domain-set forgets the MACs learned on ports that are not members. So a
 * port that can send into a domain may be learned there (and then get its
 * unicast traffic) until a domain-set without it comes after it stopped.
 */
static int uplink_vlan(uint32_t port, const struct vsw_flow_spec *s)
{
	return port == FAKE_UPLINK ? (int)(s->match.key.vlan_tci & 0xfff) : -1;
}

static bool has_entry(json_t *arr, uint32_t port, int vlan)
{
	json_t *x;
	size_t i;

	json_array_foreach(arr, i, x)
		if (json_integer_value(json_object_get(x, "port")) == port &&
		    json_integer_value(json_object_get(x, "vlan")) == vlan)
			return true;
	return false;
}

static void learn(struct fake *fk)
{
	const char *name;
	json_t *p;

	json_object_foreach(fk->ports, name, p) {
		uint32_t no = (uint32_t)json_integer_value(json_object_get(p, "port_no"));

		if (json_integer_value(json_object_get(p, "table")) != 250)
			continue;
		for (size_t f = 0; f < fk->n_flows; f++) {
			const struct vsw_flow_spec *s = &fk->flows[f].spec;
			int64_t md = metadata_of(s);
			char key[32];
			json_t *arr;

			if (s->table != 250 || md < 0 || s->match.key.in_port != no)
				continue;
			snprintf(key, sizeof(key), "%lld", (long long)md);
			if (!json_object_get(fk->domains, key))
				continue; /* no domain: dropped, nothing learned */
			arr = json_object_get(fk->learned, key);
			if (!arr) {
				arr = json_array();
				json_object_set_new(fk->learned, key, arr);
			}
			if (has_entry(arr, no, uplink_vlan(no, s)))
				continue;
			json_array_append_new(arr, json_pack("{s:I,s:i}", "port", (json_int_t)no,
							     "vlan", uplink_vlan(no, s)));
			if (no == FAKE_VXLAN) { /* behind the VTEP it came from */
				uint32_t ip = s->match.key.tun_src; /* network order */
				char a[16];

				inet_ntop(AF_INET, &ip, a, sizeof(a));
				json_object_set_new(json_array_get(arr, json_array_size(arr) - 1),
						    "vtep", json_string(a));
			}
		}
	}
}

/* domain-set: the MACs of ports that are not members are forgotten. */
static void forget(struct fake *fk, const char *key, json_t *domain)
{
	json_t *arr = json_object_get(fk->learned, key), *keep = json_array(), *x, *m;
	size_t i, j;

	json_array_foreach(arr, i, x) {
		json_int_t port = json_integer_value(json_object_get(x, "port"));
		json_int_t vlan = json_integer_value(json_object_get(x, "vlan"));
		bool member = false;

		json_array_foreach(json_object_get(domain, "members"), j, m)
			member |= json_integer_value(json_object_get(m, "port")) == port &&
				  (vlan < 0 || json_integer_value(json_object_get(m, "vlan")) == vlan);
		json_array_foreach(json_object_get(domain, "vteps"), j, m)
			member |= json_object_get(x, "vtep") &&
				  json_equal(json_object_get(m, "ip"), json_object_get(x, "vtep"));
		if (member)
			json_array_append(keep, x);
	}
	json_object_set_new(fk->learned, key, keep);
}

/* Tenants that port `no` (VLAN `vlan` on the uplink) may send to or receive from. */
static void check_port(struct fake *fk, const char *after, uint32_t no, int vlan, unsigned table)
{
	uint32_t seen = 0;
	const char *key;
	json_t *d, *m;
	size_t i;

#define SEE(t, what)                                                                     \
	do {                                                                             \
		if (seen && seen != (t))                                                 \
			violation(fk, after, "port %u vlan %d: tenants %u and %u (%s)", no, vlan, \
				  seen, (uint32_t)(t), what);                             \
		seen = (t);                                                              \
	} while (0)
	for (size_t f = 0; table == 250 && f < fk->n_flows; f++) {
		const struct vsw_flow_spec *s = &fk->flows[f].spec;
		int64_t md = metadata_of(s);

		if (s->table != 250 || md < 0 || s->match.key.in_port != no)
			continue;
		if (vlan >= 0 && (s->match.key.vlan_tci & 0xfff) != vlan)
			continue;
		SEE((uint32_t)(md >> 12), "admission");
	}
	json_object_foreach(fk->domains, key, d) {
		json_array_foreach(json_object_get(d, "members"), i, m) {
			if (json_integer_value(json_object_get(m, "port")) != no ||
			    (vlan >= 0 && json_integer_value(json_object_get(m, "vlan")) != vlan))
				continue;
			SEE((uint32_t)(strtoul(key, NULL, 10) >> 12), "member");
			if (table != 250)
				violation(fk, after, "port %u at table %u is a member of domain %s", no,
					  table, key);
		}
	}
	json_object_foreach(fk->learned, key, d)
		if (has_entry(d, no, vlan))
			SEE((uint32_t)(strtoul(key, NULL, 10) >> 12), "learned");
#undef SEE
}

static void monitor(struct fake *fk, const char *after)
{
	const char *name;
	json_t *p;

	learn(fk);
	json_object_foreach(fk->ports, name, p) {
		uint32_t no = (uint32_t)json_integer_value(json_object_get(p, "port_no"));
		unsigned table = (unsigned)json_integer_value(json_object_get(p, "table"));

		if (no == FAKE_VXLAN)
			continue;
		if (no != FAKE_UPLINK) {
			check_port(fk, after, no, -1, table);
			continue;
		}
		for (int v = 1; v < 4095; v++)
			check_port(fk, after, no, v, table);
	}
}

static json_t *fake_batch(struct fake *fk, json_t *req)
{
	json_t *op;
	long long del = 0;
	size_t i;

	json_array_foreach(json_object_get(req, "ops"), i, op) {
		const char *kind = json_string_value(json_object_get(op, "op"));
		const char *flow = json_string_value(json_object_get(op, "flow"));

		if (!strcmp(kind, "add"))
			flow_add(fk, flow);
		else
			del += flow_del(fk, flow, json_is_true(json_object_get(op, "strict")));
	}
	return json_pack("{s:b,s:I}", "ok", 1, "deleted", (json_int_t)del);
}

static json_t *values(json_t *obj)
{
	json_t *out = json_array(), *v;
	const char *k;

	json_object_foreach(obj, k, v)
		json_array_append(out, v);
	return out;
}

static json_t *fake_reply(struct fake *fk, json_t *req, const char *boot_id)
{
	const char *cmd = json_string_value(json_object_get(req, "cmd"));
	const char *name = json_string_value(json_object_get(req, "name"));
	char key[32];

	if (!strcmp(cmd, "hello"))
		return json_pack("{s:b,s:i,s:s}", "ok", 1, "pid", 1, "boot_id", boot_id);
	if (!strcmp(cmd, "port-add")) {
		json_t *e = json_deep_copy(req);

		json_object_del(e, "cmd");
		if (!json_object_get(e, "table"))
			json_object_set_new(e, "table", json_integer(0));
		json_object_set_new(fk->ports, name, e);
	} else if (!strcmp(cmd, "port-del")) {
		json_object_del(fk->ports, name);
	} else if (!strcmp(cmd, "port-mod")) {
		json_object_set(json_object_get(fk->ports, name), "table",
				json_object_get(req, "table"));
	} else if (!strcmp(cmd, "port-list")) {
		return json_pack("{s:b,s:o}", "ok", 1, "ports", values(fk->ports));
	} else if (!strcmp(cmd, "flow-batch")) {
		return fake_batch(fk, req);
	} else if (!strcmp(cmd, "flow-list")) {
		json_t *out = json_array();

		for (size_t i = 0; i < fk->n_flows; i++) /* every rule saw 7 packets */
			json_array_append_new(out, json_pack("{s:s,s:i,s:i}", "flow",
							     fk->flows[i].text, "n_packets", 7,
							     "n_bytes", 700));
		return json_pack("{s:b,s:o}", "ok", 1, "flows", out);
	} else if (!strcmp(cmd, "table-list")) {
		return json_pack("{s:b,s:[]}", "ok", 1, "tables");
	} else if (!strcmp(cmd, "domain-set")) {
		json_t *e = json_deep_copy(req);

		if (fk->refuse && json_integer_value(json_object_get(req, "id")) == FAKE_REFUSED_DOMAIN) {
			json_decref(e);
			return vsw_proto_error("domain-set: no room for domain %d", FAKE_REFUSED_DOMAIN);
		}
		json_object_del(e, "cmd");
		snprintf(key, sizeof(key), "%lld", json_integer_value(json_object_get(req, "id")));
		forget(fk, key, e);
		json_object_set_new(fk->domains, key, e);
	} else if (!strcmp(cmd, "domain-del")) {
		snprintf(key, sizeof(key), "%lld", json_integer_value(json_object_get(req, "id")));
		json_object_del(fk->domains, key);
		json_object_del(fk->learned, key);
	} else if (!strcmp(cmd, "domain-list") && fk->no_domains) {
		return vsw_proto_error("unknown command 'domain-list'");
	} else if (!strcmp(cmd, "domain-list")) {
		json_t *list = values(fk->domains), *d;
		size_t i;

		json_array_foreach(list, i, d) /* every domain learned 3 MACs */
			json_object_set_new(d, "learned", json_integer(3));
		return json_pack("{s:b,s:o}", "ok", 1, "domains", list);
	} else if (!strcmp(cmd, "mac-list")) {
		json_t *out = json_array(), *arr, *x, *want = json_object_get(req, "domain");
		const char *k;
		size_t i;

		json_object_foreach(fk->learned, k, arr) {
			json_int_t d = (json_int_t)strtoll(k, NULL, 10);

			if (want && json_integer_value(want) != d)
				continue;
			json_array_foreach(arr, i, x) {
				json_int_t port = json_integer_value(json_object_get(x, "port"));
				char mac[18];

				snprintf(mac, sizeof(mac), "02:00:00:00:%02x:%02x",
					 (unsigned)(port >> 8 & 0xff), (unsigned)(port & 0xff));
				json_array_append_new(out, json_pack("{s:I,s:s,s:I,s:i}", "domain", d,
								     "mac", mac, "port", port,
								     "age", 3));
				if (json_object_get(x, "vtep"))
					json_object_set(json_array_get(out, json_array_size(out) - 1),
							"vtep", json_object_get(x, "vtep"));
			}
		}
		return json_pack("{s:b,s:o}", "ok", 1, "macs", out);
	} else if (!strcmp(cmd, "vtep-set")) {
		json_t *e = json_deep_copy(req);

		json_object_del(e, "cmd");
		json_object_set_new(fk->vteps, json_string_value(json_object_get(req, "ip")), e);
	} else if (!strcmp(cmd, "vtep-del")) {
		json_object_del(fk->vteps, json_string_value(json_object_get(req, "ip")));
	} else if (!strcmp(cmd, "vtep-list")) {
		return json_pack("{s:b,s:o}", "ok", 1, "vteps", values(fk->vteps));
	} else if (!strcmp(cmd, "fake-refuse")) {
		fk->refuse = true;
	} else if (!strcmp(cmd, "fake-accept")) {
		fk->refuse = false;
	} else if (!strcmp(cmd, "fake-no-domains")) {
		fk->no_domains = true;
	} else if (strcmp(cmd, "table-mod")) {
		return vsw_proto_error("fake: unknown command '%s'", cmd);
	}
	return vsw_proto_ok();
}

static void fake_run(int fd, const char *log_path, const char *boot_id)
{
	struct fake fk = { json_object(), NULL, 0, json_object(), json_object(), json_object(),
			   false, false, NULL };
	struct vsw_proto_reader rd;
	json_t *req, *r;

	fk.log = fopen(log_path, "a");
	vsw_proto_reader_init(&rd);
	while (fk.log && vsw_proto_read(fd, &rd, &req) == 1) {
		const char *cmd = json_string_value(json_object_get(req, "cmd"));

		json_dumpf(req, fk.log, JSON_COMPACT);
		fputc('\n', fk.log);
		r = fake_reply(&fk, req, boot_id);
		if (!strstr(cmd, "-list") && strcmp(cmd, "hello"))
			monitor(&fk, cmd);
		fflush(fk.log);
		json_decref(req);
		if (vsw_proto_send(fd, r))
			break;
		json_decref(r);
	}
	_exit(0);
}

/* ---- the test's side ---- */

void start_fake(struct env *e, const char *boot_id)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	e->child = fork();
	assert_true(e->child >= 0);
	if (e->child == 0) {
		close(sv[0]);
		fake_run(sv[1], e->log, boot_id);
	}
	close(sv[1]);
	vsw_dpconn_fini(&e->ctl.dp);
	assert_int_equal(vsw_dpconn_init(&e->ctl.dp, e->dir, &e->ctl.log), 0);
	e->ctl.dp.fd = sv[0];
	snprintf(e->ctl.dp.boot_id, sizeof(e->ctl.dp.boot_id), "%s", boot_id);
}

void stop_fake(struct env *e)
{
	if (e->child > 0) {
		kill(e->child, SIGKILL);
		waitpid(e->child, NULL, 0);
		e->child = 0;
	}
}

/* Lines of the fake's log: requests (with cmd) and violations. */
static json_t *log_lines(struct env *e)
{
	FILE *f = fopen(e->log, "r");
	json_t *out = json_array();
	char *line = NULL;
	size_t cap = 0;

	while (f && getline(&line, &cap, f) > 0)
		json_array_append_new(out, json_loads(line, 0, NULL));
	free(line);
	if (f)
		fclose(f);
	return out;
}

void assert_no_violation(struct env *e)
{
	json_t *lines = log_lines(e), *l;
	size_t i;
	bool bad = false;

	json_array_foreach(lines, i, l) {
		const char *v = json_string_value(json_object_get(l, "violation"));

		if (v) {
			print_error("%s\n", v);
			bad = true;
		}
	}
	json_decref(lines);
	if (bad)
		fail_msg("isolation broken on the way (above)");
}

/* The commands the fake got since the log was last truncated, as "cmd" or "cmd:id". */
size_t commands(struct env *e, char out[][48], size_t max)
{
	json_t *lines = log_lines(e), *l;
	size_t i, n = 0;

	json_array_foreach(lines, i, l) {
		const char *cmd = json_string_value(json_object_get(l, "cmd"));
		json_t *id = json_object_get(l, "id"), *name = json_object_get(l, "name");

		if (!cmd || n == max)
			continue;
		if (json_is_integer(id))
			snprintf(out[n++], 48, "%s:%lld", cmd, json_integer_value(id));
		else if (json_is_string(name))
			snprintf(out[n++], 48, "%s:%s", cmd, json_string_value(name));
		else
			snprintf(out[n++], 48, "%s", cmd);
	}
	json_decref(lines);
	return n;
}

long where(char cmds[][48], size_t n, const char *cmd)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(cmds[i], cmd) == 0)
			return (long)i;
	fail_msg("no '%s' sent", cmd);
	return -1;
}

void clear_log(struct env *e)
{
	FILE *f = fopen(e->log, "w");

	if (f)
		fclose(f);
}

/* The request the fake got for `cmd` with this name (the last one), or NULL. */
json_t *request(struct env *e, const char *cmd, const char *name)
{
	json_t *lines = log_lines(e), *l, *hit = NULL;
	size_t i;

	json_array_foreach(lines, i, l) {
		const char *c = json_string_value(json_object_get(l, "cmd"));
		const char *n = json_string_value(json_object_get(l, "name"));

		if (c && !strcmp(c, cmd) && (!name || (n && !strcmp(n, name)))) {
			json_decref(hit);
			hit = json_incref(l);
		}
	}
	json_decref(lines);
	return hit;
}
