/* SPDX-License-Identifier: BSD-3-Clause */
/* Mirror commands: add-mirror, del-mirror, list-mirrors (mirror.h, PROTOCOL.md). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mgmt_cmds.h"
#include "mirror.h"
#include "proto.h"

/* The dataplane's mirror-list array (a new reference), or NULL: not connected or refused. */
static json_t *dp_mirrors(struct vsw_control *ctl)
{
	json_t *reply, *list;
	char err[256];
	int rc;

	if (!vsw_dpconn_connected(&ctl->dp))
		return NULL;
	rc = vsw_dpconn_call(&ctl->dp, json_pack("{s:s}", "cmd", "mirror-list"), &reply, err,
			     sizeof(err));
	if (rc) {
		if (rc == -EREMOTEIO)
			vsw_warn(&ctl->log, "mirror-list: %s", err);
		return NULL;
	}
	list = json_object_get(reply, "mirrors");
	list = json_is_array(list) ? json_incref(list) : NULL;
	json_decref(reply);
	return list;
}

static bool dp_has(json_t *list, const char *name)
{
	size_t i;
	json_t *e;

	json_array_foreach(list, i, e) {
		const char *n = json_string_value(json_object_get(e, "name"));

		if (n && !strcmp(n, name))
			return true;
	}
	return false;
}

static json_t *add_mirror(struct vsw_control *ctl, json_t *req)
{
	const char *name, *dst, **src = NULL;
	struct vsw_mirror_cfg m;
	json_t *r = NULL;
	char err[512];
	size_t n_src;
	int rc, dp_rc;

	if (vsw_mgmt_arg_str(req, "name", true, &name, &r) ||
	    vsw_mgmt_arg_lines(req, "src", &src, &n_src, &r) ||
	    vsw_mgmt_arg_str(req, "dst", true, &dst, &r)) {
		free(src);
		return r;
	}
	rc = vsw_config_new_mirror(&ctl->cfg, name, src, n_src, dst, vsw_mirror_port_tenant, &m,
				   err, sizeof(err));
	free(src);
	if (rc)
		return vsw_proto_error("%s", err);
	if (vsw_config_reserve_mirror(&ctl->cfg))
		return vsw_proto_error("out of memory");

	rc = vsw_store_begin(ctl->store);
	if (!rc)
		rc = vsw_store_put_mirror(ctl->store, &m);
	if (rc)
		return vsw_mgmt_store_failed(ctl, "add-mirror", rc);
	dp_rc = vsw_dpconn_call(&ctl->dp, vsw_mirror_set_request(&ctl->cfg, &m), &r, err,
				sizeof(err));
	json_decref(r);
	if (dp_rc == -EREMOTEIO || dp_rc == -ENOMEM) {
		vsw_store_rollback(ctl->store);
		return dp_rc == -ENOMEM ? vsw_proto_error("out of memory") :
					  vsw_proto_error("dataplane: %s", err);
	}
	r = vsw_mgmt_commit(ctl, "add-mirror", dp_rc);
	if (r)
		return r;
	vsw_config_add_mirror(&ctl->cfg, &m); /* room reserved: cannot fail */
	vsw_info(&ctl->log, "add-mirror %s: %zu source(s) to %s%s", m.name, m.n_src, m.dst,
		 vsw_mgmt_dp_note(dp_rc));
	return vsw_proto_ok();
}

static json_t *del_mirror(struct vsw_control *ctl, json_t *req)
{
	const char *name;
	json_t *r = NULL, *list;
	char err[512];
	int rc, dp_rc;

	if (vsw_mgmt_arg_str(req, "name", true, &name, &r))
		return r;
	if (!vsw_config_find_mirror(&ctl->cfg, name))
		return vsw_proto_error("no mirror '%.64s'", name);

	rc = vsw_store_begin(ctl->store);
	if (!rc)
		rc = vsw_store_del_mirror(ctl->store, name);
	if (rc)
		return vsw_mgmt_store_failed(ctl, "del-mirror", rc);
	dp_rc = vsw_dpconn_call(&ctl->dp, json_pack("{s:s,s:s}", "cmd", "mirror-del", "name", name),
				&r, err, sizeof(err));
	json_decref(r);
	if (dp_rc == -EREMOTEIO) {
		/* A mirror the dataplane never had (mirror-set failed) is gone all the same. */
		list = dp_mirrors(ctl);
		if (!list || dp_has(list, name)) {
			json_decref(list);
			vsw_store_rollback(ctl->store);
			return vsw_proto_error("dataplane: %s", err);
		}
		json_decref(list);
	}
	r = vsw_mgmt_commit(ctl, "del-mirror", dp_rc);
	if (r)
		return r;
	vsw_config_del_mirror(&ctl->cfg, name);
	vsw_info(&ctl->log, "del-mirror %s%s", name, vsw_mgmt_dp_note(dp_rc));
	return vsw_proto_ok();
}

static json_t *mirror_json(const struct vsw_mirror_cfg *m, json_t *live, const char *state)
{
	json_t *src = json_array();
	static const char *const counters[] = { "packets", "bytes", "drops" };
	json_t *o;

	for (size_t i = 0; src && i < m->n_src; i++)
		json_array_append_new(src, json_string(m->src[i]));
	o = json_pack("{s:s,s:o,s:s,s:s}", "name", m->name, "src", src, "dst", m->dst, "state",
		      live ? "active" : state);
	for (size_t i = 0; o && i < sizeof(counters) / sizeof(counters[0]); i++)
		json_object_set_new(o, counters[i],
				    json_integer(live ? json_integer_value(json_object_get(
								live, counters[i])) : 0));
	return o;
}

static json_t *list_mirrors(struct vsw_control *ctl, json_t *req)
{
	const struct vsw_config *cfg = &ctl->cfg;
	json_t *have = dp_mirrors(ctl), *out = json_array(), *r;

	(void)req;
	for (size_t i = 0; out && i < cfg->n_mirrors; i++) {
		const struct vsw_mirror_cfg *m = &cfg->mirrors[i];
		json_t *live = NULL, *e;
		size_t k;

		json_array_foreach(have, k, e)
			if (vsw_mirror_matches(cfg, m, e))
				live = e;
		/* Connected but not there as configured: a mirror-set that failed. */
		json_array_append_new(out, mirror_json(m, live, have ? "missing" : "unknown"));
	}
	json_decref(have);
	if (!out)
		return vsw_proto_error("out of memory");
	r = vsw_proto_ok();
	json_object_set_new(r, "mirrors", out);
	return r;
}

const struct vsw_mgmt_cmd vsw_mgmt_mirror_cmds[] = {
	{ "add-mirror", add_mirror, false },
	{ "del-mirror", del_mirror, false },
	{ "list-mirrors", list_mirrors, true },
	{ NULL, NULL, false },
};
