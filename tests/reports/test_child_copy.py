"""The child's "Words and Pictures" copy: only what the practitioner marks for the child,
given to the child, read in their space (audited) and as a PDF; nothing else of the report,
nothing the child reader may not see."""

from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy import select

from tests.core.matrix import png_bytes
from tests.factories import AssignmentFactory, ChildFactory
from tests.record.helpers import add_contribution, place
from tests.reports.helpers import child_words, marker, report_scene
from voice_app.accounts.invitations import create_invitation
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.contributions.models import AuthorKind, ContributionKind
from voice_app.extensions import db
from voice_app.reports.child_copy.models import ChildCopyLine
from voice_app.reports.models import ReportSection


def _child_device(make_client, scene):  # type: ignore[no-untyped-def]
    made = create_invitation(scene.child, "report", scene.practitioner, timedelta(days=1))
    db.session.commit()
    device = make_client()
    device.get(f"/i/{made.token}")
    return device


def _pdf(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text, sum(len(page.images) for page in reader.pages)


def _audits(action: AuditAction, child_id: int) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action, AuditEntry.child_id == child_id)
        )
    )


def _setup(make_client):  # type: ignore[no-untyped-def]
    scene = report_scene()
    marks = {n: marker(n) for n in ("line", "quote", "report", "secret", "later", "helper")}
    said = child_words(scene.child, scene.practitioner, f"I like {marks['quote']}")
    drawing = child_words(
        scene.child, scene.practitioner, None, kind=ContributionKind.DRAWING, media=png_bytes()
    )
    secret = child_words(scene.child, scene.practitioner, f"Secret {marks['secret']}")
    helper = add_contribution(
        scene.child,
        f"Written with her {marks['helper']}",
        author_kind=AuthorKind.PRACTITIONER_FOR_CHILD,
    )
    staff = make_client(scene.practitioner.email)
    base = f"/children/{scene.child.id}/reports/{scene.report.id}"
    for contribution in (said, drawing, secret):
        assert (
            staff.submit(f"{base}/words", {"contribution_id": str(contribution.id)}).status_code
            == 302
        )
    staff.submit(f"{base}/sections/worried", {"body": f"Professional view {marks['report']}"})
    return (
        scene,
        marks,
        staff,
        base,
        {"said": said, "drawing": drawing, "secret": secret, "helper": helper},
    )


def test_only_what_is_marked_reaches_the_childs_copy(app, make_client) -> None:
    scene, marks, staff, base, made = _setup(make_client)
    copy_url = f"{base}/child-copy"
    added = staff.submit(
        f"{copy_url}/lines",
        {"section": "worried", "body": f"Grown-ups want you safe {marks['line']}"},
    )
    assert added.status_code == 302
    for item in ("said", "drawing"):
        assert (
            staff.submit(f"{copy_url}/items", {"contribution_id": str(made[item].id)}).status_code
            == 302
        )
    # Placed in the confidential section before it was chosen: it cannot be chosen.
    place(scene.child, scene.practitioner, contribution=made["secret"])
    db.session.commit()
    staff.submit(f"{copy_url}/items", {"contribution_id": str(made["secret"].id)})
    staff.submit(f"{copy_url}/items", {"contribution_id": str(made["helper"].id)})
    chosen = {line.contribution_id for line in db.session.scalars(select(ChildCopyLine))}
    assert chosen == {None, made["said"].id, made["drawing"].id}

    page = staff.get(copy_url).get_data(as_text=True)
    assert marks["line"] in page and marks["quote"] in page
    listed = page.split('id="child-copy-lines"', 1)[1].split("</ul>", 1)[0]
    assert marks["quote"] in listed and "A drawing" in listed
    assert marks["secret"] not in page.split("As the child will see it")[1]

    device = _child_device(make_client, scene)
    report_url = f"/me/reports/{scene.report.id}"
    assert device.get(report_url).status_code == 404  # not given yet
    assert "Nothing here yet" in device.get("/me/reports").get_data(as_text=True)

    assert staff.submit(f"{copy_url}/give", {}).status_code == 302
    listing = device.get("/me/reports").get_data(as_text=True)
    assert report_url in listing
    shown = device.get(report_url)
    assert shown.status_code == 200
    text = shown.get_data(as_text=True)
    assert marks["line"] in text and marks["quote"] in text
    assert "What grown-ups are worried about" in text and "data-speak" in text
    assert f"/me/media/{made['drawing'].id}/thumbnail" in text
    for hidden in ("report", "secret", "helper"):
        assert marks[hidden] not in text, hidden
    assert device.get(f"/me/media/{made['drawing'].id}/thumbnail").status_code == 200

    pdf = device.get(f"{report_url}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    pdf_text, pictures = _pdf(pdf.data)
    assert marks["line"] in pdf_text and marks["quote"] in pdf_text
    assert pictures == 1
    for hidden in ("report", "secret", "helper"):
        assert marks[hidden] not in pdf_text, hidden

    reads = _audits(AuditAction.CHILD_REPORT_VIEWED, scene.child.id)
    assert [entry.details_dict["where"] for entry in reads] == ["page", "pdf"]
    assert reads[0].target == f"report:{scene.report.id}"
    staff_reads = _audits(AuditAction.REPORT_VIEWED, scene.child.id)
    assert "child_copy" in {entry.details_dict.get("what") for entry in staff_reads}
    changes = _audits(AuditAction.REPORT_CHANGED, scene.child.id)
    assert {"child_copy_line", "child_copy_given"} <= {e.details_dict["what"] for e in changes}


def test_the_child_sees_the_copy_as_last_given(app, make_client) -> None:
    scene, marks, staff, base, made = _setup(make_client)
    copy_url = f"{base}/child-copy"
    staff.submit(
        f"{copy_url}/lines", {"section": "working_well", "body": f"School {marks['line']}"}
    )
    staff.submit(f"{copy_url}/items", {"contribution_id": str(made["said"].id)})
    staff.submit(f"{copy_url}/give", {})
    staff.submit(f"{copy_url}/lines", {"section": "worried", "body": f"Not yet {marks['later']}"})
    device = _child_device(make_client, scene)
    report_url = f"/me/reports/{scene.report.id}"
    text = device.get(report_url).get_data(as_text=True)
    assert marks["line"] in text and marks["later"] not in text

    first = db.session.scalars(select(ChildCopyLine).order_by(ChildCopyLine.id)).first()
    assert first is not None
    staff.submit(f"{copy_url}/lines/{first.id}/remove", {})
    staff.submit(f"{copy_url}/give", {})
    text = device.get(report_url).get_data(as_text=True)
    assert marks["line"] not in text and marks["later"] in text
    # The removed line is kept: a removal is a new row.
    assert db.session.get(ChildCopyLine, first.id) is not None

    # Words placed in the confidential section after they were given leave the copy.
    place(scene.child, scene.practitioner, contribution=made["said"])
    db.session.commit()
    assert marks["quote"] not in device.get(report_url).get_data(as_text=True)
    assert marks["quote"] not in _pdf(device.get(f"{report_url}/pdf").data)[0]
    # Nor does the practitioner's page show them to a reader without a grant.
    assert marks["quote"] not in staff.get(copy_url).get_data(as_text=True)


def test_lines_are_checked_and_other_children_get_nothing(app, make_client) -> None:
    scene, marks, staff, base, _made = _setup(make_client)
    copy_url = f"{base}/child-copy"
    staff.submit(f"{copy_url}/lines", {"section": "care_plan", "body": "Not in this kind"})
    staff.submit(f"{copy_url}/lines", {"section": "worried", "body": "x" * 301})
    assert db.session.scalars(select(ChildCopyLine)).first() is None
    staff.submit(f"{copy_url}/lines", {"section": "worried", "body": f"Short {marks['line']}"})
    staff.submit(f"{copy_url}/give", {})

    other = ChildFactory(team=scene.practitioner.team)
    AssignmentFactory(child=other, user=scene.practitioner)
    made = create_invitation(other, "report", scene.practitioner, timedelta(days=1))
    db.session.commit()
    device = make_client()
    device.get(f"/i/{made.token}")
    assert device.get(f"/me/reports/{scene.report.id}").status_code == 404
    assert device.get(f"/me/reports/{scene.report.id}/pdf").status_code == 404
    assert marks["line"] not in device.get("/me/reports").get_data(as_text=True)


def test_the_copy_is_in_the_childs_language_and_direction(app, make_client, monkeypatch) -> None:
    scene, marks, staff, base, made = _setup(make_client)
    copy_url = f"{base}/child-copy"
    staff.submit(f"{copy_url}/lines", {"section": "worried", "body": f"سلام {marks['line']}"})
    staff.submit(f"{copy_url}/items", {"contribution_id": str(made["drawing"].id)})
    staff.submit(f"{copy_url}/give", {})
    scene.child.preferred_language = "ar"
    db.session.commit()
    device = _child_device(make_client, scene)
    page = device.get(f"/me/reports/{scene.report.id}").get_data(as_text=True)
    assert 'dir="rtl"' in page and marks["line"] in page

    rendered: list[str] = []
    import voice_app.reports.child_copy.pdf as child_pdf

    real = child_pdf.render_pdf

    def capture(html: str, pictures: dict[str, tuple[bytes, str]]) -> bytes:
        rendered.append(html)
        assert list(pictures) == [f"report-picture:{made['drawing'].id}"]
        return real(html, pictures)

    monkeypatch.setattr(child_pdf, "render_pdf", capture)
    assert device.get(f"/me/reports/{scene.report.id}/pdf").status_code == 200
    assert 'lang="ar" dir="rtl"' in rendered[0]
    assert "font-size: 18pt" in rendered[0] or "font-size: 22pt" in rendered[0]
    # The practitioner's print of the copy is in the child's language too.
    assert staff.get(f"{copy_url}/pdf").status_code == 200
    assert 'lang="ar" dir="rtl"' in rendered[1]
    _ = ReportSection
