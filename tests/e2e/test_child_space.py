"""The child's space in real Chromium with a fake microphone that says real words.

A child opens their invitation, records a voice note, draws with pointer events, sends
both, sees the words appear and confirms them; an upload cut off by the network waits in
the outbox and arrives exactly once; "I don't feel safe" is sent at once; an early-band
screen in Arabic reads right to left and passes axe-core.

These tests run their own app, database and server (the demo data of ``live_server`` is
shared with the practitioners' tests and is left alone), and their own Chromium, launched
with a fake microphone that plays a clip spoken by espeak-ng.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from flask_migrate import upgrade
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect
from sqlalchemy import select

from tests.conftest import speak, test_config
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, serving
from voice_app import create_app
from voice_app.accounts import services as accounts
from voice_app.accounts.invitations import create_invitation
from voice_app.children import services as children
from voice_app.contributions.models import Contribution, TranscriptStatus
from voice_app.core import queue
from voice_app.core.permissions import Role
from voice_app.core.storage.store import media_store
from voice_app.extensions import db

pytestmark = pytest.mark.browser

SPOKEN = "I like drawing."
SEVERE = {"serious", "critical"}
PASSWORD = "correct horse battery staple"

#: Read every IndexedDB outbox item of the page's origin: [space, kind, text].
READ_OUTBOX = """() => new Promise((resolve, reject) => {
  const opened = indexedDB.open("voice_app_child_space");
  opened.onerror = () => reject(opened.error);
  opened.onsuccess = () => {
    const db = opened.result;
    if (!db.objectStoreNames.contains("outbox")) { resolve([]); return; }
    const all = db.transaction("outbox").objectStore("outbox").getAll();
    all.onsuccess = () =>
      resolve(all.result.map((i) => [i.space, i.fields.kind, i.fields.text || ""]));
    all.onerror = () => reject(all.error);
  };
})"""

#: Remember every microphone stream the page opens, to check it is switched off again.
WATCH_MICROPHONE = """(() => {
  window.__streams = [];
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await original(constraints);
    window.__streams.push(stream);
    return stream;
  };
})();"""

#: A speech engine with English voices only, which notes what it is asked to say.
ENGLISH_VOICES_ONLY = """(() => {
  const voices = [
    { name: "Test English", lang: "en-GB", localService: true, default: true, voiceURI: "en" },
    { name: "Test English US", lang: "en-US", localService: true, default: false, voiceURI: "us" },
  ];
  window.__spoken = [];
  window.SpeechSynthesisUtterance = class {
    constructor(text) { this.text = text; this.listeners = {}; }
    addEventListener(type, fn) { this.listeners[type] = fn; }
  };
  const engine = {
    getVoices: () => voices,
    addEventListener() {},
    removeEventListener() {},
    cancel() {},
    speak(u) {
      window.__spoken.push({ text: u.text, lang: u.lang, voice: u.voice && u.voice.name });
      setTimeout(() => u.listeners.end && u.listeners.end(), 10);
    },
  };
  Object.defineProperty(window, "speechSynthesis", { value: engine, configurable: true });
})();"""


@dataclass(frozen=True)
class Invited:
    child_id: int
    token: str
    code: str


# --- the app, its server, and a browser with a microphone --------------------------------


@pytest.fixture(scope="module")
def space_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on its own migrated SQLite file, transcribing with the real Whisper model."""
    # Huey is one object for the whole process: put back what other tests' apps set.
    saved = (queue.huey.storage, queue.huey.immediate, queue._bound_app)
    folder = tmp_path_factory.mktemp("child-space-e2e")
    flask_app = create_app(test_config(folder, f"sqlite:///{folder / 'space.sqlite3'}"))
    with flask_app.app_context():
        upgrade()
        team = accounts.create_team("Child space team")
        accounts.create_user(
            email="worker@space.example",
            name="Sam Okafor",
            post_title="Social Worker",
            role=Role.PRACTITIONER,
            password=PASSWORD,
            team=team,
        )
        db.session.commit()
        db.session.remove()
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()
    queue.huey.storage, queue.huey.immediate, queue._bound_app = saved


@pytest.fixture(scope="module")
def space_server(space_app: Flask) -> Iterator[str]:
    with serving(space_app, "child-space-e2e") as url:
        yield url


@pytest.fixture(scope="module")
def microphone_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return speak(SPOKEN, "en-gb", tmp_path_factory.mktemp("clip") / "spoken.wav")


@pytest.fixture(scope="module")
def mic_browser(playwright_driver: Playwright, microphone_clip: Path) -> Iterator[Browser]:
    """Chromium whose microphone plays the clip (on a loop) and never asks permission."""
    chromium = playwright_driver.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={microphone_clip}",
        ],
    )
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture
def tablet(mic_browser: Browser, space_server: str) -> Iterator[BrowserContext]:
    """A tablet-sized browser with its own storage (IndexedDB included)."""
    context = mic_browser.new_context(
        base_url=space_server,
        viewport={"width": 1024, "height": 768},
        locale="en-GB",
        permissions=["microphone"],
    )
    context.set_default_timeout(15_000)
    context.add_init_script(WATCH_MICROPHONE)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def invite(space_app: Flask):  # type: ignore[no-untyped-def]
    """``invite("Maya", age=10, language="en")``: a new child of Sam's, with an invitation."""
    made: list[int] = []

    def make(name: str, *, age: int, language: str = "en") -> Invited:
        with space_app.app_context():
            sam = accounts.find_user_by_email("worker@space.example")
            assert sam is not None
            born = date.today().replace(year=date.today().year - age) - timedelta(days=40)
            details: dict[str, Any] = dict.fromkeys(children.DETAIL_FIELDS)
            details.update(
                reference=f"E2E-{len(made) + 1}-{name}",
                full_name=f"{name} Test",
                preferred_name=name,
                date_of_birth=born,
                preferred_language=language,
            )
            child = children.create_child(details, sam)
            invitation = create_invitation(child, "e2e", sam, timedelta(days=1))
            db.session.commit()
            made.append(child.id)
            invited = Invited(child.id, invitation.token, invitation.display_code)
            db.session.remove()
            return invited

    return make


def stored(app: Flask, child_id: int) -> list[Contribution]:
    """What the server has kept for the child, oldest first (detached from the session)."""
    with app.app_context():
        items = list(
            db.session.scalars(
                select(Contribution)
                .where(Contribution.child_id == child_id)
                .order_by(Contribution.id)
            )
        )
        for item in items:
            _ = item.transcript  # load it before the session goes
        db.session.expunge_all()
        db.session.remove()
        return items


def open_space(page: Page, invited: Invited) -> None:
    page.goto(f"/i/{invited.token}")
    expect(page).to_have_url(re.compile(r"/me$"))


def record(page: Page, seconds: float = 4.5) -> None:
    """Record a voice note in the open voice panel with the fake microphone."""
    panel = page.locator("#panel-voice")
    panel.get_by_role("button", name=re.compile("Start")).click()
    # The level meter moves and says so while the clip plays into the microphone.
    expect(panel.get_by_text("I can hear you!")).to_be_visible()
    assert panel.locator("[data-meter-bar]").evaluate("bar => parseFloat(bar.style.inlineSize)") > 0
    page.wait_for_timeout(seconds * 1000)
    panel.get_by_role("button", name="Stop").click()
    expect(panel.locator("audio[data-audio]")).to_have_attribute("src", re.compile(r"^blob:"))
    # The microphone is on only while recording.
    live = page.evaluate(
        "() => window.__streams.flatMap(s => s.getTracks()).filter(t => t.readyState === 'live')"
        ".length"
    )
    assert live == 0, "the microphone was left on after recording stopped"


def draw(page: Page) -> None:
    """Two strokes with the mouse and one with a pen that presses harder as it goes."""
    canvas = page.locator("#panel-drawing canvas")
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    assert box is not None
    for points in ([(60, 60), (300, 90), (360, 260)], [(120, 280), (480, 160)]):
        page.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
        page.mouse.down()
        for x, y in points[1:]:
            page.mouse.move(box["x"] + x, box["y"] + y, steps=10)
        page.mouse.up()
    canvas.evaluate(
        """canvas => {
          const r = canvas.getBoundingClientRect();
          const send = (type, x, y, pressure) => canvas.dispatchEvent(new PointerEvent(type, {
            pointerId: 9, pointerType: "pen", isPrimary: true, bubbles: true, button: 0,
            buttons: 1, pressure, clientX: r.left + x, clientY: r.top + y}));
          send("pointerdown", 40, 320, 0.1);
          for (let i = 1; i <= 20; i++) send("pointermove", 40 + i * 20, 320 - i * 5, i / 20);
          send("pointerup", 440, 220, 0);
        }"""
    )
    inked = canvas.evaluate(
        """canvas => {
          const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
          let inked = 0;
          for (let i = 0; i < data.length; i += 4) if (data[i] < 128) inked++;
          return inked;
        }"""
    )
    assert inked > 1000, "the strokes did not reach the canvas"


def outbox(page: Page) -> list[list[str]]:
    return page.evaluate(READ_OUTBOX)


def assert_no_serious_axe_violations(page: Page, what: str) -> None:
    violations = Axe().run(page).response["violations"]
    severe = [v for v in violations if v.get("impact") in SEVERE]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']]}"
        for v in severe
    )
    assert not severe, f"axe found serious accessibility problems on {what}:\n{report}"


# --- tests -------------------------------------------------------------------------------


def test_a_child_records_and_draws_then_confirms_what_they_said(
    tablet: BrowserContext, space_app: Flask, invite
) -> None:
    omar = invite("Omar", age=10)
    page = tablet.new_page()
    open_space(page, omar)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Omar!")

    # The transcription waits in the queue, as it does for a real worker.
    queue.huey.immediate = False
    try:
        page.get_by_role("button", name="Talk").click()
        record(page)
        page.locator("#panel-voice").get_by_role("button", name="Send").click()
        voice = page.locator(".cs-thing--voice")
        expect(voice.get_by_text("Listening to your recording…")).to_be_visible()
        with space_app.app_context():
            task = queue.huey.dequeue()
            assert task is not None, "no transcription was queued"
            queue.huey.execute(task)
            db.session.remove()
    finally:
        queue.huey.immediate = True

    # The page was polling: the machine's words appear, marked as not checked yet.
    expect(voice.get_by_text("Is this what you said?")).to_be_visible()
    expect(voice.get_by_text("Not checked yet")).to_be_visible()
    expect(voice.locator("blockquote")).to_contain_text(re.compile("drawing", re.I))
    expect(voice.locator("audio")).to_have_attribute("src", re.compile(r"/me/media/\d+/original"))
    voice.get_by_role("button", name="Change it").click()
    voice.get_by_label("Your words").fill("I like drawing with my grandma.")
    voice.get_by_role("button", name="Save my words").click()
    expect(voice.get_by_text("Checked", exact=True)).to_be_visible()
    expect(voice.locator("blockquote")).to_have_text("I like drawing with my grandma.")

    page.get_by_role("button", name="Draw").click()
    draw(page)
    drawing = page.locator("#panel-drawing")
    expect(drawing.get_by_role("button", name="Undo")).to_be_enabled()
    drawing.get_by_label("Tell us about your drawing, if you want to").fill("Me and my dog")
    drawing.get_by_text("My family too").click()
    drawing.get_by_role("button", name="Send").click()
    picture = page.locator(".cs-thing--drawing img.cs-thing__thumb")
    expect(picture).to_have_attribute("alt", "Your drawing: Me and my dog")
    page.wait_for_function(
        "() => { const img = document.querySelector('.cs-thing--drawing img.cs-thing__thumb');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    expect(page.locator("[data-outbox]")).to_be_hidden()
    assert outbox(page) == []

    voice_note, picture_item = stored(space_app, omar.child_id)
    assert voice_note.kind == "voice" and voice_note.media_id
    assert voice_note.transcript.status is TranscriptStatus.CONFIRMED
    assert voice_note.transcript.confirmed_by_child
    assert voice_note.transcript.confirmed_text == "I like drawing with my grandma."
    assert "drawing" in (voice_note.transcript.machine_text or "").lower()
    assert picture_item.kind == "drawing" and picture_item.thumbnail_media_id
    assert picture_item.sharing == "my_family_too" and picture_item.text == "Me and my dog"
    # The pad is opaque: the page sends an RGB picture on white paper.
    with space_app.app_context():
        stored_png = media_store().get(picture_item.media_id)
    with Image.open(io.BytesIO(stored_png)) as picture_file:
        assert picture_file.mode == "RGB"
        assert picture_file.getpixel((0, 0)) == (255, 255, 255)


#: Count the PNG encodes the page asks of its canvases.
COUNT_PNG_ENCODES = """
window.__pngEncodes = 0;
const encode = HTMLCanvasElement.prototype.toBlob;
HTMLCanvasElement.prototype.toBlob = function (...args) {
  window.__pngEncodes += 1;
  return encode.apply(this, args);
};
"""


def test_a_drawing_tapped_twice_on_send_is_sent_once_and_next_does_not_encode_it(
    tablet: BrowserContext, space_app: Flask, invite
) -> None:
    """A young child taps twice: one drawing arrives. "Next" only checks that something is
    drawn; the picture is encoded once, when it is sent."""
    lily = invite("Lily", age=6)
    tablet.add_init_script(COUNT_PNG_ENCODES)
    page = tablet.new_page()
    open_space(page, lily)
    page.get_by_role("button", name="Draw").click()
    draw(page)
    drawing = page.locator("#panel-drawing")
    drawing.get_by_role("button", name="Next").click()
    expect(drawing.get_by_text("Only my worker", exact=True)).to_be_visible()
    assert page.evaluate("window.__pngEncodes") == 0
    drawing.get_by_role("button", name="Send").dblclick()
    expect(page.locator(".cs-thing--drawing")).to_have_count(1)
    page.wait_for_function("() => !document.querySelector('[data-outbox]:not([hidden])')")
    assert outbox(page) == []
    assert [item.kind for item in stored(space_app, lily.child_id)] == ["drawing"]
    assert page.evaluate("window.__pngEncodes") == 1


def test_an_upload_cut_off_by_the_network_waits_in_the_outbox_and_arrives_once(
    tablet: BrowserContext, space_app: Flask, invite
) -> None:
    jade = invite("Jade", age=14)
    page = tablet.new_page()
    open_space(page, jade)
    words = page.locator("#panel-text")  # the teenage space opens on writing
    expect(words).to_be_visible()
    words.get_by_label("Your words").fill("I want to stay at my school.")
    words.get_by_text("Only my social worker").click()

    tablet.set_offline(True)
    words.get_by_role("button", name="Send").click()
    page.get_by_role("button", name="Voice note").click()
    record(page, seconds=2.5)
    voice = page.locator("#panel-voice")
    voice.get_by_text("Only my social worker").click()
    voice.get_by_role("button", name="Send").click()

    waiting = page.locator("[data-outbox]")
    expect(waiting).to_be_visible()
    expect(waiting.locator("li")).to_have_count(2)
    expect(waiting.get_by_text("Not sent yet.").first).to_be_visible()
    kept = outbox(page)
    assert sorted(kind for _space, kind, _text in kept) == ["text", "voice"]
    page.wait_for_timeout(1500)  # retries meanwhile fail too
    assert stored(space_app, jade.child_id) == []

    tablet.set_offline(False)  # the "online" event sends the outbox at once
    # The test server transcribes the recording inside the upload request (an immediate
    # queue), which takes seconds on a busy 2-core machine: wait as long as a child would.
    expect(waiting).to_be_hidden(timeout=60_000)
    expect(page.locator(".cs-thing")).to_have_count(2, timeout=60_000)
    assert outbox(page) == []
    kept_on_server = stored(space_app, jade.child_id)
    assert sorted(c.kind for c in kept_on_server) == ["text", "voice"]
    assert {c.text for c in kept_on_server if c.kind == "text"} == {"I want to stay at my school."}

    # The answer is lost on the way back although the server stored the item: the retry
    # carries the same client_id, so it is still stored once.
    answers_lost = {"count": 0}

    def lose_the_first_answer(route: Any) -> None:
        if answers_lost["count"] == 0:
            answers_lost["count"] += 1
            route.fetch()  # reaches the server, which stores it
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/me/contributions", lose_the_first_answer)
    page.get_by_role("button", name="Write").click()
    words.get_by_label("Your words").fill("Please tell my mum.")
    words.get_by_text("Only my social worker").click()
    words.get_by_role("button", name="Send").click()
    expect(page.locator(".cs-thing")).to_have_count(3)
    expect(waiting).to_be_hidden()
    page.unroute("**/me/contributions")
    page.reload()
    expect(page.locator(".cs-thing")).to_have_count(3)
    texts = [c.text for c in stored(space_app, jade.child_id)]
    assert texts.count("Please tell my mum.") == 1 and len(texts) == 3
    assert answers_lost["count"] == 1


def test_an_ended_session_keeps_the_outbox_for_that_child_only(
    tablet: BrowserContext, space_app: Flask, invite
) -> None:
    ava = invite("Ava", age=9)
    ben = invite("Ben", age=9)
    page = tablet.new_page()
    open_space(page, ava)
    page.wait_for_load_state("networkidle")  # no late answer may bring the cookie back
    tablet.clear_cookies()  # the session ends (idle timeout, or the worker revoked it)
    page.get_by_role("button", name="Write").click()
    page.locator("#panel-text").get_by_label("Your words").fill("Ava's words")
    page.locator("#panel-text").get_by_role("button", name="Send").click()
    expect(page.locator("[data-session-ended]")).to_be_visible()
    expect(page.locator("[data-outbox]")).to_contain_text("Please ask your worker for a new code.")
    assert [text for _s, _k, text in outbox(page)] == ["Ava's words"]

    # Another child on the same tablet: Ava's words are neither sent as Ben's nor shown.
    page.goto("/join")
    page.get_by_label("Your code").fill(ben.code)
    page.get_by_role("button", name="Come in").click()
    expect(page).to_have_url(re.compile(r"/me$"))
    expect(page.locator("[data-outbox]")).to_be_hidden()
    page.wait_for_timeout(1000)
    assert stored(space_app, ben.child_id) == [] and len(outbox(page)) == 1

    # Ava comes back with her code: her words go, once, as hers.
    page.wait_for_load_state("networkidle")
    tablet.clear_cookies()
    open_space(page, ava)
    expect(page.locator(".cs-thing")).to_have_count(1)
    assert [c.text for c in stored(space_app, ava.child_id)] == ["Ava's words"]
    assert outbox(page) == []


def test_i_dont_feel_safe_is_sent_at_once_and_the_child_is_told_a_grown_up_will_know(
    tablet: BrowserContext, space_app: Flask, invite
) -> None:
    mia = invite("Mia", age=6)
    page = tablet.new_page()
    open_space(page, mia)
    page.get_by_role("button", name="I don't feel safe").click()
    unsafe = page.locator("#panel-unsafe")
    expect(unsafe.get_by_role("heading")).to_have_text("Thank you for telling us")
    expect(unsafe.get_by_text("A grown-up has been told.")).to_be_visible()
    (flag,) = stored(space_app, mia.child_id)
    assert flag.flagged_unsafe and flag.kind == "text" and flag.sharing == "my_worker"
    # What she adds goes to her worker as well, once, however often she taps.
    unsafe.get_by_label("Do you want to tell us more? You don't have to.").fill(
        "The big boy at the park"
    )
    unsafe.get_by_role("button", name="Send").dblclick()
    expect(unsafe.get_by_label("Do you want to tell us more? You don't have to.")).to_have_value("")
    expect(page.locator("[data-outbox]")).to_be_hidden()
    flag, more = stored(space_app, mia.child_id)
    assert more.flagged_unsafe and more.text == "The big boy at the park"


def test_an_early_band_screen_in_arabic_reads_right_to_left_and_passes_axe(
    tablet: BrowserContext, invite
) -> None:
    layla = invite("Layla", age=6, language="ar")
    page = tablet.new_page()
    open_space(page, layla)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert page.locator("body").get_attribute("class").split()[-1] == "band-early"
    tiles = page.locator(".cs-tile")
    first, second = tiles.nth(0).bounding_box(), tiles.nth(1).bounding_box()
    assert first and second and first["x"] > second["x"], "the tiles do not run right to left"
    for tile in tiles.all():
        box = tile.bounding_box()
        assert box and box["width"] >= 64 and box["height"] >= 64
    # No Arabic voice on this machine: the server's audio reads the prompts (read_aloud),
    # and the greeting with the child's name in it, spoken for her on demand.
    expect(page.locator("body")).to_have_attribute("data-read-aloud", "server")
    expect(page.locator("[data-speech-notice]")).to_be_hidden()
    expect(page.locator("button[data-speak='hello-title']")).to_be_enabled()
    expect(page.locator("button[data-speak='who-sees']")).to_be_enabled()
    assert_no_serious_axe_violations(page, "the early band's first screen in Arabic")

    # One question a screen: the faces, then who may see it.
    tiles.nth(2).click()
    expect(page.locator(".cs-menu")).to_be_hidden()
    feelings = page.locator("#panel-feeling")
    feelings.locator(".cs-choice").first.click()
    assert_no_serious_axe_violations(page, "the faces screen in Arabic")
    feelings.locator("[data-action='next']").click()
    expect(feelings.locator(".cs-sharing")).to_be_visible()
    expect(feelings.locator(".cs-faces")).to_be_hidden()
    assert_no_serious_axe_violations(page, "who-can-see-this in Arabic")


def test_reading_aloud_uses_a_voice_for_the_page_language_and_no_other(
    mic_browser: Browser, space_server: str, invite
) -> None:
    context = mic_browser.new_context(base_url=space_server, locale="en-GB")
    context.add_init_script(ENGLISH_VOICES_ONLY)
    try:
        page = context.new_page()
        open_space(page, invite("Noah", age=6))
        listen = page.locator("button[data-speak='hello-title']")
        expect(listen).to_be_enabled()
        expect(page.locator("[data-speech-notice]")).to_be_hidden()
        listen.click()
        spoken = page.evaluate("() => window.__spoken")
        assert spoken == [{"text": "Hello, Noah!", "lang": "en-GB", "voice": "Test English"}]
        # The early band reads each new screen's question aloud.
        page.get_by_role("button", name="Talk").click()
        spoken = page.evaluate("() => window.__spoken")
        assert spoken[-1] == {
            "text": "Tell me with your voice",
            "lang": "en-GB",
            "voice": "Test English",
        }

        # In Welsh there is no voice here: nothing is read in English instead; the server's
        # Welsh audio reads the prompts (read_aloud), the greeting with Noah's name too.
        page.locator("form.language-switcher button[value=cy]").click()
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        expect(page.locator("body")).to_have_attribute("data-read-aloud", "server")
        expect(listen).to_be_enabled()
        listen.click()
        expect(page.locator("body")).to_have_attribute("data-read-aloud-last", "server")
        page.locator(".cs-tile").first.click()
        expect(page.locator("#panel-voice")).to_be_visible()
        expect(page.locator("body")).to_have_attribute("data-read-aloud-last", "server")
        assert page.evaluate("() => window.__spoken") == []
    finally:
        context.close()


def test_the_practitioner_who_handed_over_needs_their_password_to_come_back(
    tablet: BrowserContext, invite
) -> None:
    eli = invite("Eli", age=11)
    page = tablet.new_page()
    page.goto("/login")
    page.get_by_label("Email address").fill("worker@space.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.goto(f"/children/{eli.child_id}/invitations")
    page.get_by_role("button", name="Hand over now").click()
    expect(page).to_have_url(re.compile(r"/me$"))
    page.get_by_role("link", name="Give the tablet back").click()
    page.get_by_label("Password").fill("not it")
    page.get_by_role("button", name="Go back to my view").click()
    expect(page.get_by_role("alert")).to_have_text("That password is not right.")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Go back to my view").click()
    expect(page).to_have_url(re.compile(rf"/children/{eli.child_id}/contributions$"))
