#!/usr/bin/env python3
"""Two tenants on one switch: every way a VM might cross is tried; nothing crosses.

Red (VLAN 10) and blue (VLAN 20) each have two VM ports; a VLAN uplink
carries both. Each port has a traffic-tool peer that captures everything it
receives; payloads say which tenant sent them, so a capture that holds a
frame of the other tenant is a leak, whatever its headers say.
"""

import netns  # noqa: F401  (sets up the import path)
from scapy.all import ARP, Dot1Q, Ether, IP, UDP, Raw  # noqa: E402
from vswtest import BCAST, VswTestCase, main, wait_for  # noqa: E402

R1, R2 = "02:00:00:00:01:01", "02:00:00:00:01:02"
B1, B2 = "02:00:00:00:02:01", "02:00:00:00:02:02"
GW = "02:00:00:00:0f:0f"  # a host behind the uplink


def pkt(src, dst, tag, n, vlans=(), ip_src="192.0.2.11", ip_dst="192.0.2.255", dport=7):
    p = Ether(src=src, dst=dst)
    for v in vlans:
        p = p / Dot1Q(vlan=v)
    return p / IP(src=ip_src, dst=ip_dst) / UDP(sport=1000 + n, dport=dport) / \
        Raw(("%s-%03d" % (tag, n)).encode().ljust(40, b"."))


def tag_of(frame):
    """Which tenant's payload a captured frame carries ('red', 'blue' or None)."""
    for t in (b"red-", b"blue-"):
        if t in frame:
            return t.decode()[:-1]
    return None


def vlan_of(frame):
    e = Ether(frame)
    return e[Dot1Q].vlan if e.haslayer(Dot1Q) else None


class Isolation(VswTestCase):

    def setUp(self):
        super().setUp()
        ctl = self.sw.vswctl
        ctl("add-tenant", "red", "vlan=10")
        ctl("add-tenant", "blue", "vlan=20")
        for p in ("r1", "r2", "b1", "b2", "up"):
            ctl("add-port", p, "vhost-user")
        ctl("set-port", "r1", "tenant=red", "mac=" + R1, "ips=192.0.2.11")
        ctl("set-port", "r2", "tenant=red")
        ctl("set-port", "b1", "tenant=blue", "mac=" + B1, "ips=192.0.2.21")
        ctl("set-port", "b2", "tenant=blue")
        ctl("set-uplink", "up")

    def run_traffic(self, sends):
        """Every port sends its list at once; returns {port: [captured frames]}."""
        go = self.dir + "/go"
        peers = {}
        for name in ("r1", "r2", "b1", "b2", "up"):
            peers[name] = self.peer(name, capture=self.capture_path(name), send=sends.get(name, []),
                                    start_file=go, seconds=6)
        self.sw.wait_up("r1", "r2", "b1", "b2", "up")
        open(go, "w").close()
        for p in peers.values():
            self.assertEqual(p.wait()[0], 0)
        return {n: p.frames() for n, p in peers.items()}

    def test_nothing_crosses(self):
        r1_legit = [pkt(R1, BCAST, "red", 0), pkt(R1, B2, "red", 1)]  # broadcast, unknown unicast
        r1_attacks = [
            pkt(B1, BCAST, "red", 10),                       # forged source MAC (blue's)
            pkt(R1, BCAST, "red", 11, vlans=(20,)),          # forged tag: blue's VLAN
            pkt(R1, BCAST, "red", 12, vlans=(10,)),          # even its own VLAN: access port
            pkt(R1, BCAST, "red", 13, vlans=(10, 20)),       # double tag
            Ether(src=R1, dst=BCAST) / ARP(op=2, hwsrc=R1, psrc="192.0.2.21", pdst="192.0.2.22") /
            Raw(b"red-014"),                                 # ARP spoofing blue's address
            pkt(R1, BCAST, "red", 15, ip_src="192.0.2.21"),  # forged source IP
        ]
        # r2 has no anti-spoofing: forging is contained in red, never reaching blue
        r2_forged = [pkt(B1, BCAST, "red", 20, ip_src="192.0.2.12"),
                     pkt(R2, B1, "red", 21, ip_src="192.0.2.12"),
                     # a VXLAN-looking packet from inside a VM: just UDP to red
                     Ether(src=R2, dst=BCAST) / IP(src="192.0.2.12", dst="198.51.100.1") /
                     UDP(sport=4789, dport=4789) / Raw(bytes.fromhex("0800000000001400") +
                                                       bytes(pkt(B2, B1, "red", 22)))]
        b1_legit = [pkt(B1, BCAST, "blue", 0, ip_src="192.0.2.21")]
        up_in = [pkt(GW, BCAST, "red", 30, vlans=(10,)),
                 pkt(GW, BCAST, "blue", 31, vlans=(20,)),
                 pkt(GW, BCAST, "red", 32, vlans=(30,)),       # nobody's VLAN
                 pkt(GW, BCAST, "blue", 33, vlans=(10, 20)),   # double tag on the uplink
                 pkt(GW, BCAST, "red", 34)]                    # untagged on the uplink
        got = self.run_traffic({"r1": r1_legit + r1_attacks, "r2": r2_forged, "b1": b1_legit,
                                "up": up_in})

        # no frame of the other tenant anywhere, whatever its headers
        for port, own in (("r1", "red"), ("r2", "red"), ("b1", "blue"), ("b2", "blue")):
            for f in got[port]:
                self.assertEqual(tag_of(f), own, "%s received %r" % (port, Ether(f)))
                self.assertIsNone(vlan_of(f), "%s (access) received a tagged frame" % port)
        for f in got["up"]:
            self.assertEqual(vlan_of(f), {"red": 10, "blue": 20}[tag_of(f)], repr(Ether(f)))
            self.assertEqual(len(Ether(f).getlayer(Dot1Q, 2) or []), 0, "double tag on the uplink")

        # what should arrive does, byte for byte
        def untag(f):
            e = Ether(f)
            return bytes(Ether(src=e.src, dst=e.dst, type=e[Dot1Q].type) / e[Dot1Q].payload)

        def tag(f, v):
            e = Ether(bytes(f))
            return bytes(Ether(src=e.src, dst=e.dst) / Dot1Q(vlan=v, type=e.type) / e.payload)

        self.assertEqual(sorted(got["r2"]),
                         sorted([bytes(f) for f in r1_legit] + [untag(bytes(up_in[0]))]))
        self.assertEqual(sorted(got["b2"]),
                         sorted([bytes(f) for f in b1_legit] + [untag(bytes(up_in[1]))]))
        self.assertEqual(sorted(got["b1"]), sorted([untag(bytes(up_in[1]))]))
        # red-021 (to B1) goes nowhere: red learned B1 on r2 from red-020, so
        # it is "for the port it came from"; blue's B1 is another table's
        red_flooded = [r2_forged[0], r2_forged[2]]
        self.assertEqual(sorted(got["up"]),
                         sorted([tag(f, 10) for f in r1_legit + red_flooded] +
                                [tag(f, 20) for f in b1_legit]))
        self.assertEqual(sorted(got["r1"]),
                         sorted([bytes(f) for f in red_flooded] + [untag(bytes(up_in[0]))]))

        # every attack was dropped at r1 and counted there
        wait_for(lambda: self.sw.port("r1")["drops"].get("action_drop", 0) == len(r1_attacks),
                 10, "r1's %d attacks counted as dropped" % len(r1_attacks))
        self.assertEqual(self.sw.port("up")["drops"].get("action_drop", 0) +
                         self.sw.port("up")["drops"].get("no_match", 0), 3)

    def test_learning_stays_in_tenant(self):
        """Blue learns R1's MAC on b2 (forged there); red's frames to R1 never go to b2."""
        got = self.run_traffic({"b2": [pkt(R1, BCAST, "blue", 0, ip_src="192.0.2.22")],
                                "r2": [pkt(R2, R1, "red", 1, ip_src="192.0.2.12")]})
        self.assertEqual([tag_of(f) for f in got["b1"]], ["blue"])
        self.assertEqual([tag_of(f) for f in got["r1"]], ["red"])
        self.assertEqual(got["b2"], [])
        self.assertEqual(sorted((tag_of(f), vlan_of(f)) for f in got["up"]),
                         [("blue", 20), ("red", 10)])

    def test_tenant_rules_owned(self):
        """Users cannot write into the tenant tables, nor send to a tenant's port."""
        r = self.sw.vswctl("add-flow", "table=250,actions=drop", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("reserved", r.stderr)
        self.sw.vswctl("add-port", "x1", "vhost-user")
        r = self.sw.vswctl("add-flow", "in_port=x1,actions=output:b1", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("blue", r.stderr)
        flows = self.sw.json("dump-flows")["flows"]
        owners = {f.get("owner") for f in flows}
        self.assertTrue({"tenant=red", "tenant=blue"} <= owners, owners)


if __name__ == "__main__":
    main()
