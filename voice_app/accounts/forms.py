"""Sign-in, account settings and user administration forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo

from voice_app.core.forms import (
    Form,
    choice_list,
    max_length,
    optional,
    required,
    strip_text,
    strong_password,
    valid_email,
)
from voice_app.core.permissions import Role

ROLE_LABELS = {
    Role.PRACTITIONER: _l("Practitioner"),
    Role.MANAGER: _l("Manager"),
    Role.INTERPRETER: _l("Interpreter"),
    Role.ADMIN: _l("Administrator"),
}


class LoginForm(Form):
    email = EmailField(_l("Email address"), validators=[required(), valid_email])
    password = PasswordField(_l("Password"), validators=[required()])


class LanguageForm(Form):
    locale = SelectField(_l("Language for this account"), validators=[required()])


class PasswordChangeForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[required()])
    new_password = PasswordField(_l("New password"), validators=[required(), strong_password])
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[
            required(),
            EqualTo("new_password", message=_l("The two new passwords are not the same.")),
        ],
    )


class UserForm(Form):
    email = EmailField(
        _l("Email address"), validators=[required(), valid_email], filters=[strip_text]
    )
    name = StringField(
        _l("Full name"), validators=[required(), max_length(200)], filters=[strip_text]
    )
    post_title = StringField(
        _l("Post title"),
        description=_l("As it should appear beside their record entries."),
        validators=[required(), max_length(200)],
        filters=[strip_text],
    )
    role = SelectField(
        _l("Role"), choices=choice_list({role.value: label for role, label in ROLE_LABELS.items()})
    )
    team_id = SelectField(_l("Team"), coerce=int)
    active = BooleanField(_l("Account active"), default=True)
    password = PasswordField(
        _l("Password"),
        description=_l("At least 12 characters. Leave empty to keep the current password."),
        validators=[optional(), strong_password],
    )


class TeamForm(Form):
    name = StringField(
        _l("Team name"), validators=[required(), max_length(200)], filters=[strip_text]
    )
