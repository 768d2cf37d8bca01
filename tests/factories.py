"""factory_boy factories for the models, committed to the test database.

Rows that belong to a child take ``child=`` (and the record's rows ``by=``, the member of
staff who wrote them); ids and the names copied at the time are filled in from those.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import factory
from argon2 import PasswordHasher
from factory.alchemy import SQLAlchemyModelFactory
from faker import Faker
from sqlalchemy import func, select

from voice_app.accounts.models import Team, User
from voice_app.children.models import (
    AssignmentRole,
    CaseAssignment,
    Child,
    FamilyMember,
    Relationship,
)
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    SharingChoice,
    Transcript,
    TranscriptStatus,
)
from voice_app.core.db import utcnow
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.record.models import (
    Classification,
    ConfidentialPlacement,
    ConfidentialReason,
    ConsentAnswer,
    ConsentDecision,
    ConsentFrom,
    EntryKind,
    RecordEntry,
    Source,
)

TEST_PASSWORD = "correct horse battery staple"
# Hashed once with the cheap settings the test app uses.
_TEST_HASH = PasswordHasher(time_cost=1, memory_cost=64).hash(TEST_PASSWORD)


_names = Faker("en_GB")


def _plain_name() -> str:
    """A generated name without an apostrophe: pages write "O'Brien" escaped, and a test
    looking for the name as typed would then fail one run in a few hundred. Escaping has
    tests of its own, with names chosen for it."""
    return str(_names.name()).replace("'", "")


class _Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class TeamFactory(_Base):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(_Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.LazyFunction(_plain_name)
    post_title = "Social Worker"
    role = Role.PRACTITIONER
    team = factory.SubFactory(TeamFactory)
    password_hash = _TEST_HASH


class ChildFactory(_Base):
    class Meta:
        model = Child

    reference = factory.Sequence(lambda n: f"REF-{n:05d}")
    full_name = factory.LazyFunction(_plain_name)
    preferred_name = None
    date_of_birth = factory.LazyFunction(lambda: date.today() - timedelta(days=365 * 9 + 30))
    preferred_language = "en"
    team = factory.SubFactory(TeamFactory)


class FamilyMemberFactory(_Base):
    class Meta:
        model = FamilyMember

    child = factory.SubFactory(ChildFactory)
    name = factory.LazyFunction(_plain_name)
    relationship_to_child = Relationship.MOTHER
    parental_responsibility = True


class AssignmentFactory(_Base):
    class Meta:
        model = CaseAssignment

    child = factory.SubFactory(ChildFactory)
    user = factory.SubFactory(UserFactory)
    role_on_case = AssignmentRole.PRACTITIONER


class ContributionFactory(_Base):
    """A child's words, as their space stores them (no media)."""

    class Meta:
        model = Contribution

    class Params:
        child = factory.SubFactory(ChildFactory)

    child_id = factory.SelfAttribute("child.id")
    client_id = factory.LazyFunction(lambda: str(uuid.uuid4()))
    kind = ContributionKind.TEXT
    author_kind = AuthorKind.CHILD
    language = "en"
    sharing = SharingChoice.MY_FAMILY_TOO
    text = "I like football"


class TranscriptFactory(_Base):
    """A machine transcript of a voice contribution, waiting to be confirmed."""

    class Meta:
        model = Transcript

    contribution = factory.SubFactory(ContributionFactory, kind=ContributionKind.VOICE, text=None)
    status = TranscriptStatus.DRAFT
    machine_text = "I like school"


def _next_sequence(child_id: int) -> int:
    highest = db.session.scalar(
        select(func.max(RecordEntry.sequence)).where(RecordEntry.child_id == child_id)
    )
    return (highest or 0) + 1


class RecordEntryFactory(_Base):
    """A case note in the chronology, numbered after the child's last entry."""

    class Meta:
        model = RecordEntry

    class Params:
        child = factory.SubFactory(ChildFactory)
        by = factory.SubFactory(UserFactory)

    child_id = factory.SelfAttribute("child.id")
    sequence = factory.LazyAttribute(lambda o: _next_sequence(o.child_id))
    kind = EntryKind.CASE_NOTE
    body = "Visited at home."
    occurred_at = factory.LazyFunction(lambda: utcnow() - timedelta(hours=1))
    author_id = factory.SelfAttribute("by.id")
    author_name = factory.SelfAttribute("by.name")
    author_post_title = factory.SelfAttribute("by.post_title")
    classification = Classification.FACT
    source = Source.FIRST_HAND


class ConsentDecisionFactory(_Base):
    """The child's consent decision about one of their contributions."""

    class Meta:
        model = ConsentDecision

    class Params:
        contribution = factory.SubFactory(ContributionFactory)
        by = factory.SubFactory(UserFactory)

    child_id = factory.SelfAttribute("contribution.child_id")
    contribution_id = factory.SelfAttribute("contribution.id")
    consent_from = ConsentFrom.CHILD
    information = "what they said"
    answer = ConsentAnswer.GIVEN
    decided_on = factory.LazyFunction(date.today)
    recorded_by_id = factory.SelfAttribute("by.id")
    recorded_by_label = factory.SelfAttribute("by.display")


class ConfidentialPlacementFactory(_Base):
    """An entry placed in the confidential section (pass ``entry_id=None, contribution_id=``
    to place a contribution instead)."""

    class Meta:
        model = ConfidentialPlacement

    class Params:
        entry = factory.SubFactory(RecordEntryFactory)
        by = factory.SubFactory(UserFactory)

    child_id = factory.SelfAttribute("entry.child_id")
    entry_id = factory.SelfAttribute("entry.id")
    contribution_id = None
    reason = ConfidentialReason.SERIOUS_HARM
    note = "kept from the family"
    placed_by_id = factory.SelfAttribute("by.id")
    placed_by_label = factory.SelfAttribute("by.display")
    review_on = factory.LazyFunction(lambda: date.today() + timedelta(days=90))
