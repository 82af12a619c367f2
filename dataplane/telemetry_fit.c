/* SPDX-License-Identifier: BSD-3-Clause */
/* Fitting telemetry replies into DPDK's limits (telemetry_fit.h). */
#include "telemetry_fit.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

size_t vsw_tel_u64_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n + 1;
}

size_t vsw_tel_str_len(const char *s)
{
	size_t n = 3; /* the quotes and the comma */

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		n += c == '"' || c == '\\' ? 2 : c < 0x20 ? 6 : 1;
	}
	return n;
}

void vsw_tel_str_fit(char buf[VSW_TEL_STRING_MAX], const char *s)
{
	size_t len = strlen(s);

	if (len < VSW_TEL_STRING_MAX) {
		memcpy(buf, s, len + 1);
		return;
	}
	memcpy(buf, s, VSW_TEL_STRING_MAX - 4);
	strcpy(buf + VSW_TEL_STRING_MAX - 4, "...");
}

/* A decimal number without sign or spaces, up to `max`. */
static int number(const char *s, size_t len, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!len || len > 19)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -EINVAL;
		v = v * 10 + (unsigned long long)(s[i] - '0');
	}
	if (v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int vsw_tel_flows_params(const char *params, unsigned int n_tables, int *table,
			 size_t *first)
{
	const char *comma;
	unsigned long long v;
	size_t len;

	*table = -1;
	*first = 0;
	if (!params || !*params)
		return 0;
	comma = strchr(params, ',');
	len = comma ? (size_t)(comma - params) : strlen(params);
	if (len == 3 && !strncmp(params, "all", 3))
		*table = -1;
	else if (number(params, len, n_tables - 1, &v) == 0)
		*table = (int)v;
	else
		return -EINVAL;
	if (!comma)
		return 0;
	if (number(comma + 1, strlen(comma + 1), SIZE_MAX, &v))
		return -EINVAL;
	*first = (size_t)v;
	return 0;
}
