"""Apps are functions, end to end: the default desktop (background, console,
cursor) starts from the boot archive's manifest; the console's shell is
driven by typing through QMP; apps built every way we promise (static-pie,
the original Fomos C build line, the oldest context, Rust) run side by
side; a malformed app file is refused while the others keep running.
"""

import re
import shutil
import time

from conftest import ANIMATES, RIBBON_ROWS, ROOT, LiveBoot, changed_pixels

W, H = 1280, 800
CURSOR_WHITE = bytes((250, 250, 250))  # the arrow's fill (apps/cursor/arrow.c)
CONSOLE = (250, 190, 1030, 630)  # inside the console window: only the console draws here


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
        assert region(before, *CONSOLE) != region(after, *CONSOLE), \
            "typing changed nothing in the console's text region"


def test_refusals_name_their_reason(tmp_path):
    """Every refusal says why, never a bare error number."""
    answers = {
        "run nosuchapp": "run: cannot start nosuchapp: no app of that name in the boot archive",
        "policy 99 stop": "policy: no app with pid 99",
        "budget 1 70000": "budget: value out of range",
        "kill 99": "kill: no app with pid 99",
    }
    with LiveBoot(tmp_path, "--gpu", "virtio") as live:
        wait_desktop(live)
        for command, answer in answers.items():
            type_line(live, command)
            live.wait_for(r"^\[pid \d+ console\] " + re.escape(answer) + "$")
        assert not [m for m in live.messages() if "error -" in m]


def hello_copies(tmp_path, n):
    """--app arguments for n copies of hello, called app_000 .. app_NNN."""
    args = []
    for i in range(n):
        copy = tmp_path / f"app_{i:03d}.elf"
        shutil.copy(ROOT / "build" / "apps" / "hello.elf", copy)
        args += ["--app", str(copy)]
    return args


def test_a_hundred_apps_start_beside_the_desktop(tmp_path):
    """100 small apps given with --app (copies of hello) all start and run
    beside the desktop, and the console still answers."""
    with LiveBoot(tmp_path, "--gpu", "virtio", *hello_copies(tmp_path, 100)) as live:
        live.wait_for(r"^app: started pid \d+ app_099\b", timeout=120)
        live.wait_for(r"^\[pid \d+ app_\d{3}\] hello from C", count=100, timeout=120)
        started = {m.group(1) for m in live.wait_for(r"^app: started pid \d+ (\w+)", count=103)}
        assert {f"app_{i:03d}" for i in range(100)} | {"background", "console", "cursor"} <= started
        type_line(live, "echo a hundred and three")
        live.wait_for(r"^\[pid \d+ console\] a hundred and three$")


def test_apps_are_limited_by_memory_not_by_a_table(tmp_path):
    """In a 64 MiB machine the spawner app starts copies of bench_nop until
    a start is refused: over 850 run beside the desktop (the old table
    held 32, then 256; the desktop's screen buffers take 12 MiB of the 64),
    the refusal names the missing memory, the desktop still answers, and
    once the spawner has stopped them the memory comes back (all but what
    the kernel heap keeps for its own bookkeeping)."""
    with LiveBoot(tmp_path, "--gpu", "virtio", "--memory", "64M",
                  "--app", str(ROOT / "build" / "apps" / "spawner.elf"),
                  "--grant", "spawner=apps") as live:
        started = live.wait_for(r"^\[pid \d+ spawner\] spawner: (\d+) apps started, then "
                                r"refused: (.+); (\d+) KiB free$", timeout=120)[0]
        count, reason = int(started.group(1)), started.group(2)
        assert count > 850, f"only {count} apps fit in 64 MiB"
        assert reason == "not enough memory", reason
        stopped = live.wait_for(r"^\[pid \d+ spawner\] spawner: stopped (\d+) apps: (\d+) KiB "
                                r"free \(before: (\d+) KiB\)$", timeout=60)[0]
        assert int(stopped.group(1)) == count
        back, before = int(stopped.group(2)), int(stopped.group(3))
        # "before" is taken at the spawner's first call, before the background
        # has built its backdrop and frame buffer (8 MiB, a few calls later)
        assert back >= before * 2 // 3, f"{back} KiB free after, {before} KiB before"
        type_line(live, "echo still here")
        live.wait_for(r"^\[pid \d+ console\] still here$")


def test_a_manifest_of_more_than_256_apps_starts_the_first_256(tmp_path):
    """260 apps with --app: the boot manifest then names 263, more than the
    256 lines it takes (more apps start from the shell or from an app). The
    first 256 (the desktop and 253 copies) start, one line says from where
    on the rest do not, and the console answers."""
    with LiveBoot(tmp_path, "--gpu", "virtio", "--memory", "768M",
                  *hello_copies(tmp_path, 260)) as live:
        live.wait_for(r"^app: boot\.manifest line \d+: too many apps \(at most 256\): "
                      r"the apps from there on do not start$", timeout=120)
        live.wait_for(r"^app: started pid \d+ app_252\b", timeout=180)
        # 256 apps make a frame take ~25-40 ms, and a key typed then is
        # sometimes lost (a known defect of the input path under slow
        # frames, seen once in about three runs): the console must answer
        # one of three tries.
        for attempt in range(1, 4):
            live.qmp.type_text("\necho still answering\n", delay=0.15)
            try:
                live.wait_for(r"^\[pid \d+ console\] still answering$", timeout=30)
                break
            except AssertionError:
                assert attempt < 3, "the console never answered"

        assert not any(re.match(r"^app: started pid \d+ app_25[3-9]\b", m)
                       for m in live.messages())


def arrow_pixels(rows, x, y):
    """Pixels of the cursor's white fill in the 12x19 box below-right of (x, y)."""
    return sum(rows[yy][xx * 3:xx * 3 + 3] == CURSOR_WHITE
               for yy in range(y, min(y + 19, H)) for xx in range(x, min(x + 12, W)))


def test_cursor_follows_the_tablet_and_background_animates(tmp_path):
    with LiveBoot(tmp_path, "--gpu", "virtio") as live:
        wait_desktop(live)
        for i, (ax, ay) in enumerate([(0x7000, 0x7000), (0x0800, 0x0800)]):
            live.qmp.send_abs(ax, ay)
            time.sleep(0.5)
            _, _, rows = live.screenshot(f"pointer{i}.ppm")
            x, y = round(ax * (W - 1) / 0x7FFF), round(ay * (H - 1) / 0x7FFF)
            assert arrow_pixels(rows, x, y) >= 20, f"no cursor arrow at {x},{y}"
        # the background only: a band above the console, left of the picture
        _, _, a = live.screenshot("a.ppm")
        time.sleep(1)
        _, _, b = live.screenshot("b.ppm")
        moved = changed_pixels(a, b, *RIBBON_ROWS)
        assert moved >= ANIMATES, f"the background does not animate ({moved} pixels changed)"


def test_the_pointer_stays_over_an_app_started_later(tmp_path):
    """The cursor is in the top layer (`cursor top` in the manifest): an app
    started from the shell, which fills the whole screen every frame, is
    drawn under it, not over it."""
    with LiveBoot(tmp_path, "--gpu", "virtio") as live:
        wait_desktop(live)
        type_line(live, "run frame_counter")
        live.wait_alive(r"^\[pid \d+ frame_counter\] frame counter: drawing")
        ax, ay = 0x4000, 0x2000
        live.qmp.send_abs(ax, ay)
        x, y = round(ax * (W - 1) / 0x7FFF), round(ay * (H - 1) / 0x7FFF)
        for i in range(100):  # until a frame after the move is on the screen
            _, _, rows = live.screenshot(f"over{i % 2}.ppm")
            if arrow_pixels(rows, x, y) >= 20:
                break
        assert arrow_pixels(rows, x, y) >= 20, f"no cursor arrow at {x},{y} over frame_counter"


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
