"""The manager's audit page."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from voice_app.accounts.models import User
from voice_app.audit import services
from voice_app.audit.forms import AuditFilterForm
from voice_app.audit.labels import ACTION_LABELS
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.children.models import Child
from voice_app.children.services import family_member_names, visible_child_ids
from voice_app.core.forms import choice_list
from voice_app.core.paging import page_count, page_number
from voice_app.core.permissions import Permission, require
from voice_app.extensions import db

bp = Blueprint("audit", __name__, url_prefix="/audit")
PER_PAGE = 50


#: How the chain names a family member: by id, never by name (see family.access).
FAMILY_ACTOR = re.compile(r"^family member #(\d+) \((.+)\)$")


def _actor_names(entries: Sequence[AuditEntry]) -> dict[int, str]:
    """Entry id -> how the page names a family member who acted: their name and relation
    while their record exists; after a purge only what the chain itself says."""
    found = {
        entry.id: match
        for entry in entries
        if entry.actor_label and (match := FAMILY_ACTOR.match(entry.actor_label))
    }
    names = family_member_names({int(match.group(1)) for match in found.values()})
    return {
        entry_id: _("%(name)s (family member: %(relation)s)", name=name, relation=m.group(2))
        for entry_id, m in found.items()
        if (name := names.get(int(m.group(1))))
    }


def _start_of(day: date | None) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, time.min, tzinfo=UTC)


@bp.get("/")
@require(Permission.AUDIT_READ)
def audit_log() -> str:
    manager = current_user._get_current_object()
    team_children = visible_child_ids(manager)
    team_people = select(User.id).where(User.team_id == manager.team_id)
    children = db.session.scalars(
        select(Child).where(Child.id.in_(team_children)).order_by(Child.full_name)
    ).all()
    people = db.session.scalars(
        select(User).where(User.id.in_(team_people)).order_by(User.name)
    ).all()

    form = AuditFilterForm(request.args)
    form.child.choices = choice_list(
        {0: _("Any child")} | {c.id: f"{c.full_name} ({c.reference})" for c in children}
    )
    form.person.choices = choice_list({0: _("Anyone")} | {p.id: p.display for p in people})
    form.validate()
    until = _start_of(form.until.data)
    wanted = services.AuditFilter(
        child_id=form.child.data or None,
        actor_id=form.person.data or None,
        since=_start_of(form.since.data),
        until=until + timedelta(days=1) if until else None,
    )
    # The tombstones of the team's destroyed records: reference, date, policy, counts.
    team_tombstones = select(Child.id).where(
        Child.team_id == manager.team_id, Child.purged_at.is_not(None)
    )
    stmt = services.filtered_entries(team_children, team_people, wanted, team_tombstones)
    page = page_number()
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    entries = db.session.scalars(stmt.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    services.record(
        AuditAction.AUDIT_VIEWED,
        child_id=wanted.child_id,
        details={"person": wanted.actor_id, "page": page},
    )
    db.session.commit()
    return render_template(
        "audit/log.html",
        actors=_actor_names(entries),
        form=form,
        entries=entries,
        total=total,
        page=page,
        pages=page_count(total, PER_PAGE),
        children_by_id={c.id: c for c in children},
        action_labels=ACTION_LABELS,
    )
