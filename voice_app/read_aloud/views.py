"""Prompt audio for the child's space, and the page where prompts are recorded."""

from __future__ import annotations

import io
import re

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.child_space.session import current_space
from voice_app.child_space.symbols import symbol_file
from voice_app.children.lookup import child_or_404
from voice_app.children.models import Child
from voice_app.children.services import get_child
from voice_app.contributions.media import MediaRejected
from voice_app.core.permissions import Permission, require
from voice_app.extensions import db
from voice_app.i18n import LANGUAGES
from voice_app.read_aloud import named, services, speech
from voice_app.read_aloud.forms import PublishForm, RecordPromptForm
from voice_app.read_aloud.models import PromptRecording
from voice_app.read_aloud.prompts import prompt_ids, prompt_rows, prompts_in

bp = Blueprint("read_aloud", __name__)
_KEY = re.compile(r"^[0-9a-f]{32}$")
_NAMED_KEY = re.compile(r"^[0-9a-f]{40}$")
#: Content-addressed: the same URL is always the same sound, so devices keep it.
_KEEP = "private, max-age=31536000, immutable"


def _listener_or_401() -> None:
    """The child on this device, or a signed-in member of staff; nobody else."""
    if current_space() is None and not current_user.is_authenticated:
        abort(401)


def _language_or_404(language: str) -> str:
    if language not in LANGUAGES:
        abort(404)
    return language


@bp.get("/read-aloud/<language>/prompts.json")
def index(language: str) -> BaseResponse:
    """Where to hear each prompt of ``language``, by its words as the page shows them."""
    _listener_or_401()
    space = current_space()
    # In a child's own space, the prompts that hold their name are listed too.
    child = get_child(space.child_id) if space is not None else None
    found = services.audio_index(_language_or_404(language), child)
    response = jsonify({"language": language, "prompts": found})
    # A newly published recording should reach tablets soon: revalidate every time.
    response.headers["Cache-Control"] = "private, no-cache"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/read-aloud/<language>/<key>.<fmt>")
def audio(language: str, key: str, fmt: str) -> Response:
    """espeak-ng's audio of one prompt, rendered and cached on its first request."""
    _listener_or_401()
    text = prompts_in(_language_or_404(language)).get(key) if _KEY.match(key) else None
    if text is None or fmt not in speech.FORMATS:
        abort(404)
    try:
        path = speech.cached_audio(language, key, text, fmt)
    except speech.SpeechUnavailable:
        abort(404)
    # A few kilobytes: read whole, so no file handle outlives the request.
    response = send_file(
        io.BytesIO(path.read_bytes()), mimetype=speech.FORMATS[fmt], etag=key, conditional=True
    )
    response.headers["Cache-Control"] = _KEEP
    return response


def _reader_of_child_or_404(child_id: int) -> Child:
    """The child whose space this device is in, or a child the signed-in staff member may
    read; a 404 for anyone else (and never a hint that the child exists)."""
    space = current_space()
    if space is not None:
        child = get_child(space.child_id) if space.child_id == child_id else None
        if child is None:
            abort(404)
        return child
    if not current_user.is_authenticated or not current_user.can(Permission.CASE_READ):
        abort(404)
    return child_or_404(child_id)


@bp.get("/read-aloud/children/<int:child_id>/<language>/<key>.<fmt>")
def named_audio(child_id: int, language: str, key: str, fmt: str) -> Response:
    """A prompt with the child's name in it, spoken by espeak-ng: case data, so only for
    the child's own space and staff who may read the child; never kept by a shared cache."""
    _listener_or_401()
    child = _reader_of_child_or_404(child_id)
    if not _NAMED_KEY.match(key) or fmt not in speech.FORMATS:
        abort(404)
    try:
        audio = named.named_audio(child, _language_or_404(language), key, fmt)
    except speech.SpeechUnavailable:
        abort(404)
    if audio is None:
        abort(404)
    if current_space() is None:
        # A member of staff heard case data: logged as any opened recording is.
        audit.record(
            AuditAction.MEDIA_VIEWED,
            child_id=child.id,
            target=f"named_prompt_audio:{key}",
            details={"language": language},
        )
    db.session.commit()
    response = send_file(
        io.BytesIO(audio), mimetype=speech.FORMATS[fmt], etag=key, conditional=True
    )
    # The device may keep it (the same URL is always the same sound); nothing in between may.
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


@bp.get("/read-aloud/recordings/<int:recording_id>")
def recording(recording_id: int) -> Response:
    """A person's recording of a prompt: children hear only published ones."""
    _listener_or_401()
    take = db.session.get(PromptRecording, recording_id)
    staff = current_space() is None and current_user.can(Permission.PROMPTS_RECORD)
    if take is None or (take.published_at is None and not staff):
        abort(404)
    response = Response(services.recording_audio(take), mimetype=take.content_type)
    response.headers["Cache-Control"] = _KEEP if take.published_at else "private, no-store"
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.get("/read-aloud/prompts")
@require(Permission.PROMPTS_RECORD)
def prompts() -> str:
    """Every prompt of the child's space in one language, with its audio and takes."""
    chosen = request.args.get("language", "")
    language = chosen if chosen in LANGUAGES else next(c for c in LANGUAGES if c != "en")
    recorded = services.published_recordings(language)
    rows = [
        {"key": key, "text": text, "english": source, "published": recorded.get(key)}
        for key, text, source in prompt_rows(language)
    ]
    return render_template(
        "read_aloud/prompts.html",
        language=language,
        languages=LANGUAGES,
        coverage=services.coverage(),
        rows=rows,
        takes=services.takes(language),
        synthetic=speech.speakable(language),
        fmt=speech.default_format(),
        prompt_count=len(prompt_ids()),
        record_form=RecordPromptForm(),
        publish_form=PublishForm(),
    )


@bp.post("/read-aloud/prompts/<language>/<key>")
@require(Permission.PROMPTS_RECORD)
def record(language: str, key: str) -> BaseResponse:
    form = RecordPromptForm()
    back = url_for("read_aloud.prompts", language=language, _anchor=f"prompt-{key}")
    if not form.validate_on_submit():
        flash(_("Please record or choose a sound file."), "error")
        return redirect(back)
    try:
        services.record_prompt(
            _language_or_404(language), key, form.audio.data.read(), current_user
        )
    except services.UnknownPrompt:
        abort(404)
    except MediaRejected as rejected:
        db.session.rollback()
        flash(rejected.message(), "error")
        return redirect(back)
    db.session.commit()
    flash(_("Recorded. Listen to it, then publish it or record it again."), "success")
    return redirect(back)


@bp.post("/read-aloud/recordings/<int:recording_id>/publish")
@require(Permission.PROMPTS_RECORD)
def publish(recording_id: int) -> BaseResponse:
    take = db.session.get(PromptRecording, recording_id)
    if take is None:
        abort(404)
    if PublishForm().validate_on_submit():
        services.publish(take, current_user)
        db.session.commit()
        flash(_("Published. Children now hear this recording."), "success")
    anchor = f"prompt-{take.prompt_key}"
    return redirect(url_for("read_aloud.prompts", language=take.language, _anchor=anchor))


@bp.get("/about/pictures-and-voices")
def about() -> str:
    """Where the pictures and voices of the child's space come from, and their licences."""
    return render_template("read_aloud/about.html")


@bp.record_once
def _symbols_in_templates(state: BlueprintSetupState) -> None:
    """``symbol_file`` for the child's-space macros, which are imported without context."""
    state.app.jinja_env.globals["symbol_file"] = symbol_file
