"""A disk that misbehaves, end to end: a file system corrupt beyond what a
power cut leaves is left alone (not one byte written) with a clear error,
and a disk that stops answering takes the volume offline after the
volume's 10 s request timeout. Either way the desktop keeps running, every
disk command says why it cannot work, and `reboot -f` still reboots,
without saving.
"""

import struct

from storage import GUEST_RESET, Machine, ended, make_disk, put, wait_desktop

CONSOLE = r"^\[pid \d+ console\] "


def cross_link(image):
    """Point the first cluster of /A.BIN at the first cluster of /B.BIN, in
    both FATs: two files now share a chain, which no interrupted write of
    ours can produce, so the OS must refuse to repair it."""
    data = bytearray(image.read_bytes())
    sector, per_cluster, reserved = struct.unpack_from("<HBH", data, 11)
    fats, fat_sectors, root = data[16], *struct.unpack_from("<I", data, 36), \
        struct.unpack_from("<I", data, 44)[0]
    first_data = (reserved + fats * fat_sectors) * sector
    root_dir = first_data + (root - 2) * per_cluster * sector
    starts = {}
    for off in range(root_dir, root_dir + per_cluster * sector, 32):
        name = bytes(data[off:off + 11])
        if name in (b"A       BIN", b"B       BIN"):
            high, = struct.unpack_from("<H", data, off + 20)
            low, = struct.unpack_from("<H", data, off + 26)
            starts[name[0:1]] = high << 16 | low
    assert set(starts) == {b"A", b"B"}, starts
    for fat in range(fats):
        entry = (reserved + fat * fat_sectors) * sector + 4 * starts[b"A"]
        struct.pack_into("<I", data, entry, starts[b"B"])
    image.write_bytes(bytes(data))


def desktop_still_answers(live):
    """The console still runs and draws: a typed command is echoed and run."""
    live.qmp.type_text("echo still here\n")
    live.wait_for(CONSOLE + r"still here$", timeout=30)


def test_corrupt_file_system_is_left_alone(tmp_path):
    disk = make_disk(tmp_path / "disk.img")
    put(disk, "/a.bin", bytes(range(256)) * 64)
    put(disk, "/b.bin", bytes(range(255, -1, -1)) * 64)
    cross_link(disk)
    before = disk.read_bytes()
    with Machine(tmp_path, "--disk", str(disk)) as live:
        wait_desktop(live)
        live.wait_for(r"^volume: repair not possible: .*the disk is left alone", timeout=30)
        live.qmp.type_text("ls\n")
        live.wait_for(CONSOLE + r".*the disk holds no usable FAT32 file system", timeout=30)
        live.type_power_command("reboot\n")
        live.wait_for(CONSOLE + r"reboot: the disk holds no usable FAT32 file system",
                      timeout=30)
        live.wait_for(CONSOLE + r"\(`reboot -f` does it without saving anything\)")
        desktop_still_answers(live)
        live.type_power_command("reboot -f\n")
        assert ended(live) == GUEST_RESET, live.log_tail()
    assert disk.read_bytes() == before, "the OS wrote to a disk it found corrupt"


def test_disk_that_stops_answering_goes_offline(tmp_path):
    disk = make_disk(tmp_path / "disk.img")
    with Machine(tmp_path, "--disk", str(disk)) as live:
        wait_desktop(live)
        live.wait_for(r"^volume: mounted FAT32", timeout=30)
        # One byte per second: after the one request QEMU's throttle lets
        # through, each would take hours. A save needs many.
        live.qmp.execute("block_set_io_throttle", {
            "device": "disk0", "bps": 1, "bps_rd": 0, "bps_wr": 0,
            "iops": 0, "iops_rd": 0, "iops_wr": 0})
        live.qmp.type_text("save 2\n")
        desktop_still_answers(live)  # while the volume waits for the disk
        live.wait_for(r"^volume: the disk did not answer a request in 10 s: volume offline",
                      timeout=60)
        live.wait_for(CONSOLE + r"save: console: not saved: disk error", timeout=30)
        live.qmp.type_text("ls /\n")
        live.wait_for(CONSOLE + r"ls: the disk failed", timeout=30)
        desktop_still_answers(live)
        live.type_power_command("reboot -f\n")
        assert ended(live) == GUEST_RESET, live.log_tail()
