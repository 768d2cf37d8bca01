"""Attaching a contribution to the record with a consent decision, and later decisions."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import FamilyMemberFactory
from tests.record.record_setup import (
    audit_count,
    blockquotes,
    consent_form,
    count,
    make_case,
    page_text,
    text_contribution,
    voice_contribution,
)
from voice_app.audit.models import AuditAction
from voice_app.extensions import db
from voice_app.record import visibility
from voice_app.record.models import (
    ConsentAnswer,
    ConsentDecision,
    EntryKind,
    RecordEntry,
    ShareWithoutConsentReason,
)

#: Words no template or label could produce by accident: scripts, marks, markup, quotes.
UNUSUAL = "Zoë's «goldfish» said: <b>I ♥ Mondays</b> & مرحبا   ok?! 7½"


def nothing_stored(child_id: int) -> bool:
    return (
        count(RecordEntry, RecordEntry.child_id == child_id) == 0
        and count(ConsentDecision, ConsentDecision.child_id == child_id) == 0
    )


def test_the_childs_exact_words_go_into_the_record_and_are_shown_verbatim(client):
    case = make_case()
    contribution = text_contribution(case.child, UNUSUAL)
    client.sign_in(case.practitioner.email)
    timeline = page_text(client.get(f"/children/{case.child.id}/contributions"))
    attach_url = f"/children/{case.child.id}/contributions/{contribution.id}/attach"
    assert f'href="{attach_url}"' in timeline and "Add to the record" in timeline

    response = client.submit(attach_url, consent_form())

    assert response.status_code == 302
    db.session.rollback()
    entry = db.session.scalar(select(RecordEntry).where(RecordEntry.child_id == case.child.id))
    assert entry.kind is EntryKind.CONTRIBUTION
    assert entry.contribution_words == UNUSUAL
    assert entry.contribution_author.value == "child"
    decision = visibility.current_consent(contribution.id)
    assert decision.answer is ConsentAnswer.GIVEN
    assert entry.consent_decision_id == decision.id
    assert decision.recorded_by_label == "Sam Okafor, Senior Social Worker"
    chronology = client.get(f"/children/{case.child.id}/record")
    assert UNUSUAL in blockquotes(chronology)
    page = page_text(chronology)
    assert "<b>I ♥ Mondays</b>" not in chronology.get_data(as_text=True)  # escaped, not markup
    for shown in ("The child", "Consent given", "the meeting", "The people at their meeting"):
        assert shown in page
    assert audit_count(AuditAction.CONTRIBUTION_ATTACHED, case.child.id) == 1
    assert audit_count(AuditAction.CONSENT_RECORDED, case.child.id) == 1
    # The timeline now links to the entry instead of offering to attach it again.
    assert "In the record as entry 1" in page_text(
        client.get(f"/children/{case.child.id}/contributions")
    )


def test_attaching_needs_a_consent_decision(client):
    case = make_case()
    contribution = text_contribution(case.child, "I like my school.")
    client.sign_in(case.practitioner.email)

    response = client.submit(
        f"/children/{case.child.id}/contributions/{contribution.id}/attach",
        {"contribution_author": "child", "consent_from": "child", "family_member_id": "0"},
    )

    assert response.status_code == 200
    assert "Please fill this in." in page_text(response)
    assert nothing_stored(case.child.id)


def test_sharing_without_consent_needs_a_reason_reasons_and_who_decided(client):
    case = make_case()
    contribution = text_contribution(case.child, "Dad shouts at night.")
    client.sign_in(case.practitioner.email)
    url = f"/children/{case.child.id}/contributions/{contribution.id}/attach"

    refused = client.submit(
        url, consent_form(answer="refused", shared_without_consent="y", share_with_agencies="y")
    )

    page = page_text(refused)
    assert refused.status_code == 200
    assert "Nothing is saved" in page
    for message in (
        "Sharing without consent needs a reason: please choose one.",
        "Sharing without consent needs its reasons recorded in full.",
        "Sharing without consent must say who decided.",
        "Please say whether a manager was consulted.",
        "Please name the agencies.",
    ):
        assert message in page
    assert nothing_stored(case.child.id)

    accepted = client.submit(
        url,
        consent_form(
            answer="not_sought",
            shared_without_consent="y",
            share_with_agencies="y",
            agencies="Riverside Police Child Protection Unit",
            reason_category="risk_of_significant_harm",
            reasons="Asking would alert the father.",
            decision_maker="Priya Shah, Team Manager",
            manager_consulted="yes",
        ),
    )
    assert accepted.status_code == 302
    decision = visibility.current_consent(contribution.id)
    assert decision.shared_without_consent and decision.manager_consulted
    assert decision.reason_category is ShareWithoutConsentReason.RISK_OF_SIGNIFICANT_HARM
    assert decision.reasons == "Asking would alert the father."
    page = page_text(client.get(f"/children/{case.child.id}/record"))
    assert "Shared without consent" in page
    assert "A child is at risk of significant harm" in page
    assert "Riverside Police Child Protection Unit" in page


def test_a_refusal_must_keep_its_reasons(client):
    case = make_case()
    contribution = text_contribution(case.child, "Don't tell Mum.")
    client.sign_in(case.practitioner.email)
    response = client.submit(
        f"/children/{case.child.id}/contributions/{contribution.id}/attach",
        consent_form(answer="refused"),
    )
    assert "Please record the reasons for this decision." in page_text(response)
    assert nothing_stored(case.child.id)


def test_a_parent_must_be_one_with_parental_responsibility(client):
    case = make_case()
    grandad = FamilyMemberFactory(child=case.child, name="Grandad", parental_responsibility=False)
    mum = FamilyMemberFactory(child=case.child, name="Claire", parental_responsibility=True)
    contribution = text_contribution(case.child, "I want to see my grandfather.")
    client.sign_in(case.practitioner.email)
    url = f"/children/{case.child.id}/contributions/{contribution.id}/attach"

    form_page = page_text(client.get(url))
    # The "which parent was asked" choice; sharing may still name any family member.
    asked = form_page[form_page.index('name="family_member_id"') :]
    asked = asked[: asked.index("</select>")]
    assert ">Claire</option>" in asked and ">Grandad</option>" not in asked
    refused = client.submit(url, consent_form(consent_from="parent", family_member_id="0"))
    assert "Please choose the parent or carer" in page_text(refused)
    not_a_choice = client.submit(
        url, consent_form(consent_from="parent", family_member_id=str(grandad.id))
    )
    assert not_a_choice.status_code == 200
    assert nothing_stored(case.child.id)

    client.submit(url, consent_form(consent_from="parent", family_member_id=str(mum.id)))
    assert visibility.current_consent(contribution.id).family_member_id == mum.id


def test_a_withdrawal_is_a_new_decision_and_history_is_kept(client):
    case = make_case()
    contribution = text_contribution(case.child, "You can show my meeting.")
    client.sign_in(case.practitioner.email)
    client.submit(
        f"/children/{case.child.id}/contributions/{contribution.id}/attach", consent_form()
    )
    first = visibility.current_consent(contribution.id)
    assert visibility.shared_with(first, visibility.Audience.MEETING)
    url = f"/children/{case.child.id}/contributions/{contribution.id}/consent"

    without_reasons = client.submit(url, consent_form(answer="withdrawn"))
    assert "Please record the reasons for this decision." in page_text(without_reasons)
    assert len(visibility.consent_history(contribution.id)) == 1

    response = client.submit(
        url, consent_form(answer="withdrawn", reasons="She does not want it read out now.")
    )

    assert response.status_code == 302
    db.session.rollback()
    history = visibility.consent_history(contribution.id)
    assert [d.answer for d in history] == [ConsentAnswer.GIVEN, ConsentAnswer.WITHDRAWN]
    assert history[0].id == first.id and history[0].answer is ConsentAnswer.GIVEN
    now_in_force = visibility.current_consent(contribution.id)
    assert now_in_force.answer is ConsentAnswer.WITHDRAWN
    assert not visibility.shared_with(now_in_force, visibility.Audience.MEETING)
    page = page_text(client.get(f"/children/{case.child.id}/record"))
    assert "Consent withdrawn" in page
    assert "Every decision (2), oldest first" in page
    assert page.index("Consent given") < page.rindex("Consent withdrawn")
    assert "She does not want it read out now." in page
    assert audit_count(AuditAction.CONSENT_RECORDED, case.child.id) == 2


def test_a_recording_waits_for_its_transcript_to_be_confirmed(client):
    case = make_case()
    voice = voice_contribution(case.child, "I want to go gnome")
    client.sign_in(case.practitioner.email)
    url = f"/children/{case.child.id}/contributions/{voice.id}/attach"

    assert "Please confirm the child's words with them first" in page_text(client.get(url))
    refused = client.submit(url, consent_form())

    assert refused.status_code == 200
    assert "The transcript of this recording is not confirmed yet" in page_text(refused)
    assert nothing_stored(case.child.id)

    client.submit(
        f"/children/{case.child.id}/contributions/{voice.id}/confirm",
        {"text": "I want to go home"},
    )
    assert client.submit(url, consent_form()).status_code == 302
    db.session.rollback()
    entry = db.session.scalar(select(RecordEntry).where(RecordEntry.child_id == case.child.id))
    assert entry.contribution_words == "I want to go home"
    assert blockquotes(client.get(f"/children/{case.child.id}/record")) == ["I want to go home"]


def test_a_contribution_is_attached_once(client):
    case = make_case()
    contribution = text_contribution(case.child, "Once only.")
    client.sign_in(case.practitioner.email)
    url = f"/children/{case.child.id}/contributions/{contribution.id}/attach"
    client.submit(url, consent_form())
    again = client.submit(url, consent_form())
    assert again.status_code == 302
    assert count(RecordEntry, RecordEntry.child_id == case.child.id) == 1
    assert count(ConsentDecision, ConsentDecision.child_id == case.child.id) == 1
