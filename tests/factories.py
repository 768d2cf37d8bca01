"""factory_boy factories for the models, flushed into the test database."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from argon2 import PasswordHasher
from factory.alchemy import SQLAlchemyModelFactory

from voice_app.accounts.models import Team, User
from voice_app.children.models import (
    AssignmentRole,
    CaseAssignment,
    Child,
    FamilyMember,
    Relationship,
)
from voice_app.core.permissions import Role
from voice_app.extensions import db

TEST_PASSWORD = "correct horse battery staple"
# Hashed once with the cheap settings the test app uses.
_TEST_HASH = PasswordHasher(time_cost=1, memory_cost=64).hash(TEST_PASSWORD)


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
    name = factory.Faker("name", locale="en_GB")
    post_title = "Social Worker"
    role = Role.PRACTITIONER
    team = factory.SubFactory(TeamFactory)
    password_hash = _TEST_HASH


class ChildFactory(_Base):
    class Meta:
        model = Child

    reference = factory.Sequence(lambda n: f"REF-{n:05d}")
    full_name = factory.Faker("name", locale="en_GB")
    preferred_name = None
    date_of_birth = factory.LazyFunction(lambda: date.today() - timedelta(days=365 * 9 + 30))
    preferred_language = "en"
    team = factory.SubFactory(TeamFactory)


class FamilyMemberFactory(_Base):
    class Meta:
        model = FamilyMember

    child = factory.SubFactory(ChildFactory)
    name = factory.Faker("name", locale="en_GB")
    relationship_to_child = Relationship.MOTHER
    parental_responsibility = True


class AssignmentFactory(_Base):
    class Meta:
        model = CaseAssignment

    child = factory.SubFactory(ChildFactory)
    user = factory.SubFactory(UserFactory)
    role_on_case = AssignmentRole.PRACTITIONER
