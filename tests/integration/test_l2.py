#!/usr/bin/env python3
"""L2 domains and the `normal` action, on the dataplane alone.

The dataplane runs without vsw-control (whose tenant commands are not there
yet); the tests speak its own socket (PROTOCOL.md, vsw-dataplane): ports,
flows, domain-set. Every port runs `table=0: metadata := D, goto_table:1`
and `table=1, metadata=D: normal` (a port may start at another table).

Peers start together and each sends its pcap when the test creates its start
file, so that one switch sees a sequence of senders; every capture is checked
frame by frame.
"""

import os
import time

from vswtest import (BCAST, MAC1, MAC2, MAC3, VswTestCase, frame, main, read_frames,
                     wait_for)

MAC4 = "02:00:00:00:00:04"
D, E = 100, 200
VLAN = 7


def tagged(raw, vid):
    """The frame as a member with tag `vid` receives it."""
    return raw[:12] + b"\x81\x00" + vid.to_bytes(2, "big") + raw[12:]


class L2Case(VswTestCase):

    start_switch = False

    def setUp(self):
        super().setUp()
        self.sw.start_dataplane()

    def dp(self, cmd, **args):
        return self.sw.dp_call(dict(cmd=cmd, **args))

    def ok(self, cmd, **args):
        r = self.dp(cmd, **args)
        self.assertTrue(r.get("ok"), "%s %s: %s" % (cmd, args, r))
        return r

    def err(self, cmd, **args):
        r = self.dp(cmd, **args)
        self.assertFalse(r.get("ok"), "%s %s succeeded" % (cmd, args))
        self.assertNotIn("\n", r["error"])
        return r["error"]

    def add_port(self, name, no, **kw):
        self.ok("port-add", name=name, port_no=no, type="vhost-user", mode="server",
                path=self.sw.sock(name), **kw)

    def port(self, name):
        return {p["name"]: p for p in self.ok("port-list")["ports"]}[name]

    def drops(self, name):
        return {k: v for k, v in self.port(name)["drops"].items() if v}

    def domains(self):
        return {d["id"]: d for d in self.ok("domain-list")["domains"]}

    def macs(self, domain=None):
        args = {} if domain is None else {"domain": domain}
        return [(m["domain"], m["mac"], m["port"]) for m in self.ok("mac-list", **args)["macs"]]

    def peers_with_start_files(self, sends, tag=""):
        """One capturing peer per port; each sends its frames once its start file exists."""
        peers = {}
        for name, frames_ in sends.items():
            peers[name] = self.peer(name, send=frames_ or None,
                                    capture=self.capture_path(name + tag),
                                    start_file=os.path.join(self.dir, "go-" + tag + name),
                                    seconds=120)
        for name in sends:
            wait_for(lambda: self.port(name)["state"] == "up", 30, "port %s up" % name)
        return peers

    def go(self, name, sent, want, peers, tag=""):
        """Let `name` send until it received `sent` in all; wait for want[port] frames at each."""
        open(os.path.join(self.dir, "go-" + tag + name), "w").close()
        wait_for(lambda: self.port(name)["rx_packets"] == sent, 15,
                 "%d frames into %s" % (sent, name))
        for p, n in want.items():
            wait_for(lambda: len(peers[p].frames()) >= n, 15, "%d frames at %s" % (n, p))


class Normal(L2Case):

    def test_flood_learn_unicast_tags_and_isolation(self):
        self.add_port("vm1", 1)
        self.add_port("vm2", 2)
        self.add_port("vm3", 3)
        self.add_port("vm4", 4, table=2)  # starts elsewhere: domain E
        for f in ("table=0,actions=set_field:%d->metadata,goto_table:1" % D,
                  "table=2,actions=set_field:%d->metadata,goto_table:3" % E,
                  "table=1,metadata=%d,actions=normal" % D,
                  "table=3,metadata=%d,actions=normal" % E):
            self.ok("flow-add", flow=f)
        self.ok("domain-set", id=D, mac_limit=100, aging=300,
                members=[{"port": 1, "vlan": 0}, {"port": 2}, {"port": 3, "vlan": VLAN}])
        # port 99 does not exist: a member that receives nothing
        self.ok("domain-set", id=E, vni=5000, members=[{"port": 4}, {"port": 99}],
                vteps=[{"ip": "192.0.2.10"}, {"ip": "192.0.2.11", "vlan": 30}])

        s1 = [frame(src=MAC1, dst=BCAST, seq=1), frame(src=MAC1, dst=MAC2, seq=2)]
        s2 = [frame(src=MAC2, dst=MAC1, seq=3), frame(src=MAC2, dst=MAC3, seq=4)]
        s3 = [frame(src=MAC3, dst=MAC2, seq=5), frame(src=MAC3, dst=MAC1, seq=6),
              frame(src=MAC2, dst=BCAST, seq=7)]  # MAC2 moves to vm3
        s4 = [frame(src=MAC4, dst=BCAST, seq=8), frame(src=MAC4, dst=MAC1, seq=9)]
        peers = self.peers_with_start_files({"vm1": s1, "vm2": s2, "vm3": s3, "vm4": s4})
        raw = {i: bytes(f) for i, f in enumerate(s1 + s2 + s3 + s4, start=1)}

        # 1. both unknown: flooded to vm2 and, tagged, to vm3; never back to vm1
        self.go("vm1", 2, {"vm2": 2, "vm3": 2}, peers)
        # 2. MAC1 is known: vm1 only; MAC3 is not: vm1 and vm3
        self.go("vm2", 2, {"vm1": 2, "vm3": 3}, peers)
        # 3. MAC2 and MAC1 known: one port each; then MAC2 shows up on vm3: flooded
        self.go("vm3", 3, {"vm2": 4, "vm1": 4}, peers)
        # 4. another domain: no port of D hears it; E has no other live member
        self.go("vm4", 2, {}, peers)
        time.sleep(0.5)

        got = {p: peers[p].frames() for p in peers}
        self.assertEqual(got["vm1"], [raw[3], raw[4], raw[6], raw[7]])
        self.assertEqual(got["vm2"], [raw[1], raw[2], raw[5], raw[7]])
        self.assertEqual(got["vm3"], [tagged(raw[i], VLAN) for i in (1, 2, 4)])
        self.assertEqual(got["vm4"], [])

        d, e = self.domains()[D], self.domains()[E]
        self.assertEqual((d["macs"], d["learned"], d["moved"], d["flooded"], d["unicast"]),
                         (3, 3, 1, 4, 3))
        self.assertEqual((d["mac_limit_hits"], d["aged"], d["table_full"]), (0, 0, 0))
        self.assertEqual(d["members"], [{"port": 1, "vlan": 0}, {"port": 2, "vlan": 0},
                                        {"port": 3, "vlan": VLAN}])
        self.assertEqual((e["macs"], e["learned"], e["flooded"], e["unicast"]), (1, 1, 2, 0))
        self.assertEqual(e["vteps"], [{"ip": "192.0.2.10", "vlan": 0},
                                      {"ip": "192.0.2.11", "vlan": 30}])
        self.assertEqual(self.macs(D), [(D, MAC1, 1), (D, MAC2, 3), (D, MAC3, 3)])
        self.assertEqual(self.macs(), [(D, MAC1, 1), (D, MAC2, 3), (D, MAC3, 3), (E, MAC4, 4)])
        for m in self.ok("mac-list")["macs"]:
            self.assertLess(m["age"], 60)
            self.assertNotIn("vtep", m)
        # E's floods to its two VTEPs: there is no vxlan port to send them through
        self.assertEqual(self.drops("vm4"), {"no_port": 4})
        for p in ("vm1", "vm2", "vm3"):
            self.assertEqual(self.drops(p), {})

        # vm3 leaves D: what was learned on it is forgotten, the counters stay
        self.ok("domain-set", id=D, mac_limit=100, members=[{"port": 1}, {"port": 2}])
        self.assertEqual(self.macs(D), [(D, MAC1, 1)])
        self.assertEqual(self.domains()[D]["learned"], 3)
        # a deleted domain forgets its MACs, and is gone for good
        self.ok("domain-del", id=E)
        self.assertEqual(self.macs(), [(D, MAC1, 1)])
        self.assertEqual(sorted(self.domains()), [D])
        self.assertEqual(self.err("mac-list", domain=E), "mac-list: no domain %d" % E)
        # so does a deleted port
        self.ok("port-del", name="vm1")
        self.assertEqual(self.macs(), [])

    def test_mac_limit_flush_and_aging(self):
        self.add_port("vm1", 1)
        self.add_port("vm2", 2)
        self.ok("flow-add", flow="table=0,actions=set_field:%d->metadata,goto_table:1" % D)
        self.ok("flow-add", flow="table=1,metadata=%d,actions=normal" % D)
        self.ok("domain-set", id=D, mac_limit=4, aging=2,
                members=[{"port": 1}, {"port": 2}])
        srcs = ["02:00:00:00:01:%02x" % i for i in range(9)]
        s1 = [frame(src=m, dst=BCAST, seq=i) for i, m in enumerate(srcs)]
        s2 = [frame(src=MAC2, dst=MAC1, seq=20)]
        peers = self.peers_with_start_files({"vm1": s1, "vm2": s2})

        self.go("vm1", 9, {"vm2": 9}, peers)
        d = self.domains()[D]
        self.assertEqual((d["macs"], d["learned"], d["mac_limit_hits"], d["flooded"]),
                         (4, 4, 5, 9))
        self.assertEqual(self.macs(D), [(D, m, 1) for m in srcs[:4]])
        self.assertEqual(self.ok("mac-flush", domain=D)["flushed"], 4)
        self.assertEqual(self.macs(), [])
        self.assertEqual(self.ok("mac-flush")["flushed"], 0)

        # learned again after the flush, then aged out after 2 s without a frame
        self.go("vm2", 1, {"vm1": 1}, peers)
        self.assertEqual(self.macs(D), [(D, MAC2, 2)])
        wait_for(lambda: self.macs() == [], 10, "MAC2 to age out")
        # absent at once for lookups; the sweep (once a second) removes and counts it
        wait_for(lambda: self.domains()[D]["macs"] == 0, 5, "the aging sweep")
        d = self.domains()[D]
        self.assertEqual((d["macs"], d["learned"], d["aged"]), (0, 5, 1))
        self.assertEqual(peers["vm1"].frames(), [bytes(s2[0])])


    def test_a_stranger_never_reaches_a_domain(self):
        """normal switches a frame only in a domain its input port is in.

        vm3 is in no domain; its table-0 rules name D anyway: plainly, as
        vm1 (a rewritten in_port), and as if from a VTEP of D (a rewritten
        tun_src). None of it reaches D's members or is learned; vm1 still
        reaches vm2.
        """
        for no in (1, 2, 3):
            self.add_port("vm%d" % no, no)
        md = "set_field:%d->metadata" % D
        for f in ("table=0,in_port=1,actions=%s,goto_table:1" % md,
                  "table=0,in_port=2,actions=%s,goto_table:1" % md,
                  "table=1,metadata=%d,actions=normal" % D,
                  "table=0,in_port=3,dl_dst=%s,actions=%s,normal" % (BCAST, md),
                  "table=0,in_port=3,dl_dst=%s,actions=set_field:1->in_port,%s,normal"
                  % (MAC1, md),
                  "table=0,in_port=3,dl_dst=%s,actions=set_field:192.0.2.10->tun_src,%s,"
                  "normal" % (MAC2, md)):
            self.ok("flow-add", flow=f)
        self.ok("domain-set", id=D, vni=5000, members=[{"port": 1}, {"port": 2}],
                vteps=[{"ip": "192.0.2.10"}])
        s3 = [frame(src=MAC3, dst=BCAST, seq=1), frame(src=MAC3, dst=MAC1, seq=2),
              frame(src=MAC3, dst=MAC2, seq=3)]
        s1 = [frame(src=MAC1, dst=BCAST, seq=4)]
        peers = self.peers_with_start_files({"vm1": s1, "vm2": [], "vm3": s3})

        self.go("vm3", 3, {}, peers)
        self.go("vm1", 1, {"vm2": 1}, peers)
        time.sleep(0.5)
        self.assertEqual(peers["vm1"].frames(), [])
        self.assertEqual(peers["vm2"].frames(), [bytes(s1[0])])
        self.assertEqual(peers["vm3"].frames(), [])
        self.assertEqual(self.drops("vm3"), {"no_domain": 3})
        self.assertEqual(self.macs(D), [(D, MAC1, 1)])


    def test_limit_group_shares_one_mac_limit(self):
        """Domains with the same limit_group (a head domain) share one MAC count."""
        self.add_port("vm1", 1)
        self.add_port("vm2", 2)
        for no, dom in ((1, D), (2, D + 1)):
            self.ok("flow-add", flow="table=0,in_port=%d,actions=set_field:%d->metadata,"
                    "goto_table:1" % (no, dom))
            self.ok("flow-add", flow="table=1,metadata=%d,actions=normal" % dom)
        # the member names its head before the head exists: counted alone until then
        self.ok("domain-set", id=D + 1, mac_limit=4, limit_group=D, members=[{"port": 2}])
        self.ok("domain-set", id=D, mac_limit=4, members=[{"port": 1}])
        s1 = [frame(src="02:00:00:00:01:%02x" % i, dst=BCAST, seq=i) for i in range(3)]
        s2 = [frame(src="02:00:00:00:02:%02x" % i, dst=BCAST, seq=i) for i in range(3)]
        peers = self.peers_with_start_files({"vm1": s1, "vm2": s2})
        self.go("vm1", 3, {}, peers)
        self.go("vm2", 3, {}, peers)
        doms = self.domains()
        self.assertEqual((doms[D]["macs"], doms[D]["mac_limit_hits"]), (3, 0))
        self.assertEqual((doms[D + 1]["macs"], doms[D + 1]["mac_limit_hits"]), (1, 2))
        self.assertEqual(doms[D + 1]["limit_group"], D)
        self.assertNotIn("limit_group", doms[D])
        # the head goes: the member counts alone again, its MAC still there
        self.ok("domain-del", id=D)
        self.assertEqual(self.macs(), [(D + 1, "02:00:00:00:02:00", 2)])


    def test_cached_decisions_follow_moves_flushes_and_members(self):
        """normal's per-PMD cache answers a flow's frames, and never with a stale answer.

        vm1 sends 20 frames MAC1 -> MAC2 in each phase; between phases
        MAC2 moves, the MAC table is flushed, a member leaves: each phase's
        frames go where the switch says now. (A phase starts seconds after
        the last, past the cache's one-second life too: the unit tests of
        mac_table and l2_cache hold the generations that end it sooner.)
        """
        for no in (1, 2, 3):
            self.add_port("vm%d" % no, no)
        self.ok("flow-add", flow="table=0,actions=set_field:%d->metadata,goto_table:1" % D)
        self.ok("flow-add", flow="table=1,metadata=%d,actions=normal" % D)
        self.ok("domain-set", id=D, members=[{"port": 1}, {"port": 2}, {"port": 3}])

        def burst(seq):
            return [frame(src=MAC1, dst=MAC2, seq=seq + i) for i in range(20)]

        def normal_stats():
            pmds = self.ok("pmd-stats")["pmds"]
            return (sum(p["normal_frames"] for p in pmds),
                    sum(p["normal_cache_hits"] for p in pmds))

        a, b, c, d = burst(100), burst(200), burst(300), burst(400)
        f0, f1 = frame(src=MAC2, dst=BCAST), frame(src=MAC2, dst=BCAST, seq=1)
        peers = self.peers_with_start_files({"vm1": a, "vm2": [f0], "vm3": [f1]})
        self.go("vm2", 1, {"vm1": 1, "vm3": 1}, peers)  # MAC2 is on vm2
        self.ok("pmd-stats-clear")
        self.go("vm1", 20, {"vm2": 20}, peers)
        frames, hits = normal_stats()
        self.assertEqual(frames, 20)
        self.assertGreaterEqual(hits, 17)  # not the first frame, nor one a second ends
        self.go("vm3", 1, {"vm1": 2, "vm2": 21}, peers)  # MAC2 moves to vm3
        first_vm1 = peers["vm1"]

        def phase(tag, sent, total, want):
            peers["vm1"].stop()
            new = self.peers_with_start_files({"vm1": sent}, tag=tag)
            peers["vm1"] = new["vm1"]
            self.go("vm1", total, {}, new, tag=tag)
            for p, n in want.items():
                wait_for(lambda: len(peers[p].frames()) >= n, 15, "%d frames at %s" % (n, p))

        phase("b", b, 40, {"vm3": 21})  # to vm3 now, not vm2
        self.ok("mac-flush", domain=D)
        phase("c", c, 60, {"vm2": 41, "vm3": 41})  # MAC2 unknown: flooded
        self.ok("domain-set", id=D, members=[{"port": 1}, {"port": 2}])
        phase("d", d, 80, {"vm2": 61})  # vm3 is no member now
        time.sleep(0.5)
        raw = lambda fs: [bytes(f) for f in fs]  # noqa: E731
        self.assertEqual(peers["vm2"].frames(), raw(a) + raw([f1]) + raw(c) + raw(d))
        self.assertEqual(peers["vm3"].frames(), raw([f0]) + raw(b) + raw(c))
        self.assertEqual(first_vm1.frames(), raw([f0, f1]))
        for tag in "bcd":
            self.assertEqual(read_frames(self.capture_path("vm1" + tag)), [])
        dom = self.domains()[D]
        self.assertEqual((dom["unicast"], dom["flooded"], dom["moved"]), (40, 42, 1))
        frames, hits = normal_stats()
        self.assertEqual(frames, 81)
        self.assertGreaterEqual(hits, 4 * 17)


class Commands(L2Case):

    def test_bad_arguments_change_nothing(self):
        self.add_port("vm1", 1)
        self.ok("domain-set", id=D, members=[{"port": 1, "vlan": 5}], vni=9,
                vteps=[{"ip": "198.51.100.7", "vlan": 5}])
        before = self.domains()
        self.assertEqual((before[D]["mac_limit"], before[D]["aging"]), (1024, 300))
        bad = [
            ({}, 'domain-set: missing "id"'),
            ({"id": 0}, 'domain-set: "id" must be 1..4294967295'),
            ({"id": 1 << 32}, 'domain-set: "id" must be 1..4294967295'),
            ({"id": "7"}, 'domain-set: "id" must be 1..4294967295'),
            ({"id": D, "mac_limit": -1}, 'domain-set: "mac_limit" must be 0..262144'),
            ({"id": D, "aging": 0}, 'domain-set: "aging" must be 1..1000000'),
            ({"id": D, "vni": 1 << 24}, 'domain-set: "vni" must be 0..16777215'),
            ({"id": D, "members": {"port": 1}}, 'domain-set: "members" must be an array'),
            ({"id": D, "members": [1]}, "domain-set: members[0]: not an object {port, vlan}"),
            ({"id": D, "members": [{"port": 1}, {"port": 0}]},
             'domain-set: members[1]: "port" must be 1..65280'),
            ({"id": D, "members": [{"vlan": 3}]}, 'domain-set: members[0]: missing "port"'),
            ({"id": D, "members": [{"port": 1, "vlan": 4095}]},
             'domain-set: members[0]: "vlan" must be 0..4094'),
            ({"id": D, "members": [{"port": 2}, {"port": 2, "vlan": 3}]},
             "domain-set: port 2 is a member twice"),
            ({"id": D, "vteps": [{"ip": "192.0.2.1"}]}, 'domain-set: "vteps" need a "vni"'),
            ({"id": D, "vni": 9, "vteps": [{"ip": "192.0.2.300"}]},
             'domain-set: vteps[0]: "ip" must be a unicast IPv4 address'),
            ({"id": D, "vni": 9, "vteps": [{"ip": "224.0.0.5"}]},
             'domain-set: vteps[0]: "ip" must be a unicast IPv4 address'),
            ({"id": D, "vni": 9, "vteps": [{"ip": "192.0.2.1", "vlan": -2}]},
             'domain-set: vteps[0]: "vlan" must be 0..4094'),
            ({"id": D, "vni": 9, "vteps": [{"ip": "192.0.2.1"}, {"ip": "192.0.2.1"}]},
             "domain-set: VTEP 192.0.2.1 is listed twice"),
        ]
        for args, msg in bad:
            self.assertEqual(self.err("domain-set", **args), msg, args)
        self.assertEqual(self.err("domain-del", id=D + 1), "domain-del: no domain %d" % (D + 1))
        self.assertEqual(self.err("domain-del"), 'domain-del: missing "id"')
        self.assertEqual(self.err("mac-list", domain=0), 'mac-list: "domain" must be 1..4294967295')
        self.assertEqual(self.err("mac-flush", domain=5), "mac-flush: no domain 5")
        self.assertEqual(self.domains(), before)

        # a replace keeps nothing of the old settings it does not repeat
        self.ok("domain-set", id=D, aging=10, mac_limit=0, members=[])
        d = self.domains()[D]
        self.assertEqual((d["aging"], d["mac_limit"], d["vni"], d["members"], d["vteps"]),
                         (10, 0, 0, [], []))

    def test_port_start_table_and_mtu(self):
        self.add_port("vm1", 1)
        self.add_port("vm2", 2, table=250, mtu=9000)
        p1, p2 = self.port("vm1"), self.port("vm2")
        self.assertEqual((p1["table"], p1["mtu"], p2["table"], p2["mtu"]), (0, 1500, 250, 9000))
        self.assertEqual(self.err("port-add", name="vm3", port_no=3, type="vhost-user",
                                  mode="server", path=self.sw.sock("vm3"), table=255),
                         'port-add: "table" must be 0..254')
        self.assertEqual(self.err("port-add", name="vm3", port_no=3, type="vhost-user",
                                  mode="server", path=self.sw.sock("vm3"), mtu=67),
                         'port-add: "mtu" must be 68..9216')
        self.assertEqual([p["name"] for p in self.ok("port-list")["ports"]], ["vm1", "vm2"])
        self.assertEqual(self.err("port-mod", name="vm9", table=1), "port-mod: no port 'vm9'")
        self.assertEqual(self.err("port-mod", name="vm1"),
                         'port-mod: nothing to change: give "table" or "mtu"')
        self.assertEqual(self.err("port-mod", name="vm1", table=1, mtu=10000),
                         'port-mod: "mtu" must be 68..9216')
        self.assertEqual(self.port("vm1")["table"], 0)  # nothing half done
        self.ok("port-mod", name="vm1", table=3)
        self.ok("port-mod", name="vm2", mtu=1400)
        p1, p2 = self.port("vm1"), self.port("vm2")
        self.assertEqual((p1["table"], p1["mtu"], p2["table"], p2["mtu"]), (3, 1500, 250, 1400))

        # An output never crosses into another pipeline: vm1 (table 3) to vm2
        # (table 250) is dropped as "isolation", whatever the rule says.
        self.ok("flow-add", flow="table=0,actions=in_port")
        self.ok("flow-add", flow="table=3,actions=output:2")
        sent = [frame(seq=i) for i in range(3)]
        peers = self.peers_with_start_files({"vm1": sent, "vm2": []})
        self.go("vm1", 3, {}, peers)
        wait_for(lambda: self.drops("vm1").get("isolation") == 3, 10, "3 isolation drops")
        self.assertEqual(peers["vm2"].frames(), [])

        # the pipeline really starts there: table 0 would send back to vm1, table 3 to vm2
        for p in peers.values():
            p.stop()
        self.ok("port-mod", name="vm2", table=3)
        more = [frame(seq=i) for i in range(3, 6)]
        peers = self.peers_with_start_files({"vm1": more, "vm2": []}, tag="b")
        self.go("vm1", 6, {"vm2": 3}, peers, tag="b")
        time.sleep(0.3)
        self.assertEqual(peers["vm2"].frames(), [bytes(f) for f in more])
        self.assertEqual(peers["vm1"].frames(), [])
        tables = {t["table"]: t for t in self.ok("table-list")["tables"]}
        self.assertEqual((tables[3]["lookups"], tables[3]["matches"]), (6, 6))
        self.assertEqual(tables[0]["lookups"], 0)


if __name__ == "__main__":
    main()
