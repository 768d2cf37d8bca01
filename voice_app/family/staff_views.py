"""The practitioner's side of family accounts: inviting, re-inviting, assisted sign-in."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from voice_app.children.forms import RELATIONSHIP_LABELS
from voice_app.children.lookup import child_or_404, reader
from voice_app.children.models import Child, FamilyMember
from voice_app.contributions.views import _qr_data_uri as qr_data_uri
from voice_app.core.db import utcnow
from voice_app.core.permissions import Permission, require
from voice_app.extensions import db
from voice_app.family import authentication, services
from voice_app.family.access import start_session
from voice_app.family.forms import FamilyInviteForm

bp = Blueprint("family_staff", __name__, url_prefix="/children")


def _member_or_404(child: Child, member_id: int) -> FamilyMember:
    member = next((m for m in child.family_members if m.id == member_id), None)
    if member is None:
        abort(404)
    return member


@bp.get("/<int:child_id>/family-accounts")
@require(Permission.CASE_READ)
def accounts(child_id: int) -> str:
    """The child's family members and whether each has a way into the family's space."""
    child = child_or_404(child_id)
    services.record_accounts_viewed(child)
    db.session.commit()
    return render_template(
        "family/staff_accounts.html",
        child=child,
        accounts=services.accounts_by_member(child),
        relationship_labels=RELATIONSHIP_LABELS,
    )


@bp.route("/<int:child_id>/family-accounts/<int:member_id>/invite", methods=["GET", "POST"])
@require(Permission.CASE_EDIT)
def invite(child_id: int, member_id: int) -> BaseResponse | str:
    """Make an invitation (a link, a QR code and a short code) to give in person."""
    child = child_or_404(child_id)
    member = _member_or_404(child, member_id)
    form = FamilyInviteForm()
    if form.validate_on_submit():
        try:
            made = services.invite(
                member, form.reason.data, reader(), timedelta(days=form.days.data or 14)
            )
        except services.ReasonNeeded:
            db.session.rollback()
            form.reason.errors = [
                _(
                    "This person has no parental responsibility: "
                    "please record why they should see it."
                )
            ]
        else:
            db.session.commit()
            link = url_for("family_access.open_invitation", token=made.token, _external=True)
            return render_template(
                "family/staff_invitation_made.html",
                child=child,
                member=member,
                made=made,
                link=link,
                qr=qr_data_uri(link),
                join_url=url_for("family_access.join", _external=True),
            )
    return render_template(
        "family/staff_invite.html",
        child=child,
        member=member,
        account=services.account_for(member),
        relationship_labels=RELATIONSHIP_LABELS,
        form=form,
        now=utcnow(),
    )


@bp.post("/<int:child_id>/family-accounts/<int:member_id>/assisted")
@require(Permission.CASE_EDIT)
def assisted(child_id: int, member_id: int) -> BaseResponse:
    """Hand this signed-in tablet to the family member; the practitioner's password
    brings it back."""
    child = child_or_404(child_id)
    member = _member_or_404(child, member_id)
    account = services.account_for(member)
    if account is None or not account.active:
        abort(404)
    practitioner = reader()
    authentication.record_assisted_start(account, practitioner)
    db.session.commit()
    start_session(account, assisted_by=practitioner)
    return redirect(url_for("family.home"))


@bp.post("/<int:child_id>/family-accounts/<int:member_id>/end")
@require(Permission.CASE_EDIT)
def end_access(child_id: int, member_id: int) -> BaseResponse:
    """Stop a family member's access (their sessions and invitations); what they gave stays."""
    child = child_or_404(child_id)
    account = services.account_for(_member_or_404(child, member_id))
    if account is None:
        abort(404)
    services.end_access(account, reader())
    db.session.commit()
    flash(_("Their access has ended. A new invitation would open it again."), "success")
    return redirect(url_for("family_staff.accounts", child_id=child.id))
