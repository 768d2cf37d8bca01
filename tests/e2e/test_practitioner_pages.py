"""The staff pages in real Chromium: signing in, the case list, a child's page in English
and in Arabic and Urdu (mirrored, right to left), and axe-core's accessibility checks; and
a walk through every kind of page a practitioner, manager, admin and interpreter reaches,
in Arabic and in Urdu."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from voice_app.accounts.models import User
from voice_app.children import services as children
from voice_app.children.models import Child
from voice_app.contributions.models import AuthorKind, ContributionKind, SharingChoice
from voice_app.contributions.services import Author, Submission, add_contribution
from voice_app.core.demo import DEMO_PASSWORD
from voice_app.extensions import db
from voice_app.interpreting.models import InterpretingRequest, RequestKind
from voice_app.record.confidential import services as confidential

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


# -- Every staff page, in Arabic and Urdu ------------------------------------------------

#: Links the walk does not open as pages: files (PDFs, ZIPs, media, audio), JSON, and the
#: child's and family's own spaces (tested on their own).
NOT_A_PAGE = re.compile(
    r"(/pdf$|\.pdf$|/zip$|/media/|/original$|\.(ogg|mp3|wav|json)$|^/static/|^/healthz"
    r"|^/favicon|^/i/|^/me(/|$)|^/join$|^/pin$|^/family(/|$)|^/f/|^/about/)"
)

#: Per role: where the walk starts (besides the page signing in lands on), and the kinds
#: of page it must have reached, so a link that disappears fails the walk, not shrinks it.
WALKS: dict[str, tuple[str, list[str], set[str]]] = {
    "practitioner": (
        PRACTITIONER,
        [
            "/children/",
            "{maya}",
            "{omar}/interpreting",
            "{maya}/plan/compare",
            "{noor}/safety-alerts",
            "{noor}/record/confidential",
        ],
        {
            "/children/",
            "/children/N",
            "/children/N/edit",
            "/children/N/contributions",
            "/children/N/record",
            "/children/N/record/new",
            "/children/N/plan",
            "/children/N/plan/versions",
            "/children/N/plan/compare",
            "/children/N/reports",
            "/children/N/reports/N",
            "/children/N/reports/N/meeting",
            "/children/N/interpreting",
            "/children/N/interpreting/N/two-languages",
            "/children/N/safety-alerts",
            "/children/N/record/confidential",
            "/children/N/subject-access",
            "/children/N/family-accounts",
            "/read-aloud/prompts",
            "/account",
        },
    ),
    "manager": (
        "manager@demo.example",
        ["/children/", "{maya}", "{noor}/record/confidential", "/team/", "/audit/"],
        {
            "/children/",
            "/children/N",
            "/children/N/record",
            "/children/N/plan",
            "/children/N/reports",
            "/children/N/confidential-access",
            "/children/N/record/confidential",
            "/children/N/safety-alerts",
            "/team/",
            "/audit/",
            "/account",
        },
    ),
    "admin": (
        "admin@demo.example",
        ["/admin/users", "/admin/interpreters"],
        {
            "/admin/users",
            "/admin/users/new",
            "/admin/users/N",
            "/admin/teams",
            "/admin/interpreters",
            "/admin/interpreters/N",
            "/account",
        },
    ),
    "interpreter": (
        "interpreter@demo.example",
        ["/interpreting", "{session}"],
        {
            "/interpreting",
            "/interpreting/N",
            "/interpreting/N/two-languages",
            "/read-aloud/prompts",
            "/account",
        },
    ),
}

#: Where the page's layout goes wrong in a right-to-left language, if anywhere.
#: What is wrong with the page's layout for its direction ("rtl" or "ltr"): the wrong
#: dir, anything scrolling sideways, the header not mirrored right to left.
LAYOUT_PROBLEMS = """(expected) => {
  const problems = [];
  const html = document.documentElement;
  if (html.dir !== expected) problems.push(`<html dir="${html.dir}">`);
  const direction = getComputedStyle(document.body).direction;
  if (direction !== expected) problems.push(`body is ${direction}`);
  if (html.scrollWidth > window.innerWidth + 1) {
    problems.push(`scrolls sideways: ${html.scrollWidth}px in ${window.innerWidth}px`);
  }
  const brand = document.querySelector("header a.brand");
  const onTheLeft = brand && brand.getBoundingClientRect().left < window.innerWidth / 2;
  if (brand && onTheLeft !== (expected === "ltr")) {
    problems.push("the brand link is on the wrong side: the header is not mirrored");
  }
  return problems;
}"""


def page_kind(path: str) -> str:
    """``/children/12/reports/3?version=2`` -> ``/children/N/reports/N``: one page of each
    template is enough (a query only pages or filters the same one)."""
    return re.sub(r"\d+", "N", path.split("?", 1)[0])


@pytest.fixture(scope="module")
def walk_children(live_app: Flask) -> dict[str, str]:
    """The demo's Maya and Omar, and Noor, whose pages only exist with her data: an open
    "I don't feel safe" alert, and a confidential section Sam and Priya were given."""
    with live_app.test_request_context():
        staff = {u.email: u for u in db.session.scalars(select(User))}
        sam, priya = staff[PRACTITIONER], staff["manager@demo.example"]
        details: dict[str, Any] = dict.fromkeys(children.DETAIL_FIELDS)
        details.update(
            reference=f"RCT-WALK-{uuid.uuid4().hex[:6]}",
            full_name="Noor Hassan",
            preferred_name="Noor",
            date_of_birth=date.today().replace(year=date.today().year - 11),
            preferred_language="ur",
        )
        noor = children.create_child(details, sam)
        unsafe = Submission(
            f"walk-{uuid.uuid4().hex}", ContributionKind.TEXT, SharingChoice.MY_WORKER, unsafe=True
        )
        add_contribution(noor, unsafe, Author(AuthorKind.CHILD))
        for person in (sam, priya):
            confidential.grant_access(noor.id, person, "Safeguarding lead for the walk", priya)
        db.session.commit()
        found = {c.full_name: c.id for c in db.session.scalars(select(Child))}
        # The demo's live session: the walk opens one page of each kind, and the first
        # request on the interpreter's list may be another kind (a test added it).
        session = db.session.scalar(
            select(InterpretingRequest.id).where(
                InterpretingRequest.kind == RequestKind.LIVE_SESSION
            )
        )
        db.session.remove()
    return {"session": f"/interpreting/{session}"} | {
        name: f"/children/{found[full_name]}"
        for name, full_name in (
            ("maya", "Maya Thompson"),
            ("omar", "Omar Al-Sayed"),
            ("noor", "Noor Hassan"),
        )
    }


def walk_staff_pages(
    page: Page, starts: list[str], direction: str, limit: int = 90
) -> tuple[set[str], list[str]]:
    """Open one page of every kind reachable by links from ``starts``; check each with axe
    and for a layout in ``direction``. Returns the kinds seen and what went wrong where."""
    seen: set[str] = set()
    problems: list[str] = []
    queue = list(starts)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if page_kind(path) in seen:
            continue
        seen.add(page_kind(path))
        response = page.goto(path)
        if response is None or response.status != 200:
            problems.append(f"{path}: answered {response.status if response else 'nothing'}")
            continue
        for href in page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(a => a.getAttribute('href'))"
        ):
            link = urlsplit(href)
            target = link.path + (f"?{link.query}" if link.query else "")
            if link.scheme or link.netloc or not link.path.startswith("/"):
                continue
            if not NOT_A_PAGE.search(link.path) and page_kind(target) not in seen:
                queue.append(target)
        problems += [f"{path}: {problem}" for problem in page.evaluate(LAYOUT_PROBLEMS, direction)]
        violations = Axe().run(page).response["violations"]
        problems += [
            f"{path}: axe {v['id']} ({v['impact']}) {v['help']}: "
            + ", ".join(str(node["target"]) for node in v["nodes"][:5])
            for v in violations
            if v.get("impact") in SEVERE
        ]
    return seen, problems


@pytest.mark.parametrize("locale", ["en", "ar", "ur"])
@pytest.mark.parametrize("role", sorted(WALKS))
def test_every_staff_page_lays_out_with_no_serious_accessibility_problem(
    page: Page, walk_children: dict[str, str], role: str, locale: str
) -> None:
    """One signed-in page walks every kind of page the role reaches, in English, Arabic or
    Urdu: each laid out in its direction (right to left mirrored, nothing scrolling
    sideways) and with no serious or critical axe-core violation."""
    email, starts, must_reach = WALKS[role]
    sign_in_as(page, email)
    choose_language(page, locale)
    direction = "rtl" if locale in ("ar", "ur") else "ltr"
    seen, problems = walk_staff_pages(page, [s.format(**walk_children) for s in starts], direction)
    # The choice is kept on the account: leave it in English for the other tests.
    choose_language(page, "en")
    assert not problems, f"{role}, {locale}:\n" + "\n".join(problems)
    missing = must_reach - seen
    assert not missing, f"the {role}'s walk never reached {sorted(missing)}"


def sign_in_as(page: Page, email: str) -> None:
    """Sign in as any member of staff (each lands on their own home page), in English."""
    page.goto("/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    expect(page.locator("header .who__name")).to_be_visible()
    choose_language(page, "en")
