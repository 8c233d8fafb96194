#!/usr/bin/env python3
"""Tests for the screen checkers and the font converter, on screens made up for the purpose: the
kernel's own framebuffer console renders them (through tests/screen/render_fb.c), so a pass also
shows the checker and the kernel agree on font, scale and layout.

Run from anywhere: python3 tests/screen/test_screen_tools.py  (CC picks the compiler, default cc;
FONT_FILE the font, default Debian's Uni2-Terminus16).
"""

import gzip
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FB_TEXT_CHECK = os.path.join(REPO, "tests", "screen", "fb_text_check")
VGA_TEXT_CHECK = os.path.join(REPO, "tests", "screen", "vga_text_check")
PSF2C = os.path.join(REPO, "scripts", "psf2c")
FONT_FILE = os.environ.get("FONT_FILE", "/usr/share/consolefonts/Uni2-Terminus16.psf.gz")
BIG_FONT_FILE = "/usr/share/consolefonts/Uni2-Terminus32x16.psf.gz"
CC = os.environ.get("CC", "cc")


def run(*args):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True)


def build_renderer(directory, font_file):
    """Compiles render_fb.c with the kernel's console and a font converted by psf2c."""
    font_c = os.path.join(directory, "font.c")
    subprocess.run([sys.executable, PSF2C, font_file, "-o", font_c], check=True)
    program = os.path.join(directory, "render_fb")
    sources = ["tests/screen/render_fb.c", "kernel/fb_console.c", "kernel/string.c", font_c]
    flags = ["-std=c11", "-O1", "-Wall", "-Wextra", "-Werror", "-I.", "-DKEEL_HOST_TEST"]
    flags += ["-include", "tests/host/host_names.h"]
    subprocess.run([CC, *flags, *sources, "-o", program], check=True, cwd=REPO)
    return program


class FramebufferCheck(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="keel-screen-")
        cls.render_fb = build_renderer(cls.dir, FONT_FILE)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def screen(self, width, height, fmt, text, *colour, renderer=None):
        path = os.path.join(self.dir, f"{width}x{height}-{fmt}.ppm")
        program = renderer or self.render_fb
        subprocess.run([program, str(width), str(height), fmt, path, text, *colour], check=True)
        return path

    def check(self, screen, text, *options, font=FONT_FILE):
        return run(FB_TEXT_CHECK, screen, font, text, *options)

    def assert_found(self, screen, text, *options, **kwargs):
        result = self.check(screen, text, *options, **kwargs)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return result.stdout

    def assert_not_found(self, screen, text, *options, **kwargs):
        result = self.check(screen, text, *options, **kwargs)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("not found", result.stdout)

    def test_lines_at_1024x768(self):
        screen = self.screen(1024, 768, "xrgb8888", "keel: boot ok\nframebuffer console")
        self.assertIn("column 0, row 0", self.assert_found(screen, "keel: boot ok"))
        self.assertIn("column 0, row 1", self.assert_found(screen, "framebuffer console"))
        self.assertIn("column 5, row 0", self.assert_found(screen, " boot"))
        self.assert_not_found(screen, "keel: boot ko")
        self.assert_not_found(screen, "framebuffer consolE")

    def test_4k_uses_the_kernels_scale(self):
        screen = self.screen(3840, 2160, "bgr888", "\thello at 4K")
        self.assertIn("column 8, row 0", self.assert_found(screen, "hello at 4K"))
        self.assertIn("scale 2", self.assert_found(screen, "hello"))
        self.assert_not_found(screen, "hello at 4K", "--scale", "1")

    def test_16_bpp_in_colour(self):
        screen = self.screen(800, 600, "rgb565", "yellow text", "14")
        self.assert_found(screen, "yellow text")
        self.assert_not_found(screen, "yellow  text")

    def test_scrolled_screen(self):
        lines = "\n".join(f"line {n}" for n in range(40))
        screen = self.screen(640, 480, "xbgr8888", lines)
        # 480 / 16 = 30 rows: lines 10 to 39 remain, line 39 on the last row.
        self.assertIn("row 29", self.assert_found(screen, "line 39"))
        self.assertIn("row 0", self.assert_found(screen, "line 10"))
        self.assert_not_found(screen, "line 9")

    def test_wide_font(self):
        renderer = build_renderer(self.dir, BIG_FONT_FILE)
        screen = self.screen(1920, 1080, "xrgb8888", "16x32 glyphs", renderer=renderer)
        self.assert_found(screen, "16x32 glyphs", font=BIG_FONT_FILE)
        # The same words in the 8x16 font are not what is on the screen.
        self.assert_not_found(screen, "16x32 glyphs", font=FONT_FILE)

    def test_unreadable_input(self):
        bogus = os.path.join(self.dir, "bogus.ppm")
        with open(bogus, "wb") as f:
            f.write(b"P3\n2 2\n255\n0 0 0 0 0 0 0 0 0 0 0 0\n")
        result = self.check(bogus, "x")
        self.assertEqual(result.returncode, 2)
        self.assertIn("not a binary PPM", result.stderr)


class VgaCheck(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="keel-vga-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def dump(self, rows, size=4000):
        """A text buffer with these rows (index -> text), grey on black (attribute 0x07)."""
        cells = bytearray(b" \x07" * 2000)
        for row, text in rows.items():
            for column, char in enumerate(text.encode("ascii")):
                cells[2 * (80 * row + column)] = char
        path = os.path.join(self.dir, "vga.bin")
        with open(path, "wb") as f:
            f.write(bytes(cells[:size]))
        return path

    def test_found_and_not_found(self):
        dump = self.dump({0: "keel 0.1", 2: "memory: 127 MiB free", 24: "last row"})
        self.assertEqual(run(VGA_TEXT_CHECK, dump, "127 MiB").returncode, 0)
        self.assertEqual(run(VGA_TEXT_CHECK, dump, "last row").returncode, 0)
        self.assertEqual(run(VGA_TEXT_CHECK, dump, "127 MiB", "--row", "2").returncode, 0)
        missing = run(VGA_TEXT_CHECK, dump, "panic")
        self.assertEqual(missing.returncode, 1)
        self.assertIn(" 2 |memory: 127 MiB free", missing.stdout)
        self.assertEqual(run(VGA_TEXT_CHECK, dump, "127 MiB", "--row", "3").returncode, 1)

    def test_text_does_not_span_rows(self):
        dump = self.dump({0: " " * 76 + "keel", 1: "boot"})
        self.assertEqual(run(VGA_TEXT_CHECK, dump, "keelboot").returncode, 1)

    def test_short_dump(self):
        self.assertEqual(run(VGA_TEXT_CHECK, self.dump({}, size=3999), "x").returncode, 2)


def psf1(glyphs, table=None):
    """A PSF1 font of 256 8-pixel-wide glyphs (height from the first one)."""
    mode = 0x02 if table else 0
    data = bytes([0x36, 0x04, mode, len(glyphs[0])]) + b"".join(glyphs)
    if table:
        for code_points in table:
            data += b"".join(struct.pack("<H", c) for c in code_points) + b"\xff\xff"
    return data


def psf2(glyphs, width, height, table=None):
    header = struct.pack("<8I", 0x864AB572, 0, 32, 1 if table else 0, len(glyphs),
                         len(glyphs[0]), height, width)
    data = header + b"".join(glyphs)
    if table:
        for chars in table:
            data += chars.encode("utf-8") + b"\xff"
    return data


class Psf2c(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="keel-psf-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def convert(self, data, compress=False):
        font = os.path.join(self.dir, "font.psf.gz" if compress else "font.psf")
        with open(font, "wb") as f:
            f.write(gzip.compress(data) if compress else data)
        out = os.path.join(self.dir, "font.c")
        result = run(PSF2C, font, "-o", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(out) as f:
            return f.read()

    def test_psf1_without_table_uses_code_page_order(self):
        # Glyph i is 4 rows of the byte i.
        glyphs = [bytes([i]) * 4 for i in range(256)]
        c = self.convert(psf1(glyphs), compress=True)
        self.assertIn("/* 0x41 'A' */\n" + "    0x41, /* .#.....# */\n" * 4, c)
        self.assertIn(".height = 4,", c)
        # No U+FFFD without a table: '?' (0x3f) stands in for other bytes.
        self.assertIn("/* fallback, for every other byte */\n    0x3f,", c)

    def test_psf1_table_picks_glyphs_by_code_point(self):
        glyphs = [bytes([i]) * 2 for i in range(256)]
        # Glyph 7 is 'A' (and, in a sequence, 'B' which must be ignored); glyph 9 is U+FFFD.
        table = [[] for _ in range(256)]
        table[7] = [0x41, 0xFFFE, 0x42, 0x301]
        table[9] = [0xFFFD]
        c = self.convert(psf1(glyphs, table))
        self.assertIn("/* 0x41 'A' */\n    0x07,", c)
        self.assertIn("/* fallback, for every other byte */\n    0x09,", c)

    def test_psf2_wide_glyphs_with_table(self):
        # 12 pixels wide: 2 bytes per row; glyph i has rows (i, 0xf0).
        glyphs = [bytes([i, 0xF0]) * 3 for i in range(128)]
        table = [""] * 128
        table[100] = "Aa"
        table[101] = "?"
        c = self.convert(psf2(glyphs, 12, 3, table))
        self.assertIn("/* 0x41 'A' */\n    0x64, 0xf0, /* .##..#..#### */", c)
        self.assertIn("/* 0x61 'a' */\n    0x64, 0xf0,", c)
        self.assertIn(".bytes_per_row = 2,", c)
        self.assertIn("/* fallback, for every other byte */\n    0x65, 0xf0,", c)

    def test_rejects_other_files(self):
        bogus = os.path.join(self.dir, "bogus.psf")
        with open(bogus, "wb") as f:
            f.write(b"not a font at all")
        result = run(PSF2C, bogus, "-o", os.path.join(self.dir, "out.c"))
        self.assertNotEqual(result.returncode, 0)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "out.c")))


if __name__ == "__main__":
    unittest.main()
