"""Declarative base with one naming convention, and a timezone-aware UTC column type."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from flask import g, has_request_context
from sqlalchemy import DateTime, Dialect, Enum, MetaData, event, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model; its metadata carries the naming convention Alembic relies on.

    Every table is ``AUTOINCREMENT`` on SQLite: an id names one row forever (an audit entry
    says ``contribution:14``), so a purged row's id is never handed to a new one. SQLite
    otherwise reuses the highest ids after a delete; PostgreSQL's sequences never do.
    """

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        table = cls.__dict__.get("__table__")
        if table is not None:
            table.dialect_kwargs["sqlite_autoincrement"] = True


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def str_enum(enum_class: type[StrEnum], length: int = 40) -> Enum:
    """A column type for a ``StrEnum`` that stores its values ("practitioner"), not its names."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class UTCDateTime(TypeDecorator[datetime]):
    """A ``DateTime`` that only accepts aware datetimes and always returns them in UTC.

    SQLite has no time zones, so values are stored there as naive UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


SYNCHRONOUS_LEVELS = ("FULL", "EXTRA", "NORMAL")


def sqlite_synchronous() -> str:
    """The SQLite ``synchronous`` level: FULL unless the environment names another."""
    level = os.environ.get("VOICE_APP_SQLITE_SYNCHRONOUS", "FULL").strip().upper()
    if level not in SYNCHRONOUS_LEVELS:
        raise ValueError(f"VOICE_APP_SQLITE_SYNCHRONOUS must be one of {SYNCHRONOUS_LEVELS}")
    return level


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    """Make SQLite behave like a server database for several processes at once.

    WAL lets readers run beside a writer, foreign keys are enforced, and transactions are
    started by ``_begin_immediate`` below rather than by the driver. ``synchronous=FULL``
    syncs the write-ahead log at every commit, so a child's upload answered 201 survives
    a power cut (NORMAL could roll the last commits back); ``VOICE_APP_SQLITE_SYNCHRONOUS``
    chooses another level, for the benchmark that measures what FULL costs.
    """
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows are overwritten with zeros, so a purged record is not left in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute(f"PRAGMA synchronous={sqlite_synchronous()}")
    cursor.close()


#: ``flask.g`` key for a read-first request's state on SQLite: "read" while it reads in a
#: plain (deferred) transaction, "append" from ``end_reading`` until that transaction,
#: opened with the write lock, is committed or rolled back. See ``read_first``.
READING = "sqlite_reading"


@event.listens_for(Engine, "begin")
def _begin_immediate(conn: Any) -> None:
    """Start SQLite transactions with ``BEGIN IMMEDIATE``, except while a page only reads.

    Almost every request writes an audit entry after reading. A deferred SQLite transaction
    that reads and then writes fails with "database is locked" when another process wrote
    in between; taking the write lock at the start makes them queue instead. A staff page
    that only reads (``read_first``) reads without the lock; ``end_reading`` closes that
    transaction before its audit entry, which opens an immediate one, so the lock is held
    for the append alone and not while the page reads or renders.
    """
    if conn.dialect.name != "sqlite":
        return
    reading = has_request_context() and g.get(READING) == "read"
    conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


class WriteWhileReading(RuntimeError):
    """A read-first request changed something other than through its audit entry."""


def read_first(session: Session | scoped_session[Any]) -> None:
    """Mark this request as read-first (SQLite only); called for staff GET requests."""
    if session.get_bind().dialect.name == "sqlite":
        g.setdefault(READING, "read")


def end_reading(session: Session | scoped_session[Any]) -> None:
    """Before a read-first request writes: close its read transaction, lock for the write."""
    if has_request_context() and g.get(READING) == "read":
        if session.new or session.dirty or session.deleted:
            raise WriteWhileReading("a read-first request may only write its audit entry")
        session.commit()
        setattr(g, READING, "append")


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _back_to_reading(session: Session) -> None:
    """After the append's transaction ends, the rest of the page reads unlocked again."""
    if has_request_context() and g.get(READING) == "append":
        setattr(g, READING, "read")


@event.listens_for(Session, "before_flush")
def _no_writes_while_reading(session: Session, flush_context: Any, instances: Any) -> None:
    """A deferred SQLite transaction must never write: the upgrade can fail mid-request."""
    if has_request_context() and g.get(READING) == "read":
        raise WriteWhileReading("a read-first request may only write its audit entry")


@dataclass(frozen=True)
class _AppendOnly:
    models: tuple[type[Base], ...]
    error: type[Exception]
    changed: str
    deleted: str
    fill_once: frozenset[str]


_APPEND_ONLY: list[_AppendOnly] = []


def append_only(
    *models: type[Base],
    error: type[Exception],
    changed: str = "{name} {id} is never changed",
    deleted: str | None = None,
    fill_once: Iterable[str] = (),
) -> None:
    """Refuse ORM updates and deletes of these models' rows: history is never rewritten.

    A flush that changes or deletes one raises ``error`` with ``changed`` (or ``deleted``,
    which defaults to it), formatted with ``name`` (the class) and ``id``; the flush is
    refused before any SQL runs, so the session is left as it was. ``fill_once`` names
    columns that may be filled in later, once, from empty; nothing else about the row may
    change. The retention purge (``record/retention``) removes these rows with bulk
    ``DELETE`` statements, which no flush sees, so it needs no way through.
    """
    _APPEND_ONLY.append(
        _AppendOnly(models, error, changed, deleted or changed, frozenset(fill_once))
    )


def _rule_for(obj: object) -> _AppendOnly | None:
    return next((rule for rule in _APPEND_ONLY if isinstance(obj, rule.models)), None)


def _described(message: str, obj: object) -> str:
    return message.format(name=type(obj).__name__, id=getattr(obj, "id", None))


def _rewritten(session: Session, obj: object, fill_once: frozenset[str]) -> bool:
    """Whether a row has a change other than filling in an empty ``fill_once`` column."""
    for attr in inspect(obj).attrs:
        history = attr.history
        if not history.has_changes():
            continue
        if attr.key not in fill_once:
            return True
        # Set after a commit or rollback expired it, the value it replaces is not known
        # here: the database says whether it was still empty.
        before = history.deleted or [_stored(session, obj, attr.key)]
        if any(value is not None for value in before):
            return True
    return False


def _stored(session: Session, obj: object, key: str) -> object:
    """A column's value as the database holds it for a row already there (else None)."""
    identity = inspect(obj).identity
    if identity is None:
        return None
    mapper = inspect(type(obj))
    where = [column == value for column, value in zip(mapper.primary_key, identity, strict=True)]
    return session.connection().scalar(select(mapper.columns[key]).where(*where))


@event.listens_for(Session, "before_flush")
def _refuse_rewrites(session: Session, flush_context: Any, instances: Any) -> None:
    """The one guard behind ``append_only``."""
    for obj in session.dirty:
        rule = _rule_for(obj)
        if rule is not None and _rewritten(session, obj, rule.fill_once):
            raise rule.error(_described(rule.changed, obj))
    for obj in session.deleted:
        rule = _rule_for(obj)
        if rule is not None:
            raise rule.error(_described(rule.deleted, obj))
