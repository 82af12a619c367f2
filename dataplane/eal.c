/* SPDX-License-Identifier: BSD-3-Clause */
/* Default EAL arguments (eal.h). */
#include "eal.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Free hugepage memory in MiB on a mounted hugetlbfs, 0 if none. */
static long free_hugepage_mib(void)
{
	long free_pages = 0, page_kib = 0;
	bool mounted = false;
	char line[512];
	FILE *f;

	f = fopen("/proc/mounts", "r");
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, " hugetlbfs "))
			mounted = true;
	if (f)
		fclose(f);
	f = fopen("/proc/meminfo", "r");
	while (f && fgets(line, sizeof(line), f)) {
		sscanf(line, "HugePages_Free: %ld", &free_pages);
		sscanf(line, "Hugepagesize: %ld kB", &page_kib);
	}
	if (f)
		fclose(f);
	return mounted ? free_pages * page_kib / 1024 : 0;
}

/* Append a copy of `s` to the generated arguments. */
static int push(struct vsw_eal_args *ea, size_t *used, const char *s)
{
	size_t n = strlen(s) + 1;

	if (ea->argc + 1 >= VSW_EAL_MAX_ARGS || *used + n > sizeof(ea->buf))
		return -E2BIG;
	memcpy(ea->buf + *used, s, n);
	ea->argv[ea->argc++] = ea->buf + *used;
	*used += n;
	return 0;
}

/*
 * "0@0,1@C1,...": the main lcore on CPU 0, PMD i on CPU ncpu-1-i (wrapping
 * round, so that more PMDs than CPUs share them). 0 or -E2BIG.
 */
static int lcore_list(char *buf, size_t len, unsigned int n_pmds, long ncpu)
{
	size_t used = (size_t)snprintf(buf, len, "0@0");

	if (ncpu < 1)
		ncpu = 1;
	for (unsigned int i = 0; i < n_pmds && used < len; i++) {
		long cpu = ((ncpu - 1 - (long)i) % ncpu + ncpu) % ncpu;

		used += (size_t)snprintf(buf + used, len - used, ",%u@%ld", i + 1, cpu);
	}
	return used < len ? 0 : -E2BIG;
}

int vsw_eal_args_build(struct vsw_eal_args *ea, const char *argv0, int argc_user,
		       char **user, const char *prefix, unsigned int n_pmds)
{
	char tmp[256];
	size_t used = 0;
	int rc = 0;

	ea->argc = 0;
	rc |= push(ea, &used, argv0);
	if (argc_user > 0) {
		for (int i = 0; i < argc_user && !rc; i++) {
			if (ea->argc + 1 >= VSW_EAL_MAX_ARGS)
				return -E2BIG;
			ea->argv[ea->argc++] = user[i];
		}
		ea->argv[ea->argc] = NULL;
		return rc ? -E2BIG : 0;
	}
	rc |= lcore_list(tmp, sizeof(tmp), n_pmds ? n_pmds : 1, sysconf(_SC_NPROCESSORS_ONLN));
	rc |= push(ea, &used, "--lcores");
	rc |= push(ea, &used, tmp);
	rc |= push(ea, &used, "--no-pci");
	snprintf(tmp, sizeof(tmp), "--file-prefix=%s", prefix);
	rc |= push(ea, &used, tmp);
	/* --no-huge implies legacy memory, which --in-memory refuses. */
	rc |= push(ea, &used, free_hugepage_mib() < 512 ? "--no-huge" : "--in-memory");
	rc |= push(ea, &used, "-m");
	rc |= push(ea, &used, "512");
	ea->argv[ea->argc] = NULL;
	return rc ? -E2BIG : 0;
}
