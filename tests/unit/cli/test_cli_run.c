/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vswctl end to end against a fake vsw-control: a forked child that accepts
 * one connection, hands the request line back through a pipe and answers
 * with a canned line (or closes, or stays silent).
 */
#include "cli_test.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proto.h"

#define A(...) __VA_ARGS__, (const char *)NULL

enum fake_mode { FAKE_REPLY, FAKE_CLOSE, FAKE_SILENT };

struct fake {
	pid_t pid;
	int req_fd;
	char dir[64];
	char sock[128];
};

/* Read one line (without the newline) from a blocking fd into buf. */
static void read_line(int fd, char *buf, size_t len)
{
	size_t n = 0;

	while (n + 1 < len && read(fd, buf + n, 1) == 1 && buf[n] != '\n')
		n++;
	buf[n] = '\0';
}

static void fake_start(struct fake *f, enum fake_mode mode, const char *reply)
{
	int p[2], lfd;

	strcpy(f->dir, "/tmp/vswctl-test.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->sock, sizeof(f->sock), "%s/%s", f->dir, VSW_CONTROL_SOCK);
	lfd = vsw_proto_listen(f->sock, 0600);
	assert_true(lfd >= 0);
	assert_int_equal(pipe(p), 0);
	f->pid = fork();
	assert_true(f->pid >= 0);
	if (f->pid == 0) {
		char line[4096];
		int cfd;

		close(p[0]);
		do
			cfd = accept(lfd, NULL, NULL);
		while (cfd < 0 && (errno == EAGAIN || errno == EINTR));
		if (cfd < 0)
			_exit(1);
		read_line(cfd, line, sizeof(line));
		strcat(line, "\n");
		if (write(p[1], line, strlen(line)) < 0)
			_exit(1);
		if (mode == FAKE_SILENT)
			pause();
		if (mode == FAKE_REPLY) {
			snprintf(line, sizeof(line), "%s\n", reply);
			if (write(cfd, line, strlen(line)) < 0)
				_exit(1);
		}
		close(cfd);
		_exit(0);
	}
	close(lfd);
	close(p[1]);
	f->req_fd = p[0];
}

/* Stop the fake; the request it received, as a JSON object (caller decrefs). */
static json_t *fake_stop(struct fake *f)
{
	char line[4096];
	json_error_t jerr;
	json_t *req;

	read_line(f->req_fd, line, sizeof(line));
	close(f->req_fd);
	kill(f->pid, SIGKILL);
	waitpid(f->pid, NULL, 0);
	unlink(f->sock);
	rmdir(f->dir);
	req = json_loads(line, 0, &jerr);
	if (!req)
		fail_msg("fake got no request: '%s'", line);
	return req;
}

static void test_cannot_connect(void **state)
{
	struct run r;
	char want[256];
	(void)state;

	run_vswctl(&r, "/nonexistent/vsw", A("show"));
	assert_int_equal(r.code, VSW_CLI_EXIT_FAIL);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "vswctl: cannot connect to vsw-control at "
			    "/nonexistent/vsw/control.sock: No such file or directory "
			    "(is vsw-control running?)\n");
	run_free(&r);

	/* A socket file nobody listens on. */
	char dir[] = "/tmp/vswctl-test.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof(path), "%s/stale.sock", dir);
	int fd = vsw_proto_listen(path, 0600);
	assert_true(fd >= 0);
	close(fd);
	run_vswctl(&r, NULL, A("--socket", path, "add-flow", "actions=drop"));
	assert_int_equal(r.code, VSW_CLI_EXIT_FAIL);
	snprintf(want, sizeof(want), "vswctl: cannot connect to vsw-control at %s: "
		 "Connection refused (is vsw-control running?)\n", path);
	assert_string_equal(r.err, want);
	run_free(&r);
	unlink(path);
	rmdir(dir);

	/* Root cannot be refused by file modes: check the message itself. */
	vsw_cli_connect_error(want, sizeof(want), "/run/vsw/control.sock", -EACCES);
	assert_string_equal(want, "permission denied on /run/vsw/control.sock: run as root or "
			    "as a member of group vsw");
}

static void test_error_reply(void **state)
{
	struct fake f;
	struct run r;
	json_t *req;
	(void)state;

	fake_start(&f, FAKE_REPLY, "{\"ok\":false,\"error\":\"unknown port 'vm9'\"}");
	run_vswctl(&r, NULL, A("--socket", f.sock, "add-flow", "in_port=vm9,actions=drop"));
	req = fake_stop(&f);
	assert_json_eq(req, "{\"cmd\":\"add-flow\",\"flow\":\"in_port=vm9,actions=drop\"}");
	json_decref(req);
	assert_int_equal(r.code, VSW_CLI_EXIT_FAIL);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "vswctl: add-flow: unknown port 'vm9'\n");
	run_free(&r);

	/* An error message is kept to one line; an empty one is named. */
	fake_start(&f, FAKE_REPLY, "{\"ok\":false,\"error\":\"two\\nlines\"}");
	run_vswctl(&r, NULL, A("--socket", f.sock, "del-port", "vm1"));
	json_decref(fake_stop(&f));
	assert_string_equal(r.err, "vswctl: del-port: two lines\n");
	assert_int_equal(r.code, VSW_CLI_EXIT_FAIL);
	run_free(&r);
	fake_start(&f, FAKE_REPLY, "{\"ok\":false}");
	run_vswctl(&r, NULL, A("--socket", f.sock, "del-port", "vm1"));
	json_decref(fake_stop(&f));
	assert_string_equal(r.err, "vswctl: del-port: vsw-control reported an error without "
			    "a message\n");
	run_free(&r);
}

/* A bad line in a file: vsw-control's message, which names file, line and token. */
static void test_file_error(void **state)
{
	char path[] = "/tmp/vswctl-run-XXXXXX";
	int fd = mkstemp(path);
	struct fake f;
	struct run r;
	json_t *req;
	(void)state;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "a\nb\nc\n", 6), 6);
	close(fd);
	fake_start(&f, FAKE_REPLY, "{\"ok\":false,\"error\":\"flows.txt:3: dl_dst: '02:zz' is not a "
				   "MAC address\"}");
	run_vswctl(&r, NULL, A("--socket", f.sock, "add-flows", path));
	req = fake_stop(&f);
	assert_json_eq(json_object_get(req, "lines"), "[\"a\",\"b\",\"c\"]");
	json_decref(req);
	assert_int_equal(r.code, VSW_CLI_EXIT_FAIL);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "vswctl: add-flows: flows.txt:3: dl_dst: '02:zz' is not a MAC "
			    "address\n");
	run_free(&r);
	unlink(path);
}

static void test_write_ok(void **state)
{
	struct fake f;
	struct run r;
	json_t *req;
	(void)state;

	/* The run dir from the environment; nothing printed on success. */
	fake_start(&f, FAKE_REPLY, "{\"ok\":true,\"port_no\":1}");
	run_vswctl(&r, f.dir, A("add-port", "vm1", "vhost-user"));
	req = fake_stop(&f);
	assert_json_eq(req, "{\"cmd\":\"add-port\",\"name\":\"vm1\",\"type\":\"vhost-user\","
			    "\"mode\":\"server\"}");
	json_decref(req);
	assert_int_equal(r.code, VSW_CLI_EXIT_OK);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "");
	run_free(&r);

	fake_start(&f, FAKE_REPLY, "{\"ok\":true,\"deleted\":4}");
	run_vswctl(&r, NULL, A("--run-dir", f.dir, "--format", "json", "del-flows", "--strict",
			       "priority=5"));
	req = fake_stop(&f);
	assert_json_eq(req, "{\"cmd\":\"del-flows\",\"flow\":\"priority=5\",\"strict\":true}");
	json_decref(req);
	assert_int_equal(r.code, VSW_CLI_EXIT_OK);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "");
	run_free(&r);
}

static const char flows_reply[] =
	"{\"ok\":true,\"flows\":[{\"cookie\":\"0x0\",\"duration\":12.345,\"table\":0,"
	"\"n_packets\":10,\"n_bytes\":600,\"idle_age\":3,\"priority\":100,"
	"\"match\":\"priority=100,in_port=vm1\",\"actions\":\"output:vm2\"}]}";

static void test_read_text_and_json(void **state)
{
	struct fake f;
	struct run r;
	json_t *req;
	(void)state;

	fake_start(&f, FAKE_REPLY, flows_reply);
	run_vswctl(&r, NULL, A("--socket", f.sock, "dump-flows", "in_port=vm1"));
	req = fake_stop(&f);
	assert_json_eq(req, "{\"cmd\":\"dump-flows\",\"flow\":\"in_port=vm1\"}");
	json_decref(req);
	assert_int_equal(r.code, VSW_CLI_EXIT_OK);
	assert_string_equal(r.err, "");
	assert_string_equal(r.out, " cookie=0x0, duration=12.345s, table=0, n_packets=10, "
			    "n_bytes=600, idle_age=3, priority=100,in_port=vm1 "
			    "actions=output:vm2\n");
	run_free(&r);

	fake_start(&f, FAKE_REPLY, flows_reply);
	run_vswctl(&r, NULL, A("--socket", f.sock, "dump-flows", "--format", "json"));
	json_decref(fake_stop(&f));
	assert_int_equal(r.code, VSW_CLI_EXIT_OK);
	json_error_t jerr;
	json_t *got = json_loads(r.out, 0, &jerr);
	assert_non_null(got);
	assert_json_eq(got, "{\"flows\":[{\"cookie\":\"0x0\",\"duration\":12.345,\"table\":0,"
			    "\"n_packets\":10,\"n_bytes\":600,\"idle_age\":3,\"priority\":100,"
			    "\"match\":\"priority=100,in_port=vm1\",\"actions\":\"output:vm2\"}]}");
	json_decref(got);
	run_free(&r);
}

static void test_bad_replies(void **state)
{
	struct fake f;
	struct run r;
	char want[512];
	(void)state;

	/* Half a listing is never printed. */
	fake_start(&f, FAKE_REPLY,
		   "{\"ok\":true,\"flows\":[{\"cookie\":\"0x0\",\"duration\":1,\"table\":0,"
		   "\"n_packets\":1,\"n_bytes\":60,\"idle_age\":1,\"match\":\"\","
		   "\"actions\":\"drop\"},{}]}");
	run_vswctl(&r, NULL, A("--socket", f.sock, "dump-flows"));
	json_decref(fake_stop(&f));
	assert_int_equal(r.code, VSW_CLI_EXIT_FAIL);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "vswctl: dump-flows: malformed reply from vsw-control: "
			    "flows[1].cookie: missing\n");
	run_free(&r);

	fake_start(&f, FAKE_REPLY, "{\"flows\":[]}");
	run_vswctl(&r, NULL, A("--socket", f.sock, "dump-flows"));
	json_decref(fake_stop(&f));
	assert_int_equal(r.code, VSW_CLI_EXIT_FAIL);
	assert_string_equal(r.err, "vswctl: dump-flows: malformed reply from vsw-control: "
			    "ok: missing\n");
	run_free(&r);

	fake_start(&f, FAKE_REPLY, "not json");
	run_vswctl(&r, NULL, A("--socket", f.sock, "show"));
	json_decref(fake_stop(&f));
	assert_int_equal(r.code, VSW_CLI_EXIT_FAIL);
	snprintf(want, sizeof(want), "vswctl: show: vsw-control at %s: malformed reply\n", f.sock);
	assert_string_equal(r.err, want);
	run_free(&r);

	fake_start(&f, FAKE_CLOSE, NULL);
	run_vswctl(&r, NULL, A("--socket", f.sock, "show"));
	json_decref(fake_stop(&f));
	assert_int_equal(r.code, VSW_CLI_EXIT_FAIL);
	snprintf(want, sizeof(want), "vswctl: show: vsw-control at %s: connection closed by "
		 "peer\n", f.sock);
	assert_string_equal(r.err, want);
	run_free(&r);
}

static void test_timeout(void **state)
{
	struct fake f;
	struct run r;
	char want[512];
	(void)state;

	fake_start(&f, FAKE_SILENT, NULL);
	run_vswctl(&r, NULL, A("--timeout", "0.2", "--socket", f.sock, "show"));
	json_decref(fake_stop(&f));
	assert_int_equal(r.code, VSW_CLI_EXIT_FAIL);
	assert_string_equal(r.out, "");
	snprintf(want, sizeof(want), "vswctl: show: no reply from vsw-control at %s within "
		 "0.2 s\n", f.sock);
	assert_string_equal(r.err, want);
	run_free(&r);

	fake_start(&f, FAKE_SILENT, NULL);
	run_vswctl(&r, NULL, A("--timeout=0.1", "--socket", f.sock, "del-port", "vm1"));
	json_decref(fake_stop(&f));
	assert_int_equal(r.code, VSW_CLI_EXIT_FAIL);
	snprintf(want, sizeof(want), "vswctl: del-port: no reply from vsw-control at %s within "
		 "0.1 s (the change may still be made)\n", f.sock);
	assert_string_equal(r.err, want);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cannot_connect),
		cmocka_unit_test(test_error_reply),
		cmocka_unit_test(test_file_error),
		cmocka_unit_test(test_write_ok),
		cmocka_unit_test(test_read_text_and_json),
		cmocka_unit_test(test_bad_replies),
		cmocka_unit_test(test_timeout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
