/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_LOG_H
#define VSW_CONTROL_LOG_H

/*
 * One line per event on stderr: "vsw-control: LEVEL: message", or
 * "vsw-control: LEVEL: MODULE: message" from a log that names its module
 * (control.mgmt, control.dpconn: see mgmt_ops.c). Under systemd
 * (stderr is the journal, $JOURNAL_STREAM says so) each line also starts with
 * the "<N>" priority prefix that journald understands. The logs are values in
 * the daemon's context, one per module, not globals: pass the module's log
 * where logging is needed. Each has its own level (vswctl log-level).
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

enum vsw_log_level {
	VSW_LOG_ERROR,
	VSW_LOG_WARNING,
	VSW_LOG_INFO,
	VSW_LOG_DEBUG,
};

struct vsw_log {
	enum vsw_log_level level; /* lines above this level are dropped */
	FILE *out;
	bool journal; /* add the "<N>" journald prefix */
	const char *module; /* named in each line; NULL: the daemon's main log */
};

/* Level VSW_LOG_INFO on stderr, no module; detects the journal. */
void vsw_log_init(struct vsw_log *log);

/* "error", "warning", "info", "debug". 0 or -EINVAL. */
int vsw_log_level_parse(const char *s, enum vsw_log_level *level);

void vsw_log(const struct vsw_log *log, enum vsw_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define vsw_err(log, ...) vsw_log(log, VSW_LOG_ERROR, __VA_ARGS__)
#define vsw_warn(log, ...) vsw_log(log, VSW_LOG_WARNING, __VA_ARGS__)
#define vsw_info(log, ...) vsw_log(log, VSW_LOG_INFO, __VA_ARGS__)
#define vsw_dbg(log, ...) vsw_log(log, VSW_LOG_DEBUG, __VA_ARGS__)

#endif
