"""The child's space on an upright tablet (768 by 1024) and a phone (360 by 640), in real Chromium.

Every band, in English and Arabic: "I don't feel safe" stays in view on every tool, every
control is at least 48 px, the 0-10 scale keeps to one row (a column on a phone) with its
end words by their numbers, the tools come first on a phone, dates are British English,
the read-back comes to the child when the words arrive, and axe-core finds nothing.

One Chromium for the whole session (the ``browser`` fixture); this module runs its own app
and server, so the demo data other browser tests share is left alone.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from flask_migrate import upgrade
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from tests.conftest import test_config
from tests.e2e.conftest import serving
from voice_app import create_app
from voice_app.accounts import services as accounts
from voice_app.accounts.invitations import create_invitation
from voice_app.children import services as children
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    SharingChoice,
    Transcript,
    TranscriptStatus,
)
from voice_app.core.permissions import Role
from voice_app.extensions import db

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 360, "height": 640}
PHONE_ON_ITS_SIDE = {"width": 640, "height": 360}
AGES = {"early": 6, "middle": 10, "teen": 15}
MOMENT = datetime(2026, 11, 27, 16, 48, tzinfo=UTC)

#: Every visible control smaller than 48 by 48 CSS pixels: [what, width, height]. A radio
#: button drawn as a picture is measured by its label, the thing a finger presses.
SMALL_CONTROLS = """() => {
  const controls = document.querySelectorAll(
    "button, a[href], summary, select, textarea, audio[controls], input:not([type=hidden])," +
    " label:has(> input[type=radio])");
  const small = [];
  for (const el of controls) {
    if (el.matches("label > input[type=radio], .skip-link")) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || !el.checkVisibility()) continue;
    if (box.width < 47.5 || box.height < 47.5) {
      const name = (el.getAttribute("aria-label") || el.textContent || el.className).trim();
      small.push([el.tagName + " " + name.replace(/\\s+/g, " ").slice(0, 40),
                  Math.round(box.width), Math.round(box.height)]);
    }
  }
  return small;
}"""

#: Where a selector's element is on screen, or null when it is not shown.
BOX = """(selector) => {
  const el = document.querySelector(selector);
  if (!el || !el.checkVisibility()) return null;
  const b = el.getBoundingClientRect();
  return {top: b.top, bottom: b.bottom, left: b.left, right: b.right, width: b.width,
          height: b.height, vw: window.innerWidth, vh: window.innerHeight};
}"""

#: Fake speech for English, noting what is read aloud (the early band reads the read-back).
SPEECH = """(() => {
  window.__spoken = [];
  window.SpeechSynthesisUtterance = class {
    constructor(text) { this.text = text; this.listeners = {}; }
    addEventListener(type, fn) { this.listeners[type] = fn; }
  };
  const voices = [
    { name: "Test", lang: "en-GB", localService: true, default: true, voiceURI: "t" },
  ];
  Object.defineProperty(window, "speechSynthesis", { configurable: true, value: {
    getVoices: () => voices, addEventListener() {}, removeEventListener() {}, cancel() {},
    speak(u) {
      window.__spoken.push(u.text);
      setTimeout(() => u.listeners.end && u.listeners.end(), 5);
    },
  }});
})();"""


@dataclass(frozen=True)
class Child:
    id: int
    token: str


@pytest.fixture(scope="module")
def screens_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    folder = tmp_path_factory.mktemp("child-space-screens")
    flask_app = create_app(test_config(folder, f"sqlite:///{folder / 'screens.sqlite3'}"))
    with flask_app.app_context():
        upgrade()
        accounts.create_user(
            email="sam@screens.example",
            name="Sam Okafor",
            post_title="Social Worker",
            role=Role.PRACTITIONER,
            password="correct horse battery staple",
            team=accounts.create_team("Screens team"),
        )
        db.session.commit()
        db.session.remove()
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def screens_server(screens_app: Flask) -> Iterator[str]:
    with serving(screens_app, "child-space-screens") as url:
        yield url


def make_child(app: Flask, band: str, language: str, *, voice_note: bool = False) -> Child:
    """A child of the band's age with one thing already shared (and a voice note waiting
    for its words, if asked), and an invitation to their space."""
    with app.app_context():
        sam = accounts.find_user_by_email("sam@screens.example")
        assert sam is not None
        born = date.today().replace(year=date.today().year - AGES[band]) - timedelta(days=40)
        details: dict[str, Any] = dict.fromkeys(children.DETAIL_FIELDS)
        details.update(
            reference=f"SCR-{uuid.uuid4().hex[:8]}",
            full_name="Rosa Test",
            preferred_name="Rosa",
            date_of_birth=born,
            preferred_language=language,
        )
        child = children.create_child(details, sam)
        things = [(ContributionKind.TEXT, "I like my school.")]
        if voice_note:
            things.append((ContributionKind.VOICE, None))
        for kind, text in things:
            thing = Contribution(
                child_id=child.id,
                client_id=str(uuid.uuid4()),
                kind=kind,
                author_kind=AuthorKind.CHILD,
                language=language,
                sharing=SharingChoice.MY_WORKER,
                text=text,
                created_at=MOMENT,
            )
            db.session.add(thing)
            if kind is ContributionKind.VOICE:
                db.session.flush()
                db.session.add(Transcript(contribution_id=thing.id, status=TranscriptStatus.QUEUED))
        invitation = create_invitation(child, "screens", sam, timedelta(days=1))
        db.session.commit()
        made = Child(child.id, invitation.token)
        db.session.remove()
        return made


def words_arrive(app: Flask, child_id: int, words: str) -> None:
    """The transcription job finishes: the machine's draft is ready for the child."""
    with app.app_context():
        transcript = db.session.scalars(
            select(Transcript).join(Contribution).where(Contribution.child_id == child_id)
        ).one()
        transcript.status = TranscriptStatus.DRAFT
        transcript.machine_text = words
        db.session.commit()
        db.session.remove()


@pytest.fixture
def device(browser: Browser, screens_server: str):  # type: ignore[no-untyped-def]
    """``device(viewport)``: a new browser context of that size, closed after the test."""
    opened: list[BrowserContext] = []

    def open_device(viewport: dict[str, int]) -> BrowserContext:
        context = browser.new_context(base_url=screens_server, viewport=viewport, locale="en-GB")
        context.set_default_timeout(10_000)
        context.add_init_script(SPEECH)
        opened.append(context)
        return context

    yield open_device
    for context in opened:
        context.close()


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.evaluate(BOX, selector)
    assert found is not None, f"{selector} is not on the screen"
    return found


def assert_in_view(page: Page, selector: str, what: str) -> None:
    b = box(page, selector)
    assert b["top"] >= 0 and b["bottom"] <= b["vh"], f"{what}: {selector} is off screen ({b})"
    assert b["left"] >= 0 and b["right"] <= b["vw"], f"{what}: {selector} is off screen ({b})"


def open_tool(page: Page, kind: str) -> None:
    """Open an activity from the menu (the teenage space opens on writing already)."""
    tile = page.locator(f".cs-tile[data-open='{kind}']")
    if tile.get_attribute("aria-expanded") != "true":
        tile.click()
    expect(page.locator(f"#panel-{kind}")).to_be_visible()


def assert_no_axe_violations(page: Page, what: str) -> None:
    violations = Axe().run(page).response["violations"]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']]}"
        for v in violations
    )
    assert not violations, f"axe found problems on {what}:\n{report}"


def assert_controls_big_enough(page: Page, what: str) -> None:
    small = page.evaluate(SMALL_CONTROLS)
    assert small == [], f"controls under 48×48 px on {what}: {small}"


def check_scale(page: Page, phone: bool, what: str) -> None:
    chips = page.locator("#panel-scale .cs-scale__chip")
    boxes = [chips.nth(n).bounding_box() for n in range(11)]
    assert all(boxes)
    if phone:  # a column: 0 at the top, each end word on its number's row
        assert len({round(b["x"]) for b in boxes}) == 1, f"{what}: the scale is not one column"
        assert all(a["y"] < b["y"] for a, b in itertools.pairwise(boxes))
        ends = page.locator("#panel-scale .cs-scale__end")
        for end, chip in ((ends.nth(0), boxes[0]), (ends.nth(1), boxes[10])):
            word = end.bounding_box()
            assert (
                word and chip["y"] <= word["y"] + word["height"] / 2 <= chip["y"] + chip["height"]
            )
    else:  # one row: the end words above it, each over its own number
        assert len({round(b["y"]) for b in boxes}) == 1, f"{what}: the scale wraps"
        ends = page.locator("#panel-scale .cs-scale__ends span")
        for end, chip in ((ends.nth(0), boxes[0]), (ends.nth(1), boxes[10])):
            word = end.bounding_box()
            assert word and word["y"] + word["height"] <= chip["y"] + 1, f"{what}: not above"
            assert word["x"] < chip["x"] + chip["width"] and chip["x"] < word["x"] + word["width"]


@pytest.mark.parametrize("language", ["en", "ar", "ur"])
@pytest.mark.parametrize("band", ["early", "middle", "teen"])
@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet-upright", "phone"])
def test_every_tool_keeps_the_safety_button_in_view_and_big_controls(
    device, screens_app: Flask, viewport: dict[str, int], band: str, language: str
) -> None:
    phone = viewport is PHONE
    what = f"{band} band, {language}, {viewport['width']}×{viewport['height']}"
    child = make_child(screens_app, band, language)
    page = device(viewport).new_page()
    page.goto(f"/i/{child.token}")
    expect(page).to_have_url(re.compile(r"/me$"))
    expect(page.locator("html")).to_have_attribute("lang", language)

    # The date of what they shared, in their language's own format.
    shown = page.locator(".cs-thing__time").first.inner_text()
    if language == "en":
        assert shown == "27 November 2026, 16:48"
    elif language == "ar":
        assert "نوفمبر" in shown and "PM" not in shown
    else:  # Urdu's own (CLDR) format: its month name, a 12-hour clock
        assert "نومبر" in shown

    # The tools come first: on a phone the first one is on the first screen, and who will
    # see what is shared is one tap away.
    who_sees = page.locator("details[data-who-sees]")
    if band != "teen":  # the teenage space opens on writing, scrolled to it
        assert_in_view(page, ".cs-tile", what)
    expect(who_sees).to_have_js_property("open", not phone)
    assert_in_view(page, ".cs-unsafe", f"{what}, first screen")
    assert_controls_big_enough(page, f"the first screen ({what})")
    if not phone or band == "middle":
        assert_no_axe_violations(page, f"the first screen ({what})")

    tiles = page.locator(".cs-tile")
    for n in range(tiles.count()):
        tile = tiles.nth(n)
        if tile.get_attribute("aria-expanded") != "true":  # the teenage space opens on one
            tile.click()
        panel = page.locator(f"#{tile.get_attribute('aria-controls')}")
        expect(panel).to_be_visible()
        name = f"{tile.inner_text().strip()} ({what})"
        assert_in_view(page, ".cs-unsafe", name)
        assert_controls_big_enough(page, name)
        if panel.get_attribute("data-panel") == "scale":
            check_scale(page, phone, name)
            if language == "ar" or phone:
                assert_no_axe_violations(page, name)
        if panel.get_attribute("data-panel") == "drawing" and phone:
            # The tools and a canvas to draw on fit on the one screen.
            for part in (".cs-colours__list", ".cs-sizes__list", "[data-action='clear']"):
                assert_in_view(page, f"#panel-drawing {part}", name)
            assert_in_view(page, "#panel-drawing canvas", name)
            canvas = box(page, "#panel-drawing canvas")
            assert canvas["height"] >= 220 and canvas["width"] >= 300, f"{name}: {canvas}"
        # Scrolled to the very end, the button is still there.
        page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
        assert_in_view(page, ".cs-unsafe", f"{name}, scrolled to the end")
        panel.locator(".cs-panel__head [data-action='back']").click()
        expect(panel).to_be_hidden()


@pytest.mark.parametrize("band", ["early", "middle", "teen"])
@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet-upright", "phone"])
def test_the_read_back_comes_to_the_child_when_the_words_arrive(
    device, screens_app: Flask, viewport: dict[str, int], band: str
) -> None:
    child = make_child(screens_app, band, "en", voice_note=True)
    page = device(viewport).new_page()
    page.goto(f"/i/{child.token}")
    expect(page.locator(".cs-thing--voice .cs-transcript--waiting")).to_be_visible()
    # The child is busy elsewhere: writing, far from their list.
    open_tool(page, "text")

    words_arrive(screens_app, child.id, "I like drawing.")
    announced = page.locator("[data-announce]")
    expect(announced).to_have_text("Is this what you said? I like drawing.")
    spoken = page.evaluate("() => window.__spoken")
    assert ("Is this what you said? I like drawing." in spoken) == (band == "early")
    draft = ".cs-thing--voice .cs-transcript--draft"
    card = page.locator("[data-readback]")
    if viewport is PHONE or band == "early":  # writing fills the screen: the list is out of sight
        expect(card).to_be_visible()
    if card.is_visible():  # the draft is out of sight: the card comes to the child
        expect(card).to_contain_text("Is this what you said?")
        expect(card).to_contain_text("I like drawing.")
        assert_in_view(page, "[data-readback]", "the read-back")
        header = box(page, ".cs-header")
        assert box(page, "[data-readback]")["top"] >= header["bottom"], "under the header"
        assert_controls_big_enough(page, "the read-back")
        card.get_by_role("button", name="Check my words").click()
        expect(card).to_be_hidden()
        expect(page.locator(draft)).to_be_focused()
    # Either way, the question is where the child is looking.
    assert_in_view(page, f"{draft} .cs-transcript__question", "the draft")
    page.locator(draft).get_by_role("button", name="Yes, that's right").click()
    expect(page.locator(".cs-thing--voice .cs-transcript--confirmed")).to_be_visible()


def test_on_a_phone_who_sees_is_shown_before_the_first_thing_is_sent(
    device, screens_app: Flask
) -> None:
    child = make_child(screens_app, "middle", "en")
    with screens_app.app_context():  # nothing shared yet
        for thing in db.session.scalars(
            select(Contribution).where(Contribution.child_id == child.id)
        ):
            db.session.delete(thing)
        db.session.commit()
        db.session.remove()
    page = device(PHONE).new_page()
    page.goto(f"/i/{child.token}")
    open_tool(page, "text")
    panel = page.locator("#panel-text")
    reminder = panel.locator("[data-who-sees-reminder]")
    expect(reminder).to_be_visible()
    expect(reminder).to_contain_text("Your worker will see what you share")
    reminder_box, sharing_box = reminder.bounding_box(), panel.locator(".cs-sharing").bounding_box()
    assert reminder_box and sharing_box and reminder_box["y"] < sharing_box["y"]
    panel.get_by_label("Your words").fill("Hello")
    panel.get_by_role("button", name="Send").click()
    expect(page.locator(".cs-thing")).to_have_count(1)
    expect(reminder).to_be_hidden()
    # Still one tap away on the menu.
    panel.locator(".cs-panel__head [data-action='back']").click()
    page.locator("summary", has_text="Who will see what I share?").click()
    expect(page.locator("#who-sees")).to_be_visible()


def test_drawing_on_a_phone_on_its_side_keeps_tools_and_canvas_on_one_screen(
    device, screens_app: Flask
) -> None:
    child = make_child(screens_app, "middle", "en")
    page = device(PHONE_ON_ITS_SIDE).new_page()
    page.goto(f"/i/{child.token}")
    open_tool(page, "drawing")
    for part in (".cs-colours__list", ".cs-sizes__list", "[data-action='clear']", "canvas"):
        assert_in_view(page, f"#panel-drawing {part}", "drawing on its side")
    canvas = box(page, "#panel-drawing canvas")
    assert canvas["width"] >= 250 and canvas["height"] >= 160
    assert_in_view(page, ".cs-unsafe", "drawing on its side")
    assert_controls_big_enough(page, "drawing on its side")


@pytest.mark.parametrize("language", ["en", "ar", "ur"])
def test_the_other_pages_of_the_space_have_big_controls_on_a_phone(
    device, screens_app: Flask, language: str
) -> None:
    child = make_child(screens_app, "early", language)
    context = device(PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto("/join")
    assert_controls_big_enough(page, "the join page")
    page.goto(f"/i/{child.token}")
    expect(page).to_have_url(re.compile(r"/me$"))
    for path in ("/me/pin", "/me/exit"):
        page.goto(path)
        assert_controls_big_enough(page, path)
        assert_no_axe_violations(page, path)
    # The icon browsers ask for is there, from the child's space too: no 404 in the console.
    icon = page.request.get("/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/vnd.microsoft.icon"
    assert errors == []
