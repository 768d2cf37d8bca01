"""Form pieces every area uses, with messages in the reader's language."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def required() -> DataRequired:
    return DataRequired(message=_l("Please fill this in."))


def max_length(limit: int) -> Length:
    return Length(max=limit, message=_l("Please use at most %(max)d characters.", max=limit))


def optional() -> Optional:
    return Optional()


def valid_email(form: Form, field: Field) -> None:
    if field.data and not EMAIL_PATTERN.match(field.data.strip()):
        raise ValidationError(_l("Please enter an email address like name@example.org."))


def strong_password(form: Form, field: Field) -> None:
    if field.data and len(field.data) < 12:
        raise ValidationError(_l("Please use at least 12 characters."))


def strip_text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def choice_list(options: Mapping[Any, Any]) -> list[SelectChoice]:
    """Options for a ``SelectField`` from ``{value: label}``; labels may be lazy strings."""
    return [SelectChoice(value=value, label=label) for value, label in options.items()]
