/* SPDX-License-Identifier: BSD-3-Clause */
/* vswctl printing helpers: reading reply members, JSON output. See cli.h. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

void vsw_cli_rd_init(struct vsw_cli_rd *rd, char *err, size_t errlen)
{
	rd->rc = 0;
	rd->where[0] = '\0';
	rd->err = err;
	rd->errlen = errlen;
}

void vsw_cli_rd_where(struct vsw_cli_rd *rd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rd->where, sizeof(rd->where), fmt, ap);
	va_end(ap);
}

void vsw_cli_rd_fail(struct vsw_cli_rd *rd, const char *key, const char *what)
{
	if (rd->rc)
		return; /* the first problem is the one worth reporting */
	rd->rc = -EPROTO;
	snprintf(rd->err, rd->errlen, "malformed reply from vsw-control: %s%s%s: %s",
		 rd->where, *rd->where && key ? "." : "", key ? key : "", what);
}

bool vsw_cli_is_object(struct vsw_cli_rd *rd, const json_t *v)
{
	if (json_is_object(v))
		return true;
	vsw_cli_rd_fail(rd, NULL, "expected an object");
	return false;
}

/* obj[key], or NULL (and a recorded problem unless optional) when absent. */
static json_t *member(struct vsw_cli_rd *rd, const json_t *obj, const char *key, bool optional)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	if (!v && !optional)
		vsw_cli_rd_fail(rd, key, "missing");
	return v;
}

const char *vsw_cli_str(struct vsw_cli_rd *rd, const json_t *obj, const char *key)
{
	json_t *v = member(rd, obj, key, false);

	if (v && !json_is_string(v))
		vsw_cli_rd_fail(rd, key, "expected a string");
	return json_is_string(v) ? json_string_value(v) : "";
}

const char *vsw_cli_str_opt(struct vsw_cli_rd *rd, const json_t *obj, const char *key)
{
	json_t *v = member(rd, obj, key, true);

	if (v && !json_is_null(v) && !json_is_string(v))
		vsw_cli_rd_fail(rd, key, "expected a string or null");
	return json_string_value(v);
}

long long vsw_cli_int(struct vsw_cli_rd *rd, const json_t *obj, const char *key)
{
	json_t *v = member(rd, obj, key, false);

	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_real(v)) /* seconds sent as a float: whole seconds */
		return (long long)json_real_value(v);
	if (v)
		vsw_cli_rd_fail(rd, key, "expected a number");
	return 0;
}

double vsw_cli_num(struct vsw_cli_rd *rd, const json_t *obj, const char *key)
{
	json_t *v = member(rd, obj, key, false);

	if (v && !json_is_number(v))
		vsw_cli_rd_fail(rd, key, "expected a number");
	return json_is_number(v) ? json_number_value(v) : 0;
}

json_t *vsw_cli_array(struct vsw_cli_rd *rd, const json_t *obj, const char *key)
{
	json_t *v = member(rd, obj, key, false);

	if (v && !json_is_array(v)) {
		vsw_cli_rd_fail(rd, key, "expected an array");
		return NULL;
	}
	return v;
}

json_t *vsw_cli_object_opt(struct vsw_cli_rd *rd, const json_t *obj, const char *key)
{
	json_t *v = member(rd, obj, key, true);

	if (v && !json_is_object(v)) {
		vsw_cli_rd_fail(rd, key, "expected an object");
		return NULL;
	}
	return v;
}

int vsw_cli_fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return rc;
}

int vsw_cli_print_json(const json_t *reply, FILE *out)
{
	/* Shallow copy: only the top level loses "ok". */
	json_t *data = json_copy((json_t *)reply);
	int rc;

	if (!data)
		return -ENOMEM;
	json_object_del(data, "ok");
	/* 15 digits: durations print as 12.345, not 12.345000000000001. */
	rc = json_dumpf(data, out, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
	json_decref(data);
	if (rc || fputc('\n', out) == EOF)
		return -EIO;
	return 0;
}

void vsw_cli_one_line(char *buf, size_t len, const char *s)
{
	size_t n = 0;

	if (!len)
		return;
	for (; *s && n + 1 < len; s++, n++)
		buf[n] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? ' ' : *s;
	buf[n] = '\0';
}
