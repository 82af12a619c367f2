/* SPDX-License-Identifier: BSD-3-Clause */
/* The vsw-control handler tests' fixture: see mgmt_fixture.h. */
#include "mgmt_fixture.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tenant_sync.h"

void open_control(struct fixture *f)
{
	char err[512];

	memset(&f->ctl, 0, sizeof(f->ctl));
	vsw_mgmt_logs_init(&f->ctl, VSW_LOG_ERROR); /* keep test output quiet */
	f->ctl.run_dir = f->dir;
	f->ctl.db_path = f->db;
	vsw_config_init(&f->ctl.cfg);
	assert_int_equal(vsw_dpconn_init(&f->ctl.dp, f->dir, &f->ctl.log), 0);
	f->ctl.store = vsw_store_open(f->db, err, sizeof(err));
	if (!f->ctl.store)
		fail_msg("%s", err);
	if (vsw_store_load(f->ctl.store, &f->ctl.cfg, err, sizeof(err)))
		fail_msg("%s", err);
}

void close_control(struct fixture *f)
{
	vsw_dpconn_fini(&f->ctl.dp);
	vsw_tenant_state_destroy(f->ctl.tenant); /* made by the reconcile when needed */
	f->ctl.tenant = NULL;
	vsw_store_close(f->ctl.store);
	vsw_config_free(&f->ctl.cfg);
	f->ctl.store = NULL;
	if (f->child > 0) {
		kill(f->child, SIGKILL);
		waitpid(f->child, NULL, 0);
		f->child = 0;
	}
}

int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/vsw-mgmt-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/vsw.db", f->dir);
	snprintf(f->dp_log, sizeof(f->dp_log), "%s/dataplane-requests.log", f->dir);
	open_control(f);
	*state = f;
	return 0;
}

int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[200];

	close_control(f);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

json_t *call(struct fixture *f, const char *text)
{
	json_error_t jerr;
	json_t *req = json_loads(text, 0, &jerr), *r;

	if (!req)
		fail_msg("bad test JSON %s: %s", text, jerr.text);
	r = vsw_mgmt_dispatch(&f->ctl, req);
	json_decref(req);
	assert_non_null(r);
	return r;
}

void expect_ok(struct fixture *f, const char *text)
{
	json_t *r = call(f, text);

	if (!json_is_true(json_object_get(r, "ok")))
		fail_msg("%s -> %s", text, json_string_value(json_object_get(r, "error")));
	json_decref(r);
}

void expect_error(struct fixture *f, const char *text, const char *error)
{
	json_t *r = call(f, text);

	if (json_is_true(json_object_get(r, "ok")))
		fail_msg("%s: ok, expected the error '%s'", text, error);
	assert_string_equal(json_string_value(json_object_get(r, "error")), error);
	json_decref(r);
}

long long reply_int(struct fixture *f, const char *req, const char *key)
{
	json_t *r = call(f, req);
	long long n;

	if (!json_is_true(json_object_get(r, "ok")))
		fail_msg("%s -> %s", req, json_string_value(json_object_get(r, "error")));
	if (!json_is_integer(json_object_get(r, key)))
		fail_msg("%s: no integer '%s' in the reply", req, key);
	n = json_integer_value(json_object_get(r, key));
	json_decref(r);
	return n;
}

json_t *flows_of(struct fixture *f, const char *req)
{
	json_t *r = call(f, req), *flows = json_incref(json_object_get(r, "flows"));

	assert_true(json_is_array(flows));
	json_decref(r);
	return flows;
}

/* ---- the scripted dataplane ---- */

static bool has(const char *s, const char *part)
{
	return s && strstr(s, part);
}

static json_t *batch_reply(json_t *req, json_t *flows)
{
	json_t *ops = json_object_get(req, "ops"), *op;
	long long deleted = 0;
	size_t i;

	json_array_foreach(ops, i, op) {
		const char *kind = json_string_value(json_object_get(op, "op"));
		const char *flow = json_string_value(json_object_get(op, "flow"));

		if (has(flow, "table=9,"))
			return vsw_proto_error("flow-batch: op %zu: table 9 is not yours", i);
		if (!strcmp(kind, "del") && has(flow, "priority=66"))
			return vsw_proto_error("flow-batch: op %zu: cannot delete that", i);
		if (!strcmp(kind, "mod") && has(flow, "priority=77"))
			return vsw_proto_error("flow-batch: op %zu: unknown op 'mod' (add or del)", i);
	}
	json_array_foreach(ops, i, op) {
		const char *kind = json_string_value(json_object_get(op, "op"));

		if (!strcmp(kind, "del"))
			deleted++;
		else
			json_array_append(flows, json_object_get(op, "flow"));
	}
	return json_pack("{s:b,s:I}", "ok", 1, "deleted", (json_int_t)deleted);
}

static json_t *flow_list(json_t *flows)
{
	json_t *out = json_array(), *t;
	size_t i;

	json_array_foreach(flows, i, t)
		json_array_append_new(out, json_pack("{s:O,s:i,s:i,s:i,s:i}", "flow", t,
						     "n_packets", 3, "n_bytes", 180,
						     "duration_ms", 7000, "idle_ms",
						     has(json_string_value(t), "idle_timeout=2,") ?
						     5000 : 0));
	return json_pack("{s:b,s:o}", "ok", 1, "flows", out);
}

static json_t *scripted_reply(json_t *req, json_t *flows)
{
	const char *cmd = json_string_value(json_object_get(req, "cmd"));
	const char *path = json_string_value(json_object_get(req, "path"));
	const char *flow = json_string_value(json_object_get(req, "flow"));

	if (!strcmp(cmd, "hello"))
		return json_pack("{s:b,s:i,s:s}", "ok", 1, "pid", 1, "boot_id", "test");
	if (!strcmp(cmd, "port-add") && has(path, "/nonexistent/"))
		return vsw_proto_error("cannot create socket %s: No such file or directory", path);
	if (!strcmp(cmd, "flow-add") && has(flow, "table=9,"))
		return vsw_proto_error("table 9 is not yours");
	if (!strcmp(cmd, "flow-add"))
		json_array_append(flows, json_object_get(req, "flow"));
	if (!strcmp(cmd, "flow-del"))
		return json_pack("{s:b,s:i}", "ok", 1, "deleted", 1);
	if (!strcmp(cmd, "flow-batch"))
		return batch_reply(req, flows);
	if (!strcmp(cmd, "port-list"))
		return json_pack("{s:b,s:[]}", "ok", 1, "ports");
	if (!strcmp(cmd, "flow-list"))
		return flow_list(flows);
	if (!strcmp(cmd, "table-list"))
		return json_pack("{s:b,s:[{s:i,s:i,s:i,s:i,s:s}]}", "ok", 1, "tables", "table", 0,
				 "active", 1, "lookups", 10, "matches", 8, "miss", "drop");
	if (!strcmp(cmd, "table-mod") && json_integer_value(json_object_get(req, "table")) == 9)
		return vsw_proto_error("table 9 is not yours");
	if (!strcmp(cmd, "log-level") && !json_object_get(req, "module"))
		return json_pack("{s:b,s:[{s:s,s:s}]}", "ok", 1, "modules", "module", "vsw.pmd",
				 "level", "info");
	if (!strcmp(cmd, "port-del") && !strcmp(json_string_value(json_object_get(req, "name")), "die"))
		return NULL; /* hang up instead of answering */
	return vsw_proto_ok();
}

static void scripted_dataplane(int fd, const char *log_path)
{
	struct vsw_proto_reader rd;
	json_t *req, *r, *flows = json_array();
	FILE *log = fopen(log_path, "a");

	vsw_proto_reader_init(&rd);
	while (log && vsw_proto_read(fd, &rd, &req) == 1) {
		json_dumpf(req, log, JSON_COMPACT);
		fputc('\n', log);
		fflush(log);
		r = scripted_reply(req, flows);
		json_decref(req);
		if (!r || vsw_proto_send(fd, r))
			break;
		json_decref(r);
	}
	_exit(0);
}

void attach_dataplane(struct fixture *f)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	f->child = fork();
	assert_true(f->child >= 0);
	if (f->child == 0) {
		close(sv[0]);
		scripted_dataplane(sv[1], f->dp_log);
	}
	close(sv[1]);
	f->ctl.dp.fd = sv[0];
}

json_t *dp_requests(struct fixture *f, const char *cmd)
{
	FILE *log = fopen(f->dp_log, "r");
	json_t *out = json_array(), *req;
	char *line = NULL;
	size_t cap = 0;

	while (log && getline(&line, &cap, log) > 0) {
		req = json_loads(line, 0, NULL);
		if (req && !strcmp(json_string_value(json_object_get(req, "cmd")), cmd))
			json_array_append(out, req);
		json_decref(req);
	}
	free(line);
	if (log)
		fclose(log);
	return out;
}
