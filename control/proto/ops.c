/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Operating the daemons: who may use their sockets, readiness for systemd,
 * log level names (proto.h).
 */
#include "proto.h"

#include <errno.h>
#include <grp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* The gid of `group`: 0 or -ENOENT (no such group) / -errno. */
static int group_id(const char *group, gid_t *gid)
{
	struct group gr, *res = NULL;
	char buf[4096];
	int rc;

	rc = getgrnam_r(group, &gr, buf, sizeof(buf), &res);
	if (rc)
		return -rc;
	if (!res)
		return -ENOENT;
	*gid = gr.gr_gid;
	return 0;
}

int vsw_proto_listen_group(const char *path, const char *group, bool *shared)
{
	int fd = vsw_proto_listen(path, 0600);
	gid_t gid;

	if (shared)
		*shared = false;
	if (fd < 0 || !group || !*group || group_id(group, &gid))
		return fd;
	/* Created 0600 first: nobody else could connect before the group is right. */
	if (chown(path, (uid_t)-1, gid) || chmod(path, 0660))
		return fd; /* not ours to give (not root, not a member): root only */
	if (shared)
		*shared = true;
	return fd;
}

int vsw_proto_notify_ready(void)
{
	const char *path = getenv("NOTIFY_SOCKET");
	static const char msg[] = "READY=1";
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len;
	int fd, rc = 0;

	if (!path || !*path)
		return 0;
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof(sa.sun_path))
		return -EINVAL;
	memcpy(sa.sun_path, path, len);
	if (path[0] == '@')
		sa.sun_path[0] = '\0'; /* an abstract socket */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (sendto(fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL, (struct sockaddr *)&sa,
		   (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

static const char *const level_names[VSW_PROTO_LOG_N] = {
	[VSW_PROTO_LOG_ERROR] = "error",
	[VSW_PROTO_LOG_WARNING] = "warning",
	[VSW_PROTO_LOG_INFO] = "info",
	[VSW_PROTO_LOG_DEBUG] = "debug",
};

int vsw_proto_log_level_parse(const char *s)
{
	for (int i = 0; s && i < VSW_PROTO_LOG_N; i++)
		if (!strcmp(s, level_names[i]))
			return i;
	return -EINVAL;
}

const char *vsw_proto_log_level_name(int level)
{
	return level >= 0 && level < VSW_PROTO_LOG_N ? level_names[level] : NULL;
}
