"""Isolation (issue 12): an app reaches neither another app's memory nor the
kernel's, and cannot change its own rights.

One boot runs the default desktop, apps/witness (the first app after the
desktop's three: slot 3, at a known address) and every attacker of
apps/attacks (build/apps/attack_NAME.elf), all passed with --app. The
witness fills its store, a page of its .data and its stack with a pattern
and checks them at every call; the attackers aim at them, at the kernel,
at the CPU's privileged state and at the gates. OUTCOME says what the
kernel must log for each: "app: pid N attack_NAME <what>", or, for code
the loader refuses, "app: attack_NAME: refused: ...". Afterwards the
witness must still report itself intact, the console must answer, and no
panic may have happened. A summary line "isolation: N attacks, N stopped,
..." is printed either way.

The second test runs the same attacks with 40 witnesses at once: more
apps than protection keys, so keys are taken from apps and their pages
re-tagged all the time, and every witness must stay intact.
"""

import re
import shutil
import time

from conftest import PANIC, ROOT, LiveBoot

APPS_DIR = ROOT / "build" / "apps"
SLOT = 64 << 30
WITNESS = 0xffff900000000000 + 3 * SLOT  # apps/attacks/attacks.c
STORE, CALL_PAGE, STACK = WITNESS + (1 << 30), WITNESS + SLOT - 4096, WITNESS + SLOT - 4096 - 64
KERNEL = 0xffffffff80100000
DESKTOP = ("background", "console", "cursor")

PK = r" \(another app's memory: protection key\)$"
GP = r"crashed: General Protection Fault at image\+0x[0-9a-f]+ "
OUTCOME = {  # a regex for what follows "app: pid N attack_NAME "
    "read_image": rf"crashed: Page Fault at .*, reading address {WITNESS:#x}{PK}",
    "read_arena": rf"crashed: Page Fault at .*, reading address {STORE:#x}{PK}",
    "read_stack": rf"crashed: Page Fault at .*, reading address {STACK:#x}{PK}",
    "read_context": rf"crashed: Page Fault at .*, reading address {CALL_PAGE:#x}{PK}",
    "write_arena": rf"crashed: Page Fault at .*, writing address {STORE + 64:#x}{PK}",
    "write_stack": rf"crashed: Page Fault at .*, writing address {STACK:#x}{PK}",
    "write_context": rf"crashed: Page Fault at .*, writing address {CALL_PAGE + 80:#x}{PK}",
    "read_kernel": rf"crashed: Page Fault at .*, reading address {KERNEL:#x}$",
    "cli": GP + r"\(cli/sti: ring 3 may not change the interrupt flag\)",
    "popf_spin": r"aborted: call over its \d+ ms budget",
    "hlt": GP + r"\(hlt: ring 3 may not halt the CPU\)",
    "port_io": GP + r"\(in/out: ring 3 has no I/O ports\)",
    "wrmsr": GP + r"\(wrmsr/rdmsr: ring 3 has no MSRs\)",
    "mov_cr3": GP + r"\(mov to/from a control register: ring 0 only\)",
    "wrpkru": "refused: its code holds WRPKRU at image",
    "xrstor": "refused: its code holds XRSTOR at image",
    "pointer_other": rf"crashed: gave mem_info a pointer outside its memory \({STORE:#x}, ",
    "list_other": rf"crashed: gave app_list a pointer outside its memory \({STORE:#x}, ",
    "stats_other": rf"crashed: gave app_stats a pointer outside its memory \({STORE:#x}, ",
    "job_other": rf"crashed: gave job_poll a pointer outside its memory \({STORE:#x}, ",
    "pointer_kernel": rf"crashed: gave log a pointer outside its memory \({KERNEL:#x}, ",
    "gate_middle": r"crashed: entered the kernel with number 0x5a5a, no gate",
    "forged_arguments": rf"crashed: gave mem_info a pointer outside its memory \({KERNEL:#x}, ",
    "ungiven_gate": r"crashed: called Context field 16 \(offset 128\), which it was not given",
    "forged_header": r"exited$",
    "context_overwrite": rf"crashed: Page Fault at {KERNEL:#x} \(outside its image\), executing",
}
REFUSED_AT_LOAD = ("wrpkru", "xrstor")
# The writing services an app reaches only when granted them (--grant).
GRANTS = {"list_other": "apps", "stats_other": "apps", "job_other": "jobs"}
# forged_header must also have made the kernel refuse its two bad frees.
NOT_A_BLOCK = re.compile(r"^app: pid \d+ attack_forged_header freed 0x[0-9a-f]+, which is not a live block")
END = re.compile(r"(exited|crashed|aborted|stopped|killed)\b")  # how an app's last line begins
WHERE = re.compile(r"^\[pid (\d+) (witness\w*)\] witness: store (0x[0-9a-f]+) data (0x[0-9a-f]+) "
                   r"stack (0x[0-9a-f]+)$")


def attackers(tmp_path):
    elfs = sorted(APPS_DIR.glob("attack_*.elf"))
    names = {p.name[len("attack_"):-len(".elf")] for p in elfs}
    assert names == set(OUTCOME), f"built {sorted(names)}, expected {sorted(OUTCOME)} (make apps)"
    return elfs


def judge(name, pid, msgs):
    """(stopped as expected, what the log says) for attack_NAME."""
    full = f"attack_{name}"
    if name in REFUSED_AT_LOAD:
        line = next((m for m in msgs if m.startswith(f"app: {full}: refused: ")), None)
        said = line[len(f"app: {full}: "):] if line else None
        return said is not None and re.match(OUTCOME[name], said) is not None, said or "not refused"
    if pid is None:
        return False, "never started"
    if not any(m == f"[pid {pid} {full}] {full}: starting" for m in msgs):
        return False, "never logged its starting line"
    end = next((m for m in msgs if m.startswith(f"app: pid {pid} {full} ") and
                END.match(m[len(f"app: pid {pid} {full} "):])), None)
    if end is None:
        return False, "no outcome yet"
    said = end[len(f"app: pid {pid} {full} "):]
    ok = re.match(OUTCOME[name], said) is not None
    if name == "forged_header":
        refusals = sum(1 for m in msgs if NOT_A_BLOCK.match(m))
        ok = ok and refusals == 2
        said += f" ({refusals} forged frees refused)"
    return ok, said


def check_witness_where(msgs):
    """The first witness really is where the attackers aim."""
    where = next((m for m in map(WHERE.match, msgs) if m and m.group(2) == "witness"), None)
    assert where, "the witness never said where its memory is"
    store, data, stack = (int(where.group(i), 16) for i in (3, 4, 5))
    assert store == STORE, f"witness store at {store:#x}, the attacks aim at {STORE:#x}"
    assert WITNESS <= data < WITNESS + (1 << 30), f"witness data at {data:#x}: not in slot 3"
    assert CALL_PAGE - (1 << 20) <= stack < CALL_PAGE, f"witness stack at {stack:#x}: not in slot 3"


def intact_counts(msgs, witnesses):
    """{name: the latest 'intact after N calls' N} and the CORRUPTED lines."""
    latest, corrupted = {}, []
    for m in msgs:
        hit = re.match(r"^\[pid \d+ (witness\w*)\] witness: (intact after (\d+) calls|CORRUPTED.*)$", m)
        if hit and hit.group(1) in witnesses:
            if hit.group(3):
                latest[hit.group(1)] = int(hit.group(3))
            else:
                corrupted.append(m)
    return latest, corrupted


def run_attacks(live, witnesses, timeout=180):
    """Wait for every attack's outcome; returns {name: (ok, said)}."""
    for name in DESKTOP + tuple(witnesses):
        live.wait_alive(rf"^app: started pid \d+ {name}\b", timeout=120)
    live.wait_alive(r"^\[pid \d+ witness\] witness: store ", timeout=60)
    deadline = time.monotonic() + timeout
    while True:
        msgs = live.messages()
        live.check_alive(msgs)
        pids = {}
        for m in msgs:
            hit = re.match(r"^app: started pid (\d+) attack_(\w+) ", m)
            if hit:
                pids[hit.group(2)] = int(hit.group(1))
        verdicts = {name: judge(name, pids.get(name), msgs) for name in OUTCOME}
        if all(ok for ok, _ in verdicts.values()) or time.monotonic() > deadline:
            return verdicts
        time.sleep(0.2)


def witnesses_stay_intact(live, witnesses, timeout=120):
    """Every witness reports intact after a call made after all attacks."""
    before, _ = intact_counts(live.messages(), witnesses)
    deadline = time.monotonic() + timeout
    while True:
        msgs = live.messages()
        live.check_alive(msgs)
        now, corrupted = intact_counts(msgs, witnesses)
        assert not corrupted, "a witness was corrupted:\n" + "\n".join(corrupted)
        late = [w for w in witnesses if now.get(w, 0) <= before.get(w, 0)]
        if not late:
            return now
        assert time.monotonic() < deadline, f"no fresh 'intact' report from {late}"
        time.sleep(0.5)


def summary(verdicts, witnesses, counts, msgs):
    panics = int(any(PANIC.match(m) for m in msgs))
    stopped = sum(ok for ok, _ in verdicts.values())
    lowest = min(counts.values()) if counts else 0
    lines = [f"isolation: {len(verdicts)} attacks, {stopped} stopped, {len(witnesses)} witnesses "
             f"intact after {lowest}+ calls each, {panics} kernel panics"]
    for name in sorted(verdicts):
        ok, said = verdicts[name]
        lines.append(f"  {'ok  ' if ok else 'FAIL'} attack_{name:<20} {said}")
    return "\n".join(lines)


def isolate(tmp_path, capsys, copies):
    witnesses = ["witness"] + [f"witness_{i:02d}" for i in range(2, copies + 1)]
    args = ["--memory", "768M", "--app", str(APPS_DIR / "witness.elf")]
    for name in witnesses[1:]:
        shutil.copy(APPS_DIR / "witness.elf", tmp_path / f"{name}.elf")
        args += ["--app", str(tmp_path / f"{name}.elf")]
    for elf in attackers(tmp_path):
        args += ["--app", str(elf)]
    for name, caps in GRANTS.items():
        args += ["--grant", f"attack_{name}={caps}"]
    verdicts, counts, report = {}, {}, ""
    with LiveBoot(tmp_path, *args, timeout=420) as live:
        try:
            verdicts = run_attacks(live, witnesses)
            check_witness_where(live.messages())
            counts = witnesses_stay_intact(live, witnesses)
            if len(witnesses) + len(DESKTOP) > 14:  # more apps than keys: keys must move
                live.wait_alive(r"^app: more apps than protection keys", timeout=5)
            live.qmp.type_text("echo still alive\n")
            live.wait_alive(r"^\[pid \d+ console\] still alive$", timeout=60)
        finally:
            report = summary(verdicts, witnesses, counts, live.messages())
            with capsys.disabled():
                print("\n" + report)
    assert all(ok for ok, _ in verdicts.values()), f"not stopped as expected:\n{report}"


def test_attacks_are_stopped_and_the_witness_is_intact(tmp_path, capsys):
    isolate(tmp_path, capsys, copies=1)


def test_isolation_holds_with_40_witnesses(tmp_path, capsys):
    isolate(tmp_path, capsys, copies=40)
