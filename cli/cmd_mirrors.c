/* SPDX-License-Identifier: BSD-3-Clause */
/* vswctl mirror commands: add-mirror, del-mirror, list-mirrors. See cli.h. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* "vm1,vm2" -> ["vm1", "vm2"]; an empty name is a usage error. */
static int port_list(const char *list, json_t *arr, char *err, size_t errlen)
{
	const char *p = list;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (!len)
			return vsw_cli_fail(err, errlen, -EINVAL,
					    "add-mirror: empty port name in src=%s", list);
		if (json_array_append_new(arr, json_stringn(p, len)))
			return vsw_cli_fail(err, errlen, -ENOMEM, "add-mirror: out of memory");
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

/* add-mirror NAME src=PORT[,PORT...] dst=PORT (src= and dst= in any order) */
static int build_add_mirror(const struct vsw_cli_inv *inv, json_t *req, char *err,
			    size_t errlen)
{
	const char *src = NULL, *dst = NULL;
	json_t *arr;
	int rc;

	if (!*inv->argv[0])
		return vsw_cli_fail(err, errlen, -EINVAL, "add-mirror: empty mirror name");
	for (int i = 1; i < inv->argc; i++) {
		const char *a = inv->argv[i];
		const char **slot = !strncmp(a, "src=", 4) ? &src : !strncmp(a, "dst=", 4) ? &dst : NULL;

		if (!slot)
			return vsw_cli_fail(err, errlen, -EINVAL,
					    "add-mirror: unknown argument '%s'; expected src=PORTS "
					    "and dst=PORT", a);
		if (*slot)
			return vsw_cli_fail(err, errlen, -EINVAL, "add-mirror: %.4s given twice", a);
		*slot = a + 4;
	}
	/* Exactly two arguments after NAME, neither twice: both are there. */
	if (!*dst)
		return vsw_cli_fail(err, errlen, -EINVAL, "add-mirror: empty port name in dst=");
	arr = json_array();
	if (!arr)
		return vsw_cli_fail(err, errlen, -ENOMEM, "add-mirror: out of memory");
	rc = port_list(src, arr, err, errlen);
	if (rc) {
		json_decref(arr);
		return rc;
	}
	if (json_object_set_new(req, "name", json_string(inv->argv[0])) ||
	    json_object_set_new(req, "src", arr) ||
	    json_object_set_new(req, "dst", json_string(dst)))
		return vsw_cli_fail(err, errlen, -ENOMEM, "add-mirror: out of memory");
	return 0;
}

static int build_del_mirror(const struct vsw_cli_inv *inv, json_t *req, char *err,
			    size_t errlen)
{
	if (!*inv->argv[0])
		return vsw_cli_fail(err, errlen, -EINVAL, "del-mirror: empty mirror name");
	if (json_object_set_new(req, "name", json_string(inv->argv[0])))
		return vsw_cli_fail(err, errlen, -ENOMEM, "del-mirror: out of memory");
	return 0;
}

/*
 *   mirror m1: src=vm1,vm2 dst=mon state=active
 *     packets=10, bytes=1000, drops=0
 */
static int print_list_mirrors(const json_t *reply, FILE *out, char *err, size_t errlen)
{
	struct vsw_cli_rd rd;
	json_t *mirrors, *m, *src, *s;
	size_t i, k;

	vsw_cli_rd_init(&rd, err, errlen);
	mirrors = vsw_cli_array(&rd, reply, "mirrors");
	json_array_foreach(mirrors, i, m) {
		vsw_cli_rd_where(&rd, "mirrors[%zu]", i);
		if (!vsw_cli_is_object(&rd, m))
			return rd.rc;
		const char *name = vsw_cli_str(&rd, m, "name");
		const char *dst = vsw_cli_str(&rd, m, "dst");
		const char *state = vsw_cli_str(&rd, m, "state");
		long long packets = vsw_cli_int(&rd, m, "packets");
		long long bytes = vsw_cli_int(&rd, m, "bytes");
		long long drops = vsw_cli_int(&rd, m, "drops");

		src = vsw_cli_array(&rd, m, "src");
		json_array_foreach(src, k, s)
			if (!json_is_string(s))
				vsw_cli_rd_fail(&rd, "src", "expected an array of strings");
		if (rd.rc)
			return rd.rc;
		fprintf(out, "mirror %s: src=", name);
		json_array_foreach(src, k, s)
			fprintf(out, "%s%s", k ? "," : "", json_string_value(s));
		fprintf(out, " dst=%s state=%s\n  packets=%lld, bytes=%lld, drops=%lld\n", dst,
			state, packets, bytes, drops);
	}
	return rd.rc;
}

static const struct vsw_cli_cmd mirror_cmds[] = {
	{ .name = "add-mirror", .args = "NAME src=PORT[,PORT...] dst=PORT",
	  .help = "copy the frames in and out of the src ports to dst",
	  .min_args = 3, .max_args = 3, .build = build_add_mirror },
	{ .name = "del-mirror", .args = "NAME", .help = "delete mirror NAME",
	  .min_args = 1, .max_args = 1, .build = build_del_mirror },
	{ .name = "list-mirrors", .args = "", .help = "print the mirrors and their counters",
	  .min_args = 0, .max_args = 0, .read_only = true, .print = print_list_mirrors },
};

const struct vsw_cli_group vsw_cli_mirror_group = {
	.title = "Mirror commands",
	.cmds = mirror_cmds,
	.n_cmds = sizeof(mirror_cmds) / sizeof(mirror_cmds[0]),
};
