"""Ways in and out of the family's space: an invitation (link or code), choosing a
passphrase, signing in and out, and giving a practitioner's tablet back."""

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
from werkzeug.wrappers import Response as BaseResponse

from voice_app.accounts import sign_ins
from voice_app.accounts.models import User
from voice_app.accounts.services import password_matches
from voice_app.extensions import db, limiter
from voice_app.family import authentication, services
from voice_app.family.access import signed_in, start_session
from voice_app.family.forms import FamilyCodeForm, FamilySignInForm, GiveBackForm, PassphraseForm
from voice_app.family.models import FamilyInvitation
from voice_app.family.session import current_family_space, leave

bp = Blueprint("family_access", __name__, url_prefix="/family")
#: An invitation opened on this device whose passphrase has not been set yet.
PENDING_KEY = "family_invitation_pending"
#: What a practitioner's tablet in an assisted family sign-in may still reach.
REACHABLE_WHEN_ASSISTED = frozenset({"static", "i18n.set_language", "health.healthz"})


@bp.before_app_request
def keep_the_family_in_their_space() -> BaseResponse | None:
    """On a practitioner's tablet handed to a family member, nothing else is reachable."""
    space = current_family_space()
    if space is None or space.assisted_by is None:
        return None
    endpoint = request.endpoint or ""
    if endpoint.startswith(("family.", "family_access.")) or endpoint in REACHABLE_WHEN_ASSISTED:
        return None
    return redirect(url_for("family.home"))


def _open(invitation: FamilyInvitation | None, form: FamilyCodeForm) -> BaseResponse | str:
    if invitation is None:
        form.code.errors = [
            _("That code does not work. Please ask your social worker for a new one.")
        ]
        db.session.commit()
        return render_template("family/join.html", form=form)
    session[PENDING_KEY] = invitation.id
    db.session.commit()
    return redirect(url_for("family_access.welcome"))


@bp.get("/i/<token>")
@limiter.limit("30 per minute")
def open_invitation(token: str) -> BaseResponse | str:
    return _open(services.open_by_token(token), FamilyCodeForm(formdata=None))


@bp.route("/join", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def join() -> BaseResponse | str:
    form = FamilyCodeForm()
    if form.validate_on_submit():
        return _open(services.open_by_code(form.code.data or ""), form)
    return render_template("family/join.html", form=form)


@bp.route("/welcome", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def welcome() -> BaseResponse | str:
    """Choose a sign-in name and a password or passphrase, with the invitation opened here."""
    pending = session.get(PENDING_KEY)
    invitation = services.get_usable_invitation(pending) if isinstance(pending, int) else None
    if invitation is None:
        session.pop(PENDING_KEY, None)
        return redirect(url_for("family_access.join"))
    account = invitation.account
    form = PassphraseForm(sign_in_name=account.sign_in_name or "")
    if form.validate_on_submit():
        try:
            services.set_passphrase(
                invitation, form.sign_in_name.data or "", form.passphrase.data or ""
            )
        except services.SignInNameTaken:
            db.session.rollback()
            form.sign_in_name.errors = [_("Someone already uses this name. Please choose another.")]
        else:
            start_session(account)
            db.session.commit()
            flash(_("You are signed in. Remember your sign-in name and passphrase."), "success")
            return redirect(url_for("family.home"))
    return render_template("family/welcome.html", form=form, member_name=account.family_member.name)


def _sign_in_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def sign_in() -> BaseResponse | str:
    form = FamilySignInForm()
    if form.validate_on_submit():
        result = authentication.authenticate(
            form.sign_in_name.data or "", form.passphrase.data or ""
        )
        if result.outcome is authentication.FamilyLoginOutcome.OK and result.account is not None:
            start_session(result.account)
            db.session.commit()
            return redirect(url_for("family.home"))
        db.session.commit()
        if result.outcome is authentication.FamilyLoginOutcome.LOCKED:
            form.form_errors.append(
                _("Too many tries for this name. Please wait 15 minutes and try again.")
            )
        else:
            form.form_errors.append(_("That sign-in name and passphrase do not match."))
    return render_template("family/sign_in.html", form=form)


@bp.post("/sign-out")
def sign_out() -> BaseResponse:
    space = current_family_space()
    if space is None:
        abort(401)
    if space.assisted_by is not None:
        return redirect(url_for("family_access.give_back"))
    account = authentication.load_account(space)
    if account is not None:
        authentication.record_sign_out(account)
    sign_ins.end_all_on_this_device()
    db.session.commit()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("family_access.sign_in"))


@bp.route("/give-back", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def give_back() -> BaseResponse | str:
    """Back to the practitioner's own view: only with the practitioner's password."""
    space, account = signed_in()
    practitioner = db.session.get(User, space.assisted_by) if space.assisted_by else None
    if practitioner is None:
        abort(404)
    form = GiveBackForm()
    if form.validate_on_submit():
        if password_matches(practitioner, form.password.data or ""):
            authentication.record_sign_out(account, assisted_by=practitioner)
            sign_ins.end(space.sign_in)
            leave()
            db.session.commit()
            return redirect(url_for("contributions.timeline", child_id=account.child_id))
        form.password.errors = [_("That password is not right.")]
    return render_template("family/give_back.html", form=form, practitioner_name=practitioner.name)
