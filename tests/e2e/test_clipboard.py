"""Copy and paste between consoles through the Context's clipboard
(include/fomos.h, version 7), with real pointer drags and key chords.

The boot console clears itself (Ctrl+L) and runs `echo echo pasted-text`:
its second row reads "echo pasted-text". A drag over that row with the
left button selects it (the screenshot shows the selection's colour
there), Ctrl+Shift+C copies it (the kernel logs 16 bytes from that
console), Ctrl+Alt+T opens a second console, and Ctrl+Shift+V then Enter
there runs the pasted line in the second console only.

A hostile windowless app runs all along, from the first frame, trying
to read the clipboard and to replace it with its own text: both are
refused every time (only a window with the focus may use the
clipboard), so what the second console pastes is what the user copied.
"""

from conftest import ROOT, LiveBoot

SNOOP = ROOT / "build" / "apps" / "hostile_clipboard_snoop.elf"
SELECTION = bytes((62, 96, 160))  # apps/console/window.c: WIN_COLOR_SELECTION
TEXT_X, TEXT_Y, CELL_W, CELL_H = 7, 30, 10, 20  # the console's text cells in its window


def selected(rows, x, y, w, h):
    return sum(rows[r][c * 3:c * 3 + 3] == SELECTION for r in range(y, y + h) for c in range(x, x + w))


def test_copy_in_one_console_paste_in_another(tmp_path):
    with LiveBoot(tmp_path, "--app", str(SNOOP)) as live:
        first = int(live.wait_alive(r"^app: started pid (\d+) console\b").group(1))
        x1, y1, w1, h1 = live.window(first)
        live.wait_alive(rf"^\[pid {first} console\] console: window {w1}x{h1} at 0,0")
        snoop = int(live.wait_alive(r"^app: started pid (\d+) hostile_clipboard_snoop\b").group(1))
        live.wait_alive(rf"^\[pid {snoop} hostile_clipboard_snoop\] hostile_clipboard_snoop: "
                        r"replace refused$")

        live.chord("ctrl", "l")
        live.qmp.type_text("echo echo pasted-text\n")
        live.wait_alive(rf"^\[pid {first} console\] echo pasted-text$")

        # drag over the second text row, from before its first cell to past its end
        row_y = y1 + TEXT_Y + CELL_H + CELL_H // 2
        ends = (x1 + TEXT_X + 2, x1 + TEXT_X + 30 * CELL_W)
        live.point(ends[0], row_y)
        live.qmp.send_button("left", True)
        # the press may have been seen at either end: the selection is the same both ways
        shown = 0
        for attempt in range(40):
            live.point(ends[1 - attempt % 2], row_y)
            for i in range(5):
                _, _, rows = live.screenshot(f"drag{i % 2}.ppm")
                shown = selected(rows, x1, y1 + TEXT_Y + CELL_H, 300, CELL_H)
                if shown >= 100:
                    break
            if shown >= 100:
                break
        live.qmp.send_button("left", False)
        assert shown >= 100, "the drag selected nothing"

        live.chord("ctrl", "shift", "c")
        live.wait_alive(rf"^clipboard: 16 bytes from pid {first} console$")

        live.chord("ctrl", "alt", "t")
        second = int(live.wait_alive(r"^desktop: Ctrl\+Alt\+T: started shell pid (\d+)").group(1))
        _, _, w2, h2 = live.window(second)
        live.wait_alive(rf"^\[pid {second} console\] console: window {w2}x{h2} at 0,0")
        live.chord("ctrl", "shift", "v")
        live.qmp.type_text("\n")
        live.wait_alive(rf"^\[pid {second} console\] pasted-text$")

        msgs = live.messages()
        assert f"[pid {second} console] $ echo pasted-text" in msgs
        assert f"[pid {first} console] pasted-text" not in msgs
        assert f"[pid {snoop} hostile_clipboard_snoop] hostile_clipboard_snoop: read refused" in msgs
        assert not [m for m in msgs if "THE CLIPBOARD" in m or f"bytes from pid {snoop} " in m]
