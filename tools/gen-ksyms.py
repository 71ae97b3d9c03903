#!/usr/bin/env python3
"""Generate the kernel's own symbol table (build/kernel/ksyms.S).

The kernel symbolizes backtraces with a table of its functions linked into
its .ksyms section. The table comes from a first link of the kernel (nm of
build/kernel.pass1.elf) and is linked into the second. It sits after .text,
so the functions cannot move between the links; --verify proves that by
comparing the functions of both links.

  gen-ksyms.py --empty            an empty table, for the first link
  gen-ksyms.py KERNEL.elf         the table of KERNEL.elf's functions
  gen-ksyms.py --verify A.elf B.elf   fail unless A and B agree on them
"""
import subprocess
import sys


def text_symbols(elf):
    """Sorted (address, name) of every function inside [__text_start, __text_end)."""
    out = subprocess.run(["nm", "-n", "--defined-only", elf], check=True,
                         capture_output=True, text=True).stdout
    symbols = []
    bounds = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        addr, kind, name = int(parts[0], 16), parts[1], parts[2]
        if name in ("__text_start", "__text_end"):
            bounds[name] = addr
        if kind in "tTwW":
            symbols.append((addr, name))
    lo, hi = bounds["__text_start"], bounds["__text_end"]
    seen = set()
    table = []
    for addr, name in symbols:
        if lo <= addr < hi and addr not in seen and not name.startswith("."):
            seen.add(addr)
            table.append((addr, name))
    return table


def emit(table):
    lines = ['\t.section .ksyms, "a"', "\t.balign 8",
             "\t.global ksyms_count, ksyms_addr, ksyms_name_offset, ksyms_names",
             f"ksyms_count:\n\t.quad {len(table)}", "ksyms_addr:"]
    lines += [f"\t.quad {addr:#x}" for addr, _ in table]
    lines.append("ksyms_name_offset:")
    offset = 0
    for _, name in table:
        lines.append(f"\t.long {offset}")
        offset += len(name) + 1
    lines.append("ksyms_names:")
    lines += [f'\t.asciz "{name}"' for _, name in table]
    lines.append('\t.section .note.GNU-stack, "", @progbits')
    return "\n".join(lines) + "\n"


def main(argv):
    if argv[1:] == ["--empty"]:
        sys.stdout.write(emit([]))
        return 0
    if len(argv) == 4 and argv[1] == "--verify":
        if text_symbols(argv[2]) != text_symbols(argv[3]):
            sys.stderr.write("gen-ksyms: functions moved between the two links\n")
            return 1
        return 0
    if len(argv) == 2:
        sys.stdout.write(emit(text_symbols(argv[1])))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
