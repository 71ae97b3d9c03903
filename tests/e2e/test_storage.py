"""Permanent storage, end to end: an app installed by copying its ELF onto
the disk image with mcopy is listed by the shell's `ls`, started with
`run /apps/x.elf`, and removed with `rm`; what the OS changed is seen by
mtools, and fsck.fat finds the file system clean afterwards. Bad requests
get clear errors and change nothing.
"""

import datetime
import subprocess

from storage import APPS, Machine, fsck, listing, make_disk, wait_desktop


def test_install_run_remove(tmp_path):
    disk = make_disk(tmp_path / "disk.img", {"/apps/hello.elf": APPS / "hello.elf"})
    size = (APPS / "hello.elf").stat().st_size
    with Machine(tmp_path, "--disk", str(disk)) as live:
        wait_desktop(live)
        live.qmp.type_text("ls /apps\n")
        live.wait_for(rf"^\[pid \d+ console\] +hello\.elf +{size}\b", timeout=30)

        live.qmp.type_text("run /apps/hello.elf\n")
        pid = live.wait_for(r"^app: started pid (\d+) hello\b", timeout=30)[0].group(1)
        live.wait_for(rf"^\[pid {pid} hello\] ", timeout=30)

        live.qmp.type_text("run /apps/nothere.elf\n")
        live.wait_for(r"^\[pid \d+ console\] .*/apps/nothere\.elf: no such file", timeout=30)
        live.qmp.type_text("rm /apps\n")  # not empty: refused, nothing lost
        live.wait_for(r"^\[pid \d+ console\] .*/apps: directory not empty", timeout=30)

        live.qmp.type_text("rm /apps/hello.elf\n")
        live.wait_for(r"^\[pid \d+ console\] .*removed /apps/hello\.elf", timeout=30)
        live.qmp.type_text("ls /apps\n")
        live.wait_for(r"^\[pid \d+ console\] .*0 entries|^\[pid \d+ console\] .*empty", timeout=30)
    assert "hello" not in listing(disk, "/apps").lower()
    clean, out = fsck(disk)
    assert clean, out


def test_files_from_the_shell(tmp_path):
    """cat, mkdir, cp, mv, rmdir and df from the shell, seen by mtools
    afterwards: the contents byte for byte, the new entries dated today,
    fsck.fat clean; bad requests get the same clear errors as rm."""
    notes = "first line\nsecond line\n" + "".join(f"row {i}\n" for i in range(700))
    disk = make_disk(tmp_path / "disk.img", {"/notes.txt": notes.encode()})
    with Machine(tmp_path, "--disk", str(disk)) as live:
        wait_desktop(live)
        console = r"^\[pid \d+ console\] "
        steps = [
            ("cat /notes.txt", "second line$"),
            ("mkdir /Dir A", "made directory /Dir A$"),
            ("cp /notes.txt /Dir A", r"copied /notes\.txt to /Dir A/notes\.txt \(\d+ bytes\)$"),
            ("mv /Dir A/notes.txt /moved.txt",
             r"moved /Dir A/notes\.txt to /moved\.txt \(\d+ bytes\)$"),
            ("rmdir /Dir A", "removed directory /Dir A$"),
            ("df", r"df: \d+ KiB free of \d+ KiB \(\d+-byte clusters\)$"),
            ("cat /nothere.txt", r"cat: /nothere\.txt: no such file"),
            ("rmdir /moved.txt", r"rmdir: /moved\.txt: not a directory"),
            ("cp /notes.txt", r"usage: cp SRC DST"),
            ("mkdir /notes.txt", r"mkdir: /notes\.txt: .*exists"),
        ]
        for command, answer in steps:
            live.qmp.type_text(command + "\n")
            live.wait_for(console + ".*" + answer, timeout=30)
        live.wait_for(console + r"\(\d+ more bytes not shown\)$")
        today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    moved = subprocess.run(["mtype", "-i", str(disk), "::/moved.txt"], capture_output=True,
                           text=True, check=True).stdout
    assert moved == notes
    root = subprocess.run(["mdir", "-i", str(disk), "::/"], capture_output=True, text=True).stdout
    assert any("moved.txt" in line and today in line for line in root.splitlines()), root
    assert "Dir A" not in root
    clean, out = fsck(disk)
    assert clean, out


def test_an_app_is_named_by_its_file_name(tmp_path):
    """An app run from the disk is called by its file name without the
    extension, case and spaces kept."""
    disk = make_disk(tmp_path / "disk.img",
                     {"/My Apps/Old Context.ELF": APPS / "old_context.elf"})
    with Machine(tmp_path, "--disk", str(disk)) as live:
        wait_desktop(live)
        live.qmp.type_text("run /My Apps/Old Context.ELF\n")
        pid = live.wait_for(r"^app: started pid (\d+) Old Context \(", timeout=30)[0].group(1)
        live.wait_for(rf"^\[pid {pid} Old Context\] ", timeout=30)


def test_commands_without_a_disk_say_so(tmp_path):
    with Machine(tmp_path) as live:
        wait_desktop(live)
        live.wait_for(r"^volume: no disk")
        live.qmp.type_text("ls\n")
        live.wait_for(r"^\[pid \d+ console\] .*no disk attached", timeout=30)
