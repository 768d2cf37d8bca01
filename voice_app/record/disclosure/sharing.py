"""Consent: which audience the decision in force lets see a contribution.

Part of the disclosure owner (``record.disclosure``): a contribution in the confidential
section is shared with nobody, whatever its consent says.

One family member only: a consent decision may name one (``shared_with_member_id``), and
so may the child's own choice in their space ("only Mum": the contribution's
``shared_with_member_id``). Both are answered here, together: a family reader sees the
contribution only when neither names someone else, and a copy for "the family" (no member
named) never carries an item either of them gave to one person.
"""

from __future__ import annotations

import functools
from enum import StrEnum
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Select, and_, bindparam, func, or_, select

from voice_app.contributions.models import Contribution
from voice_app.extensions import db
from voice_app.record.disclosure.scope import ConfidentialScope, confidential_scope
from voice_app.record.models import ConsentAnswer, ConsentDecision


class Audience(StrEnum):
    """The people beyond the professional record that a consent decision can cover."""

    FAMILY = "family"
    MEETING = "meeting"
    AGENCIES = "agencies"


def current_consent(contribution_id: int) -> ConsentDecision | None:
    """The decision in force for a contribution: the newest one recorded."""
    return db.session.scalar(
        select(ConsentDecision)
        .where(ConsentDecision.contribution_id == contribution_id)
        .order_by(ConsentDecision.id.desc())
        .limit(1)
    )


def consent_history(contribution_id: int) -> list[ConsentDecision]:
    """Every decision about a contribution, oldest first."""
    return list(
        db.session.scalars(
            select(ConsentDecision)
            .where(ConsentDecision.contribution_id == contribution_id)
            .order_by(ConsentDecision.id)
        )
    )


def _childs_choice(decision: ConsentDecision) -> int | None:
    """The one grown-up the child chose for the contribution, if they chose one."""
    contribution = db.session.get(Contribution, decision.contribution_id)
    return contribution.shared_with_member_id if contribution is not None else None


def shared_with(
    decision: ConsentDecision | None, audience: Audience, family_member_id: int | None = None
) -> bool:
    """Whether a decision (the one in force) lets ``audience`` see the contribution.

    For the family: a decision naming one family member shares with that member alone, and
    so does a child's choice of one grown-up; ``family_member_id`` None asks about the
    whole family, which either excludes.
    """
    if decision is None or decision.answer is ConsentAnswer.WITHDRAWN:
        return False
    if not decision.permits_sharing:
        return False
    if audience is Audience.FAMILY:
        for named in (decision.shared_with_member_id, _childs_choice(decision)):
            if named is not None and named != family_member_id:
                return False
    return {
        Audience.FAMILY: decision.share_with_family,
        Audience.MEETING: decision.share_with_meeting,
        Audience.AGENCIES: decision.share_with_agencies,
    }[audience]


def contribution_ids_shared_with(
    child_id: int,
    audience: Audience,
    family_member_id: int | None = None,
    *,
    confidential: ConfidentialScope | None = None,
) -> Select[Any]:
    """Ids of the child's contributions whose decision in force lets ``audience`` see them,
    outside the confidential section (and everything that follows it).

    For the family, ``family_member_id`` names the reader: a decision shared with one
    family member counts for that member only; with None, only decisions shared with all
    the family count (a copy for "the family" never carries one parent's items).
    ``confidential``: the child's scope when the caller already holds it (a
    ``Disclosure`` does), so it is not read a second time in the same request.
    """
    if confidential is None or confidential.child_id != child_id:
        confidential = confidential_scope(child_id)
    return shared_with_statement(audience, family_member_id is not None).params(
        child_id=child_id,
        family_member_id=family_member_id,
        hidden=sorted(confidential.contribution_ids),
    )


@functools.cache
def shared_with_statement(audience: Audience, for_one_member: bool) -> Select[Any]:
    """The statement behind ``contribution_ids_shared_with``, built once per audience (and,
    for the family, once for a named member and once for all the family): only its values
    change from one reader to the next, and building it cost more than running it.

    Its values are bind parameters: ``child_id``, ``hidden`` (the confidential section's
    contribution ids, a list) and, for one member, ``family_member_id``. A statement that
    holds it as a subquery passes them when it runs (``Disclosure.family_filter``).
    """
    child_id: BindParameter[int] = bindparam("child_id")
    newest = (
        select(func.max(ConsentDecision.id))
        .where(ConsentDecision.child_id == child_id)
        .group_by(ConsentDecision.contribution_id)
    )
    column = {
        Audience.FAMILY: ConsentDecision.share_with_family,
        Audience.MEETING: ConsentDecision.share_with_meeting,
        Audience.AGENCIES: ConsentDecision.share_with_agencies,
    }[audience]
    permits = or_(
        ConsentDecision.answer == ConsentAnswer.GIVEN,
        and_(
            ConsentDecision.shared_without_consent.is_(True),
            ConsentDecision.answer.in_([ConsentAnswer.REFUSED, ConsentAnswer.NOT_SOUGHT]),
        ),
    )
    stmt = select(ConsentDecision.contribution_id).where(
        ConsentDecision.id.in_(newest),
        column.is_(True),
        permits,
        ConsentDecision.contribution_id.not_in(bindparam("hidden", expanding=True)),
    )
    if audience is Audience.FAMILY:
        # The practitioner's decision and the child's own choice may each name one member.
        member: BindParameter[int] | None = (
            bindparam("family_member_id") if for_one_member else None
        )
        chosen = (
            select(Contribution.id)
            .where(Contribution.child_id == child_id)
            .where(_for_reader(Contribution.shared_with_member_id, member))
        )
        stmt = stmt.where(
            _for_reader(ConsentDecision.shared_with_member_id, member),
            ConsentDecision.contribution_id.in_(chosen),
        )
    return stmt


def _for_reader(named: Any, family_member_id: Any) -> ColumnElement[bool]:
    """Nobody named (all the family), or the reader named; only the former for the family."""
    everyone: ColumnElement[bool] = named.is_(None)
    return everyone if family_member_id is None else or_(everyone, named == family_member_id)
