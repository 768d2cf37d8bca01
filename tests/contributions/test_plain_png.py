"""The drawing page's own PNGs are read without Pillow (``png.read_plain_png``), faster.

That reader may only ever be a shortcut: for every upload, ``process_drawing`` must give
exactly what Pillow's path gives (the same stored bytes, preview and size, or the same
refusal). Any PNG that is not plain (another filter, metadata, damage, a bomb) must be
left to Pillow.
"""

from __future__ import annotations

import io
import random
import struct
import tracemalloc
import zlib
from collections.abc import Callable

import numpy as np
import pytest
from PIL import Image

from voice_app.contributions.media import drawings, png, process_drawing
from voice_app.contributions.media.rejections import MediaRejected

LIMITS = {"max_side": 2048, "max_pixels": 2048 * 2048 * 2}
NONE, SUB, UP, AVERAGE, PAETH = range(5)


def random_pixels(mode: str, size: tuple[int, int], seed: int) -> np.ndarray:
    """Noise with flat runs: every byte value occurs, so "up" wraps round 256 often."""
    rng = np.random.default_rng(seed)
    shape = (size[1], size[0], len(mode))
    pixels = rng.integers(0, 256, shape, dtype=np.uint8)
    pixels[:, : size[0] // 3] = rng.integers(0, 256, len(mode), dtype=np.uint8)  # paper
    return pixels


def written_png(
    pixels: np.ndarray,
    filters: list[int],
    *,
    chunk_size: int = 65536,
    level: int = 1,
    interlace: int = 0,
    depth: int = 8,
    colour_type: int | None = None,
    after_stream: bytes = b"",
    damaged_at: int | None = None,
    stream_cut: int = 0,
    extra_chunks: tuple[tuple[bytes, bytes], ...] = (),
) -> bytes:
    """A PNG of ``pixels`` with the given filter on each row, as an encoder might write it.

    "none", "sub" and "up" rows are filtered truly; other filters get the row's bytes as
    they are (valid data for any filter: Pillow decodes it to some other picture).
    """
    height, width, channels = pixels.shape
    rows = pixels.reshape(height, width * channels).astype(np.int16)
    lines = []
    for index, kind in enumerate(filters):
        above = rows[index - 1] if index else np.zeros_like(rows[0])
        if kind == UP:
            data = (rows[index] - above) % 256
        elif kind == SUB:  # less the same channel of the pixel to the left
            left = np.concatenate([np.zeros(channels, np.int16), rows[index][:-channels]])
            data = (rows[index] - left) % 256
        else:
            data = rows[index]
        lines.append(bytes([kind]) + data.astype(np.uint8).tobytes())
    stream = zlib.compress(b"".join(lines), level) + after_stream
    stream = stream[: len(stream) - stream_cut]
    if damaged_at is not None:  # a changed byte inside the stream, under right CRCs
        stream = stream[:damaged_at] + bytes([stream[damaged_at] ^ 0x55]) + stream[damaged_at + 1 :]
    if colour_type is None:
        colour_type = {3: 2, 4: 6}[channels]
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, interlace)
    parts = [png.PNG_SIGNATURE, png.png_chunk(b"IHDR", header)]
    parts += [png.png_chunk(kind, body) for kind, body in extra_chunks]
    for start in range(0, len(stream), chunk_size):
        parts.append(png.png_chunk(b"IDAT", stream[start : start + chunk_size]))
    parts.append(png.png_chunk(b"IEND", b""))
    return b"".join(parts)


def through_pillow_only(upload: bytes, monkeypatch: pytest.MonkeyPatch) -> object:
    """What ``process_drawing`` gives with the plain reader turned off: the result, or
    the refusal's reason."""
    with monkeypatch.context() as patch:
        patch.setattr(drawings, "read_plain_png", lambda *_args, **_kwargs: None)
        return outcome(upload)


def outcome(upload: bytes) -> object:
    try:
        result = process_drawing(upload)
    except MediaRejected as refusal:
        return refusal.reason
    return (result, result.thumbnail)


FILTER_PATTERNS: dict[str, Callable[[int], list[int]]] = {
    "up on every row, as Chromium writes": lambda height: [UP] * height,
    "sub on every row, as Firefox writes": lambda height: [SUB] * height,
    "none on every row": lambda height: [NONE] * height,
    "none, sub and up mixed": lambda height: random.Random(height).choices(
        (NONE, SUB, UP), k=height
    ),
}


@pytest.mark.parametrize("pattern", FILTER_PATTERNS)
@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
@pytest.mark.parametrize("size", [(1, 1), (3, 2), (97, 61), (640, 480)])
def test_plain_png_reads_as_pillow_reads_it(mode: str, size: tuple[int, int], pattern: str) -> None:
    pixels = random_pixels(mode, size, seed=size[0] * 7 + len(mode))
    upload = written_png(pixels, FILTER_PATTERNS[pattern](size[1]), chunk_size=997)

    plain = png.read_plain_png(upload, **LIMITS)

    assert plain is not None
    assert (plain.mode, plain.width, plain.height) == (mode, *size)
    assert plain.pixels.tobytes() == Image.open(io.BytesIO(upload)).tobytes() == pixels.tobytes()
    assert not plain.rows[:, 0].any()  # every row now filtered "none", ready to deflate


@pytest.mark.parametrize("background", ["opaque", "transparent"])
@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_drawing_read_plain_is_stored_exactly_as_through_pillow(
    mode: str, background: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored PNG, preview and size: byte for byte what Pillow's path gives, an opaque
    RGBA canvas stored as RGB in both."""
    pixels = random_pixels(mode, (1200, 900), seed=3)
    if mode == "RGBA" and background == "opaque":
        pixels[..., 3] = 255
    upload = written_png(pixels, [UP, SUB] * 450)
    assert png.read_plain_png(upload, **LIMITS) is not None

    result = process_drawing(upload)

    assert (result, result.thumbnail) == through_pillow_only(upload, monkeypatch)
    stored = Image.open(io.BytesIO(result.data))
    assert stored.mode == ("RGBA" if mode == "RGBA" and background == "transparent" else "RGB")


def plain_rgb(**options: object) -> bytes:
    pixels = random_pixels("RGB", (64, 40), seed=9)
    filters = options.pop("filters", [UP] * 40)
    return written_png(pixels, filters, **options)  # type: ignore[arg-type]


def with_byte(data: bytes, at: int, value: int) -> bytes:
    return data[:at] + bytes([value]) + data[at + 1 :]


NOT_PLAIN: dict[str, Callable[[], bytes]] = {
    "a row filtered average": lambda: plain_rgb(filters=[UP] * 39 + [AVERAGE]),
    "a row filtered paeth": lambda: plain_rgb(filters=[PAETH] + [UP] * 39),
    "a filter byte that is no filter": lambda: plain_rgb(filters=[UP] * 39 + [7]),
    "interlaced": lambda: plain_rgb(interlace=1),
    "16 bits a channel": lambda: plain_rgb(depth=16),
    "grey, not colour": lambda: plain_rgb(colour_type=0),
    "a text chunk": lambda: plain_rgb(extra_chunks=((b"tEXt", b"Comment\x00hello"),)),
    "an EXIF chunk": lambda: plain_rgb(extra_chunks=((b"eXIf", b"MM\x00*\x00\x00\x00\x08"),)),
    "bytes after the end": lambda: plain_rgb() + b"<script>alert(1)</script>",
    "bytes after the zlib stream": lambda: plain_rgb(after_stream=b"hidden"),
    "a damaged CRC": lambda: with_byte(plain_rgb(), len(plain_rgb()) - 13, plain_rgb()[-13] ^ 1),
    "a damaged stream under right CRCs": lambda: plain_rgb(damaged_at=40),
    "a damaged checksum at the stream's end": lambda: plain_rgb(damaged_at=-1),
    "a stream without its checksum": lambda: plain_rgb(stream_cut=4),
    "cut short": lambda: plain_rgb()[:-30],
    "no IEND": lambda: plain_rgb()[:-12],
    "wider than the page allows": lambda: written_png(random_pixels("RGB", (2049, 2), 1), [UP, UP]),
    "a palette": lambda: palette_png(),
    "a JPEG": lambda: jpeg(),
}


def palette_png() -> bytes:
    out = io.BytesIO()
    Image.new("P", (30, 20), 3).save(out, format="PNG")
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(out, format="JPEG")
    return out.getvalue()


@pytest.mark.parametrize("name", NOT_PLAIN)
def test_anything_not_plain_is_left_to_pillow(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    upload = NOT_PLAIN[name]()

    assert png.read_plain_png(upload, **LIMITS) is None
    assert outcome(upload) == through_pillow_only(upload, monkeypatch)


def test_rows_short_of_the_picture_are_left_to_pillow_and_refused() -> None:
    """An IDAT that inflates to fewer rows than IHDR says: Pillow refuses it as damaged."""
    pixels = random_pixels("RGB", (64, 40), seed=2)
    upload = written_png(pixels, [UP] * 40)
    at = upload.index(b"IHDR") + 8
    taller = (
        upload[: at - 8]
        + png.png_chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 41, 8, 2, 0, 0, 0))
        + upload[at + 13 + 4 :]
    )

    assert png.read_plain_png(taller, **LIMITS) is None
    with pytest.raises(MediaRejected):
        process_drawing(taller)


def test_a_bomb_is_not_inflated(monkeypatch: pytest.MonkeyPatch) -> None:
    """IHDR says 64x64, the stream holds 200 MB of zeros: the reader stops one byte past
    the picture's rows (it never holds more than a few MB) and leaves the file to
    Pillow, which reads the rows it needs and ignores the rest."""
    compressor = zlib.compressobj(9)
    stream = b"".join(compressor.compress(bytes(1 << 20)) for _ in range(200)) + compressor.flush()
    header = struct.pack(">IIBBBBB", 64, 64, 8, 2, 0, 0, 0)
    upload = b"".join(
        (
            png.PNG_SIGNATURE,
            png.png_chunk(b"IHDR", header),
            png.png_chunk(b"IDAT", stream),
            png.png_chunk(b"IEND", b""),
        )
    )

    tracemalloc.start()
    try:
        assert png.read_plain_png(upload, **LIMITS) is None
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024
    assert outcome(upload) == through_pillow_only(upload, monkeypatch)


def chunk_list(data: bytes) -> list[list[bytes]]:
    """A PNG's chunks as [kind, body] pairs (CRCs dropped: ``png_chunk`` writes them)."""
    found, at = [], len(png.PNG_SIGNATURE)
    while at + 8 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        found.append([data[at + 4 : at + 8], data[at + 8 : at + 8 + length]])
        at += 12 + length
    return found


def mutated(rng: random.Random, data: bytes) -> bytes:
    """``data`` changed as a hostile sender might, every CRC made right again: a byte of a
    chunk or of IHDR's fields, a chunk dropped or added, or the rows themselves (a filter
    byte, a pixel, rows cut short or made longer) deflated again."""
    chunks = chunk_list(data)
    for _ in range(rng.randint(1, 2)):
        choice, at = rng.random(), rng.randrange(len(chunks))
        body = chunks[at][1]
        if choice < 0.3 and body:
            spot = rng.randrange(len(body))
            chunks[at][1] = body[:spot] + bytes([rng.randrange(256)]) + body[spot + 1 :]
        elif choice < 0.45 and chunks[0][0] == b"IHDR" and len(chunks[0][1]) == 13:
            spot, value = rng.randrange(13), rng.choice((0, 1, 2, 3, 4, 6, 8, 16, 255))
            chunks[0][1] = chunks[0][1][:spot] + bytes([value]) + chunks[0][1][spot + 1 :]
        elif choice < 0.6:
            del chunks[at]
        elif choice < 0.7:
            extra = rng.choice((b"tEXt", b"IDAT", b"IEND", b"PLTE", b"tRNS", b"eXIf", b"IHDR"))
            chunks.insert(
                rng.randrange(len(chunks) + 1), [extra, rng.randbytes(rng.randint(0, 12))]
            )
        elif any(kind == b"IDAT" for kind, _ in chunks):
            try:
                rows = bytearray(zlib.decompress(b"".join(b for k, b in chunks if k == b"IDAT")))
            except zlib.error:  # an earlier change already broke the stream
                continue
            width, colour = struct.unpack(">I5xB", chunks[0][1][:10].ljust(10, b"\0"))[:2]
            stride = 1 + width * {2: 3, 6: 4}.get(colour, 3)
            if rows and rng.random() < 0.5:  # a row's filter byte
                rows[rng.randrange(len(rows)) // stride * stride] = rng.choice((0, 1, 2, 3, 4, 5))
            elif rows:  # a pixel
                rows[rng.randrange(len(rows))] = rng.randrange(256)
            if rng.random() < 0.3:
                rows = rows[: rng.randrange(len(rows) + 1)]
            elif rng.random() < 0.3:
                rows += rng.randbytes(5)
            first = next(i for i, (kind, _) in enumerate(chunks) if kind == b"IDAT")
            chunks = [chunk for chunk in chunks if chunk[0] != b"IDAT"]
            chunks.insert(first, [b"IDAT", zlib.compress(bytes(rows), 1)])
        if not chunks:
            break
    return png.PNG_SIGNATURE + b"".join(png.png_chunk(kind, body) for kind, body in chunks)


def test_any_change_to_a_plain_png_gives_what_pillow_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """600 hostile changes to plain PNGs, CRCs made right so they reach the rows: with the
    plain reader or without it, each gives the same stored bytes or the same refusal."""
    rng = random.Random(24)
    originals = [
        written_png(
            random_pixels(mode, (33, 21), seed),
            rng.choices((NONE, SUB, UP), k=21),
            chunk_size=rng.choice((50, 300, 5000)),
        )
        for seed in range(3)
        for mode in ("RGB", "RGBA")
    ]
    still_plain = 0
    for _ in range(600):
        upload = mutated(rng, rng.choice(originals))
        still_plain += png.read_plain_png(upload, **LIMITS) is not None
        assert outcome(upload) == through_pillow_only(upload, monkeypatch)
    assert still_plain > 30  # the reader itself was tried, not only its refusals
