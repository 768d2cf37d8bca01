"""Claire speaks her comment on a section of the shared report instead of typing it, on a
phone, in real Chromium: the family space's recorder, Whisper, and the read-back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Playwright, expect

from tests.conftest import speak
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.test_family_space import PHONE, claire_signs_in, fits_the_phone
from tests.e2e.test_practitioner_pages import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser

SPOKEN = "The mornings are calm now and Maya likes her new school."


@pytest.fixture(scope="module")
def spoken_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return speak(SPOKEN, "en-gb", tmp_path_factory.mktemp("report-clip") / "claire.wav")


def test_claire_speaks_her_view_of_a_section_and_confirms_the_words(
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
        phone = context.new_page()
        claire_signs_in(phone)
        phone.locator("a[href^='/family/reports/']").first.click()
        section = phone.locator("#section-working_well")
        section.get_by_label("I agree", exact=True).check()
        section.get_by_role("button", name="Start recording").click()
        expect(section.get_by_role("button", name="Stop")).to_be_enabled()
        phone.wait_for_timeout(5000)
        section.get_by_role("button", name="Stop").click()
        expect(section.locator("[data-words-status]")).to_contain_text("Recorded.")
        fits_the_phone(phone)
        section.get_by_role("button", name="Send my recording").click()

        expect(phone.get_by_role("heading", level=1)).to_have_text("Is this what you said?")
        assert_no_serious_axe_violations(phone, "the report comment read-back (en)")
        words = phone.get_by_label("What you said")
        # What Whisper heard in the real recording (some words may differ: that is what
        # reading it back is for).
        # The words vary with the machine's threads ("the mornings are calm", "the mornings
        # are time out"): the first one heard is enough to know it is her recording.
        expect(words).to_have_value(re.compile(r"mornings", re.IGNORECASE))
        words.fill("The mornings are calm now, and Maya likes her new school.")
        phone.get_by_role("button", name="Yes, these are my words").click()

        section = phone.locator("#section-working_well")
        expect(section).to_contain_text("The mornings are calm now, and Maya likes her new school.")
        expect(section).to_contain_text("Spoken, heard back and confirmed as their words.")
        expect(section.get_by_role("link", name="Listen to the recording")).to_be_visible()
    finally:
        chromium.close()
