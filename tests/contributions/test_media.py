"""Drawings and recordings as a child's device sends them, and the hostile files that must not pass.

Every input here is real: pictures drawn with Pillow, speech from espeak-ng, tones and
silence from sox, WebM/Ogg/MP4 encoded with PyAV (FFmpeg), and, where Chromium is
installed, a recording made by Chromium's own MediaRecorder.
"""

from __future__ import annotations

import io
import random
import struct
import subprocess
import wave
import zlib
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import pytest
from flask import Flask
from PIL import Image, ImageDraw, PngImagePlugin, features

from voice_app.contributions.media import (
    REJECTION_MESSAGES,
    MediaRejected,
    ProbedAudio,
    ProcessedImage,
    RejectionReason,
    probe_audio,
    process_drawing,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SECRET = "Amelia Jones, 14 Elm Road"

# --- making pictures ----------------------------------------------------------------------


def encode(image: Image.Image, image_format: str, **options: object) -> bytes:
    output = io.BytesIO()
    image.save(output, format=image_format, **options)
    return output.getvalue()


def drawing(size: tuple[int, int] = (800, 600), mode: str = "RGB") -> Image.Image:
    """Something like a child's canvas: a background and coloured strokes."""
    background = (0, 0, 0, 0) if mode == "RGBA" else "white"
    image = Image.new(mode, size, background)
    pen = ImageDraw.Draw(image)
    rng = random.Random(7)
    for _ in range(40):
        points = [(rng.randrange(size[0]), rng.randrange(size[1])) for _ in range(4)]
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256), 255)
        pen.line(points, fill=colour[: len(mode)], width=rng.randrange(3, 20), joint="curve")
    pen.ellipse((10, 10, 60, 60), fill=(250, 200, 0, 255)[: len(mode)])
    return image


def png_chunks(data: bytes) -> list[bytes]:
    assert data.startswith(PNG_SIGNATURE)
    kinds, position = [], len(PNG_SIGNATURE)
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kinds.append(data[position + 4 : position + 8])
        position += 12 + length
    return kinds


def raw_png(width: int, height: int, *, bit_depth: int, colour_type: int, row: bytes) -> bytes:
    """A complete, valid PNG whose every row is ``row``, written without holding the image."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(body, zlib.crc32(kind))
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    compressor = zlib.compressobj(9)
    line = b"\x00" + row
    idat = b"".join(compressor.compress(line) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def bomb_png(side: int) -> bytes:
    """A one-colour, one-bit PNG of side x side pixels: tiny on disk, huge in memory."""
    return raw_png(side, side, bit_depth=1, colour_type=0, row=bytes((side + 7) // 8))


def damaged_idat(data: bytes, *, fix_crc: bool) -> bytes:
    position = data.index(b"IDAT") - 4
    (length,) = struct.unpack(">I", data[position : position + 4])
    damaged = bytearray(data)
    for index in range(position + 8 + length // 2, position + 8 + length // 2 + 16):
        damaged[index] ^= 0xFF
    if fix_crc:  # the damage then reaches the decompressor, not just the checksum
        body = bytes(damaged[position + 8 : position + 8 + length])
        crc = zlib.crc32(body, zlib.crc32(b"IDAT"))
        damaged[position + 8 + length : position + 12 + length] = struct.pack(">I", crc)
    return bytes(damaged)


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "TrackingPhone"  # Make
    exif[0x013B] = SECRET  # Artist
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 30.0, 26.0)
    gps[3], gps[4] = "W", (0.0, 7.0, 39.0)
    return exif


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def assert_clean_png(result: ProcessedImage) -> Image.Image:
    """The output is a bare PNG: pixels only, no metadata of any kind."""
    assert result.content_type == "image/png"
    assert png_chunks(result.data) == [b"IHDR", b"IDAT", b"IEND"]
    image = reopen(result.data)
    assert image.format == "PNG"
    assert (image.width, image.height) == (result.width, result.height)
    assert "exif" not in image.info and not image.getexif()
    thumbnail = reopen(result.thumbnail)
    assert max(thumbnail.size) <= 320
    assert "exif" not in thumbnail.info and "xmp" not in thumbnail.info
    assert not thumbnail.getexif()
    assert thumbnail.get_format_mimetype() == result.thumbnail_content_type
    for forbidden in (SECRET.encode(), b"TrackingPhone", b"<script"):
        assert forbidden not in result.data and forbidden not in result.thumbnail
    return image


# --- drawings that are accepted -------------------------------------------------------------


def test_canvas_png_is_kept_pixel_for_pixel() -> None:
    original = drawing((1024, 768))

    result = process_drawing(encode(original, "PNG"))

    image = assert_clean_png(result)
    assert (result.width, result.height) == (1024, 768)
    assert image.mode == "RGB"
    assert image.tobytes() == original.tobytes()
    assert result.thumbnail_content_type == (
        "image/webp" if features.check("webp") else "image/png"
    )
    assert reopen(result.thumbnail).size == (320, 240)


def test_transparent_canvas_keeps_its_transparency() -> None:
    original = drawing((600, 400), mode="RGBA")

    result = process_drawing(encode(original, "PNG"))

    image = assert_clean_png(result)
    assert image.mode == "RGBA"
    assert image.getpixel((599, 399)) == (0, 0, 0, 0)
    assert image.tobytes() == original.tobytes()


def test_opaque_rgba_canvas_is_stored_without_an_alpha_channel() -> None:
    original = drawing((300, 200)).convert("RGBA")

    image = assert_clean_png(process_drawing(encode(original, "PNG")))

    assert image.mode == "RGB"
    assert image.tobytes() == original.convert("RGB").tobytes()


def test_palette_png_with_transparency_becomes_rgba() -> None:
    original = Image.new("P", (64, 64), 1)
    original.putpalette([255, 255, 255, 200, 0, 0] + [0] * 762)
    original.info["transparency"] = 0
    ImageDraw.Draw(original).rectangle((0, 0, 31, 63), fill=0)

    image = assert_clean_png(process_drawing(encode(original, "PNG", transparency=0)))

    assert image.mode == "RGBA"
    assert image.getpixel((5, 5))[3] == 0
    assert image.getpixel((50, 5)) == (200, 0, 0, 255)


def test_large_drawing_is_scaled_to_the_longest_side() -> None:
    original = Image.new("RGB", (2400, 600), (10, 120, 200))

    result = process_drawing(encode(original, "PNG"), max_side=1200)

    image = assert_clean_png(result)
    assert (result.width, result.height) == (1200, 300)
    assert image.getpixel((600, 150)) == (10, 120, 200)


def test_photo_with_gps_is_accepted_without_any_metadata() -> None:
    original = drawing((400, 200))
    upload = encode(original, "JPEG", exif=exif_with_gps(orientation=1).tobytes(), quality=95)
    sent = reopen(upload).getexif()
    assert sent.get_ifd(0x8825)[1] == "N" and SECRET.encode() in upload  # the test input leaks

    result = process_drawing(upload)

    image = assert_clean_png(result)
    assert (result.width, result.height) == (400, 200)
    assert b"GPS" not in result.data and b"Exif" not in result.data
    assert image.getexif().get_ifd(0x8825) == {}


def test_photo_is_turned_upright_from_its_exif_orientation() -> None:
    original = Image.new("RGB", (200, 100), "white")
    ImageDraw.Draw(original).rectangle((0, 0, 49, 99), fill=(255, 0, 0))  # red on the left
    upload = encode(original, "JPEG", exif=exif_with_gps(orientation=6).tobytes(), quality=95)

    result = process_drawing(upload)

    image = assert_clean_png(result)
    assert (result.width, result.height) == (100, 200)  # 6 = turn 90 degrees clockwise
    red, green, blue = image.getpixel((50, 10))
    assert red > 200 and green < 60 and blue < 60  # the left edge is now the top


def test_png_text_chunks_and_exif_are_dropped() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", SECRET)
    info.add_text("Comment", SECRET, zip=True)
    info.add_itxt("Description", SECRET, lang="en")
    upload = encode(drawing((300, 300)), "PNG", pnginfo=info, exif=exif_with_gps().tobytes())
    assert {b"tEXt", b"zTXt", b"iTXt", b"eXIf"} <= set(png_chunks(upload))

    image = assert_clean_png(process_drawing(upload))

    assert image.text == {}


def test_jpeg_sent_as_png_is_judged_by_its_content() -> None:
    # The browser said image/png and the file is called drawing.png; the bytes are JPEG.
    upload = encode(drawing((320, 240)), "JPEG", quality=90)
    assert upload.startswith(b"\xff\xd8\xff")

    result = process_drawing(upload)

    assert result.data.startswith(PNG_SIGNATURE)
    assert_clean_png(result)


def test_webp_with_exif_and_xmp_is_accepted_clean() -> None:
    xmp = f"<x:xmpmeta><dc:creator>{SECRET}</dc:creator></x:xmpmeta>".encode()
    upload = encode(drawing((300, 200)), "WEBP", exif=exif_with_gps().tobytes(), xmp=xmp)
    assert SECRET.encode() in upload

    result = process_drawing(upload)

    assert (result.width, result.height) == (300, 200)
    assert_clean_png(result)


def test_data_smuggled_after_the_image_is_not_kept() -> None:
    upload = encode(drawing((200, 200)), "PNG") + b"<script>alert(document.cookie)</script>"

    assert_clean_png(process_drawing(upload))


# --- drawings that are refused --------------------------------------------------------------

HOSTILE_DRAWINGS: dict[str, tuple[Callable[[], bytes], RejectionReason]] = {
    "empty": (lambda: b"", RejectionReason.EMPTY),
    "text file": (lambda: b"Dear diary, today I drew a cat.\n" * 20, RejectionReason.NOT_AN_IMAGE),
    "text that starts like a bmp": (
        lambda: b"BMX notes: the cat is black.",
        RejectionReason.NOT_AN_IMAGE,
    ),
    "svg with script": (
        lambda: (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
            b"<script>fetch('/me/media').then(r => r.text())</script>"
            b'<rect width="100" height="100"/></svg>'
        ),
        RejectionReason.NOT_AN_IMAGE,
    ),
    "html page": (
        lambda: b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
        RejectionReason.NOT_AN_IMAGE,
    ),
    "png signature then html": (
        lambda: PNG_SIGNATURE + b"<html><script>alert(1)</script></html>",
        RejectionReason.NOT_AN_IMAGE,
    ),
    "png cut in half": (
        lambda: (lambda data: data[: len(data) // 2])(encode(drawing(), "PNG")),
        RejectionReason.CORRUPT_IMAGE,
    ),
    "png without its end": (
        lambda: encode(drawing(), "PNG")[:-12],
        RejectionReason.CORRUPT_IMAGE,
    ),
    "jpeg cut in half": (
        lambda: (lambda data: data[: len(data) // 2])(encode(drawing(), "JPEG")),
        RejectionReason.CORRUPT_IMAGE,
    ),
    "png idat damaged": (
        lambda: damaged_idat(encode(drawing(), "PNG"), fix_crc=False),
        RejectionReason.CORRUPT_IMAGE,
    ),
    "png idat damaged, checksum fixed": (
        lambda: damaged_idat(encode(drawing(), "PNG"), fix_crc=True),
        RejectionReason.CORRUPT_IMAGE,
    ),
    # The drawing page's opaque RGBA canvas and a transparent one take their own paths.
    "opaque rgba png cut in half": (
        lambda: (lambda data: data[: len(data) // 2])(encode(drawing().convert("RGBA"), "PNG")),
        RejectionReason.CORRUPT_IMAGE,
    ),
    "transparent png idat damaged, checksum fixed": (
        lambda: damaged_idat(encode(drawing(mode="RGBA"), "PNG"), fix_crc=True),
        RejectionReason.CORRUPT_IMAGE,
    ),
    "decompression bomb 30000x30000": (lambda: bomb_png(30_000), RejectionReason.IMAGE_TOO_LARGE),
    "too many pixels 5000x5000": (lambda: bomb_png(5_000), RejectionReason.IMAGE_TOO_LARGE),
    "sliver 100000x100": (
        lambda: raw_png(100_000, 100, bit_depth=8, colour_type=0, row=bytes(100_000)),
        RejectionReason.IMAGE_TOO_LARGE,
    ),
    "gif": (lambda: encode(drawing(), "GIF"), RejectionReason.UNSUPPORTED_FORMAT),
    "animated gif": (
        lambda: encode(drawing(), "GIF", save_all=True, append_images=[drawing((800, 600))]),
        RejectionReason.UNSUPPORTED_FORMAT,
    ),
    "bmp": (lambda: encode(drawing(), "BMP"), RejectionReason.UNSUPPORTED_FORMAT),
    "tiff": (lambda: encode(drawing(), "TIFF"), RejectionReason.UNSUPPORTED_FORMAT),
}


@pytest.mark.parametrize("name", HOSTILE_DRAWINGS)
def test_hostile_drawing_is_refused(name: str) -> None:
    make, reason = HOSTILE_DRAWINGS[name]
    upload = make()

    with pytest.raises(MediaRejected) as refused:
        process_drawing(upload)

    assert refused.value.reason is reason


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow cannot write AVIF")
def test_avif_is_refused_as_unsupported() -> None:
    with pytest.raises(MediaRejected) as refused:
        process_drawing(encode(drawing((64, 64)), "AVIF"))

    assert refused.value.reason is RejectionReason.UNSUPPORTED_FORMAT


def test_bomb_above_pillows_warning_threshold_is_refused() -> None:
    # 100 million pixels: Pillow warns rather than raises, and the suite turns warnings
    # into errors; either way the answer must be the same.
    assert Image.MAX_IMAGE_PIXELS is not None
    side = int((Image.MAX_IMAGE_PIXELS * 1.1) ** 0.5) + 1

    with pytest.raises(MediaRejected) as refused:
        process_drawing(bomb_png(side))

    assert refused.value.reason is RejectionReason.IMAGE_TOO_LARGE


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_bomb_is_refused_when_pillow_only_warns() -> None:
    # As in production, where the warning is not an error: our own limit still refuses it.
    assert Image.MAX_IMAGE_PIXELS is not None
    side = int((Image.MAX_IMAGE_PIXELS * 1.1) ** 0.5) + 1

    with pytest.raises(MediaRejected) as refused:
        process_drawing(bomb_png(side))

    assert refused.value.reason is RejectionReason.IMAGE_TOO_LARGE


def test_drawing_over_the_byte_limit_is_refused_before_decoding() -> None:
    upload = encode(drawing(), "PNG")

    with pytest.raises(MediaRejected) as refused:
        process_drawing(upload, max_bytes=len(upload) - 1)

    assert refused.value.reason is RejectionReason.TOO_LARGE
    assert process_drawing(upload, max_bytes=len(upload)).width == 800


def test_pixel_limit_is_the_callers() -> None:
    upload = encode(Image.new("RGB", (100, 100), "white"), "PNG")

    with pytest.raises(MediaRejected) as refused:
        process_drawing(upload, max_pixels=9_999)

    assert refused.value.reason is RejectionReason.IMAGE_TOO_LARGE
    assert process_drawing(upload, max_pixels=10_000).width == 100


# --- making recordings ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def audio_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("audio")


def sox(*arguments: str) -> None:
    subprocess.run(["sox", *arguments], check=True, capture_output=True)


@pytest.fixture(scope="module")
def tone_wav(audio_dir: Path) -> Path:
    """Three seconds of a 440 Hz tone, 48 kHz mono, as browsers record."""
    target = audio_dir / "tone.wav"
    sox("-n", "-r", "48000", "-c", "1", "-b", "16", str(target), "synth", "3", "sine", "440")
    return target


@pytest.fixture(scope="module")
def speech_wav(audio_dir: Path) -> Path:
    """A child's sentence, spoken by espeak-ng and resampled to 48 kHz mono."""
    raw, target = audio_dir / "speech.raw.wav", audio_dir / "speech.wav"
    subprocess.run(
        ["espeak-ng", "-v", "en", "-w", str(raw), "I like my school and my dog."], check=True
    )
    sox(str(raw), "-r", "48000", "-c", "1", str(target))
    return target


def sox_duration(path: Path) -> float:
    result = subprocess.run(
        ["sox", "--i", "-D", str(path)], check=True, capture_output=True, text=True
    )
    return float(result.stdout)


def transcode(
    source: Path, container: str, codec: str, options: dict[str, str] | None = None
) -> bytes:
    """Re-encode a file with FFmpeg (through PyAV), as a browser's MediaRecorder would."""
    # A real file, not BytesIO: movflags=faststart rewrites the file in a second pass.
    target = source.with_name(f"{source.stem}.{codec}.{container}")
    with (
        av.open(str(source)) as inp,
        av.open(str(target), "w", format=container, options=options or {}) as out,
    ):
        stream = out.add_stream(codec, rate=48000, layout="mono")
        for frame in inp.decode(audio=0):
            frame.pts = None
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    data = target.read_bytes()
    target.unlink()
    return data


def cut_after_packet(data: bytes, packets: int) -> bytes:
    """The file cut exactly where its n-th audio packet ends: no packet is left half-read."""
    with av.open(io.BytesIO(data)) as container:
        ends = sorted(
            packet.pos + packet.size
            for packet in container.demux(container.streams.audio[0])
            if packet.size and packet.pos is not None
        )
    return data[: ends[packets - 1]]


def video_webm(*, with_audio_from: Path | None = None) -> bytes:
    """A second of VP8 video, optionally with an Opus sound track."""
    output = io.BytesIO()
    with av.open(output, "w", format="webm") as out:
        # Every stream must exist before the first packet is written.
        video = out.add_stream("libvpx", rate=10)
        video.width, video.height, video.pix_fmt = 64, 64, "yuv420p"
        audio = out.add_stream("libopus", rate=48000, layout="mono") if with_audio_from else None
        for index, shade in enumerate(range(0, 250, 25)):
            frame = av.VideoFrame.from_image(Image.new("RGB", (64, 64), (shade, 0, 0)))
            frame.pts, frame.time_base = index, Fraction(1, 10)
            for packet in video.encode(frame):
                out.mux(packet)
        for packet in video.encode(None):
            out.mux(packet)
        if audio is not None and with_audio_from is not None:
            with av.open(str(with_audio_from)) as inp:
                for audio_frame in inp.decode(audio=0):
                    audio_frame.pts = None
                    for packet in audio.encode(audio_frame):
                        out.mux(packet)
            for packet in audio.encode(None):
                out.mux(packet)
    return output.getvalue()


def image_mp4() -> bytes:
    """An MP4 holding one still picture and no sound."""
    output = io.BytesIO()
    with av.open(output, "w", format="mp4") as out:
        stream = out.add_stream("mjpeg", rate=1)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuvj420p"
        frame = av.VideoFrame.from_image(drawing((64, 64)))
        frame.pts, frame.time_base = 0, Fraction(1, 1)
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    return output.getvalue()


def empty_wav() -> bytes:
    output = io.BytesIO()
    with wave.open(output, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(48000)
        writer.writeframes(b"")
    return output.getvalue()


def half(data: bytes) -> bytes:
    return data[: len(data) // 2]


# --- recordings that are accepted -----------------------------------------------------------


def test_wav_is_measured(tone_wav: Path) -> None:
    probed = probe_audio(tone_wav.read_bytes())

    assert probed == ProbedAudio(
        duration_seconds=pytest.approx(3.0, abs=0.2),  # type: ignore[arg-type]
        container="wav",
        codec="pcm_s16le",
        sample_rate=48000,
        channels=1,
        content_type="audio/wav",
    )


def test_spoken_ogg_vorbis_from_sox_matches_sox_duration(speech_wav: Path, audio_dir: Path) -> None:
    target = audio_dir / "speech.ogg"
    sox(str(speech_wav), str(target))

    probed = probe_audio(target.read_bytes())

    assert probed.duration_seconds == pytest.approx(sox_duration(speech_wav), abs=0.2)
    assert probed.duration_seconds > 1.0
    assert (probed.container, probed.codec, probed.content_type) == ("ogg", "vorbis", "audio/ogg")


def test_webm_opus_without_a_duration_header_is_measured(tone_wav: Path) -> None:
    # live=1 writes WebM as MediaRecorder streams it: unknown sizes, no duration.
    upload = transcode(tone_wav, "webm", "libopus", {"live": "1"})
    with av.open(io.BytesIO(upload)) as container:
        assert container.duration is None

    probed = probe_audio(upload)

    assert probed.duration_seconds == pytest.approx(3.0, abs=0.2)
    assert (probed.container, probed.codec) == ("webm", "opus")
    assert (probed.sample_rate, probed.channels, probed.content_type) == (48000, 1, "audio/webm")


def test_ogg_opus_is_measured(speech_wav: Path) -> None:
    probed = probe_audio(transcode(speech_wav, "ogg", "libopus"))

    assert probed.duration_seconds == pytest.approx(sox_duration(speech_wav), abs=0.2)
    assert (probed.container, probed.codec, probed.content_type) == ("ogg", "opus", "audio/ogg")


def test_mp4_aac_as_safari_records_is_measured(tone_wav: Path) -> None:
    probed = probe_audio(transcode(tone_wav, "mp4", "aac", {"movflags": "frag_keyframe"}))

    assert probed.duration_seconds == pytest.approx(3.0, abs=0.2)
    assert (probed.container, probed.codec, probed.content_type) == ("mp4", "aac", "audio/mp4")


def test_recording_at_the_limit_is_accepted_despite_codec_padding(audio_dir: Path) -> None:
    target = audio_dir / "two-seconds.m4a"
    sox("-n", "-r", "48000", "-c", "1", str(audio_dir / "two.wav"), "synth", "2", "sine", "300")
    target.write_bytes(transcode(audio_dir / "two.wav", "mp4", "aac"))

    # AAC adds priming samples, so the decoded length is a little over two seconds.
    assert probe_audio(target.read_bytes(), max_seconds=2).duration_seconds >= 2.0


# --- recordings that are refused ------------------------------------------------------------


def hostile_recordings(tone: Path, audio_dir: Path) -> dict[str, tuple[bytes, RejectionReason]]:
    def sox_file(name: str, *effect: str) -> bytes:
        target = audio_dir / name
        sox("-n", "-r", "48000", "-c", "1", str(target), *effect)
        return target.read_bytes()

    webm = transcode(tone, "webm", "libopus", {"live": "1"})
    ogg = transcode(tone, "ogg", "libopus")
    return {
        "empty": (b"", RejectionReason.EMPTY),
        "random bytes": (random.Random(3).randbytes(50_000), RejectionReason.NOT_AUDIO),
        "text renamed .webm": (b"This is my recording, honest.\n" * 50, RejectionReason.NOT_AUDIO),
        "png given as audio": (encode(drawing((64, 64)), "PNG"), RejectionReason.NOT_AUDIO),
        "jpeg given as audio": (encode(drawing((64, 64)), "JPEG"), RejectionReason.NOT_AUDIO),
        "webm cut in half": (half(webm), RejectionReason.CORRUPT_AUDIO),
        "ogg cut in half": (half(ogg), RejectionReason.CORRUPT_AUDIO),
        "ogg header only": (ogg[:200], RejectionReason.CORRUPT_AUDIO),
        "wav cut in half": (half(tone.read_bytes()), RejectionReason.CORRUPT_AUDIO),
        # FFmpeg reads WAV in 4096-byte packets: a cut between two looks like a short file.
        "wav cut between packets": (
            tone.read_bytes()[: 44 + 4096 * 10],
            RejectionReason.CORRUPT_AUDIO,
        ),
        "mp4 cut in half": (half(transcode(tone, "mp4", "aac")), RejectionReason.CORRUPT_AUDIO),
        "mp4 (index first) cut between packets": (
            cut_after_packet(transcode(tone, "mp4", "aac", {"movflags": "faststart"}), 40),
            RejectionReason.CORRUPT_AUDIO,
        ),
        "fragmented mp4 cut between packets": (
            cut_after_packet(transcode(tone, "mp4", "aac", {"movflags": "frag_keyframe"}), 40),
            RejectionReason.CORRUPT_AUDIO,
        ),
        "ac3 in matroska": (transcode(tone, "matroska", "ac3"), RejectionReason.UNSUPPORTED_FORMAT),
        "alac in mp4": (transcode(tone, "mp4", "alac"), RejectionReason.UNSUPPORTED_FORMAT),
        "webm magic then garbage": (
            webm[:4] + random.Random(4).randbytes(5_000),
            RejectionReason.CORRUPT_AUDIO,
        ),
        "ogg with a page torn out": (
            ogg[:1000] + ogg[ogg.index(b"OggS", 4000) :],
            RejectionReason.CORRUPT_AUDIO,
        ),
        "video without sound": (video_webm(), RejectionReason.NO_AUDIO_STREAM),
        "picture in an mp4": (image_mp4(), RejectionReason.NO_AUDIO_STREAM),
        "video with sound": (video_webm(with_audio_from=tone), RejectionReason.UNSUPPORTED_FORMAT),
        "zero-length wav": (empty_wav(), RejectionReason.EMPTY_RECORDING),
        "flac": (
            sox_file("tone.flac", "synth", "1", "sine", "440"),
            RejectionReason.UNSUPPORTED_FORMAT,
        ),
        "aiff": (
            sox_file("tone.aiff", "synth", "1", "sine", "440"),
            RejectionReason.UNSUPPORTED_FORMAT,
        ),
    }


HOSTILE_RECORDING_NAMES = [
    "empty",
    "random bytes",
    "text renamed .webm",
    "png given as audio",
    "jpeg given as audio",
    "webm cut in half",
    "ogg cut in half",
    "ogg header only",
    "wav cut in half",
    "wav cut between packets",
    "mp4 cut in half",
    "mp4 (index first) cut between packets",
    "fragmented mp4 cut between packets",
    "ac3 in matroska",
    "alac in mp4",
    "webm magic then garbage",
    "ogg with a page torn out",
    "video without sound",
    "picture in an mp4",
    "video with sound",
    "zero-length wav",
    "flac",
    "aiff",
]


@pytest.fixture(scope="module")
def hostile(tone_wav: Path, audio_dir: Path) -> dict[str, tuple[bytes, RejectionReason]]:
    made = hostile_recordings(tone_wav, audio_dir)
    assert sorted(made) == sorted(HOSTILE_RECORDING_NAMES)
    return made


@pytest.mark.parametrize("name", HOSTILE_RECORDING_NAMES)
def test_hostile_recording_is_refused(
    hostile: dict[str, tuple[bytes, RejectionReason]], name: str
) -> None:
    upload, reason = hostile[name]

    with pytest.raises(MediaRejected) as refused:
        probe_audio(upload)

    assert refused.value.reason is reason


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow cannot write AVIF")
def test_avif_picture_given_as_audio_is_refused() -> None:
    upload = encode(drawing((64, 64)), "AVIF")
    assert upload[4:8] == b"ftyp"  # an ISO file, like MP4

    with pytest.raises(MediaRejected) as refused:
        probe_audio(upload)

    assert refused.value.reason is RejectionReason.NOT_AUDIO


def test_mp3_is_refused_as_unsupported(tone_wav: Path) -> None:
    upload = transcode(tone_wav, "mp3", "libmp3lame")

    with pytest.raises(MediaRejected) as refused:
        probe_audio(upload)

    assert refused.value.reason is RejectionReason.UNSUPPORTED_FORMAT


@pytest.mark.parametrize("container", ["wav", "webm"])
def test_recording_over_the_time_limit_is_refused(audio_dir: Path, container: str) -> None:
    silence = audio_dir / "silence.wav"
    sox("-n", "-r", "48000", "-c", "1", "-b", "16", str(silence), "trim", "0", "5")
    upload = (
        silence.read_bytes()
        if container == "wav"
        # No duration in the header: the limit must be found by decoding.
        else transcode(silence, "webm", "libopus", {"live": "1"})
    )
    assert probe_audio(upload, max_seconds=6).duration_seconds == pytest.approx(5.0, abs=0.2)

    with pytest.raises(MediaRejected) as refused:
        probe_audio(upload, max_seconds=2)

    assert refused.value.reason is RejectionReason.AUDIO_TOO_LONG
    assert refused.value.details == {"minutes": 1}


def test_recording_over_the_byte_limit_is_refused(tone_wav: Path) -> None:
    upload = tone_wav.read_bytes()

    with pytest.raises(MediaRejected) as refused:
        probe_audio(upload, max_bytes=len(upload) - 1)

    assert refused.value.reason is RejectionReason.TOO_LARGE


# --- what the child is told -----------------------------------------------------------------


def test_every_reason_has_a_message() -> None:
    assert set(REJECTION_MESSAGES) == set(RejectionReason)


def test_message_is_plain_words_with_the_limit_filled_in(app: Flask) -> None:
    too_long = MediaRejected(RejectionReason.AUDIO_TOO_LONG, {"minutes": 10})
    corrupt = MediaRejected(RejectionReason.CORRUPT_IMAGE)

    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert too_long.message() == (
            "That recording is longer than 10 minutes. Please record a shorter one."
        )
        assert corrupt.message() == "That picture could not be opened. Please try drawing it again."
    assert str(too_long) == "audio_too_long"


def test_refusals_wrap_the_underlying_error_for_the_logs() -> None:
    with pytest.raises(MediaRejected) as refused:
        process_drawing(half(encode(drawing(), "PNG")))

    assert refused.value.__cause__ is not None


def test_speech_wav_from_espeak_is_accepted(speech_wav: Path) -> None:
    probed = probe_audio(speech_wav.read_bytes())

    assert probed.duration_seconds == pytest.approx(sox_duration(speech_wav), abs=0.05)
    assert probed.content_type == "audio/wav"
