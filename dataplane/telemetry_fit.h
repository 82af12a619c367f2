/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_TELEMETRY_FIT_H
#define VSW_TELEMETRY_FIT_H

/*
 * DOC: fitting replies into DPDK telemetry's limits (telemetry.h)
 *
 * DPDK 22.11 writes a reply into 16 KiB and silently leaves out a dict
 * entry (a whole column) that does not fit, cuts strings at 127 bytes and
 * takes at most 512 entries in an array. Commands with many rows
 * (/vsw/flows) count what each row takes and stop before the limit, and
 * say where the next reply starts. Plain C, no DPDK: unit-tested alone.
 */

#include <stddef.h>
#include <stdint.h>

#define VSW_TEL_REPLY_MAX (16 * 1024) /* DPDK's reply buffer */
#define VSW_TEL_STRING_MAX 128 /* RTE_TEL_MAX_STRING_LEN, with the NUL */
#define VSW_TEL_ARRAY_MAX 512 /* RTE_TEL_MAX_ARRAY_ENTRIES */

/* Bytes a value takes in a JSON array, with its separating comma. */
size_t vsw_tel_u64_len(uint64_t v);
size_t vsw_tel_str_len(const char *s); /* quoted, escapes counted at their widest */

/* Copy s into buf; a string too long is cut and ends in "...". */
void vsw_tel_str_fit(char buf[VSW_TEL_STRING_MAX], const char *s);

/*
 * /vsw/flows' parameters: "" (every table), "TABLE", or "TABLE,FIRST" with
 * TABLE a table number or "all", FIRST the index of the first rule to list
 * within that selection. *table -1 for every table. 0 or -EINVAL.
 */
int vsw_tel_flows_params(const char *params, unsigned int n_tables, int *table,
			 size_t *first);

#endif
