"""Quicksave and quickload, end to end.

- `reboot` saves every app and the session; a new QEMU on the same disk
  resumes them: the console shows the same lines and history, the cursor
  keeps its store (it does not set up again; its trail, parked at a spot
  the new boot never puts the pointer, is in the snapshot the new boot
  restores, whose hash the restore checks), and `ps` marks all three
  restored.
- `save PID` / `load NAME` by hand; a snapshot whose binary changed is
  refused with a clear message; a corrupt snapshot is detected, reported
  and never loaded (the older one is used instead).
"""

import re
import struct
import time

from conftest import ocr
from storage import (APPS, GUEST_RESET, Machine, ended, fsck, get, history, make_disk,
                     newest_snapshot, put, wait_desktop)

# Where the pointer is parked before the reboot: tablet units (0..0x7fff)
# and the pixel they make on the 1280x800 screen (drivers/input/input.c's rounding).
PARK = (0x2000, 0x6000)
PARK_PIXEL = ((0x2000 * 1279 + 0x3fff) // 0x7fff, (0x6000 * 799 + 0x3fff) // 0x7fff)


def cursor_trail_at(snapshot, x, y):
    """True when the snapshot holds a full cursor trail (apps/cursor/trail.h:
    16 points, then next and count = 16) with every point at (x, y)."""
    trail = struct.pack("<ii", x, y) * 16
    at = snapshot.find(trail)
    while at >= 0:
        _, count = struct.unpack_from("<II", snapshot, at + len(trail))
        if count == 16:
            return True
        at = snapshot.find(trail, at + 1)
    return False



def test_reboot_resumes_the_desktop(tmp_path):
    disk = make_disk(tmp_path / "disk.img")
    (tmp_path / "one").mkdir()
    with Machine(tmp_path / "one", "--disk", str(disk), "--gpu", "virtio") as live:
        wait_desktop(live, "started")
        live.wait_for(r"^\[pid \d+ cursor\] cursor ready")
        for line in ("echo first line", "echo second line", "1+2*3"):
            live.qmp.type_text(line + "\n")
            live.wait_for(r"^\[pid \d+ console\] \$ " + re.escape(line))
        live.qmp.send_abs(*PARK)
        time.sleep(1)  # many frames: the whole trail is at the parked spot
        live.type_power_command("reboot\n")
        assert ended(live) == GUEST_RESET, live.log_tail()
        log = "\n".join(live.messages())
        assert re.search(r"^session: saved 3 apps and the session; rebooting", log, re.M), log[-3000:]
    clean, out = fsck(disk)
    assert clean, out
    seq, snapshot = newest_snapshot(disk, "cursor")
    assert snapshot is not None and cursor_trail_at(snapshot, *PARK_PIXEL), \
        f"no cursor trail at {PARK_PIXEL} in the cursor's snapshot {seq}"

    (tmp_path / "two").mkdir()
    with Machine(tmp_path / "two", "--disk", str(disk), "--gpu", "virtio") as live:
        live.wait_for(r"^session: resuming 3 apps")
        wait_desktop(live, "restored")
        live.wait_for(rf"^snapshot: restored cursor as pid \d+ from snapshot {seq} ")
        entries = history(live)
        assert entries[-5:] == ["echo first line", "echo second line", "1+2*3", "reboot",
                                "history"], entries
        msgs = live.messages()
        assert not any("cursor ready" in m for m in msgs), "the cursor set up again: store lost"
        assert not any("starts fresh" in m or "corrupt" in m for m in msgs), "\n".join(msgs)

        live.qmp.type_text("ps\n")
        # Each app's second ps row ends in its flags: R = restored.
        flags = live.wait_for(r"^\[pid \d+ console\]\s+[\d.]+ \S+ / .*\s([-T][-D][-R])\s+\w+$", count=3)
        assert [m.group(1) for m in flags] == ["--R"] * 3, [m.group(0) for m in flags]
        live.screenshot("resumed.ppm")
        text = ocr(tmp_path / "two" / "resumed.ppm", tmp_path / "two")
        assert "second line" in text, text


def test_an_added_app_starts_beside_a_resumed_session(tmp_path):
    """--app on a disk that holds a saved session: the session resumes and
    the added app starts too (its manifest line says `always`)."""
    disk = make_disk(tmp_path / "disk.img")
    (tmp_path / "one").mkdir()
    with Machine(tmp_path / "one", "--disk", str(disk)) as live:
        wait_desktop(live, "started")
        live.type_power_command("reboot\n")
        assert ended(live) == GUEST_RESET, live.log_tail()
    (tmp_path / "two").mkdir()
    with Machine(tmp_path / "two", "--disk", str(disk), "--app",
                 str(APPS / "clock_reader.elf")) as live:
        live.wait_for(r"^session: resuming 3 apps")
        wait_desktop(live, "restored")
        pid = live.wait_for(r"^app: started pid (\d+) clock_reader\b")[0].group(1)
        live.wait_for(rf"^\[pid {pid} clock_reader\] clock_reader: ")


def test_save_load_and_refusals(tmp_path):
    disk = make_disk(tmp_path / "disk.img", {"/apps/hello.elf": APPS / "hello.elf"})
    with Machine(tmp_path, "--disk", str(disk)) as live:
        wait_desktop(live)
        live.qmp.type_text("run /apps/hello.elf\n")
        pid = live.wait_for(r"^app: started pid (\d+) hello\b", timeout=30)[0].group(1)
        live.qmp.type_text(f"save {pid}\n")
        live.wait_for(rf"^snapshot: saved hello \(pid {pid}\): \d+ KiB in \d+ ms, snapshot 1")
        live.qmp.type_text(f"save {pid}\n")
        live.wait_for(rf"^snapshot: saved hello \(pid {pid}\): .* snapshot 2")
        assert get(disk, "/snapshots/hello.0") and get(disk, "/snapshots/hello.1")

        live.qmp.type_text("load hello\n")
        live.wait_for(rf"^app: pid {pid} hello killed: replaced by its snapshot")
        live.wait_for(r"^snapshot: restored hello as pid \d+ from snapshot 2")

        live.qmp.type_text("load nosuchapp\n")
        live.wait_for(r"^\[pid \d+ console\] .*nosuchapp: no snapshot", timeout=30)
        live.qmp.type_text("save 999\n")
        live.wait_for(r"^\[pid \d+ console\] .*(no such|not running|999)", timeout=30)

    # Corrupt the newest (snapshot 2, file .1) on the host: detected, the older one loads.
    newest = bytearray(get(disk, "/snapshots/hello.1"))
    newest[520] ^= 0x40  # in the payload (the heap control block)
    put(disk, "/snapshots/hello.1", bytes(newest))
    # A different binary under the same path: refused (hello.0 still names the old one).
    (tmp_path / "b").mkdir()
    with Machine(tmp_path / "b", "--disk", str(disk)) as live:
        wait_desktop(live)
        live.qmp.type_text("load hello\n")
        live.wait_for(r"^snapshot: hello: /snapshots/hello\.1 is corrupt.*trying the older one")
        live.wait_for(r"^snapshot: restored hello as pid \d+ from snapshot 1")
    put(disk, "/apps/hello.elf", APPS / "old_context.elf")
    (tmp_path / "c").mkdir()
    with Machine(tmp_path / "c", "--disk", str(disk)) as live:
        wait_desktop(live)
        live.qmp.type_text("load hello\n")
        live.wait_for(r"hello: refused: its binary changed since the snapshot", timeout=30)
        assert not any(re.match(r"^snapshot: restored hello", m) for m in live.messages())
    clean, out = fsck(disk)
    assert clean, out


def test_shutdown_saves_and_powers_off(tmp_path):
    disk = make_disk(tmp_path / "disk.img")
    with Machine(tmp_path, "--disk", str(disk)) as live:
        wait_desktop(live, "started")
        live.qmp.type_text("echo before shutdown\n")
        live.type_power_command("shutdown\n")
        assert ended(live) == 0, live.log_tail()  # ACPI power-off: the runner's success
        assert any(m.startswith("session: saved 3 apps and the session; powering off")
                   for m in live.messages()), live.log_tail()
    (tmp_path / "again").mkdir()
    with Machine(tmp_path / "again", "--disk", str(disk)) as live:
        wait_desktop(live, "restored")
        assert "echo before shutdown" in history(live)


def test_reboot_without_a_disk_just_reboots(tmp_path):
    with Machine(tmp_path) as live:
        wait_desktop(live, "started")
        live.type_power_command("reboot\n")
        assert ended(live) == GUEST_RESET, live.log_tail()
        assert any(m.startswith("session: no disk: nothing saved; rebooting")
                   for m in live.messages()), live.log_tail()


def test_full_disk_refuses_the_reboot_and_loses_nothing(tmp_path):
    disk = make_disk(tmp_path / "disk.img")
    filler = tmp_path / "filler.bin"
    filler.write_bytes(b"\xa5" * (60 * 1024 * 1024))  # leaves ~3 MiB: less than the apps need
    put(disk, "/filler.bin", filler)
    with Machine(tmp_path, "--disk", str(disk)) as live:
        wait_desktop(live, "started")
        live.qmp.type_text("echo still here\n")
        live.type_power_command("reboot\n")
        live.wait_for(r"^snapshot: \w+: writing /snapshots/\S+ failed", timeout=60)
        live.wait_for(r"^session: .*the disk is full.*; not rebooting", timeout=60)
        live.wait_for(r"^\[pid \d+ console\] .*not saved: the disk is full", timeout=30)
        assert live.proc.poll() is None, "the machine went down anyway"
        assert history(live)[-3:] == ["echo still here", "reboot", "history"]
    assert get(disk, "/filler.bin") == filler.read_bytes(), "the filler file was damaged"
    clean, out = fsck(disk)
    assert clean, out
