"""Who may see which child, and the changes practitioners make to a child's record."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache, reduce
from typing import Any, TypeAlias

from flask_babel import gettext as _
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    exists,
    false,
    func,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import ReturnTypeFromArgs

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import (
    AssignmentRole,
    CaseAssignment,
    Child,
    DevelopmentalBand,
    FamilyMember,
    Relationship,
    age_on,
    band_in_use,
)
from voice_app.core.db import UTCDateTime, utcnow
from voice_app.core.errors import Refused
from voice_app.core.permissions import Role
from voice_app.core.working_days import Nation
from voice_app.extensions import db

#: Fields of a child's record that the details form edits.
DETAIL_FIELDS = (
    "reference",
    "full_name",
    "preferred_name",
    "date_of_birth",
    "gender",
    "ethnicity",
    "religion",
    "address",
    "preferred_language",
    "communication_needs",
    "uses_symbols",
    "nation",
    "lead_practitioner_id",
)


class ReferenceTaken(Refused):
    """Another child's record already has this reference number."""

    def __init__(self) -> None:
        super().__init__({"reference": _("Another child's record already has this reference.")})


@dataclass(frozen=True)
class ReaderKey:
    """What ``visible_to`` depends on in a reader: a key for statements built once per
    reader and shared between requests (a ``User`` object belongs to one session)."""

    id: int
    role: Role
    team_id: int | None


def reader_key(user: User | ReaderKey) -> ReaderKey:
    if isinstance(user, ReaderKey):
        return user
    return ReaderKey(user.id, user.role, user.team_id)


def _now() -> datetime:
    return utcnow()


def now_when_run() -> BindParameter[datetime]:
    """The current time as the statement runs, not as it was built: a statement kept
    between requests still opens and closes assignment windows on time."""
    return bindparam("now", callable_=_now, type_=UTCDateTime(), unique=True)


def visible_to(
    user: User | ReaderKey, moment: datetime | None = None, child: Any = Child
) -> ColumnElement[bool]:
    """SQL condition on ``Child`` (or on ``child``, an alias of it): the children ``user``
    may open, at ``moment`` (by default: whenever the statement runs).

    Managers see their team's children; practitioners and interpreters the children they
    are assigned to, for as long as the assignment runs; admins none.
    """
    if moment is None:
        return _visible_now(reader_key(user), child)
    return _visible_condition(reader_key(user), moment, child)


@lru_cache(maxsize=1024)
def _visible_now(reader: ReaderKey, child: Any) -> ColumnElement[bool]:
    """Built once per reader (a few dozen SQL expression objects each time otherwise)."""
    return _visible_condition(reader, now_when_run(), child)


def _visible_condition(
    user: ReaderKey, moment: datetime | BindParameter[datetime], child: Any
) -> ColumnElement[bool]:
    # A purged record is a tombstone for the audit trail, not a case anyone opens.
    live = child.purged_at.is_(None)
    if user.role is Role.MANAGER and user.team_id is not None:
        return and_(child.team_id == user.team_id, live)
    if user.role in (Role.PRACTITIONER, Role.INTERPRETER):
        assigned = _assigned(user, moment, child)
        if user.role is Role.PRACTITIONER:
            return and_(or_(assigned, child.lead_practitioner_id == user.id), live)
        return and_(assigned, live)
    return false()


def _assigned(
    user: ReaderKey, moment: datetime | BindParameter[datetime], child: Any
) -> ColumnElement[bool]:
    """The children ``user`` is assigned to at ``moment``."""
    return child.id.in_(
        select(CaseAssignment.child_id).where(
            CaseAssignment.user_id == user.id,
            CaseAssignment.starts_at <= moment,
            or_(CaseAssignment.ends_at.is_(None), CaseAssignment.ends_at > moment),
        )
    )


def visible_parts(
    user: ReaderKey, moment: datetime | BindParameter[datetime]
) -> tuple[ColumnElement[bool], ...]:
    """``visible_to`` as conditions on ``Child`` that no child meets two of, together
    meeting exactly it.

    A practitioner's children are those they lead and those they are assigned to without
    leading: the first are counted and paged straight from an index (lead, name, id, of
    live records), with no sort of every child they see; the second are few. For anyone
    else, the one condition.
    """
    if user.role is not Role.PRACTITIONER:
        return (_visible_condition(user, moment, Child),)
    live = Child.purged_at.is_(None)
    lead = Child.lead_practitioner_id
    return (
        and_(lead == user.id, live),
        and_(_assigned(user, moment, Child), or_(lead.is_(None), lead != user.id), live),
    )


def visible_child(
    user: User | ReaderKey, child_id: ColumnElement[int] | Any
) -> ColumnElement[bool]:
    """SQL condition: ``child_id`` (a column of the query it goes into, such as
    ``Plan.child_id``) names a child ``user`` may open (see ``visible_to``).

    For lists across cases (overdue replies, reviews, report shares): the database tests
    each row's child by its key, so the cost follows the rows listed, not how many children
    the reader sees. ``X.child_id.in_(visible_child_ids(user))`` makes SQLite gather every
    visible child first, which for a manager or a busy practitioner's thousands of
    children was most of the case list's time.
    """
    # Never correlated to an outer query's own alias: this is always the child it tests.
    return (
        exists()
        .where(_SEEN_CHILD.id == child_id, visible_to(user, child=_SEEN_CHILD))
        .correlate_except(_SEEN_CHILD)
    )


#: The alias ``visible_child`` tests; made once (making an alias proxies every column).
_SEEN_CHILD = aliased(Child, name="seen_child")


def visible_child_ids(user: User | ReaderKey, moment: datetime | None = None) -> Select[int]:
    """The ids of the children ``user`` may open, as a subquery (see ``visible_to``)."""
    if moment is None:
        return _visible_ids_now(reader_key(user))
    return select(Child.id).where(visible_to(user, moment))


@lru_cache(maxsize=256)
def _visible_ids_now(reader: ReaderKey) -> Select[int]:
    """The same statement object for a reader, so what is built on it can be kept too."""
    return select(Child.id).where(visible_to(reader))


def find_visible_child(child_id: int, user: User) -> Child | None:
    """The child, if ``user`` may see them; otherwise None, and the caller answers 404."""
    return db.session.scalar(_visible_child_stmt(reader_key(user)), {"child_id": child_id})


@lru_cache(maxsize=256)
def _visible_child_stmt(reader: ReaderKey) -> Select[Child]:
    return select(Child).where(Child.id == bindparam("child_id"), visible_to(reader))


def parents_with_responsibility(child: Child) -> list[FamilyMember]:
    """The child's family members with parental responsibility: who may consent or ask."""
    return [member for member in child.family_members if member.parental_responsibility]


@dataclass(frozen=True, slots=True)
class CaseListRow:
    """A child as the case list shows them: only what it shows, read as plain rows (not
    whole records) for the page's 25 children."""

    id: int
    full_name: str
    preferred_name: str | None
    reference: str
    age: int
    band: DevelopmentalBand
    preferred_language: str
    lead_name: str | None


def case_list(user: User, search: str, page: int, per_page: int) -> tuple[list[CaseListRow], int]:
    """One page of the children ``user`` may see, matching ``search``, and the total;
    audited."""
    children, total = find_case_list_page(user, search, page, per_page)
    record_case_list_viewed(children, search, page)
    return children, total


def find_case_list_page(
    user: User, search: str, page: int, per_page: int
) -> tuple[list[CaseListRow], int]:
    """``case_list`` without its audit entry (``record_case_list_viewed``), for a page
    that reads everything before it writes its audit entries."""
    search = search.strip()
    count, listed = _case_list_stmts(reader_key(user), bool(search))
    offset = (page - 1) * per_page
    params: dict[str, Any] = {"limit": per_page, "offset": offset, "reach": offset + per_page}
    if search:
        params["pattern"] = f"%{search.lower()}%"
    rows = db.session.execute(listed, params).all()
    if 0 < len(rows) < per_page or (not rows and offset == 0):
        # The last page, or nothing at all: the total is known without counting. A search
        # for a name (or a practitioner's own few children) is nearly always this: no
        # second pass over every child the reader sees.
        total = offset + len(rows)
    else:
        total = db.session.scalar(count, params) or 0
    # The reader is often the lead of every child listed: their name is known already.
    leads = {user.id: user.name} | _names_of_staff(
        {row.lead_practitioner_id for row in rows} - {None, user.id}
    )
    today_ = today()
    children = []
    for row in rows:
        years = age_on(row.date_of_birth, today_)
        children.append(
            CaseListRow(
                row.id,
                row.full_name,
                row.preferred_name,
                row.reference,
                years,
                band_in_use(row.band_override, years),
                row.preferred_language,
                leads.get(row.lead_practitioner_id),
            )
        )
    return children, total


def _names_of_staff(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = db.session.execute(select(User.id, User.name).where(User.id.in_(user_ids)))
    return {user_id: name for user_id, name in rows}


class _lowered(ReturnTypeFromArgs[Any]):
    """``lower(text)`` for a LIKE with a lower-case pattern; on SQLite the text itself.

    SQLite's ``lower()`` and its LIKE both fold ASCII letters only, so there
    ``lower(x) LIKE p`` and ``x LIKE p`` match the same rows; the second costs half as
    much over every child a search looks through."""

    inherit_cache = True


@compiles(_lowered)
def _lowered_anywhere(element: _lowered, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(_lowered, "sqlite")
def _lowered_on_sqlite(element: _lowered, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


#: The columns the case list shows (and orders by).
_LISTED = (
    Child.id,
    Child.full_name,
    Child.preferred_name,
    Child.reference,
    Child.date_of_birth,
    Child.band_override,
    Child.preferred_language,
    Child.lead_practitioner_id,
)


_ListedSelect: TypeAlias = Select[
    int, str, str | None, str, date, DevelopmentalBand | None, str, int | None
]


@lru_cache(maxsize=512)
def _case_list_stmts(reader: ReaderKey, searching: bool) -> tuple[Select[int], _ListedSelect]:
    """The count and the page of the case list, built once per reader (the search words,
    the page and now are parameters given as they run)."""

    def matching(condition: ColumnElement[bool]) -> _ListedSelect:
        stmt = select(*_LISTED).where(condition)
        if searching:
            pattern = bindparam("pattern", type_=String())
            stmt = stmt.where(
                or_(
                    _lowered(Child.full_name).like(pattern),
                    _lowered(Child.preferred_name).like(pattern),
                    _lowered(Child.reference).like(pattern),
                )
            )
        return stmt

    limit = bindparam("limit", type_=Integer())
    offset = bindparam("offset", type_=Integer())
    parts = [matching(part) for part in visible_parts(reader, now_when_run())]
    if len(parts) == 1:
        # The condition itself, not an id subquery: the database pages it in one pass.
        (stmt,) = parts
        count = stmt.with_only_columns(func.count(Child.id))
        return count, stmt.order_by(Child.full_name, Child.id).limit(limit).offset(offset)
    # Apart, each part is walked in name order up to the end of the page asked for (for
    # the children a practitioner leads, in the index), then the parts are merged.
    counts = [part.with_only_columns(func.count(Child.id)).scalar_subquery() for part in parts]
    count = select(reduce(operator.add, counts))
    reach = bindparam("reach", type_=Integer())
    heads = [part.order_by(Child.full_name, Child.id).limit(reach).subquery() for part in parts]
    merged = union_all(*(select(*head.c) for head in heads)).subquery()
    listed = select(*merged.c).order_by(merged.c.full_name, merged.c.id).limit(limit).offset(offset)
    return count, listed


def record_case_list_viewed(children: list[CaseListRow], search: str, page: int) -> None:
    """The audit entry for a page of the case list, whatever it showed."""
    audit.record(
        AuditAction.CASE_LIST_VIEWED,
        # Never the words searched for: they are often a child's name, and the audit chain
        # outlives the record (a purge cannot remove them). That a search was made, and
        # which children it showed, is what the trail needs.
        details={"searched": bool(search.strip()), "page": page, "shown": [c.id for c in children]},
    )


def record_child_viewed(child: Child) -> None:
    audit.record(AuditAction.CHILD_VIEWED, child_id=child.id)


def _reference_taken(reference: str, except_id: int | None = None) -> bool:
    stmt = select(Child.id).where(Child.reference == reference)
    if except_id is not None:
        stmt = stmt.where(Child.id != except_id)
    return db.session.scalar(stmt) is not None


def create_child(details: dict[str, Any], created_by: User) -> Child:
    """Open a record in the creator's team; a practitioner who opens it becomes its lead."""
    if _reference_taken(details["reference"]):
        raise ReferenceTaken()
    values = {k: details[k] for k in DETAIL_FIELDS}
    values["nation"] = values["nation"] or Nation.ENGLAND_AND_WALES
    child = Child(team_id=created_by.team_id, **values)
    if child.lead_practitioner_id is None and created_by.role is Role.PRACTITIONER:
        child.lead_practitioner_id = created_by.id
    db.session.add(child)
    db.session.flush()
    if child.lead_practitioner_id is not None:
        db.session.add(
            CaseAssignment(
                child_id=child.id,
                user_id=child.lead_practitioner_id,
                role_on_case=AssignmentRole.LEAD,
                assigned_by_id=created_by.id,
            )
        )
    audit.record(AuditAction.CHILD_CREATED, child_id=child.id)
    return child


def update_child(child: Child, details: dict[str, Any]) -> list[str]:
    """Apply the details form; audit which fields changed (never their values)."""
    if _reference_taken(details["reference"], except_id=child.id):
        raise ReferenceTaken()
    changed = [name for name in DETAIL_FIELDS if getattr(child, name) != details[name]]
    for name in changed:
        setattr(child, name, details[name])
    if "lead_practitioner_id" in changed and child.lead_practitioner_id is not None:
        _ensure_assigned(child, child.lead_practitioner_id, AssignmentRole.LEAD)
    if changed:
        audit.record(AuditAction.CHILD_UPDATED, child_id=child.id, details={"fields": changed})
    return changed


def _ensure_assigned(child: Child, user_id: int, role_on_case: AssignmentRole) -> None:
    now = utcnow()
    if not any(a.user_id == user_id and a.active_at(now) for a in child.assignments):
        child.assignments.append(
            CaseAssignment(user_id=user_id, role_on_case=role_on_case, starts_at=now)
        )


def override_band(child: Child, band: DevelopmentalBand | None, reason: str | None) -> None:
    """Set or clear the practitioner's choice of band; a reason is required to set one."""
    if band is not None and not (reason and reason.strip()):
        raise ValueError("a band override needs a reason")
    child.band_override = band
    child.band_override_reason = reason.strip() if band is not None and reason else None
    audit.record(
        AuditAction.BAND_OVERRIDDEN,
        child_id=child.id,
        details={"band": str(band) if band else None},
    )


@dataclass(frozen=True)
class FamilyMemberDetails:
    name: str
    relationship: Relationship
    parental_responsibility: bool
    preferred_language: str
    interpreter_needed: bool
    phone: str | None
    email: str | None


def add_family_member(child: Child, details: FamilyMemberDetails) -> FamilyMember:
    member = FamilyMember(
        child_id=child.id,
        name=details.name,
        relationship_to_child=details.relationship,
        parental_responsibility=details.parental_responsibility,
        preferred_language=details.preferred_language,
        interpreter_needed=details.interpreter_needed,
        phone=details.phone or None,
        email=details.email or None,
    )
    db.session.add(member)
    db.session.flush()
    audit.record(
        AuditAction.FAMILY_MEMBER_ADDED, child_id=child.id, target=f"family_member:{member.id}"
    )
    return member


def assignable_staff(child: Child) -> list[User]:
    """Active practitioners and interpreters of the child's team."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.team_id == child.team_id,
                User.active.is_(True),
                User.role.in_([Role.PRACTITIONER, Role.INTERPRETER]),
            )
            .order_by(User.name)
        )
    )


def assign(
    child: Child,
    user: User,
    role_on_case: AssignmentRole,
    ends_at: datetime | None,
    assigned_by: User,
) -> CaseAssignment:
    """Give ``user`` access to the child; interpreters only until ``ends_at``."""
    if user.role is Role.INTERPRETER and ends_at is None:
        raise ValueError("interpreters are assigned for a limited time")
    assignment = CaseAssignment(
        child_id=child.id,
        user_id=user.id,
        role_on_case=role_on_case,
        ends_at=ends_at,
        assigned_by_id=assigned_by.id,
    )
    db.session.add(assignment)
    db.session.flush()
    audit.record(
        AuditAction.ASSIGNMENT_ADDED,
        child_id=child.id,
        target=f"user:{user.id}",
        details={"role_on_case": str(role_on_case)},
    )
    return assignment


def end_assignment(assignment: CaseAssignment) -> None:
    assignment.ends_at = utcnow()
    audit.record(
        AuditAction.ASSIGNMENT_ENDED,
        child_id=assignment.child_id,
        target=f"user:{assignment.user_id}",
    )


def today() -> date:
    return utcnow().date()


def family_member_names(member_ids: set[int]) -> dict[int, str]:
    """Family members' names by id, while their record exists (the audit page's names)."""
    if not member_ids:
        return {}
    rows = db.session.execute(
        select(FamilyMember.id, FamilyMember.name).where(FamilyMember.id.in_(member_ids))
    )
    return {member_id: name for member_id, name in rows}


def names_of(child_ids: set[int]) -> dict[int, str]:
    """Full names by id, for lists that mention children."""
    if not child_ids:
        return {}
    rows = db.session.execute(select(Child.id, Child.full_name).where(Child.id.in_(child_ids)))
    return {child_id: name for child_id, name in rows}


def get_child(child_id: int) -> Child | None:
    """A child by id, with no permission check: for the child's own space only."""
    return db.session.get(Child, child_id)
