"""A drawing in a report or plan PDF keeps every pixel it was stored with, whether its PNG's
pixels go into the PDF as they are (``unchanged_png_pixels``) or through WeasyPrint's own
encoder (transparency, 16 bits, interlacing, palettes)."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from voice_app.contributions.media.png import encode_png
from voice_app.reports import pdf


def strokes(mode: str, size: tuple[int, int] = (120, 90)) -> Image.Image:
    """Coloured strokes on white (on transparent for RGBA), as the drawing page makes them."""
    image = Image.new(mode, size, "white" if mode != "RGBA" else (255, 255, 255, 0))
    pen = ImageDraw.Draw(image)
    rng = random.Random(7)
    for _ in range(12):
        points = [(rng.randrange(size[0]), rng.randrange(size[1])) for _ in range(4)]
        colour = tuple(rng.randrange(256) for _ in range(3))
        pen.line(points, fill=(*colour, 255) if mode == "RGBA" else colour, width=5)
    return image


def saved(image: Image.Image, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", **options)
    return out.getvalue()


def pictures_in(document: bytes) -> list[Image.Image]:
    found = {}
    for page in PdfReader(io.BytesIO(document)).pages:
        for picture in page.images:
            found.setdefault(picture.data, picture.image)
    return [image for image in found.values() if image is not None]


def made_with(data: bytes) -> Image.Image:
    document = pdf.render_pdf(
        '<img src="report-picture:1" style="width: 60mm">',
        {"report-picture:1": (data, "image/png")},
    )
    (picture,) = pictures_in(document)
    return picture


def test_a_stored_drawing_goes_into_the_pdf_pixel_for_pixel_without_encoding_again():
    drawn = strokes("RGB")
    stored = encode_png("RGB", drawn.width, drawn.height, drawn.tobytes())
    opened = Image.open(io.BytesIO(stored))
    # The stored PNG's pixels are taken as they are ...
    idat = pdf.unchanged_png_pixels(opened)
    assert idat is not None and idat in stored
    # ... and the PDF shows exactly the drawing.
    assert made_with(stored).convert("RGB").tobytes() == drawn.tobytes()


def test_pillow_pngs_with_row_filters_are_also_carried_pixel_for_pixel():
    drawn = strokes("RGB")
    for level in (1, 9):
        stored = saved(drawn, compress_level=level)
        assert pdf.unchanged_png_pixels(Image.open(io.BytesIO(stored))) is not None
        assert made_with(stored).convert("RGB").tobytes() == drawn.tobytes()


@pytest.mark.parametrize(
    ("why", "image", "options"),
    [
        ("transparent", strokes("RGBA"), {}),
        ("a palette", strokes("RGB").convert("P"), {}),
        ("a transparent colour", strokes("RGB"), {"transparency": (255, 255, 255)}),
    ],
)
def test_other_pngs_go_through_the_encoder_and_still_show_the_drawing(why, image, options):
    stored = saved(image, **options)
    assert pdf.unchanged_png_pixels(Image.open(io.BytesIO(stored))) is None, why
    shown = made_with(stored).convert("RGB")
    expected = image.convert("RGBA")
    on_white = Image.new("RGBA", expected.size, "white")
    on_white.alpha_composite(expected)
    if why in ("transparent", "a transparent colour"):
        # The mask is kept beside the colours: the colours of the drawn strokes are there.
        drawn = [
            (x, y)
            for x in range(image.width)
            for y in range(image.height)
            if expected.getpixel((x, y))[3] == 255
        ]
        assert drawn
        assert all(shown.getpixel(p) == expected.getpixel(p)[:3] for p in drawn[:500])
    else:
        assert shown.tobytes() == on_white.convert("RGB").tobytes()


@pytest.mark.parametrize(("why", "at", "value"), [("16 bits", 24, 16), ("interlaced", 28, 1)])
def test_sixteen_bit_and_interlaced_pngs_are_not_taken_as_they_are(why, at, value):
    stored = saved(strokes("RGB"))
    assert pdf.unchanged_png_pixels(Image.open(io.BytesIO(stored))) is not None
    # Read from the file's own header, not from the mode Pillow reports (Pillow opens a
    # 16-bit PNG as RGB, and writes no interlaced ones to test with).
    changed = Image.open(io.BytesIO(stored))
    changed.fp = io.BytesIO(stored[:at] + bytes([value]) + stored[at + 1 :])
    assert pdf.unchanged_png_pixels(changed) is None, why


def test_a_png_cut_short_is_left_to_the_decoder():
    stored = saved(strokes("RGB"))
    image = Image.open(io.BytesIO(stored))
    image.fp = io.BytesIO(stored[: len(stored) // 2])
    assert pdf.unchanged_png_pixels(image) is None
