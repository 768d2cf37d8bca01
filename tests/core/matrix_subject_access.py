"""Permission-matrix rows for subject-access exports, case closure and retention."""

from __future__ import annotations

from tests.core.matrix import CASE_EDITORS_POST, CASE_READERS, Row, World, only
from voice_app.core.storage import media_store
from voice_app.extensions import db
from voice_app.record.models import RequesterKind, SubjectAccessRequest, SubjectAccessStatus


def _base(w: World) -> str:
    return f"/children/{w.child_id}/subject-access"


ROWS: dict[str, list[Row]] = {
    "subject_access.requests": [
        Row("GET", lambda w: _base(w), only(CASE_READERS)),
        Row(
            "POST",
            lambda w: _base(w),
            only(CASE_EDITORS_POST),
            lambda w: {"requester": "child", "understanding": "y", "language": ""},
        ),
    ],
    # Only a manager of the child's team, and never the one who asked (the practitioner here).
    "subject_access.authorise": [
        Row(
            "POST",
            lambda w: f"{_base(w)}/{w.extra['sar_requested']}/authorise",
            only({"manager": 302, "other_team_manager": 404}),
        )
    ],
    "subject_access.download_pdf": [
        Row("GET", lambda w: f"{_base(w)}/{w.extra['sar_produced']}/pdf", only(CASE_READERS)),
        # Not authorised yet: nothing to download, for anyone.
        Row(
            "GET",
            lambda w: f"{_base(w)}/{w.extra['sar_requested']}/pdf",
            only(dict.fromkeys(CASE_READERS, 404)),
        ),
    ],
    "subject_access.download_zip": [
        Row("GET", lambda w: f"{_base(w)}/{w.extra['sar_produced']}/zip", only(CASE_READERS)),
        Row(
            "GET",
            lambda w: f"{_base(w)}/{w.extra['sar_requested']}/zip",
            only(dict.fromkeys(CASE_READERS, 404)),
        ),
    ],
    "children.close_case": [
        Row("GET", lambda w: f"/children/{w.child_id}/close", only(CASE_READERS)),
        Row(
            "POST",
            lambda w: f"/children/{w.child_id}/close",
            only(CASE_EDITORS_POST),
            lambda w: {"summary": "The family is doing well; no further work is needed."},
        ),
    ],
}


def extend_world(world: World) -> None:
    """A request waiting for authorisation and one already produced, both by the practitioner."""
    practitioner = world.users["practitioner"]
    store = media_store()
    requested = SubjectAccessRequest(
        child_id=world.child_id,
        requester_kind=RequesterKind.CHILD,
        language="en",
        status=SubjectAccessStatus.REQUESTED,
        requested_by_id=practitioner.id,
    )
    produced = SubjectAccessRequest(
        child_id=world.child_id,
        requester_kind=RequesterKind.CHILD,
        language="en",
        status=SubjectAccessStatus.PRODUCED,
        requested_by_id=practitioner.id,
        authorised_by_id=world.users["manager"].id,
        pdf_media_id=store.put(b"%PDF-1.7 matrix"),
        zip_media_id=store.put(b"PK matrix"),
    )
    db.session.add_all([requested, produced])
    db.session.flush()
    world.extra["sar_requested"] = requested.id
    world.extra["sar_produced"] = produced.id
