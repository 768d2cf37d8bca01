"""The family's space: invitation, passphrase, sign-in, and exactly what is shared."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.factories import ChildFactory, FamilyMemberFactory
from tests.family.helpers import (
    PASSPHRASE,
    family_account,
    maya_and_her_parents,
    sign_in,
    signed_out,
)
from tests.record.helpers import add_contribution, decide, place
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.children.models import Relationship
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    Feeling,
    SharingChoice,
)
from voice_app.extensions import db
from voice_app.record.models import ConsentAnswer

CODE = re.compile(r'<p class="code"[^>]*>([A-Z0-9]{4}-[A-Z0-9]{4})</p>')
LINK = re.compile(r"/family/i/([\w-]+)")


def actions() -> list[AuditAction]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def scene():
    practitioner, child, mother, father = maya_and_her_parents(full_name="Maya Thompson")
    other_child = ChildFactory(team=practitioner.team)
    by = practitioner

    def says(words: str, sharing: SharingChoice, family: bool, **kw) -> Contribution:
        item = add_contribution(kw.pop("of", child), words, **kw)
        item.sharing = sharing
        db.session.commit()
        decide(item, by, ConsentAnswer.GIVEN, share_with_family=family)
        return item

    items = {
        "shared": says("Mk-shared I like football", SharingChoice.MY_FAMILY_TOO, True),
        "meeting": says("Mk-meeting my school", SharingChoice.MY_MEETING, True),
        "no_consent": says("Mk-no-consent", SharingChoice.MY_FAMILY_TOO, False),
        "not_chosen": says("Mk-not-chosen", SharingChoice.MY_WORKER, True),
        "confidential": says("Mk-confidential", SharingChoice.MY_FAMILY_TOO, True),
        "other_child": says("Mk-other-child", SharingChoice.MY_FAMILY_TOO, True, of=other_child),
        "father": says(
            "Mk-father-private",
            SharingChoice.MY_WORKER,
            False,
            author_kind=AuthorKind.FAMILY_MEMBER,
        ),
    }
    items["father"].family_member_id = father.id
    items["feeling"] = says("", SharingChoice.MY_FAMILY_TOO, True, kind=ContributionKind.FEELING)
    items["feeling"].feeling = Feeling.SAD
    db.session.commit()
    place(child, by, contribution=items["confidential"])
    return {
        "practitioner": by,
        "child": child,
        "mother": mother,
        "father": father,
        "items": items,
    }


def test_invitation_passphrase_sign_in_and_exactly_what_is_shared(make_client, scene):
    child, mother = scene["child"], scene["mother"]
    staff = make_client(scene["practitioner"].email)
    page = staff.submit(
        f"/children/{child.id}/family-accounts/{mother.id}/invite", {"days": "7"}
    ).get_data(as_text=True)
    code, token = CODE.search(page).group(1), LINK.search(page).group(1)

    phone = make_client()
    # The code typed at /family/join opens the same invitation as the link.
    assert phone.submit("/family/join", {"code": code.lower()}).headers["Location"] == (
        "/family/welcome"
    )
    assert "Welcome, Claire Thompson" in phone.get("/family/welcome").get_data(as_text=True)
    done = phone.submit(
        "/family/welcome",
        {"sign_in_name": "Claire.T", "passphrase": PASSPHRASE, "confirm": PASSPHRASE},
    )
    assert done.headers["Location"] == "/family/"
    # The invitation works once.
    assert phone.get(f"/family/i/{token}").status_code == 200  # the join page, with an error

    laptop = make_client()
    assert (
        laptop.submit(
            "/family/sign-in", {"sign_in_name": "claire.t", "passphrase": PASSPHRASE}
        ).headers["Location"]
        == "/family/"
    )
    home = laptop.get("/family/").get_data(as_text=True)
    assert "Your family space for Maya" in home
    assert "why" in home.lower() and "copy" in home  # what is kept, why, and how to get it
    assert "Mk-shared" in home and "Mk-meeting" in home and "Feeling: Sad" in home
    for hidden in ("no_consent", "not_chosen", "confidential", "other_child", "father"):
        text = scene["items"][hidden].text
        assert text not in home, hidden
    assert AuditAction.FAMILY_SPACE_VIEWED in actions()
    # A staff page is not theirs: they are asked to sign in as staff.
    assert laptop.get(f"/children/{child.id}").headers["Location"].startswith("/login")


def test_two_parents_each_see_only_what_is_theirs_or_shared(make_client, scene):
    by = scene["practitioner"]
    mother = family_account(scene["mother"], by, "claire")
    father = family_account(scene["father"], by, "mark")
    mum, dad = make_client(), make_client()
    sign_in(mum, mother)
    sign_in(dad, father)
    mum.submit(
        "/family/contributions", {"kind": "text", "text": "Mk-mum-view", "sharing": "my_worker"}
    )
    assert "Mk-mum-view" in mum.get("/family/").get_data(as_text=True)
    dad_home = dad.get("/family/").get_data(as_text=True)
    assert "Mk-mum-view" not in dad_home
    assert "Mk-father-private" in dad_home
    assert "Mk-father-private" not in mum.get("/family/").get_data(as_text=True)
    mine = db.session.scalar(select(Contribution).where(Contribution.text == "Mk-mum-view"))
    assert mine.author_kind is AuthorKind.FAMILY_MEMBER
    assert mine.family_member_id == scene["mother"].id
    assert dad.get(f"/family/contributions/{mine.id}/read-back").status_code == 404


def test_a_carer_without_parental_responsibility_needs_a_reason(make_client, scene):
    grandad = FamilyMemberFactory(
        child=scene["child"],
        name="Robert Thompson",
        relationship_to_child=Relationship.GRANDPARENT,
        parental_responsibility=False,
    )
    staff = make_client(scene["practitioner"].email)
    url = f"/children/{scene['child'].id}/family-accounts/{grandad.id}/invite"
    refused = staff.submit(url, {"days": "7"}).get_data(as_text=True)
    assert "please record why" in refused
    made = staff.submit(url, {"days": "7", "reason": "Walks Maya to school every day."})
    assert CODE.search(made.get_data(as_text=True))


def test_a_new_invitation_ends_the_old_one_but_not_the_account(make_client, scene):
    by = scene["practitioner"]
    account = family_account(scene["mother"], by, "claire")
    staff = make_client(by.email)
    url = f"/children/{scene['child'].id}/family-accounts/{scene['mother'].id}/invite"
    first = CODE.search(staff.submit(url, {"days": "7"}).get_data(as_text=True)).group(1)
    second = CODE.search(staff.submit(url, {"days": "7"}).get_data(as_text=True)).group(1)
    phone = make_client()
    assert phone.submit("/family/join", {"code": first}).status_code == 200  # refused
    assert phone.submit("/family/join", {"code": second}).status_code == 302
    # The old passphrase still works until a new one is chosen.
    signed_in_before = make_client()
    sign_in(signed_in_before, account)
    phone.submit(
        "/family/welcome",
        {"sign_in_name": "claire", "passphrase": "a new passphrase", "confirm": "a new passphrase"},
    )
    # The new passphrase ends the sessions signed in with the old one.
    assert signed_out(signed_in_before.get("/family/"))
    sign_in(make_client(), account, "a new passphrase")
    assert db.session.scalar(select(db.func.count()).select_from(type(account))) == 1
