"""Rights are granted, never derived from a name: the boot manifest gives
the boot console `caps=apps,jobs`, and a copy of the very same console.elf
put on the disk and started from the shell gets neither. Every key reaches
both consoles (until the desktop has focus), so one typed command shows
both answers: the boot console's result and the disk console's refusal.
"""

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

        live.qmp.type_text("ps\n")
        live.wait_for(rf"^\[pid {copy} console\] .*ps: not permitted", timeout=30)
        live.wait_for(rf"^\[pid {boot} console\] +{copy} +console\b", timeout=30)

        live.qmp.type_text("kill 99999\n")
        live.wait_for(rf"^\[pid {copy} console\] .*kill: not permitted", timeout=30)
        live.wait_for(rf"^\[pid {boot} console\] .*kill: no app with pid 99999", timeout=30)

        live.qmp.type_text("ls /apps\n")
        live.wait_for(rf"^\[pid {copy} console\] .*ls: not available", timeout=30)
        live.wait_for(rf"^\[pid {boot} console\] +console\.elf\b", timeout=30)
