/* SPDX-License-Identifier: BSD-3-Clause */
/* The dataplane's log modules and its one-line-per-event stream (log.h). */
#include "log.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proto.h"

RTE_LOG_REGISTER(vsw_logtype_main, vsw.main, INFO);
RTE_LOG_REGISTER(vsw_logtype_ctl, vsw.ctl, INFO);
RTE_LOG_REGISTER(vsw_logtype_port, vsw.port, INFO);
RTE_LOG_REGISTER(vsw_logtype_pmd, vsw.pmd, INFO);

const char *const vsw_log_modules[] = {
	"vsw.main", "vsw.ctl", "vsw.port", "vsw.pmd", "vsw.vhost",
};
const unsigned int vsw_log_n_modules = sizeof(vsw_log_modules) / sizeof(vsw_log_modules[0]);

/* DPDK levels 1..8 (RTE_LOG_EMERG..RTE_LOG_DEBUG) by name. */
static const char *const rte_level_names[] = {
	[RTE_LOG_EMERG] = "emerg", [RTE_LOG_ALERT] = "alert", [RTE_LOG_CRIT] = "crit",
	[RTE_LOG_ERR] = "error", [RTE_LOG_WARNING] = "warning", [RTE_LOG_NOTICE] = "notice",
	[RTE_LOG_INFO] = "info", [RTE_LOG_DEBUG] = "debug",
};

static const uint32_t from_proto[VSW_PROTO_LOG_N] = {
	[VSW_PROTO_LOG_ERROR] = RTE_LOG_ERR,
	[VSW_PROTO_LOG_WARNING] = RTE_LOG_WARNING,
	[VSW_PROTO_LOG_INFO] = RTE_LOG_INFO,
	[VSW_PROTO_LOG_DEBUG] = RTE_LOG_DEBUG,
};

/* The type id of one of our modules, or -ENOENT. */
static int module_type(const char *module)
{
	for (unsigned int i = 0; i < vsw_log_n_modules; i++)
		if (!strcmp(module, vsw_log_modules[i]))
			return rte_log_register(module); /* registered: its id */
	return -ENOENT;
}

int vsw_log_set_level(const char *module, int proto_level)
{
	int type = module_type(module);

	if (type < 0)
		return -ENOENT;
	if (proto_level < 0 || proto_level >= VSW_PROTO_LOG_N)
		return -EINVAL;
	return rte_log_set_level((uint32_t)type, from_proto[proto_level]) ? -EINVAL : 0;
}

const char *vsw_log_level(const char *module)
{
	int type = module_type(module), level;

	if (type < 0)
		return NULL;
	level = rte_log_get_level((uint32_t)type);
	return level >= (int)RTE_LOG_EMERG && level <= (int)RTE_LOG_DEBUG ? rte_level_names[level] : "?";
}

/* ---- the stream ---- */

struct stream {
	bool journal; /* add journald's "<N>" */
	bool line_start; /* the next byte begins a line */
};

/* $JOURNAL_STREAM is "DEV:INODE" of the journal's stream; is it our stderr? */
static bool stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2 || fstat(STDERR_FILENO, &st))
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

static void write_all(const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(STDERR_FILENO, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/*
 * Called under the FILE's lock by the thread that logs, so the message's
 * level is this thread's current one. Each line gets the prefix and goes
 * out in one write().
 */
static ssize_t stream_write(void *cookie, const char *buf, size_t size)
{
	struct stream *s = cookie;
	int level = rte_log_cur_msg_loglevel();
	const char *name;
	char line[1024];

	if (level < (int)RTE_LOG_EMERG || level > (int)RTE_LOG_DEBUG)
		level = RTE_LOG_INFO; /* not from rte_log(): plain info */
	name = rte_level_names[level];
	for (size_t off = 0; off < size;) {
		const char *nl = memchr(buf + off, '\n', size - off);
		size_t seg = nl ? (size_t)(nl - (buf + off)) + 1 : size - off;
		size_t n = 0;

		if (s->line_start) {
			if (s->journal)
				n = (size_t)snprintf(line, sizeof(line), "<%d>", level - 1);
			n += (size_t)snprintf(line + n, sizeof(line) - n, "vsw-dataplane: %s: ",
					      name);
		}
		if (n + seg <= sizeof(line)) {
			memcpy(line + n, buf + off, seg);
			write_all(line, n + seg);
		} else {
			write_all(line, n);
			write_all(buf + off, seg);
		}
		s->line_start = nl != NULL;
		off += seg;
	}
	return (ssize_t)size;
}

static int stream_close(void *cookie)
{
	free(cookie);
	return 0;
}

FILE *vsw_log_open(void)
{
	static const cookie_io_functions_t fns = { .write = stream_write, .close = stream_close };
	struct stream *s = calloc(1, sizeof(*s));
	FILE *f;

	if (!s)
		return NULL;
	s->journal = stderr_is_journal();
	s->line_start = true;
	f = fopencookie(s, "w", fns);
	if (!f) {
		free(s);
		return NULL;
	}
	setvbuf(f, NULL, _IONBF, 0);
	rte_openlog_stream(f);
	return f;
}

void vsw_log_close(FILE *f)
{
	if (!f)
		return;
	rte_openlog_stream(NULL);
	fclose(f);
}
