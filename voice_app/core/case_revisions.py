"""Case revisions: a token per child that changes whenever anything in the child's case is
written, so a page built from the case can be kept until the case changes.

The token is ``children.case_revision``, a fresh random value written as a transaction
commits when any of its flushes added, changed or deleted a row of the child's case (at
the commit, not at each flush: the child's row is then locked last and briefly, so two
writers of one case never wait on each other in opposite orders with the audit lanes'
locks). A row of the case is any mapped row that names the child
(``child_id``), or that leads to a row that does through its foreign keys (a plan action
through its version and plan, a transcript through its contribution, a report's comment
through its version and report). The route is worked out from the schema, once per class,
so a table added later is covered the day it is mapped; ``NOT_CASE_DATA`` names the few
that belong to no child (accounts, the audit log, the prompts everyone hears), and a test
fails for any other class without a route. Random, not counted: a database restored from
a backup may hold an older token, and the state it names is the state it was made from.

Writes that bypass the ORM do not pass through a flush. The only ones outside the purge
(which changes the child's own row, a flush) are the transcription lease's heartbeat,
which changes no content, and the audit log, which is not case data; anything new of that
kind calls ``revise``.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ForeignKey, Select, Table, event, inspect, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session, scoped_session

from voice_app.core.db import Base

#: Mapped classes that are part of no child's case: writing them revises nothing.
NOT_CASE_DATA = frozenset(
    {
        "AuditEntry",
        "AuditCheckpoint",
        "User",
        "Team",
        "InterpreterLanguage",
        "PromptRecording",
        "FormSubmission",
        "EndedSignIn",
    }
)


@dataclass(frozen=True)
class Route:
    """How a row leads to its child: the attribute to start from, and the foreign keys to
    follow from there to a table with a ``child_id`` (none when the attribute is it)."""

    attribute: str
    hops: tuple[ForeignKey, ...]


def _children() -> Table:
    return Base.metadata.tables["children"]


_routes: dict[type[Any], tuple[Route, ...]] = {}


def routes(cls: type[Any]) -> tuple[Route, ...]:
    """``_routes_of(cls)``, worked out once per class."""
    found = _routes.get(cls)
    if found is None:
        found = _routes[cls] = _routes_of(cls)
    return found


def _routes_of(cls: type[Any]) -> tuple[Route, ...]:
    """The ways from a row of ``cls`` to its child's id, the ones to try first first: the
    child's id itself; else, for each foreign key that leads to one, its shortest way,
    those whose column is always filled before those that may be empty."""
    mapper: Mapper[Any] = inspect(cls)
    table = cast(Table, mapper.local_table)
    if table is _children():
        return (Route(mapper.get_property_by_column(table.c.id).key, ()),)
    if "child_id" in table.c:
        return (Route(mapper.get_property_by_column(table.c.child_id).key, ()),)
    found = []
    for column in table.c:
        for key in sorted(column.foreign_keys, key=str):
            path = _shortest_path(key, {table.name})
            if path is not None:
                found.append(
                    (
                        column.nullable,
                        len(path),
                        Route(mapper.get_property_by_column(column).key, path),
                    )
                )
    return tuple(way for _empty, _length, way in sorted(found, key=lambda f: f[:2]))


def _shortest_path(first: ForeignKey, seen: set[str]) -> tuple[ForeignKey, ...] | None:
    """Breadth first from ``first`` over foreign keys to a table with a ``child_id``."""
    paths: list[tuple[ForeignKey, ...]] = [(first,)]
    seen = set(seen)
    while paths:
        longer: list[tuple[ForeignKey, ...]] = []
        for path in paths:
            reached = path[-1].column.table
            if reached is _children() or "child_id" in reached.c:
                return path
            if reached.name in seen:
                continue
            seen.add(reached.name)
            longer += [
                (*path, key) for column in reached.c for key in sorted(column.foreign_keys, key=str)
            ]
        paths = longer
    return None


def _lookup(hops: tuple[ForeignKey, ...]) -> tuple[Any, Select[Any]]:
    """The column the start values are matched against, and the query of child ids."""
    last = hops[-1].column.table
    child = last.c.id if last is _children() else last.c.child_id
    query = select(child).select_from(hops[0].column.table)
    for hop in hops[1:]:
        query = query.join(hop.column.table, hop.column == hop.parent)
    return hops[0].column, query


def child_ids_of(session: Session, rows: Iterable[object]) -> set[int]:
    """The children whose cases these mapped rows belong to, by their loaded values (never
    loading anything: a deleted row is gone by the time this runs)."""
    found: set[int] = set()
    by_route: dict[tuple[ForeignKey, ...], set[Any]] = defaultdict(set)
    for row in rows:
        kind: type[Any] = type(row)
        if kind.__name__ in NOT_CASE_DATA:
            continue
        loaded = inspect(row).dict
        way = next((w for w in routes(kind) if loaded.get(w.attribute) is not None), None)
        if way is None:
            continue
        value = loaded[way.attribute]
        if way.hops:
            by_route[way.hops].add(value)
        else:
            found.add(int(value))
    for hops, values in by_route.items():
        matched, query = _lookup(hops)
        found.update(session.connection().scalars(query.where(matched.in_(values))))
    return found


def revise(connection: Connection, child_ids: Iterable[int]) -> None:
    """Give these children's cases a new revision token."""
    ids = sorted(set(child_ids))
    if ids:
        children = _children()
        connection.execute(
            update(children)
            .where(children.c.id.in_(ids))
            .values(case_revision=secrets.token_hex(16))
        )


def current(session: Session | scoped_session[Any], child_id: int) -> str | None:
    """The child's case revision as this transaction sees it."""
    children = _children()
    return session.connection().scalar(
        select(children.c.case_revision).where(children.c.id == child_id)
    )


#: ``session.info`` key: children whose cases this transaction wrote, revised at its commit.
_WRITTEN = "case_revisions.written"


@event.listens_for(Session, "after_flush")
def _note_written_cases(session: Session, _flush_context: Any) -> None:
    """Every flush notes the cases of the rows it wrote: new, changed or deleted."""
    written = [
        *session.new,
        *(row for row in session.dirty if session.is_modified(row)),
        *session.deleted,
    ]
    if written:
        session.info.setdefault(_WRITTEN, set()).update(child_ids_of(session, written))


@event.listens_for(Session, "before_commit")
def _revise_written_cases(session: Session) -> None:
    """The noted cases get their new token as the transaction commits: the child's row is
    locked (on PostgreSQL) only from here to the commit, after every other lock the
    transaction took (the audit lanes' above all), so two writers of one case cannot
    deadlock on it and the lanes."""
    session.flush()  # what the commit would flush, noted first
    written = session.info.pop(_WRITTEN, None)
    if written:  # asking for the connection would begin a transaction where none was
        revise(session.connection(), written)


@event.listens_for(Session, "after_rollback")
def _forget_written_cases(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
