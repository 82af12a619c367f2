/* SPDX-License-Identifier: BSD-3-Clause */
/* Reconciliation of the mirrors (sync.h, mirror.h). */
#include <errno.h>
#include <stdio.h>

#include "mirror.h"
#include "sync.h"

/* One call whose reply carries nothing we need; logged. true when the connection is gone. */
static bool call(struct vsw_control *ctl, json_t *req, const char *what, unsigned *failed)
{
	json_t *reply;
	char err[512];
	int rc = vsw_dpconn_call(&ctl->dp, req, &reply, err, sizeof(err));

	json_decref(reply);
	if (rc == -ENOTCONN)
		return true;
	if (rc) {
		(*failed)++;
		vsw_err(&ctl->log, "reconcile: %s failed: %s", what, err);
	} else {
		vsw_info(&ctl->log, "reconcile: %s", what);
	}
	return false;
}

int vsw_sync_mirrors(struct vsw_control *ctl)
{
	struct vsw_mirror_plan plan;
	json_t *reply, *have;
	char err[512], what[128];
	unsigned failed = 0;
	int rc;

	rc = vsw_dpconn_call(&ctl->dp, json_pack("{s:s}", "cmd", "mirror-list"), &reply, err,
			     sizeof(err));
	if (rc == -EREMOTEIO) {
		vsw_warn(&ctl->log, "reconcile: mirror-list: %s (mirrors not checked)", err);
		return 0;
	}
	if (rc)
		return rc;
	have = json_object_get(reply, "mirrors");
	rc = vsw_mirror_plan(&ctl->cfg, json_is_array(have) ? have : NULL, &plan);
	if (rc)
		goto out_reply;
	for (size_t i = 0; i < plan.n_del && rc == 0; i++) {
		snprintf(what, sizeof(what), "mirror-del %s", plan.del[i]);
		if (call(ctl, json_pack("{s:s,s:s}", "cmd", "mirror-del", "name", plan.del[i]), what,
			 &failed))
			rc = -ENOTCONN;
	}
	for (size_t i = 0; i < plan.n_set && rc == 0; i++) {
		const struct vsw_mirror_cfg *m = plan.set[i];

		snprintf(what, sizeof(what), "mirror-set %s (%zu source(s) to %s)", m->name, m->n_src,
			 m->dst);
		if (call(ctl, vsw_mirror_set_request(&ctl->cfg, m), what, &failed))
			rc = -ENOTCONN;
	}
	if (plan.n_del || plan.n_set)
		vsw_log(&ctl->log, failed || rc ? VSW_LOG_ERROR : VSW_LOG_INFO,
			"reconcile: mirrors %zu deleted, %zu set; %u failed", plan.n_del, plan.n_set,
			failed);
	vsw_mirror_plan_free(&plan);
out_reply:
	json_decref(reply);
	return rc;
}
