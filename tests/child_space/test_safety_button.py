""" "I don't feel safe" from the pages without the outbox (POST /unsafe): stored at once for
the child whose space, or picture PIN, is open; never an error page for anyone else."""

from __future__ import annotations

from sqlalchemy import select

from tests.child_space.test_child_space import PICTURES, family  # noqa: F401 (fixture)
from tests.factories import ChildFactory
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.contributions.models import Contribution
from voice_app.extensions import db

TOLD = "A grown-up has been told."


def alerts(child_id: int) -> list[Contribution]:
    return list(
        db.session.scalars(
            select(Contribution).where(
                Contribution.child_id == child_id, Contribution.flagged_unsafe.is_(True)
            )
        )
    )


def test_pressed_on_a_page_of_the_space_it_is_stored_and_the_child_is_told(family):  # noqa: F811
    child, _sam, tablet, made = family
    for page in ("/me/pin", "/me/exit", "/me/plan"):
        assert 'action="/unsafe"' in tablet.get(page).get_data(as_text=True), page
    answer = tablet.submit("/unsafe")
    assert answer.headers["Location"] == "/me"
    assert TOLD in tablet.get("/me").get_data(as_text=True)
    (alert,) = alerts(child.id)
    assert alert.invitation_id == made.invitation.id and alert.sharing == "my_worker"
    raised = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.UNSAFE_FLAG_RAISED)
    ).all()
    assert [entry.target for entry in raised] == [f"contribution:{alert.id}"]


def test_before_the_pictures_are_tapped_the_alert_is_taken_for_that_child(
    make_client,
    family,  # noqa: F811
):
    child, _sam, tablet, made = family
    tablet.submit("/me/pin", PICTURES)
    other = make_client()
    assert other.get(f"/i/{made.token}").headers["Location"] == "/pin"
    assert 'action="/unsafe"' in other.get("/pin").get_data(as_text=True)
    assert other.submit("/unsafe").headers["Location"] == "/pin"
    assert TOLD in other.get("/pin").get_data(as_text=True)
    assert len(alerts(child.id)) == 1
    assert other.get("/me").status_code == 401  # the space itself stays closed


def test_with_no_space_open_it_says_to_tell_a_grown_up_nearby(make_client) -> None:
    someone = make_client()
    someone.get("/join")
    answer = someone.submit("/unsafe")
    assert answer.headers["Location"] == "/join"
    page = someone.get("/join").get_data(as_text=True)
    assert "tell a grown-up who is near you" in page
    ChildFactory()
    db.session.commit()
    assert db.session.scalar(select(Contribution.id)) is None
