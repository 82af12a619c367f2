#!/usr/bin/env python3
"""The flow commands of the full flow table, through the real daemons:
add-flows (all or nothing), replace-flows and mod-flows (counters kept),
dump-flows filters, dump-tables and mod-table, and rule timeouts (idle, hard,
across a vsw-control restart and a dataplane outage)."""

import json
import os
import signal
import socket
import subprocess
import time

from vswtest import MAC1, MAC2, MAC3, VSWCTL, VswTestCase, frames, main, wait_for

TIMEOUT_SLACK = 2.5  # the sweep runs about once a second; the tests share two CPUs


class FlowCommands(VswTestCase):

    def setUp(self):
        super().setUp()
        for n in ("vm1", "vm2", "vm3"):
            self.sw.vswctl("add-port", n, "vhost-user")

    def write(self, name, *lines):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def flows(self, *match):
        return self.sw.json("dump-flows", *match)["flows"]

    def flow(self, needle):
        hits = [f for f in self.flows() if needle in f["match"]]
        self.assertEqual(len(hits), 1, "one flow with %r in %s" % (needle, self.flows()))
        return hits[0]

    def rules(self):
        return sorted((f["table"], f["priority"], f["match"], f["actions"]) for f in self.flows())

    def send(self, port, sent, rx_port=None):
        """Send frames from `port`; with rx_port, wait until they all arrive there."""
        rx = None
        if rx_port:
            rx = self.peer(rx_port, name="%s-rx%d" % (rx_port, len(self.peers)),
                           capture=self.capture_path("%s-%d" % (rx_port, len(self.peers))))
            self.sw.wait_up(rx_port)
        self.assertEqual(self.peer(port, name="%s-tx%d" % (port, len(self.peers)),
                                   send=sent).wait()[0], 0)
        if rx:
            wait_for(lambda: len(rx.frames()) == len(sent), 15,
                     "%d frames at %s" % (len(sent), rx_port))
            rx.stop(signal.SIGKILL)
        return rx

    def control_log(self):
        return self.sw.control.output()

    def vswctl_stdin(self, *args, stdin=""):
        return subprocess.run([VSWCTL, "--run-dir", self.sw.run_dir] + list(args), input=stdin,
                              capture_output=True, text=True, timeout=30)

    def dp_flows(self):
        """What the dataplane itself has (flow-list: read-only, so fine to ask)."""
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(os.path.join(self.sw.run_dir, "dataplane.sock"))
            s.sendall(b'{"cmd":"flow-list"}\n')
            buf = b""
            while not buf.endswith(b"\n"):
                buf += s.recv(65536)
        return {f["flow"]: f for f in json.loads(buf)["flows"]}

    def traffic(self, dst, rate=50, rx_port="vm2"):
        """vm1 streams to `dst` until stopped; returns once frames come in."""
        rx = self.peer(rx_port, name="%s-sink%d" % (rx_port, len(self.peers)))
        self.sw.wait_up(rx_port)
        before = self.sw.port("vm1")["rx_packets"]
        gen = self.peer("vm1", name="vm1-gen%d" % len(self.peers),
                        gen={"rate": rate, "size": 60, "src-mac": MAC1, "dst-mac": dst},
                        seconds=60)
        wait_for(lambda: self.sw.port("vm1")["rx_packets"] > before + 5, 30, "traffic from vm1")
        return gen, rx

    # ---- add-flows ----

    def test_add_flows_all_or_nothing(self):
        self.sw.vswctl("add-flow", "priority=1,actions=drop")
        before = self.rules()
        bad = self.write("flows.txt",
                         "# vm1 <-> vm2",
                         "priority=100,in_port=vm1,dl_dst=%s,actions=output:vm2" % MAC2,
                         "priority=100,in_port=vm2,dl_dst=02:zz,actions=output:vm1",
                         "priority=1,actions=FLOOD")
        r = self.sw.vswctl("add-flows", bad, check=False)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr, "vswctl: add-flows: %s:3: dl_dst: '02:zz' is not a MAC address\n"
                         % bad)
        self.assertEqual(self.rules(), before, "a bad line installed something")

        # Nothing in the dataplane either: the frames still go nowhere.
        good = self.write("good.txt",
                          "priority=100,in_port=vm1,dl_dst=%s,actions=output:vm2" % MAC2,
                          "",
                          "priority=100,in_port=vm2,dl_dst=%s,actions=output:vm1" % MAC1,
                          "priority=1,actions=FLOOD   # replaces the drop rule")
        self.sw.vswctl("add-flows", good)
        self.assertEqual(self.rules(), sorted([
            (0, 100, "priority=100,in_port=vm1,dl_dst=%s" % MAC2, "output:vm2"),
            (0, 100, "priority=100,in_port=vm2,dl_dst=%s" % MAC1, "output:vm1"),
            (0, 1, "priority=1", "FLOOD")]))
        self.assertEqual(len(self.dp_flows()), 3)
        sent = frames(4, src=MAC1, dst=MAC2)
        rx = self.send("vm1", sent, rx_port="vm2")
        self.assertEqual(rx.frames(), [bytes(f) for f in sent])

        # From standard input.
        r = self.vswctl_stdin("add-flows", "-", stdin="table=3,priority=7,actions=drop\nbogus=1\n")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr, "vswctl: add-flows: stdin:2: unknown field 'bogus'\n")
        self.assertEqual(len(self.dp_flows()), 3)
        r = self.vswctl_stdin("add-flows", "-", stdin="table=3,priority=7,actions=drop\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.flows("table=3")), 1)
        self.assertEqual(len(self.dp_flows()), 4)

    # ---- replace-flows, mod-flows: counters of rules left alone survive ----

    def test_replace_flows_keeps_counters_of_unchanged_rules(self):
        self.sw.vswctl("add-flows", self.write(
            "a.txt",
            "priority=100,in_port=vm1,dl_dst=%s,actions=output:vm2" % MAC2,
            "priority=100,in_port=vm1,dl_dst=%s,actions=output:vm3" % MAC3,
            "priority=50,in_port=vm2,actions=drop"))
        self.send("vm1", frames(6, dst=MAC2), rx_port="vm2")
        self.send("vm1", frames(3, dst=MAC3), rx_port="vm3")
        wait_for(lambda: self.flow("dl_dst=%s" % MAC2)["n_packets"] == 6, 10, "6 on the vm2 rule")
        wait_for(lambda: self.flow("dl_dst=%s" % MAC3)["n_packets"] == 3, 10, "3 on the vm3 rule")
        age = self.flow("dl_dst=%s" % MAC2)["duration"]

        self.sw.vswctl("replace-flows", self.write(
            "b.txt",
            "# the vm2 rule as it was; the vm3 rule changed; the vm2 drop rule gone; a new one",
            "priority=100,in_port=vm1,dl_dst=%s,actions=output:vm2" % MAC2,
            "priority=100,in_port=vm1,dl_dst=%s,actions=drop" % MAC3,
            "priority=10,in_port=vm3,actions=output:vm1"))
        self.assertIn("replace-flows %s: 1 added, 1 deleted, 1 modified, 1 unchanged"
                      % os.path.join(self.dir, "b.txt"), self.control_log())
        self.assertEqual(self.rules(), sorted([
            (0, 100, "priority=100,in_port=vm1,dl_dst=%s" % MAC2, "output:vm2"),
            (0, 100, "priority=100,in_port=vm1,dl_dst=%s" % MAC3, "drop"),
            (0, 10, "priority=10,in_port=vm3", "output:vm1")]))
        kept = self.flow("dl_dst=%s" % MAC2)
        self.assertEqual(kept["n_packets"], 6, "the unchanged rule lost its counters")
        self.assertEqual(len(self.dp_flows()), 3)  # exactly the file's set in the dataplane
        self.assertGreaterEqual(kept["duration"], age, "the unchanged rule was reinstalled")
        self.assertEqual(self.flow("dl_dst=%s" % MAC3)["n_packets"], 0)  # a new rule
        # And it still forwards.
        self.send("vm1", frames(2, dst=MAC2), rx_port="vm2")
        wait_for(lambda: self.flow("dl_dst=%s" % MAC2)["n_packets"] == 8, 10, "8 on the vm2 rule")

        # The same file again touches nothing.
        self.sw.vswctl("replace-flows", os.path.join(self.dir, "b.txt"))
        self.assertIn("0 added, 0 deleted, 0 modified, 3 unchanged", self.control_log())
        self.assertEqual(self.flow("dl_dst=%s" % MAC2)["n_packets"], 8)

        # A bad file replaces nothing.
        r = self.sw.vswctl("replace-flows",
                           self.write("c.txt", "actions=drop", "in_port=vm9,actions=drop"),
                           check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("c.txt:2: unknown port 'vm9'", r.stderr)
        self.assertEqual(len(self.flows()), 3)

    def test_mod_flows_keeps_counters(self):
        self.sw.vswctl("add-flow", "priority=100,in_port=vm1,dl_dst=%s,actions=output:vm2" % MAC2)
        self.sw.vswctl("add-flow", "priority=90,in_port=vm1,actions=drop")
        self.send("vm1", frames(5, dst=MAC2), rx_port="vm2")
        wait_for(lambda: self.flow("dl_dst")["n_packets"] == 5, 10, "5 on the rule")

        # Strict: priority and match exactly; non-strict would take both rules.
        self.sw.vswctl("mod-flows", "--strict",
                       "priority=100,in_port=vm1,dl_dst=%s,actions=output:vm3" % MAC2)
        f = self.flow("dl_dst")
        self.assertEqual(f["actions"], "output:vm3")
        self.assertEqual(f["n_packets"], 5, "mod-flows reset the counters")
        self.assertEqual(self.flow("priority=90")["actions"], "drop")
        self.send("vm1", frames(3, dst=MAC2), rx_port="vm3")
        wait_for(lambda: self.flow("dl_dst")["n_packets"] == 8, 10, "8 on the rule")

        self.sw.vswctl("mod-flows", "in_port=vm1,actions=drop")
        self.assertEqual([f["actions"] for f in self.flows()], ["drop", "drop"])
        self.assertEqual(self.flow("dl_dst")["n_packets"], 8)

    # ---- dump-flows filters, dump-tables, mod-table ----

    def test_dump_flows_filters(self):
        self.sw.vswctl("add-flows", self.write(
            "f.txt",
            "table=0,priority=10,cookie=0x11,in_port=vm1,actions=goto_table:1",
            "table=0,priority=20,cookie=0x21,in_port=vm2,actions=drop",
            "table=1,priority=30,cookie=0x12,in_port=vm1,dl_dst=%s,actions=output:vm2" % MAC2,
            "table=1,priority=5,cookie=0x30,actions=drop",
            "table=2,cookie=0x10,dl_dst=%s,actions=output:vm3" % MAC3))

        def picked(*match):
            return [(f["table"], f["cookie"]) for f in self.flows(*match)]

        # ovs-ofctl's order: table, then priority high to low.
        self.assertEqual(picked(), [(0, "0x21"), (0, "0x11"), (1, "0x12"), (1, "0x30"),
                                    (2, "0x10")])
        self.assertEqual(picked("table=1"), [(1, "0x12"), (1, "0x30")])
        self.assertEqual(picked("cookie=0x10/0xf0"), [(0, "0x11"), (1, "0x12"), (2, "0x10")])
        self.assertEqual(picked("cookie=0x30/0xffffffffffffffff"), [(1, "0x30")])
        self.assertEqual(picked("in_port=vm1"), [(0, "0x11"), (1, "0x12")])
        self.assertEqual(picked("table=1,in_port=vm1,cookie=0x2/0xf"), [(1, "0x12")])
        self.assertEqual(picked("dl_dst=%s" % MAC3), [(2, "0x10")])
        text = self.sw.vswctl("dump-flows", "table=2").stdout
        self.assertRegex(text, r"^ cookie=0x10, duration=[0-9.]+s, table=2, n_packets=0, "
                         r"n_bytes=0, idle_age=\d+, dl_dst=%s actions=output:vm3\n$" % MAC3)
        # del-flows with a cookie mask.
        self.sw.vswctl("del-flows", "cookie=0x10/0xf0")
        self.assertEqual(picked(), [(0, "0x21"), (1, "0x30")])

    def test_dump_tables_and_mod_table(self):
        self.sw.vswctl("add-flows", self.write(
            "t.txt",
            "table=0,priority=10,in_port=vm1,dl_dst=%s,actions=output:vm2" % MAC2,
            "table=0,priority=10,in_port=vm2,actions=drop",
            "table=4,actions=drop"))
        self.send("vm1", frames(5, dst=MAC2), rx_port="vm2")
        self.send("vm1", frames(2, dst=MAC3))  # misses table 0
        wait_for(lambda: self.sw.port("vm1")["rx_packets"] == 7, 10, "7 frames in")

        def tables():
            return {t["table"]: t for t in self.sw.json("dump-tables")["tables"]}

        wait_for(lambda: tables()[0]["lookups"] == 7, 10, "7 lookups in table 0")
        t = tables()
        self.assertEqual((t[0]["active"], t[0]["lookups"], t[0]["matches"], t[0]["miss"]),
                         (2, 7, 5, "drop"))
        self.assertEqual((t[4]["active"], t[4]["lookups"], t[4]["miss"]), (1, 0, "drop"))
        text = self.sw.vswctl("dump-tables").stdout
        self.assertIn("  table 0:\n    active=2, lookup=7, matched=5, miss=drop\n", text)

        self.sw.vswctl("mod-table", "3", "continue")
        self.assertEqual(tables()[3]["miss"], "continue")
        r = self.sw.vswctl("mod-table", "255", "drop", check=False)
        self.assertEqual((r.returncode, r.stderr),
                         (2, "vswctl: mod-table: table '255' is not a number 0..254\n"))
        # Durable, and given back to a dataplane that restarts.
        self.sw.dp.stop(signal.SIGKILL)
        wait_for(lambda: self.sw.show().get("dataplane") == "disconnected", 10, "disconnected")
        self.assertEqual(tables()[3]["miss"], "continue")  # from the configuration
        self.sw.start_dataplane()
        self.sw.wait_connected()
        wait_for(lambda: tables().get(3, {}).get("miss") == "continue", 10,
                 "table 3's miss policy back in the restarted dataplane")
        self.sw.vswctl("mod-table", "3", "drop")
        self.assertNotIn(3, tables())

    # ---- timeouts ----

    def test_hard_timeout_expires_under_traffic(self):
        self.sw.vswctl("add-flow", "priority=1,actions=drop")
        gen, rx = self.traffic(MAC2)
        self.sw.vswctl("add-flow",
                       "priority=30,in_port=vm1,dl_dst=%s,hard_timeout=2,actions=output:vm2" % MAC2)
        added = time.monotonic()
        wait_for(lambda: self.flow("priority=30")["n_packets"] > 0, 5, "traffic on the rule")
        wait_for(lambda: len(self.flows()) == 1, 2 + TIMEOUT_SLACK, "the hard timeout to expire")
        self.assertGreaterEqual(time.monotonic() - added, 1.9)
        self.assertIn("flow expired (hard_timeout)", self.control_log())
        self.assertEqual(len(self.dp_flows()), 1)  # gone from the dataplane too
        gen.stop(signal.SIGKILL)
        rx.stop(signal.SIGKILL)

    def test_idle_timeout_kept_alive_by_traffic(self):
        gen, rx = self.traffic(MAC2)
        self.sw.vswctl("add-flows", self.write(
            "idle.txt",
            "priority=20,in_port=vm1,dl_dst=%s,idle_timeout=2,actions=output:vm2" % MAC2,
            "priority=20,in_port=vm1,dl_dst=%s,idle_timeout=2,actions=output:vm3" % MAC3))
        added = time.monotonic()
        # The rule for vm3 sees nothing and goes; the one for vm2 stays while traffic runs.
        wait_for(lambda: len(self.flows()) == 1, 2 + TIMEOUT_SLACK, "the idle vm3 rule to go")
        self.assertGreaterEqual(time.monotonic() - added, 1.9)
        self.assertIn("dl_dst=%s" % MAC2, self.flows()[0]["match"])
        time.sleep(3)  # well past 2 s: kept alive by traffic
        self.assertEqual(len(self.flows()), 1, "a busy idle_timeout rule expired")
        self.assertGreater(self.flows()[0]["n_packets"], 100)
        gen.stop(signal.SIGKILL)
        stopped = time.monotonic()
        wait_for(lambda: not self.flows(), 2 + TIMEOUT_SLACK, "the vm2 rule to go once idle")
        self.assertGreaterEqual(time.monotonic() - stopped, 1.5)
        self.assertIn("flow expired (idle_timeout)", self.control_log())
        self.assertEqual(self.dp_flows(), {})
        rx.stop(signal.SIGKILL)

    def test_hard_timeout_deadline_survives_control_restart(self):
        self.sw.vswctl("add-flow", "priority=5,in_port=vm1,hard_timeout=6,actions=drop")
        self.sw.vswctl("add-flow", "priority=6,in_port=vm1,actions=drop")
        added = time.monotonic()
        time.sleep(3)
        self.sw.control.stop(signal.SIGKILL)
        self.sw.start_control()
        self.sw.wait_connected()
        # Kept: gone about 6 s after it was added. Restarted: it would last until 9 s.
        wait_for(lambda: len(self.flows()) == 1, 6 + TIMEOUT_SLACK, "the hard timeout to expire")
        gone = time.monotonic() - added
        self.assertGreaterEqual(gone, 5.5)
        self.assertLess(gone, 9, "the deadline restarted with vsw-control")
        self.assertEqual(self.flows()[0]["priority"], 6)

    def test_hard_timeout_while_dataplane_is_away(self):
        self.sw.vswctl("add-flow", "priority=5,in_port=vm1,hard_timeout=2,actions=drop")
        self.sw.vswctl("add-flow", "priority=7,in_port=vm1,idle_timeout=2,actions=drop")
        self.sw.dp.stop(signal.SIGKILL)
        wait_for(lambda: self.sw.show().get("dataplane") == "disconnected", 10, "disconnected")
        # The hard timeout runs on; the idle one waits for stats.
        wait_for(lambda: [f["priority"] for f in self.flows()] == [7], 2 + TIMEOUT_SLACK + 1,
                 "the hard timeout to expire without a dataplane")
        time.sleep(2)
        self.assertEqual([f["priority"] for f in self.flows()], [7])
        self.sw.start_dataplane()
        self.sw.wait_connected()
        # The expired rule is not given back; the idle one is, and with stats again it goes.
        self.assertEqual([t for t in self.dp_flows() if "priority=5," in t], [])
        wait_for(lambda: not self.flows(), 2 + TIMEOUT_SLACK + 2, "the idle timeout to expire")
        self.assertEqual(self.dp_flows(), {})


if __name__ == "__main__":
    main()
