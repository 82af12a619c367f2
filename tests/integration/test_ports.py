#!/usr/bin/env python3
"""Ports come and go at run time without disturbing traffic on the others."""

import signal
import time

from vswtest import MAC1, MAC2, VswTestCase, main

RATE = 2000


class Ports(VswTestCase):

    def test_add_and_remove_ports_while_traffic_runs(self):
        self.sw.vswctl("add-port", "vm1", "vhost-user")
        self.sw.vswctl("add-port", "vm2", "vhost-user")
        self.sw.vswctl("add-flow", "in_port=vm1,actions=output:vm2")
        rx = self.peer("vm2")
        self.sw.wait_up("vm2")
        tx = self.peer("vm1", gen={"rate": RATE, "src-mac": MAC1, "dst-mac": MAC2}, seconds=6)
        self.sw.wait_up("vm1")
        for i in range(3):
            name = "tmp%d" % i
            self.sw.vswctl("add-port", name, "vhost-user")
            self.sw.vswctl("add-flow", "in_port=%s,actions=output:vm1" % name)
            peer = self.peer(name)
            self.sw.wait_up(name)
            self.sw.vswctl("del-port", name)
            peer.stop(signal.SIGKILL)
            self.assertNotIn(name, [p["name"] for p in self.sw.json("dump-ports")["ports"]])
        code, sent = tx.wait(60)
        self.assertEqual(code, 0)
        time.sleep(0.5)
        rx.stop()
        _, got = rx.wait()
        self.assertGreater(sent["tx_packets"], RATE)
        self.assertEqual(got["rx_packets"], sent["tx_packets"])
        self.assertEqual(self.sw.port("vm2")["tx_packets"], sent["tx_packets"])

    def test_deleted_port_socket_is_gone_and_name_reusable(self):
        import os
        self.sw.vswctl("add-port", "vm1", "vhost-user")
        no = self.sw.port("vm1")["port_no"]
        self.assertTrue(os.path.exists(self.sw.sock("vm1")))
        self.sw.vswctl("del-port", "vm1")
        self.assertFalse(os.path.exists(self.sw.sock("vm1")))
        self.sw.vswctl("add-port", "vm1", "vhost-user")
        self.assertEqual(self.sw.port("vm1")["port_no"], no)


if __name__ == "__main__":
    main()
