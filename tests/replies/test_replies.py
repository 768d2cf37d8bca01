"""You said, we did: replies to the child, their deadlines, overdue lists and the child's view."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from tests.replies.helpers import said
from voice_app.accounts.invitations import create_invitation
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.contributions.models import AuthorKind
from voice_app.core.db import utcnow
from voice_app.core.permissions import Role
from voice_app.core.working_days import Nation
from voice_app.extensions import db
from voice_app.replies import overdue, services
from voice_app.replies.models import ChildReply, ReplyRewritten

GRANDAD = "You told me you want to see Grandad more. We have planned a visit every Saturday."


@pytest.fixture
def case():
    sam = UserFactory(name="Sam Okafor")
    manager = UserFactory(team=sam.team, role=Role.MANAGER, name="Priya Shah")
    child = ChildFactory(
        team=sam.team, full_name="Maya Thompson", preferred_name="Maya", lead_practitioner=sam
    )
    AssignmentFactory(child=child, user=sam)
    db.session.commit()
    return child, sam, manager


def overdue_links(page: str) -> list[str]:
    """The reply pages the case list's overdue block links to."""
    if "overdue-replies-heading" not in page:
        return []
    block = page.split('id="overdue-replies-heading"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'href="([^"]+/reply)"', block)


def actions(action: AuditAction) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_due_dates_follow_the_childs_nation_and_unsafe_is_the_same_day(app, case):
    child, _sam, _manager = case
    # Thursday 2 April 2026, 15:00 in the UK (BST): Easter comes next.
    words = said(child, "I want to see Grandad.", datetime(2026, 4, 2, 14, 0, tzinfo=UTC))
    assert services.due_on(words, Nation.ENGLAND_AND_WALES) == date(2026, 4, 13)
    assert services.due_on(words, Nation.SCOTLAND) == date(2026, 4, 10)
    assert services.due_on(words, Nation.NORTHERN_IRELAND) == date(2026, 4, 13)
    unsafe = said(child, "", datetime(2026, 4, 3, 9, 0, tzinfo=UTC), unsafe=True)
    assert services.due_on(unsafe, Nation.SCOTLAND) == date(2026, 4, 3)
    # 23:30 UTC on Sunday 31 May is already Monday 1 June in the UK.
    late_night = said(child, "Can't sleep.", datetime(2026, 5, 31, 23, 30, tzinfo=UTC))
    assert services.due_on(late_night, Nation.ENGLAND_AND_WALES) == date(2026, 6, 8)


def test_the_working_days_setting_changes_the_deadline(app, case):
    child, _sam, _manager = case
    words = said(child, "Hello", datetime(2026, 11, 23, 10, 0, tzinfo=UTC))  # a Monday
    app.config["REPLY_WORKING_DAYS"] = 2
    try:
        assert services.due_on(words, Nation.ENGLAND_AND_WALES) == date(2026, 11, 25)
    finally:
        app.config["REPLY_WORKING_DAYS"] = 5
    assert services.due_on(words, Nation.ENGLAND_AND_WALES) == date(2026, 11, 30)


def test_a_practitioner_replies_from_the_timeline_and_a_new_reply_supersedes(
    app, case, make_client
):
    child, sam, _manager = case
    words = said(child, "I want to see Grandad more.", utcnow() - timedelta(hours=2))
    browser = make_client(sam.email)
    timeline = browser.get(f"/children/{child.id}/contributions").get_data(as_text=True)
    assert "Reply to the child due by" in timeline
    url = f"/children/{child.id}/contributions/{words.id}/reply"
    assert url in timeline
    page = browser.get(url).get_data(as_text=True)
    assert "I want to see Grandad more." in page and "No reply yet: due by" in page

    response = browser.submit(
        url, {"text": GRANDAD, "language": "en", "what_we_did": "Visits agreed with Mum."}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/children/{child.id}/contributions#c{words.id}")
    timeline = browser.get(f"/children/{child.id}/contributions").get_data(as_text=True)
    assert GRANDAD in timeline and "Reply to the child due by" not in timeline

    browser.submit(url, {"text": "We have planned Saturdays AND Wednesdays.", "language": "en"})
    first, second = db.session.scalars(select(ChildReply).order_by(ChildReply.id)).all()
    assert second.supersedes_id == first.id and first.what_we_did == "Visits agreed with Mum."
    assert second.written_by_label == sam.display
    page = browser.get(url).get_data(as_text=True)
    assert GRANDAD in page and "Replaced by a later reply" in page
    timeline = browser.get(f"/children/{child.id}/contributions").get_data(as_text=True)
    assert "Saturdays AND Wednesdays" in timeline and "1 earlier reply" in timeline
    assert [e.target for e in actions(AuditAction.REPLY_WRITTEN)] == [
        f"contribution:{words.id}"
    ] * 2
    assert actions(AuditAction.REPLIES_VIEWED)

    # History is never rewritten.
    first.text = "changed"
    with pytest.raises(ReplyRewritten):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(ChildReply, first.id))
    with pytest.raises(ReplyRewritten):
        db.session.flush()
    db.session.rollback()


def test_an_empty_reply_is_refused_and_a_family_members_words_get_no_reply_page(
    app, case, make_client
):
    child, sam, _manager = case
    words = said(child, "Hi", utcnow())
    browser = make_client(sam.email)
    url = f"/children/{child.id}/contributions/{words.id}/reply"
    response = browser.submit(url, {"text": "   ", "language": "en"})
    assert response.status_code == 400
    assert "Please fill this in." in response.get_data(as_text=True)
    assert db.session.scalar(select(ChildReply.id)) is None
    mum = said(child, "From mum", utcnow(), author_kind=AuthorKind.FAMILY_MEMBER)
    assert browser.get(f"/children/{child.id}/contributions/{mum.id}/reply").status_code == 404


def test_overdue_replies_show_on_the_practitioners_and_managers_case_lists(app, case, make_client):
    child, sam, manager = case
    now = utcnow()
    old = said(child, "Old words", now - timedelta(days=14))
    said(child, "Just now", now - timedelta(minutes=5))
    other_sam = UserFactory(team=sam.team, name="Daniel Price")
    db.session.commit()
    for email in (sam.email, manager.email):
        page = make_client(email).get("/children/").get_data(as_text=True)
        assert "Replies to children that are overdue" in page, email
        assert "Maya Thompson" in page
        assert overdue_links(page) == [f"/children/{child.id}/contributions/{old.id}/reply"]
    assert "overdue" not in make_client(other_sam.email).get("/children/").get_data(as_text=True)
    assert actions(AuditAction.OVERDUE_REPLIES_VIEWED)


def test_a_long_overdue_list_shows_the_oldest_and_says_there_are_more(app, case, make_client):
    child, sam, _manager = case
    now = utcnow()
    made = [said(child, f"words {n}", now - timedelta(days=40 - n)) for n in range(22)]
    page = make_client(sam.email).get("/children/").get_data(as_text=True)
    links = overdue_links(page)
    assert len(links) == overdue.LIST_LIMIT
    assert links[0].endswith(f"/{made[0].id}/reply") and f"/{made[-1].id}/reply" not in page
    assert "There are more: the oldest 20 are shown." in page


def test_an_unsafe_press_not_answered_the_same_day_is_overdue_the_next(app, case, make_client):
    child, sam, _manager = case
    said(child, "", utcnow() - timedelta(days=1, hours=1), unsafe=True)
    page = make_client(sam.email).get("/children/").get_data(as_text=True)
    assert "Replies to children that are overdue" in page
    assert "due the same day" in page


def test_a_reply_takes_the_case_off_the_overdue_list(app, case, make_client):
    child, sam, _manager = case
    words = said(child, "Old words", utcnow() - timedelta(days=14))
    browser = make_client(sam.email)
    browser.submit(
        f"/children/{child.id}/contributions/{words.id}/reply",
        {"text": "We talked to your teacher.", "language": "en"},
    )
    assert "overdue" not in browser.get("/children/").get_data(as_text=True)


def test_overdue_follows_each_nations_bank_holidays(app, case, monkeypatch):
    child, sam, _manager = case
    scottish = ChildFactory(team=sam.team, nation=Nation.SCOTLAND, lead_practitioner=sam)
    AssignmentFactory(child=scottish, user=sam)
    db.session.commit()
    thursday = datetime(2026, 4, 2, 14, 0, tzinfo=UTC)
    said(child, "English words", thursday)
    said(scottish, "Scottish words", thursday)

    def names_on(day: date) -> set[str]:
        monkeypatch.setattr(overdue, "uk_today", lambda: day)
        found, _more = overdue.overdue_for(sam)
        return {late.child_name for late in found}

    # Due 10 April in Scotland (Easter Monday is worked), 13 April in England.
    assert names_on(date(2026, 4, 10)) == set()
    assert names_on(date(2026, 4, 13)) == {scottish.full_name}
    assert names_on(date(2026, 4, 14)) == {scottish.full_name, child.full_name}


def test_the_team_view_counts_overdue_replies_per_practitioner(app, case, make_client):
    child, sam, manager = case
    daniel = UserFactory(team=sam.team, name="Daniel Price")
    ethan = ChildFactory(team=sam.team, lead_practitioner=daniel)
    orphan = ChildFactory(team=sam.team)
    db.session.commit()
    old = utcnow() - timedelta(days=20)
    said(child, "one", old)
    said(child, "two", old)
    said(ethan, "three", old)
    said(orphan, "four", old)
    page = make_client(manager.email).get("/team/").get_data(as_text=True)
    rows = {
        name: page.split(name, 1)[1].split('data-count="overdue_replies">', 1)[1].split("<", 1)[0]
        for name in (sam.display, daniel.display, "Cases with no lead practitioner")
    }
    assert rows == {sam.display: "2", daniel.display: "1", "Cases with no lead practitioner": "1"}
    assert actions(AuditAction.TEAM_OVERVIEW_VIEWED)
    assert make_client(sam.email).get("/team/").status_code == 403


def test_the_child_sees_the_reply_beside_what_they_said_with_a_listen_button(
    app, case, make_client
):
    child, sam, _manager = case
    words = said(child, "I want to see Grandad more.", utcnow() - timedelta(hours=3))
    services.write_reply(words, services.ReplyDraft(GRANDAD, "en", ""), sam)
    db.session.commit()
    made = create_invitation(child, "replies", sam, timedelta(days=1))
    db.session.commit()
    tablet = make_client()
    tablet.get(f"/i/{made.token}")
    page = tablet.get("/me").get_data(as_text=True)
    thing = page.split(f'data-id="{words.id}"', 1)[1].split("</li>", 1)[0]
    assert "I want to see Grandad more." in thing and GRANDAD in thing
    reply_id = db.session.scalar(select(ChildReply.id))
    assert f'data-speak="reply-{reply_id}"' in thing
    assert actions(AuditAction.REPLIES_SHOWN_TO_CHILD)


def test_a_reply_in_another_language_is_not_read_in_the_pages_voice(app, case, make_client):
    child, sam, _manager = case
    words = said(child, "Dw i eisiau gweld Taid.", utcnow())
    services.write_reply(words, services.ReplyDraft("Byddwn ni'n trefnu ymweliad.", "cy", ""), sam)
    made = create_invitation(child, "replies", sam, timedelta(days=1))
    db.session.commit()
    tablet = make_client()
    tablet.get(f"/i/{made.token}")
    page = tablet.get("/me").get_data(as_text=True)
    assert "Byddwn ni&#39;n trefnu ymweliad." in page and 'lang="cy"' in page
    assert 'data-speak="reply-' not in page


def test_the_childs_nation_is_chosen_on_the_child_form(app, case, make_client):
    child, sam, _manager = case
    browser = make_client(sam.email)
    form = browser.get(f"/children/{child.id}/edit").get_data(as_text=True)
    assert "Northern Ireland" in form and 'name="nation"' in form
    response = browser.submit(
        f"/children/{child.id}/edit",
        {
            "reference": child.reference,
            "full_name": child.full_name,
            "date_of_birth": child.date_of_birth.isoformat(),
            "preferred_language": "en",
            "nation": "scotland",
            "lead_practitioner_id": str(sam.id),
        },
    )
    assert response.status_code == 302
    db.session.refresh(child)
    assert child.nation is Nation.SCOTLAND
    assert "<dd>Scotland</dd>" in browser.get(f"/children/{child.id}").get_data(as_text=True)
