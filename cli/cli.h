/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CLI_H
#define VSW_CLI_H

/*
 * DOC: vswctl, the command users type
 *
 * vswctl turns one command line into one request to vsw-control
 * (RUN_DIR/control.sock, commands in control/proto/PROTOCOL.md), waits for
 * the reply and prints it. It knows the protocol and nothing else: port names
 * and flow text travel exactly as the user wrote them, and vsw-control parses
 * and validates them. vswctl checks locally only what needs no daemon:
 * options, the command name, argument counts, the port type and mode, and
 * that a socket path is absolute and fits in a sockaddr_un.
 *
 * Commands are declarative tables (struct vsw_cli_cmd), one table per command
 * group: cmd_ports.c (add-port, del-port, dump-ports, show), cmd_flows.c
 * (add-flow, add-flows, mod-flows, del-flows, dump-flows, replace-flows),
 * cmd_tables.c (dump-tables, mod-table), cmd_tenants.c (add-tenant,
 * del-tenant, list-tenants, set-port, set-uplink, add-vtep, del-vtep,
 * add-acl, del-acl), cmd_tenant_show.c (show-tenant), cmd_ops.c
 * (log-level), cmd_mirrors.c (add-mirror, del-mirror, list-mirrors),
 * cmd_capture.c (capture), cmd_perf.c (pmd-stats, pmd-stats-clear), args.c
 * (help). Each command is two halves, testable without a daemon:
 *   build: positional arguments -> request object, or a usage error (the
 *          file commands also read FILE here: its lines go in the request,
 *          and vsw-control, which parses them, names the line of an error);
 *   print: ok reply -> human text on a FILE* (read-only commands only).
 *
 * One run (run.c, vsw_cli_main()):
 *   vsw_cli_parse()    argv -> struct vsw_cli_inv (global options anywhere,
 *                      "--" ends options; usage errors exit 2)
 *   vsw_cli_request()  -> {"cmd": NAME, ...}   (usage errors exit 2)
 *   vsw_proto_call()   -> reply; cannot connect, timeout, an error reply or a
 *                      malformed reply exit 1
 *   read-only commands: cmd->print() (--format text) or vsw_cli_print_json()
 *   (--format json: the reply minus "ok"); write commands print nothing.
 * Output goes to a memory stream first and is copied out only when complete,
 * so a malformed reply never leaves half a listing behind.
 *
 * `capture` is the exception: a read-only debugging path straight to
 * vsw-dataplane (RUN_DIR/dataplane.sock, or the one beside --socket), which
 * streams frames that vswctl filters and writes to a pcap file (capture.h).
 *
 * Every failure is exactly one line on the error stream, "vswctl: " followed
 * by the message; messages about one command start with its name
 * ("vswctl: add-flow: unknown port 'vm9'").
 *
 * Errors: int returns 0 or -errno (-EINVAL: bad command line, -EPROTO:
 * malformed reply, -ENOMEM), with a one-line message, without the "vswctl: "
 * prefix, in the caller's buffer.
 *
 * No globals: a run is described by struct vsw_cli_inv and writes only to the
 * FILE*s it is given. The command tables are const.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/un.h>

#include <jansson.h>

/* Exit codes of vswctl. */
#define VSW_CLI_EXIT_OK 0
#define VSW_CLI_EXIT_FAIL 1  /* cannot connect, timeout, error or malformed reply */
#define VSW_CLI_EXIT_USAGE 2 /* bad command line; nothing was sent */

#define VSW_CLI_ERRLEN 512
#define VSW_CLI_MAX_ARGS 8 /* >= every command's max_args */
#define VSW_CLI_SOCK_MAX sizeof(((struct sockaddr_un *)0)->sun_path)
#define VSW_CLI_DEFAULT_TIMEOUT_MS 10000
/* Without --timeout, a file command waits this much longer per 1000 lines. */
#define VSW_CLI_MS_PER_KLINE 200

/*
 * Options that belong to a command rather than to vswctl: bit (1u << id) in
 * ->options and ->opts; a valued option's value is ->optval[id].
 */
enum vsw_cli_opt_id {
	VSW_CLI_OPTID_STRICT, /* del-flows, mod-flows --strict */
	VSW_CLI_OPTID_FORCE, /* del-tenant --force */
	VSW_CLI_OPTID_DIRECTION, /* capture --direction in|out|both */
	VSW_CLI_OPTID_FILTER, /* capture --filter BPF */
	VSW_CLI_OPTID_COUNT, /* capture --count N */
	VSW_CLI_OPTID_DURATION, /* capture --duration SECONDS */
	VSW_CLI_OPTID_SNAPLEN, /* capture --snaplen BYTES */
	VSW_CLI_OPTID_WRITE, /* capture -w FILE */
	VSW_CLI_OPTID_PCAPNG, /* capture --pcapng */
	VSW_CLI_N_OPTS
};
#define VSW_CLI_OPT_STRICT (1u << VSW_CLI_OPTID_STRICT)
#define VSW_CLI_OPT_FORCE (1u << VSW_CLI_OPTID_FORCE)
#define VSW_CLI_OPT_CAPTURE                                                            \
	(1u << VSW_CLI_OPTID_DIRECTION | 1u << VSW_CLI_OPTID_FILTER |                  \
	 1u << VSW_CLI_OPTID_COUNT | 1u << VSW_CLI_OPTID_DURATION |                    \
	 1u << VSW_CLI_OPTID_SNAPLEN | 1u << VSW_CLI_OPTID_WRITE | 1u << VSW_CLI_OPTID_PCAPNG)

enum vsw_cli_format { VSW_CLI_FORMAT_TEXT, VSW_CLI_FORMAT_JSON };
enum vsw_cli_action { VSW_CLI_RUN, VSW_CLI_HELP, VSW_CLI_VERSION };

struct vsw_cli_cmd;

/* One parsed command line. */
struct vsw_cli_inv {
	enum vsw_cli_action action;
	char socket[VSW_CLI_SOCK_MAX];   /* control.sock to talk to */
	char dp_socket[VSW_CLI_SOCK_MAX]; /* dataplane.sock beside it (capture) */
	enum vsw_cli_format format;
	int timeout_ms;                  /* INT_MAX: wait forever */
	bool timeout_given;              /* --timeout on the line */
	const struct vsw_cli_cmd *cmd;   /* set when action == VSW_CLI_RUN */
	unsigned opts;                   /* VSW_CLI_OPT_* given */
	const char *optval[VSW_CLI_N_OPTS]; /* values of valued options given */
	int argc;                        /* positional arguments after the command */
	const char *argv[VSW_CLI_MAX_ARGS];
};

struct vsw_cli_cmd {
	const char *name;
	const char *args;  /* argument synopsis, "" for none */
	const char *help;  /* one line for 'vswctl help' */
	int min_args, max_args;
	unsigned options;  /* VSW_CLI_OPT_* accepted */
	bool read_only;    /* prints the reply's data; changes nothing */
	/* Add the arguments to req (which holds "cmd": name). 0, or -EINVAL and
	 * a message naming the bad argument. NULL: nothing to add. */
	int (*build)(const struct vsw_cli_inv *inv, json_t *req, char *err, size_t errlen);
	/* Print an ok reply as text. 0, or -EPROTO and a message. NULL for
	 * write commands. */
	int (*print)(const json_t *reply, FILE *out, char *err, size_t errlen);
	/* Set for commands that never talk to vsw-control (help): 0 or -errno. */
	int (*local)(FILE *out);
	/* Set for commands that run a session of their own (capture): the
	 * whole run after parsing; returns the exit code. */
	int (*run)(const struct vsw_cli_inv *inv, FILE *out, FILE *err);
};

struct vsw_cli_group {
	const char *title;
	const struct vsw_cli_cmd *cmds;
	size_t n_cmds;
};

extern const struct vsw_cli_group vsw_cli_port_group; /* cmd_ports.c */
extern const struct vsw_cli_group vsw_cli_flow_group; /* cmd_flows.c */
extern const struct vsw_cli_group vsw_cli_table_group; /* cmd_tables.c */
extern const struct vsw_cli_group vsw_cli_ops_group; /* cmd_ops.c */
extern const struct vsw_cli_group vsw_cli_tenant_group; /* cmd_tenants.c */
extern const struct vsw_cli_group vsw_cli_tenant_show_group; /* cmd_tenant_show.c */
extern const struct vsw_cli_group vsw_cli_mirror_group; /* cmd_mirrors.c */
extern const struct vsw_cli_group vsw_cli_capture_group; /* cmd_capture.c */
extern const struct vsw_cli_group vsw_cli_perf_group; /* cmd_perf.c */

/* args.c: the command line. */
const struct vsw_cli_cmd *vsw_cli_find(const char *name);
/* Parse argv; env_run_dir is $VSW_RUN_DIR (may be NULL). 0 or -EINVAL. */
int vsw_cli_parse(struct vsw_cli_inv *inv, int argc, char *const argv[],
		  const char *env_run_dir, char *err, size_t errlen);
/* The request for a parsed VSW_CLI_RUN line (caller json_decref()s it). 0 or -errno. */
int vsw_cli_request(const struct vsw_cli_inv *inv, json_t **req, char *err, size_t errlen);
/* 'vswctl help': every command of every table, then the options. */
int vsw_cli_usage(FILE *out);
/* "vswctl (vsw) VERSION". */
int vsw_cli_version(FILE *out);

/* run.c: one whole run; returns the exit code. */
int vsw_cli_main(int argc, char *const argv[], const char *env_run_dir, FILE *out, FILE *err);
/* The message for a failed connect (rc is -errno). */
void vsw_cli_connect_error(char *buf, size_t len, const char *path, int rc);

/*
 * output.c: printing helpers.
 *
 * Reading a reply: the getters below record the first problem in a
 * struct vsw_cli_rd ("malformed reply from vsw-control: flows[1].actions:
 * expected a string") and return a harmless value (0, "", NULL), so a
 * formatter reads all fields and checks rd.rc once.
 */
struct vsw_cli_rd {
	int rc;          /* 0 or -EPROTO */
	char where[64];  /* "flows[1]": prefix of the member names in messages */
	char *err;
	size_t errlen;
};
void vsw_cli_rd_init(struct vsw_cli_rd *rd, char *err, size_t errlen);
void vsw_cli_rd_where(struct vsw_cli_rd *rd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *vsw_cli_str(struct vsw_cli_rd *rd, const json_t *obj, const char *key);
/* Optional string member: NULL when absent or null, an error when not a string. */
const char *vsw_cli_str_opt(struct vsw_cli_rd *rd, const json_t *obj, const char *key);
long long vsw_cli_int(struct vsw_cli_rd *rd, const json_t *obj, const char *key);
double vsw_cli_num(struct vsw_cli_rd *rd, const json_t *obj, const char *key);
json_t *vsw_cli_array(struct vsw_cli_rd *rd, const json_t *obj, const char *key);
/* Optional member: NULL when absent, an error when not an object. */
json_t *vsw_cli_object_opt(struct vsw_cli_rd *rd, const json_t *obj, const char *key);
/* Record a problem found by the caller (key NULL: rd->where itself). */
void vsw_cli_rd_fail(struct vsw_cli_rd *rd, const char *key, const char *what);
/* Whether v (rd->where) is an object; records a problem when not. */
bool vsw_cli_is_object(struct vsw_cli_rd *rd, const json_t *v);

/* Format a one-line message into err and return rc. */
int vsw_cli_fail(char *err, size_t errlen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* --format json: the reply minus "ok", indented, keys sorted, then "\n". 0 or -errno. */
int vsw_cli_print_json(const json_t *reply, FILE *out);
/* Copy s into buf as one printable line (control characters become ' '). */
void vsw_cli_one_line(char *buf, size_t len, const char *s);

#endif
