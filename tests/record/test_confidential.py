"""The confidential section: hidden entirely without a grant, shown and logged with one."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from tests.core.matrix import png_bytes
from tests.factories import AssignmentFactory, UserFactory
from tests.record.record_setup import (
    Case,
    audit_count,
    consent_form,
    entry_form,
    make_case,
    page_text,
    text_contribution,
)
from voice_app.audit.models import AuditAction
from voice_app.children.models import AssignmentRole
from voice_app.contributions.models import (
    AuthorKind,
    ContributionKind,
    SharingChoice,
)
from voice_app.contributions.services import Author, Submission, add_contribution
from voice_app.core.db import utcnow
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.record.models import ConfidentialAccessGrant, ConfidentialPlacement

ENTRY_MARKER = "MARKER-ENTRY-7f3a2c"
CONTRIBUTION_MARKER = "MARKER-CONTRIB-9c2e41"
OPEN_MARKER = "OPEN-ENTRY-b81d"


def placement(**fields: str) -> dict[str, str]:
    return {
        "reason": "given_in_confidence",
        "note": "Told me on condition Dad is not told.",
        "review_on": (date.today() + timedelta(days=90)).isoformat(),
        **fields,
    }


@pytest.fixture
def secret(client, make_client):
    """A child with a confidential entry and a confidential drawing (with an unsafe flag),
    placed by their practitioner; a colleague holds the only grant."""
    case = make_case()
    colleague = UserFactory(team=case.manager.team, name="Dee Grant", post_title="Senior")
    AssignmentFactory(child=case.child, user=colleague)
    interpreter = UserFactory(team=case.manager.team, role=Role.INTERPRETER)
    AssignmentFactory(
        child=case.child,
        user=interpreter,
        role_on_case=AssignmentRole.INTERPRETER,
        ends_at=utcnow() + timedelta(days=3),
    )
    admin = UserFactory(team=None, role=Role.ADMIN)
    drawing, _ = add_contribution(
        case.child,
        Submission(
            str(uuid.uuid4()),
            ContributionKind.DRAWING,
            SharingChoice.MY_WORKER,
            text=CONTRIBUTION_MARKER,
            unsafe=True,
            media=png_bytes(),
        ),
        Author(AuthorKind.CHILD),
    )
    db.session.commit()
    worker = make_client(case.practitioner.email)
    base = f"/children/{case.child.id}"
    worker.submit(f"{base}/record/new", entry_form(body=OPEN_MARKER))
    worker.submit(f"{base}/record/new", entry_form(body=ENTRY_MARKER))
    assert worker.submit(f"{base}/record/2/confidential", placement()).status_code == 302
    assert (
        worker.submit(f"{base}/contributions/{drawing.id}/confidential", placement()).status_code
        == 302
    )
    manager = make_client(case.manager.email)
    granted = manager.submit(
        f"{base}/confidential-access", {"user_id": str(colleague.id), "reason": "Supervision"}
    )
    assert granted.status_code == 302
    return {
        "case": case,
        "drawing": drawing,
        "colleague": colleague,
        "interpreter": interpreter,
        "admin": admin,
    }


def pages_of(case: Case, drawing_id: int) -> list[str]:
    base = f"/children/{case.child.id}"
    return [
        f"{base}/record",
        f"{base}/contributions",
        base,
        "/children/",
        f"{base}/record/confidential",
        f"{base}/contributions/{drawing_id}/media/original",
        f"{base}/contributions/{drawing_id}/attach",
        f"{base}/record/2/correct",
    ]


@pytest.mark.parametrize("who", ["practitioner", "manager"])
def test_without_a_grant_the_confidential_section_is_not_there_at_all(make_client, secret, who):
    case = secret["case"]
    reader = make_client(getattr(case, who).email)
    base = f"/children/{case.child.id}"

    for url in pages_of(case, secret["drawing"].id):
        response = reader.get(url)
        page = page_text(response)
        assert ENTRY_MARKER not in page, url
        assert CONTRIBUTION_MARKER not in page, url
    chronology = page_text(reader.get(f"{base}/record"))
    assert OPEN_MARKER in chronology
    assert "Entry 2" not in chronology
    assert "Confidential section" not in chronology
    assert "Told me on condition" not in chronology
    # The "I don't feel safe" alert on the drawing still reaches the people responsible
    # for the child, without the child's words: they are sent to a manager with access.
    case_list = page_text(reader.get("/children/"))
    assert "Children who said they do not feel safe" in case_list
    assert "the details are in the confidential section; ask a manager with access" in case_list
    for url in pages_of(case, secret["drawing"].id)[4:]:
        assert reader.get(url).status_code == 404, url
    assert reader.get(f"{base}/record/2/confidential").status_code == 404
    assert audit_count(AuditAction.CONFIDENTIAL_VIEWED, case.child.id) == 0


def test_with_a_grant_it_is_shown_marked_and_every_read_is_logged(make_client, secret):
    case = secret["case"]
    reader = make_client(secret["colleague"].email)
    base = f"/children/{case.child.id}"

    section = reader.get(f"{base}/record/confidential")
    assert section.status_code == 200
    page = page_text(section)
    assert ENTRY_MARKER in page and CONTRIBUTION_MARKER in page
    assert "It was given in the expectation that it would not be disclosed" in page
    assert audit_count(AuditAction.CONFIDENTIAL_VIEWED, case.child.id) == 1

    chronology = page_text(reader.get(f"{base}/record"))
    assert ENTRY_MARKER in chronology and "Confidential section" in chronology
    assert "review by" in chronology
    assert audit_count(AuditAction.CONFIDENTIAL_VIEWED, case.child.id) == 2

    assert CONTRIBUTION_MARKER in page_text(reader.get(f"{base}/contributions"))
    assert audit_count(AuditAction.CONFIDENTIAL_VIEWED, case.child.id) == 3

    media = reader.get(f"{base}/contributions/{secret['drawing'].id}/media/original")
    assert media.status_code == 200 and media.mimetype.startswith("image/")
    assert audit_count(AuditAction.CONFIDENTIAL_VIEWED, case.child.id) == 4

    # A chronology filtered down to open entries shows nothing confidential: no read logged.
    reader.get(f"{base}/record?kind=contact")
    assert audit_count(AuditAction.CONFIDENTIAL_VIEWED, case.child.id) == 4


@pytest.mark.parametrize("who", ["interpreter", "admin"])
def test_interpreters_and_admins_never_read_it_even_with_a_grant(make_client, secret, who):
    case = secret["case"]
    person = secret[who]
    db.session.add(
        ConfidentialAccessGrant(
            child_id=case.child.id,
            user_id=person.id,
            granted_by_id=case.manager.id,
            reason="By mistake",
        )
    )
    db.session.commit()
    reader = make_client(person.email)
    base = f"/children/{case.child.id}"

    assert reader.get(f"{base}/record/confidential").status_code == 404
    assert reader.get(f"{base}/record").status_code == 403
    for url in (base, "/children/"):
        page = page_text(reader.get(url))
        assert ENTRY_MARKER not in page and CONTRIBUTION_MARKER not in page
    assert audit_count(AuditAction.CONFIDENTIAL_VIEWED, case.child.id) == 0


def test_a_grant_opens_one_childs_section_only(make_client, secret):
    case = secret["case"]
    colleague = secret["colleague"]
    other = make_case(team=case.child.team)
    AssignmentFactory(child=other.child, user=colleague)
    make_client(other.practitioner.email).submit(
        f"/children/{other.child.id}/record/new", entry_form(body="OTHER-SECRET-51")
    )
    make_client(other.practitioner.email).submit(
        f"/children/{other.child.id}/record/1/confidential", placement()
    )
    reader = make_client(colleague.email)

    assert reader.get(f"/children/{case.child.id}/record/confidential").status_code == 200
    assert reader.get(f"/children/{other.child.id}/record/confidential").status_code == 404
    assert "OTHER-SECRET-51" not in page_text(reader.get(f"/children/{other.child.id}/record"))


def test_a_manager_grants_and_revokes_access_with_reasons(make_client, secret):
    case = secret["case"]
    manager = make_client(case.manager.email)
    worker = make_client(case.practitioner.email)
    base = f"/children/{case.child.id}"
    assert worker.get(f"{base}/record/confidential").status_code == 404

    no_reason = manager.submit(
        f"{base}/confidential-access", {"user_id": str(case.practitioner.id)}
    )
    assert no_reason.status_code == 200
    manager.submit(
        f"{base}/confidential-access",
        {"user_id": str(case.practitioner.id), "reason": "Lead worker"},
    )
    assert worker.get(f"{base}/record/confidential").status_code == 200
    assert audit_count(AuditAction.CONFIDENTIAL_ACCESS_GRANTED, case.child.id) == 2
    access_page = page_text(manager.get(f"{base}/confidential-access"))
    assert "Lead worker" in access_page and "Supervision" in access_page
    assert ENTRY_MARKER not in access_page

    grant = db.session.scalars(
        db.select(ConfidentialAccessGrant).where(
            ConfidentialAccessGrant.user_id == case.practitioner.id
        )
    ).one()
    manager.submit(f"{base}/confidential-access/{grant.id}/revoke", {"reason": ""})
    assert worker.get(f"{base}/record/confidential").status_code == 200
    manager.submit(f"{base}/confidential-access/{grant.id}/revoke", {"reason": "Left the team"})
    assert worker.get(f"{base}/record/confidential").status_code == 404
    db.session.rollback()
    reason = db.select(ConfidentialAccessGrant.revoked_reason).filter_by(id=grant.id)
    assert db.session.scalar(reason) == "Left the team"
    assert audit_count(AuditAction.CONFIDENTIAL_ACCESS_REVOKED, case.child.id) == 1
    # A practitioner cannot give access.
    refused = worker.submit(
        f"{base}/confidential-access", {"user_id": str(case.practitioner.id), "reason": "x"}
    )
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"note": ""}, "Please fill this in."),
        ({"review_on": (date.today() - timedelta(days=1)).isoformat()}, "cannot be in the past"),
    ],
)
def test_placing_needs_reasons_and_a_review_date(client, fields, message):
    case = make_case()
    client.sign_in(case.practitioner.email)
    client.submit(f"/children/{case.child.id}/record/new", entry_form())
    response = client.submit(
        f"/children/{case.child.id}/record/1/confidential", placement(**fields)
    )
    assert response.status_code == 200
    assert message in page_text(response)
    assert db.session.scalar(db.select(db.func.count(ConfidentialPlacement.id))) == 0
    assert audit_count(AuditAction.CONFIDENTIAL_PLACED, case.child.id) == 0


def test_an_attached_contribution_placed_from_its_entry_is_hidden_everywhere(client, make_client):
    case = make_case()
    contribution = text_contribution(case.child, CONTRIBUTION_MARKER)
    client.sign_in(case.practitioner.email)
    base = f"/children/{case.child.id}"
    client.submit(f"{base}/contributions/{contribution.id}/attach", consent_form())
    assert client.submit(f"{base}/record/1/confidential", placement()).status_code == 302

    for url in (f"{base}/record", f"{base}/contributions"):
        assert CONTRIBUTION_MARKER not in page_text(client.get(url))
    assert client.get(f"{base}/contributions/{contribution.id}/consent").status_code == 404
