"""Review due dates per plan kind, in working days across bank holidays, and the chart's
figures against the stored scales."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.plans.helpers import plan_scene
from voice_app.core.working_days import add_working_days
from voice_app.extensions import db
from voice_app.plans import chart
from voice_app.plans.models import ParticipantKind, PlanKind, ReviewKind
from voice_app.plans.services import reading, reviews
from voice_app.plans.services.timetable import add_months, due_reviews
from voice_app.plans.services.voices import shareable_words


@pytest.mark.parametrize(
    ("start", "nation", "expected"),
    [
        # Christmas Day and Boxing Day 2026 fall on Friday and Saturday: the substitute
        # day is Monday 28 December everywhere in the UK.
        (date(2026, 12, 23), "england_wales", date(2026, 12, 30)),
        # Scotland also keeps 2 January (a Saturday in 2027: Monday 4 January instead).
        (date(2026, 12, 31), "scotland", date(2027, 1, 7)),
        (date(2026, 12, 31), "england_wales", date(2027, 1, 6)),
        # St Patrick's Day is a bank holiday in Northern Ireland only.
        (date(2027, 3, 16), "northern_ireland", date(2027, 3, 19)),
        (date(2027, 3, 16), "england_wales", date(2027, 3, 18)),
    ],
)
def test_working_days_skip_the_nations_bank_holidays(start, nation, expected) -> None:
    assert add_working_days(start, 2 if start.month == 3 else 3, nation) == expected


def test_add_months_keeps_the_day_or_the_months_last() -> None:
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 9, 1), 3) == date(2026, 12, 1)


def _review(scene, kind: ReviewKind, held_on: date) -> None:  # type: ignore[no-untyped-def]
    reviews.record_review(
        scene.plan,
        reviews.ReviewDraft(kind, held_on, "changes", present=["Maya"], agree_plan=False),
        scene.practitioner,
    )
    db.session.commit()


def test_child_protection_timetable(app) -> None:
    scene = plan_scene(PlanKind.CHILD_PROTECTION)  # initial conference 1 September 2026
    due = {d.kind: d for d in due_reviews(scene.plan, [], date(2026, 9, 2))}
    assert due[ReviewKind.REVIEW_CONFERENCE].due_on == date(2026, 12, 1)
    # 10 working days from Tuesday 1 September 2026.
    assert due[ReviewKind.CORE_GROUP].due_on == date(2026, 9, 15)
    assert not due[ReviewKind.CORE_GROUP].overdue
    late = {d.kind: d for d in due_reviews(scene.plan, [], date(2026, 9, 16))}
    assert late[ReviewKind.CORE_GROUP].overdue

    _review(scene, ReviewKind.CORE_GROUP, date(2026, 9, 14))
    _review(scene, ReviewKind.REVIEW_CONFERENCE, date(2026, 11, 20))
    due = {d.kind: d for d in reading.reviews_due(scene.plan, date(2026, 11, 21))}
    assert due[ReviewKind.REVIEW_CONFERENCE].due_on == date(2027, 5, 20)
    # After a review conference, the next core group is 10 working days after it.
    assert due[ReviewKind.CORE_GROUP].due_on == date(2026, 12, 4)
    _review(scene, ReviewKind.CORE_GROUP, date(2026, 11, 25))
    due = {d.kind: d for d in reading.reviews_due(scene.plan, date(2026, 11, 26))}
    assert due[ReviewKind.CORE_GROUP].due_on == date(2026, 11, 25) + timedelta(weeks=6)


def test_looked_after_timetable(app) -> None:
    scene = plan_scene(PlanKind.LOOKED_AFTER, date(2026, 3, 2))  # looked after from 2 March
    (first,) = due_reviews(scene.plan, [], date(2026, 3, 3))
    assert first.due_on == date(2026, 3, 30)  # 20 working days
    _review(scene, ReviewKind.LOOKED_AFTER_REVIEW, date(2026, 3, 27))
    (second,) = reading.reviews_due(scene.plan, date(2026, 3, 28))
    assert second.due_on == date(2026, 6, 27)
    _review(scene, ReviewKind.LOOKED_AFTER_REVIEW, date(2026, 6, 20))
    (third,) = reading.reviews_due(scene.plan, date(2026, 6, 21))
    assert third.due_on == date(2026, 12, 20)


def test_a_looked_after_review_is_due_in_working_days_across_easter(app) -> None:
    # Good Friday 3 April and Easter Monday 6 April 2026 are not working days.
    scene = plan_scene(PlanKind.LOOKED_AFTER, date(2026, 3, 23))
    (first,) = due_reviews(scene.plan, [], date(2026, 3, 24))
    assert first.due_on == date(2026, 4, 22)


def test_the_plan_page_flags_an_overdue_review(make_client) -> None:
    scene = plan_scene(PlanKind.CHILD_PROTECTION)  # core group due 15 September 2026
    page = make_client(scene.practitioner.email).get(f"/children/{scene.child.id}/plan").text
    assert "overdue since" in page


def test_the_charts_figures_are_the_stored_scales(make_client) -> None:
    scene = plan_scene()
    given = [
        (date(2026, 9, 14), "Maya", ParticipantKind.CHILD, 3),
        (date(2026, 9, 14), "Claire", ParticipantKind.PARENT, 5),
        (date(2026, 9, 14), "Sam Patel", ParticipantKind.PRACTITIONER, 2),
        (date(2026, 10, 26), "Maya", ParticipantKind.CHILD, 6),
        (date(2026, 10, 26), "Claire", ParticipantKind.PARENT, 7),
        (date(2026, 10, 26), "Sam Patel", ParticipantKind.PRACTITIONER, 5),
    ]
    for held_on in sorted({g[0] for g in given}):
        reviews.record_review(
            scene.plan,
            reviews.ReviewDraft(
                ReviewKind.CORE_GROUP,
                held_on,
                "changes",
                present=["Maya"],
                scales=[
                    reviews.ScaleDraft(kind, name, value)
                    for on, name, kind, value in given
                    if on == held_on
                ],
            ),
            scene.practitioner,
        )
    db.session.commit()
    series = reading.scale_series(scene.plan, shareable_words(scene.child.id))
    lines = chart.lines(series, [s.label for s in series], rtl=False)
    stored = sorted((on, name, value) for on, name, _, value in given)
    assert sorted((d, line.label, v) for line in lines for _, _, v, d in line.points) == stored

    page = make_client(scene.practitioner.email).get(f"/children/{scene.child.id}/plan").text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert sorted(int(v) for v in re.findall(r'class="scale-value"[^>]*>(\d+)<', svg)) == sorted(
        g[3] for g in given
    )
    table = page[page.index('class="table scale-table"') :]
    table = table[: table.index("</table>")]
    assert sorted(int(v) for v in re.findall(r'class="scale-cell">(\d+)<', table)) == sorted(
        g[3] for g in given
    )


def test_the_chart_mirrors_in_arabic(app) -> None:
    scene = plan_scene()
    for held_on, value in ((date(2026, 9, 14), 3), (date(2026, 10, 26), 6)):
        reviews.record_review(
            scene.plan,
            reviews.ReviewDraft(
                ReviewKind.CORE_GROUP,
                held_on,
                "changes",
                present=["Maya"],
                scales=[reviews.ScaleDraft(ParticipantKind.CHILD, "Maya", value)],
            ),
            scene.practitioner,
        )
    db.session.commit()
    series = reading.scale_series(scene.plan, shareable_words(scene.child.id))
    (ltr,) = chart.lines(series, ["Maya"], rtl=False)
    (rtl,) = chart.lines(series, ["Maya"], rtl=True)
    # Time runs left to right in English and right to left in Arabic.
    assert ltr.points[0][0] < ltr.points[1][0]
    assert rtl.points[0][0] > rtl.points[1][0]
    assert rtl.points[0][0] == chart.WIDTH - ltr.points[0][0]
