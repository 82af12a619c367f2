#!/usr/bin/env python3
"""Restart any piece and lose nothing: vsw-control, vsw-dataplane, and the peers."""

import os
import signal
import time

from vswtest import MAC1, MAC2, VswTestCase, frames, main, wait_for

RATE = 2000  # frames per second: slow enough that two shared CPUs never drop


class Restart(VswTestCase):

    def setUp(self):
        super().setUp()
        self.sw.vswctl("add-port", "vm1", "vhost-user")
        self.sw.vswctl("add-port", "vm2", "vhost-user")
        self.sw.vswctl("add-flow", "priority=100,in_port=vm1,dl_dst=%s,actions=output:vm2" % MAC2)
        self.sw.vswctl("add-flow", "priority=100,in_port=vm2,dl_dst=%s,actions=output:vm1" % MAC1)

    def stream(self, seconds):
        """vm2 counts what vm1 sends at RATE for `seconds`; returns both peers."""
        rx = self.peer("vm2")
        self.sw.wait_up("vm2")
        tx = self.peer("vm1", gen={"rate": RATE, "size": 60, "src-mac": MAC1, "dst-mac": MAC2},
                       seconds=seconds)
        self.sw.wait_up("vm1")
        return tx, rx

    def finish(self, tx, rx):
        code, sent = tx.wait(60)
        self.assertEqual(code, 0)
        self.assertGreater(sent["tx_packets"], RATE)
        time.sleep(0.5)
        rx.stop(signal.SIGTERM)
        _, got = rx.wait()
        return sent["tx_packets"], got["rx_packets"]

    def config(self):
        show = self.sw.json("show")
        ports = sorted((p["name"], p["port_no"], p["mode"], p["path"]) for p in show["ports"])
        flows = sorted((f["priority"], f["match"], f["actions"]) for f in self.sw.flows())
        return ports, flows

    def test_control_restart_keeps_traffic_flowing(self):
        before = self.config()
        tx, rx = self.stream(seconds=6)
        time.sleep(1.5)
        self.sw.control.stop(signal.SIGKILL)
        time.sleep(1)
        self.sw.start_control()
        self.sw.wait_connected()
        sent, got = self.finish(tx, rx)
        self.assertEqual(got, sent, "traffic stopped or lost frames while vsw-control restarted")
        self.assertEqual(self.config(), before)
        # The flow was never reinstalled: its counter covers the whole stream.
        flow = [f for f in self.sw.flows() if "in_port=vm1" in f["match"]][0]
        self.assertEqual(flow["n_packets"], sent)
        self.assertIn("vsw-control: dataplane connected", self.sw.vswctl("show").stdout)

    def test_dataplane_restart_is_reprogrammed(self):
        before = self.config()
        self.sw.dp.stop(signal.SIGKILL)
        wait_for(lambda: self.sw.show().get("dataplane") == "disconnected", 10,
                 "vsw-control to notice")
        self.sw.start_dataplane()
        self.sw.wait_connected()
        wait_for(lambda: self.config() == before, 10, "ports and flows back in the dataplane")
        # Nobody asked: the new dataplane forwards with the old configuration.
        rx = self.peer("vm2", capture=self.capture_path("vm2"))
        self.sw.wait_up("vm2")
        sent = frames(5, src=MAC1, dst=MAC2)
        self.assertEqual(self.peer("vm1", send=sent).wait()[0], 0)
        wait_for(lambda: rx.frames() == [bytes(f) for f in sent], 10, "5 frames at vm2")

    def test_config_survives_both_restarts(self):
        before = self.config()
        self.sw.stop()
        self.sw.start()
        wait_for(lambda: self.config() == before, 10, "configuration back")
        self.assertEqual(self.sw.flows()[0]["n_packets"], 0)

    def test_server_mode_peer_reconnects(self):
        rx = self.peer("vm2", capture=self.capture_path("vm2"))
        self.sw.wait_up("vm2")
        first, second = frames(3), frames(7, start=3)
        self.assertEqual(self.peer("vm1", name="vm1a", send=first).wait()[0], 0)
        wait_for(lambda: self.sw.port("vm1")["state"] == "down", 10, "vm1 down after its peer left")
        self.assertEqual(self.peer("vm1", name="vm1b", send=second).wait()[0], 0)
        wait_for(lambda: len(rx.frames()) == 10, 10, "10 frames at vm2")
        self.assertEqual(rx.frames(), [bytes(f) for f in first + second])

    def test_client_mode_reconnects_when_the_vm_restarts(self):
        path = os.path.join(self.dir, "qemu-vm3.sock")
        self.sw.vswctl("add-port", "vm3", "vhost-user", "client", path)
        self.sw.vswctl("add-flow", "priority=100,in_port=vm1,dl_dst=02:00:00:00:00:03,actions=output:vm3")
        vm3 = self.peer("vm3", sock=path, server=True, capture=self.capture_path("vm3a"))
        self.sw.wait_up("vm3")
        one = frames(4, dst="02:00:00:00:00:03")
        self.assertEqual(self.peer("vm1", name="vm1a", send=one).wait()[0], 0)
        wait_for(lambda: len(vm3.frames()) == 4, 10, "4 frames at vm3")
        self.assertEqual(vm3.frames(), [bytes(f) for f in one])
        vm3.stop(signal.SIGKILL)  # the VM dies ...
        wait_for(lambda: self.sw.port("vm3")["state"] == "down", 10, "vm3 down")
        vm3 = self.peer("vm3", name="vm3b", sock=path, server=True,
                        capture=self.capture_path("vm3b"))  # ... and comes back
        self.sw.wait_up("vm3")
        two = frames(6, dst="02:00:00:00:00:03", start=100)
        self.assertEqual(self.peer("vm1", name="vm1b", send=two).wait()[0], 0)
        wait_for(lambda: len(vm3.frames()) == 6, 10, "6 frames at the restarted vm3")
        self.assertEqual(vm3.frames(), [bytes(f) for f in two])


if __name__ == "__main__":
    main()
