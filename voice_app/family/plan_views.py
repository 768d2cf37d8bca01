"""The child's plan in the family's space: the newest version agreed with the family."""

from __future__ import annotations

from flask import Blueprint, render_template

from voice_app.children.services import get_child
from voice_app.extensions import db
from voice_app.family.access import family_required, signed_in
from voice_app.family.permissions import FamilyPermission
from voice_app.family.plan import family_plan
from voice_app.plans.labels import LABELS

bp = Blueprint("family_plan", __name__, url_prefix="/family")


@bp.get("/plan")
@family_required(FamilyPermission.PLAN_READ)
def show() -> str:
    """The agreed plan, or a page that says none has been agreed yet."""
    _space, account = signed_in()
    child = get_child(account.child_id)
    found = family_plan(account)
    db.session.commit()
    return render_template(
        "family/plan.html",
        child_name=child.display_name if child else "",
        found=found,
        **LABELS,
    )
