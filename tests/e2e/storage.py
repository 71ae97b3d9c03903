"""Helpers for the storage and snapshot end-to-end tests: a disk image
made and inspected with the host's FAT tools (mkfs.fat, mtools,
fsck.fat), a boot that may end in a reboot, and the console's `history`
read back from the log.
"""

import os
import re
import signal
import struct
import subprocess
import time
from pathlib import Path

from conftest import ROOT, LiveBoot
from qmp import QMPClosed

APPS = ROOT / "build" / "apps"
DESKTOP = ("background", "console", "cursor")
GUEST_RESET = 3  # ./fomos's status when the guest reset the machine


def make_disk(path, files=None):
    """A fresh 64 MiB FAT32 image (as ./fomos run makes one), with
    files={"/apps/x.elf": Path or bytes} copied in by mcopy."""
    path = Path(path)
    path.unlink(missing_ok=True)
    subprocess.run(["mkfs.fat", "-F", "32", "-C", str(path), "65536"], check=True,
                   capture_output=True)
    for dest, src in (files or {}).items():
        put(path, dest, src)
    return path


def put(image, dest, src):
    """Copy src (a Path or bytes) to dest on the image, making its directory."""
    parent = dest.rsplit("/", 1)[0]
    if parent:
        subprocess.run(["mmd", "-D", "s", "-i", str(image), "::" + parent], capture_output=True)
    if isinstance(src, bytes):
        tmp = Path(str(image) + ".put")
        tmp.write_bytes(src)
        src = tmp
    subprocess.run(["mcopy", "-o", "-i", str(image), str(src), "::" + dest], check=True,
                   capture_output=True)


def get(image, path):
    """A file's bytes from the image, or None when it is not there."""
    r = subprocess.run(["mtype", "-i", str(image), "::" + path], capture_output=True)
    return r.stdout if r.returncode == 0 else None


def newest_snapshot(image, name):
    """(seq, file bytes) of app name's newest snapshot on the image, read
    the way persist/snapshot_format.c lays it out (magic, then seq at 16)."""
    found = []
    for which in (0, 1):
        data = get(image, f"/snapshots/{name}.{which}")
        if data and data[:8] == b"FOMOSNAP":
            found.append((struct.unpack_from("<Q", data, 16)[0], data))
    return max(found) if found else (None, None)


def listing(image, path):
    r = subprocess.run(["mdir", "-b", "-i", str(image), "::" + path], capture_output=True, text=True)
    return r.stdout if r.returncode == 0 else ""


def fsck(image):
    """(clean, output) of `fsck.fat -n` on the image."""
    r = subprocess.run(["fsck.fat", "-n", str(image)], capture_output=True, text=True)
    return r.returncode == 0, r.stdout + r.stderr


def wait_desktop(live, how=r"(?:started|restored)"):
    for name in DESKTOP:
        live.wait_for(rf"^app: {how} pid \d+ {name}\b", timeout=90)
    time.sleep(0.5)


def history(live, previous_count=0):
    """Type `history`; the commands it lists (its own line last). The listing
    is complete once the console has answered the command typed after it
    (`echo history-listed`): a pattern over the listing itself could match an
    older entry while the rest is still being printed."""
    live.qmp.type_text("history\necho history-listed\n")
    live.wait_for(r"\[pid \d+ console\] history-listed$", count=previous_count + 1, timeout=30)
    entries, listing = [], False
    for msg in live.messages():
        m = re.match(r"^\[pid \d+ console\]\s+(\d+)\s+(.*)$", msg)
        if m and m.group(1) == "1":
            entries, listing = [], True
        if m and listing:
            entries.append(m.group(2))
        elif re.match(r"^\[pid \d+ console\] history-listed$", msg):
            listing = False
    return entries


def ended(live, timeout=60):
    """Wait for the runner to end by itself (a reboot or power-off); its status."""
    return live.proc.wait(timeout=timeout)


class Machine(LiveBoot):
    """A LiveBoot that may end by itself (reboot, power-off) or be killed."""

    def kill_qemu(self):
        """SIGKILL QEMU (the runner's child process), as a power cut would
        stop it; nothing if it has just ended by itself (the guest's own
        reboot can win the race)."""
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
            for pid in children.split()[:1]:
                os.kill(int(pid), signal.SIGKILL)
        except (FileNotFoundError, ProcessLookupError):
            pass

    def type_power_command(self, line):
        """Type a command that may end the machine (reboot, shutdown) before
        its last key has been sent: QEMU gone mid-typing is not an error."""
        try:
            self.qmp.type_text(line)
        except QMPClosed:
            pass
