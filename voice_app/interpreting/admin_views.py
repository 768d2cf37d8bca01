"""Administrators set the languages each interpreter works in (``/admin/interpreters``).

Who may be asked for a translation follows from it (``requests.interpreters_for``), so it
is user administration: the same permission as the other accounts pages, and no case
content on these pages.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from voice_app.accounts.models import User
from voice_app.core.forms import choice_list
from voice_app.core.permissions import Permission, Role, require
from voice_app.extensions import db
from voice_app.interpreting.forms import InterpreterLanguagesForm
from voice_app.interpreting.labels import language_name
from voice_app.interpreting.services import languages as working_languages
from voice_app.interpreting.services.requests import languages_of

bp = Blueprint("interpreter_languages", __name__, url_prefix="/admin/interpreters")


@bp.get("")
@require(Permission.USER_MANAGE)
def overview() -> str:
    """Every interpreter account and the languages it works in."""
    people = working_languages.interpreters()
    spoken = languages_of([person.id for person in people])
    return render_template(
        "interpreting/admin_languages.html",
        people=people,
        spoken=spoken,
        language_name=language_name,
    )


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@require(Permission.USER_MANAGE)
def edit(user_id: int) -> Response | str:
    """Tick the languages one interpreter works in (and add one more by its code)."""
    person = db.session.get(User, user_id)
    if person is None or person.role is not Role.INTERPRETER:
        abort(404)
    now = languages_of([person.id]).get(person.id, [])
    codes = working_languages.offered_languages()
    codes += [code for code in now if code not in codes]
    form = InterpreterLanguagesForm()
    form.languages.choices = choice_list({code: language_name(code) for code in codes})
    if not form.is_submitted():
        form.languages.data = now
    if form.validate_on_submit():
        chosen = list(form.languages.data or [])
        other = form.other.data or ""
        code = working_languages.language_code(other) if other else None
        if other and code is None:
            form.other.errors = [_("Please give a language code such as fa, ku or ti.")]
        else:
            change = working_languages.set_languages(
                person, chosen + ([code] if code else []), current_user._get_current_object()
            )
            db.session.commit()
            if change:
                flash(_("%(name)s's languages are saved.", name=person.name), "success")
            else:
                flash(_("Nothing was changed."), "success")
            return redirect(url_for("interpreter_languages.overview"))
    return render_template(
        "interpreting/admin_language_form.html", form=form, person=person, codes=codes
    )
