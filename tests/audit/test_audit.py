"""The audit chain: what is written, how tampering shows, and the manager's audit page."""

from __future__ import annotations

from itertools import pairwise

from sqlalchemy import func, select, text

from tests.factories import AssignmentFactory, ChildFactory, TeamFactory, UserFactory
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction, AuditCheckpoint, AuditEntry, lane_genesis
from voice_app.core.permissions import Role
from voice_app.extensions import db


def entries() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def lanes_of(chain: list[AuditEntry]) -> dict[int, list[AuditEntry]]:
    by_lane: dict[int, list[AuditEntry]] = {}
    for entry in chain:
        by_lane.setdefault(entry.lane, []).append(entry)
    return by_lane


def test_each_entry_links_to_the_one_before(make_client):
    sam = UserFactory()
    child = ChildFactory(team=sam.team)
    AssignmentFactory(child=child, user=sam)
    browser = make_client(sam.email)
    browser.get("/children/")
    browser.get(f"/children/{child.id}")
    browser.submit("/logout")
    chain = entries()
    assert [e.action for e in chain] == [
        AuditAction.LOGIN,
        AuditAction.CASE_LIST_VIEWED,
        AuditAction.CHILD_VIEWED,
        AuditAction.LOGOUT,
    ]
    for lane, in_lane in lanes_of(chain).items():
        assert in_lane[0].prev_hash == lane_genesis(lane)
        for before, after in pairwise(in_lane):
            assert after.prev_hash == before.hash
    assert all(e.actor_label == sam.display for e in chain)


def make_chain(length: int) -> list[AuditEntry]:
    made = [audit.record(AuditAction.SETTINGS_CHANGED, details={"n": n}) for n in range(length)]
    db.session.commit()
    return made


def test_verify_passes_on_an_untouched_chain(runner):
    make_chain(5)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "OK: 5 entries verified." in result.output


def test_editing_an_entry_breaks_verification_at_that_entry(runner):
    made = make_chain(5)
    target = made[2].id
    db.session.execute(
        text("UPDATE audit_entries SET details = :d WHERE id = :id"),
        {"d": '{"n":99}', "id": target},
    )
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at entry {target}" in result.output
    assert "no longer match" in result.output


def test_deleting_an_entry_breaks_verification_after_the_gap(runner):
    made = make_chain(5)
    db.session.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": made[1].id})
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at entry {made[2].id}" in result.output
    assert "does not link" in result.output


def test_manager_filters_the_audit_log_by_child_person_and_date(make_client):
    team = TeamFactory()
    manager = UserFactory(team=team, role=Role.MANAGER)
    sam = UserFactory(team=team, name="Sam Reader")
    first = ChildFactory(team=team, full_name="First Child")
    second = ChildFactory(team=team, full_name="Second Child")
    for child in (first, second):
        AssignmentFactory(child=child, user=sam)
    reader = make_client(sam.email)
    reader.get(f"/children/{first.id}")
    reader.get(f"/children/{second.id}")
    browser = make_client(manager.email)
    by_child = browser.get(f"/audit/?child={first.id}").get_data(as_text=True)
    assert "<td>First Child</td>" in by_child and "<td>Second Child</td>" not in by_child
    by_person = browser.get(f"/audit/?person={sam.id}").get_data(as_text=True)
    assert "Viewed a child" in by_person and "Sam Reader" in by_person
    future = browser.get("/audit/?since=2999-01-01").get_data(as_text=True)
    assert "0 entries" in future


def test_another_teams_manager_does_not_see_these_entries(make_client):
    team = TeamFactory()
    sam = UserFactory(team=team)
    child = ChildFactory(team=team, full_name="Private Child")
    AssignmentFactory(child=child, user=sam)
    make_client(sam.email).get(f"/children/{child.id}")
    outsider = UserFactory(team=TeamFactory(), role=Role.MANAGER)
    page = make_client(outsider.email).get("/audit/").get_data(as_text=True)
    assert "Private Child" not in page
    assert sam.name not in page


def test_concurrent_writers_never_fork_the_chain(app, runner):
    """Several workers appending at once queue up; the chain stays one line."""
    from concurrent.futures import ThreadPoolExecutor

    def append_many(worker: int) -> None:
        for n in range(10):
            with app.app_context():
                audit.record(AuditAction.SETTINGS_CHANGED, details={"worker": worker, "n": n})
                db.session.commit()
                db.session.remove()

    db.session.commit()
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(append_many, range(4)))
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "OK: 40 entries verified." in result.output
    for lane, in_lane in lanes_of(entries()).items():
        assert in_lane[0].prev_hash == lane_genesis(lane)
        assert all(after.prev_hash == before.hash for before, after in pairwise(in_lane))


def test_one_transaction_appends_to_one_lane_and_transactions_spread_over_lanes(app):
    for n in range(30):
        audit.record(AuditAction.SETTINGS_CHANGED, details={"n": n, "first": True})
        audit.record(AuditAction.SETTINGS_CHANGED, details={"n": n, "first": False})
        db.session.commit()
    chain = entries()
    pairs = list(zip(chain[::2], chain[1::2], strict=True))
    assert all(first.lane == second.lane for first, second in pairs)
    assert len({entry.lane for entry in chain}) > 5, "30 transactions drew more than 5 lanes"
    assert {entry.lane for entry in chain} <= set(range(app.config["AUDIT_LANES"]))


def test_one_lane_is_the_single_chain_of_old(app, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_LANES", 1)
    make_chain(3)
    make_chain(3)
    chain = entries()
    assert {entry.lane for entry in chain} == {0}
    assert all(after.prev_hash == before.hash for before, after in pairwise(chain))


def _delete(entry_id: int) -> None:
    db.session.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": entry_id})
    db.session.commit()


def test_a_checkpoint_shows_a_lanes_newest_entries_cut_off(runner):
    made = make_chain(4)
    assert "Checkpoint" in runner.invoke(args=["audit", "checkpoint"]).output
    assert "Nothing new" in runner.invoke(args=["audit", "checkpoint"]).output
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0

    # Removing the newest entry of a lane leaves its chain whole; only the checkpoint knows.
    _delete(made[-1].id)

    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"lane {made[-1].lane} no longer matches checkpoint" in result.output


def test_a_checkpoint_changed_or_signed_with_another_key_fails(app, runner, monkeypatch):
    make_chain(2)
    runner.invoke(args=["audit", "checkpoint"])
    make_chain(2)
    runner.invoke(args=["audit", "checkpoint"])
    first, second = db.session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id))
    assert second.prev_hash == first.hash

    monkeypatch.setitem(app.config, "SECRET_KEY", "someone-elses-key")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "not signed with this key" in result.output
    monkeypatch.undo()

    db.session.execute(
        text("UPDATE audit_checkpoints SET heads = :h WHERE id = :id"),
        {"h": "{}", "id": first.id},
    )
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"checkpoint {first.id} was changed" in result.output


def test_an_entry_moved_to_another_lane_breaks_both(runner):
    made = make_chain(3)
    other = (made[0].lane + 1) % 64
    db.session.execute(
        text("UPDATE audit_entries SET lane = :lane WHERE id = :id"),
        {"lane": other, "id": made[1].id},
    )
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "does not link" in result.output


def test_the_worker_makes_a_checkpoint_every_minute(app):
    from voice_app.audit.tasks import checkpoint_audit_lanes

    make_chain(2)
    checkpoint_audit_lanes.call_local()
    assert db.session.scalar(select(func.count()).select_from(AuditCheckpoint)) == 1
