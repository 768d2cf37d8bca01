"""A report version as a PDF (WeasyPrint), with the child's drawings as pictures.

The document fetches nothing from outside itself: its only fetcher serves the drawings
the page chose (``report-picture:<contribution id>``), which the caller has already
asked ``record.disclosure`` about, and refuses every other address. Plans' PDFs use the
same two functions (``drawing_pictures``, ``render_pdf``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.contributions.models import Contribution
from voice_app.contributions.services import open_media
from voice_app.reports.models import Report, ReportVersion
from voice_app.reports.services.voices import Chosen

SCHEME = "report-picture:"


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


def render_pdf(html: str, pictures: dict[str, tuple[bytes, str]]) -> bytes:
    from PIL import ImageFile
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

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
