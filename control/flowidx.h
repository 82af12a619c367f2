/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_FLOWIDX_H
#define VSW_CONTROL_FLOWIDX_H

/*
 * An index of flow records by rule identity (table, priority, match), so
 * that "is there a rule like this one?" costs O(1) however many flows there
 * are: add-flows and replace-flows of 100k rules, and loading them from the
 * store, would otherwise be quadratic.
 *
 * The index does not own the records: it maps an identity to a position in
 * the caller's array (struct vsw_flow_rec, config.h), which the caller
 * passes to every call. Open addressing with linear probing, at most half
 * full. Positions are stable until the caller moves records; after that it
 * calls vsw_flowidx_rebuild().
 *
 * Pure: no I/O. Errors: 0 or -ENOMEM.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"

struct vsw_flow_rec;

struct vsw_flowidx {
	size_t *slots; /* a position, or SIZE_MAX for an empty slot */
	size_t n_slots; /* a power of two, or 0 */
	size_t n; /* positions in the index */
};

void vsw_flowidx_init(struct vsw_flowidx *idx);
void vsw_flowidx_free(struct vsw_flowidx *idx);

/* Room for `total` positions: inserts up to that many cannot fail. */
int vsw_flowidx_reserve(struct vsw_flowidx *idx, const struct vsw_flow_rec *recs, size_t total);

/* Position of the record with this identity, or -1. */
long vsw_flowidx_find(const struct vsw_flowidx *idx, const struct vsw_flow_rec *recs,
		      uint8_t table, uint16_t priority, const struct vsw_match *match);

/*
 * Index recs[pos], whose identity must not be indexed yet. Grows the table
 * when needed: 0 or -ENOMEM (never after vsw_flowidx_reserve() made room).
 */
int vsw_flowidx_insert(struct vsw_flowidx *idx, const struct vsw_flow_rec *recs, size_t pos);

/* Index recs[0..n) from scratch (room must be reserved for n). */
void vsw_flowidx_rebuild(struct vsw_flowidx *idx, const struct vsw_flow_rec *recs, size_t n);

#endif
