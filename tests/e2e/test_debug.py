"""`make debug` promise: `./fomos run --gdb` starts QEMU paused with its gdb
stub and prints a gdb command line that works as printed: it loads the
kernel's symbols, connects, and a breakpoint on kmain is hit with a
source-level backtrace down to the boot entry.
"""

import shlex
import subprocess

from conftest import ROOT


def read_gdb_command(runner):
    for line in runner.stderr:
        if line.startswith("gdb "):
            return shlex.split(line)
    return None


def test_gdb_command_line_works():
    runner = subprocess.Popen([str(ROOT / "fomos"), "run", "--gdb", "--headless", "--no-build",
                               "--seconds", "90"], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        command = read_gdb_command(runner)
        assert command, "the runner printed no gdb command line"
        gdb = subprocess.run(command + ["-q", "-batch", "-ex", "hbreak vmm_init",
                                        "-ex", "continue", "-ex", "bt", "-ex", "kill"],
                             cwd=ROOT, capture_output=True, text=True, timeout=60,
                             stdin=subprocess.DEVNULL)
        out = gdb.stdout + gdb.stderr
        assert "vmm_init () at mm/vmm.c" in out, out
        assert "in kmain (" in out and "init/main.c" in out, out
        assert "boot_entry64 () at arch/x86_64/boot.S" in out, out
    finally:
        runner.terminate()
        runner.wait(timeout=30)
