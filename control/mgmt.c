/* SPDX-License-Identifier: BSD-3-Clause */
/* The management socket and command dispatch: see mgmt.h. */
#include "mgmt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mgmt_cmds.h"
#include "proto.h"

struct client {
	int fd; /* -1: free slot */
	unsigned id; /* for the log */
	struct vsw_proto_reader rd;
};

struct vsw_mgmt {
	int listen_fd;
	char *path;
	const struct vsw_log *log;
	unsigned next_id;
	struct client clients[VSW_MGMT_MAX_CLIENTS];
	/* Which client each pollfd after the listener was, as last filled. */
	int slot_of[VSW_MGMT_MAX_CLIENTS];
	size_t n_polled;
};

static const struct vsw_mgmt_cmd *const cmd_tables[] = {
	vsw_mgmt_port_cmds,
	vsw_mgmt_flow_cmds,
	vsw_mgmt_flowfile_cmds,
	vsw_mgmt_table_cmds,
	vsw_mgmt_perf_cmds,
	vsw_mgmt_ops_cmds,
	vsw_mgmt_tenant_cmds,
	vsw_mgmt_tenant_show_cmds,
	vsw_mgmt_mirror_cmds,
};

struct vsw_mgmt *vsw_mgmt_create(const char *path, const char *group,
				  const struct vsw_log *log)
{
	struct vsw_mgmt *m;
	bool shared;
	int rc;

	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->path = strdup(path);
	if (!m->path) {
		rc = -ENOMEM;
		goto err_free_mgmt;
	}
	m->log = log;
	for (size_t i = 0; i < VSW_MGMT_MAX_CLIENTS; i++)
		m->clients[i].fd = -1;
	rc = vsw_proto_listen_group(path, group, &shared);
	if (rc < 0)
		goto err_free_path;
	m->listen_fd = rc;
	if (shared)
		vsw_info(log, "control socket %s: mode 0660, group %s", path, group);
	else
		vsw_info(log, "control socket %s: mode 0600, root only", path);
	return m;

err_free_path:
	free(m->path);
err_free_mgmt:
	free(m);
	errno = -rc;
	return NULL;
}

static void client_close(struct vsw_mgmt *m, struct client *c, const char *why)
{
	vsw_dbg(m->log, "client %u: closed (%s)", c->id, why);
	close(c->fd);
	c->fd = -1;
	vsw_proto_reader_free(&c->rd);
}

void vsw_mgmt_destroy(struct vsw_mgmt *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < VSW_MGMT_MAX_CLIENTS; i++)
		if (m->clients[i].fd >= 0)
			client_close(m, &m->clients[i], "shutdown");
	close(m->listen_fd);
	unlink(m->path);
	free(m->path);
	free(m);
}

size_t vsw_mgmt_pollfds(struct vsw_mgmt *m, struct pollfd *pfd, size_t max)
{
	size_t n = 0;

	if (max == 0)
		return 0;
	pfd[n++] = (struct pollfd){ .fd = m->listen_fd, .events = POLLIN };
	m->n_polled = 0;
	for (int i = 0; i < VSW_MGMT_MAX_CLIENTS && n < max; i++) {
		if (m->clients[i].fd < 0)
			continue;
		pfd[n++] = (struct pollfd){ .fd = m->clients[i].fd, .events = POLLIN };
		m->slot_of[m->n_polled++] = i;
	}
	return n;
}

static void accept_clients(struct vsw_mgmt *m)
{
	for (;;) {
		int fd = accept4(m->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct client *c = NULL;

		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				vsw_warn(m->log, "control socket: accept: %s", strerror(errno));
			return;
		}
		for (size_t i = 0; i < VSW_MGMT_MAX_CLIENTS && !c; i++)
			if (m->clients[i].fd < 0)
				c = &m->clients[i];
		if (!c) {
			vsw_warn(m->log, "control socket: too many clients (%d); refusing one",
				 VSW_MGMT_MAX_CLIENTS);
			close(fd);
			continue;
		}
		c->fd = fd;
		c->id = ++m->next_id;
		vsw_proto_reader_init(&c->rd);
		vsw_dbg(m->log, "client %u: connected", c->id);
	}
}

static void reply(struct vsw_mgmt *m, struct client *c, json_t *msg)
{
	int rc;

	if (!msg) {
		client_close(m, c, "out of memory");
		return;
	}
	rc = vsw_proto_send(c->fd, msg);
	json_decref(msg);
	if (rc)
		client_close(m, c, strerror(-rc));
}

static void serve(struct vsw_mgmt *m, struct vsw_control *ctl, struct client *c)
{
	json_t *req;
	int rc;

	while (c->fd >= 0) {
		rc = vsw_proto_read(c->fd, &c->rd, &req);
		if (rc == 1) {
			reply(m, c, vsw_mgmt_dispatch(ctl, req));
			json_decref(req);
		} else if (rc == 0) {
			return;
		} else if (rc == -EPROTO && c->rd.len < VSW_PROTO_MAX_MSG) {
			/* The bad line is consumed: answer it and go on. */
			reply(m, c, vsw_proto_error("malformed request: not a JSON object on one line"));
		} else {
			client_close(m, c, rc == -EPIPE ? "end of input" :
				     rc == -EPROTO ? "request too long" : strerror(-rc));
		}
	}
}

void vsw_mgmt_process(struct vsw_mgmt *m, struct vsw_control *ctl, const struct pollfd *pfd,
		      size_t n)
{
	if (n == 0)
		return;
	if (pfd[0].revents & POLLIN)
		accept_clients(m);
	for (size_t i = 1; i < n && i - 1 < m->n_polled; i++) {
		struct client *c = &m->clients[m->slot_of[i - 1]];

		if (c->fd != pfd[i].fd || !pfd[i].revents)
			continue;
		if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
			serve(m, ctl, c);
		if (c->fd >= 0 && (pfd[i].revents & POLLNVAL))
			client_close(m, c, "invalid fd");
	}
}

static const struct vsw_mgmt_cmd *find_cmd(const char *name)
{
	for (size_t t = 0; t < sizeof(cmd_tables) / sizeof(cmd_tables[0]); t++)
		for (const struct vsw_mgmt_cmd *c = cmd_tables[t]; c->name; c++)
			if (strcmp(c->name, name) == 0)
				return c;
	return NULL;
}

json_t *vsw_mgmt_dispatch(struct vsw_control *ctl, json_t *req)
{
	const struct vsw_mgmt_cmd *cmd;
	const char *name;
	json_t *r;

	if (!json_is_object(req))
		return vsw_proto_error("malformed request: not a JSON object");
	name = json_string_value(json_object_get(req, "cmd"));
	if (!name)
		return vsw_proto_error("malformed request: no \"cmd\" string");
	cmd = find_cmd(name);
	if (!cmd)
		return vsw_proto_error("unknown command '%.64s'", name);
	r = cmd->handler(ctl, req);
	if (!cmd->read_only && r && !json_is_true(json_object_get(r, "ok")))
		vsw_info(&ctl->log, "%s refused: %s", name,
			 json_string_value(json_object_get(r, "error")));
	return r;
}

/* ---- shared by the handlers ---- */

static json_t *arg(json_t *req, const char *key)
{
	json_t *v = json_object_get(req, key);

	return json_is_null(v) ? NULL : v;
}

static const char *cmd_name(json_t *req)
{
	return json_string_value(json_object_get(req, "cmd"));
}

int vsw_mgmt_arg_str(json_t *req, const char *key, bool required, const char **val,
		     json_t **reply)
{
	json_t *v = arg(req, key);

	*val = NULL;
	if (!v) {
		if (!required)
			return 0;
		*reply = vsw_proto_error("%s: missing argument '%s'", cmd_name(req), key);
		return -EINVAL;
	}
	if (!json_is_string(v)) {
		*reply = vsw_proto_error("%s: argument '%s' must be a string", cmd_name(req), key);
		return -EINVAL;
	}
	*val = json_string_value(v);
	return 0;
}

int vsw_mgmt_arg_bool(json_t *req, const char *key, bool dflt, bool *val, json_t **reply)
{
	json_t *v = arg(req, key);

	*val = dflt;
	if (!v)
		return 0;
	if (!json_is_boolean(v)) {
		*reply = vsw_proto_error("%s: argument '%s' must be true or false", cmd_name(req),
					 key);
		return -EINVAL;
	}
	*val = json_is_true(v);
	return 0;
}

json_t *vsw_mgmt_store_failed(struct vsw_control *ctl, const char *what, int rc)
{
	vsw_store_rollback(ctl->store);
	vsw_err(&ctl->log, "store %s: %s: %s", vsw_store_path(ctl->store), what,
		vsw_store_error(ctl->store)[0] ? vsw_store_error(ctl->store) : strerror(-rc));
	return vsw_proto_error("store: %s: %s", what,
			       vsw_store_error(ctl->store)[0] ? vsw_store_error(ctl->store) :
			       strerror(-rc));
}

int vsw_mgmt_arg_uint(json_t *req, const char *key, unsigned max, unsigned *val,
		      json_t **reply)
{
	json_t *v = arg(req, key);

	*val = 0;
	if (!v) {
		*reply = vsw_proto_error("%s: missing argument '%s'", cmd_name(req), key);
		return -EINVAL;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > (json_int_t)max) {
		*reply = vsw_proto_error("%s: argument '%s' must be an integer 0..%u", cmd_name(req),
					 key, max);
		return -EINVAL;
	}
	*val = (unsigned)json_integer_value(v);
	return 0;
}

int vsw_mgmt_arg_lines(json_t *req, const char *key, const char ***lines, size_t *n,
		       json_t **reply)
{
	json_t *v = arg(req, key), *e;
	size_t i;

	*lines = NULL;
	*n = 0;
	if (!v) {
		*reply = vsw_proto_error("%s: missing argument '%s'", cmd_name(req), key);
		return -EINVAL;
	}
	if (!json_is_array(v)) {
		*reply = vsw_proto_error("%s: argument '%s' must be an array of strings",
					 cmd_name(req), key);
		return -EINVAL;
	}
	*lines = malloc((json_array_size(v) + 1) * sizeof(**lines));
	if (!*lines) {
		*reply = vsw_proto_error("out of memory");
		return -ENOMEM;
	}
	json_array_foreach(v, i, e) {
		if (!json_is_string(e)) {
			free(*lines);
			*lines = NULL;
			*reply = vsw_proto_error("%s: argument '%s' must be an array of strings",
						 cmd_name(req), key);
			return -EINVAL;
		}
		(*lines)[i] = json_string_value(e);
	}
	*n = json_array_size(v);
	return 0;
}

json_t *vsw_mgmt_batch(struct vsw_control *ctl, json_t *ops, int *dp_rc)
{
	size_t applied = 0;
	char err[512];

	*dp_rc = vsw_dpconn_flow_batch(&ctl->dp, ops, NULL, &applied, err, sizeof(err));
	if (*dp_rc == 0 || *dp_rc == -ENOTCONN)
		return NULL;
	vsw_store_rollback(ctl->store);
	if (applied)
		ctl->dp.need_sync = true; /* a split batch: takes back what went before */
	if (*dp_rc == -EREMOTEIO)
		return vsw_proto_error("dataplane: %s", err);
	return vsw_proto_error("%s", err);
}

json_t *vsw_mgmt_commit(struct vsw_control *ctl, const char *what, int dp_rc)
{
	int rc = vsw_store_commit(ctl->store);

	if (!rc)
		return NULL;
	if (dp_rc == 0)
		ctl->dp.need_sync = true;
	return vsw_mgmt_store_failed(ctl, what, rc);
}

const char *vsw_mgmt_dp_note(int dp_rc)
{
	return dp_rc == -ENOTCONN ? " (dataplane not connected: it gets this when it connects)" : "";
}

int64_t vsw_mgmt_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
