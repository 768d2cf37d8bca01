"""Nothing withheld reaches the child's space or a subject-access copy.

Unique markers are written into everything a child or parent may not receive: a
confidential entry, a confidential contribution (words and file), a contribution whose
consent was refused, one whose consent was withdrawn, third-party information without its
source's agreement, a correction of a confidential entry, and the placement's own note.
Then every page of the child's space and every byte of both copies is searched for them.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from tests.factories import (
    AssignmentFactory,
    ChildFactory,
    ConsentDecisionFactory,
    FamilyMemberFactory,
    UserFactory,
)
from tests.family.helpers import family_account, sign_in
from tests.record.helpers import add_contribution, add_entry, attach, decide, place
from voice_app.accounts.invitations import create_invitation
from voice_app.contributions.models import AuthorKind, Contribution, ContributionKind
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.plans.models import PlanKind, Section
from voice_app.plans.services import drafting as plan_drafting
from voice_app.plans.services import versions as plan_versions
from voice_app.record.models import (
    ConfidentialReason,
    ConsentAnswer,
    ConsentFrom,
    Source,
    SubjectAccessRequest,
)
from voice_app.subject_access import export
from voice_app.subject_access.export_labels import WithheldReason


def marker(name: str) -> str:
    return f"Mk{name}{uuid.uuid4().hex[:10]}"


@pytest.fixture
def scene():
    practitioner = UserFactory()
    manager = UserFactory(team=practitioner.team, role=Role.MANAGER)
    child = ChildFactory(team=practitioner.team)
    AssignmentFactory(child=child, user=practitioner)
    parent = FamilyMemberFactory(child=child, name="Claire Thompson")
    secret = {key: marker(key) for key in ("a", "b", "c", "d", "e", "fix", "note")}
    shown = {key: marker(key) for key in ("open", "shared", "agreed")}
    child_only = marker("own")
    by = practitioner
    entries = {
        "open": add_entry(child, by, f"Home visit. {shown['open']}"),
        "a": add_entry(child, by, f"Disclosure. {secret['a']}"),
        "e": add_entry(
            child,
            by,
            f"Neighbour said {secret['e']}",
            source=Source.THIRD_PARTY,
            source_detail="a neighbour",
            source_consents_to_disclosure=False,
        ),
        "agreed": add_entry(
            child,
            by,
            f"Teacher said {shown['agreed']}",
            source=Source.THIRD_PARTY,
            source_detail="class teacher",
            source_consents_to_disclosure=True,
        ),
    }
    entries["fix"] = add_entry(
        child, by, f"Correction: {secret['fix']}", corrects_id=entries["a"].id
    )

    drawing = add_contribution(
        child,
        f"my drawing {secret['b']}",
        kind=ContributionKind.DRAWING,
        media=f"PNG bytes {secret['b']}".encode(),
    )
    consent = decide(drawing, by, ConsentAnswer.GIVEN, share_with_family=True)
    entries["b"] = attach(child, drawing, by, consent)

    refused = add_contribution(
        child, f"dad wrote {secret['c']}", author_kind=AuthorKind.FAMILY_MEMBER
    )
    consent = decide(refused, by, ConsentAnswer.REFUSED, member=parent)
    entries["c"] = attach(child, refused, by, consent)

    withdrawn = add_contribution(
        child,
        f"mum said {secret['d']}",
        author_kind=AuthorKind.FAMILY_MEMBER,
        kind=ContributionKind.VOICE,
        media=f"WAV {secret['d']}".encode(),
        content_type="audio/wav",
    )
    consent = decide(withdrawn, by, ConsentAnswer.GIVEN, share_with_family=True, member=parent)
    entries["d"] = attach(child, withdrawn, by, consent)
    decide(withdrawn, by, ConsentAnswer.WITHDRAWN, member=parent)

    shared = add_contribution(child, f"I like football {shown['shared']}")
    consent = decide(shared, by, ConsentAnswer.GIVEN, share_with_family=True)
    entries["shared"] = attach(child, shared, by, consent)

    own = add_contribution(child, f"only for me {child_only}")
    entries["own"] = attach(child, own, by, decide(own, by, ConsentAnswer.REFUSED))

    made = create_invitation(child, "leak test", practitioner, timedelta(days=1))
    db.session.commit()
    return {
        "child": child,
        "practitioner": practitioner,
        "manager": manager,
        "parent": parent,
        "secret": secret,
        "shown": shown,
        "child_only": child_only,
        "entries": entries,
        "drawing": drawing,
        "token": made.token,
        "contributions": [drawing, refused, withdrawn, shared, own],
    }


def confide(scene) -> None:
    """Place entry (a) and the child's drawing (b) in the confidential section."""
    by, child, secret = scene["practitioner"], scene["child"], scene["secret"]
    place(child, by, entry=scene["entries"]["a"], note=f"why {secret['note']}")
    place(
        child,
        by,
        contribution=scene["drawing"],
        reason=ConfidentialReason.GIVEN_IN_CONFIDENCE,
        note=f"why {secret['note']}",
    )


def _child_copy_of_everything(app, scene) -> int:
    """A report whose "Words and Pictures" copy, given to the child, names every one of the
    child's contributions (as if each was marked before the decisions changed)."""
    from voice_app.reports.child_copy.models import ChildCopyGiven, ChildCopyLine
    from voice_app.reports.models import ReportKind, ReportSection
    from voice_app.reports.services import drafting

    by = scene.get("practitioner") or scene["lead"]
    with app.test_request_context():
        report = drafting.start_report(
            scene["child"], ReportKind.CHILD_IN_NEED_REVIEW, scene["child"].created_at.date(), by
        )
        lines = [
            ChildCopyLine(
                report_id=report.id,
                section=ReportSection.CHILD_VIEWS,
                contribution_id=contribution.id,
                written_by_id=by.id,
                written_by_label=by.display,
            )
            for contribution in scene["contributions"]
        ]
        db.session.add_all(lines)
        db.session.flush()
        db.session.add(
            ChildCopyGiven(
                report_id=report.id, up_to_line_id=max(line.id for line in lines), given_by_id=by.id
            )
        )
        db.session.commit()
    return report.id


def child_space_responses(app, tablet, scene) -> dict[str, bytes]:
    """Every GET endpoint of the child's space, with every contribution id of the child."""
    ids = [c.id for c in scene["contributions"]] + [999999]
    values = {
        "contribution_id": ids,
        "variant": ["original", "thumbnail"],
        "token": [scene["token"]],
        "report_id": [_child_copy_of_everything(app, scene), 999999],
    }
    responses = {}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("child_space.") or "GET" not in (rule.methods or ()):
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
            if url.startswith("/i/"):
                continue  # opening the invitation again is done below, and only redirects
            responses[url] = tablet.get(url).data
    return responses


def test_the_childs_space_never_shows_what_the_child_may_not_see(app, make_client, scene):
    tablet = make_client()
    assert tablet.get(f"/i/{scene['token']}").status_code == 302
    drawing = scene["drawing"]
    before = tablet.get("/me").get_data(as_text=True)
    assert scene["secret"]["b"] in before  # the child's drawing shows until it is placed
    confide(scene)

    responses = child_space_responses(app, tablet, scene)
    assert scene["shown"]["shared"].encode() in responses["/me"]
    assert scene["child_only"].encode() in responses["/me"]
    for url, body in responses.items():
        for name, secret in scene["secret"].items():
            assert secret.encode() not in body, f"{name} leaked at {url}"
    for url in (
        f"/me/contributions/{drawing.id}",
        f"/me/media/{drawing.id}/original",
        f"/me/media/{drawing.id}/thumbnail",
    ):
        response = tablet.get(url)
        nowhere = tablet.get(url.replace(str(drawing.id), "999999"))
        assert response.status_code == nowhere.status_code == 404
        assert same_page(response.data) == same_page(nowhere.data)


def same_page(page: bytes) -> bytes:
    """The page without its CSRF token, and its own address (the language form returns there)."""
    page = re.sub(rb'name="csrf-token" content="[^"]*"', b"", page)
    # The language form's own token too: a signed token carries the second it was made.
    page = re.sub(rb'name="csrf_token" value="[^"]*"', b"", page)
    return re.sub(rb'name="next" value="[^"]*"', b"", page)


def produce(make_client, scene, requester: str) -> tuple[bytes, bytes, SubjectAccessRequest]:
    child = scene["child"]
    browser = make_client(scene["practitioner"].email)
    data = {"requester": requester, "understanding": "y", "language": "en"}
    assert browser.submit(f"/children/{child.id}/subject-access", data).status_code == 302
    request = db.session.scalars(
        db.select(SubjectAccessRequest).order_by(SubjectAccessRequest.id.desc())
    ).first()
    assert request is not None
    boss = make_client(scene["manager"].email)
    boss.submit(f"/children/{child.id}/subject-access/{request.id}/authorise")
    base = f"/children/{child.id}/subject-access/{request.id}"
    pdf, archive = browser.get(f"{base}/pdf"), browser.get(f"{base}/zip")
    assert pdf.status_code == archive.status_code == 200
    db.session.expire_all()
    return pdf.data, archive.data, db.session.get_one(SubjectAccessRequest, request.id)


def pdf_text(data: bytes) -> str:
    """The PDF's text with all spacing removed, so a wrapped line cannot hide a marker."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", "", text)


def readable(pdf: bytes, archive: bytes) -> dict[str, str | bytes]:
    found: dict[str, str | bytes] = {"pdf": pdf, "pdf text": pdf_text(pdf)}
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        for name in opened.namelist():
            found[f"zip:{name}"] = opened.read(name)
            if name.endswith(".pdf"):
                found[f"zip:{name} text"] = pdf_text(opened.read(name))
    return found


def assert_absent(secrets: dict[str, str], files: dict[str, str | bytes]) -> None:
    for where, content in files.items():
        for name, secret in secrets.items():
            needle = secret if isinstance(content, str) else secret.encode()
            assert needle not in content, f"{name} leaked into {where}"


@pytest.mark.parametrize("requester", ["child", "parent"])
def test_subject_access_copies_leave_out_everything_withheld(make_client, scene, requester):
    confide(scene)
    who = "child" if requester == "child" else f"parent:{scene['parent'].id}"
    pdf, archive, request = produce(make_client, scene, who)
    files = readable(pdf, archive)
    text = files["pdf text"]
    assert isinstance(text, str)
    for shown in scene["shown"].values():
        assert shown in text  # what may be shown is there: the search would find a leak
    secrets = dict(scene["secret"])
    if requester == "child":
        assert scene["child_only"] in text
    else:
        secrets["own"] = scene["child_only"]  # the child refused to share it
    assert_absent(secrets, files)
    media = [name for name in files if name.startswith("zip:media/")]
    assert len(media) == 0  # the only files belong to a confidential and a withdrawn item

    entries = scene["entries"]
    content = export.build_export(request)
    # The staff's side keeps the full list, by the entries' own numbers.
    expected = {
        entries["a"].sequence: (WithheldReason.CONFIDENTIAL, ConfidentialReason.SERIOUS_HARM),
        entries["fix"].sequence: (WithheldReason.CONFIDENTIAL, ConfidentialReason.SERIOUS_HARM),
        entries["b"].sequence: (
            WithheldReason.CONFIDENTIAL,
            ConfidentialReason.GIVEN_IN_CONFIDENCE,
        ),
        entries["c"].sequence: (WithheldReason.NO_CONSENT, None),
        entries["d"].sequence: (WithheldReason.NO_CONSENT, None),
        entries["e"].sequence: (WithheldReason.THIRD_PARTY, None),
    }
    if requester == "parent":
        expected[entries["own"].sequence] = (WithheldReason.NO_CONSENT, None)
    assert {
        w.sequence: (w.reason, w.confidential_reason) for w in content.withheld if w.item == "entry"
    } == expected
    # The copy numbers what it mentions 1, 2, 3 ... with no gap where the confidential
    # section was, and its schedule never mentions the confidential section.
    assert sorted(content.entry_numbers.values()) == list(range(1, len(content.entry_numbers) + 1))
    assert all(w.reason is not WithheldReason.CONFIDENTIAL for w in content.schedule)
    assert all(
        w.number is None for w in content.withheld if w.reason is WithheldReason.CONFIDENTIAL
    )
    withheld_items = {w.number: w.reason for w in content.schedule if w.item == "contribution"}
    # The confidential drawing came first and takes no number: the refused and withdrawn
    # contributions are items 1 and 2 of this copy.
    expected_items = {1: WithheldReason.NO_CONSENT, 2: WithheldReason.NO_CONSENT}
    if requester == "parent":
        expected_items[4] = WithheldReason.NO_CONSENT  # the child's own, not shared with family
    assert withheld_items == expected_items
    assert any(w.item == "address" for w in content.schedule) is (requester == "parent")
    third_party_number = content.entry_numbers[entries["e"].id]
    for label in (
        "third-partyinformationwithouttheiragreement",
        "noconsenttosharewiththisperson",
        f"Entry{third_party_number}",
    ):
        assert label in text
    assert "confidential" not in text.lower()


def test_a_childs_own_recording_goes_into_their_copy(make_client, scene):
    child = scene["child"]
    confide(scene)
    recording = add_contribution(
        child, None, kind=ContributionKind.VOICE, media=b"RIFF my voice", content_type="audio/wav"
    )
    assert isinstance(recording, Contribution)
    _pdf, archive, _request = produce(make_client, scene, "child")
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        media = [opened.read(n) for n in opened.namelist() if n.startswith("media/")]
    assert media == [b"RIFF my voice"]


def family_space_responses(app, phone, scene) -> dict[str, bytes]:
    """Every GET endpoint of the family's space, with every contribution id of the child."""
    ids = [c.id for c in scene["contributions"]] + [999999]
    values = {"contribution_id": ids, "variant": ["original", "thumbnail"], "token": ["x"]}
    responses = {}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(("family.", "family_access.", "family_plan.")) or (
            "GET" not in (rule.methods or ())
        ):
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
            responses[url] = phone.get(url).data
    return responses


def _in_an_agreed_plan(scene, drawing) -> None:
    """The drawing, shared with the meeting and the family, placed in an agreed plan."""
    by, child = scene["practitioner"], scene["child"]
    ConsentDecisionFactory(
        contribution=drawing,
        by=by,
        consent_from=ConsentFrom.CHILD,
        share_with_family=True,
        share_with_meeting=True,
        answer=ConsentAnswer.GIVEN,
    )
    plan = plan_drafting.start_plan(child, PlanKind.CHILD_IN_NEED, date.today(), None, by)
    plan_drafting.place_words(plan, drawing, Section.STRENGTH, by)
    plan_versions.agree_draft(plan, by)
    db.session.commit()


def test_the_family_space_never_shows_what_the_family_may_not_see(app, make_client, scene):
    phone = make_client()
    sign_in(phone, family_account(scene["parent"], scene["practitioner"], "claire"))
    drawing = scene["drawing"]
    before = phone.get("/family/").get_data(as_text=True)
    assert scene["secret"]["b"] in before  # shared with the family until it is placed
    # The drawing is in the plan agreed with the family, until it is placed too.
    _in_an_agreed_plan(scene, drawing)
    assert scene["secret"]["b"] in phone.get("/family/plan").get_data(as_text=True)
    assert phone.get(f"/family/media/{drawing.id}/original").status_code == 200
    confide(scene)

    responses = family_space_responses(app, phone, scene)
    assert scene["shown"]["shared"].encode() in responses["/family/"]
    secrets = dict(scene["secret"]) | {"own": scene["child_only"]}
    for url, body in responses.items():
        for name, secret in secrets.items():
            assert secret.encode() not in body, f"{name} leaked at {url}"
    for url in (f"/family/media/{drawing.id}/original", f"/family/media/{drawing.id}/thumbnail"):
        response = phone.get(url)
        nowhere = phone.get(url.replace(str(drawing.id), "999999"))
        assert response.status_code == nowhere.status_code == 404
        assert same_page(response.data) == same_page(nowhere.data)
