"""The stored drawing is the child's picture exactly: the same pixels in Pillow and Chromium.

The PNG is written by our own encoder (``png.encode_png``), so these tests read it
back with two independent decoders: Pillow, and Chromium's own image decoder (WebCodecs
``ImageDecoder``, asked not to premultiply alpha or convert colour, so every byte counts).
Both must give exactly the pixels the child's device sent.
"""

from __future__ import annotations

import base64
import io
import random
import struct
import zlib
from collections.abc import Iterator

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageStat
from playwright.sync_api import Browser, Page

from voice_app.contributions.media import drawings, png, process_drawing

#: A page on an https origin (answered by the test itself): ImageDecoder needs a secure context.
ORIGIN = "https://drawing.test/"

#: Decodes PNG bytes (base64) as Chromium shows them; returns [pixel format, width, height,
#: base64 pixels in that format].
DECODE_IN_CHROMIUM = """async (b64) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const decoder = new ImageDecoder({
    data: bytes, type: "image/png", premultiplyAlpha: "none", colorSpaceConversion: "none",
  });
  const {image} = await decoder.decode();
  const pixels = new Uint8Array(image.allocationSize());
  await image.copyTo(pixels);
  const answer = [image.format, image.displayWidth, image.displayHeight];
  image.close();
  decoder.close();
  let text = "";
  for (let i = 0; i < pixels.length; i += 32768) {
    text += String.fromCharCode.apply(null, pixels.subarray(i, i + 32768));
  }
  return [...answer, btoa(text)];
}"""


def canvas_upload(mode: str, size: tuple[int, int] = (640, 480)) -> tuple[bytes, Image.Image]:
    """A canvas as the drawing page sends it (strokes, antialiased edges), and its pixels.

    The transparent one is what Chromium's canvas gives: black under fully transparent
    pixels, and partly transparent edges from antialiasing.
    """
    image = Image.new("RGBA", size, (0, 0, 0, 0) if mode == "RGBA" else (255, 255, 255, 255))
    pen = ImageDraw.Draw(image)
    rng = random.Random(15)
    for _ in range(30):
        points = [(rng.randrange(size[0]), rng.randrange(size[1])) for _ in range(5)]
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256), 255)
        pen.line(points, fill=colour, width=rng.randrange(3, 24), joint="curve")
    # Soft-edged strokes: every alpha level from 1 to 254 appears.
    for alpha in range(1, 255):
        pen.line([(alpha * 2, 5), (alpha * 2 + 1, 40)], fill=(200, 80, 30, alpha), width=2)
    image = image.convert(mode)
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue(), image


def to_rgba(pixel_format: str, pixels: bytes) -> bytes:
    """Chromium's pixel layout (BGRA, RGBA, or their X variants for opaque pictures) as RGBA."""
    data = bytearray(pixels)
    if pixel_format.startswith("BGR"):
        data[0::4], data[2::4] = data[2::4], data[0::4]
    if pixel_format.endswith("X"):
        data[3::4] = b"\xff" * (len(data) // 4)
    return bytes(data)


@pytest.fixture(scope="module")
def chromium_page(browser: Browser) -> Iterator[Page]:
    """A page on the test's own https origin, in the suite's one Chromium."""
    page = browser.new_page()
    page.route(
        f"{ORIGIN}**",
        lambda route: route.fulfill(
            body="<!doctype html><title>.</title>", content_type="text/html"
        ),
    )
    page.goto(ORIGIN)
    yield page
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_stored_png_has_the_sent_pixels_in_pillow_and_in_chromium(
    mode: str, chromium_page: Page
) -> None:
    upload, sent = canvas_upload(mode)
    result = process_drawing(upload)

    in_pillow = Image.open(io.BytesIO(result.data))
    in_pillow.load()
    assert in_pillow.mode == mode
    assert in_pillow.tobytes() == sent.tobytes()

    pixel_format, width, height, pixels = chromium_page.evaluate(
        DECODE_IN_CHROMIUM, base64.b64encode(result.data).decode()
    )
    assert (width, height) == sent.size
    assert to_rgba(pixel_format, base64.b64decode(pixels)) == sent.convert("RGBA").tobytes()


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_drawing_is_the_same_made_on_several_threads_or_one(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview made on a thread of its own, alongside the PNG, changes not a byte of
    either."""
    upload, sent = canvas_upload(mode, (1600, 1200))
    monkeypatch.setattr(drawings, "_USABLE_CORES", 2)
    alongside = process_drawing(upload)
    monkeypatch.setattr(drawings, "_USABLE_CORES", 1)
    after = process_drawing(upload)

    assert alongside == after
    assert alongside.thumbnail == after.thumbnail
    assert (after.width, after.height) == (1600, 1200)
    assert Image.open(io.BytesIO(after.data)).tobytes() == sent.tobytes()


def idat_stream(data: bytes) -> bytes:
    """The IDAT chunks of a PNG, joined: one zlib stream."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    found, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        if data[at + 4 : at + 8] == b"IDAT":
            found.append(data[at + 8 : at + 8 + length])
        at += 12 + length
    return b"".join(found)


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
@pytest.mark.parametrize("size", [(1, 1), (5, 2), (7, 3), (300, 201), (641, 479)])
def test_png_pixels_are_one_whole_zlib_stream_of_unfiltered_rows(
    mode: str, size: tuple[int, int]
) -> None:
    """PDF readers take the IDAT as it is (reports.pdf), and a strict inflater checks the
    Adler-32 at the end: zlib-ng's stream must inflate with stock zlib to every row after
    its filter byte 0, with the checksum of all of it and nothing after it."""
    picture = Image.frombytes(
        mode, size, random.Random(size[0]).randbytes(size[0] * size[1] * len(mode))
    )
    pixels = picture.tobytes()
    stride = size[0] * len(mode)
    rows = b"".join(b"\x00" + pixels[top : top + stride] for top in range(0, len(pixels), stride))

    data = png.encode_png(mode, *size, pixels)

    inflater = zlib.decompressobj()  # stock zlib; raises if the Adler-32 is wrong
    assert inflater.decompress(idat_stream(data)) == rows
    assert inflater.eof and inflater.unused_data == b""
    with Image.open(io.BytesIO(data)) as checked:
        checked.verify()  # every chunk's CRC, as zlib-ng wrote it
    assert Image.open(io.BytesIO(data)).tobytes() == pixels


def test_thumbnail_of_a_transparent_drawing_has_no_dark_fringes() -> None:
    """Shrinking must weigh colour by alpha, or the black under the transparent
    background bleeds into the edges of every stroke."""
    image = Image.new("RGBA", (2048, 1536), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    for top in range(100, 1500, 200):  # thin yellow strokes: mostly edge once shrunk
        pen.line([(100, top), (1900, top + 30)], fill=(255, 230, 0, 255), width=7)
    output = io.BytesIO()
    image.save(output, format="PNG")

    thumbnail = Image.open(io.BytesIO(process_drawing(output.getvalue()).thumbnail))
    thumbnail = thumbnail.convert("RGBA")
    seen = [pixel for pixel in thumbnail.get_flattened_data() if pixel[3] >= 32]
    assert len(seen) > 500
    # Every visible pixel stays yellow: not darkened towards the hidden black.
    assert min(red for red, _green, _blue, _alpha in seen) >= 200
    assert min(green for _red, green, _blue, _alpha in seen) >= 180


def png_of(image: Image.Image) -> bytes:
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


@pytest.mark.parametrize("max_side", [2048, 1200])
def test_opaque_rgba_canvas_gives_exactly_what_the_same_picture_in_rgb_gives(
    max_side: int,
) -> None:
    """The drawing page's canvas (every alpha 255) is packed straight to RGB and its
    preview made from those packed pixels: nothing may differ from the RGB upload, scaled
    down or not."""
    _upload, sent = canvas_upload("RGB", (1600, 1200))

    as_rgb = process_drawing(png_of(sent), max_side=max_side)
    as_rgba = process_drawing(png_of(sent.convert("RGBA")), max_side=max_side)

    assert as_rgba == as_rgb
    assert as_rgba.thumbnail == as_rgb.thumbnail
    stored = Image.open(io.BytesIO(as_rgba.data))
    assert stored.mode == "RGB"
    assert max(stored.size) == min(max_side, 1600)
    if max_side == 2048:
        assert stored.tobytes() == sent.tobytes()


def test_transparent_canvas_of_the_full_size_is_stored_exactly() -> None:
    """The slowest canvas, at the page's largest size: every alpha level and the colour
    under fully transparent pixels come back as sent."""
    upload, sent = canvas_upload("RGBA", (2048, 1536))

    result = process_drawing(upload)

    stored = Image.open(io.BytesIO(result.data))
    assert stored.mode == "RGBA"
    assert stored.tobytes() == sent.tobytes()


def as_seen(image: Image.Image) -> Image.Image:
    """A picture as a person sees it, on white: the colour under clear pixels is hidden."""
    return Image.alpha_composite(Image.new("RGBA", image.size, "white"), image.convert("RGBA"))


def mean_difference(image: Image.Image, other: Image.Image) -> float:
    return max(ImageStat.Stat(ImageChops.difference(as_seen(image), as_seen(other))).mean)


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_thumbnail_is_as_close_to_pillows_own_as_its_format_allows(mode: str) -> None:
    """The preview is box-reduced by the whole factor before LANCZOS (cheaper than
    Pillow's ``thumbnail()``): it may differ from Pillow's own thumbnail by little more
    than saving that thumbnail in the same format (WEBP at quality 80) does."""
    upload, sent = canvas_upload(mode, (2048, 1536))
    expected = sent.copy()
    expected.thumbnail((drawings.THUMBNAIL_SIDE, drawings.THUMBNAIL_SIDE))
    result = process_drawing(upload)
    saved = io.BytesIO()
    if result.thumbnail_content_type == "image/webp":
        expected.save(saved, format="WEBP", quality=80)
    else:
        expected.save(saved, format="PNG")
    format_alone = mean_difference(Image.open(saved), expected)

    thumbnail = Image.open(io.BytesIO(result.thumbnail))

    assert thumbnail.size == expected.size == (320, 240)
    assert thumbnail.mode == mode
    # Box-reducing by 6 rather than 3 adds about 1.2 (of 255) to the mean difference.
    assert mean_difference(thumbnail, expected) < format_alone + 2


#: A canvas drawn as the drawing page draws (``child_space/drawing.js``: round strokes on
#: an opaque 2D context, or a transparent one), written by Chromium's own ``toBlob()``.
CANVAS_FROM_CHROMIUM = """async (opaque) => {
  const canvas = document.createElement("canvas");
  canvas.width = 800;
  canvas.height = 600;
  const pen = canvas.getContext("2d", { alpha: !opaque });
  if (opaque) { pen.fillStyle = "#fff"; pen.fillRect(0, 0, 800, 600); }
  pen.lineCap = "round";
  pen.lineJoin = "round";
  for (let i = 0; i < 40; i++) {
    pen.strokeStyle = `rgb(${(i * 37) % 256}, ${(i * 71) % 256}, ${(i * 113) % 256})`;
    pen.lineWidth = 3 + (i % 20);
    pen.beginPath();
    pen.moveTo((i * 97) % 800, (i * 53) % 600);
    for (let k = 1; k < 6; k++) pen.lineTo((i * k * 131) % 800, (i * k * 71) % 600);
    pen.stroke();
  }
  const blob = await new Promise((done) => canvas.toBlob(done, "image/png"));
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let text = "";
  for (let i = 0; i < bytes.length; i += 32768) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + 32768));
  }
  return btoa(text);
}"""


@pytest.mark.browser
@pytest.mark.parametrize("opaque", [True, False], ids=["opaque", "transparent"])
def test_chromiums_canvas_png_is_read_without_pillow_and_stored_exactly(
    opaque: bool, chromium_page: Page
) -> None:
    """The drawing page's upload is what the plain reader was written for (``png``): if a
    Chromium release writes its canvases another way, this says so, and the drawing
    still stores exactly the sent pixels through Pillow."""
    upload = base64.b64decode(chromium_page.evaluate(CANVAS_FROM_CHROMIUM, opaque))
    sent = Image.open(io.BytesIO(upload))
    sent.load()

    plain = png.read_plain_png(upload, max_side=2048, max_pixels=2048 * 2048 * 2)
    result = process_drawing(upload)

    assert plain is not None, "Chromium's canvas PNG is no longer plain: it goes through Pillow"
    stored = Image.open(io.BytesIO(result.data))
    assert stored.mode == ("RGB" if opaque else "RGBA")
    assert stored.tobytes() == sent.convert(stored.mode).tobytes()
