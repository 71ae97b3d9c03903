"""Rights are granted, never derived from a name: the boot manifest gives
the boot console `caps=apps,jobs`, and a copy of the very same console.elf
put on the disk and started from the shell gets neither. Keys reach only
the window with the focus: the new console's first (it opens on top), then,
after a click on the boot console's window, the boot console's. Each
command is typed into both: the disk console refuses it, the boot console
does it.
"""

import re

from storage import APPS, Machine, make_disk, wait_desktop


def test_console_from_disk_has_no_app_management(tmp_path):
    disk = make_disk(tmp_path / "disk.img", {"/apps/console.elf": APPS / "console.elf"})
    with Machine(tmp_path, "--disk", str(disk)) as live:
        wait_desktop(live)
        boot = live.wait_for(r"^app: started pid (\d+) console\b")[0].group(1)

        live.qmp.type_text("run /apps/console.elf\n")
        copy = live.wait_for(rf"^app: started pid (?!{boot}\b)(\d+) console\b",
                             timeout=30)[0].group(1)
        live.wait_for(rf"^\[pid {boot} console\] .*started console as pid {copy}", timeout=30)

        live.window(copy)
        x, y, w, h = live.window(boot)

        def typed(pid, line):
            """Type line; return once pid's console took it (so the next click cannot
            come in the same frame as its last keys)."""
            live.qmp.type_text(line + "\n")
            live.wait_for(rf"^\[pid {pid} console\] \$ {re.escape(line)}$", timeout=30)

        def in_both(line):
            typed(copy, line)  # the copy has the focus
            live.click(x + 12, y + h // 2)  # the boot console's strip the copy leaves free
            typed(boot, line)
            live.click(x + w + 20, y + h)  # the copy's window again (it is cascaded)

        in_both("ps")
        live.wait_for(rf"^\[pid {copy} console\] .*ps: not permitted", timeout=30)
        live.wait_for(rf"^\[pid {boot} console\] +{copy} +console\b", timeout=30)

        in_both("kill 99999")
        live.wait_for(rf"^\[pid {copy} console\] .*kill: not permitted", timeout=30)
        live.wait_for(rf"^\[pid {boot} console\] .*kill: no app with pid 99999", timeout=30)

        in_both("ls /apps")
        live.wait_for(rf"^\[pid {copy} console\] .*ls: not available", timeout=30)
        live.wait_for(rf"^\[pid {boot} console\] +console\.elf\b", timeout=30)
