/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_ERRTEXT_H
#define VSW_ERRTEXT_H

/*
 * DOC: the refusal text of the model's checks
 *
 * vsw-control's one error convention: a check returns 0 or -errno and, on
 * failure, one line for the user in a caller's buffer (`err`, `errlen`;
 * NULL/0 when the caller wants no text). The line is what vswctl prints
 * after "vswctl: ", so it names the thing refused and why.
 */

#include <stddef.h>

/* Format the line into err (when given); returns -EINVAL. */
__attribute__((format(printf, 3, 4)))
int vsw_fail(char *err, size_t errlen, const char *fmt, ...);

#endif
