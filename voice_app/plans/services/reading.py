"""Reading a plan version: its columns with whose voices are in them, the child's words as
consent allows now, the scales over time, the reviews due, and comparing two versions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select

from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child
from voice_app.contributions.models import AuthorKind, Contribution, ContributionKind
from voice_app.extensions import db
from voice_app.plans.models import (
    COLUMN_OF,
    ActionStatus,
    Column,
    Plan,
    PlanAction,
    PlanItem,
    PlanReview,
    PlanVersion,
    ScaleRating,
    Section,
    Voice,
    WordsTakenOut,
)
from voice_app.plans.services.timetable import Due, Held, due_reviews
from voice_app.plans.services.voices import Shareable, Words, as_words, shareable_words


@dataclass
class ShownSection:
    section: Section
    items: list[PlanItem] = field(default_factory=list)
    words: list[Words] = field(default_factory=list)
    #: Words placed here in this version that may no longer be shown (consent withdrawn).
    withdrawn: int = 0


@dataclass
class ShownColumn:
    column: Column
    sections: list[ShownSection]

    @property
    def voices(self) -> set[Voice]:
        found = {item.voice for s in self.sections for item in s.items}
        return found | {w.voice for s in self.sections for w in s.words}


@dataclass
class ShownVersion:
    plan: Plan
    version: PlanVersion
    columns: list[ShownColumn]
    #: The version's actions as rows of ``plan_actions`` (attributes as on ``PlanAction``):
    #: reading is all the pages do with them, and a plan's hundreds of actions read as
    #: objects took three times as long.
    actions: Sequence[Any]
    taken_out: list[WordsTakenOut]

    @property
    def has_child_voice(self) -> bool:
        return any(Voice.CHILD in column.voices for column in self.columns)


def _words_by_id(ids: set[int]) -> dict[int, Contribution]:
    if not ids:
        return {}
    found = db.session.scalars(select(Contribution).where(Contribution.id.in_(ids)))
    return {c.id: c for c in found}


def shown_version(
    plan: Plan, version: PlanVersion, shareable: Shareable | None = None
) -> ShownVersion:
    """A version as a reader sees it: only the words consent allows now."""
    shareable = shareable or shareable_words(
        plan.child_id, [p.contribution_id for p in version.words]
    )
    sections = {section: ShownSection(section) for section in Section}
    for item in version.items:
        sections[item.section].items.append(item)
    contributions = _words_by_id({p.contribution_id for p in version.words} & shareable.allowed)
    for placed in version.words:
        found = contributions.get(placed.contribution_id)
        if found is not None:
            sections[placed.section].words.append(as_words(found))
        elif placed.contribution_id in shareable.withdrawn:
            sections[placed.section].withdrawn += 1
    columns = [
        ShownColumn(column, [s for s in sections.values() if COLUMN_OF[s.section] is column])
        for column in Column
    ]
    taken_out = [t for t in version.taken_out if t.contribution_id not in shareable.confidential]
    actions = db.session.execute(
        select(*PlanAction.__table__.columns)
        .where(PlanAction.version_id == version.id)
        .order_by(PlanAction.id)
    ).all()
    return ShownVersion(plan, version, columns, actions, taken_out)


def record_read(plan: Plan, what: str, version: PlanVersion | None = None) -> None:
    audit.record(
        AuditAction.PLAN_VIEWED,
        child_id=plan.child_id,
        target=f"plan:{plan.id}",
        details={"what": what, "version": version.number if version else None},
    )


@dataclass(frozen=True)
class ScalePoint:
    on: date
    value: int
    reason: str | None


@dataclass
class ScaleSeries:
    #: Who gave the scale, as the chart's legend names them.
    label: str
    kind: str
    points: list[ScalePoint]


def scale_series(
    plan: Plan, shareable: Shareable, *, child_view: bool = False
) -> list[ScaleSeries]:
    """Every participant's scale over time: ratings at reviews, and the child's own answers.

    ``child_view``: only the child's own answers and the ratings marked for the child.
    The ratings are read as rows, never as the reviews' objects (hundreds on a long plan).
    """
    stmt = (
        select(
            PlanReview.held_on,
            ScaleRating.participant_kind,
            ScaleRating.participant_name,
            ScaleRating.value,
            ScaleRating.reason,
        )
        .join(PlanReview, PlanReview.id == ScaleRating.review_id)
        .where(PlanReview.plan_id == plan.id)
        .order_by(PlanReview.held_on, PlanReview.id, ScaleRating.id)
    )
    if child_view:
        stmt = stmt.where(ScaleRating.show_to_child.is_(True))
    series: dict[tuple[str, str], ScaleSeries] = {}
    for held_on, kind, name, value, reason in db.session.execute(stmt):
        key = (str(kind), name)
        if key not in series:
            series[key] = ScaleSeries(name, key[0], [])
        series[key].points.append(ScalePoint(held_on, value, reason))
    own = child_scale_answers(plan.child_id, shareable, child_view=child_view)
    if own:
        series[("own", "")] = ScaleSeries("", "own", own)
    for item in series.values():
        item.points.sort(key=lambda p: p.on)
    return list(series.values())


def child_scale_answers(
    child_id: int, shareable: Shareable, *, child_view: bool
) -> list[ScalePoint]:
    """The child's own 0-10 answers from their space: to staff as consent allows; to the
    child, all their own outside the confidential section."""
    stmt = select(
        Contribution.id, Contribution.created_at, Contribution.scale_value, Contribution.text
    ).where(
        Contribution.child_id == child_id,
        Contribution.kind == ContributionKind.SCALE,
        Contribution.author_kind == AuthorKind.CHILD,
        Contribution.scale_value.is_not(None),
    )
    found = db.session.execute(stmt.order_by(Contribution.created_at))
    return [
        ScalePoint(c.created_at.date(), c.scale_value or 0, c.text)
        for c in found
        if (c.id not in shareable.confidential if child_view else c.id in shareable.allowed)
    ]


def reviews_due(plan: Plan, today: date, held: Sequence[Held] | None = None) -> list[Due]:
    """``held``: the reviews in brief, when the caller read them (else ``plan.reviews``)."""
    return due_reviews(plan, list(plan.reviews) if held is None else held, today)


@dataclass
class Change:
    """One line compared across two versions: ``before`` or ``after`` is None when it was
    added or removed."""

    before: str | None
    after: str | None

    @property
    def status(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "same" if self.before == self.after else "changed"


def _item_line(item: PlanItem) -> str:
    return f"{item.who}: {item.text}" if item.who else item.text


def _action_line(action: Any) -> str:
    due = action.due_on.isoformat() if action.due_on else "-"
    line = f"{action.what} | {action.owner_name} | {due} | {action.status}"
    if action.actual_outcome:
        line += f" | {action.actual_outcome}"
    return line


def _pair(before: dict[str, str], after: dict[str, str]) -> list[Change]:
    keys = list(before) + [k for k in after if k not in before]
    return [Change(before.get(k), after.get(k)) for k in keys]


def _section_lines(shown: ShownVersion, section: Section) -> dict[str, str]:
    out = {i.key: _item_line(i) for i in shown.version.items if i.section is section}
    for column in shown.columns:
        for shown_section in column.sections:
            if shown_section.section is section:
                out.update(
                    {f"w{w.contribution.id}": f"“{w.text or ''}”" for w in shown_section.words}
                )
    return out


def compare(
    first: ShownVersion, second: ShownVersion
) -> tuple[dict[Section, list[Change]], list[Change]]:
    """Each section's lines and the actions of two versions side by side, changes marked."""
    sections = {
        section: _pair(_section_lines(first, section), _section_lines(second, section))
        for section in Section
    }
    actions = _pair(
        {a.key: _action_line(a) for a in first.actions},
        {a.key: _action_line(a) for a in second.actions},
    )
    return sections, actions


def actions_to_answer_with(child_id: int) -> dict[str, str]:
    """The actions of the child's plan as it stands (its draft, which carries every agreed
    action forward), by their key: what a reply to the child can say was done.

    Keys stay the same from one version to the next, so a reply stays linked to its
    action however many times the plan is agreed again.
    """
    plan = db.session.scalar(select(Plan).where(Plan.child_id == child_id))
    if plan is None or not plan.versions:
        return {}
    return {action.key: action.what for action in plan.versions[-1].actions}


def overdue_actions_by_lead(child_ids: Select[Any], today: date) -> dict[int | None, int]:
    """Actions past their due date and not yet done (or recorded as not done), in the plan
    as it stands, counted by the child's lead practitioner: the manager's team view."""
    newest = (
        select(PlanVersion.plan_id, func.max(PlanVersion.number).label("number"))
        .group_by(PlanVersion.plan_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Child.lead_practitioner_id, func.count(PlanAction.id))
        .join(PlanVersion, PlanVersion.id == PlanAction.version_id)
        .join(
            newest,
            (newest.c.plan_id == PlanVersion.plan_id) & (newest.c.number == PlanVersion.number),
        )
        .join(Plan, Plan.id == PlanVersion.plan_id)
        .join(Child, Child.id == Plan.child_id)
        .where(
            Plan.child_id.in_(child_ids),
            Child.closed_at.is_(None),
            PlanAction.due_on < today,
            PlanAction.status.in_([ActionStatus.NOT_STARTED, ActionStatus.UNDER_WAY]),
        )
        .group_by(Child.lead_practitioner_id)
    )
    return {lead: count for lead, count in rows}
