"""Every staff route, every export and the case list's alerts, walked with markers in
everything the confidential section holds and everything that follows it.

Markers go into: a confidential entry; a correction of it written *before* it was placed
and one written *after*; an open entry whose correction was later placed; an attached
voice recording (its transcript, machine draft and the words carried into the record)
placed through its entry; an attached drawing (caption and file) placed as a
contribution; and an "I don't feel safe" press placed in the section. Readers without a
grant must find none of them anywhere, must see entries numbered with no gap and no
hidden count, and the subject-access copy must withhold exactly what the chronology does.
"""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from tests.factories import AssignmentFactory, ChildFactory, FamilyMemberFactory, UserFactory
from tests.record.helpers import add_contribution, add_entry, attach, decide, place
from tests.record.test_leaks import child_space_responses, produce, readable
from voice_app.accounts.invitations import create_invitation
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.contributions.models import ContributionKind, Transcript, TranscriptStatus
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.record.confidential import services as confidential
from voice_app.record.disclosure import Reader, confidential_scope, disclosure_for
from voice_app.record.models import ConsentAnswer, RecordEntry
from voice_app.subject_access import export
from voice_app.subject_access.export_labels import WithheldReason


def marker(name: str) -> str:
    return f"Mk{name}{uuid.uuid4().hex[:10]}"


@pytest.fixture
def scene():
    from datetime import timedelta

    lead = UserFactory()
    team = lead.team
    manager = UserFactory(team=team, role=Role.MANAGER)
    granted = UserFactory(team=team)
    child = ChildFactory(team=team, full_name="Maya Thompson", lead_practitioner=lead)
    AssignmentFactory(child=child, user=lead)
    AssignmentFactory(child=child, user=granted)
    parent = FamilyMemberFactory(child=child, parental_responsibility=True)
    secret = {
        key: marker(key)
        for key in (
            "entry",
            "fixbefore",
            "fixafter",
            "origb",
            "fixb",
            "transcript",
            "draft",
            "caption",
            "alert",
        )
    }
    shown = {key: marker(key) for key in ("first", "last", "saidopen")}
    e = {}
    e["first"] = add_entry(child, lead, f"Home visit {shown['first']}")
    e["entry"] = add_entry(child, lead, f"Disclosure {secret['entry']}")
    # Corrected before it is placed: the correction repeats the words.
    e["fixbefore"] = add_entry(
        child, lead, f"Correction {secret['fixbefore']}", corrects_id=e["entry"].id
    )
    place(child, lead, entry=e["entry"])
    # Corrected again after the placement (written as data, without any help from the
    # service that writes corrections).
    e["fixafter"] = add_entry(
        child, lead, f"Second correction {secret['fixafter']}", corrects_id=e["fixbefore"].id
    )
    # An open entry whose correction is placed: the original repeats it.
    e["origb"] = add_entry(child, lead, f"School said {secret['origb']}")
    e["fixb"] = add_entry(child, lead, f"School said {secret['fixb']}", corrects_id=e["origb"].id)
    place(child, lead, entry=e["fixb"])

    voice = add_contribution(
        child,
        None,
        kind=ContributionKind.VOICE,
        media=f"WAV {secret['transcript']}".encode(),
        content_type="audio/wav",
    )
    voice.transcript = Transcript(
        status=TranscriptStatus.CONFIRMED,
        machine_text=f"draft {secret['draft']}",
        confirmed_text=f"said {secret['transcript']}",
    )
    db.session.commit()
    voice_entry = attach(
        child, voice, lead, decide(voice, lead, ConsentAnswer.GIVEN, share_with_family=True)
    )
    voice_entry_words = f"said {secret['transcript']}"
    db.session.execute(
        db.update(RecordEntry)
        .where(RecordEntry.id == voice_entry.id)
        .values(contribution_words=voice_entry_words)
    )
    db.session.commit()
    e["voice"] = voice_entry
    # The entry carrying the recording is placed: the recording follows it.
    place(child, lead, entry=voice_entry)

    drawing = add_contribution(
        child,
        f"my drawing {secret['caption']}",
        kind=ContributionKind.DRAWING,
        media=f"PNG {secret['caption']}".encode(),
    )
    e["drawing"] = attach(
        child, drawing, lead, decide(drawing, lead, ConsentAnswer.GIVEN, share_with_family=True)
    )
    place(child, lead, contribution=drawing)

    pressed = add_contribution(child, f"he hits me {secret['alert']}")
    pressed.flagged_unsafe = True
    db.session.commit()
    place(child, lead, contribution=pressed)
    open_press = add_contribution(child, f"scared {shown['saidopen']}")
    open_press.flagged_unsafe = True
    db.session.commit()

    e["last"] = add_entry(child, lead, f"Review {shown['last']}")
    made = create_invitation(child, "leak walk", lead, timedelta(days=1))
    db.session.commit()
    return {
        "child": child,
        "lead": lead,
        "manager": manager,
        "granted": granted,
        "secret": secret,
        "shown": shown,
        "entries": e,
        "contributions": [voice, drawing, pressed, open_press],
        "hidden_contributions": [voice, drawing, pressed],
        "token": made.token,
        "parent": parent,
    }


def grant(scene) -> None:
    confidential.grant_access(scene["child"].id, scene["granted"], "Supervision", scene["manager"])
    db.session.commit()


def staff_responses(app, browser, scene, request_ids: list[int]) -> dict[str, tuple[int, bytes]]:
    """Every GET endpoint a member of staff can reach, with every value that names the
    child's things (and some that name nothing)."""
    child = scene["child"]
    total = len(scene["entries"]) + 2
    values = {
        "child_id": [child.id],
        "contribution_id": [c.id for c in scene["contributions"]] + [999999],
        "number": list(range(1, total + 1)),
        "variant": ["original", "thumbnail"],
        "request_id": request_ids,
        "user_id": [scene["lead"].id],
        # Plans keep their own leak walk (tests/plans); here their pages must only stay clean.
        "item_id": [1, 999999],
        "action_id": [1, 999999],
        # Reports keep their own leak walk (tests/reports); here their pages must stay clean.
        "report_id": [1, 999999],
        "spoken_id": [1, 999999],
        # The family's pages (staff are sent to the family sign-in) and their invitations.
        "token": ["not-an-invitation"],
        "member_id": [scene["parent"].id, 999999],
    }
    responses = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint.startswith("child_space."):
            continue
        if rule.endpoint == "static":
            continue
        assert set(rule.arguments) <= set(values), f"teach this test about {rule.rule}"
        urls = [rule.rule]
        for name in rule.arguments:
            urls = [
                re.sub(rf"<(?:\w+:)?{name}>", str(value), url)
                for url in urls
                for value in values[name]
            ]
        for url in urls:
            response = browser.get(url)
            responses[url] = (response.status_code, response.data)
    return responses


def entry_numbers(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="entry-(\d+)"', page)]


@pytest.mark.parametrize("who", ["lead", "manager"])
def test_nothing_confidential_reaches_a_reader_without_a_grant(app, make_client, scene, who):
    grant(scene)  # a colleague holds a grant: that must change nothing for this reader
    producer = {**scene, "practitioner": scene["lead"]}
    _pdf, _zip, for_child = produce(make_client, producer, "child")
    _pdf, _zip, for_parent = produce(make_client, producer, f"parent:{scene['parent'].id}")
    browser = make_client(scene[who].email)
    responses = staff_responses(app, browser, scene, [for_child.id, for_parent.id])

    child = scene["child"]
    for url, (_status, body) in responses.items():
        for name, secret in scene["secret"].items():
            assert secret.encode() not in body, f"{name} leaked at {url}"
    chronology = responses[f"/children/{child.id}/record"][1].decode()
    assert scene["shown"]["first"] in chronology and scene["shown"]["last"] in chronology
    # Seen: the first entry and the last; numbered 1 and 2, with no gap and no count.
    assert sorted(entry_numbers(chronology)) == [1, 2]
    assert "Entry 3" not in chronology and "entry-3" not in chronology
    # The reader's number 3 names nothing, and neither does the true sequence of anything
    # hidden; the last entry is "entry 2" in every link.
    for number in range(3, len(scene["entries"]) + 3):
        status, _ = responses[f"/children/{child.id}/record/{number}/correct"]
        assert status == 404
    assert responses[f"/children/{child.id}/record/2/correct"][0] == 200
    # Every file and page of a hidden contribution answers as one that does not exist.
    for contribution in scene["hidden_contributions"]:
        base = f"/children/{child.id}/contributions/{contribution.id}"
        for variant in ("original", "thumbnail"):
            assert responses[f"{base}/media/{variant}"][0] == 404
        assert responses[f"{base}/attach"][0] == 404
        assert responses[f"{base}/consent"][0] == 404

    # The alert on the confidential press still reaches them, without its words.
    case_list = responses["/children/"][1].decode()
    assert "the details are in the confidential section; ask a manager with access" in case_list
    assert scene["shown"]["saidopen"] in case_list
    alerts_page = responses[f"/children/{child.id}/safety-alerts"][1].decode()
    assert "ask a manager with access" in alerts_page


def test_a_reader_with_a_grant_sees_it_all_by_the_true_sequence(app, make_client, scene):
    grant(scene)
    browser = make_client(scene["granted"].email)
    child = scene["child"]
    chronology = browser.get(f"/children/{child.id}/record").get_data(as_text=True)
    for name in ("entry", "fixbefore", "fixafter", "origb", "fixb", "transcript", "caption"):
        assert scene["secret"][name] in chronology, name
    assert sorted(entry_numbers(chronology)) == sorted(
        e.sequence for e in scene["entries"].values()
    )
    case_list = browser.get("/children/").get_data(as_text=True)
    assert scene["secret"]["alert"] in case_list
    assert "ask a manager with access" not in case_list
    # Opening a confidential entry or file is a confidential read, and is audited as one.
    hidden_entry = scene["entries"]["fixafter"]
    assert (
        browser.get(f"/children/{child.id}/record/{hidden_entry.sequence}/correct").status_code
        == 200
    )
    drawing = scene["contributions"][1]
    assert (
        browser.get(f"/children/{child.id}/contributions/{drawing.id}/media/original").status_code
        == 200
    )
    places = [
        entry.details_dict.get("where")
        for entry in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == AuditAction.CONFIDENTIAL_VIEWED)
        )
    ]
    for where in ("chronology", "safety_alerts", "record.correct_entry", "contributions.media"):
        assert where in places, where


def test_the_copy_and_the_chronology_withhold_the_same_entries(make_client, scene):
    child = scene["child"]
    pdf, archive, request = produce(make_client, {**scene, "practitioner": scene["lead"]}, "child")
    files = readable(pdf, archive)
    for where, content in files.items():
        for name, secret in scene["secret"].items():
            needle = secret if isinstance(content, str) else secret.encode()
            assert needle not in content, f"{name} leaked into {where}"
    content = export.build_export(request)
    in_copy_as_confidential = {
        w.sequence
        for w in content.withheld
        if w.item == "entry" and w.reason is WithheldReason.CONFIDENTIAL
    }
    seen = disclosure_for(scene["lead"], child.id)
    hidden_from_chronology = {
        e.sequence for e in scene["entries"].values() if not seen.may_see_entry(e)
    }
    assert in_copy_as_confidential == hidden_from_chronology
    assert hidden_from_chronology == {
        scene["entries"][k].sequence
        for k in ("entry", "fixbefore", "fixafter", "origb", "fixb", "voice", "drawing")
    }
    scope = confidential_scope(child.id)
    assert {c.id for c in scene["hidden_contributions"]} <= scope.contribution_ids
    child_copy = disclosure_for(Reader.subject_access(for_child=True), child.id)
    assert not any(child_copy.may_see_contribution(c) for c in scene["hidden_contributions"])


def test_the_childs_space_shows_nothing_that_follows_the_section(app, make_client, scene):
    tablet = make_client()
    assert tablet.get(f"/i/{scene['token']}").status_code == 302
    responses = child_space_responses(app, tablet, scene)
    for url, body in responses.items():
        for name, secret in scene["secret"].items():
            assert secret.encode() not in body, f"{name} leaked at {url}"
    for contribution in scene["hidden_contributions"]:
        for variant in ("original", "thumbnail"):
            assert tablet.get(f"/me/media/{contribution.id}/{variant}").status_code == 404


def test_new_entries_are_announced_by_the_readers_number(make_client, scene):
    child = scene["child"]
    browser = make_client(scene["lead"].email)
    from tests.core.matrix_record import _entry_data

    response = browser.submit(
        f"/children/{child.id}/record/new", _entry_data(None), follow_redirects=False
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#entry-3")
    page = browser.get(f"/children/{child.id}/record").get_data(as_text=True)
    assert "Entry 3 is added to the record." in page
    assert sorted(entry_numbers(page)) == [1, 2, 3]
    corrected = browser.submit(
        f"/children/{child.id}/record/3/correct",
        {**_entry_data(None), "correction_reason": "Wrong time."},
    )
    assert corrected.status_code == 302
    assert corrected.headers["Location"].endswith("#entry-4")
    page = browser.get(f"/children/{child.id}/record").get_data(as_text=True)
    assert "Entry 4 corrects entry 3." in page
    assert "Corrects entry 3" in page and "see the correction, entry 4" in page
