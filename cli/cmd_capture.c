/* SPDX-License-Identifier: BSD-3-Clause */
/* vswctl capture: the command and its options (capture.h). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"

static const char *opt(const struct vsw_cli_inv *inv, enum vsw_cli_opt_id id)
{
	return inv->optval[id];
}

/* A whole decimal number 1..max. */
static int parse_count(const char *s, unsigned long long max, unsigned long long *v)
{
	char *end;

	if (!s[0] || s[0] == '-' || s[0] == '+')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || *end || *v < 1 || *v > max ? -EINVAL : 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

int vsw_cli_capture_opts(const struct vsw_cli_inv *inv, struct vsw_cli_capture_opts *o,
			 char *err, size_t errlen)
{
	const char *dir = opt(inv, VSW_CLI_OPTID_DIRECTION);
	const char *count = opt(inv, VSW_CLI_OPTID_COUNT);
	const char *dur = opt(inv, VSW_CLI_OPTID_DURATION);
	const char *snap = opt(inv, VSW_CLI_OPTID_SNAPLEN);
	unsigned long long v;

	memset(o, 0, sizeof(*o));
	o->port = inv->argv[0];
	o->file = opt(inv, VSW_CLI_OPTID_WRITE);
	o->filter = opt(inv, VSW_CLI_OPTID_FILTER);
	o->direction = dir ? dir : "both";
	o->snaplen = VSW_CLI_CAPTURE_SNAPLEN;
	if (!*o->port)
		return vsw_cli_fail(err, errlen, -EINVAL, "capture: empty port name");
	if (!o->file)
		return vsw_cli_fail(err, errlen, -EINVAL,
				    "capture: -w FILE is required (-w - writes to standard output)");
	if (!*o->file)
		return vsw_cli_fail(err, errlen, -EINVAL, "capture: -w needs a file name");
	if (strcmp(o->direction, "in") && strcmp(o->direction, "out") &&
	    strcmp(o->direction, "both"))
		return vsw_cli_fail(err, errlen, -EINVAL,
				    "capture: unknown direction '%s'; expected in, out or both",
				    o->direction);
	if (count) {
		if (parse_count(count, 1ull << 62, &v))
			return vsw_cli_fail(err, errlen, -EINVAL,
					    "capture: --count '%s' is not a number of packets > 0",
					    count);
		o->count = v;
	}
	if (dur) {
		char *end;
		double sec;

		errno = 0;
		sec = strtod(dur, &end);
		if (!*dur || *end || errno || !isfinite(sec) || sec <= 0 || sec > 31536000)
			return vsw_cli_fail(err, errlen, -EINVAL,
					    "capture: --duration '%s' is not a number of seconds > 0",
					    dur);
		o->duration_ms = (long long)(sec * 1000);
		if (o->duration_ms < sec * 1000) /* round up: 0.0001 s is not "no limit" */
			o->duration_ms++;
	}
	if (snap) {
		if (parse_count(snap, VSW_CLI_CAPTURE_SNAPLEN, &v))
			return vsw_cli_fail(err, errlen, -EINVAL,
					    "capture: --snaplen '%s' is not a number of bytes 1..%d",
					    snap, VSW_CLI_CAPTURE_SNAPLEN);
		o->snaplen = (unsigned int)v;
	}
	o->pcapng = (inv->opts & (1u << VSW_CLI_OPTID_PCAPNG)) || ends_with(o->file, ".pcapng");
	return 0;
}

static const struct vsw_cli_cmd capture_cmds[] = {
	{ .name = "capture",
	  .args = "PORT -w FILE [--direction in|out|both] [--filter BPF] [--count N] "
		  "[--duration SECONDS] [--snaplen BYTES] [--pcapng]",
	  .help = "write the frames of PORT to a pcap file (-w -: standard output)",
	  .min_args = 1, .max_args = 1, .options = VSW_CLI_OPT_CAPTURE, .read_only = true,
	  .run = vsw_cli_capture_run },
};

const struct vsw_cli_group vsw_cli_capture_group = {
	.title = "Capture (straight from vsw-dataplane)",
	.cmds = capture_cmds,
	.n_cmds = sizeof(capture_cmds) / sizeof(capture_cmds[0]),
};
