"""What the plan page shows after the changes that made a long plan's page fast: the
actions table kept between requests still shows each change and each reader's own links,
scales added later reach the chart, and a long chart stays readable."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import current_app

from tests.plans.helpers import plan_scene
from tests.plans.test_plan_pdf_drawings import pdf_text
from voice_app.extensions import db
from voice_app.plans.models import ActionStatus, Outcome, OwnerKind, ParticipantKind, ReviewKind
from voice_app.plans.services import drafting, reviews


def test_the_actions_table_shows_every_change_and_only_editors_get_change_links(
    make_client,
) -> None:
    scene = plan_scene()
    action = drafting.save_action(
        scene.plan,
        drafting.ActionDraft(
            "Walk to school with Nan",
            OwnerKind.FAMILY,
            "Nan",
            Outcome.STAY_SAFE,
            ActionStatus.UNDER_WAY,
            date(2026, 10, 1),
        ),
    )
    db.session.commit()
    base = f"/children/{scene.child.id}/plan"
    change_link = f'href="{base}/actions/{action.id}"'
    practitioner = make_client(scene.practitioner.email)
    manager = make_client(scene.manager.email)

    page = practitioner.get(base).text
    assert "Walk to school with Nan" in page and "Under way" in page and change_link in page
    # The manager reads the same rows, but may not change them: no link.
    page = manager.get(base).text
    assert "Walk to school with Nan" in page and change_link not in page

    practitioner.submit(
        f"{base}/actions/{action.id}",
        {
            "what": "Walk to school with Nan and Grandad",
            "owner_kind": "family",
            "owner_name": "Nan",
            "status": "done",
            "outcome": "stay_safe",
            "due_on": "2026-10-01",
        },
    )
    for client in (practitioner, manager):
        row = re.search(r'<tr id="action-\d+">.*?</tr>', client.get(base).text, re.S)
        assert row is not None
        assert "Walk to school with Nan and Grandad" in row.group(0)
        assert "Done" in row.group(0) and "Under way" not in row.group(0)
        assert "1 Oct 2026" in row.group(0)


def test_a_scale_added_at_an_earlier_review_reaches_the_chart(make_client) -> None:
    scene = plan_scene()
    with current_app.test_request_context():
        first = reviews.record_review(
            scene.plan,
            reviews.ReviewDraft(ReviewKind.CORE_GROUP, date(2026, 9, 10), "First", ["Mum"]),
            scene.practitioner,
        )
        reviews.record_review(
            scene.plan,
            reviews.ReviewDraft(ReviewKind.CORE_GROUP, date(2026, 10, 20), "Second", ["Mum"]),
            scene.practitioner,
        )
    db.session.commit()
    base = f"/children/{scene.child.id}/plan"
    client = make_client(scene.practitioner.email)
    page = client.get(base).text
    assert "No scales yet." in page
    # The form offers every review, newest first.
    options = re.findall(r'<option[^>]*value="(\d+)"[^>]*>Core group meeting · ([\d-]+)', page)
    assert [day for _id, day in options] == ["2026-10-20", "2026-09-10"]

    response = client.submit(
        f"{base}/scales",
        {
            "review_id": str(first.id),
            "participant_kind": "parent",
            "participant_name": "Mum",
            "value": "7",
            "reason": "Things are calmer",
        },
    )
    assert response.status_code == 302
    page = client.get(base).text
    table = page[page.index('class="table scale-table"') :]
    assert "Mum (Parent)" in table
    assert re.search(r'<th scope="row">10 Sept 2026</th>\s*<td class="scale-cell">7</td>', table)

    # The form's fields are kept between requests: a review recorded since is offered too,
    # and the reader's own token is still in the form.
    with current_app.test_request_context():
        reviews.record_review(
            scene.plan,
            reviews.ReviewDraft(ReviewKind.CORE_GROUP, date(2026, 11, 2), "Third", ["Mum"]),
            scene.practitioner,
        )
    db.session.commit()
    page = client.get(base).text
    options = re.findall(r'<option[^>]*value="(\d+)"[^>]*>Core group meeting · ([\d-]+)', page)
    assert [day for _id, day in options] == ["2026-11-02", "2026-10-20", "2026-09-10"]
    assert 'name="csrf_token"' in page.split('action="' + base + '/scales"')[1].split("</form>")[0]


def test_a_long_chart_names_a_few_dates_and_its_table_gives_every_figure(make_client) -> None:
    scene = plan_scene(started_on=date(2025, 12, 1))
    start = date(2026, 1, 7)
    with current_app.test_request_context():
        for n in range(30):
            reviews.record_review(
                scene.plan,
                reviews.ReviewDraft(
                    ReviewKind.CORE_GROUP,
                    start + timedelta(days=7 * n),
                    f"Review {n}",
                    present=["Mum"],
                    scales=[reviews.ScaleDraft(ParticipantKind.PARENT, "Mum", n % 11)],
                    late_reason="recorded later",
                ),
                scene.practitioner,
            )
    db.session.commit()
    page = make_client(scene.practitioner.email).get(f"/children/{scene.child.id}/plan").text
    svg = page[page.index("<svg") : page.index("</svg>")]
    named = re.findall(r">(\d{4}-\d\d-\d\d)</text>", svg)
    # The first and last dates, a few between, none crowding another.
    assert named[0] == start.isoformat()
    assert named[-1] == (start + timedelta(days=7 * 29)).isoformat()
    assert 3 <= len(named) <= 9
    # Thirty figures would overlap on the chart: they are in the table beside it.
    assert 'class="scale-value"' not in svg
    cells = re.findall(r'<td class="scale-cell">(\d+)</td>', page)
    assert [int(c) for c in cells] == [n % 11 for n in range(30)]


def test_the_pdf_names_each_actions_planned_and_actual_outcome(make_client) -> None:
    scene = plan_scene()
    drafting.save_action(
        scene.plan,
        drafting.ActionDraft(
            "Walk to school with Nan",
            OwnerKind.FAMILY,
            "Nan",
            Outcome.STAY_SAFE,
            ActionStatus.DONE,
            date(2026, 10, 1),
            planned_outcome="Maya gets to school on time",
            actual_outcome="On time every day",
        ),
    )
    db.session.commit()
    client = make_client(scene.practitioner.email)
    response = client.get(f"/children/{scene.child.id}/plan/versions/1/pdf")
    assert response.status_code == 200
    text = " ".join(pdf_text(response.data).split())
    assert "Walk to school with Nan · Planned outcome: Maya gets to school on time" in text
    assert "→ On time every day" in text
    assert "Nan · 1 Oct 2026" in text and "Done · Stay safe" in text
