"""The child's own choice of one grown-up ("only Mum") goes through the disclosure owner.

The child's choice and the practitioner's consent decision are answered together by
``record.disclosure``: a family reader sees a contribution only when neither names
someone else, and a copy for the whole family never carries it. The leak test signs Dad
in and fetches everything his account can reach.
"""

from __future__ import annotations

import io
import uuid
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from tests.child_space.test_sharing_with_one_grown_up import drawing_png, scene_for
from tests.family.helpers import sign_in
from tests.record.helpers import add_contribution, decide_sharing
from tests.record.record_setup import consent_form
from tests.reports.helpers import MEETING, marker
from voice_app.children.models import DevelopmentalBand, FamilyMember
from voice_app.contributions.models import AuthorKind, Contribution
from voice_app.extensions import db
from voice_app.family.services import account_for
from voice_app.record.disclosure import (
    Audience,
    Reader,
    contribution_ids_shared_with,
    current_consent,
    disclosure_for,
    shared_with,
)
from voice_app.record.models import ConsentAnswer, ConsentDecision, ConsentFrom, RequesterKind
from voice_app.reports.models import ReportKind, ReportWords
from voice_app.reports.services import drafting, sharing
from voice_app.subject_access import export
from voice_app.subject_access.services import request_export


def _decide(contribution: Contribution, by, member_id: int | None = None) -> ConsentDecision:  # type: ignore[no-untyped-def]
    return decide_sharing(contribution, by, member_id=member_id)


def _chosen_for(contribution: Contribution, member: FamilyMember | None) -> Contribution:
    """As the child's space stores it (``child_space.grown_ups``)."""
    contribution.shared_with_member_id = member.id if member else None
    db.session.commit()
    return contribution


def test_the_childs_choice_of_mum_narrows_a_decision_shared_with_all_the_family(
    make_client,
) -> None:
    scene = scene_for(make_client, DevelopmentalBand.EARLY)
    mum, dad = scene.mum.id, scene.dad.id
    for_mum = _chosen_for(add_contribution(scene.child, "for mum"), scene.mum)
    for_all = _chosen_for(add_contribution(scene.child, "for all"), None)
    for contribution in (for_mum, for_all):
        _decide(contribution, scene.practitioner)  # the practitioner: all the family

    def ids(member: int | None) -> set[int]:
        stmt = contribution_ids_shared_with(scene.child.id, Audience.FAMILY, member)
        return set(db.session.scalars(stmt))

    assert ids(mum) == {for_mum.id, for_all.id}
    assert ids(dad) == {for_all.id}
    assert ids(None) == {for_all.id}  # "the family" as a whole: a copy for nobody in particular
    assert disclosure_for(Reader.family(mum), scene.child.id).may_see_contribution(for_mum)
    assert not disclosure_for(Reader.family(dad), scene.child.id).may_see_contribution(for_mum)
    seen_by_dad = db.session.scalars(
        select(Contribution.id).where(
            Contribution.child_id == scene.child.id,
            disclosure_for(Reader.family(dad), scene.child.id).contribution_filter(),
        )
    ).all()
    assert set(seen_by_dad) == {for_all.id}

    # A parent's subject-access copy is for that parent: Mum's carries what Maya gave her,
    # Dad's does not; a copy naming nobody carries only what all the family may see.
    def copy_for(member: int | None):  # type: ignore[no-untyped-def]
        return disclosure_for(
            Reader.subject_access(for_child=False, family_member_id=member), scene.child.id
        )

    for member, sees_mums in ((mum, True), (dad, False), (None, False)):
        assert copy_for(member).may_see_contribution(for_mum) is sees_mums
        assert copy_for(member).may_see_contribution(for_all)
        in_copy = set(
            db.session.scalars(
                select(Contribution.id).where(
                    Contribution.child_id == scene.child.id,
                    copy_for(member).contribution_filter(),
                )
            )
        )
        assert in_copy == ({for_mum.id, for_all.id} if sees_mums else {for_all.id})
    decision = current_consent(for_mum.id)
    assert shared_with(decision, Audience.FAMILY, mum)
    assert not shared_with(decision, Audience.FAMILY, dad)
    assert not shared_with(decision, Audience.FAMILY)
    # The meeting's readers are the professionals at it: the child's choice narrows the
    # family only, and every copy a family member receives is filtered for that member.
    assert shared_with(decision, Audience.MEETING)


def test_a_decision_naming_the_other_parent_shows_it_to_nobody_in_the_family(
    make_client,
) -> None:
    scene = scene_for(make_client, DevelopmentalBand.MIDDLE)
    for_mum = _chosen_for(add_contribution(scene.child, "for mum"), scene.mum)
    _decide(for_mum, scene.practitioner, scene.dad.id)
    for member in (scene.mum.id, scene.dad.id, None):
        stmt = contribution_ids_shared_with(scene.child.id, Audience.FAMILY, member)
        assert for_mum.id not in set(db.session.scalars(stmt))
    # The same decision naming Mum, as the child chose, lets Mum see it.
    _decide(for_mum, scene.practitioner, scene.mum.id)
    assert disclosure_for(Reader.family(scene.mum.id), scene.child.id).may_see_contribution(for_mum)


def test_withdrawn_consent_still_hides_what_the_child_gave_mum(make_client) -> None:
    scene = scene_for(make_client, DevelopmentalBand.TEEN)
    for_mum = _chosen_for(add_contribution(scene.child, "for mum"), scene.mum)
    _decide(for_mum, scene.practitioner)
    assert disclosure_for(Reader.family(scene.mum.id), scene.child.id).may_see_contribution(for_mum)
    db.session.add(
        ConsentDecision(
            child_id=scene.child.id,
            contribution_id=for_mum.id,
            consent_from=ConsentFrom.CHILD,
            information="changed her mind",
            answer=ConsentAnswer.WITHDRAWN,
            reasons="She asked us to stop",
            decided_on=date.today(),
            recorded_by_id=scene.practitioner.id,
            recorded_by_label=scene.practitioner.display,
        )
    )
    db.session.commit()
    assert not disclosure_for(Reader.family(scene.mum.id), scene.child.id).may_see_contribution(
        for_mum
    )


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_drawing_the_child_shares_with_mum_leaks_nowhere_dad_can_look(app, make_client) -> None:
    """The child sends it through their space; the practitioner attaches it with consent
    for ALL the family; a report carrying it is shared with both parents. Dad's account
    fetches every page, the report, its PDF and the media: the marker is in none of them,
    and the drawing is a 404 for him. Mum sees it."""
    scene = scene_for(make_client, DevelopmentalBand.EARLY)
    secret = marker("mum")
    png = drawing_png()
    sent = scene.tablet.post(
        "/me/contributions",
        data={
            "client_id": str(uuid.uuid4()),
            "kind": "drawing",
            "sharing": f"my_family_too:{scene.mum.id}",
            "text": f"Me and mum {secret}",
            "media": (io.BytesIO(png), "drawing.png"),
        },
        content_type="multipart/form-data",
        headers={"X-CSRFToken": scene.tablet.csrf_token()},
    )
    assert sent.status_code == 201, sent.get_data(as_text=True)
    drawing = db.session.get(Contribution, sent.get_json()["id"])
    assert drawing is not None and drawing.media_id
    desk = make_client(scene.practitioner.email)
    attach = f"/children/{scene.child.id}/contributions/{drawing.id}/attach"
    done = desk.submit(attach, consent_form(share_with_family="y", shared_with_member_id="0"))
    assert done.status_code == 302, done.get_data(as_text=True)[-600:]
    db.session.rollback()
    decision = current_consent(drawing.id)
    assert decision is not None and decision.shared_with_member_id is None  # all the family

    report = drafting.start_report(
        scene.child, ReportKind.CP_INITIAL_CONFERENCE, MEETING, scene.practitioner
    )
    db.session.commit()
    version = drafting.draft_of(report)
    assert version is not None
    db.session.add(ReportWords(version_id=version.id, contribution_id=drawing.id, caption=secret))
    db.session.commit()
    mums, dads = account_for(scene.mum), account_for(scene.dad)
    assert mums is not None and dads is not None
    with app.test_request_context():
        sharing.share(report, scene.child, [mums.id, dads.id], scene.practitioner)
    db.session.commit()

    def everything(account) -> dict[str, tuple[int, bytes]]:  # type: ignore[no-untyped-def]
        phone = make_client()
        sign_in(phone, account)
        urls = {
            "home": "/family/",
            "report": f"/family/reports/{report.id}",
            "pdf": f"/family/reports/{report.id}/pdf",
            "original": f"/family/media/{drawing.id}/original",
            "thumbnail": f"/family/media/{drawing.id}/thumbnail",
            "read-back": f"/family/contributions/{drawing.id}/read-back",
            "settings": "/family/settings",
        }
        fetched = {}
        for name, url in urls.items():
            response = phone.get(url)
            fetched[name] = (response.status_code, response.data)
        return fetched

    dad = everything(dads)
    assert dad["report"][0] == 200 and dad["pdf"][0] == 200 and dad["home"][0] == 200
    for name, (_status, body) in dad.items():
        assert secret.encode() not in body, name
        assert png not in body, name
        if name == "pdf":
            assert secret not in _pdf_text(body)
    assert dad["original"][0] == 404 and dad["thumbnail"][0] == 404
    assert dad["read-back"][0] == 404

    mum = everything(mums)
    assert secret.encode() in mum["home"][1]
    assert secret.encode() in mum["report"][1]
    assert mum["original"][0] == 200 and mum["thumbnail"][0] == 200


def test_each_parents_subject_access_copy_carries_what_was_given_to_them_and_their_own_words(
    make_client,
) -> None:
    """Two parents who live apart ask for a copy each: Mum's carries what Maya gave her
    alone and what Mum herself said; Dad's carries neither; both carry what all the family
    may see."""
    scene = scene_for(make_client, DevelopmentalBand.MIDDLE)
    for_mum_words, for_all_words = marker("for-mum"), marker("for-all")
    mums_words, dads_words = marker("mum-said"), marker("dad-said")
    for_mum = _chosen_for(add_contribution(scene.child, for_mum_words), scene.mum)
    for_all = _chosen_for(add_contribution(scene.child, for_all_words), None)
    for contribution in (for_mum, for_all):
        _decide(contribution, scene.practitioner)
    for member, words in ((scene.mum, mums_words), (scene.dad, dads_words)):
        said = add_contribution(scene.child, words, author_kind=AuthorKind.FAMILY_MEMBER)
        said.family_member_id = member.id
    db.session.commit()

    def copy_for(member: FamilyMember) -> str:
        request = request_export(
            scene.child, RequesterKind.PARENT, member.id, "en", None, scene.practitioner
        )
        db.session.commit()
        return export.render_html(export.build_export(request), request.requested_at)

    mums_copy, dads_copy = copy_for(scene.mum), copy_for(scene.dad)
    assert for_mum_words in mums_copy and mums_words in mums_copy
    assert for_all_words in mums_copy and for_all_words in dads_copy
    for not_his in (for_mum_words, mums_words):
        assert not_his not in dads_copy
    assert dads_words in dads_copy and dads_words not in mums_copy
