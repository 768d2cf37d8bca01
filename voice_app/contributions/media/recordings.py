"""Recordings: kept exactly as sent, so checked hard and decoded whole before they are stored.

A recording is checked where it lies, an open file (the upload's temporary file) or bytes:
the structure walk reads only the headers it steps on, and FFmpeg demuxes and decodes it
from the file a packet at a time, so a long recording is never held whole in memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import IO

import av
import av.error

from voice_app.contributions.media.containers import (
    HEIF_BRANDS,
    Window,
    check_ebml,
    check_iso_boxes,
    check_ogg,
    check_riff,
)
from voice_app.contributions.media.rejections import MediaRejected, RejectionReason


@dataclass(frozen=True)
class ProbedAudio:
    """What a checked recording is: how long, in what container and codec."""

    duration_seconds: float
    container: str
    codec: str
    sample_rate: int
    channels: int
    content_type: str


# --- recordings -------------------------------------------------------------------------

#: Codecs browsers record with (by FFmpeg decoder name). Others are refused so that
#: uploads reach only a handful of well-exercised decoders.
AUDIO_CODECS = frozenset(
    {"opus", "libopus", "vorbis", "libvorbis", "aac", "aac_fixed", "mp3", "mp3float", "flac"}
)

_AV_ERRORS: tuple[type[BaseException], ...] = tuple(
    error
    for error in (getattr(av.error, "FFmpegError", None), getattr(av, "AVError", None))
    if isinstance(error, type)
)

#: Sound formats that are real but not recorded by browsers: "wrong kind", not "not audio".
_OTHER_AUDIO_MAGIC = (b"ID3", b"fLaC", b"#!AMR", b"caff", b".snd", b"MThd")
#: Encoder priming and padding (AAC adds up to ~50 ms) must not push a recording that
#: the page stopped at the limit over it.
_DURATION_SLACK_SECONDS = 0.5


@dataclass(frozen=True)
class _Container:
    label: str
    demuxer: str
    content_type: str


def probe_audio(
    source: bytes | bytearray | IO[bytes],
    *,
    max_bytes: int = 50 * 1024 * 1024,
    max_seconds: float = 600,
) -> ProbedAudio:
    """Check an uploaded recording is real, complete, playable sound, and measure it.

    ``source`` is the recording's bytes or, for anything large, a seekable binary file
    holding it (read from its start, left wherever the check stopped). Accepts
    WebM/Matroska, Ogg, MP4/M4A and WAV holding one of ``AUDIO_CODECS``, at most
    ``max_seconds`` long. The duration is measured by decoding, not read from the
    header: browsers often leave it out, and a header could claim anything.
    """
    window = Window(source)
    if not window.size:
        raise MediaRejected(RejectionReason.EMPTY)
    if window.size > max_bytes:
        raise MediaRejected(RejectionReason.TOO_LARGE)
    container = _sniff_container(window)
    try:
        window.handle.seek(0)
        return _decode_audio(window.handle, container, max_seconds)
    except MediaRejected:
        raise
    except _AV_ERRORS as error:
        raise MediaRejected(RejectionReason.CORRUPT_AUDIO) from error
    except Exception as error:
        # Malformed input can also surface as ValueError, UnicodeDecodeError, IndexError...
        raise MediaRejected(RejectionReason.CORRUPT_AUDIO) from error


def _sniff_container(data: Window) -> _Container:
    """Which container the file is, from its magic bytes, with its structure checked.

    The demuxer is then named explicitly, so FFmpeg never guesses among its hundreds of
    formats (some of which, like playlists, would open other files).
    """
    head = data.at(0, 64)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        check_ebml(data)
        label = "webm" if b"webm" in head else "matroska"
        return _Container(label, "matroska", "audio/webm")
    if head.startswith(b"OggS"):
        check_ogg(data)
        return _Container("ogg", "ogg", "audio/ogg")
    if head[4:8] == b"ftyp":
        if head[8:12] in HEIF_BRANDS:
            raise MediaRejected(RejectionReason.NOT_AUDIO)
        check_iso_boxes(data)
        return _Container("mp4", "mp4", "audio/mp4")
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        check_riff(data)
        return _Container("wav", "wav", "audio/wav")
    if head.startswith(_OTHER_AUDIO_MAGIC) or (head.startswith(b"FORM") and head[8:11] == b"AIF"):
        raise MediaRejected(RejectionReason.UNSUPPORTED_FORMAT)
    if len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:  # MPEG audio frame sync
        raise MediaRejected(RejectionReason.UNSUPPORTED_FORMAT)
    raise MediaRejected(RejectionReason.NOT_AUDIO)


def _decode_audio(data: IO[bytes], kind: _Container, max_seconds: float) -> ProbedAudio:
    too_long = MediaRejected(
        RejectionReason.AUDIO_TOO_LONG, {"minutes": max(1, math.ceil(max_seconds / 60))}
    )
    with av.open(data, mode="r", format=kind.demuxer, metadata_errors="ignore") as box:
        if box.streams.video:
            # Pictures and video of the child were not asked for, so they are not kept.
            if not box.streams.audio:
                raise MediaRejected(RejectionReason.NO_AUDIO_STREAM)
            raise MediaRejected(RejectionReason.UNSUPPORTED_FORMAT)
        if not box.streams.audio:
            raise MediaRejected(RejectionReason.NO_AUDIO_STREAM)
        stream = box.streams.audio[0]
        decoder = stream.codec_context
        codec = getattr(decoder, "name", None) or ""
        if codec not in AUDIO_CODECS and not codec.startswith("pcm_"):
            raise MediaRejected(RejectionReason.UNSUPPORTED_FORMAT)
        # A header that already admits to being too long saves decoding it all.
        limit = max_seconds + _DURATION_SLACK_SECONDS
        if box.duration is not None and box.duration / av.time_base > limit:
            raise too_long

        seconds = 0.0
        for packet in box.demux(stream):
            if packet.is_corrupt:
                raise MediaRejected(RejectionReason.CORRUPT_AUDIO)
            for frame in decoder.decode(packet):
                seconds += frame.samples / frame.sample_rate
            if seconds > limit:
                raise too_long
        if seconds <= 0:
            raise MediaRejected(RejectionReason.EMPTY_RECORDING)
        return ProbedAudio(
            duration_seconds=round(seconds, 3),
            container=kind.label,
            codec=codec,
            sample_rate=decoder.sample_rate,
            channels=decoder.layout.nb_channels,
            content_type=kind.content_type,
        )
