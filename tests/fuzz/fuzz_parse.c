/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the add-flow parser and printer. Whatever parses must
 * print, parse back to an equal spec and print the same text again (with
 * port names and without), and printing into every shorter buffer must give
 * -ENOSPC with a terminated prefix. A parse error must leave one terminated
 * line. ASan/UBSan catch the rest.
 */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"

#define TEXT_MAX 4096

static int resolve(void *ctx, const char *name, uint32_t *port)
{
	(void)ctx;
	if (strncmp(name, "vm", 2) == 0 && name[2] >= '1' && name[2] <= '4' && !name[3]) {
		*port = (uint32_t)(name[2] - '0');
		return 0;
	}
	return -ENOENT;
}

static const char *name_of(void *ctx, uint32_t port)
{
	static const char *const names[] = { NULL, "vm1", "vm2", "vm3", "vm4" };

	(void)ctx;
	return port >= 1 && port <= 4 ? names[port] : NULL;
}

static const struct vsw_port_names NAMES = { resolve, name_of, NULL };

static bool same(const struct vsw_flow_spec *a, const struct vsw_flow_spec *b)
{
	return a->table == b->table && a->priority == b->priority && a->cookie == b->cookie &&
	       a->idle_timeout == b->idle_timeout && a->hard_timeout == b->hard_timeout &&
	       memcmp(&a->match, &b->match, sizeof(a->match)) == 0 &&
	       a->actions.n == b->actions.n &&
	       memcmp(a->actions.a, b->actions.a, a->actions.n * sizeof(a->actions.a[0])) == 0;
}

static void round_trip(const struct vsw_flow_spec *spec, enum vsw_flow_parse_mode mode,
		       const struct vsw_port_names *names)
{
	static char text[TEXT_MAX], again[TEXT_MAX], small[TEXT_MAX];
	struct vsw_flow_spec back;
	char err[256];
	int n, m;

	n = vsw_flow_format(spec, names, text, sizeof(text));
	if (n <= 0 || (size_t)n != strlen(text))
		abort();
	if (vsw_flow_parse(text, mode, names, &back, err, sizeof(err)))
		abort(); /* what we print must parse */
	if (!same(spec, &back))
		abort();
	m = vsw_flow_format(&back, names, again, sizeof(again));
	if (m != n || strcmp(text, again) != 0)
		abort();
	for (size_t len = 0; len <= (size_t)n; len += 1 + len / 4) {
		memset(small, '#', sizeof(small));
		if (vsw_flow_format(spec, names, len ? small : NULL, len) != -ENOSPC)
			abort();
		if (len && !memchr(small, '\0', len))
			abort();
		if (small[len] != '#')
			abort();
	}
}

/* A filter: table, cookie/mask and the match (format_match) read back as a filter. */
static void filter_round_trip(const struct vsw_flow_spec *f, const struct vsw_port_names *names)
{
	static char text[TEXT_MAX];
	struct vsw_flow_spec back;
	char err[256];
	int n, m;

	n = snprintf(text, sizeof(text), "table=%u,cookie=0x%llx/0x%llx,", (unsigned)f->table,
		     (unsigned long long)f->cookie, (unsigned long long)f->cookie_mask);
	m = vsw_flow_format_match(&f->match, f->priority, names, text + n, sizeof(text) - (size_t)n);
	if (n <= 0 || m < 0)
		abort();
	if (vsw_flow_parse(text, VSW_PARSE_FILTER, names, &back, err, sizeof(err)))
		abort();
	if (back.table != f->table || back.priority != f->priority || back.cookie != f->cookie ||
	    back.cookie_mask != f->cookie_mask ||
	    memcmp(&back.match, &f->match, sizeof(f->match)) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[TEXT_MAX + 1];
	struct vsw_flow_spec spec;
	enum vsw_flow_parse_mode mode;
	char err[128];

	if (size == 0 || size > TEXT_MAX)
		return 0;
	/* The first byte picks the mode and whether names resolve. */
	mode = data[0] & 1 ? VSW_PARSE_FILTER : VSW_PARSE_ADD;
	const struct vsw_port_names *names = data[0] & 2 ? &NAMES : NULL;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	memset(err, 'x', sizeof(err));
	if (vsw_flow_parse(text, mode, names, &spec, err, sizeof(err))) {
		if (!memchr(err, '\0', sizeof(err)) || err[0] == '\0')
			abort();
		return 0;
	}
	if (err[0] != '\0')
		abort();
	if (mode == VSW_PARSE_FILTER) {
		filter_round_trip(&spec, names);
		return 0;
	}
	round_trip(&spec, mode, names);
	round_trip(&spec, mode, &NAMES);
	return 0;
}
