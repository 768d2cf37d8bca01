"""What plan kinds, columns, sections, statuses and outcomes are called on screen."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from babel.dates import format_date
from flask_babel import get_locale, to_user_timezone
from flask_babel import lazy_gettext as _l

from voice_app.i18n.dates import formatting_locale
from voice_app.plans.models import (
    ActionStatus,
    Column,
    Outcome,
    OwnerKind,
    ParticipantKind,
    PlanKind,
    ReviewKind,
    Section,
    Voice,
)
from voice_app.plans.services.voices import How

PLAN_KIND_LABELS: dict[str, Mapping[Any, Any]] = {
    PlanKind.CHILD_PROTECTION: _l("Child protection plan"),
    PlanKind.LOOKED_AFTER: _l("Looked-after child's care plan"),
    PlanKind.CHILD_IN_NEED: _l("Child in need plan"),
}
STARTED_ON_LABELS: dict[str, Mapping[Any, Any]] = {
    PlanKind.CHILD_PROTECTION: _l("Initial child protection conference"),
    PlanKind.LOOKED_AFTER: _l("Became looked after"),
    PlanKind.CHILD_IN_NEED: _l("Plan started"),
}
COLUMN_LABELS: dict[str, Mapping[Any, Any]] = {
    Column.WORRIED: _l("What are we worried about?"),
    Column.WORKING_WELL: _l("What is working well?"),
    Column.NEEDS_TO_HAPPEN: _l("What needs to happen?"),
    Column.NETWORK: _l("The family's network: who helps, and how"),
}
SECTION_LABELS: dict[str, Mapping[Any, Any]] = {
    Section.HARM: _l("Harm"),
    Section.DANGER_STATEMENT: _l("Danger statements"),
    Section.COMPLICATING_FACTOR: _l("Complicating factors"),
    Section.STRENGTH: _l("Strengths"),
    Section.EXISTING_SAFETY: _l("Existing safety"),
    Section.SAFETY_GOAL: _l("Safety goals"),
    Section.NETWORK: _l("Network"),
}
VOICE_LABELS: dict[str, Mapping[Any, Any]] = {
    Voice.CHILD: _l("The child"),
    Voice.FAMILY: _l("The family"),
    Voice.PROFESSIONAL: _l("Professionals"),
}
OWNER_LABELS: dict[str, Mapping[Any, Any]] = {
    OwnerKind.STAFF: _l("Staff member"),
    OwnerKind.FAMILY: _l("Family member"),
    OwnerKind.CHILD: _l("The child"),
    OwnerKind.AGENCY: _l("Another agency"),
}
STATUS_LABELS: dict[str, Mapping[Any, Any]] = {
    ActionStatus.NOT_STARTED: _l("Not started"),
    ActionStatus.UNDER_WAY: _l("Under way"),
    ActionStatus.DONE: _l("Done"),
    ActionStatus.NOT_DONE: _l("Not done"),
}
OUTCOME_LABELS: dict[str, Mapping[Any, Any]] = {
    Outcome.BE_HEALTHY: _l("Be healthy"),
    Outcome.STAY_SAFE: _l("Stay safe"),
    Outcome.ENJOY_AND_ACHIEVE: _l("Enjoy and achieve"),
    Outcome.POSITIVE_CONTRIBUTION: _l("Make a positive contribution"),
    Outcome.ECONOMIC_WELLBEING: _l("Achieve economic well-being"),
}
REVIEW_KIND_LABELS: dict[str, Mapping[Any, Any]] = {
    ReviewKind.REVIEW_CONFERENCE: _l("Review child protection conference"),
    ReviewKind.CORE_GROUP: _l("Core group meeting"),
    ReviewKind.LOOKED_AFTER_REVIEW: _l("Looked-after child review"),
    ReviewKind.CHILD_IN_NEED_REVIEW: _l("Child in need review"),
}
PARTICIPANT_LABELS: dict[str, Mapping[Any, Any]] = {
    ParticipantKind.CHILD: _l("The child"),
    ParticipantKind.PARENT: _l("Parent"),
    ParticipantKind.FAMILY: _l("Other family member"),
    ParticipantKind.PRACTITIONER: _l("Practitioner"),
    ParticipantKind.AGENCY: _l("Another agency"),
}
HOW_LABELS: dict[str, Mapping[Any, Any]] = {
    How.TYPED: _l("typed"),
    How.SPOKEN: _l("spoken"),
    How.DRAWN: _l("drawn"),
    How.CHOSEN: _l("chosen"),
}
CHANGE_LABELS: dict[str, Mapping[Any, Any]] = {
    "added": _l("Added"),
    "removed": _l("Removed"),
    "changed": _l("Changed"),
    "same": _l("No change"),
}

LABELS: dict[str, Mapping[Any, Any]] = {
    "plan_kind_labels": PLAN_KIND_LABELS,
    "started_on_labels": STARTED_ON_LABELS,
    "column_labels": COLUMN_LABELS,
    "section_labels": SECTION_LABELS,
    "voice_labels": VOICE_LABELS,
    "owner_labels": OWNER_LABELS,
    "status_labels": STATUS_LABELS,
    "outcome_labels": OUTCOME_LABELS,
    "review_kind_labels": REVIEW_KIND_LABELS,
    "participant_labels": PARTICIPANT_LABELS,
    "how_labels": HOW_LABELS,
    "change_labels": CHANGE_LABELS,
}


def resolved_labels() -> dict[str, dict[object, str]]:
    """Every label in the reader's language, translated once for the page rather than once
    per line: a plan page names hundreds of statuses and outcomes."""
    return _labels_in(str(get_locale() or "en"))


@lru_cache(maxsize=64)
def _labels_in(language: str) -> dict[str, dict[object, str]]:
    # The catalogues do not change while the process runs, so each language's labels are
    # translated once per process. ``language`` is the key; the lazy strings read the
    # request's locale, which is that language.
    return {
        name: {key: str(label) for key, label in labels.items()} for name, labels in LABELS.items()
    }


@lru_cache(maxsize=8192)
def _formatted_day(locale: str, value: date, width: str) -> str:
    return format_date(value, format=width, locale=locale)


def day_formatter() -> Callable[[date, str], str]:
    """Dates in the reader's formats (British for English, as every other page), the
    locale looked up once for the page.

    A day reads the same to every reader of a language, so it is formatted once per
    process: Babel took about a fifth of a large plan's page formatting the same few
    hundred dates again on every request. A moment (``datetime``) is the day it was in
    the reader's time zone.
    """
    locale = str(formatting_locale())

    def day(value: date, width: str = "medium") -> str:
        if isinstance(value, datetime):
            value = to_user_timezone(value).date()
        return _formatted_day(locale, value, width)

    return day
