"""End-to-end test helpers: boot the real image in QEMU through ./fomos run
and look at what it printed on serial and drew on the screen.

A test declares the boot it needs with a marker and receives the finished
run from the `boot` fixture:

    @pytest.mark.boot("--seconds", "5", "--screenshot", "shot.png")
    def test_something(boot):
        assert boot.find(r"boot: ready in \\d+ ms"), boot.describe()

Every run is `./fomos run --no-build --headless --serial serial.log ARGS`
in a directory of its own (relative names such as shot.png land there);
`files={"name": b"bytes"}` in the marker puts files there first. Tests
whose markers are equal share one run.

Why all boots start up front: each is mostly waiting (TCG, firmware), so
the session fixture starts every boot the selected tests need at once, a
few in parallel (FOMOS_E2E_JOBS, default the number of CPUs; UEFI boots,
the slowest, first), and a test only waits for its own. The kernel and
the default image are built once before (`make -s iso`); the runs use
--no-build so that parallel runs never race inside make.

Kernel log lines look like "[    0.012345] info  pmm: ...": match the
message part with regexes, never the timestamps.
"""

import concurrent.futures
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import qmp  # noqa: E402  (tools/qmp.py, also the PPM reader)

LOG_LINE = re.compile(r"^\[\s*(\d+\.\d+)\]\s+(\w+)\s+(\S.*)$")
ANSI = re.compile(r"\x1b\[[0-9;=?]*[A-Za-z]")
DEFAULT_TIMEOUT = 120  # seconds for one run, generous for a loaded TCG host


KEPT_DIRS = []  # boot directories left for a human to look at


def pytest_terminal_summary(terminalreporter):
    for d in KEPT_DIRS:
        terminalreporter.write_line(f"e2e: boot directories (logs, screenshots) kept in {d}")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "boot(*args, files=None, timeout=None): boot Fomos with ./fomos run ARGS")


class Boot:
    """One finished `./fomos run`: its exit status, messages and log."""

    def __init__(self, args, workdir, returncode, stdout, stderr, elapsed):
        self.args, self.dir = args, workdir
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr
        self.elapsed = elapsed
        path = workdir / "serial.log"
        raw = path.read_text(errors="replace") if path.exists() else ""
        self.log = ANSI.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))
        self.lines = [m.groups() for m in map(LOG_LINE.match, self.log.splitlines()) if m]

    def messages(self):
        """The kernel's messages ("pmm: ..."), without timestamp and level."""
        return [msg for _, _, msg in self.lines]

    def find(self, pattern):
        """First re.Match of `pattern` in a kernel message, or None."""
        for msg in self.messages():
            m = re.search(pattern, msg)
            if m:
                return m
        return None

    def find_all(self, pattern):
        return [m for m in (re.search(pattern, msg) for msg in self.messages()) if m]

    def path(self, name):
        return self.dir / name

    def describe(self, tail=40):
        """What to print when an assertion fails: the run and its last lines."""
        log_tail = "\n".join(self.log.splitlines()[-tail:])
        return (f"\n$ ./fomos run {' '.join(self.args)}   (in {self.dir})\n"
                f"exit status {self.returncode} after {self.elapsed:.1f} s\n"
                f"--- runner stderr ---\n{self.stderr.strip()}\n"
                f"--- serial log (last {tail} lines) ---\n{log_tail}\n")


def run_fomos(args, workdir, timeout=DEFAULT_TIMEOUT):
    """Run ./fomos run headless in `workdir`; returns a Boot. A run that
    overstays `timeout` is stopped (SIGTERM lets the runner stop QEMU) and
    gets returncode None."""
    cmd = [str(ROOT / "fomos"), "run", "--no-build", "--headless", "--serial", "serial.log", *args]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=workdir, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        status = proc.returncode
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            out, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        err += f"\n(test harness: stopped after {timeout} s)"
        status = None
    return Boot(list(args), workdir, status, out, err, time.monotonic() - start)


def _spec(marker):
    files = marker.kwargs.get("files") or {}
    return (tuple(marker.args), tuple(sorted(files.items())), marker.kwargs.get("timeout"))


def _start(spec, base, index):
    args, files, timeout = spec
    workdir = Path(tempfile.mkdtemp(prefix=f"boot{index}-", dir=base))
    for name, data in files:
        (workdir / name).write_bytes(data)
    return run_fomos(args, workdir, timeout or DEFAULT_TIMEOUT)


@pytest.fixture(scope="session")
def boot_pool(request):
    """Build once, then start every boot the selected tests declared."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    build = subprocess.run(["make", "-s", "iso"], cwd=ROOT, env=env, capture_output=True, text=True)
    if build.returncode != 0:
        pytest.fail(f"make iso failed:\n{build.stdout}\n{build.stderr}", pytrace=False)
    specs = []
    for item in request.session.items:
        for marker in item.iter_markers("boot"):
            if _spec(marker) not in specs:
                specs.append(_spec(marker))
    specs.sort(key=lambda s: "--uefi" not in s[0])  # slowest first
    jobs = int(os.environ.get("FOMOS_E2E_JOBS", os.cpu_count() or 1))
    base = Path(tempfile.mkdtemp(prefix="fomos-e2e-"))
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs))
    futures = {s: pool.submit(_start, s, base, i) for i, s in enumerate(specs)}
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)
    if request.session.testsfailed or os.environ.get("FOMOS_E2E_KEEP"):
        KEPT_DIRS.append(base)
    else:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def boot(request, boot_pool):
    """The finished run this test's @pytest.mark.boot(...) asked for."""
    marker = request.node.get_closest_marker("boot")
    if marker is None:
        pytest.fail("the `boot` fixture needs a @pytest.mark.boot(...) marker")
    return boot_pool[_spec(marker)].result()


# -- screenshots -----------------------------------------------------------------


def read_png(path):
    """Decode an 8-bit RGB/RGBA non-interlaced PNG (what QEMU's screendump
    writes). Returns (width, height, rows), rows[y] = bytes r,g,b,..."""
    data = Path(path).read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if ctype == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif ctype == b"IDAT":
            idat.append(body)
    w, h, depth, color, _, _, interlace = header
    if depth != 8 or color not in (2, 6) or interlace:
        raise ValueError(f"{path}: only 8-bit RGB(A) non-interlaced PNGs")
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride, prev, rows = w * bpp, bytes(w * bpp), []
    for y in range(h):
        base = y * (stride + 1)
        line = _unfilter(raw[base], bytearray(raw[base + 1:base + 1 + stride]), prev, bpp)
        prev = bytes(line)
        rows.append(prev if bpp == 3 else bytes(b for i, b in enumerate(prev) if i % 4 != 3))
    return w, h, rows


def _unfilter(ftype, line, prev, bpp):
    """Undo one PNG row filter (RFC 2083 section 6). None and Up, the
    common ones, take the fast path."""
    if ftype == 0:
        return line
    if ftype == 2:
        return bytearray((x + b) & 255 for x, b in zip(line, prev))
    for i in range(len(line)):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
        if ftype == 1:
            pred = a
        elif ftype == 3:
            pred = (a + b) >> 1
        else:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
        line[i] = (line[i] + pred) & 255
    return line


def read_image(path):
    """(width, height, rows of RGB bytes) from a .png or a PPM screenshot."""
    return read_png(path) if str(path).endswith(".png") else qmp.read_ppm(path)


def _write_pgm(path, w, h, gray):
    Path(path).write_bytes(b"P5\n%d %d\n255\n" % (w, h) + bytes(gray))


def ocr(image_path, workdir):
    """The text tesseract reads on a screenshot, or pytest.skip without it.

    The screen is light text on dark; tesseract reads dark on light best,
    and misreads the big, thin title glyphs at full size. So it reads two
    inverted grey renderings, at half size (the title) and full size (the
    small text), and the texts are joined. ~1 s each."""
    if not shutil.which("tesseract"):
        pytest.skip("tesseract not installed (tools/ensure-deps installs tesseract-ocr)")
    w, h, rows = read_image(image_path)
    gray = [[255 - (r[i] * 299 + r[i + 1] * 587 + r[i + 2] * 114) // 1000
             for i in range(0, len(r), 3)] for r in rows]
    half = [(gray[2 * y][2 * x] + gray[2 * y][2 * x + 1] + gray[2 * y + 1][2 * x]
             + gray[2 * y + 1][2 * x + 1]) // 4 for y in range(h // 2) for x in range(w // 2)]
    _write_pgm(workdir / "ocr-half.pgm", w // 2, h // 2, half)
    _write_pgm(workdir / "ocr-full.pgm", w, h, [v for row in gray for v in row])
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # boots may be running beside us
    texts = []
    for name in ("ocr-half.pgm", "ocr-full.pgm"):
        r = subprocess.run(["tesseract", str(workdir / name), "stdout"], env=env,
                           capture_output=True, text=True, timeout=60)
        texts.append(r.stdout)
    return "\n".join(texts)


# -- interactive boots -------------------------------------------------------------


PANIC = re.compile(r"^panic: ")


class Fatal(AssertionError):
    """The kernel panicked or QEMU went away: nothing more to wait for."""


RIBBON_ROWS = (650, 800)  # the background's ribbons run here, below the console's window
ANIMATES = 2000  # pixels of that band a second of the animation changes at least (measured ~45000)


def changed_pixels(a, b, y0, y1):
    """How many pixels differ between two screenshots' rows y0..y1-1."""
    return sum(ra[x:x + 3] != rb[x:x + 3] for ra, rb in zip(a[y0:y1], b[y0:y1])
               for x in range(0, len(ra), 3))


class LiveBoot:
    """A running `./fomos run` a test talks to while it runs: QMP for input
    and screenshots, the serial log to wait for lines. Use as a context
    manager; leaving it quits QEMU.

        with LiveBoot(tmp_path, "--gpu", "virtio") as live:
            live.wait_for(r"^gpu: .* shows our")
            live.qmp.send_abs(0x4000, 0x4000, device="tablet")
    """

    def __init__(self, workdir, *args, timeout=DEFAULT_TIMEOUT, root=ROOT):
        # root: the tree whose ./fomos and build boot (another version's, say)
        self.dir = Path(workdir)
        self.args = list(args)
        self.socket = self.dir / "qmp.sock"
        self.serial = self.dir / "serial.log"
        cmd = [str(Path(root) / "fomos"), "run", "--no-build", "--headless", "--serial", str(self.serial),
               "--qmp", str(self.socket), "--seconds", str(timeout), *args]
        self.proc = subprocess.Popen(cmd, cwd=self.dir, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.qmp = None

    def __enter__(self):
        self.qmp = qmp.QMP(str(self.socket), timeout=30)
        return self

    def __exit__(self, *exc):
        if self.qmp is not None:
            if self.proc.poll() is None:  # it may have ended by itself (reboot, power-off)
                try:
                    self.qmp.quit()
                except (qmp.QMPError, OSError):
                    pass  # QEMU went between the poll and the quit
            self.qmp.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def messages(self):
        raw = self.serial.read_text(errors="replace") if self.serial.exists() else ""
        text = ANSI.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))
        return [m.group(3) for m in map(LOG_LINE.match, text.splitlines()) if m]

    def wait_for(self, pattern, timeout=60, count=1):
        """Wait until `count` kernel messages match `pattern`; returns them."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in (re.search(pattern, msg) for msg in self.messages()) if m]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline or self.proc.poll() is not None:
                tail = "\n".join(self.messages()[-30:])
                raise AssertionError(f"no {count}x {pattern!r} in the log; last lines:\n{tail}")
            time.sleep(0.1)

    def check_alive(self, msgs):
        """Fail at once (Fatal) if `msgs` hold a kernel panic or QEMU is gone."""
        panics = [m for m in msgs if PANIC.match(m)]
        if panics:
            raise Fatal(f"kernel panic: {panics[0]}\nlast lines:\n{self.log_tail()}")
        if self.proc.poll() is not None:
            raise Fatal(f"QEMU exited ({self.proc.returncode}); last lines:\n{self.log_tail()}")

    def wait_alive(self, pattern, timeout=60):
        """The first kernel message matching `pattern` (a re.Match), waiting up
        to `timeout` s; fails at once on a panic."""
        deadline = time.monotonic() + timeout
        while True:
            msgs = self.messages()
            self.check_alive(msgs)
            for msg in msgs:
                m = re.search(pattern, msg)
                if m:
                    return m
            if time.monotonic() > deadline:
                raise AssertionError(f"no {pattern!r} in the log; last lines:\n{self.log_tail()}")
            time.sleep(0.1)

    SCREEN = (1280, 800)  # the virtio-gpu scanout QEMU gives
    TITLE_H = 22  # a window's title bar (desktop/windows.c)

    def point(self, x, y):
        """Move the tablet to pixel (x, y) of the screen (once its driver is up:
        QEMU drops pointer events sent before)."""
        if not getattr(self, "tablet_up", False):
            self.wait_alive(r"^input: virtio-input \S+: tablet ")
            self.tablet_up = True
        w, h = self.SCREEN
        self.qmp.send_abs(round(x * 0x7FFF / (w - 1)), round(y * 0x7FFF / (h - 1)))

    def click(self, x, y):
        self.point(x, y)
        self.qmp.send_button("left", True)
        self.qmp.send_button("left", False)

    def window(self, pid):
        """(x, y, w, h) of app pid's window surface, from the desktop's log line."""
        m = self.wait_alive(rf"^desktop: window of pid {pid} \S+: (\d+)x(\d+) at (-?\d+),(-?\d+)$")
        w, h, x, y = (int(v) for v in m.groups())
        return x, y, w, h

    def chord(self, *qcodes):
        """Press the keys in order and release them in reverse (ctrl, alt, t)."""
        for key in qcodes:
            self.qmp.send_key(key, True)
        for key in reversed(qcodes):
            self.qmp.send_key(key, False)

    def screenshot(self, name):
        """Screendump to `name` (PPM) in the run's directory; returns its rows."""
        path = self.dir / name
        self.qmp.screendump(str(path))
        return read_image(path)

    def log_tail(self, lines=40):
        return "\n".join(self.messages()[-lines:])
