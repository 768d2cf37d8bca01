"""Forms for plans: starting one, its lines and actions, placing words, reviews, sign-off.

The forms check what a form can; the rules live in the services, whose messages
``record.forms.show_problems`` puts beside the fields.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import NumberRange

from voice_app.core.forms import Form, max_length, optional, required, strip_text
from voice_app.plans.labels import (
    OUTCOME_LABELS,
    OWNER_LABELS,
    PARTICIPANT_LABELS,
    PLAN_KIND_LABELS,
    REVIEW_KIND_LABELS,
    SECTION_LABELS,
    STATUS_LABELS,
    VOICE_LABELS,
)
from voice_app.record.forms import _choices

CHILD_TEXT_HINT = _l(
    "A short sentence in words the child understands. "
    "Leave it empty to keep this out of the child's version."
)


class StartPlanForm(Form):
    kind = SelectField(
        _l("Kind of plan"), choices=_choices(PLAN_KIND_LABELS), validators=[required()]
    )
    started_on = DateField(
        _l("Date of the initial conference, of becoming looked after, or of the plan's start"),
        validators=[required()],
    )
    next_review_on = DateField(_l("Next review (child in need plans)"), validators=[optional()])


class NextReviewForm(Form):
    next_review_on = DateField(_l("Next review"), validators=[optional()])


class ItemForm(Form):
    section = SelectField(_l("Section"), choices=_choices(SECTION_LABELS), validators=[required()])
    who = StringField(
        _l("Who (for the network)"), filters=[strip_text], validators=[max_length(200)]
    )
    text = TextAreaField(_l("What goes in the plan"), validators=[required()])
    voice = SelectField(
        _l("Whose view is this?"), choices=_choices(VOICE_LABELS), default="professional"
    )
    child_text = TextAreaField(_l("For the child"), description=CHILD_TEXT_HINT)
    show_to_child = BooleanField(_l("Show this in the child's version"))


class ActionForm(Form):
    what = TextAreaField(_l("What needs to happen"), validators=[required()])
    owner_kind = SelectField(
        _l("Who does it"), choices=_choices(OWNER_LABELS), validators=[required()]
    )
    owner_name = StringField(
        _l("Their name, or the agency's"),
        filters=[strip_text],
        validators=[required(), max_length(200)],
    )
    due_on = DateField(_l("Due by"), validators=[optional()])
    status = SelectField(_l("Status"), choices=_choices(STATUS_LABELS), default="not_started")
    not_done_reason = TextAreaField(_l("Why it was not done"))
    outcome = SelectField(
        _l("Every Child Matters outcome it serves"), choices=_choices(OUTCOME_LABELS)
    )
    planned_outcome = TextAreaField(_l("Planned outcome"))
    actual_outcome = TextAreaField(_l("Actual outcome"))
    child_text = TextAreaField(_l("For the child"), description=CHILD_TEXT_HINT)
    show_to_child = BooleanField(_l("Show this in the child's version"))


class PlaceWordsForm(Form):
    section = SelectField(
        _l("Section of the plan"), choices=_choices(SECTION_LABELS), validators=[required()]
    )
    child_text = TextAreaField(_l("For the child"), description=CHILD_TEXT_HINT)
    show_to_child = BooleanField(_l("Show this in the child's version"))


#: Empty decision rows the review form offers at first; "Add another decision" adds one.
DECISION_ROWS = 3
#: The most rows one review form takes.
MAX_DECISION_ROWS = 30


class DecisionRowForm(Form):
    """One decision made at a review; a row left empty is no decision."""

    class Meta:
        csrf = False  # part of the review form, whose token covers it

    decision = TextAreaField(_l("Decision"))
    decided_by = StringField(
        _l("Who made the decision"), filters=[strip_text], validators=[max_length(400)]
    )
    reasons = TextAreaField(_l("Why"))

    @property
    def is_blank(self) -> bool:
        return not any(
            (f.data or "").strip() for f in (self.decision, self.decided_by, self.reasons)
        )


class ReviewForm(Form):
    kind = SelectField(
        _l("Kind of review"), choices=_choices(REVIEW_KIND_LABELS), validators=[required()]
    )
    held_on = DateField(_l("Date of the meeting"), validators=[required()])
    present = TextAreaField(_l("Who took part (one per line)"), validators=[required()])
    absent = TextAreaField(_l("Invited but absent (one per line)"))
    what_changed = TextAreaField(_l("What changed"), validators=[required()])
    decisions = FieldList(
        FormField(DecisionRowForm), min_entries=DECISION_ROWS, max_entries=MAX_DECISION_ROWS
    )
    late_reason = TextAreaField(_l("Why the decisions are recorded late (if they are)"))
    agree_plan = BooleanField(_l("The draft plan was agreed at this meeting"), default=True)


class ScaleForm(Form):
    review_id = SelectField(_l("At which review"), coerce=int, choices=[])
    participant_kind = SelectField(
        _l("Who"), choices=_choices(PARTICIPANT_LABELS), validators=[required()]
    )
    participant_name = StringField(
        _l("Their name, or the agency's"),
        filters=[strip_text],
        validators=[required(), max_length(200)],
    )
    value = IntegerField(
        _l("Scale (0 to 10)"), validators=[NumberRange(0, 10, _l("A scale runs from 0 to 10."))]
    )
    reason = TextAreaField(_l("Why this number"))
    show_to_child = BooleanField(_l("Show this scale in the child's version"))


class SignOffForm(Form):
    note = TextAreaField(_l("Note (optional)"))
