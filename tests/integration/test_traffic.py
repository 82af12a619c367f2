#!/usr/bin/env python3
"""vsw-traffic as a generator: what it sends (sizes, flows, tags, stamps) and what it reports."""

import struct

from scapy.all import Ether, IP, UDP, Dot1Q, rdpcap

from vswtest import MAC1, MAC2, VswTestCase, main, wait_for

STAMP = struct.Struct("<HHIQ")
IMIX = [60, 590, 60, 60, 1514, 60, 590, 60, 60, 590, 60, 590]  # perf/traffic_gen.c


class Traffic(VswTestCase):

    def setUp(self):
        super().setUp()
        for n in ("vm1", "vm2"):
            self.sw.vswctl("add-port", n, "vhost-user")
        self.sw.vswctl("add-flow", "in_port=vm1,actions=output:vm2")
        self.sw.vswctl("add-flow", "in_port=vm2,actions=output:vm1")

    def test_imix_ranges_vlan_and_stamps(self):
        cap = self.capture_path("vm2")
        rx = self.peer("vm2", capture=cap)
        self.sw.wait_up("vm2")
        tx = self.peer("vm1", gen={"count": 24, "rate": 2000, "size": "imix", "vlan": 7,
                                   "src-ip": "10.1.0.1-10.1.0.2", "dst-ip": "10.2.0.9",
                                   "dst-port": "100-102", "macs": 2, "src-mac": MAC1,
                                   "dst-mac": MAC2})
        code, summary = tx.wait()
        self.assertEqual((code, summary["tx_packets"]), (0, 24))
        wait_for(lambda: len(rx.frames()) == 24, 20, "24 frames at vm2")
        rx.stop()
        pkts = rdpcap(cap)
        # IMIX 7:4:1; the tagged small frames are lengthened to hold headers and stamp (62).
        self.assertEqual([len(p) for p in pkts], [max(n, 62) for n in IMIX] * 2)
        flows = []
        for i, p in enumerate(pkts):
            self.assertEqual(p[Dot1Q].vlan, 7)
            magic, _, seq, _ = STAMP.unpack(bytes(p[UDP].payload)[:16])
            self.assertEqual((magic, seq), (0x7673, i))
            flows.append((p[Ether].src, p[Ether].dst, p[IP].src, p[IP].dst, p[UDP].dport))
            # Checksums as the sender computed them are what scapy computes.
            again = Ether(bytes(p))
            del again[IP].chksum, again[UDP].chksum
            again = Ether(bytes(again))
            self.assertEqual((p[IP].chksum, p[UDP].chksum),
                             (again[IP].chksum, again[UDP].chksum))
        # The product of the ranges, the source address fastest, each flow once a round.
        self.assertEqual(flows[:3], [(MAC1, MAC2, "10.1.0.1", "10.2.0.9", 100),
                                     (MAC1, MAC2, "10.1.0.2", "10.2.0.9", 100),
                                     (MAC1, MAC2, "10.1.0.1", "10.2.0.9", 101)])
        self.assertEqual(flows[6], ("02:00:00:00:00:02", "02:00:00:00:00:03", "10.1.0.1",
                                    "10.2.0.9", 100))
        self.assertEqual(len(set(flows)), 12)
        self.assertEqual(flows[:12], flows[12:])

    def test_two_ports_both_ways_report(self):
        # One process on both sockets: vm1 -> vm2 and the mirror stream vm2 -> vm1.
        p = self.peer("both", sock=self.sw.sock("vm1"),
                      gen={"count": 500, "rate": 10000, "src-mac": MAC1, "dst-mac": MAC2},
                      extra=("--socket", self.sw.sock("vm2"), "--bidir"))
        code, s = p.wait()
        self.assertEqual(code, 0)
        self.assertEqual((s["tx_packets"], s["rx_packets"], s["loss"]), (1000, 1000, 0))
        self.assertEqual([(q["tx_packets"], q["rx_packets"]) for q in s["ports"]],
                         [(500, 500), (500, 500)])
        lat = s["latency_ns"]
        self.assertGreater(lat["samples"], 0)
        self.assertTrue(0 < lat["min"] <= lat["median"] <= lat["p99"] <= lat["max"])
        self.assertEqual(self.sw.port("vm1")["rx_packets"], 500)
        self.assertEqual(self.sw.port("vm2")["rx_packets"], 500)
        self.assertRegex(p.output(), r"vsw-traffic: [0-9.]+ s: tx [0-9.]+ Mpps [0-9.]+ Gbit/s, "
                         r"rx [0-9.]+ Mpps [0-9.]+ Gbit/s, loss 0 \(0\.0000%\), latency us "
                         r"min [0-9.]+ median [0-9.]+ p99 [0-9.]+ max [0-9.]+\n")

    def test_bad_options_are_one_line(self):
        cases = [
            (["--gen", "--size", "59"], "bad value '59' for --size"),
            (["--gen", "--src-ip", "10.0.0.9-10.0.0.1"], "bad value '10.0.0.9-10.0.0.1' for --src-ip"),
            (["--gen", "--vlan", "7", "--size", "60"], "--vlan needs --size 64 or more"),
            (["--bidir", "--gen"], "--bidir needs two --socket and --gen"),
            (["--count", "5"], "--count needs --gen"),
            (["--queues", "9"], "bad value '9' for --queues"),
        ]
        for extra, msg in cases:
            p = self.peer("bad", extra=extra, name="bad%d" % len(self.peers))
            code, _ = p.wait()
            self.assertEqual(code, 2, extra)
            self.assertIn("vsw-traffic: %s\n" % msg, p.output())


if __name__ == "__main__":
    main()
