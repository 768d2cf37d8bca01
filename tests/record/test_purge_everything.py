"""A purge destroys every table's part of the record, not only the tables it knew of when
it was written: plans, reports, family accounts, replies and what hangs off them."""

from __future__ import annotations

from sqlalchemy import func, select, text

from tests.factories import ContributionFactory
from voice_app.children.models import Child
from voice_app.contributions.models import ContributionKind
from voice_app.core.db import Base
from voice_app.core.demo import seed_demo
from voice_app.core.storage import media_store
from voice_app.extensions import db
from voice_app.record.retention import KEPT_AFTER_PURGE, media_ids_of, owned_tables, purge_child


def _rows() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
    }


def test_the_demo_childs_whole_record_goes_and_the_other_childs_stays(app, runner):
    seed_demo()
    db.session.commit()
    maya = db.session.scalars(select(Child).where(Child.preferred_name == "Maya")).one()
    omar = db.session.scalars(select(Child).where(Child.preferred_name == "Omar")).one()
    ContributionFactory(
        child=maya,
        kind=ContributionKind.DRAWING,
        media_id=media_store().put(b"Maya's drawing"),
        thumbnail_media_id=media_store().put(b"its thumbnail"),
    )
    db.session.commit()
    omar_rows = {name: _count(name, omar.id) for name in owned_tables(omar.id)}
    files = media_ids_of(maya.id)
    before = _rows()
    assert len(files) >= 2

    purged = purge_child(maya)
    db.session.commit()

    after = _rows()
    # The areas written after the purge was: all gone for Maya.
    for table in (
        "plans",
        "plan_versions",
        "plan_actions",
        "reports",
        "report_versions",
        "report_comments",
        "report_answers",
        "family_accounts",
        "family_members",
        "child_replies",
        "contributions",
        "record_entries",
    ):
        assert purged.counts.get(table, 0) > 0, f"the demo gives Maya {table}"
        assert _count(table, maya.id) == 0, table
    # Every table lost exactly what the purge says, and nothing outside the record.
    for name in set(before) - {"audit_entries"}:  # the purge adds its own entry (below)
        assert before[name] - after[name] == purged.counts.get(name, 0), name
    assert not set(purged.counts) & KEPT_AFTER_PURGE
    assert (
        after["users"] == before["users"] and after["audit_entries"] == before["audit_entries"] + 1
    )
    assert {name: _count(name, omar.id) for name in owned_tables(omar.id)} == omar_rows
    assert not any(media_store().exists(media_id) for media_id in files)
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output


def _count(table_name: str, child_id: int) -> int:
    condition = owned_tables(child_id)[table_name]
    table = Base.metadata.tables[table_name]
    return db.session.scalar(select(func.count()).select_from(table).where(condition)) or 0


def test_foreign_keys_hold_after_a_purge_on_sqlite(app):
    if db.engine.dialect.name != "sqlite":
        return
    seed_demo()
    db.session.commit()
    purge_child(db.session.scalars(select(Child).where(Child.preferred_name == "Maya")).one())
    db.session.commit()
    assert db.session.execute(text("PRAGMA foreign_key_check")).all() == []
