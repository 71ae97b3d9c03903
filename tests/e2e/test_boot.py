"""Boot to the end of start-up under both firmwares (SeaBIOS and OVMF) and
check what the kernel promises there: the serial log contract and a readable
1280x800 boot screen. Also: booting without any display device.
"""

import re

import pytest
from conftest import ocr, read_image

BIOS = pytest.mark.boot("--seconds", "5", "--screenshot", "shot.png")
# OVMF takes ~3 s to reach the kernel under TCG; leave room for a busy host.
UEFI = pytest.mark.boot("--uefi", "--seconds", "10", "--screenshot", "shot.ppm")
NO_DISPLAY = pytest.mark.boot("--gpu", "none", "--seconds", "5")
# virtio-gpu has no linear framebuffer: GRUB on OVMF reports address 0.
UEFI_VIRTIO_GPU = pytest.mark.boot("--uefi", "--gpu", "virtio", "--seconds", "10")


def check_start_up_log(boot):
    assert boot.returncode == 0, boot.describe()
    assert boot.lines, "no kernel log lines on serial" + boot.describe()
    first = boot.lines[0][2]
    assert re.match(r"boot: Fomos\b", first), f"first kernel line is {first!r}" + boot.describe()
    stamps = [float(t) for t, _, _ in boot.lines]
    assert stamps == sorted(stamps), "timestamps go backwards" + boot.describe()

    mem = boot.find_all(r"^mem: .*[0-9a-fA-F]{8}")
    assert len(mem) >= 3, "expected a mem: line per memory-map entry" + boot.describe()
    assert any(re.search(r"available|usable", m.string, re.I) for m in mem), boot.describe()
    assert boot.find(r"^cpu: features: \S+"), boot.describe()
    timer = boot.find(r"^time: tsc (\d+(?:\.\d+)?) MHz, lapic timer .*calibrated against PIT")
    assert timer, boot.describe()
    assert float(timer[1]) > 100, f"implausible TSC frequency {timer[1]} MHz"
    assert boot.find(r"^boot: ready in \d+ ms"), boot.describe()
    bad = [f"{level} {msg}" for _, level, msg in boot.lines if level in ("error", "fatal")]
    assert not bad, "errors during a normal boot:\n" + "\n".join(bad)


def check_boot_screen(boot, name):
    shot = boot.path(name)
    assert shot.is_file(), "no screenshot" + boot.describe()
    w, h, rows = read_image(shot)
    assert (w, h) == (1280, 800), f"screen is {w}x{h}, the kernel asks for 1280x800"
    colours = {rows[y][x * 3:x * 3 + 3] for y in range(0, h, 8) for x in range(0, w, 8)}
    assert len(colours) > 2, "the screen is blank"
    text = ocr(shot, boot.dir)
    assert "Fomos" in text, f"OCR did not find 'Fomos' on the screen; it read:\n{text}"


@BIOS
def test_bios_boot_log(boot):
    check_start_up_log(boot)


@BIOS
def test_bios_boot_screen(boot):
    check_boot_screen(boot, "shot.png")


@UEFI
def test_uefi_boot_log(boot):
    check_start_up_log(boot)
    assert re.search(r"\bUEFI\b", boot.log), "did this boot through OVMF?" + boot.describe()


@UEFI
def test_uefi_boot_screen(boot):
    check_boot_screen(boot, "shot.ppm")


@NO_DISPLAY
def test_no_framebuffer_serial_only(boot):
    assert boot.returncode == 0, boot.describe()
    assert boot.find(r"^fb: no framebuffer\b.*serial console only"), boot.describe()
    assert boot.find(r"^boot: ready in \d+ ms"), boot.describe()


@UEFI_VIRTIO_GPU
def test_uefi_without_linear_framebuffer(boot):
    assert boot.returncode == 0, boot.describe()
    assert boot.find(r"^fb: no framebuffer\b.*serial console only"), boot.describe()
    assert boot.find(r"^boot: ready in \d+ ms"), boot.describe()
