#!/usr/bin/env python3
"""make bench: measure Fomos against references measured in the same run.

Every row of the table is a figure, a reference taken on the same machine
in the same run, and their ratio: the machines are shared and noisy, so
only medians, p99s and ratios are worth reading, never one absolute time.

Sources:
  * host programs (build/bench/): the kernel's allocators against glibc on
    one workload, and a thread round trip on the host Linux;
  * a boot in bench mode (kernel command line `bench`): the kernel prints
    `bench: name=... key=value` lines (bench/bench.c) while this script
    moves the tablet through QMP, then exits QEMU;
  * an idle boot (no apps): QEMU's own CPU use over 10 s;
  * a Linux reference boot (tools/linux_reference.py): Debian's kernel and
    busybox in the same QEMU machine, timed to its first userspace line;
  * an instruction-count boot (`bench=ladder` under TCG with -icount
    shift=0): the guest's TSC advances one per instruction executed, so
    the dispatch ladder's and the Context calls' `cycles` are instruction
    counts there: the figures that hold on real hardware, where TCG's
    cycle figures (an emulator's time) do not.

The table goes to stdout and build/bench.json. Under TCG by default; with
--accel kvm (or auto, when KVM works here) the guest part runs under KVM
too and the accelerator is named in the table.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import linux_reference  # noqa: E402
import qmp  # noqa: E402

BENCH_LINE = re.compile(r"bench: (name=\S+.*)$")
LOG_TIME = re.compile(r"^\[\s*(\d+\.\d+)\]")


def parse_bench(text):
    """{name: {key: value}} from every `bench: name=N k=v ...` line."""
    results = {}
    for line in text.splitlines():
        m = BENCH_LINE.search(line)
        if not m:
            continue
        fields = dict(kv.split("=", 1) for kv in m.group(1).split() if "=" in kv)
        name = fields.pop("name")
        results[name] = {k: _number(v) for k, v in fields.items()}
    return results


def _number(v):
    try:
        return float(v) if "." in v else int(v)
    except ValueError:
        return v


def run_host_programs(build):
    results = {}
    for prog in ("alloc_bench", "thread_pingpong"):
        out = subprocess.run([str(build / "bench" / prog)], capture_output=True, text=True,
                             timeout=300, check=True).stdout
        results.update(parse_bench(out))
    return results


class Boot:
    """A headless ./fomos run with its own QMP socket and serial log."""

    def __init__(self, workdir, args, seconds):
        self.serial = workdir / "serial.log"
        self.socket = workdir / "qmp.sock"
        self.start = time.monotonic()
        self.proc = subprocess.Popen(
            [str(ROOT / "fomos"), "run", "--no-build", "--headless", "--serial", str(self.serial),
             "--qmp", str(self.socket), "--seconds", str(seconds), *args],
            cwd=workdir, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True)

    def log(self):
        return self.serial.read_text(errors="replace") if self.serial.exists() else ""

    def wait_for(self, pattern, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            m = re.search(pattern, self.log(), re.M)
            if m:
                return m, time.monotonic() - self.start
            time.sleep(0.02)
        raise RuntimeError(f"bench: no {pattern!r} in the log\n{self.log()[-3000:]}")

    def qemu_stat(self):
        """QEMU's /proc/PID/stat fields after the command name (the runner's child)."""
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        for pid in children:
            if "qemu" in Path(f"/proc/{pid}/comm").read_text():
                return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        raise RuntimeError("no QEMU under the runner")

    def qemu_cpu_seconds(self):
        fields = self.qemu_stat()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def qemu_started(self):
        """When QEMU's process began, on time.monotonic()'s clock (to 10 ms:
        /proc counts clock ticks since boot), so the runner's own start-up
        (Python, the image cache) is not counted as the guest's boot."""
        ticks = int(self.qemu_stat()[19])
        since_boot = time.clock_gettime(time.CLOCK_BOOTTIME) - time.monotonic()
        return ticks / os.sysconf("SC_CLK_TCK") - since_boot

    def stop(self):
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            self.proc.wait()


def bench_boot(workdir, accel):
    """The bench-mode boot: kernel figures, boot time, input latency."""
    # The disk is for the snapshot step: a fresh FAT32 image every run.
    disk = Path(workdir) / "bench-disk.img"
    disk.unlink(missing_ok=True)
    boot = Boot(workdir, ["--gpu", "virtio", "--accel", accel, "--cmdline", "bench",
                          "--disk", str(disk)], 400)
    _, first_frame_s = boot.wait_for(r"display: first frame presented", 120)
    qemu_s = boot.qemu_started() - boot.start
    with qmp.QMP(str(boot.socket), timeout=30) as q:
        # Input latency is recorded during the frame window only.
        boot.wait_for(r"bench: phase=frames", 300)
        rtts = []
        for i in range(100):  # tablet moves, a few frames apart
            t0 = time.monotonic()
            q.send_abs(0x1000 + (i % 50) * 0x200, 0x2000 + (i % 7) * 0x400)
            rtts.append(time.monotonic() - t0)  # QEMU answers once the event is queued
            time.sleep(0.07)
        boot.wait_for(r"bench: done", 300)
    boot.stop()
    results = parse_bench(boot.log())
    results["boot_host"] = {"qemu_start_to_first_frame_ms": (first_frame_s - qemu_s) * 1000,
                            "runner_start_to_first_frame_ms": first_frame_s * 1000}
    rtts.sort()
    results["qmp_input"] = {"p50_ns": rtts[len(rtts) // 2] * 1e9,
                            "p99_ns": rtts[min(len(rtts) - 1, len(rtts) * 99 // 100)] * 1e9}
    return results


def icount_boot(workdir):
    """The ladder and the Context calls again, counting instructions."""
    boot = Boot(workdir, ["--gpu", "virtio", "--accel", "tcg", "--icount",
                          "--cmdline", "bench=ladder"], 400)
    boot.wait_for(r"bench: done", 300)
    boot.stop()
    return {"insn": parse_bench(boot.log())}


def idle_boot(workdir, accel):
    """QEMU's CPU use over 10 s with a static screen (no apps)."""
    boot = Boot(workdir, ["--gpu", "virtio", "--accel", accel, "--cmdline", "apps=none"], 60)
    boot.wait_for(r"frame: frame loop", 60)
    time.sleep(2)
    before, t0 = boot.qemu_cpu_seconds(), time.monotonic()
    time.sleep(10)
    share = (boot.qemu_cpu_seconds() - before) / (time.monotonic() - t0)
    boot.proc.terminate()
    boot.stop()
    return {"idle": {"qemu_cpu_share": share}}


def rows(r, accel):
    """(figure, value, reference, reference value, ratio) for the table."""
    def g(name, key):
        return r.get(name, {}).get(key)

    table = []

    def add(what, value, unit, ref_what, ref, ref_unit):
        ratio = value / ref if value is not None and ref else None
        table.append((what, value, unit, ref_what, ref, ref_unit, ratio))

    def ns(cycles):
        hz = g("clock", "tsc_hz")
        return cycles * 1e9 / hz if cycles is not None and hz else None

    for pct in ("p50", "p99"):
        dispatch = g("app_dispatch", f"{pct}_cycles")
        add(f"app dispatch {pct}", dispatch, "cycles",
            "bare indirect call (kernel)", g("bare_indirect_call", f"{pct}_cycles"), "cycles")
        add(f"app dispatch {pct}", dispatch, "cycles",
            f"host thread round trip, futex {pct}", g("thread_futex_rtt", f"{pct}_cycles"), "cycles")
    add("app dispatch p50", g("app_dispatch", "p50_cycles"), "cycles",
        "host thread round trip, pipe p50", g("thread_pipe_rtt", "p50_cycles"), "cycles")
    add("bare indirect call (kernel) p50", g("bare_indirect_call", "p50_cycles"), "cycles",
        "host rdtsc pair (timing floor) p50", g("host_tsc_overhead", "p50_cycles"), "cycles")
    for source, unit in ((r, "cycles"), (r.get("insn", {}), "insns")):
        for rung, what in LADDER:
            value = source.get(rung, {}).get("p50_cycles")
            add(f"{what} p50", value, unit, "bare indirect call p50",
                source.get("bare_indirect_call", {}).get("p50_cycles"), unit)
        if unit == "insns":  # in cycles, the first rows of the table
            add("app dispatch p50", source.get("app_dispatch", {}).get("p50_cycles"), unit,
                "bare indirect call p50", source.get("bare_indirect_call", {}).get("p50_cycles"),
                unit)
        add("app dispatch, 24 apps > 14 keys p50",
            source.get("app_dispatch_many", {}).get("p50_cycles"), unit,
            "app dispatch, one app p50", source.get("app_dispatch", {}).get("p50_cycles"), unit)
        add("ctx time_ns from ring 3 p50", source.get("ctx_time_ns", {}).get("p50_cycles"), unit,
            "same function from ring 0 p50", source.get("kernel_time_ns", {}).get("p50_cycles"),
            unit)
    evictions = g("key_retag", "evictions")
    add("key re-tag, per eviction", (g("key_retag", "retag_ns") or 0) / evictions
        if evictions else None, "ns", "app dispatch, one app p50",
        ns(g("app_dispatch", "p50_cycles")), "ns")
    add("key re-tag, pages per eviction", (g("key_retag", "pages") or 0) / evictions
        if evictions else None, "pages", "bench_nop image", g("app_overhead", "image_pages"),
        "pages")
    for pct in ("p50", "p99"):
        add(f"ctx calloc+cdalloc {pct}", g("ctx_calloc_cdalloc", f"{pct}_cycles"), "cycles",
            f"same arena, kernel-side {pct}", g("kernel_alloc_free", f"{pct}_cycles"), "cycles")
        add(f"ctx log, null sink {pct}", g("ctx_log_null", f"{pct}_cycles"), "cycles",
            f"kernel log, null sink {pct}", g("kernel_log_null", f"{pct}_cycles"), "cycles")
    add("TLSF alloc/free (host)", g("alloc_tlsf", "median_ops_s"), "ops/s",
        "glibc malloc/free", g("alloc_glibc", "median_ops_s"), "ops/s")
    add("buddy pages (host)", g("alloc_buddy", "median_ops_s"), "ops/s",
        "glibc aligned_alloc pages", g("alloc_glibc_pages", "median_ops_s"), "ops/s")
    for pct in ("p50", "p99"):
        add(f"frame total {pct}", g("frame", f"{pct}_ns"), "ns",
            f"full-frame memcpy {pct}", g("memcpy_frame", f"{pct}_ns"), "ns")
        add(f"frame apps {pct}", g("frame", f"apps_{pct}_ns"), "ns",
            "frame period (60 Hz)", 1e9 / 60, "ns")
        add(f"frame present {pct}", g("frame", f"present_{pct}_ns"), "ns",
            "frame period (60 Hz)", 1e9 / 60, "ns")
        if pct == "p50":
            permille = g("frame", "presented_permille")
            add("screen presented per frame (damage)",
                permille / 10 if permille is not None else None, "%", "the whole screen", 100, "%")
            add("bytes presented per frame, still screen (mean)",
                g("frame_still", "presented_bytes_mean"), "B",
                "the whole screen", g("memcpy_frame", "bytes"), "B")
        for n in (1, 4, 16):
            add(f"frame total {pct}, {n} window{'s' if n > 1 else ''} over the animation",
                g(f"frame_windows{n}", f"{pct}_ns"), "ns",
                f"full-frame memcpy {pct}", g("memcpy_frame", f"{pct}_ns"), "ns")
        add(f"frame total {pct}, still screen", g("frame_still", f"{pct}_ns"), "ns",
            f"full-frame memcpy {pct}", g("memcpy_frame", f"{pct}_ns"), "ns")
        add(f"bytes presented per frame {pct}, still screen",
            g("frame_still", f"presented_bytes_{pct}"), "B",
            "the whole screen", g("memcpy_frame", "bytes"), "B")
        add(f"input latency {pct}", g("input_latency", f"{pct}_ns"), "ns",
            "frame period (60 Hz)", 1e9 / 60, "ns")
        add(f"input latency {pct}", g("input_latency", f"{pct}_frames"), "frames",
            "one frame", 1, "frames")
        add(f"QMP input-send-event to queued {pct} (host)", g("qmp_input", f"{pct}_ns"), "ns",
            f"input latency in the guest {pct}", g("input_latency", f"{pct}_ns"), "ns")
    add("snapshot save, 16 MiB arena", (g("snapshot", "save_ns") or 0) / 1e6 or None, "ms",
        "plain 16 MiB file write + flush", (g("snapshot", "raw_write_ns") or 0) / 1e6 or None, "ms")
    add("first snapshot save (creates the file)", (g("snapshot", "first_save_ns") or 0) / 1e6 or None,
        "ms", "snapshot save in place", (g("snapshot", "save_ns") or 0) / 1e6 or None, "ms")
    add("snapshot restore, 16 MiB arena", (g("snapshot", "restore_ns") or 0) / 1e6 or None, "ms",
        "plain 16 MiB file read", (g("snapshot", "raw_read_ns") or 0) / 1e6 or None, "ms")
    add("snapshot save: longest loop stall", (g("snapshot", "save_stretch_ns") or 0) / 1e6 or None,
        "ms", "frame period (60 Hz)", 1000 / 60, "ms")
    add("snapshot restore: longest loop stall",
        (g("snapshot", "restore_stretch_ns") or 0) / 1e6 or None, "ms",
        "frame period (60 Hz)", 1000 / 60, "ms")
    add("boot: QEMU start to first frame (host)",
        g("boot_host", "qemu_start_to_first_frame_ms"), "ms",
        "kernel entry to first frame (guest)",
        (g("boot_to_first_frame", "ns") or 0) / 1e6 or None, "ms")
    add("boot: QEMU start to first frame (host)",
        g("boot_host", "qemu_start_to_first_frame_ms"), "ms",
        "Linux guest: QEMU start to first user line", g("linux_boot", "host_ms"), "ms")
    add("boot: ./fomos run start to first frame (host)",
        g("boot_host", "runner_start_to_first_frame_ms"), "ms",
        "QEMU start to first frame", g("boot_host", "qemu_start_to_first_frame_ms"), "ms")
    add("boot: kernel entry to first frame (guest)",
        (g("boot_to_first_frame", "ns") or 0) / 1e6 or None, "ms",
        "Linux guest: its uptime at that line", g("linux_boot", "uptime_ms"), "ms")
    add("idle: QEMU CPU share, static screen", g("idle", "qemu_cpu_share"), "cores",
        "one busy core", 1.0, "cores")
    add("kernel text", g("kernel_image", "text"), "bytes", "kernel image (text+rodata+data)",
        sum(g("kernel_image", k) or 0 for k in ("text", "rodata", "data")) or None, "bytes")
    add("kernel heap in use after boot", g("kernel_heap", "used"), "bytes",
        "kernel heap pools", g("kernel_heap", "pool"), "bytes")
    add("per-app overhead (struct app)", g("app_overhead", "struct_bytes"), "bytes",
        "bench_nop image", (g("app_overhead", "image_pages") or 0) * 4096 or None, "bytes")
    return table


# The dispatch ladder (bench/bench_ladder.c), each rung against the bare call.
LADDER = (("guarded_call_ring0", "guarded call, ring 0"),
          ("user_call_ring3", "ring-3 call"),
          ("user_call_pkru", "ring-3 call + PKRU switch"))

# The isolation issue's goals: (what, figure, reference, at most this ratio).
GOALS = (("ring-0 guarded call <= 4x a bare indirect call",
          "guarded_call_ring0", "bare_indirect_call", 4),
         ("ring-3 call with its PKRU switch <= 62x a bare indirect call",
          "user_call_pkru", "bare_indirect_call", 62),
         ("app dispatch (the whole isolated call) <= 62x a bare indirect call",
          "app_dispatch", "bare_indirect_call", 62),
         ("a Context service from ring 3 <= 3x the same call from ring 0",
          "ctx_time_ns", "kernel_time_ns", 3))


def goals(r):
    """[(goal, {unit: (ratio, met)})] in cycles (this run) and instructions."""
    out = []
    for what, figure, ref, limit in GOALS:
        by_unit = {}
        for unit, source in (("cycles", r), ("insns", r.get("insn", {}))):
            v = source.get(figure, {}).get("p50_cycles")
            base = source.get(ref, {}).get("p50_cycles")
            if v is not None and base:
                by_unit[unit] = (v / base, v / base <= limit)
        out.append((what, by_unit))
    return out


def print_goals(found, out):
    print("goals (p50 ratios; cycles are TCG's emulated time, instructions hold on hardware):",
          file=out)
    for what, by_unit in found:
        parts = [f"{unit} {ratio:.2f}x {'met' if met else 'MISSED'}"
                 for unit, (ratio, met) in by_unit.items()] or ["no figures"]
        print(f"  {what}: {', '.join(parts)}", file=out)


def fmt(v):
    if v is None:
        return "-"
    if isinstance(v, float) and v < 10:
        return f"{v:.3f}"
    return f"{v:,.0f}"


def print_table(table, accel, out):
    print(f"Fomos bench — guest under {accel.upper()}, host programs native "
          f"({os.cpu_count()} CPUs); ratio = figure / reference", file=out)
    header = f"{'figure':<40} {'value':>14} {'unit':<7} {'reference':<36} {'value':>14} {'ratio':>8}"
    print(header, file=out)
    print("-" * len(header), file=out)
    for what, v, unit, ref_what, ref, _ref_unit, ratio in table:
        print(f"{what:<40} {fmt(v):>14} {unit:<7} {ref_what:<36} {fmt(ref):>14} "
              f"{(f'{ratio:.2f}' if ratio is not None else '-'):>8}", file=out)


BOOT_LINE = "info  boot: Fomos in C"  # the kernel's first log line


def kvm_works():
    """True if a Fomos guest really boots under KVM here: QEMU accepting
    -accel kvm is not enough (on a nested host the guest can start and
    then print nothing at all), so the kernel's first log line must reach
    the serial port within 20 s."""
    with tempfile.TemporaryDirectory(prefix="fomos-kvm-") as tmp:
        serial = Path(tmp) / "serial.log"
        run = subprocess.Popen([str(ROOT / "fomos"), "run", "--no-build", "--headless", "--accel",
                                "auto", "--seconds", "20", "--serial", str(serial), "--cmdline",
                                "apps=none"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
        booted = False
        while run.poll() is None and not booted:
            time.sleep(0.2)
            booted = serial.exists() and BOOT_LINE in serial.read_text(errors="replace")
        if run.poll() is None:
            os.killpg(run.pid, 15)
        err = run.communicate(timeout=30)[1]
        return booted and "accel: kvm" in err


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--accel", choices=["tcg", "kvm", "auto"], default="auto",
                   help="auto (default): TCG, plus KVM when it works here")
    p.add_argument("--build", default=os.environ.get("BUILD", "build"))
    args = p.parse_args(argv)
    build = (ROOT / args.build) if not os.path.isabs(args.build) else Path(args.build)
    accels = [args.accel] if args.accel != "auto" else ["tcg"] + (["kvm"] if kvm_works() else [])
    if args.accel == "auto" and accels == ["tcg"]:
        print("bench: KVM is not available or does not work here: TCG only")

    host = run_host_programs(build)
    with tempfile.TemporaryDirectory(prefix="fomos-bench-") as tmp:
        host.update(icount_boot(Path(tmp)))
    report = {}
    for accel in accels:
        results = dict(host)
        with tempfile.TemporaryDirectory(prefix="fomos-bench-") as tmp:
            tmp = Path(tmp)
            (tmp / "bench").mkdir()
            (tmp / "idle").mkdir()
            results.update(bench_boot(tmp / "bench", accel))
            (tmp / "linux").mkdir()
            results.update(linux_reference.boot(tmp / "linux", accel))
            results.update(idle_boot(tmp / "idle", accel))
        table = rows(results, accel)
        print_table(table, accel, sys.stdout)
        found = goals(results)
        print_goals(found, sys.stdout)
        print()
        report[accel] = {"results": results,
                         "table": [dict(zip(("figure", "value", "unit", "reference",
                                             "reference_value", "reference_unit", "ratio"), row))
                                   for row in table],
                         "goals": [{"goal": what, **{unit: {"ratio": ratio, "met": met}
                                                     for unit, (ratio, met) in by_unit.items()}}
                                   for what, by_unit in found]}
    out = build / "bench.json"
    out.write_text(json.dumps(report, indent=2))
    print(f"(machine-readable: {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
