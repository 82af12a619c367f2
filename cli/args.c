/* SPDX-License-Identifier: BSD-3-Clause */
/* vswctl command line: global options, command lookup, help. See cli.h. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

#ifndef VSW_VERSION
#define VSW_VERSION "unknown"
#endif

static const struct vsw_cli_cmd misc_cmds[] = {
	{ .name = "help", .args = "", .help = "print this help",
	  .min_args = 0, .max_args = 0, .read_only = true, .local = vsw_cli_usage },
};

static const struct vsw_cli_group misc_group = {
	.title = "Other commands", .cmds = misc_cmds,
	.n_cmds = sizeof(misc_cmds) / sizeof(misc_cmds[0]),
};

/* Every command table, in the order 'vswctl help' lists them. */
static const struct vsw_cli_group *const groups[] = {
	&vsw_cli_port_group,
	&vsw_cli_flow_group,
	&vsw_cli_table_group,
	&vsw_cli_perf_group,
	&vsw_cli_ops_group,
	&vsw_cli_tenant_group,
	&vsw_cli_tenant_show_group,
	&vsw_cli_mirror_group,
	&vsw_cli_capture_group,
	&misc_group,
};

enum gopt_id { GOPT_RUN_DIR, GOPT_SOCKET, GOPT_FORMAT, GOPT_TIMEOUT, GOPT_HELP, GOPT_VERSION };

/* vswctl's own options: accepted anywhere on the line. */
static const struct {
	const char *name, *alias, *metavar, *help;
	enum gopt_id id;
} gopts[] = {
	{ "--run-dir", NULL, "DIR", "talk to DIR/" VSW_CONTROL_SOCK
	  " (default " VSW_DEFAULT_RUN_DIR ")", GOPT_RUN_DIR },
	{ "--socket", NULL, "PATH", "talk to vsw-control at PATH", GOPT_SOCKET },
	{ "--format", NULL, "text|json", "output of read commands (default text)", GOPT_FORMAT },
	{ "--timeout", NULL, "SECONDS", "reply timeout (default 10; 0: forever)", GOPT_TIMEOUT },
	{ "--help", "-h", NULL, "print this help", GOPT_HELP },
	{ "--version", NULL, NULL, "print the version", GOPT_VERSION },
};

/* Options that belong to commands (struct vsw_cli_cmd .options). */
static const struct {
	const char *name, *alias, *metavar; /* metavar: takes a value */
	enum vsw_cli_opt_id id;
} copts[] = {
	{ "--strict", NULL, NULL, VSW_CLI_OPTID_STRICT },
	{ "--force", NULL, NULL, VSW_CLI_OPTID_FORCE },
	{ "--direction", NULL, "in|out|both", VSW_CLI_OPTID_DIRECTION },
	{ "--filter", NULL, "BPF", VSW_CLI_OPTID_FILTER },
	{ "--count", "-c", "N", VSW_CLI_OPTID_COUNT },
	{ "--duration", NULL, "SECONDS", VSW_CLI_OPTID_DURATION },
	{ "--snaplen", "-s", "BYTES", VSW_CLI_OPTID_SNAPLEN },
	{ "--write", "-w", "FILE", VSW_CLI_OPTID_WRITE },
	{ "--pcapng", NULL, NULL, VSW_CLI_OPTID_PCAPNG },
};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

const struct vsw_cli_cmd *vsw_cli_find(const char *name)
{
	for (size_t g = 0; g < N_ELEMS(groups); g++)
		for (size_t i = 0; i < groups[g]->n_cmds; i++)
			if (!strcmp(groups[g]->cmds[i].name, name))
				return &groups[g]->cmds[i];
	return NULL;
}

/* SECONDS (decimal, >= 0; 0 = forever) to milliseconds. 0 or -EINVAL. */
static int parse_timeout(const char *s, int *ms)
{
	char *end;
	double sec;

	errno = 0;
	sec = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(sec) || sec < 0)
		return -EINVAL;
	if (sec == 0 || sec * 1000 >= INT_MAX) {
		*ms = INT_MAX;
		return 0;
	}
	*ms = (int)(sec * 1000);
	if (*ms < sec * 1000) /* round up: 0.0001 s is not "forever" */
		++*ms;
	return 0;
}

/* dataplane.sock in run_dir, or in the directory of the control socket `sock`. */
static void set_dp_socket(struct vsw_cli_inv *inv, const char *sock, const char *run_dir)
{
	const char *slash = sock ? strrchr(sock, '/') : NULL;
	size_t size = sizeof(inv->dp_socket);
	int n;

	if (!sock)
		n = snprintf(inv->dp_socket, size, "%s/%s", run_dir, VSW_DATAPLANE_SOCK);
	else if (!slash)
		n = snprintf(inv->dp_socket, size, "%s", VSW_DATAPLANE_SOCK);
	else
		n = snprintf(inv->dp_socket, size, "%.*s/%s", (int)(slash - sock), sock,
			     VSW_DATAPLANE_SOCK);
	if (n < 0 || (size_t)n >= size)
		inv->dp_socket[0] = '\0'; /* capture says so when it needs it */
}

static int set_socket(struct vsw_cli_inv *inv, const char *sock, const char *run_dir,
		      char *err, size_t errlen)
{
	int n;

	set_dp_socket(inv, sock, run_dir);
	if (sock)
		n = snprintf(inv->socket, sizeof(inv->socket), "%s", sock);
	else
		n = snprintf(inv->socket, sizeof(inv->socket), "%s/%s", run_dir,
			     VSW_CONTROL_SOCK);
	if (n < 0 || (size_t)n >= sizeof(inv->socket))
		return vsw_cli_fail(err, errlen, -EINVAL,
				    "socket path too long (at most %zu bytes): %s%s%s",
				    sizeof(inv->socket) - 1, sock ? sock : run_dir,
				    sock ? "" : "/", sock ? "" : VSW_CONTROL_SOCK);
	if (!*inv->socket)
		return vsw_cli_fail(err, errlen, -EINVAL, "empty socket path");
	return 0;
}

/* A global option at argv[*i]: 1 if it was one (and consumed), 0 if not, -EINVAL. */
static int global_opt(struct vsw_cli_inv *inv, int argc, char *const argv[], int *i,
		      const char **sock, const char **run_dir, char *err, size_t errlen)
{
	const char *a = argv[*i], *eq = strchr(a, '='), *val = NULL;
	size_t len = eq ? (size_t)(eq - a) : strlen(a);
	size_t k;

	for (k = 0; k < N_ELEMS(gopts); k++)
		if ((strlen(gopts[k].name) == len && !strncmp(a, gopts[k].name, len)) ||
		    (gopts[k].alias && !strcmp(a, gopts[k].alias)))
			break;
	if (k == N_ELEMS(gopts))
		return 0;
	if (gopts[k].metavar) {
		if (eq)
			val = eq + 1;
		else if (*i + 1 < argc)
			val = argv[++*i];
		else
			return vsw_cli_fail(err, errlen, -EINVAL,
					    "option '%s' requires an argument (%s)",
					    gopts[k].name, gopts[k].metavar);
	} else if (eq) {
		return vsw_cli_fail(err, errlen, -EINVAL,
				    "option '%s' takes no argument", gopts[k].name);
	}

	switch (gopts[k].id) {
	case GOPT_RUN_DIR:
		if (!*val)
			return vsw_cli_fail(err, errlen, -EINVAL,
					    "option '--run-dir' needs a directory");
		*run_dir = val;
		break;
	case GOPT_SOCKET:
		if (!*val)
			return vsw_cli_fail(err, errlen, -EINVAL, "option '--socket' needs a path");
		*sock = val;
		break;
	case GOPT_FORMAT:
		if (!strcmp(val, "text"))
			inv->format = VSW_CLI_FORMAT_TEXT;
		else if (!strcmp(val, "json"))
			inv->format = VSW_CLI_FORMAT_JSON;
		else
			return vsw_cli_fail(err, errlen, -EINVAL,
					    "unknown format '%s'; expected text or json", val);
		break;
	case GOPT_TIMEOUT:
		inv->timeout_given = true;
		if (parse_timeout(val, &inv->timeout_ms))
			return vsw_cli_fail(err, errlen, -EINVAL,
					    "invalid timeout '%s'; expected seconds "
					    "(0: wait forever)", val);
		break;
	case GOPT_HELP:
		inv->action = VSW_CLI_HELP;
		break;
	case GOPT_VERSION:
		inv->action = VSW_CLI_VERSION;
		break;
	}
	return 1;
}

static const char *copt_name(unsigned bits)
{
	for (size_t k = 0; k < N_ELEMS(copts); k++)
		if (bits & (1u << copts[k].id))
			return copts[k].name;
	return "?";
}

/* A command option at argv[*i] (its value consumed too). 0 or -EINVAL. */
static int command_opt(struct vsw_cli_inv *inv, int argc, char *const argv[], int *i,
		       char *err, size_t errlen)
{
	const char *a = argv[*i], *eq = strchr(a, '='), *val = NULL;
	size_t len = eq ? (size_t)(eq - a) : strlen(a);
	size_t k;

	for (k = 0; k < N_ELEMS(copts); k++)
		if ((copts[k].metavar && strlen(copts[k].name) == len &&
		     !strncmp(a, copts[k].name, len)) ||
		    !strcmp(a, copts[k].name) || (copts[k].alias && !strcmp(a, copts[k].alias)))
			break;
	if (k == N_ELEMS(copts))
		return vsw_cli_fail(err, errlen, -EINVAL,
				    "unknown option '%s'; try 'vswctl help'", a);
	if (copts[k].metavar) {
		if (eq && a[1] == '-')
			val = eq + 1;
		else if (*i + 1 < argc)
			val = argv[++*i];
		else
			return vsw_cli_fail(err, errlen, -EINVAL,
					    "option '%s' requires an argument (%s)",
					    copts[k].name, copts[k].metavar);
		if (inv->opts & (1u << copts[k].id))
			return vsw_cli_fail(err, errlen, -EINVAL, "option '%s' given twice",
					    copts[k].name);
		inv->optval[copts[k].id] = val;
	}
	inv->opts |= 1u << copts[k].id;
	return 0;
}

int vsw_cli_parse(struct vsw_cli_inv *inv, int argc, char *const argv[],
		  const char *env_run_dir, char *err, size_t errlen)
{
	const char *sock = NULL, *run_dir = NULL, *name = NULL;
	bool opts_done = false;
	int rc;

	memset(inv, 0, sizeof(*inv));
	inv->action = VSW_CLI_RUN;
	inv->format = VSW_CLI_FORMAT_TEXT;
	inv->timeout_ms = VSW_CLI_DEFAULT_TIMEOUT_MS;
	*err = '\0';

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (opts_done || a[0] != '-' || !a[1]) {
			if (!name)
				name = a;
			else if (inv->argc++ < VSW_CLI_MAX_ARGS)
				inv->argv[inv->argc - 1] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			opts_done = true;
			continue;
		}
		rc = global_opt(inv, argc, argv, &i, &sock, &run_dir, err, errlen);
		if (rc < 0)
			return rc;
		if (rc)
			continue;
		rc = command_opt(inv, argc, argv, &i, err, errlen);
		if (rc)
			return rc;
	}
	/* --help and --version win over everything else on the line. */
	if (inv->action != VSW_CLI_RUN)
		return 0;

	if (sock && run_dir)
		return vsw_cli_fail(err, errlen, -EINVAL,
				    "options '--socket' and '--run-dir' exclude each other");
	if (!run_dir)
		run_dir = env_run_dir && *env_run_dir ? env_run_dir : VSW_DEFAULT_RUN_DIR;
	rc = set_socket(inv, sock, run_dir, err, errlen);
	if (rc)
		return rc;

	if (!name)
		return vsw_cli_fail(err, errlen, -EINVAL, "missing command; try 'vswctl help'");
	inv->cmd = vsw_cli_find(name);
	if (!inv->cmd)
		return vsw_cli_fail(err, errlen, -EINVAL,
				    "unknown command '%s'; try 'vswctl help'", name);
	if (inv->opts & ~inv->cmd->options)
		return vsw_cli_fail(err, errlen, -EINVAL, "%s: unknown option '%s'", name,
				    copt_name(inv->opts & ~inv->cmd->options));
	if (inv->argc < inv->cmd->min_args || inv->argc > inv->cmd->max_args) {
		if (!*inv->cmd->args)
			return vsw_cli_fail(err, errlen, -EINVAL, "%s: takes no arguments", name);
		return vsw_cli_fail(err, errlen, -EINVAL, "%s: expected %s", name, inv->cmd->args);
	}
	return 0;
}

int vsw_cli_request(const struct vsw_cli_inv *inv, json_t **req, char *err, size_t errlen)
{
	json_t *r = json_pack("{s:s}", "cmd", inv->cmd->name);
	int rc;

	*req = NULL;
	if (!r) {
		snprintf(err, errlen, "%s: out of memory", inv->cmd->name);
		return -ENOMEM;
	}
	if (inv->cmd->build) {
		rc = inv->cmd->build(inv, r, err, errlen);
		if (rc) {
			json_decref(r);
			return rc;
		}
	}
	*req = r;
	return 0;
}

static void usage_line(FILE *out, const char *left, const char *help)
{
	if (strlen(left) <= 30)
		fprintf(out, "  %-30s  %s\n", left, help);
	else
		fprintf(out, "  %s\n  %-30s  %s\n", left, "", help);
}

int vsw_cli_usage(FILE *out)
{
	char left[128];

	fprintf(out, "vswctl: control the vsw virtual switch\n"
		     "usage: vswctl [OPTIONS] COMMAND [ARG...]\n");
	for (size_t g = 0; g < N_ELEMS(groups); g++) {
		fprintf(out, "\n%s:\n", groups[g]->title);
		for (size_t i = 0; i < groups[g]->n_cmds; i++) {
			const struct vsw_cli_cmd *c = &groups[g]->cmds[i];

			snprintf(left, sizeof(left), "%s%s%s", c->name, *c->args ? " " : "",
				 c->args);
			usage_line(out, left, c->help);
		}
	}
	fprintf(out, "\nOptions (anywhere on the line; '--' ends them):\n");
	for (size_t k = 0; k < N_ELEMS(gopts); k++) {
		snprintf(left, sizeof(left), "%s%s%s%s%s", gopts[k].alias ? gopts[k].alias : "",
			 gopts[k].alias ? ", " : "", gopts[k].name,
			 gopts[k].metavar ? " " : "", gopts[k].metavar ? gopts[k].metavar : "");
		usage_line(out, left, gopts[k].help);
	}
	fprintf(out, "\n$VSW_RUN_DIR, when set, replaces %s as the default DIR.\n"
		     "Read commands (show, dump-*, list-tenants, log-level) print text, or the\n"
		     "reply's data with --format json; the others print nothing on success.\n"
		     "Exit status: 0 success; 1 vsw-control unreachable, silent or reporting\n"
		     "an error; 2 usage error (nothing was sent).\n", VSW_DEFAULT_RUN_DIR);
	return ferror(out) ? -EIO : 0;
}

int vsw_cli_version(FILE *out)
{
	fprintf(out, "vswctl (vsw) %s\n", VSW_VERSION);
	return ferror(out) ? -EIO : 0;
}
