"""In Chromium: after "I don't feel safe" has reached the server, the child can say
"I pressed it by mistake"; the alert stays, and the practitioner sees both."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, expect
from sqlalchemy import select

from tests.e2e.test_child_space import (  # noqa: F401 (fixtures)
    invite,
    mic_browser,
    microphone_clip,
    open_space,
    space_app,
    space_server,
    stored,
    tablet,
)
from voice_app.contributions.models import MistakenPress, SafetyResponse
from voice_app.extensions import db

pytestmark = pytest.mark.browser


def test_a_child_says_they_pressed_it_by_mistake_and_the_alert_stays(
    tablet: BrowserContext,  # noqa: F811
    space_app: Flask,  # noqa: F811
    invite,  # noqa: F811
) -> None:
    noah = invite("Noah", age=9)
    page = tablet.new_page()
    open_space(page, noah)
    unsafe = page.locator("#panel-unsafe")
    expect(unsafe.get_by_role("button", name="I pressed it by mistake")).to_be_hidden()
    page.get_by_role("button", name="I don't feel safe").click()
    expect(unsafe.get_by_text("A grown-up has been told.")).to_be_visible()
    mistake = unsafe.get_by_role("button", name="I pressed it by mistake")
    expect(mistake).to_be_visible()
    box = mistake.bounding_box()
    assert box is not None and box["height"] >= 44
    # The first try does not reach the server: the child is told, and can try again.
    page.route("**/mistake", lambda route: route.abort())
    mistake.click()
    expect(unsafe.get_by_text("That did not work. Please tell a grown-up")).to_be_visible()
    expect(mistake).to_be_enabled()
    page.unroute("**/mistake")
    mistake.click()
    expect(unsafe.get_by_text("A grown-up will still check that you are OK.")).to_be_visible()
    (pressed,) = stored(space_app, noah.child_id)
    assert pressed.flagged_unsafe
    with space_app.app_context():
        said = db.session.scalars(select(MistakenPress.contribution_id)).all()
        responded = db.session.scalars(select(SafetyResponse.contribution_id)).all()
        db.session.remove()
    assert pressed.id in said and pressed.id not in responded  # the alert is still open
