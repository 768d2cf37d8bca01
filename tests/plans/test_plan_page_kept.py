"""The plan page's body is kept until the child's case changes (``plans.fragments.page_body``):
every change to the case shows at once (consent and the confidential section among them),
and each reader gets their own rights and their own CSRF token."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from tests.factories import AssignmentFactory, TranscriptFactory
from tests.plans.helpers import decide_for_meeting, marker, plan_scene, words
from tests.record.helpers import add_contribution, place
from voice_app.contributions.models import ContributionKind, TranscriptStatus
from voice_app.extensions import db
from voice_app.plans import fragments
from voice_app.plans.models import PlanAction, Section
from voice_app.plans.services import drafting
from voice_app.record.models import ConsentAnswer

HIDDEN_TOKEN = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"'
)
META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def _form_tokens(page: str) -> set[str]:
    return {a or b for a, b in HIDDEN_TOKEN.findall(page)}


def test_every_change_to_the_case_shows_on_the_kept_page(make_client) -> None:
    scene = plan_scene()
    by = scene.practitioner
    names = {key: marker(key) for key in ("withdrawn", "confidential", "corrected", "new")}
    placed = {
        key: words(scene.child, by, f"I said {names[key]}") for key in ("withdrawn", "confidential")
    }
    voice = add_contribution(scene.child, None, kind=ContributionKind.VOICE)
    TranscriptFactory(
        contribution=voice,
        status=TranscriptStatus.CONFIRMED,
        machine_text="machine words",
        confirmed_text="I said the first thing",
    )
    decide_for_meeting(voice, by, ConsentAnswer.GIVEN)
    for contribution in (*placed.values(), voice):
        drafting.place_words(scene.plan, contribution, Section.STRENGTH, by)
    db.session.commit()
    client = make_client(by.email)
    url = f"/children/{scene.child.id}/plan"

    first = client.get(url).text
    assert names["withdrawn"] in first and names["confidential"] in first
    assert client.get(url).text.count(names["withdrawn"]) == first.count(names["withdrawn"])

    decide_for_meeting(placed["withdrawn"], by, ConsentAnswer.WITHDRAWN)
    page = client.get(url).text
    assert names["withdrawn"] not in page
    assert "Words placed here are no longer shown: consent to share them was withdrawn." in page

    place(scene.child, by, contribution=placed["confidential"])
    page = client.get(url).text
    assert names["confidential"] not in page

    voice.transcript.confirmed_text = f"I said {names['corrected']}"
    db.session.commit()
    page = client.get(url).text
    assert names["corrected"] in page and "I said the first thing" not in page

    # A change made through the page's own form, with the token the kept page carries.
    response = client.post(
        f"{url}/actions/new",
        data={
            "csrf_token": _form_tokens(page).pop(),
            "what": names["new"],
            "owner_kind": "family",
            "owner_name": "Nan",
            "status": "under_way",
            "outcome": "stay_safe",
        },
    )
    assert response.status_code == 302
    assert db.session.scalars(select(PlanAction.what)).all() == [names["new"]]
    assert names["new"] in client.get(url).text


def test_each_reader_gets_their_own_rights_and_token(make_client) -> None:
    scene = plan_scene()
    words(scene.child, scene.practitioner, "Words waiting to go in the plan")
    colleague = AssignmentFactory(child=scene.child).user
    db.session.commit()
    url = f"/children/{scene.child.id}/plan"
    readers = {
        "practitioner": make_client(scene.practitioner.email),
        "colleague": make_client(colleague.email),
        "manager": make_client(scene.manager.email),
    }
    pages = {name: client.get(url).text for name, client in readers.items()}
    pages["manager again"] = readers["manager"].get(url).text

    assert "Add an action" in pages["practitioner"] and "Add an action" in pages["colleague"]
    assert "Add an action" not in pages["manager"]
    assert "Put in the plan" not in pages["manager again"]
    for name in ("practitioner", "colleague"):
        own = META_TOKEN.search(pages[name])
        assert own is not None
        tokens = _form_tokens(pages[name])
        # Every form carries this reader's token (signed now; the same secret as the meta
        # tag's), never the other reader's and never the placeholder.
        assert tokens and all(t.split(".")[0] == own.group(1).split(".")[0] for t in tokens)
    practitioner_secret = META_TOKEN.search(pages["practitioner"]).group(1).split(".")[0]  # type: ignore[union-attr]
    assert all(t.split(".")[0] != practitioner_secret for t in _form_tokens(pages["colleague"]))
    assert not any(re.search(r"csrf-[0-9a-f]{32}", page) for page in pages.values())


def test_a_body_is_not_kept_when_the_case_changed_while_it_was_made(app: Flask) -> None:
    made: list[int] = []

    def make() -> str:
        made.append(1)
        return "<p>body</p>"

    with app.test_request_context():
        for still_current in (False, False, True, True):
            assert (
                fragments.page_body(("test body",), make, lambda now=still_current: now)
                == "<p>body</p>"
            )
    # Made while the case changed: made again; then kept.
    assert len(made) == 3


def test_nothing_is_kept_longer_than_kept_seconds(app: Flask, monkeypatch) -> None:
    made: list[int] = []

    def make() -> str:
        made.append(1)
        return "<p>body</p>"

    with app.test_request_context():
        fragments.page_body(("aged body",), make, lambda: True)
        fragments.page_body(("aged body",), make, lambda: True)
        assert len(made) == 1
        # A purged record's words leave every server's memory within KEPT_SECONDS.
        monkeypatch.setattr(fragments, "KEPT_SECONDS", -1.0)
        fragments.page_body(("aged body",), make, lambda: True)
    assert len(made) == 2
