"""Practitioners' pages: a child's contributions, their media, invitations and handover."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, time, timedelta

import qrcode
import qrcode.image.svg
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.http import parse_range_header
from werkzeug.wrappers import Response as BaseResponse

from voice_app.accounts import invitations
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.child_space.session import enter
from voice_app.children.forms import RELATIONSHIP_LABELS
from voice_app.children.lookup import child_or_404, reader
from voice_app.contributions import alerts, services
from voice_app.contributions.forms import (
    ConfirmTranscriptForm,
    InvitationForm,
    SafetyResponseForm,
    TimelineFilterForm,
)
from voice_app.contributions.labels import (
    AUTHOR_LABELS,
    FEELINGS,
    HOUSES,
    HOW_GIVEN_LABELS,
    KIND_LABELS,
    SHARING_LABELS,
    TRANSCRIPT_LABELS,
)
from voice_app.contributions.models import Contribution, ContributionKind
from voice_app.core.db import utcnow
from voice_app.core.forms import choice_list
from voice_app.core.permissions import Permission, require
from voice_app.extensions import db
from voice_app.interpreting.models import SourceKind
from voice_app.interpreting.services.translations import confirmed_translations
from voice_app.record.lookup import contribution_or_404, seen_by_reader
from voice_app.record.models import EntryKind
from voice_app.replies import services as replies

bp = Blueprint("contributions", __name__, url_prefix="/children")


def _start_of(day: date | None) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None


def media_response(contribution: Contribution, variant: str) -> Response:
    """The decrypted file, streamed, never cached, never sniffed, shown inline.

    The file is decrypted frame by frame as it is sent (``core.storage``), so a recording
    is never held whole in memory. A single ``Range: bytes=...`` is answered with 206 and
    only the frames it touches (an audio player seeking); several ranges, or an
    ``If-Range`` (there is no validator to match it), get the whole file. The caller has
    checked permission and records the read, for a range as for the whole, after this
    returns; a range that cannot be satisfied sends nothing of the file, so its 416 is
    raised (as ``abort`` does) and no read is recorded.
    """
    found = services.open_media_reader(contribution, variant)
    if found is None:
        abort(404)
    reader, content_type = found
    size = reader.size
    status, start, stop = 200, 0, size
    wanted = parse_range_header(request.headers.get("Range"))
    if wanted is not None and len(wanted.ranges) == 1 and "If-Range" not in request.headers:
        span = wanted.range_for_length(size)
        if span is None:
            refused = Response(status=416)
            refused.headers["Content-Range"] = f"bytes */{size}"
            refused.headers["Cache-Control"] = "private, no-store"
            # Raised, not returned: the caller's audit entry and commit after this call
            # never run, since nothing of the file is sent.
            abort(refused)
        status, (start, stop) = 206, span
    # Opening the stream decrypts its first frame: a missing or damaged file fails here,
    # before the answer begins.
    response = Response(
        reader.stream(start, stop), status=status, mimetype=content_type, direct_passthrough=True
    )
    response.content_length = stop - start
    if status == 206:
        response.headers["Content-Range"] = f"bytes {start}-{stop - 1}/{size}"
    response.headers["Accept-Ranges"] = "bytes"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.get("/<int:child_id>/contributions")
@require(Permission.CASE_READ)
def timeline(child_id: int) -> str:
    child = child_or_404(child_id)
    form = TimelineFilterForm(request.args)
    form.kind.choices = choice_list(
        {"": _("All kinds")} | {k.value: v for k, v in KIND_LABELS.items()}
    )
    form.validate()
    until = _start_of(form.until.data)
    seen = seen_by_reader(child)
    items = services.timeline(
        child,
        kind=ContributionKind(form.kind.data) if form.kind.data else None,
        since=_start_of(form.since.data),
        until=until + timedelta(days=1) if until else None,
        shown_to=seen.contribution_filter(),
    )
    in_record = {
        entry.contribution_id: seen.number(entry)
        for entry in seen.entries()
        if entry.kind is EntryKind.CONTRIBUTION and entry.contribution_id is not None
    }
    confidential_ids = {item.id for item in items if seen.contribution_placement(item.id)}
    seen.record_confidential_read("contributions", len(confidential_ids))
    mistakes = {
        item.id: found.said_at
        for item in items
        if item.flagged_unsafe and (found := alerts.mistake_for(item.id)) is not None
    }
    reply_statuses = replies.statuses(child, items)
    # Confirmed translations, beside the originals this reader already sees.
    translated = confirmed_translations(SourceKind.CONTRIBUTION, {item.id for item in items})
    db.session.commit()
    return render_template(
        "contributions/timeline.html",
        child=child,
        translated=translated,
        form=form,
        items=items,
        confirm_form=ConfirmTranscriptForm(),
        safety_form=SafetyResponseForm(),
        kind_labels=KIND_LABELS,
        author_labels=AUTHOR_LABELS,
        how_given_labels=HOW_GIVEN_LABELS,
        relationship_labels=RELATIONSHIP_LABELS,
        sharing_labels=SHARING_LABELS,
        transcript_labels=TRANSCRIPT_LABELS,
        feeling_labels=FEELINGS,
        house_labels=HOUSES,
        in_record=in_record,
        confidential_ids=confidential_ids,
        mistakes=mistakes,
        reply_statuses=reply_statuses,
    )


@bp.get("/<int:child_id>/contributions/<int:contribution_id>/media/<variant>")
@require(Permission.CASE_READ)
def media(child_id: int, contribution_id: int, variant: str) -> Response:
    child = child_or_404(child_id)
    contribution = contribution_or_404(child, contribution_id)
    response = media_response(contribution, variant)
    services.record_media_viewed(contribution, variant)
    db.session.commit()
    return response


@bp.post("/<int:child_id>/contributions/<int:contribution_id>/safety-response")
@require(Permission.CASE_EDIT)
def respond_to_unsafe_flag(child_id: int, contribution_id: int) -> BaseResponse:
    """Record what was done after the child pressed "I don't feel safe"."""
    child = child_or_404(child_id)
    contribution = contribution_or_404(child, contribution_id)
    form = SafetyResponseForm()
    if not form.validate_on_submit():
        flash(_("Please say what was done, and by whom."), "error")
    else:
        try:
            alerts.respond_to_unsafe_flag(contribution, form.note.data or "", reader())
        except services.SubmissionRejected as rejected:
            db.session.rollback()
            flash(rejected.message, "error")
        else:
            db.session.commit()
            flash(_("What was done is recorded, and the alert has left the case list."), "success")
    return redirect(
        url_for("contributions.timeline", child_id=child.id, _anchor=f"c{contribution.id}")
    )


@bp.post("/<int:child_id>/contributions/<int:contribution_id>/confirm")
@require(Permission.CASE_EDIT)
def confirm(child_id: int, contribution_id: int) -> BaseResponse:
    """The practitioner who was with the child confirms or corrects the transcript."""
    child = child_or_404(child_id)
    contribution = contribution_or_404(child, contribution_id)
    form = ConfirmTranscriptForm()
    if not form.validate_on_submit():
        flash(_("Please write the child's words before confirming."), "error")
    else:
        try:
            services.confirm_transcript(
                contribution, form.text.data or "", by_child=False, by_user_id=current_user.id
            )
        except services.SubmissionRejected as rejected:
            db.session.rollback()
            flash(rejected.message, "error")
        else:
            db.session.commit()
            flash(_("The transcript is confirmed."), "success")
    return redirect(url_for("contributions.timeline", child_id=child.id) + f"#c{contribution.id}")


def _qr_data_uri(link: str) -> str:
    svg = qrcode.make(link, image_factory=qrcode.image.svg.SvgPathImage, box_size=12).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


@bp.route("/<int:child_id>/invitations", methods=["GET", "POST"])
@require(Permission.CASE_EDIT)
def invitations_page(child_id: int) -> BaseResponse | str:
    child = child_or_404(child_id)
    form = InvitationForm()
    if child.closed_at is not None and request.method == "POST":
        flash(_("This case is closed: it takes no new invitations."), "error")
        return redirect(url_for("contributions.invitations_page", child_id=child.id))
    if form.validate_on_submit():
        made = invitations.create_invitation(
            child,
            form.purpose.data or "",
            current_user._get_current_object(),
            timedelta(days=form.days.data or 14),
        )
        db.session.commit()
        link = url_for("child_space.open_invitation", token=made.token, _external=True)
        # The link and code exist only now: the database keeps their hashes.
        return render_template(
            "contributions/invitation_made.html",
            child=child,
            made=made,
            link=link,
            qr=_qr_data_uri(link),
            join_url=url_for("child_space.join", _external=True),
        )
    return render_template(
        "contributions/invitations.html",
        child=child,
        form=form,
        invitations=invitations.invitations_for(child),
        now=utcnow(),
    )


@bp.post("/<int:child_id>/invitations/<int:invitation_id>/revoke")
@require(Permission.CASE_EDIT)
def revoke_invitation(child_id: int, invitation_id: int) -> BaseResponse:
    child = child_or_404(child_id)
    invitation = next(
        (i for i in invitations.invitations_for(child) if i.id == invitation_id), None
    )
    if invitation is None:
        abort(404)
    invitations.revoke(invitation)
    db.session.commit()
    flash(_("The invitation no longer works."), "success")
    return redirect(url_for("contributions.invitations_page", child_id=child.id))


@bp.post("/<int:child_id>/handover")
@require(Permission.CASE_EDIT)
def handover(child_id: int) -> BaseResponse:
    """Turn this device into the child's space until the practitioner's password is given."""
    child = child_or_404(child_id)
    if child.closed_at is not None:
        flash(_("This case is closed: the child's space cannot be opened for it."), "error")
        return redirect(url_for("contributions.timeline", child_id=child.id))
    audit.record(AuditAction.HANDOVER_STARTED, child_id=child.id)
    db.session.commit()
    enter(child.id, child.preferred_language, handover_by=current_user.id)
    return redirect(url_for("child_space.home"))
