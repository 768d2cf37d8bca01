"""The family's space itself: what is shared with them, their own views (typed, spoken
or drawn), reading a recording back, pictures and recordings, and their language."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    get_template_attribute,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.wrappers import Response as BaseResponse

from voice_app.children.forms import RELATIONSHIP_LABELS
from voice_app.contributions import services as contributions
from voice_app.contributions.labels import FEELINGS, HOUSES, KIND_LABELS, TRANSCRIPT_LABELS
from voice_app.contributions.models import ContributionKind, SharingChoice, TranscriptStatus
from voice_app.contributions.views import media_response
from voice_app.core.forms import choice_list
from voice_app.extensions import db
from voice_app.family import services, sharing
from voice_app.family.access import family_required, signed_in
from voice_app.family.forms import FamilyLanguageForm, FamilyWordsForm, ReadBackForm
from voice_app.family.permissions import FamilyPermission
from voice_app.family.session import FamilySpace, enter
from voice_app.i18n import LANGUAGES
from voice_app.i18n import SESSION_KEY as LOCALE_KEY
from voice_app.i18n.dates import format_date
from voice_app.reports.labels import KIND_LABELS as REPORT_KIND_LABELS
from voice_app.reports.services.distribution import readable_reports
from voice_app.reports.spoken_views import spoken_comment_read_backs
from voice_app.transcription.tasks import transcribe_recording

bp = Blueprint("family", __name__, url_prefix="/family")


def _words_fields() -> Markup:
    """The fields of the empty "your views" form, rendered once per language and app.

    Every visit shows them the same (the form is empty; its token is rendered beside it),
    and building and rendering the form was about 0.6 ms of the page's 12 ms of CPU.
    """
    locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    rendered: dict[str, Markup] = current_app.extensions.setdefault("family_words_fields", {})
    if locale not in rendered:
        fields = get_template_attribute("family/_words_fields.html", "words_fields")
        rendered[locale] = fields(FamilyWordsForm(meta={"csrf": False})).strip()
    return rendered[locale]


class _Label(str):
    """A label translated once, which a template shows exactly as it showed the lazy label
    it came from (translations are ours, and a lazy label renders as markup)."""

    def __html__(self) -> str:
        return str(self)


class _TranslatedOnce(dict[Any, _Label]):
    """Labels (lazy strings) translated on first use and kept for the rest of the page: an
    item's kind or transcript status is translated once per page, not once per item."""

    def __init__(self, labels: Mapping[Any, Any]) -> None:
        super().__init__()
        self._labels = labels

    def __missing__(self, key: Any) -> _Label:
        text = self[key] = _Label(self._labels[key])
        return text


def _media_urls() -> Callable[[int, str], str]:
    """``url_for("family.media", ...)`` for each picture and recording on the page, built
    from one URL per page (a page of drawings asked for two each, about 7 µs apiece): the
    route's path ends in the contribution's id and the variant, neither of which is quoted."""
    sample = url_for("family.media", contribution_id=1, variant="original")
    if not sample.endswith("/1/original"):
        return lambda contribution_id, variant: url_for(
            "family.media", contribution_id=contribution_id, variant=variant
        )
    prefix = sample.removesuffix("1/original")
    return lambda contribution_id, variant: f"{prefix}{contribution_id}/{variant}"


def _long_dates() -> Callable[[date], str]:
    """The long date of each item on the page, formatted once per day shown (a page's items
    fall on a few days): the reader's own day and format, as the ``dateformat`` filter."""
    formatted: dict[date, str] = {}
    zone = get_timezone()

    def long_date(moment: date) -> str:
        if isinstance(moment, datetime):
            # ``to_user_timezone``, with the reader's zone looked up once per page.
            aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
            day = zone.normalize(aware.astimezone(zone)).date()
        else:
            day = moment
        if day not in formatted:
            formatted[day] = format_date(day, "long")
        return formatted[day]

    return long_date


@bp.get("/")
@family_required(FamilyPermission.SPACE_READ)
def home() -> str:
    space, account = signed_in()
    child = account.child
    # Drafts shared with them, and final reports given to them after the meeting.
    shared_reports = readable_reports(account)
    # Last, as its audit entry takes SQLite's write lock until the commit: nothing else
    # is read while every other page's audit entry waits for it.
    items = sharing.readable(account)
    own = [i for i in items if i.family_member_id == account.family_member_id]
    shared = [i for i in items if i.family_member_id != account.family_member_id]
    # Where each of their unchecked recordings is checked, read before the commit: asked
    # by the page after it, it opened a transaction of its own.
    unchecked = [c.id for c in own if c.transcript_status not in (None, TranscriptStatus.CONFIRMED)]
    as_comments = spoken_comment_read_backs(unchecked)
    read_backs = {
        id_: as_comments.get(id_) or url_for("family.read_back", contribution_id=id_)
        for id_ in unchecked
    }
    db.session.commit()
    return render_template(
        "family/home.html",
        account=account,
        child_name=child.display_name,
        own=own,
        shared=shared,
        read_backs=read_backs,
        words_fields=_words_fields(),
        long_date=_long_dates(),
        media_url=_media_urls(),
        assisted=space.assisted_by is not None,
        kind_labels=_TranslatedOnce(KIND_LABELS),
        transcript_labels=_TranslatedOnce(TRANSCRIPT_LABELS),
        relationship_labels=RELATIONSHIP_LABELS,
        feeling_labels=_TranslatedOnce(FEELINGS),
        max_audio_seconds=current_app.config["MAX_AUDIO_SECONDS"],
        house_labels=_TranslatedOnce(HOUSES),
        shared_reports=shared_reports,
        report_kind_labels=REPORT_KIND_LABELS,
        form_id=uuid.uuid4().hex,
    )


#: Where the ids of the family's forms are turned into contributions' client ids.
_FAMILY_FORMS = uuid.UUID("6f0c3c52-5a43-4a4e-9a56-2a7c6a0d7e1b")


def _client_id(form: FamilyWordsForm, account_id: int) -> str:
    """The contribution's client id: the same for the same form sent again by the same
    account (so it is stored once), and never another account's, whatever id is sent."""
    if not form.form_id.data:
        return str(uuid.uuid4())
    return str(uuid.uuid5(_FAMILY_FORMS, f"{account_id}:{form.form_id.data}"))


def _submission(form: FamilyWordsForm, locale: str, account_id: int) -> contributions.Submission:
    upload = form.media.data
    kind = ContributionKind(form.kind.data or "text")
    return contributions.Submission(
        client_id=_client_id(form, account_id),
        kind=kind,
        sharing=SharingChoice(form.sharing.data or SharingChoice.MY_WORKER),
        language=locale,
        text=form.text.data,
        media=upload.stream if upload and kind is not ContributionKind.TEXT else None,
    )


@bp.post("/contributions")
@family_required(FamilyPermission.CONTRIBUTE)
def contribute() -> BaseResponse | str:
    """The family member's own view: typed, recorded, or a drawing."""
    space, account = signed_in()
    form = FamilyWordsForm()
    if not form.validate_on_submit() or form.kind.data not in ("text", "voice", "drawing"):
        flash(_("That did not work. Please try again."), "error")
        return redirect(url_for("family.home"))
    try:
        contribution, _created = sharing.contribute(
            account, _submission(form, space.locale, account.id), assisted_by=space.assisted_by
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
    _space, account = signed_in()
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
    _space, account = signed_in()
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
    space, account = signed_in()
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
