/* SPDX-License-Identifier: BSD-3-Clause */
/* The connection to vsw-dataplane: see dpconn.h. */
#include "dpconn.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int vsw_dpconn_init(struct vsw_dpconn *dp, const char *run_dir, const struct vsw_log *log)
{
	memset(dp, 0, sizeof(*dp));
	dp->fd = -1;
	dp->timeout_ms = VSW_DPCONN_TIMEOUT_MS;
	dp->log = log;
	vsw_proto_reader_init(&dp->rd);
	return vsw_proto_path(dp->path, sizeof(dp->path), run_dir, VSW_DATAPLANE_SOCK);
}

void vsw_dpconn_fini(struct vsw_dpconn *dp)
{
	if (dp->fd >= 0)
		close(dp->fd);
	dp->fd = -1;
	vsw_proto_reader_free(&dp->rd);
}

bool vsw_dpconn_due(const struct vsw_dpconn *dp)
{
	return dp->fd < 0 && now_ms() >= dp->next_try_ms;
}

int vsw_dpconn_poll_timeout(const struct vsw_dpconn *dp)
{
	long long left;

	if (dp->fd >= 0)
		return -1;
	left = dp->next_try_ms - now_ms();
	return left < 0 ? 0 : left > VSW_DPCONN_RETRY_MS ? VSW_DPCONN_RETRY_MS : (int)left;
}

void vsw_dpconn_close(struct vsw_dpconn *dp, const char *why)
{
	if (dp->fd < 0)
		return;
	/* Once per outage: a dataplane that keeps hanging up must not flood the log. */
	vsw_log(dp->log, dp->unreachable_logged ? VSW_LOG_DEBUG : VSW_LOG_WARNING,
		"dataplane disconnected: %s; retrying every %d ms", why, VSW_DPCONN_RETRY_MS);
	close(dp->fd);
	dp->fd = -1;
	vsw_proto_reader_free(&dp->rd);
	vsw_proto_reader_init(&dp->rd);
	dp->next_try_ms = now_ms() + VSW_DPCONN_RETRY_MS;
	dp->unreachable_logged = true; /* the line above said so */
}

int vsw_dpconn_call(struct vsw_dpconn *dp, json_t *req, json_t **reply, char *err,
		    size_t errlen)
{
	char why[256];
	json_t *r;

	*reply = NULL;
	if (!req) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (dp->fd < 0) {
		json_decref(req);
		snprintf(err, errlen, "dataplane not connected");
		return -ENOTCONN;
	}
	r = vsw_proto_call(dp->fd, &dp->rd, req, dp->timeout_ms, why, sizeof(why));
	if (!r) {
		const char *cmd = json_string_value(json_object_get(req, "cmd"));
		char ctx[300];

		snprintf(ctx, sizeof(ctx), "%s: %s", cmd ? cmd : "call", why);
		json_decref(req);
		vsw_dpconn_close(dp, ctx);
		snprintf(err, errlen, "dataplane lost: %s", why);
		return -ENOTCONN;
	}
	json_decref(req);
	if (!json_is_true(json_object_get(r, "ok"))) {
		const char *e = json_string_value(json_object_get(r, "error"));

		snprintf(err, errlen, "%s", e ? e : "failed (no error message)");
		json_decref(r);
		return -EREMOTEIO;
	}
	*reply = r;
	return 0;
}

/* A call whose reply carries nothing the caller needs. */
static int call_ok(struct vsw_dpconn *dp, json_t *req, char *err, size_t errlen)
{
	json_t *reply;
	int rc = vsw_dpconn_call(dp, req, &reply, err, errlen);

	json_decref(reply);
	return rc;
}

static void hello_log(struct vsw_dpconn *dp, const char *boot_id, long pid)
{
	if (!dp->boot_id[0])
		vsw_info(dp->log, "dataplane connected (pid %ld, boot_id %s)", pid, boot_id);
	else if (strcmp(dp->boot_id, boot_id) != 0)
		vsw_info(dp->log, "dataplane connected: it restarted (pid %ld, boot_id %s, was %s)",
			 pid, boot_id, dp->boot_id);
	else
		vsw_info(dp->log, "dataplane reconnected: same instance (pid %ld, boot_id %s)", pid,
			 boot_id);
}

int vsw_dpconn_connect(struct vsw_dpconn *dp)
{
	const char *boot_id;
	char err[256];
	json_t *reply;
	int fd, flags, rc;

	if (dp->fd >= 0)
		return 0;
	dp->next_try_ms = now_ms() + VSW_DPCONN_RETRY_MS;
	fd = vsw_proto_connect(dp->path);
	if (fd < 0) {
		if (!dp->unreachable_logged)
			vsw_warn(dp->log, "dataplane not reachable at %s: %s; retrying every %d ms",
				 dp->path, strerror(-fd), VSW_DPCONN_RETRY_MS);
		else
			vsw_dbg(dp->log, "dataplane not reachable at %s: %s", dp->path, strerror(-fd));
		dp->unreachable_logged = true;
		return fd;
	}
	/* Non-blocking between calls, so that input() never waits. */
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	dp->fd = fd;
	rc = vsw_dpconn_call(dp, json_pack("{s:s}", "cmd", "hello"), &reply, err, sizeof(err));
	if (rc == -EREMOTEIO) {
		char why[300];

		snprintf(why, sizeof(why), "hello refused: %s", err);
		vsw_dpconn_close(dp, why);
		return rc;
	}
	if (rc)
		return rc; /* closed and logged */
	boot_id = json_string_value(json_object_get(reply, "boot_id"));
	if (!boot_id) {
		vsw_warn(dp->log, "dataplane hello: no boot_id in the reply");
		boot_id = "";
	}
	dp->pid = (long)json_integer_value(json_object_get(reply, "pid"));
	hello_log(dp, boot_id, dp->pid);
	snprintf(dp->boot_id, sizeof(dp->boot_id), "%s", boot_id);
	json_decref(reply);
	dp->unreachable_logged = false;
	dp->need_sync = true; /* whatever it has, check it */
	return 0;
}

void vsw_dpconn_input(struct vsw_dpconn *dp)
{
	json_t *msg;
	int rc;

	if (dp->fd < 0)
		return;
	while ((rc = vsw_proto_read(dp->fd, &dp->rd, &msg)) == 1) {
		vsw_warn(dp->log, "dataplane sent a message nobody asked for; ignored");
		json_decref(msg);
	}
	if (rc == -EPIPE)
		vsw_dpconn_close(dp, "connection closed by the dataplane");
	else if (rc < 0)
		vsw_dpconn_close(dp, rc == -EPROTO ? "malformed message" : strerror(-rc));
}

int vsw_dpconn_port_add(struct vsw_dpconn *dp, const struct vsw_port_cfg *port, char *err,
			size_t errlen)
{
	return vsw_dpconn_port_add_at(dp, port, 0, err, errlen);
}

int vsw_dpconn_port_add_at(struct vsw_dpconn *dp, const struct vsw_port_cfg *port,
			   unsigned table, char *err, size_t errlen)
{
	json_t *req = json_pack("{s:s,s:s,s:I,s:s}", "cmd", "port-add", "name", port->name,
				"port_no", (json_int_t)port->port_no, "type", port->type);

	/* Only what the type takes: vhost-user its mode and socket, dpdk its devargs. */
	if (req && port->mode[0])
		json_object_set_new(req, "mode", json_string(port->mode));
	if (req && port->path[0])
		json_object_set_new(req, "path", json_string(port->path));
	if (req && port->devargs[0])
		json_object_set_new(req, "devargs", json_string(port->devargs));
	if (req && table) /* 0 is the default: not sent */
		json_object_set_new(req, "table", json_integer((json_int_t)table));
	return call_ok(dp, req, err, errlen);
}

int vsw_dpconn_port_del(struct vsw_dpconn *dp, const char *name, char *err, size_t errlen)
{
	return call_ok(dp, json_pack("{s:s,s:s}", "cmd", "port-del", "name", name), err, errlen);
}

int vsw_dpconn_flow_add(struct vsw_dpconn *dp, const char *flow, char *err, size_t errlen)
{
	return call_ok(dp, json_pack("{s:s,s:s}", "cmd", "flow-add", "flow", flow), err, errlen);
}

int vsw_dpconn_flow_del(struct vsw_dpconn *dp, const char *filter, bool strict,
			long long *deleted, char *err, size_t errlen)
{
	json_t *reply;
	int rc;

	rc = vsw_dpconn_call(dp, json_pack("{s:s,s:s,s:b}", "cmd", "flow-del", "flow", filter,
					   "strict", strict), &reply, err, errlen);
	if (rc)
		return rc;
	if (deleted)
		*deleted = json_integer_value(json_object_get(reply, "deleted"));
	json_decref(reply);
	return 0;
}

static int list(struct vsw_dpconn *dp, const char *cmd, const char *key, json_t **arr,
		char *err, size_t errlen)
{
	json_t *reply, *a;
	int rc;

	*arr = NULL;
	rc = vsw_dpconn_call(dp, json_pack("{s:s}", "cmd", cmd), &reply, err, errlen);
	if (rc)
		return rc;
	a = json_object_get(reply, key);
	if (!json_is_array(a)) {
		json_decref(reply);
		snprintf(err, errlen, "%s: reply has no '%s' array", cmd, key);
		return -EREMOTEIO;
	}
	*arr = json_incref(a);
	json_decref(reply);
	return 0;
}

int vsw_dpconn_table_list(struct vsw_dpconn *dp, json_t **tables, char *err, size_t errlen)
{
	return list(dp, "table-list", "tables", tables, err, errlen);
}

int vsw_dpconn_table_mod(struct vsw_dpconn *dp, unsigned table, const char *miss, char *err,
			 size_t errlen)
{
	return call_ok(dp, json_pack("{s:s,s:I,s:s}", "cmd", "table-mod", "table",
				     (json_int_t)table, "miss", miss), err, errlen);
}

/* ---- flow-batch ---- */

static int append(json_t *ops, json_t *op)
{
	return op && json_array_append_new(ops, op) == 0 ? 0 : -ENOMEM;
}

int vsw_dpconn_op_add(json_t *ops, const char *flow)
{
	return append(ops, json_pack("{s:s,s:s}", "op", "add", "flow", flow));
}

int vsw_dpconn_op_mod(json_t *ops, const char *flow)
{
	return append(ops, json_pack("{s:s,s:s}", "op", "mod", "flow", flow));
}

int vsw_dpconn_op_del(json_t *ops, const char *filter, bool strict)
{
	return append(ops, json_pack("{s:s,s:s,s:b}", "op", "del", "flow", filter,
				     "strict", strict));
}

int vsw_dpconn_op_del_rule(json_t *ops, const struct vsw_flow_rec *rec)
{
	char filter[VSW_FLOW_TEXT_MAX];

	if (vsw_flow_rec_strict_filter(rec, filter, sizeof(filter)) < 0)
		return -ENOSPC;
	return vsw_dpconn_op_del(ops, filter, true);
}

/* One flow-batch call of ops[from, to). */
static int batch_call(struct vsw_dpconn *dp, json_t *ops, size_t from, size_t to,
		      long long *deleted, char *err, size_t errlen)
{
	json_t *chunk = json_array(), *req, *reply;
	int saved = dp->timeout_ms, rc;

	if (!chunk)
		goto err_nomem;
	for (size_t i = from; i < to; i++)
		if (json_array_append(chunk, json_array_get(ops, i)))
			goto err_nomem;
	req = json_pack("{s:s,s:o}", "cmd", "flow-batch", "ops", chunk);
	chunk = NULL;
	dp->timeout_ms += (int)((to - from) * VSW_DPCONN_MS_PER_KOP / 1000);
	rc = vsw_dpconn_call(dp, req, &reply, err, errlen);
	dp->timeout_ms = saved;
	if (rc)
		return rc;
	*deleted += json_integer_value(json_object_get(reply, "deleted"));
	json_decref(reply);
	return 0;

err_nomem:
	json_decref(chunk);
	snprintf(err, errlen, "out of memory");
	return -ENOMEM;
}

static size_t op_bytes(json_t *op)
{
	const char *flow = json_string_value(json_object_get(op, "flow"));

	return (flow ? strlen(flow) : 0) + 64; /* the op's JSON around the text */
}

int vsw_dpconn_flow_batch(struct vsw_dpconn *dp, json_t *ops, long long *deleted,
			  size_t *applied, char *err, size_t errlen)
{
	size_t n = json_array_size(ops), from = 0, bytes = 0, done = 0;
	long long del = 0;
	int rc = 0;

	for (size_t i = 0; i <= n && !rc; i++) {
		size_t b = i < n ? op_bytes(json_array_get(ops, i)) : 0;

		if (i < n && (i == from || bytes + b <= VSW_DPCONN_BATCH_BYTES)) {
			bytes += b;
			continue;
		}
		if (i > from) {
			rc = batch_call(dp, ops, from, i, &del, err, errlen);
			if (!rc)
				done = i;
		}
		from = i;
		bytes = b;
	}
	if (deleted)
		*deleted = del;
	if (applied)
		*applied = done;
	return rc;
}

int vsw_dpconn_port_list(struct vsw_dpconn *dp, json_t **ports, char *err, size_t errlen)
{
	return list(dp, "port-list", "ports", ports, err, errlen);
}

int vsw_dpconn_flow_list(struct vsw_dpconn *dp, json_t **flows, char *err, size_t errlen)
{
	return list(dp, "flow-list", "flows", flows, err, errlen);
}

static int cmp_stat(const void *a, const void *b)
{
	return strcmp(((const struct vsw_dpconn_stat *)a)->text,
		      ((const struct vsw_dpconn_stat *)b)->text);
}

int vsw_dpconn_stats(struct vsw_dpconn *dp, struct vsw_dpconn_stats *st, char *err,
		     size_t errlen)
{
	json_t *e;
	size_t i;
	int rc;

	memset(st, 0, sizeof(*st));
	rc = vsw_dpconn_flow_list(dp, &st->flows, err, errlen);
	if (rc)
		return rc;
	st->v = malloc((json_array_size(st->flows) + 1) * sizeof(*st->v));
	if (!st->v) {
		vsw_dpconn_stats_free(st);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	json_array_foreach(st->flows, i, e) {
		const char *t = json_string_value(json_object_get(e, "flow"));

		if (t)
			st->v[st->n++] = (struct vsw_dpconn_stat){ t, e };
	}
	qsort(st->v, st->n, sizeof(*st->v), cmp_stat);
	return 0;
}

json_t *vsw_dpconn_stats_find(const struct vsw_dpconn_stats *st, const char *text)
{
	struct vsw_dpconn_stat key = { text, NULL }, *hit;

	if (!st->n)
		return NULL;
	hit = bsearch(&key, st->v, st->n, sizeof(*st->v), cmp_stat);
	return hit ? hit->entry : NULL;
}

void vsw_dpconn_stats_free(struct vsw_dpconn_stats *st)
{
	free(st->v);
	json_decref(st->flows);
	memset(st, 0, sizeof(*st));
}

static int get_str(const json_t *obj, const char *key, char *dst, size_t size)
{
	const char *s = json_string_value(json_object_get(obj, key));

	if (!s || strlen(s) >= size)
		return -EINVAL;
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

/* An optional string: absent is "". */
static int get_opt(const json_t *obj, const char *key, char *dst, size_t size)
{
	dst[0] = '\0';
	return json_object_get(obj, key) ? get_str(obj, key, dst, size) : 0;
}

int vsw_dpconn_port_from_json(const json_t *entry, struct vsw_port_cfg *port)
{
	json_t *no = json_object_get(entry, "port_no");

	memset(port, 0, sizeof(*port));
	if (!json_is_integer(no) || json_integer_value(no) < 0 ||
	    json_integer_value(no) > UINT32_MAX)
		return -EINVAL;
	port->port_no = (uint32_t)json_integer_value(no);
	if (get_str(entry, "name", port->name, sizeof(port->name)) ||
	    get_str(entry, "type", port->type, sizeof(port->type)) ||
	    get_opt(entry, "mode", port->mode, sizeof(port->mode)) ||
	    get_opt(entry, "path", port->path, sizeof(port->path)) ||
	    get_opt(entry, "devargs", port->devargs, sizeof(port->devargs)))
		return -EINVAL;
	return 0;
}
