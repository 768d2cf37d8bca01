"""Plans in real Chromium: a practitioner puts Maya's confirmed words into her plan, and
axe-core checks the plan page and the child's version in English and Arabic."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.e2e.test_practitioner_pages import (
    assert_no_serious_axe_violations,
    choose_language,
    open_child,
    sign_in,
)
from tests.e2e.test_record import confirmed_recording
from voice_app.accounts.invitations import create_invitation
from voice_app.accounts.models import User
from voice_app.children.models import Child
from voice_app.contributions.models import Contribution
from voice_app.core.db import utcnow
from voice_app.extensions import db
from voice_app.record.consent.services import ConsentDraft, record_decision
from voice_app.record.models import ConsentAnswer, ConsentFrom

pytestmark = pytest.mark.browser

WORDS = "I want to sleep at Grandad's on Fridays — every week, please!"


def _consent_for_meetings(app: Flask, contribution_id: int) -> None:
    with app.app_context():
        contribution = db.session.get(Contribution, contribution_id)
        assert contribution is not None
        maya = db.session.get(Child, contribution.child_id)
        sam = db.session.scalar(select(User).where(User.email == "practitioner@demo.example"))
        assert maya is not None and sam is not None
        record_decision(
            maya,
            contribution,
            ConsentDraft(
                consent_from=ConsentFrom.CHILD,
                information="What Maya wants for Fridays",
                answer=ConsentAnswer.GIVEN,
                decided_on=utcnow().date(),
                share_with_meeting=True,
            ),
            sam,
        )
        db.session.commit()
        db.session.remove()


def test_a_practitioner_builds_mayas_plan_from_her_words(page: Page, live_app: Flask) -> None:
    contribution_id = confirmed_recording(live_app, WORDS)
    _consent_for_meetings(live_app, contribution_id)
    sign_in(page)
    open_child(page, "Maya Thompson")
    page.get_by_role("link", name=re.compile("^Plan:")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Child protection plan")
    waiting = page.locator("#waiting li", has_text="Grandad's on Fridays")
    waiting.get_by_role("link", name="Put in the plan").click()

    expect(page.locator("blockquote.childs-words")).to_have_text(WORDS)
    page.get_by_label("Section of the plan").select_option("safety_goal")
    page.get_by_label("For the child").fill("You want to stay at Grandad's on Fridays.")
    page.get_by_label("Show this in the child's version").check()
    page.get_by_role("button", name="Put in the plan's draft").click()

    expect(page.locator(".flash--success")).to_contain_text("The child's words are in the plan")
    column = page.locator("section.plan-column--needs_to_happen")
    expect(column.locator("blockquote.childs-words")).to_have_text(WORDS)
    expect(column.locator(".voices")).to_contain_text("The child")
    expect(column.locator("figcaption")).to_contain_text("spoken")

    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("What needs to happen").fill("Arrange Friday nights at Grandad's")
    page.get_by_label("Who does it").select_option("staff")
    page.get_by_label("Their name, or the agency's").fill("Sam Okafor")
    page.get_by_label("Every Child Matters outcome it serves").select_option("enjoy_and_achieve")
    page.get_by_role("button", name="Save in the draft").click()
    expect(page.locator("#actions")).to_contain_text("Arrange Friday nights at Grandad's")
    # The chart and its table show the same figures.
    expect(page.locator("svg.scale-chart")).to_be_visible()
    expect(page.locator("table.scale-table")).to_contain_text("Claire Thompson")


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_the_plan_page_has_no_serious_accessibility_problems(page: Page, locale: str) -> None:
    sign_in(page)
    open_child(page, "Maya Thompson")
    page.get_by_role("link", name=re.compile("^Plan:")).click()
    choose_language(page, locale)
    expect(page.locator("svg.scale-chart")).to_be_visible()
    assert_no_serious_axe_violations(page, f"the plan page ({locale})")
    page.goto(page.url + "/versions")
    assert_no_serious_axe_violations(page, f"the plan's versions ({locale})")
    if locale == "ar":
        choose_language(page, "en")


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_the_childs_plan_has_no_serious_accessibility_problems(
    page: Page, live_app: Flask, locale: str
) -> None:
    with live_app.app_context():
        maya = db.session.scalar(select(Child).where(Child.full_name == "Maya Thompson"))
        sam = db.session.scalar(select(User).where(User.email == "practitioner@demo.example"))
        assert maya is not None and sam is not None
        made = create_invitation(maya, "plan", sam, timedelta(hours=1))
        db.session.commit()
        token = made.token
        db.session.remove()
    page.goto(f"/i/{token}")
    expect(page).to_have_url(re.compile(r"/me$"))
    choose_language(page, locale)
    page.locator(".cs-plan-link a[href$='/me/plan']").click()
    expect(page.locator("#child-plan")).to_contain_text("Grandad walks you to school.")
    assert_no_serious_axe_violations(page, f"the child's plan ({locale})")
