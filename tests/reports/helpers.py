"""A child with a report, words given with consent, and a family account, for report tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from tests.factories import AssignmentFactory, ChildFactory, FamilyMemberFactory, UserFactory
from tests.family.helpers import family_account
from tests.record.helpers import add_contribution
from voice_app.accounts.models import User
from voice_app.children.models import Child
from voice_app.contributions.models import Contribution, ContributionKind
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.family.models import FamilyAccount
from voice_app.record.models import ConsentAnswer, ConsentDecision, ConsentFrom
from voice_app.reports.models import Report, ReportKind
from voice_app.reports.services import drafting

#: A Thursday: 3 working days back is the Monday before, 5 is the Thursday before.
MEETING = date(2026, 12, 10)


def marker(name: str) -> str:
    return f"Mk{name}{uuid.uuid4().hex[:10]}"


def consent(
    contribution: Contribution, by: User, *, family: bool, meeting: bool = True
) -> ConsentDecision:
    decision = ConsentDecision(
        child_id=contribution.child_id,
        contribution_id=contribution.id,
        consent_from=ConsentFrom.CHILD,
        information="what they said",
        share_with_meeting=meeting,
        share_with_family=family,
        answer=ConsentAnswer.GIVEN,
        decided_on=date.today(),
        recorded_by_id=by.id,
        recorded_by_label=by.display,
    )
    db.session.add(decision)
    db.session.commit()
    return decision


def child_words(
    child: Child,
    by: User,
    text: str | None,
    *,
    family: bool = True,
    meeting: bool = True,
    kind: ContributionKind = ContributionKind.TEXT,
    media: bytes | None = None,
) -> Contribution:
    contribution = add_contribution(child, text, kind=kind, media=media)
    consent(contribution, by, family=family, meeting=meeting)
    return contribution


@dataclass
class ReportScene:
    practitioner: User
    manager: User
    child: Child
    report: Report
    account: FamilyAccount
    other_account: FamilyAccount
    markers: dict[str, str] = field(default_factory=dict)


def report_scene(kind: ReportKind = ReportKind.CP_INITIAL_CONFERENCE) -> ReportScene:
    practitioner = UserFactory()
    manager = UserFactory(team=practitioner.team, role=Role.MANAGER)
    child = ChildFactory(team=practitioner.team)
    AssignmentFactory(child=child, user=practitioner)
    mother = FamilyMemberFactory(child=child)
    father = FamilyMemberFactory(child=child)
    db.session.commit()
    account = family_account(mother, practitioner)
    other = family_account(father, practitioner)
    report = drafting.start_report(child, kind, MEETING, practitioner)
    db.session.commit()
    return ReportScene(practitioner, manager, child, report, account, other)
