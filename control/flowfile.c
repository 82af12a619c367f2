/* SPDX-License-Identifier: BSD-3-Clause */
/* Flow files for add-flows and replace-flows: see flowfile.h. */
#include "flowfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vsw_flowfile_free(struct vsw_flowfile *ff)
{
	for (size_t i = 0; i < ff->n; i++)
		vsw_flow_rec_free(&ff->recs[i]);
	free(ff->recs);
	memset(ff, 0, sizeof(*ff));
}

static bool skipped(const char *line)
{
	while (*line == ' ' || *line == '\t' || *line == '\r' || *line == '\n')
		line++;
	return *line == '\0' || *line == '#';
}

int vsw_flowfile_parse(const struct vsw_config *cfg, const char *file,
		       const char *const *lines, size_t n_lines, struct vsw_flowfile *out,
		       char *err, size_t errlen)
{
	struct vsw_flowidx idx;
	struct vsw_flow_cfg *flow;
	struct vsw_flow_rec rec;
	char why[512];
	int rc = 0;

	memset(out, 0, sizeof(*out));
	vsw_flowidx_init(&idx);
	flow = malloc(sizeof(*flow)); /* 2.5 KB: not on the stack */
	out->recs = malloc((n_lines ? n_lines : 1) * sizeof(*out->recs));
	if (!flow || !out->recs || vsw_flowidx_reserve(&idx, out->recs, n_lines)) {
		rc = -ENOMEM;
		goto out_nomem;
	}
	for (size_t i = 0; i < n_lines; i++) {
		const char *hash = strchr(lines[i], '#');
		char *cut = NULL;
		long old;

		if (skipped(lines[i]))
			continue;
		out->n_lines++;
		/* A comment after the flow: the flow is what comes before it. */
		if (hash) {
			cut = strndup(lines[i], (size_t)(hash - lines[i]));
			if (!cut) {
				rc = -ENOMEM;
				goto out_nomem;
			}
		}
		rc = vsw_config_parse_flow(cfg, cut ? cut : lines[i], flow, why, sizeof(why));
		free(cut);
		if (rc) {
			snprintf(err, errlen, "%s:%zu: %s", file, i + 1, why);
			rc = -EINVAL;
			goto err_free;
		}
		if (vsw_flow_rec_from(flow, &rec)) {
			rc = -ENOMEM;
			goto out_nomem;
		}
		old = vsw_flowidx_find(&idx, out->recs, rec.table, rec.priority, &rec.match);
		if (old >= 0) {
			vsw_flow_rec_free(&out->recs[old]);
			out->recs[old] = rec;
		} else {
			out->recs[out->n] = rec;
			vsw_flowidx_insert(&idx, out->recs, out->n++); /* room reserved */
		}
	}
	goto out;

out_nomem:
	snprintf(err, errlen, "out of memory");
err_free:
	vsw_flowfile_free(out);
out:
	vsw_flowidx_free(&idx);
	free(flow);
	return rc;
}
