/* SPDX-License-Identifier: BSD-3-Clause */
/* control/proto/ops.c: sockets for a group, readiness for systemd, level names. */
#include <errno.h>
#include <grp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "proto.h"

static void test_level_names(void **state)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };

	(void)state;
	for (int i = 0; i < 4; i++) {
		assert_int_equal(vsw_proto_log_level_parse(names[i]), i);
		assert_string_equal(vsw_proto_log_level_name(i), names[i]);
	}
	assert_int_equal(vsw_proto_log_level_parse("Info"), -EINVAL);
	assert_int_equal(vsw_proto_log_level_parse("notice"), -EINVAL);
	assert_int_equal(vsw_proto_log_level_parse(""), -EINVAL);
	assert_int_equal(vsw_proto_log_level_parse(NULL), -EINVAL);
	assert_null(vsw_proto_log_level_name(4));
	assert_null(vsw_proto_log_level_name(-1));
}

/* Listen at DIR/s.sock with `group`: check what it reports, the mode and the group. */
static void listen_with(const char *group, bool want_shared, mode_t want_mode)
{
	char dir[] = "/tmp/vsw-proto-XXXXXX", path[64];
	struct stat st;
	bool shared = !want_shared;
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.sock", dir);
	fd = vsw_proto_listen_group(path, group, &shared);
	assert_true(fd >= 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(shared, want_shared);
	assert_int_equal(st.st_mode & 0777, want_mode);
	if (want_shared)
		assert_int_equal(st.st_gid, getgrnam(group)->gr_gid);
	close(fd);
	unlink(path);
	rmdir(dir);
}

static void test_socket_group(void **state)
{
	(void)state;
	listen_with("vsw-no-such-group-here", false, 0600);
	listen_with("", false, 0600);
	listen_with(NULL, false, 0600);
	/* A group that exists, and that we may give the file to. */
	struct group *g = getgrgid(getegid());
	if (g)
		listen_with(g->gr_name, true, 0660);
}

static void test_notify_ready(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dir[] = "/tmp/vsw-notify-XXXXXX", buf[64];
	int fd;
	ssize_t n;

	(void)state;
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(vsw_proto_notify_ready(), 0); /* not under systemd: nothing */

	assert_non_null(mkdtemp(dir));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/notify", dir);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setenv("NOTIFY_SOCKET", sa.sun_path, 1);
	assert_int_equal(vsw_proto_notify_ready(), 0);
	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	assert_int_equal(n, 7);
	buf[n] = '\0';
	assert_string_equal(buf, "READY=1");
	close(fd);
	unlink(sa.sun_path);
	rmdir(dir);

	/* An abstract socket ("@name"). */
	struct sockaddr_un ab = { .sun_family = AF_UNIX };
	char name[48];
	snprintf(name, sizeof(name), "@vsw-notify-test-%d", (int)getpid());
	memcpy(ab.sun_path, name, strlen(name));
	ab.sun_path[0] = '\0';
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&ab,
			      (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(name))), 0);
	setenv("NOTIFY_SOCKET", name, 1);
	assert_int_equal(vsw_proto_notify_ready(), 0);
	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	assert_int_equal(n, 7);
	close(fd);

	setenv("NOTIFY_SOCKET", "relative/path", 1);
	assert_int_equal(vsw_proto_notify_ready(), -EINVAL);
	unsetenv("NOTIFY_SOCKET");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_level_names),
		cmocka_unit_test(test_socket_group),
		cmocka_unit_test(test_notify_ready),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
