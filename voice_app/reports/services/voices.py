"""The child's section: their consented contributions, chosen by the practitioner, verbatim.

``readable_word_ids`` is the report area's single call into ``record.disclosure``: every
page and PDF asks it which of the child's contributions its readers may see.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from voice_app.contributions.models import Contribution, ContributionKind
from voice_app.extensions import db
from voice_app.plans.services.voices import Words, as_words, can_be_placed
from voice_app.record.disclosure import (
    CHILDS_OWN,
    Audience,
    Reader,
    contribution_ids_shared_with,
    disclosure_for,
)
from voice_app.reports.models import Report, ReportVersion, ReportWords
from voice_app.reports.services.drafting import ReportRefused, changed, draft_of


@dataclass(frozen=True)
class Readers:
    """Who a page or copy is for: the meeting, or one family member (or the family)."""

    family: bool = False
    family_member_id: int | None = None


MEETING = Readers()


def readable_word_ids(child_id: int, readers: Readers) -> frozenset[int]:
    """The child's contributions these readers may see, from the disclosure owner only."""
    if readers.family:
        if readers.family_member_id is None:
            stmt = contribution_ids_shared_with(child_id, Audience.FAMILY)
            return frozenset(db.session.scalars(stmt))
        seen = disclosure_for(Reader.family(readers.family_member_id), child_id)
        found = select(Contribution.id).where(
            Contribution.child_id == child_id, seen.contribution_filter()
        )
        return frozenset(db.session.scalars(found))
    return frozenset(db.session.scalars(contribution_ids_shared_with(child_id, Audience.MEETING)))


@dataclass(frozen=True)
class Chosen:
    words: Words
    caption: str | None


def shown_words(version: ReportVersion, child_id: int, readers: Readers) -> list[Chosen]:
    """The chosen words these readers may see, verbatim, oldest first."""
    allowed = readable_word_ids(child_id, readers)
    shown = []
    for chosen in version.words:
        if chosen.contribution_id not in allowed:
            continue
        contribution = db.session.get(Contribution, chosen.contribution_id)
        if contribution is None or not can_be_placed(contribution):
            continue
        shown.append(Chosen(as_words(contribution), chosen.caption))
    return sorted(shown, key=lambda c: c.words.said_at)


def choosable(report: Report) -> list[Contribution]:
    """The child's own contributions the meeting may see, with words or a picture."""
    allowed = readable_word_ids(report.child_id, MEETING)
    stmt = (
        select(Contribution)
        .where(
            Contribution.child_id == report.child_id,
            Contribution.author_kind.in_(CHILDS_OWN),
            Contribution.id.in_(sorted(allowed)),
        )
        .order_by(Contribution.created_at)
    )
    return [c for c in db.session.scalars(stmt) if can_be_placed(c)]


def choose_words(report: Report, contribution_id: int, caption: str | None) -> ReportWords:
    version = draft_of(report)
    if version is None:
        raise ReportRefused({"contribution_id": _("This version is signed off.")})
    if contribution_id not in {c.id for c in choosable(report)}:
        raise ReportRefused({"contribution_id": _("These words may not go in the report.")})
    if contribution_id in {w.contribution_id for w in version.words}:
        raise ReportRefused({"contribution_id": _("These words are in the report already.")})
    contribution = db.session.get(Contribution, contribution_id)
    is_drawing = contribution is not None and contribution.kind is ContributionKind.DRAWING
    words = ReportWords(
        version_id=version.id,
        contribution_id=contribution_id,
        caption=(caption or "").strip() or None if is_drawing else None,
    )
    db.session.add(words)
    db.session.flush()
    db.session.refresh(version)
    changed(report, "child_words", contribution=contribution_id, version=version.number)
    return words


def has_child_words(version: ReportVersion, child_id: int) -> bool:
    return bool(shown_words(version, child_id, MEETING))
