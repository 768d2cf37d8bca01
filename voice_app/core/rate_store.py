"""A rate-limit store every process on the machine shares: a small SQLite file.

Flask-Limiter's ``memory://`` store counts in each process, so with several gunicorn
workers the sign-in limit (``LOGIN_RATE_LIMIT``) was per worker, not per address. This
store (``sqlitefile:///path``, the default, in ``instance/ratelimit.sqlite3``) keeps
fixed-window counters in one file, taken under SQLite's write lock, so every worker and
thread on this machine counts together. Several machines share a Redis store instead
(``VOICE_APP_RATELIMIT_STORAGE_URL=redis://...``). It holds only hashed client keys and
counts, never a name.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path
from typing import Any

from limits.storage import Storage

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS counters ("
    " key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL)"
)


class SQLiteFileStorage(Storage):
    """Fixed-window counters in a SQLite file shared by processes."""

    STORAGE_SCHEME = ["sqlitefile"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: Any) -> None:
        self.path = Path(uri.split("://", 1)[1])
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(_SCHEMA)
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    def _connect(self) -> sqlite3.Connection:
        # A connection per call: safe across forks and threads; opening one is cheap.
        connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        return connection

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return sqlite3.Error

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        key = _hashed(key)
        now = time.time()
        connection = self._connect()
        try:
            connection.execute("BEGIN IMMEDIATE")
            row = connection.execute(
                "SELECT count, expires FROM counters WHERE key = ?", (key,)
            ).fetchone()
            if row is None or row[1] <= now:
                count = amount
                connection.execute(
                    "INSERT OR REPLACE INTO counters (key, count, expires) VALUES (?, ?, ?)",
                    (key, count, now + expiry),
                )
                # Old windows go as new ones open, so the file stays small.
                connection.execute("DELETE FROM counters WHERE expires <= ?", (now,))
            else:
                count = row[0] + amount
                connection.execute("UPDATE counters SET count = ? WHERE key = ?", (count, key))
            connection.execute("COMMIT")
            return int(count)
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        finally:
            connection.close()

    def _row(self, key: str) -> tuple[int, float] | None:
        key = _hashed(key)
        connection = self._connect()
        try:
            row = connection.execute(
                "SELECT count, expires FROM counters WHERE key = ? AND expires > ?",
                (key, time.time()),
            ).fetchone()
        finally:
            connection.close()
        return (int(row[0]), float(row[1])) if row else None

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        try:
            self._row("")
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        connection = self._connect()
        try:
            return connection.execute("DELETE FROM counters").rowcount
        finally:
            connection.close()

    def clear(self, key: str) -> None:
        connection = self._connect()
        try:
            connection.execute("DELETE FROM counters WHERE key = ?", (_hashed(key),))
        finally:
            connection.close()


def _hashed(key: str) -> str:
    """Keys name client addresses: only their hash is kept."""
    return hashlib.sha256(key.encode()).hexdigest()
