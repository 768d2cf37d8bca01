"""The review form takes any number of decisions, each with who made it and why; each one
becomes a decision entry in the chronology, and a review with a bad row stores nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from tests.plans.helpers import plan_scene
from voice_app.extensions import db
from voice_app.plans.forms import DECISION_ROWS
from voice_app.plans.models import PlanReview, ReviewDecision
from voice_app.record.models import EntryKind, RecordEntry


def review_form(**extra: str) -> dict[str, str]:
    return {
        "kind": "core_group",
        "held_on": date.today().isoformat(),
        "present": "Maya\nMum\nSam",
        "what_changed": "Nan collects from school now.",
        **extra,
    }


def decision(row: int, what: str, who: str, why: str) -> dict[str, str]:
    return {
        f"decisions-{row}-decision": what,
        f"decisions-{row}-decided_by": who,
        f"decisions-{row}-reasons": why,
    }


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_add_another_decision_comes_back_with_one_more_row_and_records_nothing(
    make_client,
) -> None:
    scene = plan_scene()
    client = make_client(scene.practitioner.email)
    url = f"/children/{scene.child.id}/plan/reviews/new"
    blank = client.get(url).text
    assert f'name="decisions-{DECISION_ROWS - 1}-decision"' in blank
    assert f'name="decisions-{DECISION_ROWS}-decision"' not in blank

    data = review_form(**decision(0, "Keep the plan.", "Core group", "Safer now."))
    page = client.submit(url, {**data, "add_decision": "1"})
    assert page.status_code == 200
    assert f'name="decisions-{DECISION_ROWS}-decision"' in page.text
    assert f"Decision {DECISION_ROWS + 1}" in page.text
    assert "Keep the plan." in page.text  # what was typed stays
    assert count(PlanReview) == 0 and count(RecordEntry) == 0


def test_several_decisions_each_become_a_chronology_decision_entry(make_client) -> None:
    scene = plan_scene()
    client = make_client(scene.practitioner.email)
    url = f"/children/{scene.child.id}/plan/reviews/new"
    data = review_form(
        **decision(0, "The plan continues.", "Core group", "Things are getting safer."),
        **decision(2, "Nan joins the network.", "Sam Okafor", "Maya asked for her."),
        **decision(3, "Contact moves to Saturdays.", "Core group", "School on weekdays."),
    )
    response = client.submit(url, data)
    assert response.status_code == 302
    made = db.session.scalars(select(ReviewDecision).order_by(ReviewDecision.id)).all()
    assert [(d.decision, d.decided_by, d.reasons) for d in made] == [
        ("The plan continues.", "Core group", "Things are getting safer."),
        ("Nan joins the network.", "Sam Okafor", "Maya asked for her."),
        ("Contact moves to Saturdays.", "Core group", "School on weekdays."),
    ]
    entries = db.session.scalars(
        select(RecordEntry).where(RecordEntry.kind == EntryKind.DECISION).order_by(RecordEntry.id)
    ).all()
    assert [(e.body, e.decision_maker, e.decision_reasons) for e in entries] == [
        (d.decision, d.decided_by, d.reasons) for d in made
    ]
    assert [d.record_entry_id for d in made] == [e.id for e in entries]
    page = client.get(f"/children/{scene.child.id}/plan").text
    assert "Nan joins the network." in page and "Contact moves to Saturdays." in page


def test_a_decision_without_who_or_why_refuses_the_whole_review(make_client) -> None:
    scene = plan_scene()
    client = make_client(scene.practitioner.email)
    url = f"/children/{scene.child.id}/plan/reviews/new"
    data = review_form(
        **decision(0, "The plan continues.", "Core group", "Things are getting safer."),
        **decision(1, "Nan joins the network.", "", ""),
        **decision(2, "", "Core group", ""),
    )
    page = client.submit(url, data)
    assert page.status_code == 200
    assert "The review is not recorded: please see the problems below." in page.text
    second = page.text.split('id="decision-2"', 1)[1].split("</fieldset>", 1)[0]
    assert "Please say who made this decision." in second
    assert "Please say why this decision was made." in second
    third = page.text.split('id="decision-3"', 1)[1].split("</fieldset>", 1)[0]
    assert "Please write the decision, or empty this row." in third
    first = page.text.split('id="decision-1"', 1)[1].split("</fieldset>", 1)[0]
    assert 'class="error"' not in first
    # Nothing stored half: no review, no decision, no chronology entry, no new version.
    assert count(PlanReview) == 0 and count(ReviewDecision) == 0 and count(RecordEntry) == 0


def test_a_welsh_reader_gets_the_problem_beside_the_row_in_a_welsh_page(make_client) -> None:
    scene = plan_scene()
    scene.practitioner.locale = "cy"
    db.session.commit()
    client = make_client(scene.practitioner.email)
    url = f"/children/{scene.child.id}/plan/reviews/new"
    page = client.submit(url, review_form(**decision(0, "Keep going.", "", "Safer.")))
    assert page.status_code == 200 and 'lang="cy"' in page.text
    # The message goes through gettext (the lead's catalogues translate it at merge).
    assert 'id="decisions-0-decided_by-error"' in page.text
    assert count(PlanReview) == 0


def test_more_rows_than_a_form_takes_are_refused_not_cut(make_client) -> None:
    from voice_app.plans.forms import MAX_DECISION_ROWS

    scene = plan_scene()
    client = make_client(scene.practitioner.email)
    data = review_form()
    for row in range(MAX_DECISION_ROWS + 1):
        data.update(decision(row, f"Decision {row}.", "Core group", "Because."))
    page = client.submit(f"/children/{scene.child.id}/plan/reviews/new", data)
    assert page.status_code == 200
    assert f"One review takes at most {MAX_DECISION_ROWS} decisions." in page.text
    assert count(PlanReview) == 0 and count(ReviewDecision) == 0
