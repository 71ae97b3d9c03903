"""The kernel's own tests (command line `selftest`) and its exception
report (command line `selftest=fault`), judged from outside: the exit
status the kernel sends through isa-debug-exit and the serial log.
"""

import re

import pytest
from conftest import ocr

# --seconds only guards against a kernel that never exits; both end early.
SELFTEST = pytest.mark.boot("--cmdline", "selftest", "--memory", "64M", "--seconds", "60")
FAULT = pytest.mark.boot("--cmdline", "selftest=fault", "--seconds", "60")
# panic=halt keeps the report on screen instead of exiting QEMU.
FAULT_ON_SCREEN = pytest.mark.boot("--cmdline", "selftest=fault panic=halt", "--seconds", "6",
                                   "--screenshot", "fault.png")


@SELFTEST
def test_selftest_passes(boot):
    assert boot.returncode == 0, boot.describe()
    assert "kernel reported success" in boot.stderr, "ended by --seconds, not by the kernel" + boot.describe()
    assert boot.find(r"^selftest: PASS\b"), boot.describe()
    assert not boot.find(r"^selftest: FAIL\b"), boot.describe()


@FAULT
def test_fault_gives_exception_report(boot):
    assert boot.returncode not in (0, None), "a fault must fail the run" + boot.describe()
    log = boot.log
    assert "Page Fault" in log, boot.describe()
    assert re.search(r"\bRIP\b", log), boot.describe()
    assert re.search(r"\bCR2\b", log), boot.describe()
    header = re.search(r"(?i)backtrace", log)
    assert header, "no backtrace" + boot.describe()
    # Frames with an address and a symbol: the faulting helper, then its
    # caller (found on the stack top: the fault precedes its frame setup).
    frames = re.findall(r"#\d+ [0-9a-f]{16} (?:\? )?<(\w+)\+", log[header.start():])
    assert frames[:3] == ["selftest_write_through", "selftest_fault", "kmain"], \
        f"backtrace frames {frames}" + boot.describe()


@FAULT_ON_SCREEN
def test_fault_report_on_screen(boot):
    assert boot.find(r"^panic: unhandled Page Fault in kernel code"), boot.describe()
    text = ocr(boot.path("fault.png"), boot.dir)
    squeezed = text.replace(" ", "")  # OCR sometimes splits a word: "selftest_faul t"
    for words in ("PageFault", "Backtrace", "selftest_fault"):
        assert words in squeezed, f"OCR did not find {words!r} on the panic screen; it read:\n{text}"
