/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-traffic: EAL arguments and the virtio-user port's life cycle. */

#include "traffic_port.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>

/* Receive rings full on every queue, and as much again in flight. */
#define NB_MBUF(queues) ((queues) * VSW_TRAFFIC_QUEUE_SIZE * 2u + 4095u)
#define MBUF_CACHE 256
#define NOHUGE_MEM_MB "512"
#define QUIET_LOG_LEVEL "--log-level=3" /* RTE_LOG_CRIT: errors are ours */
#define EAL_ARGV_MAX 24

int
vsw_traffic_eal_init(const struct vsw_traffic_opts *o, const char *prog)
{
	/* EAL may keep pointers into its argv for the process lifetime. */
	static char prefix[VSW_TRAFFIC_NAME_MAX + 16];
	static char lcores[32];
	static char *argv[EAL_ARGV_MAX];
	int argc = 0, rc;

	snprintf(prefix, sizeof(prefix), "vsw-traffic-%s", o->name);
	snprintf(lcores, sizeof(lcores), "0@%u", o->lcore_cpu);

	argv[argc++] = (char *)prog;
	if (o->huge) {
		/* 2 MiB pages: one file per segment list, else virtio-user
		 * exceeds the vhost-user memory region limit. */
		argv[argc++] = "--in-memory";
		argv[argc++] = "--single-file-segments";
	} else {
		/* --no-huge implies legacy memory, which rejects --in-memory. */
		argv[argc++] = "--no-huge";
		argv[argc++] = "-m";
		argv[argc++] = NOHUGE_MEM_MB;
		argv[argc++] = "--no-shconf";
	}
	argv[argc++] = "--no-pci";
	argv[argc++] = "--no-telemetry";
	argv[argc++] = "--iova-mode=va";
	argv[argc++] = "--file-prefix";
	argv[argc++] = prefix;
	argv[argc++] = "--lcores";
	argv[argc++] = lcores;
	if (!o->verbose)
		argv[argc++] = QUIET_LOG_LEVEL;
	argv[argc] = NULL;

	if (o->verbose) {
		fprintf(stderr, "vsw-traffic: EAL args:");
		for (int i = 1; i < argc; i++)
			fprintf(stderr, " %s", argv[i]);
		fprintf(stderr, "\n");
	}
	/* EAL logs to stdout by default; stdout carries our results. */
	rte_openlog_stream(stderr);
	rc = rte_eal_init(argc, argv);
	if (rc < 0)
		return rte_errno > 0 ? -rte_errno : -EINVAL;
	return 0;
}

void
vsw_traffic_eal_cleanup(void)
{
	char dir[PATH_MAX];

	/* EAL leaves its (empty, with --no-shconf/--in-memory) runtime
	 * directory behind; a pid-named one per run adds up. */
	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	if (dir[0] != '\0')
		rmdir(dir);
}

/* EAL interrupt thread. */
static int
lsc_event(uint16_t port_id, enum rte_eth_event_type type, void *arg,
	  void *ret_param)
{
	struct vsw_traffic_port *p = arg;

	(void)port_id;
	(void)type;
	(void)ret_param;
	atomic_store(&p->lsc, true);
	return 0;
}

/*
 * Server mode: a socket file left by an earlier run makes bind() fail.
 * Remove it only when it is a socket nobody listens on.
 */
static void
remove_stale_socket(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;

	if (stat(path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return;
	if (strlen(path) >= sizeof(sun.sun_path))
		return;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 &&
	    errno == ECONNREFUSED)
		unlink(path);
	close(fd);
}

/* Server mode: bound the blocking accept() in the probe by SIGALRM. */
static void
arm_timer(double seconds)
{
	struct itimerval it = { 0 };

	it.it_value.tv_sec = (time_t)seconds;
	it.it_value.tv_usec = (suseconds_t)((seconds - (double)it.it_value.tv_sec) * 1e6);
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0 && seconds > 0)
		it.it_value.tv_usec = 1;
	setitimer(ITIMER_REAL, &it, NULL);
}

static int
setup_port(struct vsw_traffic_port *p)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	int socket = (int)rte_socket_id();
	int rc;

	rc = rte_eth_dev_info_get(p->port_id, &info);
	if (rc < 0)
		return rc;
	p->lsc_on = info.dev_flags != NULL && (*info.dev_flags & RTE_ETH_DEV_INTR_LSC);
	conf.intr_conf.lsc = p->lsc_on;
	rc = rte_eth_dev_configure(p->port_id, p->opts->queues, p->opts->queues, &conf);
	if (rc < 0)
		return rc;
	for (uint16_t q = 0; q < p->opts->queues; q++) {
		/* Fill the whole virtqueue: 0 would mean ethdev's default of 512. */
		rc = rte_eth_rx_queue_setup(p->port_id, q, VSW_TRAFFIC_QUEUE_SIZE, socket,
					    NULL, p->mp);
		if (rc < 0)
			return rc;
		rc = rte_eth_tx_queue_setup(p->port_id, q, VSW_TRAFFIC_QUEUE_SIZE, socket,
					    NULL);
		if (rc < 0)
			return rc;
	}
	if (conf.intr_conf.lsc) {
		rc = rte_eth_dev_callback_register(p->port_id, RTE_ETH_EVENT_INTR_LSC,
						   lsc_event, p);
		if (rc < 0)
			return rc;
	}
	return rte_eth_dev_start(p->port_id);
}

static void
log_attached(const struct vsw_traffic_port *p)
{
	struct rte_ether_addr mac = { 0 };
	char buf[RTE_ETHER_ADDR_FMT_SIZE];

	rte_eth_macaddr_get(p->port_id, &mac);
	rte_ether_format_addr(buf, sizeof(buf), &mac);
	fprintf(stderr, "vsw-traffic: port %u attached (%s, %s), mac %s, lsc %s\n",
		p->port_id, p->opts->server ? "server" : "client", p->devargs, buf,
		p->lsc_on ? "on" : "off");
}

static int
attach(struct vsw_traffic_port *p)
{
	const char *args = strchr(p->devargs, ',') + 1;
	int rc;

	if (p->opts->server) {
		remove_stale_socket(p->socket);
		if (p->opts->wait_link > 0)
			arm_timer(p->opts->wait_link);
	}
	rc = rte_eal_hotplug_add("vdev", p->devname, args);
	if (p->opts->server)
		arm_timer(0);
	if (rc < 0)
		return rc;
	rc = rte_eth_dev_get_port_by_name(p->devname, &p->port_id);
	if (rc < 0)
		goto err_remove;
	rc = setup_port(p);
	if (rc < 0)
		goto err_close;
	p->attached = true;
	p->attaches++;
	if (p->opts->verbose)
		log_attached(p);
	return 0;

err_close:
	rte_eth_dev_callback_unregister(p->port_id, RTE_ETH_EVENT_INTR_LSC,
					lsc_event, p);
	rte_eth_dev_close(p->port_id);
err_remove:
	rte_eal_hotplug_remove("vdev", p->devname);
	return rc;
}

static void
detach(struct vsw_traffic_port *p)
{
	if (!p->attached)
		return;
	/* -EAGAIN: the callback is running on the interrupt thread. */
	while (rte_eth_dev_callback_unregister(p->port_id, RTE_ETH_EVENT_INTR_LSC,
					       lsc_event, p) == -EAGAIN)
		rte_delay_us_sleep(100);
	rte_eth_dev_stop(p->port_id);
	rte_eth_dev_close(p->port_id);
	rte_eal_hotplug_remove("vdev", p->devname);
	p->attached = false;
}

int
vsw_traffic_port_open(struct vsw_traffic_port *p, const struct vsw_traffic_opts *o,
		      unsigned int index)
{
	const uint8_t *mac = index == 0 ? o->src_mac : o->dst_mac;
	char pool[32];
	int rc;

	memset(p, 0, sizeof(*p));
	p->opts = o;
	p->index = index;
	p->socket = o->sockets[index];
	atomic_init(&p->lsc, false);
	snprintf(p->devname, sizeof(p->devname), "net_virtio_user%u", index);
	/* The part before the first ',' names the device, as in --vdev. The
	 * device MAC is --src-mac (the second port's: --dst-mac), else
	 * virtio-user makes up one per probe. */
	rc = snprintf(p->devargs, sizeof(p->devargs),
		      "%s,path=%s,queues=%u,queue_size=%u,"
		      "mac=%02x:%02x:%02x:%02x:%02x:%02x%s",
		      p->devname, p->socket, o->queues, VSW_TRAFFIC_QUEUE_SIZE, mac[0], mac[1],
		      mac[2], mac[3], mac[4], mac[5], o->server ? ",server=1" : "");
	if (rc < 0 || (size_t)rc >= sizeof(p->devargs))
		return -ENAMETOOLONG;

	snprintf(pool, sizeof(pool), "vsw_traffic%u", index);
	p->mp = rte_pktmbuf_pool_create(pool, NB_MBUF(o->queues), MBUF_CACHE, 0,
					RTE_MBUF_DEFAULT_BUF_SIZE,
					(int)rte_socket_id());
	if (p->mp == NULL)
		return -rte_errno;

	rc = attach(p);
	if (rc < 0) {
		if (o->server)
			goto err_free_pool;
		/* Client: the switch may not be there yet; poll retries. */
		p->next_retry_tsc = rte_get_tsc_cycles() +
				    rte_get_tsc_hz() * VSW_TRAFFIC_RETRY_MS / 1000;
		return -EAGAIN;
	}
	return 0;

err_free_pool:
	rte_mempool_free(p->mp);
	p->mp = NULL;
	return rc;
}

/* Remember the link state; say so on a change when --verbose. */
static int
set_link(struct vsw_traffic_port *p, bool up)
{
	if (up != p->link_up && p->opts->verbose)
		fprintf(stderr, "vsw-traffic: link %s on %s\n", up ? "up" : "down",
			p->socket);
	p->link_up = up;
	return up;
}

int
vsw_traffic_port_poll(struct vsw_traffic_port *p)
{
	const uint64_t now = rte_get_tsc_cycles();
	const uint64_t retry = rte_get_tsc_hz() * VSW_TRAFFIC_RETRY_MS / 1000;
	struct rte_eth_link link;

	atomic_store(&p->lsc, false);
	if (!p->attached) {
		if (p->opts->server || p->mp == NULL || now < p->next_retry_tsc)
			return 0;
		p->next_retry_tsc = now + retry;
		if (attach(p) < 0)
			return 0;
	}
	if (p->down_tsc != 0) {
		/*
		 * Client mode, peer gone: the PMD never reconnects by itself, so
		 * we re-attach. Not at once: each link read that finds the peer
		 * gone arms a 1 us EAL alarm that still uses the device; wait
		 * VSW_TRAFFIC_SETTLE_MS without reading the link again.
		 */
		if (now - p->down_tsc >= rte_get_tsc_hz() * VSW_TRAFFIC_SETTLE_MS / 1000) {
			detach(p);
			p->down_tsc = 0;
			p->next_retry_tsc = now + retry;
		}
		return set_link(p, false);
	}
	memset(&link, 0, sizeof(link));
	if (rte_eth_link_get_nowait(p->port_id, &link) < 0)
		return set_link(p, false);
	if (link.link_status == RTE_ETH_LINK_UP)
		return set_link(p, true);
	if (!p->opts->server)
		p->down_tsc = now;
	return set_link(p, false);
}

void
vsw_traffic_port_close(struct vsw_traffic_port *p)
{
	if (p->attached && p->down_tsc != 0)
		rte_delay_us_sleep(VSW_TRAFFIC_SETTLE_MS * 1000); /* see poll */
	detach(p);
	if (p->mp != NULL) {
		rte_mempool_free(p->mp);
		p->mp = NULL;
	}
	if (p->opts != NULL && p->opts->server)
		remove_stale_socket(p->socket);
}
