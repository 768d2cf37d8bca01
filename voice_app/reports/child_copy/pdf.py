"""The child's copy as a PDF: large type, their drawings as pictures, in their language
and direction. It fetches only the drawings the copy holds (``reports.pdf``)."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from voice_app.children.models import Child
from voice_app.children.services import today
from voice_app.contributions.models import Contribution
from voice_app.contributions.services import open_media
from voice_app.extensions import db
from voice_app.i18n import text_direction
from voice_app.reports.child_copy.labels import CHILD_HEADINGS
from voice_app.reports.child_copy.services import ChildCopy
from voice_app.reports.pdf import SCHEME, render_pdf


def _pictures(shown: ChildCopy) -> dict[str, tuple[bytes, str]]:
    found: dict[str, tuple[bytes, str]] = {}
    for drawing_id in shown.drawing_ids:
        contribution = db.session.get(Contribution, drawing_id)
        media = open_media(contribution, "original") if contribution else None
        if media is not None:
            found[f"{SCHEME}{drawing_id}"] = media
    return found


def child_copy_pdf(child: Child, shown: ChildCopy, locale: str) -> bytes:
    """Render the copy in ``locale`` (the child's language), right to left where due."""
    with force_locale(locale):
        html = render_template(
            "child_space/report_pdf.html",
            child_name=child.display_name,
            shown=shown,
            band=child.band(today()).value,
            headings=CHILD_HEADINGS,
            current_locale=locale,
            text_direction=text_direction(locale),
            scheme=SCHEME,
        )
    return render_pdf(html, _pictures(shown))
