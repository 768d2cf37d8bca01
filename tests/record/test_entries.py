"""The chronology: numbered, attributed, append-only entries; late entries; corrections."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.record.record_setup import (
    audit_count,
    count,
    entry_form,
    local_time,
    make_case,
    page_text,
)
from voice_app.audit.models import AuditAction
from voice_app.extensions import db
from voice_app.record.models import AppendOnlyViolation, RecordEntry


def entries_of(child_id: int) -> list[RecordEntry]:
    db.session.rollback()
    return list(
        db.session.scalars(
            select(RecordEntry).where(RecordEntry.child_id == child_id).order_by(RecordEntry.id)
        )
    )


def test_entries_are_numbered_in_sequence_per_child_and_attributed(client, make_client):
    case, other = make_case(), make_case()
    client.sign_in(case.practitioner.email)
    for body in ("First visit.", "Second visit."):
        response = client.submit(f"/children/{case.child.id}/record/new", entry_form(body=body))
        assert response.status_code == 302
    make_client(other.practitioner.email).submit(
        f"/children/{other.child.id}/record/new", entry_form(body="Other child.")
    )

    assert [e.sequence for e in entries_of(case.child.id)] == [1, 2]
    assert [e.sequence for e in entries_of(other.child.id)] == [1]
    page = page_text(client.get(f"/children/{case.child.id}/record"))
    assert "Entry 1 · Case note" in page
    assert "Entry 2 · Case note" in page
    assert "Sam Okafor, Senior Social Worker" in page
    assert "Other child." not in page
    assert audit_count(AuditAction.RECORD_VIEWED, case.child.id) == 1
    assert audit_count(AuditAction.RECORD_ENTRY_ADDED, case.child.id) == 2


def test_a_late_entry_needs_a_reason_and_says_it_is_late(client):
    case = make_case()
    client.sign_in(case.practitioner.email)
    url = f"/children/{case.child.id}/record/new"

    refused = client.submit(url, entry_form(occurred_at=local_time(72), body="Phone call."))

    assert refused.status_code == 200
    assert "please say why it is being recorded late" in page_text(refused)
    assert entries_of(case.child.id) == []

    client.submit(
        url,
        entry_form(occurred_at=local_time(72), body="Phone call.", late_reason="I was off sick."),
    )
    (entry,) = entries_of(case.child.id)
    assert entry.is_late and entry.late_reason == "I was off sick."
    page = page_text(client.get(f"/children/{case.child.id}/record"))
    assert "Late entry" in page
    assert "I was off sick." in page


def test_an_entry_on_time_is_not_late(client):
    case = make_case()
    client.sign_in(case.practitioner.email)
    client.submit(f"/children/{case.child.id}/record/new", entry_form(occurred_at=local_time(2)))
    (entry,) = entries_of(case.child.id)
    assert not entry.is_late
    assert "Late entry" not in page_text(client.get(f"/children/{case.child.id}/record"))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"kind": "decision", "classification": "decision", "decision_maker": "Priya Shah"},
            "A decision must give its reasons.",
        ),
        (
            {"kind": "decision", "classification": "decision", "decision_reasons": "Safer."},
            "A decision must say who made it.",
        ),
        (
            {"source": "third_party"},
            "Third-party information must say who gave it",
        ),
        ({"occurred_at": local_time(-5)}, "The time of the event cannot be in the future."),
    ],
    ids=["decision-without-reasons", "decision-without-maker", "third-party", "future"],
)
def test_incomplete_entries_are_refused_with_a_message_and_nothing_stored(client, fields, message):
    case = make_case()
    client.sign_in(case.practitioner.email)

    response = client.submit(f"/children/{case.child.id}/record/new", entry_form(**fields))

    assert response.status_code == 200
    page = page_text(response)
    assert message in page
    assert "The entry is not saved" in page
    assert count(RecordEntry, RecordEntry.child_id == case.child.id) == 0
    assert audit_count(AuditAction.RECORD_ENTRY_ADDED, case.child.id) == 0


def test_a_decision_and_third_party_source_are_shown_with_who_and_why(client):
    case = make_case()
    client.sign_in(case.practitioner.email)
    client.submit(
        f"/children/{case.child.id}/record/new",
        entry_form(
            kind="decision",
            classification="decision",
            body="Weekly sessions at school.",
            decision_maker="Priya Shah, Team Manager",
            decision_reasons="She talks more easily at school.",
            source="third_party",
            source_detail="Mrs Patel, class teacher",
        ),
    )
    page = page_text(client.get(f"/children/{case.child.id}/record"))
    for shown in (
        "Decided by",
        "Priya Shah, Team Manager",
        "She talks more easily at school.",
        "Third-party: someone told the author",
        "Mrs Patel, class teacher",
    ):
        assert shown in page


def test_a_correction_keeps_the_old_entry_readable_and_links_both_ways(client):
    case = make_case()
    client.sign_in(case.practitioner.email)
    base = f"/children/{case.child.id}/record"
    client.submit(f"{base}/new", entry_form(body="Her mother said mornings are calmer."))

    refused = client.submit(
        f"{base}/1/correct", entry_form(body="Her grandfather said mornings are calmer.")
    )
    assert refused.status_code == 200
    assert len(entries_of(case.child.id)) == 1

    response = client.submit(
        f"{base}/1/correct",
        entry_form(
            body="Her grandfather said mornings are calmer.",
            correction_reason="It was her grandfather who spoke.",
        ),
    )
    assert response.status_code == 302
    old, new = entries_of(case.child.id)
    assert old.body == "Her mother said mornings are calmer."
    assert new.corrects_id == old.id and new.sequence == 2
    page = page_text(client.get(base))
    assert "Her mother said mornings are calmer." in page
    assert "Corrected" in page
    assert f'href="/children/{case.child.id}/record#entry-2"' in page
    assert "Corrects entry 1" in page
    assert f'href="/children/{case.child.id}/record#entry-1"' in page
    assert "It was her grandfather who spoke." in page
    # A corrected entry is corrected once; the newer one is what to correct next.
    again = client.submit(
        f"{base}/1/correct", entry_form(body="Again.", correction_reason="Again.")
    )
    assert "already been corrected" in page_text(again)
    assert len(entries_of(case.child.id)) == 2


def test_filters_by_kind_classification_and_source(client):
    case = make_case()
    client.sign_in(case.practitioner.email)
    url = f"/children/{case.child.id}/record"
    client.submit(f"{url}/new", entry_form(body="NOTE-FACT-FIRST"))
    client.submit(
        f"{url}/new",
        entry_form(kind="contact", classification="opinion", body="CONTACT-OPINION-FIRST"),
    )
    client.submit(
        f"{url}/new",
        entry_form(
            kind="assessment",
            classification="assessment",
            source="third_party",
            source_detail="The school nurse",
            body="ASSESSMENT-THIRD",
        ),
    )

    def shown(query: str) -> set[str]:
        page = page_text(client.get(f"{url}?{query}"))
        return {
            m for m in ("NOTE-FACT-FIRST", "CONTACT-OPINION-FIRST", "ASSESSMENT-THIRD") if m in page
        }

    assert shown("") == {"NOTE-FACT-FIRST", "CONTACT-OPINION-FIRST", "ASSESSMENT-THIRD"}
    assert shown("kind=contact") == {"CONTACT-OPINION-FIRST"}
    assert shown("classification=assessment") == {"ASSESSMENT-THIRD"}
    assert shown("source=first_hand") == {"NOTE-FACT-FIRST", "CONTACT-OPINION-FIRST"}
    assert shown("kind=case_note&source=third_party") == set()
    assert "No entries match these filters." in page_text(client.get(f"{url}?kind=decision"))


def test_the_model_refuses_to_change_or_delete_an_entry(client):
    case = make_case()
    client.sign_in(case.practitioner.email)
    client.submit(f"/children/{case.child.id}/record/new", entry_form(body="As written."))
    (entry,) = entries_of(case.child.id)

    entry.body = "Rewritten."
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()
    db.session.delete(entry)
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()
    assert entries_of(case.child.id)[0].body == "As written."


def test_two_entries_written_one_after_another_never_share_a_number(app):
    from tests.record.record_setup import make_case as new_case
    from voice_app.record.entries import services as entries

    case = new_case()
    draft = entries.EntryDraft(
        kind=entries.EntryKind.CASE_NOTE,
        body="x",
        occurred_at=entries.utcnow(),
        classification=entries.Classification.FACT,
        source=entries.Source.FIRST_HAND,
    )
    numbers = [
        entries.add_entry(case.child.id, draft, case.practitioner).sequence for _ in range(3)
    ]
    db.session.commit()
    assert numbers == [1, 2, 3]
