/* SPDX-License-Identifier: BSD-3-Clause */
/* The control socket's poll loop (ctl.h). */
#include "ctl.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capture.h"
#include "log.h"
#include "proto.h"

#define MAX_CLIENTS 32
#define SWEEP_MS 1000 /* MAC aging sweep period */
#define POLL_MS 100
#define POLL_CAPTURE_MS 1 /* while captures run: their rings hold ~1 ms of frames */

struct client {
	int fd;
	struct vsw_proto_reader rd;
};

static json_t *dispatch(struct vsw_dp *dp, json_t *req)
{
	static const struct vsw_ctl_cmd *const groups[] = { vsw_ctl_port_cmds, vsw_ctl_flow_cmds,
							     vsw_ctl_domain_cmds, vsw_ctl_vtep_cmds,
							     vsw_ctl_ops_cmds, vsw_ctl_mirror_cmds,
							     vsw_ctl_pmd_cmds };
	const char *cmd = json_string_value(json_object_get(req, "cmd"));

	if (!cmd)
		return vsw_proto_error("request has no \"cmd\" string");
	VSW_LOG(ctl, DEBUG, "request %.64s", cmd);
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
		for (const struct vsw_ctl_cmd *c = groups[g]; c->name; c++)
			if (!strcmp(c->name, cmd))
				return c->handler(dp, req);
	return vsw_proto_error("unknown command '%s'", cmd);
}

static void drop_client(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	vsw_proto_reader_free(&c->rd);
	c->fd = -1;
}

/* Serve what a client sent; false when it must be dropped. */
static bool serve(struct vsw_dp *dp, struct client *c)
{
	json_t *req;
	int rc;

	while ((rc = vsw_proto_read(c->fd, &c->rd, &req)) == 1) {
		const char *cmd = json_string_value(json_object_get(req, "cmd"));
		json_t *reply;

		if (cmd && !strcmp(cmd, "capture-start")) {
			if (vsw_capture_start(dp, c->fd, req, &reply)) {
				json_decref(req);
				c->fd = -1; /* the capture session has it now */
				return false;
			}
		} else {
			reply = dispatch(dp, req);
		}
		json_decref(req);
		rc = reply ? vsw_proto_send(c->fd, reply) : -ENOMEM;
		json_decref(reply);
		if (rc)
			return false;
	}
	if (rc == -EPROTO) {
		json_t *reply = vsw_proto_error("malformed request: not a JSON object on one line");
		vsw_proto_send(c->fd, reply);
		json_decref(reply);
	}
	return rc == 0;
}

int vsw_ctl_run(struct vsw_dp *dp)
{
	struct client clients[MAX_CLIENTS];
	struct pollfd pfd[MAX_CLIENTS + 1 + VSW_MAX_CAPTURES];
	uint64_t last_sweep_ms = vsw_dp_now_ms();
	char path[512];
	bool shared;
	int lfd, rc;

	rc = vsw_proto_path(path, sizeof(path), dp->run_dir, VSW_DATAPLANE_SOCK);
	if (rc)
		return rc;
	lfd = vsw_proto_listen_group(path, dp->sock_group, &shared);
	if (lfd < 0) {
		VSW_LOG(ctl, ERR, "cannot listen on %s: %s", path, strerror(-lfd));
		return lfd;
	}
	if (shared)
		VSW_LOG(ctl, INFO, "control socket %s (mode 0660, group %s)", path, dp->sock_group);
	else
		VSW_LOG(ctl, INFO, "control socket %s (mode 0600, root only)", path);
	vsw_proto_notify_ready();
	for (int i = 0; i < MAX_CLIENTS; i++)
		clients[i].fd = -1;

	while (!atomic_load(&dp->quit)) {
		uint64_t now = vsw_dp_now_ms();
		int n = 0, n_cap;

		if (now - last_sweep_ms >= SWEEP_MS) {
			vsw_mac_sweep(dp->macs, vsw_dp_seconds(now));
			last_sweep_ms = now;
		}
		pfd[n++] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		for (int i = 0; i < MAX_CLIENTS; i++)
			pfd[n++] = (struct pollfd){ .fd = clients[i].fd, .events = POLLIN };
		n_cap = vsw_capture_pollfds(dp, pfd + n);
		rc = poll(pfd, (nfds_t)(n + n_cap), n_cap ? POLL_CAPTURE_MS : POLL_MS);
		if (n_cap) /* also after a timeout: the rings fill whether or not the clients speak */
			vsw_capture_service(dp, pfd + n, rc > 0 ? n_cap : 0);
		if (rc <= 0)
			continue;
		if (pfd[0].revents & POLLIN) {
			int cfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
			int slot = -1;
			for (int i = 0; cfd >= 0 && i < MAX_CLIENTS && slot < 0; i++)
				if (clients[i].fd < 0)
					slot = i;
			if (cfd >= 0 && slot < 0) {
				VSW_LOG(ctl, WARNING, "too many control clients");
				close(cfd);
			} else if (cfd >= 0) {
				clients[slot].fd = cfd;
				vsw_proto_reader_init(&clients[slot].rd);
			}
		}
		for (int i = 0; i < MAX_CLIENTS; i++)
			if (clients[i].fd >= 0 && pfd[i + 1].revents && !serve(dp, &clients[i]))
				drop_client(&clients[i]);
	}
	vsw_capture_stop_all(dp);
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (clients[i].fd >= 0)
			drop_client(&clients[i]);
	close(lfd);
	unlink(path);
	return 0;
}
