"""Walks of container structures: each must end exactly at the last byte."""

from __future__ import annotations

import struct

from voice_app.contributions.media.rejections import MediaRejected, RejectionReason

# Structure walks: FFmpeg reads a file cut short as if it were simply shorter, so a
# recording that did not finish uploading would be stored as if it were whole. Each
# walk follows the container's own length fields and must end exactly at the last byte.

#: ISO base media brands of still pictures (AVIF, HEIC): pictures, never sound.
HEIF_BRANDS = (b"avif", b"avis", b"heic", b"heix", b"hevc", b"mif1", b"msf1")


def _corrupt() -> MediaRejected:
    return MediaRejected(RejectionReason.CORRUPT_AUDIO)


def check_ogg(data: bytes) -> None:
    position, end = 0, len(data)
    while position < end:
        segments_at = position + 27
        if data[position : position + 4] != b"OggS" or segments_at > end:
            raise _corrupt()
        count = data[position + 26]
        if segments_at + count > end:
            raise _corrupt()
        position = segments_at + count + sum(data[segments_at : segments_at + count])
    if position != end:
        raise _corrupt()


_EBML_UNKNOWN_SIZE_ALLOWED = frozenset({0x18538067, 0x1F43B675})  # Segment, Cluster


def _ebml_number(data: bytes, position: int, *, keep_marker: bool) -> tuple[int, int, bool]:
    """Read an EBML variable-length number: (value, its length, all bits set?)."""
    if position >= len(data) or data[position] == 0:
        raise _corrupt()
    first = data[position]
    length = 9 - first.bit_length()
    if position + length > len(data):
        raise _corrupt()
    value = int.from_bytes(data[position : position + length], "big")
    if not keep_marker:
        value &= (1 << (7 * length)) - 1
    return value, length, value == (1 << (7 * length)) - 1


def check_ebml(data: bytes) -> None:
    # Browsers stream WebM: the Segment and each Cluster have "unknown" size and run to
    # the next Cluster or the end. Those are stepped into; everything else is stepped
    # over, after checking its stated size fits in what arrived.
    position, end = 0, len(data)
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


def check_iso_boxes(data: bytes) -> None:
    position, end = 0, len(data)
    while position < end:
        if position + 8 > end:
            raise _corrupt()
        (size,) = struct.unpack_from(">I", data, position)
        header = 8
        if size == 1:  # a 64-bit size follows the type
            if position + 16 > end:
                raise _corrupt()
            (size,) = struct.unpack_from(">Q", data, position + 8)
            header = 16
        elif size == 0:  # the last box runs to the end of the file
            size = end - position
        if size < header:
            raise _corrupt()
        position += size
    if position != end:
        raise _corrupt()


def check_riff(data: bytes) -> None:
    position, end = 12, len(data)
    while position < end:
        if position + 8 > end:
            raise _corrupt()
        # Browsers never record WAV, so a file written while streaming (with no sizes)
        # has no reason to arrive: every chunk must state its true size.
        (size,) = struct.unpack_from("<I", data, position + 4)
        position += 8 + size
        if position > end:
            raise _corrupt()
        # Chunks are padded to an even length; a missing pad on the last chunk is common.
        position = min(position + (size & 1), end)
