"""The console scrolls back with the mouse wheel (three rows a notch) and
with Shift+PageUp, through real virtio input: QEMU's wheel reaches the
kernel as REL_WHEEL, apps see FOMOS_BTN_WHEEL_UP/DOWN presses.

The wheel reaches the window under the pointer (desktop/windows.h), so
the pointer rests on the console. After enough output to scroll, a
screenshot of the console's window
changes when the wheel turns up, and is the same again when it turns back
down (the newest rows at the bottom, as before).
"""

import re

from conftest import LiveBoot


def window(live, name, geometry):
    x, y, w, h = geometry
    _, _, rows = live.screenshot(name)
    return [bytes(rows[yy][x * 3:(x + w) * 3]) for yy in range(y, y + h)]


def window_until(live, name, geometry, done):
    """Screenshots of the window until done(pixels) holds (at most 100); the last one."""
    for _ in range(100):
        pixels = window(live, name, geometry)
        if done(pixels):
            break
    return pixels


def wheel(live, button, notches):
    for _ in range(notches):
        live.qmp.send_events([{"type": "btn", "data": {"down": True, "button": button}}])
        live.qmp.send_events([{"type": "btn", "data": {"down": False, "button": button}}])


def test_the_wheel_and_shift_page_up_scroll_the_console_back(tmp_path):
    with LiveBoot(tmp_path, "--gpu", "virtio") as live:
        m = live.wait_alive(r"^desktop: window of pid (\d+) console: (\d+)x(\d+) at (\d+),(\d+)")
        pid = m.group(1)
        w, h, x, y = (int(v) for v in m.group(2, 3, 4, 5))
        live.wait_alive(rf"^\[pid {pid} console\] console: window {w}x{h} at 0,0")
        live.wait_alive(r"^gpu: .* shows our")
        # the wheel turns the window under the pointer: over the console, below the rows compared
        live.qmp.send_abs(round((x + w // 2) * 0x7FFF / 1279), round((y + h - 20) * 0x7FFF / 799))
        for i in range(30):
            live.qmp.type_text(f"echo line {i}\n", delay=0)
        live.wait_alive(rf"^\[pid {pid} console\] line 29$")
        live.qmp.type_text("echo shown\n")
        live.wait_alive(rf"^\[pid {pid} console\] shown$")
        # the text rows above the input line (whose cursor blinks)
        geometry = (x + 8, y + 40, w - 16, h - 100)
        # the rows drawn settle a frame after the console logged them: two equal screenshots
        bottom = window(live, "bottom.ppm", geometry)
        while bottom != (again := window(live, "bottom.ppm", geometry)):
            bottom = again

        wheel(live, "wheel-up", 3)
        up = window_until(live, "up.ppm", geometry, lambda p: p != bottom)
        assert (up != bottom) is True, "the wheel did not scroll the console back"

        wheel(live, "wheel-down", 3)
        back = window_until(live, "back.ppm", geometry, lambda p: p == bottom)
        assert (back == bottom) is True, "turning the wheel back did not return to the newest rows"

        live.qmp.send_key("shift", True)
        live.qmp.send_key("pgup", True)
        live.qmp.send_key("pgup", False)
        live.qmp.send_key("shift", False)
        paged = window_until(live, "paged.ppm", geometry, lambda p: p != bottom)
        assert (paged != bottom) is True, "Shift+PageUp did not scroll the console back"
        assert not [msg for msg in live.messages() if re.match(rf"^app: pid {pid} console ", msg)]
