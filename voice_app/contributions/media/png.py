"""The PNG encoder drawings are stored with: the pixels, their size and nothing else.

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

from zlib_ng import zlib_ng

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: zlib-ng's level 1: a third of stock zlib 3's time, for files 1.2-1.55 times as large
#: (the table above).
COMPRESS_LEVEL = 1


def encode_png(mode: str, width: int, height: int, pixels: bytes) -> bytes:
    """A PNG holding exactly the IHDR, IDAT and IEND chunks: pixels and nothing else.

    Written here rather than by Pillow for speed: Pillow tries the none, sub, up and Paeth
    filters on every row to keep the best, and has no setting to stop it (figures in the
    module docstring). Every row is stored unfiltered (filter byte 0): drawings are flat
    colour, which deflate compresses well as it is. The rows are joined with their filter
    bytes and deflated in one call, so zlib-ng computes the Adler-32 itself (with SIMD)
    and no Python runs per row but the join.
    """
    colour_type, channels = {"RGB": (2, 3), "RGBA": (6, 4)}[mode]
    stride = width * channels
    rows = memoryview(pixels)
    # b"\x00".join([b"", row, row, ...]) puts the filter byte 0 before every row.
    filtered = b"\x00".join(
        [b"", *(rows[top : top + stride] for top in range(0, height * stride, stride))]
    )
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return b"".join(
        (
            PNG_SIGNATURE,
            png_chunk(b"IHDR", header),
            png_chunk(b"IDAT", zlib_ng.compress(filtered, COMPRESS_LEVEL)),
            png_chunk(b"IEND", b""),
        )
    )


def png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib_ng.crc32(body, zlib_ng.crc32(kind))
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)
