/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_DP_LOG_H
#define VSW_DP_LOG_H

/*
 * DOC: the dataplane's log
 *
 * One line per event on stderr:
 *     vsw-dataplane: LEVEL: MODULE: message
 * DPDK's own messages go through the same stream and get the same form
 * ("vsw-dataplane: info: EAL: ..."). Under systemd (stderr is the journal,
 * $JOURNAL_STREAM says so) each line also starts with journald's "<N>"
 * priority prefix. vsw_log_open() installs the stream before EAL starts.
 *
 * Modules are DPDK log types, one per module: vsw.main (start-up, shutdown,
 * telemetry), vsw.ctl (the control socket and its commands), vsw.port (ports
 * and their transmit drops), vsw.pmd (the packet path), and vsw.vhost
 * (vhost-user/, registered there). They are registered the DPDK way
 * (RTE_LOG_REGISTER: a constructor sets each type id once, before main(); it
 * is read-only after). Levels: EAL's --log-level at start
 * (`--log-level=vsw.pmd:debug`), the control command `log-level` at run time
 * (ctl_ops.c, PROTOCOL.md; `vswctl log-level`).
 *
 * The data path logs with VSW_LOG_RL() only: at most VSW_LOG_RL_BURST
 * messages per VSW_LOG_RL_INTERVAL_MS from one call site, the rest counted
 * and reported as "N similar messages suppressed" before the next one
 * (ratelimit.h). A disabled level costs one rte_log_can_log() call.
 */

#include <stdint.h>
#include <stdio.h>

#include <rte_cycles.h>
#include <rte_log.h>

#include "ratelimit.h"

extern int vsw_logtype_main;
extern int vsw_logtype_ctl;
extern int vsw_logtype_port;
extern int vsw_logtype_pmd;

/* VSW_LOG(ctl, INFO, "control socket %s", path): one line, newline added. */
#define VSW_LOG(mod, level, fmt, ...)                                          \
	rte_log(RTE_LOG_##level, vsw_logtype_##mod, "vsw." #mod ": " fmt "\n", \
		##__VA_ARGS__)

#define VSW_LOG_RL_INTERVAL_MS 1000
#define VSW_LOG_RL_BURST 10

static inline uint64_t vsw_log_now_ms(void)
{
	return rte_get_tsc_cycles() / (rte_get_tsc_hz() / 1000);
}

/* VSW_LOG(), rate-limited per call site: for anything a packet can cause. */
#define VSW_LOG_RL(mod, level, fmt, ...)                                              \
	do {                                                                          \
		static struct vsw_ratelimit vsw_rl_ = VSW_RATELIMIT_INIT;             \
		uint32_t vsw_held_;                                                   \
		if (rte_log_can_log(vsw_logtype_##mod, RTE_LOG_##level) &&            \
		    vsw_ratelimit_ok(&vsw_rl_, vsw_log_now_ms(), VSW_LOG_RL_INTERVAL_MS, \
				     VSW_LOG_RL_BURST, &vsw_held_)) {                 \
			if (vsw_held_)                                                \
				VSW_LOG(mod, level, "%u similar messages suppressed", \
					vsw_held_);                                   \
			VSW_LOG(mod, level, fmt, ##__VA_ARGS__);                      \
		}                                                                     \
	} while (0)

/* The modules that the log-level command knows, in the order it lists them. */
extern const char *const vsw_log_modules[];
extern const unsigned int vsw_log_n_modules;

/* A module's level by its protocol name (vsw_proto_log_level). 0 or -ENOENT. */
int vsw_log_set_level(const char *module, int proto_level);
/* A module's level as a name ("info", or "notice" and the like when EAL set one). */
const char *vsw_log_level(const char *module);

/* Install the one-line-per-event stream (before rte_eal_init). NULL and errno. */
FILE *vsw_log_open(void);
/* Back to DPDK's default stream, and close (after rte_eal_cleanup). */
void vsw_log_close(FILE *f);

#endif
