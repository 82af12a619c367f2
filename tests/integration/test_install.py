#!/usr/bin/env python3
"""`meson install` into a temporary directory: every file in its place, units
that systemd accepts, man pages that render without a warning, --help and man
page naming the same options, and configuration never overwritten."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from vswtest import BUILD

PROGRAMS = {"vsw-dataplane": "sbin", "vsw-control": "sbin", "vswctl": "bin"}
UNITS = ("vsw-dataplane.service", "vsw-control.service")
CONFS = ("dataplane.conf", "control.conf")


def meson_options():
    """prefix, sbindir, bindir, mandir, sysconfdir as the build is configured."""
    out = subprocess.run(["meson", "introspect", "--buildoptions", BUILD], check=True,
                         capture_output=True, text=True).stdout
    opts = {o["name"]: o["value"] for o in json.loads(out)}
    prefix = opts["prefix"]
    return {k: os.path.join(prefix, opts[k]) for k in ("sbindir", "bindir", "mandir",
                                                       "sysconfdir")} | {"prefix": prefix}


class Install(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.dest = tempfile.mkdtemp(prefix="vsw-install-")
        cls.opts = meson_options()
        cls.install()
        cls.units = {}
        for root, _, files in os.walk(cls.dest):
            for f in files:
                if f in UNITS:
                    cls.units[f] = os.path.join(root, f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dest, ignore_errors=True)

    @classmethod
    def install(cls):
        r = subprocess.run(["meson", "install", "-C", BUILD, "--no-rebuild", "--quiet",
                            "--destdir", cls.dest], capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr

    def path(self, absolute):
        return self.dest + absolute

    def test_files(self):
        o = self.opts
        want = [os.path.join(o[d + "dir"], p) for p, d in PROGRAMS.items()]
        want += [os.path.join(o["mandir"], "man8", p + ".8") for p in PROGRAMS]
        want += [os.path.join(o["sysconfdir"], "vsw", c) for c in CONFS]
        for f in want:
            self.assertTrue(os.path.isfile(self.path(f)), f)
        for p, d in PROGRAMS.items():
            self.assertTrue(os.access(self.path(os.path.join(o[d + "dir"], p)), os.X_OK), p)
        self.assertEqual(sorted(self.units), sorted(UNITS))
        for u in self.units.values():
            # Under the prefix (a --prefix install stays inside it), in a systemd unit dir.
            rel = u[len(self.dest):]
            self.assertTrue(rel.startswith(o["prefix"]), rel)
            self.assertTrue(rel.endswith("/lib/systemd/system/" + os.path.basename(u)), rel)

    def unit(self, name):
        with open(self.units[name]) as f:
            return f.read()

    def test_units(self):
        o = self.opts
        dp, ctl = self.unit(UNITS[0]), self.unit(UNITS[1])
        for text, prog, conf in ((dp, "vsw-dataplane", "dataplane.conf"),
                                 (ctl, "vsw-control", "control.conf")):
            exe = re.search(r"^ExecStart=(\S+)", text, re.M).group(1)
            self.assertEqual(exe, os.path.join(o["sbindir"], prog))
            self.assertTrue(os.access(self.path(exe), os.X_OK))
            self.assertIn("\nEnvironmentFile=-%s\n" % os.path.join(o["sysconfdir"], "vsw", conf),
                          text)
            for line in ("Restart=on-failure", "RuntimeDirectory=vsw",
                         "RuntimeDirectoryPreserve=yes", "WantedBy=multi-user.target"):
                self.assertIn("\n" + line + "\n", text, prog)
        self.assertIn("ExecStart=%s/vsw-dataplane $VSW_DATAPLANE_OPTS -- $VSW_EAL_ARGS\n"
                      % o["sbindir"], dp)
        self.assertIn("\nStateDirectory=vsw\n", ctl)
        # The dataplane is started first.
        self.assertIn("\nAfter=vsw-dataplane.service\n", ctl)
        self.assertIn("\nWants=vsw-dataplane.service\n", ctl)
        self.assertIn("\nBefore=vsw-control.service\n", dp)

    @unittest.skipUnless(shutil.which("systemd-analyze"), "no systemd-analyze")
    def test_systemd_accepts_the_units(self):
        # systemd-analyze checks that ExecStart's program exists: point the
        # units at the installed copies.
        tmp = tempfile.mkdtemp(prefix="vsw-units-")
        try:
            copies = []
            for name, path in self.units.items():
                text = re.sub(r"^(ExecStart=)(\S+)", lambda m: m.group(1) + self.path(m.group(2)),
                              self.unit(name), flags=re.M)
                copies.append(os.path.join(tmp, name))
                with open(copies[-1], "w") as f:
                    f.write(text)
            r = subprocess.run(["systemd-analyze", "verify", "--man=no"] + copies,
                               capture_output=True, text=True, timeout=60)
            self.assertEqual((r.returncode, r.stderr.strip()), (0, ""), r.stdout)
        finally:
            shutil.rmtree(tmp)

    @unittest.skipUnless(shutil.which("man"), "no man")
    def test_man_pages_render_without_warnings(self):
        env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="80")
        for p in PROGRAMS:
            page = self.path(os.path.join(self.opts["mandir"], "man8", p + ".8"))
            r = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", page],
                               capture_output=True, text=True, env=env, timeout=60)
            self.assertEqual((r.returncode, r.stderr), (0, ""), p)
            self.assertRegex(r.stdout.replace("\u2010", "-"), r"NAME\n +%s +- " % p)
            self.assertNotRegex(r.stdout, r"@[A-Z]+@", "an unsubstituted @VAR@ in " + p)

    @unittest.skipUnless(shutil.which("man"), "no man")
    def test_help_and_man_page_name_the_same_options(self):
        env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="200")
        for p, d in PROGRAMS.items():
            exe = self.path(os.path.join(self.opts[d + "dir"], p))
            r = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=30)
            self.assertEqual(r.returncode, 0, p)
            page = subprocess.run(["man", "-E", "UTF-8", "-l",
                                   self.path(os.path.join(self.opts["mandir"], "man8",
                                                          p + ".8"))],
                                  capture_output=True, text=True, env=env).stdout
            page = re.sub(r".\x08", "", page).replace("\u2010", "-")
            # vswctl's EAL-less options; the dataplane's EAL examples are EAL's own.
            help_text = r.stdout.split("-- EAL-ARGS")[0] if "EAL-ARGS" in r.stdout \
                else r.stdout
            opts = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", help_text))
            self.assertTrue(opts, p)
            for opt in sorted(opts):
                self.assertIn(opt, page, "%s: --help names %s, the man page does not" % (p, opt))
            if p == "vswctl":  # every command too
                for cmd in re.findall(r"^  ([a-z][a-z-]+)(?: |$)", r.stdout, re.M):
                    self.assertIn(cmd, page, "vswctl: man page lacks command " + cmd)

    def test_reinstall_keeps_configuration(self):
        conf = self.path(os.path.join(self.opts["sysconfdir"], "vsw", "dataplane.conf"))
        with open(conf) as f:
            self.assertTrue(all(not line.strip() or line.startswith("#") for line in f),
                            "the default configuration is all comments")
        with open(conf, "a") as f:
            f.write('VSW_DATAPLANE_OPTS="--pmd-idle-us 7"\n')
        self.install()
        with open(conf) as f:
            self.assertIn('VSW_DATAPLANE_OPTS="--pmd-idle-us 7"\n', f.read())


if __name__ == "__main__":
    unittest.main(verbosity=2)
