"""``flask demo``: a team, its staff and three children, for demo databases only."""

from __future__ import annotations

from datetime import date, timedelta

import click
from sqlalchemy import func, select

from voice_app.accounts import services as accounts
from voice_app.accounts.models import User
from voice_app.children import services as children
from voice_app.children.models import AssignmentRole, Relationship
from voice_app.core.db import utcnow
from voice_app.core.demo_meeting import DEMO_FATHER_SIGN_IN, seed_first_conference
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.family.demo import DEMO_FAMILY_PASSPHRASE, DEMO_FAMILY_SIGN_IN, seed_family
from voice_app.interpreting.demo import seed_interpreting
from voice_app.plans.demo import seed_plan
from voice_app.record.demo import seed_chronology
from voice_app.replies.demo import seed_reply
from voice_app.reports.demo import seed_report

DEMO_PASSWORD = "demo-password"  # noqa: S105 - published in the README, demo databases only

DEMO_STAFF = [
    ("practitioner@demo.example", "Sam Okafor", "Social Worker", Role.PRACTITIONER),
    ("manager@demo.example", "Priya Shah", "Team Manager", Role.MANAGER),
    ("interpreter@demo.example", "Yusuf Haddad", "Arabic Interpreter", Role.INTERPRETER),
    ("admin@demo.example", "Alex Morgan", "System Administrator", Role.ADMIN),
    ("colleague@demo.example", "Daniel Price", "Social Worker", Role.PRACTITIONER),
]


def _born_years_ago(years: int, days: int = 40) -> date:
    today = date.today()
    return today.replace(year=today.year - years) - timedelta(days=days)


def _child(
    reference: str, full_name: str, preferred: str, born: date, language: str, **extra: str
) -> dict[str, object]:
    details: dict[str, object] = dict.fromkeys(children.DETAIL_FIELDS)
    details.update(
        reference=reference,
        full_name=full_name,
        preferred_name=preferred or None,
        date_of_birth=born,
        preferred_language=language,
    )
    details.update(extra)
    return details


def seed_demo() -> dict[str, User]:
    """Create the demo team; returns the staff by email."""
    team = accounts.create_team("Riverside Children's Team")
    staff = {
        email: accounts.create_user(
            email=email, name=name, post_title=title, role=role, password=DEMO_PASSWORD, team=team
        )
        for email, name, title, role in DEMO_STAFF
    }
    sam = staff["practitioner@demo.example"]
    maya = children.create_child(
        _child(
            "RCT-2026-0142",
            "Maya Thompson",
            "Maya",
            _born_years_ago(7),
            "en",
            gender="Girl",
            ethnicity="White British",
            address="14 Mill Lane, Riverside",
            communication_needs="Likes to draw; finds long conversations tiring.",
        ),
        sam,
    )
    claire = children.add_family_member(
        maya,
        children.FamilyMemberDetails(
            "Claire Thompson", Relationship.MOTHER, True, "en", False, "07700 900142", None
        ),
    )
    children.add_family_member(
        maya,
        children.FamilyMemberDetails(
            "Robert Thompson", Relationship.GRANDPARENT, False, "en", False, None, None
        ),
    )
    # Maya's father: he and Claire live apart (``demo_meeting``).
    mark = children.add_family_member(
        maya,
        children.FamilyMemberDetails(
            "Mark Thompson", Relationship.FATHER, True, "en", False, "07700 900199", None
        ),
    )
    omar = children.create_child(
        _child(
            "RCT-2026-0178",
            "Omar Al-Sayed",
            "Omar",
            _born_years_ago(10),
            "ar",
            gender="Boy",
            ethnicity="Arab",
            religion="Muslim",
            address="3 Station Road, Riverside",
            communication_needs="First language Arabic; an interpreter for meetings with parents.",
        ),
        sam,
    )
    children.add_family_member(
        omar,
        children.FamilyMemberDetails(
            "Karim Al-Sayed", Relationship.FATHER, True, "ar", True, "07700 900178", None
        ),
    )
    children.add_family_member(
        omar,
        children.FamilyMemberDetails(
            "Layla Al-Sayed", Relationship.MOTHER, True, "ar", True, None, None
        ),
    )
    children.assign(
        omar,
        staff["interpreter@demo.example"],
        AssignmentRole.INTERPRETER,
        utcnow() + timedelta(days=90),
        staff["manager@demo.example"],
    )
    seed_interpreting(omar, sam, staff["interpreter@demo.example"])
    ethan = children.create_child(
        _child("RCT-2026-0203", "Ethan Wright", "", _born_years_ago(14), "en", gender="Boy"),
        staff["colleague@demo.example"],
    )
    children.add_family_member(
        ethan,
        children.FamilyMemberDetails(
            "Dawn Wright", Relationship.MOTHER, True, "en", False, None, None
        ),
    )
    seed_chronology(maya, sam, staff["manager@demo.example"])
    seed_reply(maya, sam)
    seed_plan(maya, sam)
    claire_account = seed_family(claire, sam)
    seed_first_conference(maya, claire, claire_account, mark, sam, staff["manager@demo.example"])
    seed_report(maya, sam, claire_account)
    return staff


@click.command("demo")
def demo_command() -> None:
    """Seed the demo team and children into an empty database."""
    if db.session.scalar(select(func.count()).select_from(User)):
        if db.session.scalar(select(User.id).where(User.email == DEMO_STAFF[0][0])) is None:
            click.echo("The database already has accounts: demo not seeded.")
            return
        click.echo("The demo is already seeded.")
    else:
        seed_demo()
        db.session.commit()
        click.echo("Demo seeded.")
    click.echo(f"Sign in with any of these, password {DEMO_PASSWORD}:")
    for email, _name, _title, role in DEMO_STAFF:
        click.echo(f"  {role:<13} {email}")
    click.echo(
        f"Family space (/family/sign-in), Claire Thompson, Maya's mother: "
        f"{DEMO_FAMILY_SIGN_IN} / {DEMO_FAMILY_PASSPHRASE}"
    )
    click.echo(
        f"  and Mark Thompson, Maya's father, who lives apart from Claire: "
        f"{DEMO_FATHER_SIGN_IN} / {DEMO_FAMILY_PASSPHRASE}"
    )
