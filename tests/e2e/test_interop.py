#!/usr/bin/env python3
"""Interop with the Linux kernel: its vxlan device as the remote VTEP and its
802.1Q interface on the far side of a VLAN uplink (where the kernel has no
802.1Q, vlan_responder.py stands in for that interface). A VM is a tap port of vsw
moved into its own namespace; it pings the kernel's address across, and
tshark decodes what vsw put on the wire."""

import os
import tempfile
import time

from netns import Net, NsSwitch, SUFFIX, sh, tshark
from vswtest import Proc, unittest, wait_for, main

HERE = os.path.dirname(os.path.abspath(__file__))


class Interop(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="vsw-interop-")
        self.net = Net()
        self.procs = []
        self.host = self.net.ns("host")
        self.vm = self.net.ns("vm")
        self.sw = NsSwitch(os.path.join(self.dir, "sw"), self.host)
        self.procs.append(self.sw)
        self.sw.start()

    def tearDown(self):
        for p in reversed(self.procs):
            p.stop()
        self.net.cleanup()
        if not os.environ.get("VSW_KEEP"):
            sh("rm", "-rf", self.dir)

    def add_vm(self, tenant, addr):
        """A tap port of `tenant`, its kernel side moved into the VM namespace."""
        name = "vm" + SUFFIX
        self.sw.vswctl("add-port", name, "tap")
        self.sw.vswctl("set-port", name, "tenant=" + tenant)
        self.host.run("ip", "link", "set", name, "netns", self.vm.name)
        self.vm.addr(name, addr)
        return name

    def capture(self, ns, dev, what):
        path = os.path.join(self.dir, what + ".pcap")
        p = Proc(ns.argv("tcpdump", "-i", dev, "-U", "--immediate-mode", "-w", path),
                 os.path.join(self.dir, what + "-tcpdump.log"))
        self.procs.append(p)
        wait_for(lambda: "listening" in p.output(), 10, "tcpdump to start")
        return p, path

    def test_kernel_vxlan_vtep(self):
        k = self.net.ns("kvtep")
        up, kx = self.net.veth("up", self.host, "kx", k)
        self.host.addr(up, "198.51.100.11/24")
        k.addr(kx, "198.51.100.3/24")
        k.run("ip", "link", "add", "vx0", "type", "vxlan", "id", "100", "local", "198.51.100.3",
              "remote", "198.51.100.1", "dstport", "4789", "dev", kx)
        k.addr("vx0", "192.0.2.103/24")
        self.sw.vswctl("add-port", "uplink", "dpdk", "net_af_packet,iface=%s,qdisc_bypass=0" % up)
        self.sw.vswctl("set-uplink", "uplink", "local_ip=198.51.100.1")
        self.sw.vswctl("add-tenant", "red", "vni=100")
        self.sw.vswctl("add-vtep", "red", "198.51.100.3")
        self.add_vm("red", "192.0.2.1/24")
        dump, path = self.capture(k, kx, "vxlan")
        self.assertTrue(self.vm.ping("192.0.2.103", timeout=30), "ping across VXLAN")
        time.sleep(0.3)
        dump.stop()
        rows = tshark(path, "ip.src", "ip.dst", "vxlan.vni", "icmp.type",
                      display_filter="vxlan && icmp")
        sent = [r for r in rows if r[0] == "198.51.100.1"]
        self.assertGreaterEqual(len([r for r in sent if r[3] == "8"]), 3)  # echo requests
        for src, dst, vni, _ in sent:
            self.assertEqual((dst, vni), ("198.51.100.3", "100"))
        # the kernel's replies were decapsulated and reached the VM: the ping
        # above succeeded; show-tenant learned the kernel VTEP's inner MAC
        macs = self.sw.json("show-tenant", "red").get("macs", [])
        inner = k.mac("vx0")
        self.assertIn(inner, [m["mac"] for m in macs])

    def test_kernel_vlan_on_uplink(self):
        k = self.net.ns("kvlan")
        up, kv = self.net.veth("up", self.host, "kv", k)
        made = k.run("ip", "link", "add", "link", kv, "name", "kv.100", "type", "vlan",
                     "id", "100", check=False)
        if made.returncode == 0:
            k.addr("kv.100", "192.0.2.100/24")
        else:
            # This kernel lacks CONFIG_VLAN_8021Q ("Unknown device type"): a
            # scapy host on VLAN 100 of kv stands in for kv.100.
            self.assertIn("Unknown device type", made.stderr)
            k.run("ip", "link", "set", kv, "up")
            resp = Proc(k.argv("/usr/bin/python3", os.path.join(HERE, "vlan_responder.py"), kv,
                               "100", "192.0.2.100"),
                        os.path.join(self.dir, "responder.log"))
            self.procs.append(resp)
            wait_for(lambda: "ready" in resp.output(), 20, "the VLAN responder to listen")
        self.sw.vswctl("add-port", "uplink", "dpdk", "net_af_packet,iface=%s,qdisc_bypass=0" % up)
        self.sw.vswctl("set-uplink", "uplink")
        self.sw.vswctl("add-tenant", "blue", "vlan=100")
        self.add_vm("blue", "192.0.2.1/24")
        dump, path = self.capture(k, kv, "vlan")
        self.assertTrue(self.vm.ping("192.0.2.100", timeout=30), "ping across the VLAN uplink")
        time.sleep(0.3)
        dump.stop()
        rows = tshark(path, "eth.src", "vlan.id", "icmp.type", display_filter="icmp")
        vm_mac = self.vm.mac("vm" + SUFFIX)
        from_vsw = [r for r in rows if r[0] == vm_mac]
        self.assertGreaterEqual(len(from_vsw), 3)
        self.assertEqual({r[1] for r in from_vsw}, {"100"})
        self.assertEqual({r[1] for r in rows}, {"100"})  # nothing untagged either way


if __name__ == "__main__":
    main()
