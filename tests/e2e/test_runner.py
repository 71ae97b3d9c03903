"""The runner itself: apps reach the kernel as the apps.tar module, the
archive is a deterministic ustar, QEMU's exit statuses map to ours, and
bad option combinations fail before anything boots.

A guest power-off and a guest reset are produced from outside, by writing
the registers the kernel decoded from the FADT (its "acpi: FADT:" line)
through QEMU's monitor: so these tests also check that what the kernel
would write does power off and reset QEMU's q35 machine.
"""

import importlib.util
import io
import re
import subprocess
import tarfile
import types
from importlib.machinery import SourceFileLoader

import pytest
import qmp  # tools/qmp.py, on the path through conftest
from conftest import ROOT, LiveBoot

# Not a real app: the runner packs any file, and this test only follows it
# to the kernel's module list.
APP = b"\x7fELF" + bytes(range(256)) * 5


def load_runner():
    loader = SourceFileLoader("fomos_runner", str(ROOT / "fomos"))
    spec = importlib.util.spec_from_loader("fomos_runner", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.mark.boot("--app", "hello.elf", "--seconds", "5", files={"hello.elf": APP})
def test_app_reaches_kernel_as_apps_tar(boot):
    assert boot.returncode == 0, boot.describe()
    packed = re.search(r"apps\.tar: (.*) \((\d+) bytes\)", boot.stderr)
    assert packed and "hello.elf" in packed[1], boot.describe()
    module = boot.find(r"^boot: module apps\.tar (\d+) bytes")
    assert module, boot.describe()
    assert int(module[1]) == int(packed[2]), "module size differs from the archive"


def test_pack_apps_is_deterministic_ustar(tmp_path):
    fomos = load_runner()
    (tmp_path / "a.elf").write_bytes(APP)
    (tmp_path / "b").write_bytes(b"x" * 513)
    apps = fomos.extra_apps([tmp_path / "a.elf", tmp_path / "b"])
    tar = fomos.pack_apps(apps)
    assert tar == fomos.pack_apps(apps)
    assert len(tar) % 512 == 0 and tar[257:265] == b"ustar\x0000"
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        assert t.getnames() == ["a.elf", "b.elf"]
        assert t.extractfile("a.elf").read() == APP


def test_any_file_name_gives_a_valid_unique_app_name(tmp_path):
    fomos = load_runner()
    paths = [tmp_path / "a.elf", tmp_path / "d" / "a.elf", tmp_path / "target" / "main",
             tmp_path / "My Old App.ELF", tmp_path / ("x" * 40 + ".elf"), tmp_path / ".elf"]
    names = [name for name, _ in fomos.extra_apps(paths)]
    assert names == ["a", "a_2", "main", "my_old_app", "x" * 31, "_elf"]
    assert all(fomos.APP_NAME.fullmatch(n) for n in names)


def test_an_app_without_elf_in_its_name_starts(tmp_path):
    """What the original Fomos build lines produce (a cargo binary called
    `func`, `target/main`) starts under its file name."""
    func = tmp_path / "func"
    func.write_bytes((ROOT / "build" / "apps" / "hello.elf").read_bytes())
    with LiveBoot(tmp_path, "--app", str(func)) as live:
        pid = live.wait_for(r"^app: started pid (\d+) func\b")[0].group(1)
        live.wait_for(rf"^\[pid {pid} func\] hello from C")


@pytest.mark.parametrize("status, quit_by_us, reason, expected", [
    (33, False, None, 0),             # kernel wrote 0x10
    (35, False, None, 1),             # kernel wrote 0x11
    (0, True, "host-qmp-quit", 0),    # --seconds elapsed
    (0, False, "guest-reset", 3),     # a reboot or a triple fault, without --reboot
    (0, False, "guest-shutdown", 0),  # ACPI power-off
    (0, False, "guest-panic", 2),
    (0, False, "host-ui", 0),         # window closed
    (15, False, None, 2),             # kernel wrote 0x07
    (1, False, None, 2),              # QEMU error
    (-9, False, None, 2),             # QEMU killed
])
def test_exit_status_mapping(status, quit_by_us, reason, expected):
    fomos = load_runner()
    events = [{"event": "SHUTDOWN", "data": {"reason": reason}}] if reason else []
    args = types.SimpleNamespace(seconds=5)
    assert fomos.explain_exit(status, quit_by_us, events, args) == expected


@pytest.mark.parametrize("args", [
    ["--screenshot", "x.png"],                   # needs --seconds
    ["--gpu", "none", "--seconds", "1", "--screenshot", "x.png"],
    ["--app", "/nonexistent/app.elf"],
])
def test_bad_arguments_fail_fast(args, tmp_path):
    r = subprocess.run([str(ROOT / "fomos"), "run", "--no-build", *args], cwd=tmp_path,
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "fomos: error:" in r.stderr, r.stderr


def test_reboot_option_keeps_qemu_running_through_a_reset():
    fomos = load_runner()
    for extra, no_reboot in (([], True), (["--reboot"], False)):
        args = fomos.parse_args(["run", "--headless", "--no-build", *extra])
        argv, _, _ = fomos.qemu_command(args, "x.iso", "tcg", "/tmp")
        assert ("-no-reboot" in argv) == no_reboot, argv


# "acpi: FADT: reset register I/O 0xcf9 <- 0xf, PM1a_CNT I/O 0x604, ..., \_S5 SLP_TYPa 0 ..."
FADT = (r"^acpi: FADT: reset register I/O (0x[0-9a-f]+) <- (0x[0-9a-f]+), "
        r"PM1a_CNT I/O (0x[0-9a-f]+), .*\\_S5 SLP_TYPa (\d+)")


def monitor_write(live, what):
    """Write, through the monitor, what the kernel would to reset ("reset")
    or power off ("off", SLP_TYPa and SLP_EN into PM1a_CNT) the machine."""
    m = live.wait_for(FADT)[0]
    if what == "reset":
        command = f"o /b {m[1]} {m[2]}"
    else:
        command = f"o /w {m[3]} {int(m[4]) << 10 | 1 << 13:#x}"
    try:
        live.qmp.execute("human-monitor-command", {"command-line": command})
    except qmp.QMPClosed:
        pass  # QEMU may be gone before it answers


@pytest.mark.parametrize("what, status, said", [
    ("off", 0, "fomos: the guest powered the machine off"),
    ("reset", 3, "fomos: the guest reset the machine (a reboot, or a triple fault)"),
])
def test_guest_power_off_and_reset_end_the_run(tmp_path, what, status, said):
    with LiveBoot(tmp_path) as live:
        live.wait_for(r"^boot: ready in")
        monitor_write(live, what)
        live.proc.wait(timeout=60)
    stderr = live.proc.stderr.read()
    assert live.proc.returncode == status, stderr
    assert said in stderr, stderr


def test_reboot_boots_the_same_machine_again(tmp_path):
    with LiveBoot(tmp_path, "--reboot") as live:
        live.wait_for(r"^boot: ready in")
        monitor_write(live, "reset")
        live.wait_for(r"^boot: ready in", count=2)
    assert "fomos: the guest reset the machine; it boots again" in live.proc.stderr.read()


def test_run_builds_the_tree_before_it_boots(tmp_path):
    """Without --no-build the runner runs make first (here: nothing to do)."""
    r = subprocess.run([str(ROOT / "fomos"), "run", "--headless", "--gpu", "none", "--seconds", "5",
                        "--serial", "serial.log"], cwd=tmp_path, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr[-2000:]
    assert "info  boot: Fomos in C" in (tmp_path / "serial.log").read_text(errors="replace")
