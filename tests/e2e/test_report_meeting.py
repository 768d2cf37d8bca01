"""Sam's pages after the meeting and for comparing versions, in real Chromium: usable,
axe clean in English and Arabic, right to left in Arabic."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_practitioner_pages import (
    assert_no_serious_axe_violations,
    choose_language,
    open_child,
    sign_in,
)

pytestmark = pytest.mark.browser


def test_after_the_meeting_and_compare_pages(page: Page) -> None:
    sign_in(page)
    open_child(page, "Maya Thompson")
    page.get_by_role("link", name="Reports for meetings").click()
    page.locator("a[href*='/reports/']").filter(has_text=re.compile("report", re.I)).first.click()
    page.get_by_role("link", name="After the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("After the meeting")
    assert_no_serious_axe_violations(page, "the after-the-meeting page (en)")
    page.get_by_label("Who", exact=True).select_option(label="Someone else (name them below)")
    page.get_by_label("Name (if not on the child's record)").fill("Ms Patel")
    page.get_by_label("Their part, e.g. class teacher").fill("class teacher")
    page.get_by_label("At the meeting?").select_option(label="Invited, did not attend")
    page.get_by_role("button", name="Record").click()
    attendance = page.locator("#attendance")
    expect(attendance).to_contain_text("Ms Patel")
    expect(attendance).to_contain_text("invited, did not attend")
    # Not signed off yet: nothing can be given.
    expect(page.locator("#given")).to_contain_text("after a manager signs it off")

    compare_url = re.sub(r"/meeting.*$", "/compare", page.url)
    page.goto(compare_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Compare versions")
    assert_no_serious_axe_violations(page, "the compare page (en)")
    choose_language(page, "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_no_serious_axe_violations(page, "the compare page (ar)")
    page.goto(compare_url.replace("/compare", "/meeting"))
    assert_no_serious_axe_violations(page, "the after-the-meeting page (ar)")
    choose_language(page, "en")
