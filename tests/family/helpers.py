"""Family accounts for tests: made through the real invitation, or signed straight in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.factories import AssignmentFactory, ChildFactory, FamilyMemberFactory, UserFactory
from voice_app.accounts.models import User
from voice_app.children.models import Child, FamilyMember, Relationship
from voice_app.extensions import db
from voice_app.family import services
from voice_app.family.models import FamilyAccount

PASSPHRASE = "blue kettle river morning"


def maya_and_her_parents(**child: Any) -> tuple[User, Child, FamilyMember, FamilyMember]:
    """A practitioner assigned to Maya, and her mother Claire and father Mark."""
    practitioner = UserFactory()
    maya = ChildFactory(team=practitioner.team, preferred_name="Maya", **child)
    AssignmentFactory(child=maya, user=practitioner)
    mother = FamilyMemberFactory(child=maya, name="Claire Thompson")
    father = FamilyMemberFactory(
        child=maya, name="Mark Thompson", relationship_to_child=Relationship.FATHER
    )
    return practitioner, maya, mother, father


def family_account(
    member: FamilyMember, by: User, name: str | None = None, passphrase: str = PASSPHRASE
) -> FamilyAccount:
    """An account whose passphrase is set, as opening its invitation would leave it."""
    made = services.invite(member, "cares for the child", by, timedelta(days=1))
    services.set_passphrase(made.invitation, name or f"member{member.id}", passphrase)
    db.session.commit()
    return made.invitation.account


def sign_in(client: Any, account: FamilyAccount, passphrase: str = PASSPHRASE) -> Any:
    response = client.submit(
        "/family/sign-in", {"sign_in_name": account.sign_in_name, "passphrase": passphrase}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-800:]
    assert response.headers["Location"] == "/family/"
    return response


def signed_out(response: Any) -> bool:
    """Whether a page answered as it does with no family session: off to sign in."""
    return bool(response.status_code == 302 and response.headers["Location"] == "/family/sign-in")
