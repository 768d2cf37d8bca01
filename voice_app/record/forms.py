"""Forms for record entries, corrections, consent decisions and the confidential section.

The forms check what a form can (a choice is made, a field is filled); the rules about
what an entry or decision needs live in the services, whose messages ``show_problems``
puts beside the fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import to_utc
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)

from voice_app.contributions.labels import AUTHOR_LABELS
from voice_app.core.forms import Form, choice_list, max_length, optional, required, strip_text
from voice_app.core.view_helpers import show_problems as show_problems
from voice_app.record.labels import (
    ANSWER_LABELS,
    CLASSIFICATION_LABELS,
    CONFIDENTIAL_REASON_LABELS,
    CONSENT_FROM_LABELS,
    ENTRY_KIND_LABELS,
    SHARE_WITHOUT_CONSENT_LABELS,
    SOURCE_LABELS,
    WRITTEN_KINDS,
)


def _choices(labels: Mapping[Any, Any], blank: object = None) -> list[SelectChoice]:
    options = {value.value: label for value, label in labels.items()}
    return choice_list({"": blank} | options if blank is not None else options)


def as_utc(moment: datetime) -> datetime:
    """A time typed in the app's time zone, as an aware UTC datetime."""
    return to_utc(moment).replace(tzinfo=UTC)


class ChronologyFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter: it changes nothing

    kind = SelectField(_l("Kind"), validators=[optional()])
    classification = SelectField(_l("Fact, opinion or decision"), validators=[optional()])
    source = SelectField(_l("Source"), validators=[optional()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = _choices(ENTRY_KIND_LABELS, _l("All kinds"))
        self.classification.choices = _choices(CLASSIFICATION_LABELS, _l("All"))
        self.source.choices = _choices(SOURCE_LABELS, _l("All sources"))


class EntryForm(Form):
    kind = SelectField(
        _l("Kind of entry"),
        choices=_choices({kind: ENTRY_KIND_LABELS[kind] for kind in WRITTEN_KINDS}),
    )
    occurred_at = DateTimeLocalField(
        _l("When it happened"), validators=[required()], format="%Y-%m-%dT%H:%M"
    )
    body = TextAreaField(_l("Entry"), validators=[required()], filters=[strip_text])
    classification = SelectField(
        _l("Is this fact, opinion, assessment, judgement or a decision?"),
        choices=_choices(CLASSIFICATION_LABELS),
    )
    source = SelectField(_l("Source"), choices=_choices(SOURCE_LABELS))
    source_detail = StringField(
        _l("Who told you?"),
        description=_l("Required for third-party information: their name and role."),
        validators=[optional(), max_length(1000)],
        filters=[strip_text],
    )
    source_consents_to_disclosure = BooleanField(
        _l("They agreed that what they said may be shown to the child or family")
    )
    decision_maker = StringField(
        _l("Who made the decision?"),
        description=_l("Required for decisions: name and post title."),
        validators=[optional(), max_length(300)],
        filters=[strip_text],
    )
    decision_reasons = TextAreaField(
        _l("Reasons for the decision"),
        description=_l("Required for decisions."),
        validators=[optional()],
        filters=[strip_text],
    )
    late_reason = TextAreaField(
        _l("Why is this being recorded late?"),
        description=_l("Required if you are writing this long after the event."),
        validators=[optional()],
        filters=[strip_text],
    )


class CorrectionForm(EntryForm):
    correction_reason = TextAreaField(
        _l("What was wrong, and why is it corrected?"),
        validators=[required()],
        filters=[strip_text],
    )


class ConsentForm(Form):
    consent_from = SelectField(_l("Whose consent?"), choices=_choices(CONSENT_FROM_LABELS))
    family_member_id = SelectField(
        _l("Which parent or carer?"),
        description=_l("When a parent or carer was asked."),
        coerce=int,
        default=0,
    )
    information = TextAreaField(
        _l("What information is the decision about?"),
        validators=[required()],
        filters=[strip_text],
    )
    share_with_family = BooleanField(_l("Share with the family"))
    shared_with_member_id = SelectField(
        # i18n: which family member sees what is shared with the family (parents apart).
        _l("With whom in the family?"),
        description=_l("All the family, or one family member only (parents who live apart)."),
        coerce=int,
        default=0,
    )
    share_with_meeting = BooleanField(_l("Share with the meeting (for example a conference)"))
    share_with_agencies = BooleanField(_l("Share with other agencies"))
    agencies = StringField(
        _l("Which agencies?"),
        description=_l("Their names, when sharing with agencies."),
        validators=[optional(), max_length(2000)],
        filters=[strip_text],
    )
    answer = SelectField(_l("The answer"), choices=_choices(ANSWER_LABELS))
    decided_on = DateField(_l("Date of the decision"), validators=[required()])
    reasons = TextAreaField(
        _l("Reasons for the decision"),
        description=_l("Required unless consent was given."),
        validators=[optional()],
        filters=[strip_text],
    )
    shared_without_consent = BooleanField(
        _l("Sharing although consent was refused or not sought"),
        description=_l(
            "Then a reason, who decided and whether a manager was consulted are needed."
        ),
    )
    reason_category = SelectField(
        _l("Why share without consent?"),
        choices=_choices(SHARE_WITHOUT_CONSENT_LABELS, _l("Not sharing without consent")),
        default="",
    )
    decision_maker = StringField(
        _l("Who decided?"), validators=[optional(), max_length(300)], filters=[strip_text]
    )
    manager_consulted = SelectField(
        _l("Was a manager consulted?"),
        choices=choice_list({"": _l("Not answered"), "yes": _l("Yes"), "no": _l("No")}),
        default="",
    )


class AttachForm(ConsentForm):
    contribution_author = SelectField(_l("Whose words are these?"), choices=_choices(AUTHOR_LABELS))
    note = TextAreaField(
        _l("Your note about it (optional)"),
        description=_l("The child's words go into the record exactly as given."),
        validators=[optional()],
        filters=[strip_text],
    )


class PlacementForm(Form):
    reason = SelectField(
        _l("Why must it not be disclosed?"), choices=_choices(CONFIDENTIAL_REASON_LABELS)
    )
    note = TextAreaField(_l("Note of the reasons"), validators=[required()], filters=[strip_text])
    review_on = DateField(_l("Review by"), validators=[required()])


class GrantForm(Form):
    user_id = SelectField(_l("Person"), coerce=int)
    reason = TextAreaField(
        _l("Why do they need to read it?"), validators=[required()], filters=[strip_text]
    )


class RevokeForm(Form):
    reason = StringField(
        _l("Why is access ending?"),
        validators=[required(), max_length(1000)],
        filters=[strip_text],
    )
