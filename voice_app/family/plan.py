"""The family's version of the child's plan: the newest version agreed with them.

A plan is made with the family, so its agreed version is theirs to read on their phone:
the worries, what is working well, what needs to happen, the network, the actions with
who does them and by when, and when the next review is due. Never a working draft.

The child's own words placed in it are shown only where this family member may read
them, as the rest of their space answers it (``family.sharing``, which asks
``record.disclosure``): the consent decision, the child's own sharing choice (including
"only Mum") and the confidential section, in the one place that decides. A drawing is
served through the family's own media route, which asks the same owner.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.family import sharing
from voice_app.family.models import FamilyAccount
from voice_app.plans.models import Plan, PlanVersion
from voice_app.plans.services.drafting import agreed_versions, plan_of
from voice_app.plans.services.reading import ShownVersion, reviews_due, shown_version
from voice_app.plans.services.timetable import Due
from voice_app.plans.services.voices import Shareable
from voice_app.record.disclosure import confidential_scope
from voice_app.replies.services import uk_today


@dataclass(frozen=True)
class FamilyPlan:
    plan: Plan
    version: PlanVersion
    shown: ShownVersion
    reviews_due: list[Due]


def agreed_plan(child_id: int) -> tuple[Plan, PlanVersion] | None:
    """The child's plan and its newest agreed version; None before one is agreed."""
    plan = plan_of(child_id)
    agreed = agreed_versions(plan) if plan is not None else []
    if plan is None or not agreed:
        return None
    return plan, agreed[-1]


def _words_for(account: FamilyAccount, version: PlanVersion) -> Shareable:
    """Of the words placed in this version, those this family member may read."""
    placed = {p.contribution_id for p in version.words}
    readable = sharing.readable_among(account, placed)
    return Shareable(readable, confidential_scope(account.child_id).contribution_ids)


def family_plan(account: FamilyAccount) -> FamilyPlan | None:
    """The plan as this family member may read it, audited as a family read."""
    found = agreed_plan(account.child_id)
    if found is None:
        return None
    plan, version = found
    # Words the family may not read are left out without a trace: the family's page shows
    # no "taken out" notes and no count of what was withheld.
    shown = shown_version(plan, version, _words_for(account, version))
    audit.record(
        AuditAction.FAMILY_PLAN_VIEWED,
        child_id=account.child_id,
        target=f"plan:{plan.id}",
        details={
            "version": version.number,
            "family_account": account.id,
            "words": sorted(
                w.contribution.id for c in shown.columns for s in c.sections for w in s.words
            ),
        },
    )
    return FamilyPlan(plan, version, shown, reviews_due(plan, uk_today()))
