/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: packet key extraction. The frame sits at the very end of
 * a heap block of exactly its size, so any read past it is an ASan report.
 * Checks: malformed exactly when shorter than Ethernet or a cut VLAN tag;
 * in_port kept; the key matches itself; the pad words stay zero.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vsw_flow_key key;
	struct vsw_match m;
	uint8_t *frame = malloc(size ? size : 1);
	bool tagged;
	int rc;

	if (!frame)
		return 0;
	memcpy(frame, data, size);
	rc = vsw_flow_extract(frame, size, 7, &key);
	tagged = size >= 14 && frame[12] == 0x81 && frame[13] == 0x00;
	tagged |= size >= 14 && frame[12] == 0x88 && frame[13] == 0xa8;
	if ((rc != 0) != (size < 14 || (tagged && size < 18)))
		abort();
	if (rc && rc != -EINVAL)
		abort();
	if (key.in_port != 7 || key.pad0 || key.pad1)
		abort();
	if (!rc && tagged != ((key.vlan_tci & VSW_VLAN_CFI) != 0))
		abort();
	memset(&m.mask, 0xff, sizeof(m.mask));
	m.key = key;
	if (!vsw_match_hit(&m, &key))
		abort();
	free(frame);
	return 0;
}
