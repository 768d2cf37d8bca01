"""The outbox when the case closes or the record is destroyed while the child is offline.

Closed: the item waiting on the tablet still arrives, is kept, and the child is told
kindly. Destroyed: the server answers 410, and the outbox stops instead of retrying.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, expect

from tests.e2e.test_child_space import open_space, stored
from voice_app.accounts import services as accounts
from voice_app.children.closure import close_case
from voice_app.children.models import Child
from voice_app.extensions import db
from voice_app.record.retention import purge_child

pytestmark = pytest.mark.browser


def write_offline(tablet: BrowserContext, page: Any, words: str) -> None:
    tablet.set_offline(True)
    page.get_by_role("button", name="Write").click()
    panel = page.locator("#panel-text")
    panel.get_by_label("Your words").fill(words)
    panel.get_by_text("Only my worker").click()
    panel.get_by_role("button", name="Send").click()
    expect(page.locator("[data-outbox] li")).to_have_count(1)


def end_case(app: Flask, child_id: int, *, purge: bool) -> None:
    with app.app_context():
        sam = accounts.find_user_by_email("worker@space.example")
        child = db.session.get(Child, child_id)
        assert sam is not None and child is not None
        close_case(child, "Support ended.", sam)
        if purge:
            purge_child(child)
        db.session.commit()
        db.session.remove()


def test_what_waits_on_the_tablet_when_the_case_closes_arrives_and_is_kept(
    tablet: BrowserContext, space_app: Flask, invite
) -> None:
    nia = invite("Nia", age=10)
    page = tablet.new_page()
    open_space(page, nia)
    write_offline(tablet, page, "Qzxclosing words")
    end_case(space_app, nia.child_id, purge=False)
    tablet.set_offline(False)
    expect(page.get_by_text("What you were making has been saved")).to_be_visible(timeout=30_000)
    assert [c.text for c in stored(space_app, nia.child_id)] == ["Qzxclosing words"]


def test_after_a_purge_the_outbox_stops_and_does_not_retry(
    tablet: BrowserContext, space_app: Flask, invite
) -> None:
    omar = invite("Omar", age=10)
    page = tablet.new_page()
    open_space(page, omar)
    write_offline(tablet, page, "Qzxpurged words")
    end_case(space_app, omar.child_id, purge=True)
    answers: list[int] = []
    page.on(
        "response",
        lambda r: answers.append(r.status) if r.url.endswith("/me/contributions") else None,
    )
    tablet.set_offline(False)
    page.wait_for_timeout(500)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(8_000)
    assert answers == [410]
    assert stored(space_app, omar.child_id) == []
