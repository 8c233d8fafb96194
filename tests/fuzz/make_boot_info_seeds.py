#!/usr/bin/env python3
"""Write well-formed Multiboot2 boot information structures as seeds for fuzz_boot_info.

Layouts follow the Multiboot2 spec section 3.6 (with GRUB's two reserved bytes in the framebuffer
tag). Run from anywhere; the seeds go to tests/fuzz/corpus/boot_info/ next to this script.
"""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "boot_info")


def tag(tag_type, payload=b""):
    """One tag: u32 type, u32 size (header included, padding excluded), payload, pad to 8."""
    body = struct.pack("<II", tag_type, 8 + len(payload)) + payload
    return body + b"\0" * (-len(body) % 8)


def mbi(*tags):
    """The fixed part, the tags, and the end tag; total_size covers all of it."""
    body = b"".join(tags) + tag(0)
    return struct.pack("<II", 8 + len(body), 0) + body


def string(tag_type, text):
    return tag(tag_type, text.encode() + b"\0")


def module(start, end, name):
    return tag(3, struct.pack("<II", start, end) + name.encode() + b"\0")


def mmap(entries, entry_size=24):
    payload = struct.pack("<II", entry_size, 0)
    for base, length, kind in entries:
        entry = struct.pack("<QQII", base, length, kind, 0)
        payload += entry + b"\0" * (entry_size - len(entry))
    return tag(6, payload)


def framebuffer(addr, pitch, width, height, bpp, fb_type, colour=b""):
    return tag(8, struct.pack("<QIIIBBH", addr, pitch, width, height, bpp, fb_type, 0) + colour)


def with_checksum(data, at, length):
    data = bytearray(data)
    data[at] = 0
    data[at] = (-sum(data[:length])) & 0xFF
    return bytes(data)


def rsdp(revision):
    """ACPI RSDP: 20 bytes for revision 0, 36 for 2 and later, checksums filled in."""
    v1 = b"RSD PTR " + b"\0" + b"KEELOS" + bytes([revision]) + struct.pack("<I", 0x7FE14C2)
    v1 = with_checksum(v1, 8, 20)
    if revision < 2:
        return v1
    v2 = v1 + struct.pack("<IQ", 36, 0x7FE1500) + b"\0" * 4
    return with_checksum(v2, 32, 36)


PC_MAP = [
    (0x0, 0x9FC00, 1),
    (0x9FC00, 0x400, 2),
    (0xF0000, 0x10000, 2),
    (0x100000, 0x7EE0000, 1),
    (0x7FE0000, 0x20000, 3),
    (0xFFFC0000, 0x40000, 2),
]

SEEDS = {
    "minimal.bin": mbi(),
    "bios_grub.bin": mbi(
        string(1, "console=serial"),
        string(2, "GRUB 2.06-13"),
        module(0x200000, 0x2A3000, "/boot/initrd"),
        tag(4, struct.pack("<II", 639, 129920)),
        tag(5, struct.pack("<III", 0xE0, 0xFFFFFFFF, 0xFFFFFFFF)),
        mmap(PC_MAP),
        framebuffer(0xB8000, 160, 80, 25, 16, 2),
        tag(9, struct.pack("<III", 2, 64, 1) + b"\0" * 128),
        tag(14, rsdp(0)),
        tag(21, struct.pack("<I", 0x100000)),
    ),
    "uefi_grub.bin": mbi(
        string(1, ""),
        string(2, "GRUB 2.12"),
        tag(4, struct.pack("<II", 640, 2096128)),
        mmap(PC_MAP),
        framebuffer(0x80000000, 5120, 1280, 800, 32, 1, bytes([16, 8, 8, 8, 0, 8])),
        tag(12, struct.pack("<Q", 0x7F9E018)),
        tag(14, rsdp(2)[:20]),
        tag(15, rsdp(2)),
        tag(17, struct.pack("<II", 48, 1) + b"\0" * 48 * 4),
        tag(21, struct.pack("<I", 0x100000)),
    ),
    "indexed_fb.bin": mbi(
        framebuffer(0xA0000, 320, 320, 200, 8, 0, struct.pack("<H", 16) + bytes(range(48))),
        mmap(PC_MAP, entry_size=32),
    ),
    "modules.bin": mbi(
        *[module(0x400000 + i * 0x1000, 0x400800 + i * 0x1000, "mod%d" % i) for i in range(16)]
    ),
}

os.makedirs(OUT, exist_ok=True)
for name, data in SEEDS.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
