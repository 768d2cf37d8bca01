"""Read-aloud on a tablet with no voice, recorded prompts heard first, and symbols mode,
in real Chromium (the shared ``browser``), with axe in English and Arabic.

Headless Chromium has no speech voices; the init script makes sure of it (and notes any
use of speechSynthesis), and notes every sound the page plays instead.
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from flask_babel import force_locale, gettext
from flask_migrate import upgrade
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.conftest import test_config
from tests.e2e.conftest import serving
from tests.e2e.test_child_space import (  # noqa: F401 - fixtures used here
    WATCH_MICROPHONE,
    mic_browser,
    microphone_clip,
)
from voice_app import create_app
from voice_app.accounts import services as accounts
from voice_app.accounts.invitations import create_invitation
from voice_app.children import services as children
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.read_aloud import services as read_aloud
from voice_app.read_aloud.prompts import digest, normalise

pytestmark = pytest.mark.browser

#: No voice at all (as headless Chromium), speechSynthesis use noted; sounds played noted
#: and "finished" at once, so a test never waits on the machine's sound card.
NO_VOICES = """(() => {
  window.__spoken = [];
  window.__played = [];
  Object.defineProperty(window, "speechSynthesis", { configurable: true, value: {
    getVoices: () => [], addEventListener() {}, removeEventListener() {}, cancel() {},
    speak(u) { window.__spoken.push(u.text); },
  }});
  HTMLMediaElement.prototype.play = function () {
    window.__played.push(new URL(this.src).pathname);
    setTimeout(() => this.dispatchEvent(new Event("ended")), 5);
    return Promise.resolve();
  };
})();"""

#: How long the sound at ``url`` lasts, decoded by Chromium itself.
DECODED_SECONDS = """async (url) => {
  const body = await (await fetch(url)).arrayBuffer();
  const sound = await new OfflineAudioContext(1, 16000, 16000).decodeAudioData(body);
  return sound.duration;
}"""

#: Visible buttons, picture choices and questions with no visible picture in them.
WITHOUT_PICTURES = """(root) => {
  const seen = (el) => el.checkVisibility();
  const missing = [];
  const scope = document.querySelector(root);
  for (const el of scope.querySelectorAll("button, .cs-choice, .cs-prompt, a.cs-button")) {
    if (!seen(el) || el.matches(".cs-speak")) continue;
    // A question's picture is its own (.cs-symbol beside it), not the Back button's.
    const pictures = el.matches(".cs-prompt")
      ? el.parentElement.querySelectorAll(":scope > .cs-symbol") : el.querySelectorAll("img");
    if (![...pictures].some(seen)) {
      missing.push(el.textContent.replace(/\\s+/g, " ").trim().slice(0, 40));
    }
  }
  return missing;
}"""


@pytest.fixture(scope="module")
def aloud_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    folder = tmp_path_factory.mktemp("read-aloud")
    flask_app = create_app(test_config(folder, f"sqlite:///{folder / 'aloud.sqlite3'}"))
    with flask_app.app_context():
        upgrade()
        accounts.create_user(
            email="sam@aloud.example",
            name="Sam Okafor",
            post_title="Social Worker",
            role=Role.PRACTITIONER,
            password="correct horse battery staple",
            team=accounts.create_team("Read-aloud team"),
        )
        db.session.commit()
        db.session.remove()
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def aloud_server(aloud_app: Flask) -> Iterator[str]:
    with serving(aloud_app, "read-aloud") as url:
        yield url


@pytest.fixture
def tablet(browser: Browser, aloud_server: str) -> Iterator[BrowserContext]:
    context = browser.new_context(
        base_url=aloud_server, viewport={"width": 768, "height": 1024}, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    context.add_init_script(NO_VOICES)
    try:
        yield context
    finally:
        context.close()


def invite(app: Flask, *, age: int, language: str, uses_symbols: bool | None = None) -> str:
    with app.app_context():
        sam = accounts.find_user_by_email("sam@aloud.example")
        assert sam is not None
        details: dict[str, Any] = dict.fromkeys(children.DETAIL_FIELDS)
        details.update(
            reference=f"RA-{uuid.uuid4().hex[:8]}",
            full_name="Nia Test",
            preferred_name="Nia",
            date_of_birth=date.today().replace(year=date.today().year - age) - timedelta(days=40),
            preferred_language=language,
            uses_symbols=uses_symbols,
        )
        child = children.create_child(details, sam)
        token = create_invitation(child, "aloud", sam, timedelta(days=1)).token
        db.session.commit()
        db.session.remove()
        return token


def played(page: Page) -> list[str]:
    return page.evaluate("() => window.__played")


def assert_axe_clean(page: Page, what: str) -> None:
    violations = Axe().run(page).response["violations"]
    severe = [v for v in violations if v.get("impact") in ("serious", "critical")]
    report = "\n".join(f"- {v['id']}: {[n['target'] for n in v['nodes']]}" for v in severe)
    assert not severe, f"axe on {what}:\n{report}"


def test_with_no_voice_the_prompts_are_read_from_the_server(tablet, aloud_app) -> None:
    page = tablet.new_page()
    page.goto(f"/i/{invite(aloud_app, age=6, language='en')}")
    expect(page.locator("body")).to_have_attribute("data-read-aloud", "server")
    expect(page.locator("[data-speech-notice]")).to_be_hidden()

    page.locator("button[data-speak='who-sees']").click()
    expect(page.locator("body")).to_have_attribute("data-read-aloud-last", "server")
    first = played(page)[-1]
    assert first.startswith("/read-aloud/en/") and first.endswith(".ogg")
    assert page.evaluate(DECODED_SECONDS, first) > 2  # real speech, playable in Chromium

    # Early band: the question speaks itself when its screen opens; a face touched says its name.
    page.locator(".cs-tile[data-open='feeling']").click()
    page.wait_for_function("() => window.__played.length >= 2")
    with aloud_app.test_request_context():
        index = read_aloud.audio_index("en")
    assert played(page)[-1] == index["How do you feel?"]["url"]
    page.locator("#panel-feeling .cs-choice").first.click()
    page.wait_for_function("() => window.__played.length >= 3")
    label = page.locator("#panel-feeling .cs-choice__label").first.inner_text()
    assert played(page)[-1] == index[normalise(label)]["url"]
    assert page.evaluate("() => window.__spoken") == []


#: A device that cannot play Ogg/Vorbis (as older Safari): it asks for the fallback.
NO_OGG = """HTMLMediaElement.prototype.canPlayType = function (type) {
  return /ogg/i.test(type) ? "" : "maybe";
};"""


def test_the_childs_name_is_read_from_the_server_and_mp3_where_ogg_cannot_play(
    tablet, aloud_app
) -> None:
    tablet.add_init_script(NO_OGG)
    page = tablet.new_page()
    page.goto(f"/i/{invite(aloud_app, age=9, language='cy')}")
    expect(page.locator("body")).to_have_attribute("data-read-aloud", "server")
    expect(page.locator("#hello-title")).to_contain_text("Nia")
    # "Hello, Nia!" has a name in it: it can be heard only if the server speaks it.
    hello = page.locator("button[data-speak='hello-title']")
    expect(hello).to_be_enabled()
    hello.click()
    expect(page.locator("body")).to_have_attribute("data-read-aloud-last", "server")
    heard = played(page)[-1]
    assert heard.startswith("/read-aloud/children/") and heard.endswith(".mp3"), heard
    assert "nia" not in heard.lower()
    assert page.evaluate(DECODED_SECONDS, heard) > 0.5  # real speech, decoded by Chromium
    # The fixed prompts come as MP3 on this device too, never as WAV.
    page.locator("button[data-speak='who-sees']").click()
    page.wait_for_function("() => window.__played.length >= 2")
    assert played(page)[-1].startswith("/read-aloud/cy/") and played(page)[-1].endswith(".mp3")
    assert page.evaluate(DECODED_SECONDS, played(page)[-1]) > 1


def test_a_published_recording_is_heard_before_any_voice(tablet, aloud_app) -> None:
    with aloud_app.app_context(), force_locale("pl"):
        text = normalise(gettext("How do you feel?"))
        sam = accounts.find_user_by_email("sam@aloud.example")
        assert sam is not None
        wav = subprocess.run(
            ["espeak-ng", "-v", "pl", "--stdout", text], capture_output=True, check=True
        ).stdout
        ogg = subprocess.run(
            ["sox", "-t", "wav", "-", "-t", "ogg", "-"], input=wav, capture_output=True, check=True
        ).stdout
        take = read_aloud.record_prompt("pl", digest("pl", text), ogg, sam)
        read_aloud.publish(take, sam)
        db.session.commit()
        take_id = take.id
        db.session.remove()
    page = tablet.new_page()
    page.goto(f"/i/{invite(aloud_app, age=6, language='pl')}")
    page.locator(".cs-tile[data-open='feeling']").click()
    page.wait_for_function("() => window.__played.length >= 1")
    assert played(page)[-1] == f"/read-aloud/recordings/{take_id}"
    expect(page.locator("body")).to_have_attribute("data-read-aloud-last", "recording")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_symbols_mode_puts_a_picture_on_everything_and_reads_each_question(
    tablet, aloud_app, language
) -> None:
    """A ten-year-old who uses symbols: the middle band's space, pictures first."""
    page = tablet.new_page()
    page.goto(f"/i/{invite(aloud_app, age=10, language=language, uses_symbols=True)}")
    body = page.locator("body")
    assert "cs-symbols" in (body.get_attribute("class") or "").split()
    hello = page.locator(".cs-hello__row .cs-symbol")
    expect(hello).to_be_visible()
    assert page.evaluate(WITHOUT_PICTURES, "#main") == []
    assert_axe_clean(page, f"symbols mode's home in {language}")

    for kind in ("feeling", "house", "text"):
        before = len(played(page))
        page.locator(f".cs-tile[data-open='{kind}']").click()
        panel = f"#panel-{kind}"
        expect(page.locator(f"{panel} .cs-panel__head .cs-symbol")).to_be_visible()
        page.wait_for_function(f"() => window.__played.length > {before}")
        assert page.evaluate(WITHOUT_PICTURES, panel) == [], kind
        # The picture large, the word small.
        picture = page.locator(f"{panel} .cs-panel__head .cs-symbol").bounding_box()
        assert picture and picture["width"] >= 64
        if kind != "text":
            choice = page.locator(f"{panel} .cs-choice").first
            face = choice.locator("img").first.bounding_box()
            assert face and face["width"] >= 100
            size = choice.locator(".cs-choice__label").evaluate(
                "(el) => parseFloat(getComputedStyle(el).fontSize)"
            )
            assert size < face["height"] / 4
            before = len(played(page))
            choice.click()
            page.wait_for_function(f"() => window.__played.length > {before}")
        assert_axe_clean(page, f"symbols mode's {kind} panel in {language}")
    assert page.evaluate("() => window.__spoken") == []
    page.locator(".cs-footer a").click()
    expect(page.locator("main")).to_contain_text("OpenMoji")
    expect(page.locator("main")).to_contain_text("CC BY-SA 4.0")
    assert_axe_clean(page, f"the about page in {language}")


def test_out_of_symbols_mode_the_questions_have_no_picture(tablet, aloud_app) -> None:
    page = tablet.new_page()
    page.goto(f"/i/{invite(aloud_app, age=10, language='en')}")
    assert "cs-symbols" not in (page.locator("body").get_attribute("class") or "").split()
    page.locator(".cs-tile[data-open='feeling']").click()
    expect(page.locator("#panel-feeling .cs-panel__head .cs-symbol")).to_be_hidden()
    assert page.evaluate(WITHOUT_PICTURES, "#panel-feeling") != []
    # The middle band does not read questions out by itself.
    page.wait_for_timeout(300)
    assert played(page) == []


def aled_signs_in(context: BrowserContext, app: Flask) -> Page:
    """Aled, an interpreter of Sam's team (made the first time), signed in on a new page."""
    with app.app_context():
        if accounts.find_user_by_email("aled@aloud.example") is None:
            sam = accounts.find_user_by_email("sam@aloud.example")
            assert sam is not None
            accounts.create_user(
                email="aled@aloud.example",
                name="Aled Jones",
                post_title="Interpreter",
                role=Role.INTERPRETER,
                password="correct horse battery staple",
                team=sam.team,
            )
            db.session.commit()
        db.session.remove()
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=email]", "aled@aloud.example")
    page.fill("input[name=password]", "correct horse battery staple")
    page.locator("form button[type=submit]").last.click()
    return page


@pytest.mark.parametrize("language", ["en", "ar"])
def test_an_interpreter_records_a_prompt_from_the_page_listing_them(
    browser: Browser, aloud_server: str, aloud_app: Flask, tmp_path, language
) -> None:
    """The page lists every prompt with what each language still lacks; a take uploaded
    there plays back, and once published the prompt says a person recorded it."""
    context = browser.new_context(base_url=aloud_server, locale="en-GB")
    context.set_default_timeout(10_000)
    try:
        page = aled_signs_in(context, aloud_app)
        # Always choose: the choice is kept on the account, and another language's run of
        # this test may have chosen Welsh for the same interpreter before this one.
        page.locator(f"form.language-switcher button[value={language}]").first.click()
        expect(page.locator("html")).to_have_attribute("lang", language)
        page.get_by_role("link", name=_in(aloud_app, language, "Prompts read aloud")).click()
        expect(
            page.locator("[data-coverage] tr[data-language='cy'] [data-without-audio]")
        ).to_have_text("0")
        page.goto("/read-aloud/prompts?language=pl")
        first = page.locator("li.prompt").first
        key = first.get_attribute("data-prompt")
        take = tmp_path / "take.ogg"
        with aloud_app.app_context(), aloud_app.test_request_context():
            from voice_app.read_aloud.prompts import prompts_in

            text = prompts_in("pl")[key or ""]
        wav = subprocess.run(
            ["espeak-ng", "-v", "pl", "--stdout", text], capture_output=True, check=True
        ).stdout
        take.write_bytes(
            subprocess.run(
                ["sox", "-t", "wav", "-", "-t", "ogg", "-"],
                input=wav,
                capture_output=True,
                check=True,
            ).stdout
        )
        recorded = page.locator(f"li.prompt[data-prompt='{key}'] [data-take]")
        before = recorded.count()
        first.locator("input[type=file]").set_input_files(str(take))
        first.locator("form[data-record-prompt] button[type=submit]").click()
        expect(recorded).to_have_count(before + 1)
        newest = recorded.first  # the newest take is listed first
        expect(newest.locator("audio")).to_be_visible()
        assert_axe_clean(page, f"the prompts page in {language}")
        newest.locator("button[type=submit]").click()
        expect(page.locator(f"li.prompt[data-prompt='{key}'] .prompt__status")).to_have_text(
            _in(aloud_app, language, "Recorded by a person")
        )
    finally:
        context.close()


def _in(app: Flask, language: str, msgid: str) -> str:
    with app.app_context(), force_locale(language):
        return gettext(msgid)


def test_a_double_click_on_record_opens_the_microphone_once(
    mic_browser: Browser,  # noqa: F811
    aloud_server: str,
    aloud_app: Flask,
) -> None:
    """A second click while the microphone is opening must not open a second one, which
    nothing would ever close."""
    context = mic_browser.new_context(base_url=aloud_server, locale="en-GB")
    context.add_init_script(WATCH_MICROPHONE)
    try:
        page = aled_signs_in(context, aloud_app)
        expect(page.locator("header .who__name")).to_be_visible()
        page.goto("/read-aloud/prompts?language=pl")
        record = page.locator("form[data-record-prompt] button[type=button]").first
        record.dblclick()
        page.wait_for_function("() => window.__streams.length > 0")
        page.wait_for_timeout(300)  # time for a second microphone to open, if one were
        assert page.evaluate("window.__streams.length") == 1
    finally:
        context.close()
