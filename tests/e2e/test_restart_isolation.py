#!/usr/bin/env python3
"""Kill either daemon while two tenants send: isolation never lapses, and the
configuration is intact afterwards."""

import signal
import time

import netns  # noqa: F401  (sets up the import path)
from scapy.all import Ether  # noqa: E402
from vswtest import BCAST, VswTestCase, main, wait_for  # noqa: E402

R1, R2 = "02:00:00:00:01:01", "02:00:00:00:01:02"
B1, B2 = "02:00:00:00:02:01", "02:00:00:00:02:02"


class RestartIsolation(VswTestCase):

    def setUp(self):
        super().setUp()
        ctl = self.sw.vswctl
        ctl("add-tenant", "red", "vlan=10", "vni=100")
        ctl("add-tenant", "blue", "vlan=20", "vni=200")
        for p in ("r1", "r2", "b1", "b2"):
            ctl("add-port", p, "vhost-user")
        # a user rule that floods whatever comes in on a port of no tenant:
        # it must never see, nor send to, tenant ports
        ctl("add-port", "x1", "vhost-user")
        ctl("add-flow", "in_port=x1,actions=flood")
        ctl("add-flow", "actions=flood")
        for p, t in (("r1", "red"), ("r2", "red"), ("b1", "blue"), ("b2", "blue")):
            ctl("set-port", p, "tenant=" + t)
        ctl("add-acl", "red", "priority=200", "deny", "tcp,tp_dst=22")

    def intent(self):
        return (self.sw.json("list-tenants"),
                [(p["name"], p.get("tenant")) for p in self.sw.json("dump-ports")["ports"]])

    def kill_and_check(self, which):
        before = self.intent()
        caps = {p: self.capture_path(p) for p in ("r2", "b2", "x1")}
        rx = {p: self.peer(p, capture=caps[p]) for p in caps}
        self.sw.wait_up("r2", "b2", "x1")
        tx = [self.peer("r1", gen={"size": 80, "rate": 3000, "src-mac": R1, "dst-mac": BCAST},
                        seconds=9),
              self.peer("b1", gen={"size": 80, "rate": 3000, "src-mac": B1, "dst-mac": BCAST},
                        seconds=9)]
        time.sleep(2)
        if which == "dataplane":
            self.sw.dp.stop(signal.SIGKILL)
            self.sw.start_dataplane()
        else:
            self.sw.control.stop(signal.SIGKILL)
            self.sw.start_control()
        self.sw.wait_connected()
        wait_for(lambda: all(self.sw.port(p)["state"] == "up" for p in ("r1", "r2", "b1", "b2")),
                 30, "ports back up")
        t_back = time.time()
        for p in tx:
            self.assertEqual(p.wait(60)[0], 0)
        for p in rx.values():
            p.stop(signal.SIGINT)
        got = {p: [Ether(f) for f in rx[p].frames()] for p in rx}
        self.assertTrue(got["r2"] and got["b2"], "both tenants had traffic")
        self.assertEqual({e.src for e in got["r2"]}, {R1})
        self.assertEqual({e.src for e in got["b2"]}, {B1})
        self.assertEqual(got["x1"], [], "a port of no tenant received tenant traffic")
        # traffic came back within the tenant after the restart
        self.assertTrue(any(float(e.time) > t_back for e in got["r2"]) or len(got["r2"]) > 3000)
        self.assertEqual(self.intent(), before)

    def test_kill_dataplane(self):
        self.kill_and_check("dataplane")

    def test_kill_control(self):
        self.kill_and_check("control")


if __name__ == "__main__":
    main()
