/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A fake vsw-dataplane for the tenant sync tests: a child process on a
 * socketpair that keeps state (ports and their start tables, rules,
 * domains, VTEPs), logs every request as one JSON line, and after every
 * change checks that no port could send to, receive from or be learned in
 * two tenants (it models the most permissive MAC learning: a port that can
 * send into a domain may be learned there, member or not, until a
 * domain-set without it), that no domain
 * member sits at table 0, and that no uplink VLAN is two tenants' (a
 * {"violation": ...} line in the log otherwise).
 *
 * Besides the dataplane's commands it takes "fake-refuse" (domain-set of
 * FAKE_REFUSED_DOMAIN is refused until "fake-accept") and "fake-no-domains"
 * (domain-list is refused, like an older dataplane). Every rule lists 7
 * packets / 700 bytes; every domain says it learned 3 MACs; mac-list lists
 * one MAC, 02:00:00:00:PP:PP, per port the learning model has in a domain.
 */
#ifndef VSW_TEST_FAKE_DP_H
#define VSW_TEST_FAKE_DP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "control.h"

#define FAKE_UPLINK 9 /* the port number checked per VLAN */
#define FAKE_VXLAN 50 /* not checked (per VNI and VTEP) */
#define FAKE_REFUSED_DOMAIN 0x2000

struct env {
	char dir[64];
	char log[128];
	struct vsw_control ctl;
	pid_t child;
};

/* A new fake with no state, now the one e->ctl is connected to. */
void start_fake(struct env *e, const char *boot_id);
void stop_fake(struct env *e);
void clear_log(struct env *e);
/* Fails the test listing every violation the fake saw. */
void assert_no_violation(struct env *e);
/* The commands since the log was cleared, as "cmd", "cmd:ID" or "cmd:NAME". */
size_t commands(struct env *e, char out[][48], size_t max);
/* The position of `cmd` in them; fails when absent. */
long where(char cmds[][48], size_t n, const char *cmd);
/* The last request `cmd` (with this name, unless NULL), or NULL. */
json_t *request(struct env *e, const char *cmd, const char *name);

#endif
