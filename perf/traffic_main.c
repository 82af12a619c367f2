/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw-traffic: attach to a vhost-user socket as the VM side (DPDK
 * virtio-user) and send a pcap or a generated stream, capture what comes
 * back, and print one JSON line of counters at exit.
 *
 * Exit status: 0 done, 1 --expect not reached, 2 error (one line on stderr).
 * This file: signals, start-up order, the link wait, teardown.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "traffic_gen.h"
#include "traffic_opts.h"
#include "traffic_pcap.h"
#include "traffic_port.h"
#include "traffic_run.h"

#define EXIT_OK 0
#define EXIT_NOT_REACHED 1
#define EXIT_ERROR 2

/* The one thing a signal handler can reach; everything else is passed. */
static volatile sig_atomic_t stop_requested;

static void
on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* SIGALRM only has to interrupt a blocking accept() (server mode). */
static void
on_alarm(int sig)
{
	(void)sig;
}

static void
install_signals(sigset_t *ours)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: interrupt blocking calls */
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	/* A write to a vhost-user socket whose peer is gone must not kill us. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	sigemptyset(ours);
	sigaddset(ours, SIGINT);
	sigaddset(ours, SIGTERM);
	sigaddset(ours, SIGALRM);
}

/* 0 when the link is up (or --wait-link 0), -ETIMEDOUT, -EINTR on a signal. */
static int
wait_link(struct vsw_traffic_port *port, const struct vsw_traffic_opts *o)
{
	const uint64_t deadline = rte_get_tsc_cycles() +
				  (uint64_t)(o->wait_link * (double)rte_get_tsc_hz());
	const struct timespec nap = { 0, 10 * 1000 * 1000L };

	if (o->wait_link == 0)
		return 0;
	for (;;) {
		if (stop_requested)
			return -EINTR;
		if (vsw_traffic_port_poll(port) == 1)
			return 0;
		if (rte_get_tsc_cycles() >= deadline)
			return -ETIMEDOUT;
		nanosleep(&nap, NULL);
	}
}

/* Attach every --socket. 0, or -errno with err filled. */
static int
open_ports(struct vsw_traffic_run *run, struct vsw_traffic_port *ports,
	   const struct vsw_traffic_opts *o, char *err, size_t errlen)
{
	for (unsigned int i = 0; i < o->n_sockets; i++) {
		uint64_t t0 = rte_get_tsc_cycles();
		int rc = vsw_traffic_port_open(&ports[i], o, i);

		run->lanes[i].port = &ports[i];
		run->n_lanes = i + 1;
		if (rc == 0 || rc == -EAGAIN)
			continue;
		if (stop_requested)
			return -EINTR;
		/* Server mode: SIGALRM ended the wait in accept(). */
		if (o->server && o->wait_link > 0 &&
		    rte_get_tsc_cycles() - t0 >= (uint64_t)(o->wait_link * 0.9 *
							    (double)rte_get_tsc_hz()))
			snprintf(err, errlen, "no switch connected to %s within %g s (--wait-link)",
				 o->sockets[i], o->wait_link);
		else /* the vdev probe reports -1 whatever went wrong */
			snprintf(err, errlen, "cannot attach to %s: %s%s", o->sockets[i],
				 rc == -1 ? "virtio-user probe failed" : rte_strerror(-rc),
				 o->verbose ? "" : " (--verbose shows why)");
		return rc;
	}
	return 0;
}

/* A generator for each sending port. 0, or -errno with err filled. */
static int
open_gens(struct vsw_traffic_run *run, struct vsw_traffic_gen *gens,
	  const struct vsw_traffic_opts *o, char *err, size_t errlen)
{
	unsigned int n = !o->gen ? 0 : o->bidir ? 2 : 1;

	for (unsigned int i = 0; i < n; i++) {
		char pool[32];
		int rc;

		snprintf(pool, sizeof(pool), "vsw_tgen%u", i);
		rc = vsw_traffic_gen_init(&gens[i], o, i == 1,
					  (uint16_t)((unsigned int)getpid() * 2 + i), pool);
		if (rc < 0) {
			snprintf(err, errlen, "cannot create the frame pool: %s", rte_strerror(-rc));
			for (unsigned int j = 0; j < i; j++)
				vsw_traffic_gen_fini(&gens[j]);
			return rc;
		}
		run->lanes[i].gen = &gens[i];
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct vsw_traffic_opts opts;
	struct vsw_traffic_port ports[VSW_TRAFFIC_MAX_PORTS] = { 0 };
	struct vsw_traffic_gen gens[VSW_TRAFFIC_MAX_PORTS];
	struct vsw_traffic_pcap_reader reader;
	struct vsw_traffic_pcap_writer writer;
	static struct vsw_traffic_run run; /* the latency histogram: 30 KiB */
	char err[512] = "";
	sigset_t ours;
	int rc, status = EXIT_ERROR;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (vsw_traffic_opts_parse(&opts, argc, argv, stderr) < 0) {
		fprintf(stderr, "vsw-traffic: try --help\n");
		vsw_traffic_report(&run, stdout);
		return EXIT_ERROR;
	}
	if (opts.help) {
		vsw_traffic_opts_usage(stdout, argv[0]);
		return EXIT_OK;
	}

	/* EAL threads inherit this mask: our signals reach the main thread. */
	install_signals(&ours);
	pthread_sigmask(SIG_BLOCK, &ours, NULL);
	rc = vsw_traffic_eal_init(&opts, argv[0]);
	pthread_sigmask(SIG_UNBLOCK, &ours, NULL);
	if (rc < 0) {
		fprintf(stderr, "vsw-traffic: EAL initialisation failed: %s%s\n",
			rte_strerror(-rc), opts.verbose ? "" : " (--verbose shows why)");
		vsw_traffic_report(&run, stdout);
		return EXIT_ERROR;
	}

	run.opts = &opts;
	run.stop = &stop_requested;
	if (opts.capture != NULL) {
		if (vsw_traffic_pcap_writer_open(&writer, opts.capture, err,
						 sizeof(err)) < 0)
			goto err_cleanup_eal;
		run.writer = &writer;
	}
	if (opts.send_pcap != NULL) {
		if (vsw_traffic_pcap_reader_open(&reader, opts.send_pcap, opts.loops,
						 err, sizeof(err)) < 0)
			goto err_close_writer;
		run.reader = &reader;
	}
	if (open_gens(&run, gens, &opts, err, sizeof(err)) < 0)
		goto err_close_reader;

	if (stop_requested) /* a signal during EAL init, delivered on unblock */
		goto stopped;
	rc = open_ports(&run, ports, &opts, err, sizeof(err));
	if (rc == -EINTR)
		goto stopped;
	if (rc < 0)
		goto err_close_ports;
	for (unsigned int i = 0; i < run.n_lanes; i++) {
		rc = wait_link(&ports[i], &opts);
		if (rc == -EINTR)
			goto stopped;
		if (rc < 0) {
			snprintf(err, sizeof(err),
				 "link on %s never came up within %g s (--wait-link)%s",
				 opts.sockets[i], opts.wait_link,
				 ports[i].attached ? "" : ": cannot connect to the socket");
			goto err_close_ports;
		}
	}

	rc = vsw_traffic_run(&run);
	if (rc < 0) {
		snprintf(err, sizeof(err), "%s", run.err);
		goto err_close_ports;
	}
stopped:
	status = opts.expect > 0 && run.stats.rx_packets < opts.expect ?
			 EXIT_NOT_REACHED : EXIT_OK;
err_close_ports:
	for (unsigned int i = 0; i < run.n_lanes; i++)
		vsw_traffic_port_close(&ports[i]);
	for (unsigned int i = 0; i < VSW_TRAFFIC_MAX_PORTS; i++)
		if (run.lanes[i].gen != NULL)
			vsw_traffic_gen_fini(run.lanes[i].gen);
err_close_reader:
	if (run.reader != NULL)
		vsw_traffic_pcap_reader_close(&reader);
err_close_writer:
	if (run.writer != NULL)
		vsw_traffic_pcap_writer_close(&writer);
err_cleanup_eal:
	vsw_traffic_eal_cleanup();
	if (status == EXIT_ERROR)
		fprintf(stderr, "vsw-traffic: %s\n", err);
	vsw_traffic_report(&run, stdout);
	return status;
}
