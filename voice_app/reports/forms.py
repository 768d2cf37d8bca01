"""Forms for reports: starting one, sections, analysis, decisions, the child's words,
sharing, answers, and the family's comments and final view."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired

from voice_app.core.forms import Form, choice_list, max_length, optional, required, strip_text
from voice_app.record.forms import _choices
from voice_app.reports.labels import KIND_LABELS, OUTCOME_LABELS, POINT_LABELS, STANCE_LABELS


class StartReportForm(Form):
    kind = SelectField(_l("Kind of report"), choices=_choices(KIND_LABELS), validators=[required()])
    meeting_on = DateField(_l("Date of the meeting"), validators=[required()])


class SectionForm(Form):
    body = TextAreaField(_l("Text"), filters=[strip_text], validators=[max_length(20000)])


class PointForm(Form):
    kind = SelectField(_l("Marked as"), choices=_choices(POINT_LABELS), validators=[required()])
    body = TextAreaField(_l("Point"), filters=[strip_text], validators=[required()])
    entries = StringField(
        _l("Record entries it rests on (their numbers)"),
        filters=[strip_text],
        validators=[optional(), max_length(200)],
    )


class DecisionForm(Form):
    body = TextAreaField(_l("Recommendation or decision"), filters=[strip_text])
    decided_by = StringField(_l("Who decided"), filters=[strip_text], validators=[max_length(400)])
    reasons = TextAreaField(_l("Why"), filters=[strip_text])


class WordsForm(Form):
    contribution_id = IntegerField(_l("The child's words"), validators=[InputRequired()])
    caption = StringField(
        _l("Caption for a drawing"), filters=[strip_text], validators=[optional(), max_length(400)]
    )


class NoWordsForm(Form):
    reason = TextAreaField(
        _l("Why the child's own words are not in this report"), filters=[strip_text]
    )


class ShareForm(Form):
    accounts = SelectMultipleField(_l("Share the draft with"), coerce=int)


class AnswerForm(Form):
    outcome = SelectField(_l("Answer"), choices=_choices(OUTCOME_LABELS), validators=[required()])
    body = TextAreaField(_l("The new text, or why it stays as it is"), filters=[strip_text])


class CommentForm(Form):
    section = StringField(validators=[required()])
    stance = SelectField(
        _l("What you think of this part"),
        choices=_choices(STANCE_LABELS, ""),
        validators=[optional()],
    )
    body = TextAreaField(
        _l("Why, in your own words"), filters=[strip_text], validators=[max_length(20000)]
    )


class FinalViewForm(Form):
    agrees = SelectField(
        _l("Do you agree with the final report?"),
        choices=choice_list({"yes": _l("Yes, I agree"), "no": _l("No, I do not agree")}),
        validators=[required()],
    )
    body = TextAreaField(
        _l("What you disagree with, in your own words (printed in the report as you write it)"),
        filters=[strip_text],
        validators=[max_length(20000)],
    )
