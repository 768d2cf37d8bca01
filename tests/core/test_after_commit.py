"""core.queue.after_commit: a job is sent when its transaction commits, never on rollback."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from tests.factories import TeamFactory
from voice_app.accounts.models import Team
from voice_app.core.queue import after_commit, job
from voice_app.extensions import db

seen: list[int] = []


@job()
def count_teams(expected: int) -> None:
    """Runs at once in the tests (QUEUE_IMMEDIATE), in a session of its own."""
    seen.append(db.session.scalar(select(func.count(Team.id))) or 0)
    seen.append(expected)


def test_a_job_is_sent_when_its_transaction_commits_and_sees_what_was_committed(
    app: Flask,
) -> None:
    seen.clear()
    db.session.add(Team(name="Riverside"))
    db.session.flush()
    after_commit(count_teams, 1)
    assert seen == []
    db.session.commit()
    assert seen == [1, 1]


def test_a_rollback_sends_no_job(app: Flask) -> None:
    seen.clear()
    TeamFactory()
    db.session.add(Team(name="Hillside"))
    db.session.flush()
    after_commit(count_teams, 2)
    db.session.rollback()
    db.session.add(Team(name="Lakeside"))
    db.session.commit()
    assert seen == []
    assert db.session.scalar(select(func.count(Team.id))) == 2
