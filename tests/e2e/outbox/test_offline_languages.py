"""Offline in Welsh and Arabic: every waiting item says, in the child's language and in
words for their band, that it is safe on this tablet and goes when the internet is back.

The English words are checked in test_chunked_upload.py; here the expected words come from
the shipped catalogue, so a missing or wrong translation fails.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale, gettext
from playwright.sync_api import BrowserContext, expect

from tests.e2e.test_child_space import open_space, stored

pytestmark = pytest.mark.browser

#: What every waiting item says, by band (templates/child_space/_strings.html).
WAITING = {
    "early": "It's safe on this tablet. It will go to your worker when the internet comes back.",
    "middle": (
        "Not sent yet. It's safe on this tablet, and it will go to your worker when the "
        "internet comes back."
    ),
    "teen": (
        "Not sent yet. It's saved on this device and goes to your worker as soon as you're "
        "back online."
    ),
}
AGES = {"early": 6, "middle": 10, "teen": 15}


def in_language(app: Flask, language: str, message: str) -> str:
    with app.test_request_context(), force_locale(language):
        translated = gettext(message)
    assert translated != message, f"no {language} words for {message!r}"
    return translated


@pytest.mark.parametrize("band", ["early", "middle", "teen"])
@pytest.mark.parametrize("language", ["cy", "ar"])
def test_every_waiting_item_says_it_is_safe_on_this_tablet_in_the_childs_language(
    tablet: BrowserContext, space_app: Flask, invite, language: str, band: str
) -> None:
    child = invite(f"Offline{language}{band}", age=AGES[band], language=language)
    page = tablet.new_page()
    open_space(page, child)
    expect(page.locator("html")).to_have_attribute("lang", language)
    words = in_language(space_app, language, WAITING[band])

    tablet.set_offline(True)
    panel = page.locator("#panel-text")
    for text in ("Rwy'n hoffi fy ysgol.", "أحب مدرستي."):
        tile = page.locator(".cs-tile[data-open='text']")
        if tile.get_attribute("aria-expanded") != "true":  # the teenage space opens on it
            tile.click()
        panel.locator("textarea").fill(text)
        following = panel.locator("[data-action='next']")
        if following.is_visible():  # the early band asks one thing a screen
            following.click()
        panel.locator("input[value='my_worker']").check(force=True)
        panel.locator("[data-action='send']").click()
        expect(panel.locator("[data-panel-status]")).to_have_text(words)
        back = panel.locator(".cs-panel__head [data-action='back']")
        if back.is_visible():  # the early band goes back to the menu by itself
            back.click()

    waiting = page.locator("[data-outbox]")
    expect(waiting.locator("li")).to_have_count(2)
    # Both waiting items say the same true thing, in the child's language.
    expect(waiting.get_by_text(words, exact=True)).to_have_count(2)

    tablet.set_offline(False)
    expect(waiting).to_be_hidden(timeout=30_000)
    assert len(stored(space_app, child.child_id)) == 2
