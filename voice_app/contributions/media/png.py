"""The PNG encoder drawings are stored with: the pixels, their size and nothing else.

Deflating is most of the cost of storing a drawing (see ``drawings``). With a thread pool
the lower half of the rows is deflated on another thread while the caller's thread
deflates the upper half, into one zlib stream (``_deflate_rows``): the same CPU, and
the two cores share the deflate instead of one doing it while the other makes the
preview. On a quiet machine limited to 2 cores (16-core Xeon, ``taskset``; a drawing
takes 1.3-1.7 times the development machine's CPU there), four sittings of 15
alternating runs of ``process_drawing``, 2026-11-27, median wall without -> with the
split: a canvas as Chromium sends it from the drawing page 133-144 ms -> 113-128, the
same canvas sent as RGB 96-128 -> 81-107, the bench's opaque canvases 0-13 % less, the
transparent one unchanged (its preview keeps the other core busy). On the shared
development machine, with no core free, no difference in wall time. Without a pool the
output is byte for byte what one zlib compressor gives.
"""

from __future__ import annotations

import struct
import zlib
from concurrent.futures import Executor

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: On a 2048x1536 drawing zlib levels 1 and 2 save at most a fifth of level 3's time for a
#: file 11-22% larger; level 6 took about 3 times as long for a file 35% smaller (2026-11-27).
COMPRESS_LEVEL = 3
#: The header zlib writes at that level, for a stream deflated in parts.
_ZLIB_HEADER = zlib.compress(b"", COMPRESS_LEVEL)[:2]
#: How far back deflate may refer: what the lower part of a split stream is given.
_WINDOW = 32 * 1024


def encode_png(
    mode: str, width: int, height: int, pixels: bytes, pool: Executor | None = None
) -> bytes:
    """A PNG holding exactly the IHDR, IDAT and IEND chunks: pixels and nothing else.

    Written here rather than by Pillow for speed: Pillow tries the none, sub, up and Paeth
    filters on every row to keep the best, and has no setting to stop it. Measured again
    on the bench's 2048x1536 canvases (``python -m tests.bench.drawings``, six runs,
    2026-11-27, 2-core machine shared with five other sessions, load average 6-10, runs
    alternating): Pillow's own encoder with ``compress_level`` 1, 2 or 3 and
    ``optimize=False`` took 1.5 to 4.4 times as long as this one (medians; 1.3 to 3.6
    times by the fastest run) and wrote files 19-38% larger. Clearly faster, so kept.
    Other settings on the same pixels (one run), compressed size beside time: sub or up
    on every row made files 9-20% larger than this one's, for no less time; Z_RLE made
    them 72-91% larger with a filter and 15 times larger without; Z_FILTERED changed
    nothing unfiltered; zlib 1 and 2 saved at most a fifth of the time for files 11-22%
    larger. Drawings are flat colour, which deflate compresses well unfiltered.
    """
    colour_type, channels = {"RGB": (2, 3), "RGBA": (6, 4)}[mode]
    stride = width * channels
    rows = memoryview(pixels)
    end = height * stride
    # With a pool, the lower half of the rows is deflated on another thread: one zlib
    # stream all the same (see ``_deflate_rows``), its Adler-32 put together from both.
    split, lower = end, None
    if pool is not None and height > 1:
        split = (height // 2) * stride
        window = b"".join(
            b"\x00" + rows[top : top + stride]
            for top in range(max(0, split - (_WINDOW // stride + 1) * stride), split, stride)
        )[-_WINDOW:]
        lower = pool.submit(_deflate_rows, rows, split, end, stride, window)
    upper, checksum = _deflate_rows(rows, 0, split, stride, None, last=lower is None)
    parts = [_ZLIB_HEADER, upper]
    if lower is not None:
        lower_part, lower_checksum = lower.result()
        parts.append(lower_part)
        checksum = _adler32_combine(
            checksum, lower_checksum, (end - split) // stride * (stride + 1)
        )
    parts.append(struct.pack(">I", checksum))
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return b"".join(
        (PNG_SIGNATURE, png_chunk(b"IHDR", header), png_chunk(b"IDAT", b"".join(parts)))
    ) + png_chunk(b"IEND", b"")


def _deflate_rows(
    rows: memoryview, start: int, stop: int, stride: int, window: bytes | None, last: bool = True
) -> tuple[bytes, int]:
    """Rows ``start:stop`` of the pixels, each after its filter byte 0, as raw deflate,
    with the Adler-32 of what was compressed.

    A part that is not ``last`` ends on a byte boundary with an empty stored block, not
    a final one, so the next part's deflate continues the same stream; that part is
    given the ``window`` (the last 32 KiB before it) as its dictionary, so it may refer
    back across the join just as one compressor would. This is how pigz splits one
    stream between threads.
    """
    compressor = (
        zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15, zdict=window)
        if window
        else zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    )
    parts = []
    checksum = 1
    for top in range(start, stop, stride):
        row = rows[top : top + stride]
        parts.append(compressor.compress(b"\x00"))  # filter type 0: the row as it is
        parts.append(compressor.compress(row))
        checksum = zlib.adler32(row, zlib.adler32(b"\x00", checksum))
    parts.append(compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH))
    return b"".join(parts), checksum


def _adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two pieces one after the other, from theirs (zlib's
    ``adler32_combine``, which Python does not offer)."""
    base = 65521
    remainder = second_length % base
    low = ((first & 0xFFFF) + (second & 0xFFFF) + base - 1) % base
    high = (remainder * (first & 0xFFFF) + (first >> 16) + (second >> 16) + base - remainder) % base
    return low | (high << 16)


def png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(body, zlib.crc32(kind))
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)
