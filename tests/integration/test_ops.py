#!/usr/bin/env python3
"""Day-two operations: socket permissions, log levels at run time, rate-limited
data-path logs, and vsw's counters read through DPDK telemetry."""

import grp
import json
import os
import re
import shutil
import subprocess
import time
import unittest

from vswtest import (BCAST, MAC1, MAC2, MAC3, VSWCTL, VswTestCase, frame, frames, main,
                     wait_for)

TELEMETRY = shutil.which("dpdk-telemetry.py")
SETPRIV = shutil.which("setpriv")
GROUPADD, GROUPDEL = shutil.which("groupadd"), shutil.which("groupdel")


def log_lines(text, pattern):
    return [line for line in text.splitlines() if re.search(pattern, line)]


class Permissions(VswTestCase):
    """Only root and the members of the sockets' group may talk to the daemons."""

    start_switch = False

    def setUp(self):
        if os.getuid() != 0 or not SETPRIV:
            self.skipTest("needs root and setpriv")
        super().setUp()
        self.group = None
        os.chmod(self.dir, 0o755)  # others may reach the sockets; their modes decide
        # A copy of vswctl that user nobody can run, wherever the build is.
        self.vswctl = os.path.join(self.dir, "vswctl")
        shutil.copy(VSWCTL, self.vswctl)
        os.chmod(self.vswctl, 0o755)

    def tearDown(self):
        super().tearDown()
        if self.group:
            subprocess.run([GROUPDEL, self.group], check=False)

    def as_nobody(self, *args, groups=()):
        ids = ["--reuid=nobody", "--regid=nogroup"]
        ids += ["--groups=" + ",".join(str(g) for g in groups)] if groups else ["--clear-groups"]
        return subprocess.run([SETPRIV] + ids + [self.vswctl, "--run-dir", self.sw.run_dir]
                              + list(args), capture_output=True, text=True, timeout=30)

    def test_user_outside_is_refused_with_one_clear_line(self):
        self.sw.start()
        sock = os.path.join(self.sw.run_dir, "control.sock")
        self.assertEqual(os.stat(sock).st_mode & 0o777, 0o600)  # no group vsw here
        r = self.as_nobody("show")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr, "vswctl: permission denied on %s: run as root or as a "
                         "member of group vsw\n" % sock)
        # Root still can.
        self.assertEqual(self.sw.show()["dataplane"], "connected")

    def test_group_members_may_use_the_sockets(self):
        if not GROUPADD or not GROUPDEL:
            self.skipTest("needs groupadd")
        # A group of our own (not "vsw": other tests may run at the same time).
        self.group = "vswt%d" % os.getpid()
        subprocess.run([GROUPADD, "--system", self.group], check=True)
        gid = grp.getgrnam(self.group).gr_gid
        self.sw.dp_args = ["--socket-group", self.group]
        self.sw.control_args = ["--socket-group", self.group]
        self.sw.start()
        for name in ("control.sock", "dataplane.sock"):
            st = os.stat(os.path.join(self.sw.run_dir, name))
            self.assertEqual(st.st_mode & 0o777, 0o660, name)
            self.assertEqual((st.st_uid, st.st_gid), (0, gid), name)
        r = self.as_nobody("--format", "json", "show", groups=[gid])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["dataplane"], "connected")
        r = self.as_nobody("show")
        self.assertEqual(r.returncode, 1)
        self.assertIn("vswctl: permission denied on", r.stderr)


class LogLevels(VswTestCase):
    """vswctl log-level changes what the daemons log, module by module, at run time."""

    def levels(self):
        return {m["module"]: (m["level"], m["process"])
                for m in self.sw.json("log-level")["modules"]}

    def test_list(self):
        levels = self.levels()
        for m in ("control", "control.mgmt", "control.dpconn"):
            self.assertEqual(levels[m], ("info", "vsw-control"))
        for m in ("vsw.main", "vsw.ctl", "vsw.port", "vsw.pmd", "vsw.vhost"):
            self.assertEqual(levels[m], ("info", "vsw-dataplane"))
        text = self.sw.vswctl("log-level").stdout.splitlines()
        self.assertEqual(text[0].split(), ["MODULE", "LEVEL", "PROCESS"])
        self.assertIn(["vsw.pmd", "info", "vsw-dataplane"], [line.split() for line in text])

    def test_control_module(self):
        pattern = r"^vsw-control: debug: control.mgmt: client \d+: connected$"
        self.sw.vswctl("show")
        self.assertEqual(log_lines(self.sw.control.output(), pattern), [])
        r = self.sw.vswctl("log-level", "control.mgmt", "debug")
        self.assertEqual((r.stdout, r.stderr), ("", ""))
        self.assertEqual(self.levels()["control.mgmt"][0], "debug")
        self.sw.vswctl("show")
        wait_for(lambda: log_lines(self.sw.control.output(), pattern), 5, "a debug line")
        self.sw.vswctl("log-level", "control.mgmt", "info")
        before = len(log_lines(self.sw.control.output(), pattern))
        self.sw.vswctl("show")
        self.sw.vswctl("show")
        self.assertEqual(len(log_lines(self.sw.control.output(), pattern)), before)
        self.assertEqual(self.levels()["control"][0], "info")  # the others did not move

    def test_dataplane_module(self):
        pattern = r"^vsw-dataplane: debug: vsw.ctl: request port-list$"
        self.sw.vswctl("dump-ports")
        self.assertEqual(log_lines(self.sw.dp.output(), pattern), [])
        self.sw.vswctl("log-level", "vsw.ctl", "debug")
        self.assertEqual(self.levels()["vsw.ctl"], ("debug", "vsw-dataplane"))
        self.sw.vswctl("dump-ports")
        wait_for(lambda: log_lines(self.sw.dp.output(), pattern), 5, "a debug line")
        self.assertIn("vsw-control: info: log level of vsw.ctl (vsw-dataplane) set to debug",
                      self.sw.control.output())
        # Every line the dataplane wrote has its level.
        for line in self.sw.dp.output().splitlines():
            self.assertRegex(line, r"^vsw-dataplane: (emerg|alert|crit|error|warning|notice|"
                             r"info|debug): ")

    def test_bad_input(self):
        for args, code, needle in [
                (["log-level", "vsw.nope", "debug"], 1, "unknown module 'vsw.nope'"),
                (["log-level", "vsw.pmd", "loud"], 2, "unknown level 'loud'"),
                (["log-level", "vsw.pmd"], 2, "expected MODULE LEVEL"),
                (["log-level", "vsw pmd", "info"], 2, "not a module name")]:
            r = self.sw.vswctl(*args, check=False)
            self.assertEqual(r.returncode, code, args)
            self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
            self.assertRegex(r.stderr, "^vswctl: log-level: .*" + re.escape(needle))
        self.assertTrue(all(lv == "info" for lv, _ in self.levels().values()))

    def test_data_path_messages_are_rate_limited(self):
        for n in ("vm1", "vm2"):
            self.sw.vswctl("add-port", n, "vhost-user")
        self.sw.vswctl("log-level", "vsw.pmd", "debug")
        # No flows: every frame is a miss, and each miss is a debug message.
        self.assertEqual(self.peer("vm1", send=frames(200)).wait()[0], 0)
        wait_for(lambda: self.sw.port("vm1")["drops"]["no_match"] == 200, 10, "200 drops")
        logged = r"vsw.pmd: port vm1: packet dropped: no_match$"
        first = len(log_lines(self.sw.dp.output(), logged))
        self.assertGreaterEqual(first, 1)
        self.assertLessEqual(first, 30)  # 10 a second; sending took at most ~2 s
        # A window later the next one gets through, with the count held back.
        time.sleep(1.2)
        self.assertEqual(self.peer("vm1", send=frames(1), name="vm1b").wait()[0], 0)
        wait_for(lambda: self.sw.port("vm1")["drops"]["no_match"] == 201, 10, "201 drops")
        out = self.sw.dp.output()
        held = [int(m) for m in re.findall(r"vsw.pmd: (\d+) similar messages suppressed", out)]
        self.assertTrue(held, "no 'suppressed' line")
        self.assertEqual(len(log_lines(out, logged)) + sum(held), 201)


@unittest.skipUnless(TELEMETRY, "needs dpdk-telemetry.py (Debian package dpdk)")
class Telemetry(VswTestCase):
    """DPDK's own telemetry client reads the counters vswctl shows."""

    def telemetry(self, *cmds):
        m = re.search(r"telemetry: (?:RUNTIME_DIRECTORY=(\S+) )?dpdk-telemetry.py -f (\S+)$",
                      self.sw.dp.output(), re.M)
        self.assertIsNotNone(m, "the dataplane names its telemetry prefix")
        env = dict(os.environ)
        if m.group(1):
            env["RUNTIME_DIRECTORY"] = m.group(1)
        r = subprocess.run([TELEMETRY, "-f", m.group(2)], input="\n".join(cmds) + "\n",
                           capture_output=True, text=True, timeout=30, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        # One reply a line, {"/cmd": value}, keyed without the parameters.
        replies = [json.loads(line) for line in r.stdout.splitlines()]
        self.assertEqual([list(x) for x in replies], [[c.split(",")[0]] for c in cmds])
        return dict(zip(cmds, [list(x.values())[0] for x in replies]))

    def test_counters_match_vswctl(self):
        for n in ("vm1", "vm2"):
            self.sw.vswctl("add-port", n, "vhost-user")
        self.sw.vswctl("add-flow", "priority=100,in_port=vm1,dl_dst=%s,actions=output:vm2" % MAC2)
        self.sw.vswctl("add-flow", "table=3,priority=1,actions=drop")
        rx = self.peer("vm2", capture=self.capture_path("vm2"))
        self.sw.wait_up("vm2")
        tx = self.peer("vm1", send=frames(12, dst=MAC2, size=90) + frames(5, dst=MAC3))
        self.assertEqual(tx.wait()[0], 0)
        wait_for(lambda: len(rx.frames()) == 12, 10, "12 frames at vm2")
        wait_for(lambda: self.sw.port("vm1")["drops"]["no_match"] == 5, 10, "5 drops")

        t = self.telemetry("/vsw/ports", "/vsw/port,vm1", "/vsw/port,vm2", "/vsw/port,nope",
                           "/vsw/tables", "/vsw/pmds")
        ports = self.sw.json("dump-ports")["ports"]
        cols = t["/vsw/ports"]
        self.assertEqual(sorted(cols["name"]), ["vm1", "vm2"])
        for p in ports:
            i = cols["name"].index(p["name"])
            one = t["/vsw/port," + p["name"]]
            for k in ("port_no", "type", "mode", "path", "state", "rx_packets", "rx_bytes",
                      "tx_packets", "tx_bytes"):
                self.assertEqual(cols[k][i], p[k], k)
                self.assertEqual(one[k], p[k], k)
            for reason, n in p["drops"].items():
                self.assertEqual(cols["drop_" + reason][i], n, reason)
                self.assertEqual(one["drop_" + reason], n, reason)
        vm1 = t["/vsw/port,vm1"]
        self.assertEqual((vm1["rx_packets"], vm1["drop_no_match"]), (17, 5))
        self.assertIsNone(t["/vsw/port,nope"])

        tables = self.sw.json("dump-tables")["tables"]
        tt = t["/vsw/tables"]
        self.assertEqual([dict(zip(tt, row)) for row in zip(*tt.values())], tables)
        self.assertEqual(tt["table"], [0, 3])
        pmds = t["/vsw/pmds"]
        self.assertEqual(sum(pmds["lookups"]), sum(x["lookups"] for x in tables))
        self.assertEqual(sum(pmds["matches"]), sum(x["matches"] for x in tables))
        # PMD cycles as pmd-stats counts them (no packets since: the same numbers)
        stats = self.sw.json("pmd-stats")["pmds"]
        for k, sk in (("packets", "packets"), ("cache_hits", "cache_hits"),
                      ("processing_cycles", "processing_cycles")):
            self.assertEqual(pmds[k], [s[sk] for s in stats], k)
        self.assertEqual(sum(pmds["packets"]), 17)
        self.assertGreater(sum(pmds["processing_cycles"]), 0)
        self.assertGreater(sum(pmds["idle_cycles"]), 0)

    def test_flows_vhost_queues_and_mirrors_match_vswctl(self):
        for n in ("vm1", "vm2", "mon"):
            self.sw.vswctl("add-port", n, "vhost-user")
        self.sw.vswctl("add-flow", "priority=100,in_port=vm1,dl_dst=%s,actions=output:vm2" % MAC2)
        self.sw.vswctl("add-flow", "cookie=0x2a,priority=90,in_port=vm1,actions=drop")
        self.sw.vswctl("add-flow", "table=3,priority=1,actions=drop")
        self.sw.vswctl("add-mirror", "m1", "src=vm1", "dst=mon")
        self.sw.vswctl("add-mirror", "back", "src=vm2", "dst=vm1")
        rx = self.peer("vm2", capture=self.capture_path("vm2"))
        mon = self.peer("mon", capture=self.capture_path("mon"))
        self.sw.wait_up("vm2", "mon")
        tx = self.peer("vm1", send=frames(12, dst=MAC2, size=90) + frames(5, dst=MAC3, size=70))
        self.assertEqual(tx.wait()[0], 0)
        wait_for(lambda: len(rx.frames()) == 12, 10, "12 frames at vm2")
        wait_for(lambda: len(mon.frames()) == 17, 10, "17 copies at mon")
        wait_for(lambda: self.sw.port("vm1")["state"] == "down", 10, "vm1's peer gone")

        t = self.telemetry("/vsw/flows", "/vsw/flows,0", "/vsw/flows,all,1", "/vsw/flows,3",
                           "/vsw/flows,0,5", "/vsw/flows,999", "/vsw/flows,x",
                           "/vsw/vhost", "/vsw/vhost,vm2", "/vsw/vhost,vm1", "/vsw/vhost,nope",
                           "/vsw/mirrors")

        # Flows: the rules and counters dump-flows shows, in its order.
        flows = self.sw.json("dump-flows")["flows"]
        rows = lambda c: [dict(zip(c, r)) for r in zip(*[c[k] for k in (
            "table", "priority", "cookie", "n_packets", "n_bytes", "match", "actions")])]
        want = [dict(table=f["table"], priority=f["priority"], cookie=int(f["cookie"], 16),
                     n_packets=f["n_packets"], n_bytes=f["n_bytes"], match=f["match"],
                     actions=f["actions"]) for f in flows]
        got = rows(t["/vsw/flows"])
        self.assertEqual(sorted(got, key=str), sorted(want, key=str))
        self.assertEqual([(r["match"], r["n_packets"], r["n_bytes"]) for r in got[:2]],
                         [("priority=100,in_port=vm1,dl_dst=%s" % MAC2, 12, 12 * 90),
                          ("priority=90,in_port=vm1", 5, 5 * 70)])
        self.assertEqual(got[1]["cookie"], 0x2a)
        self.assertEqual((t["/vsw/flows"]["rules"], t["/vsw/flows"]["next"]), (3, 3))
        self.assertEqual(rows(t["/vsw/flows,0"]), got[:2])
        self.assertEqual(rows(t["/vsw/flows,all,1"]), got[1:])
        self.assertEqual(rows(t["/vsw/flows,3"]), got[2:])
        self.assertEqual((t["/vsw/flows,3"]["rules"], t["/vsw/flows,3"]["next"]), (1, 1))
        self.assertEqual((rows(t["/vsw/flows,0,5"]), t["/vsw/flows,0,5"]["rules"]), ([], 2))
        self.assertIsNone(t["/vsw/flows,999"])
        self.assertIsNone(t["/vsw/flows,x"])

        # vhost-user queues: what dump-ports shows; vm1's peer is gone.
        ports = {p["name"]: p for p in self.sw.json("dump-ports")["ports"]}
        self.assertEqual((ports["vm2"]["queues"], ports["vm2"]["queues_enabled"]), (1, [True]))
        self.assertEqual((ports["vm1"]["queues"], ports["vm1"]["queues_enabled"]), (0, []))
        vh = t["/vsw/vhost"]
        self.assertEqual(sorted(vh["name"]), ["mon", "vm1", "vm2"])
        for name, p in ports.items():
            i = vh["name"].index(name)
            self.assertEqual((vh["port_no"][i], vh["connected"][i], vh["queues"][i],
                              vh["enabled"][i]),
                             (p["port_no"], int(p["state"] == "up"), p["queues"],
                              sum(p["queues_enabled"])), name)
        self.assertEqual(t["/vsw/vhost,vm2"], {"name": "vm2", "port_no": ports["vm2"]["port_no"],
                                               "connected": 1, "queues": 1, "enabled": 1,
                                               "queues_enabled": [1]})
        self.assertEqual((t["/vsw/vhost,vm1"]["connected"], t["/vsw/vhost,vm1"]["queues"],
                          t["/vsw/vhost,vm1"]["queues_enabled"]), (0, 0, []))
        self.assertIsNone(t["/vsw/vhost,nope"])
        text = self.sw.vswctl("dump-ports").stdout
        self.assertRegex(text, r"port vm2 \(\d+\): state=up vhost-user server \S+ queues=1\n")
        self.assertRegex(text, r"port vm1 \(\d+\): state=down vhost-user server \S+ queues=0\n")

        # Mirrors: list-mirrors' counters; m1 copied all 17 frames vm1 sent.
        mirrors = {m["name"]: m for m in self.sw.json("list-mirrors")["mirrors"]}
        tm = t["/vsw/mirrors"]
        self.assertEqual(sorted(tm["name"]), ["back", "m1"])
        for name, m in mirrors.items():
            i = tm["name"].index(name)
            self.assertEqual((tm["packets"][i], tm["bytes"][i], tm["drops"][i]),
                             (m["packets"], m["bytes"], m["drops"]), name)
        i = tm["name"].index("m1")
        self.assertEqual((tm["packets"][i], tm["bytes"][i], tm["dst"][i], tm["sources"][i]),
                         (17, 12 * 90 + 5 * 70, ports["mon"]["port_no"], 1))
        self.sw.vswctl("del-mirror", "back")
        self.assertEqual(self.telemetry("/vsw/mirrors")["/vsw/mirrors"]["name"], ["m1"])


@unittest.skipUnless(TELEMETRY, "needs dpdk-telemetry.py (Debian package dpdk)")
class TelemetryDomains(Telemetry):
    """L2 domains' counters, read through telemetry and domain-list (the dataplane alone)."""

    start_switch = False

    def setUp(self):
        super().setUp()
        self.sw.start_dataplane()

    def dp(self, cmd, **args):
        r = self.sw.dp_call(dict(cmd=cmd, **args))
        self.assertTrue(r.get("ok"), "%s %s: %s" % (cmd, args, r))
        return r

    test_counters_match_vswctl = None
    test_flows_vhost_queues_and_mirrors_match_vswctl = None

    def test_domains_match_domain_list(self):
        for no, name in ((1, "vm1"), (2, "vm2"), (3, "vm3")):
            self.dp("port-add", name=name, port_no=no, type="vhost-user", mode="server",
                    path=self.sw.sock(name))
        for f in ("table=0,actions=set_field:100->metadata,goto_table:1",
                  "table=1,metadata=100,actions=normal"):
            self.dp("flow-add", flow=f)
        self.dp("domain-set", id=100, mac_limit=50, aging=300,
                members=[{"port": 1}, {"port": 2}, {"port": 3}])
        self.dp("domain-set", id=200, vni=5000, members=[{"port": 99}],
                vteps=[{"ip": "192.0.2.10"}])
        peers = [self.peer(n, capture=self.capture_path(n)) for n in ("vm2", "vm3")]
        wait_for(lambda: all(p["state"] == "up" for p in self.dp("port-list")["ports"]
                             if p["name"] != "vm1"), 30, "vm2, vm3 up")
        # Broadcasts flood; vm1's MAC is learned.
        tx = self.peer("vm1", send=[frame(src=MAC1, dst=BCAST, seq=1)] * 3)
        self.assertEqual(tx.wait()[0], 0)
        wait_for(lambda: len(peers[0].frames()) == 3 and len(peers[1].frames()) == 3, 10,
                 "3 floods at vm2 and vm3")

        t = self.telemetry("/vsw/domains", "/vsw/domains,100", "/vsw/domains,7",
                           "/vsw/domains,x")
        domains = self.dp("domain-list")["domains"]
        td = t["/vsw/domains"]
        self.assertEqual((td["domains"], td["listed"]), (2, 2))
        self.assertEqual(td["id"], [d["id"] for d in domains])
        for i, d in enumerate(domains):
            for k in ("vni", "mac_limit", "aging", "macs", "learned", "moved", "aged",
                      "mac_limit_hits", "table_full", "flooded", "unicast"):
                self.assertEqual(td[k][i], d[k], k)
            self.assertEqual((td["members"][i], td["vteps"][i]),
                             (len(d["members"]), len(d["vteps"])))
        one = t["/vsw/domains,100"]
        self.assertEqual((one["macs"], one["learned"], one["flooded"], one["members"]),
                         (1, 1, 3, 3))
        self.assertEqual(td["vni"], [0, 5000])
        self.assertIsNone(t["/vsw/domains,7"])
        self.assertIsNone(t["/vsw/domains,x"])


if __name__ == "__main__":
    main()
