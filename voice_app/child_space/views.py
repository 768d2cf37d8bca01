"""The child's space: opening an invitation, contributing, checking transcripts, leaving."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from voice_app.accounts import invitations
from voice_app.accounts.models import Invitation, User
from voice_app.accounts.services import password_matches
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.child_space import closed, grown_ups
from voice_app.child_space.forms import GiveBackForm, JoinForm, PictureForm
from voice_app.child_space.labels import (
    PICTURE_NAMES,
    WHO_SEES,
    sharing_labels,
)
from voice_app.child_space.session import ChildSpace, current_space, enter, leave
from voice_app.children.models import Child
from voice_app.children.services import get_child, today
from voice_app.contributions import alerts as safety
from voice_app.contributions import services as contributions
from voice_app.contributions.labels import FEELINGS, HOUSES
from voice_app.contributions.models import (
    Contribution,
)
from voice_app.contributions.views import media_response
from voice_app.extensions import db, limiter
from voice_app.i18n import text_direction
from voice_app.i18n.dates import format_moment
from voice_app.plans.child_version import answers_picture, child_plan
from voice_app.record.disclosure import Reader, disclosure_for
from voice_app.replies import services as replies

bp = Blueprint("child_space", __name__)
#: An invitation opened on this device whose picture PIN has not been given yet.
PIN_PENDING_KEY = "pin_pending"

#: What a device in the child's space may still reach outside the space itself.
REACHABLE_FROM_CHILD_SPACE = frozenset(
    {
        "static",
        "core.favicon",
        "i18n.set_language",
        "health.healthz",
        # Prompt audio (only the words of the space itself) and where pictures come from.
        "read_aloud.index",
        "read_aloud.audio",
        "read_aloud.recording",
        "read_aloud.about",
        # A prompt with the child's own name in it: the view lets in only their own.
        "read_aloud.named_audio",
    }
)


@bp.before_app_request
def keep_the_child_in_their_space() -> BaseResponse | None:
    """While a child's space is open on a device, nothing of any case is reachable from it;
    once the case has closed or the record is gone, the space says so (``closed``)."""
    space = current_space()
    if space is None:
        return None
    endpoint = request.endpoint or ""
    if endpoint in REACHABLE_FROM_CHILD_SPACE:
        return None
    ended = closed.ended_answer(space, endpoint)
    if ended is not None:
        return make_response(ended)
    if endpoint.startswith("child_space."):
        return None
    return redirect(url_for("child_space.home"))


def _space_and_child() -> tuple[ChildSpace, Child]:
    space = current_space()
    child = get_child(space.child_id) if space else None
    if space is None or child is None:
        abort(401)
    return space, child


def _open(invitation: Invitation) -> BaseResponse:
    """Into the space, or first to the picture PIN if the child chose one."""
    if invitation.pin_hash is not None:
        session[PIN_PENDING_KEY] = invitation.id
        db.session.commit()
        return redirect(url_for("child_space.enter_pin"))
    return _enter(invitation)


def _enter(invitation: Invitation) -> BaseResponse:
    child = get_child(invitation.child_id)
    if child is None:
        abort(404)
    session.pop(PIN_PENDING_KEY, None)
    if not invitations.still_opens(invitation, child):
        return redirect(url_for("child_space.join"))
    enter(child.id, child.preferred_language, invitation_id=invitation.id)
    db.session.commit()
    return redirect(url_for("child_space.home"))


@bp.route("/pin", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def enter_pin() -> BaseResponse | str:
    """The child taps their three pictures to come back into their space."""
    pending = session.get(PIN_PENDING_KEY)
    invitation = invitations.get_invitation(pending) if isinstance(pending, int) else None
    if invitation is None:
        return redirect(url_for("child_space.join"))
    form = PictureForm()
    if form.validate_on_submit():
        outcome = invitations.check_pin(invitation, form.pictures)
        if outcome is invitations.PinOutcome.OK:
            return _enter(invitation)
        db.session.commit()
        if outcome is invitations.PinOutcome.LOCKED:
            session.pop(PIN_PENDING_KEY, None)
            form = JoinForm()
            form.code.errors = [
                _("Those were not your pictures. Please ask your worker for a new code.")
            ]
            return render_template("child_space/join.html", form=form)
        form.first.errors = [_("Those are not your pictures. Please try again.")]
    return render_template(
        "child_space/pin.html", form=form, choosing=False, picture_names=PICTURE_NAMES
    )


@bp.route("/me/pin", methods=["GET", "POST"])
def choose_pin() -> BaseResponse | str:
    """Choose three pictures so this invitation can bring the child back to their space."""
    space, _child = _space_and_child()
    invitation = invitations.get_invitation(space.invitation_id) if space.invitation_id else None
    if invitation is None:
        abort(404)  # a handed-over tablet goes back to the practitioner, not to a PIN
    form = PictureForm()
    if form.validate_on_submit():
        invitations.set_pin(invitation, form.pictures)
        db.session.commit()
        flash(_("Remember your three pictures. You need them to come back."), "success")
        return redirect(url_for("child_space.home"))
    return render_template(
        "child_space/pin.html", form=form, choosing=True, picture_names=PICTURE_NAMES
    )


@bp.get("/i/<token>")
@limiter.limit("30 per minute")
def open_invitation(token: str) -> BaseResponse | str:
    invitation = invitations.open_by_token(token)
    if invitation is None:
        form = JoinForm()
        form.code.errors = [
            _("This link does not work any more. Please ask your worker for a new one.")
        ]
        return render_template("child_space/join.html", form=form)
    return _open(invitation)


@bp.route("/join", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def join() -> BaseResponse | str:
    form = JoinForm()
    if form.validate_on_submit():
        invitation = invitations.open_by_code(form.code.data or "")
        if invitation is not None:
            return _open(invitation)
        form.code.errors = [_("That code does not work. Please check it with your worker.")]
    return render_template("child_space/join.html", form=form)


def _item(contribution: Contribution) -> dict[str, Any]:
    """One of the child's own things, with everything their list shows about it."""
    item = contributions.contribution_json(contribution)
    item.update(
        # "my_family_too:<id>" when the child chose one grown-up (``grown_ups``).
        sharing=grown_ups.sharing_of(contribution),
        feeling=str(contribution.feeling) if contribution.feeling else None,
        house=str(contribution.house) if contribution.house else None,
        scale_value=contribution.scale_value,
        flagged_unsafe=contribution.flagged_unsafe,
        # "I pressed it by mistake" stays in the child's list after a reload, as it is.
        mistake_said=contribution.flagged_unsafe
        and safety.mistake_for(contribution.id) is not None,
        # The child's list shows it as it is: their language's own date and time formats.
        created_label=format_moment(contribution.created_at),
    )
    item["media_url"] = (
        url_for("child_space.media", contribution_id=contribution.id, variant="original")
        if contribution.media_id
        else None
    )
    item["thumbnail_url"] = (
        url_for("child_space.media", contribution_id=contribution.id, variant="thumbnail")
        if contribution.thumbnail_media_id
        else None
    )
    return item


@bp.get("/me")
def home() -> str:
    space, child = _space_and_child()
    band = child.band(today())
    # The child's own, and nothing placed in the confidential section (record.disclosure).
    own = db.session.scalars(
        contributions.contributions_of(child.id).where(
            disclosure_for(Reader.child(), child.id).contribution_filter()
        )
    ).all()
    # "You said, we did": the worker's replies, shown beside what the child said (audited).
    child_replies = replies.replies_for_child_space(child.id)
    db.session.commit()
    return render_template(
        "child_space/home.html",
        child_name=child.display_name,
        band=band.value,
        handover=space.handover_by is not None,
        sharing_choices=grown_ups.choices(child, band, sharing_labels(band)),
        sharing_shown=grown_ups.shown_labels(child, band, sharing_labels(band)),
        who_sees=WHO_SEES[band],
        contributions=[_item(c) for c in own],
        feelings=[(f.value, label) for f, label in FEELINGS.items()],
        houses=[(h.value, label) for h, label in HOUSES.items()],
        upload_url=url_for("child_space.upload"),
        status_url_template=url_for("child_space.status", contribution_id=0).replace(
            "/0", "/__ID__"
        ),
        confirm_url_template=url_for("child_space.confirm", contribution_id=0).replace(
            "/0/", "/__ID__/"
        ),
        mistake_url_template=url_for("child_space.pressed_by_mistake", contribution_id=0).replace(
            "/0/", "/__ID__/"
        ),
        max_audio_seconds=current_app.config["MAX_AUDIO_SECONDS"],
        child_locale=space.locale,
        child_replies=child_replies,
        symbols=child.symbols_mode(today()),
    )


@bp.get("/me/plan")
def my_plan() -> str:
    """The child's own version of their plan: what their worker wrote for them."""
    space, child = _space_and_child()
    shown = child_plan(child)
    db.session.commit()
    return render_template(
        "child_space/plan.html",
        shown=shown,
        band=child.band(today()).value,
        child_name=child.display_name,
        child_locale=space.locale,
        answers_picture=answers_picture,
        rtl=text_direction(space.locale) == "rtl",
    )


def _refused(message: str, reason: str, status: int = 400) -> tuple[Response, int]:
    return jsonify({"error": message, "reason": reason}), status


def _stored_answer(child: Child, contribution: Contribution) -> dict[str, Any]:
    """What a tablet is told about an item it sent: the item, or - when it has since left
    the child's view (the confidential section) - only that it is safely stored, so a
    resend never brings the words back onto the screen."""
    if disclosure_for(Reader.child(), child.id).may_see_contribution(contribution):
        return _item(contribution)
    return {"id": contribution.id, "client_id": contribution.client_id, "withheld": True}


def _own(child: Child, contribution_id: int) -> Contribution:
    """The child's own contribution; anything else, the confidential section included,
    is answered exactly as an id that does not exist."""
    contribution = contributions.get_for_child(child.id, contribution_id)
    if contribution is None or not disclosure_for(Reader.child(), child.id).may_see_contribution(
        contribution
    ):
        abort(404)
    return contribution


@bp.get("/me/contributions/<int:contribution_id>")
def status(contribution_id: int) -> Response:
    _space, child = _space_and_child()
    return jsonify(_item(_own(child, contribution_id)))


@bp.post("/me/contributions/<int:contribution_id>/confirm")
def confirm(contribution_id: int) -> tuple[Response, int]:
    space, child = _space_and_child()
    contribution = _own(child, contribution_id)
    payload = request.get_json(silent=True) or {}
    sent = payload.get("text") if isinstance(payload, dict) else None
    text = sent if isinstance(sent, str) else ""
    try:
        contributions.confirm_transcript(
            contribution, text, by_child=True, by_user_id=space.handover_by
        )
    except contributions.SubmissionRejected as rejected:
        db.session.rollback()
        return _refused(rejected.message, rejected.reason)
    db.session.commit()
    return jsonify(_item(contribution)), 200


@bp.post("/me/contributions/<int:contribution_id>/mistake")
def pressed_by_mistake(contribution_id: int) -> tuple[Response, int]:
    """The child says "I pressed it by mistake"; the alert stays for the practitioner."""
    _space, child = _space_and_child()
    contribution = _own(child, contribution_id)
    try:
        mistake = safety.say_it_was_a_mistake(contribution)
    except contributions.SubmissionRejected as rejected:
        db.session.rollback()
        return _refused(rejected.message, rejected.reason)
    db.session.commit()
    return jsonify({"id": contribution.id, "mistake_at": mistake.said_at.isoformat()}), 200


@bp.get("/me/media/<int:contribution_id>/<variant>")
def media(contribution_id: int, variant: str) -> Response:
    _space, child = _space_and_child()
    return media_response(_own(child, contribution_id), variant)


@bp.route("/me/exit", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def exit() -> BaseResponse | str:
    """Hand the tablet back: the practitioner's password, or for a child's own device, a tap."""
    space, child = _space_and_child()
    if space.handover_by is None:
        if request.method == "POST":
            leave()
            db.session.commit()
            flash(_("Thank you. You can close this page now."), "success")
            return redirect(url_for("child_space.join"))
        return render_template("child_space/exit.html", form=None, practitioner_name=None)
    practitioner = db.session.get(User, space.handover_by)
    if practitioner is None:
        abort(401)
    form = GiveBackForm()
    if form.validate_on_submit():
        if password_matches(practitioner, form.password.data or ""):
            leave()
            audit.record(AuditAction.HANDOVER_ENDED, child_id=child.id, actor=practitioner)
            db.session.commit()
            return redirect(url_for("contributions.timeline", child_id=child.id))
        form.password.errors = [_("That password is not right.")]
    return render_template("child_space/exit.html", form=form, practitioner_name=practitioner.name)
