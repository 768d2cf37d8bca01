"""Forms for marking the child's copy: a line written for the child, one of their own items."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired

from voice_app.core.forms import Form, max_length, required, strip_text


class ChildLineForm(Form):
    section = SelectField(_l("Part of the report"), validators=[required()])
    body = TextAreaField(
        # i18n: a practitioner writes a short sentence a child will read or hear.
        _l("The line for the child, in plain words"),
        description=_l("One or two short sentences the child will read or hear."),
        filters=[strip_text],
        validators=[required(), max_length(300)],
    )


class ChildItemForm(Form):
    contribution_id = IntegerField(
        _l("The child's own words or drawing"), validators=[InputRequired()]
    )


class ChildCopyActionForm(Form):
    """Removing a line or giving the copy: nothing but the CSRF token."""
