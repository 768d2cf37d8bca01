"""The family's space in real Chromium on a phone (360 by 640): a practitioner invites Maya's
grandfather, he sets his passphrase, reads what Maya shared, gives his own view, switches
to Arabic; axe-core finds no serious problem in English or Arabic."""

from __future__ import annotations

import base64
import re
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Locator, Page, Playwright, Request, expect

from tests.conftest import speak
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.test_child_space import WATCH_MICROPHONE
from tests.e2e.test_practitioner_pages import assert_no_serious_axe_violations, sign_in
from voice_app.family.demo import DEMO_FAMILY_PASSPHRASE, DEMO_FAMILY_SIGN_IN

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 640}
PASSPHRASE = "grandad walks to school"


@pytest.fixture
def phone(browser: Browser, live_server: str) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server, viewport=PHONE, locale="en-GB", has_touch=True, is_mobile=True
    )
    context.set_default_timeout(10_000)
    new_page = context.new_page()
    try:
        yield new_page
    finally:
        context.close()


def fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a 360px phone"


def invite_grandad(page: Page) -> str:
    """Sam makes an invitation for Robert Thompson (no parental responsibility: a reason)."""
    sign_in(page)
    page.get_by_role("link", name="Maya Thompson", exact=True).click()
    page.get_by_role("link", name="Family accounts").click()
    page.get_by_role("link", name=re.compile(r"Invite\s+Robert Thompson")).click()
    page.get_by_label("Why this person should see").fill("Walks Maya to school every day.")
    page.get_by_role("button", name="Make the invitation").click()
    code = page.locator("p.code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    return code


def test_a_grandparent_joins_on_a_phone_and_the_space_is_accessible(
    page: Page, phone: Page
) -> None:
    code = invite_grandad(page)

    phone.goto("/family/join")
    assert_no_serious_axe_violations(phone, "the family code page (en)")
    phone.get_by_label("Your code").fill(code)
    phone.get_by_role("button", name="Continue").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Welcome, Robert Thompson")
    assert_no_serious_axe_violations(phone, "the passphrase page (en)")
    phone.get_by_label("Choose a sign-in name").fill("robert.t")
    phone.get_by_label("Choose a password or passphrase").fill(PASSPHRASE)
    phone.get_by_label("Type it again").fill(PASSPHRASE)
    phone.get_by_role("button", name="Save and sign in").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Your family space for Maya")
    shared = phone.locator(
        "section", has=phone.get_by_role("heading", name="Shared with you", exact=True)
    )
    expect(shared).to_contain_text("I like it when Grandad walks me to school.")
    # Claire's own words are hers: her father-in-law does not see them.
    expect(phone.get_by_text("less shouting at home")).to_have_count(0)
    fits_the_phone(phone)
    assert_no_serious_axe_violations(phone, "the family space (en)")

    phone.get_by_label("Your words").fill("Maya is brave. She tells me about school on the way.")
    phone.get_by_role("button", name="Send to the social worker").click()
    given = phone.locator("section", has=phone.get_by_role("heading", name="What you have given"))
    expect(given).to_contain_text("Maya is brave.")

    phone.locator("form.language-switcher button[name=locale][value=ar]").click()
    html = phone.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    fits_the_phone(phone)
    assert_no_serious_axe_violations(phone, "the family space (ar)")

    # Sam sees it on Maya's timeline, attributed.
    page.goto(page.url.split("/children/")[0] + "/children/")
    page.get_by_role("link", name="Maya Thompson", exact=True).click()
    page.get_by_role("link", name="Their words, recordings and drawings").click()
    expect(page.locator(".attribution").first).to_contain_text(
        "Robert Thompson, grandparent, typed"
    )


@pytest.mark.parametrize("locale", ["ar", "ur"])
def test_the_family_sign_in_page_is_accessible_right_to_left(phone: Page, locale: str) -> None:
    phone.goto("/family/sign-in")
    phone.locator(f"form.language-switcher button[name=locale][value={locale}]").click()
    expect(phone.locator("html")).to_have_attribute("lang", locale)
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    fits_the_phone(phone)
    assert_no_serious_axe_violations(phone, f"the family sign-in page ({locale})")


def claire_signs_in(phone: Page) -> None:
    phone.goto("/family/sign-in")
    phone.get_by_label("Sign-in name").fill(DEMO_FAMILY_SIGN_IN)
    phone.get_by_label("Password or passphrase").fill(DEMO_FAMILY_PASSPHRASE)
    phone.locator("main").get_by_role("button", name="Sign in").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your family space for Maya")


def claire_sends_a_drawing(phone: Page, words: str) -> Locator:
    """Claire draws a stroke with her finger and sends it with ``words``; returns the
    drawing's preview among what she has given."""
    phone.get_by_label("Send a drawing").check()
    pad = phone.get_by_role("img", name="Drawing pad: draw with your finger")
    expect(pad).to_be_visible()
    # Where a finger would be: on the pad as it is on screen once the page has settled (the
    # thumbnails above it loaded; a long page puts it below the fold, and the mouse's
    # coordinates are the screen's).
    phone.wait_for_load_state("load")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    phone.mouse.move(box["x"] + 30, box["y"] + 30)
    phone.mouse.down()
    for step in range(1, 12):
        phone.mouse.move(box["x"] + 30 + step * 20, box["y"] + 30 + step * 10)
    phone.mouse.up()
    phone.get_by_label("Your words").fill(words)
    phone.get_by_role("button", name="Send to the social worker").click()
    return given_drawing(phone, words)


def given_drawing(phone: Page, words: str) -> Locator:
    """A drawing Claire gave, by its words: other tests give her drawings too."""
    given = phone.locator("section", has=phone.get_by_role("heading", name="What you have given"))
    return given.locator("li", has_text=words).get_by_role("img", name="Your drawing")


def picture_loaded(phone: Page, image: Locator) -> None:
    phone.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 1", arg=image.element_handle()
    )


def test_a_drawing_made_with_a_finger_on_the_phone_arrives(phone: Page) -> None:
    claire_signs_in(phone)
    phone.get_by_label("Send a drawing").check()
    expect(phone.get_by_role("img", name="Drawing pad: draw with your finger")).to_be_visible()
    fits_the_phone(phone)
    assert_no_serious_axe_violations(phone, "the family space with the drawing pad (en)")

    drawing = claire_sends_a_drawing(phone, "Our garden, with Maya's swing")

    expect(drawing).to_be_visible()
    # The picture really arrives through the family's media view (waited for: on a busy
    # machine it is still loading when it first shows).
    picture_loaded(phone, drawing)


#: A 1x1 white PNG: what a preview looks like to the layout before its picture arrives.
ONE_PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC"
)


def test_a_drawings_preview_holds_its_place_while_the_picture_loads(phone: Page) -> None:
    """On a slow phone link the previews arrive after the page: their frames are laid out
    before, so what is below them does not jump (a finger aimed at a button still lands
    on it)."""
    claire_signs_in(phone)
    drawing = claire_sends_a_drawing(phone, "A kite over the park")
    expect(drawing).to_be_visible()

    thumbnails = "**/family/media/*/thumbnail"
    phone.route(thumbnails, lambda route: route.fulfill(body=ONE_PIXEL, content_type="image/png"))
    phone.reload()
    before = drawing.bounding_box()
    phone.unroute(thumbnails)
    phone.reload()
    picture_loaded(phone, drawing)
    after = drawing.bounding_box()

    assert before is not None and after is not None
    assert abs(before["width"] - after["width"]) < 1
    assert abs(before["height"] - after["height"]) < 1
    assert after["width"] > 200  # a picture's frame, not a pixel's
    assert abs(after["height"] - after["width"] * 3 / 4) < 2  # 4:3, borders included


class HeldPreviews:
    """The live app's answers to the family's previews, made as their requests arrive and
    held back until ``release_to()``: pictures still on their way on a slow link. Only
    requests that arrive while ``holding`` are held."""

    def __init__(self, live_app: Flask) -> None:
        self.live_app = live_app
        self.serve = live_app.wsgi_app
        self.holding = False
        self.held = 0
        self.caught = threading.Event()
        self.released = threading.Event()

    def __enter__(self) -> HeldPreviews:
        self.live_app.wsgi_app = self  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        self.released.set()
        self.live_app.wsgi_app = self.serve  # type: ignore[method-assign]

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if not (self.holding and environ["PATH_INFO"].endswith("/thumbnail")):
            return self.serve(environ, start_response)
        made: list[Any] = []
        answer = self.serve(environ, lambda *start: made.append(start) or made.append)
        try:
            body = b"".join(answer)
        finally:
            getattr(answer, "close", lambda: None)()
        self.held += 1
        self.caught.set()
        self.released.wait(timeout=30)
        start_response(*made[0])
        return [body]

    def catch_the_previews_of(self, tab: Page) -> None:
        """Reload ``tab`` with its previews held (at least one of them)."""
        self.released.clear()
        self.caught.clear()
        self.held = 0
        self.holding = True
        tab.reload(wait_until="domcontentloaded")
        assert self.caught.wait(timeout=10), "no preview was asked for"
        self.holding = False

    def release_to(self, tab: Page) -> None:
        """Let the held answers go, and wait until ``tab`` has every one of them."""
        arrived: list[str] = []

        def note(request: Request) -> None:
            arrived.append(request.url)

        tab.on("requestfinished", note)
        self.released.set()
        deadline = time.monotonic() + 10
        while sum(url.endswith("/thumbnail") for url in arrived) < self.held:
            assert time.monotonic() < deadline, "the held previews never arrived"
            tab.wait_for_timeout(50)
        tab.remove_listener("requestfinished", note)


def test_previews_still_loading_in_another_tab_undo_neither_a_language_nor_a_sign_out(
    phone: Page, live_app: Flask
) -> None:
    """Claire's space in two tabs of a shared tablet, the first one's previews slow to come.
    Each answer once carried the session as its request found it, so, landing after she
    signed out in the second tab, it put her whole space back for the next person.
    (Chromium keeps a newer cookie over an older answer's here, so the language half held
    before too; ``tests/accounts/test_sign_ins.py`` plays that answer itself.)"""
    claire_signs_in(phone)
    given = claire_sends_a_drawing(phone, "Snow on our street")
    picture_loaded(phone, given)
    second_tab = phone.context.new_page()
    second_tab.goto("/family/")

    with HeldPreviews(live_app) as previews:
        previews.catch_the_previews_of(phone)
        second_tab.locator("form.language-switcher button[name=locale][value=ar]").click()
        expect(second_tab.locator("html")).to_have_attribute("lang", "ar")
        previews.release_to(phone)
        second_tab.reload()
        expect(second_tab.locator("html")).to_have_attribute("lang", "ar")

        previews.catch_the_previews_of(phone)
        with second_tab.expect_navigation():
            second_tab.locator("form[action='/family/sign-out'] button").click()
        expect(second_tab).to_have_url(re.compile(r"/family/sign-in$"))
        previews.release_to(phone)
        second_tab.goto("/family/")
        expect(second_tab).to_have_url(re.compile(r"/family/sign-in$"))
        phone.goto("/family/")
        expect(phone).to_have_url(re.compile(r"/family/sign-in$"))


SPOKEN = "Maya sleeps better now and she likes her new school."


@pytest.fixture(scope="module")
def spoken_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return speak(SPOKEN, "en-gb", tmp_path_factory.mktemp("family-clip") / "claire.wav")


def test_claire_records_in_the_page_and_reads_back_what_whisper_heard(
    playwright_driver: Playwright, live_server: str, spoken_clip: Path
) -> None:
    # Chromium's fake microphone plays the spoken clip, as a person speaking would.
    microphone = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={spoken_clip}%noloop",
    ]
    chromium = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + microphone
    )
    try:
        context = chromium.new_context(base_url=live_server, viewport=PHONE, locale="en-GB")
        context.grant_permissions(["microphone"])
        context.set_default_timeout(60_000)
        context.add_init_script(WATCH_MICROPHONE)
        phone = context.new_page()
        claire_signs_in(phone)
        phone.get_by_label("Record it").check()
        # A double tap opens the microphone once, and Stop closes it.
        phone.get_by_role("button", name="Start recording").dblclick()
        expect(phone.get_by_role("button", name="Stop")).to_be_enabled()
        phone.wait_for_timeout(5000)
        assert phone.evaluate("window.__streams.length") == 1
        phone.get_by_role("button", name="Stop").click()
        expect(phone.locator("[data-words-status]")).to_contain_text("Recorded.")
        live = phone.evaluate(
            "() => window.__streams.flatMap(s => s.getTracks())"
            ".filter(t => t.readyState === 'live').length"
        )
        assert live == 0, "the microphone was left on after recording stopped"
        phone.get_by_role("button", name="Send to the social worker").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Is this what you said?")
        words = phone.get_by_label("What you said")
        # What Whisper heard in the real recording (a word or two may differ: that is
        # what reading it back is for).
        expect(words).to_have_value(re.compile(r"maya.*likes her new", re.IGNORECASE))
        words.fill("Maya sleeps better now, and she likes her new school.")
        phone.get_by_role("button", name="Yes, these are my words").click()
        given = phone.locator(
            "section", has=phone.get_by_role("heading", name="What you have given")
        )
        expect(given).to_contain_text("Maya sleeps better now, and she likes her new school.")
    finally:
        chromium.close()


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_claire_reads_the_agreed_plan_on_her_phone(phone: Page, locale: str) -> None:
    claire_signs_in(phone)
    if locale != "en":
        phone.locator(f"form.language-switcher button[name=locale][value={locale}]").click()
        expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    phone.locator("a[href='/family/plan']").click()
    expect(phone.locator("h1")).to_be_visible()
    main = phone.locator("main")
    # The agreed plan's words as Sam wrote them, whatever the page's language.
    expect(main).to_contain_text("Walks Maya to school every morning")
    expect(main).to_contain_text(
        "Claire and Maya's dad agree a plan for evenings with no arguing in front of Maya."
    )
    if locale == "en":
        expect(phone.get_by_role("heading", level=1)).to_have_text("The plan for Maya")
        expect(phone.get_by_role("heading", name="Who will do what, and by when")).to_be_visible()
    fits_the_phone(phone)
    assert_no_serious_axe_violations(phone, f"the family's plan ({locale})")


def test_every_module_the_family_home_loads_is_fingerprinted_and_none_is_refused(
    phone: Page,
) -> None:
    """The import map names each module's fingerprinted URL, so none waits for a 304 on a
    weak link; the policy allows the map by its hash, so Chromium refuses nothing."""
    scripts: list[str] = []
    refused: list[str] = []
    phone.on(
        "request",
        lambda request: scripts.append(request.url) if "/static/js/" in request.url else None,
    )
    phone.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    claire_signs_in(phone)
    phone.get_by_label("Record it").check()  # shown by the recorder module, once it has run
    expect(phone.get_by_role("button", name="Start recording")).to_be_visible()
    imported = [url for url in scripts if "/js/child_space/" in url or "record_into" in url]
    assert imported, scripts  # the home page's module imports the recorder and drawing pad
    assert all(re.search(r"\?v=[0-9a-f]{12}$", url) for url in scripts), scripts
    assert refused == []


TABLET = {"width": 768, "height": 1024}


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_every_family_page_is_accessible_on_a_tablet_too(
    browser: Browser, live_server: str, locale: str
) -> None:
    """The family's pages are built phone first; a tablet (upright) gets the same pages
    wider: axe-core finds no serious problem on any of them, in English and Arabic."""
    context = browser.new_context(
        base_url=live_server, viewport=TABLET, locale="en-GB", has_touch=True
    )
    context.set_default_timeout(10_000)
    tablet = context.new_page()
    try:
        tablet.goto("/family/sign-in")
        if locale != "en":
            tablet.locator(f"form.language-switcher button[name=locale][value={locale}]").click()
            expect(tablet.locator("html")).to_have_attribute("dir", "rtl")
        assert_no_serious_axe_violations(tablet, f"the family sign-in page, tablet ({locale})")
        tablet.locator("input[name=sign_in_name]").fill(DEMO_FAMILY_SIGN_IN)
        tablet.locator("input[name=passphrase]").fill(DEMO_FAMILY_PASSPHRASE)
        tablet.locator("main form button[type=submit]").click()
        expect(tablet.locator("main h1")).to_be_visible()
        if locale != "en":  # her account's language (English) counts once she is in
            tablet.locator(f"form.language-switcher button[name=locale][value={locale}]").click()
        expect(tablet.locator("html")).to_have_attribute("lang", locale)
        for path, what in (
            ("/family/", "the family space"),
            ("/family/plan", "the family's plan"),
            ("/family/settings", "the family's settings"),
        ):
            tablet.goto(path)
            expect(tablet.locator("main h1")).to_be_visible()
            assert_no_serious_axe_violations(tablet, f"{what}, tablet ({locale})")
    finally:
        context.close()


def test_claires_words_written_while_her_session_ended_come_back_after_she_signs_in(
    phone: Page,
) -> None:
    """On a phone the session ends easily (the phone sleeps in a pocket): what Claire typed
    is kept on the phone and put back in her words form once she has signed in again."""
    words = "Maya was happier at the weekend; she asked to see Grandad on Sunday."
    claire_signs_in(phone)
    phone.get_by_label("Your words").fill(words)
    # Every answer renews the session cookie: the page's pictures still loading would
    # bring it back after it is cleared.
    phone.wait_for_load_state("networkidle")
    phone.context.clear_cookies()
    with phone.expect_navigation():  # once her words are sealed, the form goes
        phone.get_by_role("button", name="Send to the social worker").click()
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    expect(phone.get_by_text("What you typed is kept in this browser tab")).to_be_visible()

    claire_signs_in(phone)

    expect(phone.get_by_label("Your words")).to_have_value(words)
    expect(phone.get_by_text("What you typed before you signed in again")).to_be_visible()
    fits_the_phone(phone)
    phone.get_by_role("button", name="Send to the social worker").click()
    given = phone.locator("section", has=phone.get_by_role("heading", name="What you have given"))
    expect(given).to_contain_text(words)


def test_a_stroke_begun_before_the_pad_is_sized_is_kept_and_the_drawing_arrives(
    phone: Page,
) -> None:
    """On a busy phone a finger can land in the moment between the drawing pad being shown
    and the frame that sizes it: that stroke must not be lost (then nothing would be sent)."""
    claire_signs_in(phone)
    phone.evaluate(
        """async () => {
          // Once the page's own module has run (the same module, by its address):
          const words = document.querySelector('script[type=module][src*="family/words.js"]');
          await import(words.src);
          // Shown, then a stroke in the same moment, before any frame is drawn:
          document.querySelector("input[name=kind][value=drawing]").click();
          const pad = document.querySelector("canvas[data-drawing-pad]");
          const box = pad.getBoundingClientRect();
          const at = (type, dx) => pad.dispatchEvent(new PointerEvent(type, {
            pointerId: 7, pointerType: "mouse", button: 0, buttons: 1, bubbles: true,
            clientX: box.left + 40 + dx, clientY: box.top + 40 + dx / 2,
          }));
          at("pointerdown", 0);
          for (let dx = 10; dx <= 120; dx += 10) at("pointermove", dx);
          at("pointerup", 120);
        }"""
    )
    phone.get_by_label("Your words").fill("The first line, drawn at once")
    phone.get_by_role("button", name="Send to the social worker").click()
    given = phone.locator("section", has=phone.get_by_role("heading", name="What you have given"))
    mine = given.locator("li", has_text="The first line, drawn at once")
    expect(mine.get_by_role("img", name="Your drawing")).to_be_visible()
