#!/usr/bin/env python3
"""Copies a running machine's ACPI tables out through the QEMU monitor, into one capture file.

usage: acpi_capture.py MONITOR_SOCKET RSDP_ADDRESS OUTPUT

RSDP_ADDRESS is where the RSDP (or keel's copy of it, in the boot information) lies. The walk
follows the firmware's pointers, not keel's parser: the RSDP, the RSDT and the XSDT, and every
table either of them lists (the DSDT and FACS, reached only through the FADT, are left out).

The capture format (read by tests/host/acpi_fake_memory.c and the fuzzer) is a sequence of
records, each a little-endian u64 physical address, a u32 length and that many bytes; the
first record is the RSDP.
"""
import os
import socket
import struct
import sys
import tempfile

PROMPT = b"(qemu) "
SDT_HEADER = 36
# A table longer than this is taken to be a broken pointer rather than something to copy.
MAX_TABLE = 1 << 20


class Monitor:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(20)
        self.sock.connect(path)
        self._until_prompt()
        self.scratch = tempfile.mkdtemp()

    def _until_prompt(self):
        data = b""
        while not data.endswith(PROMPT):
            chunk = self.sock.recv(4096)
            if not chunk:
                raise SystemExit("acpi_capture: the monitor closed the connection")
            data += chunk
        return data

    def read(self, address, length):
        path = os.path.join(self.scratch, "chunk")
        if os.path.exists(path):
            os.unlink(path)
        self.sock.sendall(b'pmemsave %d %d "%s"\n' % (address, length, path.encode()))
        self._until_prompt()
        with open(path, "rb") as f:
            data = f.read()
        if len(data) != length:
            raise SystemExit("acpi_capture: pmemsave gave %d of %d bytes at 0x%x"
                             % (len(data), length, address))
        return data


def read_table(monitor, address):
    header = monitor.read(address, SDT_HEADER)
    length = struct.unpack_from("<I", header, 4)[0]
    if length < SDT_HEADER or length > MAX_TABLE:
        print("acpi_capture: %r at 0x%x has length %d, copied the header only"
              % (header[:4], address, length), file=sys.stderr)
        return header
    return monitor.read(address, length)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip())
    monitor = Monitor(sys.argv[1])
    rsdp_address = int(sys.argv[2], 0)
    rsdp = monitor.read(rsdp_address, 20)
    if rsdp[:8] != b"RSD PTR ":
        sys.exit("acpi_capture: no RSDP signature at 0x%x" % rsdp_address)
    if rsdp[15] >= 2:
        rsdp = monitor.read(rsdp_address, 36)
        length = struct.unpack_from("<I", rsdp, 20)[0]
        if 36 < length <= 4096:
            rsdp = monitor.read(rsdp_address, length)
    records = [(rsdp_address, rsdp)]
    roots = []
    rsdt = struct.unpack_from("<I", rsdp, 16)[0]
    if rsdt:
        roots.append((rsdt, 4))
    if rsdp[15] >= 2:
        xsdt = struct.unpack_from("<Q", rsdp, 24)[0]
        if xsdt:
            roots.append((xsdt, 8))
    seen = {rsdp_address}
    for address, entry_size in roots:
        if address in seen:
            continue
        seen.add(address)
        root = read_table(monitor, address)
        records.append((address, root))
        for offset in range(SDT_HEADER, len(root) - entry_size + 1, entry_size):
            entry = int.from_bytes(root[offset:offset + entry_size], "little")
            if entry and entry not in seen:
                seen.add(entry)
                records.append((entry, read_table(monitor, entry)))
    with open(sys.argv[3], "wb") as out:
        for address, data in records:
            out.write(struct.pack("<QI", address, len(data)))
            out.write(data)
    names = " ".join(data[:4].decode("ascii", "replace") for _, data in records)
    print("%s: %s" % (sys.argv[3], names))


if __name__ == "__main__":
    main()
