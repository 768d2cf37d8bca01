"""What the record's kinds, classifications, sources, answers and reasons are called on screen."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from voice_app.record.models import (
    Classification,
    ConfidentialReason,
    ConsentAnswer,
    ConsentFrom,
    EntryKind,
    ShareWithoutConsentReason,
    Source,
)

ENTRY_KIND_LABELS = {
    EntryKind.CASE_NOTE: _l("Case note"),
    EntryKind.CONTACT: _l("Contact"),
    EntryKind.ASSESSMENT: _l("Assessment"),
    EntryKind.DECISION: _l("Decision"),
    EntryKind.CONTRIBUTION: _l("The child's or family's own contribution"),
}

#: The kinds a practitioner writes; contributions come in by being attached.
WRITTEN_KINDS = (EntryKind.CASE_NOTE, EntryKind.CONTACT, EntryKind.ASSESSMENT, EntryKind.DECISION)

CLASSIFICATION_LABELS = {
    Classification.FACT: _l("Fact"),
    Classification.OPINION: _l("Opinion"),
    Classification.ASSESSMENT: _l("Professional assessment"),
    Classification.JUDGEMENT: _l("Professional judgement"),
    Classification.DECISION: _l("Decision"),
}

SOURCE_LABELS = {
    Source.FIRST_HAND: _l("First-hand: the author saw or heard it"),
    Source.THIRD_PARTY: _l("Third-party: someone told the author"),
}

CONSENT_FROM_LABELS = {
    ConsentFrom.CHILD: _l("The child"),
    ConsentFrom.PARENT: _l("A parent or carer with parental responsibility"),
}

ANSWER_LABELS = {
    ConsentAnswer.GIVEN: _l("Consent given"),
    ConsentAnswer.REFUSED: _l("Consent refused"),
    ConsentAnswer.NOT_SOUGHT: _l("Consent not sought"),
    ConsentAnswer.WITHDRAWN: _l("Consent withdrawn"),
}

SHARE_WITHOUT_CONSENT_LABELS = {
    ShareWithoutConsentReason.RISK_OF_SIGNIFICANT_HARM: _l(
        "A child is at risk of significant harm"
    ),
    ShareWithoutConsentReason.PREVENT_OR_DETECT_CRIME: _l("To prevent or detect a serious crime"),
    ShareWithoutConsentReason.SEEKING_CONSENT_WOULD_PLACE_AT_RISK: _l(
        "Asking for consent would put someone at risk"
    ),
    ShareWithoutConsentReason.COURT_ORDER_OR_STATUTORY_DUTY: _l(
        "A court order or a statutory duty requires it"
    ),
    ShareWithoutConsentReason.LACKS_CAPACITY_AND_BEST_INTERESTS: _l(
        "The person cannot consent, and sharing is in their best interests"
    ),
}

CONFIDENTIAL_REASON_LABELS = {
    ConfidentialReason.SERIOUS_HARM: _l(
        "Disclosing it would be likely to cause serious harm to someone"
    ),
    ConfidentialReason.GIVEN_IN_CONFIDENCE: _l(
        "It was given in the expectation that it would not be disclosed"
    ),
    ConfidentialReason.THIRD_PARTY_REQUEST: _l("A third party asked for it not to be disclosed"),
}
