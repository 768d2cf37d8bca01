"""The case list, the child page, and changes to a child's record."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import to_utc
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from voice_app.accounts.models import User
from voice_app.children import closure, services
from voice_app.children.forms import (
    ASSIGNMENT_LABELS,
    BAND_LABELS,
    NATION_LABELS,
    RELATIONSHIP_LABELS,
    AssignmentForm,
    BandForm,
    ChildForm,
    CloseCaseForm,
    FamilyMemberForm,
)
from voice_app.children.lookup import child_or_404
from voice_app.children.models import (
    AssignmentRole,
    CaseAssignment,
    DevelopmentalBand,
    Relationship,
)
from voice_app.core.db import utcnow
from voice_app.core.forms import choice_list
from voice_app.core.paging import page_count, page_number
from voice_app.core.permissions import Permission, Role, require
from voice_app.core.view_helpers import commit_or_show
from voice_app.extensions import db
from voice_app.i18n import LANGUAGES
from voice_app.plans.services import overdue as plan_overdue
from voice_app.record.disclosure import alert_groups
from voice_app.replies import overdue
from voice_app.reports.labels import KIND_LABELS
from voice_app.reports.services import due as report_shares

bp = Blueprint("children", __name__, url_prefix="/children")

#: Session key of the case-list search. It is kept in the signed session, never in a URL,
#: so children's names stay out of access logs, proxies and browser history.
SEARCH_KEY = "case_search"


@bp.post("/search")
@require(Permission.CASE_LIST)
def search_cases() -> Response:
    search = "" if "clear" in request.form else request.form.get("q", "").strip()[:100]
    if search:
        session[SEARCH_KEY] = search
    else:
        session.pop(SEARCH_KEY, None)
    return redirect(url_for("children.case_list"))


@bp.get("/")
@require(Permission.CASE_LIST)
def case_list() -> str:
    search = str(session.get(SEARCH_KEY, ""))[:100]
    page = page_number()
    per_page = current_app.config["CASE_LIST_PAGE_SIZE"]
    reader = current_user._get_current_object()
    # Everything is read first and the audit entries are written together at the end: on
    # SQLite the first audit entry takes the database's write lock until the commit, and
    # every other page's audit entry waits for it, so no query may run while it is held.
    children, total = services.find_case_list_page(reader, search, page, per_page)
    overdue_replies, overdue_more = overdue.find_overdue_for(reader)
    overdue_reviews, overdue_reviews_more = plan_overdue.find_overdue_reviews_for(reader)
    report_shares_due = report_shares.find_shares_due_for(reader)
    # Every alert reaches the people responsible for the child, a confidential one too.
    # (Last of the reads: a reader with a grant is audited here as reading the section.)
    alerts = alert_groups(reader, services.visible_child_ids(reader))
    alert_names = services.names_of({group.child_id for group in alerts})
    services.record_case_list_viewed(children, search, page)
    overdue.record_overdue_viewed(overdue_replies)
    plan_overdue.record_overdue_reviews_viewed(overdue_reviews)
    report_shares.record_shares_due_viewed(report_shares_due)
    db.session.commit()
    return render_template(
        "children/list.html",
        children=children,
        total=total,
        search=search,
        page=page,
        pages=page_count(total, per_page),
        # Each band's name translated once, not once a row.
        band_names={band: str(label) for band, label in BAND_LABELS.items()},
        alerts=alerts,
        alert_names=alert_names,
        overdue_replies=overdue_replies,
        overdue_more=overdue_more,
        overdue_reviews=overdue_reviews,
        overdue_reviews_more=overdue_reviews_more,
        report_shares_due=report_shares_due,
        report_kind_labels=KIND_LABELS,
    )


def _lead_choices() -> dict[int, str]:
    team_practitioners = db.session.scalars(
        select(User)
        .where(
            User.team_id == current_user.team_id,
            User.role == Role.PRACTITIONER,
            User.active.is_(True),
        )
        .order_by(User.name)
    )
    return {0: _("Not yet chosen")} | {u.id: u.display for u in team_practitioners}


def _child_form(**kwargs: Any) -> ChildForm:
    form = ChildForm(**kwargs)
    form.preferred_language.choices = choice_list(dict(LANGUAGES))
    form.lead_practitioner_id.choices = choice_list(_lead_choices())
    return form


def _details(form: ChildForm) -> dict[str, Any]:
    details = {name: getattr(form, name).data for name in services.DETAIL_FIELDS}
    details["lead_practitioner_id"] = details["lead_practitioner_id"] or None
    for name in (
        "preferred_name",
        "gender",
        "ethnicity",
        "religion",
        "address",
        "communication_needs",
    ):
        details[name] = details[name] or None
    return details


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.CASE_CREATE)
def new_child() -> Response | str:
    form = _child_form()
    if request.method == "GET" and current_user.role is Role.PRACTITIONER:
        form.lead_practitioner_id.data = current_user.id
    if form.validate_on_submit():
        done = commit_or_show(
            form,
            lambda: services.create_child(_details(form), current_user._get_current_object()),
            success=_("The record is created."),
            redirect_to=lambda child: url_for("children.child_page", child_id=child.id),
        )
        if done:
            return done
    return render_template("children/form.html", form=form, child=None)


@bp.get("/<int:child_id>")
@require(Permission.CASE_READ, Permission.CASE_READ_INTERPRETING)
def child_page(child_id: int) -> str:
    child = child_or_404(child_id)
    services.record_child_viewed(child)
    db.session.commit()
    today = services.today()
    band_form = BandForm(band=child.band_override or "", reason=child.band_override_reason)
    band_form.band.choices = choice_list(
        {"": _("Follow the child's age")}
        | {band.value: label for band, label in BAND_LABELS.items()}
    )
    assignment_form = None
    if current_user.can(Permission.CASE_ASSIGN):
        assignment_form = AssignmentForm()
        assignment_form.user_id.choices = choice_list(
            {u.id: u.display for u in services.assignable_staff(child)}
        )
    return render_template(
        "children/show.html",
        child=child,
        today=today,
        band=child.band(today),
        band_form=band_form,
        assignment_form=assignment_form,
        full_access=current_user.can(Permission.CASE_READ),
        band_labels=BAND_LABELS,
        relationship_labels=RELATIONSHIP_LABELS,
        assignment_labels=ASSIGNMENT_LABELS,
        nation_labels=NATION_LABELS,
        now=utcnow(),
    )


@bp.route("/<int:child_id>/edit", methods=["GET", "POST"])
@require(Permission.CASE_EDIT)
def edit_child(child_id: int) -> Response | str:
    child = child_or_404(child_id)
    form = _child_form(obj=child)
    if request.method == "GET":
        form.lead_practitioner_id.data = child.lead_practitioner_id or 0
    if form.validate_on_submit():
        done = commit_or_show(
            form,
            lambda: services.update_child(child, _details(form)),
            success=_("The record is saved."),
            redirect_to=url_for("children.child_page", child_id=child.id),
        )
        if done:
            return done
    return render_template("children/form.html", form=form, child=child)


@bp.post("/<int:child_id>/band")
@require(Permission.CASE_EDIT)
def set_band(child_id: int) -> Response:
    child = child_or_404(child_id)
    form = BandForm()
    form.band.choices = choice_list(dict.fromkeys(["", *DevelopmentalBand], ""))
    if not form.validate_on_submit():
        for error in form.band.errors + form.reason.errors:
            flash(str(error), "error")
        return redirect(url_for("children.child_page", child_id=child.id))
    services.override_band(
        child, DevelopmentalBand(form.band.data) if form.band.data else None, form.reason.data
    )
    db.session.commit()
    flash(_("The developmental band is saved."), "success")
    return redirect(url_for("children.child_page", child_id=child.id))


@bp.route("/<int:child_id>/family/new", methods=["GET", "POST"])
@require(Permission.CASE_EDIT)
def new_family_member(child_id: int) -> Response | str:
    child = child_or_404(child_id)
    form = FamilyMemberForm(preferred_language=child.preferred_language)
    form.preferred_language.choices = choice_list(dict(LANGUAGES))
    if form.validate_on_submit():
        services.add_family_member(
            child,
            services.FamilyMemberDetails(
                name=form.name.data or "",
                relationship=Relationship(form.relationship.data),
                parental_responsibility=form.parental_responsibility.data,
                preferred_language=form.preferred_language.data or "en",
                interpreter_needed=form.interpreter_needed.data,
                phone=form.phone.data,
                email=form.email.data,
            ),
        )
        db.session.commit()
        flash(_("The family member is added."), "success")
        return redirect(url_for("children.child_page", child_id=child.id))
    return render_template("children/family_form.html", form=form, child=child)


@bp.post("/<int:child_id>/assignments")
@require(Permission.CASE_ASSIGN)
def add_assignment(child_id: int) -> Response:
    child = child_or_404(child_id)
    form = AssignmentForm()
    staff = {u.id: u for u in services.assignable_staff(child)}
    form.user_id.choices = choice_list(dict.fromkeys(staff, ""))
    if not form.validate_on_submit():
        flash(_("Please choose a person and a role."), "error")
        return redirect(url_for("children.child_page", child_id=child.id))
    person = staff[form.user_id.data]
    ends_at = to_utc(form.ends_at.data).replace(tzinfo=UTC) if form.ends_at.data else None
    role_on_case = AssignmentRole(form.role_on_case.data)
    if person.role is Role.INTERPRETER and ends_at is None:
        flash(_("Interpreters are assigned for a limited time: please say until when."), "error")
        return redirect(url_for("children.child_page", child_id=child.id))
    services.assign(child, person, role_on_case, ends_at, current_user._get_current_object())
    db.session.commit()
    flash(_("%(name)s is assigned.", name=person.name), "success")
    return redirect(url_for("children.child_page", child_id=child.id))


@bp.post("/<int:child_id>/assignments/<int:assignment_id>/end")
@require(Permission.CASE_ASSIGN)
def end_assignment(child_id: int, assignment_id: int) -> Response:
    child = child_or_404(child_id)
    assignment = db.session.get(CaseAssignment, assignment_id)
    if assignment is None or assignment.child_id != child.id:
        abort(404)
    services.end_assignment(assignment)
    db.session.commit()
    flash(_("The assignment has ended."), "success")
    return redirect(url_for("children.child_page", child_id=child.id))


@bp.route("/<int:child_id>/close", methods=["GET", "POST"])
@require(Permission.CASE_CLOSE)
def close_case(child_id: int) -> Response | str:
    """Close the case with a closing summary; this sets when the record is destroyed."""
    child = child_or_404(child_id)
    form = CloseCaseForm()
    if child.closed_at is None and form.validate_on_submit():
        try:
            closure.close_case(child, form.summary.data, current_user._get_current_object())
        except closure.ClosureRefused:
            db.session.rollback()
            form.summary.errors = [_("A case cannot be closed without a closing summary.")]
        else:
            db.session.commit()
            flash(_("The case is closed."), "success")
            return redirect(url_for("children.child_page", child_id=child.id))
    return render_template(
        "children/close.html",
        child=child,
        form=form,
        destroy_on=closure.destroy_on_for(child.date_of_birth, services.today()),
    )
