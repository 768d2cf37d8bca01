"""Acknowledged means durable: SQLite syncs every commit (synchronous=FULL)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from voice_app.core.db import sqlite_synchronous
from voice_app.extensions import db

FULL = 2  # PRAGMA synchronous answers 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA


def test_every_sqlite_connection_syncs_each_commit(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL syncs its commits by default")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA synchronous")).scalar() == FULL
    assert db.session.execute(text("PRAGMA synchronous")).scalar() == FULL


def test_another_level_is_only_taken_by_name(monkeypatch):
    monkeypatch.setenv("VOICE_APP_SQLITE_SYNCHRONOUS", "normal")
    assert sqlite_synchronous() == "NORMAL"
    monkeypatch.setenv("VOICE_APP_SQLITE_SYNCHRONOUS", "OFF; DROP TABLE users")
    with pytest.raises(ValueError):
        sqlite_synchronous()
