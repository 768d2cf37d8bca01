"""Two parents who live apart: a consent decision can name one family member, and each
parent then sees only what is shared with them (pages, the report and its PDF)."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from tests.family.helpers import sign_in
from tests.record.helpers import add_contribution, decide_sharing
from tests.record.record_setup import consent_form
from tests.reports.helpers import marker, report_scene
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.extensions import db
from voice_app.record.disclosure import (
    Audience,
    Reader,
    contribution_ids_shared_with,
    current_consent,
    disclosure_for,
    shared_with,
)
from voice_app.reports.models import ReportWords
from voice_app.reports.services import drafting, sharing


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _scene():  # type: ignore[no-untyped-def]
    scene = report_scene()
    mother, father = scene.account.family_member_id, scene.other_account.family_member_id
    marks = {name: marker(name) for name in ("mum", "dad", "both")}
    made = {}
    for name, member in (("mum", mother), ("dad", father), ("both", None)):
        made[name] = add_contribution(scene.child, f"I said {marks[name]}")
        decide_sharing(made[name], scene.practitioner, member_id=member)
    return scene, marks, made


def test_the_disclosure_owner_answers_each_parent_apart(app) -> None:
    scene, _marks, made = _scene()
    mother, father = scene.account.family_member_id, scene.other_account.family_member_id
    child_id = scene.child.id

    def ids(member: int | None) -> set[int]:
        stmt = contribution_ids_shared_with(child_id, Audience.FAMILY, member)
        return set(db.session.scalars(stmt))

    assert ids(mother) == {made["mum"].id, made["both"].id}
    assert ids(father) == {made["dad"].id, made["both"].id}
    # "The family" as a whole (a copy with no one named) never carries one parent's items.
    assert ids(None) == {made["both"].id}
    assert disclosure_for(Reader.family(mother), child_id).may_see_contribution(made["mum"])
    assert not disclosure_for(Reader.family(father), child_id).may_see_contribution(made["mum"])
    decision = current_consent(made["mum"].id)
    assert shared_with(decision, Audience.FAMILY, mother)
    assert not shared_with(decision, Audience.FAMILY, father)
    assert not shared_with(decision, Audience.FAMILY)
    assert shared_with(decision, Audience.MEETING)  # naming a parent narrows the family only


def test_each_parent_sees_only_their_own_shared_items_on_every_page_and_pdf(
    app, make_client
) -> None:
    scene, marks, made = _scene()
    version = drafting.draft_of(scene.report)
    assert version is not None
    for contribution in made.values():
        db.session.add(ReportWords(version_id=version.id, contribution_id=contribution.id))
    db.session.commit()
    with app.test_request_context():
        sharing.share(
            scene.report,
            scene.child,
            [scene.account.id, scene.other_account.id],
            scene.practitioner,
        )
    db.session.commit()

    for account, mine, theirs in (
        (scene.account, "mum", "dad"),
        (scene.other_account, "dad", "mum"),
    ):
        phone = make_client()
        sign_in(phone, account)
        pages = {
            "home": phone.get("/family/").get_data(as_text=True),
            "report": phone.get(f"/family/reports/{scene.report.id}").get_data(as_text=True),
        }
        pdf = phone.get(f"/family/reports/{scene.report.id}/pdf")
        assert pdf.status_code == 200
        pages["pdf"] = _pdf_text(pdf.data)
        for where, text in pages.items():
            assert marks[mine] in text, where
            assert marks[theirs] not in text, where
        assert marks["both"] in pages["report"] and marks["both"] in pages["pdf"]
    # The staff's copy for one parent follows the same rule.
    staff = make_client(scene.practitioner.email)
    url = f"/children/{scene.child.id}/reports/{scene.report.id}/pdf?copy=family&member="
    mums_copy = _pdf_text(staff.get(url + str(scene.account.family_member_id)).data)
    assert marks["mum"] in mums_copy and marks["dad"] not in mums_copy


def test_a_drawing_shared_with_one_parent_is_a_404_for_the_other(app, make_client) -> None:
    from tests.core.matrix import png_bytes
    from voice_app.contributions.models import ContributionKind

    scene = report_scene()
    drawing = add_contribution(scene.child, None, kind=ContributionKind.DRAWING, media=png_bytes())
    decide_sharing(drawing, scene.practitioner, member_id=scene.account.family_member_id)
    for account, status in ((scene.account, 200), (scene.other_account, 404)):
        phone = make_client()
        sign_in(phone, account)
        for variant in ("original", "thumbnail"):
            assert phone.get(f"/family/media/{drawing.id}/{variant}").status_code == status


def test_the_consent_form_names_one_family_member(client) -> None:
    scene = report_scene()
    father = scene.other_account.family_member_id
    contribution = add_contribution(scene.child, "Only my dad")
    client.sign_in(scene.practitioner.email)
    url = f"/children/{scene.child.id}/contributions/{contribution.id}/attach"
    page = client.get(url).get_data(as_text=True)
    assert "With whom in the family?" in page and "All the family" in page

    refused = client.submit(url, consent_form(shared_with_member_id=str(father)))
    assert refused.status_code == 200
    assert "tick sharing with the family" in refused.get_data(as_text=True)
    assert current_consent(contribution.id) is None

    done = client.submit(
        url, consent_form(share_with_family="y", shared_with_member_id=str(father))
    )
    assert done.status_code == 302
    db.session.rollback()
    decision = current_consent(contribution.id)
    assert decision is not None and decision.shared_with_member_id == father
    logged = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.CONSENT_RECORDED)
    ).all()
    assert any(entry.details_dict.get("family_member") == father for entry in logged)
    record = client.get(f"/children/{scene.child.id}/record").get_data(as_text=True)
    assert "only" in record and "in the family" in record
    # A later decision starts from the one in force, the named parent included.
    later = client.get(f"/children/{scene.child.id}/contributions/{contribution.id}/consent")
    assert f'<option selected value="{father}">' in later.get_data(
        as_text=True
    ) or f'value="{father}" selected' in later.get_data(as_text=True)
