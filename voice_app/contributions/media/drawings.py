"""Drawings: decoded by Pillow and re-encoded as a fresh PNG, so no metadata is kept.

Speed (issue 15: a 2048x1536 canvas in under 100 ms on the slower 2-core machine).
Where the CPU goes, by step (``python -m tests.bench.drawings``, "where the CPU goes";
2026-11-27, the shared 2-core development machine at load average 4, CPU ms):

=============================  ========  ===========  ===========  ===========
step                           RGB sent  opaque RGBA  transparent  page-like
=============================  ========  ===========  ===========  ===========
header + ``verify()`` (CRCs)   0.2       0.2          0.2          0.4
decode (inflate, unfilter)     28        36           30           25
alpha check                    -         2.9          0.7          2.8
pack pixels (``tobytes``)      1.9       3.1          2.7          2.6
encode PNG (zlib 3)            27        30           29           34
thumbnail (second thread)      8.5       10           21           9.8
=============================  ========  ===========  ===========  ===========

("page-like": antialiased strokes sent as Chromium writes a canvas, filter up, zlib 1.)
Sealing both files in the media store adds 1.4-2.4 ms of CPU (its wall time is fsync).
Decoding and deflating are two thirds to four fifths of the CPU, and both are at their
floor here: ``verify()`` does not decode (it walks the chunks and checks their CRCs,
which ``load()`` skips), so nothing is decoded twice; stock zlib takes about 17 ms for
9.4 MB of plain white whatever the level or strategy, and on the canvases no filter (sub,
up), level (1, 2) or ``Z_RLE`` was clearly cheaper than none at level 3: all within about
10 % of it, for files 10-90 % larger (the bench's encoder table).

Changed for speed, each measured alone (CPU ms, medians of 9-15 alternating runs; the
spread is the machine's): an opaque RGBA canvas is packed straight to RGB with
``tobytes("raw", "RGB")`` instead of ``convert("RGB")`` then ``tobytes()``, 2-4 ms less
on the main thread (7.3 -> 2.9, 13.9 -> 11.8 in two sittings), and its preview is made
from those packed pixels. The preview is box-reduced by the whole factor before LANCZOS
(``reducing_gap=1.0``): 15 instead of 19 for a transparent canvas, 4 instead of 8 for an
opaque one; and saved as WEBP method 0 instead of 2: 8 instead of 11. The transparent
canvas's whole preview: 21 instead of 30. The PNG's lower half is deflated on a third
thread, which on a quiet 2-core machine cuts the wall time of an opaque canvas by up to a
fifth for the same CPU (figures in ``png``).
Whole drawing on the shared machine, three bench runs each side alternating, load 5-13:
CPU of the page's opaque RGBA canvas 82-96 ms before, 78-85 after; page-like 78-86 ->
71-75; transparent 93-104 -> 80-94; RGB sent 68-73 -> 66-74.

Measured and not kept: keeping the upload's own compressed pixels instead of encoding
them again (saves the encode) -- the page sends RGBA, which would then be stored with
its alpha channel, and a PDF can carry only a PNG without alpha as it is
(``reports.pdf.unchanged_png_pixels``), so every report would encode it again; proving
the kept stream holds nothing but the pixels needs a second inflate (10-14 ms); and it
would hand a sender-made deflate stream to every later reader. The re-encode stays.
A premultiplied preview painted by hand (``paste`` on black): no faster than Pillow's
own. Pillow keeping freed image blocks (``PILLOW_BLOCKS_MAX``): no steady gain.
"""

from __future__ import annotations

import io
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from PIL import Image, ImageOps, UnidentifiedImageError, features

from voice_app.contributions.media.containers import HEIF_BRANDS
from voice_app.contributions.media.png import encode_png
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

    image = _decode_image(data, max_side=max_side, max_pixels=max_pixels)
    try:
        ImageOps.exif_transpose(image, in_place=True)
        mode = "RGBA" if image.has_transparency_data else "RGB"
        if image.mode != mode:  # convert() to the same mode would copy every pixel
            image = image.convert(mode)
        if mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
            # A canvas filled edge to edge (what the drawing page sends): the alpha channel
            # only costs size and time, so it is stored as RGB.
            mode = "RGB"
            if max(image.size) > max_side:
                image = image.convert("RGB")  # resizing RGBA would premultiply for nothing
        if max(image.size) > max_side:
            image = image.resize(_fit(image.size, max_side), Image.Resampling.LANCZOS)
        # An opaque RGBA picture is packed straight to RGB: no converted copy is made.
        pixels = image.tobytes("raw", mode)
    except Exception as error:
        raise MediaRejected(RejectionReason.CORRUPT_IMAGE) from error

    # Both outputs are built from bare pixels, so nothing that came with the upload
    # (EXIF, GPS, ICC, text chunks, trailing bytes) can be carried over.
    if _USABLE_CORES > 1:
        # The thumbnail is made on another thread while zlib compresses the PNG, whose
        # lower half is compressed on a third: zlib and Pillow release the GIL, so with a
        # core free the two cores share the work instead of one doing most of it. It
        # costs no more CPU; on a machine with no core free it gains nothing either.
        # Nothing is shared: from here on this thread reads only ``pixels``.
        with ThreadPoolExecutor(max_workers=2) as pool:
            thumbnailing = pool.submit(_thumbnail, image, mode, pixels)
            data = encode_png(mode, image.width, image.height, pixels, pool)
            thumbnail, thumbnail_type = thumbnailing.result()
    else:
        data = encode_png(mode, image.width, image.height, pixels)
        thumbnail, thumbnail_type = _thumbnail(image, mode, pixels)
    return ProcessedImage(
        data=data,
        content_type="image/png",
        width=image.width,
        height=image.height,
        thumbnail=thumbnail,
        thumbnail_content_type=thumbnail_type,
    )


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


def _thumbnail(image: Image.Image, mode: str, pixels: bytes) -> tuple[bytes, str]:
    """A small preview, rebuilt from bare pixels like the full picture.

    ``image`` is read, never changed; an opaque RGBA canvas (``mode`` RGB) is taken from
    its packed ``pixels`` instead, so it is not premultiplied for nothing.
    """
    if image.mode != mode:
        image = Image.frombytes(mode, image.size, pixels)
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
