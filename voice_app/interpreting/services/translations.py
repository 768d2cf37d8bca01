"""What a request shows its interpreter, and translations written beside the originals.

The interpreter sees only what ``record.disclosure`` lets their request show
(``Reader.interpreter``). Every other reader sees a translation only where they already
see its original (the caller has asked disclosure), and only once an interpreter has
confirmed it: the machine's draft and an interpreter's unconfirmed draft stay with the
interpreter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.contributions.models import Contribution, ContributionKind, TranscriptStatus
from voice_app.extensions import db
from voice_app.interpreting.labels import language_name
from voice_app.interpreting.models import (
    InterpretingRequest,
    RequestKind,
    SourceKind,
    Translation,
    TranslationStatus,
)
from voice_app.interpreting.services.requests import InterpretingRefused, interpreter_scope
from voice_app.plans.models import Plan, PlanVersion
from voice_app.record.disclosure import Disclosure, Reader, disclosure_for
from voice_app.reports.models import WRITTEN, Report, ReportSection
from voice_app.reports.services.answers import comments_on
from voice_app.reports.services.drafting import current_texts, latest

#: Most characters a translation may have (a report section is long).
MAX_TRANSLATION = 20000


@dataclass
class Source:
    """One thing the interpreter translates: its original text, and translations so far."""

    kind: SourceKind
    id: int
    #: The section's name for a report text; None otherwise.
    title: str | None
    original: str | None
    language_from: str
    language_to: str
    contribution: Contribution | None = None
    #: The original is a machine transcript the child has not confirmed yet.
    unconfirmed_transcript: bool = False
    translations: list[Translation] = field(default_factory=list)


@dataclass
class RequestedItem:
    request: InterpretingRequest
    sources: list[Source]
    #: Confidential contributions shown (through a manager's inclusion): audited.
    confidential_shown: int = 0


def seen_by_interpreter(interpreter: User, child_id: int) -> Disclosure:
    return disclosure_for(
        Reader.interpreter(interpreter, interpreter_scope(interpreter, child_id)), child_id
    )


def _contribution_source(row: InterpretingRequest, contribution: Contribution) -> Source:
    text, unconfirmed = contribution.text, False
    transcript = contribution.transcript
    if contribution.kind is ContributionKind.VOICE and transcript is not None:
        confirmed = transcript.status is TranscriptStatus.CONFIRMED
        text = transcript.confirmed_text if confirmed else transcript.machine_text
        unconfirmed = not confirmed and bool(text)
    return Source(
        SourceKind.CONTRIBUTION,
        contribution.id,
        None,
        text,
        contribution.language or row.language,
        "en",
        contribution=contribution,
        unconfirmed_transcript=unconfirmed,
    )


def _report_sources(row: InterpretingRequest, report: Report, titles: dict) -> list[Source]:
    """The practitioner's text into the family's language, and what the family wrote on
    the same sections in that language into English."""
    version = latest(report)
    texts = current_texts(version)
    one = row.kind is RequestKind.REPORT_SECTION and row.report_section is not None
    wanted = (
        [ReportSection(row.report_section or "")] if one else [s for s in texts if s in WRITTEN]
    )
    sources = [
        Source(
            SourceKind.REPORT_TEXT, texts[s].id, str(titles[s]), texts[s].body, "en", row.language
        )
        for s in wanted
        if s in texts
    ]
    for comment in comments_on(version):
        if comment.language == row.language and (not one or comment.section in wanted):
            title = f"{titles[comment.section]} · {comment.author_label}"
            sources.append(
                Source(
                    SourceKind.REPORT_COMMENT, comment.id, title, comment.body, row.language, "en"
                )
            )
    return sources


def _plan_source(row: InterpretingRequest, plan: Plan) -> Source:
    version: PlanVersion = plan.versions[-1]
    lines = [item.text for item in version.items] + [action.what for action in version.actions]
    return Source(SourceKind.PLAN_VERSION, version.id, None, "\n".join(lines), "en", row.language)


def requested_item(row: InterpretingRequest, interpreter: User, titles: dict) -> RequestedItem:
    """What the request needs, as disclosure lets its interpreter see it; audited."""
    seen = seen_by_interpreter(interpreter, row.child_id)
    sources: list[Source] = []
    confidential = 0
    if row.contribution_id is not None:
        contribution = db.session.get(Contribution, row.contribution_id)
        if contribution is not None and seen.may_see_contribution(contribution):
            sources.append(_contribution_source(row, contribution))
            confidential = int(seen.scope.contribution_is_confidential(contribution.id))
    if row.report_id is not None and seen.interpreter_may_see("report", row.report_id):
        report = db.session.get(Report, row.report_id)
        if report is not None:
            sources.extend(_report_sources(row, report, titles))
    if row.plan_id is not None and seen.interpreter_may_see("plan", row.plan_id):
        plan = db.session.get(Plan, row.plan_id)
        if plan is not None and plan.versions:
            sources.append(_plan_source(row, plan))
    for source in sources:
        source.translations = translations_of(source.kind, source.id)
    audit.record(
        AuditAction.INTERPRETING_ITEM_VIEWED,
        child_id=row.child_id,
        target=f"interpreting_request:{row.id}",
        details={"sources": [f"{s.kind}:{s.id}" for s in sources]},
    )
    seen.record_confidential_read("interpreting", confidential, request=row.id)
    return RequestedItem(row, sources, confidential)


def translations_of(kind: SourceKind, source_id: int) -> list[Translation]:
    stmt = select(Translation).where(
        Translation.source_kind == kind, Translation.source_id == source_id
    )
    return list(db.session.scalars(stmt.order_by(Translation.id)))


def add_translation(
    row: InterpretingRequest,
    interpreter: User,
    kind: SourceKind,
    source_id: int,
    text: str,
    *,
    confirm: bool,
    titles: dict,
) -> Translation:
    """A new translation row beside the original (a draft, or confirmed); audited."""
    item = requested_item(row, interpreter, titles)
    source = next((s for s in item.sources if s.kind is kind and s.id == source_id), None)
    if source is None:
        raise InterpretingRefused({"text": _("This request does not ask for that.")})
    words = text.strip()
    if not words:
        raise InterpretingRefused({"text": _("Please write the translation.")})
    if len(words) > MAX_TRANSLATION:
        raise InterpretingRefused({"text": _("This translation is too long.")})
    translation = Translation(
        child_id=row.child_id,
        request_id=row.id,
        source_kind=kind,
        source_id=source_id,
        language_from=source.language_from,
        language_to=source.language_to,
        text=words,
        status=TranslationStatus.CONFIRMED if confirm else TranslationStatus.DRAFT,
        translated_by_id=interpreter.id,
        translated_by_label=interpreter.display,
    )
    db.session.add(translation)
    db.session.flush()
    audit.record(
        AuditAction.TRANSLATION_ADDED,
        child_id=row.child_id,
        target=f"{kind}:{source_id}",
        details={"translation": translation.id, "status": str(translation.status)},
    )
    return translation


def add_machine_draft(row: InterpretingRequest, text: str, model_name: str) -> Translation:
    """Whisper's English for a recording, for the interpreter to check; never confirmed."""
    assert row.contribution_id is not None
    contribution = db.session.get_one(Contribution, row.contribution_id)
    translation = Translation(
        child_id=row.child_id,
        request_id=row.id,
        source_kind=SourceKind.CONTRIBUTION,
        source_id=row.contribution_id,
        language_from=contribution.language or row.language,
        language_to="en",
        text=text.strip(),
        status=TranslationStatus.MACHINE_DRAFT,
        translated_by_id=None,
        translated_by_label=model_name,
    )
    db.session.add(translation)
    db.session.flush()
    return translation


@dataclass(frozen=True)
class Shown:
    """A confirmed translation as readers see it beside the original."""

    text: str
    language_to: str
    by: str
    at: datetime

    @property
    def label(self) -> str:
        # i18n: under a translation shown beside the original words.
        return _(
            "Translation into %(language)s by %(who)s, %(date)s",
            language=language_name(self.language_to),
            who=self.by,
            date=format_date(self.at, "long"),
        )


def confirmed_translations(kind: SourceKind, source_ids: set[int]) -> dict[int, list[Shown]]:
    """The newest confirmed translation per source and language, for originals the caller
    already shows its reader (drafts and the machine's never)."""
    if not source_ids:
        return {}
    stmt = select(Translation).where(
        Translation.source_kind == kind,
        Translation.source_id.in_(sorted(source_ids)),
        Translation.status == TranslationStatus.CONFIRMED,
    )
    newest: dict[tuple[int, str], Translation] = {}
    for row in db.session.scalars(stmt.order_by(Translation.id)):
        newest[(row.source_id, row.language_to)] = row
    found: dict[int, list[Shown]] = {}
    for (source_id, _language), row in sorted(newest.items()):
        found.setdefault(source_id, []).append(
            Shown(row.text, row.language_to, row.translated_by_label, row.created_at)
        )
    return found
