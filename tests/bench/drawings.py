"""Benchmark: processing a 2048x1536 drawing beside Pillow doing the same job, and our PNG
encoder beside Pillow's and beside other PNG filter and zlib settings, with stock zlib and
with zlib-ng (which ours uses).

Run with ``python -m tests.bench.drawings`` (``make bench`` runs it too). First a bare
Flask "hello" is served by gunicorn as the page benchmark serves it (3 sync workers, 20
clients), so the figures can be placed against issue 15's two machines: 1,307 req/s on the
slower 2-core machine, 3,450 on the one the README's figures come from. The canvases are
strokes on white: opaque and sent as RGB; opaque and sent as RGBA with every alpha 255,
as the child's drawing page sends it (stored as RGB); with a transparent background; and
"page-like": antialiased round strokes (drawn at twice the size, box-reduced) sent as RGB
the way Chromium's ``toBlob()`` writes the page's opaque canvas (the up filter on every
row, zlib level 1), which is what the drawing page uploads and what ``png.read_plain_png``
reads without Pillow; and the same canvas as Firefox writes it (RGBA, the sub filter on
every row, zlib level 3), read the same way. The targets are printed for those two, and
for the slowest of the others (written by Pillow, which chooses each row's filter, as a
file from elsewhere would be: they go through Pillow). Then, for each canvas, where the CPU goes: each
step of ``process_drawing`` timed on its own (one thread), and the sealing of the stored
files by the media store. Every measurement is repeated, alternating with its baseline, and
given as median and min: the development machine is shared, and the min is the run least
disturbed by others. ``BENCH_RUNS`` (default 3) sets the repeats (times 4 for the drawing
figures), ``BENCH_HELLO_RUNS`` (default 3, 0 to skip) the hello runs of ``BENCH_SECONDS``.
"""

from __future__ import annotations

import io
import os
import secrets
import statistics
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from contextlib import ExitStack
from functools import partial
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageOps
from zlib_ng import zlib_ng

from tests.bench.common import free_port, gunicorn, start, wait_until_up
from voice_app.contributions.media import process_drawing
from voice_app.contributions.media.drawings import IMAGE_FORMATS, THUMBNAIL_SIDE, _thumbnail
from voice_app.contributions.media.png import (
    COMPRESS_LEVEL,
    encode_png,
    encode_unfiltered_rows,
    png_chunk,
    read_plain_png,
)
from voice_app.core.storage.store import KEY_BYTES, MediaStore

TARGET_MS = 100.0
SIZE = (2048, 1536)
#: Bare Flask "hello" req/s in issue 15: the slower machine, and the README's machine.
HELLO_SLOWER, HELLO_README = 1307.0, 3450.0
HELLO_WORKERS = 3  # as the page benchmark and `make run` start gunicorn


def canvas(background: tuple[int, int, int, int]) -> Image.Image:
    image = Image.new("RGBA", SIZE, background)
    pen = ImageDraw.Draw(image)
    rng = secrets.SystemRandom()
    for _ in range(120):
        points = [(rng.randrange(SIZE[0]), rng.randrange(SIZE[1])) for _ in range(8)]
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256), 255)
        pen.line(points, fill=colour, width=rng.randrange(4, 30))
    return image


def page_canvas() -> Image.Image:
    """Like a canvas from the drawing page: white paper, antialiased round strokes."""
    double = (SIZE[0] * 2, SIZE[1] * 2)
    image = Image.new("RGBA", double, (255, 255, 255, 255))
    pen = ImageDraw.Draw(image)
    rng = secrets.SystemRandom()
    for _ in range(120):
        points = [(rng.randrange(double[0]), rng.randrange(double[1])) for _ in range(8)]
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256), 255)
        pen.line(points, fill=colour, width=rng.randrange(8, 60), joint="curve")
    return image.reduce(2)  # every stroke edge blended with the paper, as a browser draws


def png(image: Image.Image, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", **options)
    return out.getvalue()


def pillow(level: int) -> Callable[[Image.Image], bytes]:
    return lambda image: png(image, compress_level=level, optimize=False)


def ours(image: Image.Image) -> bytes:
    return encode_png(image.mode, image.width, image.height, image.tobytes())


def filtered_png(
    filter_type: int, level: int, strategy: int, deflate: Any = zlib
) -> Callable[[Image.Image], bytes]:
    """A PNG with one filter on every row (0 none, 1 sub, 2 up) and the given zlib settings,
    deflated by ``deflate``: stock ``zlib`` or ``zlib_ng``.

    The rows are filtered with numpy and compressed in one call, so each time here carries
    about two extra copies of the pixels ("filter none, zlib-ng 1" is our encoder's output,
    built that way): compare sizes first, and times only between these rows.
    """

    def encode(image: Image.Image) -> bytes:
        channels = len(image.mode)
        rows = np.frombuffer(image.tobytes(), np.uint8).reshape(image.height, -1)
        out = np.empty((rows.shape[0], rows.shape[1] + 1), np.uint8)
        out[:, 0] = filter_type
        if filter_type == 1:  # sub: each byte less the same channel of the pixel to its left
            out[:, 1 : 1 + channels] = rows[:, :channels]
            np.subtract(rows[:, channels:], rows[:, :-channels], out=out[:, 1 + channels :])
        elif filter_type == 2:  # up: each byte less the one above it
            out[0, 1:] = rows[0]
            np.subtract(rows[1:], rows[:-1], out=out[1:, 1:])
        else:
            out[:, 1:] = rows
        compressor = deflate.compressobj(level, deflate.DEFLATED, 15, 8, strategy)
        idat = compressor.compress(out.tobytes()) + compressor.flush()
        colour_type = {"RGB": 2, "RGBA": 6}[image.mode]
        header = image.width.to_bytes(4, "big") + image.height.to_bytes(4, "big")
        header += bytes((8, colour_type, 0, 0, 0))
        return b"\x89PNG\r\n\x1a\n" + b"".join(
            (png_chunk(b"IHDR", header), png_chunk(b"IDAT", idat), png_chunk(b"IEND", b""))
        )

    return encode


def pillow_way(upload: bytes) -> bytes:
    """The baseline for the whole job: Pillow alone, at its fastest PNG setting."""
    image = Image.open(io.BytesIO(upload))
    image.load()
    ImageOps.exif_transpose(image, in_place=True)
    data = png(image, compress_level=1, optimize=False)
    thumb = image.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    thumb.save(out, format="WEBP", quality=80, method=2)
    return data + out.getvalue()


def alternate(
    jobs: dict[str, Callable[[Any], object]], argument: object, runs: int
) -> tuple[dict[str, list[float]], dict[str, list[float]], dict[str, object]]:
    """Wall ms and this process's CPU ms for each job on ``argument``, in turn, ``runs`` times."""
    wall: dict[str, list[float]] = {name: [] for name in jobs}
    cpu: dict[str, list[float]] = {name: [] for name in jobs}
    last: dict[str, object] = {}
    for _ in range(runs):
        for name, job in jobs.items():
            started, cpu_started = time.perf_counter(), time.process_time()
            last[name] = job(argument)
            wall[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((time.process_time() - cpu_started) * 1000)
    return wall, cpu, last


def median_min(samples: list[float]) -> str:
    return f"{statistics.median(samples):7.1f} (min {min(samples):6.1f})"


def hello_rps(runs: int) -> list[float]:
    """Requests per second of the bare Flask app under gunicorn, as the page bench runs it."""
    from tests.bench.pages import load  # here: it reads BENCH_SECONDS on import

    if runs < 1:
        return []
    with ExitStack() as stack:
        port = free_port()
        start(stack, gunicorn(port, "tests.bench.hello_app:app", HELLO_WORKERS), dict(os.environ))
        wait_until_up(port, "/")
        return [load(port, "/", {})[0] for _ in range(runs)]


def timed(job: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall and CPU ms of ``job`` over ``runs`` runs."""
    wall, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        job()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def stages(upload: bytes, runs: int) -> None:
    """Where ``process_drawing``'s CPU goes: each step on its own, in one thread."""

    def header_and_verify() -> None:
        with Image.open(io.BytesIO(upload), formats=IMAGE_FORMATS) as header:
            header.verify()

    def decode() -> Image.Image:
        image = Image.open(io.BytesIO(upload), formats=IMAGE_FORMATS)
        image.load()
        return image

    def pillow_reading() -> Image.Image:
        header_and_verify()
        return decode()

    steps: dict[str, Callable[[], object]] = {}
    plain = read_plain_png(upload, max_side=SIZE[0], max_pixels=SIZE[0] * SIZE[1] * 2)
    if plain is not None:
        # The drawing page's own PNG: read by ``png.read_plain_png``, not by Pillow.
        as_stored = plain.opaque_as_rgb()
        stored = encode_unfiltered_rows(as_stored.mode, *SIZE, as_stored.rows)
        thumbnail, _type = _thumbnail(as_stored.image())
        steps["read plain PNG (CRCs, zlib-ng inflate, unfilter)"] = lambda: read_plain_png(
            upload, max_side=SIZE[0], max_pixels=SIZE[0] * SIZE[1] * 2
        )
        steps["Pillow's verify() + load() instead, for comparison"] = pillow_reading
        steps[f"drop an opaque alpha ({plain.mode} to {as_stored.mode})"] = plain.opaque_as_rgb
        steps[f"encode PNG (zlib-ng {COMPRESS_LEVEL}, {len(stored) // 1024} KiB)"] = partial(
            encode_unfiltered_rows, as_stored.mode, *SIZE, as_stored.rows
        )
        steps["thumbnail (2nd thread): copy, resize, WEBP"] = lambda: _thumbnail(as_stored.image())
    else:
        image = decode()
        mode = image.mode
        steps["header + verify() (chunk CRCs)"] = header_and_verify
        steps["decode: inflate, unfilter (load())"] = decode
        if image.mode == "RGBA":
            steps["alpha check (getextrema of A)"] = lambda: image.getchannel("A").getextrema()
            if image.getchannel("A").getextrema() == (255, 255):
                mode = "RGB"
        pixels = image.tobytes("raw", mode)
        stored = encode_png(mode, image.width, image.height, pixels)
        preview = image if image.mode == mode else Image.frombytes(mode, image.size, pixels)
        thumbnail, _type = _thumbnail(preview)
        steps[f"pack pixels ({image.mode} to {mode})"] = lambda: image.tobytes("raw", mode)
        steps[f"encode PNG (zlib-ng {COMPRESS_LEVEL}, {len(stored) // 1024} KiB)"] = partial(
            encode_png, mode, image.width, image.height, pixels
        )
        steps["thumbnail (2nd thread): resize, WEBP"] = partial(_thumbnail, preview)
    with tempfile.TemporaryDirectory() as folder:
        store = MediaStore(folder, secrets.token_bytes(KEY_BYTES))
        steps["seal + store both (AES-GCM, fsync)"] = lambda: (
            store.put(stored),
            store.put(thumbnail),
        )
        steps["whole process_drawing (2 threads)"] = lambda: process_drawing(upload)
        figures = {name: timed(step, runs) for name, step in steps.items()}
    print(f"  where the CPU goes, {runs} runs each: CPU ms (wall ms), median")
    for name, (wall, cpu) in figures.items():
        print(f"    {name:<40} {cpu:6.1f} ({wall:6.1f})")


def compare_encoders(label: str, image: Image.Image, runs: int) -> None:
    """Our encoder, Pillow's, and other filter and zlib settings on the same pixels.

    Pillow's own rows deflate with whatever zlib the dynamic linker gives it: its wheel is
    built against zlib-ng's headers but leaves ``libz.so.1`` to the system, here stock
    zlib 1.2.13 (``features.version("zlib")``).
    """
    encoders: dict[str, Callable[[Image.Image], bytes]] = {
        f"ours (no filter, zlib-ng {COMPRESS_LEVEL})": ours,
        **{f"Pillow compress_level={level} (adaptive)": pillow(level) for level in (1, 2, 3)},
    }
    for filter_type, filter_name, level, strategy, strategy_name in (
        (0, "none", 1, zlib_ng.Z_DEFAULT_STRATEGY, ""),
        (0, "none", 2, zlib_ng.Z_DEFAULT_STRATEGY, ""),
        (0, "none", 3, zlib_ng.Z_DEFAULT_STRATEGY, ""),
        (0, "none", 1, zlib_ng.Z_RLE, " Z_RLE"),
        (1, "sub", 1, zlib_ng.Z_DEFAULT_STRATEGY, ""),
        (2, "up", 1, zlib_ng.Z_DEFAULT_STRATEGY, ""),
    ):
        name = f"filter {filter_name}, zlib-ng {level}{strategy_name}"
        encoders[name] = filtered_png(filter_type, level, strategy, zlib_ng)
    for filter_type, filter_name in ((0, "none"), (1, "sub"), (2, "up")):
        for level, strategy, strategy_name in (
            (1, zlib.Z_DEFAULT_STRATEGY, ""),
            (2, zlib.Z_DEFAULT_STRATEGY, ""),
            (3, zlib.Z_DEFAULT_STRATEGY, ""),
            (1, zlib.Z_RLE, " Z_RLE"),
            (3, zlib.Z_FILTERED, " Z_FILTERED"),
        ):
            name = f"filter {filter_name}, zlib {level}{strategy_name}"
            encoders[name] = filtered_png(filter_type, level, strategy)
    wall, _cpu, outputs = alternate(encoders, image, runs * 2)
    base = statistics.median(wall[next(iter(encoders))])
    print(f"{label + ':':<41}{'ms, median (min)':<20} {'÷ ours':>6} {'KiB':>6}")
    for name, samples in wall.items():
        size = len(outputs[name])  # type: ignore[arg-type]
        print(
            f"  {name:<38} {median_min(samples)} {statistics.median(samples) / base:6.2f}"
            f" {size / 1024:6.0f}"
        )


def main() -> int:
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    hello = hello_rps(int(os.environ.get("BENCH_HELLO_RUNS", "3")))
    if hello:
        print(
            f'bare Flask "hello", gunicorn {HELLO_WORKERS} workers, 20 clients, {len(hello)} '
            f"runs: median {statistics.median(hello):,.0f} req/s, best {max(hello):,.0f} "
            f"(issue 15: {HELLO_SLOWER:,.0f} on the slower machine, {HELLO_README:,.0f} on "
            "the README's)"
        )
        print(
            f"  this machine, now: {statistics.median(hello) / HELLO_SLOWER:.2f}x the slower "
            f"machine's hello, {statistics.median(hello) / HELLO_README:.2f}x the README's "
            "(served while the machine's other load ran, like the figures below)"
        )
    print()
    print(f"Encoders on the same pixels, {runs * 2} runs each alternating: ms, median (min)")
    # Each canvas's whole drawing: median, min, ratio to Pillow alone, Pillow's median, CPU.
    figures: dict[str, tuple[float, float, float, float, float]] = {}
    # What the drawing page's toBlob() sends, as Chromium writes it: RGB (the page's
    # canvas is opaque), the up filter on every row, zlib level 1 (read from a canvas it
    # encoded, 2026-11-28; tests/contributions/test_drawing_png.py checks it still is).
    chromium_png = filtered_png(2, 1, zlib.Z_DEFAULT_STRATEGY)
    # Firefox's nsPNGEncoder: "sub" on every row, zlib level 3, RGBA.
    firefox_png = filtered_png(1, 3, zlib.Z_DEFAULT_STRATEGY)
    page = "page-like, sent as Chromium does"
    pages = (page, "page-like, sent as Firefox does")
    for label, image, stored_as, encode_upload in (
        # The first three are written by Pillow (every row's filter chosen: a file from
        # elsewhere, or another browser's encoder), so Pillow reads them too.
        ("opaque, sent as RGB", canvas((255, 255, 255, 255)).convert("RGB"), "RGB", png),
        # White paper, every alpha 255.
        ("opaque, sent as RGBA", canvas((255, 255, 255, 255)), "", png),
        ("transparent RGBA", canvas((255, 255, 255, 0)), "RGBA", png),
        (page, page_canvas().convert("RGB"), "RGB", chromium_png),
        (pages[1], page_canvas(), "", firefox_png),
    ):
        if stored_as:  # the stored pixels of an opaque RGBA canvas are RGB
            compare_encoders(label, image.convert(stored_as), runs)
        else:
            print(f"{label}: stored as RGB, so its encoders are as above")
        upload = encode_upload(image)
        print(f"  upload {len(upload) // 1024} KiB")
        wall, cpu, _outputs = alternate(
            {"process_drawing": process_drawing, "Pillow alone": pillow_way}, upload, runs * 4
        )
        ours_ms = statistics.median(wall["process_drawing"])
        pillow_ms = statistics.median(wall["Pillow alone"])
        print(f"  whole drawing, {runs * 4} runs alternating:")
        print(
            f"    process_drawing      {median_min(wall['process_drawing'])} ms, "
            f"CPU {statistics.median(cpu['process_drawing']):.1f} ms"
        )
        print(
            f"    Pillow alone         {median_min(wall['Pillow alone'])} ms, "
            f"CPU {statistics.median(cpu['Pillow alone']):.1f} ms "
            "(decode, PNG at compress_level=1, thumbnail(), WEBP)"
        )
        ours_cpu = statistics.median(cpu["process_drawing"])
        cpu_ratio = ours_cpu / statistics.median(cpu["Pillow alone"])
        print(f"    ratio                {ours_ms / pillow_ms:7.2f} (CPU {cpu_ratio:.2f})")
        figures[label] = (
            ours_ms,
            min(wall["process_drawing"]),
            ours_ms / pillow_ms,
            pillow_ms,
            ours_cpu,
        )
        stages(upload, runs * 3)
    print()
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    print("targets:")
    # The slower machine's target brought to this one by the two machines' hello
    # figures: a rough scale (hello is mostly Python, a drawing mostly C).
    here = TARGET_MS / (statistics.median(hello) / HELLO_SLOWER) if hello else None
    worst_other = max((name for name in figures if name not in pages), key=lambda n: figures[n][0])
    for title, label in (
        ("as the drawing page sends it from Chromium", pages[0]),
        ("as the drawing page sends it from Firefox", pages[1]),
        (f"worst PNG from another encoder ({worst_other})", worst_other),
    ):
        whole, fastest, ratio, pillow_ms, cpu_ms = figures[label]
        met = "met" if whole < TARGET_MS else "MISSED"
        print(
            f"  drawing 2048x1536, {title} < {TARGET_MS:.0f} ms: median {whole:.1f}, "
            f"min {fastest:.1f} ms: {met}; {ratio:.2f}x Pillow alone ({pillow_ms:.1f} ms); "
            f"CPU {cpu_ms:.1f} ms (both threads)"
        )
        if here is not None:
            print(
                f"    the same here, scaled by hello to the slower machine < {here:.0f} ms: "
                f"{'met' if whole < here else 'MISSED'}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
