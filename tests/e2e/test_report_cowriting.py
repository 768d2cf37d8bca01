"""A child protection conference report co-written in real Chromium, start to PDF.

Sam drafts it with Maya's words and drawing; Claire (Maya's mother) reads it on a phone,
switches to Polish, disagrees with one section and writes the family's section; Sam answers;
the manager signs off; Claire gives her final view; her PDF holds all of it and nothing
placed in the confidential section, third-party information, unconsented words or words
the meeting may see but the family may not. axe-core checks her report page in English and
Arabic on a phone and an upright tablet.

This module runs its own demo app and server, so the demo data other browser tests share
is left alone.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from flask import Flask
from flask_babel import force_locale, gettext
from flask_migrate import upgrade
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader
from sqlalchemy import select

from tests.e2e.conftest import serving
from tests.e2e.test_family_space import claire_signs_in
from tests.e2e.test_practitioner_pages import assert_no_serious_axe_violations, sign_in
from tests.record.helpers import add_contribution, add_entry, decide, place
from tests.reports.helpers import consent, marker
from voice_app import create_app
from voice_app.accounts.models import User
from voice_app.children.models import Child
from voice_app.contributions.models import ContributionKind
from voice_app.core.demo import seed_demo
from voice_app.extensions import db
from voice_app.record.models import ConfidentialReason, ConsentAnswer, Source

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 640}
TABLET = {"width": 768, "height": 1024}
MAYAS_WORDS = "I want Mum and Dad to stop shouting. I feel safe at Grandad's."
CAPTION = "My house, with the rain cloud over the kitchen"
WORRIED = "Maya hears shouting at home most evenings."
CLAIRES_POLISH = "Nie zgadzam się: kłótnie zdarzają się rzadko, najwyżej raz w tygodniu."
FAMILY_SECTION = "Rodzina chce, żeby Maja czuła się bezpiecznie. Chodzimy razem na zajęcia."
SAMS_ANSWER = "Maya told me about the shouting twice this month, so the section stays as it is."
#: A form's own send button (a spoken comment's button posts elsewhere, by formaction).
SEND = "button[type=submit]:not([formaction])"
FINAL_VIEW = "Nadal nie zgadzam się z sekcją o kłótniach w domu."


@dataclass(frozen=True)
class Scene:
    maya_id: int
    words_id: int
    drawing_id: int
    meeting_only_id: int
    #: Words that must never reach the family, by where they were placed.
    markers: dict[str, str]


def drawing_png() -> bytes:
    picture = Image.new("RGB", (320, 240), "white")
    pen = ImageDraw.Draw(picture)
    pen.rectangle((80, 100, 240, 220), outline="black", width=4)
    pen.polygon([(70, 100), (160, 30), (250, 100)], outline="red", width=4)
    pen.ellipse((200, 10, 300, 60), fill="grey")
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def seed_scene() -> Scene:
    """Maya's words and drawing (the family may see them), and everything they may not."""
    maya = db.session.scalars(select(Child).where(Child.full_name == "Maya Thompson")).one()
    sam = db.session.scalars(select(User).where(User.email == "practitioner@demo.example")).one()
    secret = {name: marker(name) for name in ("conf", "note", "confword", "third", "refused")}
    secret["meetingonly"] = marker("meetingonly")

    words = add_contribution(maya, MAYAS_WORDS)
    consent(words, sam, family=True)
    drawing = add_contribution(
        maya, None, kind=ContributionKind.DRAWING, media=drawing_png(), content_type="image/png"
    )
    consent(drawing, sam, family=True)
    meeting_only = add_contribution(maya, f"Only for the meeting {secret['meetingonly']}")
    consent(meeting_only, sam, family=False)

    confided = add_entry(maya, sam, f"Maya disclosed {secret['conf']}")
    place(maya, sam, entry=confided, note=f"why {secret['note']}")
    confided_words = add_contribution(maya, f"Please keep this {secret['confword']}")
    consent(confided_words, sam, family=True)
    place(
        maya,
        sam,
        contribution=confided_words,
        reason=ConfidentialReason.GIVEN_IN_CONFIDENCE,
        note=f"why {secret['note']}",
    )
    add_entry(
        maya,
        sam,
        f"The neighbour said {secret['third']}",
        source=Source.THIRD_PARTY,
        source_detail="a neighbour",
        source_consents_to_disclosure=False,
    )
    refused = add_contribution(maya, f"Do not tell {secret['refused']}")
    decide(refused, sam, ConsentAnswer.REFUSED)
    db.session.commit()
    return Scene(maya.id, words.id, drawing.id, meeting_only.id, secret)


@pytest.fixture(scope="module")
def cowriting_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, Scene]]:
    from tests.conftest import test_config

    folder = tmp_path_factory.mktemp("report-cowriting")
    flask_app = create_app(test_config(folder, f"sqlite:///{folder / 'cowriting.sqlite3'}"))
    with flask_app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
        scene = seed_scene()
        db.session.remove()
    yield flask_app, scene
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def cowriting_server(cowriting_app: tuple[Flask, Scene]) -> Iterator[str]:
    with serving(cowriting_app[0], "report-cowriting") as url:
        yield url


@pytest.fixture
def contexts(browser: Browser, cowriting_server: str) -> Iterator[dict[str, BrowserContext]]:
    """Sam and the manager at their desks; Claire on her phone."""
    made = {
        "sam": browser.new_context(
            base_url=cowriting_server, viewport={"width": 1280, "height": 800}, locale="en-GB"
        ),
        "manager": browser.new_context(
            base_url=cowriting_server, viewport={"width": 1280, "height": 800}, locale="en-GB"
        ),
        "claire": browser.new_context(
            base_url=cowriting_server,
            viewport=PHONE,
            locale="en-GB",
            has_touch=True,
            is_mobile=True,
        ),
    }
    for context in made.values():
        context.set_default_timeout(15_000)
    try:
        yield made
    finally:
        for context in made.values():
            context.close()


def choose_language(page: Page, code: str) -> None:
    page.locator(f"form.language-switcher button[name=locale][value={code}]").first.click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def sam_drafts_the_report(sam: Page, scene: Scene) -> str:
    """Start the report, write a section, choose Maya's words and drawing, share it."""
    sign_in(sam)
    sam.goto(f"/children/{scene.maya_id}/reports")
    sam.get_by_label("Kind of report").select_option("cp_initial_conference")
    sam.get_by_label("Date of the meeting").fill((date.today() + timedelta(days=14)).isoformat())
    sam.get_by_role("button", name="Start the report").click()
    expect(sam.locator(".flash--success")).to_contain_text("The report is started")
    report_url = sam.url.split("#")[0]

    worried = sam.locator("#section-worried")
    worried.locator("textarea").fill(WORRIED)
    worried.get_by_role("button", name="Save this section").click()
    expect(sam.locator("#section-worried .report-text")).to_have_text(WORRIED)

    for contribution_id, caption in (
        (scene.words_id, None),
        (scene.drawing_id, CAPTION),
        (scene.meeting_only_id, None),
    ):
        child_views = sam.locator("#section-child_views")
        child_views.locator(f"#cw-{contribution_id}").check()
        if caption:
            child_views.get_by_label("Caption for a drawing").fill(caption)
        child_views.get_by_role("button", name="Add to the report").click()
        expect(sam.locator(".flash--success")).to_contain_text("The child's words are in")
    child_views = sam.locator("#section-child_views")
    expect(child_views.locator("blockquote.childs-words").first).to_have_text(MAYAS_WORDS)
    expect(child_views.locator("img.thumbnail")).to_have_count(1)

    sam.get_by_label("Share the draft with").select_option(label="Claire Thompson")
    sam.get_by_role("button", name="Share the draft").click()
    expect(sam.locator(".flash--success")).to_contain_text("The draft is shared")
    return report_url


def axe_the_family_page(claire: Page, what: str) -> None:
    """No serious problem in English and Arabic, on the phone and the upright tablet."""
    for locale in ("en", "ar"):
        choose_language(claire, locale)
        for viewport in (TABLET, PHONE):
            claire.set_viewport_size(viewport)
            width = claire.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"{what} is {width}px wide ({locale})"
            assert_no_serious_axe_violations(
                claire, f"{what} ({locale}, {viewport['width']}×{viewport['height']})"
            )


def pdf_text(data: bytes) -> str:
    """The PDF's text with every run of white space made one space (lines wrap anywhere)."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def test_a_conference_report_is_co_written_with_claire_in_polish_and_printed(
    contexts: dict[str, BrowserContext], cowriting_app: tuple[Flask, Scene]
) -> None:
    _app, scene = cowriting_app
    sam = contexts["sam"].new_page()
    report_url = sam_drafts_the_report(sam, scene)
    report_id = int(re.search(r"/reports/(\d+)", report_url).group(1))  # type: ignore[union-attr]

    # Claire reads the draft on her phone: Maya's words and drawing, nothing withheld.
    claire = contexts["claire"].new_page()
    claire_signs_in(claire)
    claire.locator(f"a[href='/family/reports/{report_id}']").click()
    child_views = claire.locator("#section-child_views")
    expect(child_views.locator("blockquote.childs-words")).to_have_text([MAYAS_WORDS])
    drawing = child_views.get_by_role("img", name=CAPTION)
    expect(drawing).to_be_visible()
    # The picture really arrives (waited for: on a busy machine it is still loading here).
    claire.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=drawing.element_handle()
    )
    page_html = claire.content()
    for name, secret in scene.markers.items():
        assert secret not in page_html, f"{name} reached Claire's report page"
    axe_the_family_page(claire, "the family's draft report")

    # In Polish she disagrees with what Sam wrote, and writes the family's section.
    choose_language(claire, "pl")
    worried = claire.locator("#section-worried")
    with cowriting_app[0].test_request_context(), force_locale("pl"):
        send = gettext("Send to the social worker")
    assert send != "Send to the social worker", "no Polish catalogue (pybabel compile)"
    expect(worried.locator(SEND)).to_have_text(send)
    worried.locator("#stance-worried-disagree").check()
    worried.locator("#body-worried").fill(CLAIRES_POLISH)
    worried.locator(SEND).click()
    expect(claire.locator("#section-worried .report-comment blockquote")).to_have_text(
        CLAIRES_POLISH
    )
    family = claire.locator("#section-family_views")
    family.locator("#body-family_views").fill(FAMILY_SECTION)
    family.locator(SEND).click()
    expect(claire.locator("#section-family_views blockquote.family-words")).to_have_text(
        FAMILY_SECTION
    )
    expect(claire.locator("html")).to_have_attribute("lang", "pl")

    # Sam sees her words as she wrote them, and answers: the section stays, and why.
    sam.goto(report_url)
    comment = sam.locator("#section-worried .report-comment", has_text=CLAIRES_POLISH)
    expect(comment.locator("blockquote")).to_have_text(CLAIRES_POLISH)
    comment.get_by_label("Answer", exact=True).select_option("kept")
    comment.get_by_label("The new text, or why it stays as it is").fill(SAMS_ANSWER)
    comment.get_by_role("button", name="Answer").click()
    expect(sam.locator(".report-answer")).to_contain_text(SAMS_ANSWER)

    # Claire sees the answer; the manager signs the report off.
    claire.reload()
    expect(claire.locator("#section-worried .report-answer")).to_contain_text(SAMS_ANSWER)
    manager = contexts["manager"].new_page()
    sign_in(manager, "manager@demo.example")
    manager.goto(report_url)
    manager.get_by_role("button", name="Sign off version 1").click()
    expect(manager.locator(".flash--success")).to_contain_text("The report is signed off")

    # Claire's final view, in her words, printed in the report.
    claire.reload()
    final = claire.locator("#final")
    final.locator("#agrees-no").check()
    final.locator("#final-body").fill(FINAL_VIEW)
    final.locator(SEND).click()
    expect(claire.locator("#final-views blockquote")).to_have_text(FINAL_VIEW)
    axe_the_family_page(claire, "the family's final report")
    choose_language(claire, "pl")

    # Her copy: the link on her page opens it; Chromium's viewer keeps the bytes to itself,
    # so they are downloaded again with her session's cookies.
    pdf_url = f"/family/reports/{report_id}/pdf"
    with claire.expect_response(lambda r: r.url.endswith(pdf_url)) as received:
        claire.locator(f"a[href='{pdf_url}']").click()
    opened = received.value
    assert opened.status == 200 and opened.headers["content-type"] == "application/pdf"
    downloaded = claire.context.request.get(pdf_url)
    assert downloaded.status == 200
    data = downloaded.body()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for words in (MAYAS_WORDS, CAPTION, WORRIED, CLAIRES_POLISH, FAMILY_SECTION, SAMS_ANSWER):
        assert words in text, f"the PDF does not hold {words!r}"
    assert FINAL_VIEW in text, "the PDF does not hold Claire's final view"
    # WeasyPrint lists a picture in every page's resources: count the distinct ones.
    pages = PdfReader(io.BytesIO(data)).pages
    images = {(im.image.size, im.data) for page in pages for im in page.images}
    assert [size for size, _data in images] == [(320, 240)], f"the drawing: {images}"
    for name, secret in scene.markers.items():
        assert secret not in text and secret.encode() not in data, f"{name} is in the PDF"

    # The meeting's copy does hold the words kept from the family: the check above can fail.
    meeting = pdf_text(sam.context.request.get(f"{report_url}/pdf").body())
    assert scene.markers["meetingonly"] in meeting and MAYAS_WORDS in meeting
