"""Permanent storage, end to end: an app installed by copying its ELF onto
the disk image with mcopy is listed by the shell's `ls`, started with
`run /apps/x.elf`, and removed with `rm`; what the OS changed is seen by
mtools, and fsck.fat finds the file system clean afterwards. Bad requests
get clear errors and change nothing.
"""

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
