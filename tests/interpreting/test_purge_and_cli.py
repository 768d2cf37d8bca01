"""A purged record takes its interpreting requests and translations with it; the command
that records an interpreter's languages; the demo's interpreter."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from tests.interpreting.helpers import ask, interpreter_for
from tests.record.helpers import add_contribution
from voice_app.core.db import utcnow
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.interpreting.models import InterpretingRequest, Translation
from voice_app.interpreting.services import translations
from voice_app.interpreting.services.requests import languages_of


def test_purge_removes_requests_and_translations(app, runner):
    practitioner = UserFactory()
    child = ChildFactory(team=practitioner.team)
    AssignmentFactory(child=child, user=practitioner)
    words = add_contribution(child, "Chcę do domu")
    interpreter = interpreter_for(child)
    row = ask(child, interpreter, practitioner, contribution_id=words.id)
    with app.test_request_context():
        translations.add_translation(
            row, interpreter, translations.SourceKind.CONTRIBUTION, words.id, "MkGone home",
            confirm=True, titles={},
        )  # fmt: skip
    child.closed_at, child.closed_by_id = utcnow() - timedelta(days=3000), practitioner.id
    child.closing_summary, child.destroy_on = "Closed.", utcnow().date() - timedelta(days=1)
    db.session.commit()
    result = runner.invoke(args=["records", "purge-expired"])
    assert result.exit_code == 0, result.output
    for model in (Translation, InterpretingRequest):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0


def test_an_administrator_records_an_interpreters_languages(runner):
    interpreter = UserFactory(role=Role.INTERPRETER, email="ines@example.org")
    practitioner = UserFactory(email="pat@example.org")
    result = runner.invoke(args=["interpreting", "add-language", "Ines@example.org", "so"])
    assert result.exit_code == 0 and "works in so" in result.output
    again = runner.invoke(args=["interpreting", "add-language", "ines@example.org", "so"])
    assert "Already recorded" in again.output
    refused = runner.invoke(args=["interpreting", "add-language", practitioner.email, "so"])
    assert refused.exit_code != 0 and "No interpreter account" in refused.output
    assert languages_of([interpreter.id]) == {interpreter.id: ["so"]}


def test_the_demo_interpreter_has_a_session_with_omars_parents_in_two_languages(
    runner, make_client
):
    from voice_app.core.demo import DEMO_PASSWORD

    assert runner.invoke(args=["demo"]).exit_code == 0
    yusuf = make_client()
    yusuf.sign_in("interpreter@demo.example", DEMO_PASSWORD)
    home = yusuf.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Your requests" in home and "Omar" in home
    row = db.session.scalars(select(InterpretingRequest)).one()
    page = yusuf.get(f"/interpreting/{row.id}/two-languages").get_data(as_text=True)
    assert "Riverside Family Centre" in page and 'dir="rtl"' in page
