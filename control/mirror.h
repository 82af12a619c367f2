/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_MIRROR_H
#define VSW_CONTROL_MIRROR_H

/*
 * Port mirrors in the configuration (add-mirror, del-mirror, list-mirrors).
 *
 * A mirror has a name, source ports and one destination port; the
 * dataplane sends a copy of every frame received on or sent to a source to
 * the destination (tap.h there). The model keeps port names, as the user
 * gave them; the dataplane gets port numbers (mirror-set), which names keep
 * forever, so a mirror survives del-port of one of its ports and works again
 * when the name comes back, as flows do. Pure: no I/O; checks return 0 or
 * -errno with one line in `err`.
 *
 * add-mirror refuses, changing nothing: a name already used or not 1..31
 * characters of [A-Za-z0-9_.-]; no source or more than VSW_MIRROR_MAX_SRC;
 * a port that does not exist, or listed twice; the destination among the
 * sources; more than VSW_MAX_MIRRORS mirrors; and a destination that belongs
 * to a tenant when a source is not in that same tenant (copies must not
 * carry one tenant's traffic, or the host's, to another tenant's VM). A
 * destination in no tenant (the operator's monitoring VM) may mirror any
 * source. The rule holds afterwards too: a tenant change that would break
 * it for an existing mirror is refused (vsw_config_mirrors_tenant_check()).
 *
 * Reconciliation (vsw_mirror_plan()): the dataplane's mirrors are compared
 * with the model by name and content (numbers of sources in order, and
 * destination); a mirror the dataplane has that differs or is unknown is
 * deleted first, then every missing one is set. Mirrors that are right are
 * left alone, counters and all.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "config.h"

#define VSW_MIRROR_NAME_MAX 31
#define VSW_MIRROR_MAX_SRC 64
#define VSW_MAX_MIRRORS 64

struct vsw_mirror_cfg {
	char name[VSW_MIRROR_NAME_MAX + 1];
	size_t n_src;
	char src[VSW_MIRROR_MAX_SRC][VSW_PORT_NAME_MAX + 1];
	char dst[VSW_PORT_NAME_MAX + 1];
};

/* The name of a port's tenant, NULL for none: vsw_mirror_port_tenant(), or a test's. */
typedef const char *(*vsw_tenant_of_fn)(const struct vsw_config *cfg, const char *port);
const char *vsw_mirror_port_tenant(const struct vsw_config *cfg, const char *port);

int vsw_mirror_name_check(const char *name, char *err, size_t errlen);

/* add-mirror's mirror, checked against `cfg` (not changed). */
int vsw_config_new_mirror(const struct vsw_config *cfg, const char *name,
			  const char *const *src, size_t n_src, const char *dst,
			  vsw_tenant_of_fn tenant_of, struct vsw_mirror_cfg *m, char *err,
			  size_t errlen);

/*
 * A tenant change (set-port, del-tenant --force, ...) made in `next` must
 * not break the tenant rule for the mirrors of `cfg`: 0, or -EINVAL naming
 * the mirror ("mirror 'm1': destination 'mon' is in tenant 'a' but ...").
 */
int vsw_config_mirrors_tenant_check(const struct vsw_config *cfg,
				    const struct vsw_config *next, vsw_tenant_of_fn tenant_of,
				    char *err, size_t errlen);

struct vsw_mirror_cfg *vsw_config_find_mirror(const struct vsw_config *cfg, const char *name);
/* Room for one more mirror: 0 or -ENOMEM. After it, add cannot fail. */
int vsw_config_reserve_mirror(struct vsw_config *cfg);
int vsw_config_add_mirror(struct vsw_config *cfg, const struct vsw_mirror_cfg *m);
int vsw_config_del_mirror(struct vsw_config *cfg, const char *name); /* 0 or -ENOENT */

/* The store's form of the sources, "vm1,vm2". Length, or -ENOSPC. */
int vsw_mirror_src_text(const struct vsw_mirror_cfg *m, char *buf, size_t len);
/* A stored row (ports need a number, not to exist). */
int vsw_config_load_mirror(struct vsw_config *cfg, const char *name, const char *src,
			   const char *dst, char *err, size_t errlen);

/* mirror-set's request for `m`; NULL on no memory. */
json_t *vsw_mirror_set_request(const struct vsw_config *cfg, const struct vsw_mirror_cfg *m);
/* Whether a mirror-list entry is exactly `m`. */
bool vsw_mirror_matches(const struct vsw_config *cfg, const struct vsw_mirror_cfg *m,
			const json_t *entry);

/* What to do so that the dataplane (its mirror-list array) has the model's mirrors. */
struct vsw_mirror_plan {
	const char **del; /* names (point into the mirror-list array) */
	size_t n_del;
	const struct vsw_mirror_cfg **set; /* into cfg */
	size_t n_set;
};
int vsw_mirror_plan(const struct vsw_config *cfg, const json_t *have,
		    struct vsw_mirror_plan *plan); /* 0 or -ENOMEM */
void vsw_mirror_plan_free(struct vsw_mirror_plan *plan);

#endif
