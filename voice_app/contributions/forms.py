"""Practitioner forms about contributions and invitations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import NumberRange

from voice_app.core.forms import Form, max_length, optional, required, strip_text


class TimelineFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter: it changes nothing

    kind = SelectField(_l("Kind"), validators=[optional()])
    since = DateField(_l("From"), validators=[optional()])
    until = DateField(_l("To"), validators=[optional()])


class ConfirmTranscriptForm(Form):
    text = TextAreaField(
        _l("The child's words"),
        description=_l("Check this with the child. Correct anything the machine misheard."),
        validators=[required()],
    )


class InvitationForm(Form):
    purpose = StringField(
        _l("What is it for?"),
        description=_l('For example: "before my meeting on 3 March".'),
        validators=[required(), max_length(200)],
        filters=[strip_text],
    )
    days = IntegerField(
        _l("Valid for how many days?"),
        default=14,
        validators=[required(), NumberRange(min=1, max=60, message=_l("Choose 1 to 60 days."))],
    )


class SafetyResponseForm(Form):
    note = TextAreaField(
        _l("What was done, and by whom?"),
        description=_l(
            "For example: who spoke with the child, who else was told, and what happens next."
        ),
        validators=[required()],
    )
