"""The manager's audit filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField

from voice_app.core.forms import Form, optional


class AuditFilterForm(Form):
    class Meta:
        csrf = False  # a GET search form: it changes nothing

    child = SelectField(_l("Child"), coerce=int, validators=[optional()])
    person = SelectField(_l("Person"), coerce=int, validators=[optional()])
    since = DateField(_l("From"), validators=[optional()])
    until = DateField(_l("To"), validators=[optional()])
