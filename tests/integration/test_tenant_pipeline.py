#!/usr/bin/env python3
"""The tenant pipeline end to end: vswctl tenant commands, vsw-control's
compiler and sync, the dataplane's tables 250..252, L2 domains and `normal`,
with real vhost-user peers.

Two tenants: blue (VLAN 10: vm1 with anti-spoofing, vm2) and red (VLAN 20:
vm3), and the uplink up0. Every capture is checked frame by frame: traffic
stays in its tenant, the uplink carries each tenant tagged with its VLAN,
spoofed, wrongly tagged and double-tagged frames go nowhere and are counted
where show-tenant says. Then: restarting vsw-control changes nothing in the
dataplane, a restarted dataplane gets the tenant state back, and a port that
changes tenant hears only its new one.
"""

import os
import signal
import subprocess
import time
import unittest

from vswtest import BCAST, MAC1, MAC2, MAC3, Dot1Q, Ether, IP, UDP, Raw, VswTestCase, frame, \
    main, wait_for

MAC4 = "02:00:00:00:00:04"
MAC5 = "02:00:00:00:00:05"
MAC9 = "02:00:00:00:00:09"
TAG = "%05d" % (os.getpid() % 100000)  # keeps interface names apart from other runs
VTEP = "198.51.100.%d" % (100 + os.getpid() % 100)


def sh(*argv, check=True):
    r = subprocess.run(list(argv), capture_output=True, text=True, timeout=60)
    if check and r.returncode != 0:
        raise AssertionError("%s failed (%d): %s" % (" ".join(argv), r.returncode,
                                                      r.stderr.strip()))
    return r


def untag(raw):
    """The frame without its outer 802.1Q tag."""
    return raw[:12] + raw[16:]


def tag(raw, vid):
    return raw[:12] + b"\x81\x00" + vid.to_bytes(2, "big") + raw[12:]


def tagx(raw, tpid, tci):
    """The frame with a tag (any TPID, any TCI bits) pushed in front."""
    return raw[:12] + tpid.to_bytes(2, "big") + tci.to_bytes(2, "big") + raw[12:]


def double_tagged(seq):
    pkt = Ether(src=MAC5, dst=BCAST) / Dot1Q(vlan=10) / Dot1Q(vlan=20) / \
        IP(src="192.0.2.5", dst="192.0.2.2") / UDP(sport=1000, dport=7)
    return pkt / Raw(("vsw-%08d-" % seq).encode() + b"\x00" * 40)


class DataplaneSocket:

    def dp(self, cmd, **args):
        r = self.sw.dp_call(dict(cmd=cmd, **args))
        self.assertTrue(r.get("ok"), "%s: %s" % (cmd, r))
        return r


class TenantPipeline(DataplaneSocket, VswTestCase):

    def setUp(self):
        super().setUp()
        sw = self.sw
        for p in ("vm1", "vm2", "vm3", "up0"):
            sw.vswctl("add-port", p, "vhost-user")
        sw.vswctl("add-tenant", "blue", "vlan=10")
        sw.vswctl("add-tenant", "red", "vlan=20")
        sw.vswctl("set-port", "vm1", "tenant=blue", "mac=" + MAC1, "ips=192.0.2.1")
        sw.vswctl("set-port", "vm2", "tenant=blue")
        sw.vswctl("set-port", "vm3", "tenant=red")
        sw.vswctl("set-uplink", "up0")

    def tenant_flows(self):
        return sorted((f["flow"], f["n_packets"]) for f in self.dp("flow-list")["flows"]
                      if f["flow"].startswith("table=25"))

    def tables(self):
        return {p["name"]: p["table"] for p in self.dp("port-list")["ports"]}

    def domains(self):
        return {d["id"]: d for d in self.dp("domain-list")["domains"]}

    # ---- peers ----

    def start_peers(self, sends):
        peers = {}
        for name, frames_ in sends.items():
            peers[name] = self.peer(name, send=frames_ or None, capture=self.capture_path(name),
                                    start_file=os.path.join(self.dir, "go-" + name),
                                    seconds=120)
        self.sw.wait_up(*sends)
        return peers

    def go(self, peers, name, sent, want):
        open(os.path.join(self.dir, "go-" + name), "w").close()
        wait_for(lambda: self.sw.port(name)["rx_packets"] >= sent, 15,
                 "%d frames into %s" % (sent, name))
        for p, n in want.items():
            wait_for(lambda: len(peers[p].frames()) >= n, 15, "%d frames at %s" % (n, p))

    def test_isolation_tags_spoofing_and_counters(self):
        s1 = [frame(src=MAC1, dst=BCAST, seq=1),
              frame(src=MAC9, dst=BCAST, seq=2),            # not vm1's MAC
              frame(src=MAC1, dst=BCAST, seq=3, vlan=5)]    # tagged on an access port
        s3 = [frame(src=MAC3, dst=BCAST, seq=4)]
        s0 = [frame(src=MAC4, dst=MAC1, seq=5, vlan=10, size=104),   # blue, to vm1
              frame(src=MAC5, dst=BCAST, seq=6, vlan=20, size=104),  # red
              frame(src=MAC5, dst=BCAST, seq=7, vlan=30, size=104),  # nobody's VLAN
              double_tagged(8)]
        peers = self.start_peers({"vm1": s1, "vm2": [], "vm3": s3, "up0": s0})
        raw = {i: bytes(f) for i, f in enumerate(s1 + s3 + s0, start=1)}

        self.go(peers, "vm1", 3, {"vm2": 1, "up0": 1})
        self.go(peers, "vm3", 1, {"up0": 2})
        self.go(peers, "up0", 4, {"vm1": 1, "vm3": 1})
        time.sleep(0.5)
        got = {p: peers[p].frames() for p in peers}
        self.assertEqual(got["vm2"], [raw[1]])
        self.assertEqual(got["up0"], [tag(raw[1], 10), tag(raw[4], 20)])
        self.assertEqual(got["vm1"], [untag(raw[5])])
        self.assertEqual(got["vm3"], [untag(raw[6])])

        blue = self.sw.json("show-tenant", "blue")
        self.assertTrue(blue["counters"])
        self.assertEqual(blue["dropped"], {"total": 3, "spoofed": 2, "vlan": 1, "vxlan": 0})
        self.assertEqual(sorted((m["mac"], m["port"]) for m in blue["macs"]),
                         [(MAC1, "vm1"), (MAC4, "up0")])
        (d,) = blue["domains"]
        self.assertEqual((d["id"], d["learned"], d["unicast"]), (4096, 2, 1))
        self.assertEqual(d["members"], [{"port": "vm1", "vlan": 0}, {"port": "vm2", "vlan": 0},
                                        {"port": "up0", "vlan": 10}])
        red = self.sw.json("show-tenant", "red")
        self.assertEqual(red["dropped"]["total"], 0)
        self.assertEqual(sorted(m["mac"] for m in red["macs"]), [MAC3, MAC5])
        text = self.sw.vswctl("show-tenant", "blue").stdout
        self.assertIn("  dropped: 3 (spoofed 2, vlan 1, vxlan 0)\n", text)
        self.assertIn("    vm1 (1): access, mac %s, ips 192.0.2.1\n" % MAC1, text)

    def test_tag_corner_cases(self):
        """Priority tags, 802.1ad and 0x9100 tags, DEI, VID 4095: each in its tenant or dropped.

        The key's tag is the outer 0x8100 or 0x88a8 one (its DEI ignored);
        0x9100 is no tag, just an EtherType.
        """
        raw = [bytes(frame(src=MAC2, dst=BCAST, seq=i)) for i in range(3)] + \
            [bytes(frame(src=MAC4, dst=BCAST, seq=i)) for i in range(3, 9)]
        s2 = [tagx(raw[0], 0x8100, 5 << 13),     # priority-tagged on an access port
              tagx(raw[1], 0x88a8, 20),          # an S-tag with red's VLAN
              tagx(raw[2], 0x9100, 20)]          # no tag: blue's own EtherType
        s0 = [tagx(raw[3], 0x8100, 3 << 13),                       # priority-tagged
              tagx(tagx(raw[4], 0x8100, 20), 0x88a8, 10),          # blue S-tag over red
              tagx(raw[5], 0x8100, 0x1000 | 20),                   # red, DEI set
              tagx(raw[6], 0x8100, 4095),                          # VID 4095
              tagx(raw[7], 0x88a8, 20),                            # red, as an S-tag
              tagx(raw[8], 0x9100, 10)]                            # untagged on the uplink
        peers = self.start_peers({"vm1": [], "vm2": s2, "vm3": [], "up0": s0})
        self.go(peers, "vm2", 3, {"vm1": 1, "up0": 1})
        self.go(peers, "up0", 6, {"vm3": 2})
        time.sleep(0.5)
        got = {p: peers[p].frames() for p in peers}
        self.assertEqual(got["vm1"], [s2[2]])
        self.assertEqual(got["up0"], [tag(s2[2], 10)])
        self.assertEqual(got["vm2"], [])
        self.assertEqual(got["vm3"], [raw[5], raw[7]])
        blue = self.sw.json("show-tenant", "blue")
        self.assertEqual(blue["dropped"]["total"], 3)  # vm2's two tagged frames, the S-tag pair
        self.assertEqual(self.sw.json("show-tenant", "red")["dropped"]["total"], 0)
        self.assertEqual(sorted(m["mac"] for m in blue["macs"]), [MAC2])

    def test_restarts(self):
        before = self.tenant_flows()
        self.assertTrue(before)
        self.assertEqual(self.tables(), {"vm1": 250, "vm2": 250, "vm3": 250, "up0": 250})
        domains = self.domains()
        self.assertEqual(sorted(domains), [4096, 8192])

        # vsw-control restarted: nothing in the dataplane changes, counters included.
        self.sw.control.stop(signal.SIGKILL)
        self.sw.start_control()
        self.sw.wait_connected()
        wait_for(lambda: "reconcile: dataplane already matches" in self.sw.control.output(), 10,
                 "the reconcile")
        self.assertEqual(self.tenant_flows(), before)
        self.assertEqual(self.domains(), domains)

        # The dataplane restarted: it gets every rule, domain and start table back.
        self.sw.dp.stop()
        self.sw.start_dataplane()
        wait_for(lambda: self.sw.show().get("dataplane") == "connected"
                 and self.tenant_flows() == before, 20, "the tenant state back")
        self.assertEqual(self.tables(), {"vm1": 250, "vm2": 250, "vm3": 250, "up0": 250})
        self.assertEqual(sorted(self.domains()), [4096, 8192])
        self.assertEqual(self.domains()[4096]["members"],
                         [{"port": 1, "vlan": 0}, {"port": 2, "vlan": 0}, {"port": 4, "vlan": 10}])

    def test_port_changes_tenant(self):
        sw = self.sw
        sw.vswctl("set-port", "vm2", "tenant=none")
        self.assertEqual(self.tables()["vm2"], 0)
        self.assertEqual([m["port"] for m in self.domains()[4096]["members"]], [1, 4])
        self.assertFalse([f for f, _ in self.tenant_flows() if "in_port=2," in f])
        sw.vswctl("set-port", "vm2", "tenant=red")
        self.assertEqual(self.tables()["vm2"], 250)
        self.assertEqual([m["port"] for m in self.domains()[8192]["members"]], [2, 3, 4])

        s1 = [frame(src=MAC1, dst=BCAST, seq=1)]
        s3 = [frame(src=MAC3, dst=BCAST, seq=2)]
        peers = self.start_peers({"vm1": s1, "vm2": [], "vm3": s3})
        self.go(peers, "vm1", 1, {})
        self.go(peers, "vm3", 1, {"vm2": 1})
        time.sleep(0.5)
        self.assertEqual(peers["vm2"].frames(), [bytes(s3[0])])
        self.assertEqual(peers["vm1"].frames(), [])
        self.assertEqual(peers["vm3"].frames(), [])


@unittest.skipUnless(os.geteuid() == 0, "needs root: a tap uplink and host routes")
class TenantVxlan(DataplaneSocket, VswTestCase):
    """VXLAN from tenant intent, with the next hop from the host kernel."""

    def vteps(self):
        return {v["ip"]: v["mac"] for v in self.dp("vtep-list")["vteps"]}

    def test_vxlan_port_domain_and_next_hop(self):
        sw, up = self.sw, "vt%su" % TAG
        sw.vswctl("add-port", "vm1", "vhost-user")
        sw.vswctl("add-port", up, "tap")
        sw.vswctl("add-tenant", "blue", "vlan=10", "vni=5000")
        sw.vswctl("set-port", "vm1", "tenant=blue")
        sw.vswctl("set-uplink", up, "local_ip=192.0.2.1")
        sw.vswctl("add-vtep", "blue", VTEP)

        ports = {p["name"]: p for p in self.dp("port-list")["ports"]}
        x = ports["@vxlan"]
        self.assertEqual((x["type"], x["underlay"], x["local_ip"], x["table"]),
                         ("vxlan", up, "192.0.2.1", 250))
        self.assertEqual(ports[up]["table"], 250)
        (d,) = self.dp("domain-list")["domains"]
        self.assertEqual((d["id"], d["vni"], d["vteps"]), (4096, 5000, [{"ip": VTEP, "vlan": 0}]))
        self.assertEqual(self.vteps(), {VTEP: None})  # no route through the uplink yet
        v = sw.json("show-tenant", "blue")["vteps"][0]
        self.assertEqual(v["state"], "unresolved")

        # The kernel learns a next hop on the uplink: vtep-set follows within seconds.
        sh("ip", "link", "set", up, "up")
        sh("ip", "route", "replace", VTEP + "/32", "dev", up)
        sh("ip", "neigh", "replace", VTEP, "lladdr", "02:00:5e:00:53:aa", "dev", up,
           "nud", "permanent")
        wait_for(lambda: self.vteps()[VTEP] == "02:00:5e:00:53:aa", 10, "the next hop")
        self.assertIn("    %s: resolved 02:00:5e:00:53:aa via %s" % (VTEP, up),
                      sw.vswctl("show-tenant", "blue").stdout)
        sh("ip", "neigh", "replace", VTEP, "lladdr", "02:00:5e:00:53:bb", "dev", up,
           "nud", "permanent")
        wait_for(lambda: self.vteps()[VTEP] == "02:00:5e:00:53:bb", 10, "the new next hop")

        # No local_ip: the VXLAN port and the domain's VTEPs go, the VTEP is forgotten.
        sw.vswctl("set-uplink", up)
        ports = {p["name"]: p for p in self.dp("port-list")["ports"]}
        self.assertNotIn("@vxlan", ports)
        (d,) = self.dp("domain-list")["domains"]
        self.assertEqual((d["vni"], d["vteps"]), (0, []))
        self.assertEqual(self.vteps(), {})


class TenantStaticNexthop(DataplaneSocket, VswTestCase):
    """VXLAN over a vhost-user uplink: no kernel interface, so a static next hop
    (set-uplink nexthop=MAC) for every VTEP; vsw-traffic --vxlan for the way in."""

    LOCAL, PEER, NEXTHOP = "192.0.2.1", "192.0.2.2", "02:00:5e:00:53:fe"
    LOCAL_MAC = "02:00:c0:00:02:01"  # the dataplane's MAC for a VXLAN port over vhost-user

    def setUp(self):
        super().setUp()
        sw = self.sw
        for p in ("vm1", "vm2"):
            sw.vswctl("add-port", p, "vhost-user")
        sw.vswctl("add-tenant", "blue", "vni=5000")
        sw.vswctl("set-port", "vm1", "tenant=blue")

    def test_static_next_hop_encap_and_decap(self):
        sw = self.sw
        # Refused with one line, nothing changed.
        for args, msg in (
                (("nexthop=02:00:5e:00:53",), "nexthop '02:00:5e:00:53' is not a MAC address "
                 "(02:00:00:00:00:01)"),
                (("nexthop=01:00:5e:00:00:01",), "nexthop 01:00:5e:00:00:01 is not a unicast "
                 "MAC address"),
                ((), "nexthop needs local_ip: it is the next hop of the VXLAN underlay")):
            argv = ["set-uplink", "vm2"] + ["local_ip=" + self.LOCAL] * bool(args) + \
                list(args or ("nexthop=" + self.NEXTHOP,))
            r = sw.vswctl(*argv, check=False)
            self.assertEqual((r.returncode, r.stderr), (1, "vswctl: set-uplink: %s\n" % msg))
        self.assertIsNone(sw.json("list-tenants")["uplink"])

        sw.vswctl("set-uplink", "vm2", "local_ip=" + self.LOCAL, "nexthop=" + self.NEXTHOP)
        sw.vswctl("add-vtep", "blue", self.PEER)
        self.assertEqual(self.dp("vtep-list")["vteps"][0]["mac"], self.NEXTHOP)
        self.assertIn("uplink vm2: local_ip=%s nexthop=%s\n" % (self.LOCAL, self.NEXTHOP),
                      sw.vswctl("list-tenants").stdout)
        self.assertIn("    %s: resolved (static) %s via vm2" % (self.PEER, self.NEXTHOP),
                      sw.vswctl("show-tenant", "blue").stdout)
        x = {p["name"]: p for p in self.dp("port-list")["ports"]}["@vxlan"]
        self.assertEqual(x["mac"], self.LOCAL_MAC)

        # A VM's broadcast leaves the uplink as VXLAN to the next hop, byte for byte.
        peers = {n: self.peer(n, send=s, capture=self.capture_path(n),
                              start_file=os.path.join(self.dir, "go-" + n), seconds=120)
                 for n, s in (("vm1", [frame(src=MAC1, dst=BCAST, seq=1)]), ("vm2", None))}
        sw.wait_up("vm1", "vm2")
        open(os.path.join(self.dir, "go-vm1"), "w").close()
        (raw,) = wait_for(lambda: peers["vm2"].frames(), 15, "the VXLAN frame at vm2")
        inner = bytes(frame(src=MAC1, dst=BCAST, seq=1))
        got = Ether(raw)
        want = Ether(src=self.LOCAL_MAC, dst=self.NEXTHOP) / IP(
            src=self.LOCAL, dst=self.PEER, ttl=64, flags=0, id=got[IP].id) / UDP(
            sport=got[UDP].sport, dport=4789, chksum=0) / Raw(
            bytes([0x08, 0, 0, 0]) + (5000).to_bytes(3, "big") + b"\0" + inner)
        self.assertEqual(raw, bytes(want))
        self.assertTrue(49152 <= got[UDP].sport <= 65535)
        for p in peers.values():
            p.stop()

        # The way in: vsw-traffic sends VXLAN from the VTEP; vm1 gets the inner frames.
        rx = self.peer("vm1", name="rx1", capture=self.capture_path("rx1"), seconds=60)
        sw.wait_up("vm1")
        tx = self.peer("vm2", name="tx2", gen={"count": 20, "rate": 1000, "src-mac": MAC2,
                                               "dst-mac": BCAST, "vxlan": "5000,%s,%s" % (
                                                   self.PEER, self.LOCAL)})
        code, summary = tx.wait()
        self.assertEqual((code, summary["tx_packets"]), (0, 20))
        got = wait_for(lambda: len(rx.frames()) >= 20 and rx.frames(), 15, "20 inner frames")
        self.assertEqual(len(got), 20)
        for raw in got:
            p = Ether(raw)
            self.assertEqual((p.src, p.dst, len(raw), p[IP].src, p[UDP].dport),
                             (MAC2, BCAST, 60, "198.18.0.1", 9))
        macs = {m["mac"]: m for m in self.dp("mac-list")["macs"]}
        self.assertEqual(macs[MAC2].get("vtep"), self.PEER)  # learned behind the VTEP
        rx.stop()

        # Without nexthop: back to the kernel, which has no interface for vm2.
        sw.vswctl("set-uplink", "vm2", "local_ip=" + self.LOCAL)
        self.assertIsNone(self.dp("vtep-list")["vteps"][0]["mac"])
        self.assertIn("    %s: unresolved: uplink 'vm2' (vhost-user) has no kernel interface"
                      % self.PEER, sw.vswctl("show-tenant", "blue").stdout)


if __name__ == "__main__":
    main()
