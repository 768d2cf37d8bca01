"""The family's space: opening an invitation, signing in, reading what is shared, giving
their own views, and handing a practitioner's tablet back."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import logout_user
from werkzeug.wrappers import Response as BaseResponse

from voice_app.accounts.models import User
from voice_app.accounts.services import password_matches
from voice_app.children.forms import RELATIONSHIP_LABELS
from voice_app.children.services import get_child
from voice_app.contributions import services as contributions
from voice_app.contributions.labels import KIND_LABELS, TRANSCRIPT_LABELS
from voice_app.contributions.models import ContributionKind, SharingChoice
from voice_app.contributions.views import media_response
from voice_app.core.forms import choice_list
from voice_app.extensions import db, limiter
from voice_app.family import services, sharing
from voice_app.family.forms import (
    FamilyCodeForm,
    FamilyLanguageForm,
    FamilySignInForm,
    FamilyWordsForm,
    GiveBackForm,
    PassphraseForm,
    ReadBackForm,
)
from voice_app.family.models import FamilyAccount, FamilyInvitation
from voice_app.family.permissions import FamilyPermission, family_has
from voice_app.family.session import FamilySpace, current_family_space, enter, leave
from voice_app.i18n import LANGUAGES
from voice_app.i18n import SESSION_KEY as LOCALE_KEY
from voice_app.transcription.tasks import transcribe_recording

bp = Blueprint("family", __name__, url_prefix="/family")
#: An invitation opened on this device whose passphrase has not been set yet.
PENDING_KEY = "family_invitation_pending"
#: What a practitioner's tablet in an assisted family sign-in may still reach.
REACHABLE_WHEN_ASSISTED = frozenset({"static", "i18n.set_language", "health.healthz"})
F = TypeVar("F", bound=Callable[..., Any])


@bp.before_app_request
def keep_the_family_in_their_space() -> BaseResponse | None:
    """On a practitioner's tablet handed to a family member, nothing else is reachable."""
    space = current_family_space()
    if space is None or space.assisted_by is None:
        return None
    endpoint = request.endpoint or ""
    if endpoint.startswith("family.") or endpoint in REACHABLE_WHEN_ASSISTED:
        return None
    return redirect(url_for("family.home"))


def _signed_in() -> tuple[FamilySpace, FamilyAccount]:
    """The family member signed in on this device, loaded once per request; else a 401."""
    found = g.get("family_signed_in")
    if found is not None:
        return found
    space = current_family_space()
    account = services.load_account(space.account_id, space.session_token) if space else None
    if space is None or account is None:
        leave()
        abort(401)
    g.family_signed_in = (space, account)
    return space, account


def family_required(permission: FamilyPermission) -> Callable[[F], F]:
    """View decorator: a family session on this device that carries ``permission``."""

    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            _signed_in()
            if not family_has(permission):
                abort(403)
            return view(*args, **kwargs)

        return checked  # type: ignore[return-value]

    return decorate


def start_session(account: FamilyAccount, assisted_by: User | None = None) -> None:
    """Put this device into the family member's space."""
    member = account.family_member
    relation = RELATIONSHIP_LABELS[member.relationship_to_child]
    if assisted_by is None:
        # A device signed in as a family member is theirs alone: no staff session stays.
        logout_user()
        session.clear()
    enter(
        FamilySpace(
            account_id=account.id,
            session_token=account.session_token,
            child_id=account.child_id,
            family_member_id=member.id,
            locale=services.locale_of(account),
            label=f"{member.name} (family member: {relation})",
            assisted_by=assisted_by.id if assisted_by else None,
        )
    )
    session.pop(LOCALE_KEY, None)


def _open(invitation: FamilyInvitation | None, form: FamilyCodeForm) -> BaseResponse | str:
    if invitation is None:
        form.code.errors = [
            _("That code does not work. Please ask your social worker for a new one.")
        ]
        db.session.commit()
        return render_template("family/join.html", form=form)
    session[PENDING_KEY] = invitation.id
    db.session.commit()
    return redirect(url_for("family.welcome"))


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
        return redirect(url_for("family.join"))
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
            db.session.commit()
            start_session(account)
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
        result = services.authenticate(form.sign_in_name.data or "", form.passphrase.data or "")
        db.session.commit()
        if result.outcome is services.FamilyLoginOutcome.OK and result.account is not None:
            start_session(result.account)
            return redirect(url_for("family.home"))
        if result.outcome is services.FamilyLoginOutcome.LOCKED:
            form.form_errors.append(
                _("Too many tries for this name. Please wait 15 minutes and try again.")
            )
        else:
            form.form_errors.append(_("That sign-in name and passphrase do not match."))
    return render_template("family/sign_in.html", form=form)


def _words_form() -> FamilyWordsForm:
    return FamilyWordsForm()


@bp.get("/")
@family_required(FamilyPermission.SPACE_READ)
def home() -> str:
    space, account = _signed_in()
    items = sharing.readable(account)
    child = get_child(account.child_id)
    db.session.commit()
    own = [i for i in items if i.family_member_id == account.family_member_id]
    shared = [i for i in items if i.family_member_id != account.family_member_id]
    return render_template(
        "family/home.html",
        account=account,
        child_name=child.display_name if child else "",
        own=own,
        shared=shared,
        form=_words_form(),
        assisted=space.assisted_by is not None,
        kind_labels=KIND_LABELS,
        transcript_labels=TRANSCRIPT_LABELS,
        relationship_labels=RELATIONSHIP_LABELS,
    )


def _submission(form: FamilyWordsForm, locale: str) -> contributions.Submission:
    upload = form.media.data
    kind = ContributionKind(form.kind.data or "text")
    return contributions.Submission(
        client_id=str(uuid.uuid4()),
        kind=kind,
        sharing=SharingChoice(form.sharing.data or SharingChoice.MY_WORKER),
        language=locale,
        text=form.text.data,
        media=upload.read() if upload and kind is not ContributionKind.TEXT else None,
    )


@bp.post("/contributions")
@family_required(FamilyPermission.CONTRIBUTE)
def contribute() -> BaseResponse | str:
    """The family member's own view: typed, recorded, or a drawing."""
    space, account = _signed_in()
    form = FamilyWordsForm()
    if not form.validate_on_submit() or form.kind.data not in ("text", "voice", "drawing"):
        flash(_("That did not work. Please try again."), "error")
        return redirect(url_for("family.home"))
    try:
        contribution, _created = sharing.contribute(
            account, _submission(form, space.locale), assisted_by=space.assisted_by
        )
    except contributions.SubmissionRejected as rejected:
        db.session.rollback()
        flash(rejected.message, "error")
        return redirect(url_for("family.home"))
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        contributions.discard_media_of(contribution)
        raise
    if contribution.transcript is not None:
        try:
            transcribe_recording(contribution.transcript.id)
        except Exception:
            # The recording is safe in storage; the periodic sweep queues it again.
            current_app.logger.exception("could not queue transcription %s", contribution.id)
        return redirect(url_for("family.read_back", contribution_id=contribution.id))
    flash(_("Thank you. Your words are with the social worker."), "success")
    return redirect(url_for("family.home", _anchor=f"c{contribution.id}"))


@bp.route("/contributions/<int:contribution_id>/read-back", methods=["GET", "POST"])
@family_required(FamilyPermission.CONTRIBUTE)
def read_back(contribution_id: int) -> BaseResponse | str:
    """What the machine heard in the family member's recording, to confirm or correct."""
    _space, account = _signed_in()
    contribution = sharing.own_one(account, contribution_id)
    if contribution is None or contribution.transcript is None:
        abort(404)
    transcript = contribution.transcript
    db.session.refresh(transcript)
    if request.method == "GET":
        sharing.record_read(account, contribution)
        db.session.commit()
    form = ReadBackForm(
        text=transcript.confirmed_text or transcript.machine_text or "",
    )
    if form.validate_on_submit():
        try:
            contributions.confirm_transcript(contribution, form.text.data or "", by_child=False)
        except contributions.SubmissionRejected as rejected:
            db.session.rollback()
            form.text.errors = [rejected.message]
        else:
            db.session.commit()
            flash(_("Thank you. Your words are confirmed."), "success")
            return redirect(url_for("family.home", _anchor=f"c{contribution.id}"))
    return render_template(
        "family/read_back.html",
        form=form,
        contribution=contribution,
        transcript=transcript,
        transcript_labels=TRANSCRIPT_LABELS,
    )


@bp.get("/media/<int:contribution_id>/<variant>")
@family_required(FamilyPermission.MEDIA_READ)
def media(contribution_id: int, variant: str) -> Response:
    _space, account = _signed_in()
    contribution = sharing.readable_one(account, contribution_id)
    if contribution is None or variant not in ("original", "thumbnail"):
        abort(404)
    response = media_response(contribution, variant)
    sharing.record_media_read(account, contribution, variant)
    db.session.commit()
    return response


@bp.route("/settings", methods=["GET", "POST"])
@family_required(FamilyPermission.SETTINGS)
def settings() -> BaseResponse | str:
    space, account = _signed_in()
    form = FamilyLanguageForm(locale=services.locale_of(account))
    form.locale.choices = choice_list(LANGUAGES)
    if form.validate_on_submit():
        services.set_locale(account, form.locale.data or "en")
        db.session.commit()
        enter(FamilySpace(**{**space.__dict__, "locale": account.locale or "en"}))
        session.pop(LOCALE_KEY, None)
        flash(_("Your language is saved."), "success")
        return redirect(url_for("family.home"))
    return render_template("family/settings.html", form=form)


@bp.post("/sign-out")
def sign_out() -> BaseResponse:
    space = current_family_space()
    if space is None:
        abort(401)
    if space.assisted_by is not None:
        return redirect(url_for("family.give_back"))
    account = services.load_account(space.account_id, space.session_token)
    if account is not None:
        services.record_sign_out(account)
        db.session.commit()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("family.sign_in"))


@bp.route("/give-back", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def give_back() -> BaseResponse | str:
    """Back to the practitioner's own view: only with the practitioner's password."""
    space, account = _signed_in()
    practitioner = db.session.get(User, space.assisted_by) if space.assisted_by else None
    if practitioner is None:
        abort(404)
    form = GiveBackForm()
    if form.validate_on_submit():
        if password_matches(practitioner, form.password.data or ""):
            services.record_sign_out(account, assisted_by=practitioner)
            leave()
            db.session.commit()
            return redirect(url_for("contributions.timeline", child_id=account.child_id))
        form.password.errors = [_("That password is not right.")]
    return render_template("family/give_back.html", form=form, practitioner_name=practitioner.name)
