/* SPDX-License-Identifier: BSD-3-Clause */
/* Leveled one-line logging to stderr: see log.h. */
#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *name;
	int syslog_prio; /* for the journald "<N>" prefix */
} levels[] = {
	[VSW_LOG_ERROR] = { "error", 3 },
	[VSW_LOG_WARNING] = { "warning", 4 },
	[VSW_LOG_INFO] = { "info", 6 },
	[VSW_LOG_DEBUG] = { "debug", 7 },
};

/* $JOURNAL_STREAM is "DEV:INODE" of the journal's stream; is it our stderr? */
static bool stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st))
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void vsw_log_init(struct vsw_log *log)
{
	log->level = VSW_LOG_INFO;
	log->out = stderr;
	log->journal = stderr_is_journal();
	log->module = NULL;
}

int vsw_log_level_parse(const char *s, enum vsw_log_level *level)
{
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		if (strcmp(s, levels[i].name) == 0) {
			*level = (enum vsw_log_level)i;
			return 0;
		}
	}
	if (strcmp(s, "warn") == 0) {
		*level = VSW_LOG_WARNING;
		return 0;
	}
	return -EINVAL;
}

void vsw_log(const struct vsw_log *log, enum vsw_log_level level, const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	if (level > log->level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One event, one line, whatever the message held. */
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	if (log->journal)
		fprintf(log->out, "<%d>", levels[level].syslog_prio);
	fprintf(log->out, "vsw-control: %s: %s%s%s\n", levels[level].name,
		log->module ? log->module : "", log->module ? ": " : "", line);
	fflush(log->out);
}
