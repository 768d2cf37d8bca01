"""Sign-in and sign-out, account settings, and user administration."""

from __future__ import annotations

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
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from voice_app.accounts import services, sign_ins
from voice_app.accounts.forms import (
    ROLE_LABELS,
    LanguageForm,
    LoginForm,
    PasswordChangeForm,
    TeamForm,
    UserForm,
)
from voice_app.accounts.models import Team, User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.core.forms import choice_list
from voice_app.core.permissions import Permission, Role, require
from voice_app.core.view_helpers import commit_or_show
from voice_app.extensions import db, limiter
from voice_app.i18n import LANGUAGES, SESSION_KEY
from voice_app.i18n.views import safe_next

bp = Blueprint("accounts", __name__)
admin_bp = Blueprint("admin", __name__, url_prefix="/admin")


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if form.validate_on_submit():
        result = services.authenticate(form.email.data or "", form.password.data or "")
        if result.outcome is services.LoginOutcome.OK and result.user is not None:
            locale = session.get(SESSION_KEY)
            # A fresh session on sign-in, so nothing from before it carries over.
            sign_ins.end_all_on_this_device()
            session.clear()
            if locale:
                session[SESSION_KEY] = locale
            login_user(result.user)
            sign_ins.begin_staff()
            db.session.commit()
            return redirect(safe_next(request.args.get("next"), url_for("core.index")))
        db.session.commit()
        if result.outcome is services.LoginOutcome.LOCKED:
            form.form_errors.append(
                _(
                    "Too many failed attempts for this account. "
                    "Please wait 15 minutes and try again."
                )
            )
        else:
            form.form_errors.append(_("That email address and password do not match an account."))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    audit.record(AuditAction.LOGOUT, target=f"user:{current_user.id}")
    sign_ins.end_all_on_this_device()
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere() -> Response:
    services.log_out_everywhere(current_user._get_current_object())
    sign_ins.end_all_on_this_device()
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have been signed out on every device."), "info")
    return redirect(url_for("accounts.login"))


def _submitted(form: FlaskForm) -> bool:
    """Whether this request posted ``form`` (several forms share the account page)."""
    prefix = f"{form._prefix}"
    return request.method == "POST" and any(key.startswith(prefix) for key in request.form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> Response | str:
    language_form = LanguageForm(prefix="language", locale=current_user.locale or "")
    language_form.locale.choices = choice_list({"": _("Follow my browser")} | LANGUAGES)
    password_form = PasswordChangeForm(prefix="password")
    if _submitted(language_form) and language_form.validate_on_submit():
        current_user.locale = language_form.locale.data or None
        session.pop(SESSION_KEY, None)
        audit.record(AuditAction.SETTINGS_CHANGED, details={"locale": current_user.locale})
        db.session.commit()
        flash(_("Your language is saved."), "success")
        return redirect(url_for("accounts.account"))
    if _submitted(password_form) and password_form.validate_on_submit():
        user = current_user._get_current_object()
        if services.password_matches(user, password_form.current_password.data or ""):
            services.update_user(
                user,
                name=user.name,
                post_title=user.post_title,
                role=user.role,
                team=user.team,
                active=True,
                new_password=password_form.new_password.data,
                changed_by=user,
            )
            db.session.commit()
            # The new session token signed this session out too; sign it back in.
            login_user(user)
            flash(_("Your password is changed. Other devices have been signed out."), "success")
            return redirect(url_for("accounts.account"))
        password_form.current_password.errors = [_("That is not your current password.")]
    return render_template(
        "accounts/account.html", language_form=language_form, password_form=password_form
    )


def _team_choices() -> dict[int, str]:
    teams = db.session.scalars(select(Team).order_by(Team.name))
    return {0: _("No team")} | {team.id: team.name for team in teams}


@admin_bp.get("/users")
@require(Permission.USER_MANAGE)
def users() -> str:
    people = db.session.scalars(select(User).order_by(User.name)).all()
    return render_template("admin/users.html", people=people, role_labels=ROLE_LABELS)


@admin_bp.route("/users/new", methods=["GET", "POST"])
@require(Permission.USER_MANAGE)
def new_user() -> Response | str:
    form = UserForm()
    form.team_id.choices = choice_list(_team_choices())
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors = [_("Please fill this in.")]
        else:
            password = form.password.data
            done = commit_or_show(
                form,
                lambda: services.create_user(
                    email=form.email.data or "",
                    name=form.name.data or "",
                    post_title=form.post_title.data or "",
                    role=Role(form.role.data),
                    password=password,
                    team=db.session.get(Team, form.team_id.data) if form.team_id.data else None,
                    created_by=current_user._get_current_object(),
                ),
                success=_("The account is created."),
                redirect_to=url_for("admin.users"),
            )
            if done:
                return done
    return render_template("admin/user_form.html", form=form, person=None)


@admin_bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require(Permission.USER_MANAGE)
def edit_user(user_id: int) -> Response | str:
    person = db.session.get(User, user_id) or abort(404)
    form = UserForm(obj=person)
    form.team_id.choices = choice_list(_team_choices())
    if request.method == "GET":
        form.team_id.data = person.team_id or 0
    # The address is the sign-in name; it is shown, not changed, here.
    form.email.data = person.email
    if form.validate_on_submit():
        if person.id == current_user.id and (
            Role(form.role.data) is not Role.ADMIN or not form.active.data
        ):
            form.role.errors = [_("You cannot remove your own administrator access.")]
        else:
            services.update_user(
                person,
                name=form.name.data or "",
                post_title=form.post_title.data or "",
                role=Role(form.role.data),
                team=db.session.get(Team, form.team_id.data) if form.team_id.data else None,
                active=form.active.data,
                new_password=form.password.data or None,
                changed_by=current_user._get_current_object(),
            )
            db.session.commit()
            flash(_("The account is saved."), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, person=person)


@admin_bp.route("/teams", methods=["GET", "POST"])
@require(Permission.USER_MANAGE)
def teams() -> Response | str:
    form = TeamForm()
    if form.validate_on_submit():
        name = form.name.data or ""
        if db.session.scalar(select(Team).where(Team.name == name)) is not None:
            form.name.errors = [_("There is already a team with this name.")]
        else:
            services.create_team(name, created_by=current_user._get_current_object())
            db.session.commit()
            flash(_("The team is created."), "success")
            return redirect(url_for("admin.teams"))
    all_teams = db.session.scalars(select(Team).order_by(Team.name)).all()
    return render_template("admin/teams.html", form=form, teams=all_teams)
