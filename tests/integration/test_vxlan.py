#!/usr/bin/env python3
"""VXLAN in the dataplane, through real vhost-user ports.

One vhost-user port ("uplink") is the VXLAN underlay: its peer plays the
remote VTEP and the network, sending VXLAN frames built with scapy and
capturing what the switch sends. Another ("vm1") is a VM. The VXLAN port
and the VTEP table are set up on the dataplane's own socket (vsw-control
does not create them yet); user flows in table 0 go through vswctl.

Checked byte for byte: decapsulation delivers the exact inner frame, with
tun_id and tun_src matchable; encapsulation writes the exact outer headers
(MACs, addresses, TTL, UDP 4789, VNI, a valid IPv4 checksum, a source port in
49152..65535 that is stable per flow and differs across flows); malformed
VXLAN (truncated, flags without I, inner frame too short) is dropped and
counted, other UDP ports are not decapsulated; too-big frames and unresolved
VTEPs are dropped and counted; ARP for the local address is answered.
"""

import time

from scapy.all import ARP, IP, UDP, Dot1Q, Ether, Raw  # noqa: F401
from scapy.layers.vxlan import VXLAN

from test_pipeline import dp_call
from vswtest import VswTestCase, main, wait_for

LOCAL_IP = "198.51.100.1"
LOCAL_MAC = "02:00:c6:33:64:01"  # made from LOCAL_IP: a vhost-user underlay has no MAC
PEER_IP = "198.51.100.2"
PEER_MAC = "02:00:00:00:02:02"  # the next hop toward PEER_IP (vtep-set)
PEER2_IP, PEER2_MAC = "198.51.100.3", "02:00:00:00:02:03"  # a second VTEP
VNI = 5000
XPORT = 4000  # the VXLAN port's number (vsw-control numbers its own ports from 1)
VM_A, VM_B, VM_C = "02:00:00:00:00:0a", "02:00:00:00:00:0b", "02:00:00:00:00:0c"


def inner(sport=1000, dst=VM_B, size=60, vlan=None, n=0):
    """A VM's UDP frame, padded to `size` bytes."""
    p = Ether(src=VM_A, dst=dst)
    if vlan is not None:
        p = p / Dot1Q(vlan=vlan)
    p = p / IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=sport, dport=7)
    payload = b"inner-%04d-" % n
    return bytes(p / Raw(payload + b"\x00" * max(0, size - len(p) - len(payload))))


def vxlan(payload, vni=VNI, src=PEER_IP, dst=LOCAL_IP, dport=4789, flags=0x08, sport=51000):
    """A VXLAN frame from the remote VTEP to us (UDP checksum 0, as RFC 7348 says)."""
    return bytes(Ether(src=PEER_MAC, dst=LOCAL_MAC) / IP(src=src, dst=dst)
                 / UDP(sport=sport, dport=dport, chksum=0) / VXLAN(vni=vni, flags=flags)
                 / Raw(payload))


def as_pcap_frame(raw):
    """scapy's Ether when it gives back these very bytes (a pcap of Ethernet), else Raw."""
    p = Ether(raw)
    return p if bytes(p) == raw else Raw(raw)


def ipv4_checksum_ok(raw):
    p = Ether(raw)
    del p[IP].chksum
    return bytes(p)[:34] == raw[:34]


class VxlanCase(VswTestCase):

    def setUp(self):
        super().setUp()
        self.capturing = {}
        for n in ("uplink", "vm1"):
            self.sw.vswctl("add-port", n, "vhost-user")
        self.dp(cmd="port-add", name="@vxlan", port_no=XPORT, type="vxlan", underlay="uplink",
                local_ip=LOCAL_IP)
        self.dp(cmd="vtep-set", ip=PEER_IP, mac=PEER_MAC)

    def dp(self, ok=True, **req):
        r = dp_call(self.sw, req)
        if ok:
            self.assertTrue(r.get("ok"), "%s: %s" % (req, r))
        return r

    def ports(self):
        return {p["name"]: p for p in self.dp(cmd="port-list")["ports"]}

    def drops(self, name):
        return {k: v for k, v in self.ports()[name]["drops"].items() if v}

    def vteps(self):
        return {v["ip"]: v for v in self.dp(cmd="vtep-list")["vteps"]}

    def flows(self, *lines):
        for line in lines:
            self.sw.vswctl("add-flow", line)

    def exchange(self, sends, want, settle=0.5):
        """Peers send (port -> frames) and capture; wait for want[port] new frames at each.

        A capturing peer stays attached for later calls (frames are counted from
        where the last call left off); a sending peer exits once done. Waits until
        every sending port counted what it was sent, then `settle` seconds more,
        so that a frame that should not arrive would have; returns the frames
        each port in `want` received in this call."""
        for port in want:
            if port not in sends and port not in self.capturing:
                self.capturing[port] = self.peer(port, capture=self.capture_path(port))
        self.sw.wait_up(*[port for port in want if port not in sends])
        base = {port: len(self.capturing[port].frames()) for port in self.capturing}
        rx_base = {port: self.ports()[port]["rx_packets"] for port in sends}
        senders = {}
        for port, frames in sends.items():
            self.assertNotIn(port, self.capturing)
            senders[port] = self.peer(port, send=[as_pcap_frame(f) for f in frames],
                                      capture=self.capture_path(port + "-send"),
                                      expect=want.get(port) or None)
        for port, frames in sends.items():
            self.assertEqual(senders[port].wait()[0], 0)
            wait_for(lambda: self.ports()[port]["rx_packets"] == rx_base[port] + len(frames),
                     15, "%d frames into %s" % (len(frames), port))

        def frames(port):
            if port in senders:
                return senders[port].frames()
            return self.capturing[port].frames()[base[port]:]
        for port, n in want.items():
            wait_for(lambda: len(frames(port)) >= n, 15, "%d frames at %s" % (n, port))
        time.sleep(settle)
        got = {port: frames(port) for port in want}
        for port, n in want.items():
            self.assertEqual(len(got[port]), n, "frames at %s" % port)
        return got


class Decapsulation(VxlanCase):

    def test_inner_frames_enter_on_the_vxlan_port(self):
        self.flows(
            "priority=100,in_port=%d,tun_id=%d,tun_src=%s,actions=output:vm1" % (XPORT, VNI, PEER_IP),
            "priority=100,in_port=%d,tun_id=5001,tun_src=198.51.100.0/24,"
            "actions=mod_dl_src:02:aa:00:00:00:01,output:vm1" % XPORT,
            "priority=1,in_port=%d,actions=drop" % XPORT,
            "priority=100,in_port=uplink,udp,tp_dst=4790,actions=output:vm1")
        good = [inner(n=0), inner(sport=2000, size=200, n=1), inner(vlan=7, n=2)]
        other_vni = inner(n=3)
        full = vxlan(good[0])
        sent = [vxlan(f, sport=51000 + i) for i, f in enumerate(good)] + [
            vxlan(other_vni, vni=5001, src="198.51.100.7"),  # the /24 rule
            vxlan(inner(n=4), src="203.0.113.5"),  # a source no rule allows
            vxlan(inner(n=5), vni=7777),  # an unknown VNI
            full[:46],  # VXLAN header cut
            full[:70],  # inner frame cut: shorter than the IP length says
            vxlan(inner(n=6), flags=0x00),  # the I flag clear
            vxlan(inner(n=7)[:10]),  # an inner frame shorter than Ethernet
            vxlan(inner(n=8), dport=4790),  # another UDP port: an ordinary frame
            vxlan(inner(n=9), dst="198.51.100.99"),  # another address: ordinary
        ]
        got = self.exchange({"uplink": sent}, {"vm1": 5})["vm1"]
        rewritten = Ether(other_vni)
        rewritten.src = "02:aa:00:00:00:01"
        self.assertEqual(got, good + [bytes(rewritten), sent[10]])
        ports = self.ports()
        up, vx = ports["uplink"], ports["@vxlan"]
        self.assertEqual((up["rx_packets"], up["rx_bytes"]),
                         (len(sent), sum(len(f) for f in sent)))
        self.assertEqual(self.drops("uplink"), {"vxlan_malformed": 4, "no_match": 1})
        decapsulated = good + [other_vni, inner(n=4), inner(n=5)]
        self.assertEqual((vx["rx_packets"], vx["rx_bytes"]),
                         (6, sum(len(f) for f in decapsulated)))
        self.assertEqual(self.drops("@vxlan"), {"action_drop": 2})
        counts = {f["match"]: f["n_packets"] for f in self.sw.flows()}
        self.assertEqual(counts["priority=100,tun_id=0x1388,tun_src=%s,in_port=%d"
                                % (PEER_IP, XPORT)], 3)
        self.assertEqual(counts["priority=100,tun_id=0x1389,tun_src=198.51.100.0/24,"
                                "in_port=%d" % XPORT], 1)
        self.assertEqual(counts["priority=1,in_port=%d" % XPORT], 2)

    def test_arp_for_the_local_address_is_answered(self):
        self.flows("priority=100,in_port=uplink,arp,actions=output:vm1")
        ask = Ether(src=PEER_MAC, dst="ff:ff:ff:ff:ff:ff") / ARP(
            op=1, hwsrc=PEER_MAC, psrc=PEER_IP, pdst=LOCAL_IP)
        other = Ether(src=PEER_MAC, dst="ff:ff:ff:ff:ff:ff") / ARP(
            op=1, hwsrc=PEER_MAC, psrc=PEER_IP, pdst="198.51.100.77")
        got = self.exchange({"uplink": [bytes(ask), bytes(other)]}, {"uplink": 1, "vm1": 1})
        want = Ether(src=LOCAL_MAC, dst=PEER_MAC) / ARP(
            op=2, hwsrc=LOCAL_MAC, psrc=LOCAL_IP, hwdst=PEER_MAC, pdst=PEER_IP)
        self.assertEqual(got["uplink"], [bytes(want)])
        self.assertEqual(got["vm1"], [bytes(other)])  # only the other one was classified
        up = self.ports()["uplink"]
        self.assertEqual((up["rx_packets"], up["tx_packets"]), (2, 1))
        self.assertEqual(self.drops("uplink"), {})


class Encapsulation(VxlanCase):

    def test_outer_headers(self):
        self.flows("priority=100,in_port=vm1,actions=set_field:%s->tun_dst,"
                   "set_field:%d->tun_id,output:%d" % (PEER_IP, VNI, XPORT))
        sent = [inner(sport=s, size=60 + 10 * i, n=i)
                for i, s in enumerate((1000, 2000, 3000, 1000, 2000, 3000))]
        sent.append(inner(sport=4000, vlan=9, n=6))  # a VM's own tag stays inside
        got = self.exchange({"vm1": sent}, {"uplink": len(sent)})["uplink"]
        sports, ids = [], set()
        for raw, f in zip(got, sent):
            p = Ether(raw)
            self.assertEqual((p.dst, p.src, p.type), (PEER_MAC, LOCAL_MAC, 0x0800))
            ip = p[IP]
            self.assertEqual((ip.version, ip.ihl, ip.tos, ip.len, ip.flags, ip.frag, ip.ttl,
                              ip.proto, ip.src, ip.dst),
                             (4, 5, 0, 36 + len(f), 0, 0, 64, 17, LOCAL_IP, PEER_IP))
            self.assertTrue(ipv4_checksum_ok(raw), "outer IPv4 checksum")
            udp = p[UDP]
            self.assertEqual((udp.dport, udp.len, udp.chksum), (4789, 16 + len(f), 0))
            self.assertTrue(49152 <= udp.sport <= 65535)
            self.assertEqual(raw[42:50], bytes([0x08, 0, 0, 0]) + VNI.to_bytes(3, "big") + b"\0")
            self.assertEqual(p[VXLAN].vni, VNI)
            self.assertEqual(raw[50:], f)  # the inner frame, exactly
            sports.append(udp.sport)
            ids.add(ip.id)
        # one flow, one source port; three flows, three ports
        self.assertEqual(sports[0:3], sports[3:6])
        self.assertEqual(len(set(sports[0:3] + [sports[6]])), 4)
        self.assertEqual(len(ids), len(sent))
        v = self.vteps()[PEER_IP]
        self.assertEqual((v["mac"], v["tx_packets"], v["tx_bytes"], v["drops"]),
                         (PEER_MAC, len(sent), sum(50 + len(f) for f in sent), 0))
        ports = self.ports()
        self.assertEqual((ports["@vxlan"]["tx_packets"], ports["@vxlan"]["tx_bytes"]),
                         (len(sent), sum(len(f) for f in sent)))
        self.assertEqual(ports["uplink"]["tx_packets"], len(sent))
        self.assertEqual(self.drops("vm1"), {})

    def check_vxlan(self, raw, ip, mac, payload):
        p = Ether(raw)
        self.assertEqual((p.dst, p.src, p[IP].dst, p[IP].src), (mac, LOCAL_MAC, ip, LOCAL_IP))
        self.assertEqual(p[IP].len, 36 + len(payload))
        self.assertTrue(ipv4_checksum_ok(raw), "outer IPv4 checksum")
        self.assertEqual(raw[50:], payload)

    def test_outputs_carry_the_frame_as_it_was(self):
        """Outputs are encapsulated when the pipeline ends, in the frame's own
        headroom when nothing else holds it, else in a copy: several VXLAN
        outputs of one frame, and an edit between them, each carry the frame
        as it was at its output."""
        self.dp(cmd="vtep-set", ip=PEER2_IP, mac=PEER2_MAC)
        self.flows("priority=100,in_port=vm1,actions=set_field:%s->tun_dst,set_field:%d->tun_id,"
                   "output:%d,set_field:%s->tun_dst,output:%d,mod_dl_src:%s,"
                   "set_field:%s->tun_dst,output:%d"
                   % (PEER_IP, VNI, XPORT, PEER2_IP, XPORT, VM_C, PEER_IP, XPORT))
        sent = [inner(sport=1000 + i, size=60 + 30 * i, n=i) for i in range(3)]
        got = self.exchange({"vm1": sent}, {"uplink": 3 * len(sent)})["uplink"]
        vm_c = bytes.fromhex(VM_C.replace(":", ""))
        for i, f in enumerate(sent):
            edited = f[:6] + vm_c + f[12:]
            for raw, ip, mac, payload in zip(got[3 * i:3 * i + 3], (PEER_IP, PEER2_IP, PEER_IP),
                                             (PEER_MAC, PEER2_MAC, PEER_MAC), (f, f, edited)):
                self.check_vxlan(raw, ip, mac, payload)
        self.assertEqual(self.vteps()[PEER_IP]["tx_packets"], 2 * len(sent))
        self.assertEqual(self.vteps()[PEER2_IP]["tx_packets"], len(sent))
        self.assertEqual(self.drops("vm1"), {})

    def test_inner_tag_of_a_domain_vtep(self):
        """`normal` floods to the VTEPs of the domain with their inner tag: the
        tag goes into the frame's headroom (the last copy) or into a copy."""
        vm1 = self.ports()["vm1"]["port_no"]
        dom = 0x1005
        self.dp(cmd="vtep-set", ip=PEER2_IP, mac=PEER2_MAC)
        self.dp(cmd="domain-set", id=dom, vni=VNI, members=[{"port": vm1}],
                vteps=[{"ip": PEER_IP, "vlan": 30}, {"ip": PEER2_IP, "vlan": 30}])
        self.flows("priority=100,in_port=vm1,actions=set_field:%d->metadata,normal" % dom)
        sent = [inner(dst="ff:ff:ff:ff:ff:ff", sport=2000 + i, size=64 + 100 * i, n=i)
                for i in range(3)]
        got = self.exchange({"vm1": sent}, {"uplink": 2 * len(sent)})["uplink"]
        for i, f in enumerate(sent):
            tagged = f[:12] + bytes([0x81, 0, 0, 30]) + f[12:]
            for raw, ip, mac in zip(got[2 * i:2 * i + 2], (PEER_IP, PEER2_IP),
                                    (PEER_MAC, PEER2_MAC)):
                self.check_vxlan(raw, ip, mac, tagged)
                self.assertEqual(Ether(raw)[VXLAN].vni, VNI)
        self.assertEqual(self.drops("vm1"), {})

    def test_unresolved_vtep_and_too_big(self):
        self.dp(cmd="vtep-set", ip="198.51.100.3", mac=None)  # known, no next hop yet
        for port, dst in ((1, "198.51.100.3"), (2, "198.51.100.4"), (3, PEER_IP)):
            self.flows("priority=100,in_port=vm1,udp,tp_src=%d,actions=set_field:%s->tun_dst,"
                       "set_field:%d->tun_id,output:%d" % (port, dst, VNI, XPORT))
        fits = inner(sport=3, size=1500 - 36, n=2)  # outer IPv4 total length 1500: the MTU
        sent = [inner(sport=1, n=0), inner(sport=2, n=1), fits,
                inner(sport=3, size=1500 - 36 + 1, n=3)]
        got = self.exchange({"vm1": sent}, {"uplink": 1})["uplink"]
        self.assertEqual(len(got[0]), 14 + 1500)
        self.assertEqual(Ether(got[0])[IP].len, 1500)
        self.assertEqual(got[0][50:], fits)
        self.assertEqual(self.drops("vm1"), {"vtep_unresolved": 2, "too_big": 1})
        v = self.vteps()
        self.assertEqual((v["198.51.100.3"]["mac"], v["198.51.100.3"]["drops"]), (None, 1))
        self.assertEqual((v[PEER_IP]["tx_packets"], v[PEER_IP]["drops"]), (1, 1))
        self.assertNotIn("198.51.100.4", v)
        # The next hop is resolved: the same flow goes out, to that MAC.
        self.dp(cmd="vtep-set", ip="198.51.100.3", mac="02:00:00:00:03:03")
        again = inner(sport=1, n=4)
        got = self.exchange({"vm1": [again]}, {"uplink": 1})["uplink"]
        p = Ether(got[0])
        self.assertEqual((p.dst, p[IP].dst, got[0][50:]), ("02:00:00:00:03:03", "198.51.100.3",
                                                          again))
        v = self.vteps()["198.51.100.3"]
        self.assertEqual((v["tx_packets"], v["drops"]), (1, 1))  # counters kept


class Configuration(VxlanCase):

    def test_port_and_vtep_commands(self):
        x = self.ports()["@vxlan"]
        self.assertEqual({k: x[k] for k in ("type", "underlay", "local_ip", "mac", "state")},
                         {"type": "vxlan", "underlay": "uplink", "local_ip": LOCAL_IP,
                          "mac": LOCAL_MAC, "state": "down"})
        self.assertNotIn("path", x)
        # up when its underlay is
        self.peer("uplink")
        wait_for(lambda: self.ports()["@vxlan"]["state"] == "up", 30, "@vxlan up")
        errors = [
            (dict(name="@vx2", port_no=4001, type="vxlan", underlay="uplink",
                  local_ip="198.51.100.9"),
             "port-add: vxlan: there is a vxlan port already ('@vxlan')"),
            (dict(name="@vxlan", port_no=4001, type="vxlan", underlay="uplink",
                  local_ip=LOCAL_IP), "port-add: port '@vxlan' exists"),
        ]
        for req, msg in errors:
            self.assertEqual(self.dp(ok=False, cmd="port-add", **req),
                             {"ok": False, "error": msg})
        r = self.dp(ok=False, cmd="port-del", name="uplink")
        self.assertEqual(r["error"], "port-del: port 'uplink' carries vxlan port '@vxlan': "
                                     "delete that first")
        self.dp(cmd="port-del", name="@vxlan")
        bad = [
            (dict(underlay="nope", local_ip=LOCAL_IP),
             "port-add: vxlan: \"underlay\" must name a port ('nope' is none)"),
            (dict(underlay="uplink", local_ip="224.0.0.5"),
             "port-add: vxlan: \"local_ip\" must be a unicast IPv4 address, not '224.0.0.5'"),
            (dict(underlay="uplink", local_ip="198.51.100"),
             "port-add: vxlan: \"local_ip\" must be a unicast IPv4 address, not '198.51.100'"),
            (dict(underlay="uplink", local_ip=LOCAL_IP, mac="01:00:5e:00:00:01"),
             "port-add: vxlan: \"mac\" must be a unicast MAC address (xx:xx:xx:xx:xx:xx)"),
        ]
        for req, msg in bad:
            self.assertEqual(self.dp(ok=False, cmd="port-add", name="@vx", port_no=4002,
                                     type="vxlan", **req), {"ok": False, "error": msg})
        self.assertNotIn("@vx", self.ports())
        # a MAC of our choosing
        self.dp(cmd="port-add", name="@vx", port_no=4002, type="vxlan", underlay="uplink",
                local_ip="203.0.113.1", mac="02:12:34:56:78:9a")
        self.assertEqual(self.ports()["@vx"]["mac"], "02:12:34:56:78:9a")

        self.dp(cmd="vtep-set", ip="198.51.100.3")  # no mac: unresolved
        self.dp(cmd="vtep-set", ip="10.0.0.1", mac="02:00:00:00:00:01")
        self.dp(cmd="vtep-set", ip=PEER_IP, mac="02:00:00:00:09:09")  # a new next hop
        self.assertEqual([(v["ip"], v["mac"]) for v in self.dp(cmd="vtep-list")["vteps"]],
                         [("10.0.0.1", "02:00:00:00:00:01"), (PEER_IP, "02:00:00:00:09:09"),
                          ("198.51.100.3", None)])
        for req, msg in [
                (dict(cmd="vtep-set", ip="0.0.0.0"),
                 "vtep-set: \"ip\" must be a unicast IPv4 address, not '0.0.0.0'"),
                (dict(cmd="vtep-set", ip=PEER_IP, mac="02:00:00:00:00"),
                 "vtep-set: \"mac\" must be a unicast MAC address (xx:xx:xx:xx:xx:xx) or null"),
                (dict(cmd="vtep-set", ip=PEER_IP, mac=5),
                 "vtep-set: \"mac\" must be a unicast MAC address (xx:xx:xx:xx:xx:xx) or null"),
                (dict(cmd="vtep-set"), "vtep-set: \"ip\" must be a unicast IPv4 address, not ''"),
                (dict(cmd="vtep-del", ip="198.51.100.99"), "vtep-del: no VTEP 198.51.100.99")]:
            self.assertEqual(self.dp(ok=False, **req), {"ok": False, "error": msg})
        self.dp(cmd="vtep-del", ip="10.0.0.1")
        self.assertEqual(sorted(self.vteps()), [PEER_IP, "198.51.100.3"])
        self.assertEqual(self.vteps()[PEER_IP]["mac"], "02:00:00:00:09:09")


if __name__ == "__main__":
    main()
