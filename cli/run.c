/* SPDX-License-Identifier: BSD-3-Clause */
/* One vswctl run: parse, call vsw-control, print, exit code. See cli.h. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proto.h"

static int report(FILE *errf, int code, const char *msg)
{
	fprintf(errf, "vswctl: %s\n", msg);
	fflush(errf);
	return code;
}

/* Exit code after writing to out: a full disk or a closed pipe is a failure. */
static int finish(FILE *out, FILE *errf, int rc)
{
	if (fflush(out) == EOF && !rc)
		rc = -errno;
	if (!rc && ferror(out))
		rc = -EIO;
	if (rc) {
		char msg[VSW_CLI_ERRLEN];

		snprintf(msg, sizeof(msg), "cannot write output: %s", strerror(-rc));
		return report(errf, VSW_CLI_EXIT_FAIL, msg);
	}
	return VSW_CLI_EXIT_OK;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void vsw_cli_connect_error(char *buf, size_t len, const char *path, int rc)
{
	const char *hint = "";

	if (rc == -EACCES || rc == -EPERM) {
		snprintf(buf, len, "permission denied on %s: run as root or as a member of group %s",
			 path, VSW_DEFAULT_GROUP);
		return;
	}
	if (rc == -ENOENT || rc == -ECONNREFUSED)
		hint = " (is vsw-control running?)";
	snprintf(buf, len, "cannot connect to vsw-control at %s: %s%s", path, strerror(-rc), hint);
}

/* Print an ok reply of a read-only command to out, all or nothing. 0 or -errno. */
static int print_reply(const struct vsw_cli_inv *inv, const json_t *reply, FILE *out,
		       char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int rc;

	if (!mem)
		return vsw_cli_fail(err, errlen, -errno, "%s", strerror(errno));
	if (inv->format == VSW_CLI_FORMAT_JSON) {
		rc = vsw_cli_print_json(reply, mem);
		if (rc)
			vsw_cli_fail(err, errlen, rc, "cannot format JSON: %s", strerror(-rc));
	} else {
		rc = inv->cmd->print(reply, mem, err, errlen);
	}
	if (fclose(mem) && !rc)
		rc = vsw_cli_fail(err, errlen, -ENOMEM, "%s", strerror(ENOMEM));
	if (!rc && len && fwrite(buf, 1, len, out) != len)
		rc = vsw_cli_fail(err, errlen, -EIO, "cannot write output: %s", strerror(EIO));
	free(buf);
	return rc;
}

/* How long to wait: the default grows with a file's size (100k rules take a few seconds). */
static int reply_timeout(const struct vsw_cli_inv *inv, const json_t *req)
{
	size_t lines = json_array_size(json_object_get(req, "lines"));
	long long ms = inv->timeout_ms + (long long)(lines * VSW_CLI_MS_PER_KLINE / 1000);

	if (inv->timeout_given || !lines)
		return inv->timeout_ms;
	return ms < INT_MAX ? (int)ms : INT_MAX;
}

/* Send req (consumed) to vsw-control and handle the reply. Exit code. */
static int call(const struct vsw_cli_inv *inv, json_t *req, FILE *out, FILE *errf)
{
	const char *name = inv->cmd->name;
	char err[VSW_CLI_ERRLEN], msg[2 * VSW_CLI_ERRLEN];
	struct vsw_proto_reader rd;
	int timeout_ms = reply_timeout(inv, req);
	json_t *reply, *ok;
	int fd, rc;

	fd = vsw_proto_connect(inv->socket);
	if (fd < 0) {
		json_decref(req);
		vsw_cli_connect_error(msg, sizeof(msg), inv->socket, fd);
		return report(errf, VSW_CLI_EXIT_FAIL, msg);
	}
	vsw_proto_reader_init(&rd);
	long long start = now_ms();
	reply = vsw_proto_call(fd, &rd, req, timeout_ms, err, sizeof(err));
	bool timed_out = !reply && now_ms() - start >= timeout_ms;
	vsw_proto_reader_free(&rd);
	close(fd);
	json_decref(req);

	if (!reply) {
		if (timed_out)
			snprintf(msg, sizeof(msg),
				 "%s: no reply from vsw-control at %s within %g s%s", name,
				 inv->socket, timeout_ms / 1000.0,
				 inv->cmd->read_only ? "" : " (the change may still be made)");
		else
			snprintf(msg, sizeof(msg), "%s: vsw-control at %s: %s", name, inv->socket,
				 err);
		return report(errf, VSW_CLI_EXIT_FAIL, msg);
	}

	ok = json_object_get(reply, "ok");
	if (!json_is_boolean(ok)) {
		snprintf(msg, sizeof(msg), "%s: malformed reply from vsw-control: ok: %s", name,
			 ok ? "expected true or false" : "missing");
		rc = report(errf, VSW_CLI_EXIT_FAIL, msg);
		goto out_reply;
	}
	if (!json_is_true(ok)) {
		const char *e = json_string_value(json_object_get(reply, "error"));

		vsw_cli_one_line(err, sizeof(err),
				 e && *e ? e : "vsw-control reported an error without a message");
		snprintf(msg, sizeof(msg), "%s: %s", name, err);
		rc = report(errf, VSW_CLI_EXIT_FAIL, msg);
		goto out_reply;
	}
	rc = VSW_CLI_EXIT_OK;
	if (inv->cmd->read_only) {
		if (print_reply(inv, reply, out, err, sizeof(err))) {
			snprintf(msg, sizeof(msg), "%s: %s", name, err);
			rc = report(errf, VSW_CLI_EXIT_FAIL, msg);
			goto out_reply;
		}
		rc = finish(out, errf, 0);
	}
out_reply:
	json_decref(reply);
	return rc;
}

int vsw_cli_main(int argc, char *const argv[], const char *env_run_dir, FILE *out, FILE *errf)
{
	char err[VSW_CLI_ERRLEN];
	struct vsw_cli_inv inv;
	json_t *req;
	int rc;

	rc = vsw_cli_parse(&inv, argc, argv, env_run_dir, err, sizeof(err));
	if (rc)
		return report(errf, VSW_CLI_EXIT_USAGE, err);
	if (inv.action == VSW_CLI_HELP)
		return finish(out, errf, vsw_cli_usage(out));
	if (inv.action == VSW_CLI_VERSION)
		return finish(out, errf, vsw_cli_version(out));
	if (inv.cmd->local)
		return finish(out, errf, inv.cmd->local(out));
	if (inv.cmd->run)
		return inv.cmd->run(&inv, out, errf);

	rc = vsw_cli_request(&inv, &req, err, sizeof(err));
	if (rc)
		return report(errf, rc == -EINVAL ? VSW_CLI_EXIT_USAGE : VSW_CLI_EXIT_FAIL, err);
	return call(&inv, req, out, errf);
}
