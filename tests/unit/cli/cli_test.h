/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by the vswctl unit tests. */
#ifndef VSW_CLI_TEST_H
#define VSW_CLI_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "cli.h"

/* One whole vswctl run, with what it printed. */
struct run {
	int code;
	char *out, *err;
	size_t out_len, err_len;
};

/* vswctl ARGS... (NULL-terminated), $VSW_RUN_DIR = env (may be NULL). */
void run_vswctl(struct run *r, const char *env, ...);
void run_free(struct run *r);

/* Assert that a JSON text and a json_t are equal. */
void assert_json_eq(const json_t *got, const char *want);

/* A formatter's output for a canned reply (JSON text): rc, text, error. */
int format_reply(const char *cmd, const char *reply_text, char **out, char *err, size_t errlen);

#endif
