#!/usr/bin/env python3
"""vswctl capture: files read back by tshark, byte for byte; directions, filter,
count, duration, standard output, and the dataplane unharmed by clients that go."""

import json
import os
import re
import shutil
import signal
import subprocess
import time
import unittest

from test_vxlan import VNI, XPORT, VxlanCase, inner, vxlan
from vswtest import (MAC1, MAC2, VSWCTL, VswTestCase, Ether, IP, UDP, Raw, frames, main,
                     read_frames, wait_for)

TSHARK = "/usr/bin/tshark"


def tshark(path="-", data=None, fields=None):
    """Frames of a capture as tshark reads them: raw bytes, or the given fields."""
    args = [TSHARK, "-r", path]
    if fields:
        args += ["-T", "fields"] + sum((["-e", f] for f in fields), [])
    else:
        args += ["-T", "json", "-x"]
    r = subprocess.run(args, input=data, capture_output=True, timeout=60)
    assert r.returncode == 0, "tshark failed: %s" % r.stderr.decode(errors="replace")
    if fields:
        return [line.split("\t") for line in r.stdout.decode().splitlines()]
    return [bytes.fromhex(p["_source"]["layers"]["frame_raw"][0])
            for p in json.loads(r.stdout or b"[]")]


def head(path):
    with open(path, "rb") as f:
        return f.read(4)


def udp(dport, seq, src=MAC1, dst=MAC2):
    return (Ether(src=src, dst=dst) / IP(src="192.0.2.1", dst="192.0.2.2") /
            UDP(sport=2000 + seq, dport=dport) / Raw(b"x" * 40))


class Capture:
    """One `vswctl capture` running in the background."""

    def __init__(self, sw, port, path, *args, stdout=subprocess.DEVNULL):
        self.path = path
        self.p = subprocess.Popen([VSWCTL, "--run-dir", sw.run_dir, "capture", port, "-w", path]
                                  + list(args), stdout=stdout, stderr=subprocess.PIPE)

    def wait_started(self):
        """The file header is written once the dataplane said yes (and taps the port)."""
        wait_for(lambda: (os.path.exists(self.path) and os.path.getsize(self.path) >= 24)
                 or self.p.poll() is not None, 20, "the capture to start")
        assert self.p.poll() is None, self.p.stderr.read().decode()
        return self

    def stop(self, sig=signal.SIGINT, timeout=20):
        if self.p.poll() is None:
            self.p.send_signal(sig)
        return self.wait(timeout)

    def wait(self, timeout=20):
        _, err = self.p.communicate(timeout=timeout)
        return self.p.returncode, err.decode()


class CaptureTest(VswTestCase):

    def setUp(self):
        super().setUp()
        for n in ("vm1", "vm2"):
            self.sw.vswctl("add-port", n, "vhost-user")
        self.sw.vswctl("add-flow", "priority=100,in_port=vm1,actions=output:vm2")
        self.sw.vswctl("add-flow", "priority=100,in_port=vm2,actions=output:vm1")
        self.caps = []

    def tearDown(self):
        for c in self.caps:
            if c.p.poll() is None:
                c.p.kill()
                c.p.wait()
        super().tearDown()

    def capture(self, port, name, *args, **kw):
        c = Capture(self.sw, port, os.path.join(self.dir, name), *args, **kw)
        self.caps.append(c)
        return c

    def exchange(self, sent12, sent21):
        """vm1 sends sent12 to vm2 and vm2 sent21 to vm1, once both are up; all arrive."""
        go = os.path.join(self.dir, "go")
        if os.path.exists(go):
            os.unlink(go)  # a go file of an earlier exchange
        vm1 = self.peer("vm1", capture=self.capture_path("vm1"), send=sent12 or None,
                        expect=len(sent21) or None, start_file=go)
        vm2 = self.peer("vm2", capture=self.capture_path("vm2"), send=sent21 or None,
                        expect=len(sent12) or None, start_file=go)
        self.sw.wait_up("vm1", "vm2")
        open(go, "w").close()
        self.assertEqual(vm1.wait()[0], 0)
        self.assertEqual(vm2.wait()[0], 0)
        self.assertEqual(vm2.frames(), [bytes(f) for f in sent12])
        self.assertEqual(vm1.frames(), [bytes(f) for f in sent21])

    def test_directions_byte_for_byte(self):
        """Three captures of one port at once: both, in, out (pcapng with direction flags)."""
        both = self.capture("vm1", "both.pcap").wait_started()
        cin = self.capture("vm1", "in.pcap", "--direction", "in").wait_started()
        cout = self.capture("vm1", "out.pcapng", "--direction", "out").wait_started()
        sent12 = frames(20, src=MAC1, dst=MAC2, size=60) + frames(5, src=MAC1, dst=MAC2,
                                                                   size=1514, start=20)
        sent21 = frames(7, src=MAC2, dst=MAC1, size=200, start=100)
        self.exchange(sent12, sent21)
        want12, want21 = [bytes(f) for f in sent12], [bytes(f) for f in sent21]
        wait_for(lambda: len(read_frames(both.path)) == len(want12) + len(want21), 10,
                 "every frame in both.pcap")
        for c in (both, cin, cout):
            code, err = c.stop()
            self.assertEqual(code, 0, err)
            self.assertIn("dropped by vsw-dataplane", err)
        got = tshark(both.path)
        # In and out interleave as the PMD saw them; each direction keeps its order.
        self.assertEqual([f for f in got if f[6:12] == bytes.fromhex("020000000001")], want12)
        self.assertEqual([f for f in got if f[6:12] == bytes.fromhex("020000000002")], want21)
        self.assertEqual(tshark(cin.path), want12)
        self.assertEqual(tshark(cout.path), want21)
        # pcapng: the interface is the port, each packet says it went out (2).
        fields = tshark(cout.path, fields=["frame.interface_name",
                                           "frame.packet_flags_direction"])
        self.assertEqual([(name, int(d, 0)) for name, d in fields], [("vm1", 2)] * len(want21))
        self.assertEqual(head(cout.path), bytes.fromhex("0a0d0d0a"))
        # Timestamps are the time of day, nanoseconds in the pcap.
        ts = [float(t[0]) for t in tshark(cin.path, fields=["frame.time_epoch"])]
        self.assertTrue(all(abs(t - time.time()) < 120 for t in ts), ts)
        self.assertEqual(ts, sorted(ts))
        self.assertEqual(head(cin.path), bytes.fromhex("4d3cb2a1"))  # pcap, nanoseconds

    def test_filter_count_snaplen(self):
        match = [udp(7, i) for i in range(6)]
        other = [udp(9, i) for i in range(4)]
        mixed = [match[0], other[0], match[1], match[2], other[1], other[2], match[3],
                 other[3], match[4], match[5]]
        filt = self.capture("vm1", "udp7.pcap", "--filter", "udp port 7").wait_started()
        count = self.capture("vm1", "first3.pcap", "--count", "3", "--direction", "in")
        count.wait_started()
        snap = self.capture("vm1", "snap.pcap", "--snaplen", "20", "--direction",
                            "in").wait_started()
        self.exchange(mixed, [])
        code, err = count.wait()  # ends by itself after 3
        self.assertEqual(code, 0, err)
        self.assertEqual(tshark(count.path), [bytes(f) for f in mixed[:3]])
        wait_for(lambda: len(read_frames(filt.path)) == 6, 10, "6 frames in udp7.pcap")
        wait_for(lambda: len(read_frames(snap.path)) == 10, 10, "10 frames in snap.pcap")
        code, err = filt.stop()
        self.assertEqual(code, 0, err)
        self.assertIn("6 packets written", err)
        self.assertIn("4 not matching the filter", err)
        self.assertEqual(tshark(filt.path), [bytes(f) for f in match])
        self.assertEqual(snap.stop()[0], 0)
        lens = tshark(snap.path, fields=["frame.cap_len", "frame.len"])
        self.assertEqual(lens, [["20", str(len(f))] for f in mixed])
        self.assertEqual(tshark(snap.path), [bytes(f)[:20] for f in mixed])

    def test_duration_and_empty_file(self):
        t0 = time.monotonic()
        c = self.capture("vm1", "quiet.pcap", "--duration", "1")
        code, err = c.wait(timeout=15)
        took = time.monotonic() - t0
        self.assertEqual(code, 0, err)
        self.assertGreaterEqual(took, 1.0)
        self.assertLess(took, 8.0)
        self.assertIn("0 packets written", err)
        self.assertEqual(tshark(c.path), [])

    def test_stdout_to_tshark(self):
        """`vswctl capture vm1 -w - | tshark -r -` while frames flow."""
        cap = subprocess.Popen([VSWCTL, "--run-dir", self.sw.run_dir, "capture", "vm1", "-w",
                                "-", "--count", "12"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        ts = subprocess.Popen([TSHARK, "-r", "-", "-T", "json", "-x"], stdin=cap.stdout,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        cap.stdout.close()
        time.sleep(0.5)  # the capture starts in a few ms; peers take longer anyway
        sent = frames(12, size=80)
        self.exchange(sent, [])
        out, terr = ts.communicate(timeout=60)
        _, cerr = cap.communicate(timeout=20)
        self.assertEqual(cap.returncode, 0, cerr.decode())
        self.assertEqual(ts.returncode, 0, terr.decode())
        got = [bytes.fromhex(p["_source"]["layers"]["frame_raw"][0]) for p in json.loads(out)]
        self.assertEqual(got, [bytes(f) for f in sent])

    def test_closed_pipe_ends_cleanly(self):
        cap = subprocess.Popen([VSWCTL, "--run-dir", self.sw.run_dir, "capture", "vm1", "-w",
                                "-"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(len(cap.stdout.read(24)), 24)  # the pcap header: it runs
        cap.stdout.close()  # the reader goes away
        self.exchange(frames(30), [])
        _, cerr = cap.communicate(timeout=20)
        self.assertEqual(cap.returncode, 0, cerr.decode())
        self.assert_dataplane_fine()

    def test_unknown_port_and_bad_arguments(self):
        path = os.path.join(self.dir, "none.pcap")
        cases = [
            (["capture", "vm9", "-w", path], 1, "vswctl: capture: no port 'vm9'"),
            (["capture", "vm1", "-w", path, "--filter", "udp prt 7"], 2,
             "vswctl: capture: bad filter 'udp prt 7': "),
            (["capture", "vm1", "-w", path, "--direction", "sideways"], 2,
             "vswctl: capture: unknown direction 'sideways'; expected in, out or both"),
            (["capture", "vm1"], 2, "vswctl: capture: -w FILE is required"),
            (["capture", "vm1", "-w", path, "--count", "0"], 2,
             "vswctl: capture: --count '0' is not a number of packets > 0"),
            (["capture", "vm1", "-w", "/nonexistent/dir/x.pcap"], 1,
             "vswctl: capture: cannot write /nonexistent/dir/x.pcap: No such file or directory"),
        ]
        for args, code, msg in cases:
            r = self.sw.vswctl(*args, check=False)
            self.assertEqual(r.returncode, code, (args, r.stderr))
            self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
            self.assertTrue(r.stderr.startswith(msg), (args, r.stderr))
            self.assertFalse(os.path.exists(path), args)
        r = subprocess.run([VSWCTL, "--run-dir", os.path.join(self.dir, "nowhere"), "capture",
                            "vm1", "-w", path], capture_output=True, text=True, timeout=20)
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot connect to vsw-dataplane", r.stderr)
        self.assertIn("is vsw-dataplane running?", r.stderr)

    def test_client_killed_and_limits(self):
        """A capture killed mid-stream frees its slot; forwarding goes on; at most 4 run."""
        rx = self.peer("vm2", capture=self.capture_path("vm2"))
        self.sw.wait_up("vm2")
        # long enough for five captures to start one after the other on a busy machine
        tx = self.peer("vm1", gen={"rate": 2000, "size": 60, "src-mac": MAC1, "dst-mac": MAC2},
                       seconds=12)
        c = self.capture("vm1", "killed.pcap").wait_started()
        wait_for(lambda: len(read_frames(c.path)) > 100, 10, "frames in the capture")
        c.p.kill()
        c.p.wait()
        got = read_frames(c.path)  # what it wrote is whole frames
        self.assertTrue(all(len(f) == 60 for f in got))
        # The slot is freed: four more captures run, a fifth is refused.
        more = [self.capture("vm1", "more%d.pcap" % i).wait_started() for i in range(4)]
        r = self.sw.vswctl("capture", "vm1", "-w", os.path.join(self.dir, "fifth.pcap"),
                           check=False)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr, "vswctl: capture: too many captures running (at most 4)\n")
        for m in more:
            wait_for(lambda: len(read_frames(m.path)) > 50, 10, "frames in " + m.path)
            self.assertEqual(m.stop()[0], 0)
        self.assertEqual(tx.wait(30)[0], 0)
        n_tx = self.sw.port("vm1")["rx_packets"]
        wait_for(lambda: self.sw.port("vm2")["tx_packets"] == n_tx, 10, "every frame forwarded")
        self.assertEqual(sum(self.sw.port("vm1")["drops"].values()), 0)
        rx.stop()
        self.assert_dataplane_fine()

    def test_stalled_reader_costs_its_own_frames_only(self):
        """A capture whose reader stops loses frames (counted); forwarding loses none."""
        rx = self.peer("vm2", capture=self.capture_path("vm2"))
        self.sw.wait_up("vm2")
        c = self.capture("vm1", "stalled.pcap", "--direction", "in").wait_started()
        c.p.send_signal(signal.SIGSTOP)
        tx = self.peer("vm1", gen={"rate": 20000, "size": 60, "src-mac": MAC1, "dst-mac": MAC2},
                       seconds=2)
        self.assertEqual(tx.wait(30)[0], 0)
        n = self.sw.port("vm1")["rx_packets"]
        self.assertGreater(n, 20000)
        wait_for(lambda: self.sw.port("vm2")["tx_packets"] == n, 10, "every frame forwarded")
        self.assertEqual(sum(self.sw.port("vm1")["drops"].values()), 0)
        self.assertEqual(sum(self.sw.port("vm2")["drops"].values()), 0)
        c.p.send_signal(signal.SIGCONT)
        code, err = c.stop()
        self.assertEqual(code, 0, err)
        m = re.match(r"capture: (\d+) packets written to \S+ \((\d+) captured, (\d+) dropped "
                     r"by vsw-dataplane\)\n$", err)
        self.assertTrue(m, err)
        written, captured, dropped = map(int, m.groups())
        self.assertEqual(written, captured)
        self.assertGreater(dropped, 0)
        self.assertEqual(written + dropped, n)  # every frame: in the file, or counted
        self.assertEqual(len(read_frames(c.path)), written)
        rx.stop()

    @unittest.skipUnless(os.getuid() == 0 and shutil.which("setpriv"), "needs root, setpriv")
    def test_user_outside_cannot_capture(self):
        os.chmod(self.dir, 0o755)  # others may reach the sockets; their modes decide
        exe = os.path.join(self.dir, "vswctl")
        shutil.copy(VSWCTL, exe)
        os.chmod(exe, 0o755)
        r = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                            exe, "--run-dir", self.sw.run_dir, "capture", "vm1", "-w", "-"],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual((r.returncode, r.stdout), (1, ""))
        self.assertEqual(r.stderr, "vswctl: capture: permission denied on %s/dataplane.sock: "
                         "run as root or as a member of group vsw\n" % self.sw.run_dir)

    def test_port_deleted_ends_capture(self):
        c = self.capture("vm1", "gone.pcap").wait_started()
        self.sw.vswctl("del-port", "vm1")
        code, err = c.wait()
        self.assertEqual(code, 1)
        self.assertEqual(err, "vswctl: capture: ended by vsw-dataplane: port deleted "
                              "(0 packets written)\n")
        self.assertEqual(tshark(c.path), [])

    def assert_dataplane_fine(self):
        """Forwarding works and a new capture sees it."""
        self.assertTrue(self.sw.dp.alive())
        c = self.capture("vm1", "after.pcap", "--direction", "in").wait_started()
        sent = frames(5, start=500)
        for p in self.peers:
            p.stop()
        self.peers = []
        self.exchange(sent, [])
        wait_for(lambda: len(read_frames(c.path)) == 5, 10, "5 frames in after.pcap")
        self.assertEqual(c.stop()[0], 0)
        self.assertEqual(tshark(c.path), [bytes(f) for f in sent])


class CaptureUnderlay(VxlanCase):
    """The VXLAN underlay's capture keeps the frames as they came, while the dataplane
    decapsulates them (a copy, since the capture holds the frame)."""

    def test_outer_frames_captured_inner_delivered(self):
        self.flows("priority=100,in_port=%d,tun_id=%d,actions=output:vm1" % (XPORT, VNI))
        c = Capture(self.sw, "uplink", os.path.join(self.dir, "uplink.pcap"), "--direction",
                    "in")
        try:
            c.wait_started()
            inners = [inner(n=i, size=60 + 10 * i) for i in range(5)]
            sent = [vxlan(f, sport=51000 + i) for i, f in enumerate(inners)]
            got = self.exchange({"uplink": sent}, {"vm1": 5})["vm1"]
            self.assertEqual(got, inners)
            wait_for(lambda: len(read_frames(c.path)) == 5, 10, "5 frames in uplink.pcap")
            self.assertEqual(c.stop()[0], 0)
            self.assertEqual(tshark(c.path), sent)
        finally:
            if c.p.poll() is None:
                c.p.kill()
                c.p.wait()


if __name__ == "__main__":
    main()
