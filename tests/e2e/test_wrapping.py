"""Wrapping the Context, end to end, driven from the console's shell:
`trace PID` makes every Context call of that app appear in the log with its
arguments, result and cycles, and `untrace PID` stops it; `deny PID log`
turns that app's log function into a stub that drops lines, `allow` brings
it back; `deny PID time` and `deny PID meminfo` make the functions the
header promises are never NULL into stubs that refuse, so an app that
calls them unchecked runs on. The services know nothing of either: only
the context changes.
"""

import re
import statistics
import time

from conftest import ROOT, LiveBoot

TRACE = re.compile(r"^trace: pid 1 background: time_ns\(\) = \d+ \((\d+) cycles\)")


def wait_desktop(live):
    for name in ("background", "console", "cursor"):
        live.wait_for(rf"^app: started pid \d+ {name}\b")
    live.wait_for(r"^gpu: .* scanout 0 shows our")
    time.sleep(1)


def traced(live):
    return [int(m.group(1)) for m in map(TRACE.match, live.messages()) if m]


def test_trace_and_untrace(tmp_path):
    with LiveBoot(tmp_path, "--gpu", "virtio") as live:
        wait_desktop(live)
        assert not traced(live), "an untraced app's calls were logged"
        live.qmp.type_text("trace 1\n")
        live.wait_for(TRACE.pattern, count=20)
        live.qmp.type_text("untrace 1\n")
        live.wait_for(r"^app: pid 1 background: control 1 = 0")
        time.sleep(0.5)
        after_untrace = len(traced(live))
        time.sleep(1)
        assert len(traced(live)) == after_untrace, "trace lines kept coming after untrace"
        cycles = traced(live)
        print(f"traced time_ns(): median {statistics.median(cycles)} cycles inside the wrapper "
              f"over {len(cycles)} calls; untraced apps call the service directly")


def test_deny_and_allow_log(tmp_path):
    with LiveBoot(tmp_path, "--gpu", "virtio") as live:
        wait_desktop(live)
        live.qmp.type_text("deny 2 log\n")
        live.wait_for(r"^app: pid 2 console: control 2 = 0")
        live.qmp.type_text("echo hidden words\n")
        time.sleep(1.5)
        assert not [m for m in live.messages() if m.endswith("] hidden words")], \
            "a denied log still reached the log"
        live.qmp.type_text("allow 2 log\n")
        live.wait_for(r"^app: pid 2 console: control 3 = 0")
        live.qmp.type_text("echo visible words\n")
        live.wait_for(r"^\[pid 2 console\] visible words$")


def test_denied_time_and_meminfo_are_stubs(tmp_path):
    """apps/clock_reader calls time_ns and mem_info every call, unchecked
    (the header says they are never NULL): denied both, it logs zeros and
    keeps running; allowed again, the real figures come back."""
    line = r"^\[pid (\d+) clock_reader\] clock_reader: (\d+) ms, (\d+) KiB free$"
    with LiveBoot(tmp_path, "--gpu", "virtio", "--app",
                  str(ROOT / "build" / "apps" / "clock_reader.elf")) as live:
        wait_desktop(live)
        pid = live.wait_for(line)[0].group(1)
        live.qmp.type_text(f"deny {pid} time\n")  # control 2 (deny) = 2 (FOMOS_CAP_TIME)
        live.wait_for(rf"^app: pid {pid} clock_reader: control 2 = 2")
        live.qmp.type_text(f"deny {pid} meminfo\n")
        live.wait_for(rf"^app: pid {pid} clock_reader: control 2 = 3")
        live.wait_for(rf"^\[pid {pid} clock_reader\] clock_reader: 0 ms, 0 KiB free$")
        live.qmp.type_text(f"allow {pid} time\n")
        live.wait_for(rf"^app: pid {pid} clock_reader: control 3 = 2")
        live.wait_for(rf"^\[pid {pid} clock_reader\] clock_reader: [1-9]\d* ms, 0 KiB free$")
        assert not [m for m in live.messages() if m.startswith(f"app: pid {pid} clock_reader crashed")]
