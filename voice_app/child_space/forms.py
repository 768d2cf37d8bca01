"""Forms in the child's space."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, RadioField, StringField

from voice_app.accounts.invitations import PIN_PICTURES
from voice_app.core.forms import Form, choice_list, required, strip_text


class JoinForm(Form):
    code = StringField(
        _l("Your code"),
        validators=[required()],
        filters=[strip_text],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


def _picture_choice(label: object) -> RadioField:
    return RadioField(
        label,
        choices=choice_list({name: name for name in PIN_PICTURES}),
        validators=[required()],
    )


class PictureForm(Form):
    """Three pictures, in order: the picture PIN that lets a child come back to their space."""

    first = _picture_choice(_l("First picture"))
    second = _picture_choice(_l("Second picture"))
    third = _picture_choice(_l("Third picture"))

    @property
    def pictures(self) -> list[str]:
        return [self.first.data or "", self.second.data or "", self.third.data or ""]


class GiveBackForm(Form):
    password = PasswordField(_l("Password"), validators=[required()])
