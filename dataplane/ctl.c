/* SPDX-License-Identifier: BSD-3-Clause */
/* The control socket's poll loop (ctl.h). */
#include "ctl.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_log.h>

#include "proto.h"

#define MAX_CLIENTS 32

struct client {
	int fd;
	struct vsw_proto_reader rd;
};

static json_t *dispatch(struct vsw_dp *dp, json_t *req)
{
	static const struct vsw_ctl_cmd *const groups[] = { vsw_ctl_port_cmds, vsw_ctl_flow_cmds,
							    vsw_ctl_pmd_cmds };
	const char *cmd = json_string_value(json_object_get(req, "cmd"));

	if (!cmd)
		return vsw_proto_error("request has no \"cmd\" string");
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
		for (const struct vsw_ctl_cmd *c = groups[g]; c->name; c++)
			if (!strcmp(c->name, cmd))
				return c->handler(dp, req);
	return vsw_proto_error("unknown command '%s'", cmd);
}

static void drop_client(struct client *c)
{
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
		json_t *reply = dispatch(dp, req);
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
	struct pollfd pfd[MAX_CLIENTS + 1];
	char path[512];
	int lfd, rc;

	rc = vsw_proto_path(path, sizeof(path), dp->run_dir, VSW_DATAPLANE_SOCK);
	if (rc)
		return rc;
	lfd = vsw_proto_listen(path, 0600);
	if (lfd < 0) {
		RTE_LOG(ERR, USER1, "dataplane: cannot listen on %s: %s\n", path, strerror(-lfd));
		return lfd;
	}
	RTE_LOG(INFO, USER1, "dataplane: control socket %s\n", path);
	for (int i = 0; i < MAX_CLIENTS; i++)
		clients[i].fd = -1;

	while (!atomic_load(&dp->quit)) {
		int n = 0;
		pfd[n++] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		for (int i = 0; i < MAX_CLIENTS; i++)
			pfd[n++] = (struct pollfd){ .fd = clients[i].fd, .events = POLLIN };
		if (poll(pfd, n, 100) <= 0)
			continue;
		if (pfd[0].revents & POLLIN) {
			int cfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
			int slot = -1;
			for (int i = 0; cfd >= 0 && i < MAX_CLIENTS && slot < 0; i++)
				if (clients[i].fd < 0)
					slot = i;
			if (cfd >= 0 && slot < 0) {
				RTE_LOG(WARNING, USER1, "dataplane: too many control clients\n");
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
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (clients[i].fd >= 0)
			drop_client(&clients[i]);
	close(lfd);
	unlink(path);
	return 0;
}
