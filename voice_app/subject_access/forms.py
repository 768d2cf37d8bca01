"""The subject-access request form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import ValidationError

from voice_app.core.forms import Form, max_length, optional, required, strip_text

#: The requester field's value for the child; a parent's is "parent:<family member id>".
CHILD_CHOICE = "child"


class SubjectAccessRequestForm(Form):
    requester = SelectField(_l("Who is asking for their record?"), validators=[required()])
    understanding = BooleanField(
        _l("The child has enough understanding to make this request"),
        description=_l("Needed when the child asks for their own record."),
    )
    language = SelectField(
        _l("Language of the copy"),
        description=_l("Leave as it is to use the person's preferred language."),
        validators=[optional()],
    )
    note = TextAreaField(
        _l("Note (optional)"),
        description=_l("How the request was made, and anything the manager should know."),
        validators=[optional(), max_length(2000)],
        filters=[strip_text],
    )

    def validate_understanding(self, field: BooleanField) -> None:
        if self.requester.data == CHILD_CHOICE and not field.data:
            raise ValidationError(
                _l("Please confirm the child understands what they are asking for.")
            )

    def family_member_id(self) -> int | None:
        value = self.requester.data or ""
        if value.startswith("parent:") and value[7:].isdigit():
            return int(value[7:])
        return None
