"""The form a practitioner writes a reply to the child with."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField

from voice_app.core.forms import Form, max_length, optional, required, strip_text
from voice_app.replies.services import MAX_REPLY_LENGTH, MAX_WHAT_WE_DID_LENGTH


class ReplyForm(Form):
    text = TextAreaField(
        _l("Your reply to the child"),
        description=_l(
            "Short sentences the child will read and hear, for example: “You told me you "
            "want to see Grandad more. We have planned a visit every Saturday.”"
        ),
        validators=[required(), max_length(MAX_REPLY_LENGTH)],
        filters=[strip_text],
    )
    language = SelectField(
        _l("Language of the reply"),
        description=_l("The child hears it read aloud when their space is in this language."),
    )
    plan_action = SelectField(
        _l("The plan action this is about"),
        description=_l("Optional: link the reply to an action in the child's plan."),
        validate_choice=False,  # checked against the plan by the service
    )
    what_we_did = TextAreaField(
        _l("What was done (for the record)"),
        description=_l("For example the plan action, meeting or decision this reply is about."),
        validators=[optional(), max_length(MAX_WHAT_WE_DID_LENGTH)],
        filters=[strip_text],
    )
