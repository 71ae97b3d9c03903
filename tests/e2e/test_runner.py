"""The runner itself: apps reach the kernel as the apps.tar module, the
archive is a deterministic ustar, QEMU's exit statuses map to ours, and
bad option combinations fail before anything boots.
"""

import importlib.util
import io
import re
import subprocess
import tarfile
import types
from importlib.machinery import SourceFileLoader

import pytest
from conftest import ROOT

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
    (tmp_path / "b.elf").write_bytes(b"x" * 513)
    paths = [tmp_path / "a.elf", tmp_path / "b.elf"]
    tar = fomos.pack_apps(paths)
    assert tar == fomos.pack_apps(paths)
    assert len(tar) % 512 == 0 and tar[257:265] == b"ustar\x0000"
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        assert t.getnames() == ["a.elf", "b.elf"]
        assert t.extractfile("a.elf").read() == APP


def test_pack_apps_rejects_duplicate_names(tmp_path):
    fomos = load_runner()
    (tmp_path / "d").mkdir()
    for p in (tmp_path / "a.elf", tmp_path / "d" / "a.elf"):
        p.write_bytes(b"x")
    with pytest.raises(fomos.RunError):
        fomos.pack_apps([tmp_path / "a.elf", tmp_path / "d" / "a.elf"])


@pytest.mark.parametrize("status, quit_by_us, reason, expected", [
    (33, False, None, 0),             # kernel wrote 0x10
    (35, False, None, 1),             # kernel wrote 0x11
    (0, True, "host-qmp-quit", 0),    # --seconds elapsed
    (0, False, "guest-reset", 2),     # triple fault under -no-reboot
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
