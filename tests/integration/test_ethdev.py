#!/usr/bin/env python3
"""Ethdev ports: a kernel tap interface and an af_packet device as switch ports.

The dataplane runs alone here and is driven over its own JSON socket: these
tests are about the port types, and vsw-control's reconcile would remove
ports it does not have in its store. Kernel endpoints live in network
namespaces made for the test (192.0.2.0/24 only) and removed after it, also
when it fails.
"""

import json
import os
import subprocess
import unittest

from scapy.all import ARP, ICMP, IP, Ether, Raw, wrpcap

from vswtest import MAC1, MAC2, MAC3, VswTestCase, frames, main, read_frames, wait_for

PY = "/usr/bin/python3"
KERNEL_IP = "192.0.2.1"
PEER_IP = "192.0.2.2"
TAG = "%05d" % (os.getpid() % 100000)  # keeps names apart from other runs on this host


def sh(*argv, check=True):
    r = subprocess.run(list(argv), capture_output=True, text=True, timeout=60)
    if check and r.returncode != 0:
        raise AssertionError("%s failed (%d): %s" % (" ".join(argv), r.returncode,
                                                      r.stderr.strip()))
    return r


def link_exists(ifname, netns=None):
    argv = ["ip"] + (["-n", netns] if netns else []) + ["link", "show", ifname]
    return sh(*argv, check=False).returncode == 0


def link_mac(ifname, netns=None):
    argv = ["ip", "-j"] + (["-n", netns] if netns else []) + ["link", "show", ifname]
    return json.loads(sh(*argv).stdout)[0]["address"]


@unittest.skipUnless(os.geteuid() == 0, "needs root: network namespaces")
class EthdevPorts(VswTestCase):

    start_switch = False

    def setUp(self):
        super().setUp()
        self.sw.start_dataplane()
        self.next_no = 1

    # -- the dataplane's socket ----------------------------------------------

    def dp(self, **req):
        return self.sw.dp_call(req)

    def ok(self, **req):
        r = self.dp(**req)
        self.assertTrue(r.get("ok"), "%s: %s" % (req, r.get("error")))
        return r

    def add_port(self, name, type_, **kw):
        no = self.next_no
        self.next_no += 1
        return no, self.dp(cmd="port-add", name=name, port_no=no, type=type_, **kw)

    def add_vhost(self, name):
        no, r = self.add_port(name, "vhost-user", mode="server", path=self.sw.sock(name))
        self.assertTrue(r["ok"], r)
        return no

    def ports(self):
        return {p["name"]: p for p in self.ok(cmd="port-list")["ports"]}

    def flow(self, text):
        self.ok(cmd="flow-add", flow=text)

    def wait_up(self, name):
        wait_for(lambda: self.ports()[name]["state"] == "up", 30, "port %s up" % name)

    # -- namespaces and links, removed even when the test fails -------------------

    def netns(self, suffix):
        name = "vswt-%s-%s" % (TAG, suffix)
        sh("ip", "netns", "add", name)
        self.addCleanup(sh, "ip", "netns", "del", name, check=False)
        # No IPv6: the kernel sends nothing on its own (no DAD, RS, MLD).
        sh("ip", "netns", "exec", name, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1")
        sh("ip", "netns", "exec", name, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1")
        return name

    def in_netns(self, netns, script, *args, background=False):
        argv = ["ip", "netns", "exec", netns, PY, "-c", script] + [str(a) for a in args]
        if background:
            p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
            self.addCleanup(lambda: p.poll() is None and (p.kill(), p.wait()))
            return p
        return sh(*argv)

    # -- (a) tap ---------------------------------------------------------------------------

    def test_tap_port_is_a_kernel_interface_that_talks_both_ways(self):
        tap = "vt%st" % TAG
        self.assertFalse(link_exists(tap))
        vm1 = self.add_vhost("vm1")
        no, r = self.add_port(tap, "tap")
        self.assertTrue(r["ok"], r)
        self.addCleanup(lambda: self.sw.dp.alive() and self.dp(cmd="port-del", name=tap))
        self.assertTrue(link_exists(tap), "no kernel interface %s" % tap)
        kmac = link_mac(tap)
        p = self.ports()[tap]
        self.assertEqual((p["type"], p["ifname"], p["mac"]), ("tap", tap, kmac))
        self.assertNotIn("path", p)
        self.assertNotIn("mode", p)

        ns = self.netns("tap")
        sh("ip", "link", "set", tap, "netns", ns)
        sh("ip", "-n", ns, "addr", "add", KERNEL_IP + "/24", "dev", tap)
        sh("ip", "-n", ns, "link", "set", tap, "up")
        self.assertEqual(link_mac(tap, ns), kmac)

        # User flows in table 0: everything from the VM to the kernel; only ARP
        # and ICMP back, so that nothing else the kernel might send gets in.
        self.flow("in_port=%d,actions=output:%d" % (vm1, no))
        self.flow("priority=10,in_port=%d,arp,actions=output:%d" % (no, vm1))
        self.flow("priority=10,in_port=%d,icmp,actions=output:%d" % (no, vm1))

        payload = b"vsw tap port, echo me"
        send = [Ether(src=MAC1, dst="ff:ff:ff:ff:ff:ff") /
                ARP(op=1, hwsrc=MAC1, psrc=PEER_IP, pdst=KERNEL_IP),
                Ether(src=MAC1, dst=kmac) / IP(src=PEER_IP, dst=KERNEL_IP) /
                ICMP(type=8, id=0x7673, seq=1) / Raw(payload)]
        peer = self.peer("vm1", send=send, capture=self.capture_path("vm1"), expect=2,
                         seconds=20)
        code, summary = peer.wait(60)
        self.assertEqual(code, 0, "the kernel's replies did not arrive: %s" % summary)

        got = peer.frames()
        self.assertEqual(len(got), 2, [g.hex() for g in got])
        arp_reply = Ether(src=kmac, dst=MAC1) / ARP(op=2, hwsrc=kmac, psrc=KERNEL_IP,
                                                   hwdst=MAC1, pdst=PEER_IP)
        self.assertEqual(got[0], bytes(arp_reply))
        echo = Ether(got[1])
        self.assertEqual((echo.src, echo.dst, echo[IP].src, echo[IP].dst),
                         (kmac, MAC1, KERNEL_IP, PEER_IP))
        self.assertEqual(bytes(echo[ICMP]), bytes(ICMP(type=0, id=0x7673, seq=1) / Raw(payload)))

        ports = self.ports()
        self.assertEqual(ports[tap]["tx_packets"], 2)
        # What the kernel sent before the flows were in (IPv6 in the host
        # namespace) counts as no_match; the two replies were forwarded.
        self.assertEqual(ports[tap]["rx_packets"] - ports[tap]["drops"]["no_match"], 2)
        self.assertEqual(ports["vm1"]["tx_packets"], 2)

        # del-port takes the kernel interface away, even from another namespace.
        self.ok(cmd="port-del", name=tap)
        self.assertFalse(link_exists(tap, ns), "%s is still in %s" % (tap, ns))
        self.assertNotIn(tap, self.ports())
        # The DPDK device went with it: name and number can be used again.
        self.ok(cmd="port-add", name=tap, port_no=no, type="tap")
        self.assertTrue(link_exists(tap))

    # -- (b) dpdk: net_af_packet on a veth pair ---------------------------------------------

    def veth(self, ns):
        outer, inner = "vt%sa" % TAG, "vt%sb" % TAG
        sh("ip", "link", "add", outer, "type", "veth", "peer", "name", inner, "netns", ns)
        self.addCleanup(sh, "ip", "link", "del", outer, check=False)
        sh("sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=1" % outer)
        sh("ip", "link", "set", outer, "up")
        sh("ip", "-n", ns, "link", "set", inner, "up")
        return outer, inner

    def test_af_packet_port_carries_frames_both_ways(self):
        ns = self.netns("afp")
        outer, inner = self.veth(ns)
        vm1 = self.add_vhost("vm1")
        devargs = "net_af_packet,iface=%s" % outer
        no, r = self.add_port("up1", "dpdk", devargs=devargs)
        self.assertTrue(r["ok"], r)
        p = self.ports()["up1"]
        self.assertEqual((p["type"], p["devargs"], p["ifname"]), ("dpdk", devargs, outer))
        self.assertRegex(p["mac"], "^([0-9a-f]{2}:){5}[0-9a-f]{2}$")
        self.assertEqual(p["state"], "up")
        # A second port on the same interface would get every frame twice.
        _, r = self.add_port("up2", "dpdk", devargs=devargs)
        self.assertEqual(r["error"], "port-add: interface %s is used by port 'up1'" % outer)

        self.flow("in_port=%d,actions=output:%d" % (vm1, no))
        self.flow("in_port=%d,dl_src=%s,actions=output:%d" % (no, MAC3, vm1))

        # Namespace -> vm1: scapy sends from the other end of the veth.
        peer = self.peer("vm1", capture=self.capture_path("vm1"), expect=5, seconds=30)
        self.wait_up("vm1")
        inbound = frames(5, src=MAC3, dst=MAC1, size=120)
        pcap = os.path.join(self.dir, "inbound.pcap")
        wrpcap(pcap, inbound)
        self.in_netns(ns, "import sys; from scapy.all import rdpcap, sendp; "
                      "sendp(rdpcap(sys.argv[1]), iface=sys.argv[2], verbose=0)", pcap, inner)
        code, summary = peer.wait(60)
        self.assertEqual(code, 0, summary)
        self.assertEqual(peer.frames(), [bytes(f) for f in inbound])

        # vm1 -> namespace: scapy captures at the other end.
        out_pcap = os.path.join(self.dir, "outbound.pcap")
        sniffer = self.in_netns(ns, SNIFF, inner, MAC1, 5, out_pcap, background=True)
        self.assertEqual(sniffer.stdout.readline().strip(), "ready", sniffer.stderr.read()
                         if sniffer.poll() is not None else "")
        outbound = frames(5, start=100, src=MAC1, dst=MAC3, size=200)
        sender = self.peer("vm1", name="vm1-again", send=outbound, seconds=30)
        self.assertEqual(sniffer.wait(30), 0, sniffer.stderr.read())
        sender.stop()
        self.assertEqual(read_frames(out_pcap), [bytes(f) for f in outbound])
        ports = self.ports()
        self.assertEqual(ports["up1"]["rx_packets"], 5)
        self.assertEqual(ports["up1"]["tx_packets"], 5)

        self.ok(cmd="port-del", name="up1")
        self.assertNotIn("up1", self.ports())
        # Neither up1 nor the refused up2 (number 3) left its device behind: the
        # interface can be attached again, under the number that was refused.
        self.ok(cmd="port-add", name="up2", port_no=3, type="dpdk", devargs=devargs)
        self.assertEqual(self.ports()["up2"]["ifname"], outer)

    # -- (c) refusals ----------------------------------------------------------------------------

    def test_bad_ports_are_refused_and_forwarding_goes_on(self):
        vm1, vm2 = self.add_vhost("vm1"), self.add_vhost("vm2")
        self.flow("in_port=%d,actions=output:%d" % (vm1, vm2))
        missing = "vt%sx" % TAG
        cases = [
            ("dpdk", {"devargs": "no_such_driver0"},
             "port-add: dpdk: 'no_such_driver0' is neither a PCI address nor a DPDK "
             "virtual device (e.g. net_af_packet,iface=eth1)"),
            ("dpdk", {"devargs": "net_af_packet,iface=%s" % missing},
             "port-add: dpdk: no interface '%s'" % missing),
            ("dpdk", {"devargs": "net_af_packet"},
             "port-add: dpdk: net_af_packet needs iface=INTERFACE"),
            ("dpdk", {"devargs": "net_af_packet,iface=lo,no_such_arg=1"},
             "port-add: cannot attach net_af_packet_vsw3,iface=lo,no_such_arg=1: the "
             "driver refused it (check its arguments)"),
            ("dpdk", {"devargs": "0000:00:1f.7"},
             "port-add: dpdk: 0000:00:1f.7: PCI is off (vsw-dataplane runs with --no-pci); "
             "start it with EAL arguments that allow the NIC, e.g. -- -a 0000:00:1f.7"),
            ("dpdk", {"devargs": "net_tap,iface=lo"},
             "port-add: dpdk: interface 'lo' exists"),
            ("dpdk", {}, "port-add: a dpdk port needs \"devargs\" (1..255 characters)"),
            ("dpdk", {"devargs": "net_af_packet,iface=lo", "mode": "server"},
             "port-add: \"mode\" and \"path\" are for vhost-user ports"),
            ("tap", {"devargs": "net_tap"}, "port-add: \"devargs\" is for dpdk ports"),
        ]
        for type_, kw, error in cases:
            r = self.dp(cmd="port-add", name="bad", port_no=3, type=type_, **kw)
            self.assertEqual(r, {"ok": False, "error": error}, (type_, kw))
        for name, error in [
                ("lo", "port-add: tap: interface 'lo' exists"),
                ("vt%s-too-long" % TAG,
                 "port-add: tap: interface name 'vt%s-too-long' is not 1..15 characters" % TAG),
                ("a,b=c", "port-add: tap: interface name 'a,b=c' is not made of [A-Za-z0-9_.-]")]:
            r = self.dp(cmd="port-add", name=name, port_no=3, type="tap")
            self.assertEqual(r, {"ok": False, "error": error}, name)
        self.assertEqual(sorted(self.ports()), ["vm1", "vm2"])
        self.assertNotIn(": vt%s" % TAG, sh("ip", "-o", "link", "show").stdout,
                         "a refused port left an interface behind")
        self.assertTrue(self.sw.dp.alive())

        # Port 3 was never half made: a good port takes that number now.
        self.ok(cmd="port-add", name="vt%sg" % TAG, port_no=3, type="tap")
        self.ok(cmd="port-del", name="vt%sg" % TAG)

        rx = self.peer("vm2", capture=self.capture_path("vm2"), expect=10, seconds=30)
        self.wait_up("vm2")
        sent = frames(10, src=MAC1, dst=MAC2)
        tx = self.peer("vm1", send=sent)
        code, _ = rx.wait(60)
        tx.stop()
        self.assertEqual(code, 0)
        self.assertEqual(rx.frames(), [bytes(f) for f in sent])


# Captures `count` frames from `src` on `iface` into a pcap; prints "ready" once listening.
SNIFF = """
import sys
from scapy.all import AsyncSniffer, Ether, wrpcap
iface, src, count, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
s = AsyncSniffer(iface=iface, count=count, timeout=25,
                 lfilter=lambda p: Ether in p and p[Ether].src == src)
s.start()
import time
while not getattr(s, "running", False):
    time.sleep(0.05)
time.sleep(0.3)
print("ready", flush=True)
s.join()
wrpcap(out, s.results)
sys.exit(0 if len(s.results) == count else 1)
"""


if __name__ == "__main__":
    main()
