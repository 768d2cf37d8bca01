"""Forms for a child's record, family members and case assignments."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, ValidationError

from voice_app.children.models import AssignmentRole, DevelopmentalBand, Relationship
from voice_app.core.forms import (
    Form,
    choice_list,
    max_length,
    optional,
    required,
    strip_text,
    valid_email,
)
from voice_app.core.working_days import Nation

BAND_LABELS = {
    DevelopmentalBand.EARLY: _l("Early years (about 4 to 7)"),
    DevelopmentalBand.MIDDLE: _l("Middle years (about 8 to 12)"),
    DevelopmentalBand.TEEN: _l("Teenager (13 and over)"),
}

RELATIONSHIP_LABELS = {
    Relationship.MOTHER: _l("Mother"),
    Relationship.FATHER: _l("Father"),
    Relationship.STEP_PARENT: _l("Step-parent"),
    Relationship.GRANDPARENT: _l("Grandparent"),
    Relationship.SIBLING: _l("Brother or sister"),
    Relationship.AUNT_UNCLE: _l("Aunt or uncle"),
    Relationship.FOSTER_CARER: _l("Foster carer"),
    Relationship.SPECIAL_GUARDIAN: _l("Special guardian"),
    Relationship.OTHER: _l("Other"),
}

NATION_LABELS = {
    Nation.ENGLAND_AND_WALES: _l("England and Wales"),
    Nation.SCOTLAND: _l("Scotland"),
    Nation.NORTHERN_IRELAND: _l("Northern Ireland"),
}

ASSIGNMENT_LABELS = {
    AssignmentRole.LEAD: _l("Lead practitioner"),
    AssignmentRole.PRACTITIONER: _l("Practitioner"),
    AssignmentRole.INTERPRETER: _l("Interpreter"),
}


def not_in_future(form: Form, field: DateField) -> None:
    if field.data and field.data > date.today():
        raise ValidationError(_l("A date of birth cannot be in the future."))


def _symbols_choice(value: object) -> bool | None:
    """The symbols setting as stored: None follows the band; "yes" and "no" are chosen."""
    if value in (None, "", "None"):
        return None
    return value is True or value in ("yes", "True")


class ChildForm(Form):
    reference = StringField(
        _l("Reference number"), validators=[required(), max_length(40)], filters=[strip_text]
    )
    full_name = StringField(
        _l("Full name"), validators=[required(), max_length(200)], filters=[strip_text]
    )
    preferred_name = StringField(
        _l("Preferred name"),
        description=_l("What the child likes to be called."),
        validators=[optional(), max_length(100)],
        filters=[strip_text],
    )
    date_of_birth = DateField(
        _l("Date of birth"),
        validators=[required(), not_in_future],
        render_kw={"max": "9999-12-31"},
    )
    gender = StringField(
        _l("Gender"), validators=[optional(), max_length(100)], filters=[strip_text]
    )
    ethnicity = StringField(
        _l("Ethnicity"), validators=[optional(), max_length(200)], filters=[strip_text]
    )
    religion = StringField(
        _l("Religion"), validators=[optional(), max_length(200)], filters=[strip_text]
    )
    address = TextAreaField(_l("Address"), validators=[optional()], filters=[strip_text])
    preferred_language = SelectField(_l("Preferred language"))
    communication_needs = TextAreaField(
        _l("Communication needs"),
        description=_l("For example: uses Makaton, prefers pictures, needs an interpreter."),
        validators=[optional()],
        filters=[strip_text],
    )
    uses_symbols = SelectField(
        # i18n: a setting of the child's communication needs, for the child's own space.
        _l("Pictures and symbols"),
        description=_l(
            "Symbols mode shows a large picture with every question, choice and button, "
            "and reads each question out, for children who prefer pictures or use symbols."
        ),
        choices=choice_list(
            {
                "": _l("As for the child's age band (on for the youngest)"),
                "yes": _l("Symbols mode: pictures first"),
                "no": _l("Words first"),
            }
        ),
        coerce=_symbols_choice,
        default=None,
    )
    nation = SelectField(
        _l("UK nation"),
        description=_l("Its bank holidays count when deadlines are worked out in working days."),
        choices=choice_list({value.value: label for value, label in NATION_LABELS.items()}),
        default=Nation.ENGLAND_AND_WALES.value,
    )
    lead_practitioner_id = SelectField(_l("Lead practitioner"), coerce=int)


class BandForm(Form):
    band = SelectField(_l("Developmental band"))
    reason = TextAreaField(
        _l("Why this band and not the one for the child's age?"),
        filters=[strip_text],
    )

    def validate_reason(self, field: TextAreaField) -> None:
        if self.band.data and not field.data:
            raise ValidationError(_l("Please say why you are choosing a different band."))


class FamilyMemberForm(Form):
    name = StringField(_l("Name"), validators=[required(), max_length(200)], filters=[strip_text])
    relationship = SelectField(
        _l("Relationship to the child"),
        choices=choice_list({value.value: label for value, label in RELATIONSHIP_LABELS.items()}),
    )
    parental_responsibility = BooleanField(_l("Has parental responsibility"))
    preferred_language = SelectField(_l("Preferred language"))
    interpreter_needed = BooleanField(_l("Needs an interpreter"))
    phone = StringField(_l("Phone"), validators=[optional(), max_length(40)], filters=[strip_text])
    email = EmailField(
        _l("Email address"), validators=[optional(), valid_email], filters=[strip_text]
    )


class AssignmentForm(Form):
    user_id = SelectField(_l("Person"), coerce=int)
    role_on_case = SelectField(
        _l("Role on this case"),
        choices=choice_list({value.value: label for value, label in ASSIGNMENT_LABELS.items()}),
    )
    ends_at = DateTimeLocalField(
        _l("Until"),
        description=_l("Required for interpreters: their access ends then."),
        validators=[optional()],
    )


class CloseCaseForm(Form):
    summary = TextAreaField(
        _l("Closing summary"),
        description=_l(
            "Why the case is closing, what changed for the child, and what happens next."
        ),
        validators=[
            DataRequired(message=_l("A case cannot be closed without a closing summary.")),
            max_length(20_000),
        ],
        filters=[strip_text],
    )
