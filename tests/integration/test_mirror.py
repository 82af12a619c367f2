#!/usr/bin/env python3
"""Port mirroring: copies of a port's frames at the mirror port, byte for byte, while
the originals go through the pipeline; del-mirror; refusals; durable across restarts."""

import os
import signal

from vswtest import (MAC1, MAC2, VSWCTL, VswTestCase, frames, main, read_frames, wait_for)

SRC1 = bytes.fromhex("020000000001")
SRC2 = bytes.fromhex("020000000002")


class Mirror(VswTestCase):

    def setUp(self):
        super().setUp()
        for n in ("vm1", "vm2", "vm3", "mon"):
            self.sw.vswctl("add-port", n, "vhost-user")
        self.sw.vswctl("add-flow", "priority=100,in_port=vm1,actions=output:vm2")
        self.sw.vswctl("add-flow", "priority=100,in_port=vm2,actions=output:vm1")

    def mirrors(self):
        return self.sw.json("list-mirrors")["mirrors"]

    def exchange(self, sent12, sent21, mon_expect):
        """vm1 <-> vm2 traffic with a monitor peer on mon; returns mon's frames."""
        go = os.path.join(self.dir, "go")
        if os.path.exists(go):
            os.unlink(go)  # a go file of an earlier exchange
        mon = self.peer("mon", capture=self.capture_path("mon"), expect=mon_expect or None)
        vm1 = self.peer("vm1", capture=self.capture_path("vm1"), send=sent12 or None,
                        expect=len(sent21) or None, start_file=go)
        vm2 = self.peer("vm2", capture=self.capture_path("vm2"), send=sent21 or None,
                        expect=len(sent12) or None, start_file=go)
        self.sw.wait_up("vm1", "vm2", "mon")
        open(go, "w").close()
        self.assertEqual(vm1.wait()[0], 0)
        self.assertEqual(vm2.wait()[0], 0)
        # The originals, untouched by the mirror.
        self.assertEqual(vm2.frames(), [bytes(f) for f in sent12])
        self.assertEqual(vm1.frames(), [bytes(f) for f in sent21])
        if mon_expect:
            self.assertEqual(mon.wait()[0], 0)
        else:
            mon.stop()
        for p in self.peers:
            p.stop()
        self.peers = []
        return mon.frames()

    def test_copies_of_both_directions(self):
        self.sw.vswctl("add-mirror", "m1", "src=vm1", "dst=mon")
        self.assertEqual(self.sw.vswctl("list-mirrors").stdout,
                         "mirror m1: src=vm1 dst=mon state=active\n"
                         "  packets=0, bytes=0, drops=0\n")
        sent12 = frames(10, src=MAC1, dst=MAC2, size=100) + frames(3, size=1514, start=10)
        sent21 = frames(6, src=MAC2, dst=MAC1, size=70, start=50)
        got = self.exchange(sent12, sent21, len(sent12) + len(sent21))
        self.assertEqual(len(got), len(sent12) + len(sent21))
        self.assertEqual([f for f in got if f[6:12] == SRC1], [bytes(f) for f in sent12])
        self.assertEqual([f for f in got if f[6:12] == SRC2], [bytes(f) for f in sent21])
        m = self.mirrors()[0]
        self.assertEqual((m["name"], m["src"], m["dst"], m["state"]),
                         ("m1", ["vm1"], "mon", "active"))
        self.assertEqual((m["packets"], m["bytes"], m["drops"]),
                         (len(got), sum(len(f) for f in got), 0))
        self.assertEqual(self.sw.port("mon")["tx_packets"], len(got))

    def test_originals_edited_copies_not(self):
        """A rule that rewrites the frame: vm2 gets the edit, the mirror the original."""
        self.sw.vswctl("add-flow", "priority=200,in_port=vm1,"
                       "actions=mod_dl_dst:02:00:00:00:00:99,mod_vlan_vid:5,output:vm2")
        self.sw.vswctl("add-mirror", "m1", "src=vm1,vm2", "dst=mon")
        sent = frames(8, size=90)
        go = os.path.join(self.dir, "go")
        mon = self.peer("mon", capture=self.capture_path("mon"), expect=16)
        rx = self.peer("vm2", capture=self.capture_path("vm2"), expect=8)
        self.sw.wait_up("vm2", "mon")
        tx = self.peer("vm1", send=sent)
        self.assertEqual(tx.wait()[0], 0)
        self.assertEqual(rx.wait()[0], 0)
        self.assertEqual(mon.wait()[0], 0)
        edited = rx.frames()
        self.assertTrue(all(f[0:6] == bytes.fromhex("020000000099") and f[12:14] == b"\x81\x00"
                            for f in edited))
        got = mon.frames()
        # Each frame twice: in on vm1 as sent, out of vm2 as edited; each kind in order.
        self.assertEqual([f for f in got if f[12:14] != b"\x81\x00"], [bytes(f) for f in sent])
        self.assertEqual([f for f in got if f[12:14] == b"\x81\x00"], edited)

    def test_capture_of_mirror_port_and_del_mirror(self):
        from test_capture import Capture, tshark
        self.sw.vswctl("add-mirror", "m1", "src=vm1", "dst=mon")
        cap = Capture(self.sw, "mon", os.path.join(self.dir, "mon.pcap"), "--direction", "out")
        try:
            cap.wait_started()
            sent = frames(5, size=64)
            got = self.exchange(sent, [], 5)
            self.assertEqual(got, [bytes(f) for f in sent])
            wait_for(lambda: len(read_frames(cap.path)) == 5, 10, "5 frames in mon.pcap")
            self.assertEqual(cap.stop()[0], 0)
            self.assertEqual(tshark(cap.path), [bytes(f) for f in sent])
        finally:
            if cap.p.poll() is None:
                cap.p.kill()
                cap.p.wait()
        self.sw.vswctl("del-mirror", "m1")
        self.assertEqual(self.mirrors(), [])
        before = self.sw.port("mon")["tx_packets"]
        self.assertEqual(self.exchange(frames(4, start=20), [], 0), [])
        self.assertEqual(self.sw.port("mon")["tx_packets"], before)

    def check_refused(self, args, msg):
        before = self.mirrors()
        r = self.sw.vswctl(*args, check=False)
        self.assertNotEqual(r.returncode, 0, args)
        self.assertEqual(r.stderr, "vswctl: " + msg + "\n", args)
        self.assertEqual(r.stdout, "")
        self.assertEqual(self.mirrors(), before, args)

    def test_refusals(self):
        self.sw.vswctl("add-mirror", "m1", "src=vm1", "dst=mon")
        R = self.check_refused
        R(["add-mirror", "m2", "src=vm1,vm2", "dst=vm2"],
          "add-mirror: mirror 'm2': port 'vm2' is both a source and the destination")
        R(["add-mirror", "m2", "src=vm1,vm9", "dst=mon"], "add-mirror: mirror 'm2': no port 'vm9'")
        R(["add-mirror", "m2", "src=vm1", "dst=vm9"], "add-mirror: mirror 'm2': no port 'vm9'")
        R(["add-mirror", "m1", "src=vm2", "dst=mon"], "add-mirror: mirror 'm1' already exists")
        R(["add-mirror", "m2", "src=vm1,vm1", "dst=mon"],
          "add-mirror: mirror 'm2': port 'vm1' is a source twice")
        R(["add-mirror", "m/2", "src=vm1", "dst=mon"],
          "add-mirror: mirror name 'm/2': only letters, digits, '_', '.' and '-' are allowed")
        R(["add-mirror", "m2", "src=vm1", "dest=mon"],
          "add-mirror: unknown argument 'dest=mon'; expected src=PORTS and dst=PORT")
        R(["add-mirror", "m2", "src=vm1,,vm2", "dst=mon"],
          "add-mirror: empty port name in src=vm1,,vm2")
        R(["del-mirror", "m9"], "del-mirror: no mirror 'm9'")
        self.assertEqual([m["name"] for m in self.mirrors()], ["m1"])

    def test_tenant_rule(self):
        """Copies never reach another tenant's port: not at add-mirror, not after set-port."""
        self.sw.vswctl("add-tenant", "a")
        self.sw.vswctl("add-tenant", "b")
        self.sw.vswctl("set-port", "vm3", "tenant=a")
        self.sw.vswctl("add-mirror", "m1", "src=vm1", "dst=mon")  # mon: in no tenant
        R = self.check_refused
        before = (self.mirrors(), self.sw.json("list-tenants"))
        r = self.sw.vswctl("set-port", "mon", "tenant=b", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr, "vswctl: set-port: mirror 'm1': destination 'mon' is in "
                                   "tenant 'b' but source 'vm1' is in no tenant\n")
        self.assertEqual((self.mirrors(), self.sw.json("list-tenants")), before)
        self.sw.vswctl("del-mirror", "m1")
        self.sw.vswctl("set-port", "mon", "tenant=b")
        R(["add-mirror", "m2", "src=vm3", "dst=mon"],
          "add-mirror: mirror 'm2': destination 'mon' is in tenant 'b' but source 'vm3' is "
          "in tenant 'a'")
        R(["add-mirror", "m2", "src=vm1", "dst=mon"],
          "add-mirror: mirror 'm2': destination 'mon' is in tenant 'b' but source 'vm1' is "
          "in no tenant")
        self.sw.vswctl("set-port", "mon", "tenant=none")
        self.sw.vswctl("set-port", "mon", "tenant=a")
        self.sw.vswctl("add-mirror", "m2", "src=vm3", "dst=mon")  # both in a
        self.sw.vswctl("add-mirror", "m3", "src=vm3", "dst=vm2")  # vm2: in no tenant
        self.assertEqual([m["name"] for m in self.mirrors()], ["m2", "m3"])

    def test_durable_and_reconciled(self):
        self.sw.vswctl("add-mirror", "m1", "src=vm1,vm2", "dst=mon")
        self.sw.vswctl("add-mirror", "m2", "src=vm3", "dst=vm1")
        # vsw-control restarts: the store has them; the dataplane keeps them (and counters).
        self.sw.control.stop(signal.SIGKILL)
        self.sw.start_control()
        self.sw.wait_connected()
        self.assertEqual([(m["name"], m["src"], m["dst"], m["state"]) for m in self.mirrors()],
                         [("m1", ["vm1", "vm2"], "mon", "active"),
                          ("m2", ["vm3"], "vm1", "active")])
        # The dataplane restarts: vsw-control sets them again.
        self.sw.dp.stop(signal.SIGKILL)
        self.sw.start_dataplane()
        wait_for(lambda: [m["state"] for m in self.mirrors()] == ["active", "active"], 20,
                 "mirrors set again in the restarted dataplane")
        # m1 mirrors vm1 and vm2: each frame twice, as it came in and as it went out.
        sent = frames(4, size=64)
        want = [bytes(f) for f in sent] * 2
        self.assertEqual(sorted(self.exchange(sent, [], 8)), sorted(want))
        # A deleted port's mirror stays, and works again when the port comes back.
        self.sw.vswctl("del-port", "mon")
        self.assertEqual(self.mirrors()[0]["dst"], "mon")
        self.sw.vswctl("add-port", "mon", "vhost-user")
        sent = frames(3, start=9)
        want = [bytes(f) for f in sent] * 2
        self.assertEqual(sorted(self.exchange(sent, [], 6)), sorted(want))


if __name__ == "__main__":
    main()
