/* SPDX-License-Identifier: BSD-3-Clause */
/* vswctl capture: one capture session with vsw-dataplane (capture.h). */
#include "capture.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "capwire.h"
#include "proto.h"

#define READ_CHUNK (256 * 1024)
#define STOPPED_BY_CLIENT "stopped by the client"

struct session {
	const struct vsw_cli_capture_opts *o;
	int fd, sfd;
	struct bpf_program prog;
	bool have_prog;
	struct vsw_capout *out;
	struct vsw_capwire_reader rd;
	/* how it goes */
	bool stopping, discard, got_end, out_gone, malformed;
	int out_rc; /* a write error other than the reader going away */
	long long stop_deadline;
	unsigned long long received, written, filtered, dp_drops;
	char end_reason[128];
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int report(FILE *errf, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int report(FILE *errf, int code, const char *fmt, ...)
{
	char msg[2 * VSW_CLI_ERRLEN], line[2 * VSW_CLI_ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vsw_cli_one_line(line, sizeof(line), msg);
	fprintf(errf, "vswctl: %s\n", line);
	fflush(errf);
	return code;
}

/* Ask the dataplane for the end: it sends what it holds, then the end record. */
static void stop(struct session *s)
{
	if (s->stopping)
		return;
	s->stopping = true;
	s->stop_deadline = now_ms() + VSW_CLI_CAPTURE_LINGER_MS;
	shutdown(s->fd, SHUT_WR);
}

static void on_packet(struct session *s, const struct vsw_capwire_hdr *h, const uint8_t *data)
{
	struct pcap_pkthdr ph = { .caplen = h->len, .len = h->orig_len };

	s->received++;
	if (s->discard)
		return;
	if (s->have_prog && !pcap_offline_filter(&s->prog, &ph, data)) {
		s->filtered++;
		return;
	}
	vsw_capout_write(s->out, h->ts_ns, data, h->len, h->orig_len,
			 h->flags & VSW_CAPWIRE_FLAG_OUT);
	s->written++;
	if (s->o->count && s->written >= s->o->count) {
		s->discard = true; /* exactly N */
		stop(s);
	}
}

static void on_end(struct session *s, const uint8_t *data, uint32_t len)
{
	json_t *o = json_loadb((const char *)data, len, 0, NULL);
	const char *why = json_string_value(json_object_get(o, "reason"));
	json_t *drops = json_object_get(o, "drops");

	snprintf(s->end_reason, sizeof(s->end_reason), "%s", why ? why : "no reason given");
	if (json_is_integer(drops) && json_integer_value(drops) > 0)
		s->dp_drops = (unsigned long long)json_integer_value(drops);
	json_decref(o);
	s->got_end = true;
}

/* Whole records out of the reader; after them, one flush of the file. */
static void take_records(struct session *s)
{
	struct vsw_capwire_hdr h;
	const uint8_t *payload;
	unsigned long long before = s->written;
	int rc;

	while (!s->got_end && (rc = vsw_capwire_next(&s->rd, &h, &payload)) == 1) {
		if (h.type == VSW_CAPWIRE_PACKET)
			on_packet(s, &h, payload);
		else
			on_end(s, payload, h.len);
	}
	if (!s->got_end && rc < 0)
		s->malformed = true;
	if (s->written == before || s->out_gone || s->out_rc)
		return;
	rc = vsw_capout_flush(s->out);
	if (rc == -EPIPE && !strcmp(s->o->file, "-"))
		s->out_gone = true; /* the reader of the pipe is done: so are we */
	else if (rc)
		s->out_rc = rc;
	if (rc) {
		s->discard = true;
		stop(s);
	}
}

/* Read what the dataplane sent. false when the connection is over. */
static bool read_stream(struct session *s, uint8_t *buf)
{
	ssize_t n = read(s->fd, buf, READ_CHUNK);

	if (n < 0 && errno == EINTR)
		return true;
	if (n <= 0)
		return false;
	if (vsw_capwire_feed(&s->rd, buf, (size_t)n)) {
		s->malformed = true; /* out of memory: no way to go on */
		return false;
	}
	take_records(s);
	return !s->got_end && !s->malformed;
}

static void loop(struct session *s)
{
	long long deadline = s->o->duration_ms ? now_ms() + s->o->duration_ms : -1;
	uint8_t *buf = malloc(READ_CHUNK);

	if (!buf) {
		s->malformed = true;
		return;
	}
	take_records(s); /* what came with the reply */
	while (!s->got_end && !s->malformed) {
		struct pollfd pfd[2] = { { .fd = s->fd, .events = POLLIN },
					 { .fd = s->sfd, .events = POLLIN } };
		long long now = now_ms(), until = s->stopping ? s->stop_deadline : deadline;
		int timeout = until < 0 ? -1 : until <= now ? 0 : (int)(until - now);

		if (poll(pfd, s->sfd >= 0 ? 2 : 1, timeout) < 0 && errno != EINTR)
			break;
		if (s->sfd >= 0 && (pfd[1].revents & POLLIN)) {
			struct signalfd_siginfo si;

			if (read(s->sfd, &si, sizeof(si)) > 0)
				stop(s);
		}
		if (!s->stopping && deadline >= 0 && now_ms() >= deadline)
			stop(s);
		if (pfd[0].revents && !read_stream(s, buf))
			break;
		if (s->stopping && now_ms() >= s->stop_deadline)
			break; /* asked, and waited long enough: the file is complete */
	}
	free(buf);
}

/* Catch SIGINT/SIGTERM/SIGHUP on a signalfd; see write errors rather than die of SIGPIPE. */
struct signals {
	sigset_t old_mask;
	struct sigaction old_pipe;
	int sfd;
};

static void signals_catch(struct signals *sg)
{
	struct sigaction ign = { .sa_handler = SIG_IGN };
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &sg->old_mask);
	sg->sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	sigaction(SIGPIPE, &ign, &sg->old_pipe);
}

static void signals_restore(struct signals *sg)
{
	struct signalfd_siginfo si;

	if (sg->sfd >= 0) {
		while (read(sg->sfd, &si, sizeof(si)) > 0)
			; /* taken: already acted upon, or too late to matter */
		close(sg->sfd);
	}
	sigaction(SIGPIPE, &sg->old_pipe, NULL);
	sigprocmask(SIG_SETMASK, &sg->old_mask, NULL);
}

/* capture-start on fd: 0, or the exit code of a refusal or failure (reported). */
static int start(const struct vsw_cli_inv *inv, const struct vsw_cli_capture_opts *o, int fd,
		 struct vsw_proto_reader *rd, FILE *errf)
{
	static const char prefix[] = "capture-start: ";
	char err[VSW_CLI_ERRLEN];
	json_t *req, *reply;
	const char *e;
	int rc = VSW_CLI_EXIT_FAIL;

	req = json_pack("{s:s,s:s,s:s,s:i}", "cmd", "capture-start", "port", o->port, "direction",
			o->direction, "snaplen", (int)o->snaplen);
	if (!req)
		return report(errf, VSW_CLI_EXIT_FAIL, "capture: out of memory");
	reply = vsw_proto_call(fd, rd, req, inv->timeout_ms, err, sizeof(err));
	json_decref(req);
	if (!reply)
		return report(errf, VSW_CLI_EXIT_FAIL, "capture: vsw-dataplane at %s: %s",
			      inv->dp_socket, err);
	if (json_is_true(json_object_get(reply, "ok"))) {
		rc = 0;
	} else {
		e = json_string_value(json_object_get(reply, "error"));
		if (!e || !*e)
			e = "vsw-dataplane refused without a message";
		if (!strncmp(e, prefix, sizeof(prefix) - 1))
			e += sizeof(prefix) - 1;
		report(errf, VSW_CLI_EXIT_FAIL, "capture: %s", e);
	}
	json_decref(reply);
	return rc;
}

/* After the session: the exit code, and the one line that says how it went. */
static int outcome(const struct session *s, FILE *errf)
{
	const char *file = strcmp(s->o->file, "-") ? s->o->file : "standard output";
	char filtered[64] = "";

	if (s->out_rc)
		return report(errf, VSW_CLI_EXIT_FAIL, "capture: cannot write %s: %s (%llu packets written)",
			      file, strerror(-s->out_rc), s->written);
	if (s->malformed)
		return report(errf, VSW_CLI_EXIT_FAIL,
			      "capture: malformed stream from vsw-dataplane (%llu packets written)",
			      s->written);
	if (!s->got_end && !s->stopping)
		return report(errf, VSW_CLI_EXIT_FAIL,
			      "capture: connection to vsw-dataplane lost (%llu packets written)",
			      s->written);
	if (s->got_end && strcmp(s->end_reason, STOPPED_BY_CLIENT))
		return report(errf, VSW_CLI_EXIT_FAIL,
			      "capture: ended by vsw-dataplane: %s (%llu packets written)",
			      s->end_reason, s->written);
	if (s->have_prog)
		snprintf(filtered, sizeof(filtered), ", %llu not matching the filter", s->filtered);
	fprintf(errf,
		"capture: %llu packets written to %s (%llu captured%s, %llu dropped by vsw-dataplane)\n",
		s->written, file, s->received, filtered, s->dp_drops);
	fflush(errf);
	return VSW_CLI_EXIT_OK;
}

int vsw_cli_capture_run(const struct vsw_cli_inv *inv, FILE *out, FILE *errf)
{
	struct vsw_cli_capture_opts o;
	struct session s = { .o = &o, .fd = -1, .sfd = -1 };
	struct vsw_proto_reader rd;
	struct signals sg;
	char err[VSW_CLI_ERRLEN];
	pcap_t *dead = NULL;
	int rc;

	if (vsw_cli_capture_opts(inv, &o, err, sizeof(err)))
		return report(errf, VSW_CLI_EXIT_USAGE, "%s", err);
	if (o.filter) {
		dead = pcap_open_dead(DLT_EN10MB, (int)o.snaplen);
		if (!dead)
			return report(errf, VSW_CLI_EXIT_FAIL, "capture: out of memory");
		if (pcap_compile(dead, &s.prog, o.filter, 1, PCAP_NETMASK_UNKNOWN)) {
			rc = report(errf, VSW_CLI_EXIT_USAGE, "capture: bad filter '%s': %s", o.filter,
				    pcap_geterr(dead));
			pcap_close(dead);
			return rc;
		}
		s.have_prog = true;
	}
	if (!inv->dp_socket[0]) {
		rc = report(errf, VSW_CLI_EXIT_USAGE, "capture: the dataplane's socket path is too long");
		goto out_prog;
	}

	signals_catch(&sg);
	s.sfd = sg.sfd;
	vsw_proto_reader_init(&rd);
	vsw_capwire_reader_init(&s.rd);
	s.fd = vsw_proto_connect(inv->dp_socket);
	if (s.fd < 0) {
		if (s.fd == -EACCES || s.fd == -EPERM) /* as vsw_cli_connect_error() says it */
			rc = report(errf, VSW_CLI_EXIT_FAIL,
				    "capture: permission denied on %s: run as root or as a member of group %s",
				    inv->dp_socket, VSW_DEFAULT_GROUP);
		else
			rc = report(errf, VSW_CLI_EXIT_FAIL,
				    "capture: cannot connect to vsw-dataplane at %s: %s%s",
				    inv->dp_socket, strerror(-s.fd),
				    s.fd == -ENOENT || s.fd == -ECONNREFUSED ?
					    " (is vsw-dataplane running?)" : "");
		goto out_signals;
	}
	rc = start(inv, &o, s.fd, &rd, errf);
	if (rc)
		goto out_close;
	/* Bytes that came with the reply line are the first records. */
	if (vsw_capwire_feed(&s.rd, rd.buf, rd.len)) {
		rc = report(errf, VSW_CLI_EXIT_FAIL, "capture: out of memory");
		goto out_close;
	}
	s.out = vsw_capout_open(o.file, out, o.pcapng, o.snaplen, o.port, err, sizeof(err));
	if (!s.out) {
		rc = report(errf, VSW_CLI_EXIT_FAIL, "capture: %s", err);
		goto out_close;
	}
	/* The header at once: a reader sees a valid, empty capture (and that it runs). */
	rc = vsw_capout_flush(s.out);
	if (rc == -EPIPE && !strcmp(o.file, "-"))
		s.out_gone = true;
	else if (rc)
		s.out_rc = rc;
	if (rc) {
		s.discard = true;
		stop(&s);
	}

	loop(&s);
	rc = vsw_capout_close(s.out);
	if (rc && !s.out_rc && !s.out_gone && !(rc == -EPIPE && !strcmp(o.file, "-")))
		s.out_rc = rc; /* once the reader is gone, the stream's errors are no news */
	rc = outcome(&s, errf);

out_close:
	close(s.fd);
out_signals:
	vsw_capwire_reader_free(&s.rd);
	vsw_proto_reader_free(&rd);
	signals_restore(&sg);
out_prog:
	if (s.have_prog)
		pcap_freecode(&s.prog);
	if (dead)
		pcap_close(dead);
	return rc;
}
