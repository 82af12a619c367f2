/* SPDX-License-Identifier: BSD-3-Clause */
/* The refusal text of the model's checks (errtext.h). */
#include "errtext.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

int vsw_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}
