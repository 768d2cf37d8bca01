"""The child's "who can see this?" step names one grown-up when parents live apart.

With two family members or more who have a way into the family's space, the child can
choose "Mum too" (say) instead of all their family; the choice is kept on what they
shared and shows in their list and to their practitioner.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from tests.factories import AssignmentFactory, ChildFactory, FamilyMemberFactory, UserFactory
from tests.family.helpers import family_account
from voice_app.accounts.invitations import create_invitation
from voice_app.accounts.models import User
from voice_app.children.models import Child, DevelopmentalBand, FamilyMember, Relationship
from voice_app.contributions.models import Contribution, SharingChoice
from voice_app.extensions import db
from voice_app.family import services as family_services
from voice_app.read_aloud.prompts import prompt_ids


@dataclass
class Scene:
    child: Child
    practitioner: User
    mum: FamilyMember
    dad: FamilyMember
    tablet: Any


def drawing_png() -> bytes:
    image = Image.new("RGB", (200, 150), "white")
    for x in range(20, 180):
        image.putpixel((x, 75), (30, 30, 200))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def open_space(make_client: Any, child: Child, by: User) -> Any:
    made = create_invitation(child, "on a visit", by, timedelta(days=3))
    db.session.commit()
    tablet = make_client()
    assert tablet.get(f"/i/{made.token}").headers["Location"] == "/me"
    return tablet


def scene_for(make_client: Any, band: DevelopmentalBand, *, dad_account: bool = True) -> Scene:
    practitioner = UserFactory()
    child = ChildFactory(team=practitioner.team, band_override=band, preferred_name="Ava")
    AssignmentFactory(child=child, user=practitioner)
    mum = FamilyMemberFactory(
        child=child, name="Rosa Diaz", relationship_to_child=Relationship.MOTHER
    )
    dad = FamilyMemberFactory(
        child=child, name="Tom Diaz", relationship_to_child=Relationship.FATHER
    )
    db.session.commit()
    family_account(mum, practitioner)
    if dad_account:
        family_account(dad, practitioner)
    return Scene(child, practitioner, mum, dad, open_space(make_client, child, practitioner))


def send(tablet: Any, sharing: str, **fields: Any) -> Any:
    data = {"client_id": str(uuid.uuid4()), "sharing": sharing, "kind": "text", **fields}
    return tablet.post(
        "/me/contributions",
        data=data,
        content_type="multipart/form-data",
        headers={"X-CSRFToken": tablet.csrf_token()},
    )


@pytest.mark.parametrize(
    ("band", "mum", "dad", "everyone"),
    [
        (DevelopmentalBand.EARLY, "Mum too", "Dad too", "All my family too"),
        (
            DevelopmentalBand.MIDDLE,
            "Just Mum from my family",
            "Just Dad from my family",
            "All my family",
        ),
        (
            DevelopmentalBand.TEEN,
            "My social worker and Mum only",
            "My social worker and Dad only",
            "My social worker and all my family",
        ),
    ],
)
def test_each_grown_up_is_a_choice_in_words_for_the_band(
    make_client, band, mum, dad, everyone
) -> None:
    scene = scene_for(make_client, band)
    page = scene.tablet.get("/me").get_data(as_text=True)
    for words in (mum, dad, everyone):
        assert words in page
    assert f'value="my_family_too:{scene.mum.id}"' in page
    assert f'value="my_family_too:{scene.dad.id}"' in page
    assert "share-one.svg" in page  # a picture of one grown-up, beside the words
    # Every panel's sharing step offers them.
    panels = page.count('value="my_worker"')
    assert panels >= 4
    assert page.count(f'value="my_family_too:{scene.mum.id}"') == panels


def test_with_one_grown_up_in_the_family_space_nothing_changes(make_client) -> None:
    scene = scene_for(make_client, DevelopmentalBand.EARLY, dad_account=False)
    page = scene.tablet.get("/me").get_data(as_text=True)
    assert "My family too" in page
    assert 'value="my_family_too:' not in page
    assert 'cs-choice__label" dir="auto">Mum too<' not in page


def test_the_childs_choice_of_mum_is_kept_and_shown_back_to_them(make_client) -> None:
    scene = scene_for(make_client, DevelopmentalBand.EARLY)
    sent = send(scene.tablet, f"my_family_too:{scene.mum.id}", text="For my mum")
    assert sent.status_code == 201, sent.get_data(as_text=True)
    assert sent.get_json()["sharing"] == f"my_family_too:{scene.mum.id}"
    stored = db.session.scalar(select(Contribution).where(Contribution.text == "For my mum"))
    assert stored is not None
    assert stored.sharing is SharingChoice.MY_FAMILY_TOO
    assert stored.shared_with_member_id == scene.mum.id
    page = scene.tablet.get("/me").get_data(as_text=True)
    assert "Who can see it: Mum too" in page


def test_all_my_family_names_nobody(make_client) -> None:
    scene = scene_for(make_client, DevelopmentalBand.MIDDLE)
    assert send(scene.tablet, "my_family_too", text="For everyone").status_code == 201
    stored = db.session.scalar(select(Contribution).where(Contribution.text == "For everyone"))
    assert stored is not None and stored.shared_with_member_id is None


def test_someone_outside_the_childs_family_is_refused(make_client) -> None:
    scene = scene_for(make_client, DevelopmentalBand.MIDDLE)
    other_child = ChildFactory(team=scene.practitioner.team)
    stranger = FamilyMemberFactory(child=other_child)
    db.session.commit()
    before = db.session.scalar(select(func.count()).select_from(Contribution))
    for value in (
        f"my_family_too:{stranger.id}",  # another child's family
        f"my_meeting:{scene.mum.id}",  # only "my family too" names one grown-up
        "my_family_too:mum",
    ):
        refused = send(scene.tablet, value, text="Should not be kept")
        assert refused.status_code == 400, value
        assert refused.get_json()["reason"] == "malformed"
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == before


def test_a_choice_made_before_dads_account_ended_still_arrives_from_the_outbox(
    make_client,
) -> None:
    """The item waited on the tablet; Dad's account ended meanwhile. It is kept, for Dad
    alone as Maya chose (nobody else in the family sees it), not thrown away."""
    scene = scene_for(make_client, DevelopmentalBand.EARLY)
    value = f"my_family_too:{scene.dad.id}"
    assert f'value="{value}"' in scene.tablet.get("/me").get_data(as_text=True)
    account = family_services.account_for(scene.dad)
    assert account is not None
    family_services.end_access(account, scene.practitioner)
    db.session.commit()
    assert f'value="{value}"' not in scene.tablet.get("/me").get_data(as_text=True)
    sent = send(scene.tablet, value, text="Waited in the outbox")
    assert sent.status_code == 201
    stored = db.session.scalar(
        select(Contribution).where(Contribution.text == "Waited in the outbox")
    )
    assert stored is not None and stored.shared_with_member_id == scene.dad.id
    # The child's list still says who may see it, by the name they chose.
    assert "Who can see it: Dad too" in scene.tablet.get("/me").get_data(as_text=True)


def test_two_people_the_child_calls_mum_are_told_apart_by_name(make_client) -> None:
    scene = scene_for(make_client, DevelopmentalBand.EARLY)
    step_mum = FamilyMemberFactory(
        child=scene.child, name="Lena Park", relationship_to_child=Relationship.MOTHER
    )
    carer = FamilyMemberFactory(
        child=scene.child, name="Joy Adeyemi", relationship_to_child=Relationship.FOSTER_CARER
    )
    db.session.commit()
    family_account(step_mum, scene.practitioner)
    family_account(carer, scene.practitioner)
    page = scene.tablet.get("/me").get_data(as_text=True)
    assert "Mum (Rosa Diaz) too" in page and "Mum (Lena Park) too" in page
    assert "Joy Adeyemi too" in page and "Dad too" in page


def test_the_practitioner_sees_the_childs_choice_and_the_form_starts_from_it(
    make_client,
) -> None:
    scene = scene_for(make_client, DevelopmentalBand.EARLY)
    send(scene.tablet, f"my_family_too:{scene.dad.id}", text="Only for dad")
    stored = db.session.scalar(select(Contribution).where(Contribution.text == "Only for dad"))
    assert stored is not None
    desk = make_client(scene.practitioner.email)
    timeline = desk.get(f"/children/{scene.child.id}/contributions").get_data(as_text=True)
    assert "only Tom Diaz" in timeline
    attach = desk.get(f"/children/{scene.child.id}/contributions/{stored.id}/attach")
    page = attach.get_data(as_text=True)
    assert "The child's own choice: Their family too: only Tom Diaz" in page
    assert f'<option selected value="{scene.dad.id}">' in page
    assert date.today().isoformat() in page


def test_mum_and_dad_are_prompts_read_aloud_can_speak_ahead(app) -> None:
    prompts = prompt_ids()
    for words in (
        "Mum too",
        "Dad too",
        "All my family too",
        "Just Mum from my family",
        "My social worker and Dad only",
    ):
        assert words in prompts, words
