"""Closure that holds: a closed case takes nothing new, a purged one ends every session,
and what a child was making when their case closed is kept and marked, never lost."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.child_space.test_child_space import upload
from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from voice_app.accounts.invitations import CaseClosed, create_invitation
from voice_app.accounts.models import Invitation
from voice_app.children.closure import close_case
from voice_app.contributions.models import Contribution
from voice_app.core.db import utcnow
from voice_app.extensions import db
from voice_app.record.retention import purge_child


@pytest.fixture
def family(make_client):
    sam = UserFactory(name="Sam Okafor")
    child = ChildFactory(team=sam.team, full_name="Maya Thompson", preferred_name="Maya")
    AssignmentFactory(child=child, user=sam)
    made = create_invitation(child, "before my meeting", sam, timedelta(days=3))
    db.session.commit()
    tablet = make_client()
    assert tablet.get(f"/i/{made.token}").headers["Location"] == "/me"
    return child, sam, tablet, made


def close(child, sam) -> None:
    close_case(child, "Back home with mum; support ended.", sam)
    db.session.commit()


def contributions_of(child) -> list[Contribution]:
    return list(db.session.scalars(select(Contribution).where(Contribution.child_id == child.id)))


def test_what_a_child_sends_after_closure_is_kept_marked_and_they_are_told_kindly(
    make_client, family
):
    child, sam, tablet, made = family
    close(child, sam)
    client_id = str(uuid.uuid4())
    sent = upload(tablet, {"client_id": client_id, "kind": "text", "text": "MkAfterClose"})
    assert sent.status_code == 201
    answer = sent.get_json()
    assert answer["closed"] is True and isinstance(answer["id"], int)
    assert "saved" in answer["message"] and "worker" in answer["message"]
    again = upload(tablet, {"client_id": client_id, "kind": "text", "text": "MkAfterClose"})
    assert again.status_code == 200 and again.get_json()["id"] == answer["id"]
    db.session.expire_all()
    assert [c.text for c in contributions_of(child)] == ["MkAfterClose"]
    # Everything else in the space now says it has closed, as a page and as JSON.
    page = tablet.get("/me")
    assert page.status_code == 410
    assert "What you were making has been saved" in page.get_data(as_text=True) or (
        "Everything you made is safe" in page.get_data(as_text=True)
        or "Anything you were sending has been saved" in page.get_data(as_text=True)
    )
    status = tablet.get(f"/me/contributions/{answer['id']}", headers={"Accept": "application/json"})
    assert status.status_code == 410 and status.get_json()["reason"] == "ended"
    # The practitioner sees it, marked as arriving after closure.
    timeline = make_client(sam.email).get(f"/children/{child.id}/contributions")
    text = timeline.get_data(as_text=True)
    assert "MkAfterClose" in text and "Arrived after the case was closed" in text
    # The old link opens nothing.
    join = make_client().get(f"/i/{made.token}")
    assert join.status_code == 200 and "does not work any more" in join.get_data(as_text=True)


@pytest.mark.parametrize(
    ("age", "words"),
    [
        (5, "Everything you made is safe"),
        (10, "What you were making has been saved"),
        (15, "Anything you were sending has been saved"),
    ],
)
def test_the_closed_message_is_in_the_childs_bands_words(make_client, age, words):
    sam = UserFactory()
    child = ChildFactory(
        team=sam.team, date_of_birth=utcnow().date() - timedelta(days=365 * age + 30)
    )
    AssignmentFactory(child=child, user=sam)
    made = create_invitation(child, "x", sam, timedelta(days=3))
    db.session.commit()
    tablet = make_client()
    tablet.get(f"/i/{made.token}")
    close(child, sam)
    assert words in tablet.get("/me").get_data(as_text=True)


def test_a_closed_case_takes_no_new_invitation_or_handover(make_client, family):
    child, sam, _tablet, _made = family
    close(child, sam)
    with pytest.raises(CaseClosed):
        create_invitation(child, "after", sam, timedelta(days=3))
    db.session.rollback()
    before = db.session.scalar(select(func.count()).select_from(Invitation))
    browser = make_client(sam.email)
    made = browser.submit(f"/children/{child.id}/invitations", {"purpose": "after", "days": 3})
    assert made.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == before
    handed = browser.submit(f"/children/{child.id}/handover")
    assert handed.headers["Location"] == f"/children/{child.id}/contributions"
    assert browser.get("/children/").status_code == 200  # not turned into the child's space


def test_a_handover_open_when_the_case_closes_keeps_what_arrives_and_can_be_given_back(
    make_client,
):
    sam = UserFactory()
    child = ChildFactory(team=sam.team)
    AssignmentFactory(child=child, user=sam)
    tablet = make_client(sam.email)
    tablet.submit(f"/children/{child.id}/handover")
    close(child, sam)
    assert upload(tablet, {"kind": "text", "text": "MkHandover"}).status_code == 201
    assert tablet.get("/me").status_code == 410
    back = tablet.submit("/me/exit", {"password": "correct horse battery staple"})
    assert back.headers["Location"] == f"/children/{child.id}/contributions"


def test_a_revoked_invitation_ends_the_space_but_keeps_what_was_sent(family):
    child, _sam, tablet, made = family
    made.invitation.revoked_at = utcnow()
    db.session.commit()
    assert upload(tablet, {"kind": "text", "text": "MkRevoked"}).status_code == 201
    assert tablet.get("/me").status_code == 410
    db.session.expire_all()
    assert [c.text for c in contributions_of(child)] == ["MkRevoked"]


@pytest.mark.parametrize("how", ["invitation", "handover"])
def test_after_a_purge_a_session_open_at_the_time_ends_and_nothing_is_added(
    make_client, family, how
):
    child, sam, tablet, _made = family
    if how == "handover":
        tablet = make_client(sam.email)
        tablet.submit(f"/children/{child.id}/handover")
    token = tablet.csrf_token()
    close(child, sam)
    purge_child(child)
    db.session.commit()
    sent = tablet.post(
        "/me/contributions",
        data={"client_id": str(uuid.uuid4()), "kind": "text", "text": "MkPurged"},
        headers={"X-CSRFToken": token},
    )
    assert sent.status_code == 410
    assert "give the tablet back" in sent.get_json()["error"]
    assert contributions_of(child) == []
    # The device's session is gone: the space and (after handover) the practitioner's view.
    assert tablet.get("/me").status_code == 401
    if how == "handover":
        assert tablet.get("/children/").status_code == 302
    begun = tablet.send_json(
        "/me/contributions/uploads",
        {"client_id": str(uuid.uuid4()), "kind": "voice", "size": 10, "sha256": "0" * 64},
    )
    assert begun.status_code in (401, 410)


def test_the_close_page_says_the_date_is_fixed_at_closure(make_client, family):
    child, sam, _tablet, _made = family
    page = make_client(sam.email).get(f"/children/{child.id}/close").get_data(as_text=True)
    assert "a later change to the policy does not move it" in page


def test_a_form_sent_after_closure_gets_the_page_and_the_outbox_gets_json(family):
    child, sam, tablet, _made = family
    close(child, sam)
    page = tablet.submit("/me/pin", {"first": "cat", "second": "dog", "third": "sun"})
    assert page.status_code == 410 and page.mimetype == "text/html"
    assert "Your worker has finished working with you" in page.get_data(as_text=True)
    status = tablet.get("/me/contributions/1")
    assert status.status_code == 410 and status.get_json()["reason"] == "ended"
