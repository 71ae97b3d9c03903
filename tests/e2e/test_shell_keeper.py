"""The shell is never lost (desktop/shell_keeper.h): the boot console,
marked `shell` in the manifest, runs with the restart policy; killed, it
is followed by a new console within a second, which answers commands; and
Ctrl+Alt+T opens another one at any time. A console takes keys once its
window is up: it logs its layout `at 0,0` (its surface) then.
"""

import re

from conftest import ANSI, LOG_LINE, LiveBoot


def stamped(live):
    """(guest seconds, message) of every kernel log line so far."""
    text = ANSI.sub("", live.serial.read_text(errors="replace").replace("\r", ""))
    return [(float(m.group(1)), m.group(3)) for m in map(LOG_LINE.match, text.splitlines()) if m]


def at(lines, pattern):
    """The guest time of the first line matching pattern."""
    return next(t for t, msg in lines if re.search(pattern, msg))


def test_the_shell_comes_back_and_a_chord_opens_another(tmp_path):
    with LiveBoot(tmp_path) as live:
        boot = int(live.wait_alive(r"^app: started pid (\d+) console\b").group(1))
        live.wait_alive(rf"^\[pid {boot} console\] console: window \d+x\d+ at 0,0")
        live.qmp.type_text("ps\n")
        live.wait_alive(rf"^\[pid {boot} console\]\s+\d+\s+cursor\b")  # the row after ours
        msgs = live.messages()
        ours = rf"^\[pid {boot} console\]\s+{boot}\s+console\b"
        row = next(i for i, m in enumerate(msgs) if re.match(ours, m))
        assert msgs[row + 1].endswith(" restart"), msgs[row + 1]  # a row's second line: the policy

        live.qmp.type_text(f"kill {boot}\n")
        new = int(live.wait_alive(r"^desktop: no shell runs: started shell pid (\d+)").group(1))
        lines = stamped(live)
        gap = at(lines, rf"^desktop: no shell runs: started shell pid {new}\b") - \
            at(lines, rf"^app: pid {boot} console killed")
        assert gap <= 1.0, f"the new shell came {gap:.2f} s after the old one was killed"
        live.wait_alive(rf"^\[pid {new} console\] console: window \d+x\d+ at 0,0")
        live.qmp.type_text("echo back\n")
        live.wait_alive(rf"^\[pid {new} console\] back$")

        live.chord("ctrl", "alt", "t")
        other = int(live.wait_alive(r"^desktop: Ctrl\+Alt\+T: started shell pid (\d+)").group(1))
        live.wait_alive(rf"^\[pid {other} console\] console: window \d+x\d+ at 0,0")
        assert other != new
