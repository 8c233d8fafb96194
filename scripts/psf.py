"""Read PC Screen Font files (PSF1 and PSF2, optionally gzip-compressed), as shipped by the
Linux console (kbd) and Debian's console-setup in /usr/share/consolefonts/.

Shared by scripts/psf2c (which turns a font into C for the kernel) and tests/screen/fb_text_check
(which renders the same glyphs to look for them in a screenshot), so both read fonts one way.

Format facts come from the kbd project's documentation of the PSF format (psffontdesc):
- PSF1: 4-byte header: magic 0x36 0x04, a mode byte, a glyph height byte. Glyphs are 8 pixels
  wide, one byte per row. Mode bit 0 = 512 glyphs (else 256); bit 1 or 2 = a Unicode table
  follows, one entry per glyph: 16-bit little-endian code points ending with 0xFFFF, where
  0xFFFE starts combining sequences (which we skip).
- PSF2: 32-byte header of little-endian u32: magic 0x864AB572, version, header size, flags
  (bit 0 = Unicode table), glyph count, bytes per glyph, height, width. Each glyph row takes
  (width + 7) / 8 bytes, most significant bit leftmost. The Unicode table holds one entry per
  glyph: UTF-8 characters ending with byte 0xFF, where 0xFE starts sequences (skipped).
"""

import gzip
import struct

PSF1_MAGIC = b"\x36\x04"
PSF1_MODE_512 = 0x01
PSF1_MODE_HAS_TABLE = 0x02
PSF1_MODE_HAS_SEQUENCES = 0x04
PSF1_TABLE_SEQUENCE = 0xFFFE
PSF1_TABLE_END = 0xFFFF

PSF2_MAGIC = 0x864AB572
PSF2_FLAG_HAS_TABLE = 0x01
PSF2_TABLE_SEQUENCE = 0xFE
PSF2_TABLE_END = 0xFF

# The character drawn for anything the font cannot show: the Unicode replacement character if the
# font has one, else a question mark.
FALLBACK_CODE_POINTS = (0xFFFD, ord("?"))


class PsfError(Exception):
    pass


class Font:
    """A bitmap font: glyphs[i] is bytes_per_row * height bytes, row after row, leftmost pixel in
    the top bit; unicode maps a code point to its glyph index."""

    def __init__(self, width, height, glyphs, unicode):
        self.width = width
        self.height = height
        self.bytes_per_row = (width + 7) // 8
        self.glyphs = glyphs
        self.unicode = unicode

    def glyph_index(self, code_point):
        """The glyph for a code point, or None if the font has none."""
        if self.unicode:
            return self.unicode.get(code_point)
        # Without a Unicode table, PC fonts are laid out in code page order: take ASCII as is.
        if code_point < 0x80 and code_point < len(self.glyphs):
            return code_point
        return None

    def glyph(self, code_point):
        """The bitmap of a code point, falling back to the replacement glyph."""
        index = self.glyph_index(code_point)
        if index is None:
            index = self.fallback_index()
        return self.glyphs[index]

    def fallback_index(self):
        for code_point in FALLBACK_CODE_POINTS:
            index = self.glyph_index(code_point)
            if index is not None:
                return index
        raise PsfError("font has neither U+FFFD nor '?' to use for missing characters")

    def pixel(self, bitmap, x, y):
        """True when pixel (x, y) of a glyph bitmap is set."""
        byte = bitmap[y * self.bytes_per_row + x // 8]
        return bool(byte & (0x80 >> (x % 8)))


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    # gzip files start with 0x1F 0x8B.
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[:2] == PSF1_MAGIC:
        return _parse_psf1(data)
    if len(data) >= 4 and struct.unpack_from("<I", data)[0] == PSF2_MAGIC:
        return _parse_psf2(data)
    raise PsfError(f"{path}: not a PSF1 or PSF2 font")


def _parse_psf1(data):
    if len(data) < 4:
        raise PsfError("truncated PSF1 header")
    mode, height = data[2], data[3]
    count = 512 if mode & PSF1_MODE_512 else 256
    glyphs = _slice_glyphs(data, 4, count, height)
    unicode = {}
    if mode & (PSF1_MODE_HAS_TABLE | PSF1_MODE_HAS_SEQUENCES):
        offset = 4 + count * height
        for index in range(count):
            in_sequence = False
            while True:
                if offset + 2 > len(data):
                    raise PsfError("truncated PSF1 Unicode table")
                (value,) = struct.unpack_from("<H", data, offset)
                offset += 2
                if value == PSF1_TABLE_END:
                    break
                if value == PSF1_TABLE_SEQUENCE:
                    in_sequence = True
                elif not in_sequence:
                    unicode.setdefault(value, index)
    return Font(8, height, glyphs, unicode)


def _parse_psf2(data):
    if len(data) < 32:
        raise PsfError("truncated PSF2 header")
    (_, _, header_size, flags, count, glyph_size, height, width) = struct.unpack_from("<8I", data)
    if glyph_size != (width + 7) // 8 * height:
        raise PsfError(f"PSF2 glyph size {glyph_size} does not match {width}x{height}")
    glyphs = _slice_glyphs(data, header_size, count, glyph_size)
    unicode = {}
    if flags & PSF2_FLAG_HAS_TABLE:
        offset = header_size + count * glyph_size
        for index in range(count):
            end = data.find(bytes([PSF2_TABLE_END]), offset)
            if end < 0:
                raise PsfError("truncated PSF2 Unicode table")
            entry = data[offset:end]
            offset = end + 1
            # Single characters come before the first sequence marker.
            singles = entry.split(bytes([PSF2_TABLE_SEQUENCE]))[0]
            for char in singles.decode("utf-8"):
                unicode.setdefault(ord(char), index)
    return Font(width, height, glyphs, unicode)


def _slice_glyphs(data, start, count, glyph_size):
    end = start + count * glyph_size
    if end > len(data):
        raise PsfError("file shorter than its glyphs")
    return [data[start + i * glyph_size : start + (i + 1) * glyph_size] for i in range(count)]
