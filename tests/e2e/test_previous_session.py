"""A session saved by the previous version of Fomos, booted by this one.

The previous version is the last one before apps moved to ring 3 (commit
PREVIOUS, whose snapshots are format 2: the heap's bookkeeping lived inside
the app's arena). It is built from this repository's history into a
temporary tree, boots the default desktop on a fresh disk, and `reboot`
saves its three apps and the session. This version then boots the same
disk: it resumes the session, refuses every format-2 snapshot with the line
that says why, starts those apps fresh, and the console answers, with no
panic and a disk fsck.fat still calls clean.
"""

import io
import re
import subprocess
import tarfile

import pytest

from conftest import ROOT
from storage import GUEST_RESET, DESKTOP, Machine, ended, fsck, make_disk, wait_desktop

PREVIOUS = "07d51a8"  # the end of the layout issue: apps in ring 0, snapshot format 2


def build_previous(tree):
    """Extract PREVIOUS from git into tree and build its kernel and apps."""
    have = subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", PREVIOUS + "^{commit}"],
                          capture_output=True)
    if have.returncode != 0:
        pytest.skip(f"this clone lacks commit {PREVIOUS} (a shallow clone): no previous version")
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", PREVIOUS],
                             capture_output=True, check=True).stdout
    tarfile.open(fileobj=io.BytesIO(archive)).extractall(tree)
    build = subprocess.run(["make", "-C", str(tree), "-j2", "kernel"], capture_output=True,
                           text=True)
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]


def test_a_session_saved_by_the_previous_version(tmp_path):
    old = tmp_path / "previous"
    build_previous(old)
    disk = make_disk(tmp_path / "disk.img")

    (tmp_path / "one").mkdir()
    with Machine(tmp_path / "one", "--disk", str(disk), root=old) as live:
        wait_desktop(live, "started")
        assert not any("apps run in ring 3" in m for m in live.messages()), \
            "the first boot is not the previous version"
        live.qmp.type_text("echo saved by the previous version\n")
        live.wait_for(r"^\[pid \d+ console\] \$ echo saved by the previous version")
        live.type_power_command("reboot\n")
        assert ended(live) == GUEST_RESET, live.log_tail()
        assert any(re.match(r"session: saved 3 apps and the session; rebooting", m)
                   for m in live.messages()), live.log_tail()

    (tmp_path / "two").mkdir()
    with Machine(tmp_path / "two", "--disk", str(disk)) as live:
        live.wait_for(r"^session: resuming 3 apps")
        wait_desktop(live, "started")
        msgs = live.messages()
        for name in DESKTOP:
            assert any(re.search(rf"^session: {name} starts fresh: .*refused: saved by an "
                                 r"earlier Fomos \(snapshot format 2\)", m) for m in msgs), \
                f"no refusal line for {name}:\n" + "\n".join(msgs)
        live.qmp.type_text("echo the new version answers\n")
        live.wait_for(r"^\[pid \d+ console\] the new version answers$")
        live.check_alive(live.messages())
    clean, out = fsck(disk)
    assert clean, out
