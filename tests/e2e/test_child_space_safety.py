"""In Chromium: "I don't feel safe" on every screen of the child's space, and "I pressed it by
mistake" in the child's own list after a reload.

The picture-PIN pages (choosing, and tapping them to come back), leaving or giving the tablet
back, and the child's plan each show the button in view without scrolling, on an upright
tablet and a phone, in every band, in English and Arabic; pressing it stores the alert and
tells the child a grown-up knows. Runs on test_child_space_screens.py's own app and server.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask_babel import force_locale, gettext
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.e2e.test_child_space_screens import (  # noqa: F401 (fixtures)
    PHONE,
    TABLET,
    assert_controls_big_enough,
    assert_in_view,
    device,
    make_child,
    screens_app,
    screens_server,
)
from voice_app.contributions.models import Contribution, MistakenPress
from voice_app.extensions import db

pytestmark = pytest.mark.browser

TOLD = "Thank you for telling us. A grown-up has been told. They will help to keep you safe."
MISTAKE_SAID = "You said you pressed it by mistake. A grown-up will still check that you are OK."


def words(app: Flask, language: str, message: str) -> str:
    with app.test_request_context(), force_locale(language):
        return str(gettext(message))


def alerts(app: Flask, child_id: int) -> list[Contribution]:
    with app.app_context():
        found = list(
            db.session.scalars(
                select(Contribution).where(
                    Contribution.child_id == child_id, Contribution.flagged_unsafe.is_(True)
                )
            )
        )
        db.session.expunge_all()
        db.session.remove()
    return found


def settle(page: Page) -> None:
    """Wait for the page's files (modules load theirs after ``load``): one still coming
    when the page is left is a file the test server never closes (a ResourceWarning)."""
    page.wait_for_load_state("networkidle")


def visit(page: Page, path: str) -> None:
    settle(page)
    page.goto(path)
    settle(page)


def assert_safety_button_in_reach(page: Page, what: str) -> None:
    expect(page.locator(".cs-unsafe")).to_have_count(1)
    assert_in_view(page, ".cs-unsafe", what)
    assert_controls_big_enough(page, what)


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("band", ["early", "middle", "teen"])
@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet-upright", "phone"])
def test_the_pages_beside_the_space_keep_i_dont_feel_safe_in_view(
    device,  # noqa: F811
    screens_app: Flask,  # noqa: F811
    viewport: dict[str, int],
    band: str,
    language: str,
) -> None:
    what = f"{band} band, {language}, {viewport['width']}×{viewport['height']}"
    child = make_child(screens_app, band, language)
    page = device(viewport).new_page()
    page.goto(f"/i/{child.token}")
    expect(page).to_have_url(re.compile(r"/me$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")

    for path in ("/me/exit", "/me/plan", "/me/pin"):
        visit(page, path)
        assert_safety_button_in_reach(page, f"{path} ({what})")
    # The child chooses their pictures (on /me/pin), then comes back with them.
    for field, picture in (("first", "cat"), ("second", "sun"), ("third", "tree")):
        page.locator(f"input[name={field}][value={picture}]").check(force=True)
    page.locator(".picture-pin button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me$"))
    settle(page)

    again = device(viewport).new_page()
    again.goto(f"/i/{child.token}")
    expect(again).to_have_url(re.compile(r"/pin$"))
    assert_safety_button_in_reach(again, f"tapping the pictures ({what})")
    # A child who cannot remember their pictures can still say it.
    again.locator(".cs-unsafe").click()
    expect(again).to_have_url(re.compile(r"/pin$"))
    expect(again.locator(".flash--success")).to_have_text(words(screens_app, language, TOLD))
    settle(again)
    (alert,) = alerts(screens_app, child.id)
    assert alert.text in (None, "")


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet-upright", "phone"])
def test_giving_the_tablet_back_and_the_plan_keep_it_and_it_reaches_the_worker(
    device,  # noqa: F811
    screens_app: Flask,  # noqa: F811
    viewport: dict[str, int],
    language: str,
) -> None:
    """A handed-over tablet: the page asking for the worker's password has it too."""
    child = make_child(screens_app, "middle", language)
    page = device(viewport).new_page()
    page.goto("/login")
    page.locator("input[name=email]").fill("sam@screens.example")
    page.locator("input[name=password]").fill("correct horse battery staple")
    page.locator("main form button[type=submit]").click()
    visit(page, f"/children/{child.id}/invitations")
    page.locator("form[action$='/handover'] button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/me$"))

    visit(page, "/me/exit")
    expect(page.locator("input[type=password]")).to_be_visible()
    assert_safety_button_in_reach(page, f"giving the tablet back ({language})")
    page.locator(".cs-unsafe").click()
    expect(page).to_have_url(re.compile(r"/me$"))
    expect(page.locator(".flash--success")).to_have_text(words(screens_app, language, TOLD))
    expect(page.locator(".cs-thing--unsafe")).to_have_count(1)

    visit(page, "/me/plan")
    page.locator(".cs-unsafe").click()
    expect(page).to_have_url(re.compile(r"/me$"))
    expect(page.locator(".cs-thing--unsafe")).to_have_count(2)
    settle(page)
    pressed = alerts(screens_app, child.id)
    assert len(pressed) == 2
    # Given on the worker's own tablet: the alert says so, as one sent from the space does.
    with screens_app.app_context():
        sam_id = db.session.scalar(
            select(Contribution.with_practitioner_id).where(Contribution.id == pressed[0].id)
        )
        db.session.remove()
    assert sam_id is not None


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet-upright", "phone"])
def test_i_pressed_it_by_mistake_is_in_the_childs_list_after_a_reload(
    device,  # noqa: F811
    screens_app: Flask,  # noqa: F811
    viewport: dict[str, int],
    language: str,
) -> None:
    child = make_child(screens_app, "middle", language)
    page = device(viewport).new_page()
    page.goto(f"/i/{child.token}")
    expect(page).to_have_url(re.compile(r"/me$"))
    page.locator("[data-action='unsafe']").click()
    unsafe = page.locator("#panel-unsafe")
    expect(unsafe.locator("[data-unsafe-state='sent']")).to_be_visible()
    mistake = unsafe.locator("[data-action='unsafe-mistake']")
    assert_in_view(page, "#panel-unsafe [data-action='unsafe-mistake']", "the mistake button")
    mistake.click()
    said = words(screens_app, language, MISTAKE_SAID)
    listed = page.locator(".cs-thing--unsafe")
    expect(listed.locator(".cs-thing__mistake")).to_have_text(said)  # at once

    settle(page)
    page.reload()
    expect(page.locator(".cs-thing--unsafe")).to_have_count(1)
    expect(page.locator(".cs-thing--unsafe .cs-thing__mistake")).to_have_text(said)
    expect(page.locator(".cs-thing:not(.cs-thing--unsafe) .cs-thing__mistake")).to_have_count(0)
    settle(page)
    (alert,) = alerts(screens_app, child.id)
    with screens_app.app_context():
        assert db.session.scalar(
            select(MistakenPress.id).where(MistakenPress.contribution_id == alert.id)
        )
        db.session.remove()
