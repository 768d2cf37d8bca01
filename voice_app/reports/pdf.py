"""A report version as a PDF (WeasyPrint), with the child's drawings as pictures.

The document fetches nothing from outside itself: its only fetcher serves the drawings
the page chose (``report-picture:<contribution id>``), which the caller has already
asked ``record.disclosure`` about, and refuses every other address. Plans' PDFs use the
same two functions (``drawing_pictures``, ``render_pdf``).
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterable
from typing import Any

from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.contributions.models import Contribution
from voice_app.contributions.services import open_media
from voice_app.reports.models import Report, ReportVersion
from voice_app.reports.services.voices import Chosen

SCHEME = "report-picture:"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def drawing_pictures(drawings: Iterable[Contribution]) -> dict[str, tuple[bytes, str]]:
    """The decrypted pictures of ``drawings`` (already disclosed to the reader), by the
    address the HTML gives them."""
    found: dict[str, tuple[bytes, str]] = {}
    for contribution in drawings:
        media = open_media(contribution, "original")
        if media is not None:
            found[f"{SCHEME}{contribution.id}"] = media
    return found


def pictures_of(words: list[Chosen]) -> dict[str, tuple[bytes, str]]:
    """The shown drawings' pictures, by the address the HTML gives them."""
    return drawing_pictures(
        chosen.words.contribution for chosen in words if chosen.words.is_drawing
    )


def unchanged_png_pixels(image: Any) -> bytes | None:
    """The compressed pixels (the IDAT chunks) of a PNG exactly as stored, when a PDF can
    carry them as they are: 8 bits, grey or RGB, no transparency, not interlaced. None for
    anything else, and for an image that is not a PNG read straight from its bytes.

    A PDF image with ``/FlateDecode`` and PNG predictors holds exactly what a PNG's IDAT
    chunks hold, so the drawing needs no decoding and encoding again. WeasyPrint decodes
    and re-encodes every PNG (Pillow's encoder, which tries every filter on every row):
    on the benchmark's 20-page report that was about 1.5 s of CPU for 10 drawings of
    2048x1536, more than half of what the drawings added to the PDF. The pixels in the
    PDF are the same either way.
    """
    source = getattr(image, "fp", None)
    if getattr(image, "format", None) != "PNG" or not isinstance(source, io.BytesIO):
        return None
    data = source.getvalue()
    if data[:8] != _PNG_SIGNATURE or data[12:16] != b"IHDR" or len(data) < 33:
        return None
    bit_depth, colour_type, _compression, _filters, interlace = data[24:29]
    if bit_depth != 8 or colour_type not in (0, 2) or interlace != 0:
        return None
    idat = []
    at = 8
    while at + 8 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        if len(body) != length:
            return None  # cut short: let the decoder say so
        if kind == b"tRNS":
            return None  # a transparent colour: WeasyPrint makes it a mask
        if kind == b"IDAT":
            idat.append(body)
        if kind == b"IEND":
            return b"".join(idat) if idat else None
        at += 12 + length
    return None


def _install_png_passthrough() -> None:
    """Let WeasyPrint take a stored PNG's pixels as they are (``unchanged_png_pixels``);
    every other image still goes through its own encoder."""
    from weasyprint.images import RasterImage

    encode = RasterImage.__dict__.get("_get_png_data")
    if not isinstance(encode, staticmethod) or encode.__func__ is _png_data:
        return  # another WeasyPrint, or already installed: its own encoder stays
    _ENCODER.append(encode.__func__)
    setattr(RasterImage, "_get_png_data", staticmethod(_png_data))  # noqa: B010


#: WeasyPrint's own encoder, once the pass-through is installed in front of it.
_ENCODER: list[Any] = []


def _png_data(image: Any) -> bytes:
    """WeasyPrint's ``_get_png_data``: a stored PNG's pixels as they are, else its own."""
    found = unchanged_png_pixels(image)
    return found if found is not None else bytes(_ENCODER[0](image))


def render_pdf(html: str, pictures: dict[str, tuple[bytes, str]]) -> bytes:
    from PIL import ImageFile
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    _install_png_passthrough()

    class Fetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url not in pictures:
                raise ValueError("a PDF fetches only its own pictures")
            body, content_type = pictures[url]
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    pdf: bytes = HTML(string=html, url_fetcher=Fetcher()).write_pdf()
    # WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on; the upload checks need it off.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return pdf


def record_made(report: Report, version: ReportVersion, copy: str) -> None:
    audit.record(
        AuditAction.REPORT_PDF_MADE,
        child_id=report.child_id,
        target=f"report:{report.id}",
        details={"version": version.number, "copy": copy},
    )
