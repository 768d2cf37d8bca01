"""Drawings: decoded and re-encoded as a fresh PNG, so no metadata is kept.

Speed (issue 15: a 2048x1536 canvas in under 100 ms on the slower 2-core machine).

The drawing page's own upload is read without Pillow (``png.read_plain_png``): Chromium
writes a canvas as RGB, every row filtered "up", zlib level 1, and nothing else; Firefox
as RGBA, every row "sub", zlib level 3. zlib-ng inflates it and numpy undoes the filter.
Any other picture, or any PNG with anything more in it, goes through Pillow as before,
and tests hold the two paths to the same stored bytes. 2026-11-28, a 2-core machine
(bare Flask "hello" 2,305-2,478 req/s, 1.8-1.9x the slower machine), alternating runs:

- a 2048x1536 canvas drawn and encoded by Chromium itself (2.1 MB): median wall (CPU)
  ms 80.4-81.7 (88.6-90.0) before, 37.0-37.4 (49.8-50.3) after;
- ``tests.bench.drawings``' page-like canvas as Chromium writes it: 26.0-27.0 (36.7-38.3),
  0.21x Pillow alone; reading it 11.2-11.9 ms where Pillow's ``verify()`` and ``load()``
  take 23.4-24.1; then the encode (11) and the preview (11), side by side;
- the same canvas as Firefox writes it: 43.1 (55.1), 0.26x Pillow alone; reading 23.3
  (Pillow 31.3), dropping its opaque alpha 4.7;
- PNGs whose encoder picks a filter per row (Pillow's, libpng's default; likely
  Safari's canvas): unchanged, 54-74 ms, the slowest the transparent canvas.

Measured and not kept: the page writing a plain PNG itself where the browser's own is
not (pixels from ``getImageData``, deflated by ``CompressionStream``, which has no level
to choose): 200-470 ms in Chromium here for the 2048x1536 canvas, against 60-170 ms for
its own ``toBlob()``, for a file 0.72 times the size. It would save the server ~35 ms a
drawing by making the child wait longer after Send, on a tablet more so; worth deciding
only with figures from a real iPad.

The table below is the Pillow path's.

Where the CPU goes, by step (``python -m tests.bench.drawings``, "where the CPU goes";
2026-11-27, the shared 2-core development machine at load average 1.8-2.1, another
session's server busy on one core; CPU ms, medians of 9 runs):

=============================  ========  ===========  ===========  ===========
step                           RGB sent  opaque RGBA  transparent  page-like
=============================  ========  ===========  ===========  ===========
header + ``verify()`` (CRCs)   0.3       0.3          0.2          0.7
decode (inflate, unfilter)     34        49           44           42
alpha check                    -         4.1          1.4          4.0
pack pixels (``tobytes``)      3.4       3.9          2.4          3.5
encode PNG (zlib-ng 1)         13        14           16           16
thumbnail (second thread)      9.8       13           21           17
=============================  ========  ===========  ===========  ===========

("page-like": antialiased strokes sent as Chromium writes a canvas, filter up, zlib 1.)
The encode took 34, 41, 43 and 53 with stock zlib at level 3 in the bench run just
before (load 1.0-1.2). Sealing both files in the media store adds 2.7-5.8 ms of CPU (its
wall time is fsync). Decoding is now half the CPU or more, and at its floor here:
``verify()`` does not decode (it walks the chunks and checks their CRCs, which ``load()``
skips), so nothing is decoded twice; Pillow inflates with the system's stock zlib (see
``png``), which takes 15-21 ms of it where zlib-ng would take 6-9, but inflating with
zlib-ng and handing Pillow the rows as stored deflate blocks cost as much as it saved
(Pillow's load 47 -> 34 ms and 41 -> 26, plus 15-19 for the re-wrap). On the transparent
canvas the preview, not the PNG, is now the longer of the two jobs run side by side.

Changed for speed, each measured alone (CPU ms, medians of 9-15 alternating runs; the
spread is the machine's): the PNG is deflated by zlib-ng at level 1 instead of stock
zlib at level 3, in one call instead of row by row, on one thread instead of two (figures
in ``png``). Whole ``process_drawing`` before and after, in one process, alternating, four
sittings of 15 runs at load 1.0-1.9, median wall (CPU) ms: RGB sent 83-106 (101-119) ->
57-82 (67-83); opaque RGBA, as the page sends it, 90-119 (112-134) -> 67-90 (77-100);
page-like 85-124 (112-124) -> 65-88 (79-87); transparent 116-128 (142-157) -> 86-122
(110-126). Stored files 1.2-1.55 times as large (``png``).
Earlier: an opaque RGBA canvas is packed straight to RGB with ``tobytes("raw", "RGB")``
instead of ``convert("RGB")`` then ``tobytes()``, 2-4 ms less on the main thread, and its
preview is made from those packed pixels. The preview is box-reduced by the whole factor
before LANCZOS (``reducing_gap=1.0``): 15 instead of 19 for a transparent canvas, 4
instead of 8 for an opaque one; and saved as WEBP method 0 instead of 2: 8 instead of 11.
The transparent canvas's whole preview: 21 instead of 30.

Measured and not kept: keeping the upload's own compressed pixels instead of encoding
them again (saves the encode) -- the page sends RGBA, which would then be stored with
its alpha channel, and a PDF can carry only a PNG without alpha as it is
(``reports.pdf.unchanged_png_pixels``), so every report would encode it again; proving
the kept stream holds nothing but the pixels needs a second inflate (10-14 ms); and it
would hand a sender-made deflate stream to every later reader. The re-encode stays.
A premultiplied preview painted by hand (``paste`` on black): no faster than Pillow's
own. Pillow keeping freed image blocks (``PILLOW_BLOCKS_MAX``): no steady gain. Nor
glibc keeping freed memory (``MALLOC_MMAP_THRESHOLD_`` 32 MiB, ``MALLOC_TRIM_THRESHOLD_``
256 MiB; five alternating processes each, 2026-11-27): its own adaptive threshold
already keeps the 9-12 MB buffers after the first drawing.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial

from PIL import Image, ImageOps, UnidentifiedImageError, features

from voice_app.contributions.media.containers import HEIF_BRANDS
from voice_app.contributions.media.png import encode_png, encode_unfiltered_rows, read_plain_png
from voice_app.contributions.media.rejections import MediaRejected, RejectionReason


@dataclass(frozen=True)
class ProcessedImage:
    """A drawing re-encoded as a clean PNG, with its thumbnail."""

    data: bytes
    content_type: str
    width: int
    height: int
    thumbnail: bytes = field(repr=False)
    thumbnail_content_type: str


# --- drawings ---------------------------------------------------------------------------

#: Only these Pillow plugins ever see uploaded bytes: fewer decoders, less attack surface.
IMAGE_FORMATS = ("PNG", "JPEG", "WEBP")
THUMBNAIL_SIDE = 320
_THUMBNAIL_WEBP = features.check("webp")
#: The thumbnail gets a thread of its own only where a second core can run it.
_USABLE_CORES = (
    len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
)

#: Pictures that are real but not taken here, recognised so the child hears "wrong kind"
#: rather than "not a picture". Their decoders are never run.
_OTHER_IMAGE_MAGIC = (
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",
    b"MM\x00*",
    b"\x00\x00\x01\x00",  # ICO
    b"8BPS",  # Photoshop
    b"\x00\x00\x00\x0cjP  ",  # JPEG 2000
)


def process_drawing(
    data: bytes,
    *,
    max_bytes: int = 10 * 1024 * 1024,
    max_side: int = 2048,
    max_pixels: int = 2048 * 2048 * 2,
) -> ProcessedImage:
    """Check an uploaded drawing and re-encode it as a metadata-free PNG plus a thumbnail.

    PNG, JPEG and WEBP are accepted, whatever the upload claimed to be. The picture is
    turned upright from its EXIF orientation and scaled so its longest side is at most
    ``max_side``. Raises ``MediaRejected`` for anything else.
    """
    if not data:
        raise MediaRejected(RejectionReason.EMPTY)
    if len(data) > max_bytes:
        raise MediaRejected(RejectionReason.TOO_LARGE)
    if _is_other_image(data):
        raise MediaRejected(RejectionReason.UNSUPPORTED_FORMAT)

    plain = read_plain_png(data, max_side=max_side, max_pixels=max_pixels)
    if plain is not None:
        # The drawing page's own PNG: read without Pillow (see ``png.read_plain_png``).
        plain = plain.opaque_as_rgb()
        size = (plain.width, plain.height)
        picture: Callable[[], Image.Image] = plain.image
        encoding = partial(encode_unfiltered_rows, plain.mode, *size, plain.rows)
    else:
        image, mode, pixels = _decode_with_pillow(data, max_side=max_side, max_pixels=max_pixels)
        size = image.size
        if image.mode == mode:
            picture = partial(_unchanged, image)
        else:  # an opaque RGBA canvas is previewed from its pixels packed to RGB
            picture = partial(Image.frombytes, mode, size, pixels)
        encoding = partial(encode_png, mode, *size, pixels)

    # Both outputs are built from bare pixels, so nothing that came with the upload
    # (EXIF, GPS, ICC, text chunks, trailing bytes) can be carried over.
    if _USABLE_CORES > 1:
        # The thumbnail is made on another thread while zlib-ng compresses the PNG: both
        # release the GIL, so with a core free the two cores share the work instead of
        # one doing all of it. It costs no more CPU; on a machine with no core free it
        # gains nothing either. Nothing is shared: both only read the pixels.
        with ThreadPoolExecutor(max_workers=1) as pool:
            thumbnailing = pool.submit(lambda: _thumbnail(picture()))
            data = encoding()
            thumbnail, thumbnail_type = thumbnailing.result()
    else:
        data = encoding()
        thumbnail, thumbnail_type = _thumbnail(picture())
    return ProcessedImage(
        data=data,
        content_type="image/png",
        width=size[0],
        height=size[1],
        thumbnail=thumbnail,
        thumbnail_content_type=thumbnail_type,
    )


def _unchanged(image: Image.Image) -> Image.Image:
    """``image`` itself, as the preview's source (the pixels are already in its mode)."""
    return image


def _decode_with_pillow(
    data: bytes, *, max_side: int, max_pixels: int
) -> tuple[Image.Image, str, bytes]:
    """Any accepted picture decoded by Pillow: upright, at most ``max_side``, and its
    pixels packed in the mode it is stored in (RGB, or RGBA where it is transparent)."""
    image = _decode_image(data, max_side=max_side, max_pixels=max_pixels)
    try:
        ImageOps.exif_transpose(image, in_place=True)
        mode = "RGBA" if image.has_transparency_data else "RGB"
        if image.mode != mode:  # convert() to the same mode would copy every pixel
            image = image.convert(mode)
        if mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
            # A canvas filled edge to edge: the alpha channel only costs size and time,
            # so it is stored as RGB.
            mode = "RGB"
            if max(image.size) > max_side:
                image = image.convert("RGB")  # resizing RGBA would premultiply for nothing
        if max(image.size) > max_side:
            image = image.resize(_fit(image.size, max_side), Image.Resampling.LANCZOS)
        # An opaque RGBA picture is packed straight to RGB: no converted copy is made.
        return image, mode, image.tobytes("raw", mode)
    except Exception as error:
        raise MediaRejected(RejectionReason.CORRUPT_IMAGE) from error


def _is_other_image(data: bytes) -> bool:
    """A GIF, BMP, TIFF, HEIF/AVIF... recognised by its first bytes, never decoded."""
    return (
        data.startswith(_OTHER_IMAGE_MAGIC)
        or (data[:2] == b"BM" and data[6:10] == bytes(4))  # BMP: its reserved bytes are zero
        or (data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS)
    )


def _fit(size: tuple[int, int], longest: int) -> tuple[int, int]:
    """``size`` scaled down so its longest side is ``longest``."""
    scale = longest / max(size)
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _decode_image(data: bytes, *, max_side: int, max_pixels: int) -> Image.Image:
    """Open with the allowed plugins only, refuse by size before decoding, then decode."""
    try:
        # Image.open reads only the header, so the pixel count is known before any
        # decoding. Pillow's own bomb check raises (or, above MAX_IMAGE_PIXELS, warns,
        # which the test suite turns into an error): both mean the same here.
        with Image.open(io.BytesIO(data), formats=IMAGE_FORMATS) as header:
            width, height = header.size
            if width < 1 or height < 1:
                raise MediaRejected(RejectionReason.CORRUPT_IMAGE)
            if width * height > max_pixels:
                raise MediaRejected(RejectionReason.IMAGE_TOO_LARGE)
            # Checks every chunk's CRC in a PNG, so a damaged IDAT is caught here.
            header.verify()
        image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
        if image.format == "JPEG" and max(image.size) > max_side:
            # libjpeg can decode at 1/2, 1/4 or 1/8 scale, never below the asked size.
            image.draft("RGB", _fit(image.size, max_side))
        image.load()
    except MediaRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise MediaRejected(RejectionReason.IMAGE_TOO_LARGE) from error
    except UnidentifiedImageError as error:
        raise MediaRejected(RejectionReason.NOT_AN_IMAGE) from error
    except Exception as error:
        # Truncated or damaged data surfaces as OSError, SyntaxError, ValueError,
        # EOFError, zlib.error, struct.error... all mean the same to the child.
        raise MediaRejected(RejectionReason.CORRUPT_IMAGE) from error
    return image


def _thumbnail(image: Image.Image) -> tuple[bytes, str]:
    """A small preview, rebuilt from bare pixels like the full picture. ``image`` is read,
    never changed, and is in the mode the picture is stored in (an opaque canvas in RGB,
    so it is not premultiplied for nothing)."""
    thumb = image
    if max(image.size) > THUMBNAIL_SIDE:
        # One call: Pillow premultiplies a transparent picture once, box-reduces it by
        # the whole factor (6 at 2048x1536: cheap), then LANCZOS does the little left.
        # A 6x6 box average is a fair preview of flat colour; reducing only by 3
        # (``reducing_gap=2.0``) left LANCZOS twice the work, 4 ms more.
        thumb = image.resize(
            _fit(image.size, THUMBNAIL_SIDE), Image.Resampling.LANCZOS, reducing_gap=1.0
        )
    thumb = Image.frombytes(thumb.mode, thumb.size, thumb.tobytes())
    output = io.BytesIO()
    if _THUMBNAIL_WEBP:
        # method 0: 2-3 ms less than method 2 on 320x240, for a file about 5% larger.
        thumb.save(output, format="WEBP", quality=80, method=0)
        return output.getvalue(), "image/webp"
    thumb.save(output, format="PNG")
    return output.getvalue(), "image/png"
