"""A reply follows its contribution: a confidential contribution's reply never reaches a
reader without a grant, nor the child's space once the contribution is hidden from them.

Unique markers are written into replies; every page a reader or the child can open is
searched for them, and overdue counts never count what the reader cannot see.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from tests.record.helpers import place
from tests.replies.helpers import said
from voice_app.accounts.invitations import create_invitation
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.core.db import utcnow
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.record.models import ConfidentialAccessGrant
from voice_app.replies import services


def marker(name: str) -> str:
    return f"Mk{name}{uuid.uuid4().hex[:10]}"


@pytest.fixture
def scene():
    practitioner = UserFactory()
    manager = UserFactory(team=practitioner.team, role=Role.MANAGER)
    child = ChildFactory(team=practitioner.team, lead_practitioner=practitioner)
    AssignmentFactory(child=child, user=practitioner)
    db.session.commit()
    shown, secret = marker("shown"), marker("secret")
    old = utcnow() - timedelta(days=20)
    open_words = said(child, "I like football", old)
    services.write_reply(
        open_words, services.ReplyDraft(f"We found a club. {shown}", "en"), manager
    )
    hidden_words = said(child, "A secret", old)
    services.write_reply(hidden_words, services.ReplyDraft(f"We acted. {secret}", "en"), manager)
    unanswered = said(child, "Also secret", old)
    made = create_invitation(child, "leaks", practitioner, timedelta(days=1))
    db.session.commit()
    return {
        "child": child,
        "practitioner": practitioner,
        "manager": manager,
        "shown": shown,
        "secret": secret,
        "hidden": hidden_words,
        "unanswered": unanswered,
        "token": made.token,
    }


def confide(scene) -> None:
    for contribution in (scene["hidden"], scene["unanswered"]):
        place(scene["child"], scene["practitioner"], contribution=contribution)


def staff_pages(browser, scene) -> dict[str, str]:
    child_id = scene["child"].id
    urls = [
        "/children/",
        f"/children/{child_id}/contributions",
        f"/children/{child_id}/contributions/{scene['hidden'].id}/reply",
        f"/children/{child_id}/contributions/{scene['unanswered'].id}/reply",
        "/team/",
    ]
    return {url: browser.get(url).get_data(as_text=True) for url in urls}


@pytest.mark.parametrize("reader", ["practitioner", "manager"])
def test_without_a_grant_a_confidential_contributions_reply_is_nowhere(
    app, make_client, scene, reader
):
    confide(scene)
    browser = make_client(scene[reader].email)
    pages = staff_pages(browser, scene)
    assert scene["shown"] in pages[f"/children/{scene['child'].id}/contributions"]
    for url, body in pages.items():
        assert scene["secret"] not in body, f"the reply leaked at {url}"
    child_id = scene["child"].id
    nowhere = browser.get(f"/children/{child_id}/contributions/999999/reply")
    for contribution in (scene["hidden"], scene["unanswered"]):
        response = browser.get(f"/children/{child_id}/contributions/{contribution.id}/reply")
        assert response.status_code == nowhere.status_code == 404
        refused = browser.submit(
            f"/children/{child_id}/contributions/{contribution.id}/reply",
            {"text": "x", "language": "en"},
        )
        assert refused.status_code == 404
    # Overdue lists count only what the reader may see: the answered open one is not
    # overdue, and the unanswered confidential one is neither listed nor counted.
    assert "overdue" not in pages["/children/"]
    if reader == "manager":
        assert 'data-count="overdue_replies">0<' in pages["/team/"]


def test_with_a_grant_the_reply_is_shown_and_the_read_is_audited(app, make_client, scene):
    confide(scene)
    db.session.add(
        ConfidentialAccessGrant(
            child_id=scene["child"].id,
            user_id=scene["practitioner"].id,
            reason="Lead worker",
            granted_by_id=scene["manager"].id,
        )
    )
    db.session.commit()
    browser = make_client(scene["practitioner"].email)
    pages = staff_pages(browser, scene)
    assert scene["secret"] in pages[f"/children/{scene['child'].id}/contributions"]
    assert (
        scene["secret"]
        in pages[f"/children/{scene['child'].id}/contributions/{scene['hidden'].id}/reply"]
    )
    assert "Replies to children that are overdue" in pages["/children/"]
    reads = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.CONFIDENTIAL_VIEWED)
    ).all()
    assert any('"where":"replies"' in entry.details for entry in reads)


def test_the_child_no_longer_sees_a_reply_once_its_contribution_is_hidden(app, make_client, scene):
    tablet = make_client()
    tablet.get(f"/i/{scene['token']}")
    before = tablet.get("/me").get_data(as_text=True)
    assert scene["secret"] in before and scene["shown"] in before
    confide(scene)
    after = tablet.get("/me").get_data(as_text=True)
    assert scene["shown"] in after
    assert scene["secret"] not in after
    status = tablet.get(f"/me/contributions/{scene['hidden'].id}")
    assert status.status_code == 404 and scene["secret"] not in status.get_data(as_text=True)
