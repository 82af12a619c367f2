/* SPDX-License-Identifier: BSD-3-Clause */
/* The dataplane's mirror commands (ctl.h, tap.h, PROTOCOL.md). Main lcore only. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>


#include "ctl.h"
#include "flow.h"
#include "log.h"
#include "proto.h"

static int find(const struct vsw_dp *dp, const char *name)
{
	for (unsigned int i = 0; i < dp->n_mirrors; i++)
		if (!strcmp(dp->mirrors[i]->name, name))
			return (int)i;
	return -1;
}

/*
 * Free mirrors that left dp->mirrors. vsw_taps_update() waits for a grace
 * period only when some port's taps changed; telemetry may read a mirror
 * that taps no port, so wait here too.
 */
static void free_mirrors(struct vsw_dp *dp, struct vsw_mirror **m, unsigned int n)
{
	if (!n)
		return;
	rte_rcu_qsbr_synchronize(dp->qs, RTE_QSBR_THRID_INVALID);
	for (unsigned int i = 0; i < n; i++)
		free(m[i]);
}

static bool valid_port_no(const json_t *v)
{
	return json_is_integer(v) && json_integer_value(v) >= 1 &&
	       json_integer_value(v) <= VSW_PORT_MAX;
}

/* The request as a mirror (counters zero), or NULL and the error reply. */
static struct vsw_mirror *from_request(json_t *req, json_t **reply)
{
	const char *name = json_string_value(json_object_get(req, "name"));
	json_t *src = json_object_get(req, "src"), *dst = json_object_get(req, "dst"), *v;
	struct vsw_mirror *m;
	size_t i;

	if (!name || !*name || strlen(name) >= VSW_MIRROR_NAME_MAX) {
		*reply = vsw_proto_error("mirror-set: \"name\" must be 1..%d characters",
					 VSW_MIRROR_NAME_MAX - 1);
		return NULL;
	}
	if (!json_is_array(src) || json_array_size(src) < 1 ||
	    json_array_size(src) > VSW_MIRROR_MAX_SRC) {
		*reply = vsw_proto_error("mirror-set: \"src\" must be an array of 1..%d port numbers",
					 VSW_MIRROR_MAX_SRC);
		return NULL;
	}
	if (!valid_port_no(dst)) {
		*reply = vsw_proto_error("mirror-set: \"dst\" must be a port number 1..%u",
					 VSW_PORT_MAX);
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		*reply = vsw_proto_error("mirror-set: out of memory");
		return NULL;
	}
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->dst = (uint32_t)json_integer_value(dst);
	json_array_foreach(src, i, v) {
		uint32_t no = (uint32_t)json_integer_value(v);

		if (!valid_port_no(v)) {
			*reply = vsw_proto_error("mirror-set: src[%zu] is not a port number 1..%u", i,
						 VSW_PORT_MAX);
			goto err_free;
		}
		if (no == m->dst) {
			*reply = vsw_proto_error("mirror-set: port %u is both a source and the destination",
						 no);
			goto err_free;
		}
		for (uint16_t k = 0; k < m->n_src; k++)
			if (m->src[k] == no) {
				*reply = vsw_proto_error("mirror-set: port %u is a source twice", no);
				goto err_free;
			}
		m->src[m->n_src++] = no;
	}
	return m;

err_free:
	free(m);
	return NULL;
}

static bool same(const struct vsw_mirror *a, const struct vsw_mirror *b)
{
	return a->dst == b->dst && a->n_src == b->n_src &&
	       !memcmp(a->src, b->src, a->n_src * sizeof(a->src[0]));
}

static json_t *cmd_mirror_set(struct vsw_dp *dp, json_t *req)
{
	json_t *reply = NULL;
	struct vsw_mirror *m = from_request(req, &reply), *old = NULL;
	int i;

	if (!m)
		return reply;
	i = find(dp, m->name);
	if (i >= 0 && same(dp->mirrors[i], m)) {
		free(m); /* already so: the counters go on */
		return vsw_proto_ok();
	}
	if (i < 0 && dp->n_mirrors == VSW_MAX_MIRRORS) {
		free(m);
		return vsw_proto_error("mirror-set: too many mirrors (at most %d)", VSW_MAX_MIRRORS);
	}
	if (i >= 0) {
		old = dp->mirrors[i];
		dp->mirrors[i] = m;
	} else {
		dp->mirrors[dp->n_mirrors++] = m;
	}
	vsw_taps_update(dp, NULL); /* returns after the grace period */
	if (old)
		free_mirrors(dp, &old, 1);
	VSW_LOG(ctl, INFO, "mirror %s: %u source(s) to port %u", m->name, m->n_src,
		m->dst);
	return vsw_proto_ok();
}

static json_t *cmd_mirror_del(struct vsw_dp *dp, json_t *req)
{
	const char *name = json_string_value(json_object_get(req, "name"));
	int i = name ? find(dp, name) : -1;
	struct vsw_mirror *m;

	if (i < 0)
		return vsw_proto_error("mirror-del: no mirror '%.64s'", name ? name : "");
	m = dp->mirrors[i];
	dp->mirrors[i] = dp->mirrors[--dp->n_mirrors];
	dp->mirrors[dp->n_mirrors] = NULL;
	vsw_taps_update(dp, NULL);
	VSW_LOG(ctl, INFO, "mirror %s deleted", m->name);
	free_mirrors(dp, &m, 1);
	return vsw_proto_ok();
}

static json_t *mirror_json(const struct vsw_mirror *m)
{
	json_t *src = json_array();

	for (uint16_t i = 0; src && i < m->n_src; i++)
		json_array_append_new(src, json_integer(m->src[i]));
	return json_pack("{s:s,s:o,s:i,s:I,s:I,s:I}", "name", m->name, "src", src, "dst",
			 (int)m->dst, "packets", (json_int_t)atomic_load(&m->packets), "bytes",
			 (json_int_t)atomic_load(&m->bytes), "drops",
			 (json_int_t)atomic_load(&m->drops));
}

static json_t *cmd_mirror_list(struct vsw_dp *dp, json_t *req)
{
	json_t *list = json_array();

	(void)req;
	for (unsigned int i = 0; list && i < dp->n_mirrors; i++)
		json_array_append_new(list, mirror_json(dp->mirrors[i]));
	return json_pack("{s:b,s:o}", "ok", 1, "mirrors", list);
}

void vsw_ctl_del_all_mirrors(struct vsw_dp *dp)
{
	unsigned int n = dp->n_mirrors;

	struct vsw_mirror *gone[VSW_MAX_MIRRORS];

	dp->n_mirrors = 0;
	vsw_taps_update(dp, NULL);
	for (unsigned int i = 0; i < n; i++)
		gone[i] = atomic_exchange(&dp->mirrors[i], NULL);
	free_mirrors(dp, gone, n);
}

const struct vsw_ctl_cmd vsw_ctl_mirror_cmds[] = {
	{ "mirror-set", cmd_mirror_set, false },
	{ "mirror-del", cmd_mirror_del, false },
	{ "mirror-list", cmd_mirror_list, true },
	{ NULL, NULL, false },
};
