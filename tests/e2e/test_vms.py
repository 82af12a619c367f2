#!/usr/bin/env python3
"""Real VMs: QEMU guests (software emulation) on vhost-user ports of vsw.

Two guests of one tenant ping each other and exchange a stream (checked by
md5 at both ends); a guest of another tenant reaches neither; a guest whose
QEMU is killed and started again comes back on the same port, with vsw as
the vhost-user server and with vsw as the client; a guest with a two-queue
NIC works. guest.py builds the guests from Debian's packages.
"""

import os
import signal

import guest
from vswtest import VswTestCase, main, wait_for

MACS = {"g1": "52:54:00:00:00:01", "g2": "52:54:00:00:00:02", "g3": "52:54:00:00:00:03"}
IPS = {"g1": "192.0.2.1", "g2": "192.0.2.2", "g3": "192.0.2.3"}


class Vms(VswTestCase):

    def setUp(self):
        super().setUp()
        self.guests = []
        guest.build()

    def tearDown(self):
        for g in self.guests:
            g.stop()
        super().tearDown()

    def boot(self, name, server=False, queues=1, sock=None):
        g = guest.Guest(self.dir, name, sock or self.sw.sock(name), MACS[name],
                        IPS[name] + "/24", server=server, queues=queues)
        self.guests.append(g)
        return g

    def ping(self, g, ip, count=3):
        return g.sh("ping -c %d -W 2 %s" % (count, ip), timeout=60)[0] == 0

    def tenant_ports(self, tenant, *names, mode=None):
        if not any(t["name"] == tenant for t in self.sw.json("list-tenants")["tenants"]):
            self.sw.vswctl("add-tenant", tenant)
        for n in names:
            if mode == "client":
                self.sw.vswctl("add-port", n, "vhost-user", "client",
                               os.path.join(self.dir, n + "-qemu.sock"))
            else:
                self.sw.vswctl("add-port", n, "vhost-user")
            self.sw.vswctl("set-port", n, "tenant=" + tenant)

    def test_one_tenant_talks_another_cannot(self):
        self.tenant_ports("red", "g1", "g2")
        self.tenant_ports("blue", "g3")
        g1, g2, g3 = self.boot("g1"), self.boot("g2"), self.boot("g3")
        for g in (g1, g2, g3):
            g.wait_ready()
        self.assertTrue(self.ping(g1, IPS["g2"]), "g1 -> g2 within red")
        # a stream: 1 MiB over TCP, same md5 at both ends
        self.assertEqual(g2.sh("nc -l -p 5000 > /tmp/got &")[0], 0)
        rc, out = g1.sh("dd if=/dev/urandom bs=1k count=1024 2>/dev/null | tee /tmp/sent | "
                        "nc %s 5000 && md5sum /tmp/sent" % IPS["g2"], timeout=120)
        self.assertEqual(rc, 0, out)
        sent = out.split()[-2]
        wait_for(lambda: sent in g2.sh("md5sum /tmp/got")[1], 30, "the stream at g2")
        # blue's guest reaches neither, and neither reaches it
        self.assertFalse(self.ping(g3, IPS["g1"], count=2))
        self.assertFalse(self.ping(g3, IPS["g2"], count=2))
        self.assertFalse(self.ping(g1, IPS["g3"], count=2))
        self.assertEqual(self.sw.port("g3")["tx_packets"], 0)

    def test_guest_reboot_server_mode(self):
        self.tenant_ports("red", "g1", "g2")
        g1, g2 = self.boot("g1"), self.boot("g2")
        g1.wait_ready()
        g2.wait_ready()
        self.assertTrue(self.ping(g1, IPS["g2"]))
        g1.p.send_signal(signal.SIGKILL)
        g1.stop()
        wait_for(lambda: self.sw.port("g1")["state"] == "down", 20, "g1 down")
        g1.start()
        g1.wait_ready()
        wait_for(lambda: self.sw.port("g1")["state"] == "up", 20, "g1 up again")
        self.assertTrue(self.ping(g1, IPS["g2"]), "g1 -> g2 after its reboot")

    def test_guest_reboot_client_mode(self):
        """QEMU is the vhost-user server; vsw connects, and reconnects after QEMU restarts."""
        socks = {n: os.path.join(self.dir, n + "-qemu.sock") for n in ("g1", "g2")}
        g1 = self.boot("g1", server=True, sock=socks["g1"])
        g2 = self.boot("g2", server=True, sock=socks["g2"])
        wait_for(lambda: all(os.path.exists(s) for s in socks.values()), 30, "QEMU's sockets")
        self.tenant_ports("red", "g1", "g2", mode="client")
        g1.wait_ready()
        g2.wait_ready()
        self.sw.wait_up("g1", "g2")
        self.assertTrue(self.ping(g1, IPS["g2"]))
        g2.p.send_signal(signal.SIGKILL)
        g2.stop()
        wait_for(lambda: self.sw.port("g2")["state"] == "down", 20, "g2 down")
        g2.start()
        g2.wait_ready()
        wait_for(lambda: self.sw.port("g2")["state"] == "up", 30, "vsw reconnected to g2")
        self.assertTrue(self.ping(g1, IPS["g2"]), "g1 -> g2 after g2's QEMU restarted")

    def test_multiqueue_nic(self):
        self.tenant_ports("red", "g1", "g2")
        g1, g2 = self.boot("g1", queues=2), self.boot("g2")
        g1.wait_ready()
        g2.wait_ready()
        rc, out = g1.sh("ls /sys/class/net/eth0/queues")
        self.assertIn("rx-1", out, "the guest sees two queue pairs")
        self.assertTrue(self.ping(g1, IPS["g2"], count=5))
        self.assertEqual(g2.sh("nc -l -p 5000 > /tmp/got &")[0], 0)
        rc, out = g1.sh("dd if=/dev/zero bs=1k count=1024 2>/dev/null | nc %s 5000" % IPS["g2"],
                        timeout=120)
        self.assertEqual(rc, 0, out)
        wait_for(lambda: "1048576" in g2.sh("wc -c < /tmp/got")[1], 30, "1 MiB at g2")


if __name__ == "__main__":
    main()
