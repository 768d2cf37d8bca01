"""Consent and the confidential section in every plan view, the PDF and the child's version.

Markers are written into words the plan may not show: one contribution placed in the
confidential section after it was put in the plan, one whose consent was then withdrawn.
Every plan page, the compare page, the PDF and the child's version are searched for them.
"""

from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy import select

from tests.plans.helpers import PlanScene, plan_scene, with_secret_words, words
from voice_app.accounts.invitations import create_invitation
from voice_app.extensions import db
from voice_app.plans.models import Section, WordsTakenOut
from voice_app.plans.services import drafting, versions


def _pages(client, scene: PlanScene) -> dict[str, str]:  # type: ignore[no-untyped-def]
    base = f"/children/{scene.child.id}/plan"
    return {
        "plan": client.get(base).text,
        "version 1": client.get(f"{base}/versions/1").text,
        "version 2": client.get(f"{base}/versions/2").text,
        "history": client.get(f"{base}/versions").text,
        "compare": client.get(f"{base}/compare?first=1&second=2").text,
    }


def _pdf_text(client, scene: PlanScene, number: int) -> str:  # type: ignore[no-untyped-def]
    response = client.get(f"/children/{scene.child.id}/plan/versions/{number}/pdf")
    assert response.status_code == 200
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_withheld_words_appear_nowhere_and_the_next_version_says_why(make_client) -> None:
    scene = with_secret_words(plan_scene())
    agreed = versions.agree_draft(scene.plan, scene.practitioner)
    db.session.commit()
    taken_out = db.session.scalars(select(WordsTakenOut)).all()
    # The withdrawn words are taken out and the version says so; the confidential ones go
    # without a trace a reader could follow.
    assert [(t.version_id, t.consent_withdrawn) for t in taken_out] == [(agreed.id, True)]
    assert len(agreed.words) == 1

    for reader in (scene.practitioner, scene.manager):
        client = make_client(reader.email)
        pages = _pages(client, scene)
        pages["pdf 1"] = _pdf_text(client, scene, 1)
        pages["pdf 2"] = _pdf_text(client, scene, 2)
        for name, text in pages.items():
            assert scene.markers["confidential"] not in text, name
            assert scene.markers["withdrawn"] not in text, name
        assert scene.markers["shown"] in pages["plan"]
        assert scene.markers["shown"] in pages["pdf 1"]
        assert "their consent to share them was withdrawn" in pages["version 1"]

    # Trying to place the withheld words again shows neither them nor a hint of the
    # confidential ones.
    client = make_client(scene.practitioner.email)
    for key, status in (("withdrawn", 200), ("confidential", 404)):
        url = f"/children/{scene.child.id}/plan/words/{scene.contributions[key]}"
        response = client.get(url)
        assert response.status_code == status
        assert scene.markers["withdrawn"] not in response.text
        assert scene.markers["confidential"] not in response.text


def test_the_childs_version_shows_only_what_was_marked_for_them(make_client, client) -> None:
    scene = with_secret_words(plan_scene())
    hidden_line = "Professional wording the child should not see"
    drafting.save_item(
        scene.plan,
        drafting.ItemDraft(Section.HARM, hidden_line, child_text=None, show_to_child=False),
    )
    drafting.save_item(
        scene.plan,
        drafting.ItemDraft(
            Section.HARM, "Shouting", child_text="Grown-ups shout sometimes", show_to_child=True
        ),
    )
    db.session.commit()
    # Words placed while they were allowed, now withheld, must not reach the child either.
    versions.agree_draft(scene.plan, scene.practitioner)
    db.session.commit()
    made = create_invitation(scene.child, "plan", scene.practitioner, timedelta(days=1))
    db.session.commit()
    assert client.get(f"/i/{made.token}").status_code == 302
    home = client.get("/me").text
    assert "/me/plan" in home
    page = client.get("/me/plan").text
    assert "Grown-ups shout sometimes" in page
    assert "For you" in page  # the sentence written for the child beside the shown words
    assert hidden_line not in page and "Shouting" not in page.replace("shout sometimes", "")
    assert scene.markers["shown"] in page  # in the sentence written for the child
    for key in ("confidential", "withdrawn"):
        assert scene.markers[key] not in page


def test_words_the_plan_may_not_show_cannot_be_placed(make_client) -> None:
    scene = plan_scene()
    refused = words(scene.child, scene.practitioner, "keep this between us")
    from tests.record.helpers import place

    place(scene.child, scene.practitioner, contribution=refused)
    client = make_client(scene.practitioner.email)
    url = f"/children/{scene.child.id}/plan/words/{refused.id}"
    assert client.get(url).status_code == 404
    assert client.submit(url, {"section": "harm"}).status_code == 404


def test_words_without_consent_for_meetings_say_why_they_cannot_go_in(make_client) -> None:
    scene = plan_scene()
    from tests.plans.helpers import decide_for_meeting
    from tests.record.helpers import add_contribution
    from voice_app.record.models import ConsentAnswer

    refused = add_contribution(scene.child, "only for my worker")
    decide_for_meeting(refused, scene.practitioner, ConsentAnswer.REFUSED)
    client = make_client(scene.practitioner.email)
    timeline = client.get(f"/children/{scene.child.id}/contributions").text
    assert f"/plan/words/{refused.id}" in timeline
    page = client.get(f"/children/{scene.child.id}/plan/words/{refused.id}").text
    assert "the consent decision in force does not let the people at the" in page
    response = client.submit(
        f"/children/{scene.child.id}/plan/words/{refused.id}", {"section": "harm"}
    )
    assert response.status_code == 200
    assert drafting.draft_of(scene.plan).words == []
