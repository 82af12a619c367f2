/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vswctl capture without a dataplane: the stream's framing (capwire.h), the
 * command line, the files (read back by libpcap), and whole runs against a
 * fake dataplane (a forked child that answers capture-start and sends
 * scripted records).
 */
#include "cli_test.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "capture.h"
#include "capwire.h"
#include "proto.h"

#define A(...) __VA_ARGS__, (const char *)NULL

/* ---- framing ---- */

static void test_wire_layout(void **state)
{
	struct vsw_capwire_hdr h = { .type = VSW_CAPWIRE_PACKET, .len = 0x3c, .orig_len = 0x5ea,
				     .ts_ns = 0x0102030405060708ull, .flags = VSW_CAPWIRE_FLAG_OUT };
	static const uint8_t want[VSW_CAPWIRE_HDR_LEN] = {
		1, 0, 0, 0, 0x3c, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1, 0xea, 5, 0, 0, 1, 0, 0, 0,
	};
	uint8_t b[VSW_CAPWIRE_HDR_LEN];
	struct vsw_capwire_hdr back;
	(void)state;

	vsw_capwire_encode(&h, b);
	assert_memory_equal(b, want, sizeof(want)); /* little-endian, as PROTOCOL.md says */
	assert_int_equal(vsw_capwire_decode(b, &back), 0);
	assert_memory_equal(&back, &h, sizeof(h));
}

static void assert_bad(struct vsw_capwire_hdr h)
{
	uint8_t b[VSW_CAPWIRE_HDR_LEN];
	struct vsw_capwire_hdr back;

	vsw_capwire_encode(&h, b);
	assert_int_equal(vsw_capwire_decode(b, &back), -EPROTO);
}

static void test_wire_refuses(void **state)
{
	(void)state;
	assert_bad((struct vsw_capwire_hdr){ .type = 3 });
	assert_bad((struct vsw_capwire_hdr){ .type = 0 });
	assert_bad((struct vsw_capwire_hdr){ .type = VSW_CAPWIRE_PACKET, .len = 61, .orig_len = 60 });
	assert_bad((struct vsw_capwire_hdr){ .type = VSW_CAPWIRE_PACKET, .len = 65536,
					     .orig_len = 70000 });
	assert_bad((struct vsw_capwire_hdr){ .type = VSW_CAPWIRE_PACKET, .len = 1, .orig_len = 1,
					     .flags = 2 });
	assert_bad((struct vsw_capwire_hdr){ .type = VSW_CAPWIRE_END, .len = 4097 });
	assert_bad((struct vsw_capwire_hdr){ .type = VSW_CAPWIRE_END, .ts_ns = 1 });
}

/* Append one record to buf at *n. */
static void put(uint8_t *buf, size_t *n, uint32_t type, const void *payload, uint32_t len,
		uint32_t orig_len, uint64_t ts, uint32_t flags)
{
	struct vsw_capwire_hdr h = { .type = type, .len = len, .orig_len = orig_len, .ts_ns = ts,
				     .flags = flags };

	vsw_capwire_encode(&h, buf + *n);
	memcpy(buf + *n + VSW_CAPWIRE_HDR_LEN, payload, len);
	*n += VSW_CAPWIRE_HDR_LEN + len;
}

static void test_wire_reader_any_split(void **state)
{
	uint8_t stream[512], pkt[100];
	size_t n = 0;
	(void)state;

	for (int i = 0; i < 100; i++)
		pkt[i] = (uint8_t)i;
	put(stream, &n, VSW_CAPWIRE_PACKET, pkt, 100, 100, 11, 0);
	put(stream, &n, VSW_CAPWIRE_PACKET, pkt, 0, 60, 12, 1);
	put(stream, &n, VSW_CAPWIRE_PACKET, pkt + 50, 30, 1500, 13, 0);
	put(stream, &n, VSW_CAPWIRE_END, "{}", 2, 0, 0, 0);
	/* Fed in pieces of every size, the same four records come out. */
	for (size_t piece = 1; piece <= n; piece++) {
		struct vsw_capwire_reader rd;
		struct vsw_capwire_hdr h[8];
		const uint8_t *p;
		uint8_t copy[4][100];
		int got = 0;

		vsw_capwire_reader_init(&rd);
		for (size_t off = 0; off < n; off += piece) {
			assert_int_equal(vsw_capwire_feed(&rd, stream + off,
							  off + piece > n ? n - off : piece), 0);
			while (vsw_capwire_next(&rd, &h[got], &p) == 1) {
				assert_true(got < 4);
				memcpy(copy[got], p, h[got].len);
				got++;
			}
		}
		assert_int_equal(got, 4);
		assert_int_equal(vsw_capwire_pending(&rd), 0);
		assert_int_equal(h[0].len, 100);
		assert_memory_equal(copy[0], pkt, 100);
		assert_int_equal(h[1].len, 0);
		assert_int_equal(h[1].orig_len, 60);
		assert_int_equal(h[1].flags, 1);
		assert_int_equal(h[2].ts_ns, 13);
		assert_memory_equal(copy[2], pkt + 50, 30);
		assert_int_equal(h[3].type, VSW_CAPWIRE_END);
		assert_memory_equal(copy[3], "{}", 2);
		vsw_capwire_reader_free(&rd);
	}
}

static void test_wire_reader_malformed(void **state)
{
	struct vsw_capwire_reader rd;
	struct vsw_capwire_hdr h;
	const uint8_t *p;
	uint8_t junk[VSW_CAPWIRE_HDR_LEN] = { 9 };
	(void)state;

	vsw_capwire_reader_init(&rd);
	assert_int_equal(vsw_capwire_feed(&rd, junk, 10), 0);
	assert_int_equal(vsw_capwire_next(&rd, &h, &p), 0); /* not a header yet */
	assert_int_equal(vsw_capwire_feed(&rd, junk + 10, sizeof(junk) - 10), 0);
	assert_int_equal(vsw_capwire_next(&rd, &h, &p), -EPROTO);
	vsw_capwire_reader_free(&rd);
}

/* ---- command line ---- */

static int opts_of(struct vsw_cli_capture_opts *o, char *err, size_t errlen, ...)
{
	char *argv[32] = { "vswctl" };
	struct vsw_cli_inv inv;
	int argc = 1, rc;
	va_list ap;

	va_start(ap, errlen);
	for (const char *a; (a = va_arg(ap, const char *)) != NULL;)
		argv[argc++] = (char *)a;
	va_end(ap);
	rc = vsw_cli_parse(&inv, argc, argv, NULL, err, errlen);
	if (rc)
		return rc;
	return vsw_cli_capture_opts(&inv, o, err, errlen);
}

#define assert_opts_error(msg, ...)                                                     \
	do {                                                                            \
		struct vsw_cli_capture_opts o_;                                         \
		char e_[512] = "";                                                      \
		assert_int_equal(opts_of(&o_, e_, sizeof(e_), A(__VA_ARGS__)), -EINVAL); \
		assert_string_equal(e_, msg);                                           \
	} while (0)

static void test_options(void **state)
{
	struct vsw_cli_capture_opts o;
	char err[512];
	(void)state;

	assert_int_equal(opts_of(&o, err, sizeof(err), A("capture", "vm1", "-w", "-")), 0);
	assert_string_equal(o.port, "vm1");
	assert_string_equal(o.file, "-");
	assert_string_equal(o.direction, "both");
	assert_null(o.filter);
	assert_true(o.count == 0 && o.duration_ms == 0 && !o.pcapng);
	assert_int_equal(o.snaplen, 65535);

	assert_int_equal(opts_of(&o, err, sizeof(err),
				 A("--direction", "in", "capture", "--filter=udp port 7", "-c", "5",
				   "vm1", "--duration", "0.0001", "--snaplen=128", "--write",
				   "x.pcapng")), 0);
	assert_string_equal(o.direction, "in");
	assert_string_equal(o.filter, "udp port 7");
	assert_int_equal(o.count, 5);
	assert_int_equal(o.duration_ms, 1); /* rounded up, not "no limit" */
	assert_int_equal(o.snaplen, 128);
	assert_string_equal(o.file, "x.pcapng");
	assert_true(o.pcapng); /* by the name */
	assert_int_equal(opts_of(&o, err, sizeof(err),
				 A("capture", "vm1", "-w", "x.cap", "--pcapng", "-s", "65535")), 0);
	assert_true(o.pcapng);

	assert_opts_error("capture: -w FILE is required (-w - writes to standard output)",
			  "capture", "vm1");
	assert_opts_error("capture: unknown direction 'up'; expected in, out or both", "capture",
			  "vm1", "-w", "-", "--direction", "up");
	assert_opts_error("capture: --count '0' is not a number of packets > 0", "capture", "vm1",
			  "-w", "-", "--count", "0");
	assert_opts_error("capture: --count '-3' is not a number of packets > 0", "capture",
			  "vm1", "-w", "-", "--count=-3");
	assert_opts_error("capture: --count '3x' is not a number of packets > 0", "capture", "vm1",
			  "-w", "-", "-c", "3x");
	assert_opts_error("capture: --duration '0' is not a number of seconds > 0", "capture",
			  "vm1", "-w", "-", "--duration", "0");
	assert_opts_error("capture: --duration 'soon' is not a number of seconds > 0", "capture",
			  "vm1", "-w", "-", "--duration", "soon");
	assert_opts_error("capture: --snaplen '65536' is not a number of bytes 1..65535",
			  "capture", "vm1", "-w", "-", "--snaplen", "65536");
	assert_opts_error("capture: empty port name", "capture", "", "-w", "-");
	assert_opts_error("capture: -w needs a file name", "capture", "vm1", "-w", "");
	assert_opts_error("option '--count' given twice", "capture", "vm1", "-w", "-", "-c", "1",
			  "--count", "2");
	assert_opts_error("option '--write' requires an argument (FILE)", "capture", "vm1", "-w");
	assert_opts_error("unknown option '-w=x'; try 'vswctl help'", "capture", "vm1", "-w=x");
	assert_opts_error("show: unknown option '--count'", "show", "--count", "3");
	assert_opts_error("capture: expected PORT -w FILE [--direction in|out|both] [--filter BPF] "
			  "[--count N] [--duration SECONDS] [--snaplen BYTES] [--pcapng]",
			  "capture", "-w", "-");
}

static void test_dataplane_socket(void **state)
{
	char *argv[8] = { "vswctl" };
	struct vsw_cli_inv inv;
	char err[256];
	(void)state;

	argv[1] = "--run-dir", argv[2] = "/x/y", argv[3] = "show";
	assert_int_equal(vsw_cli_parse(&inv, 4, argv, NULL, err, sizeof(err)), 0);
	assert_string_equal(inv.dp_socket, "/x/y/dataplane.sock");
	argv[1] = "--socket", argv[2] = "/a/b/ctl.sock";
	assert_int_equal(vsw_cli_parse(&inv, 4, argv, NULL, err, sizeof(err)), 0);
	assert_string_equal(inv.dp_socket, "/a/b/dataplane.sock");
	argv[2] = "ctl.sock";
	assert_int_equal(vsw_cli_parse(&inv, 4, argv, NULL, err, sizeof(err)), 0);
	assert_string_equal(inv.dp_socket, "dataplane.sock");
	assert_int_equal(vsw_cli_parse(&inv, 2, (char *[]){ "vswctl", "show", NULL }, "/e", err,
				       sizeof(err)), 0);
	assert_string_equal(inv.dp_socket, "/e/dataplane.sock");
}

/* ---- files ---- */

struct frame {
	uint64_t ts;
	uint32_t caplen, len;
	uint8_t data[128];
};

/* Every frame of a capture file, read by libpcap (which reads pcap and pcapng). */
static int read_back(const char *path, struct frame *f, int max)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	struct pcap_pkthdr *h;
	const u_char *d;
	int n = 0;

	if (!p)
		fail_msg("libpcap cannot read %s: %s", path, ebuf);
	assert_int_equal(pcap_datalink(p), DLT_EN10MB);
	while (pcap_next_ex(p, &h, &d) == 1) {
		assert_true(n < max && h->caplen <= sizeof(f[n].data));
		f[n].ts = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;
		f[n].caplen = h->caplen;
		f[n].len = h->len;
		memcpy(f[n].data, d, h->caplen);
		n++;
	}
	pcap_close(p);
	return n;
}

static void test_files(void **state)
{
	static const bool ng[] = { false, true };
	char path[] = "/tmp/vswctl-capout.XXXXXX";
	uint8_t a[60], b[100];
	(void)state;

	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = (uint8_t)(i * 3);
	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)(255 - i);
	for (size_t k = 0; k < 2; k++) {
		struct frame f[4];
		char err[256];
		int fd = mkstemp(path);

		assert_true(fd >= 0);
		close(fd);
		struct vsw_capout *o = vsw_capout_open(path, NULL, ng[k], 80, "vm1", err, sizeof(err));
		assert_non_null(o);
		vsw_capout_write(o, 1795000000123456789ull, a, 60, 60, false);
		vsw_capout_write(o, 1795000001000000001ull, b, 80, 100, true);
		assert_int_equal(vsw_capout_close(o), 0);
		assert_int_equal(read_back(path, f, 4), 2);
		assert_true(f[0].ts == 1795000000123456789ull); /* nanoseconds kept */
		assert_true(f[1].ts == 1795000001000000001ull);
		assert_int_equal(f[0].caplen, 60);
		assert_int_equal(f[1].caplen, 80);
		assert_int_equal(f[1].len, 100);
		assert_memory_equal(f[0].data, a, 60);
		assert_memory_equal(f[1].data, b, 80);
		unlink(path);
		strcpy(path, "/tmp/vswctl-capout.XXXXXX");
	}
	{
		char err[256];

		assert_null(vsw_capout_open("/nonexistent/x.pcap", NULL, false, 80, "vm1", err,
					    sizeof(err)));
		assert_string_equal(err, "cannot write /nonexistent/x.pcap: No such file or directory");
	}
}

/* ---- whole runs against a fake dataplane ---- */

enum fake_end {
	END_ON_SHUTDOWN, /* wait for the client to shut its side, then the end record */
	END_NOW, /* end record right after the frames ("port deleted") */
	CUT, /* close after the frames, no end record */
	GARBAGE, /* a record that is not one */
};

struct fake {
	pid_t pid;
	int req_fd;
	char dir[64];
	char sock[128];
	char file[128];
};

/* A UDP/IPv4 frame of 60 bytes to port dport; byte 59 = seq. */
static void udp_frame(uint8_t *f, uint16_t dport, uint8_t seq)
{
	static const uint8_t head[] = {
		2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00, /* Ethernet */
		0x45, 0, 0, 46, 0, 1, 0, 0, 64, 17, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2, /* IPv4 */
		0x03, 0xe8, 0, 0, 0, 26, 0, 0, /* UDP, dport below */
	};

	memset(f, 0, 60);
	memcpy(f, head, sizeof(head));
	f[36] = (uint8_t)(dport >> 8);
	f[37] = (uint8_t)dport;
	f[59] = seq;
}

/* 10 frames: seq i to port 7 when i is even, else 9; ts = 1e18 + i. */
static size_t script(uint8_t *buf)
{
	size_t n = 0;

	for (uint8_t i = 0; i < 10; i++) {
		uint8_t f[60];

		udp_frame(f, i % 2 ? 9 : 7, i);
		put(buf, &n, VSW_CAPWIRE_PACKET, f, 60, 60, 1000000000000000000ull + i, i == 3);
	}
	return n;
}

static void fake_start(struct fake *f, const char *reply, enum fake_end end)
{
	int p[2], lfd;

	strcpy(f->dir, "/tmp/vswctl-capture.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->sock, sizeof(f->sock), "%s/%s", f->dir, VSW_DATAPLANE_SOCK);
	snprintf(f->file, sizeof(f->file), "%s/out.pcap", f->dir);
	lfd = vsw_proto_listen(f->sock, 0600);
	assert_true(lfd >= 0);
	assert_int_equal(pipe(p), 0);
	f->pid = fork();
	assert_true(f->pid >= 0);
	if (f->pid == 0) {
		static uint8_t buf[8192];
		char line[1024];
		size_t n = 0, len = 0;
		int cfd;

		close(p[0]);
		do
			cfd = accept(lfd, NULL, NULL);
		while (cfd < 0 && (errno == EAGAIN || errno == EINTR));
		if (cfd < 0)
			_exit(1);
		while (len + 1 < sizeof(line) && read(cfd, line + len, 1) == 1 && line[len] != '\n')
			len++;
		line[len++] = '\n';
		if (write(p[1], line, len) < 0)
			_exit(1);
		n = (size_t)snprintf((char *)buf, sizeof(buf), "%s\n", reply);
		if (strstr(reply, "\"ok\":true"))
			n += script(buf + n);
		if (end == GARBAGE)
			put(buf, &n, 7, "", 0, 0, 0, 0); /* a record of no known type */
		if (end == END_NOW)
			put(buf, &n, VSW_CAPWIRE_END, "{\"reason\":\"port deleted\",\"drops\":2}", 35,
			    0, 0, 0);
		if (write(cfd, buf, n) < 0)
			_exit(1);
		if (end == END_ON_SHUTDOWN) {
			while (read(cfd, line, sizeof(line)) > 0)
				; /* until the client shuts its side */
			n = 0;
			put(buf, &n, VSW_CAPWIRE_END,
			    "{\"reason\":\"stopped by the client\",\"drops\":1}", 44, 0, 0, 0);
			if (write(cfd, buf, n) < 0)
				_exit(1);
		}
		close(cfd);
		_exit(0);
	}
	close(lfd);
	close(p[1]);
	f->req_fd = p[0];
}

static json_t *fake_stop(struct fake *f)
{
	char line[1024];
	size_t len = 0;
	json_t *req;

	while (len + 1 < sizeof(line) && read(f->req_fd, line + len, 1) == 1 && line[len] != '\n')
		len++;
	line[len] = '\0';
	close(f->req_fd);
	kill(f->pid, SIGKILL);
	waitpid(f->pid, NULL, 0);
	unlink(f->sock);
	req = json_loads(line, 0, NULL);
	return req;
}

static void fake_clean(struct fake *f)
{
	unlink(f->file);
	rmdir(f->dir);
}

#define OK_REPLY                                                                         \
	"{\"ok\":true,\"port\":\"vm1\",\"port_no\":1,\"direction\":\"both\",\"snaplen\":65535}"

static void test_run_filter_and_count(void **state)
{
	struct frame fr[16];
	char want[512];
	struct fake f;
	struct run r;
	json_t *req;
	(void)state;

	fake_start(&f, OK_REPLY, END_ON_SHUTDOWN);
	run_vswctl(&r, f.dir, A("capture", "vm1", "-w", f.file, "--filter", "udp dst port 7",
				"--count", "3", "--direction", "in"));
	req = fake_stop(&f);
	assert_int_equal(r.code, VSW_CLI_EXIT_OK);
	snprintf(want, sizeof(want), "capture: 3 packets written to %s (10 captured, 2 not "
		 "matching the filter, 1 dropped by vsw-dataplane)\n", f.file);
	assert_string_equal(r.err, want);
	assert_json_eq(req, "{\"cmd\":\"capture-start\",\"port\":\"vm1\",\"direction\":\"in\","
			    "\"snaplen\":65535}");
	/* Frames 0, 2 and 4 go to port 7: the first three that match, in order. */
	assert_int_equal(read_back(f.file, fr, 16), 3);
	for (int i = 0; i < 3; i++) {
		uint8_t frame[60];

		udp_frame(frame, 7, (uint8_t)(2 * i));
		assert_memory_equal(fr[i].data, frame, 60);
		assert_true(fr[i].ts == 1000000000000000000ull + 2 * (uint64_t)i);
	}
	json_decref(req);
	run_free(&r);
	fake_clean(&f);
}

static void test_run_to_stdout_pcapng(void **state)
{
	struct fake f;
	struct run r;
	FILE *tmp;
	struct frame fr[16];
	(void)state;

	fake_start(&f, OK_REPLY, END_ON_SHUTDOWN);
	run_vswctl(&r, f.dir, A("capture", "vm1", "-w", "-", "--pcapng", "-c", "4"));
	json_decref(fake_stop(&f));
	assert_int_equal(r.code, VSW_CLI_EXIT_OK);
	assert_true(r.out_len > 28);
	assert_memory_equal(r.out, "\x0a\x0d\x0d\x0a", 4);
	tmp = fopen(f.file, "wb");
	assert_non_null(tmp);
	assert_int_equal(fwrite(r.out, 1, r.out_len, tmp), r.out_len);
	fclose(tmp);
	assert_int_equal(read_back(f.file, fr, 16), 4);
	assert_int_equal(fr[3].data[59], 3);
	assert_string_equal(r.err, "capture: 4 packets written to standard output (10 captured, "
				   "1 dropped by vsw-dataplane)\n");
	run_free(&r);
	fake_clean(&f);
}

/* The capture ends otherwise than asked: exit 1, one line, and the file has every frame. */
static void run_ends(enum fake_end end, const char *why)
{
	struct frame fr[16];
	char want[256];
	struct fake f;
	struct run r;

	fake_start(&f, OK_REPLY, end);
	run_vswctl(&r, f.dir, A("capture", "vm1", "-w", f.file));
	json_decref(fake_stop(&f));
	assert_int_equal(r.code, VSW_CLI_EXIT_FAIL);
	snprintf(want, sizeof(want), "vswctl: capture: %s\n", why);
	assert_string_equal(r.err, want);
	assert_int_equal(read_back(f.file, fr, 16), 10);
	run_free(&r);
	fake_clean(&f);
}

static void test_run_ends_otherwise(void **state)
{
	(void)state;
	run_ends(END_NOW, "ended by vsw-dataplane: port deleted (10 packets written)");
	run_ends(CUT, "connection to vsw-dataplane lost (10 packets written)");
	run_ends(GARBAGE, "malformed stream from vsw-dataplane (10 packets written)");
}

static void test_run_refused(void **state)
{
	struct fake f;
	struct run r;
	json_t *req;
	struct stat st;
	(void)state;

	fake_start(&f, "{\"ok\":false,\"error\":\"capture-start: no port 'vm9'\"}", CUT);
	run_vswctl(&r, f.dir, A("capture", "vm9", "-w", f.file));
	req = fake_stop(&f);
	assert_int_equal(r.code, VSW_CLI_EXIT_FAIL);
	assert_string_equal(r.err, "vswctl: capture: no port 'vm9'\n");
	assert_string_equal(r.out, "");
	assert_int_equal(stat(f.file, &st), -1); /* no file made */
	assert_json_eq(req, "{\"cmd\":\"capture-start\",\"port\":\"vm9\",\"direction\":\"both\","
			    "\"snaplen\":65535}");
	json_decref(req);
	run_free(&r);
	fake_clean(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wire_layout),
		cmocka_unit_test(test_wire_refuses),
		cmocka_unit_test(test_wire_reader_any_split),
		cmocka_unit_test(test_wire_reader_malformed),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_dataplane_socket),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_run_filter_and_count),
		cmocka_unit_test(test_run_to_stdout_pcapng),
		cmocka_unit_test(test_run_ends_otherwise),
		cmocka_unit_test(test_run_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
