"""PNG written and read here: the encoder drawings are stored with (the pixels, their size
and nothing else), and a reader for the plain PNGs the drawing page sends.

Deflating was half the CPU of storing a drawing (see ``drawings``). It is done by zlib-ng
(the ``zlib-ng`` package: zlib's Python API over zlib-ng 2.3.3, with SIMD), at level 1.
On the bench's 2048x1536 canvases (strokes on white; the transparent one RGBA), CPU ms,
medians of 9 alternating runs, 2026-11-27, the shared 2-core development machine at load
average 1.8 (another session's server busy on one core), file size beside it:

=========================  =============  ================  ================
encoder                    opaque RGB     transparent RGBA  page-like RGB
=========================  =============  ================  ================
stock zlib 3 (until now)   35  418 KiB    38  501 KiB       42  727 KiB
zlib-ng 1 (kept)           12  648 KiB    14  744 KiB       16  889 KiB
zlib-ng 2                  16  524 KiB    19  602 KiB       22  810 KiB
zlib-ng 3                  27  444 KiB    31  507 KiB       34  733 KiB
Pillow, level 1            99  518 KiB    133 630 KiB       125 1041 KiB
Pillow, level 2            97  511 KiB    130 619 KiB       124 1034 KiB
=========================  =============  ================  ================

zlib-ng 1 is its "quick" deflate (fixed Huffman codes): a third of the time for files
1.2-1.55 times as large; level 2 saves a little less time for files 1.1-1.25 times as
large. Time counts for more than size here (issue 15); a canvas as the page sends it is
still stored smaller (889 KiB) than it was uploaded (1,112 KiB) or than Pillow would
write it. Pillow (``compress_level`` 1 or 2, ``optimize=False``) takes 8-9.5 times as
long as ours: it tries every filter on every row, and its wheel, though built against
zlib-ng's headers, deflates with the system's ``libz.so.1`` (stock zlib 1.2.13 here:
``PIL.features.version("zlib")``), so it gained nothing from zlib-ng either.

The lower half of the rows used to be deflated on a second thread (one zlib stream from
two compressors joined by a sync flush, as pigz does). With zlib-ng the whole deflate
(12-16 ms) is no longer than the preview made alongside it (9-24 ms, ``drawings``), so a
third thread has little to share on 2 cores. Whole drawings with it and without, two
sittings of 12 and 15 alternating runs, median wall ms without/with: opaque RGB 63/62 and
82/76, opaque RGBA 82/82 and 93/90, page-like 68/65 and 74/73, transparent 98/126 and
111/130: no steady gain, and a clear loss where the preview is the longer job. It was
removed, and with it the Adler-32 sums kept per row in Python: the rows are joined once
and deflated in one call, which lets zlib-ng checksum them itself.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np
from PIL import Image
from zlib_ng import zlib_ng

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: zlib-ng's level 1: a third of stock zlib 3's time, for files 1.2-1.55 times as large
#: (the table above).
COMPRESS_LEVEL = 1
_CHANNELS = {"RGB": 3, "RGBA": 4}


def encode_png(mode: str, width: int, height: int, pixels: bytes) -> bytes:
    """A PNG holding exactly the IHDR, IDAT and IEND chunks: pixels and nothing else.

    Written here rather than by Pillow for speed: Pillow tries the none, sub, up and Paeth
    filters on every row to keep the best, and has no setting to stop it (figures in the
    module docstring). Every row is stored unfiltered (filter byte 0): drawings are flat
    colour, which deflate compresses well as it is. The rows are joined with their filter
    bytes and deflated in one call, so zlib-ng computes the Adler-32 itself (with SIMD)
    and no Python runs per row but the join.
    """
    stride = width * _CHANNELS[mode]
    rows = memoryview(pixels)
    # b"\x00".join([b"", row, row, ...]) puts the filter byte 0 before every row.
    filtered = b"\x00".join(
        [b"", *(rows[top : top + stride] for top in range(0, height * stride, stride))]
    )
    return encode_unfiltered_rows(mode, width, height, filtered)


def encode_unfiltered_rows(mode: str, width: int, height: int, rows: bytes | np.ndarray) -> bytes:
    """``encode_png`` for pixels already laid out as PNG rows, each led by filter byte 0
    (what ``read_plain_png`` gives): deflated as they are, with no copy made first."""
    colour_type = {"RGB": 2, "RGBA": 6}[mode]
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return b"".join(
        (
            PNG_SIGNATURE,
            png_chunk(b"IHDR", header),
            png_chunk(b"IDAT", zlib_ng.compress(rows, COMPRESS_LEVEL)),
            png_chunk(b"IEND", b""),
        )
    )


def png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib_ng.crc32(body, zlib_ng.crc32(kind))
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


# --- reading the drawing page's own PNGs ------------------------------------------------

_MODES = {2: "RGB", 6: "RGBA"}
#: Row filter types that ``read_plain_png`` reverses: none, sub and up. Chromium's canvas
#: ``toBlob("image/png")`` writes "up" on every row (level-1 zlib, RGB for an opaque
#: canvas); Firefox's encoder (``nsPNGEncoder``) writes "sub" on every row (zlib level 3).
#: Encoders that choose per row among all five (libpng's default, Pillow) use "average"
#: and "Paeth" too, whose every byte waits on the one before it: those PNGs go to Pillow.
_FILTER_NONE, _FILTER_SUB, _FILTER_UP = 0, 1, 2
#: A plain PNG in ~64 KiB IDAT chunks has a few hundred; thousands of tiny chunks are
#: left to Pillow rather than walked here one by one in Python.
_MOST_CHUNKS = 4096
#: Bytes of the stream inflated at a time before the filter bytes they give are checked.
_INFLATE_STEP = 256 * 1024


@dataclass(frozen=True)
class PlainPng:
    """A PNG's pixels as PNG rows: each row led by its filter byte, now 0 (none).

    ``rows`` has shape ``(height, 1 + width * channels)``: it can be deflated as it is
    (``encode_unfiltered_rows``), and the pixels are every row after its first byte.
    """

    mode: str
    width: int
    height: int
    rows: np.ndarray

    @property
    def pixels(self) -> np.ndarray:
        """The pixels as an array of shape ``(height, width, channels)`` (a view)."""
        return self.rows[:, 1:].reshape(self.height, self.width, _CHANNELS[self.mode])

    def image(self) -> Image.Image:
        """The pixels as a Pillow image (a copy, read row by row past the filter bytes)."""
        stride = self.rows.shape[1]
        after_first_filter_byte = self.rows.reshape(-1)[1:]
        return Image.frombytes(
            self.mode,
            (self.width, self.height),
            after_first_filter_byte,
            "raw",
            self.mode,
            stride,
            1,
        )

    def opaque_as_rgb(self) -> PlainPng:
        """An RGBA picture whose every alpha is 255 (a canvas filled edge to edge) as RGB;
        anything else as it is."""
        if self.mode != "RGBA" or self.pixels[..., 3].min() != 255:
            return self
        rows = np.empty((self.height, 1 + self.width * 3), np.uint8)
        rows[:, 0] = _FILTER_NONE
        # Channel by channel: 3.4 ms at 2048x1536, where copying (R, G, B) triplets out
        # of RGBA quadruplets in one assignment took 13.
        for channel in range(3):
            rows[:, 1 + channel :: 3] = self.rows[:, 1 + channel :: 4]
        return PlainPng("RGB", self.width, self.height, rows)


def read_plain_png(data: bytes, *, max_side: int, max_pixels: int) -> PlainPng | None:
    """The pixels of a PNG as the drawing page sends it, or None for any other PNG.

    "Plain" is: 8-bit RGB or RGBA, not interlaced, nothing but IHDR, IDAT and IEND with
    every CRC right and nothing after them, one zlib stream that inflates to exactly the
    rows and ends with its Adler-32, and every row filtered "none", "sub" or "up" (what
    Chromium's and Firefox's canvases write). Anything else (another filter, metadata, a
    palette, a damaged or oversized file, a file that is not a PNG) answers None, and the
    caller hands it to Pillow, which decides as it always has: so this never accepts what
    Pillow would refuse, and never refuses anything.

    Why not Pillow: on the page's 2048x1536 canvas this takes about 11-15 ms of CPU where
    Pillow's ``verify()`` and ``load()`` take 23-34 (its wheel inflates with the system's
    stock zlib, this with zlib-ng, and numpy undoes the filters); the figures are in
    ``drawings``.
    """
    header = _plain_header(data)
    if header is None:
        return None
    width, height, colour_type, idat = header
    if max(width, height) > max_side or width * height > max_pixels:
        return None
    mode = _MODES[colour_type]
    stride = 1 + width * _CHANNELS[mode]
    rows = _inflate_plain_rows(idat, height, stride)
    if rows is None:
        return None
    filters = rows[:, 0]
    # "sub" rows first: each depends on nothing above it, while an "up" row needs the
    # row above it already undone, whatever its filter.
    _undo_sub_filter(rows, filters, _CHANNELS[mode])
    _undo_up_filter(rows, filters)
    rows[:, 0] = _FILTER_NONE
    return PlainPng(mode, width, height, rows)


def _inflate_plain_rows(idat: bytes, height: int, stride: int) -> np.ndarray | None:
    """The rows the stream inflates to, if it is exactly that many and every row's filter
    is none, sub or up; else None.

    The stream is fed a slice at a time and each filter byte checked as it arrives: a PNG
    with another filter (Pillow's and libpng's, which choose per row) is given up at its
    first such row instead of inflated whole for nothing (2.7 ms instead of 5.9 for the
    bench's Pillow-written canvas; a plain one pays about 1 ms for the slices, 19.0
    instead of 18.1), and no slice is inflated past the rows (a decompression bomb
    stops there).
    """
    rows = np.empty((height, stride), np.uint8)
    flat = rows.reshape(-1)
    expected, filled = height * stride, 0
    inflater = zlib_ng.decompressobj()
    stream = memoryview(idat)
    try:
        for start in range(0, len(stream), _INFLATE_STEP):
            piece = inflater.decompress(
                stream[start : start + _INFLATE_STEP], expected - filled + 1
            )
            if inflater.unconsumed_tail or filled + len(piece) > expected:
                return None  # more than the rows
            before, filled = filled, filled + len(piece)
            flat[before:filled] = np.frombuffer(piece, np.uint8)
            # The filter bytes that have just arrived: rows ceil(before/stride) onwards.
            arrived = rows[-(-before // stride) : -(-filled // stride), 0]
            if not np.isin(arrived, (_FILTER_NONE, _FILTER_SUB, _FILTER_UP)).all():
                return None
    except zlib_ng.error:  # type: ignore[misc]  # the package's stub types it as an instance
        return None
    # Exactly the rows, then the stream's end and its Adler-32, and nothing after.
    if filled != expected or not inflater.eof or inflater.unused_data:
        return None
    return rows


def _plain_header(data: bytes) -> tuple[int, int, int, bytes] | None:
    """Width, height, colour type and the joined IDAT of a plain PNG's chunks, or None."""
    if not data.startswith(PNG_SIGNATURE):
        return None
    view = memoryview(data)
    at, ihdr = len(PNG_SIGNATURE), b""
    kinds: list[bytes] = []
    idat: list[memoryview] = []
    while at < len(data) and len(kinds) < _MOST_CHUNKS:
        if at + 12 > len(data):
            return None
        (length,) = struct.unpack_from(">I", data, at)
        kind = bytes(view[at + 4 : at + 8])
        end = at + 8 + length
        if end + 4 > len(data):
            return None
        body = view[at + 8 : end]
        if zlib_ng.crc32(body, zlib_ng.crc32(kind)) != struct.unpack_from(">I", data, end)[0]:
            return None
        if kind == b"IDAT":
            idat.append(body)
        elif kind == b"IHDR":
            ihdr = bytes(body)
        kinds.append(kind)
        at = end + 4
        if kind == b"IEND":
            break
    idat_count = len(idat)
    plain_order = [b"IHDR", *[b"IDAT"] * idat_count, b"IEND"]
    if at != len(data) or idat_count == 0 or kinds != plain_order or len(ihdr) != 13:
        return None
    width, height, depth, colour_type, compression, filter_method, interlace = struct.unpack(
        ">IIBBBBB", ihdr
    )
    if (
        not (0 < width < 2**31 and 0 < height < 2**31)
        or depth != 8
        or colour_type not in _MODES
        or (compression, filter_method, interlace) != (0, 0, 0)
    ):
        return None
    return width, height, colour_type, b"".join(idat)


def _undo_sub_filter(rows: np.ndarray, filters: np.ndarray, channels: int) -> None:
    """Undo "sub" in place: each byte plus the same channel of the pixel to its left,
    modulo 256, which is a running sum of each channel along the row. All such rows in one
    ``np.cumsum`` along the pixels: 7.7 ms for 1,536 rows of 2,048 RGBA pixels (16 when
    the rows are picked out of others)."""
    sub_rows = np.flatnonzero(filters == _FILTER_SUB)
    height, width = len(filters), (rows.shape[1] - 1) // channels
    if len(sub_rows) == height:  # every row, as Firefox writes: no rows picked out
        pixels = rows[:, 1:].reshape(height, width, channels)
        pixels[...] = np.cumsum(pixels, axis=1, dtype=np.uint8)
    elif len(sub_rows):
        picked = rows[sub_rows, 1:].reshape(len(sub_rows), width, channels)
        rows[sub_rows, 1:] = np.cumsum(picked, axis=1, dtype=np.uint8).reshape(len(sub_rows), -1)


def _undo_up_filter(rows: np.ndarray, filters: np.ndarray) -> None:
    """Undo "up" in place: each such row plus the row above it, byte by byte, modulo 256.

    The first row has nothing above it (so "up" there is "none"). One numpy add per row:
    1.6-2 ms for 1,536 rows of 6,144 bytes, where a cumulative sum down the columns
    (``np.add.accumulate(axis=0)``) took 85 ms.
    """
    add = np.add
    for index in np.flatnonzero(filters[1:] == _FILTER_UP) + 1:
        add(rows[index], rows[index - 1], out=rows[index])
