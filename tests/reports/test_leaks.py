"""Nothing withheld reaches a family member's report page, their home page or their PDF.

Uses the record's leak scene: markers in a confidential entry and drawing, words whose
consent was refused or withdrawn, and the child's words kept from the family. Every one of
the child's contributions is put into the report (as if chosen before the decisions
changed), and an analysis point rests on the confidential entry.
"""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.family.helpers import family_account, sign_in
from tests.record.test_leaks import confide, scene  # noqa: F401 - the shared fixture
from voice_app.extensions import db
from voice_app.reports.models import AnalysisPoint, ReportKind, ReportWords
from voice_app.reports.services import drafting, sharing


def test_a_shared_report_never_shows_the_family_what_they_may_not_see(
    app,
    make_client,
    scene,  # noqa: F811
):
    by = scene["practitioner"]
    report = drafting.start_report(
        scene["child"], ReportKind.CP_INITIAL_CONFERENCE, scene["child"].created_at.date(), by
    )
    version = drafting.draft_of(report)
    assert version is not None
    for contribution in scene["contributions"]:
        db.session.add(ReportWords(version_id=version.id, contribution_id=contribution.id))
    point = AnalysisPoint(
        version_id=version.id,
        kind="judgement",
        body=f"Resting on {scene['secret']['a']}",
        entry_ids=str(scene["entries"]["a"].id),
    )
    db.session.add(point)
    account = family_account(scene["parent"], by, "claire")
    with app.test_request_context():
        drafting.record_no_words_reason(report, "Chosen before the meeting was asked.")
        sharing.share(report, scene["child"], [account.id], by)
    db.session.commit()
    confide(scene)
    db.session.commit()

    phone = make_client()
    sign_in(phone, account)
    page = phone.get(f"/family/reports/{report.id}")
    assert page.status_code == 200
    assert scene["shown"]["shared"].encode() in page.data
    pdf = phone.get(f"/family/reports/{report.id}/pdf").data
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert scene["shown"]["shared"] in pdf_text
    bodies = {
        "page": page.data,
        "home": phone.get("/family/").data,
        "pdf": pdf,
        "pdf text": pdf_text.encode(),
    }
    secrets = dict(scene["secret"]) | {"own": scene["child_only"]}
    for where, body in bodies.items():
        for name, secret in secrets.items():
            assert secret.encode() not in body, f"{name} leaked in the family's {where}"

    staff = make_client(by.email)
    meeting = staff.get(f"/children/{scene['child'].id}/reports/{report.id}/pdf").data
    meeting_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(meeting)).pages)
    for name in ("a", "b", "note"):
        assert scene["secret"][name] not in meeting_text, f"{name} leaked in the meeting's copy"
