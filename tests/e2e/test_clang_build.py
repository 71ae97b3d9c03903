"""The kernel builds with clang as well as with the default compiler
(`make CC=clang`), warning-free, and the clang-built kernel passes its own
self-tests when booted.
"""

import subprocess

from conftest import ROOT


def test_clang_build_boots_and_passes_selftest(tmp_path):
    build = tmp_path / "clang"
    made = subprocess.run(["make", "-s", f"BUILD={build}", "CC=clang", "kernel"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "warning" not in made.stderr.lower(), made.stderr
    iso = tmp_path / "clang.iso"
    subprocess.run([str(ROOT / "tools/mkiso"), "--kernel", str(build / "kernel.elf"),
                    "--out", str(iso), "--cmdline", "selftest"], check=True, timeout=120,
                   capture_output=True)
    serial = tmp_path / "serial.log"
    run = subprocess.run([str(ROOT / "fomos"), "run", "--iso", str(iso), "--headless",
                          "--seconds", "60", "--serial", str(serial)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    log = serial.read_text(errors="replace") if serial.exists() else ""
    assert run.returncode == 0, run.stderr + log
    assert "selftest: PASS" in log, log
