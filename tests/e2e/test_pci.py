"""ACPI discovery, PCI enumeration and device interrupts, judged from the
serial log of real boots with a virtio-gpu-pci device (1af4:1050, MSI-X)
on q35:

* SeaBIOS (ACPI 1.0 RSDT) with the in-kernel self-tests, which include a
  real INTx interrupt from the ICH9 SMBus controller through the IOAPIC,
  and MSI-X programming of the virtio-gpu function plus delivery of its
  vector to the attached handler;
* the same with `pci=portio`: enumeration and every self-test again,
  configuration space through ports 0xcf8/0xcfc instead of ECAM;
* OVMF (ACPI 2.0 XSDT), sharing the boot of test_boot.py.
"""

import re

import pytest

SELFTEST = pytest.mark.boot("--gpu", "virtio", "--cmdline", "selftest", "--seconds", "60")
PORTIO = pytest.mark.boot("--gpu", "virtio", "--cmdline", "selftest pci=portio", "--seconds", "60")
# The same arguments as test_boot.py's UEFI virtio-gpu boot: one shared run.
UEFI = pytest.mark.boot("--uefi", "--gpu", "virtio", "--seconds", "10")

FUNCTION = re.compile(r"^pci: ([0-9a-f]{2}:[0-9a-f]{2}\.\d) ([0-9a-f]{4}:[0-9a-f]{4}) (.*)$")


def functions(boot):
    """{"00:01.0": ("1af4:1050", rest of the line)} from the enumeration."""
    found = {}
    for msg in boot.messages():
        m = FUNCTION.match(msg)
        if m:
            found[m[1]] = (m[2], m[3])
    return found


def virtio_gpu(boot):
    found = [(addr, rest) for addr, (ids, rest) in functions(boot).items() if ids == "1af4:1050"]
    assert len(found) == 1, "virtio-gpu-pci not listed exactly once" + boot.describe(80)
    return found[0]


def check_q35_enumeration(boot, mechanism):
    found = functions(boot)
    assert found.get("00:00.0", ("",))[0] == "8086:29c0", "no q35 host bridge" + boot.describe(80)
    assert found.get("00:1f.0", ("",))[0] == "8086:2918", "no ICH9 LPC bridge" + boot.describe(80)
    assert found.get("00:1f.3", ("",))[0] == "8086:2930", "no ICH9 SMBus" + boot.describe(80)
    addr, rest = virtio_gpu(boot)
    assert rest.startswith("display (virtio-gpu) bars:"), rest
    # virtio-pci: the MSI-X table in a 4 KiB BAR 1, the virtio structures in
    # a 64-bit prefetchable BAR 4.
    assert re.search(r"\b1:mem 0x[0-9a-f]+ 4K\b", rest), rest
    assert re.search(r"\b4:mem64 0x[0-9a-f]+ 16K pf\b", rest), rest
    summary = boot.find(r"^pci: (\d+) functions on segment 0 \(config through (\S+)\)")
    assert summary, boot.describe(80)
    assert int(summary[1]) == len(found) and summary[2] == mechanism, summary.string
    return addr


def check_selftests_pass(boot):
    assert boot.returncode == 0, boot.describe(80)
    assert boot.find(r"^selftest: PASS\b"), boot.describe(80)
    for name in ("pci_finds_q35_bridges", "pci_bar_sizes_are_powers_of_two",
                 "pci_capability_walk_terminates", "pci_map_bar_maps_once",
                 "ioapic_programs_entries", "pci_intx_interrupt_arrives",
                 "pci_msix_entry_reaches_handler"):
        assert boot.find(rf"^selftest: ok   {name}$"), f"{name} did not pass" + boot.describe(80)
    assert not boot.find(r"pci_(intx|msix)\w*: .*skipped"), boot.describe(80)


@SELFTEST
def test_acpi_tables_found(boot):
    assert boot.find(r"^acpi: RSDP revision 0\b.*using the RSDT"), boot.describe(80)
    for sig in ("FACP", "APIC", "MCFG"):
        assert boot.find(rf"^acpi: {sig} at 0x[0-9a-f]+, \d+ bytes"), sig + boot.describe(80)
    assert boot.find(r"^acpi: MADT: local APIC at 0xfee00000, 1 CPU\(s\), 1 IOAPIC\(s\)")
    assert boot.find(r"^acpi:   override: bus 0 irq 0 -> gsi 2\b"), boot.describe(80)
    assert boot.find(r"^acpi: MCFG: segment 0 buses 0-255, ECAM at 0xb0000000$")
    assert boot.find(r"^ioapic: IOAPIC 0 at 0xfec00000, version 0x[0-9a-f]+, GSIs 0-23, all masked")


@SELFTEST
def test_enumeration_through_ecam(boot):
    assert boot.find(r"^pci: configuration space through ECAM at 0xb0000000"), boot.describe(80)
    check_q35_enumeration(boot, "ecam")


@SELFTEST
def test_interrupts_only_when_a_driver_asks(boot):
    """Enumeration sets up no interrupts; the self-tests, acting as drivers,
    get MSI-X on the virtio-gpu and INTx on the SMBus controller."""
    messages = boot.messages()
    end = next(i for i, m in enumerate(messages) if re.match(r"pci: \d+ functions", m))
    early = [m for m in messages[:end + 1] if re.search(r"msi|intx", m)]
    assert not early, f"interrupt set-up during enumeration: {early}"
    addr, _ = virtio_gpu(boot)
    assert boot.find(rf"^pci: {re.escape(addr)}: irq msi-x, \d+ of 3 table entries"), boot.describe(80)
    assert boot.find(rf"^pci: {re.escape(addr)}: msi-x entry 0 -> vector \d+$"), boot.describe(80)
    intx = boot.find(r"^pci: 00:1f\.3: irq intx, pin A line (\d+) -> gsi (\d+) \(level, active-(\w+)\)")
    assert intx, boot.describe(80)
    # q35's MADT overrides ISA IRQs 5, 9, 10 and 11 as level, active-high.
    assert intx[1] == intx[2] and intx[3] == "high", intx.string


@SELFTEST
def test_selftests_pass(boot):
    check_selftests_pass(boot)


@PORTIO
def test_port_io_fallback(boot):
    assert boot.find(r"^pci: configuration space through port I/O 0xcf8/0xcfc \(pci=portio\)")
    check_q35_enumeration(boot, "port-io")
    check_selftests_pass(boot)
    assert boot.find(r"pci_ecam_and_port_io_agree: no ECAM in use, skipped"), boot.describe(80)


@UEFI
def test_uefi_xsdt_and_64bit_bar(boot):
    assert boot.returncode == 0, boot.describe(80)
    assert boot.find(r"^acpi: RSDP revision 2\b.*using the XSDT"), boot.describe(80)
    assert boot.find(r"^acpi: MCFG: segment 0 buses 0-255"), boot.describe(80)
    check_q35_enumeration(boot, "ecam")
