"""Benchmark: processing a 2048x1536 drawing, and our PNG encoder beside Pillow's.

Run with ``python -m tests.bench.drawings`` (``make bench`` runs it too). The canvases are
strokes on white, as the child's drawing page sends them: one opaque, one with a
transparent background. Each encoder is timed on the same pixels, alternating, and the
figures are medians with their range.
"""

from __future__ import annotations

import io
import os
import secrets
import statistics
import sys
import time
from collections.abc import Callable

from PIL import Image, ImageDraw

from voice_app.contributions.media import process_drawing
from voice_app.contributions.media.drawings import _encode_png

TARGET_MS = 100.0
SIZE = (2048, 1536)


def canvas(background: tuple[int, int, int, int]) -> Image.Image:
    image = Image.new("RGBA", SIZE, background)
    pen = ImageDraw.Draw(image)
    rng = secrets.SystemRandom()
    for _ in range(120):
        points = [(rng.randrange(SIZE[0]), rng.randrange(SIZE[1])) for _ in range(8)]
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256), 255)
        pen.line(points, fill=colour, width=rng.randrange(4, 30))
    return image


def png(image: Image.Image, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", **options)
    return out.getvalue()


def pillow(level: int) -> Callable[[Image.Image], bytes]:
    return lambda image: png(image, compress_level=level, optimize=False)


def ours(image: Image.Image) -> bytes:
    return _encode_png(image.mode, image.width, image.height, image.tobytes())


def main() -> int:
    runs = int(os.environ.get("BENCH_RUNS", "3")) * 4
    print(f"{os.cpu_count()} cores; {runs} runs each, alternating; median (range) ms, size")
    worst = 0.0
    for label, image in (
        ("opaque RGB", canvas((255, 255, 255, 255)).convert("RGB")),
        ("transparent RGBA", canvas((255, 255, 255, 0))),
    ):
        encoders = {
            "ours, level 3": ours,
            **{f"Pillow, compress_level={level}": pillow(level) for level in (1, 2, 3)},
        }
        times: dict[str, list[float]] = {name: [] for name in encoders}
        sizes = {}
        for _ in range(runs):
            for name, encode in encoders.items():
                started = time.perf_counter()
                sizes[name] = len(encode(image))
                times[name].append((time.perf_counter() - started) * 1000)
        print(f"{label}:")
        for name, samples in times.items():
            print(
                f"  {name:<26} {statistics.median(samples):7.1f} ({min(samples):.1f}-"
                f"{max(samples):.1f}) ms  {sizes[name] / 1024:8.0f} KiB"
            )
        upload = png(image)
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            process_drawing(upload)
            samples.append((time.perf_counter() - started) * 1000)
        whole = statistics.median(samples)
        worst = max(worst, whole)
        print(
            f"  process_drawing, whole     {whole:7.1f} ({min(samples):.1f}-{max(samples):.1f}) ms"
        )
    print()
    print("targets:")
    met = "met" if worst < TARGET_MS else "MISSED"
    print(f"  drawing < {TARGET_MS:.0f} ms, 2048x1536 (worst canvas): {worst:.1f} {met}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
