#!/usr/bin/env python3
"""Forwarding by flow, drops on a miss, flood, and the counters users read."""

from vswtest import (MAC1, MAC2, MAC3, BCAST, VswTestCase, frames, main, wait_for)


class Forwarding(VswTestCase):

    def add_ports(self, *names):
        for n in names:
            self.sw.vswctl("add-port", n, "vhost-user")

    def test_forward_by_flow_byte_for_byte(self):
        self.add_ports("vm1", "vm2")
        self.sw.vswctl("add-flow", "priority=100,in_port=vm1,dl_dst=%s,actions=output:vm2" % MAC2)
        self.sw.vswctl("add-flow", "priority=100,in_port=vm2,dl_dst=%s,actions=output:vm1" % MAC1)
        sent12 = frames(20, src=MAC1, dst=MAC2, size=60) + frames(5, src=MAC1, dst=MAC2, size=1514)
        sent21 = frames(7, src=MAC2, dst=MAC1, size=200)
        go = self.dir + "/go"
        vm1 = self.peer("vm1", capture=self.capture_path("vm1"), send=sent12,
                        expect=len(sent21), start_file=go)
        vm2 = self.peer("vm2", capture=self.capture_path("vm2"), send=sent21,
                        expect=len(sent12), start_file=go)
        self.sw.wait_up("vm1", "vm2")
        open(go, "w").close()  # both send only once both are attached
        self.assertEqual(vm1.wait()[0], 0)
        self.assertEqual(vm2.wait()[0], 0)
        self.assertEqual(vm2.frames(), [bytes(f) for f in sent12])
        self.assertEqual(vm1.frames(), [bytes(f) for f in sent21])

    def test_counters(self):
        self.add_ports("vm1", "vm2")
        self.sw.vswctl("add-flow", "priority=100,in_port=vm1,actions=output:vm2")
        rx = self.peer("vm2", capture=self.capture_path("vm2"))
        self.sw.wait_up("vm2")
        sent = frames(10, size=100)
        tx = self.peer("vm1", send=sent)
        self.assertEqual(tx.wait()[0], 0)
        wait_for(lambda: len(rx.frames()) == 10, 10, "10 frames at vm2")
        flow = self.sw.flows()[0]
        self.assertEqual((flow["n_packets"], flow["n_bytes"]), (10, 1000))
        p1, p2 = self.sw.port("vm1"), self.sw.port("vm2")
        self.assertEqual((p1["rx_packets"], p1["rx_bytes"]), (10, 1000))
        self.assertEqual((p2["tx_packets"], p2["tx_bytes"]), (10, 1000))
        self.assertEqual(sum(p1["drops"].values()), 0)
        text = self.sw.vswctl("dump-flows").stdout
        self.assertRegex(text, r"^ cookie=0x0, duration=[0-9.]+s, table=0, n_packets=10, "
                         r"n_bytes=1000, idle_age=\d+, priority=100,in_port=vm1 "
                         r"actions=output:vm2\n$")

    def test_miss_is_dropped_and_counted(self):
        self.add_ports("vm1", "vm2")
        self.sw.vswctl("add-flow", "priority=100,in_port=vm1,dl_dst=%s,actions=output:vm2" % MAC2)
        rx = self.peer("vm2", capture=self.capture_path("vm2"))
        self.sw.wait_up("vm2")
        hit, miss = frames(3, dst=MAC2), frames(4, dst=MAC3)
        tx = self.peer("vm1", send=miss + hit)
        self.assertEqual(tx.wait()[0], 0)
        wait_for(lambda: self.sw.port("vm1")["rx_packets"] == 7, 10, "7 frames in")
        wait_for(lambda: len(rx.frames()) == 3, 10, "3 frames at vm2")
        self.assertEqual(rx.frames(), [bytes(f) for f in hit])
        self.assertEqual(self.sw.port("vm1")["drops"]["no_match"], 4)

    def test_priority_and_explicit_drop(self):
        self.add_ports("vm1", "vm2")
        self.sw.vswctl("add-flow", "priority=10,in_port=vm1,actions=output:vm2")
        self.sw.vswctl("add-flow", "priority=20,in_port=vm1,dl_dst=%s,actions=drop" % MAC3)
        rx = self.peer("vm2", capture=self.capture_path("vm2"))
        self.sw.wait_up("vm2")
        tx = self.peer("vm1", send=frames(2, dst=MAC3) + frames(3, dst=MAC2))
        self.assertEqual(tx.wait()[0], 0)
        wait_for(lambda: self.sw.port("vm1")["rx_packets"] == 5, 10, "5 frames in")
        wait_for(lambda: len(rx.frames()) == 3, 10, "3 frames at vm2")
        self.assertTrue(all(f[0:6] == bytes.fromhex("020000000002") for f in rx.frames()))
        self.assertEqual(self.sw.port("vm1")["drops"]["action_drop"], 2)

    def test_flood(self):
        self.add_ports("vm1", "vm2", "vm3")
        self.sw.vswctl("add-flow", "in_port=vm1,actions=flood")
        rx2 = self.peer("vm2", capture=self.capture_path("vm2"))
        rx3 = self.peer("vm3", capture=self.capture_path("vm3"))
        self.sw.wait_up("vm2", "vm3")
        sent = frames(6, dst=BCAST)
        tx = self.peer("vm1", send=sent, capture=self.capture_path("vm1"))
        self.assertEqual(tx.wait()[0], 0)
        want = [bytes(f) for f in sent]
        wait_for(lambda: rx2.frames() == want and rx3.frames() == want, 10,
                 "the flood at vm2 and vm3")
        self.assertEqual(tx.frames(), [], "a flood must not return to its input port")
        self.assertEqual(self.sw.port("vm2")["tx_packets"], 6)
        self.assertEqual(self.sw.port("vm3")["tx_packets"], 6)

    def test_output_to_port_without_peer_counts_port_down(self):
        self.add_ports("vm1", "vm2")
        self.sw.vswctl("add-flow", "in_port=vm1,actions=output:vm2")
        tx = self.peer("vm1", send=frames(5))
        self.assertEqual(tx.wait()[0], 0)
        wait_for(lambda: self.sw.port("vm2")["drops"]["port_down"] == 5, 10,
                 "5 port_down drops on vm2")
        self.assertEqual(self.sw.port("vm2")["tx_packets"], 0)

    def test_port_to_port_rules_count_as_any_rule(self):
        """Rules on in_port alone forward a burst without reading its frames
        (pmd_pipeline.c): the bytes, the rule's and the ports' counters, the
        table lookups, and a rule that outputs back to its input port (a
        loop, dropped) are as for any rule."""
        self.add_ports("vm1", "vm2")
        self.sw.vswctl("add-flow", "in_port=vm1,actions=output:vm2")
        self.sw.vswctl("add-flow", "in_port=vm2,actions=output:vm2")
        self.sw.vswctl("pmd-stats-clear")
        rx = self.peer("vm2", capture=self.capture_path("vm2"))
        self.sw.wait_up("vm2")
        sent = frames(20, size=60) + frames(9, size=1514) + frames(4, size=333)
        tx = self.peer("vm1", send=sent)
        self.assertEqual(tx.wait()[0], 0)
        wait_for(lambda: len(rx.frames()) == len(sent), 10, "%d frames at vm2" % len(sent))
        self.assertEqual(rx.frames(), [bytes(f) for f in sent])
        flows = {f["match"]: f for f in self.sw.json("dump-flows")["flows"]}
        rule = flows["in_port=vm1"]
        self.assertEqual((rule["n_packets"], rule["n_bytes"]),
                         (len(sent), sum(len(f) for f in sent)))
        self.assertEqual(self.sw.port("vm1")["rx_packets"], len(sent))
        self.assertEqual(self.sw.port("vm2")["tx_packets"], len(sent))
        pmd = self.sw.json("pmd-stats")["pmds"][0]
        self.assertEqual((pmd["packets"], pmd["lookups"], pmd["misses"]), (len(sent), len(sent), 0))
        rx.stop()
        back = self.peer("vm2", send=frames(3, src=MAC2, dst=MAC1))
        self.assertEqual(back.wait()[0], 0)
        wait_for(lambda: self.sw.port("vm2")["drops"].get("loop") == 3, 10, "3 loop drops")
        flows = {f["match"]: f for f in self.sw.json("dump-flows")["flows"]}
        self.assertEqual((flows["in_port=vm2"]["n_packets"], flows["in_port=vm1"]["n_packets"]),
                         (3, len(sent)))

    def test_malformed_frame_is_counted(self):
        self.add_ports("vm1", "vm2")
        self.sw.vswctl("add-flow", "in_port=vm1,actions=output:vm2")
        rx = self.peer("vm2", capture=self.capture_path("vm2"))
        self.sw.wait_up("vm2")
        from scapy.all import Raw
        runt = Raw(bytes.fromhex("0200000000020200000000018100"))  # VLAN tag cut short
        good = frames(2)
        tx = self.peer("vm1", send=[runt] + good)
        self.assertEqual(tx.wait()[0], 0)
        wait_for(lambda: len(rx.frames()) == 2, 10, "2 good frames at vm2")
        self.assertEqual(rx.frames(), [bytes(f) for f in good])
        self.assertEqual(self.sw.port("vm1")["drops"]["malformed"], 1)


if __name__ == "__main__":
    main()
