"""Forms of the family's space and of the practitioner's family-account page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import EqualTo, Length, NumberRange, Regexp

from voice_app.core.forms import Form, choice_list, max_length, optional, required, strip_text
from voice_app.family.services import PASSPHRASE_MIN_LENGTH, SIGN_IN_NAME_LENGTH


class FamilyInviteForm(Form):
    reason = TextAreaField(
        _l("Why this person should see what is shared with the family"),
        description=_l(
            "Needed for anyone without parental responsibility, e.g. a grandparent who "
            "cares for the child every day."
        ),
        validators=[optional(), max_length(2000)],
        filters=[strip_text],
    )
    days = IntegerField(
        _l("Days the invitation works"),
        default=14,
        validators=[required(), NumberRange(min=1, max=60)],
    )


class FamilyCodeForm(Form):
    code = StringField(
        _l("Your code"),
        description=_l("Your social worker gave you a code with 8 letters and numbers."),
        validators=[required()],
        filters=[strip_text],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class PassphraseForm(Form):
    sign_in_name = StringField(
        _l("Choose a sign-in name"),
        description=_l("Any name you will remember, e.g. claire.t. You type it to sign in."),
        validators=[
            required(),
            Length(
                min=SIGN_IN_NAME_LENGTH[0],
                max=SIGN_IN_NAME_LENGTH[1],
                message=_l("Please use 3 to 60 letters, numbers, dots or dashes."),
            ),
            Regexp(
                r"^[\w.\-]+$", message=_l("Please use 3 to 60 letters, numbers, dots or dashes.")
            ),
        ],
        filters=[strip_text],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    passphrase = PasswordField(
        _l("Choose a password or passphrase"),
        description=_l(
            "At least 10 characters. A few words you will remember work well, "
            "e.g. blue kettle river morning."
        ),
        validators=[
            required(),
            Length(
                min=PASSPHRASE_MIN_LENGTH,
                message=_l("Please use at least 10 characters."),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Type it again"),
        validators=[required(), EqualTo("passphrase", message=_l("The two do not match."))],
        render_kw={"autocomplete": "new-password"},
    )


class FamilySignInForm(Form):
    sign_in_name = StringField(
        _l("Sign-in name"),
        validators=[required()],
        filters=[strip_text],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    passphrase = PasswordField(
        _l("Password or passphrase"),
        validators=[required()],
        render_kw={"autocomplete": "current-password"},
    )


class FamilyWordsForm(Form):
    """The family member's own words: typed, or a recording, or a picture of a drawing."""

    kind = RadioField(
        _l("How do you want to say it?"),
        choices=choice_list(
            {"text": _l("Type it"), "voice": _l("Record it"), "drawing": _l("Send a drawing")}
        ),
        default="text",
        validators=[required()],
    )
    text = TextAreaField(
        _l("Your words"),
        description=_l("For a drawing, say what it shows."),
        validators=[optional(), max_length(20_000)],
    )
    media = FileField(
        _l("Your recording or drawing"),
        description=_l("On a phone this opens the recorder or the camera."),
    )
    sharing = RadioField(
        _l("Who may see it"),
        choices=choice_list(
            {
                "my_worker": _l("Only the social worker"),
                "my_family_too": _l(
                    "The social worker, and the rest of the family once the social worker "
                    "has recorded that it may be shared"
                ),
            }
        ),
        default="my_worker",
        validators=[required()],
    )
    #: A fresh id in each page shown (``family.views.home``): the same form sent twice (a
    #: second tap, a resent request) is stored once.
    form_id = HiddenField(
        validators=[
            optional(),
            Regexp(r"^[0-9a-f]{32}$", message=_l("That did not work. Please try again.")),
        ]
    )


class ReadBackForm(Form):
    text = TextAreaField(
        _l("What you said"),
        description=_l("Correct anything the machine misheard, then confirm."),
        validators=[required(), max_length(20_000)],
    )


class FamilyLanguageForm(Form):
    locale = SelectField(_l("My language"), validators=[required()])


class GiveBackForm(Form):
    password = PasswordField(_l("Password"), validators=[required()])
