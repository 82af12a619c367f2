/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Underlay resolution against the real kernel. Needs root: the test process
 * moves into a network namespace of its own (unshare), with
 *
 *   up0 198.51.100.1/25 (02:00:00:00:01:01)  <-veth->  peer0 198.51.100.2/25
 *                                                      (02:00:00:00:01:02, in a
 *                                                      second namespace held by
 *                                                      a child: it answers ARP)
 *   other0 198.51.100.129/25  <-veth->  other1
 *   neighbours 198.51.100.9 -> 02:00:00:00:00:09, 198.51.100.10 -> ..:0a (permanent)
 *   192.0.2.0/26  via 198.51.100.9 dev up0
 *   192.0.2.64/26 via 198.51.100.130 dev other0
 *
 * Both namespaces go away with the processes, whatever happens: the test's
 * own with the test, the peer's child by PR_SET_PDEATHSIG when the test dies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "underlay.h"

struct fixture {
	pid_t peer; /* holds the peer namespace */
	struct vsw_underlay *u;
};

static const uint8_t MAC_9[6] = { 2, 0, 0, 0, 0, 0x09 };
static const uint8_t MAC_10[6] = { 2, 0, 0, 0, 0, 0x0a };
static const uint8_t MAC_99[6] = { 2, 0, 0, 0, 0, 0x99 };
static const uint8_t MAC_PEER[6] = { 2, 0, 0, 0, 1, 0x02 };

__attribute__((format(printf, 1, 2)))
static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "failed (%d): %s\n", rc, cmd);
	return rc;
}

static uint32_t ip4(const char *s)
{
	uint32_t a = 0;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* A child in a fresh network namespace, killed when we die. */
static pid_t peer_start(void)
{
	pid_t parent = getpid(), pid;
	int p[2];
	char c = 0;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent ||
		    unshare(CLONE_NEWNET) < 0)
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (pid > 0 && read(p[0], &c, 1) != 1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(p[0]);
	return pid;
}

/* Poll for up to `ms`: the first non-zero vsw_underlay_process(), or 0. */
static int wait_change(struct vsw_underlay *u, int ms)
{
	struct pollfd pfd = { .fd = vsw_underlay_fd(u), .events = POLLIN };
	int left = ms;

	while (left > 0) {
		int rc;

		if (poll(&pfd, 1, left > 50 ? 50 : left) > 0) {
			rc = vsw_underlay_process(u);
			if (rc != 0)
				return rc;
		}
		left -= 50;
	}
	return 0;
}

/* Until nothing relevant has come for 300 ms (link events trail by up to a second). */
static void quiesce(struct vsw_underlay *u)
{
	int i;

	for (i = 0; i < 20 && wait_change(u, 300) != 0; i++)
		;
}

static int setup(void **state)
{
	static struct fixture f;
	int rc = 0;

	if (unshare(CLONE_NEWNET) < 0) {
		fprintf(stderr, "unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return -1;
	}
	f.peer = peer_start();
	if (f.peer < 0)
		return -1;
	/* IPv6 off: its link-local chatter is noise for the quiet checks below. */
	(void)system("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1");
	rc |= sh("ip link set lo up");
	rc |= sh("ip link add up0 address 02:00:00:00:01:01 type veth"
		 " peer name peer0 address 02:00:00:00:01:02");
	rc |= sh("ip link add other0 type veth peer name other1");
	rc |= sh("ip link set peer0 netns %d", (int)f.peer);
	rc |= sh("nsenter --net=/proc/%d/ns/net sh -c 'ip link set lo up &&"
		 " ip addr add 198.51.100.2/25 dev peer0 && ip link set peer0 up'", (int)f.peer);
	rc |= sh("ip addr add 198.51.100.1/25 dev up0 && ip link set up0 up");
	rc |= sh("ip addr add 198.51.100.129/25 dev other0 && ip link set other0 up &&"
		 " ip link set other1 up");
	rc |= sh("ip neigh add 198.51.100.9 lladdr 02:00:00:00:00:09 dev up0 nud permanent");
	rc |= sh("ip neigh add 198.51.100.10 lladdr 02:00:00:00:00:0a dev up0 nud permanent");
	rc |= sh("ip route add 192.0.2.0/26 via 198.51.100.9 dev up0");
	rc |= sh("ip route add 192.0.2.64/26 via 198.51.100.130 dev other0");
	f.u = vsw_underlay_open();
	if (rc != 0 || !f.u) {
		vsw_underlay_close(f.u);
		kill(f.peer, SIGKILL);
		waitpid(f.peer, NULL, 0);
		return -1;
	}
	quiesce(f.u);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	vsw_underlay_close(f->u);
	kill(f->peer, SIGKILL);
	waitpid(f->peer, NULL, 0);
	return 0;
}

static void resolve(struct fixture *f, const char *uplink, const char *ip, struct vsw_nexthop *nh)
{
	assert_int_equal(vsw_underlay_resolve(f->u, uplink, ip4(ip), nh), 0);
}

static void test_onlink_permanent(void **state)
{
	struct vsw_nexthop nh;

	resolve(*state, "up0", "198.51.100.9", &nh);
	assert_true(nh.resolved);
	assert_memory_equal(nh.mac, MAC_9, 6);
	assert_int_equal(nh.via, ip4("198.51.100.9"));
	assert_string_equal(nh.ifname, "up0");
	assert_string_equal(nh.reason, "");
}

static void test_gateway(void **state)
{
	struct vsw_nexthop nh;

	resolve(*state, "up0", "192.0.2.10", &nh);
	assert_true(nh.resolved);
	assert_memory_equal(nh.mac, MAC_9, 6);
	assert_int_equal(nh.via, ip4("198.51.100.9"));
	assert_string_equal(nh.ifname, "up0");
}

static void test_other_interface(void **state)
{
	struct vsw_nexthop nh;

	resolve(*state, "up0", "192.0.2.70", &nh);
	assert_false(nh.resolved);
	assert_string_equal(nh.reason, "route to 192.0.2.70 is via other0, not the uplink up0");
	assert_string_equal(nh.ifname, "other0");
	resolve(*state, "nosuch0", "198.51.100.9", &nh);
	assert_false(nh.resolved);
	assert_string_equal(nh.reason, "route to 198.51.100.9 is via up0, not the uplink nosuch0");
}

static void test_no_route(void **state)
{
	struct vsw_nexthop nh;

	resolve(*state, "up0", "192.0.2.200", &nh);
	assert_false(nh.resolved);
	assert_string_equal(nh.reason, "no route to 192.0.2.200");
	resolve(*state, "up0", "198.51.100.1", &nh);
	assert_false(nh.resolved);
	assert_string_equal(nh.reason, "198.51.100.1 is a local address");
	resolve(*state, "", "198.51.100.9", &nh);
	assert_false(nh.resolved);
	assert_string_equal(nh.reason, "no uplink interface");
}

/* The peer answers ARP: unresolved at first, resolved after the prompt. */
static void test_missing_neighbour_answered(void **state)
{
	struct fixture *f = *state;
	struct vsw_nexthop nh;
	int i, notified = 0;

	resolve(f, "up0", "198.51.100.2", &nh);
	assert_false(nh.resolved);
	assert_string_equal(nh.reason, "neighbour 198.51.100.2 on up0 not resolved yet");
	assert_int_equal(nh.via, ip4("198.51.100.2"));
	for (i = 0; i < 20 && !nh.resolved; i++) {
		notified |= wait_change(f->u, 100) == 1;
		resolve(f, "up0", "198.51.100.2", &nh);
	}
	assert_true(notified);
	assert_true(nh.resolved);
	assert_memory_equal(nh.mac, MAC_PEER, 6);
	quiesce(f->u);
}

static void test_quiet_is_zero(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(vsw_underlay_process(f->u), 0);
	/* Neighbour notifications that are not IPv4 ARP: a bridge FDB entry. */
	assert_int_equal(sh("bridge fdb add 02:00:00:00:00:77 dev other1 self permanent"), 0);
	assert_int_equal(wait_change(f->u, 200), 0);
}

static void test_neigh_change_notifies(void **state)
{
	struct fixture *f = *state;
	struct vsw_nexthop nh;

	assert_int_equal(wait_change(f->u, 200), 0);
	assert_int_equal(sh("ip neigh replace 198.51.100.9 lladdr 02:00:00:00:00:99 dev up0"
			    " nud permanent"), 0);
	assert_int_equal(wait_change(f->u, 1000), 1);
	resolve(f, "up0", "192.0.2.10", &nh);
	assert_true(nh.resolved);
	assert_memory_equal(nh.mac, MAC_99, 6);

	assert_int_equal(sh("ip neigh replace 198.51.100.9 lladdr 02:00:00:00:00:09 dev up0"
			    " nud permanent"), 0);
	assert_int_equal(wait_change(f->u, 1000), 1);
	resolve(f, "up0", "192.0.2.10", &nh);
	assert_memory_equal(nh.mac, MAC_9, 6);
}

static void test_route_change_notifies(void **state)
{
	struct fixture *f = *state;
	struct vsw_nexthop nh;

	assert_int_equal(wait_change(f->u, 200), 0);
	assert_int_equal(sh("ip route replace 192.0.2.0/26 via 198.51.100.10 dev up0"), 0);
	assert_int_equal(wait_change(f->u, 1000), 1);
	resolve(f, "up0", "192.0.2.10", &nh);
	assert_true(nh.resolved);
	assert_memory_equal(nh.mac, MAC_10, 6);
	assert_int_equal(nh.via, ip4("198.51.100.10"));

	assert_int_equal(sh("ip route replace 192.0.2.0/26 via 198.51.100.130 dev other0"), 0);
	assert_int_equal(wait_change(f->u, 1000), 1);
	resolve(f, "up0", "192.0.2.10", &nh);
	assert_false(nh.resolved);
	assert_string_equal(nh.reason, "route to 192.0.2.10 is via other0, not the uplink up0");

	assert_int_equal(sh("ip route replace 192.0.2.0/26 via 198.51.100.9 dev up0"), 0);
	assert_int_equal(wait_change(f->u, 1000), 1);
	resolve(f, "up0", "192.0.2.10", &nh);
	assert_memory_equal(nh.mac, MAC_9, 6);
}

/* Only what vtep-set carries is a change; two VTEPs behind one gateway both change. */
static void test_refresh_flags_changes(void **state)
{
	struct fixture *f = *state;
	struct vsw_underlay_vtep v[3] = {
		{ .ip = ip4("198.51.100.9") },
		{ .ip = ip4("192.0.2.10") },
		{ .ip = ip4("192.0.2.200") },
	};

	assert_int_equal(vsw_underlay_refresh(f->u, "up0", v, 3), 3); /* all new */
	assert_true(v[0].changed && v[1].changed && v[2].changed);
	assert_true(v[1].nh.resolved);
	assert_false(v[2].nh.resolved);
	assert_int_equal(vsw_underlay_timeout_ms(f->u), -1); /* nothing waits on ARP */

	assert_int_equal(vsw_underlay_refresh(f->u, "up0", v, 3), 0);
	assert_false(v[0].changed || v[1].changed || v[2].changed);

	assert_int_equal(sh("ip neigh replace 198.51.100.9 lladdr 02:00:00:00:00:99 dev up0"
			    " nud permanent"), 0);
	assert_int_equal(wait_change(f->u, 1000), 1);
	assert_int_equal(vsw_underlay_refresh(f->u, "up0", v, 3), 2);
	assert_true(v[0].changed && v[1].changed);
	assert_false(v[2].changed);
	assert_memory_equal(v[1].nh.mac, MAC_99, 6);

	/* A new uplink name: every VTEP's route is now elsewhere. */
	assert_int_equal(vsw_underlay_refresh(f->u, "other0", v, 3), 2);
	assert_false(v[0].nh.resolved || v[1].nh.resolved);

	assert_int_equal(sh("ip neigh replace 198.51.100.9 lladdr 02:00:00:00:00:09 dev up0"
			    " nud permanent"), 0);
	assert_int_equal(vsw_underlay_refresh(f->u, "up0", v, 3), 2);
	assert_memory_equal(v[0].nh.mac, MAC_9, 6);
}

/* neigh_show("198.51.100.2"): the kernel's line for it on up0, "" when none. */
static void neigh_show(const char *ip, char *line, size_t len)
{
	char cmd[128];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ip neigh show %s dev up0", ip);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (!fgets(line, (int)len, p))
		line[0] = '\0';
	pclose(p);
}

/* A stale entry is an answer, and the kernel is asked to confirm it. */
static void test_stale_is_reconfirmed(void **state)
{
	struct fixture *f = *state;
	struct vsw_nexthop nh;
	char line[256];

	assert_int_equal(sh("ip neigh replace 198.51.100.2 lladdr 02:00:00:00:01:02 dev up0"
			    " nud stale"), 0);
	resolve(f, "up0", "198.51.100.2", &nh);
	assert_true(nh.resolved);
	assert_memory_equal(nh.mac, MAC_PEER, 6);
	neigh_show("198.51.100.2", line, sizeof(line));
	assert_non_null(strstr(line, "DELAY")); /* the prompt's datagram set the kernel probing */
}

/* Nobody answers: unresolved, the kernel was prompted, and a retry is due. */
static void test_missing_neighbour_silent(void **state)
{
	struct fixture *f = *state;
	struct vsw_underlay_vtep v = { .ip = ip4("198.51.100.3") };
	char line[256];
	int t;

	assert_int_equal(vsw_underlay_refresh(f->u, "up0", &v, 1), 1);
	assert_false(v.nh.resolved);
	assert_string_equal(v.nh.reason, "neighbour 198.51.100.3 on up0 not resolved yet");
	t = vsw_underlay_timeout_ms(f->u);
	assert_true(t > 0 && t <= 1000);

	neigh_show("198.51.100.3", line, sizeof(line));
	assert_non_null(strstr(line, "INCOMPLETE")); /* the prompt made the kernel ask */

	/* Within the interval, a refresh prompts nothing more and keeps the deadline. */
	assert_int_equal(vsw_underlay_refresh(f->u, "up0", &v, 1), 0);
	assert_true(vsw_underlay_timeout_ms(f->u) <= t);
}

/* ---- pure: no namespace needed ---- */

static void test_format(void **state)
{
	struct vsw_nexthop nh = { .resolved = true, .mac = { 2, 0, 0x5e, 0, 0x53, 1 },
				  .ifname = "up0" };
	char buf[200];

	(void)state;
	vsw_nexthop_format(&nh, buf, sizeof(buf));
	assert_string_equal(buf, "resolved 02:00:5e:00:53:01 via up0");
	nh.resolved = false;
	snprintf(nh.reason, sizeof(nh.reason), "no route to 192.0.2.1");
	vsw_nexthop_format(&nh, buf, sizeof(buf));
	assert_string_equal(buf, "unresolved: no route to 192.0.2.1");
}

static void test_port_ifname(void **state)
{
	char ifname[16];

	(void)state;
	assert_int_equal(vsw_underlay_port_ifname("tap", "up0", NULL, ifname), 0);
	assert_string_equal(ifname, "up0");
	assert_int_equal(vsw_underlay_port_ifname("dpdk", "up", "net_af_packet0,iface=veth3,qpairs=1",
						  ifname), 0);
	assert_string_equal(ifname, "veth3");
	assert_int_equal(vsw_underlay_port_ifname("dpdk", "up", "net_pcap0,iface=eth1", ifname), 0);
	assert_string_equal(ifname, "eth1");
	assert_int_equal(vsw_underlay_port_ifname("dpdk", "up", "0000:03:00.0", ifname), -ENODEV);
	assert_string_equal(ifname, "");
	assert_int_equal(vsw_underlay_port_ifname("dpdk", "up", "net_af_packet0,xiface=a", ifname),
			 -ENODEV);
	assert_int_equal(vsw_underlay_port_ifname("dpdk", "up", "net_af_packet0,iface=", ifname),
			 -ENODEV);
	assert_int_equal(vsw_underlay_port_ifname("dpdk", "up",
						  "net_af_packet0,iface=abcdefghijklmnop", ifname),
			 -ENAMETOOLONG);
	assert_int_equal(vsw_underlay_port_ifname("vhost-user", "vm1", NULL, ifname), -ENODEV);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_port_ifname),
	};
	/* In this order: the silent neighbour's ARP failure comes last, after the quiet checks. */
	const struct CMUnitTest kernel[] = {
		cmocka_unit_test(test_onlink_permanent),
		cmocka_unit_test(test_gateway),
		cmocka_unit_test(test_other_interface),
		cmocka_unit_test(test_no_route),
		cmocka_unit_test(test_missing_neighbour_answered),
		cmocka_unit_test(test_quiet_is_zero),
		cmocka_unit_test(test_neigh_change_notifies),
		cmocka_unit_test(test_route_change_notifies),
		cmocka_unit_test(test_refresh_flags_changes),
		cmocka_unit_test(test_stale_is_reconfirmed),
		cmocka_unit_test(test_missing_neighbour_silent),
	};
	int failed = cmocka_run_group_tests_name("underlay_pure", pure, NULL, NULL);

	if (geteuid() != 0) {
		fprintf(stderr, "the kernel tests need root (network namespaces): skipped\n");
		return failed ? failed : 77;
	}
	return failed + cmocka_run_group_tests_name("underlay_kernel", kernel, setup, teardown);
}
