"""Small QEMU guests for the VM tests, built at test time from Debian's packages.

The guest is a Debian cloud kernel (package linux-image-cloud-amd64: its
virtio drivers are modules) and an initramfs of busybox-static whose /init
loads the virtio modules, configures eth0 from the kernel command line
(`vsw.ip=ADDR/LEN`) and then runs a shell on the serial console. The test
drives that shell through QEMU's stdio: it writes a command and reads until a
marker line with the command's exit status.

The packages are fetched with `apt-get download` (never installed on the
host) and the image is cached in the build directory, so only the first run
pays for it. QEMU runs with software emulation (no KVM here), guest memory
shared with vsw through memfd (`share=on`), and `vectors=0` on the NIC: QEMU
7.2 under software emulation crashes with MSI-X on vhost-user.
"""

import glob
import gzip
import io
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time

import netns  # noqa: F401  (sets up the import path)
import vswtest  # noqa: E402

MODULES = ["virtio_ring", "virtio", "virtio_pci_modern_dev", "virtio_pci_legacy_dev",
           "virtio_pci", "failover", "net_failover", "virtio_net"]

INIT = r"""#!/bin/sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
for m in %(modules)s; do insmod /lib/modules/$m.ko 2>/dev/null; done
ip link set lo up
ip=$(sed -n 's/.*vsw\.ip=\([^ ]*\).*/\1/p' /proc/cmdline)
for i in 1 2 3 4 5 6 7 8 9 10; do [ -e /sys/class/net/eth0 ] && break; sleep 0.5; done
ip link set eth0 up
[ -n "$ip" ] && ip addr add "$ip" dev eth0
echo "vsw-guest: ready $(cat /sys/class/net/eth0/address 2>/dev/null)"
export PS1=''
exec setsid sh -c 'exec sh </dev/ttyS0 >/dev/ttyS0 2>&1'
"""


def _cache_dir():
    return os.path.join(vswtest.BUILD, "guest")


def _download(pkg, into):
    r = subprocess.run(["apt-get", "download", pkg], cwd=into, capture_output=True, text=True)
    if r.returncode != 0:
        subprocess.run(["apt-get", "update"], capture_output=True)
        r = subprocess.run(["apt-get", "download", pkg], cwd=into, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("apt-get download %s: %s" % (pkg, r.stderr.strip()))


def _kernel_package():
    out = subprocess.run(["apt-cache", "depends", "linux-image-cloud-amd64"],
                         capture_output=True, text=True).stdout
    m = re.search(r"Depends: (linux-image-[0-9][^\s]*-cloud-amd64)", out)
    if not m:
        raise RuntimeError("no linux-image-cloud-amd64 in the package index")
    return m.group(1)


def _cpio_newc(files):
    """A newc cpio archive of [(path, mode, data)] (directories: data None)."""
    out = io.BytesIO()
    ino = 1
    for path, mode, data in files + [("TRAILER!!!", 0, b"")]:
        data = data or b""
        name = path.encode() + b"\0"
        hdr = "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x" % (
            ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name), 0)
        out.write(hdr.encode() + name)
        out.write(b"\0" * ((4 - (110 + len(name)) % 4) % 4))
        out.write(data)
        out.write(b"\0" * ((4 - len(data) % 4) % 4))
        ino += 1
    return out.getvalue()


def build():
    """(kernel, initrd) paths, built once and cached in the build directory."""
    cache = _cache_dir()
    kernel, initrd = os.path.join(cache, "vmlinuz"), os.path.join(cache, "initrd.gz")
    if os.path.exists(kernel) and os.path.exists(initrd):
        return kernel, initrd
    os.makedirs(cache, exist_ok=True)
    work = tempfile.mkdtemp(prefix="vsw-guest-", dir=cache)
    try:
        pkg = _kernel_package()
        _download(pkg, work)
        _download("busybox-static", work)
        root = os.path.join(work, "x")
        for deb in glob.glob(os.path.join(work, "*.deb")):
            subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
        vmlinuz = glob.glob(os.path.join(root, "boot", "vmlinuz-*"))[0]
        files = [(d, 0o40755, None) for d in ("bin", "proc", "sys", "dev", "tmp", "lib",
                                                   "lib/modules")]
        with open(os.path.join(root, "bin", "busybox"), "rb") as f:
            files.append(("bin/busybox", 0o100755, f.read()))
        files.append(("bin/sh", 0o120777, b"busybox"))  # a symlink: /init's interpreter
        for m in MODULES:
            found = glob.glob(os.path.join(root, "lib", "modules", "*", "kernel", "**", m + ".ko"),
                              recursive=True)
            if not found:
                raise RuntimeError("module %s not in %s" % (m, pkg))
            with open(found[0], "rb") as f:
                files.append(("lib/modules/%s.ko" % m, 0o100644, f.read()))
        files.append(("init", 0o100755, (INIT % {"modules": " ".join(MODULES)}).encode()))
        with open(initrd + ".tmp", "wb") as f:
            f.write(gzip.compress(_cpio_newc(files), 6))
        shutil.copy(vmlinuz, kernel + ".tmp")
        os.rename(initrd + ".tmp", initrd)
        os.rename(kernel + ".tmp", kernel)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return kernel, initrd


def qemu_argv(kernel, initrd, sock, mac, ip, server=False, queues=1, mem_mb=256):
    """The QEMU command line of a guest with one vhost-user NIC (as in the README)."""
    chardev = "socket,id=chr0,path=%s" % sock + (",server=on,wait=off" if server else
                                                 ",reconnect=1")
    netdev = "vhost-user,id=net0,chardev=chr0" + (",queues=%d" % queues if queues > 1 else "")
    device = "virtio-net-pci,netdev=net0,mac=%s,vectors=0" % mac + (",mq=on" if queues > 1 else "")
    append = "console=ttyS0 quiet panic=-1 vsw.ip=%s" % ip + (
        " vsw.queues=%d" % queues if queues > 1 else "")
    # Linux uses min(queue pairs, CPUs) queue pairs: one vCPU per queue pair.
    return ["qemu-system-x86_64", "-machine", "pc,accel=tcg", "-cpu", "max", "-smp", str(queues),
            "-m", "%dM" % mem_mb, "-nodefaults", "-display", "none", "-no-reboot",
            "-serial", "stdio", "-kernel", kernel, "-initrd", initrd, "-append", append,
            "-object", "memory-backend-memfd,id=mem,size=%dM,share=on" % mem_mb,
            "-numa", "node,memdev=mem",
            "-chardev", chardev, "-netdev", netdev, "-device", device]


class Guest:
    """One running guest; `sh()` runs a command in it and returns (status, output)."""

    def __init__(self, workdir, name, sock, mac, ip, server=False, queues=1):
        self.name, self.sock, self.mac, self.ip = name, sock, mac, ip
        self.server, self.queues = server, queues
        self.log = os.path.join(workdir, name + "-console.log")
        self.p = None
        self.start()

    def start(self):
        kernel, initrd = build()
        argv = qemu_argv(kernel, initrd, self.sock, self.mac, self.ip, self.server, self.queues)
        self.buf = b""
        self.lock = threading.Lock()
        self.logf = open(self.log, "ab")
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
        threading.Thread(target=self._reader, daemon=True).start()
        self.seq = 0

    def _reader(self):
        p = self.p
        while True:
            b = p.stdout.read1(4096) if hasattr(p.stdout, "read1") else p.stdout.read(1)
            if not b:
                return
            with self.lock:
                self.buf += b
            self.logf.write(b)
            self.logf.flush()

    def output(self):
        with self.lock:
            return self.buf.decode(errors="replace")

    def wait_ready(self, timeout=180):
        vswtest.wait_for(lambda: "vsw-guest: ready" in self.output() or self.p.poll() is not None,
                         timeout, "guest %s to boot" % self.name, interval=0.5)
        if self.p.poll() is not None:
            raise AssertionError("QEMU %s exited:\n%s" % (self.name, self.output()[-3000:]))
        time.sleep(0.5)

    def sh(self, cmd, timeout=60):
        self.seq += 1
        marker = "vsw-rc-%d-" % self.seq
        with self.lock:
            start = len(self.buf)
        self.p.stdin.write(("%s\necho %s$?\n" % (cmd, marker)).encode())
        self.p.stdin.flush()
        pat = re.compile(re.escape(marker) + r"(\d+)")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                text = self.buf[start:].decode(errors="replace")
            # the first occurrence is the echo of our own command line
            ms = [m for m in pat.finditer(text) if text[m.start() - 5:m.start()] != "echo "]
            if ms:
                return int(ms[-1].group(1)), text[:ms[-1].start()]
            if self.p.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError("guest %s: %r did not finish in %ss:\n%s"
                             % (self.name, cmd, timeout, self.output()[-2000:]))

    def stop(self):
        if self.p and self.p.poll() is None:
            self.p.kill()
            self.p.wait()
        if self.p:
            self.logf.close()
