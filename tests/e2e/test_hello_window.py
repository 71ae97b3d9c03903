"""The windowed example app (apps/hello_window, docs/desktop.md) through a
real click and a key: the click's coordinates reach the app relative to
its window (the log says "click at 100,50" for a click 100 right and 50
down of the surface's corner), the box it draws there shows on the screen
in the colour the click chose, and Space, typed while its window has the
focus, changes the colour again.
"""

from conftest import ROOT, LiveBoot

APP = ROOT / "build" / "apps" / "hello_window.elf"
COLOURS = (bytes((250, 200, 60)), bytes((90, 220, 140)), bytes((240, 110, 120)))


def box_pixels(rows, colour, x, y):
    """Pixels of colour in the box's top-left quarter (the arrow covers the rest)."""
    return sum(rows[r][c * 3:c * 3 + 3] == colour for r in range(y - 8, y) for c in range(x - 8, x))


def shows(live, colour, x, y, name):
    for i in range(100):
        _, _, rows = live.screenshot(f"{name}{i % 2}.ppm")
        if box_pixels(rows, colour, x, y) >= 60:
            return True
    return False


def test_click_and_key_in_window_coordinates(tmp_path):
    with LiveBoot(tmp_path, "--app", str(APP)) as live:
        pid = int(live.wait_alive(r"^app: started pid (\d+) hello_window\b").group(1))
        x, y, w, h = live.window(pid)
        assert (w, h) == (320, 200)
        live.wait_alive(rf"^\[pid {pid} hello_window\] hello_window: window 320x200 open$")
        live.wait_alive(r"^gpu: .* shows our")
        live.click(x + 100, y + 50)
        live.wait_alive(rf"^\[pid {pid} hello_window\] hello_window: click at 100,50$")
        assert shows(live, COLOURS[1], x + 100, y + 50, "click"), "no box where the click was"
        live.qmp.type_text(" ")
        assert shows(live, COLOURS[2], x + 100, y + 50, "space"), "Space did not reach the window"
