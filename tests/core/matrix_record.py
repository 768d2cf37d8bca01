"""Permission-matrix rows for the chronology, consent decisions and the confidential section."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from tests.core.matrix import CASE_EDITORS_POST, CASE_READERS, Row, World, only
from tests.factories import AssignmentFactory, ChildFactory
from voice_app.children.models import Child
from voice_app.contributions.models import AuthorKind, Contribution, ContributionKind, SharingChoice
from voice_app.contributions.services import Author, Submission, add_contribution
from voice_app.core.db import utcnow
from voice_app.extensions import db
from voice_app.record.confidential import services as confidential
from voice_app.record.consent import services as consent
from voice_app.record.entries import services as entries
from voice_app.record.models import (
    Classification,
    ConfidentialReason,
    ConsentAnswer,
    ConsentFrom,
    EntryKind,
    Source,
)

#: Without a live grant for the child, the confidential section is not there at all.
NOBODY_CONFIDENTIAL = only({}, 404)
MANAGERS = {"manager": 200, "other_team_manager": 404}
MANAGERS_POST = {"manager": 302, "other_team_manager": 404}


def _note(body: str) -> entries.EntryDraft:
    return entries.EntryDraft(
        kind=EntryKind.CASE_NOTE,
        body=body,
        occurred_at=utcnow() - timedelta(hours=1),
        classification=Classification.FACT,
        source=Source.FIRST_HAND,
    )


def _given() -> consent.ConsentDraft:
    return consent.ConsentDraft(
        consent_from=ConsentFrom.CHILD,
        information="Their words about school",
        answer=ConsentAnswer.GIVEN,
        decided_on=date.today(),
        share_with_meeting=True,
    )


def extend_world(world: World) -> None:
    """Entries, an attached and an unattached contribution, a confidential entry readable
    by the practitioner (who holds the only grant), and a second child with no grant."""
    practitioner, manager = world.users["practitioner"], world.users["manager"]
    child = db.session.get(Child, world.child_id)
    assert child is not None
    note = entries.add_entry(child.id, _note("A home visit."), practitioner)
    secret = entries.add_entry(child.id, _note("Matrix secret."), practitioner)
    confidential.place_entry(
        secret,
        confidential.PlacementDraft(
            ConfidentialReason.SERIOUS_HARM, "Risk to the mother.", date.today()
        ),
        practitioner,
    )
    grant = confidential.grant_access(child.id, practitioner, "Lead worker", manager)

    def text(words: str) -> int:
        contribution, _ = add_contribution(
            child,
            Submission(
                str(uuid.uuid4()), ContributionKind.TEXT, SharingChoice.MY_MEETING, text=words
            ),
            Author(AuthorKind.CHILD, invitation_id=world.invitation_id),
        )
        return contribution.id

    attached = text("I want to stay at my school.")
    consent.attach(
        child,
        db.session.get(Contribution, attached),
        _given(),
        AuthorKind.CHILD,
        "",
        practitioner,
    )
    other = ChildFactory(team=child.team, full_name="Matrix Other Child")
    AssignmentFactory(child=other, user=practitioner)
    db.session.flush()
    world.extra.update(
        entry=note.sequence,
        secret_entry=secret.sequence,
        unattached=text("I like drawing."),
        attached=attached,
        grant=grant.id,
        other_child=other.id,
    )


def _entry_data(w: World) -> dict[str, str]:
    return {
        "kind": "case_note",
        "occurred_at": (utcnow() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "body": "Visited at home.",
        "classification": "fact",
        "source": "first_hand",
    }


def _consent_data(w: World) -> dict[str, str]:
    return {
        "consent_from": "child",
        "family_member_id": "0",
        "information": "Their words about school",
        "share_with_meeting": "y",
        "answer": "given",
        "decided_on": date.today().isoformat(),
        "contribution_author": "child",
    }


def _placement_data(w: World) -> dict[str, str]:
    return {
        "reason": "given_in_confidence",
        "note": "Said in confidence.",
        "review_on": "2099-01-01",
    }


def _c(w: World) -> str:
    return f"/children/{w.child_id}"


ROWS: dict[str, list[Row]] = {
    "record.chronology": [Row("GET", lambda w: f"{_c(w)}/record", only(CASE_READERS))],
    "record.new_entry": [
        Row("GET", lambda w: f"{_c(w)}/record/new", only(CASE_READERS)),
        Row("POST", lambda w: f"{_c(w)}/record/new", only(CASE_EDITORS_POST), _entry_data),
    ],
    "record.correct_entry": [
        Row("GET", lambda w: f"{_c(w)}/record/{w.extra['entry']}/correct", only(CASE_READERS)),
        Row(
            "POST",
            lambda w: f"{_c(w)}/record/{w.extra['entry']}/correct",
            only(CASE_EDITORS_POST),
            lambda w: {**_entry_data(w), "correction_reason": "Wrong day."},
        ),
        # A confidential entry: only the practitioner holds a grant for this child.
        Row(
            "GET",
            lambda w: f"{_c(w)}/record/{w.extra['secret_entry']}/correct",
            only({**CASE_READERS, "manager": 404}),
        ),
    ],
    "consent.attach": [
        Row(
            "GET",
            lambda w: f"{_c(w)}/contributions/{w.extra['unattached']}/attach",
            only(CASE_READERS),
        ),
        Row(
            "POST",
            lambda w: f"{_c(w)}/contributions/{w.extra['unattached']}/attach",
            only(CASE_EDITORS_POST),
            _consent_data,
        ),
    ],
    "consent.new_decision": [
        Row(
            "GET",
            lambda w: f"{_c(w)}/contributions/{w.extra['attached']}/consent",
            only(CASE_READERS),
        ),
        Row(
            "POST",
            lambda w: f"{_c(w)}/contributions/{w.extra['attached']}/consent",
            only(CASE_EDITORS_POST),
            lambda w: {**_consent_data(w), "answer": "withdrawn", "reasons": "Changed her mind."},
        ),
    ],
    "confidential.section": [
        Row(
            "GET",
            lambda w: f"{_c(w)}/record/confidential",
            {**NOBODY_CONFIDENTIAL, "practitioner": 200},
        ),
        # The second child: nobody holds a grant, so nobody sees a section.
        Row(
            "GET",
            lambda w: f"/children/{w.extra['other_child']}/record/confidential",
            NOBODY_CONFIDENTIAL,
        ),
    ],
    "confidential.place_entry": [
        Row("GET", lambda w: f"{_c(w)}/record/{w.extra['entry']}/confidential", only(CASE_READERS)),
        Row(
            "POST",
            lambda w: f"{_c(w)}/record/{w.extra['entry']}/confidential",
            only(CASE_EDITORS_POST),
            _placement_data,
        ),
    ],
    "confidential.place_contribution": [
        Row(
            "GET",
            lambda w: f"{_c(w)}/contributions/{w.extra['unattached']}/confidential",
            only(CASE_READERS),
        ),
        Row(
            "POST",
            lambda w: f"{_c(w)}/contributions/{w.extra['unattached']}/confidential",
            only(CASE_EDITORS_POST),
            _placement_data,
        ),
    ],
    "confidential.access": [
        Row("GET", lambda w: f"{_c(w)}/confidential-access", only(MANAGERS)),
        Row(
            "POST",
            lambda w: f"{_c(w)}/confidential-access",
            only(MANAGERS_POST),
            lambda w: {"user_id": str(w.users["manager"].id), "reason": "Supervision."},
        ),
    ],
    "confidential.revoke": [
        Row(
            "POST",
            lambda w: f"{_c(w)}/confidential-access/{w.extra['grant']}/revoke",
            only(MANAGERS_POST),
            lambda w: {"reason": "Moved team."},
        )
    ],
}
