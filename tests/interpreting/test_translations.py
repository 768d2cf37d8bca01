"""Translations beside the original, never over it: the timeline, the report page, the PDF
and the family's report page; only confirmed translations are shown to readers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.family.helpers import sign_in
from tests.interpreting.helpers import ask, interpreter_for
from tests.reports.helpers import child_words, marker, report_scene
from tests.reports.test_pages import pdf_text
from voice_app.contributions.models import Contribution
from voice_app.extensions import db
from voice_app.interpreting.models import RequestKind, Translation, TranslationChanged
from voice_app.reports.models import ReportSection
from voice_app.reports.services import drafting, sharing, voices


def _translate(client, row, source: str, text: str, action: str):
    response = client.submit(
        f"/interpreting/{row.id}/translations", {"source": source, "text": text, "action": action}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-600:]


def test_the_childs_words_keep_their_original_and_gain_a_confirmed_translation(app, make_client):
    scene = report_scene()
    by, child = scene.practitioner, scene.child
    original = f"Chcę mieszkać z babcią {marker('pl')}"
    words = child_words(child, by, original)
    words.language = "pl"
    voices.choose_words(scene.report, words.id, None)
    db.session.commit()
    interpreter = interpreter_for(child, name="Ines Interpreter")
    row = ask(child, interpreter, by, contribution_id=words.id)
    client = make_client(interpreter.email)
    draft_text = f"I want to live with grandma {marker('draft')}"
    _translate(client, row, f"contribution:{words.id}", draft_text, "draft")
    staff = make_client(by.email)
    timeline = staff.get(f"/children/{child.id}/contributions").get_data(as_text=True)
    assert original in timeline and draft_text not in timeline  # a draft stays with them
    final = f"I want to live with my grandma {marker('final')}"
    _translate(client, row, f"contribution:{words.id}", final, "confirm")

    db.session.expire_all()
    assert db.session.get(Contribution, words.id).text == original  # the original, untouched
    rows = db.session.scalars(select(Translation).order_by(Translation.id)).all()
    assert [(t.status.value, t.text) for t in rows] == [("draft", draft_text), ("confirmed", final)]

    timeline = staff.get(f"/children/{child.id}/contributions").get_data(as_text=True)
    assert timeline.index(original) < timeline.index(final)
    assert "Translation into English by Ines Interpreter" in timeline
    assert draft_text not in timeline
    report = staff.get(f"/children/{child.id}/reports/{scene.report.id}").get_data(as_text=True)
    assert report.index(original) < report.index(final)
    assert "Translation into English by Ines Interpreter" in report
    pdf = pdf_text(staff.get(f"/children/{child.id}/reports/{scene.report.id}/pdf").data)
    assert original.split()[-1] in pdf and final.split()[-1] in pdf
    assert pdf.index(original.split()[-1]) < pdf.index(final.split()[-1])

    # Append-only: a translation row is never changed.
    rows[-1].text = "changed"
    with pytest.raises(TranslationChanged):
        db.session.flush()
    db.session.rollback()


def test_the_family_reads_a_section_in_their_language_with_the_english_a_tap_away(app, make_client):
    scene = report_scene()
    by, child = scene.practitioner, scene.child
    scene.account.family_member.preferred_language = "pl"
    english = f"We are worried about school {marker('en')}"
    other = f"Other section {marker('other')}"
    drafting.write_section(scene.report, ReportSection.WORRIED, english, by)
    drafting.write_section(scene.report, ReportSection.WORKING_WELL, other, by)
    drafting.record_no_words_reason(scene.report, "Too young to take part.")
    db.session.commit()
    interpreter = interpreter_for(child, name="Ines Interpreter")
    row = ask(
        child,
        interpreter,
        by,
        RequestKind.REPORT_SECTION,
        report_id=scene.report.id,
        report_section="worried",
    )
    client = make_client(interpreter.email)
    page = client.get(f"/interpreting/{row.id}").get_data(as_text=True)
    assert english in page and other not in page  # only the section asked for
    text_id = drafting.current_texts(drafting.latest(scene.report))[ReportSection.WORRIED].id
    polish = f"Martwimy się o szkołę {marker('pl')}"
    _translate(client, row, f"report_text:{text_id}", polish, "confirm")
    with app.test_request_context():
        sharing.share(scene.report, child, [scene.account.id], by)
    db.session.commit()

    phone = make_client()
    sign_in(phone, scene.account)
    seen = phone.get(f"/family/reports/{scene.report.id}").get_data(as_text=True)
    assert seen.index(polish) < seen.index("Translation into")
    assert "Translation into Polish by Ines Interpreter" in seen
    assert "<details" in seen[seen.index(polish) :] and english in seen
    assert seen.index(polish) < seen.index(english)
    staff = make_client(by.email)
    report = staff.get(f"/children/{child.id}/reports/{scene.report.id}").get_data(as_text=True)
    assert report.index(english) < report.index(polish)  # staff: the original first


def test_the_chronology_shows_the_translation_beside_the_contribution(app, make_client):
    from tests.record.helpers import attach, decide
    from voice_app.record.models import ConsentAnswer

    scene = report_scene()
    by, child = scene.practitioner, scene.child
    original = f"Tęsknię za tatą {marker('pl')}"
    words = child_words(child, by, original)
    attach(child, words, by, decide(words, by, ConsentAnswer.GIVEN))
    interpreter = interpreter_for(child, name="Ines Interpreter")
    row = ask(child, interpreter, by, contribution_id=words.id)
    final = f"I miss my dad {marker('en')}"
    _translate(make_client(interpreter.email), row, f"contribution:{words.id}", final, "confirm")
    page = make_client(by.email).get(f"/children/{child.id}/record").get_data(as_text=True)
    assert page.index(original) < page.index(final)
    assert "Translation into English by Ines Interpreter" in page


def test_a_subject_access_copy_gives_the_translation_beside_the_childs_words(app, make_client):
    from tests.record.helpers import attach, decide
    from voice_app.record.models import (
        ConsentAnswer,
        RequesterKind,
        SubjectAccessRequest,
        SubjectAccessStatus,
    )
    from voice_app.subject_access import export

    scene = report_scene()
    by, child = scene.practitioner, scene.child
    original = f"Tęsknię za tatą {marker('pl')}"
    words = child_words(child, by, original)
    attach(child, words, by, decide(words, by, ConsentAnswer.GIVEN))
    interpreter = interpreter_for(child, name="Ines Interpreter")
    row = ask(child, interpreter, by, contribution_id=words.id)
    final = f"I miss my dad {marker('en')}"
    _translate(make_client(interpreter.email), row, f"contribution:{words.id}", final, "confirm")
    request = SubjectAccessRequest(
        child_id=child.id,
        requester_kind=RequesterKind.CHILD,
        language="en",
        status=SubjectAccessStatus.AUTHORISED,
        requested_by_id=by.id,
    )
    db.session.add(request)
    db.session.commit()
    with app.test_request_context():
        html = export.render_html(export.build_export(request), request.requested_at)
    assert html.index(original) < html.index(final)
    assert "Translation into English by Ines Interpreter" in html


def test_the_plan_shows_the_translation_beside_the_childs_words_and_the_interpreter_the_plan(
    app, make_client
):
    from voice_app.plans.models import PlanKind, Section
    from voice_app.plans.services import drafting as plans

    scene = report_scene()
    by, child = scene.practitioner, scene.child
    original = f"Chcę mieszkać z babcią {marker('pl')}"
    words = child_words(child, by, original)
    plan = plans.start_plan(child, PlanKind.CHILD_IN_NEED, date.today(), None, by)
    plans.place_words(plan, words, Section.SAFETY_GOAL, by)
    db.session.commit()
    interpreter = interpreter_for(child, name="Ines Interpreter")
    row = ask(child, interpreter, by, contribution_id=words.id)
    final = f"I want to live with grandma {marker('en')}"
    _translate(make_client(interpreter.email), row, f"contribution:{words.id}", final, "confirm")
    page = make_client(by.email).get(f"/children/{child.id}/plan").get_data(as_text=True)
    assert page.index(original) < page.index(final)
    assert "Translation into English by Ines Interpreter" in page
    # Asked to translate the family's version of the plan, the interpreter sees its text.
    plan_row = ask(child, interpreter, by, RequestKind.PLAN)
    seen = make_client(interpreter.email).get(f"/interpreting/{plan_row.id}")
    assert seen.status_code == 200 and "Your translation into Polish" in seen.get_data(as_text=True)


def test_what_the_family_writes_in_their_language_gets_an_english_translation(app, make_client):
    from voice_app.reports.models import Stance
    from voice_app.reports.services import answers

    scene = report_scene()
    by, child = scene.practitioner, scene.child
    drafting.write_section(scene.report, ReportSection.WORRIED, "We are worried.", by)
    drafting.record_no_words_reason(scene.report, "Too young to take part.")
    db.session.commit()
    with app.test_request_context():
        sharing.share(scene.report, child, [scene.account.id], by)
        polish = f"Nie zgadzam się {marker('pl')}"
        comment = answers.comment(
            scene.report, scene.account, ReportSection.WORRIED, Stance.DISAGREE, polish, "pl"
        )
    db.session.commit()
    interpreter = interpreter_for(child, name="Ines Interpreter")
    row = ask(
        child, interpreter, by, RequestKind.REPORT_SECTION,
        report_id=scene.report.id, report_section="worried",
    )  # fmt: skip
    client = make_client(interpreter.email)
    assert polish in client.get(f"/interpreting/{row.id}").get_data(as_text=True)
    english = f"I do not agree {marker('en')}"
    _translate(client, row, f"report_comment:{comment.id}", english, "confirm")
    staff = make_client(by.email)
    page = staff.get(f"/children/{child.id}/reports/{scene.report.id}").get_data(as_text=True)
    assert page.index(polish) < page.index(english)
    assert "Translation into English by Ines Interpreter" in page
