"""The screen under virtio-gpu never shows a frame half drawn.

apps/frame_counter fills the whole shared screen with a new colour every
call, over the desktop's windowless apps (the console's window lies above
it and is left out of the samples). A present is a TRANSFER_TO_HOST_2D that QEMU copies
from the back buffer while the guest goes on; if the next frame were drawn
into the back buffer meanwhile, the copy would catch the top of one frame
and the bottom of another, and a screenshot would show two colours. The
frame loop waits for the device to finish reading (desktop/frame.c), so
100 screenshots must each show one colour, and the colours must change
(the app really draws every frame, the test is not looking at a still).
"""

import re

from conftest import ROOT, LiveBoot

SHOTS = 100
GRID = 24  # sample points per side


TITLE_H = 22  # above each window (desktop/windows.c)
WINDOW = re.compile(r"^desktop: window of pid \d+ \S+: (\d+)x(\d+) at (-?\d+),(-?\d+)$")


def windows(live):
    """(x0, y0, x1, y1) of every window with its title bar: the console's, over the app."""
    found = [tuple(int(v) for v in m.groups()) for m in map(WINDOW.match, live.messages()) if m]
    return [(x, y - TITLE_H, x + w, y + h) for w, h, x, y in found]


def colours(rows, w, h, covered):
    """The distinct colours at a GRID x GRID lattice of points outside the windows."""
    seen = set()
    for gy in range(GRID):
        y = (2 * gy + 1) * h // (2 * GRID)
        row = rows[y]
        for gx in range(GRID):
            x = (2 * gx + 1) * w // (2 * GRID)
            if not any(x0 <= x < x1 and y0 <= y < y1 for x0, y0, x1, y1 in covered):
                seen.add(bytes(row[x * 3:x * 3 + 3]))
    return seen


def test_no_torn_frames_under_virtio_gpu(tmp_path):
    with LiveBoot(tmp_path, "--gpu", "virtio", "--app",
                  str(ROOT / "build" / "apps" / "frame_counter.elf")) as live:
        live.wait_alive(r"^gpu: .* shows our")
        live.wait_alive(r"^\[pid \d+ frame_counter\] frame counter: drawing")
        live.wait_alive(WINDOW.pattern)
        covered = windows(live)
        torn, shown = [], set()
        for i in range(SHOTS):
            w, h, rows = live.screenshot(f"shot{i % 2}.ppm")
            found = colours(rows, w, h, covered)
            if len(found) > 1:
                torn.append((i, sorted(c.hex() for c in found)))
            shown |= found
        assert not torn, f"{len(torn)} of {SHOTS} screenshots torn; first: {torn[0]}"
        assert len(shown) >= SHOTS // 4, f"only {len(shown)} colours in {SHOTS} screenshots"
