#!/usr/bin/env python3
"""Two hosts joined by a veth underlay: tenants cross in VXLAN, and only their own.

Each "host" is a network namespace running its own vsw-dataplane and
vsw-control; the uplink is a DPDK af_packet port on the host's end of the
underlay veth, whose kernel also has an address there (198.51.100.1x) and so
resolves the remote VTEP the way a real host does. VMs are traffic-tool
peers on vhost-user sockets. The uplinks are opened with qdisc_bypass=0:
with DPDK's default (bypass) the host's tcpdump does not see what vsw sends.
"""

import os
import time

from netns import Net, NsSwitch, SUFFIX, sh, tshark
from scapy.all import Ether, IP, UDP, Raw  # noqa: F401
from vswtest import BCAST, Peer, Proc, read_frames, unittest, wait_for, main

RA, RB = "02:00:00:00:0a:01", "02:00:00:00:0b:01"  # red VMs on host A and B
BA, BB = "02:00:00:00:0a:02", "02:00:00:00:0b:02"  # blue VMs
VTEP = {"A": "198.51.100.1", "B": "198.51.100.2"}
HOSTIP = {"A": "198.51.100.11", "B": "198.51.100.12"}


def pkt(src, dst, tag, n, size=100):
    p = Ether(src=src, dst=dst) / IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=5000 + n, dport=7)
    payload = ("%s-%04d" % (tag, n)).encode()
    return p / Raw(payload.ljust(size - len(p), b"."))


def tag_of(frame):
    for t in (b"red-", b"blue-"):
        if t in frame:
            return t.decode()[:-1]
    return None


def vtep_states(sw, tenant):
    """{remote ip: resolved?} from show-tenant."""
    out = {}
    for v in sw.json("show-tenant", tenant).get("vteps", []):
        out[v["ip"]] = v.get("state") == "resolved" or v.get("resolved") is True
    return out


class Overlay(unittest.TestCase):

    def setUp(self):
        import tempfile
        self.dir = tempfile.mkdtemp(prefix="vsw-overlay-")
        self.net = Net()
        self.procs = []
        self.hosts = {}
        ha, hb = self.net.ns("hA"), self.net.ns("hB")
        self.ua, self.ub = self.net.veth("uA", ha, "uB", hb)
        ha.addr(self.ua, HOSTIP["A"] + "/24")
        hb.addr(self.ub, HOSTIP["B"] + "/24")
        for h, ns, dev, other in (("A", ha, self.ua, "B"), ("B", hb, self.ub, "A")):
            sw = NsSwitch(os.path.join(self.dir, h), ns)
            self.procs.append(sw)
            sw.start()
            sw.vswctl("add-port", "up", "dpdk", "net_af_packet,iface=%s,qdisc_bypass=0" % dev)
            sw.vswctl("set-uplink", "up", "local_ip=" + VTEP[h])
            sw.vswctl("add-tenant", "red", "vni=100")
            sw.vswctl("add-tenant", "blue", "vni=200")
            for t in ("red", "blue"):
                sw.vswctl("add-vtep", t, VTEP[other])
                sw.vswctl("add-port", t[0] + h.lower(), "vhost-user")
                sw.vswctl("set-port", t[0] + h.lower(), "tenant=" + t)
            self.hosts[h] = sw
        for h, sw in self.hosts.items():
            for t in ("red", "blue"):
                wait_for(lambda: all(vtep_states(sw, t).values()) and vtep_states(sw, t), 20,
                         "host %s: %s's VTEP resolved" % (h, t))

    def tearDown(self):
        for p in self.procs:
            p.stop()
        self.net.cleanup()
        if not os.environ.get("VSW_KEEP"):
            sh("rm", "-rf", self.dir)

    def peer(self, host, port, **kw):
        sw = self.hosts[host]
        p = Peer(self.dir, sw.sock(port), name="%s-%s" % (host, port), **kw)
        self.procs.append(p)
        return p

    def capture_underlay(self, name):
        path = os.path.join(self.dir, name + ".pcap")
        ns = self.hosts["A"].ns
        p = Proc(ns.argv("tcpdump", "-i", self.ua, "-U", "--immediate-mode", "-w", path,
                         "udp port 4789"),
                 os.path.join(self.dir, name + "-tcpdump.log"))
        self.procs.append(p)
        wait_for(lambda: "listening" in p.output(), 10, "tcpdump to start")
        return p, path

    def test_tenants_cross_hosts_in_vxlan_and_only_their_own(self):
        dump, underlay = self.capture_underlay("underlay")
        go = os.path.join(self.dir, "go")
        sends = {
            ("A", "ra"): [pkt(RA, BCAST, "red", 0), pkt(RA, RB, "red", 1)],
            ("A", "ba"): [pkt(BA, BCAST, "blue", 0), pkt(BA, RB, "blue", 1)],  # to red's MAC
            ("B", "rb"): [pkt(RB, RA, "red", 2)],
            ("B", "bb"): [pkt(BB, BCAST, "blue", 2)],
        }
        peers = {}
        for (h, port), send in sends.items():
            peers[(h, port)] = self.peer(h, port, send=send, start_file=go, seconds=6,
                                         capture=os.path.join(self.dir, "%s-%s.pcap" % (h, port)))
        for h, port in sends:
            self.hosts[h].wait_up(port)
        open(go, "w").close()
        for p in peers.values():
            self.assertEqual(p.wait()[0], 0)
        got = {k: p.frames() for k, p in peers.items()}
        # same tenant: exact frames across the hosts (the unicast to RA was learned or flooded)
        self.assertEqual(sorted(got[("B", "rb")]), sorted(bytes(f) for f in sends[("A", "ra")]))
        self.assertEqual(sorted(got[("A", "ra")]), sorted(bytes(f) for f in sends[("B", "rb")]))
        self.assertEqual(sorted(got[("B", "bb")]), sorted(bytes(f) for f in sends[("A", "ba")]))
        self.assertEqual(sorted(got[("A", "ba")]), sorted(bytes(f) for f in sends[("B", "bb")]))
        # on the wire: valid VXLAN (tshark decodes it), red in VNI 100, blue in VNI 200
        time.sleep(0.5)
        dump.stop()
        rows = tshark(underlay, "vxlan.vni", "ip.src", "ip.dst", "udp.dstport", "data.data",
                      display_filter="vxlan")
        self.assertEqual(len(rows), len(read_frames(underlay)))
        self.assertEqual(len(rows), 6)
        for vni, src, dst, dport, _ in rows:
            self.assertEqual(dport, "4789")
            self.assertIn((src, dst), ((VTEP["A"], VTEP["B"]), (VTEP["B"], VTEP["A"])))
        for raw in read_frames(underlay):
            e = Ether(raw)
            vni = int.from_bytes(bytes(e[UDP].payload)[4:7], "big")
            self.assertEqual(vni, {"red": 100, "blue": 200}[tag_of(raw)])

    def test_underlay_change_is_followed(self):
        """Route and neighbour changes in host A's kernel move the encapsulation within 1 s."""
        ns = self.hosts["A"].ns
        dump, underlay = self.capture_underlay("change")
        rb = self.peer("B", "rb", capture=os.path.join(self.dir, "rb.pcap"))
        self.hosts["B"].wait_up("rb")
        ra = self.peer("A", "ra", gen={"size": 100, "rate": 2000, "src-mac": RA, "dst-mac": RB},
                       seconds=8)
        self.hosts["A"].wait_up("ra")
        time.sleep(2)
        t_route = time.time()
        ns.run("ip", "neigh", "replace", "198.51.100.99", "lladdr", "02:00:00:00:99:99",
               "dev", self.ua, "nud", "permanent")
        ns.run("ip", "route", "replace", VTEP["B"] + "/32", "via", "198.51.100.99", "dev", self.ua)
        time.sleep(2)
        t_neigh = time.time()
        ns.run("ip", "route", "del", VTEP["B"] + "/32")
        ns.run("ip", "neigh", "replace", VTEP["B"], "lladdr", "02:00:00:00:88:88",
               "dev", self.ua, "nud", "permanent")
        time.sleep(2)
        self.assertEqual(ra.wait(30)[0], 0)
        time.sleep(0.5)
        dump.stop()
        rows = [(float(t), mac) for t, mac, src in
                tshark(underlay, "frame.time_epoch", "eth.dst", "ip.src", display_filter="vxlan")
                if src == VTEP["A"]]
        self.assertGreater(len(rows), 1000)
        real = self.hosts["B"].ns.mac(self.ub)

        def macs_between(a, b):
            return {m for t, m in rows if a <= t < b}
        self.assertEqual(macs_between(0, t_route), {real})
        self.assertEqual(macs_between(t_route + 1, t_neigh), {"02:00:00:00:99:99"})
        self.assertEqual(macs_between(t_neigh + 1, 1e12), {"02:00:00:00:88:88"})
        self.assertGreater(len(rb.frames()), 0)

    def test_unresolved_vtep_is_shown_and_counted(self):
        sw = self.hosts["A"]
        sw.vswctl("add-vtep", "red", "203.0.113.7")  # no route to it in host A's kernel
        wait_for(lambda: vtep_states(sw, "red").get("203.0.113.7") is False, 10,
                 "203.0.113.7 shown unresolved")
        shown = [v for v in sw.json("show-tenant", "red")["vteps"] if v["ip"] == "203.0.113.7"][0]
        self.assertIn("route", str(shown.get("reason", shown)))
        ra = self.peer("A", "ra", send=[pkt(RA, BCAST, "red", n) for n in range(5)])
        self.assertEqual(ra.wait()[0], 0)
        wait_for(lambda: sw.port("ra")["drops"].get("vtep_unresolved", 0) == 5, 10,
                 "5 copies to the unresolved VTEP counted")


if __name__ == "__main__":
    main()
