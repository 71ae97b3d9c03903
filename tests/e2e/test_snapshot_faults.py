"""Crash safety of snapshots: QEMU is killed (SIGKILL, nothing flushed by
anyone) at a random moment while `reboot` is saving every app. The next
boot must find each app at its old state or its new one — never a torn
or corrupt one — and fsck.fat must find the file system clean once
that boot has mounted it (a cut while a file grew leaves lost clusters,
which the mount reclaims; a cut while a snapshot is overwritten in place
leaves the file system consistent as it is).

The console's history is the state that is checked: each trial types a
new `echo tN` before `reboot`, so its history after the next boot tells
which state came back. FOMOS_FAULT_TRIALS sets the number of trials
(20 in `make test`; `make test-faults` runs 100).
"""

import os
import random
import re
import time

from storage import Machine, fsck, history, make_disk, wait_desktop

TRIALS = int(os.environ.get("FOMOS_FAULT_TRIALS", "20"))


def boot(tmp_path, disk, n):
    d = tmp_path / f"boot{n:03d}"
    d.mkdir()
    return Machine(d, "--disk", str(disk))


def test_kill_during_saves(tmp_path):
    rng = random.Random(int(os.environ.get("FOMOS_FAULT_SEED", "1")))
    disk = make_disk(tmp_path / "disk.img")
    # The first boot: start fresh, save once cleanly, and measure a save's length.
    with boot(tmp_path, disk, 0) as live:
        wait_desktop(live, "started")
        live.type_power_command("reboot\n")
        live.wait_for(r"^session: saved \d+ apps")
        start = [m for m in live.messages() if m.startswith("snapshot: saved")]
        live.proc.wait(timeout=60)
    save_ms = sum(int(re.search(r"in (\d+) ms", m).group(1)) for m in start)
    window = max(0.05, save_ms / 1000 * 1.5)
    committed = 0  # the last `echo tN` the disk holds in the console's history (0: none)
    outcomes = {"old": 0, "new": 0, "repairs needed": 0}

    for n in range(1, TRIALS + 1):
        with boot(tmp_path, disk, n) as live:
            live.wait_for(r"^session: resuming 3 apps")
            wait_desktop(live, "restored")
            msgs = "\n".join(live.messages())
            assert "corrupt" not in msgs and "starts fresh" not in msgs, msgs[-3000:]
            entries = history(live)
            echoes = [int(e[6:]) for e in entries if re.fullmatch(r"echo t\d+", e)]
            last = echoes[-1] if echoes else 0
            assert last in (committed, n - 1), f"trial {n}: history {entries}, saved echo t{committed} or t{n - 1}"
            assert entries[-2:] == ["reboot", "history"], f"trial {n}: history {entries}"
            # Mounted, repaired, resumed, and quiet now: the disk must be clean.
            clean, out = fsck(disk)
            assert clean, f"trial {n}: fsck.fat after the boot:\n{out}"
            if n > 1:
                outcomes["new" if last == n - 1 and last != committed else "old"] += 1
            committed = last
            live.qmp.type_text(f"echo t{n}\n")
            live.wait_for(rf"^\[pid \d+ console\] \$ echo t{n}$")
            live.type_power_command("reboot\n")  # the save starts at the next frame
            time.sleep(rng.uniform(0, window))
            if live.proc.poll() is None:
                live.kill_qemu()
            live.proc.wait(timeout=30)
        # Right after the kill only a cut while a file grew leaves lost clusters
        # (the next mount reclaims them); count those.
        outcomes["repairs needed"] += not fsck(disk)[0]
    with boot(tmp_path, disk, TRIALS + 1) as live:  # the last kill, repaired too
        live.wait_for(r"^session: resuming 3 apps")
        wait_desktop(live, "restored")
        clean, out = fsck(disk)
        assert clean, f"after the last trial: fsck.fat:\n{out}"
    print(f"fault injection: {TRIALS} trials, save window {window * 1000:.0f} ms, {outcomes}")
