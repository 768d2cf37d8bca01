"""The child's words in a plan: which may be placed and shown, and how they read, verbatim.

``shareable_words`` is the one place this area asks ``voice_app.record.disclosure`` about
consent and the confidential section; every plan page, the PDF and the child's version
go through it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from flask_babel import gettext as _
from sqlalchemy import select

from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    House,
    TranscriptStatus,
)
from voice_app.extensions import db
from voice_app.plans.models import COLUMN_OF, Column, Section, Voice
from voice_app.record.disclosure import (
    Audience,
    confidential_scope,
    contribution_ids_shared_with,
    current_consent,
)
from voice_app.record.models import ConsentAnswer

#: The plan's readers are the people at its meetings: consent must cover them.
PLAN_AUDIENCE = Audience.MEETING

#: Where a Three Houses answer belongs, as a suggestion the practitioner confirms.
HOUSE_SECTION = {
    House.WORRIES: Section.HARM,
    House.GOOD_THINGS: Section.STRENGTH,
    House.DREAMS: Section.SAFETY_GOAL,
}


@dataclass(frozen=True)
class Shareable:
    """What consent and the confidential section allow for one child, right now."""

    #: Contributions the plan's readers may see.
    allowed: frozenset[int]
    #: Contributions in the confidential section: never shown, never mentioned.
    confidential: frozenset[int]
    #: Of the contributions asked about, those whose consent was withdrawn (none confidential).
    withdrawn: frozenset[int] = frozenset()


def shareable_words(child_id: int, asking_about: Iterable[int] = ()) -> Shareable:
    """The single call into the record's disclosure rules for plans.

    ``asking_about``: contributions already in a plan, whose withdrawn consent the plan
    must say it acted on.
    """
    scope = confidential_scope(child_id)  # read once, for both questions
    allowed = db.session.scalars(
        contribution_ids_shared_with(child_id, PLAN_AUDIENCE, confidential=scope)
    )
    confidential = scope.contribution_ids
    allowed_now = frozenset(allowed) - confidential
    withdrawn = set()
    for contribution_id in set(asking_about) - allowed_now - confidential:
        decision = current_consent(contribution_id)
        if decision is not None and decision.answer is ConsentAnswer.WITHDRAWN:
            withdrawn.add(contribution_id)
    return Shareable(allowed_now, confidential, frozenset(withdrawn))


class How(StrEnum):
    """How the child gave their words."""

    TYPED = "typed"
    SPOKEN = "spoken"
    DRAWN = "drawn"
    CHOSEN = "chosen"


HOW_OF = {
    ContributionKind.TEXT: How.TYPED,
    ContributionKind.VOICE: How.SPOKEN,
    ContributionKind.DRAWING: How.DRAWN,
    ContributionKind.FEELING: How.CHOSEN,
    ContributionKind.HOUSE: How.TYPED,
    ContributionKind.SCALE: How.CHOSEN,
}


@dataclass(frozen=True)
class Words:
    """A contribution as the plan shows it: exactly what was said, by whom, when and how."""

    contribution: Contribution
    text: str | None
    how: How
    said_at: datetime
    voice: Voice

    @property
    def is_drawing(self) -> bool:
        return self.contribution.kind is ContributionKind.DRAWING


def voice_of(contribution: Contribution) -> Voice:
    if contribution.author_kind is AuthorKind.FAMILY_MEMBER:
        return Voice.FAMILY
    return Voice.CHILD


def verbatim(contribution: Contribution) -> str | None:
    """The words as given: a recording only through its confirmed transcript."""
    if contribution.kind is ContributionKind.VOICE:
        transcript = contribution.transcript
        if transcript is None or transcript.status is not TranscriptStatus.CONFIRMED:
            return None
        return transcript.confirmed_text
    if contribution.kind is ContributionKind.SCALE and contribution.scale_value is not None:
        return f"{contribution.scale_value}/10" + (
            f" — {contribution.text}" if contribution.text else ""
        )
    if contribution.kind is ContributionKind.FEELING and contribution.feeling is not None:
        return contribution.text or None
    return contribution.text


def can_be_placed(contribution: Contribution) -> bool:
    """Whether the contribution has words or a picture to place yet."""
    if contribution.kind is ContributionKind.DRAWING:
        return contribution.media_id is not None
    if contribution.kind is ContributionKind.FEELING:
        return contribution.feeling is not None
    return verbatim(contribution) is not None


def as_words(contribution: Contribution) -> Words:
    return Words(
        contribution,
        verbatim(contribution),
        HOW_OF[contribution.kind],
        contribution.created_at,
        voice_of(contribution),
    )


def placeable(
    child_id: int, shareable: Shareable, leaving_out: Iterable[int] = ()
) -> list[Contribution]:
    """The child's contributions that may go into the plan now, newest first, but those in
    ``leaving_out`` (already placed)."""
    wanted = shareable.allowed - set(leaving_out)
    if not wanted:
        return []
    found = db.session.scalars(
        select(Contribution)
        .where(Contribution.child_id == child_id, Contribution.id.in_(wanted))
        .order_by(Contribution.created_at.desc(), Contribution.id.desc())
    )
    return [c for c in found if can_be_placed(c)]


def why_not_placeable(contribution: Contribution, shareable: Shareable) -> str:
    """Why these words cannot go into the plan now, in the reader's language."""
    if contribution.id not in shareable.allowed:
        return _(
            "These words cannot go into the plan: the consent decision in force does not "
            "let the people at the child's meetings see them."
        )
    return _("A recording goes into a plan once its words are confirmed.")


def suggested_section(contribution: Contribution) -> Section | None:
    """A Three Houses answer suggests its column; anything else suggests nothing."""
    if contribution.kind is ContributionKind.HOUSE and contribution.house is not None:
        return HOUSE_SECTION[contribution.house]
    return None


def suggested_column(contribution: Contribution) -> Column | None:
    section = suggested_section(contribution)
    return COLUMN_OF[section] if section else None
