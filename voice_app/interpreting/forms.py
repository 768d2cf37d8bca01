"""Forms for interpreting: asking for a translation or a session, translating, finishing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DateTimeLocalField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget

from voice_app.core.forms import Form, choice_list, max_length, optional, required, strip_text
from voice_app.interpreting.labels import KIND_LABELS


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


class RequestForm(Form):
    kind = SelectField(
        _l("What needs interpreting or translating"),
        choices=choice_list({k.value: v for k, v in KIND_LABELS.items()}),
        validators=[required()],
    )
    # i18n: the language other than English: translated from, into, or spoken at a session.
    language = SelectField(_l("Language"), validators=[required()])
    # Only interpreter accounts assigned to the child are ever offered here.
    # The service checks the choice (an interpreter assigned for the language) and says why.
    interpreter_id = SelectField(
        _l("Interpreter"), coerce=_int_or_none, validators=[required()], validate_choice=False
    )
    due_on = DateField(_l("Needed by"), validators=[required()])
    contribution_id = SelectField(
        _l("Which words"), coerce=_int_or_none, validators=[optional()], validate_choice=False
    )
    report_id = SelectField(
        _l("Which report"), coerce=_int_or_none, validators=[optional()], validate_choice=False
    )
    report_section = SelectField(
        _l("Which section (leave empty for the whole draft)"),
        validators=[optional()],
        validate_choice=False,
    )
    session_at = DateTimeLocalField(_l("Session: date and time"), validators=[optional()])
    session_place = StringField(
        _l("Session: place"), filters=[strip_text], validators=[optional(), max_length(200)]
    )
    note = TextAreaField(
        _l("What is needed"), filters=[strip_text], validators=[optional(), max_length(2000)]
    )


class TranslationForm(Form):
    #: "<source kind>:<id>" of the original being translated.
    source = HiddenField(validators=[required()])
    text = TextAreaField(_l("Translation"), filters=[strip_text], validators=[max_length(20000)])
    # i18n: "draft" keeps the translation to the interpreter; "confirm" shows it to readers.
    action = HiddenField(default="draft")


class PlainForm(Form):
    """A button with nothing but its CSRF token: finish a request, include an item."""


class InterpreterLanguagesForm(Form):
    """The languages one interpreter works in: a tick for each, and one more by its code."""

    languages = SelectMultipleField(
        # i18n: an administrator ticks the languages an interpreter works in.
        _l("Languages they interpret and translate"),
        validate_choice=True,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    other = StringField(
        # i18n: a language not in the list, typed as its code, for example "fa" for Persian.
        _l("Another language (its code, for example fa)"),
        filters=[strip_text],
        validators=[optional(), max_length(20)],
    )
