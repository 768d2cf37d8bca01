"""Demo chronology entries for ``flask demo``: a case note, a late contact, a decision, a
correction, and Maya's own words attached with her consent, so a demo database shows a
real chronology."""

from __future__ import annotations

from datetime import timedelta

from voice_app.accounts.models import User
from voice_app.children.models import Child
from voice_app.contributions.models import AuthorKind, ContributionKind, SharingChoice
from voice_app.contributions.services import Author, Submission, add_contribution
from voice_app.core.db import utcnow
from voice_app.record.consent.services import ConsentDraft, attach
from voice_app.record.entries.services import EntryDraft, add_entry
from voice_app.record.models import Classification, ConsentAnswer, ConsentFrom, EntryKind, Source


def seed_chronology(child: Child, author: User, manager: User) -> None:
    """Write a few entries to ``child``'s chronology, as ``author`` would have."""
    now = utcnow()
    visit = add_entry(
        child.id,
        EntryDraft(
            kind=EntryKind.CASE_NOTE,
            body="Home visit. Maya showed me her drawings and her new school bag. "
            "Her mother said mornings are calmer since the new routine began.",
            occurred_at=now - timedelta(hours=5),
            classification=Classification.FACT,
            source=Source.FIRST_HAND,
        ),
        author,
    )
    add_entry(
        child.id,
        EntryDraft(
            kind=EntryKind.CONTACT,
            body="Maya's class teacher phoned: Maya has been quiet at school this week and "
            "asked twice whether her mum would collect her.",
            occurred_at=now - timedelta(days=3),
            classification=Classification.FACT,
            source=Source.THIRD_PARTY,
            source_detail="Mrs Patel, Maya's class teacher, by phone",
            late_reason="I was on leave; the duty worker's handwritten note reached me today.",
        ),
        author,
    )
    add_entry(
        child.id,
        EntryDraft(
            kind=EntryKind.DECISION,
            body="Maya will have a weekly session with her worker at school for six weeks.",
            occurred_at=now - timedelta(hours=2),
            classification=Classification.DECISION,
            source=Source.FIRST_HAND,
            decision_maker=manager.display,
            decision_reasons="Maya talks more easily at school; her teacher can make a quiet "
            "room available; her mother agrees.",
        ),
        manager,
    )
    add_entry(
        child.id,
        EntryDraft(
            kind=EntryKind.CASE_NOTE,
            body="Home visit. Maya showed me her drawings and her new school bag. "
            "Her grandfather said mornings are calmer since the new routine began.",
            occurred_at=visit.occurred_at,
            classification=Classification.FACT,
            source=Source.FIRST_HAND,
        ),
        author,
        corrects=visit,
        correction_reason="It was her grandfather, not her mother, who spoke about mornings.",
    )
    words, _created = add_contribution(
        child,
        Submission(
            "demo-maya-grandad",
            ContributionKind.TEXT,
            SharingChoice.MY_FAMILY_TOO,
            language="en",
            text="I like it when Grandad walks me to school. I don't like it when it's shouting.",
        ),
        Author(AuthorKind.PRACTITIONER_FOR_CHILD, with_practitioner_id=author.id),
    )
    attach(
        child,
        words,
        ConsentDraft(
            consent_from=ConsentFrom.CHILD,
            information="What Maya said about mornings and getting to school.",
            answer=ConsentAnswer.GIVEN,
            decided_on=now.date(),
            share_with_family=True,
            share_with_meeting=True,
            reasons="Maya wants her mum and grandad to know, and the meeting.",
        ),
        AuthorKind.PRACTITIONER_FOR_CHILD,
        "Maya said this while drawing at the kitchen table; I typed it as she said it.",
        author,
    )
