/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-control: arguments, start-up, signals and the poll loop. See control.h. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "control.h"
#include "mgmt.h"
#include "proto.h"
#include "sweep.h"
#include "sync.h"
#include "tenant_sync.h"

#define DEFAULT_DB "/var/lib/vsw/vsw.db"

struct args {
	const char *run_dir;
	const char *db;
	const char *group;
	enum vsw_log_level level;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vsw-control [--run-dir DIR] [--db FILE] [--log-level LEVEL]\n"
		"                   [--socket-group GROUP]\n"
		"\n"
		"The vsw control process: owns the switch configuration, keeps it in\n"
		"FILE, serves vswctl on DIR/" VSW_CONTROL_SOCK " and programs vsw-dataplane\n"
		"through DIR/" VSW_DATAPLANE_SOCK ". Runs in the foreground; logs to stderr.\n"
		"\n"
		"  --run-dir DIR      sockets (default " VSW_DEFAULT_RUN_DIR ")\n"
		"  --db FILE          the configuration store (default " DEFAULT_DB ")\n"
		"  --log-level LEVEL  error, warning, info (default) or debug, for every\n"
		"                     module (change one at run time: vswctl log-level)\n"
		"  --socket-group GROUP\n"
		"                     " VSW_CONTROL_SOCK " is mode 0660 with this group when\n"
		"                     the group exists, else 0600 (default " VSW_DEFAULT_GROUP ")\n"
		"  -h, --help         this text\n");
}

/* A refusal to start: one plain line, exit status 1. */
__attribute__((format(printf, 1, 2)))
static int fatal(const char *fmt, ...)
{
	va_list ap;

	fputs("vsw-control: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* 0, 1 (--help shown) or -EINVAL (a line already printed). */
static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{ "run-dir", required_argument, NULL, 'r' },
		{ "db", required_argument, NULL, 'd' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "socket-group", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	a->run_dir = VSW_DEFAULT_RUN_DIR;
	a->db = DEFAULT_DB;
	a->level = VSW_LOG_INFO;
	a->group = VSW_DEFAULT_GROUP;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			a->run_dir = optarg;
			break;
		case 'd':
			a->db = optarg;
			break;
		case 'l':
			if (vsw_log_level_parse(optarg, &a->level)) {
				fatal("--log-level: '%s' is not error, warning, info or debug", optarg);
				return -EINVAL;
			}
			break;
		case 'g':
			a->group = optarg;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case ':':
			fatal("%s needs a value (see --help)", argv[optind - 1]);
			return -EINVAL;
		default:
			fatal("unknown option '%s' (see --help)", argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fatal("unexpected argument '%s' (see --help)", argv[optind]);
		return -EINVAL;
	}
	if (!a->run_dir[0] || !a->db[0]) {
		fatal("--run-dir and --db must not be empty");
		return -EINVAL;
	}
	return 0;
}

/* mkdir -p, each new level with `mode`. 0 or -errno. */
static int mkdir_p(const char *dir, mode_t mode)
{
	char path[PATH_MAX];
	size_t len = strlen(dir);

	if (len == 0 || len >= sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, dir, len + 1);
	for (char *p = path + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(path, mode) && errno != EEXIST)
			return -errno;
		*p = c;
		if (!c)
			break;
	}
	struct stat st;

	if (stat(path, &st))
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

static int parent_dir(const char *file, char *buf, size_t len)
{
	const char *slash = strrchr(file, '/');
	size_t n;

	if (!slash) {
		snprintf(buf, len, ".");
		return 0;
	}
	n = slash == file ? 1 : (size_t)(slash - file);
	if (n >= len)
		return -ENAMETOOLONG;
	memcpy(buf, file, n);
	buf[n] = '\0';
	return 0;
}

/* Is a vsw-control already serving this socket? */
static bool socket_alive(const char *path)
{
	int fd = vsw_proto_connect(path);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* SIGTERM and SIGINT through a signalfd, seen by the poll loop. */
static int signals_open(void)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -errno;
	int fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);

	return fd < 0 ? -errno : fd;
}

enum {
	PFD_SIGNAL, PFD_DATAPLANE, PFD_UNDERLAY, PFD_MGMT,
	PFD_MAX = PFD_MGMT + 1 + VSW_MGMT_MAX_CLIENTS
};

/* The smaller of two poll() timeouts, -1 meaning none. */
static int min_wait(int a, int b)
{
	return a < 0 ? b : b < 0 || a < b ? a : b;
}

static void run(struct vsw_control *ctl, int sig_fd)
{
	struct pollfd pfd[PFD_MAX];

	for (;;) {
		if (!vsw_dpconn_connected(&ctl->dp) && vsw_dpconn_due(&ctl->dp))
			vsw_dpconn_connect(&ctl->dp);
		if (vsw_dpconn_connected(&ctl->dp) && ctl->dp.need_sync)
			vsw_sync(ctl);
		if (vsw_sweep_due(ctl))
			vsw_sweep(ctl);

		pfd[PFD_SIGNAL] = (struct pollfd){ .fd = sig_fd, .events = POLLIN };
		pfd[PFD_DATAPLANE] = (struct pollfd){ .fd = ctl->dp.fd, .events = POLLIN };
		pfd[PFD_UNDERLAY] = (struct pollfd){ .fd = vsw_tenant_underlay_fd(ctl),
						     .events = POLLIN };
		size_t n = PFD_MGMT + vsw_mgmt_pollfds(ctl->mgmt, &pfd[PFD_MGMT], PFD_MAX - PFD_MGMT);

		int wait_dp = vsw_dpconn_poll_timeout(&ctl->dp);
		int wait_sweep = vsw_sweep_poll_timeout(ctl);
		int wait = min_wait(min_wait(wait_dp, wait_sweep), vsw_tenant_underlay_timeout(ctl));

		if (poll(pfd, n, wait) < 0) {
			if (errno == EINTR)
				continue;
			vsw_err(&ctl->log, "poll: %s", strerror(errno));
			return;
		}
		if (pfd[PFD_SIGNAL].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				vsw_info(&ctl->log, "%s: exiting", strsignal((int)si.ssi_signo));
				return;
			}
		}
		if (pfd[PFD_DATAPLANE].fd >= 0 && pfd[PFD_DATAPLANE].revents)
			vsw_dpconn_input(&ctl->dp);
		/* Route/neighbour changes, or a VTEP still unresolved a second later. */
		vsw_tenant_underlay_run(ctl, pfd[PFD_UNDERLAY].fd >= 0 &&
					     (pfd[PFD_UNDERLAY].revents & POLLIN));
		vsw_mgmt_process(ctl->mgmt, ctl, &pfd[PFD_MGMT], n - PFD_MGMT);
	}
}

int main(int argc, char **argv)
{
	struct vsw_control ctl;
	char sock[PATH_MAX], dbdir[PATH_MAX], err[1024];
	struct args a;
	int rc, sig_fd, status = 1;

	rc = parse_args(argc, argv, &a);
	if (rc)
		return rc > 0 ? 0 : 1;
	memset(&ctl, 0, sizeof(ctl));
	vsw_mgmt_logs_init(&ctl, a.level);
	ctl.run_dir = a.run_dir;
	ctl.db_path = a.db;
	vsw_config_init(&ctl.cfg);

	rc = mkdir_p(a.run_dir, 0755);
	if (rc)
		return fatal("run directory %s: %s", a.run_dir, strerror(-rc));
	if (parent_dir(a.db, dbdir, sizeof(dbdir)) || (rc = mkdir_p(dbdir, 0755)))
		return fatal("store directory for %s: %s", a.db, strerror(rc ? -rc : ENAMETOOLONG));
	if (vsw_proto_path(sock, sizeof(sock), a.run_dir, VSW_CONTROL_SOCK) ||
	    vsw_dpconn_init(&ctl.dp, a.run_dir, &ctl.log_dpconn))
		return fatal("run directory %s: path too long for a socket", a.run_dir);
	if (socket_alive(sock)) {
		fatal("%s: another vsw-control is already running", sock);
		goto out_fini_dp;
	}

	ctl.store = vsw_store_open(a.db, err, sizeof(err));
	if (!ctl.store) {
		fatal("%s", err);
		goto out_fini_dp;
	}
	if (vsw_store_load(ctl.store, &ctl.cfg, err, sizeof(err))) {
		fatal("%s", err);
		goto out_close_store;
	}
	sig_fd = signals_open();
	if (sig_fd < 0) {
		fatal("signalfd: %s", strerror(-sig_fd));
		goto out_close_store;
	}
	ctl.tenant = vsw_tenant_state_create(&ctl.log);
	if (!ctl.tenant || vsw_tenant_resolve_config(&ctl, &ctl.cfg)) {
		fatal("out of memory");
		goto out_close_signals;
	}
	ctl.mgmt = vsw_mgmt_create(sock, a.group, &ctl.log_mgmt);
	if (!ctl.mgmt) {
		fatal("control socket %s: %s", sock, strerror(errno));
		goto out_close_signals;
	}
	if (vsw_store_migrated_from(ctl.store))
		vsw_info(&ctl.log, "store %s: migrated from schema version %d to %d", a.db,
			 vsw_store_migrated_from(ctl.store), VSW_STORE_SCHEMA_VERSION);
	vsw_info(&ctl.log, "started (pid %ld): store %s (%zu ports, %zu tenants, %zu flows), "
		 "control socket %s", (long)getpid(), a.db, ctl.cfg.n_ports, ctl.cfg.n_tenants,
		 ctl.cfg.n_flows, sock);
	vsw_proto_notify_ready();

	run(&ctl, sig_fd);
	status = 0;

	vsw_mgmt_destroy(ctl.mgmt);
out_close_signals:
	vsw_tenant_state_destroy(ctl.tenant);
	close(sig_fd);
out_close_store:
	vsw_store_close(ctl.store);
out_fini_dp:
	vsw_dpconn_fini(&ctl.dp);
	vsw_config_free(&ctl.cfg);
	return status;
}
