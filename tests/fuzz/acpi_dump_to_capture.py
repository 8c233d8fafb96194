#!/usr/bin/env python3
"""Turns the keel.acpi_dump lines of a serial log into one ACPI capture file.

usage: acpi_dump_to_capture.py SERIAL_LOG OUTPUT

Boot keel with keel.acpi_dump on its command line and the serial port logged (on a real PC: a
serial cable and a terminal program that saves to a file; see the README), then run this on the
log. The lines kernel/acpi_dump.c prints ("acpi-dump: table ...", "acpi-dump: 0x... <hex>",
"acpi-dump: end N tables") become the capture format tests/fuzz/acpi_capture.py describes: a
record per table, each a little-endian u64 physical address, a u32 length and the bytes, the
RSDP first. Anything else in the log (boot messages, the screen's carriage returns) is ignored;
a dump that is cut short or garbled is refused, never written half.
"""
import re
import struct
import sys

PREFIX = "acpi-dump: "
TABLE = re.compile(r"table 0x([0-9a-f]+) ([0-9]+) (\S{4})$")
BYTES = re.compile(r"0x([0-9a-f]+) ((?:[0-9a-f]{2})+)$")
END = re.compile(r"end ([0-9]+) tables$")


def fail(line_number, message):
    sys.exit("acpi_dump_to_capture: line %d: %s" % (line_number, message))


def parse(lines):
    records = []  # [address, length, bytearray]
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n").replace("\r", "")
        at = line.find(PREFIX)
        if at < 0:
            continue
        body = line[at + len(PREFIX):]
        match = TABLE.match(body)
        if match:
            if records and len(records[-1][2]) != records[-1][1]:
                fail(number, "the table before this one is cut short")
            records.append([int(match.group(1), 16), int(match.group(2)), bytearray()])
            continue
        match = BYTES.match(body)
        if match:
            if not records:
                fail(number, "bytes before any table line")
            address, length, data = records[-1]
            if int(match.group(1), 16) != address + len(data):
                fail(number, "bytes at 0x%s, expected 0x%x" % (match.group(1), address + len(data)))
            data += bytes.fromhex(match.group(2))
            if len(data) > length:
                fail(number, "more bytes than the table's length %d" % length)
            continue
        match = END.match(body)
        if match:
            if records and len(records[-1][2]) != records[-1][1]:
                fail(number, "the last table is cut short")
            if int(match.group(1)) != len(records):
                fail(number, "the end line counts %s tables, the log holds %d"
                     % (match.group(1), len(records)))
            if not records or records[0][2][:8] != b"RSD PTR ":
                fail(number, "the dump does not start with an RSDP")
            return records
        # "not mapped" and "header only" notes: said, and the capture goes on without them.
        print("acpi_dump_to_capture: %s" % body, file=sys.stderr)
    sys.exit("acpi_dump_to_capture: no \"acpi-dump: end\" line: the dump is incomplete or absent")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip())
    with open(sys.argv[1], encoding="ascii", errors="replace") as log:
        records = parse(log)
    with open(sys.argv[2], "wb") as out:
        for address, _, data in records:
            out.write(struct.pack("<QI", address, len(data)))
            out.write(data)
    names = " ".join(data[:4].decode("ascii", "replace") for _, _, data in records)
    print("%s: %s" % (sys.argv[2], names))


if __name__ == "__main__":
    main()
