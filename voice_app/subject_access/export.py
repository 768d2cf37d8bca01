"""What a subject-access export contains, and the export itself: a PDF and a zip.

What the requester may receive is answered by ``record.disclosure`` (the same owner the
chronology asks, so the two never disagree); this module adds only what is particular to
a copy:

- the confidential section and everything that follows it (entries, contributions,
  entries carrying either, corrections written before or after a placement);
- third-party information whose source did not agree to its disclosure;
- contributions the requester has no consent to see: a child receives their own words, a
  parent what the decision in force shares with all the family or with them by name, and
  their own words; never what the child or the decision gave to the other parent alone;
- corrections of anything withheld, which would otherwise repeat what they correct.

The copy numbers its entries and items itself. What is withheld for a third party or for
want of consent is listed at the end by that number and reason, without any of its
content. The confidential section is never mentioned at all: it takes no number, so the
copy shows no gap, and it is left out of the schedule. ``ExportContent.withheld`` keeps
the full list, which the audit entry counts.
"""

from __future__ import annotations

import io
import mimetypes
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select

from voice_app.children.models import Child, FamilyMember
from voice_app.contributions.labels import FEELINGS, HOUSES, KIND_LABELS
from voice_app.contributions.models import Contribution, TranscriptStatus
from voice_app.contributions.services import open_media
from voice_app.extensions import db
from voice_app.i18n import LANGUAGES, text_direction
from voice_app.interpreting.models import SourceKind
from voice_app.interpreting.services.translations import confirmed_translations
from voice_app.record.disclosure import ConfidentialScope, Disclosure, Reader, disclosure_for
from voice_app.record.models import (
    ConfidentialReason,
    RecordEntry,
    RequesterKind,
    Source,
    SubjectAccessRequest,
)
from voice_app.subject_access import export_labels as labels
from voice_app.subject_access.export_labels import WithheldReason


@dataclass(frozen=True)
class Withheld:
    """One line of the schedule: what was left out and why, never what it said."""

    #: "entry", "contribution" or "address".
    item: str
    #: Its number in this copy; None for the address and for the confidential section.
    number: int | None
    reason: WithheldReason
    confidential_reason: ConfidentialReason | None = None
    #: The entry's own number in the record (never printed in the copy).
    sequence: int | None = None


@dataclass(frozen=True)
class ContributionItem:
    number: int
    contribution: Contribution
    #: The words to show: typed text or caption, or the confirmed transcript.
    words: str | None
    #: The file's name inside the zip, when the contribution has a recording or drawing.
    media_name: str | None


@dataclass
class ExportContent:
    request: SubjectAccessRequest
    child: Child
    family_member: FamilyMember | None
    entries: list[RecordEntry] = field(default_factory=list)
    #: Entry id -> its number in this copy (entries shown or listed in the schedule).
    entry_numbers: dict[int, int] = field(default_factory=dict)
    #: Entry id -> the number in this copy of the entry that corrects it.
    corrected_by: dict[int, int] = field(default_factory=dict)
    contributions: list[ContributionItem] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)
    #: Media files for the zip: (name, bytes).
    media: list[tuple[str, bytes]] = field(default_factory=list)

    @property
    def schedule(self) -> list[Withheld]:
        """What the copy says it leaves out: everything withheld but the confidential section."""
        return [w for w in self.withheld if w.reason is not WithheldReason.CONFIDENTIAL]

    @property
    def for_child(self) -> bool:
        return self.request.requester_kind is RequesterKind.CHILD

    def counts(self) -> dict[str, int]:
        return {
            "entries": len(self.entries),
            "contributions": len(self.contributions),
            "media_files": len(self.media),
            "withheld": len(self.withheld),
        }


def _receivable_contribution_ids(seen: Disclosure) -> set[int]:
    """The contributions this requester may receive, outside the confidential section."""
    stmt = select(Contribution.id).where(
        Contribution.child_id == seen.child_id, seen.contribution_filter()
    )
    return set(db.session.scalars(stmt))


def _words(contribution: Contribution) -> str | None:
    transcript = contribution.transcript
    if transcript is not None and transcript.status is TranscriptStatus.CONFIRMED:
        # A machine draft is never given as the child's words until it is confirmed.
        return transcript.confirmed_text
    return contribution.text


def build_export(request: SubjectAccessRequest) -> ExportContent:
    """Gather what this requester receives, and the schedule of what they do not."""
    child = db.session.get_one(Child, request.child_id)
    member = (
        db.session.get(FamilyMember, request.family_member_id) if request.family_member_id else None
    )
    content = ExportContent(request=request, child=child, family_member=member)
    if not content.for_child:
        content.withheld.append(Withheld("address", None, WithheldReason.NOT_FOR_FAMILY))
    seen = disclosure_for(
        Reader.subject_access(
            for_child=content.for_child, family_member_id=request.family_member_id
        ),
        child.id,
    )
    scope = seen.scope
    receivable = _receivable_contribution_ids(seen)

    all_contributions = db.session.scalars(
        select(Contribution)
        .where(Contribution.child_id == child.id)
        .order_by(Contribution.created_at, Contribution.id)
    ).all()
    numbered = [c for c in all_contributions if not scope.contribution_is_confidential(c.id)]
    numbers = {c.id: n for n, c in enumerate(numbered, start=1)}

    withheld_entries: dict[int, Withheld] = {}
    for entry in db.session.scalars(
        select(RecordEntry).where(RecordEntry.child_id == child.id).order_by(RecordEntry.sequence)
    ):
        reason = _entry_withheld(entry, scope, receivable)
        if reason is None and entry.corrects_id in withheld_entries:
            reason = withheld_entries[entry.corrects_id]
        if reason is None or reason.reason is not WithheldReason.CONFIDENTIAL:
            content.entry_numbers[entry.id] = len(content.entry_numbers) + 1
        if reason is None:
            content.entries.append(entry)
            if entry.corrects_id is not None:
                content.corrected_by[entry.corrects_id] = content.entry_numbers[entry.id]
            continue
        withheld = Withheld(
            "entry",
            content.entry_numbers.get(entry.id),
            reason.reason,
            reason.confidential_reason,
            sequence=entry.sequence,
        )
        withheld_entries[entry.id] = withheld
        content.withheld.append(withheld)

    for contribution in all_contributions:
        if scope.contribution_is_confidential(contribution.id):
            content.withheld.append(
                Withheld(
                    "contribution",
                    None,
                    WithheldReason.CONFIDENTIAL,
                    scope.contributions[contribution.id].reason,
                )
            )
            continue
        number = numbers[contribution.id]
        if contribution.id not in receivable:
            content.withheld.append(Withheld("contribution", number, WithheldReason.NO_CONSENT))
        else:
            content.contributions.append(_item(content, number, contribution))
    return content


def _entry_withheld(
    entry: RecordEntry, scope: ConfidentialScope, receivable: set[int]
) -> Withheld | None:
    if scope.entry_is_confidential(entry.id):
        reason = scope.entries[entry.id].reason
        return Withheld("entry", None, WithheldReason.CONFIDENTIAL, reason)
    if entry.source is Source.THIRD_PARTY and not entry.source_consents_to_disclosure:
        return Withheld("entry", None, WithheldReason.THIRD_PARTY)
    if entry.contribution_id is not None and entry.contribution_id not in receivable:
        return Withheld("entry", None, WithheldReason.NO_CONSENT)
    return None


#: Extensions by the formats recordings and drawings are stored in: ``mimetypes`` has
#: none for audio/wav or audio/webm on some Pythons, and a child's recording named .bin
#: opens nowhere.
MEDIA_EXTENSIONS = {
    "audio/wav": ".wav",
    "audio/x-wav": ".wav",
    "audio/webm": ".webm",
    "audio/ogg": ".ogg",
    "audio/mp4": ".m4a",
    "audio/mpeg": ".mp3",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
}


def media_extension(content_type: str | None) -> str:
    """The file extension for a stored recording or drawing, by its real format."""
    base = (content_type or "").split(";", 1)[0].strip().lower()
    return MEDIA_EXTENSIONS.get(base) or mimetypes.guess_extension(base) or ".bin"


def _item(content: ExportContent, number: int, contribution: Contribution) -> ContributionItem:
    media_name = None
    found = open_media(contribution, "original")
    if found is not None:
        data, content_type = found
        extension = media_extension(content_type)
        media_name = f"media/item-{number:03d}-{contribution.kind}{extension}"
        content.media.append((media_name, data))
    return ContributionItem(number, contribution, _words(contribution), media_name)


def direction_of(text: str | None) -> str:
    """ "rtl" or "ltr" from the first letter with a direction, as ``dir="auto"`` would.

    WeasyPrint has no ``dir="auto"``; free text in a copy gets its direction from here, so
    English words in an Arabic copy (and the reverse) keep their punctuation in place.
    """
    for character in text or "":
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "auto"


def isolate(text: str | None) -> str:
    """Free text inside a sentence in the copy's language, isolated from its direction."""
    return f"\u2068{text}\u2069" if text else ""


def render_html(content: ExportContent, produced_at: datetime) -> str:
    """The export as HTML, every heading in the requester's language."""
    language = content.request.language
    with force_locale(language):
        return render_template(
            "subject_access/export.html",
            content=content,
            child=content.child,
            language=language,
            export_dir=text_direction(language),
            produced_at=produced_at,
            labels=labels,
            languages=LANGUAGES,
            kind_labels=KIND_LABELS,
            feeling_labels=FEELINGS,
            house_labels=HOUSES,
            direction_of=direction_of,
            isolate=isolate,
            # Confirmed translations, only beside words this copy already gives.
            translated=confirmed_translations(
                SourceKind.CONTRIBUTION,
                {item.contribution.id for item in content.contributions}
                | {e.contribution_id for e in content.entries if e.contribution_id is not None},
            ),
        )


def render_pdf(html: str) -> bytes:
    """The PDF; nothing outside the document is ever fetched, whatever the record holds."""
    from PIL import ImageFile
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Importing WeasyPrint turns on Pillow's process-wide LOAD_TRUNCATED_IMAGES, which
    # would let a cut-off drawing through the upload checks in this process. A copy
    # fetches no images, so WeasyPrint never needs it: turn it back off.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    pdf: bytes = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
    return pdf


def build_zip(pdf: bytes, media: list[tuple[str, bytes]]) -> bytes:
    """The PDF and the recordings and drawings the requester receives."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record.pdf", pdf)
        for name, data in media:
            archive.writestr(name, data)
    return out.getvalue()
