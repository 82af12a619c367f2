"""Integration test harness: real vsw daemons, real vhost-user sockets, real peers.

A `Switch` runs vsw-dataplane and vsw-control in a private run directory
(sockets, store) and drives them with the real `vswctl`. A `Peer` is one
`vsw-traffic` process attached to a vhost-user socket as the VM side: it
sends frames from a pcap file or a generated stream and captures what it
receives to a pcap file, which the tests compare byte for byte.

Everything runs without hugepages. The dataplane sleeps briefly when idle
(--pmd-idle-us) because the tests share two CPUs among several DPDK
processes; that changes timing, never behaviour.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from scapy.all import Ether, IP, UDP, Raw, Dot1Q, rdpcap, wrpcap  # noqa: F401

BUILD = os.environ.get("VSW_BUILD_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "build")
DATAPLANE = os.path.join(BUILD, "dataplane", "vsw-dataplane")
CONTROL = os.path.join(BUILD, "control", "vsw-control")
VSWCTL = os.path.join(BUILD, "cli", "vswctl")
TRAFFIC = os.path.join(BUILD, "perf", "vsw-traffic")

MAC1 = "02:00:00:00:00:01"
MAC2 = "02:00:00:00:00:02"
MAC3 = "02:00:00:00:00:03"
BCAST = "ff:ff:ff:ff:ff:ff"


def wait_for(cond, timeout=20.0, what="condition", interval=0.1):
    """Poll cond() until it returns something true; fail the test otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.0fs waiting for %s" % (timeout, what))
        time.sleep(interval)


def frame(src=MAC1, dst=MAC2, seq=0, size=100, vlan=None):
    """A UDP frame whose payload carries `seq`, padded to `size` bytes."""
    pkt = Ether(src=src, dst=dst)
    if vlan is not None:
        pkt = pkt / Dot1Q(vlan=vlan)
    pkt = pkt / IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=1000 + seq % 50000, dport=7)
    payload = ("vsw-%08d-" % seq).encode()
    pad = max(0, size - len(pkt) - len(payload))
    return pkt / Raw(payload + b"\x00" * pad)


def frames(n, start=0, **kw):
    return [frame(seq=start + i, **kw) for i in range(n)]


def read_frames(path):
    """Bytes of every frame in a pcap file ([] when the file is missing or empty)."""
    if not os.path.exists(path) or os.path.getsize(path) < 24:
        return []
    return [bytes(p) for p in rdpcap(path)]


class Proc:
    """A background process whose output goes to a log file in the test dir."""

    def __init__(self, argv, log):
        self.argv = argv
        self.log = log
        self.logf = open(log, "ab")
        self.p = subprocess.Popen(argv, stdout=self.logf, stderr=subprocess.STDOUT)

    def alive(self):
        return self.p.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.p.poll() is None:
            self.p.send_signal(sig)
            try:
                self.p.wait(timeout)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.logf.close()
        return self.p.returncode

    def output(self):
        if not self.logf.closed:
            self.logf.flush()
        with open(self.log, "rb") as f:
            return f.read().decode(errors="replace")


class Peer(Proc):
    """vsw-traffic attached to a vhost-user socket as the VM side."""

    count = 0

    def __init__(self, workdir, sock, name=None, server=False, send=None, capture=None,
                 gen=None, seconds=None, expect=None, start_file=None, extra=()):
        Peer.count += 1
        self.name = name or "peer%d" % Peer.count
        self.capture = capture
        argv = [TRAFFIC, "--socket", sock, "--name", "%s-%d" % (self.name, os.getpid()),
                "--lcore", "0", "--wait-link", "30"]
        if server:
            argv.append("--server")
        if send is not None:
            path = os.path.join(workdir, self.name + "-send.pcap")
            wrpcap(path, send)
            argv += ["--send-pcap", path]
        if capture:
            argv += ["--capture", capture]
        if gen:
            argv.append("--gen")
            for k, v in gen.items():
                argv += ["--" + k, str(v)]
        if start_file:
            argv += ["--start-file", start_file]
        if seconds is not None:
            argv += ["--seconds", str(seconds)]
        if expect is not None:
            argv += ["--expect", str(expect)]
        argv += list(extra)
        super().__init__(argv, os.path.join(workdir, self.name + ".log"))

    def wait(self, timeout=60):
        """Wait for exit; return (exit code, summary dict from the last JSON line)."""
        try:
            self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise AssertionError("%s did not finish within %ss:\n%s"
                                 % (self.name, timeout, self.output()[-2000:]))
        self.logf.close()
        summary = {}
        for line in self.output().splitlines():
            if line.startswith("{") and "rx_packets" in line:
                summary = json.loads(line)
        return self.p.returncode, summary

    def frames(self):
        return read_frames(self.capture)


class Switch:
    """vsw-dataplane + vsw-control in a private run directory."""

    def __init__(self, workdir, dataplane_args=()):
        self.dir = workdir
        self.run_dir = os.path.join(workdir, "run")
        self.db = os.path.join(workdir, "vsw.db")
        os.makedirs(self.run_dir, exist_ok=True)
        self.dp = None
        self.control = None
        # more arguments for the dataplane (before EAL's), e.g. ["--pmds", "2"]
        self.dp_args = list(dataplane_args)
        self.control_args = []

    def sock(self, name):
        return os.path.join(self.run_dir, name + ".sock")

    def start_dataplane(self, wait=True):
        self.dp = Proc([DATAPLANE, "--run-dir", self.run_dir, "--pmd-idle-us", "20"]
                       + self.dp_args,
                       os.path.join(self.dir, "dataplane.log"))
        if wait:
            wait_for(lambda: os.path.exists(os.path.join(self.run_dir, "dataplane.sock"))
                     or not self.dp.alive(), 30, "dataplane.sock")
            assert self.dp.alive(), "vsw-dataplane exited:\n" + self.dp.output()[-3000:]
        return self.dp

    def start_control(self, wait=True):
        self.control = Proc([CONTROL, "--run-dir", self.run_dir, "--db", self.db]
                            + self.control_args,
                            os.path.join(self.dir, "control.log"))
        if wait:
            wait_for(lambda: os.path.exists(os.path.join(self.run_dir, "control.sock"))
                     or not self.control.alive(), 30, "control.sock")
            assert self.control.alive(), "vsw-control exited:\n" + self.control.output()[-3000:]
        return self.control

    def start(self):
        self.start_dataplane()
        self.start_control()
        self.wait_connected()
        return self

    def wait_connected(self, timeout=20):
        wait_for(lambda: self.show().get("dataplane") == "connected", timeout,
                 "vsw-control to connect to the dataplane")

    def stop(self):
        for p in (self.control, self.dp):
            if p:
                p.stop()

    def dp_call(self, req):
        """One request on the dataplane's own socket (PROTOCOL.md): the reply, as a dict."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(30)
            s.connect(os.path.join(self.run_dir, "dataplane.sock"))
            s.sendall((json.dumps(req) + "\n").encode())
            buf = b""
            while not buf.endswith(b"\n"):
                chunk = s.recv(1 << 20)
                if not chunk:
                    break
                buf += chunk
        return json.loads(buf)

    def vswctl(self, *args, check=True):
        r = subprocess.run([VSWCTL, "--run-dir", self.run_dir] + list(args),
                           capture_output=True, text=True, timeout=30)
        if check and r.returncode != 0:
            raise AssertionError("vswctl %s failed (%d): %s"
                                 % (" ".join(args), r.returncode, r.stderr.strip()))
        return r

    def json(self, *args):
        return json.loads(self.vswctl("--format", "json", *args).stdout)

    def show(self):
        r = self.vswctl("--format", "json", "show", check=False)
        return json.loads(r.stdout) if r.returncode == 0 else {}

    def port(self, name):
        for p in self.json("dump-ports")["ports"]:
            if p["name"] == name:
                return p
        raise AssertionError("no port %s" % name)

    def flows(self):
        return self.json("dump-flows")["flows"]

    def wait_up(self, *names, timeout=30):
        for n in names:
            wait_for(lambda: self.port(n)["state"] == "up", timeout, "port %s up" % n)


class VswTestCase(unittest.TestCase):
    """Each test gets a fresh directory and a running switch; all is torn down after."""

    start_switch = True
    dataplane_args = ()  # more vsw-dataplane options, e.g. ("--pmds", "2")

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="vsw-%s-" % self._testMethodName)
        self.peers = []
        self.sw = Switch(self.dir, self.dataplane_args)
        if self.start_switch:
            self.sw.start()

    def tearDown(self):
        for p in self.peers:
            p.stop(signal.SIGKILL)
        self.sw.stop()
        result = self._outcome.result
        failed = any(t is self for t, _ in result.failures + result.errors)
        if failed:
            for log in sorted(os.listdir(self.dir)):
                if log.endswith(".log"):
                    with open(os.path.join(self.dir, log), errors="replace") as f:
                        print("\n--- %s (tail) ---\n%s" % (log, f.read()[-2500:]))
        if os.environ.get("VSW_KEEP") or failed:
            print("\nlogs kept in", self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def peer(self, port, **kw):
        p = Peer(self.dir, kw.pop("sock", None) or self.sw.sock(port), name=kw.pop("name", port),
                 **kw)
        self.peers.append(p)
        return p

    def capture_path(self, name):
        return os.path.join(self.dir, name + "-rx.pcap")


def main():
    unittest.main(verbosity=2)
