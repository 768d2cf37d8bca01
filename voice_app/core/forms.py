"""Form pieces every area uses, with messages in the reader's language."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectChoice
from wtforms import Form as BaseForm
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from voice_app.core.text import CONTROL_CHARACTER_MESSAGE, has_control_characters

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def required() -> DataRequired:
    return DataRequired(message=_l("Please fill this in."))


def max_length(limit: int) -> Length:
    return Length(max=limit, message=_l("Please use at most %(max)d characters.", max=limit))


def optional() -> Optional:
    return Optional()


def valid_email(form: BaseForm, field: Field) -> None:
    if field.data and not EMAIL_PATTERN.match(field.data.strip()):
        raise ValidationError(_l("Please enter an email address like name@example.org."))


def strong_password(form: BaseForm, field: Field) -> None:
    if field.data and len(field.data) < 12:
        raise ValidationError(_l("Please use at least 12 characters."))


def strip_text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def choice_list(options: Mapping[Any, Any]) -> list[SelectChoice]:
    """Options for a ``SelectField`` from ``{value: label}``; labels may be lazy strings."""
    return [SelectChoice(value=value, label=label) for value, label in options.items()]


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str)]
    return []


def no_control_characters(form: BaseForm, field: Field) -> None:
    """Refuse a NUL byte or any control character other than tab and newline."""
    if any(has_control_characters(text) for text in _texts(field.data)):
        raise ValidationError(CONTROL_CHARACTER_MESSAGE)


class Form(FlaskForm):
    """The base of every form: no field of it takes control characters.

    The check runs on every field, so a new text field is covered without anyone
    remembering to add a validator; a field that fails it shows the message beside it.
    """

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            try:
                no_control_characters(self, field)
            except ValidationError as error:
                field.errors = [*field.errors, str(error.args[0])]
                valid = False
        return valid
