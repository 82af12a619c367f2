#!/usr/bin/env python3
"""Start and stop: clean shutdown removes sockets; a corrupt store is refused, not lost."""

import os
import signal
import subprocess

from vswtest import CONTROL, DATAPLANE, VswTestCase, main


class Lifecycle(VswTestCase):

    def test_sigterm_removes_the_sockets_it_created(self):
        self.sw.vswctl("add-port", "vm1", "vhost-user")
        client_sock = os.path.join(self.dir, "qemu.sock")
        self.sw.vswctl("add-port", "vm2", "vhost-user", "client", client_sock)
        run = self.sw.run_dir
        for s in ("dataplane.sock", "control.sock", "vm1.sock"):
            self.assertTrue(os.path.exists(os.path.join(run, s)), s)
        self.assertEqual(self.sw.control.stop(signal.SIGTERM), 0)
        self.assertEqual(self.sw.dp.stop(signal.SIGINT), 0)
        self.assertEqual(sorted(f for f in os.listdir(run) if f.endswith(".sock")), [])

    def test_control_sockets_are_root_only(self):
        for s in ("dataplane.sock", "control.sock"):
            self.assertEqual(os.stat(os.path.join(self.sw.run_dir, s)).st_mode & 0o777, 0o600, s)

    def test_corrupt_store_is_refused_and_kept(self):
        self.sw.stop()
        garbage = b"this is not a database\n" * 100
        with open(self.sw.db, "wb") as f:
            f.write(garbage)
        r = subprocess.run([CONTROL, "--run-dir", self.sw.run_dir, "--db", self.sw.db],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertIn(self.sw.db, r.stderr)
        self.assertIn("not a database", r.stderr)
        with open(self.sw.db, "rb") as f:
            self.assertEqual(f.read(), garbage, "the store file was changed")

    def test_bad_arguments(self):
        r = subprocess.run([DATAPLANE, "--pmd-idle-us", "lots"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--pmd-idle-us", r.stderr)
        r = subprocess.run([CONTROL, "--frobnicate"], capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("frobnicate", r.stderr)


if __name__ == "__main__":
    main()
