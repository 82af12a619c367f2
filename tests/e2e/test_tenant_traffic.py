#!/usr/bin/env python3
"""Inside a tenant: trunk ports, ACLs and the learned-MAC limit, with traffic.

Blue (VLAN 10) has an access port a1, a trunk port t1 (trunks=10,100: VLAN
10 is blue's native segment, 100 a segment of its own) and an ACL that
denies TCP port 22; red (VLAN 20, mac_limit=16) has r1 and r2; up is the
uplink. Every port has a traffic-tool peer that captures what it receives;
every assertion is on the captured bytes or on the counters show-tenant
prints.
"""

import os

import netns  # noqa: F401  (sets up the import path)
from scapy.all import Dot1Q, Ether, IP, TCP, Raw  # noqa: E402
from vswtest import BCAST, VswTestCase, frame, main, wait_for  # noqa: E402

A1, T1, GW = "02:00:00:00:0a:01", "02:00:00:00:0a:02", "02:00:00:00:0f:0f"
R1, R2 = "02:00:00:00:0b:01", "02:00:00:00:0b:02"
PORTS = ("a1", "t1", "r1", "r2", "up")


def tagged(raw, vid):
    return raw[:12] + b"\x81\x00" + vid.to_bytes(2, "big") + raw[12:]


def tcp(src, dport, n):
    return Ether(src=src, dst=BCAST) / IP(src="192.0.2.1", dst="192.0.2.2") / \
        TCP(sport=40000 + n, dport=dport) / Raw(b"tcp-%03d" % n)


class TenantTraffic(VswTestCase):

    def setUp(self):
        super().setUp()
        ctl = self.sw.vswctl
        ctl("add-tenant", "blue", "vlan=10")
        ctl("add-tenant", "red", "vlan=20", "mac_limit=16")
        for p in PORTS:
            ctl("add-port", p, "vhost-user")
        ctl("set-port", "a1", "tenant=blue")
        ctl("set-port", "t1", "tenant=blue", "mode=trunk", "trunks=10,100")
        ctl("set-port", "r1", "tenant=red")
        ctl("set-port", "r2", "tenant=red")
        ctl("set-uplink", "up")

    def run_traffic(self, sends, seconds=5):
        go = self.dir + "/go"
        if os.path.exists(go):  # a previous round's
            os.unlink(go)
        peers = {p: self.peer(p, capture=self.capture_path(p), send=sends.get(p, []),
                              start_file=go, seconds=seconds) for p in PORTS}
        self.sw.wait_up(*PORTS)
        open(go, "w").close()
        for p in peers.values():
            self.assertEqual(p.wait()[0], 0)
        return {n: p.frames() for n, p in peers.items()}

    def test_trunk_carries_only_its_vlans(self):
        native = bytes(frame(src=T1, dst=BCAST, seq=1, vlan=10))
        seg100 = bytes(frame(src=T1, dst=BCAST, seq=2, vlan=100))
        other = bytes(frame(src=T1, dst=BCAST, seq=3, vlan=300))
        untagged = bytes(frame(src=T1, dst=BCAST, seq=4))
        from_a1 = bytes(frame(src=A1, dst=BCAST, seq=5))
        from_up = bytes(frame(src=GW, dst=BCAST, seq=6, vlan=100))
        got = self.run_traffic({"t1": [native, seg100, other, untagged], "a1": [from_a1],
                                "up": [from_up]})

        def untag(raw):
            return raw[:12] + raw[16:]
        # VLAN 10 on the trunk is blue's native segment: a1 gets it untagged
        self.assertEqual(got["a1"], [untag(native)])
        # a1's frame reaches the trunk tagged with blue's VLAN, and the uplink's
        # (two senders: their frames may come in either order)
        self.assertEqual(sorted(got["t1"]), sorted([tagged(from_a1, 10), from_up]))
        # the uplink carries both segments, each with its tag; 300 and untagged go nowhere
        self.assertEqual(sorted(got["up"]), sorted([native, seg100, tagged(from_a1, 10)]))
        self.assertEqual(got["r1"] + got["r2"], [])
        blue = self.sw.json("show-tenant", "blue")
        self.assertEqual(blue["dropped"]["vlan"], 2)
        self.assertEqual(sorted(d["segment"] for d in blue["domains"]), [0, 100])

    def test_acl_denies_inside_the_tenant(self):
        self.sw.vswctl("add-acl", "blue", "priority=200", "deny", "tcp,tp_dst=22")
        ssh, web = tcp(A1, 22, 1), tcp(A1, 80, 2)
        got = self.run_traffic({"a1": [ssh, web, tcp(A1, 22, 3)]})
        self.assertEqual(got["up"], [tagged(bytes(web), 10)])
        self.assertEqual(got["t1"], [tagged(bytes(web), 10)])
        (acl,) = self.sw.json("show-tenant", "blue")["acls"]
        self.assertEqual((acl["action"], acl["n_packets"]), ("deny", 2))
        # deleting the ACL lets port 22 through again
        self.sw.vswctl("del-acl", "blue", str(acl["id"]))
        got = self.run_traffic({"a1": [ssh]})
        self.assertEqual(got["up"], [tagged(bytes(ssh), 10)])

    def test_mac_flood_is_contained(self):
        flood = [bytes(frame(src="02:00:00:00:c0:%02x" % i, dst=BCAST, seq=i))
                 for i in range(100)]
        # blue keeps learning while red floods: a1's MAC, then a frame to it from the uplink
        to_a1 = bytes(frame(src=GW, dst=A1, seq=200, vlan=10))
        from_a1 = bytes(frame(src=A1, dst=BCAST, seq=201))
        got = self.run_traffic({"r1": flood, "a1": [from_a1]})
        self.assertEqual(sorted(got["r2"]), sorted(flood))  # flooding still delivers
        self.assertEqual(got["t1"], [tagged(from_a1, 10)], "red's flood stayed in red")
        self.assertEqual(got["a1"], [])
        red = self.sw.json("show-tenant", "red")
        (d,) = red["domains"]
        self.assertEqual(d["macs"], 16)
        self.assertEqual(d["mac_limit_hits"], 84)
        got = self.run_traffic({"up": [to_a1]})
        self.assertEqual(got["a1"], [to_a1[:12] + to_a1[16:]])
        self.assertEqual(got["t1"], [], "blue still learns: a1's MAC is not flooded")
        wait_for(lambda: self.sw.json("show-tenant", "blue")["domains"][0]["unicast"] >= 1, 5,
                 "blue's unicast counted")


if __name__ == "__main__":
    main()
