"""You said, we did, in real Chromium: a practitioner replies to Maya from her timeline, and
Maya opens her space, sees the reply beside what she said, and hears it read aloud."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from tests.e2e.test_child_space import ENGLISH_VOICES_ONLY, assert_no_serious_axe_violations
from tests.e2e.test_practitioner_pages import choose_language, sign_in
from voice_app.accounts.invitations import create_invitation
from voice_app.accounts.models import User
from voice_app.children.models import Child
from voice_app.extensions import db
from voice_app.replies.demo import MAYA_SAID

pytestmark = pytest.mark.browser

NEW_REPLY = "You told me you want to see Grandad more. He will visit on Saturdays and Sundays."


def maya_invitation(live_app: Flask) -> tuple[int, str]:
    with live_app.app_context():
        maya = db.session.scalars(select(Child).where(Child.preferred_name == "Maya")).one()
        sam = db.session.scalars(
            select(User).where(User.email == "practitioner@demo.example")
        ).one()
        made = create_invitation(maya, "replies e2e", sam, timedelta(days=1))
        db.session.commit()
        maya_id = maya.id
        db.session.remove()
    return maya_id, made.token


def test_a_practitioner_replies_and_maya_sees_and_hears_it(
    page: Page, browser: Browser, live_app: Flask, live_server: str
) -> None:
    maya_id, token = maya_invitation(live_app)
    sign_in(page)
    page.goto(f"/children/{maya_id}/contributions")
    card = page.locator("li.contribution", has_text=MAYA_SAID)
    expect(card).to_contain_text("You said, we did:")
    card.get_by_role("link", name="Replies to the child").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reply to Maya")
    assert_no_serious_axe_violations(page, "the reply page")
    page.get_by_label("Your reply to the child").fill(NEW_REPLY)
    page.get_by_role("button", name="Save the reply").click()
    expect(page).to_have_url(re.compile(rf"/children/{maya_id}/contributions#c\d+$"))
    expect(page.locator("li.contribution", has_text=MAYA_SAID)).to_contain_text(NEW_REPLY)

    context = browser.new_context(base_url=live_server, locale="en-GB")
    context.add_init_script(ENGLISH_VOICES_ONLY)
    try:
        tablet = context.new_page()
        tablet.goto(f"/i/{token}")
        expect(tablet).to_have_url(re.compile(r"/me$"))
        thing = tablet.locator(".cs-thing", has_text=MAYA_SAID)
        reply = thing.locator(".cs-reply")
        expect(reply).to_be_visible()
        expect(reply).to_contain_text(NEW_REPLY)
        expect(reply).to_contain_text("Your worker says")  # Maya is 7: the early band
        listen = reply.locator("button[data-speak]")
        expect(listen).to_be_enabled()
        listen.click()
        tablet.wait_for_function("() => window.__spoken.length > 0")
        spoken = tablet.evaluate("() => window.__spoken")
        assert spoken[-1] == {"text": NEW_REPLY, "lang": "en-GB", "voice": "Test English"}
        assert_no_serious_axe_violations(tablet, "Maya's space with a reply")

        # In Arabic the page reads right to left; the English reply keeps its own language
        # and is not read in another language's voice.
        tablet.locator("form.language-switcher button[value=ar]").click()
        expect(tablet.locator("html")).to_have_attribute("dir", "rtl")
        reply = tablet.locator(".cs-thing", has_text=MAYA_SAID).locator(".cs-reply")
        expect(reply.locator("[lang=en]")).to_have_text(NEW_REPLY)
        expect(reply.locator("button[data-speak]")).to_have_count(0)
        assert_no_serious_axe_violations(tablet, "Maya's space with a reply, in Arabic")
    finally:
        context.close()


def test_the_manager_sees_overdue_work_per_practitioner(page: Page) -> None:
    sign_in(page, "manager@demo.example")
    page.get_by_role("link", name="Team", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team: overdue work")
    expect(page.get_by_role("row", name=re.compile("Sam Okafor"))).to_be_visible()
    assert_no_serious_axe_violations(page, "the team view")
    choose_language(page, "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_no_serious_axe_violations(page, "the team view in Arabic")
    choose_language(page, "en")
