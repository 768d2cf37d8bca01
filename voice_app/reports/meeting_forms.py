"""Forms around the meeting: spoken family comments, who attended, giving the final report."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired

from voice_app.core.forms import Form, choice_list, max_length, optional, required, strip_text
from voice_app.record.forms import _choices
from voice_app.reports.labels import STANCE_LABELS


class AttendanceForm(Form):
    #: 0: someone not on the child's record (named below).
    family_member_id = SelectField(_l("Who"), coerce=int, validators=[InputRequired()])
    name = StringField(
        _l("Name (if not on the child's record)"),
        filters=[strip_text],
        validators=[optional(), max_length(400)],
    )
    role = StringField(
        # i18n: a person's part at the meeting, e.g. "class teacher, Hill Primary".
        _l("Their part, e.g. class teacher"),
        filters=[strip_text],
        validators=[optional(), max_length(400)],
    )
    attended = SelectField(
        _l("At the meeting?"),
        choices=choice_list({"yes": _l("Attended"), "no": _l("Invited, did not attend")}),
        validators=[required()],
    )


class GiveForm(Form):
    attendance_id = IntegerField(_l("Give the final report to"), validators=[InputRequired()])
    how = TextAreaField(
        # i18n: for the record, e.g. "posted to school", "handed to her at home".
        _l("How it was given (for people without a family space)"),
        filters=[strip_text],
        validators=[optional(), max_length(2000)],
    )


class SpokenCommentForm(Form):
    """A family member's comment on a section, spoken instead of typed."""

    section = StringField(validators=[required()])
    stance = SelectField(
        _l("What you think of this part"),
        choices=_choices(STANCE_LABELS, ""),
        validators=[optional()],
    )
    media = FileField(
        _l("Your recording"),
        description=_l("On a phone this opens the recorder."),
    )
