"""Walks of container structures: each must end exactly at the last byte.

The walks read a recording where it lies (a temporary file, or bytes already in memory)
through a ``Window``: only the few bytes of each header they step on, 64 KiB at a time,
so checking a long recording never holds it whole.
"""

from __future__ import annotations

import io
import os
import struct
from typing import IO

from voice_app.contributions.media.rejections import MediaRejected, RejectionReason

# Structure walks: FFmpeg reads a file cut short as if it were simply shorter, so a
# recording that did not finish uploading would be stored as if it were whole. Each
# walk follows the container's own length fields and must end exactly at the last byte.

#: ISO base media brands of still pictures (AVIF, HEIC): pictures, never sound.
HEIF_BRANDS = (b"avif", b"avis", b"heic", b"heix", b"hevc", b"mif1", b"msf1")


class Window:
    """Any few bytes of a seekable binary file, by position, read through one buffer.

    Headers sit close together (Ogg pages, WebM blocks, MP4 boxes), so most reads are
    answered from the buffer without touching the file again.
    """

    BLOCK_BYTES = 64 * 1024

    def __init__(self, source: bytes | bytearray | memoryview | IO[bytes]) -> None:
        self.handle: IO[bytes] = (
            io.BytesIO(source) if isinstance(source, (bytes, bytearray, memoryview)) else source
        )
        #: The size of the whole file.
        self.size = self.handle.seek(0, os.SEEK_END)
        self._start = 0
        self._buffer = b""

    def at(self, position: int, count: int) -> bytes:
        """Bytes ``position`` up to ``position + count``; fewer where the file ends first."""
        offset = position - self._start
        if offset < 0 or offset + count > len(self._buffer):
            self.handle.seek(position)
            self._buffer = self.handle.read(max(count, self.BLOCK_BYTES))
            self._start, offset = position, 0
        return self._buffer[offset : offset + count]


def _corrupt() -> MediaRejected:
    return MediaRejected(RejectionReason.CORRUPT_AUDIO)


def check_ogg(data: Window) -> None:
    position, end = 0, data.size
    while position < end:
        segments_at = position + 27
        page = data.at(position, 27)
        if page[:4] != b"OggS" or segments_at > end:
            raise _corrupt()
        count = page[26]
        if segments_at + count > end:
            raise _corrupt()
        position = segments_at + count + sum(data.at(segments_at, count))
    if position != end:
        raise _corrupt()


_EBML_UNKNOWN_SIZE_ALLOWED = frozenset({0x18538067, 0x1F43B675})  # Segment, Cluster


def _ebml_number(data: Window, position: int, *, keep_marker: bool) -> tuple[int, int, bool]:
    """Read an EBML variable-length number: (value, its length, all bits set?)."""
    raw = data.at(position, 8)
    if not raw or raw[0] == 0:
        raise _corrupt()
    length = 9 - raw[0].bit_length()
    if position + length > data.size:
        raise _corrupt()
    value = int.from_bytes(raw[:length], "big")
    if not keep_marker:
        value &= (1 << (7 * length)) - 1
    return value, length, value == (1 << (7 * length)) - 1


def check_ebml(data: Window) -> None:
    # Browsers stream WebM: the Segment and each Cluster have "unknown" size and run to
    # the next Cluster or the end. Those are stepped into; everything else is stepped
    # over, after checking its stated size fits in what arrived.
    position, end = 0, data.size
    while position < end:
        element, id_length, _ = _ebml_number(data, position, keep_marker=True)
        if id_length > 4:
            raise _corrupt()
        size, size_length, unknown = _ebml_number(data, position + id_length, keep_marker=False)
        position += id_length + size_length
        if unknown:
            if element not in _EBML_UNKNOWN_SIZE_ALLOWED:
                raise _corrupt()
            continue
        position += size
    if position != end:
        raise _corrupt()


def check_iso_boxes(data: Window) -> None:
    position, end = 0, data.size
    while position < end:
        if position + 8 > end:
            raise _corrupt()
        (size,) = struct.unpack(">I", data.at(position, 4))
        header = 8
        if size == 1:  # a 64-bit size follows the type
            if position + 16 > end:
                raise _corrupt()
            (size,) = struct.unpack(">Q", data.at(position + 8, 8))
            header = 16
        elif size == 0:  # the last box runs to the end of the file
            size = end - position
        if size < header:
            raise _corrupt()
        position += size
    if position != end:
        raise _corrupt()


def check_riff(data: Window) -> None:
    position, end = 12, data.size
    while position < end:
        if position + 8 > end:
            raise _corrupt()
        # Browsers never record WAV, so a file written while streaming (with no sizes)
        # has no reason to arrive: every chunk must state its true size.
        (size,) = struct.unpack("<I", data.at(position + 4, 4))
        position += 8 + size
        if position > end:
            raise _corrupt()
        # Chunks are padded to an even length; a missing pad on the last chunk is common.
        position = min(position + (size & 1), end)
