"""The Linux reference guest of make bench (tools/bench.py).

Debian's own kernel (linux-image-amd64, /boot/vmlinuz-*) and a one-file
userspace (busybox-static's /bin/busybox) boot in the same QEMU machine
Fomos runs in (q35, `-cpu max`, 512 MiB, the same accelerator), with
`-kernel`/`-initrd` instead of firmware and GRUB. Its /init prints one line
with the kernel's uptime and powers off. The host clock runs from QEMU's
start to that line appearing on the serial port, the same way tools/bench.py
times Fomos to its first frame.

The initramfs is a newc cpio archive written here (the format is the
kernel's `Documentation/filesystems/ramfs-rootfs-initramfs.rst`).
"""

import glob
import subprocess
import time
from pathlib import Path

MARKER = "linux-reference: first userspace line, uptime"
INIT = f"""#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
read up rest < /proc/uptime
echo "{MARKER} $up s"
/bin/busybox poweroff -f
"""


def kernel():
    """Debian's newest installed kernel, or None."""
    found = sorted(glob.glob("/boot/vmlinuz-*"))
    return Path(found[-1]) if found else None


def _cpio_entry(name, mode, data=b"", ino=1):
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name) + 1, 0]
    header = "070701" + "".join(f"{f:08x}" for f in fields)
    out = header.encode() + name.encode() + b"\0"
    out += b"\0" * (-len(out) % 4) + data
    return out + b"\0" * (-len(out) % 4)


def initramfs(path):
    """Write the reference userspace (busybox and /init) as a newc cpio."""
    parts, ino = [], 1
    for name, mode, data in (("bin", 0o040755, b""), ("proc", 0o040755, b""),
                             ("dev", 0o040755, b""),
                             ("bin/busybox", 0o100755, Path("/bin/busybox").read_bytes()),
                             ("init", 0o100755, INIT.encode())):
        parts.append(_cpio_entry(name, mode, data, ino))
        ino += 1
    parts.append(_cpio_entry("TRAILER!!!", 0, b"", 0))
    Path(path).write_bytes(b"".join(parts))


def boot(workdir, accel, timeout=180):
    """{"linux_boot": {"host_ms": ..., "uptime_ms": ...}}, or {} when there
    is no kernel or busybox (tools/ensure-deps bench installs both)."""
    vmlinuz = kernel()
    if vmlinuz is None or not Path("/bin/busybox").is_file():
        print("bench: no Linux reference guest (tools/ensure-deps bench installs one)")
        return {}
    workdir = Path(workdir)
    cpio, serial = workdir / "initramfs.cpio", workdir / "linux-serial.log"
    initramfs(cpio)
    argv = ["qemu-system-x86_64", "-machine", "q35", "-accel", accel, "-cpu", "max", "-m", "512M",
            "-nodefaults", "-no-reboot", "-display", "none", "-serial", f"file:{serial}",
            "-kernel", str(vmlinuz), "-initrd", str(cpio),
            "-append", "console=ttyS0 quiet panic=-1 rdinit=/init"]
    t0 = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        while time.monotonic() - t0 < timeout:
            text = serial.read_text(errors="replace") if serial.exists() else ""
            line = next((l for l in text.splitlines() if MARKER in l and l.endswith(" s")), None)
            if line is not None:
                host_ms = (time.monotonic() - t0) * 1000
                uptime_ms = float(line.split()[-2]) * 1000
                return {"linux_boot": {"host_ms": host_ms, "uptime_ms": uptime_ms}}
            if proc.poll() is not None:
                break
            time.sleep(0.01)
        print(f"bench: the Linux reference guest printed no first line ({vmlinuz})")
        return {}
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
