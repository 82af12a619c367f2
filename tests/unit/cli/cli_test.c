/* SPDX-License-Identifier: BSD-3-Clause */
#include "cli_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void run_vswctl(struct run *r, const char *env, ...)
{
	char *argv[32] = { "vswctl" };
	int argc = 1;
	va_list ap;

	va_start(ap, env);
	for (const char *a; (a = va_arg(ap, const char *)) != NULL;) {
		assert_true(argc < 31);
		argv[argc++] = (char *)a;
	}
	va_end(ap);
	argv[argc] = NULL;

	FILE *out = open_memstream(&r->out, &r->out_len);
	FILE *err = open_memstream(&r->err, &r->err_len);
	assert_non_null(out);
	assert_non_null(err);
	r->code = vsw_cli_main(argc, argv, env, out, err);
	fclose(out);
	fclose(err);
}

void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

void assert_json_eq(const json_t *got, const char *want)
{
	json_error_t jerr;
	json_t *w = json_loads(want, 0, &jerr);

	assert_non_null(w);
	if (!json_equal((json_t *)got, w)) {
		char *g = json_dumps(got, JSON_SORT_KEYS);
		char *x = json_dumps(w, JSON_SORT_KEYS);

		fail_msg("JSON differs:\n got  %s\n want %s", g, x);
		free(g);
		free(x);
	}
	json_decref(w);
}

int format_reply(const char *cmd, const char *reply_text, char **out, char *err, size_t errlen)
{
	const struct vsw_cli_cmd *c = vsw_cli_find(cmd);
	json_error_t jerr;
	json_t *reply = json_loads(reply_text, 0, &jerr);
	size_t len;
	int rc;

	assert_non_null(c);
	assert_non_null(c->print);
	if (!reply)
		fail_msg("bad canned reply: %s", jerr.text);
	FILE *f = open_memstream(out, &len);
	assert_non_null(f);
	err[0] = '\0';
	rc = c->print(reply, f, err, errlen);
	fclose(f);
	json_decref(reply);
	return rc;
}
