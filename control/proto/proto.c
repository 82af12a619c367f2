/* SPDX-License-Identifier: BSD-3-Clause */
/* JSON-lines over Unix stream sockets: see proto.h. */
#include "proto.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int fill_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	strcpy(sa->sun_path, path);
	return 0;
}

int vsw_proto_listen(const char *path, mode_t mode)
{
	struct sockaddr_un sa;
	int fd, rc;

	rc = fill_addr(&sa, path);
	if (rc)
		return rc;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/* A socket file left by a process that died is stale: nobody accepts on it. */
	if (unlink(path) && errno != ENOENT) {
		rc = -errno;
		goto err_close;
	}
	/* Create it with the final mode: no window in which others may connect. */
	mode_t old = umask(~mode & 0777);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc) {
		rc = -errno;
		goto err_close;
	}
	if (listen(fd, 16)) {
		rc = -errno;
		goto err_unlink;
	}
	return fd;

err_unlink:
	unlink(path);
err_close:
	close(fd);
	return rc;
}

int vsw_proto_connect(const char *path)
{
	struct sockaddr_un sa;
	int fd, rc;

	rc = fill_addr(&sa, path);
	if (rc)
		return rc;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd pfd = { .fd = fd, .events = POLLOUT };
				if (poll(&pfd, 1, 1000) <= 0)
					return -ETIMEDOUT;
				continue;
			}
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int vsw_proto_send(int fd, const json_t *msg)
{
	char *s = json_dumps(msg, JSON_COMPACT);
	int rc;

	if (!s)
		return -ENOMEM;
	size_t n = strlen(s);
	s[n] = '\0';
	rc = write_all(fd, s, n);
	if (!rc)
		rc = write_all(fd, "\n", 1);
	free(s);
	return rc;
}

void vsw_proto_reader_init(struct vsw_proto_reader *r)
{
	memset(r, 0, sizeof(*r));
}

void vsw_proto_reader_free(struct vsw_proto_reader *r)
{
	free(r->buf);
	memset(r, 0, sizeof(*r));
}

/* Take one complete line out of the buffer, if there is one. */
static int take_line(struct vsw_proto_reader *r, json_t **msg)
{
	char *nl = r->len ? memchr(r->buf, '\n', r->len) : NULL;
	json_error_t jerr;

	if (!nl) {
		if (r->len >= VSW_PROTO_MAX_MSG)
			return -EPROTO;
		return 0;
	}
	size_t linelen = (size_t)(nl - r->buf);
	*msg = json_loadb(r->buf, linelen, 0, &jerr);
	memmove(r->buf, nl + 1, r->len - linelen - 1);
	r->len -= linelen + 1;
	if (!*msg || !json_is_object(*msg)) {
		json_decref(*msg);
		*msg = NULL;
		return -EPROTO;
	}
	return 1;
}

int vsw_proto_read(int fd, struct vsw_proto_reader *r, json_t **msg)
{
	int rc = take_line(r, msg);

	if (rc)
		return rc;
	for (;;) {
		if (r->cap - r->len < 4096) {
			size_t ncap = r->cap ? r->cap * 2 : 8192;
			char *nb = realloc(r->buf, ncap);
			if (!nb)
				return -ENOMEM;
			r->buf = nb;
			r->cap = ncap;
		}
		ssize_t n = recv(fd, r->buf + r->len, r->cap - r->len, 0);
		if (n == 0)
			return -EPIPE;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -errno;
		}
		r->len += (size_t)n;
		rc = take_line(r, msg);
		if (rc)
			return rc;
	}
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

json_t *vsw_proto_call(int fd, struct vsw_proto_reader *r, json_t *req, int timeout_ms,
		       char *err, size_t errlen)
{
	long long deadline = now_ms() + timeout_ms;
	json_t *reply = NULL;
	int rc;

	rc = vsw_proto_send(fd, req);
	if (rc) {
		snprintf(err, errlen, "send: %s", strerror(-rc));
		return NULL;
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags >= 0 && !(flags & O_NONBLOCK))
		fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	for (;;) {
		rc = vsw_proto_read(fd, r, &reply);
		if (rc == 1)
			break;
		if (rc < 0) {
			snprintf(err, errlen, "%s",
				 rc == -EPIPE ? "connection closed by peer" :
				 rc == -EPROTO ? "malformed reply" : strerror(-rc));
			reply = NULL;
			break;
		}
		long long left = deadline - now_ms();
		if (left <= 0) {
			snprintf(err, errlen, "no reply within %d ms", timeout_ms);
			break;
		}
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		poll(&pfd, 1, (int)left);
	}
	if (flags >= 0 && !(flags & O_NONBLOCK))
		fcntl(fd, F_SETFL, flags);
	return reply;
}

json_t *vsw_proto_ok(void)
{
	return json_pack("{s:b}", "ok", 1);
}

json_t *vsw_proto_error(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return json_pack("{s:b,s:s}", "ok", 0, "error", buf);
}

int vsw_proto_path(char *buf, size_t len, const char *run_dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", run_dir, name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}
