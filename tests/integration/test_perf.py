#!/usr/bin/env python3
"""pmd-stats counts what the PMDs did; several PMDs share multiqueue ports, each frame once;
the README's demo forwards."""

import os
import struct
import subprocess
import unittest

from scapy.all import Ether, IP, UDP, rdpcap

from vswtest import BUILD, MAC1, MAC2, VswTestCase, main, wait_for

STAMP = struct.Struct("<HHIQ")  # perf/traffic_stats.h: magic, stream, seq, tsc
STAMP_MAGIC = 0x7673


def stamps(path):
    """(stream, seq) of every stamped frame of a capture, in arrival order."""
    out = []
    for p in rdpcap(path):
        if UDP in p:
            magic, stream, seq, _ = STAMP.unpack(bytes(p[UDP].payload)[:STAMP.size])
            if magic == STAMP_MAGIC:
                out.append((stream, seq))
    return out


def pmd_totals(stats):
    keys = ("packets", "lookups", "cache_hits", "classifier_hits", "misses",
            "processing_cycles")
    return {k: sum(p[k] for p in stats["pmds"]) for k in keys}


class PmdStats(VswTestCase):

    def setUp(self):
        super().setUp()
        for n in ("vm1", "vm2"):
            self.sw.vswctl("add-port", n, "vhost-user")
        self.sw.vswctl("add-flow", "priority=100,in_port=vm1,ip,nw_dst=198.19.0.1,"
                       "actions=output:vm2")

    def send(self, count, **gen):
        gen = dict({"count": count, "rate": 20000, "src-mac": MAC1, "dst-mac": MAC2}, **gen)
        tx = self.peer("vm1", name="tx%d" % len(self.peers), gen=gen)
        code, summary = tx.wait()
        self.assertEqual(code, 0)
        self.assertEqual(summary["tx_packets"], count)

    def test_counts_packets_hits_misses_and_cycles(self):
        rx = self.peer("vm2")
        self.sw.wait_up("vm2")
        self.sw.vswctl("pmd-stats-clear")
        self.send(1000)
        wait_for(lambda: self.sw.port("vm2")["tx_packets"] == 1000, 20, "1000 frames out")
        t = pmd_totals(self.sw.json("pmd-stats"))
        self.assertEqual(t["packets"], 1000)
        self.assertEqual(t["lookups"], 1000)  # one table, one lookup each
        self.assertEqual(t["cache_hits"] + t["classifier_hits"], 1000)
        self.assertGreaterEqual(t["classifier_hits"], 1)  # the first frame of the flow
        self.assertEqual(t["misses"], 0)
        self.assertGreater(t["processing_cycles"], 0)

        # Frames that match no rule are misses; the counters go on from where they were.
        self.send(300, **{"dst-ip": "198.19.0.2"})
        wait_for(lambda: self.sw.port("vm1")["drops"]["no_match"] == 300, 20, "300 misses")
        stats = self.sw.json("pmd-stats")
        t = pmd_totals(stats)
        self.assertEqual((t["packets"], t["misses"]), (1300, 300))
        pmd = max(stats["pmds"], key=lambda p: p["packets"])
        self.assertAlmostEqual(pmd["processing_cycles_per_packet"],
                               pmd["processing_cycles"] / pmd["packets"], delta=0.01)

        text = self.sw.vswctl("pmd-stats").stdout
        self.assertRegex(text, r"pmd 0 \(lcore \d+, cpu \d+\):\n  rx queues: vm1/0 vm2/0\n")
        self.assertIn("  packets received: 1300\n", text)
        self.assertIn("  misses: 300\n", text)
        self.assertRegex(text, r"avg processing cycles per packet: [0-9.]+ \(\d+/1300\)")

        self.sw.vswctl("pmd-stats-clear")
        t = pmd_totals(self.sw.json("pmd-stats"))
        self.assertEqual((t["packets"], t["lookups"], t["misses"]), (0, 0, 0))
        rx.stop()

    def test_counts_normal_and_its_cache(self):
        """Frames of a tenant go through `normal`; after a flow's first, its cache answers."""
        self.sw.vswctl("del-flows")
        self.sw.vswctl("add-tenant", "t1")
        for n in ("vm1", "vm2"):
            self.sw.vswctl("set-port", n, "tenant=t1")
        rx = self.peer("vm2")
        self.sw.wait_up("vm2")
        self.sw.vswctl("pmd-stats-clear")
        self.send(1000)
        wait_for(lambda: self.sw.port("vm2")["tx_packets"] == 1000, 20, "1000 frames out")
        t = self.sw.json("pmd-stats")["pmds"]
        frames = sum(p["normal_frames"] for p in t)
        hits = sum(p["normal_cache_hits"] for p in t)
        self.assertEqual(frames, 1000)
        # the first frame learns MAC1; a second that ends within 50 ms makes one more
        self.assertIn(hits, (998, 999))
        self.assertIn("  normal frames: 1000 (%d from its cache)\n" % hits,
                      self.sw.vswctl("pmd-stats").stdout)
        rx.stop()

    def test_refused_without_dataplane(self):
        self.sw.dp.stop()
        wait_for(lambda: self.sw.show().get("dataplane") == "disconnected", 20,
                 "vsw-control to notice")
        for cmd in ("pmd-stats", "pmd-stats-clear"):
            r = self.sw.vswctl(cmd, check=False)
            self.assertEqual(r.returncode, 1)
            self.assertEqual(r.stderr, "vswctl: %s: the dataplane is not connected\n" % cmd)


class MultiPmd(VswTestCase):
    """Two PMDs (they sleep when idle, so two CPUs do) and ports with two queue pairs."""

    dataplane_args = ("--pmds", "2")

    def test_two_pmds_two_queues_every_frame_once(self):
        for n in ("vm1", "vm2"):
            self.sw.vswctl("add-port", n, "vhost-user")
        self.sw.vswctl("add-flow", "in_port=vm1,actions=output:vm2")
        cap = self.capture_path("vm2")
        rx = self.peer("vm2", capture=cap, extra=("--queues", "2"))
        self.sw.wait_up("vm2")
        n = 4000
        # It stays attached (--seconds) so that pmd-stats shows its two queues.
        tx = self.peer("vm1", gen={"count": n, "rate": 20000, "flows": 16, "src-mac": MAC1,
                                   "dst-mac": MAC2}, seconds=6, extra=("--queues", "2"))
        wait_for(lambda: self.sw.port("vm2")["tx_packets"] == n, 30, "%d frames out" % n)
        stats = self.sw.json("pmd-stats")
        code, summary = tx.wait()
        self.assertEqual((code, summary["tx_packets"]), (0, n))
        rx.stop()

        got = stamps(cap)
        self.assertEqual(len(got), n)
        self.assertEqual(len({s for s, _ in got}), 1)
        self.assertEqual(sorted(seq for _, seq in got), list(range(n)))  # each once

        self.assertEqual(len(stats["pmds"]), 2)
        self.assertEqual(sum(p["packets"] for p in stats["pmds"]), n)
        for p in stats["pmds"]:
            self.assertGreater(p["packets"], 0, "pmd %d received nothing" % p["pmd"])
            self.assertGreater(p["processing_cycles"], 0)
        # Each (port, queue) is polled by exactly one PMD; a port's queues by both.
        queues = [(q["port"], q["queue"]) for p in stats["pmds"] for q in p["rx_queues"]]
        self.assertEqual(sorted(queues), [("vm1", 0), ("vm1", 1), ("vm2", 0), ("vm2", 1)])
        for p in stats["pmds"]:
            self.assertIn("vm1", [q["port"] for q in p["rx_queues"]])
        self.assertEqual(self.sw.port("vm1")["rx_packets"], n)


class Demo(unittest.TestCase):
    """`./setup.sh demo` (perf/demo): the switch on its default configuration
    forwards, and says how fast, every second."""

    def test_demo_forwards(self):
        demo = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "perf", "demo")
        r = subprocess.run([demo, "--build", BUILD, "--seconds", "3"], capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("priority=100,in_port=vm1 actions=output:vm2", r.stdout)
        rates = [float(line.split(" forwarded ")[1].split()[0])
                 for line in r.stdout.splitlines() if " forwarded " in line]
        self.assertGreaterEqual(len(rates), 2, r.stdout)
        self.assertTrue(all(m > 0.05 for m in rates), r.stdout)  # Mpps, every second


if __name__ == "__main__":
    main()
