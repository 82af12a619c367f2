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

static void
print_result(const struct vsw_traffic_stats *s)
{
	printf("{\"tx_packets\":%" PRIu64 ",\"tx_bytes\":%" PRIu64
	       ",\"rx_packets\":%" PRIu64 ",\"rx_bytes\":%" PRIu64
	       ",\"seconds\":%.6f}\n",
	       s->tx_packets, s->tx_bytes, s->rx_packets, s->rx_bytes, s->seconds);
	fflush(stdout);
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

int
main(int argc, char **argv)
{
	struct vsw_traffic_opts opts;
	struct vsw_traffic_port port = { 0 };
	struct vsw_traffic_gen gen;
	struct vsw_traffic_pcap_reader reader;
	struct vsw_traffic_pcap_writer writer;
	struct vsw_traffic_run run = { 0 };
	char err[512] = "";
	sigset_t ours;
	uint64_t t0;
	int rc, status = EXIT_ERROR;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (vsw_traffic_opts_parse(&opts, argc, argv, stderr) < 0) {
		fprintf(stderr, "vsw-traffic: try --help\n");
		print_result(&run.stats);
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
		print_result(&run.stats);
		return EXIT_ERROR;
	}

	run.opts = &opts;
	run.port = &port;
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
	if (opts.gen) {
		vsw_traffic_gen_init(&gen, &opts);
		run.gen = &gen;
	}

	if (stop_requested) /* a signal during EAL init, delivered on unblock */
		goto stopped;
	t0 = rte_get_tsc_cycles();
	rc = vsw_traffic_port_open(&port, &opts);
	if (rc < 0 && rc != -EAGAIN) {
		if (stop_requested)
			goto stopped;
		/* Server mode: SIGALRM ended the wait in accept(). */
		if (opts.server && opts.wait_link > 0 &&
		    rte_get_tsc_cycles() - t0 >= (uint64_t)(opts.wait_link * 0.9 *
							    (double)rte_get_tsc_hz()))
			snprintf(err, sizeof(err),
				 "no switch connected to %s within %g s (--wait-link)",
				 opts.socket, opts.wait_link);
		else /* the vdev probe reports -1 whatever went wrong */
			snprintf(err, sizeof(err), "cannot attach to %s: %s%s", opts.socket,
				 rc == -1 ? "virtio-user probe failed" : rte_strerror(-rc),
				 opts.verbose ? "" : " (--verbose shows why)");
		goto err_close_port;
	}
	rc = wait_link(&port, &opts);
	if (rc == -EINTR)
		goto stopped;
	if (rc < 0) {
		snprintf(err, sizeof(err), "link on %s never came up within %g s (--wait-link)%s",
			 opts.socket, opts.wait_link,
			 port.attached ? "" : ": cannot connect to the socket");
		goto err_close_port;
	}

	rc = vsw_traffic_run(&run);
	if (rc < 0) {
		snprintf(err, sizeof(err), "%s", run.err);
		goto err_close_port;
	}
stopped:
	status = opts.expect > 0 && run.stats.rx_packets < opts.expect ?
			 EXIT_NOT_REACHED : EXIT_OK;
err_close_port:
	vsw_traffic_port_close(&port);
	if (run.reader != NULL)
		vsw_traffic_pcap_reader_close(&reader);
err_close_writer:
	if (run.writer != NULL)
		vsw_traffic_pcap_writer_close(&writer);
err_cleanup_eal:
	vsw_traffic_eal_cleanup();
	if (status == EXIT_ERROR)
		fprintf(stderr, "vsw-traffic: %s\n", err);
	print_result(&run.stats);
	return status;
}
