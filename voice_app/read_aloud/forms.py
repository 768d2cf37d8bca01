"""Forms for recording and publishing prompts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from voice_app.core.forms import Form


class RecordPromptForm(Form):
    audio = FileField(
        # i18n: an interpreter uploads (or records on a phone) their voice saying one prompt.
        _l("Your recording of this prompt"),
        validators=[FileRequired(message=_l("Please record or choose a sound file."))],
    )


class PublishForm(Form):
    """Only the CSRF token: publishing takes no other input."""
