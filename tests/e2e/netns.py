"""Network namespaces, veth pairs and kernel devices for the tenant tests.

Every name a test makes carries a per-process suffix, so that a run that was
killed half-way leaves nothing that collides with the next one; `Net` removes
what it made even when the test fails. Addresses are from the documentation
ranges (192.0.2.0/24 for tenant networks, 198.51.100.0/24 for the underlay)
and exist only inside these namespaces.
"""

import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))

import vswtest  # noqa: E402

SUFFIX = "%x" % (os.getpid() % 0xfff)


def sh(*argv, check=True, timeout=30):
    r = subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError("%s failed (%d): %s" % (" ".join(map(str, argv)), r.returncode,
                                                      (r.stderr or r.stdout).strip()))
    return r


class Ns:
    """One network namespace."""

    def __init__(self, net, name):
        self.net = net
        self.name = "%s-%s" % (name, SUFFIX)
        sh("ip", "netns", "add", self.name)
        self.run("ip", "link", "set", "lo", "up")

    def argv(self, *cmd):
        return ["ip", "netns", "exec", self.name] + [str(c) for c in cmd]

    def run(self, *cmd, check=True, timeout=30):
        return sh(*self.argv(*cmd), check=check, timeout=timeout)

    def popen(self, *cmd, log):
        return vswtest.Proc(self.argv(*cmd), log)

    def addr(self, dev, cidr):
        self.run("ip", "addr", "add", cidr, "dev", dev)
        self.run("ip", "link", "set", dev, "up")

    def mac(self, dev):
        out = self.run("ip", "-o", "link", "show", dev).stdout
        return re.search(r"link/ether ([0-9a-f:]{17})", out).group(1)

    def ping(self, dst, count=3, timeout=20):
        """True when `count` echo replies came back (retrying while ARP settles)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r = self.run("ping", "-c", count, "-i", "0.2", "-W", "1", dst, check=False)
            if r.returncode == 0:
                return True
        return False


class Net:
    """What a test made: namespaces and interfaces, removed by cleanup()."""

    def __init__(self):
        self.namespaces = []
        self.links = []

    def ns(self, name):
        n = Ns(self, name)
        self.namespaces.append(n)
        return n

    def veth(self, a, ns_a, b, ns_b):
        """A veth pair a (in ns_a, None = here) <-> b (in ns_b); names get the suffix."""
        a, b = "%s%s" % (a, SUFFIX), "%s%s" % (b, SUFFIX)
        sh("ip", "link", "add", a, "type", "veth", "peer", "name", b)
        self.links.append(a)
        for dev, ns in ((a, ns_a), (b, ns_b)):
            if ns is not None:
                sh("ip", "link", "set", dev, "netns", ns.name)
            (ns.run if ns else sh)("ip", "link", "set", dev, "up")
        return a, b

    def cleanup(self):
        for link in self.links:
            sh("ip", "link", "del", link, check=False)
        for n in self.namespaces:
            sh("ip", "netns", "pids", n.name, check=False)
            pids = sh("ip", "netns", "pids", n.name, check=False).stdout.split()
            for pid in pids:
                sh("kill", "-9", pid, check=False)
            sh("ip", "netns", "del", n.name, check=False)


class NsSwitch(vswtest.Switch):
    """vsw-dataplane and vsw-control inside a namespace ("a host").

    vswctl and the vhost-user peers stay outside: Unix sockets are files, and
    files do not care about network namespaces.
    """

    def __init__(self, workdir, ns):
        os.makedirs(workdir, exist_ok=True)
        super().__init__(workdir)
        self.ns = ns

    def start_dataplane(self, wait=True):
        self.dp = vswtest.Proc(self.ns.argv(vswtest.DATAPLANE, "--run-dir", self.run_dir,
                                            "--pmd-idle-us", "20"),
                               os.path.join(self.dir, "dataplane.log"))
        if wait:
            vswtest.wait_for(lambda: os.path.exists(os.path.join(self.run_dir, "dataplane.sock"))
                             or not self.dp.alive(), 30, "dataplane.sock")
            assert self.dp.alive(), "vsw-dataplane exited:\n" + self.dp.output()[-3000:]
        return self.dp

    def start_control(self, wait=True):
        self.control = vswtest.Proc(self.ns.argv(vswtest.CONTROL, "--run-dir", self.run_dir,
                                                 "--db", self.db),
                                    os.path.join(self.dir, "control.log"))
        if wait:
            vswtest.wait_for(lambda: os.path.exists(os.path.join(self.run_dir, "control.sock"))
                             or not self.control.alive(), 30, "control.sock")
            assert self.control.alive(), "vsw-control exited:\n" + self.control.output()[-3000:]
        return self.control


def tshark(pcap, *fields, display_filter=None, decode_as=()):
    """Decode a capture with tshark: one tuple of `fields` per frame.

    A field that occurs more than once (the outer and inner ip.src of a
    VXLAN frame) gives its first, outermost, occurrence.
    """
    argv = ["tshark", "-r", pcap, "-T", "fields", "-E", "separator=|", "-E", "occurrence=f"]
    for d in decode_as:
        argv += ["-d", d]
    if display_filter:
        argv += ["-Y", display_filter]
    for f in fields:
        argv += ["-e", f]
    r = sh(*argv)
    return [tuple(line.split("|")) for line in r.stdout.splitlines() if line]
