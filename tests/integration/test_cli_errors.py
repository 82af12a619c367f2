#!/usr/bin/env python3
"""Every bad input: one clear line, a non-zero exit, and nothing changed."""

import os

from vswtest import VswTestCase, main, VSWCTL
import subprocess


class BadInput(VswTestCase):

    def setUp(self):
        super().setUp()
        self.sw.vswctl("add-port", "vm1", "vhost-user")
        self.sw.vswctl("add-port", "vm2", "vhost-user")
        self.sw.vswctl("add-flow", "priority=5,in_port=vm1,actions=output:vm2")

    def state(self):
        return self.sw.json("show"), [(f["match"], f["actions"]) for f in self.sw.flows()]

    def check(self, args, needle):
        before = self.state()
        r = self.sw.vswctl(*args, check=False)
        self.assertNotEqual(r.returncode, 0, args)
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, "expected one line, got %r" % r.stderr)
        self.assertTrue(lines[0].startswith("vswctl: "), lines[0])
        self.assertIn(needle, lines[0])
        self.assertEqual(r.stdout, "")
        self.assertEqual(self.state(), before, "%s changed the configuration" % (args,))

    def test_unknown_command(self):
        self.check(["frob"], "frob")

    def test_unknown_field(self):
        self.check(["add-flow", "in_port=vm1,foo=1,actions=drop"], "foo")

    def test_bad_mac(self):
        self.check(["add-flow", "dl_dst=02:00:zz:00:00:01,actions=drop"], "02:00:zz:00:00:01")

    def test_unknown_port_in_match(self):
        self.check(["add-flow", "in_port=vm9,actions=drop"], "vm9")

    def test_unknown_port_in_action(self):
        self.check(["add-flow", "in_port=vm1,actions=output:vm9"], "vm9")

    def test_missing_actions(self):
        self.check(["add-flow", "in_port=vm1"], "actions")

    def test_duplicate_port(self):
        self.check(["add-port", "vm1", "vhost-user"], "vm1")

    def test_unknown_port_type(self):
        self.check(["add-port", "vm3", "bogus-type"], "bogus-type")

    def test_client_mode_needs_a_path(self):
        self.check(["add-port", "vm3", "vhost-user", "client"], "PATH")

    def test_del_missing_port(self):
        self.check(["del-port", "nope"], "nope")

    def test_dump_missing_port(self):
        self.check(["dump-ports", "nope"], "nope")

    def test_socket_in_missing_directory(self):
        self.check(["add-port", "vm3", "vhost-user", "server", "/nonexistent/vm3.sock"],
                   "/nonexistent/vm3.sock")
        self.assertNotIn("vm3", self.sw.vswctl("show").stdout)

    def test_wrong_argument_count(self):
        self.check(["add-flow"], "add-flow")

    def test_daemon_not_running(self):
        r = subprocess.run([VSWCTL, "--run-dir", os.path.join(self.dir, "nowhere"), "show"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"^vswctl: cannot connect to vsw-control at .*nowhere/"
                         r"control.sock: No such file or directory \(is vsw-control running\?\)\n$")


if __name__ == "__main__":
    main()
