"""People, children and form data for the chronology, consent and confidential tests."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from tests.factories import (
    AssignmentFactory,
    ChildFactory,
    ContributionFactory,
    TeamFactory,
    TranscriptFactory,
    UserFactory,
)
from voice_app.accounts.models import User
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.children.models import Child
from voice_app.contributions.models import (
    Contribution,
    SharingChoice,
    Transcript,
    TranscriptStatus,
)
from voice_app.core.db import utcnow
from voice_app.core.permissions import Role
from voice_app.extensions import db

LONDON = ZoneInfo("Europe/London")


@dataclass
class Case:
    """A child, the practitioner assigned to them, and their team's manager."""

    child: Child
    practitioner: User
    manager: User


def make_case(team: Any = None, **child_fields: Any) -> Case:
    team = team or TeamFactory()
    practitioner = UserFactory(team=team, name="Sam Okafor", post_title="Senior Social Worker")
    manager = UserFactory(team=team, role=Role.MANAGER, name="Priya Shah", post_title="Manager")
    child = ChildFactory(team=team, **child_fields)
    AssignmentFactory(child=child, user=practitioner)
    return Case(child, practitioner, manager)


def local_time(hours_ago: float) -> str:
    """A time as a datetime-local input in London would send it."""
    moment = utcnow() - timedelta(hours=hours_ago)
    return moment.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")


def entry_form(**fields: str) -> dict[str, str]:
    return {
        "kind": "case_note",
        "occurred_at": local_time(1),
        "body": "Visited Maya at home.",
        "classification": "fact",
        "source": "first_hand",
        **fields,
    }


def consent_form(**fields: str) -> dict[str, str]:
    return {
        "contribution_author": "child",
        "consent_from": "child",
        "family_member_id": "0",
        "information": "What she said about school",
        "share_with_meeting": "y",
        "answer": "given",
        "decided_on": date.today().isoformat(),
        **fields,
    }


def text_contribution(child: Child, words: str, **fields: Any) -> Contribution:
    contribution: Contribution = ContributionFactory(
        child=child, sharing=SharingChoice.MY_MEETING, text=words, **fields
    )
    return contribution


def voice_contribution(
    child: Child, machine_text: str, confirmed_text: str | None = None
) -> Contribution:
    transcript: Transcript = TranscriptFactory(
        contribution__child=child,
        contribution__sharing=SharingChoice.MY_WORKER,
        status=TranscriptStatus.CONFIRMED if confirmed_text else TranscriptStatus.DRAFT,
        machine_text=machine_text,
        confirmed_text=confirmed_text,
    )
    return transcript.contribution


def page_text(response: Any) -> str:
    """The page's HTML with entities decoded, so it can be searched for what a person reads."""
    return html.unescape(response.get_data(as_text=True))


def blockquotes(response: Any) -> list[str]:
    """The texts of the page's quotation blocks that carry dir="auto"."""
    found = re.findall(
        r'<blockquote class="childs-words"[^>]*dir="auto"[^>]*>(.*?)</blockquote>',
        response.get_data(as_text=True),
        flags=re.S,
    )
    return [html.unescape(text) for text in found]


def count(model: Any, *where: Any) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def audit_count(action: AuditAction, child_id: int) -> int:
    return count(AuditEntry, AuditEntry.action == action, AuditEntry.child_id == child_id)
