/* SPDX-License-Identifier: BSD-3-Clause */
/* vswctl: the command users of vsw type. Everything is in run.c; see cli.h. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int main(int argc, char **argv)
{
	return vsw_cli_main(argc, argv, getenv("VSW_RUN_DIR"), stdout, stderr);
}
