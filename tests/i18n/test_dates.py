"""Dates in each reader's own formats: British English for English, Babel's for the rest."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import render_template_string
from flask_babel import force_locale

from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from voice_app.accounts.invitations import create_invitation
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    SharingChoice,
)
from voice_app.extensions import db
from voice_app.i18n.dates import formatting_locale

#: 16:48 in London on 27 November 2026 (GMT, so the same in UTC).
MOMENT = datetime(2026, 11, 27, 16, 48, tzinfo=UTC)
FILTERS = (
    "{{ t|datetimeformat('short') }} | {{ t|dateformat('long') }} | {{ d|dateformat('medium') }}"
    " | {{ t|timeformat('short') }} | {{ t|momentformat }}"
)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "en",
            "27/11/2026, 16:48 | 27 November 2026 | 3 Feb 2027 | 16:48 | 27 November 2026, 16:48",
        ),
        ("cy", "27/11/26 16:48 | 27 Tachwedd 2026 | 3 Chwef 2027 | 16:48 | 27 Tachwedd 2026 16:48"),
        (
            "pl",
            "27.11.2026, 16:48 | 27 listopada 2026 | 3 lut 2027 | 16:48 | 27 listopada 2026, 16:48",
        ),
        (
            "ar",
            "27\u200f/11\u200f/2026، 4:48 م | 27 نوفمبر 2026 | 03\u200f/02\u200f/2027 | 4:48 م"
            " | 27 نوفمبر 2026، 4:48 م",
        ),
        (
            "ro",
            "27.11.2026, 16:48 | 27 noiembrie 2026 | 3 feb. 2027 | 16:48"
            " | 27 noiembrie 2026, 16:48",
        ),
        (
            "uk",
            "27.11.26, 16:48 | 27 листопада 2026\u202fр. | 3 лют. 2027\u202fр. | 16:48"
            " | 27 листопада 2026\u202fр., 16:48",
        ),
        (
            "pt",
            "27/11/2026 16:48 | 27 de novembro de 2026 | 3 de fev. de 2027 | 16:48"
            " | 27 de novembro de 2026 16:48",
        ),
        ("tr", "27.11.2026 16:48 | 27 Kasım 2026 | 3 Şub 2027 | 16:48 | 27 Kasım 2026 16:48"),
        # Not ur: CLDR's Urdu writes the time with a Latin "PM" (4:48 PM), which the
        # check below forbids; whether Urdu readers want that is for a native reviewer.
    ],
)
def test_every_language_formats_dates_its_own_way(app, locale: str, expected: str) -> None:
    with app.test_request_context("/"), force_locale(locale):
        shown = render_template_string(FILTERS, t=MOMENT, d=date(2027, 2, 3))
    assert shown == expected
    assert "PM" not in shown and "11/27" not in shown


def test_english_means_british_formats_and_a_territory_given_is_kept(app) -> None:
    with app.test_request_context("/"):
        assert str(formatting_locale("en")) == "en_GB"
        assert str(formatting_locale("en_US")) == "en_US"
        assert str(formatting_locale("pl")) == "pl"
        with force_locale("en"):
            assert str(formatting_locale()) == "en_GB"


def _child_with_a_message(make_client):  # type: ignore[no-untyped-def]
    sam = UserFactory(name="Sam Okafor")
    child = ChildFactory(team=sam.team, preferred_name="Maya")
    AssignmentFactory(child=child, user=sam)
    made = create_invitation(child, "dates", sam, timedelta(days=3))
    db.session.add(
        Contribution(
            child_id=child.id,
            client_id=str(uuid.uuid4()),
            kind=ContributionKind.TEXT,
            author_kind=AuthorKind.CHILD,
            language="en",
            sharing=SharingChoice.MY_WORKER,
            text="I like my school.",
            created_at=MOMENT,
        )
    )
    db.session.commit()
    tablet = make_client()
    assert tablet.get(f"/i/{made.token}").headers["Location"] == "/me"
    return sam, child, tablet


def test_the_childs_list_shows_the_date_in_the_childs_language(make_client) -> None:
    _sam, _child, tablet = _child_with_a_message(make_client)
    page = tablet.get("/me").get_data(as_text=True)
    assert ">27 November 2026, 16:48</time>" in page
    tablet.submit("/language", {"locale": "pl", "next": "/me"})
    page = tablet.get("/me").get_data(as_text=True)
    assert ">27 listopada 2026, 16:48</time>" in page


def test_the_timeline_uses_british_dates_in_english(make_client) -> None:
    sam, child, _tablet = _child_with_a_message(make_client)
    page = make_client(sam.email).get(f"/children/{child.id}/contributions")
    shown = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "27/11/2026, 16:48" in shown
    assert "11/27/26" not in shown and "4:48 PM" not in shown


def test_the_case_list_shows_an_alerts_time_in_british_english(make_client) -> None:
    sam, child, _tablet = _child_with_a_message(make_client)
    db.session.add(
        Contribution(
            child_id=child.id,
            client_id=str(uuid.uuid4()),
            kind=ContributionKind.TEXT,
            author_kind=AuthorKind.CHILD,
            language="en",
            sharing=SharingChoice.MY_WORKER,
            flagged_unsafe=True,
            created_at=MOMENT,
        )
    )
    db.session.commit()
    shown = make_client(sam.email).get("/children/").get_data(as_text=True)
    assert "27/11/2026" in shown or "27 Nov" in shown
    assert "11/27/26" not in shown and "4:48 PM" not in shown
