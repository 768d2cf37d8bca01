"""The practitioner's pages in real Chromium: signing in, the case list, a child's page in
English and in Arabic and Urdu (mirrored, right to left), and axe-core's accessibility checks."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from voice_app.core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

PRACTITIONER = "practitioner@demo.example"
SEVERE = {"serious", "critical"}


def sign_in(page: Page, email: str = PRACTITIONER) -> None:
    """Sign in through the login form, as a person would, and land on the case list."""
    page.goto("/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    # Signing in lands on the case list (by way of the home page).
    expect(page).to_have_url(re.compile(r"/children/$"))
    # Choosing a language is saved on the account, so a test that switched to Arabic
    # would leave the next sign-in in Arabic: start every test from English.
    choose_language(page, "en")
    expect(page.get_by_role("heading", level=1, name="Children")).to_be_visible()


def sign_out(page: Page) -> None:
    """Press the header's "Sign out" (in whatever language the page is in), as a person
    handing the device on would."""
    page.locator("header form[action$='/logout'] button[type=submit]").click()
    expect(page.locator("main input[name=email]")).to_be_visible()


def choose_language(page: Page, code: str) -> None:
    """Press a language button in the header, if that language is not already showing."""
    if page.locator("html").get_attribute("lang") == code:
        return
    page.locator(f"form.language-switcher button[name=locale][value={code}]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def open_child(page: Page, name: str) -> None:
    """Follow the child's link on the case list."""
    page.get_by_role("link", name=name, exact=True).click()
    expect(page).to_have_url(re.compile(r"/children/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def brand_left_edge(page: Page) -> float:
    box = page.locator("header a.brand").bounding_box()
    assert box is not None, "the brand link is not on screen"
    return box["x"]


def viewport_width(page: Page) -> int:
    size = page.viewport_size
    assert size is not None
    return size["width"]


def assert_no_serious_axe_violations(page: Page, what: str) -> None:
    violations = Axe().run(page).response["violations"]
    severe = [v for v in violations if v.get("impact") in SEVERE]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {node['target']}" for node in v["nodes"])
        for v in severe
    )
    assert not severe, f"axe found serious accessibility problems on {what}:\n{report}"


def test_practitioner_sees_only_their_own_children_on_the_case_list(page: Page) -> None:
    sign_in(page)

    case_list = page.locator("table.case-list")
    expect(case_list.get_by_role("link", name="Maya Thompson")).to_be_visible()
    expect(case_list.get_by_role("link", name="Omar Al-Sayed")).to_be_visible()
    expect(page.get_by_text("Ethan Wright")).to_have_count(0)
    expect(page.locator("header .who__name")).to_have_text("Sam Okafor")


@pytest.mark.parametrize("locale", ["ar", "ur"])
def test_child_page_in_arabic_or_urdu_reads_right_to_left_and_mirrors(
    page: Page, locale: str
) -> None:
    sign_in(page)
    open_child(page, "Omar Al-Sayed")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")
    half = viewport_width(page) / 2
    assert brand_left_edge(page) < half, "in English the brand link should sit on the left"
    child_url = page.url

    page.locator(f"form.language-switcher button[name=locale][value={locale}]").click()

    expect(html).to_have_attribute("lang", locale)
    expect(html).to_have_attribute("dir", "rtl")
    assert page.url == child_url, "switching language should bring the person back to Omar"
    expect(page.get_by_role("heading", level=1)).to_contain_text("Omar Al-Sayed")
    expect(page.locator(f"form.language-switcher button[value={locale}]")).to_have_attribute(
        "aria-current", "true"
    )
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert brand_left_edge(page) > half, f"in {locale} the brand link should sit on the right"
    # The layout mirrors, not just the text: the first navigation link is to the brand's
    # left in Arabic and Urdu, where it was to its right in English.
    nav_box = page.locator("nav.main-nav a").first.bounding_box()
    assert nav_box is not None
    assert nav_box["x"] < brand_left_edge(page)


@pytest.mark.parametrize(
    ("where", "locale"),
    [
        ("login", "en"),
        ("case list", "en"),
        ("child page", "en"),
        ("child page", "ar"),
        ("child page", "ur"),
    ],
)
def test_pages_have_no_serious_accessibility_problems(page: Page, where: str, locale: str) -> None:
    if where == "login":
        page.goto("/login")
        expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    else:
        sign_in(page)
        if where == "child page":
            open_child(page, "Omar Al-Sayed")
        choose_language(page, locale)

    assert_no_serious_axe_violations(page, f"the {where} ({locale})")
