#!/usr/bin/env python3
"""Main's port types and taps with two PMDs (--pmds 2).

Ports go round the PMDs by slot, so in these tests frames of one port are
received on one PMD and sent to a port that another PMD sends to as well:
mirror copies to one monitor port, VXLAN frames to the uplink, MACs learned
by both PMDs in one domain. A handful of the single-PMD tests run again
here, unchanged, with two PMDs; the ethdev tests check the queues a tap and
an af_packet port get.
"""

import os
import unittest

import test_capture
import test_ethdev
import test_l2
import test_mirror
import test_vxlan
from test_ethdev import TAG, link_exists, sh
from vswtest import main

TWO = ("--pmds", "2")


class Mirror(test_mirror.Mirror):
    dataplane_args = TWO


class Capture(test_capture.CaptureTest):
    dataplane_args = TWO


class Normal(test_l2.Normal):
    dataplane_args = TWO


class Decapsulation(test_vxlan.Decapsulation):
    dataplane_args = TWO


class Encapsulation(test_vxlan.Encapsulation):
    dataplane_args = TWO


class Ethdev(test_ethdev.EthdevPorts):
    dataplane_args = TWO

    def pmd_queues(self):
        """{pmd index: [(port, queue)]} from the dataplane's pmd-stats."""
        stats = self.ok(cmd="pmd-stats")
        return {p["pmd"]: [(q["port"], q["queue"]) for q in p["rx_queues"]]
                for p in stats["pmds"]}

    def test_tap_has_a_queue_pair_per_pmd(self):
        tap = "vt%sq" % TAG
        _, r = self.add_port(tap, "tap")
        self.assertTrue(r["ok"], r)
        self.addCleanup(lambda: self.sw.dp.alive() and self.dp(cmd="port-del", name=tap))
        self.assertTrue(link_exists(tap))
        # The kernel's side: a multiqueue tap with two queues attached.
        qdir = "/sys/class/net/%s/queues" % tap
        self.assertEqual(sorted(q for q in os.listdir(qdir) if q.startswith("tx-")),
                         ["tx-0", "tx-1"])
        # Each PMD polls one of them.
        queues = self.pmd_queues()
        self.assertEqual(sorted(queues), [0, 1])
        self.assertEqual(sorted(q for qs in queues.values() for q in qs if q[0] == tap),
                         [(tap, 0), (tap, 1)])
        for pmd, qs in queues.items():
            self.assertEqual(len([q for q in qs if q[0] == tap]), 1, "pmd %d: %s" % (pmd, qs))

    def test_af_packet_with_one_queue_pair_is_shared(self):
        ns = self.netns("afq")
        outer, _ = self.veth(ns)
        _, r = self.add_port("up1", "dpdk", devargs="net_af_packet,iface=%s" % outer)
        self.assertTrue(r["ok"], r)
        # net_af_packet has one queue pair unless qpairs= says otherwise: one PMD
        # polls it, and both send on it under the port's lock.
        got = [q for qs in self.pmd_queues().values() for q in qs if q[0] == "up1"]
        self.assertEqual(got, [("up1", 0)])
        self.assertEqual(self.ports()["up1"]["state"], "up")
        self.ok(cmd="port-del", name="up1")
        _, r = self.add_port("up1", "dpdk", devargs="net_af_packet,iface=%s,qpairs=2" % outer)
        self.assertTrue(r["ok"], r)
        got = sorted(q for qs in self.pmd_queues().values() for q in qs if q[0] == "up1")
        self.assertEqual(got, [("up1", 0), ("up1", 1)])


RUN = [
    (Mirror, ["test_copies_of_both_directions", "test_capture_of_mirror_port_and_del_mirror"]),
    (Capture, ["test_directions_byte_for_byte"]),
    (Normal, ["test_flood_learn_unicast_tags_and_isolation"]),
    (Decapsulation, ["test_inner_frames_enter_on_the_vxlan_port"]),
    (Encapsulation, ["test_outer_headers"]),
    (Ethdev, ["test_tap_has_a_queue_pair_per_pmd", "test_af_packet_with_one_queue_pair_is_shared",
              "test_tap_port_is_a_kernel_interface_that_talks_both_ways",
              "test_af_packet_port_carries_frames_both_ways"]),
]


def load_tests(loader, standard_tests, pattern):
    """Only the tests of RUN (the imported modules' own classes would run too)."""
    suite = unittest.TestSuite()
    for cls, names in RUN:
        for name in names:
            suite.addTest(cls(name))
    return suite


if __name__ == "__main__":
    main()
