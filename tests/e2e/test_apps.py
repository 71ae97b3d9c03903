"""Apps are functions, end to end: the default desktop (background, console,
cursor) starts from the boot archive's manifest; the console's shell is
driven by typing through QMP; apps built every way we promise (static-pie,
the original Fomos C build line, the oldest context, Rust) run side by
side; a malformed app file is refused while the others keep running.
"""

import re
import time

from conftest import LiveBoot

W, H = 1280, 800


def region(rows, x0, y0, x1, y1):
    return b"".join(rows[y][x0 * 3:x1 * 3] for y in range(y0, y1))


def wait_desktop(live):
    for name in ("background", "console", "cursor"):
        live.wait_for(rf"^app: started pid \d+ {name}\b")
    live.wait_for(r"^frame: frame loop")
    live.wait_for(r"^gpu: .* scanout 0 shows our")
    time.sleep(1)


def type_line(live, text):
    live.qmp.type_text(text + "\n")


def test_shell_help_ps_run_kill(tmp_path):
    with LiveBoot(tmp_path, "--gpu", "virtio") as live:
        wait_desktop(live)
        _, _, before = live.screenshot("before.ppm")
        type_line(live, "help")
        live.wait_for(r"^\[pid \d+ console\] \$ help")
        type_line(live, "ps")
        live.wait_for(r"^\[pid \d+ console\] \$ ps")
        live.wait_for(r"^\[pid \d+ console\] .*\bcursor\b")
        type_line(live, "run hello")
        pid = int(live.wait_for(r"^app: started pid (\d+) hello")[0].group(1))
        live.wait_for(rf"^\[pid {pid} hello\] hello from C")
        type_line(live, f"kill {pid}")
        live.wait_for(rf"^app: pid {pid} hello killed")
        type_line(live, "1+2*3")
        live.wait_for(r"^\[pid \d+ console\] 7$")
        time.sleep(0.5)
        _, _, after = live.screenshot("after.ppm")
        assert before != after, "typing changed nothing on the screen"


def test_cursor_follows_the_tablet_and_background_animates(tmp_path):
    with LiveBoot(tmp_path, "--gpu", "virtio") as live:
        wait_desktop(live)
        live.qmp.send_abs(0x7000, 0x7000)  # bottom right, away from the console
        time.sleep(0.5)
        _, _, a = live.screenshot("a.ppm")
        time.sleep(1)
        _, _, b = live.screenshot("b.ppm")
        x, y = round(0x7000 * (W - 1) / 0x7FFF), round(0x7000 * (H - 1) / 0x7FFF)
        # the cursor is drawn at the pointer: the area there differs from
        # the same area once the pointer moved away
        live.qmp.send_abs(0x0800, 0x0800)
        time.sleep(0.5)
        _, _, c = live.screenshot("c.ppm")
        assert region(b, x, y, x + 12, y + 12) != region(c, x, y, x + 12, y + 12)
        assert a != b, "two screenshots a second apart are equal: no animation"


def test_old_context_and_rust_apps_run_beside_the_desktop(tmp_path):
    with LiveBoot(tmp_path, "--gpu", "virtio") as live:
        wait_desktop(live)
        type_line(live, "run old_context")
        live.wait_for(r"^\[pid \d+ old_context\] old context app")
        type_line(live, "run rust_hello")
        live.wait_for(r"^\[pid \d+ rust_hello\] hello from Rust")
        time.sleep(1)
        assert not [m for m in live.messages() if re.match(r"app: pid \d+ (background|console|cursor) ", m)]


def test_malformed_app_refused_others_keep_running(tmp_path):
    bad = tmp_path / "broken.elf"
    bad.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x03\x00\x3e\x00")  # truncated header
    with LiveBoot(tmp_path, "--gpu", "virtio", "--app", str(bad)) as live:
        wait_desktop(live)
        live.wait_for(r"^app: broken: refused: ")
        type_line(live, "echo still here")
        live.wait_for(r"^\[pid \d+ console\] still here")
