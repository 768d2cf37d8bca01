"""A form sent twice writes once (``voice_app.core.sent_once``): the page gives each POST
form an id as it is first sent, and a copy with the same id and content stores nothing."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import func, select

from tests.record.record_setup import audit_count, entry_form, local_time, make_case, page_text
from voice_app.audit.models import AuditAction
from voice_app.core import sent_once
from voice_app.core.db import utcnow
from voice_app.core.sent_once import FormSubmission
from voice_app.extensions import db
from voice_app.record.models import RecordEntry

KEPT_ONCE = "This was sent twice and kept once."


def bodies(child_id: int) -> list[str]:
    db.session.rollback()
    return list(
        db.session.scalars(
            select(RecordEntry.body)
            .where(RecordEntry.child_id == child_id)
            .order_by(RecordEntry.id)
        )
    )


def test_an_entry_sent_again_with_its_id_is_kept_once_and_the_sender_taken_to_it(client):
    case = make_case()
    client.sign_in(case.practitioner.email)
    url = f"/children/{case.child.id}/record/new"
    form = entry_form(body="Home visit; the answer was lost.", submission_id="a1" * 16)

    first = client.submit(url, form)
    again = client.submit(url, form)

    assert first.status_code == again.status_code == 302
    assert again.location == first.location  # the entry itself, "#entry-N"
    assert bodies(case.child.id) == ["Home visit; the answer was lost."]
    assert audit_count(AuditAction.RECORD_ENTRY_ADDED, case.child.id) == 1
    shown = page_text(client.get(again.location))
    assert KEPT_ONCE in shown
    assert shown.count("Home visit; the answer was lost.") == 1


def test_the_same_id_with_other_words_or_no_id_at_all_is_stored_each_time(client):
    case = make_case()
    client.sign_in(case.practitioner.email)
    url = f"/children/{case.child.id}/record/new"

    client.submit(url, entry_form(body="First words.", submission_id="b2" * 16))
    # Edited after a failure: another submission, not a copy. Losing it would be worse.
    client.submit(url, entry_form(body="Changed words.", submission_id="b2" * 16))
    # Without JavaScript there is no id: handled as it always was.
    client.submit(url, entry_form(body="No id."))
    client.submit(url, entry_form(body="No id."))

    assert bodies(case.child.id) == ["First words.", "Changed words.", "No id.", "No id."]


def test_a_form_sent_back_with_its_problems_can_be_corrected_under_the_same_id(client):
    case = make_case()
    client.sign_in(case.practitioner.email)
    url = f"/children/{case.child.id}/record/new"
    late = {"occurred_at": local_time(72), "body": "Phone call.", "submission_id": "c3" * 16}

    refused = client.submit(url, entry_form(**late))
    assert refused.status_code == 200
    assert "please say why it is being recorded late" in page_text(refused)
    corrected = client.submit(url, entry_form(**late, late_reason="I was off sick."))
    resent = client.submit(url, entry_form(**late, late_reason="I was off sick."))

    assert corrected.status_code == resent.status_code == 302
    assert bodies(case.child.id) == ["Phone call."]


def test_ids_are_each_senders_own(client, make_client):
    case = make_case()
    client.sign_in(case.practitioner.email)
    url = f"/children/{case.child.id}/record/new"
    form = entry_form(body="Seen together.", submission_id="d4" * 16)

    client.submit(url, form)
    make_client(case.manager.email).submit(url, form)

    assert bodies(case.child.id) == ["Seen together.", "Seen together."]


def test_two_copies_committing_together_keep_the_first_and_nothing_of_the_second(
    client, monkeypatch
):
    """Both copies pass the check before either commits (PostgreSQL runs them side by
    side); the table's unique key refuses the second as it commits, with its audit entry."""
    case = make_case()
    client.sign_in(case.practitioner.email)
    url = f"/children/{case.child.id}/record/new"
    form = entry_form(body="Sent from two tabs at once.", submission_id="e5" * 16)
    first = client.submit(url, form)
    looked_up = sent_once._earlier
    missed: list[tuple[str, ...]] = []

    def miss_the_first_look(*key: str) -> tuple[str | None] | None:
        if not missed:  # the check before the view: the first copy not yet committed
            missed.append(key)
            return None
        return looked_up(*key)

    monkeypatch.setattr(sent_once, "_earlier", miss_the_first_look)

    second = client.submit(url, form)

    assert second.status_code == 302
    assert bodies(case.child.id) == ["Sent from two tabs at once."]
    assert audit_count(AuditAction.RECORD_ENTRY_ADDED, case.child.id) == 1
    assert missed
    assert second.location == first.location
    assert KEPT_ONCE in page_text(client.get(second.location))


def test_a_copy_of_an_upload_is_known_by_its_file_not_its_name(app):
    """The digest reads the files' bytes: the same name with other bytes is other content."""

    def digest(data: bytes) -> str:
        with app.test_request_context(
            "/somewhere",
            method="POST",
            data={"kind": "drawing", "media": (io.BytesIO(data), "drawing.png")},
            content_type="multipart/form-data",
        ):
            return sent_once._digest()

    assert digest(b"one picture") == digest(b"one picture")
    assert digest(b"one picture") != digest(b"another picture")


def test_what_is_kept_is_forgotten_after_two_days(app):
    now = utcnow()
    for sent, name in ((now - timedelta(days=3), "old"), (now - timedelta(hours=1), "new")):
        db.session.add(
            FormSubmission(sender="staff:1", submission_id=name, digest="0" * 64, created_at=sent)
        )
    db.session.commit()

    assert sent_once.forget_old_submissions(now) == 1
    db.session.commit()

    assert db.session.scalars(select(FormSubmission.submission_id)).all() == ["new"]
    assert db.session.scalar(select(func.count()).select_from(FormSubmission)) == 1
