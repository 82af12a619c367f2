/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the vsw-control handler tests share: a vsw_control on a store in a
 * temporary directory, requests through vsw_mgmt_dispatch(), and a scripted
 * dataplane (a child process on a socketpair) that logs every request it
 * gets, so a test can check what vsw-control sent.
 */
#ifndef VSW_TEST_MGMT_FIXTURE_H
#define VSW_TEST_MGMT_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cmocka.h>

#include "control.h"
#include "mgmt.h"
#include "proto.h"

struct fixture {
	char dir[64];
	char db[128];
	char dp_log[160]; /* the scripted dataplane's requests, one JSON line each */
	struct vsw_control ctl;
	pid_t child;
};

void open_control(struct fixture *f);
void close_control(struct fixture *f); /* also stops the scripted dataplane */
int setup(void **state);
int teardown(void **state);

/* One request (JSON text) -> the reply. */
json_t *call(struct fixture *f, const char *text);
void expect_ok(struct fixture *f, const char *text);
void expect_error(struct fixture *f, const char *text, const char *error);
/* An ok reply's integer member. */
long long reply_int(struct fixture *f, const char *req, const char *key);
/* dump-flows' (or the request's) "flows" array (caller decrefs). */
json_t *flows_of(struct fixture *f, const char *req);

/*
 * The scripted dataplane, now the one vsw-control talks to. It answers:
 * hello; port-add (refused for a path under /nonexistent/); flow-add (refused
 * for table=9); flow-del; flow-batch (refused when an op names table=9, a
 * del names priority=66, or a mod names priority=77; deleted = number of
 * del ops); port-list (none); flow-list (every flow it was given; idle_ms
 * 5000 for flows with idle_timeout=2, else 0); table-list (table 0: 1 rule,
 * 10 lookups, 8 matches); table-mod (refused for table 9); log-level (one
 * module, vsw.pmd, at info); port-del "die": hangs up.
 */
void attach_dataplane(struct fixture *f);
/* The requests with this cmd the scripted dataplane got, in order (caller decrefs). */
json_t *dp_requests(struct fixture *f, const char *cmd);

#endif
