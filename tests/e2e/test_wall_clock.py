"""Wall-clock time, end to end: the kernel reads QEMU's CMOS real-time
clock at boot (UTC, `-rtc base=utc`: the host's clock), the shell's `date`
and `uptime` show it through the Context's utc_ns (ABI version 5), and a
file the guest writes on the disk is dated with it, as the host's mtools
read the stamp.
"""

import datetime
import re
import subprocess

from storage import Machine, listing, make_disk, wait_desktop

DATE = re.compile(r"^\[pid \d+ console\] (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC$")


def utc(text):
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(
        tzinfo=datetime.timezone.utc)


def test_date_uptime_and_file_stamps_follow_the_host_clock(tmp_path):
    disk = make_disk(tmp_path / "disk.img")
    with Machine(tmp_path, "--disk", str(disk)) as live:
        wait_desktop(live)
        assert live.wait_for(r"^rtc: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(CMOS clock")
        live.qmp.type_text("date\n")
        shown = utc(live.wait_for(DATE.pattern)[0].group(1))
        now = datetime.datetime.now(datetime.timezone.utc)
        assert abs((now - shown).total_seconds()) < 5, f"date says {shown}, the host {now}"

        live.qmp.type_text("uptime\n")
        up = live.wait_for(r"^\[pid \d+ console\] (\S+ \S+) UTC, up \d+:\d\d:\d\d\.\d{3}$")
        assert abs((utc(up[0].group(1)) - shown).total_seconds()) < 30

        live.qmp.type_text("save 1\n")  # the background's snapshot: a new file
        live.wait_for(r"^snapshot: saved background \(pid 1\)", timeout=60)
        saved = datetime.datetime.now(datetime.timezone.utc)
    files = listing(disk, "/snapshots")
    assert "background.0" in files.lower(), files
    r = subprocess.run(["mdir", "-i", str(disk), "::/snapshots"], capture_output=True, text=True)
    stamped = [line for line in r.stdout.splitlines() if "background.0" in line.lower()]
    assert stamped and saved.strftime("%Y-%m-%d") in stamped[0], r.stdout
