"""Containment (issue 5): a hostile app cannot take the system down.

One boot runs the default desktop (background, console, cursor) and every
hostile app at once: each build/apps/hostile_NAME.elf (apps/hostile_NAME/
main.c, not in apps/boot.manifest) is passed with --app, so the runner
appends it to the boot manifest. Every hostile app logs
"hostile_NAME: starting" first, then does its one wrong thing; OUTCOME
below says what the kernel must log about it ("app: pid N NAME <what>"),
the contract the kernel's containment has to meet:

  faults (NULL read, write to kernel code, wild jump, divide by zero, ud2,
  stack overflow, a corrupted store/context)  ->  "crashed: <reason>"
  an endless first call                        ->  "aborted" (time budget)
  an undefined return value                    ->  "stopped: returned
                                                   unknown value 0x7eadbeef"
  the allocation bomb                          ->  nothing: calloc returns
                                                   NULL at its quota, it logs
                                                   "got N MiB before NULL"
                                                   and keeps running

and afterwards: no "panic:" line, the desktop apps were never stopped, the
background still animates (two screenshots a second apart differ in
thousands of pixels of the ribbons' band below the console), the console still answers (`echo`, `ps` lists the bomb) and
can still start an app that allocates (`run hello`: the bomb left memory
for others). A summary line "N hostile, N contained, 0 kernel panics" is
printed either way.

Waits are generous (TCG on a loaded host) but every one gives up at once
on a panic or when QEMU is gone, so a kernel without containment fails
fast.
"""

import re
import time

from conftest import ANIMATES, PANIC, RIBBON_ROWS, ROOT, LiveBoot, changed_pixels

APPS_DIR = ROOT / "build" / "apps"

# What "app: pid N NAME ..." must say for each hostile app (a regex matched
# at the start of what follows the name), or None: it must keep running.
OUTCOME = {
    "hostile_alloc_bomb": None,
    "hostile_bad_pointer": r"crashed: gave log a pointer outside its memory",  # a service meets it
    "hostile_clipboard_snoop": None,  # refused, not stopped: being refused is no crash
    "hostile_divide": r"crashed",  # Divide Error
    "hostile_garbage_return": r"stopped: returned unknown value 0x7eadbeef",
    "hostile_kernel_write": r"crashed: Page Fault .* writing address 0xffff800000100000",
    "hostile_loop": r"aborted",  # over its time budget
    "hostile_null": r"crashed",  # Page Fault, read at 0
    "hostile_recursion": r"crashed: stack overflow",  # the gap below the app's stack
    "hostile_store_corrupt": r"crashed",  # Page Fault through the garbage it stored
    "hostile_ud2": r"crashed",  # Invalid Opcode
    "hostile_wild_jump": r"crashed",  # Page Fault, instruction fetch at 0x123456789
}
BOMB = re.compile(r"^\[pid \d+ hostile_alloc_bomb\] alloc bomb: got (\d+) MiB before NULL$")
DESKTOP = ("background", "console", "cursor")


def hostile_elfs():
    elfs = sorted(APPS_DIR.glob("hostile_*.elf"))
    names = {p.name[:-len(".elf")] for p in elfs}
    missing, unknown = sorted(set(OUTCOME) - names), sorted(names - set(OUTCOME))
    assert not missing, f"not built: {missing} (make apps)"
    assert not unknown, f"no expected outcome for {unknown}: add it to OUTCOME"
    return elfs


def judge(name, pid, msgs):
    """(contained, what the log says) for one hostile app, from `msgs`."""
    ran = any(re.match(rf"^\[pid {pid} {name}\] {name}: starting$", m) for m in msgs)
    end = next((m for m in msgs if m.startswith(f"app: pid {pid} {name} ")), None)
    said = end[len(f"app: pid {pid} {name} "):] if end else None
    if not ran:
        return False, "never logged its starting line"
    if OUTCOME[name] is None:
        got = next((m for m in msgs if BOMB.match(m)), None)
        if said is not None:
            return False, f"stopped: {said!r}"
        return got is not None, got or "no 'got N MiB before NULL' yet"
    if said is None:
        return False, "no outcome yet"
    return re.match(OUTCOME[name], said) is not None, said


def wait_outcomes(live, pids, timeout=90):
    """Wait until every hostile app has its expected outcome (or `timeout`);
    returns {name: (contained, what the log says)}."""
    deadline = time.monotonic() + timeout
    while True:
        msgs = live.messages()
        live.check_alive(msgs)
        verdicts = {name: judge(name, pid, msgs) for name, pid in pids.items()}
        if all(ok for ok, _ in verdicts.values()) or time.monotonic() > deadline:
            return verdicts
        time.sleep(0.2)


def check_system_lives(live, bomb_pid):
    """The desktop outlived the hostile apps: it animates, and the shell
    answers, lists the bomb and can start an app that allocates."""
    _, _, a = live.screenshot("after-a.ppm")
    time.sleep(1)
    _, _, b = live.screenshot("after-b.ppm")
    moved = changed_pixels(a, b, *RIBBON_ROWS)
    assert moved >= ANIMATES, \
        f"the ribbons' band changed {moved} pixels in a second: frames stopped?"
    live.qmp.type_text("echo still alive\n")
    live.wait_alive(r"^\[pid \d+ console\] still alive$", timeout=30)
    live.qmp.type_text("ps\n")
    live.wait_alive(rf"^\[pid \d+ console\]\s*{bomb_pid}\s+hostile_alloc_bo", timeout=30)
    live.qmp.type_text("run hello\n")
    pid = live.wait_alive(r"^app: started pid (\d+) hello\b", timeout=30).group(1)
    live.wait_alive(rf"^\[pid {pid} hello\] hello from C", timeout=30)
    msgs = live.messages()
    live.check_alive(msgs)
    stopped = [m for m in msgs if re.match(rf"^app: pid \d+ ({'|'.join(DESKTOP)}) ", m)]
    assert not stopped, f"a desktop app was stopped: {stopped}"


def summary(verdicts, pids, panics):
    lines = [f"containment: {len(pids)} hostile, {sum(ok for ok, _ in verdicts.values())} "
             f"contained, {panics} kernel panics"]
    for name in sorted(pids):
        ok, said = verdicts.get(name, (False, "not judged"))
        lines.append(f"  {'ok  ' if ok else 'FAIL'} {name:<24} pid {pids[name]}: {said}")
    return "\n".join(lines)


def test_hostile_apps_are_contained(tmp_path, capsys):
    elfs = hostile_elfs()
    args = ["--gpu", "virtio", "--memory", "512M"]
    for elf in elfs:
        args += ["--app", str(elf)]
    pids, verdicts, report = {}, {}, ""
    with LiveBoot(tmp_path, *args, timeout=300) as live:
        try:
            for name in DESKTOP:
                live.wait_alive(rf"^app: started pid \d+ {name}\b", timeout=90)
            for name in sorted(OUTCOME):
                pids[name] = int(live.wait_alive(rf"^app: started pid (\d+) {name}\b").group(1))
            live.wait_alive(r"^gpu: .* scanout 0 shows our", timeout=90)
            verdicts = wait_outcomes(live, pids)
            report = summary(verdicts, pids, 0)
            assert all(ok for ok, _ in verdicts.values()), f"not contained:\n{report}"
            bomb = BOMB.match(next(m for m in live.messages() if BOMB.match(m)))
            # the default quota is a quarter of the RAM the kernel manages (< 128 MiB here)
            assert 1 <= int(bomb.group(1)) <= 128, f"the quota let the bomb have {bomb.group(1)} MiB"
            check_system_lives(live, pids["hostile_alloc_bomb"])
        finally:
            msgs = live.messages()
            panics = int(any(PANIC.match(m) for m in msgs))  # a panic halts: one at most
            if pids and not verdicts:
                verdicts = {name: judge(name, pid, msgs) for name, pid in pids.items()}
            report = summary(verdicts, pids or {n: "?" for n in OUTCOME}, panics)
            with capsys.disabled():
                print("\n" + report)
