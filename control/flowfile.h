/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_FLOWFILE_H
#define VSW_CONTROL_FLOWFILE_H

/*
 * A flow file, as add-flows and replace-flows get it: the lines of a file
 * (vswctl reads it and sends the lines; vsw-control never opens users'
 * files), one flow per line in add-flow syntax. As in ovs-ofctl, '#' starts
 * a comment that runs to the end of the line; lines with nothing else are
 * skipped.
 *
 * Parsing stops at the first bad line, and the one-line error names the
 * file, the line number (from 1) and what the parser said, which names the
 * token: "flows.txt:3: dl_dst: '02:zz' is not a MAC address". A file is all
 * or nothing: with an error, `out` holds no records.
 *
 * Later lines replace earlier ones with the same rule identity (table,
 * priority, match), as if each had been given to add-flow in turn; the
 * records keep the order in which identities first appear.
 *
 * Pure: no I/O; the configuration is only read (port names). Linear in the
 * number of lines (an identity index finds repeats).
 */

#include <stddef.h>

#include "config.h"

struct vsw_flowfile {
	struct vsw_flow_rec *recs; /* id 0, installed_ms 0: set by the caller */
	size_t n;
	size_t n_lines; /* lines that held a flow (repeats included) */
};

/* 0, -EINVAL with `err` as above, or -ENOMEM. `out` is zeroed first. */
int vsw_flowfile_parse(const struct vsw_config *cfg, const char *file,
		       const char *const *lines, size_t n_lines, struct vsw_flowfile *out,
		       char *err, size_t errlen);
void vsw_flowfile_free(struct vsw_flowfile *ff);

#endif
