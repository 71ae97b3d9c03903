"""A call's budget counts the time the app ran, not the time the host took
the CPU away (runtime/app_run.c: the budget is checked every 10 ms, and a
check that comes late says how long the CPU was not ours).

apps/steady_worker works 40 ms of every call, inside its 100 ms budget.
The host stalls the guest by stopping QEMU (SIGSTOP) for 400 ms, eight
times, mostly in the middle of one of those calls: the worker must never
be aborted for it. (That a call which really runs over its budget is
still aborted, test_containment.py shows with apps/hostile_loop.)
"""

import os
import re
import signal
import time
from pathlib import Path

from conftest import ROOT, LiveBoot

STALLS = 8
STALL_S = 0.4  # the host's stall itself: what the test simulates, not a wait for the guest
LOG_EVERY = 25  # apps/steady_worker logs at call 1, 26, 51, ...


def qemu_pid(live):
    children = Path(f"/proc/{live.proc.pid}/task/{live.proc.pid}/children").read_text().split()
    return int(children[0])


def test_a_stalled_host_is_not_charged_to_the_app(tmp_path):
    apps = ROOT / "build" / "apps"
    with LiveBoot(tmp_path, "--app", str(apps / "steady_worker.elf")) as live:
        pid = int(live.wait_alive(r"^\[pid (\d+) steady_worker\] steady worker: 1 calls$").group(1))
        qemu = qemu_pid(live)
        for i in range(STALLS):
            os.kill(qemu, signal.SIGSTOP)
            time.sleep(STALL_S)
            os.kill(qemu, signal.SIGCONT)
            live.wait_alive(rf"^\[pid {pid} steady_worker\] steady worker: "
                            rf"{1 + LOG_EVERY * (i + 1)} calls$")
        msgs = live.messages()
        aborted = [m for m in msgs if re.match(rf"^app: pid {pid} steady_worker .*aborted", m)]
        assert not aborted, aborted[0]
        stolen = [m for m in msgs if re.match(rf"^app: pid {pid} steady_worker: .* not charged", m)]
        assert stolen, "no stall was noticed: the test stopped QEMU between calls only"

