/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_TEST_MODEL_TEXT_H
#define VSW_TEST_MODEL_TEXT_H

#include "config.h"

/*
 * Ports (with their attachments), numbers, tenants, tenant numbers, VTEPs,
 * ACLs, the uplink and the flow count as text (malloc()ed): two models are
 * the same to the tenant commands when their texts are equal.
 */
char *snapshot(const struct vsw_config *cfg);

#endif
