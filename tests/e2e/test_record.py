"""The practitioner's record in real Chromium: attaching a child's confirmed recording to
the chronology with a consent decision, and axe-core's checks of the chronology."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, Route, expect
from sqlalchemy import select

from tests.e2e.test_practitioner_pages import (
    PRACTITIONER,
    assert_no_serious_axe_violations,
    choose_language,
    open_child,
    sign_in,
)
from voice_app.children.models import Child
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    SharingChoice,
    Transcript,
    TranscriptStatus,
)
from voice_app.core.db import utcnow
from voice_app.core.demo import DEMO_PASSWORD
from voice_app.extensions import db
from voice_app.record.models import RecordEntry

pytestmark = pytest.mark.browser

#: What Maya said, as she confirmed it: unusual enough that nothing else could produce it.
MAYAS_WORDS = "I want Nana Rose's «blue» kitchen — every Sunday, 3½ hours!"


def confirmed_recording(app: Flask, words: str) -> int:
    """A recording of Maya's whose transcript she has confirmed, as the worker left it."""
    with app.app_context():
        maya = db.session.scalar(select(Child).where(Child.full_name == "Maya Thompson"))
        assert maya is not None
        contribution = Contribution(
            child_id=maya.id,
            client_id=str(uuid.uuid4()),
            kind=ContributionKind.VOICE,
            author_kind=AuthorKind.CHILD,
            language="en",
            sharing=SharingChoice.MY_MEETING,
            transcript=Transcript(
                status=TranscriptStatus.CONFIRMED,
                machine_text="I want none of those blue kitchen",
                confirmed_text=words,
                confirmed_by_child=True,
                confirmed_at=utcnow(),
            ),
        )
        db.session.add(contribution)
        db.session.commit()
        contribution_id = contribution.id
        db.session.remove()
    return contribution_id


def test_a_practitioner_attaches_a_recording_with_consent_and_sees_it_in_the_chronology(
    page: Page, live_app: Flask
) -> None:
    contribution_id = confirmed_recording(live_app, MAYAS_WORDS)
    sign_in(page)
    open_child(page, "Maya Thompson")
    page.get_by_role("link", name="Their words, recordings and drawings").click()
    card = page.locator(f"#c{contribution_id}")
    expect(card.locator("blockquote")).to_have_text(MAYAS_WORDS)

    card.get_by_role("link", name="Add to the record").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Add to the record")
    expect(page.locator("blockquote.childs-words")).to_have_text(MAYAS_WORDS)
    page.get_by_label("Whose consent?").select_option("child")
    page.get_by_label("What information is the decision about?").fill("What Maya wants for Sundays")
    page.get_by_label("Share with the meeting (for example a conference)").check()
    page.get_by_label("The answer").select_option("given")
    page.get_by_role("button", name="Add to the record with this decision").click()

    expect(page).to_have_url(re.compile(r"/children/\d+/record#entry-\d+$"))
    expect(page.locator(".flash--success")).to_contain_text("is entry")
    # The entry the page was sent to: the demo has Maya's earlier words in the record too.
    anchor = page.url.rsplit("#", 1)[1]
    entry = page.locator(f"li.entry#{anchor}")
    expect(entry.locator("blockquote.childs-words")).to_have_text(MAYAS_WORDS)
    expect(entry.locator("blockquote.childs-words")).to_have_attribute("dir", "auto")
    expect(entry).to_contain_text("Consent given")
    expect(entry).to_contain_text("The people at their meeting")
    expect(entry).to_contain_text("What Maya wants for Sundays")
    expect(entry).to_contain_text("Sam Okafor, Social Worker")
    # The demo chronology is there too: a late entry says so, a corrected one links onwards.
    expect(page.get_by_text("Late entry").first).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("see the correction, entry"))).to_be_visible()


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_the_chronology_has_no_serious_accessibility_problems(page: Page, locale: str) -> None:
    sign_in(page)
    open_child(page, "Maya Thompson")
    page.get_by_role("link", name="Chronology: the record").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("chronology")
    choose_language(page, locale)
    assert_no_serious_axe_violations(page, f"the chronology ({locale})")
    if locale == "ar":
        choose_language(page, "en")


def write_an_entry_for_maya(page: Page, words: str) -> None:
    """Signed in as Sam, the new entry form for Maya filled in, not yet sent."""
    sign_in(page)
    open_child(page, "Maya Thompson")
    page.goto(page.url.split("#", 1)[0].rstrip("/") + "/record/new")
    page.get_by_label("When it happened").fill(utcnow().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Entry", exact=True).fill(words)


def stored_once_and_shown(page: Page, app: Flask, words: str) -> None:
    """The chronology shows the entry once, and the database holds it once."""
    expect(page).to_have_url(re.compile(r"/children/\d+/record#entry-\d+$"))
    expect(page.get_by_text(words)).to_have_count(1)
    with app.app_context():
        stored = db.session.scalars(select(RecordEntry.id).where(RecordEntry.body == words)).all()
        db.session.remove()
    assert len(stored) == 1


def test_a_record_entry_sent_twice_from_its_page_is_added_once(page: Page, live_app: Flask) -> None:
    """The record is append-only: "Add to the record" pressed again while the first press
    is on its way (a double click, a second tap on a slow link) sends nothing more."""
    words = f"Home visit, pressed twice {uuid.uuid4().hex[:8]}"
    write_an_entry_for_maya(page, words)
    sent: list[str] = []
    page.on(
        "request", lambda request: sent.append(request.url) if request.method == "POST" else None
    )
    # Two presses in one go.
    with page.expect_navigation():
        page.evaluate(
            """() => {
              const button = [...document.querySelectorAll("main form button[type=submit]")]
                .find((b) => b.textContent.trim() === "Add to the record");
              button.form.requestSubmit(button);
              button.form.requestSubmit(button);
            }"""
        )
    stored_once_and_shown(page, live_app, words)
    assert len([url for url in sent if url.endswith("/record/new")]) == 1


def test_an_entry_whose_answer_was_lost_is_kept_once_when_the_browser_sends_it_again(
    page: Page, live_app: Flask
) -> None:
    """On a weak link the entry can reach the server and its answer never come back. The
    browser's Reload then sends the same form again: it must not add the entry twice."""
    words = f"Home visit, answer lost {uuid.uuid4().hex[:8]}"
    write_an_entry_for_maya(page, words)
    sent: list[str] = []

    def lose_the_first_answer(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        sent.append(route.request.post_data or "")
        if len(sent) == 1:
            route.fetch()  # the server stores it...
            route.abort("connectionreset")  # ...and the answer is lost on the way back
        else:
            route.continue_()

    page.route(re.compile(r"/record/new$"), lose_the_first_answer)
    page.get_by_role("button", name="Add to the record").click()
    page.wait_for_timeout(500)
    page.reload()

    expect(page.get_by_text("This was sent twice and kept once.")).to_be_visible()
    expect(page.get_by_text(words)).to_have_count(1)
    assert len(sent) == 2
    ids = [re.search(r"submission_id=([0-9a-f-]+)", body) for body in sent]
    assert ids[0] and ids[1] and ids[0].group(1) == ids[1].group(1)
    with live_app.app_context():
        stored = db.session.scalars(select(RecordEntry.id).where(RecordEntry.body == words)).all()
        db.session.remove()
    assert len(stored) == 1


MANAGER = "manager@demo.example"
KEPT = "What you typed before you signed in again is back in this form."
WAITING = "What you typed is kept in this browser tab"


def session_ends_and_the_entry_is_sent(page: Page) -> str:
    """The session ends while the entry is written (idle, the device asleep: the cookie is
    gone), then "Add to the record" is pressed: the form is not taken. Returns its page."""
    form_page = page.url
    page.wait_for_load_state("networkidle")  # no answer still on its way renews the cookie
    page.context.clear_cookies()
    with page.expect_navigation():  # once the words are sealed, the form goes: the answer
        page.get_by_role("button", name="Add to the record").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/record/new" in page.url or "/login" in page.url
    return form_page


def sign_in_from_the_form_page(page: Page, form_page: str, email: str) -> None:
    """Back to the form's page, which asks for the sign-in first, then comes back."""
    page.goto(form_page)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()


def kept_in_the_tab(page: Page) -> object:
    return page.evaluate("() => sessionStorage.getItem('voice_app.typed_words')")


def test_an_entry_written_while_the_session_ended_comes_back_after_signing_in_again(
    page: Page, live_app: Flask
) -> None:
    """A long note written past the idle limit is not lost: after signing in again the
    practitioner finds it back in the form, says so, and sends it once."""
    words = f"A long home visit note, written slowly {uuid.uuid4().hex[:8]}"
    write_an_entry_for_maya(page, words)
    form_page = session_ends_and_the_entry_is_sent(page)
    waiting = kept_in_the_tab(page)
    # Sealed: neither this page nor the sign-in page holds the key to read it.
    assert isinstance(waiting, str) and "written slowly" not in waiting
    assert page.locator('meta[name="typed-words-key"]').count() == 0
    # The page that did not take the form says the words are not lost.
    expect(page.get_by_text(WAITING)).to_be_visible()

    sign_in_from_the_form_page(page, form_page, PRACTITIONER)

    expect(page).to_have_url(form_page)
    expect(page.get_by_label("Entry", exact=True)).to_have_value(words)
    expect(page.get_by_text(KEPT)).to_be_visible()
    expect(page.get_by_text(WAITING)).to_have_count(0)
    assert kept_in_the_tab(page) is None  # put back once, then forgotten
    page.get_by_role("button", name="Add to the record").click()
    stored_once_and_shown(page, live_app, words)


#: A busy device: sealing the words takes longer than the server takes to answer.
SLOW_SEALING = """
const encrypt = crypto.subtle.encrypt.bind(crypto.subtle);
crypto.subtle.encrypt = (...args) =>
  new Promise((resolve) => setTimeout(resolve, 600)).then(() => encrypt(...args));
"""


def test_words_are_kept_even_when_sealing_them_is_slower_than_the_answer(page: Page) -> None:
    """The form waits for its words to be sealed before it goes: the answer replacing the
    page first would lose them."""
    page.context.add_init_script(SLOW_SEALING)
    words = f"Sealed slowly on a busy laptop {uuid.uuid4().hex[:8]}"
    write_an_entry_for_maya(page, words)
    form_page = session_ends_and_the_entry_is_sent(page)
    assert isinstance(kept_in_the_tab(page), str)

    sign_in_from_the_form_page(page, form_page, PRACTITIONER)

    expect(page.get_by_label("Entry", exact=True)).to_have_value(words)


def test_an_entry_that_was_taken_is_not_put_back_and_nobody_else_gets_one_back(
    page: Page,
) -> None:
    words = f"Taken at once {uuid.uuid4().hex[:8]}"
    write_an_entry_for_maya(page, words)
    form_page = page.url
    page.get_by_role("button", name="Add to the record").click()
    expect(page).to_have_url(re.compile(r"/record#entry-\d+$"))
    assert kept_in_the_tab(page) is None
    page.goto(form_page)
    expect(page.get_by_label("Entry", exact=True)).to_have_value("")
    expect(page.get_by_text(KEPT)).to_have_count(0)

    # Sent after the session ended, then someone else signs in on this tab.
    page.get_by_label("Entry", exact=True).fill(f"Not for anyone else {words}")
    session_ends_and_the_entry_is_sent(page)
    assert kept_in_the_tab(page) is not None
    sign_in_from_the_form_page(page, form_page, MANAGER)
    expect(page).to_have_url(form_page)  # Priya may write in Maya's record too
    expect(page.get_by_label("Entry", exact=True)).to_have_value("")
    expect(page.get_by_text(KEPT)).to_have_count(0)
    assert kept_in_the_tab(page) is None


def test_words_still_waiting_are_forgotten_when_the_practitioner_signs_out(page: Page) -> None:
    """Signed in again on another page than the form's, the words wait for the form; signing
    out instead leaves nothing typed behind on the device."""
    write_an_entry_for_maya(page, f"Waiting words {uuid.uuid4().hex[:8]}")
    session_ends_and_the_entry_is_sent(page)
    sign_in(page)  # straight to the case list: no form to put them back in
    assert kept_in_the_tab(page) is not None
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("main").get_by_role("button", name="Sign in")).to_be_visible()
    assert kept_in_the_tab(page) is None
    expect(page.get_by_text(WAITING)).to_have_count(0)  # nothing waits, so nothing is said


@pytest.fixture
def idle_limit_of_nine_seconds(live_app: Flask) -> Iterator[None]:
    """The live server's idle limit (``SESSION_IDLE_MINUTES``) made 9 seconds for one test."""
    before = live_app.config["PERMANENT_SESSION_LIFETIME"]
    live_app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=9)
    try:
        yield
    finally:
        live_app.config["PERMANENT_SESSION_LIFETIME"] = before


def test_typing_keeps_the_session_and_a_page_left_alone_still_ends_it(
    page: Page, live_app: Flask, idle_limit_of_nine_seconds: None
) -> None:
    """A note typed for longer than the idle limit is taken when sent: typing counts as
    activity. The same form left alone for as long is not: a device left alone still ends
    its session on time."""
    calls: list[str] = []
    page.on("request", lambda request: calls.append(request.url))
    words = f"Typed for longer than the idle limit {uuid.uuid4().hex[:8]}"
    write_an_entry_for_maya(page, words)
    entry = page.get_by_label("Entry", exact=True)
    for _ in range(14):  # 14 s of typing, a word a second: past the 9 s limit
        entry.press("End")
        entry.press_sequentially(" and")
        page.wait_for_timeout(1000)
    page.get_by_role("button", name="Add to the record").click()

    stored_once_and_shown(page, live_app, words + " and" * 14)
    assert any(url.endswith("/still-here") for url in calls)

    left_alone = f"Written, then left alone {uuid.uuid4().hex[:8]}"
    page.goto(page.url.split("#", 1)[0].removesuffix("/record") + "/record/new")
    page.get_by_label("When it happened").fill(utcnow().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Entry", exact=True).fill(left_alone)
    page.wait_for_timeout(11_000)
    page.get_by_role("button", name="Add to the record").click()

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/record/new" in page.url or "/login" in page.url
    with live_app.app_context():
        stored = db.session.scalars(select(RecordEntry.id).where(RecordEntry.body == left_alone))
        assert stored.all() == []
        db.session.remove()
