"""A child's chronology: reading it, writing entries, and correcting them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import to_user_timezone
from werkzeug.wrappers import Response

from voice_app.contributions.labels import AUTHOR_LABELS, KIND_LABELS, SHARING_LABELS
from voice_app.core.db import utcnow
from voice_app.core.permissions import Permission, require
from voice_app.extensions import db
from voice_app.interpreting.models import SourceKind
from voice_app.interpreting.services.translations import confirmed_translations
from voice_app.record.entries import chronology as reading
from voice_app.record.entries import services as entries
from voice_app.record.forms import (
    ChronologyFilterForm,
    CorrectionForm,
    EntryForm,
    as_utc,
    show_problems,
)
from voice_app.record.labels import (
    ANSWER_LABELS,
    CLASSIFICATION_LABELS,
    CONFIDENTIAL_REASON_LABELS,
    CONSENT_FROM_LABELS,
    ENTRY_KIND_LABELS,
    SHARE_WITHOUT_CONSENT_LABELS,
    SOURCE_LABELS,
)
from voice_app.record.lookup import child_or_404, entry_or_404, reader, seen_by_reader
from voice_app.record.models import Classification, EntryKind, Source

bp = Blueprint("record", __name__, url_prefix="/children")

E = TypeVar("E", bound=StrEnum)

#: Everything the entry templates need to name kinds, answers and reasons.
LABELS = {
    "kind_labels": ENTRY_KIND_LABELS,
    "classification_labels": CLASSIFICATION_LABELS,
    "source_labels": SOURCE_LABELS,
    "answer_labels": ANSWER_LABELS,
    "consent_from_labels": CONSENT_FROM_LABELS,
    "share_reason_labels": SHARE_WITHOUT_CONSENT_LABELS,
    "confidential_reason_labels": CONFIDENTIAL_REASON_LABELS,
    "author_labels": AUTHOR_LABELS,
    "sharing_labels": SHARING_LABELS,
    "contribution_kind_labels": KIND_LABELS,
}


def _enum_or_none(enum: type[E], value: str | None) -> E | None:
    try:
        return enum(value) if value else None
    except ValueError:
        return None


def _local_now() -> datetime:
    return to_user_timezone(utcnow()).replace(tzinfo=None, second=0, microsecond=0)


@bp.get("/<int:child_id>/record")
@require(Permission.RECORD_READ)
def chronology(child_id: int) -> str:
    child = child_or_404(child_id)
    form = ChronologyFilterForm(request.args)
    filters = reading.Filters(
        kind=_enum_or_none(EntryKind, form.kind.data),
        classification=_enum_or_none(Classification, form.classification.data),
        source=_enum_or_none(Source, form.source.data),
    )
    seen = seen_by_reader(child)
    shown = reading.chronology(seen, filters)
    # Confirmed translations beside the contributions the reader already sees here.
    carried = {i.entry.contribution_id for i in shown if i.entry.contribution_id is not None}
    translated = confirmed_translations(SourceKind.CONTRIBUTION, carried)
    db.session.commit()
    return render_template(
        "record/chronology.html",
        child=child,
        translated=translated,
        form=form,
        shown=shown,
        filtered=filters != reading.Filters(),
        may_read_confidential=seen.with_grant,
        **LABELS,
    )


def _draft(form: EntryForm) -> entries.EntryDraft:
    return entries.EntryDraft(
        kind=EntryKind(form.kind.data),
        body=form.body.data or "",
        occurred_at=as_utc(form.occurred_at.data or _local_now()),
        classification=Classification(form.classification.data),
        source=Source(form.source.data),
        source_detail=form.source_detail.data,
        source_consents_to_disclosure=form.source_consents_to_disclosure.data,
        decision_maker=form.decision_maker.data,
        decision_reasons=form.decision_reasons.data,
        late_reason=form.late_reason.data,
    )


def _not_saved() -> str:
    return _("The entry is not saved: please see the problems below.")


@bp.route("/<int:child_id>/record/new", methods=["GET", "POST"])
@require(Permission.RECORD_WRITE)
def new_entry(child_id: int) -> Response | str:
    child = child_or_404(child_id)
    form = EntryForm()
    if request.method == "GET":
        form.occurred_at.data = _local_now()
    if form.validate_on_submit():
        try:
            entry = entries.add_entry(child.id, _draft(form), reader())
        except entries.EntryRefused as refused:
            db.session.rollback()
            show_problems(form, refused.problems, _not_saved())
        else:
            db.session.commit()
            number = seen_by_reader(child).number(entry)
            flash(_("Entry %(number)d is added to the record.", number=number), "success")
            return redirect(entry_url(child.id, number))
    return render_template(
        "record/entry_form.html",
        child=child,
        form=form,
        corrects=None,
        corrects_number=None,
        late_hours=current_app.config["LATE_ENTRY_HOURS"],
        **LABELS,
    )


def entry_url(child_id: int, number: int) -> str:
    """The chronology at an entry, by the number the reader knows it by."""
    return url_for("record.chronology", child_id=child_id, _anchor=f"entry-{number}")


@bp.route("/<int:child_id>/record/<int:number>/correct", methods=["GET", "POST"])
@require(Permission.RECORD_WRITE)
def correct_entry(child_id: int, number: int) -> Response | str:
    """Correct the entry the reader knows as ``number`` (their numbering, not the sequence)."""
    child = child_or_404(child_id)
    original = entry_or_404(child, number)
    db.session.commit()  # the audit of a confidential read, if it was one
    if original.kind is EntryKind.CONTRIBUTION:
        abort(404)
    form = CorrectionForm()
    if request.method == "GET":
        for name in (
            "kind",
            "body",
            "classification",
            "source",
            "source_detail",
            "source_consents_to_disclosure",
            "decision_maker",
            "decision_reasons",
        ):
            getattr(form, name).data = getattr(original, name)
        form.occurred_at.data = to_user_timezone(original.occurred_at).replace(tzinfo=None)
    if form.validate_on_submit():
        try:
            entry = entries.add_entry(
                child.id,
                _draft(form),
                reader(),
                corrects=original,
                correction_reason=form.correction_reason.data,
            )
        except entries.EntryRefused as refused:
            db.session.rollback()
            show_problems(form, refused.problems, _not_saved())
        else:
            db.session.commit()
            seen = seen_by_reader(child)
            flash(
                _(
                    "Entry %(number)d corrects entry %(old)d.",
                    number=seen.number(entry),
                    old=seen.number(original),
                ),
                "success",
            )
            return redirect(entry_url(child.id, seen.number(entry)))
    return render_template(
        "record/entry_form.html",
        child=child,
        form=form,
        corrects=original,
        corrects_number=number,
        late_hours=current_app.config["LATE_ENTRY_HOURS"],
        **LABELS,
    )
