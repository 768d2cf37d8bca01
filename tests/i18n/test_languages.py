"""Languages: how the locale is chosen, right-to-left layout, and complete catalogs."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.factories import (
    AssignmentFactory,
    ChildFactory,
    FamilyMemberFactory,
    TeamFactory,
    UserFactory,
)
from voice_app.core.permissions import Role
from voice_app.i18n import LANGUAGES
from voice_app.i18n.cli import catalog_problems

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
TRANSLATED = [code for code in LANGUAGES if code != "en"]


def test_accept_language_picks_the_page_language(client):
    page = client.get("/login", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"})
    assert '<html lang="pl" dir="ltr">' in page.get_data(as_text=True)


def test_urdu_pages_are_right_to_left_like_arabic(client):
    page = client.get("/login", headers={"Accept-Language": "ur-PK,ur;q=0.9,en;q=0.5"})
    assert '<html lang="ur" dir="rtl">' in page.get_data(as_text=True)


def test_the_switcher_beats_the_browser_and_the_account_setting_beats_both(make_client):
    user = UserFactory(locale="cy")
    browser = make_client()
    browser.submit("/language", {"locale": "ar", "next": "/login"})
    page = browser.get("/login", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    browser.sign_in(user.email)
    page = browser.get("/account", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert '<html lang="cy" dir="ltr">' in page


def test_switching_language_when_signed_in_saves_it_to_the_account(make_client):
    user = UserFactory()
    browser = make_client(user.email)
    response = browser.submit("/language", {"locale": "ar", "next": "/account"})
    assert response.headers["Location"] == "/account"
    assert (
        make_client(user.email)
        .get("/account")
        .get_data(as_text=True)
        .startswith('<!doctype html>\n<html lang="ar" dir="rtl">')
    )


def test_the_switcher_never_redirects_off_site(client):
    response = client.submit("/language", {"locale": "pl", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_catalogs_are_complete_and_current():
    assert catalog_problems() == []


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _english_strings_to_catch(locale: str) -> list[str]:
    """English messages that read differently in ``locale`` and have no placeholders."""
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    caught = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or "%(" in message.id:
            continue
        if message.string and message.string != message.id and len(message.id) > 3:
            caught.append(message.id)
    return caught


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_word_on_the_main_pages_is_translated(make_client, locale):
    # Names chosen so no English interface word hides in the data.
    team = TeamFactory(name="Glan-yr-afon")
    manager = UserFactory(team=team, role=Role.MANAGER, locale=locale, name="Priya Shah")
    admin = UserFactory(role=Role.ADMIN, team=None, locale=locale, name="Alex Morgan")
    child = ChildFactory(team=team, full_name="Maya Thompson")
    FamilyMemberFactory(child=child, name="Claire Thompson")
    AssignmentFactory(child=child, user=UserFactory(team=team, name="Sam Okafor"))
    anonymous = make_client()
    anonymous.submit("/language", {"locale": locale})
    staff, administrator = make_client(manager.email), make_client(admin.email)
    pages = {
        "/login": anonymous,
        "/nowhere": anonymous,
        "/children/": staff,
        f"/children/{child.id}": staff,
        f"/children/{child.id}/edit": staff,
        f"/children/{child.id}/family/new": staff,
        "/children/new": staff,
        "/account": staff,
        "/audit/": staff,
        "/admin/users": administrator,
        "/admin/users/new": administrator,
        "/admin/teams": administrator,
    }
    english = _english_strings_to_catch(locale)
    for url, browser in pages.items():
        text = _visible_text(browser.get(url).get_data(as_text=True))
        untranslated = [
            msgid for msgid in english if re.search(rf"(?<!\w){re.escape(msgid)}(?!\w)", text)
        ]
        assert untranslated == [], f"{url} in {locale} still shows English: {untranslated}"
