"""Permission-matrix rows for family accounts: the family's space and the practitioner's
family-account pages. The parent of another child gets 404 on anything of this family."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from tests.core.matrix import (
    CASE_EDITORS_POST,
    CASE_READERS,
    CHILD_SPACE,
    Row,
    World,
    everyone,
    family_only,
    only,
    png_bytes,
)
from tests.factories import ChildFactory, FamilyMemberFactory, TeamFactory
from tests.record.helpers import decide
from voice_app.children.models import Child, Relationship
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    SharingChoice,
    Transcript,
    TranscriptStatus,
)
from voice_app.contributions.services import Author, Submission, add_contribution
from voice_app.extensions import db
from voice_app.family import services
from voice_app.record.models import ConsentAnswer

PASSPHRASE = "matrix family passphrase"


def extend_world(world: World) -> None:
    """Matrix Child's mother with an account, her own recording, a drawing Matrix Child
    shared with the family, a father invited but not signed up, and the parent of a child
    of another team with an account of their own."""
    practitioner = world.users["practitioner"]
    child = db.session.get_one(Child, world.child_id)
    mother = FamilyMemberFactory(child=child, name="Matrix Mother")
    father = FamilyMemberFactory(
        child=child, name="Matrix Father", relationship_to_child=Relationship.FATHER
    )
    made = services.invite(mother, None, practitioner, timedelta(days=1))
    services.set_passphrase(made.invitation, "matrix.mother", PASSPHRASE)
    pending = services.invite(father, None, practitioner, timedelta(days=1))

    other_child = ChildFactory(team=TeamFactory(), full_name="Other Family Child")
    other_parent = FamilyMemberFactory(child=other_child, name="Other Parent")
    other = services.invite(
        other_parent, None, world.users["other_team_manager"], timedelta(days=1)
    )
    services.set_passphrase(other.invitation, "other.parent", PASSPHRASE)

    shared, _ = add_contribution(
        child,
        Submission(
            str(uuid.uuid4()),
            ContributionKind.DRAWING,
            SharingChoice.MY_FAMILY_TOO,
            media=png_bytes(),
        ),
        Author(AuthorKind.CHILD, invitation_id=world.invitation_id),
    )
    db.session.flush()
    decide(shared, practitioner, ConsentAnswer.GIVEN, share_with_family=True)
    voice = Contribution(
        child_id=child.id,
        client_id=str(uuid.uuid4()),
        kind=ContributionKind.VOICE,
        author_kind=AuthorKind.FAMILY_MEMBER,
        family_member_id=mother.id,
        language="en",
        sharing=SharingChoice.MY_WORKER,
        transcript=Transcript(status=TranscriptStatus.DRAFT, machine_text="We are trying"),
    )
    db.session.add(voice)
    db.session.flush()
    world.extra.update(
        mother=mother.id,
        father=father.id,
        father_token=pending.token,
        family_shared_drawing=shared.id,
        family_voice=voice.id,
    )


def sign_in_as(client: Any, world: World, role: str) -> None:
    name = "matrix.mother" if role == "family" else "other.parent"
    response = client.submit("/family/sign-in", {"sign_in_name": name, "passphrase": PASSPHRASE})
    assert response.status_code == 302, "family sign-in failed"


def _c(w: World) -> str:
    return f"/children/{w.child_id}/family-accounts"


#: Pages anyone may open, except on a device that is in a child's space.
OPEN = {**everyone(200), "child": CHILD_SPACE}
OPEN_REDIRECT = {**everyone(302), "child": CHILD_SPACE}

ROWS: dict[str, list[Row]] = {
    "family_access.open_invitation": [
        Row("GET", lambda w: f"/family/i/{w.extra['father_token']}", OPEN_REDIRECT),
        Row("GET", lambda w: "/family/i/not-a-token", OPEN),
    ],
    "family_access.join": [Row("GET", lambda w: "/family/join", OPEN)],
    # Without an opened invitation there is nothing to set: back to the code.
    "family_access.welcome": [Row("GET", lambda w: "/family/welcome", OPEN_REDIRECT)],
    "family_access.sign_in": [Row("GET", lambda w: "/family/sign-in", OPEN)],
    "family.home": [Row("GET", lambda w: "/family/", family_only(200))],
    "family.contribute": [
        Row(
            "POST",
            lambda w: "/family/contributions",
            family_only(302, method="POST"),
            lambda w: {"kind": "text", "text": "We are doing our best.", "sharing": "my_worker"},
        )
    ],
    "family.read_back": [
        Row(
            "GET",
            lambda w: f"/family/contributions/{w.extra['family_voice']}/read-back",
            family_only(200, 404),
        ),
        # The child's words are not the family's to confirm.
        Row(
            "GET",
            lambda w: f"/family/contributions/{w.voice_id}/read-back",
            family_only(404),
        ),
    ],
    "family.media": [
        Row(
            "GET",
            lambda w: f"/family/media/{w.extra['family_shared_drawing']}/thumbnail",
            family_only(200, 404),
        ),
        # The child chose "only my worker" for this drawing.
        Row("GET", lambda w: f"/family/media/{w.drawing_id}/original", family_only(404)),
    ],
    "family.settings": [Row("GET", lambda w: "/family/settings", family_only(200))],
    # Always the signed-in member's own child's plan: nothing in the URL to point elsewhere.
    "family_plan.show": [Row("GET", lambda w: "/family/plan", family_only(200))],
    "family_access.sign_out": [
        Row("POST", lambda w: "/family/sign-out", family_only(302, method="POST"))
    ],
    # Only a practitioner's handed-over tablet has a way back to give.
    "family_access.give_back": [Row("GET", lambda w: "/family/give-back", family_only(404))],
    "family_staff.accounts": [Row("GET", _c, only(CASE_READERS))],
    "family_staff.invite": [
        Row("GET", lambda w: f"{_c(w)}/{w.extra['mother']}/invite", only(CASE_READERS)),
        Row(
            "POST",
            lambda w: f"{_c(w)}/{w.extra['father']}/invite",
            only(CASE_READERS),
            lambda w: {"days": "7"},
        ),
    ],
    "family_staff.end_access": [
        Row("POST", lambda w: f"{_c(w)}/{w.extra['mother']}/end", only(CASE_EDITORS_POST))
    ],
    "family_staff.assisted": [
        Row("POST", lambda w: f"{_c(w)}/{w.extra['mother']}/assisted", only(CASE_EDITORS_POST))
    ],
}
