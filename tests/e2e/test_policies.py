"""What a crash leads to is the app's policy (docs/containment.md), set
from the shell: `keep` restarts it with its store (its counters go on),
`restart` with an empty one, and the kernel's rate limit ends a crash loop.
apps/crash_later crashes every 90 calls and logs "life L, calls C" at each
(re)start of its image.
"""

import time

from conftest import LiveBoot


def test_keep_restart_and_crash_loop(tmp_path):
    with LiveBoot(tmp_path, "--gpu", "virtio") as live:
        live.wait_for(r"^app: started pid \d+ cursor\b")
        live.wait_for(r"^gpu: .* scanout 0 shows our")
        time.sleep(0.5)
        live.qmp.type_text("run crash_later\n")
        pid = int(live.wait_for(r"^app: started pid (\d+) crash_later")[0].group(1))
        live.wait_for(rf"^\[pid {pid} crash_later\] life 1, calls 0$")
        live.qmp.type_text(f"policy {pid} keep\n")
        live.wait_for(rf"^app: pid {pid} crash_later: control 6 = 2")
        live.wait_for(rf"^app: pid {pid} crash_later crashed: .*restarting with its store")
        live.wait_for(rf"^\[pid {pid} crash_later\] life 2, calls 90$")
        live.qmp.type_text(f"policy {pid} restart\n")
        live.wait_for(rf"^app: pid {pid} crash_later crashed: .*restarting fresh")
        live.wait_for(rf"^\[pid {pid} crash_later\] life 1, calls 0$", count=2)
        live.wait_for(rf"^app: pid {pid} crash_later crashed: .*crash loop", timeout=90)
        live.qmp.type_text("echo others fine\n")
        live.wait_for(r"^\[pid \d+ console\] others fine$")
