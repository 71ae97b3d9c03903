#!/usr/bin/env python3
"""tools/test-summary.py — one verdict for every test that ran.

    python3 tools/test-summary.py [--expect SUITE]... build/results

Reads what the test runners left in the results directory:
  unit-NAME.tap   cmocka TAP from tools/run-unit-tests, ending in a line
                  "# exit-status: N";
  check-NAME.tap  the same shape, from tools/run-checks (the source checks);
  *.xml           JUnit XML from pytest (tools/run-e2e-tests writes e2e.xml).
Prints one line per suite, the name of every failed test, and last exactly
one line "N passed, N failed" (", N skipped" added only when some were). The
exit status is 0 iff nothing failed and at least one test ran.

A unit binary that exits non-zero without reporting a failed test (it
crashed, or a sanitizer stopped it) counts as one failed test, and so does
one that ran fewer tests than its TAP plans announced. `--expect unit` or
`--expect e2e` (or `--expect check`) counts a suite that left no results at all as one failure
(its build failed, so it never ran).
"""

import argparse
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TAP_RESULT = re.compile(r"^(not )?ok\b\s*(\d+)?\s*(.*)$")
TAP_PLAN = re.compile(r"^1\.\.(\d+)")
TAP_EXIT = re.compile(r"^# exit-status: (-?\d+)")


class Suite:
    def __init__(self, kind, name):
        self.kind, self.name = kind, name
        self.passed, self.skipped, self.failed = 0, 0, []

    def line(self):
        text = f"{self.passed} passed, {len(self.failed)} failed"
        if self.skipped:
            text += f", {self.skipped} skipped"
        return f"{self.kind:<5} {self.name:<28} {text}"


def read_tap(path):
    kind, _, name = path.name.partition("-")
    suite = Suite(kind, name.split(".tap")[0])
    planned, seen, status = 0, 0, None
    for line in path.read_text(errors="replace").splitlines():
        line = line.rstrip("\r")
        if m := TAP_PLAN.match(line):
            planned += int(m.group(1))
        elif m := TAP_EXIT.match(line):
            status = int(m.group(1))
        elif m := TAP_RESULT.match(line):
            seen += 1
            rest = m.group(3)
            name = re.sub(r"^-\s*", "", rest.split("#")[0]).strip()
            if re.search(r"#\s*skip\b", rest, re.I):
                suite.skipped += 1
            elif m.group(1):
                suite.failed.append(name or f"test {m.group(2)}")
            else:
                suite.passed += 1
    if status is None:
        suite.failed.append("no exit status recorded (runner interrupted?)")
    elif status != 0 and (not suite.failed or seen < planned):
        suite.failed.append(f"binary exited with status {status} after {seen} of {planned} tests")
    return suite


def read_junit(path):
    suite = Suite(path.stem, path.name)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        suite.failed.append(f"unreadable report: {e}")
        return suite
    for case in root.iter("testcase"):
        name = f"{case.get('classname', '')}::{case.get('name', '')}".strip(":")
        if case.find("failure") is not None or case.find("error") is not None:
            suite.failed.append(name)
        elif case.find("skipped") is not None:
            suite.skipped += 1
        else:
            suite.passed += 1
    return suite


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("results", type=Path)
    p.add_argument("--expect", action="append", default=[], metavar="SUITE",
                   help="'unit', 'check' or a JUnit report's name (e2e); missing = 1 failure")
    args = p.parse_args(argv)

    # A .tap.part is a binary whose run never finished: read it as a failure.
    suites = [read_tap(f) for f in sorted(args.results.glob("check-*.tap"))]
    suites += [read_tap(f) for f in sorted(args.results.glob("unit-*.tap"))]
    suites += [read_tap(f) for f in sorted(args.results.glob("unit-*.tap.part"))]
    suites += [read_junit(f) for f in sorted(args.results.glob("*.xml"))]
    for kind in args.expect:
        if not any(s.kind == kind for s in suites):
            missing = Suite(kind, "(no results)")
            missing.failed.append(f"{kind}: no results (did its build fail?)")
            suites.append(missing)

    for s in suites:
        print(s.line())
    for s in suites:
        for name in s.failed:
            print(f"FAILED {s.kind}/{s.name}: {name}")
    passed = sum(s.passed for s in suites)
    failed = sum(len(s.failed) for s in suites)
    skipped = sum(s.skipped for s in suites)
    final = f"{passed} passed, {failed} failed"
    if skipped:
        final += f", {skipped} skipped"
    print(final, flush=True)
    return 0 if failed == 0 and passed + failed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
