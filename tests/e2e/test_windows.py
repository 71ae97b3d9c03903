"""Windows through real pointer moves, clicks and drags (QMP into the
virtio tablet): desktop/windows.h.

Two consoles, each in its window: the boot one, and one Ctrl+Alt+T opens
(cascaded, on top, with the focus). A click on the first gives it the
focus, and a typed command runs there only. A drag of its title bar moves
it (the log says where, and the screenshot shows its title bar there);
the pointer is drawn over a window, and where its title bar was the
screen shows no trace of it (the damage of a move covers its old place);
the close box of the second ends its app.

Then, with the background and the cursor app killed, nothing on the
screen moves but what is typed: the compositor presents next to nothing (the frame log's share
of the screen presented), and yet the typed command shows in the window
(a surface's damage is found from the pages its app wrote).
"""

import re

from conftest import LiveBoot

TITLE_H = LiveBoot.TITLE_H
TITLE_FOCUSED = bytes((52, 101, 164))
TITLE_OTHER = bytes((72, 76, 86))
FRAME_REPORT = r"^frame: 300 frames: .*, (\d+\.\d)% of the screen presented$"
ARROW_FILL = bytes((250, 250, 250))


def pixels(rows, colour, x0, y0, x1, y1):
    return sum(rows[y][x * 3:x * 3 + 3] == colour for y in range(y0, y1) for x in range(x0, x1))


def test_focus_typing_drag_pointer_and_close(tmp_path):
    with LiveBoot(tmp_path) as live:
        first = int(live.wait_alive(r"^app: started pid (\d+) console\b").group(1))
        x1, y1, w1, h1 = live.window(first)
        live.wait_alive(r"^gpu: .* shows our")
        live.chord("ctrl", "alt", "t")
        second = int(live.wait_alive(r"^desktop: Ctrl\+Alt\+T: started shell pid (\d+)").group(1))
        x2, y2, w2, h2 = live.window(second)
        live.wait_alive(rf"^\[pid {second} console\] console: window {w2}x{h2} at 0,0")

        # the first window's left strip, which the second does not cover
        live.click(x1 + (x2 - x1) // 2, y1 + h1 // 2)
        live.qmp.type_text("echo only here\n")
        live.wait_alive(rf"^\[pid {first} console\] only here$")
        assert not [m for m in live.messages() if m == f"[pid {second} console] only here"]

        # drag the first window's title bar 200 right and 100 down
        grab_x, grab_y = x1 + 60, y1 - TITLE_H // 2
        live.point(grab_x, grab_y)
        live.qmp.send_button("left", True)
        live.wait_alive(rf"^desktop: dragging the window of pid {first}$")
        live.point(grab_x + 200, grab_y + 100)
        live.qmp.send_button("left", False)
        moved = live.wait_alive(rf"^desktop: window of pid {first} moved to (-?\d+),(-?\d+)$")
        nx, ny = int(moved.group(1)), int(moved.group(2))
        assert abs(nx - (x1 + 200)) <= 2 and abs(ny - (y1 + 100)) <= 2, (nx, ny)

        # the pointer over the window's text, and the title bar at its new place
        px, py = nx + w1 // 2, ny + h1 // 2
        live.point(px, py)
        for i in range(100):  # until a frame after the move is on the screen
            _, _, rows = live.screenshot(f"moved{i % 2}.ppm")
            arrow = pixels(rows, ARROW_FILL, px, py, px + 12, py + 17)
            title = pixels(rows, TITLE_FOCUSED, nx + 4, ny - TITLE_H + 2, nx + 40, ny - 2)
            stale = sum(pixels(rows, c, x1 + 4, y1 - TITLE_H + 2, x1 + 150, y1 - 2)
                        for c in (TITLE_FOCUSED, TITLE_OTHER))
            if arrow >= 20 and title >= 50 and stale == 0:
                break
        assert arrow >= 20, f"no pointer over the window at {px},{py}"
        assert title >= 50, f"no focused title bar at {nx},{ny - TITLE_H}"
        assert stale == 0, f"{stale} pixels of the title bar left at its old place"

        # the second window's close box (it may lie under the moved first one: raise it
        # first, and wait until it shows raised: two clicks in one frame would be one)
        live.click(x2 + w2 - 60, y2 + h2 - 10)
        for i in range(100):
            _, _, rows = live.screenshot(f"raised{i % 2}.ppm")
            if pixels(rows, TITLE_FOCUSED, x2 + w2 - 150, y2 - TITLE_H + 2, x2 + w2 - 40, y2 - 2) >= 50:
                break
        live.click(x2 + w2 - 11, y2 - TITLE_H // 2)
        live.wait_alive(rf"^app: pid {second} console killed: closed from its window")

        # a still screen: the first console has the focus again; end the apps that animate
        cursor = int(live.wait_alive(r"^app: started pid (\d+) cursor\b").group(1))
        live.qmp.type_text(f"kill 1\nkill {cursor}\n")
        live.wait_alive(r"^app: pid 1 background killed")
        live.wait_alive(rf"^app: pid {cursor} cursor killed")
        reports = len([m for m in live.messages() if re.match(FRAME_REPORT, m)])
        # the next report may count frames from before the kill; the one after may not
        share = float(live.wait_for(FRAME_REPORT, timeout=60, count=reports + 2)[-1].group(1))
        assert share <= 2.0, f"{share}% of a still screen presented per frame"

        # and yet what is typed shows in the window
        _, _, before = live.screenshot("still.ppm")
        live.qmp.type_text("echo damage is found\n")
        live.wait_alive(rf"^\[pid {first} console\] damage is found$")
        for i in range(100):
            _, _, rows = live.screenshot(f"typed{i % 2}.ppm")
            changed = sum(rows[y][nx * 3:(nx + w1) * 3] != before[y][nx * 3:(nx + w1) * 3]
                          for y in range(ny, ny + h1))
            if changed >= 8:
                break
        assert changed >= 8, "the typed command never showed in the window"
