"""The virtio-blk driver on a real (emulated) disk: `--disk FILE` creates
a 64 MiB FAT32 image when FILE is missing, the driver reports the
capacity, the in-kernel blk self-tests pass (boot signature of sector 0,
write + flush + read back of the last sector, requests in flight, bad
requests refused), and what the kernel wrote is in the file on the host.
"""

import pytest

SECTOR = 512
DISK_BYTES = 64 * 1024 * 1024
# What tests/kernel/test_blk.c writes to the last sector.
TAG = b"FOMOS-BLK-SELFTEST-PATTERN-1\0"
PATTERN = TAG + bytes((i * 31 + 7) & 0xFF for i in range(len(TAG), SECTOR))

# tmp/disk.img does not exist in the run's fresh directory: the runner makes it.
DISK = pytest.mark.boot("--disk", "tmp/disk.img", "--cmdline", "selftest", "--memory", "64M",
                        "--seconds", "60")


@DISK
def test_blk_selftest_passes(boot):
    assert boot.returncode == 0, boot.describe()
    assert "kernel reported success" in boot.stderr, "ended by --seconds, not by the kernel" + boot.describe()
    assert "created" in boot.stderr and "64 MiB, FAT32" in boot.stderr, boot.describe()
    assert boot.find(r"^blk: virtio-blk [0-9a-f:.]+: 131072 sectors \(64 MiB\)"), boot.describe()
    for name in ("blk_reads_boot_signature", "blk_write_flush_read_back",
                 "blk_requests_in_flight", "blk_refuses_bad_requests"):
        assert boot.find(rf"^selftest: ok   {name}$"), name + boot.describe()
    assert not boot.find(r"no disk, skipped"), boot.describe()
    assert boot.find(r"^selftest: PASS\b"), boot.describe()


@DISK
def test_blk_pattern_is_in_the_image(boot):
    assert boot.returncode == 0, boot.describe()
    image = boot.path("tmp/disk.img").read_bytes()
    assert len(image) == DISK_BYTES
    assert image[510:512] == b"\x55\xaa", "mkfs.fat's boot sector is intact"
    assert image[-SECTOR:] == PATTERN, "last sector: " + image[-SECTOR:][:64].hex()
