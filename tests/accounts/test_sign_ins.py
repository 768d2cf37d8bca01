"""A sign-out holds even against the cookie coming back, and a picture's answer leaves the
session alone (``accounts.sign_ins``, ``core.security.SessionCookies``).

A browser keeps whichever ``Set-Cookie`` reached it last, and an answer still on its way
when the page changed the session carries the cookie as its request sent it. These tests
play that answer by sending the earlier cookie again.
"""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image
from sqlalchemy import select

from tests.factories import (
    TEST_PASSWORD,
    AssignmentFactory,
    ChildFactory,
    FamilyMemberFactory,
    UserFactory,
)
from tests.family.helpers import family_account, sign_in, signed_out
from voice_app.accounts import sign_ins
from voice_app.accounts.invitations import create_invitation
from voice_app.accounts.models import EndedSignIn
from voice_app.contributions.models import Contribution
from voice_app.core.db import utcnow
from voice_app.extensions import db


def session_cookie(client) -> str:
    cookie = client.get_cookie("voice_app_session")
    assert cookie is not None
    return cookie.value


def session_of(client) -> dict:
    """What the browser's session cookie holds (signed, not encrypted)."""
    app = client.application
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.loads(session_cookie(client))


def test_a_staff_cookie_sent_again_after_sign_out_signs_nobody_in(make_client):
    user = UserFactory()
    tablet = make_client(user.email)
    assert tablet.get("/children/").status_code == 200
    before_sign_out = session_cookie(tablet)

    assert tablet.submit("/logout").status_code == 302
    # An answer sent before the sign-out lands after it, with the session as it was.
    tablet.set_cookie("voice_app_session", before_sign_out)

    assert tablet.get("/children/").headers["Location"].startswith("/login")
    assert tablet.get("/account").headers["Location"].startswith("/login")
    assert db.session.scalar(select(EndedSignIn.sign_in)) is not None


def test_signing_out_on_one_device_leaves_the_others_signed_in(make_client):
    user = UserFactory()
    tablet, laptop = make_client(user.email), make_client(user.email)
    tablet.submit("/logout")
    assert laptop.get("/children/").status_code == 200
    # And signing in again is a new sign-in, not the ended one.
    tablet.sign_in(user.email)
    assert tablet.get("/children/").status_code == 200


def test_a_family_cookie_sent_again_after_sign_out_or_hand_back_signs_nobody_in(make_client):
    practitioner = UserFactory(name="Sam Okafor")
    child = ChildFactory(team=practitioner.team)
    AssignmentFactory(child=child, user=practitioner)
    account = family_account(FamilyMemberFactory(child=child), practitioner, "claire")

    phone = make_client()
    sign_in(phone, account)
    assert phone.get("/family/").status_code == 200
    before_sign_out = session_cookie(phone)
    phone.submit("/family/sign-out")
    phone.set_cookie("voice_app_session", before_sign_out)
    assert signed_out(phone.get("/family/"))

    # Handed back to the practitioner: the family member's sign-in on his tablet ends too.
    tablet = make_client(practitioner.email)
    tablet.submit(f"/children/{child.id}/family-accounts/{account.family_member_id}/assisted")
    assert tablet.get("/family/").status_code == 200
    while_handed = session_cookie(tablet)
    handed_back = tablet.submit("/family/give-back", {"password": TEST_PASSWORD})
    assert handed_back.headers["Location"] == f"/children/{child.id}/contributions"
    tablet.set_cookie("voice_app_session", while_handed)
    assert tablet.get("/family/").headers["Location"] == "/family/sign-in"


def test_ended_sign_ins_are_forgotten_once_no_cookie_could_carry_them(app, make_client):
    long_ago = utcnow() - app.permanent_session_lifetime - timedelta(minutes=1)
    db.session.add(EndedSignIn(sign_in=sign_ins.new_id(), ended_at=long_ago))
    db.session.commit()
    user = UserFactory()
    make_client(user.email).submit("/logout")
    assert [row.ended_at > long_ago for row in db.session.scalars(select(EndedSignIn))] == [True]


def drawing_png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(out, "PNG")
    out.seek(0)
    return out


def test_a_picture_answers_without_the_cookie_so_a_language_just_chosen_stays(make_client):
    practitioner = UserFactory()
    child = ChildFactory(team=practitioner.team)
    AssignmentFactory(child=child, user=practitioner)
    account = family_account(FamilyMemberFactory(child=child), practitioner, "claire")
    phone = make_client()
    sign_in(phone, account)
    phone.submit(
        "/family/contributions",
        {
            "kind": "drawing",
            "text": "Our house",
            "sharing": "my_worker",
            "media": (drawing_png(), "h.png"),
        },
        content_type="multipart/form-data",
    )
    drawing = db.session.scalar(select(Contribution))
    thumbnail = f"/family/media/{drawing.id}/thumbnail"
    page = phone.get("/family/")
    assert thumbnail in page.get_data(as_text=True) and "Set-Cookie" in page.headers
    while_the_page_loads = session_cookie(phone)

    # She chooses Arabic while her page's pictures are still loading.
    phone.submit("/language", {"locale": "ar"})
    chosen = session_cookie(phone)
    phone.set_cookie("voice_app_session", while_the_page_loads)
    picture = phone.get(thumbnail)
    assert picture.status_code == 200 and picture.mimetype.startswith("image/")
    assert "Set-Cookie" not in picture.headers
    # No cookie marks it as someone's any more: its own header keeps every cache off it.
    assert picture.headers["Cache-Control"] == "private, no-store"
    # The browser keeps the cookie her choice set, and her page is in Arabic.
    phone.set_cookie("voice_app_session", chosen)
    assert '<html lang="ar" dir="rtl">' in phone.get("/family/").get_data(as_text=True)


def test_a_childs_space_left_on_a_shared_tablet_does_not_open_again(make_client):
    # A transcript poll still on its way when Maya tapped "finish" lands after it.
    sam = UserFactory()
    child = ChildFactory(team=sam.team, preferred_name="Maya")
    AssignmentFactory(child=child, user=sam)
    made = create_invitation(child, "before my meeting", sam, timedelta(days=3))
    db.session.commit()
    tablet = make_client()
    tablet.get(f"/i/{made.token}")
    assert "Maya" in tablet.get("/me").get_data(as_text=True)
    while_open = session_cookie(tablet)
    assert tablet.submit("/me/exit").headers["Location"] == "/join"
    tablet.set_cookie("voice_app_session", while_open)

    again = tablet.get("/me")
    assert again.status_code == 401 and "Maya" not in again.get_data(as_text=True)
    # The answer also tells the browser to forget the space.
    assert tablet.get("/join").status_code == 200
    assert "child_space" not in session_of(tablet)


def test_a_handed_back_tablet_stays_the_practitioners(make_client):
    sam = UserFactory()
    child = ChildFactory(team=sam.team)
    AssignmentFactory(child=child, user=sam)
    tablet = make_client(sam.email)
    assert tablet.submit(f"/children/{child.id}/handover").headers["Location"] == "/me"
    while_handed = session_cookie(tablet)
    back = tablet.submit("/me/exit", {"password": TEST_PASSWORD})
    assert back.headers["Location"] == f"/children/{child.id}/contributions"
    tablet.set_cookie("voice_app_session", while_handed)
    assert tablet.get("/children/").status_code == 200  # not sent back to the child's space


def test_another_person_signing_in_on_the_device_ends_the_sign_in_before(make_client):
    sam = UserFactory()
    child = ChildFactory(team=sam.team)
    AssignmentFactory(child=child, user=sam)
    account = family_account(FamilyMemberFactory(child=child), sam, "claire")

    # Sam's laptop, then Claire signs in on it: his session must not come back to her.
    laptop = make_client(sam.email)
    sams = session_cookie(laptop)
    sign_in(laptop, account)
    laptop.set_cookie("voice_app_session", sams)
    assert laptop.get("/children/").headers["Location"].startswith("/login")

    # Claire's phone, then Sam signs in on it: hers must not come back to him either.
    phone = make_client()
    sign_in(phone, account)
    claires = session_cookie(phone)
    phone.sign_in(sam.email)
    phone.set_cookie("voice_app_session", claires)
    assert signed_out(phone.get("/family/"))
